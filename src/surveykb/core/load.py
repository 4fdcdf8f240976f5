"""Files -> plain Python data with the position of every key and value.

libyaml (`yaml.CSafeLoader`) composes the node graph; we build the values ourselves so that each
mapping key and value keeps its source position, aliases are refused before they can expand, and
dates stay strings (the schema types them explicitly).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from surveykb.core.diagnostics import Diagnostic, error
from surveykb.core.errors import SurveyKBError

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 64
# More entries than any list or mapping of a record needs (the author lists of the largest model
# reports run to some 1,300 names), few enough that checking stays quick: thousands of tags would
# otherwise cost seconds and thousands of diagnostics.
MAX_ITEMS = 2000
# No field takes a longer number; Python refuses to turn ints of more than 4,300 digits into text.
MAX_NUMBER_DIGITS = 100
_TOO_LONG = 10**MAX_NUMBER_DIGITS
_STR_TAG = "tag:yaml.org,2002:str"
_TAG_PREFIX = "tag:yaml.org,2002:"
_KIND_OF_TAG = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "null": "an empty value",
    "timestamp": "a date or time",
    "binary": "base64 data",
}

Location = tuple[str | int, ...]


class PositionedLoader(yaml.CSafeLoader):
    """CSafeLoader without the timestamp resolver: `added: 2024-07-12` stays a string."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        # PyYAML's own resolve, for a loader without path resolvers, with the lists it joins on every
        # call (some thirty per record) joined once: a fifth of the time spent composing.
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _RESOLVERS_BY_FIRST.get(value[:1], _WILDCARD_RESOLVERS):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


PositionedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
_WILDCARD_RESOLVERS = tuple(PositionedLoader.yaml_implicit_resolvers.get(None, []))
_RESOLVERS_BY_FIRST = {
    first: tuple(resolvers) + _WILDCARD_RESOLVERS
    for first, resolvers in PositionedLoader.yaml_implicit_resolvers.items()
    if first is not None
}


class Position(NamedTuple):
    line: int
    col: int


@dataclass
class LoadedFile:
    """A parsed YAML document and where each piece of it came from."""

    path: Path
    shown: str
    data: Any = None
    # (line, col) as plain tuples: the garbage collector stops tracking those, and there are many.
    values: dict[Location, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Location, tuple[int, int]] = field(default_factory=dict)
    # The text as written of every scalar that was read as something other than text (a number, a
    # boolean, ...): `arxiv: 2304.10850` is the float 2304.1085 here and "2304.10850" there.
    sources: dict[Location, str] = field(default_factory=dict)
    # Values that could not be constructed at all (`!!int abc`): reported by the loader, so the
    # schema's complaint about the same place is left out.
    refused: set[Location] = field(default_factory=set)

    def position(self, loc: Location, *, key: bool = False) -> Position:
        """The position of `loc` (its key when `key`), or of its nearest recorded ancestor."""
        for end in range(len(loc), -1, -1):
            prefix = loc[:end]
            if key and prefix in self.keys:
                return Position(*self.keys[prefix])
            if prefix in self.values:
                return Position(*self.values[prefix])
        return Position(1, 1)


def load_yaml_file(path: Path, shown: str | None = None) -> tuple[LoadedFile | None, list[Diagnostic]]:
    """Read and parse one file. Returns None as the file when nothing usable could be read."""
    shown = shown or str(path)
    raw = _read_regular_file(path, shown)
    if isinstance(raw, Diagnostic):
        return None, [raw]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})"
        return None, [error(shown, line, col, "not-utf8", message)]
    return load_yaml_text(text, path, shown)


# Opened without following a symbolic link, and without waiting on a FIFO: what is checked is what is
# read, in one open, one stat and one read (a record check runs once per file of the knowledge base).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read_regular_file(path: Path, shown: str) -> bytes | Diagnostic:
    if not _NOFOLLOW and os.path.islink(path):
        return _symlink(shown)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _symlink(shown)
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return error(shown, 1, 1, "not-a-file", "not a regular file")
        return _unreadable(shown, exc)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return error(shown, 1, 1, "not-a-file", "not a regular file")
        if status.st_size > MAX_FILE_BYTES:
            message = f"the file is {status.st_size} bytes; a record may be at most {MAX_FILE_BYTES} bytes"
            return error(shown, 1, 1, "too-large", message)
        chunks = [os.read(descriptor, status.st_size + 1)]
        if len(chunks[0]) <= status.st_size:  # a short read of a regular file ends at its end
            return chunks[0]
        while chunks[-1]:  # the file has grown since the stat: someone is writing it
            chunks.append(os.read(descriptor, 65536))
        return b"".join(chunks)
    except OSError as exc:
        return _unreadable(shown, exc)
    finally:
        os.close(descriptor)


def _symlink(shown: str) -> Diagnostic:
    return error(shown, 1, 1, "symlink", "records must be regular files, not symbolic links")


def _unreadable(shown: str, exc: OSError) -> Diagnostic:
    return error(shown, 1, 1, "unreadable", f"the file cannot be read ({exc.strerror or exc})")


def load_yaml_text(text: str, path: Path, shown: str) -> tuple[LoadedFile | None, list[Diagnostic]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # text from a file cannot hold one; text from arguments can
        return None, [_surrogate_diagnostic(text, exc.start, shown)]
    loader = PositionedLoader(text)
    try:
        root = _compose_single(loader, shown)
        if not isinstance(root, yaml.MappingNode):
            return None, [_not_mapping(root, shown)]
        builder = _Builder(loader, LoadedFile(path=path, shown=shown))
        builder.loaded.data = builder.build(root, (), 0)
        return builder.loaded, builder.problems
    except SurveyKBError as refused:
        return None, [refused.diagnostic]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_diagnostic(exc, shown)]
    except yaml.YAMLError as exc:
        return None, [error(shown, 1, 1, "yaml-syntax", str(exc).strip() or "invalid YAML")]
    finally:
        loader.dispose()


def _surrogate_diagnostic(text: str, index: int, shown: str) -> Diagnostic:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    message = f"the text holds a lone surrogate (U+{ord(text[index]):04X}), which is not a character"
    return error(shown, line, col, "not-utf8", message)


def _compose_single(loader: PositionedLoader, shown: str) -> yaml.Node | None:
    root = loader.get_node() if loader.check_node() else None
    following = loader.peek_event()
    if following is not None and not isinstance(following, yaml.StreamEndEvent):
        line = following.start_mark.line + 1 if following.start_mark else 1  # the `---` of the second document
        message = "the file holds more than one YAML document; keep one record per file"
        raise SurveyKBError(error(shown, line, 1, "multi-document", message))
    return root


def _not_mapping(root: yaml.Node | None, shown: str) -> Diagnostic:
    if root is None:
        return error(shown, 1, 1, "not-mapping", "the file is empty; a record is a YAML mapping of fields")
    kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
    line, col = _node_position(root)
    return error(shown, line, col, "not-mapping", f"the top level is {kind}; a record is a YAML mapping of fields")


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, shown: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    context = f" ({exc.context})" if exc.context else ""
    plain = next((words for phrase, words in PLAIN_SYNTAX if phrase in problem), None)
    message = f"{plain} (YAML says: {problem}{context})" if plain else f"{problem}{context}"
    return error(shown, line, col, "yaml-syntax", message)


# What the YAML parser's phrases usually mean in a record, said plainly.
PLAIN_SYNTAX = (
    (
        "did not find expected '-' indicator",
        "a list item is indented differently from the items above it; line up every `- ` of the list",
    ),
    (
        "did not find expected key",
        "this line is indented differently from the fields around it, or a value above it is unfinished",
    ),
    (
        "mapping values are not allowed",
        "a value holds `: `, or a field is indented under another one; put such a value in quotes",
    ),
    ("could not find expected ':'", "a line has neither `field: value` nor `- item`, or a quoted value is left open"),
    ("did not find expected ',' or ']'", "a `[...]` list is not closed with `]`"),
    ("did not find expected ',' or '}'", "a `{...}` mapping is not closed with `}`"),
    ("found unexpected end of stream", "the file ends inside a quoted value; close the quotes"),
    ("that violates indentation", "YAML cannot be indented with tabs; use spaces"),
    (
        "that cannot start any token",
        "a line starts with a character YAML cannot begin a value with (a tab, `@` or a backtick); use spaces, or put the value in quotes",
    ),
    ("did not find expected node content", "a value is missing where YAML expects one, often after `[`, `,` or `- `"),
)


def _node_position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Turns a composed node graph into dicts, lists and scalars, recording positions."""

    def __init__(self, loader: PositionedLoader, loaded: LoadedFile) -> None:
        self.loader = loader
        self.loaded = loaded
        self.values = loaded.values
        self.keys = loaded.keys
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, loc: Location, depth: int) -> Any:
        # The hot path: one call per node, so checks are inlined rather than split into helpers.
        if id(node) in self.seen or depth > MAX_DEPTH:
            self._refuse(node, loc, depth)
        self.seen.add(id(node))
        mark = node.start_mark
        self.values[loc] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.tag == _STR_TAG else self._scalar(node, loc)
        if len(node.value) > MAX_ITEMS:
            self._too_many(node)
        if isinstance(node, yaml.MappingNode):
            return self._build_mapping(node, loc, depth)
        return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]

    def _scalar(self, node: yaml.ScalarNode, loc: Location) -> Any:
        """A number, boolean, null or explicitly tagged value; a diagnostic, not an exception, when it
        cannot be constructed (`!!int abc`, `!!timestamp 2024-02-30`, an int of 5,000 digits)."""
        try:
            value = self.loader.construct_object(node)
        except Exception:  # noqa: BLE001 - PyYAML's constructors raise ValueError, KeyError, IndexError, ... on bad text
            value = _UNREADABLE
        if isinstance(value, int) and abs(value) >= _TOO_LONG:
            value = _UNREADABLE
        if value is _UNREADABLE:
            self.loaded.refused.add(loc)
            self._problem(_node_position(node), "bad-value", _unreadable_message(node))
            return node.value
        self.loaded.sources[loc] = node.value
        return value

    def _refuse(self, node: yaml.Node, loc: Location, depth: int, paired: yaml.Node | None = None) -> None:
        """Refuse an alias or deep nesting. `paired` is the value of a key node: an aliased key
        is reported where its value starts, the nearest position the alias itself has."""
        if id(node) in self.seen:
            # libyaml resolves an alias to the very node it names, so a node met twice is an alias.
            where = _node_position(paired) if paired else self.keys.get(loc) or self.values.get(loc[:-1])
            line, col = where or _node_position(node)
            message = "YAML anchors and aliases are not allowed in records; write the value out"
            raise SurveyKBError(error(self.loaded.shown, line, col, "alias", message))
        message = f"values are nested more than {MAX_DEPTH} levels deep"
        raise SurveyKBError(error(self.loaded.shown, *_node_position(node), "too-deep", message))

    def _too_many(self, node: yaml.Node) -> None:
        kind = "mapping" if isinstance(node, yaml.MappingNode) else "list"
        message = f"this {kind} holds {len(node.value)} entries; at most {MAX_ITEMS} are allowed"
        raise SurveyKBError(error(self.loaded.shown, *_node_position(node), "too-many", message))

    def _build_mapping(self, node: yaml.MappingNode, loc: Location, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        depth += 1
        for key_node, value_node in node.value:
            if id(key_node) in self.seen or depth > MAX_DEPTH:
                self._refuse(key_node, loc, depth, value_node)
            self.seen.add(id(key_node))
            mark = key_node.start_mark
            position = (mark.line + 1, mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(position, "bad-key", "a field name must be a plain word, not a list or mapping")
                continue
            key = str(key_node.value)
            if key in result:
                self._problem(position, "duplicate-key", f"the field '{key}' is given twice; keep one")
                continue
            key_loc = (*loc, key)
            self.keys[key_loc] = position
            result[key] = self.build(value_node, key_loc, depth)
        return result

    def _problem(self, position: tuple[int, int], code: str, message: str) -> None:
        self.problems.append(error(self.loaded.shown, *position, code, message))


_UNREADABLE = object()


def _unreadable_message(node: yaml.ScalarNode) -> str:
    text = node.value
    shown = quoted_excerpt(text)
    if len(text) > MAX_NUMBER_DIGITS and text.lstrip("+-").replace("_", "").isalnum():
        return f"a number of {len(text)} characters is longer than any field takes (at most {MAX_NUMBER_DIGITS} digits)"
    tag = f"!!{node.tag.removeprefix(_TAG_PREFIX)}" if node.tag.startswith(_TAG_PREFIX) else node.tag
    kind = _KIND_OF_TAG.get(tag[2:])
    if kind is None:
        return f"{shown} cannot be read with the tag {tag}; drop the tag"
    return f"{shown} is not {kind}, as its tag {tag} says; fix the value or drop the tag"


def quoted_excerpt(text: str, limit: int = 40) -> str:
    """`'text'`, cut to `limit` characters with an ellipsis, for messages."""
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"
