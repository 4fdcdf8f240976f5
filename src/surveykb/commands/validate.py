"""`surveykb validate`: the knowledge base's diagnostics and a one-line summary."""

from __future__ import annotations

from pathlib import Path

from surveykb.core.diagnostics import Diagnostic, counted, promote_warnings
from surveykb.core.knowledge_base import Loaded


def validate(loaded: Loaded, only: list[Path] | None, strict: bool) -> tuple[list[Diagnostic], str]:
    diagnostics = promote_warnings(loaded.diagnostics) if strict else loaded.diagnostics
    summary = counted(len(only), "file") + " checked" if only is not None else valid_summary(loaded, diagnostics)
    return diagnostics, summary


def valid_summary(loaded: Loaded, diagnostics: list[Diagnostic]) -> str:
    """'169 valid records, 2 with errors': a record with an error anywhere (a duplicate too) is not valid."""
    kb = loaded.kb
    failing = {d.path for d in diagnostics if d.is_error} - {d.path for d in loaded.taxonomy_diagnostics}
    valid = sum(record.shown not in failing for record in kb.records) if kb else 0
    invalid = len(failing) if kb else 0
    with_errors = f", {invalid} with errors" if invalid else ""
    return f"{counted(valid, 'valid record')}{with_errors}"
