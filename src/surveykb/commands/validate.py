"""`surveykb validate`: the knowledge base's diagnostics and a one-line summary."""

from __future__ import annotations

from pathlib import Path

from surveykb.core.diagnostics import Diagnostic, promote_warnings
from surveykb.core.knowledge_base import Loaded


def validate(loaded: Loaded, only: list[Path] | None, strict: bool) -> tuple[list[Diagnostic], str]:
    diagnostics = promote_warnings(loaded.diagnostics) if strict else loaded.diagnostics
    summary = f"{len(only)} files checked" if only is not None else f"{len(loaded.kb.records) if loaded.kb else 0} valid records"
    return diagnostics, summary
