"""Exports: papers.bib, papers.json with its schema, papers.csv and the awesome-list Markdown, as the site
offers them and as `surveykb export` prints or writes them.

The fixture knowledge base is tests/data/kb/taxonomy with the records of tests/data/site/papers (one of
them with a hostile title). The expected files in tests/data/export/ are its exports; after a deliberate
change of a format, rewrite them with `surveykb export --root <that knowledge base> --format F > FILE`.
"""

from __future__ import annotations

import copy
import csv
import datetime
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bibtexparser
import click
import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import DATA_DIR, FIXTURE_KB, TODAY
from jsonschema import Draft202012Validator

from surveykb.cli import main
from surveykb.commands.import_awesome import import_awesome
from surveykb.core.index import Index, build_index
from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.core.model import Paper
from surveykb.core.taxonomy import load_taxonomy
from surveykb.formats.awesome_read import BADGE, parse_list
from surveykb.formats.awesome_write import awesome_markdown
from surveykb.formats.data_files import (
    AWESOME_SITE_PATH,
    EXPORTERS,
    READER_FIELDS,
    bibtex_entries,
    csv_columns,
    export_text,
    paper_entry,
    papers_csv,
    papers_json,
    papers_schema_json,
    papers_under,
    site_exports,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
SITE_PAPERS = DATA_DIR / "site" / "papers"
EXPECTED = DATA_DIR / "export"
HOSTILE_ID = "hostile2024script"
ALL_FIXTURE_IDS = [
    "chen2023sharegpt4v",
    "chen2024mllm",
    "gadre2023datacomp",
    HOSTILE_ID,
    "liu2023visual",
    "lu2022learn",
]


def make_kb(root: Path, papers: Path, taxonomy: Path = FIXTURE_KB / "taxonomy") -> Path:
    shutil.copytree(taxonomy, root / "taxonomy")
    shutil.copytree(papers, root / "papers")
    return root


def index_of(root: Path, today: datetime.date | None = TODAY) -> Index:
    kb, diagnostics = load_knowledge_base(root, today=today)
    assert kb is not None and not any(d.is_error for d in diagnostics), diagnostics
    return build_index(kb)


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    return index_of(make_kb(tmp_path_factory.mktemp("kb"), SITE_PAPERS))


@pytest.fixture(scope="module")
def repo_index() -> Index:
    return index_of(REPO_ROOT, today=None)


def fixture_record(paper_id: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((SITE_PAPERS / f"{paper_id}.yaml").read_text(encoding="utf-8"))
    return data


# --- Exact output for the fixture -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "expected_file"),
    [
        pytest.param("bibtex", "papers.bib", id="bibtex"),
        pytest.param("csv", "papers.csv", id="csv"),
        pytest.param("awesome", "awesome.md", id="awesome"),
    ],
)
def test_fixture_export_is_exactly_the_expected_file(fixture_index: Index, fmt: str, expected_file: str) -> None:
    papers = list(fixture_index.papers.values())
    assert export_text(fmt, fixture_index, papers) == (EXPECTED / expected_file).read_text(encoding="utf-8")


def test_hostile_record_is_carried_verbatim_by_every_format(fixture_index: Index) -> None:
    record = fixture_record(HOSTILE_ID)
    papers = list(fixture_index.papers.values())

    entry = next(p for p in json.loads(papers_json(fixture_index))["papers"] if p["id"] == HOSTILE_ID)
    assert {key: entry[key] for key in ("title", "authors", "venue", "url", "summary")} == {
        key: record[key] for key in ("title", "authors", "venue", "url", "summary")
    }

    row = next(r for r in csv.DictReader(io.StringIO(papers_csv(fixture_index))) if r["id"] == HOSTILE_ID)
    assert (row["title"], row["authors"], row["venue"], row["summary"]) == (
        record["title"],
        record["authors"][0],
        record["venue"],
        record["summary"],
    )

    bib = bibtexparser.parse_string(export_text("bibtex", fixture_index, papers)).entries_dict[HOSTILE_ID]
    assert (bib["title"], bib["author"], bib["howpublished"], bib["url"]) == (
        record["title"],
        record["authors"][0],
        record["venue"],
        record["url"],
    )

    awesome, problems = parse_list(export_text("awesome", fixture_index, papers), "awesome.md")
    assert problems == []
    assert record["title"] in [row.title for row in awesome.rows]


# --- BibTeX ---------------------------------------------------------------------------------------------


def test_papers_bib_of_the_knowledge_base_parses_with_one_entry_per_record(repo_index: Index) -> None:
    library = bibtexparser.parse_string(site_exports(repo_index, bibtex_entries(repo_index))["exports/papers.bib"]())
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == list(repo_index.papers)
    for entry in library.entries:
        assert entry["title"] and entry.entry_type in ("article", "inproceedings", "misc")


def test_node_bibtex_holds_exactly_the_papers_under_the_node(fixture_index: Index) -> None:
    files = site_exports(fixture_index, bibtex_entries(fixture_index))
    keys = {
        path: [e.key for e in bibtexparser.parse_string(make()).entries]
        for path, make in files.items()
        if path.startswith("exports/bib/")
    }
    assert keys["exports/bib/acquisition.bib"] == [
        "chen2023sharegpt4v",
        "gadre2023datacomp",
        HOSTILE_ID,
        "liu2023visual",
    ]
    assert keys["exports/bib/evaluation.bib"] == ["chen2024mllm", "lu2022learn"]
    assert keys["exports/bib/model4data.bib"] == [
        "chen2023sharegpt4v",
        "chen2024mllm",
        "gadre2023datacomp",
        HOSTILE_ID,
        "liu2023visual",
    ]
    assert "exports/bib/augmentation.bib" not in keys


# --- JSON and its schema ----------------------------------------------------------------------------------


def validator(index: Index) -> Draft202012Validator:
    schema = json.loads(papers_schema_json(index))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize(
    "which", [pytest.param("fixture_index", id="fixture"), pytest.param("repo_index", id="knowledge-base")]
)
def test_papers_json_validates_against_its_schema(which: str, request: pytest.FixtureRequest) -> None:
    index: Index = request.getfixturevalue(which)
    files = site_exports(index, bibtex_entries(index))
    document = json.loads(files["exports/papers.json"]())
    assert list(validator(index).iter_errors(document)) == []
    assert [paper["id"] for paper in document["papers"]] == list(index.papers)


def test_schema_paper_fields_are_the_entry_fields_and_the_csv_columns(fixture_index: Index) -> None:
    schema = json.loads(papers_schema_json(fixture_index))
    entry = paper_entry(fixture_index.papers["liu2023visual"], fixture_index)
    assert (
        list(schema["$defs"]["paper"]["properties"])
        == list(entry)
        == [*csv_columns(fixture_index.taxonomy.axes), *READER_FIELDS]
    )
    assert schema["$defs"]["paper"]["required"] == list(entry)


def _first_paper(document: dict[str, Any]) -> dict[str, Any]:
    paper: dict[str, Any] = document["papers"][0]
    return paper


BROKEN_DOCUMENTS: list[Any] = [
    pytest.param(
        lambda d: _first_paper(d)["data4model"].append("no-such-leaf"), "'no-such-leaf' is not one of", id="unknown-tag"
    ),
    pytest.param(
        lambda d: _first_paper(d).update(data4model=[], model4data=[]),
        "is not valid under any of the given schemas",
        id="no-tags",
    ),
    pytest.param(lambda d: _first_paper(d).pop("page"), "'page' is a required property", id="missing-field"),
    pytest.param(
        lambda d: _first_paper(d).update(extra=1),
        "Additional properties are not allowed ('extra' was unexpected)",
        id="extra-field",
    ),
    pytest.param(
        lambda d: _first_paper(d).update(year="2023"),
        "'2023' is not valid under any of the given schemas",
        id="year-as-text",
    ),
    pytest.param(
        lambda d: _first_paper(d).update(added="12/07/2024"),
        "'12/07/2024' is not valid under any of the given schemas",
        id="bad-date",
    ),
    pytest.param(
        lambda d: _first_paper(d).update(stages_own="no"), "'no' is not of type 'boolean'", id="stages-own-text"
    ),
    pytest.param(lambda d: _first_paper(d).update(stages=None), "None is not of type 'array'", id="stages-null"),
    pytest.param(
        lambda d: _first_paper(d).update(arxiv="https://arxiv.org/abs/1"),
        "is not valid under any of the given schemas",
        id="arxiv-url",
    ),
    pytest.param(
        lambda d: d["taxonomy"]["nodes"]["creator"].update(axis="elsewhere"),
        "'elsewhere' is not one of",
        id="node-axis",
    ),
    pytest.param(lambda d: d.update(generated="today"), "Additional properties are not allowed", id="extra-top-level"),
]


@pytest.mark.parametrize(("break_document", "message"), BROKEN_DOCUMENTS)
def test_schema_rejects_a_broken_document(
    fixture_index: Index, break_document: Callable[[dict[str, Any]], None], message: str
) -> None:
    document = copy.deepcopy(json.loads(papers_json(fixture_index)))
    break_document(document)
    messages = [error.message for error in validator(fixture_index).iter_errors(document)]
    assert len(messages) == 1 and message in messages[0], messages


# --- CSV --------------------------------------------------------------------------------------------------


def test_csv_reads_back_with_the_csv_module(repo_index: Index) -> None:
    rows = list(csv.reader(io.StringIO(papers_csv(repo_index), newline="")))
    assert rows[0] == list(csv_columns(repo_index.taxonomy.axes))
    assert len(rows) == len(repo_index.papers) + 1
    for row, paper in zip(rows[1:], repo_index.papers.values()):
        cells = dict(zip(rows[0], row))
        assert cells["id"] == paper.id and cells["title"] == paper.title
        assert cells["authors"] == "; ".join(paper.authors)
        assert cells["data4model"] == "; ".join(paper.data4model) and cells["model4data"] == "; ".join(paper.model4data)
        assert cells["year"] == (str(paper.year) if paper.year else "")


QUOTING_RECORD = """\
id: quote2024test
title: 'Commas, "quotes"; semicolons and a trailing space '
authors:
  - Ann O'Neil, Jr.
summary: "First line,\\nsecond line with \\"quotes\\"\\r\\nand a CRLF"
data4model:
  - acquisition
"""


def test_csv_quotes_commas_quotes_and_line_breaks(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", SITE_PAPERS)
    (root / "papers" / "quote2024test.yaml").write_text(QUOTING_RECORD, encoding="utf-8")
    index = index_of(root)
    text = papers_csv(index)
    assert len(text.splitlines()) > len(index.papers) + 1  # the summary's line breaks stay inside a quoted cell
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    assert list(rows) == list(index.papers)
    assert rows["quote2024test"]["title"] == 'Commas, "quotes"; semicolons and a trailing space '
    assert rows["quote2024test"]["authors"] == "Ann O'Neil, Jr."
    assert rows["quote2024test"]["summary"] == 'First line,\nsecond line with "quotes"\r\nand a CRLF'


# --- The awesome list --------------------------------------------------------------------------------------


def reimport(markdown: str, root: Path, taxonomy_dir: Path) -> Index:
    """Import `markdown` into an empty knowledge base at `root` and index what was written."""
    root.mkdir()
    shutil.copytree(taxonomy_dir, root / "taxonomy")
    (root / "papers").mkdir()
    (root / "list.md").write_text(markdown, encoding="utf-8")
    taxonomy, _ = load_taxonomy(root / "taxonomy")
    assert taxonomy is not None
    result = import_awesome(root / "list.md", None, root, taxonomy, datetime.date(2025, 7, 1))
    assert result.diagnostics == [] and result.skipped == []
    return index_of(root, today=None)


def tags_and_sections(index: Index) -> dict[str, tuple[list[str], list[str], list[str], datetime.date | None]]:
    return {p.title: (list(p.data4model), list(p.model4data), list(p.sections), p.added) for p in index.papers.values()}


@pytest.mark.parametrize(
    ("which", "taxonomy_dir"),
    [
        pytest.param("fixture_index", FIXTURE_KB / "taxonomy", id="fixture"),
        pytest.param("repo_index", REPO_ROOT / "taxonomy", id="knowledge-base"),
    ],
)
def test_awesome_round_trip(which: str, taxonomy_dir: Path, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    index: Index = request.getfixturevalue(which)
    first = export_text("awesome", index, list(index.papers.values()))
    imported = reimport(first, tmp_path / "empty", taxonomy_dir)
    assert tags_and_sections(imported) == tags_and_sections(index)
    assert export_text("awesome", imported, list(imported.papers.values())) == first


def test_awesome_rows_carry_one_badge_per_tag_in_record_order(repo_index: Index) -> None:
    awesome, problems = parse_list(
        site_exports(repo_index, bibtex_entries(repo_index))[AWESOME_SITE_PATH](), "awesome.md"
    )
    assert problems == []
    badge_of = {node.id: (node.badge, node.color) for node in repo_index.taxonomy.nodes.values()}
    by_title = {paper.title: paper for paper in repo_index.papers.values()}
    assert sorted(row.title for row in awesome.rows) == sorted(by_title)
    for row in awesome.rows:
        assert [(badge.label, badge.color) for badge in row.badges] == [
            badge_of[tag] for tag in by_title[row.title].tags
        ]


def test_awesome_rows_are_ordered_by_date_added_then_title(fixture_index: Index) -> None:
    awesome, _ = parse_list(export_text("awesome", fixture_index, list(fixture_index.papers.values())), "awesome.md")
    assert [row.title[:12] for row in awesome.rows] == [
        "<script>aler",
        "Learn to Exp",
        "MLLM-as-a-Ju",
        "DataComp: In",
        "Visual Instr",
        "ShareGPT4V: ",
    ]
    assert [(entry.date, entry.text) for entry in awesome.news] == [
        ("2024-07-13", "We added 1 paper."),
        ("2024-07-12", "We added 2 papers."),
    ]


def test_badge_images_are_what_the_importer_reads(fixture_index: Index) -> None:
    text = export_text("awesome", fixture_index, [fixture_index.papers["liu2023visual"]])
    row = next(line for line in text.splitlines() if line.startswith("|Visual Instruction Tuning|"))
    assert row == (
        "|Visual Instruction Tuning|![](https://img.shields.io/badge/Data4Model--Scaling--Up--Acquisition-f1db9d) "
        "![](https://img.shields.io/badge/Data4Model--Usability--Following--Prompt-d3f0aa) "
        "![](https://img.shields.io/badge/Model4Data--Synthesis--Creator-b4d4fb)|"
    )
    assert [match["label"] for match in BADGE.finditer(row)] == [
        "Data4Model--Scaling--Up--Acquisition",
        "Data4Model--Usability--Following--Prompt",
        "Model4Data--Synthesis--Creator",
    ]


def test_section_blocks_nest_like_the_outline(fixture_index: Index) -> None:
    text = export_text("awesome", fixture_index, list(fixture_index.papers.values()))
    block = text[text.index("<details>\n<summary>Sec. 3.1  ") : text.index("<details>\n<summary>Sec. 3.2  ")]
    assert block.startswith(
        "<details>\n<summary>Sec. 3.1  For Scaling of MLLMs: Larger Datasets</summary>\n\n"
        "<details>\n<summary>Sec. 3.1.1  Data Acquisition</summary>\n\n"
        "![](https://img.shields.io/badge/Data4Model--Scaling--Up--Acquisition-f1db9d)\n\n"
        "- DataComp: In search of the next generation of multimodal datasets\n"
        "- Visual Instruction Tuning\n"
        "- ShareGPT4V: Improving Large Multi-Modal Models with Better Captions\n\n"
        "</details>\n\n"
    )
    assert "<summary>Sec. 3  " not in text and "<summary>Sec. 8  " not in text
    assert "<summary>Tab. 2  Table 2: Representative MLLM datasets and benchmarks</summary>" in text


TRICKY_TITLES = [
    pytest.param("Pipes | in | a title", id="pipes"),
    pytest.param("An escaped \\| pipe", id="escaped-pipe"),
    pytest.param("Ends with a backslash \\", id="trailing-backslash"),
    pytest.param("- A leading dash", id="leading-dash"),
    pytest.param("<details> and <summary>not a section</summary>", id="details-markup"),
    pytest.param("</details> closing markup", id="closing-details"),
    pytest.param("[2024-01-01] We added 5 papers", id="news-lookalike"),
    pytest.param("Sec. 3.1.1 Data Acquisition", id="section-lookalike"),
    pytest.param(
        "A badge ![](https://img.shields.io/badge/Data4Model--Scaling--Up--Diversity-f1db9d) in the title",
        id="badge-in-title",
    ),
    pytest.param("Ünïcode 漢字 🎉 and *emphasis* `code`", id="unicode-markdown"),
]


def round_trip_titles(titles: list[str], tmp_path: Path) -> list[tuple[str, list[str], list[str]]]:
    """Export records with these titles (and a tag and section each), import the list: titles, tags, sections."""
    taxonomy, _ = load_taxonomy(FIXTURE_KB / "taxonomy")
    assert taxonomy is not None
    context = {"taxonomy": taxonomy, "today": TODAY}
    papers = [
        Paper.model_validate(
            {"id": f"paper{number}", "title": title, "data4model": ["diversity"], "sections": ["3.1.3"]},
            context=context,
        )
        for number, title in enumerate(titles)
    ]
    imported = reimport(awesome_markdown(taxonomy, papers), tmp_path / "empty", FIXTURE_KB / "taxonomy")
    return sorted((p.title, p.tags, list(p.sections)) for p in imported.papers.values())


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_awesome_round_trip_keeps_a_tricky_title(title: str, tmp_path: Path) -> None:
    titles = [title, "A plain title"]
    assert round_trip_titles(titles, tmp_path) == sorted((t, ["diversity"], ["3.1.3"]) for t in titles)


def test_awesome_writes_each_title_on_one_line(tmp_path: Path) -> None:
    assert round_trip_titles(["Two  spaces,\na line break\tand a tab "], tmp_path) == [
        ("Two spaces, a line break and a tab", ["diversity"], ["3.1.3"])
    ]


# --- Selection and the site's files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nodes", "expected"),
    [
        pytest.param(
            ["acquisition"], ["chen2023sharegpt4v", "gadre2023datacomp", HOSTILE_ID, "liu2023visual"], id="leaf"
        ),
        pytest.param(["evaluation"], ["chen2024mllm", "lu2022learn"], id="group"),
        pytest.param(
            ["scaling-effectiveness"], ["chen2023sharegpt4v", "gadre2023datacomp"], id="group-of-other-leaves"
        ),
        pytest.param(["data4model"], ALL_FIXTURE_IDS, id="axis"),
        pytest.param(["filter", "evaluator"], ["chen2024mllm", "gadre2023datacomp"], id="any-of-two"),
        pytest.param(["augmentation"], [], id="nothing-tagged"),
    ],
)
def test_papers_under(fixture_index: Index, nodes: list[str], expected: list[str]) -> None:
    assert [paper.id for paper in papers_under(fixture_index, nodes)] == expected


def test_site_offers_every_export(fixture_index: Index) -> None:
    files = site_exports(fixture_index, bibtex_entries(fixture_index))
    assert {
        "exports/papers.json",
        "exports/papers.schema.json",
        "exports/papers.csv",
        "exports/papers.bib",
        AWESOME_SITE_PATH,
    } <= set(files)
    assert files["exports/papers.csv"]() == (EXPECTED / "papers.csv").read_text(encoding="utf-8")
    assert files[AWESOME_SITE_PATH]() == (EXPECTED / "awesome.md").read_text(encoding="utf-8")


def test_home_page_links_every_export() -> None:
    template = (REPO_ROOT / "templates" / "pages" / "home.html.j2").read_text(encoding="utf-8")
    for path in (
        "exports/papers.bib",
        "exports/papers.json",
        "exports/papers.schema.json",
        "exports/papers.csv",
        AWESOME_SITE_PATH,
    ):
        assert f'href="{{{{ root }}}}{path}"' in template


# --- surveykb export ----------------------------------------------------------------------------------------


@pytest.fixture
def cli_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_kb(tmp_path / "kb", SITE_PAPERS)
    monkeypatch.chdir(root)
    return root


def export(*arguments: str) -> Result:
    return CliRunner().invoke(main, ["export", *arguments])


@pytest.mark.parametrize(
    ("fmt", "expected_file"),
    [
        pytest.param("bibtex", "papers.bib", id="bibtex"),
        pytest.param("csv", "papers.csv", id="csv"),
        pytest.param("awesome", "awesome.md", id="awesome"),
    ],
)
def test_cli_prints_the_export(cli_kb: Path, fmt: str, expected_file: str) -> None:
    result = export("--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout == (EXPECTED / expected_file).read_text(encoding="utf-8")
    assert result.stderr == ""


def test_cli_prints_json(cli_kb: Path, fixture_index: Index) -> None:
    result = export("--format", "json", "--root", str(cli_kb))
    assert result.exit_code == 0
    assert result.stdout == papers_json(fixture_index)


def test_cli_writes_a_file_and_refuses_to_overwrite_it(cli_kb: Path) -> None:
    written = export("--format", "bibtex", "-o", "out/papers.bib")
    assert (written.exit_code, written.stdout, written.stderr) == (0, "", "wrote out/papers.bib (6 papers)\n")
    assert (cli_kb / "out" / "papers.bib").read_text(encoding="utf-8") == (EXPECTED / "papers.bib").read_text(
        encoding="utf-8"
    )

    refused = export("--format", "csv", "-o", "out/papers.bib")
    assert (refused.exit_code, refused.stderr) == (
        1,
        "error: out/papers.bib already exists; pass --force to replace it\n",
    )
    assert (cli_kb / "out" / "papers.bib").read_text(encoding="utf-8") == (EXPECTED / "papers.bib").read_text(
        encoding="utf-8"
    )

    forced = export("--format", "csv", "-o", "out/papers.bib", "--force")
    assert (forced.exit_code, forced.stderr) == (
        0,
        "kept the replaced file as out/papers.bib.bak\nwrote out/papers.bib (6 papers)\n",
    )
    assert (cli_kb / "out" / "papers.bib").read_text(encoding="utf-8") == (EXPECTED / "papers.csv").read_text(
        encoding="utf-8"
    )
    assert (cli_kb / "out" / "papers.bib.bak").read_text(encoding="utf-8") == (EXPECTED / "papers.bib").read_text(
        encoding="utf-8"
    )
    assert sorted(path.name for path in (cli_kb / "out").iterdir()) == ["papers.bib", "papers.bib.bak"]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        pytest.param(["prompt-design"], ["liu2023visual"], id="leaf"),
        pytest.param(["reasoning"], ["lu2022learn"], id="group"),
        pytest.param(
            ["evaluation", "filter"], ["chen2024mllm", "gadre2023datacomp", "lu2022learn"], id="group-or-leaf"
        ),
        pytest.param(
            ["model4data"],
            ["chen2023sharegpt4v", "chen2024mllm", "gadre2023datacomp", HOSTILE_ID, "liu2023visual"],
            id="axis",
        ),
        pytest.param(["toxicity"], [], id="nothing"),
    ],
)
def test_cli_tag_filter(cli_kb: Path, tags: list[str], expected: list[str]) -> None:
    arguments = [argument for tag in tags for argument in ("--tag", tag)]
    bib = export("--format", "bibtex", *arguments)
    assert bib.exit_code == 0
    assert [entry.key for entry in bibtexparser.parse_string(bib.stdout).entries] == expected
    table = export("--format", "csv", *arguments)
    assert [row["id"] for row in csv.DictReader(io.StringIO(table.stdout))] == expected


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(
            ["--format", "bibtex", "--tag", "reasonng"],
            "Invalid value for '--tag': unknown taxonomy node 'reasonng'; did you mean 'reasoning'?",
            id="typo",
        ),
        pytest.param(
            ["--format", "bibtex", "--tag", "acquisition", "--tag", "zzz"],
            "Invalid value for '--tag': unknown taxonomy node 'zzz'\n",
            id="unknown",
        ),
        pytest.param(
            ["--format", "yaml"],
            "Invalid value for '--format': 'yaml' is not one of 'bibtex', 'json', 'csv', 'awesome'.",
            id="format",
        ),
        pytest.param(["--tag", "acquisition"], "Missing option '--format'", id="no-format"),
    ],
)
def test_cli_usage_errors(cli_kb: Path, arguments: list[str], message: str) -> None:
    result = export(*arguments)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_cli_reports_an_unwritable_output(cli_kb: Path) -> None:
    result = export("--format", "csv", "-o", "papers/liu2023visual.yaml/papers.csv")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("error: cannot write papers/liu2023visual.yaml/papers.csv: ")


def test_cli_offers_every_export_format() -> None:
    option = next(param for param in main.commands["export"].params if param.name == "fmt")
    assert isinstance(option.type, click.Choice)
    assert list(option.type.choices) == list(EXPORTERS)


def test_cli_refuses_a_knowledge_base_with_errors(cli_kb: Path) -> None:
    (cli_kb / "papers" / "broken2024record.yaml").write_text(
        "id: broken2024record\ntitle: Broken\ndata4model:\n  - nonsense\n", encoding="utf-8"
    )
    result = export("--format", "bibtex", "-o", "papers.bib")
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[-1]
        == "error: the knowledge base has 1 errors (see `surveykb validate`); nothing exported"
    )
    assert "papers/broken2024record.yaml:4:5: error unknown-tag: " in result.stderr
    assert result.stdout == ""
    assert not (cli_kb / "papers.bib").exists()
