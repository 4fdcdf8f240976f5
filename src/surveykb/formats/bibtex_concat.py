"""A bibtexparser middleware for what its own do not cover: `#` concatenation of `@string` macros,
quoted and braced parts (`author = me # " Tester"`). Runs before ResolveStringReferencesMiddleware,
which then resolves values that are a single macro, and RemoveEnclosingMiddleware."""

from __future__ import annotations

import re

from bibtexparser.library import Library
from bibtexparser.middlewares.middleware import LibraryMiddleware

_BARE = re.compile(r"[^\s#{}\"]+")


class ConcatenateStrings(LibraryMiddleware):
    """Replace each `part # part # ...` field value by the braced text of its parts, macros resolved.
    A value that is not such a concatenation (or names an unknown macro) is left as it is."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)

    @classmethod
    def metadata_key(cls) -> str:
        return "surveykb-concatenate"

    def transform(self, library: Library) -> Library:
        macros = {key.lower(): _inner(str(block.value)) for key, block in library.strings_dict.items()}
        for entry in library.entries:
            for field in entry.fields:
                if isinstance(field.value, str) and "#" in field.value:
                    parts = split_concatenation(field.value)
                    if parts is not None and len(parts) > 1:
                        resolved = [_resolve(part, macros) for part in parts]
                        if None not in resolved:
                            field.value = "{" + "".join(part or "" for part in resolved) + "}"
        return library


def split_concatenation(value: str) -> list[str] | None:
    """`me # " Tester"` -> ['me', '" Tester"']; None when the value is not parts joined by `#`."""
    parts: list[str] = []
    index, length = 0, len(value)
    while True:
        while index < length and value[index].isspace():
            index += 1
        end = _part_end(value, index)
        if end is None:
            return None
        parts.append(value[index:end])
        index = end
        while index < length and value[index].isspace():
            index += 1
        if index == length:
            return parts
        if value[index] != "#":
            return None
        index += 1


def _part_end(value: str, start: int) -> int | None:
    if start >= len(value):
        return None
    opening = value[start]
    if opening in '{"':
        depth = 0
        for index in range(start, len(value)):
            char = value[index]
            if char == "{":  # BibTeX counts every brace, escaped or not
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == '"' and opening == '"' and index > start and depth == 0:
                return index + 1
            if opening == "{" and depth == 0:
                return index + 1
        return None
    bare = _BARE.match(value, start)
    return bare.end() if bare else None


def _resolve(part: str, macros: dict[str, str]) -> str | None:
    if part[0] in '{"':
        return part[1:-1]
    if part.isdigit():
        return part
    return macros.get(part.lower())


def _inner(value: str) -> str:
    """A macro's value without its enclosing quotes or braces."""
    stripped = value.strip()
    if len(stripped) >= 2 and (stripped[0], stripped[-1]) in (("{", "}"), ('"', '"')):
        return stripped[1:-1]
    return stripped
