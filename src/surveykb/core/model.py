"""The paper record: one YAML file per surveyed paper, checked against the taxonomy.

Field names are a contract shared with contributors, the site and the checks. Taxonomy ids are not
listed here: validators look them up in the `Taxonomy` passed as validation context.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from typing import Annotated, Any, ClassVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationInfo,
    create_model,
)
from pydantic_core import PydanticCustomError

from surveykb.core.diagnostics import did_you_mean
from surveykb.core.ids import ID_MAX_LENGTH, is_valid_arxiv, is_valid_doi, is_valid_id
from surveykb.core.taxonomy import Taxonomy
from surveykb.core.venues import venue_problem

FIRST_YEAR = 1950


def _taxonomy(info: ValidationInfo) -> Taxonomy:
    context = info.context or {}
    return context["taxonomy"]


# Categories of characters that show nothing: spaces, format characters (zero-width, bidi), controls.
_INVISIBLE = ("Z", "Cf", "Cc", "Mn", "Me")
# Control characters (NUL, ESC, ...) have no place in record text; line breaks and tabs do.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


def _text(value: str) -> str:
    if not value.strip() or all(unicodedata.category(char).startswith(_INVISIBLE) for char in value):
        raise PydanticCustomError("empty-string", "this field must not be empty, blank or only invisible characters")
    control = _CONTROL.search(value)
    if control is not None:
        raise PydanticCustomError(
            "control-character",
            "the text holds the control character U+{code} at position {position}; delete it",
            {"code": f"{ord(control.group()):04X}", "position": control.start() + 1},
        )
    return value


def _record_id(value: str) -> str:
    if not is_valid_id(value):
        raise PydanticCustomError(
            "bad-id",
            "the id '{value}' must be lower-case letters and digits in words joined by single hyphens, "
            "at most {limit} characters (like liu2023visual)",
            {"value": value[:80], "limit": ID_MAX_LENGTH},
        )
    return value


def _year(value: int, info: ValidationInfo) -> int:
    last = (info.context or {}).get("today", datetime.date.today()).year + 1
    if not FIRST_YEAR <= value <= last:
        raise PydanticCustomError(
            "year-range",
            "the year {value} is outside {first}..{last}",
            {"value": value, "first": FIRST_YEAR, "last": last},
        )
    return value


def _arxiv(value: str) -> str:
    if not is_valid_arxiv(value):
        raise PydanticCustomError(
            "bad-arxiv",
            "'{value}' is not an arXiv id; write 2304.08485 or cs/0101001, without a version or URL",
            {"value": value[:80]},
        )
    return value


def _doi(value: str) -> str:
    if not is_valid_doi(value):
        raise PydanticCustomError(
            "bad-doi",
            "'{value}' is not a DOI; write it like 10.1000/xyz123, without https://doi.org/",
            {"value": value[:80]},
        )
    return value


_URL_FORBIDDEN = set(' "<>`{}|\\^')


_HOST_LABEL = re.compile(r"(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?", re.UNICODE)


def _url(value: str) -> str:
    parts = urlsplit(value) if value.isprintable() and not _URL_FORBIDDEN.intersection(value) else None
    if parts is None or parts.scheme not in ("http", "https") or not _real_host(parts.hostname):
        raise PydanticCustomError("bad-url", "'{value}' is not an http(s) URL", {"value": value[:80]})
    if "@" in parts.netloc:
        raise PydanticCustomError(
            "bad-url", "'{value}' names a user before the host; write the link without 'user@'", {"value": value[:80]}
        )
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError:
        raise PydanticCustomError("bad-url", "'{value}' has a port outside 0..65535", {"value": value[:80]}) from None
    return value


def _real_host(host: str | None) -> bool:
    """A name of two or more labels (letters, digits, inner hyphens), like `arxiv.org`."""
    labels = host.split(".") if host else []
    return len(labels) >= 2 and all(_HOST_LABEL.fullmatch(label) for label in labels)


def _date_text(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("wrong-type", "'added' must be a date written YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else _raise_bad_date(value)
    except ValueError:
        return _raise_bad_date(value)


def _raise_bad_date(value: str) -> Any:
    raise PydanticCustomError("bad-date", "'{value}' is not a real date written YYYY-MM-DD", {"value": value[:40]})


def _folded_items(value: str, taxonomy: Taxonomy) -> bool:
    """Whether `value` is list items that YAML folded into one scalar: 'mixture - acquisition'."""
    parts = [part.strip() for part in value.split(" - ")]
    return len(parts) > 1 and all(part in taxonomy.nodes for part in parts)


def _axis_leaf(axis: str) -> Any:
    def check(value: str, info: ValidationInfo) -> str:
        taxonomy = _taxonomy(info)
        node = taxonomy.nodes.get(value)
        if node is None and _folded_items(value, taxonomy):
            raise PydanticCustomError(
                "indented-item",
                "'{value}' reads as one tag: the `- ` line below the first is indented further, so YAML joined them; "
                "put every `- tag` of the list at the same indentation",
                {"value": value[:80]},
            )
        if node is None or node.axis != axis:
            leaves = [leaf.id for leaf in taxonomy.leaves(axis)]
            elsewhere = f" (it belongs to {node.axis})" if node is not None else did_you_mean(value, leaves)
            raise PydanticCustomError(
                "unknown-tag", "unknown {axis} tag '{value}'{hint}", {"axis": axis, "value": value, "hint": elsewhere}
            )
        if not node.is_leaf:
            below = ", ".join(taxonomy.descendant_leaves(value))
            raise PydanticCustomError(
                "group-tag", "'{value}' is a group; tag one of its leaves: {leaves}", {"value": value, "leaves": below}
            )
        return value

    return AfterValidator(check)


def _vocabulary(kind: str, ids: str) -> Any:
    def check(value: str, info: ValidationInfo) -> str:
        taxonomy = _taxonomy(info)
        if value not in taxonomy.vocabularies[ids]:
            known: list[str] = getattr(taxonomy, ids)
            raise PydanticCustomError(
                f"unknown-{kind}",
                "unknown {kind} '{value}'{hint}",
                {"kind": kind, "value": value, "hint": did_you_mean(value, known)},
            )
        return value

    return AfterValidator(check)


def _venue(value: str, info: ValidationInfo) -> str:
    year = info.data.get("year")  # validated before the venue: the model lists it first
    taxonomy = _taxonomy(info)
    problem = venue_problem(value, taxonomy.venues, year if isinstance(year, int) else None, taxonomy.venue_names)
    if problem is not None:
        raise PydanticCustomError(
            "unknown-venue", "venue '{value}' is not canonical: {problem}", {"value": value[:80], "problem": problem}
        )
    return value


def _at_most(limit: int) -> Any:
    """Refuse text longer than any real value of the field: it would be repeated on hundreds of pages."""

    def check(value: str) -> str:
        if len(value) > limit:
            raise PydanticCustomError(
                "too-long",
                "this text is {length} characters long; at most {limit} are allowed here",
                {"length": len(value), "limit": limit},
            )
        return value

    return AfterValidator(check)


# Longer than any real title, name or venue (the longest surveyed title has some 200 characters).
MAX_NAME_LENGTH = 500
MAX_SUMMARY_LENGTH = 5000
Text = Annotated[StrictStr, AfterValidator(_text), _at_most(MAX_NAME_LENGTH)]
LongText = Annotated[StrictStr, AfterValidator(_text), _at_most(MAX_SUMMARY_LENGTH)]
Url = Annotated[StrictStr, _at_most(2000), AfterValidator(_url)]
Stage = Annotated[StrictStr, _vocabulary("stage", "stage_ids")]
Modality = Annotated[StrictStr, _vocabulary("modality", "modality_ids")]
SectionRef = Annotated[StrictStr, _vocabulary("section", "section_ids")]


class Paper(BaseModel):
    """One surveyed paper."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[StrictStr, AfterValidator(_record_id)] = Field(
        description="Unique record id, equal to the file name without `.yaml`: first author's last name, year and first title word, like `liu2023visual`."
    )
    title: Text = Field(description="The paper's title as published, with its capitalisation.")
    short_name: Text | None = Field(
        default=None, description="The name the paper is known by, like `LLaVA` or `Chinchilla`, when it has one."
    )
    listed_as: Text | None = Field(
        default=None,
        description="The title as the survey's upstream list spells it, when that differs from the published title (kept for search and for matching the list).",
    )
    authors: list[Text] = Field(default_factory=list, description="Authors in order, each written `First Last`.")
    authors_complete: StrictBool = Field(
        default=True,
        description="`false` when the full author list could not be confirmed from a public source and `authors` is known to be short.",
    )
    year: Annotated[StrictInt, AfterValidator(_year)] | None = Field(
        default=None, description="Year of first public appearance (arXiv v1 where there is one)."
    )
    venue: Annotated[Text, AfterValidator(_venue)] | None = Field(
        default=None,
        description="The peer-reviewed venue and year, like `NeurIPS 2023`, from taxonomy/venues.yaml; `arXiv` for preprints only.",
    )
    arxiv: Annotated[StrictStr, AfterValidator(_arxiv)] | None = Field(
        default=None, description='arXiv id without version, quoted: `"2304.08485"`.'
    )
    doi: Annotated[StrictStr, AfterValidator(_doi)] | None = Field(
        default=None, description="DOI without the resolver prefix, like `10.1000/xyz123`."
    )
    url: Url | None = Field(default=None, description="Landing page of the paper (http or https).")
    code: Url | None = Field(default=None, description="Code or data repository (http or https).")
    modalities: list[Modality] = Field(default_factory=list, description="Modalities the paper works with.")
    # Here come the axis fields, one per axis of taxonomy/ (see `paper_model`).
    stages: list[Stage] | None = Field(
        default=None,
        description="Development stages the paper serves; when absent, the taxonomy's defaults for its tags apply.",
    )
    sections: list[SectionRef] = Field(
        default_factory=list,
        description='Survey sections and tables that cite the paper, quoted: `["3.1.1", "table-2"]`.',
    )
    summary: LongText | None = Field(
        default=None, description="One paragraph on the paper, in the contributor's own words."
    )
    sources: list[Url] = Field(
        default_factory=list,
        description="Public pages (arXiv listings, proceedings, official repositories) the record's facts were confirmed from.",
    )
    added: Annotated[datetime.date, BeforeValidator(_date_text)] | None = Field(
        default=None, description="Date the paper joined the survey's list (or the knowledge base), YYYY-MM-DD."
    )

    # The axis ids of the taxonomy this model was made for (set by `paper_model`).
    axis_ids: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        from_attributes: bool | None = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Paper:
        """Validated against the taxonomy in `context`: the model with that taxonomy's axis fields."""
        if cls is Paper and isinstance(context, dict) and isinstance(context.get("taxonomy"), Taxonomy):
            model = paper_model(context["taxonomy"].axes)
            return model.model_validate(obj, strict=strict, from_attributes=from_attributes, context=context, **kwargs)
        return super().model_validate(obj, strict=strict, from_attributes=from_attributes, context=context, **kwargs)

    def tags_of(self, axis: str) -> list[str]:
        return list(getattr(self, axis, None) or [])

    @property
    def tags(self) -> list[str]:
        return [tag for axis in self.axis_ids for tag in self.tags_of(axis)]

    @property
    def links(self) -> list[str]:
        return (
            [link for link in (self.url, self.code) if link]
            + ([self.arxiv] if self.arxiv else [])
            + ([self.doi] if self.doi else [])
        )

    def effective_stages(self, taxonomy: Taxonomy) -> tuple[list[str], bool]:
        """The paper's stages and whether they are its own (True) or the taxonomy's default (False)."""
        if self.stages is not None:
            return list(self.stages), True
        return taxonomy.default_stages(self.tags), False


@functools.cache
def paper_model(axes: tuple[str, ...]) -> type[Paper]:
    """The record model of a taxonomy with these axes: `Paper` plus one list of leaf tags per axis."""
    fields: dict[str, Any] = {
        axis: (
            list[Annotated[StrictStr, _axis_leaf(axis)]],
            Field(default_factory=list, description=f"Leaf tags of the `{axis}` axis (taxonomy/)."),
        )
        for axis in axes
    }
    model = create_model("Paper", __base__=Paper, __module__=__name__, **fields)
    model.axis_ids = axes
    return model


def record_fields(axes: tuple[str, ...]) -> list[str]:
    """A record's fields in the record format's order: the axis fields come after `modalities`."""
    names = list(Paper.model_fields)
    position = names.index("modalities") + 1
    return [*names[:position], *axes, *names[position:]]
