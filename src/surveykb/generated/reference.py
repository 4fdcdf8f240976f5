"""The record format described for people: one row per field, from the model and the taxonomy.

CONTRIBUTING.md, the issue form and the site's Contribute page are all generated from
`field_reference`, so none of them can drift from what `validate` accepts.
"""

from __future__ import annotations

from typing import Any

from surveykb.core.model import paper_model, record_fields
from surveykb.core.taxonomy import Taxonomy
from surveykb.generated.record_schema import field_description, paper_schema, value_schema

FORMAT_WORDS = {"date": "date (YYYY-MM-DD)", "uri": "URL (http or https)"}


def field_reference(taxonomy: Taxonomy) -> list[dict[str, Any]]:
    """For each record field, in record order: `name`, `type` (in words), `required`, `description`
    and `allowed` (a list of `{value, label, description}`; empty when any value of the type goes)."""
    properties = paper_schema(taxonomy)["properties"]
    allowed = allowed_values(taxonomy)
    model_fields = paper_model(taxonomy.axes).model_fields
    return [
        {
            "name": name,
            "type": type_in_words(properties[name]),
            "required": model_fields[name].is_required(),
            "description": field_description(name, taxonomy),
            "allowed": allowed.get(name, []),
        }
        for name in record_fields(taxonomy.axes)
    ]


def allowed_values(taxonomy: Taxonomy) -> dict[str, list[dict[str, str]]]:
    """The taxonomy ids each vocabulary field accepts, in the taxonomy's order."""

    def entry(value: str, label: str, description: str) -> dict[str, str]:
        return {"value": value, "label": label, "description": description}

    tags = {
        axis: [entry(leaf.id, f"{leaf.name}{leaf.section_note}", leaf.description) for leaf in taxonomy.leaves(axis)]
        for axis in taxonomy.axes
    }
    return {
        "modalities": [entry(term.id, term.name, term.description) for term in taxonomy.modalities],
        **tags,
        "stages": [entry(term.id, term.name, term.description) for term in taxonomy.stages],
        "sections": [entry(section.id, section.display, section.title) for section in taxonomy.sections],
    }


def type_in_words(prop: dict[str, Any]) -> str:
    """`list of ids`, `whole number`, `date (YYYY-MM-DD)`, ... for a property of the JSON Schema."""
    value = value_schema(prop)
    if value.get("type") == "array":
        item = _scalar_words(value["items"])
        return "list of ids" if item == "id" else f"list of {item}"
    return _scalar_words(value)


def _scalar_words(value: dict[str, Any]) -> str:
    if "enum" in value:
        return "id"
    if value.get("format") in FORMAT_WORDS:
        return FORMAT_WORDS[value["format"]]
    return {"integer": "whole number", "string": "text"}.get(value.get("type", ""), "value")
