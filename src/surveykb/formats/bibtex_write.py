"""BibTeX entries for records: entry type from the venue and arXiv id, text written as portable LaTeX.

Every value is safe for classic BibTeX, biber and bibtexparser alike: LaTeX's special characters are
escaped; braces become `\\{ \\}` when they pair up and `\\textbraceleft{}`/`\\textbraceright{}` when they
do not (BibTeX counts every brace, escaped or not); accented letters become `{\\"u}` so that styles
can abbreviate and sort them; words with inner capitals (`LLaVA`, `CLIP`) are braced so that styles
keep their case.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc.latexencode import UnicodeToLatexEncoder

from surveykb.core.model import Paper

_CONFERENCE = re.compile(
    r"\b(conference|proceedings|workshops?|symposium|neurips|nips|icml|iclr|cvpr|iccv|eccv|accv|wacv|bmvc|acl|eacl|"
    r"aacl|emnlp|naacl|coling|lrec|conll|aaai|ijcai|uai|aistats|kdd|sigir|cikm|wsdm|www|acm mm|icme|icpr|icdar|"
    r"interspeech|icassp|ismir|miccai|icra|iros|corl|chi|uist|iui|fg|colm|findings)\b",
    re.IGNORECASE,
)
_JOURNAL = re.compile(
    r"\b(journal|transactions|letters|tpami|tmlr|jmlr|ijcv|tacl|tip|tmm|tcsvt|tkde|tog|ieee access|pnas|national academy|"
    r"nature|reviews?|surveys)\b|^science\b",
    re.IGNORECASE,
)
_ARXIV_VENUE = re.compile(r"^\s*(arxiv|corr|preprint)\b", re.IGNORECASE)
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_PATTERN = re.compile("|".join(re.escape(char) for char in [*_LATEX_SPECIALS, "{", "}"]))
_PAIRED_BRACES = {"{": r"\{", "}": r"\}"}
_LONE_BRACES = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_NAME_SUFFIX = re.compile(r"(jr|sr|[iv]+)\.?", re.IGNORECASE)


def latex_escape(text: str) -> str:
    """Text on one line as LaTeX: specials escaped, non-ASCII letters as accent macros where LaTeX
    has one (others, such as CJK, are kept as UTF-8)."""
    flat = _one_line(text)
    return _escape(flat, _braces_pair_up(flat))


def _one_line(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _escape(text: str, paired_braces: bool) -> str:
    specials = {**_LATEX_SPECIALS, **(_PAIRED_BRACES if paired_braces else _LONE_BRACES)}
    escaped = _LATEX_PATTERN.sub(lambda match: specials[match.group(0)], text)
    return escaped if escaped.isascii() else _unicode_encoder().unicode_to_latex(escaped)


def _braces_pair_up(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@lru_cache(maxsize=1)
def _unicode_encoder() -> UnicodeToLatexEncoder:
    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


def protect_case(title: str) -> str:
    """The title as LaTeX, with each word that has a capital after its first letter braced."""
    flat = _one_line(title)
    paired = _braces_pair_up(flat)
    return " ".join(
        _protected(_escape(word, paired)) if _has_inner_capital(word) else _escape(word, paired)
        for word in flat.split()
    )


def _protected(escaped: str) -> str:
    # A group opening with a backslash is a "special character" to BibTeX, whose letters it does recase.
    return f"{{{{{escaped}}}}}" if escaped.startswith("\\") else f"{{{escaped}}}"


def _has_inner_capital(word: str) -> bool:
    """`LLaVA-1.5`, `(MLLMs)`, `3D`, `GPT-4`: yes; `Multi-Modal`, `“Zero-Shot”`: no."""
    parts = (part.lstrip("([{\"'“‘") for part in re.split(r"[-/]", word))
    return any(char.isupper() for part in parts for char in part[1:])


def bibtex_name(name: str) -> str:
    """A `First Last` name as BibTeX reads it: `First Last, Jr.` -> `Last, Jr., First`; a name that
    BibTeX would misread (other commas, the word `and`) is braced whole."""
    escaped = latex_escape(name)
    head, _, suffix = escaped.rpartition(",")
    words = head.split()
    if head and _NAME_SUFFIX.fullmatch(suffix.strip()) and len(words) > 1 and "," not in head:
        escaped = f"{words[-1]}, {suffix.strip()}, {' '.join(words[:-1])}"
    elif "," in escaped:
        return f"{{{escaped}}}"
    return f"{{{escaped}}}" if re.search(r"\sand\s", escaped, re.IGNORECASE) else escaped


def entry_type(paper: Paper) -> str:
    venue = paper.venue or ""
    if venue and not _ARXIV_VENUE.match(venue):
        if _JOURNAL.search(venue):
            return "article"
        if _CONFERENCE.search(venue):
            return "inproceedings"
    return "misc"


def bibtex_fields(paper: Paper) -> list[tuple[str, str]]:
    """(field, value as written) pairs, in the order they are written."""
    kind = entry_type(paper)
    fields: list[tuple[str, str]] = [("title", protect_case(paper.title))]
    if paper.authors:
        fields.append(("author", " and ".join(bibtex_name(author) for author in paper.authors)))
    venue = paper.venue or ""
    if kind == "article":
        fields.append(("journal", latex_escape(venue)))
    elif kind == "inproceedings":
        fields.append(("booktitle", latex_escape(venue)))
    elif venue and not _ARXIV_VENUE.match(venue):
        fields.append(("howpublished", latex_escape(venue)))
    if paper.year is not None:
        fields.append(("year", str(paper.year)))
    if paper.arxiv:
        fields += [("eprint", _escape_verbatim(paper.arxiv)), ("archiveprefix", "arXiv")]
    fields += [(name, _escape_verbatim(value)) for name, value in (("doi", paper.doi), ("url", paper.url)) if value]
    return fields


def bibtex_entry(paper: Paper) -> str:
    """One entry, keyed by the record id."""
    fields = bibtex_fields(paper)
    width = max(len(name) for name, _ in fields)
    lines = [f"@{entry_type(paper)}{{{paper.id},"]
    lines += [f"  {name.ljust(width)} = {{{value}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines)


_VERBATIM_UNSAFE = re.compile(r"[{}\\]|%(?![0-9A-Fa-f]{2})")


def _escape_verbatim(value: str) -> str:
    """URLs, DOIs and eprints are verbatim fields. What would end the field or the entry, or start a
    LaTeX command or comment where a style prints it, is percent-encoded, as a URL would have it:
    braces, backslashes, and a `%` that is not already an escape (`%20` stays). Spaces, which a
    record's values never hold, are dropped."""
    return _VERBATIM_UNSAFE.sub(lambda match: f"%{ord(match.group()[0]):02X}", "".join(value.split()))


def bibtex_file(papers: list[Paper]) -> str:
    return join_entries([bibtex_entry(paper) for paper in papers])


def join_entries(entries: list[str]) -> str:
    """A .bib file of written entries; empty for none."""
    return "\n\n".join(entries) + "\n" if entries else ""
