"""`surveykb diff BASE`: what a change does to the knowledge base, as Markdown for a pull request.

BASE is a git revision (the knowledge base is read from its `taxonomy/` and `papers/` with
`git archive`, never checked out) or another knowledge base folder. Papers are matched by id and
compared field by field; then every taxonomy node and every cross-table cell whose count changes is
listed ("Data Acquisition × Creator: 3 → 4"). Text from records is escaped, so a title cannot add
links, images or mentions to the comment.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from surveykb.commands.stats import node_counts
from surveykb.core.diagnostics import Diagnostic
from surveykb.core.index import build_index
from surveykb.core.knowledge_base import KnowledgeBase, load_knowledge_base
from surveykb.formats.record_yaml import paper_to_data


class BaseUnavailable(Exception):
    """BASE names neither a git revision with a knowledge base nor a knowledge base folder."""


@dataclass
class KnowledgeBaseDiff:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[tuple[str, list[tuple[str, Any, Any]]]] = field(default_factory=list)  # id, (field, before, after)
    nodes: list[tuple[str, int, int]] = field(default_factory=list)  # label, before, after
    cells: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.nodes or self.cells)


def load_base(root: Path, base: str) -> tuple[KnowledgeBase | None, list[Diagnostic]]:
    """The knowledge base at `base`: a folder, or a git revision of the repository at `root`."""
    folder = Path(base)
    if folder.is_dir() and (folder / "taxonomy").is_dir():
        return load_knowledge_base(folder)
    with tempfile.TemporaryDirectory(prefix="surveykb-diff-") as scratch:
        _extract(root, base, Path(scratch))
        return load_knowledge_base(Path(scratch))


def _extract(root: Path, revision: str, into: Path) -> None:
    command = ["git", "-C", str(root), "archive", "--format=tar", revision, "--", "taxonomy", "papers"]
    try:
        done = subprocess.run(command, capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BaseUnavailable(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BaseUnavailable(
            f"'{revision}' is not a revision with taxonomy/ and papers/ ({detail[-1] if detail else 'git failed'})"
        )
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        archive.extractall(into, filter="data")
    (into / "papers").mkdir(exist_ok=True)


def diff_knowledge_bases(before: KnowledgeBase, after: KnowledgeBase) -> KnowledgeBaseDiff:
    result = KnowledgeBaseDiff()
    old = {paper.id: paper_to_data(paper) for paper in before.papers}
    new = {paper.id: paper_to_data(paper) for paper in after.papers}
    result.added = [new[key] for key in sorted(new.keys() - old.keys())]
    result.removed = [old[key] for key in sorted(old.keys() - new.keys())]
    for key in sorted(old.keys() & new.keys()):
        fields = [
            (name, old[key].get(name), new[key].get(name))
            for name in dict.fromkeys([*old[key], *new[key]])
            if old[key].get(name) != new[key].get(name)
        ]
        if fields:
            result.changed.append((key, fields))
    result.nodes = _node_changes(before, after)
    result.cells = _cell_changes(before, after)
    return result


def _node_changes(before: KnowledgeBase, after: KnowledgeBase) -> list[tuple[str, int, int]]:
    old, new = node_counts(before.taxonomy, before.papers), node_counts(after.taxonomy, after.papers)
    names = {node_id: node.name for node_id, node in {**before.taxonomy.nodes, **after.taxonomy.nodes}.items()}
    order = [*after.taxonomy.nodes, *(node for node in before.taxonomy.nodes if node not in after.taxonomy.nodes)]
    return [(names[node], old.get(node, 0), new.get(node, 0)) for node in order if old.get(node, 0) != new.get(node, 0)]


def _cell_changes(before: KnowledgeBase, after: KnowledgeBase) -> list[tuple[str, int, int]]:
    old_tables = {table.slug: table for table in build_index(before).tables}
    changes = []
    for table in build_index(after).tables:
        previous = old_tables.get(table.slug)
        labels = dict(table.rows.values) | dict(previous.rows.values if previous else [])
        columns = dict(table.cols.values) | dict(previous.cols.values if previous else [])
        keys = sorted(
            set(table.cells) | set(previous.cells if previous else {}),
            key=lambda cell: (_rank(table.rows.values, cell[0]), _rank(table.cols.values, cell[1])),
        )
        for row, col in keys:
            was = previous.count(row, col) if previous else 0
            now = table.count(row, col)
            if was != now:
                changes.append((f"{table.title}: {labels.get(row, row)} × {columns.get(col, col)}", was, now))
    return changes


def _rank(values: list[tuple[str, str]], key: str) -> int:
    keys = [value for value, _ in values]
    return keys.index(key) if key in keys else len(keys)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def escape(text: object) -> str:
    """Record text as literal Markdown: no links, images, HTML or @mentions."""
    plain = " ".join(str(text).split())
    return _MARKDOWN.sub(r"\\\1", plain).replace("@", "@\u200b")


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(escape(item) for item in value) or "—"
    return escape(value)


def to_markdown(change: KnowledgeBaseDiff, base: str) -> str:
    lines = [f"### Knowledge base changes against {escape(base)}", ""]
    if change.empty:
        return "\n".join([*lines, "No paper, taxonomy count or cross-table cell changes.", ""])
    lines += [f"**{len(change.added)} added, {len(change.removed)} removed, {len(change.changed)} changed.**", ""]
    lines += _paper_list("Added", change.added) + _paper_list("Removed", change.removed)
    if change.changed:
        lines += ["#### Changed", ""]
        for key, fields in change.changed:
            lines.append(f"- **{escape(key)}**")
            lines += [f"  - {escape(name)}: {_value(was)} → {_value(now)}" for name, was, now in fields]
        lines.append("")
    for title, rows in (("Taxonomy counts", change.nodes), ("Cross-table cells", change.cells)):
        if rows:
            lines += [f"#### {title}", ""] + [f"- {escape(label)}: {was} → {now}" for label, was, now in rows] + [""]
    return "\n".join(lines)


def _paper_list(title: str, papers: list[dict[str, Any]]) -> list[str]:
    if not papers:
        return []
    rows = [
        f"- **{escape(data['id'])}**: {escape(data['title'])}"
        + (f" ({escape(data['venue'])})" if data.get("venue") else "")
        for data in papers
    ]
    return [f"#### {title}", "", *rows, ""]
