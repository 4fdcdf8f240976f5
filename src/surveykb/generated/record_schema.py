"""The JSON Schema of a record, for editors: pydantic's schema of `Paper` plus the taxonomy's ids.

`schema/paper.schema.json` is generated from this module (`surveykb schema`) and tested to be current.
"""

from __future__ import annotations

import json
from typing import Any

from surveykb.core.ids import ARXIV_NEW_PATTERN, ARXIV_OLD_PATTERN, DOI_PATTERN, ID_MAX_LENGTH, ID_PATTERN
from surveykb.core.model import FIRST_YEAR, Paper, paper_model, record_fields
from surveykb.core.taxonomy import Taxonomy

SCHEMA_PATH = "schema/paper.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
NOT_BLANK = {"minLength": 1, "pattern": r"\S"}
WEB_LINK = {"format": "uri", "pattern": "^https?://"}

STRING_RULES: dict[str, dict[str, Any]] = {
    "id": {"pattern": f"^{ID_PATTERN}$", "maxLength": ID_MAX_LENGTH},
    "title": NOT_BLANK,
    "authors": NOT_BLANK,
    "venue": NOT_BLANK,
    "arxiv": {"pattern": f"^(?:{ARXIV_NEW_PATTERN}|{ARXIV_OLD_PATTERN})$"},
    "doi": {"pattern": f"^{DOI_PATTERN}$"},
    "url": WEB_LINK,
    "code": WEB_LINK,
    "summary": NOT_BLANK,
}


def vocabularies(taxonomy: Taxonomy) -> dict[str, list[tuple[str, str]]]:
    """For each field that takes taxonomy ids: the allowed (id, description) pairs, in taxonomy order."""
    return {
        "modalities": [(term.id, term.name) for term in taxonomy.modalities],
        **{
            axis: [(leaf.id, _leaf_label(taxonomy, leaf.id)) for leaf in taxonomy.leaves(axis)]
            for axis in taxonomy.axes
        },
        "stages": [(term.id, term.name) for term in taxonomy.stages],
        "sections": [(section.id, f"{section.id} {section.title}") for section in taxonomy.sections],
    }


def field_description(name: str, taxonomy: Taxonomy) -> str:
    """The model's description of a field; an axis field is described by its axis in taxonomy/."""
    if name in taxonomy.axes:
        axis = taxonomy.nodes[name]
        return f"Leaf tags of the {axis.name} axis: {axis.description}"
    return Paper.model_fields[name].description or ""


def _leaf_label(taxonomy: Taxonomy, leaf_id: str) -> str:
    node = taxonomy.nodes[leaf_id]
    path = " › ".join(ancestor.name for ancestor in reversed(taxonomy.ancestors(leaf_id)))
    return f"{node.name} ({f'Sec. {node.section}; ' if node.section else ''}{path})"


def paper_schema(taxonomy: Taxonomy) -> dict[str, Any]:
    """The record schema: pydantic's, with patterns, enums and the rule that a record needs a tag."""
    schema = paper_model(taxonomy.axes).model_json_schema()
    schema["properties"] = {name: schema["properties"][name] for name in record_fields(taxonomy.axes)}
    allowed = vocabularies(taxonomy)
    for name, prop in schema["properties"].items():
        prop.pop("title", None)
        prop["description"] = field_description(name, taxonomy)
        prop["markdownDescription"] = prop["description"]
        target = value_schema(prop)
        if "items" in target:
            target["uniqueItems"] = True
            target = target["items"]
        target.update(STRING_RULES.get(name, {}))
        if name in allowed:
            target["enum"] = [value for value, _ in allowed[name]]
            target["markdownEnumDescriptions"] = [label for _, label in allowed[name]]
    value_schema(schema["properties"]["year"])["minimum"] = FIRST_YEAR
    schema["anyOf"] = [{"required": [axis], "properties": {axis: {"minItems": 1}}} for axis in taxonomy.axes]
    return {"$schema": DRAFT, **schema, "title": "surveykb paper record"}


def value_schema(prop: dict[str, Any]) -> dict[str, Any]:
    """The part of a property's schema that describes a present value (not the `null` branch)."""
    branches: list[dict[str, Any]] = prop.get("anyOf", [])
    for branch in branches:
        if branch.get("type") != "null":
            return branch
    return prop


def schema_text(taxonomy: Taxonomy) -> str:
    return json.dumps(paper_schema(taxonomy), indent=2, ensure_ascii=False) + "\n"
