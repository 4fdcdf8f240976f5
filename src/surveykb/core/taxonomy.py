"""The survey's two axes, its development stages, modalities and outline, loaded from `taxonomy/`."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from surveykb.core.diagnostics import Diagnostic, did_you_mean, error
from surveykb.core.ids import HEX_COLOR_PATTERN, ID_MAX_LENGTH, ID_PATTERN
from surveykb.core.load import LoadedFile, load_yaml_file
from surveykb.core.pydantic_errors import diagnostics_from_validation_error
from surveykb.core.venues import Venue, VenuesFile

_FROZEN = ConfigDict(extra="forbid", frozen=True)
MAX_AXES = 4
# Colours for axes that declare none, one per axis in file order (colour-blind-safe Okabe-Ito hues).
AXIS_COLORS = ("0072b2", "d55e00", "009e73", "cc79a7")
NodeId = str


class NodeSpec(BaseModel):
    """A taxonomy node as written in a taxonomy file."""

    model_config = _FROZEN
    id: str = Field(pattern=f"^{ID_PATTERN}$", max_length=ID_MAX_LENGTH)
    parent: str | None = None
    name: str = Field(min_length=1)
    section: str | None = Field(
        default=None, min_length=1, description="The survey section that treats the node, one of outline.yaml's."
    )
    description: str = Field(min_length=1)
    color: str | None = Field(default=None, pattern=f"^{HEX_COLOR_PATTERN}$")
    stages: tuple[str, ...] | None = None
    badge: str | None = None
    short: str | None = Field(
        default=None, min_length=1, description="A short label for narrow places such as table headers."
    )


class AxisFile(BaseModel):
    model_config = _FROZEN
    axis: NodeSpec
    nodes: tuple[NodeSpec, ...]


class Term(BaseModel):
    """An entry of a flat vocabulary (a stage or a modality)."""

    model_config = _FROZEN
    id: str = Field(pattern=f"^{ID_PATTERN}$", max_length=ID_MAX_LENGTH)
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)


class Section(BaseModel):
    """A section or table of the survey that cites papers."""

    model_config = _FROZEN
    id: str = Field(pattern=r"^(\d+(\.\d+)*|[a-z]+-\d+)$")
    title: str = Field(min_length=1)
    label: str | None = None

    @property
    def display(self) -> str:
        return self.label or f"Sec. {self.id}"

    @property
    def parent_id(self) -> str | None:
        return self.id.rsplit(".", 1)[0] if "." in self.id else None

    @property
    def depth(self) -> int:
        return self.id.count(".")


class StagesFile(BaseModel):
    model_config = _FROZEN
    stages: tuple[Term, ...]


class ModalitiesFile(BaseModel):
    model_config = _FROZEN
    modalities: tuple[Term, ...]


class SurveyInfo(BaseModel):
    """The survey the knowledge base serves, as `taxonomy/survey.yaml` describes it."""

    model_config = _FROZEN
    title: str = Field(min_length=1, description="The survey's title.")
    authors: str | None = Field(
        default=None, min_length=1, description="Its authors as cited, like `Qin, Chen et al.`."
    )
    venue: str | None = Field(default=None, min_length=1, description="Where it was published, like `TPAMI 2025`.")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$", description="Its landing page.")
    arxiv: str | None = Field(
        default=None, min_length=1, description="Its arXiv id: `surveykb discover` lists the works citing it."
    )
    doi: str | None = Field(default=None, min_length=1, description="Its DOI, when it has no arXiv id.")
    list_title: str | None = Field(
        default=None, min_length=1, description="The title of its Markdown paper list (`export --format awesome`)."
    )

    @property
    def citation(self) -> str:
        """'Title (Authors, Venue)' as a line of text."""
        details = ", ".join(part for part in (self.authors, self.venue) if part)
        return f"{self.title} ({details})" if details else self.title


class SurveyFile(BaseModel):
    model_config = _FROZEN
    survey: SurveyInfo


class OutlineFile(BaseModel):
    model_config = _FROZEN
    sections: tuple[Section, ...]


class Node(BaseModel):
    """A resolved node of an axis: its place in the tree, colour and stages filled in."""

    model_config = ConfigDict(frozen=True)
    id: NodeId
    name: str
    description: str
    section: str | None
    color: str
    axis: NodeId
    parent: NodeId | None
    children: tuple[NodeId, ...]
    depth: int
    stages: tuple[str, ...]
    stages_declared: bool
    badge: str | None
    short: str

    @property
    def is_leaf(self) -> bool:
        return not self.children and self.parent is not None

    @property
    def section_note(self) -> str:
        """' (Sec. 3.1.1)' after a node's name, or nothing for a taxonomy without sections."""
        return f" (Sec. {self.section})" if self.section else ""


class Taxonomy(BaseModel):
    """Everything records are checked against. Build it with `load_taxonomy`."""

    model_config = ConfigDict(frozen=True)
    axes: tuple[NodeId, ...]
    nodes: dict[NodeId, Node]
    stages: tuple[Term, ...]
    modalities: tuple[Term, ...]
    sections: tuple[Section, ...]
    venues: tuple[Venue, ...] = ()
    survey: SurveyInfo | None = None

    @functools.cached_property
    def venue_names(self) -> dict[str, Venue]:
        """The venues by their canonical name, looked up once per record."""
        return {venue.name: venue for venue in self.venues}

    @functools.cached_property
    def vocabularies(self) -> dict[str, frozenset[str]]:
        """The ids of the stages, modalities and sections, by the name of their list property."""
        return {name: frozenset(getattr(self, name)) for name in ("stage_ids", "modality_ids", "section_ids")}

    def leaves(self, axis: NodeId) -> list[Node]:
        return [node for node in self.nodes.values() if node.axis == axis and node.is_leaf]

    def groups(self, axis: NodeId) -> list[Node]:
        """The nodes directly above the leaves of an axis (capability groups, model roles' families)."""
        seen: dict[NodeId, Node] = {}
        for leaf in self.leaves(axis):
            if leaf.parent and leaf.parent != axis:
                seen.setdefault(leaf.parent, self.nodes[leaf.parent])
        return list(seen.values())

    def ancestors(self, node_id: NodeId) -> list[Node]:
        chain: list[Node] = []
        parent = self.nodes[node_id].parent
        while parent is not None:
            chain.append(self.nodes[parent])
            parent = self.nodes[parent].parent
        return chain

    def descendant_leaves(self, node_id: NodeId) -> list[NodeId]:
        node = self.nodes[node_id]
        if node.is_leaf:
            return [node.id]
        return [leaf for child in node.children for leaf in self.descendant_leaves(child)]

    def default_stages(self, tags: list[NodeId]) -> list[str]:
        """The stages the taxonomy assigns to these tags, in the stages' own order."""
        found = {stage for tag in tags if tag in self.nodes for stage in self.nodes[tag].stages}
        return [term.id for term in self.stages if term.id in found]

    @property
    def stage_ids(self) -> list[str]:
        return [term.id for term in self.stages]

    @property
    def modality_ids(self) -> list[str]:
        return [term.id for term in self.modalities]

    @property
    def section_ids(self) -> list[str]:
        return [section.id for section in self.sections]

    def section_by_id(self, section_id: str) -> Section:
        return next(section for section in self.sections if section.id == section_id)

    def node_for_section(self, section_id: str) -> Node | None:
        return next((node for node in self.nodes.values() if node.section == section_id), None)


def load_taxonomy(directory: Path, reserved: frozenset[str] = frozenset()) -> tuple[Taxonomy | None, list[Diagnostic]]:
    """Read every file of `taxonomy/`, check it as a whole, and resolve the node tree. `reserved`
    are the record's own field names, which an axis id (itself a record field) must not take."""
    diagnostics: list[Diagnostic] = []
    axis_files: list[tuple[LoadedFile, AxisFile]] = []
    vocabularies: dict[str, Any] = {}
    vocabulary_models: dict[str, type[BaseModel]] = {
        "stages.yaml": StagesFile,
        "modalities.yaml": ModalitiesFile,
        "outline.yaml": OutlineFile,
        "venues.yaml": VenuesFile,
        "survey.yaml": SurveyFile,
    }
    optional = {"venues.yaml", "outline.yaml", "survey.yaml"}
    if not directory.is_dir():
        message = (
            "the taxonomy directory does not exist: run surveykb inside a knowledge base (a folder holding"
            " taxonomy/ and papers/, or one below it), or pass --root with the path of one"
        )
        return None, [error(directory, 1, 1, "no-taxonomy", message)]
    for path in sorted(directory.glob("*.yaml")):
        loaded, problems = load_yaml_file(path, _shown(path))
        diagnostics += problems
        if loaded is None:
            continue
        model: type[BaseModel] = vocabulary_models.get(path.name, AxisFile)
        try:
            parsed = model.model_validate(loaded.data)
        except ValidationError as exc:
            diagnostics += diagnostics_from_validation_error(exc, loaded)
            continue
        if isinstance(parsed, AxisFile):
            axis_files.append((loaded, parsed))
        else:
            vocabularies[path.name] = parsed
            if not isinstance(parsed, SurveyFile):
                diagnostics += _check_unique_vocabulary(loaded, parsed)
    for name in vocabulary_models:
        if name not in vocabularies and name not in optional and not any(d.path.endswith(name) for d in diagnostics):
            diagnostics.append(error(_shown(directory / name), 1, 1, "missing-file", "this taxonomy file is required"))
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    return _resolve(axis_files, vocabularies, diagnostics, reserved)


def _shown(path: Path) -> str:
    return str(path.relative_to(Path.cwd())) if path.is_absolute() and path.is_relative_to(Path.cwd()) else str(path)


def _resolve(
    axis_files: list[tuple[LoadedFile, AxisFile]],
    vocabularies: dict[str, Any],
    diagnostics: list[Diagnostic],
    reserved: frozenset[str],
) -> tuple[Taxonomy | None, list[Diagnostic]]:
    stages: StagesFile = vocabularies["stages.yaml"]
    specs: list[tuple[LoadedFile, tuple[str | int, ...], NodeSpec]] = []
    for loaded, axis_file in axis_files:
        specs.append((loaded, ("axis",), axis_file.axis))
        specs += [(loaded, ("nodes", i), spec) for i, spec in enumerate(axis_file.nodes)]
    outline: OutlineFile | None = vocabularies.get("outline.yaml")
    diagnostics += _check_specs(
        specs, [t.id for t in stages.stages], [section.id for section in outline.sections] if outline else None
    )
    diagnostics += _check_axes(axis_files, reserved)
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    colors = {
        axis_file.axis.id: axis_file.axis.color or AXIS_COLORS[i % len(AXIS_COLORS)]
        for i, (_, axis_file) in enumerate(axis_files)
    }
    nodes = _resolve_nodes(
        [(spec, axis_file.axis.id) for _, axis_file in axis_files for spec in (axis_file.axis, *axis_file.nodes)],
        colors,
    )
    taxonomy = Taxonomy(
        axes=tuple(axis_file.axis.id for _, axis_file in axis_files),
        nodes=nodes,
        stages=stages.stages,
        modalities=vocabularies["modalities.yaml"].modalities,
        sections=outline.sections if outline else (),
        venues=vocabularies["venues.yaml"].venues if "venues.yaml" in vocabularies else (),
        survey=vocabularies["survey.yaml"].survey if "survey.yaml" in vocabularies else None,
    )
    return taxonomy, diagnostics


def _check_axes(axis_files: list[tuple[LoadedFile, AxisFile]], reserved: frozenset[str]) -> list[Diagnostic]:
    """One to four axes, none of whose ids is also the name of a record field."""
    problems: list[Diagnostic] = []
    if not axis_files:
        return [
            error(
                "taxonomy", 1, 1, "no-axes", "the taxonomy has no axis file; add one (a file with `axis:` and `nodes:`)"
            )
        ]
    for number, (loaded, axis_file) in enumerate(axis_files, start=1):
        where = loaded.position(("axis", "id"))
        if number > MAX_AXES:
            message = f"a taxonomy has at most {MAX_AXES} axes; this is axis {number}"
            problems.append(error(loaded.shown, where.line, where.col, "too-many-axes", message))
        if axis_file.axis.id in reserved:
            message = f"the axis id '{axis_file.axis.id}' is also the name of a record field; choose another id"
            problems.append(error(loaded.shown, where.line, where.col, "axis-field-collision", message))
    return problems


def _check_specs(
    specs: list[tuple[LoadedFile, tuple[str | int, ...], NodeSpec]], stage_ids: list[str], section_ids: list[str] | None
) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    ids = {spec.id for _, _, spec in specs}
    id_counts = Counter(spec.id for _, _, spec in specs)
    file_of = {spec.id: loaded.path for loaded, _, spec in specs}
    parent_of = {spec.id: spec.parent for _, _, spec in specs}
    section_counts = Counter(spec.section for _, _, spec in specs if spec.section is not None)
    for loaded, loc, spec in specs:

        def report(
            field: str, code: str, message: str, loaded: LoadedFile = loaded, loc: tuple[str | int, ...] = loc
        ) -> None:
            where = loaded.position(loc + (field,))
            problems.append(error(loaded.shown, where.line, where.col, code, message))

        is_axis = loc == ("axis",)
        if id_counts[spec.id] > 1:
            report("id", "duplicate-id", f"the id '{spec.id}' is used by more than one taxonomy node")
        if spec.section is not None and section_counts[spec.section] > 1:
            report("section", "duplicate-section", f"section {spec.section} is claimed by more than one taxonomy node")
        if is_axis and spec.parent is not None:
            report("parent", "bad-parent", "an axis has no parent")
        if not is_axis and spec.parent is None:
            report(
                "id",
                "bad-parent",
                f"the node '{spec.id}' has no parent; give it `parent:` with the id of its axis or group",
            )
        elif not is_axis and spec.parent not in ids:
            report("parent", "bad-parent", f"unknown parent '{spec.parent}'{did_you_mean(spec.parent, sorted(ids))}")
        elif not is_axis and spec.parent is not None and file_of[spec.parent] != loaded.path:
            report("parent", "bad-parent", f"the parent '{spec.parent}' belongs to another axis file")
        elif not is_axis and _in_cycle(spec.id, parent_of):
            report("parent", "bad-parent", f"the parents of '{spec.id}' form a cycle")
        if not is_axis and spec.section is not None and section_ids is not None and spec.section not in section_ids:
            report(
                "section",
                "unknown-section",
                f"section {spec.section} is not in outline.yaml{did_you_mean(spec.section, section_ids)}",
            )
        for stage in spec.stages or ():
            if stage not in stage_ids:
                report("stages", "unknown-stage", f"unknown stage '{stage}'{did_you_mean(stage, stage_ids)}")
    return problems


def _in_cycle(node_id: str, parent_of: dict[str, str | None]) -> bool:
    """Whether following parents from `node_id` leads back to it (nodes merely below a cycle are not in it)."""
    seen = {node_id}
    current = parent_of.get(node_id)
    while current is not None and current not in seen:
        seen.add(current)
        current = parent_of.get(current)
    return current == node_id


def _check_unique_vocabulary(loaded: LoadedFile, vocabulary: BaseModel) -> list[Diagnostic]:
    field = next(iter(type(vocabulary).model_fields))
    seen: set[str] = set()
    problems: list[Diagnostic] = []
    key = "name" if isinstance(vocabulary, VenuesFile) else "id"
    for index, entry in enumerate(getattr(vocabulary, field)):
        value = getattr(entry, key)
        if value in seen:
            where = loaded.position((field, index, key))
            problems.append(
                error(loaded.shown, where.line, where.col, f"duplicate-{key}", f"the {key} '{value}' is listed twice")
            )
        seen.add(value)
    return problems


def _resolve_nodes(specs: list[tuple[NodeSpec, NodeId]], axis_colors: dict[NodeId, str]) -> dict[NodeId, Node]:
    by_id = {spec.id: spec for spec, _ in specs}
    axis_of = {spec.id: axis for spec, axis in specs}
    children: dict[NodeId, list[NodeId]] = {spec.id: [] for spec, _ in specs}
    for spec, _ in specs:
        if spec.parent is not None:
            children[spec.parent].append(spec.id)

    def inherited(spec: NodeSpec, attribute: str) -> Any:
        current: NodeSpec | None = spec
        while current is not None:
            value = getattr(current, attribute)
            if value is not None:
                return value
            current = by_id.get(current.parent) if current.parent else None
        return None

    def depth(spec: NodeSpec) -> int:
        return 0 if spec.parent is None else 1 + depth(by_id[spec.parent])

    return {
        spec.id: Node(
            id=spec.id,
            name=spec.name,
            description=spec.description,
            section=spec.section,
            color=inherited(spec, "color") or axis_colors[axis_of[spec.id]],
            axis=axis_of[spec.id],
            parent=spec.parent,
            children=tuple(children[spec.id]),
            depth=depth(spec),
            stages=tuple(inherited(spec, "stages") or ()),
            stages_declared=spec.stages is not None,
            badge=spec.badge,
            short=spec.short or spec.name,
        )
        for spec, _ in specs
    }
