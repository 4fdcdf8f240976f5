"""Hostile text in every field that reaches a page is shown as text, never run as markup.

A site is built from records (and taxonomy names and descriptions) carrying each hostile string below
in every text field: title, authors, venue, summary, and a DOI, which only needs to start `10.`.
Every HTML page is then parsed; no page may hold an event handler, script, style, comment or
dangerous element or link that a hostile string made. Each string must instead appear, as literal
text, on the page of the record or taxonomy node that carries it. The search index (whose text
Material renders as HTML) gets the same checks, and exports/papers.json must hold the strings as
plain data. URL fields take http(s) links only; hostile ones are refused with a diagnostic instead.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import AXES, TODAY
from sitecheck import REPO

from surveykb.commands.build import build_site
from surveykb.core.taxonomy import load_taxonomy
from surveykb.core.validate import check_file
from surveykb.formats.record_yaml import dump_record

# Each string carries a marker XSSnn; a marker found anywhere live (a handler, a script, a comment,
# a link) means the string became markup.
HOSTILE = [
    "<script>alert('XSS01')</script>",
    "<img src=x onerror=alert('XSS02')>",
    "<svg/onload=alert('XSS03')>",
    "<a href=\"javascript:alert('XSS04')\">XSS04</a>",
    "[XSS05](javascript:alert('XSS05'))",
    "![XSS06](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert('XSS07')>",
    "[XSS08][x]\n\n[x]: javascript:alert('XSS08')",
    "<!-- XSS09 -->",
    "--><script>alert('XSS10')</script><!--",
    "{{ 'XSS11' | lower }} {{ 7*7 }}",
    "{% for c in 'XSS12' %}{{ c }}{% endfor %}",
    "{% raw %}XSS13{% endraw %}",
    "{{ macros_info() }} {{ config.site_name }} XSS14",
    "\"><img src=x onerror=alert('XSS15')>",
    "' onmouseover='alert(\"XSS16\")",
    "<iframe srcdoc=\"<script>alert('XSS17')</script>\"></iframe>",
    "<style>body{background:url(\"javascript:alert('XSS18')\")}</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'XSS19\')">',
    '<base href="https://evil.example/XSS20/">',
    "<form action=\"javascript:alert('XSS21')\"><button>XSS21</button></form>",
    "<details open ontoggle=alert('XSS22')>",
    "XSS23 {: onclick=\"alert('XSS23')\" }",
    '</div>\n<div class="kb-x" onclick="alert(\'XSS24\')">\nXSS24\n</div>',
    "<!--surveykb-block:0--> XSS25",
    "&lt;script&gt;alert('XSS26')&lt;/script&gt;",
    "<scr<script>ipt>alert('XSS27')</scr</script>ipt>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('XSS28')>",
    "<a href=\"&#106;avascript:alert('XSS29')\">XSS29</a>",
    '<div markdown="1">*XSS30*</div>',
    '</script><script>alert("XSS31")</script>',
    "\u202e<script>alert('XSS32')</script>\u202c",
    "x\n---\ntitle: <script>alert('XSS33')</script>\n---",
    "\n# XSS34 heading\n\n<script>alert('XSS34')</script>",
    "<scr\tipt>alert('XSS35')</scr\tipt> <img\tsrc=x onerror=alert('XSS35')>",
]
MARKER = re.compile(r"XSS\d\d")
ALERT = re.compile(r"XSS\d\d|alert", re.IGNORECASE)
TEXT_FIELDS = ("title", "venue", "summary")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "xlink:href",
    "background",
    "cite",
    "ping",
    "srcset",
}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "math", "mglyph", "portal"}
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Taxonomy text: (file, list key, entry id, field, hostile string number, a page that shows it).
TAXONOMY_PLACES = [
    pytest.param(
        "data4model.yaml", "nodes", "scaling", "name", 0, "taxonomy/scaling", id="group-name"
    ),  # a navigation section title
    pytest.param("data4model.yaml", "nodes", "acquisition", "name", 1, "taxonomy/acquisition", id="leaf-name"),
    pytest.param("data4model.yaml", "nodes", "acquisition", "short", 2, "taxonomy/acquisition", id="leaf-short-label"),
    pytest.param(
        "data4model.yaml", "nodes", "acquisition", "description", 3, "taxonomy/acquisition", id="leaf-description"
    ),
    pytest.param("stages.yaml", "stages", "pre-training", "name", 4, "papers/xss00", id="stage-name"),
    pytest.param("modalities.yaml", "modalities", "image", "name", 5, "papers/xss00", id="modality-name"),
    pytest.param("outline.yaml", "sections", "3.1.1", "title", 6, "outline", id="section-title"),
]


def hostile(number: int) -> str:
    return HOSTILE[number % len(HOSTILE)]


def record(number: int) -> dict[str, Any]:
    """Record `xssNN`: hostile string NN as its title, the next ones as authors, venue and summary,
    so that every string lands in every field of some record."""
    return {
        "id": f"xss{number:02d}",
        "title": hostile(number),
        "authors": [hostile(number + 1), hostile(number + 2)],
        "year": 2024,
        "venue": hostile(number + 3),
        "doi": f"10.1234/\"><svg/onload=alert('XSS{number:02d}')>",
        "url": f"https://example.org/paper?id={number}&q='onmouseover='alert(1)",
        "modalities": ["image"],
        "data4model": ["acquisition"],
        "model4data": ["creator"],
        "stages": ["pre-training"],
        "sections": ["3.1.1"],
        "summary": hostile(number + 4),
        "added": "2024-07-12",
    }


def hostile_taxonomy(taxonomy: Path) -> None:
    for place in TAXONOMY_PLACES:
        file, key, entry_id, name, number, _ = place.values
        path = taxonomy / file
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        entry = next(item for item in document[key] if str(item["id"]) == entry_id)
        entry[name] = HOSTILE[number]
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("xss")
    for name in ("mkdocs.yml", "docs", "templates", "taxonomy"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, workdir / name)
    hostile_taxonomy(workdir / "taxonomy")
    # Without a venue vocabulary a venue is free text, so hostile venues reach the pages.
    (workdir / "taxonomy" / "venues.yaml").unlink()
    (workdir / "papers").mkdir()
    for number in range(len(HOSTILE)):
        (workdir / "papers" / f"xss{number:02d}.yaml").write_text(dump_record(record(number), AXES), encoding="utf-8")
    build_site(workdir / "mkdocs.yml", workdir / "site", strict=True)
    return workdir / "site"


# --- Reading pages ------------------------------------------------------------------------------


@dataclass
class Parsed:
    """What a browser would make of a page: its elements, comments, scripts, styles and text."""

    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    scripts: list[tuple[str, str]] = field(default_factory=list)  # (type, content)
    styles: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = Parsed()
        self._raw: tuple[str, str] | None = None  # inside <script type> or <style>
        self._raw_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.parsed.elements.append((tag, values))
        if tag in ("script", "style"):
            self._raw, self._raw_text = (tag, values.get("type", "").lower()), []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parsed.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if self._raw and tag == self._raw[0]:
            content = "".join(self._raw_text)
            if tag == "script":
                self.parsed.scripts.append((self._raw[1], content))
            else:
                self.parsed.styles.append(content)
            self._raw = None

    def handle_data(self, data: str) -> None:
        (self._raw_text if self._raw else self.parsed.text).append(data)

    def handle_comment(self, data: str) -> None:
        self.parsed.comments.append(data)


def parse(html: str) -> Parsed:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.parsed


def live_markup(parsed: Parsed) -> list[str]:
    """Everything on a page that a hostile string could have turned into markup."""
    problems = []
    for tag, attributes in parsed.elements:
        if tag in FORBIDDEN_ELEMENTS:
            problems.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in attributes:
            problems.append(f"<meta http-equiv={attributes['http-equiv']}>")
        for name, value in attributes.items():
            if MARKER.search(name) or not re.fullmatch(r"[a-z][a-z0-9:_.-]*", name):
                problems.append(f"attribute name {name!r} on <{tag}>")
            if name.startswith("on") or name in ("style", "srcdoc"):
                if ALERT.search(value) or name == "srcdoc":
                    problems.append(f"{name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES and re.match(
                r"(javascript|data|vbscript):", re.sub(r"[\s\x00-\x1f]", "", value).lower()
            ):
                problems.append(f"{name}={value!r} on <{tag}>")
    for kind, content in parsed.scripts:
        if kind in EXECUTABLE_SCRIPT_TYPES and ALERT.search(content):
            problems.append(f"script {content[:80]!r}")
        if kind.endswith("json"):
            json.loads(content)  # a string that broke out of a data block would break its JSON
    problems += [f"style {style[:80]!r}" for style in parsed.styles if MARKER.search(style)]
    problems += [f"comment {comment[:80]!r}" for comment in parsed.comments if MARKER.search(comment)]
    return problems


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_text(site: Path, url: str) -> str:
    return "".join(parse((site / url / "index.html").read_text(encoding="utf-8")).text)


# --- The checks ---------------------------------------------------------------------------------


def test_there_are_enough_hostile_strings_and_each_is_distinct() -> None:
    markers = [tuple(MARKER.findall(text)) for text in HOSTILE]
    assert len(HOSTILE) >= 20 and all(markers) and len({found[0] for found in markers}) == len(HOSTILE)


def test_no_page_holds_markup_made_from_contributor_text(site: Path) -> None:
    problems = {
        html_file.relative_to(site).as_posix(): live_markup(parse(html_file.read_text(encoding="utf-8")))
        for html_file in html_files(site)
    }
    assert len(problems) > len(HOSTILE)
    assert {page: found for page, found in problems.items() if found} == {}


@pytest.mark.parametrize("number", range(len(HOSTILE)))
def test_each_record_shows_its_strings_as_literal_text(site: Path, number: int) -> None:
    data = record(number)
    text = page_text(site, f"papers/{data['id']}")
    for name in TEXT_FIELDS:
        assert data[name] in text, name
    assert ", ".join(data["authors"]) in text
    assert data["doi"] in text


@pytest.mark.parametrize(("file", "key", "entry_id", "name", "number", "page"), TAXONOMY_PLACES)
def test_taxonomy_text_is_shown_as_literal_text(
    site: Path, file: str, key: str, entry_id: str, name: str, number: int, page: str
) -> None:
    assert HOSTILE[number] in page_text(site, page)


def test_navigation_section_titles_are_text(site: Path) -> None:
    """Group names become navigation section titles, which the theme writes without escaping."""
    page = (site / "taxonomy" / "acquisition" / "index.html").read_text(encoding="utf-8")
    navigation = page[page.index("md-sidebar--primary") : page.index("md-sidebar--secondary")]
    assert HOSTILE[0] in "".join(parse(navigation).text)


def test_search_index_holds_text_not_markup(site: Path) -> None:
    """Material renders the index's titles and texts as HTML; they must be inert there too."""
    documents = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    problems = {
        doc["location"]: live_markup(parse(doc["title"])) + live_markup(parse(doc["text"])) for doc in documents
    }
    assert {location: found for location, found in problems.items() if found} == {}
    node = next(doc for doc in documents if doc["location"] == "taxonomy/acquisition/")
    assert "".join(parse(node["title"]).text) == HOSTILE[1]


def test_paper_search_index_holds_the_strings_as_data(site: Path) -> None:
    """search.js shows these with textContent; the index must hand them over unchanged."""
    document = json.loads((site / "search" / "papers.json").read_text(encoding="utf-8"))
    rows = {row[0]: dict(zip(document["fields"], row)) for row in document["papers"]}
    for number in range(len(HOSTILE)):
        data = record(number)
        assert rows[data["id"]]["title"] == data["title"]
        assert rows[data["id"]]["authors"] == "; ".join(data["authors"])


def test_papers_json_holds_the_strings_as_data(site: Path) -> None:
    document = json.loads((site / "exports" / "papers.json").read_text(encoding="utf-8"))
    exported = {paper["id"]: paper for paper in document["papers"]}
    for number in range(len(HOSTILE)):
        data = record(number)
        assert {name: exported[data["id"]][name] for name in (*TEXT_FIELDS, "authors", "doi", "url")} == {
            name: data[name] for name in (*TEXT_FIELDS, "authors", "doi", "url")
        }
    assert document["taxonomy"]["nodes"]["acquisition"]["name"] == HOSTILE[1]


def test_our_scripts_put_data_into_the_page_as_text_only() -> None:
    """The explorer builds its table from papers.json in the browser: never through an HTML parser."""
    scripts = sorted((REPO / "docs" / "javascripts").glob("*.js"))
    assert scripts
    for script in scripts:
        source = script.read_text(encoding="utf-8")
        assert not re.search(
            r"\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval|Function)\b\s*[=(]", source
        ), script.name


# --- URL fields: only http(s) links get in at all ---------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("javascript:alert(1)", id="javascript"),
        pytest.param("JaVaScRiPt:alert(1)", id="javascript-mixed-case"),
        pytest.param(" javascript:alert(1)", id="javascript-leading-space"),
        pytest.param("java\tscript:alert(1)", id="javascript-with-a-tab"),
        pytest.param("data:text/html,<script>alert(1)</script>", id="data"),
        pytest.param("vbscript:msgbox(1)", id="vbscript"),
        pytest.param("//evil.example/x", id="scheme-relative"),
        pytest.param('https://example.org/"><script>alert(1)</script>', id="attribute-breakout"),
        pytest.param("https://example.org/<img>", id="angle-brackets"),
        pytest.param("https://example.org/ onmouseover=alert(1)", id="space"),
        pytest.param("https://example.org/\nx", id="newline"),
        pytest.param("https://example.org/{{ 7*7 }}", id="jinja-braces"),
        pytest.param("https:alert(1)", id="no-host"),
        pytest.param("[x](https://example.org)", id="markdown-link"),
    ],
)
@pytest.mark.parametrize("name", ["url", "code"])
def test_a_hostile_link_is_refused_with_a_diagnostic(tmp_path: Path, name: str, value: str) -> None:
    taxonomy, _ = load_taxonomy(REPO / "taxonomy")
    data = {
        **record(0),
        "id": "x",
        "title": "T",
        "authors": ["A B"],
        "venue": "NeurIPS 2023",
        "summary": "S",
        "doi": "10.1234/x",
        name: value,
    }
    path = tmp_path / "x.yaml"
    text = dump_record(data, AXES)
    path.write_text(text, encoding="utf-8")
    _, diagnostics = check_file(path, {"taxonomy": taxonomy, "today": TODAY})
    line = next(number for number, content in enumerate(text.splitlines(), start=1) if content.startswith(f"{name}:"))
    assert [(d.line, d.code, d.message) for d in diagnostics] == [(line, "bad-url", f"'{value}' is not an http(s) URL")]
