"""The taxonomy as data: the real taxonomy/ resolves as the survey describes it; broken ones are reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_KB, REPO_ROOT

from surveykb.core.model import record_fields
from surveykb.core.taxonomy import Taxonomy, load_taxonomy

DATA4MODEL_LEAVES = [
    "acquisition", "augmentation", "diversity",
    "condensation", "mixture", "packing", "cross-modal-alignment",
    "prompt-design", "icl-data", "human-behavior-alignment",
    "single-hop-reasoning", "multi-hop-reasoning",
    "toxicity", "privacy-ip",
    "eval-understanding", "eval-generation", "eval-retrieval", "eval-reasoning",
]  # fmt: skip
MODEL4DATA_LEAVES = ["creator", "mapper", "filter", "evaluator", "navigator", "extractor", "analyzer", "visualizer"]


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    loaded, diagnostics = load_taxonomy(REPO_ROOT / "taxonomy")
    assert diagnostics == []
    assert loaded is not None
    return loaded


def test_axes_and_leaves(taxonomy: Taxonomy) -> None:
    assert taxonomy.axes == ("data4model", "model4data")
    assert [leaf.id for leaf in taxonomy.leaves("data4model")] == DATA4MODEL_LEAVES
    assert [leaf.id for leaf in taxonomy.leaves("model4data")] == MODEL4DATA_LEAVES


def test_groups(taxonomy: Taxonomy) -> None:
    assert [group.id for group in taxonomy.groups("data4model")] == [
        "scaling-up", "scaling-effectiveness", "instruction-responsiveness", "reasoning", "ethics", "evaluation",
    ]  # fmt: skip
    assert [group.id for group in taxonomy.groups("model4data")] == ["synthesis", "insights"]


def test_tree_shape(taxonomy: Taxonomy) -> None:
    assert [node.id for node in taxonomy.ancestors("acquisition")] == ["scaling-up", "scaling", "data4model"]
    assert [
        taxonomy.nodes[name].depth for name in ("data4model", "scaling", "scaling-up", "acquisition", "creator")
    ] == [0, 1, 2, 3, 2]
    assert taxonomy.nodes["scaling"].children == ("scaling-up", "scaling-effectiveness")
    assert taxonomy.descendant_leaves("ethics") == ["toxicity", "privacy-ip"]
    assert taxonomy.descendant_leaves("insights") == ["navigator", "extractor", "analyzer", "visualizer"]
    assert taxonomy.descendant_leaves("mixture") == ["mixture"]
    assert not taxonomy.nodes["model4data"].is_leaf


@pytest.mark.parametrize(
    ("node", "color"),
    [
        pytest.param("data4model", "e6e0c3", id="axis-own"),
        pytest.param("scaling", "f1db9d", id="top-group-own"),
        pytest.param("acquisition", "f1db9d", id="leaf-inherits-two-levels-up"),
        pytest.param("toxicity", "d3f0aa", id="usability-leaf"),
        pytest.param("creator", "b4d4fb", id="synthesis-leaf"),
        pytest.param("analyzer", "f2c0c6", id="insights-leaf"),
    ],
)
def test_colours_are_inherited(taxonomy: Taxonomy, node: str, color: str) -> None:
    assert taxonomy.nodes[node].color == color


def test_stages(taxonomy: Taxonomy) -> None:
    assert taxonomy.stage_ids == ["pre-training", "fine-tuning", "alignment", "inference", "evaluation"]
    assert taxonomy.nodes["acquisition"].stages == ("pre-training", "fine-tuning")
    assert not taxonomy.nodes["acquisition"].stages_declared
    assert taxonomy.nodes["scaling-up"].stages_declared
    assert taxonomy.nodes["creator"].stages == ()
    assert taxonomy.default_stages(["toxicity"]) == ["pre-training", "alignment", "evaluation"]
    assert taxonomy.default_stages(["prompt-design", "toxicity"]) == taxonomy.stage_ids
    assert taxonomy.default_stages(["eval-reasoning", "creator", "not-a-tag"]) == ["evaluation"]


def test_modalities(taxonomy: Taxonomy) -> None:
    assert taxonomy.modality_ids == [
        "text",
        "image",
        "video",
        "audio",
        "3d",
        "chart",
        "document",
        "time-series",
        "depth",
        "thermal",
        "tactile",
        "motion",
        "brain-signal",
        "code",
    ]


def test_sections(taxonomy: Taxonomy) -> None:
    assert len(taxonomy.sections) == 47
    assert taxonomy.section_ids[:3] == ["3", "3.1", "3.1.1"]
    assert taxonomy.section_ids[-2:] == ["8.3.3", "table-2"]
    table = taxonomy.section_by_id("table-2")
    assert (table.display, table.parent_id, table.depth) == ("Tab. 2", None, 0)
    section = taxonomy.section_by_id("3.1.1")
    assert (section.display, section.parent_id, section.depth, section.title) == (
        "Sec. 3.1.1",
        "3.1",
        2,
        "Data Acquisition",
    )
    node = taxonomy.node_for_section("4.3.2")
    assert node is not None and node.id == "privacy-ip"
    assert taxonomy.node_for_section("8.1") is None


def test_every_leaf_has_a_badge_and_a_known_section(taxonomy: Taxonomy) -> None:
    leaves = taxonomy.leaves("data4model") + taxonomy.leaves("model4data")
    assert [leaf.id for leaf in leaves if not leaf.badge] == []
    assert [leaf.id for leaf in leaves if leaf.section not in taxonomy.section_ids] == []
    assert taxonomy.nodes["acquisition"].badge == "Data4Model--Scaling--Up--Acquisition"
    assert taxonomy.nodes["privacy-ip"].badge == "Data4Model--Usability--Ethic--Privacy&IP"
    assert taxonomy.nodes["visualizer"].badge == "Model4Data--Insights--Visualizer"


MAPPER_PARENT = "  - id: mapper\n    parent: synthesis\n"

BROKEN = [
    pytest.param(
        {"model4data.yaml": ("id: mapper", "id: creator")},
        [
            "model4data.yaml:19:9: error duplicate-id: the id 'creator' is used by more than one taxonomy node",
            "model4data.yaml:26:9: error duplicate-id: the id 'creator' is used by more than one taxonomy node",
        ],
        id="duplicate-node-id",
    ),
    pytest.param(
        {"model4data.yaml": ("id: mapper", "id: mixture")},
        [
            "data4model.yaml:62:9: error duplicate-id: the id 'mixture' is used by more than one taxonomy node",
            "model4data.yaml:26:9: error duplicate-id: the id 'mixture' is used by more than one taxonomy node",
        ],
        id="duplicate-node-id-across-axes",
    ),
    pytest.param(
        {"model4data.yaml": (MAPPER_PARENT, MAPPER_PARENT.replace("synthesis", "synthesys"))},
        ["model4data.yaml:27:13: error bad-parent: unknown parent 'synthesys'; did you mean 'synthesis'?"],
        id="unknown-parent",
    ),
    pytest.param(
        {"model4data.yaml": (MAPPER_PARENT, MAPPER_PARENT.replace("synthesis", "scaling"))},
        ["model4data.yaml:27:13: error bad-parent: the parent 'scaling' belongs to another axis file"],
        id="parent-in-other-axis",
    ),
    pytest.param(
        {"model4data.yaml": ("  - id: synthesis\n    parent: model4data\n", "  - id: synthesis\n    parent: filter\n")},
        [
            "model4data.yaml:13:13: error bad-parent: the parents of 'synthesis' form a cycle",
            "model4data.yaml:34:13: error bad-parent: the parents of 'filter' form a cycle",
        ],
        id="parent-cycle",
    ),
    pytest.param(
        {
            "model4data.yaml": (
                "  - id: navigator\n    parent: insights\n",
                "  - id: navigator\n    parent: navigator\n",
            )
        },
        ["model4data.yaml:55:13: error bad-parent: the parents of 'navigator' form a cycle"],
        id="own-parent",
    ),
    pytest.param(
        {"model4data.yaml": ("  id: model4data\n", "  id: model4data\n  parent: data4model\n")},
        ["model4data.yaml:5:11: error bad-parent: an axis has no parent"],
        id="axis-with-parent",
    ),
    pytest.param(
        {"model4data.yaml": ('section: "5.2"', 'section: "5.1"')},
        [
            "model4data.yaml:22:14: error duplicate-section: section 5.1 is claimed by more than one taxonomy node",
            "model4data.yaml:29:14: error duplicate-section: section 5.1 is claimed by more than one taxonomy node",
        ],
        id="duplicate-section",
    ),
    pytest.param(
        {"model4data.yaml": ('section: "5.2"', 'section: "5.9"')},
        ["model4data.yaml:29:14: error unknown-section: section 5.9 is not in outline.yaml; did you mean '5.4'?"],
        id="section-not-in-outline",
    ),
    pytest.param(
        {"data4model.yaml": ('"3.1"\n    stages: [pre-training,', '"3.1"\n    stages: [pretraining,')},
        ["data4model.yaml:24:13: error unknown-stage: unknown stage 'pretraining'; did you mean 'pre-training'?"],
        id="unknown-stage",
    ),
    pytest.param(
        {"stages.yaml": ("id: alignment", "id: fine-tuning")},
        ["stages.yaml:10:9: error duplicate-id: the id 'fine-tuning' is listed twice"],
        id="duplicate-stage",
    ),
    pytest.param(
        {"outline.yaml": ('{id: "3.1.2"', '{id: "3.1.1"')},
        ["outline.yaml:7:10: error duplicate-id: the id '3.1.1' is listed twice"],
        id="duplicate-outline-section",
    ),
    pytest.param(
        {"outline.yaml": ('{id: "3.1.2"', '{id: "3.1.2."')},
        [
            "outline.yaml:7:10: error bad-value: 'sections[3].id': string should match pattern '^(\\d+(\\.\\d+)*|[a-z]+-\\d+)$'"
        ],
        id="malformed-section-number",
    ),
    pytest.param(
        {"model4data.yaml": ("color: d9cfe8", "color: '#d9cfe8'")},
        ["model4data.yaml:7:10: error bad-value: 'axis.color': string should match pattern '^[0-9a-f]{6}$'"],
        id="colour-with-hash",
    ),
    pytest.param(
        {"model4data.yaml": ("    badge: Model4Data--Synthesis--Mapper", "    bagde: Model4Data--Synthesis--Mapper")},
        ["model4data.yaml:30:5: error unknown-field: unknown field 'bagde'"],
        id="unknown-field",
    ),
    pytest.param(
        {"modalities.yaml": ("    name: Video\n", "")},
        ["modalities.yaml:9:5: error missing-field: the required field 'modalities[2].name' is missing"],
        id="missing-name",
    ),
    pytest.param(
        {"stages.yaml": ("stages:\n", "stages: [\n")},
        [
            "stages.yaml:4:3: error yaml-syntax: a value is missing where YAML expects one, often after `[`, `,` or `- ` (YAML says: did not find expected node content (while parsing a flow node))"
        ],
        id="yaml-syntax",
    ),
    pytest.param(
        {"stages.yaml": None},
        ["stages.yaml:1:1: error missing-file: this taxonomy file is required"],
        id="missing-stages",
    ),
    pytest.param(
        {"modalities.yaml": None, "outline.yaml": None},
        ["modalities.yaml:1:1: error missing-file: this taxonomy file is required"],
        id="missing-modalities-and-outline",
    ),
]


AXIS_NAMED_YEAR = """\
axis:
  id: year
  name: Years
  description: An axis whose id is also a record field.
nodes:
  - id: early
    parent: year
    name: Early
    description: Early work.
"""


def test_an_axis_id_that_is_a_record_field_is_refused_at_its_line(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE_KB / "taxonomy", tmp_path / "taxonomy")
    (tmp_path / "taxonomy" / "years.yaml").write_text(AXIS_NAMED_YEAR)
    taxonomy, diagnostics = load_taxonomy(tmp_path / "taxonomy", frozenset(record_fields(())))
    assert taxonomy is None
    assert [(d.path.rsplit("/", 1)[-1], d.line, d.col, d.code, d.message) for d in diagnostics] == [
        (
            "years.yaml",
            2,
            7,
            "axis-field-collision",
            "the axis id 'year' is also the name of a record field; choose another id",
        )
    ]


def test_a_taxonomy_without_outline_colours_or_sections_loads(tmp_path: Path) -> None:
    """Another survey may have no outline, no colours and no section numbers."""
    shutil.copytree(FIXTURE_KB / "taxonomy", tmp_path / "taxonomy")
    (tmp_path / "taxonomy" / "outline.yaml").unlink()
    for name in ("data4model.yaml", "model4data.yaml"):
        path = tmp_path / "taxonomy" / name
        lines = [line for line in path.read_text().splitlines() if not line.strip().startswith(("section:", "color:"))]
        path.write_text("\n".join(lines) + "\n")
    taxonomy, diagnostics = load_taxonomy(tmp_path / "taxonomy")
    assert [d.as_text() for d in diagnostics] == []
    assert taxonomy is not None and taxonomy.sections == ()
    assert [taxonomy.nodes[axis].color for axis in taxonomy.axes] == ["0072b2", "d55e00"]
    assert taxonomy.nodes["acquisition"].section is None and taxonomy.nodes["acquisition"].section_note == ""


def test_at_most_four_axes(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE_KB / "taxonomy", tmp_path / "taxonomy")
    source = (tmp_path / "taxonomy" / "model4data.yaml").read_text()
    for number in range(3, 6):
        text = source.replace("model4data", f"axis{number}")
        for node_id in ("creator", "mapper", "filter", "evaluator", "extractor", "visualizer", "engine", "roles"):
            text = text.replace(f"id: {node_id}\n", f"id: {node_id}{number}\n").replace(
                f"parent: {node_id}\n", f"parent: {node_id}{number}\n"
            )
        (tmp_path / "taxonomy" / f"axis{number}.yaml").write_text(text)
    _, diagnostics = load_taxonomy(tmp_path / "taxonomy")
    assert [(d.path.rsplit("/", 1)[-1], d.code) for d in diagnostics if d.code == "too-many-axes"] == [
        ("model4data.yaml", "too-many-axes")
    ]


@pytest.mark.parametrize(("edits", "expected"), BROKEN)
def test_broken_taxonomy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edits: dict[str, tuple[str, str] | None], expected: list[str]
) -> None:
    shutil.copytree(FIXTURE_KB / "taxonomy", tmp_path / "taxonomy")
    for name, change in edits.items():
        path = tmp_path / "taxonomy" / name
        if change is None:
            path.unlink()
            continue
        old, new = change
        text = path.read_text()
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new))
    monkeypatch.chdir(tmp_path)
    loaded, diagnostics = load_taxonomy(Path("taxonomy"), frozenset(record_fields(())))
    assert loaded is None
    assert [d.as_text() for d in sorted(diagnostics)] == [f"taxonomy/{line}" for line in expected]


def test_missing_taxonomy_directory(tmp_path: Path) -> None:
    loaded, diagnostics = load_taxonomy(tmp_path / "taxonomy")
    assert loaded is None
    assert [(d.line, d.col, d.code, d.message) for d in diagnostics] == [
        (
            1,
            1,
            "no-taxonomy",
            "the taxonomy directory does not exist: run surveykb inside a knowledge base (a folder holding taxonomy/ and papers/, or one below it), or pass --root with the path of one",
        )
    ]
