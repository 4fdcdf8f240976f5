"""`import bibtex` writes the values a BibTeX processor would see: `#` concatenations of @string
macros resolved, crossref'd fields inherited, volumes skipped, identifiers unescaped, URLs with
white space refused, `and others` / `et al.` marking the author list incomplete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ScratchKB

from surveykb.cli import main
from surveykb.formats.bibtex_concat import split_concatenation
from surveykb.formats.bibtex_read import parse_bibtex

STRINGS = '@string{me = "Jane"}\n@string{conf = {Proc. of X}}\n'

CASES = [
    pytest.param(
        STRINGS + '@article{a, title={T}, author = me # " Tester", year = 2020}\n',
        {"title": "T", "authors": ["Jane Tester"], "year": 2020},
        [],
        id="string-concatenated-with-quoted-text",
    ),
    pytest.param(
        STRINGS + '@article{a, title={T}, journal = conf # { Letters} # " " # 2020, year = 2020}\n',
        {"title": "T", "venue": "Proc. of X Letters 2020", "year": 2020},
        [],
        id="concatenation-of-macro-braces-quotes-and-number",
    ),
    pytest.param(
        '@article{a, title={T}, journal = unknown # " Letters", year = 2020}\n',
        {"title": "T", "venue": 'unknown # " Letters"', "year": 2020},
        [],
        id="unknown-macro-left-as-written",
    ),
    pytest.param(
        "@inproceedings{a, title={T}, author={Doe, Jane}, crossref={procx}}\n"
        "@proceedings{procx, title={Proceedings of X 2020}, year={2020}, publisher={P}}\n",
        {"title": "T", "authors": ["Jane Doe"], "year": 2020, "venue": "Proceedings of X 2020"},
        ["2:1: warning bibtex-not-a-paper: skipped 'procx': a @proceedings entry is a volume, not a paper"],
        id="crossref-inherits-and-proceedings-skipped",
    ),
    pytest.param(
        "@proceedings{procx, title={Proceedings of X 2020}, year={2020}, booktitle={X 2020}}\n"
        "@inproceedings{a, title={T}, crossref={PROCX}, year={2019}}\n",
        {"title": "T", "year": 2019, "venue": "X 2020"},
        ["1:1: warning bibtex-not-a-paper: skipped 'procx': a @proceedings entry is a volume, not a paper"],
        id="crossref-own-fields-win-key-case-ignored",
    ),
    pytest.param(
        "@article{a, title={T}, doi={10.1007/978-3-319-10602-1\\_48}}\n",
        {"title": "T", "doi": "10.1007/978-3-319-10602-1_48"},
        [],
        id="doi-latex-escape",
    ),
    pytest.param(
        "@article{a, title={T}, doi={10.1000/a%25b%7Bc%7D%5Cd}}\n",
        {"title": "T", "doi": "10.1000/a%b{c}\\d"},
        [],
        id="doi-percent-encoding-written-by-export",
    ),
    pytest.param(
        "@article{a, title={T}, url={https://example.org/a b}}\n",
        {"title": "T", "url": "https://example.org/a b"},
        [],
        id="url-white-space-kept-for-validation-to-refuse",
    ),
    pytest.param(
        "@article{a, title={T}, author={Doe, Jane and others}}\n",
        {"title": "T", "authors": ["Jane Doe"], "authors_complete": False},
        [],
        id="and-others",
    ),
    pytest.param(
        "@article{a, title={T}, author={Jane Doe and Tom Roe and et al.}}\n",
        {"title": "T", "authors": ["Jane Doe", "Tom Roe"], "authors_complete": False},
        [],
        id="et-al",
    ),
    pytest.param(
        "@article{a, title={T}, author={Jane Doe and Tom Roe}}\n",
        {"title": "T", "authors": ["Jane Doe", "Tom Roe"]},
        [],
        id="complete-list-not-marked",
    ),
]


@pytest.mark.parametrize(("text", "expected", "problems"), CASES)
def test_bibtex_values(text: str, expected: dict[str, Any], problems: list[str]) -> None:
    entries, found = parse_bibtex(text, "refs.bib")
    assert [entry.data for entry in entries] == [expected]
    assert [p.as_text() for p in found] == [f"refs.bib:{line}" for line in problems]


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        pytest.param('me # " Tester"', ["me", '" Tester"'], id="macro-and-quoted"),
        pytest.param("{a # b} # c", ["{a # b}", "c"], id="hash-inside-braces"),
        pytest.param('"x {"} y" # z', ['"x {"} y"', "z"], id="quote-inside-braces"),
        pytest.param("a # ", None, id="dangling-hash"),
        pytest.param("a b", None, id="not-a-concatenation"),
        pytest.param("{unclosed # a", None, id="unclosed-brace"),
    ],
)
def test_split_concatenation(value: str, parts: list[str] | None) -> None:
    assert split_concatenation(value) == parts


def test_import_refuses_a_url_with_white_space_and_marks_short_author_lists(
    scratch_kb: ScratchKB, tmp_path: Path
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{a, title={First Paper}, author={Doe, Jane and others}, year={2023}, url={https://example.org/a b}}\n"
        "@article{b, title={Second Paper}, author={Roe, Tom and others}, year={2023}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", "bibtex", str(bib), "--tag", "creator"])
    assert result.exit_code == 1
    assert "refs.bib:1:1: error bad-url: skipped 'a': 'https://example.org/a b' is not an http(s) URL" in result.output
    written = (scratch_kb.papers / "roe2023second.yaml").read_text(encoding="utf-8")
    assert "authors_complete: false\n" in written
    assert not (scratch_kb.papers / "doe2023first.yaml").exists()
