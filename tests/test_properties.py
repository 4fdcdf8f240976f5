"""Text from strangers never crashes the loader, the validator or the importers, and never goes unplaced.

Each property feeds arbitrary input (bytes, YAML documents, hostile Unicode in every record field,
BibTeX and Markdown lists) and asserts that the run ends in data or diagnostics, never an uncaught
exception, and that every diagnostic names the input file and a line inside it. Hypothesis runs
derandomized and without an example database, so CI sees the same examples on every run. Inputs the
properties found are kept below as named regression tests.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import AXES, DATA_DIR, FIXTURE_KB, REPO_ROOT, TODAY
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from surveykb.cli import main
from surveykb.commands.fmt import format_file, meaning
from surveykb.commands.import_awesome import import_awesome
from surveykb.commands.import_bibtex import import_entries
from surveykb.core.diagnostics import Diagnostic
from surveykb.core.identity import KnownPapers
from surveykb.core.load import load_yaml_file, load_yaml_text
from surveykb.core.model import Paper
from surveykb.core.taxonomy import Taxonomy, load_taxonomy
from surveykb.core.validate import check_file
from surveykb.formats.bibtex_read import parse_bibtex
from surveykb.formats.record_yaml import dump_record

PROPERTY = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
QUICK = settings(PROPERTY, max_examples=40)

# Characters that have broken text handling elsewhere: bidi controls, joiners, an emoji sequence,
# NUL, a byte-order mark, line separators YAML and str.splitlines disagree on, the last code point.
TRICKY = [
    "\u200f",
    "\u202e",
    "\u2066",
    "\u200d",
    "\u200b",
    "\U0001f469\u200d\U0001f4bb",
    "\U0001f600",
    "\x00",
    "\ufeff",
    "\u2028",
    "\u2029",
    "\x85",
    "\r",
    "\r\n",
    "\t",
    "\x0b",
    "\U0010ffff",
    "\ufffe",
    "e\u0301",
    "\u0130",
    "\\",
    '"',
    "'",
    "#",
    ": ",
    "- ",
    "{{ x }}",
    "{% if %}",
    "<script>",
    "&amp;",
    "%",
    "|",
]
CHARACTERS = st.characters(codec="utf-8")  # every code point except lone surrogates
PIECES = st.one_of(st.text(CHARACTERS, min_size=1, max_size=6), st.sampled_from(TRICKY))
FILE_TEXT = st.one_of(
    st.lists(PIECES, min_size=1, max_size=8).map("".join),
    st.text(CHARACTERS, min_size=1, max_size=3).map(lambda unit: (unit * 10_000)[:10_000]),
)
# Lone surrogates cannot be written to a file as such; YAML's dumper writes them as \ud800 escapes.
HOSTILE_TEXT = FILE_TEXT | st.sampled_from(["\ud800", "x\udfff", "\udbff\ud800"])
VALID_RECORD: dict[str, Any] = {
    "id": "x",
    "title": "Visual Instruction Tuning",
    "authors": ["Haotian Liu"],
    "year": 2023,
    "venue": "NeurIPS 2023",
    "arxiv": "2304.08485",
    "doi": "10.1000/xyz123",
    "url": "https://llava-vl.github.io",
    "code": "https://github.com/haotian-liu/LLaVA",
    "modalities": ["image"],
    "data4model": ["acquisition"],
    "model4data": ["creator"],
    "stages": ["pre-training"],
    "sections": ["3.1.1"],
    "summary": "One paragraph.",
    "added": "2024-07-12",
}
YAML_TOKENS = [
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "!!python/name:os.system ",
    "!local ",
    "<<: ",
    "? ",
    "{",
    "}",
    "[",
    "]",
    ": ",
    ", ",
    "- ",
    "\n",
    "  ",
    "|",
    ">-",
    "'",
    '"',
    "# c",
    "---",
    "...",
    "%YAML 1.1\n",
    "%TAG ! x\n",
    "id",
    "title",
    "data4model",
    "acquisition",
    "x",
    "2024-07-12",
    "0x1F",
    ".nan",
    "~",
    "\t",
    "\\u0000",
    "\ufeff",
]


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    loaded, problems = load_taxonomy(REPO_ROOT / "taxonomy")
    assert loaded is not None, problems
    return loaded


@pytest.fixture(scope="module")
def context(taxonomy: Taxonomy) -> dict[str, object]:
    return {"taxonomy": taxonomy, "today": TODAY}


def line_count(text: str) -> int:
    """An upper bound on the lines any reader sees: str.splitlines knows every break YAML knows."""
    return len(text.splitlines()) + 1


def assert_placed(diagnostics: list[Diagnostic], shown: str, lines: int) -> None:
    """Every diagnostic names `shown` and a line and column inside it."""
    for diagnostic in diagnostics:
        assert diagnostic.path == shown, diagnostic
        assert 1 <= diagnostic.line <= lines and diagnostic.col >= 1, diagnostic
        assert diagnostic.code and diagnostic.message, diagnostic


@pytest.fixture(scope="module")
def papers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the whole module: each example overwrites the same record file."""
    return tmp_path_factory.mktemp("papers")


def checked(directory: Path, content: bytes, context: dict[str, object]) -> tuple[Any, list[Diagnostic], Path]:
    """check_file on `content` written to a fresh record file."""
    path = directory / "x.yaml"
    path.write_bytes(content)
    record, diagnostics = check_file(path, context)
    assert_placed(diagnostics, str(path), line_count(content.decode("utf-8", "replace")))
    assert (record is None) == any(d.is_error for d in diagnostics)
    return record, diagnostics, path


# --- The YAML loader and the validator -------------------------------------------------------------


@PROPERTY
@given(content=st.binary(max_size=400))
def test_any_bytes_end_in_data_or_diagnostics(papers_dir: Path, content: bytes) -> None:
    path = papers_dir / "bytes.yaml"
    path.write_bytes(content)
    loaded, diagnostics = load_yaml_file(path, "bytes.yaml")
    assert_placed(diagnostics, "bytes.yaml", line_count(content.decode("utf-8", "replace")))
    assert loaded is not None or diagnostics


@PROPERTY
@given(text=st.text(st.characters(), max_size=300))
def test_any_text_ends_in_data_or_diagnostics(text: str) -> None:
    """Raw text, lone surrogates included (text built from command-line arguments can hold them)."""
    loaded, diagnostics = load_yaml_text(text, Path("x.yaml"), "x.yaml")
    assert_placed(diagnostics, "x.yaml", line_count(text))
    assert loaded is not None or diagnostics


@PROPERTY
@given(text=st.lists(st.sampled_from(YAML_TOKENS), max_size=30).map("".join))
def test_any_yaml_syntax_ends_in_a_record_or_diagnostics(
    papers_dir: Path, context: dict[str, object], text: str
) -> None:
    checked(papers_dir, text.encode("utf-8"), context)


SCALARS = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | HOSTILE_TEXT
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(HOSTILE_TEXT | st.sampled_from(list(Paper.model_fields)), inner, max_size=4)
    ),
    max_leaves=12,
)


@PROPERTY
@given(
    document=DOCUMENTS,
    flow=st.booleans(),
    style=st.sampled_from([None, '"', "'", "|", ">"]),
)
def test_any_yaml_document_ends_in_a_record_or_diagnostics(
    papers_dir: Path, context: dict[str, object], document: Any, flow: bool, style: str | None
) -> None:
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow, default_style=style)
    checked(papers_dir, text.encode("utf-8"), context)


def hostile_field(name: str) -> st.SearchStrategy[Any]:
    """The field's valid value, or hostile text in its place, or a list of hostile texts."""
    return st.one_of(st.just(VALID_RECORD[name]), HOSTILE_TEXT, st.lists(HOSTILE_TEXT, min_size=1, max_size=3))


@QUICK
@given(record=st.fixed_dictionaries({name: hostile_field(name) for name in VALID_RECORD}))
def test_hostile_unicode_in_every_field_ends_in_a_record_or_diagnostics(
    papers_dir: Path, context: dict[str, object], record: dict[str, Any]
) -> None:
    text = yaml.safe_dump({**record, "id": "x"}, allow_unicode=True, sort_keys=False)
    valid, _, _ = checked(papers_dir, text.encode("utf-8"), context)
    event("valid record" if valid else "refused record")


@QUICK
@given(title=FILE_TEXT, authors=st.lists(FILE_TEXT, max_size=3), venue=FILE_TEXT, summary=FILE_TEXT)
def test_hostile_unicode_in_text_fields_survives_fmt(
    papers_dir: Path, context: dict[str, object], title: str, authors: list[str], venue: str, summary: str
) -> None:
    """A record that passes keeps every value, byte for byte, through `fmt` (no data loss)."""
    record = {**VALID_RECORD, "title": title, "authors": authors, "venue": venue, "summary": summary}
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False)
    valid, _, path = checked(papers_dir, text.encode("utf-8"), context)
    event("valid record" if valid else "refused record")
    if valid is None:
        return
    formatted = format_file(path, axes=AXES)
    assert formatted.canonical is not None, formatted.problems
    reloaded, problems = load_yaml_text(formatted.canonical, path, "x.yaml")
    assert reloaded is not None and not problems
    assert reloaded.data == meaning(valid.loaded.data)
    path.write_text(formatted.canonical, encoding="utf-8")
    again, _, _ = checked(papers_dir, path.read_bytes(), context)
    assert again is not None and again.paper == valid.paper


# --- The BibTeX importer ---------------------------------------------------------------------------


def import_bibtex(text: str, context: dict[str, object]) -> int:
    """Parse and import `text`; assert the diagnostics are placed and every written record validates.
    Returns the number of records written."""
    with tempfile.TemporaryDirectory() as directory:
        papers = Path(directory) / "papers"
        entries, problems = parse_bibtex(text, "in.bib")
        result = import_entries(
            entries, "in.bib", papers, KnownPapers(), context, {"data4model": ["acquisition"], "added": "2024-07-12"}
        )
        assert_placed(problems + result.problems, "in.bib", line_count(text))
        for path in result.written:
            _, diagnostics = check_file(path, context)
            assert not [d for d in diagnostics if d.is_error], (path.read_text(encoding="utf-8"), diagnostics)
        on_disk = sorted(papers.glob("*.yaml")) if papers.is_dir() else []
        assert sorted(result.written) == on_disk
        return len(on_disk)


BIBTEX_ENTRY = """@inproceedings{alayrac2022flamingo,
  title={Flamingo: a visual language model for few-shot learning},
  author={Alayrac, Jean-Baptiste and Donahue, Jeff and Luc, Pauline},
  booktitle={Advances in Neural Information Processing Systems},
  year={2022},
  eprint={2204.14198},
}
"""
BIBTEX_TOKENS = [
    "@article{",
    "@string{",
    "@comment{",
    "@preamble{",
    "k,",
    "title",
    " = ",
    "{",
    "}",
    '"',
    ",",
    "#",
    " and ",
    "\\'",
    "\\",
    "$x$",
    "\n",
    "2304.08485",
    "arXiv:",
    "10.1000/x",
    "https://",
    "@",
]


@QUICK
@given(
    cut=st.integers(0, len(BIBTEX_ENTRY)),
    noise=st.lists(st.sampled_from(BIBTEX_TOKENS) | PIECES, max_size=12).map("".join),
    copies=st.integers(1, 3),
)
def test_any_bibtex_ends_in_records_or_diagnostics(
    context: dict[str, object], cut: int, noise: str, copies: int
) -> None:
    """Noise at any place of a real entry, the entry repeated (duplicates), or text alone."""
    event(f"{import_bibtex((BIBTEX_ENTRY[:cut] + noise + BIBTEX_ENTRY[cut:]) * copies, context)} records written")


@QUICK
@given(text=st.text(CHARACTERS, max_size=300))
def test_any_text_as_bibtex_ends_in_records_or_diagnostics(context: dict[str, object], text: str) -> None:
    event(f"{import_bibtex(text, context)} records written")


@QUICK
@given(
    fields=st.fixed_dictionaries(
        {"title": FILE_TEXT},
        optional={
            name: FILE_TEXT
            for name in ("author", "year", "journal", "booktitle", "eprint", "doi", "url", "howpublished")
        },
    )
)
def test_hostile_bibtex_fields_end_in_records_or_diagnostics(
    context: dict[str, object], fields: dict[str, str]
) -> None:
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    written = import_bibtex(f"@article{{key,\n{body}}}\n", context)
    event(f"{written} records written")


# --- The awesome-list importer ---------------------------------------------------------------------

BADGES = [
    "![](https://img.shields.io/badge/Data4Model--Scaling--Up--Acquisition-f1db9d)",
    "![](https://img.shields.io/badge/Nope-fff)",
    "![](https://img.shields.io/badge/",
    "![x](",
    "|",
    "\\|",
    "||",
]
LIST_LINES = [
    "| Title | Tags |",
    "|---|---|",
    "<details>",
    "</details>",
    "<summary>Sec. 3.1.1 Data Acquisition</summary>",
    "<summary>",
    "- ",
    "+ [2024-10-22] We added 2 papers",
    "+ [2024-13-45] We added 99 papers",
    "",
]


ROWS = st.builds(
    "|{}|{}|".format,
    st.lists(PIECES | st.sampled_from(["Visual Instruction Tuning", " ", "|", "\\|"]), min_size=1, max_size=4).map(
        "".join
    ),
    st.just(BADGES[0]) | st.lists(st.sampled_from(BADGES) | PIECES, max_size=4).map("".join),
)


@QUICK
@given(lines=st.lists(st.sampled_from(LIST_LINES) | ROWS, max_size=25))
def test_any_awesome_list_ends_in_records_or_diagnostics(
    taxonomy: Taxonomy, context: dict[str, object], lines: list[str]
) -> None:
    text = "\n".join(["| Title | Tags |", "|---|---|", *lines])
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "list.md").write_text(text, encoding="utf-8")
        report = import_awesome(root / "list.md", None, root, taxonomy, TODAY)
        event(f"{min(len(report.written), 2)} records written")
        assert_placed(report.diagnostics, str(root / "list.md"), line_count(text))
        for written in report.written:
            _, diagnostics = check_file(Path(written), context)
            assert not [d for d in diagnostics if d.is_error], diagnostics


# --- Regression tests: inputs the properties found ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "\ud800",
            "x.yaml:1:1: error not-utf8: the text holds a lone surrogate (U+D800), which is not a character",
            id="lone-surrogate-alone",
        ),
        pytest.param(
            "id: x\ntitle: a\udfffb\n",
            "x.yaml:2:9: error not-utf8: the text holds a lone surrogate (U+DFFF), which is not a character",
            id="lone-surrogate-in-a-value",
        ),
    ],
)
def test_raw_lone_surrogate_is_a_diagnostic(text: str, expected: str) -> None:
    """load_yaml_text raised UnicodeEncodeError from libyaml before the fix."""
    loaded, diagnostics = load_yaml_text(text, Path("x.yaml"), "x.yaml")
    assert loaded is None
    assert [d.as_text() for d in diagnostics] == [expected]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            '"\\ud800"',
            "3:11: error yaml-syntax: found invalid Unicode character escape code (while parsing a quoted scalar)",
            id="escaped-lone-surrogate",
        ),
        pytest.param(
            '"\\udbff\\udc00"',
            "3:11: error yaml-syntax: found invalid Unicode character escape code (while parsing a quoted scalar)",
            id="escaped-surrogate-pair",
        ),
        pytest.param(
            '"a\\0"',
            "3:8: error control-character: the text holds the control character U+0000 at position 2; delete it",
            id="nul-escape",
        ),
        pytest.param(
            '"a\\eb"',
            "3:8: error control-character: the text holds the control character U+001B at position 2; delete it",
            id="esc-escape",
        ),
        pytest.param(
            '"\\u200f\\u202e\\u200d"',
            "3:8: error empty-string: 'title' must not be empty, blank or only invisible characters",
            id="bidi-and-joiner-only",
        ),
        pytest.param(
            '"\\u200b\\u200b"',
            "3:8: error empty-string: 'title' must not be empty, blank or only invisible characters",
            id="zero-width-only",
        ),
        pytest.param('"\\u200fA\\u202e\\u200d"', None, id="bidi-and-joiner-around-a-letter"),
        pytest.param("\U0001f469\u200d\U0001f4bb", None, id="emoji-sequence"),
        pytest.param("A" * 500, None, id="five-hundred-characters"),
        pytest.param(
            "A" * 10_000,
            "3:8: error too-long: this text is 10000 characters long; at most 500 are allowed here",
            id="ten-thousand-characters",
        ),
    ],
)
def test_escaped_and_unusual_title(
    papers_dir: Path, context: dict[str, object], value: str, expected: str | None
) -> None:
    content = (
        f"id: x\ndata4model: [acquisition]\ntitle: {value}\nyear: 2023\nauthors: [A B]\nurl: https://example.org/x\n"
    )
    record, diagnostics, path = checked(papers_dir, content.encode("utf-8"), context)
    assert [d.as_text().removeprefix(f"{path}:") for d in diagnostics] == ([expected] if expected else [])
    assert (record is None) == (expected is not None)


def test_surrogate_from_the_command_line_is_refused_with_a_diagnostic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A non-UTF-8 byte in an argument reaches click as a lone surrogate; nothing is written."""
    shutil.copytree(FIXTURE_KB / "taxonomy", tmp_path / "taxonomy")
    (tmp_path / "papers").mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["new", "--no-interactive", "--title", "T\udcff", "--tag", "acquisition"])
    assert (result.exit_code, result.exception.__class__) == (1, SystemExit)
    assert result.stderr == (
        "error: --title: found invalid Unicode character escape code (while parsing a quoted scalar)\n"
        "error: nothing written\n"
    )
    assert list((tmp_path / "papers").iterdir()) == []


def test_dumped_hostile_record_reads_back_the_same(context: dict[str, object], papers_dir: Path) -> None:
    """dump_record escapes what YAML cannot hold literally (NUL, BOM, NEL, line separators)."""
    everything = "".join(TRICKY)
    loaded, problems = load_yaml_text(
        dump_record({**VALID_RECORD, "title": everything}, AXES), Path("x.yaml"), "x.yaml"
    )
    assert problems == [] and loaded is not None and loaded.data["title"] == everything
    title = "".join(piece for piece in TRICKY if piece not in ("\x00", "\x0b"))  # control characters are refused
    text = dump_record({**VALID_RECORD, "title": title, "summary": title}, AXES)
    record, diagnostics, _ = checked(papers_dir, text.encode("utf-8"), context)
    assert record is not None, diagnostics
    assert (record.paper.title, record.paper.summary) == (title, title)


def test_fixture_bibtex_goes_through_the_same_property(context: dict[str, object]) -> None:
    """The property on real exporters' BibTeX: placed diagnostics, every written record valid."""
    assert import_bibtex((DATA_DIR / "exports.bib").read_text(encoding="utf-8"), context) > 5
