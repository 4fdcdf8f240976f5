"""Golden pages: the main content of one page of each type, for the fixture knowledge base, is
exactly its committed file in tests/data/golden/. After an intended change, regenerate them with

    SURVEYKB_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

and read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FIXTURE_KB, REPO_ROOT, TODAY

from surveykb.core.index import build_index
from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.site.build import SiteContent, site_content

GOLDEN = Path(__file__).parent / "data" / "golden"
PAGES = [
    pytest.param("", "home", id="home"),
    pytest.param("taxonomy/scaling-up/", "node", id="node"),
    pytest.param("papers/liu2023visual/", "paper", id="paper"),
    pytest.param("tables/data4model-model4data/", "table", id="table"),
    pytest.param("tables/data4model-model4data/acquisition--creator/", "cell", id="cell"),
    pytest.param("outline/", "outline", id="outline"),
    pytest.param("gaps/", "gaps", id="gaps"),
    pytest.param("charts/", "charts", id="charts"),
]


@pytest.fixture(scope="module")
def content() -> SiteContent:
    kb, diagnostics = load_knowledge_base(FIXTURE_KB, today=TODAY)
    assert kb is not None and not any(d.is_error for d in diagnostics), diagnostics
    return site_content(build_index(kb), REPO_ROOT / "templates" / "pages", "https://example.test/edit/main/")


@pytest.mark.parametrize(("url", "name"), PAGES)
def test_page_is_its_golden_file(content: SiteContent, url: str, name: str) -> None:
    page = next(page for page in content.pages if page.url == url)
    html = content.render(page).html
    expected = GOLDEN / f"{name}.html"
    if os.environ.get("SURVEYKB_UPDATE_GOLDEN"):
        expected.write_text(html, encoding="utf-8")
    assert html == expected.read_text(encoding="utf-8"), f"{name}: see the module docstring to regenerate"
