"""Exports carry hostile record text as inert data, checked with a real reader of each format:
the csv module (as a spreadsheet would split the cells), two Markdown renderers (CommonMark/GFM and
Python-Markdown, as GitHub and MkDocs render the awesome list) and bibtexparser."""

from __future__ import annotations

import csv
import io
import shutil
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import markdown
import pytest
from conftest import FIXTURE_KB, TODAY
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from surveykb.core.index import Index, build_index
from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.formats import markdown_text
from surveykb.formats.awesome_read import parse_list
from surveykb.formats.data_files import FORMULA_STARTS, export_text, inert_cell

BASE = (FIXTURE_KB / "papers" / "liu2023visual.yaml").read_text(encoding="utf-8")

FORMULAS = [
    pytest.param('=HYPERLINK("https://evil.example","click")', id="equals"),
    pytest.param("+1+cmd|' /C calc'!A0", id="plus-dde"),
    pytest.param("-2+3", id="minus"),
    pytest.param("@SUM(A1:A9)", id="at"),
    pytest.param("\tTabbed =1", id="tab"),
]

MARKUP = [
    pytest.param("<script>alert(1)</script> Title", id="script"),
    pytest.param("<img src=x onerror=alert(1)>", id="img-onerror"),
    pytest.param("[click](javascript:alert(1))", id="javascript-link"),
    pytest.param("![x](javascript:alert(1))", id="javascript-image"),
    pytest.param("<javascript:alert(1)>", id="autolink"),
    pytest.param("<a href='javascript:alert(1)'>x</a>", id="anchor"),
    pytest.param("**bold** _em_ `code` ~~strike~~", id="emphasis"),
    pytest.param("<!-- comment --> text", id="html-comment"),
    pytest.param("&lt;script&gt; already escaped &amp;", id="entities"),
    pytest.param("Back\\slash \\[not a link\\](x)", id="backslashes"),
    pytest.param("</details><details open>", id="details-breakout"),
]


def _index(tmp_path: Path, **fields: str) -> Index:
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB / "taxonomy", root / "taxonomy")
    (root / "papers").mkdir()
    text = BASE
    for name, value in fields.items():
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'
        if name == "authors":
            text = text.replace("  - Haotian Liu\n", f"  - {quoted}\n")
        else:
            text = (
                "\n".join(f"{name}: {quoted}" if line.startswith(f"{name}:") else line for line in text.splitlines())
                + "\n"
            )
            if f"\n{name}: " not in text:
                text += f"{name}: {quoted}\n"
    (root / "papers" / "liu2023visual.yaml").write_text(text, encoding="utf-8")
    kb, diagnostics = load_knowledge_base(root, today=TODAY)
    assert kb is not None and not any(d.is_error for d in diagnostics), diagnostics
    return build_index(kb)


@pytest.mark.parametrize("payload", FORMULAS)
def test_no_csv_cell_starts_a_formula(tmp_path: Path, payload: str) -> None:
    index = _index(tmp_path, title=payload, authors=payload, summary=payload)
    rows = list(csv.reader(io.StringIO(export_text("csv", index, list(index.papers.values())))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    header, row = rows
    record = dict(zip(header, row))
    assert record["title"] == record["summary"] == f"'{payload}"
    assert record["authors"].startswith(f"'{payload}; ")


class _Elements(HTMLParser):
    """Every element and attribute of rendered HTML, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


RENDERERS = {
    "commonmark-gfm": lambda text: MarkdownIt("gfm-like").render(text),
    "python-markdown": lambda text: markdown.markdown(text, extensions=["tables", "md_in_html"]),
}


@pytest.mark.parametrize("renderer", list(RENDERERS))
@pytest.mark.parametrize("payload", MARKUP)
def test_awesome_list_renders_a_hostile_title_as_its_text(tmp_path: Path, payload: str, renderer: str) -> None:
    index = _index(tmp_path, title=payload)
    exported = export_text("awesome", index, list(index.papers.values()))
    rendered = _Elements()
    rendered.feed(RENDERERS[renderer](exported))
    allowed = {
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "ul",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "details",
        "summary",
        "img",
        "a",
        "em",
        "code",
    }  # the intro has emphasis and code
    assert {tag for tag, _ in rendered.tags} <= allowed
    for tag, attrs in rendered.tags:
        assert not [name for name, _ in attrs if name.startswith("on")]
        links = [value or "" for name, value in attrs if name in ("href", "src")]
        assert all(link.startswith("https://") for link in links), (tag, attrs)
    assert rendered.comments == []
    assert sum(payload in text for text in rendered.text) >= 1  # the title cell, as text
    awesome, problems = parse_list(exported, "awesome.md")
    assert problems == [] and [row.title for row in awesome.rows] == [payload]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60))
def test_markdown_escape_reads_back_exactly(text: str) -> None:
    assert markdown_text.unescape(markdown_text.escape(text)) == text


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.text(st.sampled_from("<>&[]()!*_`~\\|#-+=@:/ajs1.)\"' "), max_size=40).filter(lambda t: t.strip()))
def test_escaped_markdown_renders_no_element(text: str) -> None:
    line = " ".join(text.split())  # as the awesome list writes a title: on one line
    for render in (MarkdownIt("commonmark").render, markdown.markdown):
        rendered = _Elements()
        rendered.feed(render(markdown_text.escape(line)))
        assert [tag for tag, _ in rendered.tags] == ["p"], (line, render(markdown_text.escape(line)))
        assert "".join(rendered.text).strip() == line


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.text(st.sampled_from("=+-@\t\r ab1;"), max_size=12))
def test_inert_cell_never_starts_a_formula(text: str) -> None:
    cell = inert_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell.removeprefix("'") == text or cell == text


VERBATIM = [
    pytest.param("doi", "10.1000/a%}b", "10.1000/a%25%7Db", id="doi-percent-brace"),
    pytest.param("doi", "10.1000/x\\}\\par{", "10.1000/x%5C%7D%5Cpar%7B", id="doi-backslash-braces"),
    pytest.param("doi", "10.1000/y}},title={pwned", "10.1000/y%7D%7D,title=%7Bpwned", id="doi-field-injection"),
    pytest.param("doi", "10.1000/ok%20fine", "10.1000/ok%20fine", id="doi-already-encoded"),
    pytest.param("url", "https://example.org/a%zz?q=1#%", "https://example.org/a%25zz?q=1#%25", id="url-percent"),
]


@pytest.mark.parametrize(("field", "value", "written"), VERBATIM)
def test_a_doi_or_url_cannot_break_out_of_its_bibtex_field(
    tmp_path: Path, field: str, value: str, written: str
) -> None:
    index = _index(tmp_path, **{field: value})
    library = bibtexparser.parse_string(export_text("bibtex", index, list(index.papers.values())))
    assert library.failed_blocks == []
    [entry] = library.entries
    assert entry[field] == written
    assert "title" in entry and entry["title"] != "pwned"
    assert set(entry.fields_dict) <= {"title", "author", "booktitle", "year", "eprint", "archiveprefix", "url", "doi"}
