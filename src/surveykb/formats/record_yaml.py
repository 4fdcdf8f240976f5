"""Records -> canonical YAML text: the one form `fmt`, `new` and the importers write."""

from __future__ import annotations

import datetime
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
CanonicalDumper.add_representer(
    datetime.date, lambda dumper, value: dumper.represent_str(value.isoformat())
)


def field_order(axes: tuple[str, ...] = ()) -> list[str]:
    return record_fields(axes)


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
