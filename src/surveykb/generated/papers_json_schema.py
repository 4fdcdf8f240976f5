"""The JSON Schema of `papers.json`: the record schema's field rules, every field present, and the
fields the export adds (`stages_own`, `page`, the taxonomy)."""

from __future__ import annotations

from typing import Any

from surveykb.core.ids import HEX_COLOR_PATTERN, ID_PATTERN
from surveykb.core.taxonomy import Taxonomy
from surveykb.generated.record_schema import DRAFT, paper_schema, value_schema

_ID = {"type": "string", "pattern": f"^{ID_PATTERN}$"}
_NULLABLE_ID = {"anyOf": [_ID, {"type": "null"}]}
_EDITOR_KEYS = ("markdownDescription", "markdownEnumDescriptions", "default")
_ADDED_FIELDS: dict[str, dict[str, Any]] = {
    "stages_own": {
        "type": "boolean",
        "description": "Whether the stages are the record's own (true) or the taxonomy's default for its tags (false).",
    },
    "page": {
        "type": "string",
        "pattern": r"^papers/[a-z0-9-]+/$",
        "description": "The paper's page, relative to the site root.",
    },
    "short_authors": {
        "type": "string",
        "description": "The first author's last name, with `et al.` when there are more; empty without authors.",
    },
    "tags": {
        "type": "array",
        "items": _ID,
        "description": "The paper's tags of every axis, in the taxonomy's axis order.",
    },
    "tag_ancestors": {
        "type": "array",
        "items": _ID,
        "description": "The paper's tags and every node above them, in the taxonomy's order.",
    },
    "venue_name": {"type": "string", "description": "The venue without its year; empty without a venue."},
}
_COUNT = {"type": "integer", "minimum": 0, "description": "How many of the document's papers it holds."}


def papers_json_schema(taxonomy: Taxonomy) -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "title": "surveykb papers.json",
        "description": "The knowledge base's taxonomy and every paper record, in id order.",
        "type": "object",
        "required": ["taxonomy", "papers", "venues"],
        "additionalProperties": False,
        "properties": {
            "taxonomy": _taxonomy_schema(taxonomy),
            "papers": {"type": "array", "items": {"$ref": "#/$defs/paper"}},
            "venues": {"type": "array", "items": _venue_schema()},
        },
        "$defs": {"paper": paper_entry_schema(taxonomy), "term": _term_schema()},
    }


def paper_entry_schema(taxonomy: Taxonomy) -> dict[str, Any]:
    """A paper of `papers.json`: every record field, null or [] when the record leaves it out."""
    record = paper_schema(taxonomy)
    properties: dict[str, Any] = {}
    for name, prop in record["properties"].items():
        properties[name] = _without_editor_keys(prop)
        if name == "stages":  # the export fills in the taxonomy's default stages
            properties[name] = {**value_schema(properties[name]), "description": prop["description"]}
        if name == "added":
            value_schema(properties[name])["pattern"] = r"^\d{4}-\d{2}-\d{2}$"
    properties = _insert_after(properties, "stages", {"stages_own": _ADDED_FIELDS["stages_own"]})
    for name in ("page", "short_authors", "tags", "tag_ancestors", "venue_name"):
        properties[name] = _ADDED_FIELDS[name]
    return {
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "properties": properties,
        "anyOf": [{"properties": {axis: {"minItems": 1}}} for axis in taxonomy.axes],
    }


def _without_editor_keys(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {key: _without_editor_keys(value) for key, value in schema.items() if key not in _EDITOR_KEYS}
    if isinstance(schema, list):
        return [_without_editor_keys(item) for item in schema]
    return schema


def _insert_after(properties: dict[str, Any], anchor: str, extra: dict[str, Any]) -> dict[str, Any]:
    items = list(properties.items())
    position = [name for name, _ in items].index(anchor) + 1
    return dict(items[:position] + list(extra.items()) + items[position:])


def _taxonomy_schema(taxonomy: Taxonomy) -> dict[str, Any]:
    node_ids = list(taxonomy.nodes)
    node = {
        "type": "object",
        "required": ["name", "short", "axis", "parent", "children", "leaves", "section", "color", "count"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "short": {"type": "string"},
            "axis": {"enum": list(taxonomy.axes)},
            "parent": _NULLABLE_ID,
            "children": {"type": "array", "items": {"enum": node_ids}},
            "leaves": {"type": "array", "items": {"enum": node_ids}},
            "section": {"type": "string"},
            "color": {"type": "string", "pattern": f"^{HEX_COLOR_PATTERN}$"},
            "count": _COUNT,
        },
    }
    return {
        "type": "object",
        "required": ["axes", "nodes", "stages", "modalities"],
        "additionalProperties": False,
        "properties": {
            "axes": {"type": "array", "items": {"enum": list(taxonomy.axes)}},
            "nodes": {"type": "object", "propertyNames": {"enum": node_ids}, "additionalProperties": node},
            "stages": {"type": "array", "items": {"$ref": "#/$defs/term"}},
            "modalities": {"type": "array", "items": {"$ref": "#/$defs/term"}},
        },
    }


def _term_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "name", "count"],
        "additionalProperties": False,
        "properties": {"id": _ID, "name": {"type": "string"}, "count": _COUNT},
    }


def _venue_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["name", "count"],
        "additionalProperties": False,
        "properties": {"name": {"type": "string", "minLength": 1}, "count": _COUNT},
    }
