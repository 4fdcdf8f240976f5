"""Changing a few fields of a record file in place, keeping everything else as it was written.

`fmt` cannot keep YAML comments, so field edits (from `refresh --write`) replace only the lines of the
changed fields: each field's block of lines is re-dumped in the canonical form, a comment at the end
of its first line and comment lines inside it are kept, and a new field is inserted where the
canonical field order puts it. The result is loaded again and must hold exactly the intended data
and every comment, or the edit is refused.
"""

from __future__ import annotations

from typing import Any

import yaml

from surveykb.commands.fmt import comment_positions
from surveykb.core.load import LoadedFile, load_yaml_text
from surveykb.formats.record_yaml import (
    CanonicalDumper,
    canonical_mapping,
    dump_record,
    field_order,
)


class EditRefused(Exception):
    """The edit cannot be made safely; the message says why."""


def edit_fields(text: str, loaded: LoadedFile, changes: dict[str, Any], axes: tuple[str, ...] = ()) -> str:
    """`text` with each field of `changes` set to its value (`axes`: the taxonomy's axis fields, for
    the canonical order); raises EditRefused."""
    lines = text.splitlines(keepends=True)
    inline = {position.line: position.col for position in comment_positions(text)}
    for key, value in sorted(changes.items(), key=lambda item: -_anchor(loaded, item[0], len(lines), axes)):
        lines = _replace(lines, loaded, key, value, inline, axes)
    edited = "".join(lines)
    _check(text, edited, loaded, changes, axes)
    return edited


def _anchor(loaded: LoadedFile, key: str, count: int, axes: tuple[str, ...]) -> int:
    """The line a change touches, so changes are applied from the bottom of the file upwards."""
    if (key,) in loaded.keys:
        return loaded.keys[(key,)][0]
    return _insertion_line(loaded, key, count, axes)


def _replace(
    lines: list[str], loaded: LoadedFile, key: str, value: Any, inline: dict[int, int], axes: tuple[str, ...]
) -> list[str]:
    block = _dumped(key, value)
    if (key,) not in loaded.keys:
        at = _insertion_line(loaded, key, len(lines), axes)
        while at > 2 and lines[at - 2].lstrip().startswith("#"):  # keep a comment above the next field with it
            at -= 1
        return lines[: at - 1] + block + lines[at - 1 :]
    first = loaded.keys[(key,)][0]
    last = _block_end(lines, loaded, first)
    kept = [line for line in lines[first:last] if line.lstrip().startswith("#")]
    if first in inline and not lines[first - 1].lstrip().startswith("#"):
        comment = lines[first - 1][inline[first] - 1 :].rstrip("\n")
        block[0] = f"{block[0].rstrip(chr(10))}  {comment}\n"
    return lines[: first - 1] + block[:1] + kept + block[1:] + lines[last:]


def _block_end(lines: list[str], loaded: LoadedFile, first: int) -> int:
    """The last line of the field starting at line `first`: up to the next field, without the blank and
    comment lines just before it (those belong to what follows)."""
    following = sorted(line for (loc, (line, _)) in loaded.keys.items() if len(loc) == 1 and line > first)
    end = (following[0] - 1) if following else len(lines)
    while end > first and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _insertion_line(loaded: LoadedFile, key: str, count: int, axes: tuple[str, ...]) -> int:
    """The line a new field goes before: the first present field that the canonical order puts after it."""
    order = field_order(axes)
    later = order[order.index(key) + 1 :] if key in order else []
    lines = [loaded.keys[(name,)][0] for name in later if (name,) in loaded.keys]
    return min(lines) if lines else count + 1


def _dumped(key: str, value: Any) -> list[str]:
    text = yaml.dump(
        {key: value},
        Dumper=CanonicalDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )
    return text.splitlines(keepends=True)


def _check(original: str, edited: str, loaded: LoadedFile, changes: dict[str, Any], axes: tuple[str, ...]) -> None:
    reloaded, problems = load_yaml_text(edited, loaded.path, loaded.shown)
    expected = {**loaded.data, **changes}
    if reloaded is None or problems or reloaded.data != expected:
        raise EditRefused("the edited file would not hold exactly the new values; edit it by hand")
    if len(comment_positions(edited)) != len(comment_positions(original)):
        raise EditRefused("the edit would lose a comment; edit it by hand")
    if original == dump_record(loaded.data, axes) and edited != dump_record(canonical_mapping(expected, axes), axes):
        raise EditRefused("the edit would leave the file out of canonical form; edit it by hand")
