"""Records -> canonical YAML text: the one form `fmt`, `new` and the importers write."""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any

import yaml

from surveykb.core.model import Paper, record_fields

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/paper.schema.json"


class CanonicalDumper(yaml.SafeDumper):
    """Block style, lists indented under their key, double quotes only where a plain scalar would
    read back as something else. Without the timestamp resolver a date is written plain
    (`2024-07-12`), matching how we load it."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


CanonicalDumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
CanonicalDumper.add_representer(datetime.date, lambda dumper, value: dumper.represent_str(value.isoformat()))


def field_order(axes: tuple[str, ...] = ()) -> list[str]:
    return record_fields(axes)


@cache
def text_fields() -> tuple[frozenset[str], frozenset[str]]:
    """(fields holding one text, fields holding a list of texts) of the record format."""
    single: set[str] = set()
    lists: set[str] = set()
    for name, schema in Paper.model_json_schema()["properties"].items():
        for option in schema.get("anyOf", [schema]):
            if option.get("type") == "string" and "format" not in option:
                single.add(name)
            elif option.get("type") == "array" and option.get("items", {}).get("type") == "string":
                lists.add(name)
    return frozenset(single), frozenset(lists)


def is_text_location(loc: tuple[str | int, ...]) -> bool:
    """Whether the value at `loc` of a record is, by the record format, text."""
    single, lists = text_fields()
    if len(loc) == 1:
        return loc[0] in single
    return len(loc) == 2 and loc[0] in lists and isinstance(loc[1], int)


def canonical_mapping(data: dict[str, Any], axes: tuple[str, ...] = ()) -> dict[str, Any]:
    """Known fields (the axis fields of `axes` among them) in the record format's order, then any
    others in their original order. Empty optional values are dropped only when they are None."""
    order = field_order(axes)
    known = [key for key in order if key in data and data[key] is not None]
    unknown = [key for key in data if key not in order]
    return {key: data[key] for key in known + unknown}


def dump_record(data: dict[str, Any], axes: tuple[str, ...] = ()) -> str:
    """The canonical text of a record given as a plain mapping, for a taxonomy with these axes."""
    body = yaml.dump(
        canonical_mapping(data, axes),
        Dumper=CanonicalDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )
    return f"{SCHEMA_COMMENT}\n{body}"


def paper_to_data(paper: Paper) -> dict[str, Any]:
    """A validated paper as the plain mapping a record file holds (defaults left out)."""
    return paper.model_dump(exclude_defaults=True, mode="python")
