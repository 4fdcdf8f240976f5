"""Writing files without ever leaving a half-written one behind, or losing an old one.

Every command that writes goes through `write_atomic`. A command replaces an existing file only when
the user passes --force, and then through `write_file(..., force=True)`, which keeps the old content
as `<name>.bak` beside it and never replaces an earlier backup.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from surveykb.core.errors import BackupExists, FileExists, WriteFailed


@contextlib.contextmanager
def exclusive(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on `directory` (flock on the folder itself: no lock file is left) so that
    writers running at the same time check for duplicates and write one after another. A folder that
    does not exist yet has nothing to protect."""
    try:
        handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def backup_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.bak")


def write_file(path: Path, text: str, *, force: bool = False) -> Path | None:
    """Write `path` atomically. Without `force` an existing file is refused (FileExists); with it the
    file is replaced and its old content kept as `<name>.bak`, whose path is returned (None when there
    was nothing to keep). An existing backup is never replaced: BackupExists, and nothing changes."""
    if not force:
        write_atomic(path, text)
        return None
    backup = backup_path(path)
    try:
        # A second name for the old content: the rename below then replaces only the first.
        os.link(path, backup, follow_symlinks=False)
    except FileNotFoundError:
        write_atomic(path, text)
        return None
    except FileExistsError:
        raise BackupExists(backup) from None
    except OSError as exc:
        raise WriteFailed(backup, exc) from exc
    try:
        write_atomic(path, text, overwrite=True)
    except BaseException:
        os.unlink(backup)
        raise
    return backup


def write_atomic(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write `text` to a temporary file beside `path`, then rename it into place.

    An interruption leaves the old file (or no file) untouched. Without `overwrite`, an existing
    file is refused, and the check and the rename happen together (os.link fails on an existing name).
    """
    try:
        _write_and_rename(path, text, overwrite)
    except OSError as exc:
        raise WriteFailed(path, exc) from exc


def _write_and_rename(path: Path, text: str, overwrite: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates the file readable by its owner only; give it the mode a plain open() would.
        os.chmod(temporary, 0o666 & ~_current_umask())
        if overwrite:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)
            except FileExistsError:
                raise FileExists(path) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
