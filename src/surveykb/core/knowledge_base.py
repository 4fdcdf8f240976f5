"""The one loader: a knowledge base folder -> its taxonomy, every record file checked, the rules
across files applied. Every command that reads the knowledge base calls `open_knowledge_base`."""

from __future__ import annotations

import datetime
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from surveykb.core.diagnostics import Diagnostic
from surveykb.core.identity import KnownPapers
from surveykb.core.load import LoadedFile, load_yaml_file
from surveykb.core.model import Paper, record_fields
from surveykb.core.paths import display_path, record_paths
from surveykb.core.taxonomy import Taxonomy, load_taxonomy
from surveykb.core.validate import Record, check_record_file, cross_record_problems


@dataclass(frozen=True)
class KnowledgeBase:
    root: Path
    taxonomy: Taxonomy
    records: tuple[Record, ...]

    @property
    def papers(self) -> list[Paper]:
        return [record.paper for record in self.records]


@dataclass(frozen=True)
class Loaded:
    """What `open_knowledge_base` found: the checked knowledge base (None when the taxonomy does not
    load), every record file that parsed cleanly (valid or not, drafts included), and every diagnostic."""

    root: Path
    kb: KnowledgeBase | None
    files: dict[str, LoadedFile] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    taxonomy_diagnostics: list[Diagnostic] = field(default_factory=list)  # those of taxonomy/ alone

    @property
    def has_errors(self) -> bool:
        return self.kb is None or any(d.is_error for d in self.diagnostics)

    def known_papers(self) -> KnownPapers:
        """The identities of every record file: a draft or a broken record still counts. Files that
        appeared in papers/ since loading (another writer's) are read too, so that a writer holding
        the papers/ lock sees what is there now."""
        known = KnownPapers.of(
            (shown, loaded.data) for shown, loaded in self.files.items() if isinstance(loaded.data, dict)
        )
        papers = self.root / "papers"
        paths = sorted(papers.glob("*.yaml")) if papers.is_dir() else []
        known.ids |= {path.stem for path in paths}
        for path in paths:
            shown = display_path(path)
            if shown not in self.files:
                parsed, _ = load_yaml_file(path, shown)
                if parsed is not None and isinstance(parsed.data, dict):
                    known.add(shown, parsed.data)
        return known


def open_knowledge_base(root: Path, only: list[Path] | None = None, today: datetime.date | None = None) -> Loaded:
    """Check the knowledge base under `root`. With `only`, report problems in those files alone
    (plus the taxonomy), still checking them for duplicates against every record."""
    taxonomy, diagnostics = load_taxonomy(root / "taxonomy", frozenset(record_fields(())))
    context = {"taxonomy": taxonomy, "today": today or datetime.date.today()}
    with _cyclic_gc_paused():
        records, files, file_problems = _check_records(root / "papers", only, context if taxonomy else None)
    if only is not None:
        wanted = {display_path(path) for path in only}
        file_problems = [d for d in file_problems if d.path in wanted]
    if taxonomy is None:
        return Loaded(root, None, files, diagnostics, diagnostics)
    records.sort(key=lambda record: record.paper.id)
    kb = KnowledgeBase(root=root, taxonomy=taxonomy, records=tuple(records))
    return Loaded(root, kb, files, diagnostics + file_problems, diagnostics)


def load_knowledge_base(
    root: Path, only: list[Path] | None = None, today: datetime.date | None = None
) -> tuple[KnowledgeBase | None, list[Diagnostic]]:
    """`open_knowledge_base` as a pair (knowledge base, diagnostics), for callers that need no more."""
    loaded = open_knowledge_base(root, only, today)
    return loaded.kb, loaded.diagnostics


def _check_records(
    papers_dir: Path, only: list[Path] | None, context: dict[str, Any] | None
) -> tuple[list[Record], dict[str, LoadedFile], list[Diagnostic]]:
    """Every record in papers/ plus any file of `only` outside it, then the rules across them.
    Without a taxonomy (`context` None) the files are parsed but not checked."""
    paths, file_problems = record_paths(papers_dir)
    if only:
        known = {path.resolve() for path in paths}
        paths += [path for path in only if path.resolve() not in known]
    records: list[Record] = []
    files: dict[str, LoadedFile] = {}
    for path in paths:
        record, loaded, problems = check_record_file(path, context)
        file_problems += problems
        if loaded is not None:
            files[loaded.shown] = loaded
        if record is not None:
            records.append(record)
    return records, files, file_problems + cross_record_problems(list(files.values()))


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Checking keeps some twenty small acyclic objects per record. With thousands of records the
    cyclic garbage collector rescans them again and again (a fifth of the run time, growing faster
    than the record count) and never finds garbage: reference counting frees everything here."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Moving what was kept out of the collector's view: re-enabled, it would otherwise walk all of
        # it in its next full pass, for nothing.
        gc.freeze()
        if was_enabled:
            gc.enable()
