"""`surveykb init`: a new knowledge base that validates and builds strictly, holds none of this
survey's ids, and is never written over anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sitecheck import REPO, broken_links
from test_any_survey import id_pattern, own_taxonomy_ids

from surveykb.cli import main
from surveykb.commands.build import build_site
from surveykb.commands.init import starter_files

EXPECTED = [
    ".github/ISSUE_TEMPLATE/add-paper.yml",
    ".github/workflows/links.yml",
    ".github/workflows/pages.yml",
    ".github/workflows/validate.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "CONTRIBUTING.md",
    "README.md",
    "docs/about.md",
    "mkdocs.yml",
    "papers/vaswani2017attention.yaml",
    "schema/paper.schema.json",
    "taxonomy/application.yaml",
    "taxonomy/approach.yaml",
    "taxonomy/modalities.yaml",
    "taxonomy/outline.yaml",
    "taxonomy/stages.yaml",
]


@pytest.fixture(scope="module")
def created(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("init") / "my-survey"
    result = CliRunner().invoke(main, ["init", str(target), "--title", 'Graph Learning: A "Survey" #1'])
    assert result.exit_code == 0, result.output
    return target


def test_init_writes_every_starter_file(created: Path) -> None:
    assert sorted(path.relative_to(created).as_posix() for path in created.rglob("*") if path.is_file()) == EXPECTED


@pytest.mark.parametrize("command", [["validate", "--strict"], ["fmt", "--check"], ["schema", "--check"]])
def test_the_new_knowledge_base_passes_its_own_checks(created: Path, command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--root", str(created)])
    assert result.exit_code == 0, result.output


def test_the_new_knowledge_base_builds_strictly_with_the_title_as_site_name(created: Path) -> None:
    build_site(created / "mkdocs.yml", created / "site", strict=True)
    home = (created / "site" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="graph-learning-a-survey-1">Graph Learning: A &#34;Survey&#34; #1<a' in home
    assert (created / "site" / "outline" / "index.html").is_file()
    assert (created / "site" / "tables" / "application-approach" / "index.html").is_file()
    assert broken_links(created / "site") == []
    # Its docs/ has no stylesheet or scripts of its own: the bundled ones are added and linked once,
    # the paper search among them (Material's own index leaves paper pages out).
    for asset in ("stylesheets/surveykb.css", "javascripts/explorer.js", "javascripts/search.js"):
        assert (created / "site" / asset).read_text(encoding="utf-8") == (REPO / "docs" / asset).read_text(
            encoding="utf-8"
        )
        assert home.count(f'{asset}"') == 1


def test_the_starter_holds_none_of_this_surveys_ids() -> None:
    patterns = [id_pattern(node_id) for node_id in own_taxonomy_ids()]
    for path, text in starter_files("T").items():
        assert not [pattern.pattern for pattern in patterns if pattern.search(text)], path


@pytest.mark.parametrize("existing", ["a-file.txt", ".hidden"])
def test_a_non_empty_directory_is_refused_and_nothing_is_written(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_text("keep\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert (
        f"error: {tmp_path} is not empty; `surveykb init` writes only into a new or empty directory, and wrote nothing"
        in result.output
    )
    assert [path.name for path in tmp_path.iterdir()] == [existing]


def test_an_empty_directory_is_filled(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert 'site_name: "A survey knowledge base"' in (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
