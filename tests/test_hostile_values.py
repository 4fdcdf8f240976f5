"""Values that cannot be constructed, numbers too long to print, and number-like ids: every one is a
diagnostic at its line in every command, and `fmt` never rewrites what a contributor wrote."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA_DIR, FIXTURE_KB, ScratchKB
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveykb.cli import main
from surveykb.commands.fmt import format_file
from surveykb.core.diagnostics import error
from surveykb.core.load import load_yaml_text
from surveykb.formats.awesome_read import introduced_dates, parse_list

RECORD = "papers/liu2023visual.yaml"  # of tests/data/kb; its `year` is on line 9, `arxiv` on 11
HUGE = "9" * 5000

UNCONSTRUCTIBLE = [
    pytest.param(
        "!!int abc", "'abc' is not a whole number, as its tag !!int says; fix the value or drop the tag", id="int-tag"
    ),
    pytest.param(
        "!!float abc", "'abc' is not a number, as its tag !!float says; fix the value or drop the tag", id="float-tag"
    ),
    pytest.param(
        "!!bool maybe",
        "'maybe' is not true or false, as its tag !!bool says; fix the value or drop the tag",
        id="bool-tag",
    ),
    pytest.param(
        "!!timestamp garbage",
        "'garbage' is not a date or time, as its tag !!timestamp says; fix the value or drop the tag",
        id="timestamp-garbage",
    ),
    pytest.param(
        "!!timestamp 2024-02-30",
        "'2024-02-30' is not a date or time, as its tag !!timestamp says; fix the value or drop the tag",
        id="timestamp-impossible",
    ),
    pytest.param(
        "!!binary a", "'a' is not base64 data, as its tag !!binary says; fix the value or drop the tag", id="binary-tag"
    ),
    pytest.param("!custom x", "'x' cannot be read with the tag !custom; drop the tag", id="unknown-tag"),
    pytest.param(
        HUGE,
        "a number of 5000 characters is longer than any field takes (at most 100 digits)",
        id="int-over-4300-digits",
    ),
    pytest.param(
        "0x" + "f" * 2000,
        "a number of 2002 characters is longer than any field takes (at most 100 digits)",
        id="hex-int-too-long-to-print",
    ),
    pytest.param(
        "1" * 101,
        "a number of 101 characters is longer than any field takes (at most 100 digits)",
        id="int-of-101-digits",
    ),
]


def _with_year(kb: ScratchKB, value: str) -> None:
    path = kb.papers / "liu2023visual.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2023", f"year: {value}"), encoding="utf-8")


@pytest.mark.parametrize(("value", "message"), UNCONSTRUCTIBLE)
def test_an_unconstructible_value_is_one_diagnostic_at_its_line(
    fixture_kb: ScratchKB, value: str, message: str
) -> None:
    _with_year(fixture_kb, value)
    errors = [d.as_text() for d in fixture_kb.check() if d.is_error]
    assert errors == [f"{RECORD}:9:7: error bad-value: {message}"]


COMMANDS = [
    pytest.param(["validate"], id="validate"),
    pytest.param(["validate", "--format", "github"], id="validate-github"),
    pytest.param(["fmt"], id="fmt"),
    pytest.param(["fmt", "--check"], id="fmt-check"),
    pytest.param(["build"], id="build"),
    pytest.param(["new", "--title", "A New Paper", "--tag", "creator", "--no-interactive"], id="new"),
    pytest.param(["import", "bibtex", str(DATA_DIR / "exports.bib")], id="import-bibtex"),
    pytest.param(["import", "awesome", str(DATA_DIR / "awesome_small.md")], id="import-awesome"),
    pytest.param(["export", "--format", "csv"], id="export"),
    pytest.param(["stats"], id="stats"),
    pytest.param(["doctor"], id="doctor"),
]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("!!int abc", id="int-tag"),
        pytest.param(HUGE, id="huge-int"),
        pytest.param("!!timestamp 2024-13-01", id="timestamp"),
    ],
)
@pytest.mark.parametrize("arguments", COMMANDS)
def test_no_command_ends_in_a_traceback_on_an_unconstructible_value(
    fixture_kb: ScratchKB, arguments: list[str], value: str
) -> None:
    _with_year(fixture_kb, value)
    result = CliRunner().invoke(main, arguments)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if arguments[0] in ("validate", "fmt", "build", "export"):
        assert re.search(r"liu2023visual\.yaml(:9:7|,line=9,col=7)", result.output), result.output


@pytest.mark.parametrize("value", [pytest.param("!!float abc", id="float-tag"), pytest.param(HUGE, id="huge-int")])
def test_an_unconstructible_value_in_a_taxonomy_file_is_a_diagnostic_and_other_files_are_checked(
    scratch_kb: ScratchKB, value: str
) -> None:
    modalities = scratch_kb.root / "taxonomy" / "modalities.yaml"
    text = modalities.read_text(encoding="utf-8")
    line = text.splitlines().index(next(line for line in text.splitlines() if line.strip().startswith("name:"))) + 1
    modalities.write_text(text.replace("name:", f"name: {value} #", 1), encoding="utf-8")
    stages = scratch_kb.root / "taxonomy" / "stages.yaml"
    stages.write_text(stages.read_text(encoding="utf-8") + "unexpected: 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1, result.output
    assert re.search(rf"taxonomy/modalities\.yaml:{line}:\d+: error bad-value: ", result.output), result.output
    assert "taxonomy/stages.yaml:" in result.output  # the other taxonomy files are still checked


def test_a_huge_count_in_the_awesome_lists_news_is_a_warning() -> None:
    text = (
        (DATA_DIR / "awesome_small.md")
        .read_text(encoding="utf-8")
        .replace("We added 2 academic", f"We added {HUGE} academic")
    )
    awesome, _ = parse_list(text, "list.md")
    dates, problems = introduced_dates(awesome.news, len(awesome.rows), "list.md")
    assert dates == {}
    assert [p.as_text() for p in problems] == [
        "list.md:6:1: warning news-count: the news entries add more papers than the table holds, so no 'added' date is set"
    ]


# --- Number-like identifiers: quoted as written, never rewritten ------------------------------------

NUMBER_LIKE = [
    pytest.param(
        'arxiv: "2304.08485"',
        "arxiv: 2304.10850",
        11,
        8,
        "'arxiv' must be text, not the number 2304.10850 (put it in quotes: \"2304.10850\")",
        'arxiv: "2304.10850"',
        id="arxiv-ending-in-0",
    ),
    pytest.param(
        'arxiv: "2304.08485"',
        "arxiv: 2304.08485",
        11,
        8,
        "'arxiv' must be text, not the number 2304.08485 (put it in quotes: \"2304.08485\")",
        'arxiv: "2304.08485"',
        id="arxiv",
    ),
    pytest.param(
        '  - "5.1"',
        "  - 3.10",
        25,
        5,
        "'sections[2]' must be text, not the number 3.10 (put it in quotes: \"3.10\")",
        '  - "3.10"',
        id="section-3-10",
    ),
    pytest.param(
        '  - "5.1"',
        "  - 5.10",
        25,
        5,
        "'sections[2]' must be text, not the number 5.10 (put it in quotes: \"5.10\")",
        '  - "5.10"',
        id="section-5-10",
    ),
    pytest.param(
        "title: Visual Instruction Tuning",
        "title: yes",
        3,
        8,
        "'title' must be text, not the boolean yes (put it in quotes: \"yes\")",
        'title: "yes"',
        id="title-yes",
    ),
    pytest.param(
        "title: Visual Instruction Tuning",
        "title: 1_000",
        3,
        8,
        "'title' must be text, not the number 1_000 (put it in quotes: \"1_000\")",
        'title: "1_000"',
        id="title-underscored-number",
    ),
]


@pytest.mark.parametrize(("old", "new", "line", "col", "message", "formatted"), NUMBER_LIKE)
def test_a_number_like_text_is_quoted_as_written(
    fixture_kb: ScratchKB, old: str, new: str, line: int, col: int, message: str, formatted: str
) -> None:
    path = fixture_kb.papers / "liu2023visual.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    assert f"{RECORD}:{line}:{col}: error wrong-type: {message}" in [d.as_text() for d in fixture_kb.check()]
    result = CliRunner().invoke(main, ["fmt", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").splitlines()[line - 1] == formatted


def test_sections_3_1_and_3_10_are_not_the_same_section(fixture_kb: ScratchKB) -> None:
    path = fixture_kb.papers / "liu2023visual.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('  - "5.1"', "  - 3.1\n  - 3.10"), encoding="utf-8")
    codes = [(d.line, d.code) for d in fixture_kb.check() if d.path == RECORD]
    assert codes == [(25, "wrong-type"), (26, "wrong-type")]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param(
            "extra: 1.10",
            "fmt would write the number '1.10' as 1.1; put it in quotes if it is text",
            id="trailing-zero",
        ),
        pytest.param(
            "extra: 1.0e+3",
            "fmt would write the number '1.0e+3' as 1000.0; put it in quotes if it is text",
            id="exponent",
        ),
    ],
)
def test_fmt_refuses_to_change_how_a_number_is_written(fixture_kb: ScratchKB, line: str, message: str) -> None:
    path = fixture_kb.papers / "liu2023visual.yaml"
    before = path.read_bytes() + f"{line}\n".encode()
    path.write_bytes(before)
    result = format_file(path)
    assert result.canonical is None
    assert [p.as_text() for p in result.problems] == [f"{RECORD}:28:8: error fmt-unsafe: {message}"]
    assert CliRunner().invoke(main, ["fmt"]).exit_code == 1
    assert path.read_bytes() == before


# Plain scalars that YAML 1.1 reads as numbers or booleans, as a contributor might write an id.
number_like_texts = st.one_of(
    st.builds(lambda a, b: f"{a:04d}.{b}", st.integers(0, 9999), st.from_regex(r"\d{4,5}0", fullmatch=True)),
    st.builds(lambda a, b: f"{a}.{b}", st.integers(1, 9), st.from_regex(r"[1-9]?0", fullmatch=True)),
    st.sampled_from(
        ["yes", "no", "on", "off", "0x1f", "0o17", "1_000", "1e5", "1.0e+5", "190:20:30", ".5", "+1", "007"]
    ),
)


@settings(
    max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(written=number_like_texts)
def test_fmt_writes_every_number_like_id_as_the_text_written(tmp_path: Path, written: str) -> None:
    path = tmp_path / "liu2023visual.yaml"
    path.write_text(f"id: liu2023visual\ntitle: T\narxiv: {written}\nsections: [{written}]\n", encoding="utf-8")
    result = format_file(path)
    assert result.canonical is not None, result.problems
    reloaded, problems = load_yaml_text(result.canonical, path, "x")
    assert problems == [] and reloaded is not None
    assert reloaded.data["arxiv"] == written
    assert reloaded.data["sections"] == [written]


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    tag=st.sampled_from(["!!int", "!!float", "!!bool", "!!timestamp", "!!binary", "!!null", "!x", ""]),
    value=st.one_of(
        st.from_regex(r"[0-9a-z:+.\- ]{0,12}", fullmatch=True), st.integers(4000, 6000).map(lambda n: "7" * n)
    ),
)
def test_any_tagged_scalar_loads_or_is_one_diagnostic(tag: str, value: str) -> None:
    text = f"id: x\nyear: {tag} {value!r}\n" if value.strip() != value or not value else f"id: x\nyear: {tag} {value}\n"
    loaded, problems = load_yaml_text(text, Path("x.yaml"), "x.yaml")
    assert all(p.line in (1, 2, 3) for p in problems)
    if loaded is not None:
        assert all(p.code == "bad-value" and p.line == 2 for p in problems)


# --- What a diagnostic prints: one line each, nothing a terminal or CI would run ----------------------


@pytest.mark.parametrize(
    ("message", "text", "github"),
    [
        pytest.param("a\nb", "p:1:1: error c: a\\nb", "::error file=p,line=1,col=1::c: a\\nb", id="newline"),
        pytest.param(
            "a\r\n::error::forged",
            "p:1:1: error c: a\\r\\n::error::forged",
            "::error file=p,line=1,col=1::c: a\\r\\n::error::forged",
            id="forged-workflow-command",
        ),
        pytest.param(
            "x\x1b[2Jy\x00",
            "p:1:1: error c: x\\x1b[2Jy\\x00",
            "::error file=p,line=1,col=1::c: x\\x1b[2Jy\\x00",
            id="escape-and-nul",
        ),
        pytest.param(
            "x\u2028y\x85",
            "p:1:1: error c: x\\u2028y\\x85",
            "::error file=p,line=1,col=1::c: x\\u2028y\\x85",
            id="line-separators",
        ),
    ],
)
def test_a_diagnostic_is_one_line_whatever_its_message_holds(message: str, text: str, github: str) -> None:
    diagnostic = error("p", 1, 1, "c", message)
    assert diagnostic.as_text() == text
    assert diagnostic.as_github() == github
    assert len(diagnostic.as_text().splitlines()) == len(diagnostic.as_github().splitlines()) == 1


def test_a_title_with_a_newline_is_reported_on_one_line(scratch_kb: ScratchKB) -> None:
    shutil.copy(FIXTURE_KB / "papers" / "liu2023visual.yaml", scratch_kb.papers / "liu2023visual.yaml")
    shutil.copy(FIXTURE_KB / "papers" / "liu2023visual.yaml", scratch_kb.papers / "other.yaml")
    (scratch_kb.papers / "other.yaml").write_text(
        (scratch_kb.papers / "other.yaml")
        .read_text(encoding="utf-8")
        .replace("id: liu2023visual", 'id: "x\\n::error file=a::forged"'),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", "--format", "github"])
    assert not any(line.startswith("::error file=a") for line in result.output.splitlines())
