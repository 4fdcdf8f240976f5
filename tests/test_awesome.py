"""Importing the survey's paper list: plain rows, the records built from them, and what is written."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from surveykb.cli import main
from surveykb.commands.import_awesome import import_awesome
from surveykb.core.ids import normalize_title
from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.core.taxonomy import Taxonomy, load_taxonomy
from surveykb.formats.awesome_read import (
    AwesomeList,
    BackReference,
    Badge,
    ListItem,
    Metadata,
    NewsEntry,
    TableRow,
    build_drafts,
    introduced_dates,
    is_landing_page,
    parse_list,
    read_metadata,
    section_for_label,
    undouble_title,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(__file__).resolve().parent / "data"
SURVEY_LIST = Path(__file__).resolve().parents[2] / "shared" / "data" / "awesome_llm_data.md"
TODAY = datetime.date(2025, 7, 1)
SHIELD = "https://img.shields.io/badge"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    loaded, diagnostics = load_taxonomy(REPO_ROOT / "taxonomy")
    assert loaded is not None, diagnostics
    return loaded


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding the taxonomy, an empty papers/ and the fixture list and table."""
    shutil.copytree(REPO_ROOT / "taxonomy", tmp_path / "taxonomy")
    (tmp_path / "papers").mkdir()
    for name in ("awesome_small.md", "awesome_small.tsv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_import(root: Path, taxonomy: Taxonomy, metadata: bool = True) -> tuple[list[str], list[str], list[str]]:
    """Written paths, skipped lines and diagnostic lines (sorted) of importing the fixture list."""
    report = import_awesome(
        Path("awesome_small.md"), Path("awesome_small.tsv") if metadata else None, root, taxonomy, TODAY
    )
    return report.written, report.skipped, [d.as_text() for d in sorted(report.diagnostics)]


def badge(label: str, color: str, col: int) -> Badge:
    return Badge(label, color, col)


# --- parse_list: the list as written ----------------------------------------------------------


def fixture_list() -> AwesomeList:
    awesome, diagnostics = parse_list((DATA_DIR / "awesome_small.md").read_text(encoding="utf-8"), "awesome_small.md")
    assert diagnostics == []
    return awesome


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            18,
            TableRow(
                18,
                "Visual Instruction Tuning",
                (
                    badge("Data4Model--Scaling--Up--Acquisition", "f1db9d", 28),
                    badge("Model4Data--Synthesis--Creator", "b4d4fb", 106),
                ),
            ),
            id="badges-with-a-space",
        ),
        pytest.param(
            19,
            TableRow(
                19,
                "ChartLlama: A Multimodal LLM for Chart Understanding and Generation",
                (
                    badge("Model4Data--Synthesis--Creator", "b4d4fb", 70),
                    badge("Model4Data--Insights--Visualizer", "f2c0c6", 141),
                ),
            ),
            id="badges-without-space",
        ),
        pytest.param(
            20,
            TableRow(
                20,
                "Demystifying CLIP Data",
                (badge("Data4Model--Scaling--Effectiveness--Mixture", "f1db9d", 25),),
                ("3.2.2",),
            ),
            id="stray-third-cell",
        ),
        pytest.param(
            21,
            TableRow(
                21,
                "Probing Heterogeneous Pretraining Datasets with Small Curated Datasets",
                (badge("Data4Model--Scaling--Effectiveness--Condensation", "f1db9d", 73),),
                ("",),
            ),
            id="empty-third-cell",
        ),
        pytest.param(
            22,
            TableRow(
                22,
                "FunQA: Towards Surprising Video ComprehensionFunQA: Towards Surprising Video Comprehension",
                (badge("Data4Model--Usability--Eval--Reasoning", "d3f0aa", 93),),
            ),
            id="title-typed-twice-kept-as-written",
        ),
        pytest.param(
            27,
            TableRow(
                27,
                "MM-SafetyBench: A Benchmark for Safety Evaluation of Multimodal Large Language Models",
                (
                    badge("Data4Model--Usability--Eval--Generation", "d3f0aa", 88),
                    badge("Data4Model--Usability--Ethic--Toxicity", "d3f0aa", 169),
                ),
                (" Sec. 4.3.1,  Sec. 4.4.2",),
            ),
            id="section-cell-kept-as-written",
        ),
    ],
)
def test_parse_list_keeps_each_row_as_written(line: int, expected: TableRow) -> None:
    rows = {row.line: row for row in fixture_list().rows}
    assert rows[line] == expected


def test_parse_list_reads_only_the_paper_table() -> None:
    assert [row.line for row in fixture_list().rows] == list(range(18, 30))


def test_parse_list_reads_back_references_into_their_innermost_block() -> None:
    acquisition = "Scaling Laws of Synthetic Images for Model Training ... for Now"
    assert fixture_list().references == (
        BackReference(
            34, "Sec. 3.1 For Scaling of MLLMs: Larger Datasets", (ListItem(36, "Visual Instruction Tuning"),)
        ),
        BackReference(
            39,
            "Sec. 3.1.1 Data Acquisition",
            (
                ListItem(43, "Visual Instruction Tuning"),
                ListItem(44, "Sieve: Multimodal Dataset Pruning Using Image Captioning Models"),
                ListItem(45, acquisition),
            ),
        ),
        BackReference(
            49,
            "Sec. 3.1.2 Data Augmentation",
            (
                ListItem(
                    50, "mPLUG-Owl2 - revolutionizing multi-modal large language model with modality collaboration"
                ),
            ),
        ),
        BackReference(
            56,
            "Sec. 4.4.4 Benchmarks for Multi-Modal Reasoning",
            (
                ListItem(
                    58, "FunQA: Towards Surprising Video ComprehensionFunQA: Towards Surprising Video Comprehension"
                ),
            ),
        ),
        BackReference(62, "Sec. 9.9 Future Work", (ListItem(64, "Imagebind: One embedding space to bind them all"),)),
        BackReference(
            68,
            "Tab. 2",
            (
                ListItem(69, "Imagebind: One embedding space to bind them all"),
                ListItem(70, "MM-SafetyBench: A Benchmark for Safety Evaluation of Multimodal Large Language Models"),
            ),
        ),
    )


def test_parse_list_reads_dated_news_entries() -> None:
    assert fixture_list().news == (
        NewsEntry(5, "2025-06-04", "Our survey has been accepted by TPAMI."),
        NewsEntry(6, "2025-05-25", "We added 2 academic papers related to this survey."),
        NewsEntry(7, "2024-10-22", "We restructured our [paper list](#paper-list)."),
    )


TABLE = "| Title | Tags |\n|---|---|\n"
ACQUISITION = f"![]({SHIELD}/Data4Model--Scaling--Up--Acquisition-f1db9d)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "# A list\n\nNo table here.\n",
            ["list.md:1:1: error no-table: no paper table with a 'Title' header column"],
            id="no-table",
        ),
        pytest.param(
            TABLE + "|Only a title|\n",
            ["list.md:3:1: error bad-row: a paper row needs a title cell and a tags cell"],
            id="one-cell",
        ),
        pytest.param(
            TABLE + f"| |{ACQUISITION}|\n",
            ["list.md:3:1: error bad-row: a paper row needs a title cell and a tags cell"],
            id="empty-title",
        ),
        pytest.param(
            TABLE + f"|A paper|{ACQUISITION} and more|\n",
            ["list.md:3:10: error stray-text: text outside the badge images of the tags cell: 'and more'"],
            id="text-beside-badges",
        ),
        pytest.param(
            TABLE + f"|A paper|{ACQUISITION}|\n\n</details>\n",
            ["list.md:5:1: warning unbalanced-details: </details> without an open <details>"],
            id="close-without-open",
        ),
        pytest.param(
            TABLE + f"|A paper|{ACQUISITION}|\n\n<details>\n<summary>Tab. 2</summary>\n- A paper\n",
            ["list.md:6:1: warning unbalanced-details: this <details> block is never closed"],
            id="never-closed",
        ),
    ],
)
def test_parse_list_reports_malformed_input(text: str, expected: list[str]) -> None:
    _, diagnostics = parse_list(text, "list.md")
    assert [d.as_text() for d in diagnostics] == expected


def test_parse_list_reads_escaped_pipes_inside_a_title() -> None:
    awesome, diagnostics = parse_list(TABLE + f"|Either \\| or|{ACQUISITION}|\n", "list.md")
    assert diagnostics == []
    assert [row.title for row in awesome.rows] == ["Either | or"]


# --- small rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param(
            "FunQA: Towards SurprisingFunQA: Towards Surprising", "FunQA: Towards Surprising", id="typed-twice"
        ),
        pytest.param(
            "Data Filtering Networks Data Filtering Networks", "Data Filtering Networks", id="typed-twice-with-space"
        ),
        pytest.param("Bye Bye", "Bye Bye", id="short-repetition-kept"),
        pytest.param("Visual Instruction Tuning", "Visual Instruction Tuning", id="ordinary"),
    ],
)
def test_undouble_title(title: str, expected: str) -> None:
    assert undouble_title(title) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://arxiv.org/abs/2304.08485", True, id="arxiv-abs"),
        pytest.param("http://arxiv.org/abs/2208.05516v3", True, id="arxiv-abs-versioned"),
        pytest.param("https://arxiv.org/html/2311.01487v2", False, id="arxiv-html"),
        pytest.param("https://web3.arxiv.org/abs/2312.17296v1", False, id="arxiv-mirror"),
        pytest.param(
            "https://openaccess.thecvf.com/content/CVPR2024/html/Ma_MoDE_CVPR_2024_paper.html", True, id="cvf"
        ),
        pytest.param(
            "https://openaccess.thecvf.com/content/CVPR2024/papers/Ma_MoDE_CVPR_2024_paper.pdf", False, id="cvf-pdf"
        ),
        pytest.param(
            "https://proceedings.neurips.cc/paper_files/paper/2023/hash/56-Abstract-Datasets_and_Benchmarks.html",
            True,
            id="neurips",
        ),
        pytest.param("https://openreview.net/forum?id=NaurrBmocD", True, id="openreview"),
        pytest.param("https://aclanthology.org/2024.acl-long.360", True, id="acl-anthology"),
        pytest.param("https://icml.cc/virtual/2024/oral/35529", False, id="conference-schedule"),
        pytest.param("https://www.sciencestack.ai/paper/2404.04125", False, id="reader-site"),
        pytest.param("ftp://arxiv.org/abs/2304.08485", False, id="not-http"),
    ],
)
def test_is_landing_page(url: str, expected: bool) -> None:
    assert is_landing_page(url) is expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        pytest.param("Sec. 3.1 For Scaling of MLLMs", "3.1", id="section"),
        pytest.param("Sec. 3.1.1  Data Acquisition", "3.1.1", id="subsection-not-its-parent"),
        pytest.param("Sec. 8.3.3", "8.3.3", id="label-alone"),
        pytest.param("Tab. 2", "table-2", id="table-label"),
        pytest.param("4.4.2", "4.4.2", id="bare-id"),
        pytest.param("Sec. 9.9 Future Work", None, id="unknown"),
        pytest.param("Sec. 3.1.1x", None, id="no-word-boundary"),
    ],
)
def test_section_for_label(taxonomy: Taxonomy, label: str, expected: str | None) -> None:
    section = section_for_label(label, taxonomy.sections)
    assert (section.id if section else None) == expected


@pytest.mark.parametrize(
    ("news", "rows", "expected", "problems"),
    [
        pytest.param(
            (NewsEntry(3, "2025-05-25", "We added 2 papers."), NewsEntry(4, "2024-10-22", "We restructured the list.")),
            5,
            {3: "2025-05-25", 4: "2025-05-25"},
            [],
            id="last-rows",
        ),
        pytest.param(
            (NewsEntry(3, "2025-05-25", "We added 1 paper."), NewsEntry(4, "2024-12-01", "We added 2 papers.")),
            5,
            {4: "2025-05-25", 2: "2024-12-01", 3: "2024-12-01"},
            [],
            id="newest-entry-takes-the-last-rows",
        ),
        pytest.param((NewsEntry(3, "2024-10-23", "We built a dynamic table."),), 5, {}, [], id="nothing-added"),
        pytest.param(
            (NewsEntry(3, "2025-05-25", "We added 20 papers."),),
            5,
            {},
            [
                "list.md:3:1: warning news-count: the news entries add more papers than the table holds, so no 'added' date is set"
            ],
            id="more-than-the-table",
        ),
    ],
)
def test_introduced_dates(
    news: tuple[NewsEntry, ...], rows: int, expected: dict[int, str], problems: list[str]
) -> None:
    dates, diagnostics = introduced_dates(news, rows, "list.md")
    assert (dates, [d.as_text() for d in diagnostics]) == (expected, problems)


def test_read_metadata_keeps_trusted_facts_only() -> None:
    metadata, _ = read_metadata((DATA_DIR / "awesome_small.tsv").read_text(encoding="utf-8"), "awesome_small.tsv")
    assert metadata[normalize_title("ChartLlama: A Multimodal LLM for Chart Understanding and Generation")] == Metadata(
        3, "2311.16483", 2023, ("Yucheng Han", "Chi Zhang"), None, None
    )
    assert normalize_title("Demystifying CLIP Data") not in metadata


def test_read_metadata_refuses_other_columns() -> None:
    _, diagnostics = read_metadata("title\tyear\nA paper\t2024\n", "meta.tsv")
    assert [d.as_text() for d in diagnostics] == [
        "meta.tsv:1:1: error bad-header: the metadata columns must be: title, arxiv_id, year, authors, venue, url, confidence"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            TABLE + "|A paper||\n",
            ["list.md:3:1: error no-tags: the paper has no badge, so its record would have no tag"],
            id="no-badge",
        ),
        pytest.param(
            TABLE + f"|A paper|{ACQUISITION}|\n|A PAPER||\n",
            ["list.md:4:1: warning duplicate-row: the same paper is listed on line 3; their tags are merged"],
            id="duplicate-row-without-badges",
        ),
        pytest.param(
            TABLE
            + f"|A paper|{ACQUISITION}|\n\n<details>\n<summary>Sec. 3.1.1 Data Acquisition</summary>\n- A papr\n</details>\n",
            ["list.md:7:3: warning unknown-title: 'A papr' is not in the paper table; did you mean 'a paper'?"],
            id="back-reference-to-a-missing-title",
        ),
    ],
)
def test_build_drafts_reports_problems_of_the_list(taxonomy: Taxonomy, text: str, expected: list[str]) -> None:
    awesome, parse_problems = parse_list(text, "list.md")
    _, problems = build_drafts(awesome, taxonomy, {}, "list.md")
    assert [d.as_text() for d in parse_problems + problems] == expected


def test_colliding_ids_get_suffixes_in_row_order(taxonomy: Taxonomy) -> None:
    titles = ["Scaling Data Up", "Scaling Models", "Scaling Everything"]
    rows = tuple(
        TableRow(10 + i, title, (Badge("Data4Model--Scaling--Up--Acquisition", "f1db9d"),))
        for i, title in enumerate(titles)
    )
    metadata = {
        normalize_title(title): Metadata(2 + i, None, 2024, ("Ada Lovelace",)) for i, title in enumerate(titles)
    }
    drafts, _ = build_drafts(AwesomeList(rows, (), ()), taxonomy, metadata, "list.md")
    assert [draft.data["id"] for draft in drafts] == [
        "lovelace2024scaling",
        "lovelace2024scaling-2",
        "lovelace2024scaling-3",
    ]
    reversed_drafts, _ = build_drafts(AwesomeList(rows[::-1], (), ()), taxonomy, metadata, "list.md")
    assert [(draft.title, draft.data["id"]) for draft in reversed_drafts] == [
        ("Scaling Everything", "lovelace2024scaling"),
        ("Scaling Models", "lovelace2024scaling-2"),
        ("Scaling Data Up", "lovelace2024scaling-3"),
    ]


# --- import_awesome: the records written ------------------------------------------------------

EXPECTED_RECORDS = {
    "demystifying-clip-data.yaml": """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: demystifying-clip-data
title: Demystifying CLIP Data
data4model:
  - mixture
sections:
  - 3.2.2
""",
    "funqa-towards-surprising-video-comprehension.yaml": """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: funqa-towards-surprising-video-comprehension
title: "FunQA: Towards Surprising Video Comprehension"
data4model:
  - eval-reasoning
sections:
  - 4.4.4
""",
    "girdhar2023imagebind.yaml": """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: girdhar2023imagebind
title: "Imagebind: One embedding space to bind them all"
authors:
  - R. Girdhar
  - A. El-Nouby
year: 2023
arxiv: "2305.05665"
data4model:
  - cross-modal-alignment
sections:
  - table-2
added: 2025-05-25
""",
    "han2023chartllama.yaml": """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: han2023chartllama
title: "ChartLlama: A Multimodal LLM for Chart Understanding and Generation"
authors:
  - Yucheng Han
  - Chi Zhang
year: 2023
arxiv: "2311.16483"
model4data:
  - creator
  - visualizer
""",
    "liu2023mm.yaml": """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: liu2023mm
title: "MM-SafetyBench: A Benchmark for Safety Evaluation of Multimodal Large Language Models"
authors:
  - Xin Liu
year: 2023
data4model:
  - eval-generation
  - toxicity
sections:
  - 4.3.1
  - 4.4.2
  - table-2
""",
    "liu2023visual.yaml": """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: liu2023visual
title: Visual Instruction Tuning
authors:
  - Haotian Liu
  - Chunyuan Li
  - Qingyang Wu
  - Yong Jae Lee
year: 2023
venue: NeurIPS 2023
arxiv: "2304.08485"
url: https://arxiv.org/abs/2304.08485
data4model:
  - acquisition
model4data:
  - creator
sections:
  - "3.1"
  - 3.1.1
""",
    "llms-as-bridges-reformulating-grounded-multimodal-named-entity.yaml": """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: llms-as-bridges-reformulating-grounded-multimodal-named-entity
title: "LLMs as Bridges: Reformulating Grounded Multimodal Named Entity Recognition"
data4model:
  - prompt-design
model4data:
  - extractor
sections:
  - "6.2"
""",
    "probing-heterogeneous-pretraining-datasets-with-small-curated.yaml": """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: probing-heterogeneous-pretraining-datasets-with-small-curated
title: Probing Heterogeneous Pretraining Datasets with Small Curated Datasets
authors:
  - Gregory Yauney
data4model:
  - condensation
""",
    "ye2023mplug-2.yaml": """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: ye2023mplug-2
title: "mPLUG-Owl2: Revolutionizing Multi-modal Large Language Model with Modality Collaboration"
authors:
  - Qinghao Ye
  - Haiyang Xu
year: 2023
venue: CVPR 2024
arxiv: "2311.04257"
url: https://openaccess.thecvf.com/content/CVPR2024/html/Ye_mPLUG-Owl2_CVPR_2024_paper.html
data4model:
  - augmentation
sections:
  - 3.1.2
""",
    "ye2023mplug.yaml": """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: ye2023mplug
title: "mPLUG-DocOwl: Modularized Multimodal Large Language Model for Document Understanding"
authors:
  - Jiabo Ye
  - Anwen Hu
year: 2023
arxiv: "2307.02499"
url: http://arxiv.org/abs/2307.02499v1
model4data:
  - analyzer
""",
}


def test_import_writes_one_exact_record_per_distinct_paper(kb: Path, taxonomy: Taxonomy) -> None:
    written, skipped, _ = run_import(kb, taxonomy)
    assert written == [f"papers/{name}" for name in EXPECTED_WRITE_ORDER]
    assert skipped == ["papers/mahmoud2023sieve.yaml: its row in awesome_small.md has errors"]
    assert {path.name: path.read_text(encoding="utf-8") for path in (kb / "papers").iterdir()} == EXPECTED_RECORDS


EXPECTED_WRITE_ORDER = [
    "liu2023visual.yaml",
    "han2023chartllama.yaml",
    "demystifying-clip-data.yaml",
    "probing-heterogeneous-pretraining-datasets-with-small-curated.yaml",
    "funqa-towards-surprising-video-comprehension.yaml",
    "ye2023mplug.yaml",
    "ye2023mplug-2.yaml",
    "llms-as-bridges-reformulating-grounded-multimodal-named-entity.yaml",
    "liu2023mm.yaml",
    "girdhar2023imagebind.yaml",
]


def test_import_reports_every_quirk_at_its_line(kb: Path, taxonomy: Taxonomy) -> None:
    _, _, diagnostics = run_import(kb, taxonomy)
    assert diagnostics == [
        "awesome_small.md:22:1: warning title-typed-twice: the title is typed twice in its cell; read as 'FunQA: Towards Surprising Video Comprehension'",
        "awesome_small.md:26:156: error unknown-badge: no taxonomy leaf has the badge 'Data4Model--Scaling--Up--Acqusition'; did you mean 'Data4Model--Scaling--Up--Acquisition'?",
        "awesome_small.md:28:1: warning duplicate-row: the same paper is listed on line 25; their tags are merged",
        "awesome_small.md:29:1: warning unknown-section: the extra cell names 'see paper', which is no section of taxonomy/outline.yaml",
        "awesome_small.md:45:3: warning unknown-title: 'Scaling Laws of Synthetic Images for Model Training ... for Now' is not in the paper table",
        "awesome_small.md:62:1: warning unknown-section: no section of taxonomy/outline.yaml is labelled like 'Sec. 9.9 Future Work'",
        "awesome_small.tsv:5:1: warning bad-year: 'n.d.' is not a year; it is left out",
        "awesome_small.tsv:10:1: warning bad-arxiv: 'arXiv:2311.17600' is not an arXiv id; it is left out",
        "awesome_small.tsv:12:1: warning unmatched-metadata: no paper of the list has this title",
        "awesome_small.tsv:13:1: warning bad-metadata-row: expected 7 tab-separated cells, found 2",
    ]


def test_import_without_metadata_derives_ids_from_titles(kb: Path, taxonomy: Taxonomy) -> None:
    written, _, _ = run_import(kb, taxonomy, metadata=False)
    assert written[:2] == [
        "papers/visual-instruction-tuning.yaml",
        "papers/chartllama-a-multimodal-llm-for-chart-understanding-and.yaml",
    ]
    assert (
        (kb / "papers/visual-instruction-tuning.yaml").read_text(encoding="utf-8")
        == """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: visual-instruction-tuning
title: Visual Instruction Tuning
data4model:
  - acquisition
model4data:
  - creator
sections:
  - "3.1"
  - 3.1.1
"""
    )


OTHER_PAPER = """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: {id}
title: {title}
arxiv: "{arxiv}"
data4model:
  - mixture
"""


@pytest.mark.parametrize(
    ("name", "title", "arxiv", "skipped", "warnings"),
    [
        pytest.param(
            "liu2023visual.yaml",
            "Another Paper",
            "2401.00001",
            "papers/liu2023visual.yaml: the file exists",
            [
                "awesome_small.md:18:1: warning id-taken: papers/liu2023visual.yaml already exists and holds another paper; this one was not imported"
            ],
            id="file-of-another-paper",
        ),
        pytest.param(
            "llava.yaml",
            "Another Paper",
            "2304.08485",
            "papers/liu2023visual.yaml: papers/llava.yaml has the same arXiv id",
            [],
            id="same-arxiv",
        ),
        pytest.param(
            "llava.yaml",
            "visual instruction-tuning",
            "2401.00001",
            "papers/liu2023visual.yaml: papers/llava.yaml has the same title",
            [],
            id="same-normalized-title",
        ),
    ],
)
def test_import_never_overwrites_and_skips_papers_already_present(
    kb: Path, taxonomy: Taxonomy, name: str, title: str, arxiv: str, skipped: str, warnings: list[str]
) -> None:
    existing = OTHER_PAPER.format(id=name.removesuffix(".yaml"), title=title, arxiv=arxiv)
    (kb / "papers" / name).write_text(existing, encoding="utf-8")
    written, skipped_lines, diagnostics = run_import(kb, taxonomy)
    assert "papers/liu2023visual.yaml" not in written and len(written) == 9
    assert skipped in skipped_lines
    assert [line for line in diagnostics if "id-taken" in line] == warnings
    assert (kb / "papers" / name).read_text(encoding="utf-8") == existing


def test_a_second_import_skips_everything(kb: Path, taxonomy: Taxonomy) -> None:
    run_import(kb, taxonomy)
    before = {path.name: path.read_text(encoding="utf-8") for path in (kb / "papers").iterdir()}
    written, skipped, _ = run_import(kb, taxonomy)
    assert written == []
    assert len(skipped) == 11
    assert {path.name: path.read_text(encoding="utf-8") for path in (kb / "papers").iterdir()} == before


def test_written_records_pass_validation(kb: Path, taxonomy: Taxonomy) -> None:
    run_import(kb, taxonomy)
    knowledge_base, diagnostics = load_knowledge_base(kb, today=TODAY)
    assert knowledge_base is not None and len(knowledge_base.records) == 10
    assert [d.code for d in diagnostics if d.is_error] == []


# --- the command ------------------------------------------------------------------------------


def test_command_prints_what_it_wrote_and_fails_on_errors(kb: Path) -> None:
    result = CliRunner().invoke(
        main, ["import", "awesome", "awesome_small.md", "--metadata", "awesome_small.tsv", "--root", "."]
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:11] == [
        *(f"wrote papers/{name}" for name in EXPECTED_WRITE_ORDER),
        "skipped papers/mahmoud2023sieve.yaml: its row in awesome_small.md has errors",
    ]
    assert "awesome_small.md:26:156: error unknown-badge:" in lines[12]
    assert result.stderr == "10 written, 1 skipped; 1 error, 9 warnings\n"


def test_command_succeeds_on_a_clean_list(kb: Path) -> None:
    (kb / "clean.md").write_text(f"{TABLE}|A Clean Paper|{ACQUISITION}|\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "awesome", "clean.md"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "wrote papers/a-clean-paper.yaml\n",
        "1 written, 0 skipped; 0 errors, 0 warnings\n",
    )


def test_command_reports_a_list_that_is_not_text(kb: Path) -> None:
    (kb / "binary.md").write_bytes(b"| Title | Tags |\n\xff\xfe")
    result = CliRunner().invoke(main, ["import", "awesome", "binary.md"])
    assert (result.exit_code, result.stdout) == (
        1,
        "binary.md:1:1: error not-utf8: the file is not UTF-8 text (byte 17)\n",
    )


# --- the knowledge base holds the survey's list -----------------------------------------------


@pytest.mark.skipif(not SURVEY_LIST.is_file(), reason="the survey's list is not beside this checkout")
def test_papers_hold_every_paper_of_the_survey_list_with_its_tags_and_sections(taxonomy: Taxonomy) -> None:
    awesome, _ = parse_list(SURVEY_LIST.read_text(encoding="utf-8"), "awesome_llm_data.md")
    leaf_of_badge = {node.badge: node.id for node in taxonomy.nodes.values() if node.badge}
    expected_tags: dict[str, set[str]] = {}
    for row in awesome.rows:
        expected_tags.setdefault(normalize_title(undouble_title(row.title)), set()).update(
            leaf_of_badge[b.label] for b in row.badges
        )
    expected_sections: dict[str, set[str]] = {title: set() for title in expected_tags}
    for block in awesome.references:
        section = section_for_label(block.summary, taxonomy.sections)
        assert section is not None, block.summary
        for item in block.items:
            expected_sections[normalize_title(undouble_title(item.title))].add(section.id)
    knowledge_base, _ = load_knowledge_base(REPO_ROOT)
    assert knowledge_base is not None
    # A record corrected to its published title keeps the list's spelling in `listed_as`.
    found = {normalize_title(paper.listed_as or paper.title): paper for paper in knowledge_base.papers}
    assert len(expected_tags) == 167
    assert sorted(set(expected_tags) - set(found)) == []
    assert {title: set(found[title].tags) for title in expected_tags} == expected_tags
    assert {title: set(found[title].sections) for title in expected_tags} == expected_sections
