"""Atomic writes: a file is either the old one or the new one, never half of either."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from surveykb.core.files import FileExists, write_atomic


def names(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


def test_writes_a_new_file_and_its_folders(tmp_path: Path) -> None:
    path = tmp_path / "papers" / "new" / "x.yaml"
    write_atomic(path, "id: x\ntitle: Ünïcödé\n")
    assert path.read_bytes() == "id: x\ntitle: Ünïcödé\n".encode()
    assert names(path.parent) == ["x.yaml"]


def test_newlines_are_written_as_is(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    write_atomic(path, "a\nb\n")
    assert path.read_bytes() == b"a\nb\n"


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("old\n")
    with pytest.raises(FileExists, match="x.yaml"):
        write_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert names(tmp_path) == ["x.yaml"]


def test_refuses_to_replace_a_symlink_or_dangling_link(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.symlink_to(tmp_path / "nowhere.yaml")
    with pytest.raises(FileExists):
        write_atomic(path, "new\n")
    assert not (tmp_path / "nowhere.yaml").exists()
    assert names(tmp_path) == ["x.yaml"]


def test_overwrites_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("old\n")
    write_atomic(path, "new\n", overwrite=True)
    assert path.read_text() == "new\n"
    assert names(tmp_path) == ["x.yaml"]


def _fail(*_: object) -> None:
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize(
    "target",
    [
        pytest.param((os, "fsync"), id="fsync-fails"),
        pytest.param((os, "replace"), id="rename-fails"),
    ],
)
@pytest.mark.parametrize("overwrite", [pytest.param(True, id="overwrite"), pytest.param(False, id="new-file")])
def test_failure_keeps_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: tuple[object, str], overwrite: bool
) -> None:
    path = tmp_path / "x.yaml"
    if overwrite:
        path.write_text("old\n")
    monkeypatch.setattr(*target, _fail)
    if target[1] == "replace" and not overwrite:
        monkeypatch.setattr(os, "link", _fail)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(path, "new\n", overwrite=overwrite)
    assert names(tmp_path) == (["x.yaml"] if overwrite else [])
    if overwrite:
        assert path.read_text() == "old\n"


def test_failure_in_the_middle_of_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("old\n")
    real_fdopen = os.fdopen

    class Interrupted(Exception):
        pass

    def fdopen_that_breaks(*args: object, **kwargs: object) -> object:
        stream = real_fdopen(*args, **kwargs)  # type: ignore[call-overload]
        real_write = stream.write

        def write(text: str) -> int:
            real_write(text[: len(text) // 2])
            stream.flush()
            raise Interrupted

        stream.write = write
        return stream

    monkeypatch.setattr(os, "fdopen", fdopen_that_breaks)
    with pytest.raises(Interrupted):
        write_atomic(path, "new content that is long enough\n", overwrite=True)
    assert path.read_text() == "old\n"
    assert names(tmp_path) == ["x.yaml"]


def test_temporary_file_lives_beside_the_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_fsync = os.fsync

    def fsync_and_look(descriptor: int) -> None:
        seen.extend(names(tmp_path))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync_and_look)
    write_atomic(tmp_path / "x.yaml", "new\n")
    assert len(seen) == 1 and seen[0].startswith(".x.yaml.") and seen[0].endswith(".tmp")
    assert names(tmp_path) == ["x.yaml"]
