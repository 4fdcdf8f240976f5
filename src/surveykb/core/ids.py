"""Identifier rules, in one place."""

from __future__ import annotations

import re
import unicodedata

ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_MAX_LENGTH = 64
HEX_COLOR_PATTERN = r"[0-9a-f]{6}"
ARXIV_NEW_PATTERN = r"\d{4}\.\d{4,5}"
ARXIV_OLD_PATTERN = r"[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}"
DOI_PATTERN = r"10\.\d{4,9}/\S+"


def is_valid_id(value: str) -> bool:
    return len(value) <= ID_MAX_LENGTH and re.fullmatch(ID_PATTERN, value) is not None


def is_valid_arxiv(value: str) -> bool:
    """A new-style id (`YYMM.NNNN` from April 2007, five digits from January 2015 on) or an old-style
    one (`archive/YYMMNNN`, from August 1991 to March 2007), with a real month."""
    if re.fullmatch(ARXIV_NEW_PATTERN, value):
        yymm, number = value.split(".")
        digits = 5 if yymm >= "1501" else 4
        return "0704" <= yymm and _real_month(yymm) and len(number) == digits
    if re.fullmatch(ARXIV_OLD_PATTERN, value):
        yymm = value.split("/")[1][:4]
        # Old-style numbers run from 91 (1991) to 07 (2007), ordered as 1991..2007.
        era = ("19" if yymm >= "91" else "20") + yymm
        return "199108" <= era <= "200703" and _real_month(yymm)
    return False


def _real_month(yymm: str) -> bool:
    return "01" <= yymm[2:] <= "12"


def is_valid_doi(value: str) -> bool:
    return re.fullmatch(DOI_PATTERN, value) is not None


# Letters that Unicode decomposition does not reduce to ASCII.
_UNDECOMPOSABLE = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae", "Æ": "ae", "đ": "d", "Đ": "d"}
)


def ascii_fold(text: str) -> str:
    """'Müller-Łukasz' -> 'muller-lukasz' (letters without their accents, lower case)."""
    text = text.translate(_UNDECOMPOSABLE)
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def normalize_title(title: str) -> str:
    """Case, punctuation and white space folded, so that near-identical titles compare equal."""
    folded = ascii_fold(title)
    return " ".join(re.findall(r"[a-z0-9]+", folded))


STOP_WORDS = frozenset(
    "a an the on of in for to and or with from by via at as is are be do does can towards toward "
    "into over under its your our their what when how why which who not no".split()
)


def derive_id(authors: list[str], year: int | None, title: str) -> str:
    """`liu2023visual`: first author's folded last name, year, first significant title word.
    Without an author or year, a slug of the title's first words."""
    words = re.findall(r"[a-z0-9]+", ascii_fold(title))
    last_name = re.findall(r"[a-z0-9]+", ascii_fold(authors[0].split()[-1])) if authors and authors[0].split() else []
    if last_name and year is not None:
        significant = next((word for word in words if word not in STOP_WORDS), words[0] if words else "")
        return f"{''.join(last_name)}{year}{significant}"[:ID_MAX_LENGTH]
    slug = ""
    for word in words[:8]:
        candidate = f"{slug}-{word}" if slug else word[:ID_MAX_LENGTH]
        if len(candidate) > ID_MAX_LENGTH:
            break
        slug = candidate
    return slug or "paper"


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is not taken yet."""
    if base not in taken:
        return base
    suffix = 2
    while _with_suffix(base, suffix) in taken:
        suffix += 1
    return _with_suffix(base, suffix)


def _with_suffix(base: str, suffix: int) -> str:
    """`base-N`, cutting `base` to keep within the length limit (and never leaving a double hyphen)."""
    stem = base[: ID_MAX_LENGTH - len(str(suffix)) - 1].rstrip("-")
    return f"{stem}-{suffix}"
