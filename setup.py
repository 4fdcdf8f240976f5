"""Packaging: the site's templates and its stylesheet and scripts travel inside the package.

A knowledge base made by `surveykb init` has no templates/ of its own, so the plugin falls back on
surveykb's. In a source checkout (and an editable install) those are the repository's templates/ and
docs/; an installed wheel carries copies under surveykb/bundled/, which this build step makes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = ("templates", "docs/stylesheets", "docs/javascripts")


class BuildWithBundledFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the repository's own files
            return
        target = Path(self.build_lib) / "surveykb" / "bundled"
        for folder in BUNDLED:
            shutil.copytree(HERE / folder, target / folder, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithBundledFiles})
