"""The site serves any survey: a fixture knowledge base of another survey (three axes with other
ids, other stages and modalities, no outline, no colours, no badges) validates, builds every page
type strictly with every internal link resolving, and exports; and no taxonomy id of this
repository's own survey is written into the code, the templates or the explorer's script."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sitecheck import REPO, broken_links, papers_behind, parse_page

from surveykb.cli import main
from surveykb.commands.build import build_site
from surveykb.core.index import CrossTable, Dimension, Index, axis_level, build_index
from surveykb.core.knowledge_base import load_knowledge_base

THREE_AXES = Path(__file__).parent / "data" / "three_axes"
AXES = ("embodiment", "paradigm", "skill")  # axis files in name order


@pytest.fixture(scope="module")
def kb_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("three") / "kb"
    shutil.copytree(THREE_AXES, root)
    return root


@pytest.fixture(scope="module")
def index(kb_root: Path) -> Index:
    kb, diagnostics = load_knowledge_base(kb_root)
    assert kb is not None and diagnostics == []
    return build_index(kb)


@pytest.fixture(scope="module")
def site(kb_root: Path) -> Path:
    build_site(kb_root / "mkdocs.yml", kb_root / "site", strict=True)
    return kb_root / "site"


def test_the_fixture_validates_without_a_diagnostic(kb_root: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--strict", "--root", str(kb_root)])
    assert result.exit_code == 0, result.output
    assert "4 valid records; 0 errors, 0 warnings" in result.output


def test_tables_cross_every_pair_of_axes_and_each_axis_with_year_modality_and_stage(index: Index) -> None:
    assert [table.slug for table in index.tables] == [
        "paradigm-embodiment",
        "embodiment-skill",
        "paradigm-skill",  # the axis with more leaves down the side
        "year-embodiment",
        "year-paradigm",
        "year-skill",
        "modality-embodiment",
        "modality-paradigm",
        "modality-skill",
        "stage-embodiment",
        "stage-paradigm",
        "stage-skill",
    ]
    assert index.table("paradigm-embodiment").title == "Learning Paradigm × Embodiment"
    assert index.table("paradigm-embodiment").cells == {
        ("behaviour-cloning", "arm"): ["ng2019teleop"],
        ("world-models", "legged"): ["ito2021dream"],
        ("model-free", "drone"): ["sousa2022flight"],
    }
    assert index.table("stage-paradigm").cells[("real-world", "behaviour-cloning")] == ["ng2019teleop"]


def test_an_axis_is_summarised_by_the_deepest_level_with_few_nodes(index: Index) -> None:
    assert [node.id for node in axis_level(index.taxonomy, "paradigm")] == [
        "behaviour-cloning",
        "inverse-rl",
        "model-free",
        "world-models",
    ]
    assert [node.id for node in axis_level(index.taxonomy, "paradigm", most=3)] == ["imitation", "reinforcement"]


def test_a_hole_needs_a_thin_cell_between_a_well_populated_row_and_column() -> None:
    papers = {f"p{i}" for i in range(12)}
    rows = Dimension("a", "A", [("r1", "R1"), ("r2", "R2"), ("r3", "R3")], lambda p: [], True, "a")
    cols = Dimension("b", "B", [("c1", "C1"), ("c2", "C2")], lambda p: [], True, "b")
    ids = sorted(papers)
    cells = {("r1", "c1"): ids[0:6], ("r2", "c2"): ids[6:11], ("r2", "c1"): ids[11:12], ("r3", "c2"): ids[0:1]}
    table = CrossTable("a-b", "A × B", "", rows, cols, cells)
    gaps = table.gaps(3)
    # r1 × c2 is empty between a row of 6 and a column of 6 (3 expected): the most surprising hole.
    # r2 × c1 holds 1 where 3.5 are expected; r3 (one paper) is too thin to have holes.
    assert [(gap.row, gap.col, gap.count, gap.expected) for gap in gaps] == [("r1", "c2", 0, 3.0), ("r2", "c1", 1, 3.5)]
    assert gaps[0].surprise == pytest.approx(0.0498, abs=1e-4)


def test_every_page_type_is_built_and_every_link_resolves(site: Path) -> None:
    for page in [
        "",
        "explore",
        "taxonomy/paradigm",
        "taxonomy/behaviour-cloning",
        "papers/ng2019teleop",
        "tables",
        "tables/paradigm-embodiment",
        "tables/paradigm-embodiment/behaviour-cloning--arm",
        "tables/year-skill",
        "gaps",
        "charts",
        "contribute",
        "about",
    ]:
        assert (site / page / "index.html").is_file(), page
    assert not (site / "outline").exists()
    assert broken_links(site) == []


def test_the_pages_speak_of_this_survey_only(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="robot-learning-test-survey">Robot Learning Test Survey' in home
    assert "A made-up survey of <strong>robot learning</strong>." in home
    assert home.count('<figure class="kb-tree">') == 3
    assert "survey sections citing them" not in home and "Survey outline" not in home
    charts = (site / "charts" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<h2 id="papers-per-year-year-', charts)) == 3
    assert len(re.findall(r'<h2 id="heat-map-', charts)) == 3
    contribute = (site / "contribute" / "index.html").read_text(encoding="utf-8")
    assert "surveykb new --bibtex paper.bib --tag arm --tag behaviour-cloning\n" in contribute
    assert "<code>embodiment</code>, <code>paradigm</code> or <code>skill</code>" in contribute
    for html_file in site.rglob("*.html"):
        assert not re.search(
            r"data4model|model4data|co-development", html_file.read_text(encoding="utf-8"), re.IGNORECASE
        ), html_file


def test_a_cell_page_lists_exactly_its_papers(site: Path) -> None:
    assert papers_behind(site, site / "tables" / "paradigm-embodiment" / "behaviour-cloning--arm" / "index.html") == [
        "ng2019teleop"
    ]


def test_the_explorer_data_carries_the_three_axes(site: Path) -> None:
    data = json.loads((site / "exports" / "papers.json").read_text(encoding="utf-8"))
    assert data["taxonomy"]["axes"] == list(AXES)
    paper = next(p for p in data["papers"] if p["id"] == "ito2021dream")
    assert (paper["paradigm"], paper["embodiment"], paper["skill"]) == (["world-models"], ["legged"], ["locomotion"])


@pytest.mark.parametrize("fmt", ["bibtex", "json", "csv", "awesome"])
def test_every_export_works(kb_root: Path, fmt: str) -> None:
    result = CliRunner().invoke(main, ["export", "--format", fmt, "--root", str(kb_root)])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        header = next(csv.reader(io.StringIO(result.output)))
        assert [column for column in header if column in AXES] == list(AXES)
    if fmt == "bibtex":
        assert result.output.count("@") == 4


def test_the_gap_threshold_option_is_used_on_every_page_that_names_it(site: Path) -> None:
    gaps = (site / "gaps" / "index.html").read_text(encoding="utf-8")
    assert "fewer than 2 papers" in gaps
    assert "fewer than 2 papers" in (site / "tables" / "index.html").read_text(encoding="utf-8").replace(
        "fewer than 2 papers whose", "fewer than 2 papers"
    )
    assert "fewer than 2 papers" in (site / "index.html").read_text(encoding="utf-8")
    assert "fewer than 3" not in gaps


# No id of this repository's survey in the code ---------------------------------------------------


def own_taxonomy_ids() -> set[str]:
    ids: set[str] = set()
    for path in (REPO / "taxonomy").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "axis" in data:
            ids |= {data["axis"]["id"], *(node["id"] for node in data["nodes"])}
    return ids


def id_pattern(node_id: str) -> re.Pattern[str]:
    """An id written as a whole token. An id that is a plain English word ("filter") is looked for
    only where it would be an id: quoted, or after --tag, tag= or tag: ."""
    escaped = re.escape(node_id)
    if re.fullmatch(r"[a-z]+", node_id):
        return re.compile(rf"[\"'`]{escaped}[\"'`]|--tag[ =]{escaped}\b|\btags?\s*[=:]\s*{escaped}\b", re.IGNORECASE)
    return re.compile(rf"(?<![\w-]){escaped}(?![\w-])", re.IGNORECASE)


def test_the_own_survey_ids_are_known() -> None:
    assert {"data4model", "model4data", "acquisition", "creator", "eval-understanding"} <= own_taxonomy_ids()


def test_no_id_of_this_survey_is_written_into_the_code_templates_or_script() -> None:
    patterns = {node_id: id_pattern(node_id) for node_id in own_taxonomy_ids()}
    found = []
    for folder in ("src", "templates", "docs/javascripts"):
        for path in sorted((REPO / folder).rglob("*")):
            if not path.is_file() or ".egg-info" in path.as_posix() or path.suffix in (".pyc",):
                continue
            text = path.read_text(encoding="utf-8")
            for node_id, pattern in patterns.items():
                for match in pattern.finditer(text):
                    found.append(f"{path.relative_to(REPO)}:{text.count(chr(10), 0, match.start()) + 1}: {node_id}")
    assert found == []


@pytest.mark.parametrize(
    ("node_id", "text", "hit"),
    [
        pytest.param("data4model", "axes = ('data4model',)", True, id="hyphen-free-token"),
        pytest.param("eval-understanding", "x eval-understanding y", True, id="hyphenated"),
        pytest.param("eval-understanding", "x eval-understanding-2 y", False, id="part-of-a-longer-id"),
        pytest.param("filter", "papers.filter(keep)", False, id="word-in-code"),
        pytest.param("filter", 'tags = ["filter"]', True, id="quoted"),
        pytest.param("creator", "surveykb new --tag creator", True, id="cli-example"),
    ],
)
def test_id_pattern(node_id: str, text: str, hit: bool) -> None:
    assert bool(id_pattern(node_id).search(text)) is hit


def test_pages_read_by_the_link_checker_exist(site: Path) -> None:
    assert parse_page(site / "index.html").links


# One axis and four axes -----------------------------------------------------------------------------

FOURTH_AXIS = """\
axis:
  id: setting
  name: Setting
  description: Where the experiments run.
nodes:
  - id: lab
    parent: setting
    name: Laboratory
    description: A controlled laboratory.
  - id: field-trial
    parent: setting
    name: Field Trial
    description: Outside, among people.
"""


def one_axis(root: Path) -> None:
    for name in ("embodiment.yaml", "skill.yaml"):
        (root / "taxonomy" / name).unlink()
    for path in (root / "papers").glob("*.yaml"):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(
            yaml.safe_dump({k: v for k, v in record.items() if k not in ("embodiment", "skill")}, sort_keys=False),
            encoding="utf-8",
        )


def four_axes(root: Path) -> None:
    (root / "taxonomy" / "setting.yaml").write_text(FOURTH_AXIS, encoding="utf-8")
    path = root / "papers" / "ng2019teleop.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "setting:\n  - lab\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "tables", "heat_maps"),
    [pytest.param(one_axis, 3, 0, id="one-axis"), pytest.param(four_axes, 18, 6, id="four-axes")],
)
def test_one_to_four_axes_build_strictly_with_every_link_resolving(
    tmp_path: Path, change: object, tables: int, heat_maps: int
) -> None:
    root = tmp_path / "kb"
    shutil.copytree(THREE_AXES, root)
    change(root)  # type: ignore[operator]
    build_site(root / "mkdocs.yml", root / "site", strict=True)
    assert broken_links(root / "site") == []
    assert len([p for p in (root / "site" / "tables").iterdir() if p.is_dir()]) == tables
    charts = (root / "site" / "charts" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<h2 id="heat-map-', charts)) == heat_maps


def test_a_gap_threshold_below_one_is_refused(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    root = tmp_path / "kb"
    shutil.copytree(THREE_AXES, root)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("gap_threshold: 2", "gap_threshold: 0"), encoding="utf-8"
    )
    with pytest.raises(Abort):
        build_site(config, root / "site", strict=True)
    assert "surveykb: gap_threshold must be at least 1" in caplog.text
    assert not (root / "site").exists()
