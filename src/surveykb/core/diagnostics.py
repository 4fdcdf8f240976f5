"""Problems found in input files, kept as data and printed in one of three formats."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place. Lines and columns are 1-based."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_text(self) -> str:
        """One line, whatever the path or message holds (control characters are shown escaped)."""
        return (
            f"{visible(self.path)}:{self.line}:{self.col}: {self.severity.value} {self.code}: {visible(self.message)}"
        )

    def as_github(self) -> str:
        level = "error" if self.is_error else "warning"
        message = _escape_github_data(visible(f"{self.code}: {self.message}"))
        path = _escape_github_property(visible(self.path))
        return f"::{level} file={path},line={self.line},col={self.col}::{message}"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def error(path: str | Path, line: int, col: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(str(path), line, col, Severity.ERROR, code, message)


def warning(path: str | Path, line: int, col: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(str(path), line, col, Severity.WARNING, code, message)


def promote_warnings(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """--strict: every warning becomes an error."""
    return [Diagnostic(d.path, d.line, d.col, Severity.ERROR, d.code, d.message) for d in diagnostics]


def format_diagnostics(diagnostics: list[Diagnostic], fmt: str) -> str:
    ordered = sorted(diagnostics)
    if fmt == "json":
        return json.dumps([d.as_dict() for d in ordered], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(d.as_github() for d in ordered)
    return "\n".join(d.as_text() for d in ordered)


# C0 and C1 controls (newlines, NUL, ESC, ...) and the Unicode line and paragraph separators.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    """`text` on one line with no terminal escapes: each control character written as `\\n`, `\\x1b`, ..."""
    return _UNPRINTABLE.sub(_escape_one, text)


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED_ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def _escape_github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_property(text: str) -> str:
    return _escape_github_data(text).replace(":", "%3A").replace(",", "%2C")


def did_you_mean(value: object, choices: list[str] | tuple[str, ...]) -> str:
    """' (did you mean 'x'?)' when a choice is close to `value`, else ''."""
    matches = difflib.get_close_matches(str(value).lower(), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def counted(number: int, noun: str) -> str:
    """'1 error', '3 errors'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
