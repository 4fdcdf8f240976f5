"""No command loses a file: writes are atomic, nothing is overwritten without --force, and --force
keeps the replaced file as `<name>.bak`.

Each writing command runs with a write interrupted half-way (Ctrl-C while the temporary file is being
written); the whole knowledge base must then be byte for byte what it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import DATA_DIR, FIXTURE_KB, REPO_ROOT

from surveykb.cli import main
from surveykb.core.files import BackupExists, FileExists, write_file

FLAMINGO_BIB = """\
@inproceedings{alayrac2022flamingo,
  title={Flamingo: a visual language model for few-shot learning},
  author={Alayrac, Jean-Baptiste and Donahue, Jeff},
  year={2022},
  eprint={2204.14198},
}
"""
LIU = "papers/liu2023visual.yaml"


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's taxonomy, the fixture records, a BibTeX file and the fixture awesome list."""
    shutil.copytree(REPO_ROOT / "taxonomy", tmp_path / "taxonomy")
    shutil.copytree(FIXTURE_KB / "papers", tmp_path / "papers")
    shutil.copy(DATA_DIR / "awesome_small.md", tmp_path / "list.md")
    (tmp_path / "in.bib").write_text(FLAMINGO_BIB, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*arguments: str) -> Result:
    return CliRunner().invoke(main, list(arguments))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root`, hidden ones (temporary files) included."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def uncanonical(kb: Path) -> None:
    path = kb / LIU
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "title: Visual Instruction Tuning", "title:   'Visual Instruction Tuning'"
        ),
        encoding="utf-8",
    )


def commented(kb: Path) -> None:
    path = kb / LIU
    path.write_text(path.read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")


def exported(kb: Path) -> None:
    (kb / "out.json").write_text("old export\n", encoding="utf-8")


def nothing(kb: Path) -> None:
    pass


WRITING_COMMANDS = [
    pytest.param(nothing, ["new", "--no-interactive", "--title", "A New Paper", "--tag", "acquisition"], id="new"),
    pytest.param(
        nothing,
        [
            "new",
            "--no-interactive",
            "--force",
            "--id",
            "liu2023visual",
            "--title",
            "Visual Instruction Tuning",
            "--tag",
            "creator",
        ],
        id="new-force",
    ),
    pytest.param(nothing, ["import", "bibtex", "in.bib", "--tag", "acquisition"], id="import-bibtex"),
    pytest.param(nothing, ["import", "awesome", "list.md"], id="import-awesome"),
    pytest.param(uncanonical, ["fmt"], id="fmt"),
    pytest.param(commented, ["fmt", "--force"], id="fmt-force"),
    pytest.param(nothing, ["export", "--format", "json", "-o", "out.json"], id="export"),
    pytest.param(exported, ["export", "--format", "bibtex", "-o", "out.json", "--force"], id="export-force"),
]


@pytest.fixture
def interrupt_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every file written through os.fdopen stop half-way with a KeyboardInterrupt (Ctrl-C).
    The returned list names the files whose writing was interrupted."""
    real_fdopen, real_mkstemp = os.fdopen, tempfile.mkstemp
    opened: dict[int, str] = {}
    interrupted: list[str] = []

    def mkstemp_remembered(*args: Any, **kwargs: Any) -> tuple[int, str]:
        descriptor, name = real_mkstemp(*args, **kwargs)
        opened[descriptor] = name
        return descriptor, name

    def fdopen_interrupted_half_way(descriptor: int, *args: Any, **kwargs: Any) -> Any:
        stream = real_fdopen(descriptor, *args, **kwargs)
        write = stream.write

        def write_half(text: str) -> int:
            write(text[: len(text) // 2])
            stream.flush()
            interrupted.append(opened.get(descriptor, "a file not made by mkstemp"))
            raise KeyboardInterrupt

        stream.write = write_half
        return stream

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_remembered)
    monkeypatch.setattr(os, "fdopen", fdopen_interrupted_half_way)
    return interrupted


@pytest.mark.parametrize(("arrange", "arguments"), WRITING_COMMANDS)
def test_an_interrupted_write_leaves_every_file_as_it_was(
    kb: Path, interrupt_writes: list[str], arrange: Callable[[Path], None], arguments: list[str]
) -> None:
    arrange(kb)
    before = snapshot(kb)
    result = run(*arguments)
    assert (result.exit_code, result.output.splitlines()[-1:]) == (1, ["Aborted!"])
    # The one write that was cut short went to a temporary file beside its target.
    assert len(interrupt_writes) == 1 and Path(interrupt_writes[0]).name.startswith("."), interrupt_writes
    assert snapshot(kb) == before


@pytest.mark.parametrize(("arrange", "arguments"), WRITING_COMMANDS)
def test_the_same_commands_write_when_not_interrupted(
    kb: Path, arrange: Callable[[Path], None], arguments: list[str]
) -> None:
    """The other half of the test above: each command does write (so the interruption was mid-write)."""
    arrange(kb)
    before = snapshot(kb)
    result = run(*arguments)
    assert result.exit_code in (0, 1), result.output  # import awesome reports the list's broken rows
    after = snapshot(kb)
    assert after != before
    assert not [name for name in after if Path(name).name.startswith(".")], "a temporary file was left behind"


# --- Nothing is overwritten without --force -------------------------------------------------------


def same_paper_as_liu(kb: Path) -> list[str]:
    return ["new", "--no-interactive", "--id", "liu2023visual", "--title", "Another Paper", "--tag", "acquisition"]


def bibtex_with_a_taken_id(kb: Path) -> list[str]:
    (kb / "in.bib").write_text(
        FLAMINGO_BIB.replace("Flamingo: a visual", "Visual")
        .replace("Alayrac", "Liu")
        .replace("2022", "2023")
        .replace("2204.14198", "2401.00001"),
        encoding="utf-8",
    )
    return ["import", "bibtex", "in.bib", "--tag", "acquisition"]


def awesome_list_with_a_taken_id(kb: Path) -> list[str]:
    taken = "imagebind-one-embedding-space-to-bind-them-all"
    (kb / "papers" / f"{taken}.yaml").write_text(f"id: {taken}\ntitle: Something Else\n", encoding="utf-8")
    return ["import", "awesome", "list.md"]


def export_over_a_file(kb: Path) -> list[str]:
    (kb / "out.json").write_text("old export\n", encoding="utf-8")
    return ["export", "--format", "json", "-o", "out.json"]


@pytest.mark.parametrize(
    ("arrange", "said"),
    [
        pytest.param(
            same_paper_as_liu,
            "error: papers/liu2023visual.yaml already exists; choose another --id or pass --force to replace it",
            id="new-with-a-taken-id",
        ),
        pytest.param(bibtex_with_a_taken_id, "papers/liu2023visual-2.yaml", id="import-bibtex-with-a-taken-id"),
        pytest.param(
            awesome_list_with_a_taken_id,
            "skipped papers/imagebind-one-embedding-space-to-bind-them-all.yaml: the file exists",
            id="import-awesome-with-a-taken-id",
        ),
        pytest.param(
            export_over_a_file, "error: out.json already exists; pass --force to replace it", id="export-over-a-file"
        ),
    ],
)
def test_without_force_no_existing_file_changes(kb: Path, arrange: Callable[[Path], list[str]], said: str) -> None:
    arguments = arrange(kb)
    before = snapshot(kb)
    result = run(*arguments)
    assert said in result.output.splitlines()
    after = snapshot(kb)
    assert {name: content for name, content in after.items() if name in before} == before


# --- --force keeps a backup -----------------------------------------------------------------------


FORCED = [
    pytest.param(
        nothing,
        LIU,
        [
            "new",
            "--no-interactive",
            "--force",
            "--id",
            "liu2023visual",
            "--title",
            "Visual Instruction Tuning",
            "--tag",
            "creator",
        ],
        "kept the replaced file as papers/liu2023visual.yaml.bak\n",
        id="new",
    ),
    pytest.param(
        commented,
        LIU,
        ["fmt", "--force", LIU],
        "kept the file with its comments as papers/liu2023visual.yaml.bak\n",
        id="fmt",
    ),
    pytest.param(
        exported,
        "out.json",
        ["export", "--format", "json", "-o", "out.json", "--force"],
        "kept the replaced file as out.json.bak\n",
        id="export",
    ),
]


@pytest.mark.parametrize(("arrange", "target", "arguments", "message"), FORCED)
def test_force_keeps_the_replaced_file_as_a_backup(
    kb: Path, arrange: Callable[[Path], None], target: str, arguments: list[str], message: str
) -> None:
    arrange(kb)
    old = (kb / target).read_bytes()
    result = run(*arguments)
    assert result.exit_code == 0, result.output
    assert message in result.stderr
    assert (kb / f"{target}.bak").read_bytes() == old
    assert (kb / target).read_bytes() != old


@pytest.mark.parametrize(("arrange", "target", "arguments", "message"), FORCED)
def test_force_refuses_while_an_earlier_backup_is_there(
    kb: Path, arrange: Callable[[Path], None], target: str, arguments: list[str], message: str
) -> None:
    arrange(kb)
    (kb / f"{target}.bak").write_text("an earlier backup\n", encoding="utf-8")
    before = snapshot(kb)
    result = run(*arguments)
    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"error: {target}.bak is left from an earlier --force; delete it once you have checked it, then try again\n"
    )
    assert snapshot(kb) == before


def test_fmt_force_keeps_no_backup_of_a_file_without_comments(kb: Path) -> None:
    """Only a rewrite that drops comments loses anything; the others keep every value."""
    uncanonical(kb)
    result = run("fmt", "--force", LIU)
    assert (result.exit_code, result.stdout) == (0, "reformatted papers/liu2023visual.yaml\n")
    assert not (kb / f"{LIU}.bak").exists()


def test_a_backup_left_in_papers_is_reported_until_deleted(kb: Path) -> None:
    commented(kb)
    run("fmt", "--force", LIU)
    result = run("validate")
    assert result.exit_code == 1
    assert (
        "papers/liu2023visual.yaml.bak:1:1: error stray-file: papers/ holds only records named <id>.yaml"
        in result.stdout.splitlines()
    )


# --- write_file, the one helper every --force goes through ----------------------------------------


def test_write_file_refuses_an_existing_file_without_force(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("old\n")
    with pytest.raises(FileExists):
        write_file(path, "new\n")
    assert snapshot(tmp_path) == {"x.yaml": b"old\n"}


def test_write_file_with_force_on_a_new_file_keeps_no_backup(tmp_path: Path) -> None:
    assert write_file(tmp_path / "x.yaml", "new\n", force=True) is None
    assert snapshot(tmp_path) == {"x.yaml": b"new\n"}


def test_write_file_with_force_keeps_the_old_content(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("old\n")
    assert write_file(path, "new\n", force=True) == tmp_path / "x.yaml.bak"
    assert snapshot(tmp_path) == {"x.yaml": b"new\n", "x.yaml.bak": b"old\n"}


def test_write_file_never_replaces_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("second\n")
    (tmp_path / "x.yaml.bak").write_text("first\n")
    with pytest.raises(BackupExists) as refused:
        write_file(path, "third\n", force=True)
    assert refused.value.backup == tmp_path / "x.yaml.bak"
    assert snapshot(tmp_path) == {"x.yaml": b"second\n", "x.yaml.bak": b"first\n"}


def test_interrupted_forced_write_keeps_the_old_file_and_no_backup(tmp_path: Path, interrupt_writes: list[str]) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("old\n")
    with pytest.raises(KeyboardInterrupt):
        write_file(path, "new content\n", force=True)
    assert snapshot(tmp_path) == {"x.yaml": b"old\n"}


def test_forced_write_over_a_symlink_leaves_its_target_alone(tmp_path: Path) -> None:
    target = tmp_path / "outside.txt"
    target.write_text("not ours\n")
    path = tmp_path / "x.yaml"
    path.symlink_to(target)
    assert write_file(path, "new\n", force=True) == tmp_path / "x.yaml.bak"
    assert (tmp_path / "x.yaml.bak").is_symlink() and not path.is_symlink()
    assert (path.read_text(), target.read_text()) == ("new\n", "not ours\n")
