"""Inputs built to exhaust the checker are refused with one diagnostic, quickly and in little memory.

Each case runs under tracemalloc and a clock. The bounds are loose enough for a busy CI machine and
far below what the unguarded code took (an alias bomb expands to a billion strings; the quadratic
awesome-list patterns took 10-24 s on one long line).
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT, ScratchKB

from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.core.load import MAX_DEPTH, MAX_FILE_BYTES, MAX_ITEMS
from surveykb.core.taxonomy import load_taxonomy
from surveykb.formats.awesome_read import parse_list, undouble_title

SECONDS = 3.0
MEGABYTES = 64
HEAD = "id: x\ntitle: T\n"


@contextmanager
def bounded() -> Iterator[None]:
    """Fail when the block takes more than SECONDS or allocates more than MEGABYTES at its peak."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        yield
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    assert elapsed < SECONDS, f"took {elapsed:.2f} s"
    assert peak < MEGABYTES, f"peaked at {peak:.1f} MB"


def billion_laughs() -> str:
    levels = [f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]" for level in range(1, 10)]
    return HEAD + "l0: &l0 lol\n" + "\n".join(levels) + "\n"


def nested_block_lists(depth: int) -> str:
    return HEAD + "summary:\n" + "".join(f"{'  ' * level}- \n" for level in range(1, depth)) + f"{'  ' * depth}- deep\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            billion_laughs(),
            "4:5: error alias: YAML anchors and aliases are not allowed in records; write the value out",
            id="alias-bomb",
        ),
        pytest.param(
            HEAD + "a: &k key\n*k : value\n",
            "4:6: error alias: YAML anchors and aliases are not allowed in records; write the value out",
            id="aliased-key",
        ),
        pytest.param(
            HEAD + "base: &b {year: 2023}\nmerged:\n  <<: *b\n",
            "5:3: error alias: YAML anchors and aliases are not allowed in records; write the value out",
            id="merge-key",
        ),
        pytest.param(
            nested_block_lists(MAX_DEPTH + 5),
            f"{MAX_DEPTH + 4}:{2 * MAX_DEPTH + 3}: error too-deep: values are nested more than {MAX_DEPTH} levels deep",
            id="deep-block-nesting",
        ),
        pytest.param(
            HEAD + "summary: " + "[" * 100_000 + "\n",
            "3:1009: error yaml-syntax: exceeded maximum nesting depth (while increasing flow level)",
            id="deep-flow-nesting",
        ),
        pytest.param(
            HEAD + "summary: " + "{a: " * 50_000 + "}" * 50_000 + "\n",
            "3:4006: error yaml-syntax: exceeded maximum nesting depth (while increasing flow level)",
            id="deep-flow-mappings",
        ),
        pytest.param(
            HEAD + "data4model:\n" + "  - acquisition\n" * 10_000,
            f"4:3: error too-many: this list holds 10000 entries; at most {MAX_ITEMS} are allowed",
            id="ten-thousand-tags",
        ),
        pytest.param(
            HEAD + "model4data:\n" + "".join(f"  - tag{i}\n" for i in range(MAX_ITEMS + 1)),
            f"4:3: error too-many: this list holds {MAX_ITEMS + 1} entries; at most {MAX_ITEMS} are allowed",
            id="unknown-tags-one-over-the-limit",
        ),
        pytest.param(
            HEAD + "authors: [" + ", ".join(f"Author {i}" for i in range(5_000)) + "]\n",
            f"3:10: error too-many: this list holds 5000 entries; at most {MAX_ITEMS} are allowed",
            id="five-thousand-authors",
        ),
        pytest.param(
            HEAD + "".join(f"field{i}: x\n" for i in range(10_000)),
            f"1:1: error too-many: this mapping holds 10002 entries; at most {MAX_ITEMS} are allowed",
            id="ten-thousand-fields",
        ),
        pytest.param(
            HEAD + "summary: " + "x" * MAX_FILE_BYTES + "\n",
            f"1:1: error too-large: the file is {MAX_FILE_BYTES + 25} bytes; a record may be at most {MAX_FILE_BYTES} bytes",
            id="huge-file",
        ),
    ],
)
def test_hostile_record_is_refused_in_bounded_time_and_memory(
    scratch_kb: ScratchKB, content: str, expected: str
) -> None:
    scratch_kb.write("x.yaml", content)
    with bounded():
        diagnostics = scratch_kb.report()
    assert diagnostics == [f"papers/x.yaml:{expected}"]


def test_thousands_of_tags_under_the_limit_are_checked_in_bounded_time(scratch_kb: ScratchKB) -> None:
    """Just under the limit every tag is still checked: one diagnostic per unknown tag, quickly."""
    tags = "".join(f"  - tag{i}\n" for i in range(MAX_ITEMS))
    scratch_kb.write("x.yaml", HEAD + "model4data:\n" + tags)
    with bounded():
        diagnostics = scratch_kb.check()
    assert [d.code for d in diagnostics] == ["unknown-tag"] * MAX_ITEMS
    assert (diagnostics[0].line, diagnostics[-1].line) == (4, MAX_ITEMS + 3)


def test_ten_thousand_character_title_is_refused_at_its_line(scratch_kb: ScratchKB) -> None:
    """A title is repeated in hundreds of rows of the site; an absurd one would multiply its size."""
    scratch_kb.write(
        "x.yaml",
        "id: x\ntitle: "
        + "Long " * 2_000
        + "\ndata4model: [acquisition]\nyear: 2023\nauthors: [A B]\narxiv: '2304.08485'\n",
    )
    with bounded():
        assert scratch_kb.report() == [
            "papers/x.yaml:2:8: error too-long: this text is 9999 characters long; at most 500 are allowed here"
        ]


# --- Files that are not what they seem --------------------------------------------------------------


def outside_file(root: Path) -> Path:
    """A valid record outside the knowledge base, as a pull request might point to one."""
    secret = root.parent / "outside" / "x.yaml"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text("id: x\ntitle: Secret\ndata4model: [acquisition]\n", encoding="utf-8")
    return secret


def symlinked_record(kb: ScratchKB) -> None:
    (kb.papers / "x.yaml").symlink_to(outside_file(kb.root))


def symlinked_record_to_a_device(kb: ScratchKB) -> None:
    (kb.papers / "x.yaml").symlink_to("/dev/zero")


def symlinked_directory(kb: ScratchKB) -> None:
    (kb.papers / "more").symlink_to(outside_file(kb.root).parent, target_is_directory=True)


def directory_named_like_a_record(kb: ScratchKB) -> None:
    (kb.papers / "x.yaml").mkdir()


def fifo_named_like_a_record(kb: ScratchKB) -> None:
    os.mkfifo(kb.papers / "x.yaml")  # reading it would block for ever


def subdirectory(kb: ScratchKB) -> None:
    (kb.papers / "more").mkdir()
    (kb.papers / "more" / "y.yaml").write_text("id: y\ntitle: Y\n", encoding="utf-8")


def symlinked_papers_folder(kb: ScratchKB) -> None:
    kb.papers.rmdir()
    kb.papers.symlink_to(outside_file(kb.root).parent, target_is_directory=True)


@pytest.mark.parametrize(
    ("arrange", "expected"),
    [
        pytest.param(
            symlinked_record,
            "papers/x.yaml:1:1: error symlink: records must be regular files, not symbolic links",
            id="record-links-outside",
        ),
        pytest.param(
            symlinked_record_to_a_device,
            "papers/x.yaml:1:1: error symlink: records must be regular files, not symbolic links",
            id="record-links-to-dev-zero",
        ),
        pytest.param(
            symlinked_directory,
            "papers/more:1:1: error symlink: records must be regular files, not symbolic links",
            id="directory-links-outside",
        ),
        pytest.param(
            directory_named_like_a_record,
            "papers/x.yaml:1:1: error not-a-file: not a regular file",
            id="directory-named-x-yaml",
        ),
        pytest.param(
            fifo_named_like_a_record, "papers/x.yaml:1:1: error not-a-file: not a regular file", id="fifo-named-x-yaml"
        ),
        pytest.param(
            subdirectory,
            "papers/more:1:1: error stray-file: papers/ holds only records named <id>.yaml",
            id="subdirectory",
        ),
        pytest.param(
            symlinked_papers_folder,
            "papers:1:1: error symlink: papers/ must be a folder inside the repository, not a symbolic link",
            id="papers-folder-links-outside",
        ),
    ],
)
def test_nothing_outside_papers_is_read(
    scratch_kb: ScratchKB, arrange: Callable[[ScratchKB], Any], expected: str
) -> None:
    arrange(scratch_kb)
    with bounded():
        kb, diagnostics = load_knowledge_base(Path("."))
    assert [d.as_text() for d in diagnostics] == [expected]
    assert kb is not None and kb.records == ()


# --- Importer inputs that made patterns quadratic ---------------------------------------------------

LONG = 170_000


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("<summary>" * (LONG // 9), 0, id="unclosed-summaries"),
        pytest.param("</summary>" + "<summary>" * (LONG // 9), 0, id="summaries-after-a-close"),
        pytest.param("|t|" + "![](https://img.shields.io/badge/" * (LONG // 33) + "|", 1, id="unfinished-badges"),
        pytest.param("|t|" + "![" * (LONG // 2) + "|", 1, id="unclosed-alt-texts"),
    ],
)
def test_long_awesome_list_lines_parse_in_bounded_time(line: str, expected: int) -> None:
    text = "| Title | Tags |\n|---|---|\n" + line + "\n"
    with bounded():
        awesome, _ = parse_list(text, "list.md")
    assert len(awesome.rows) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("a" * 100_000 + "b" + "a" * 100_000, "a" * 100_000 + "b" + "a" * 100_000, id="almost-doubled"),
        pytest.param("a" * 200_000, "a" * 200_000, id="one-letter"),
        pytest.param(
            "Long Title Here" + " " * 100_000 + "Long Title Here", "Long Title Here", id="doubled-across-spaces"
        ),
        pytest.param(" " * 200_000, " " * 200_000, id="all-spaces"),
    ],
)
def test_doubled_title_check_is_linear(title: str, expected: str) -> None:
    """The regex it replaced took 7 s on the almost-doubled title."""
    with bounded():
        result = undouble_title(title)
    assert result == expected


def test_the_real_taxonomy_loads_under_the_limits() -> None:
    """The limits leave room: the repository's taxonomy and records pass them."""
    taxonomy, problems = load_taxonomy(REPO_ROOT / "taxonomy")
    assert taxonomy is not None and problems == []
    kb, diagnostics = load_knowledge_base(REPO_ROOT)
    assert kb is not None and not [d for d in diagnostics if d.code in ("too-many", "too-deep", "too-large")]
