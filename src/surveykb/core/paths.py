"""Where a knowledge base's files are, and how their paths are shown to a contributor."""

from __future__ import annotations

import os
from pathlib import Path

from surveykb.core.diagnostics import Diagnostic, error, warning


def display_path(path: Path) -> str:
    """The path as a contributor would type it: relative to the working directory when inside it."""
    # String operations with the meaning of Path.absolute().relative_to(Path.cwd()): this runs once
    # per record, and the pathlib version is several times slower.
    cwd = os.getcwd()
    text = str(path)
    absolute = text if path.is_absolute() else os.path.join(cwd, text)
    if absolute == cwd:
        return "."
    inside = cwd if cwd.endswith(os.sep) else cwd + os.sep
    return absolute[len(inside) :] if absolute.startswith(inside) else text


def record_paths(papers_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Every record file in `papers/`, and a diagnostic for anything else found there."""
    if papers_dir.is_symlink():
        # A pull request could point papers/ anywhere on the machine that builds the site.
        message = "papers/ must be a folder inside the repository, not a symbolic link"
        return [], [error(display_path(papers_dir), 1, 1, "symlink", message)]
    if not papers_dir.is_dir():
        return [], [error(display_path(papers_dir), 1, 1, "no-papers", "the papers directory does not exist")]
    paths: list[Path] = []
    strays: list[Diagnostic] = []
    for entry in sorted(papers_dir.iterdir(), key=lambda entry: entry.name):
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            message = "a temporary file left by an interrupted write; the record it was for is unchanged, so delete it"
            strays.append(warning(display_path(entry), 1, 1, "leftover-temporary", message))
            continue
        if entry.name.startswith("."):
            continue
        if entry.suffix == ".yaml" or entry.is_symlink():
            paths.append(entry)
        else:
            strays.append(error(display_path(entry), 1, 1, "stray-file", "papers/ holds only records named <id>.yaml"))
    return paths, strays


def expand_paths(arguments: list[Path]) -> list[Path]:
    """Files as given; directories become the `.yaml` files directly inside them."""
    found: list[Path] = []
    for argument in arguments:
        if argument.is_dir() and not argument.is_symlink():
            found += sorted(path for path in argument.iterdir() if path.suffix == ".yaml")
        else:
            found.append(argument)
    return found


def is_knowledge_base(folder: Path) -> bool:
    return (folder / "taxonomy").is_dir() and (folder / "papers").is_dir()


def find_root(start: Path) -> Path:
    """The nearest directory at or above `start` holding `taxonomy/` and `papers/`, else `start`."""
    current = start.absolute()
    for candidate in (current, *current.parents):
        if is_knowledge_base(candidate):
            return candidate
    return start
