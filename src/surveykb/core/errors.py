"""The few ways a command refuses to go on, each carrying the `Diagnostic` the command line prints.

One small hierarchy, as MkDocs' `exceptions.py` has: code deep inside a command raises, the command
line catches `SurveyKBError` once, prints its diagnostic and exits 1.
"""

from __future__ import annotations

from pathlib import Path

from surveykb.core.diagnostics import Diagnostic, error
from surveykb.core.paths import display_path


class SurveyKBError(Exception):
    """A refusal with its reason as a diagnostic (file, line, code and message)."""

    def __init__(self, diagnostic: Diagnostic, details: list[Diagnostic] | None = None) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.details = details or []  # the problems behind the refusal, printed before it

    @property
    def code(self) -> str:
        return self.diagnostic.code

    @property
    def message(self) -> str:
        return self.diagnostic.message


class Refused(SurveyKBError):
    """Something a command will not do: write a paper twice, use a bad id."""

    @classmethod
    def because(
        cls, code: str, message: str, path: str = "", line: int = 1, details: list[Diagnostic] | None = None
    ) -> Refused:
        return cls(error(path, line, 1, code, message), details)


class FileExists(Refused):
    """A file is already where a command would write; it is never overwritten without --force."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            error(
                display_path(path), 1, 1, "exists", f"{display_path(path)} already exists; pass --force to replace it"
            )
        )
        self.path = path


class BackupExists(Refused):
    """A `<name>.bak` left by an earlier --force would be replaced; it never is."""

    def __init__(self, backup: Path) -> None:
        shown = display_path(backup)
        message = f"{shown} is left from an earlier --force; delete it once you have checked it, then try again"
        super().__init__(error(shown, 1, 1, "backup-exists", message))
        self.backup = backup


class MissingMarkers(SurveyKBError):
    """A document lacks the markers that delimit its generated section."""


class WriteFailed(SurveyKBError, OSError):
    """The file system refused a write (read-only, full, no permission); every file is left as it
    was. `reason` is the system's words for it, like 'No space left on device'."""

    def __init__(self, path: Path, cause: OSError) -> None:
        shown = display_path(path)
        self.reason = cause.strerror or str(cause)
        super().__init__(error(shown, 1, 1, "write-failed", f"cannot write {shown}: {self.reason}"))
        self.path = path
        self.errno, self.strerror = cause.errno, self.reason
