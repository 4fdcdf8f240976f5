"""The wheel: an installed surveykb (not the source tree) starts a knowledge base and builds its site,
with the templates, stylesheet and scripts it carries."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sitecheck import REPO

SOURCES = ["pyproject.toml", "setup.py", "README.md", "src", "templates", "docs"]
BUNDLED = [
    "surveykb/bundled/templates/pages/home.html.j2",
    "surveykb/bundled/templates/pages/paper.html.j2",
    "surveykb/bundled/templates/theme/main.html",
    "surveykb/bundled/docs/stylesheets/surveykb.css",
    "surveykb/bundled/docs/javascripts/explorer.js",
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of the sources (the build writes beside them)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, source / name, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__", "bundled")
            )
        else:
            shutil.copy(REPO / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        str(out),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return next(out.glob("surveykb-*.whl"))


def test_the_wheel_carries_the_templates_stylesheet_and_scripts(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert [name for name in BUNDLED if name not in names] == []
    for name in names:
        if name.startswith("surveykb/bundled/templates/"):
            relative = name.removeprefix("surveykb/bundled/")
            assert (REPO / relative).read_bytes() == zipfile.ZipFile(wheel).read(name), name


def test_an_installed_surveykb_starts_and_builds_a_knowledge_base(wheel: Path, tmp_path: Path) -> None:
    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    # The unpacked wheel comes first on the path, before the checkout's editable install.
    environment = {**os.environ, "PYTHONPATH": str(installed), "NO_MKDOCS_2_WARNING": "1"}
    environment.pop("SURVEYKB_SITE_URL", None)
    environment.pop("SURVEYKB_REPO_URL", None)
    script = (
        "import sys, surveykb.site.plugin as plugin; from surveykb.cli import main; "
        "assert plugin.BUNDLED == plugin.PACKAGED, plugin.BUNDLED; sys.argv[0] = 'surveykb'; main()"
    )
    for arguments in (["init", str(tmp_path / "kb")], ["build", "--root", str(tmp_path / "kb"), "--strict"]):
        done = subprocess.run(
            [sys.executable, "-c", script, *arguments], env=environment, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
    site = tmp_path / "kb" / "site"
    assert "Attention Is All You Need" in (site / "papers" / "vaswani2017attention" / "index.html").read_text(
        encoding="utf-8"
    )
    assert (site / "stylesheets" / "surveykb.css").is_file() and (site / "javascripts" / "explorer.js").is_file()
