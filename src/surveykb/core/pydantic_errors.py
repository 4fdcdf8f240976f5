"""Map pydantic validation errors to positioned diagnostics with our codes and plain-English messages."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from surveykb.core.diagnostics import Diagnostic, did_you_mean, error
from surveykb.core.load import LoadedFile

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "bool_type": "true or false",
    "date_type": "a date (YYYY-MM-DD)",
}


def diagnostics_from_validation_error(
    exc: ValidationError, loaded: LoadedFile, model: type[BaseModel] | None = None
) -> list[Diagnostic]:
    errors = exc.errors(include_url=False)
    return [_diagnostic(err, loaded, model) for err in errors if not _already_refused(tuple(err["loc"]), loaded)]


def _already_refused(loc: tuple[Any, ...], loaded: LoadedFile) -> bool:
    """The loader reported this value (or one it lies inside) as unreadable."""
    return any(loc[:end] in loaded.refused for end in range(len(loc), 0, -1)) if loaded.refused else False


def _diagnostic(err: Any, loaded: LoadedFile, model: type[BaseModel] | None) -> Diagnostic:
    loc = tuple(err["loc"])
    kind = err["type"]
    field = _field_path(loc)
    if kind == "extra_forbidden":
        where = loaded.position(loc, key=True)
        known = list(model.model_fields) if model else []
        message = f"unknown field '{loc[-1]}'{did_you_mean(loc[-1], known)}"
        return error(loaded.shown, where.line, where.col, "unknown-field", message)
    if kind == "missing":
        where = loaded.position(loc[:-1])
        return error(loaded.shown, where.line, where.col, "missing-field", f"the required field '{field}' is missing")
    where = loaded.position(loc)
    code, message = _code_and_message(kind, err, field, loaded.sources.get(loc))
    return error(loaded.shown, where.line, where.col, code, message)


def _code_and_message(kind: str, err: Any, field: str, source: str | None = None) -> tuple[str, str]:
    if kind in _EXPECTED:
        value = err.get("input")
        got = describe_value(value, source)
        return "wrong-type", f"'{field}' must be {_EXPECTED[kind]}, not {got}{_type_hint(kind, value, source)}"
    if kind in ("string_too_short", "too_short") and err.get("input") in ("", [], ()):
        return "empty-string", f"'{field}' must not be empty"
    if kind.startswith("date_") or kind.startswith("datetime_"):
        return "bad-date", f"'{field}' must be a real date written YYYY-MM-DD, not {describe_value(err.get('input'))}"
    if kind == "empty-string":
        return kind, f"'{field}' must not be empty, blank or only invisible characters"
    if "-" in kind:
        return kind, err["msg"]
    return "bad-value", f"'{field}': {err['msg'][:1].lower()}{err['msg'][1:]}"


def _field_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif "[" not in part:
            path += f".{part}" if path else part
    return path or "record"


def _type_hint(kind: str, value: Any, source: str | None) -> str:
    """How to write the value so that it reads as the type wanted."""
    if kind == "string_type" and isinstance(value, (int, float, bool)):
        written = (
            source
            if source is not None
            else str(value)
            if not isinstance(value, int) or value.bit_length() < 300
            else None
        )
        return (
            f' (put it in quotes: "{written}")' if written is not None and len(written) <= 40 else " (put it in quotes)"
        )
    if (
        kind in ("int_type", "int_parsing")
        and isinstance(value, str)
        and value.strip().isdecimal()
        and len(value) <= 20
    ):
        return f" (drop the quotes: {value.strip()})"
    return ""


def describe_value(value: Any, source: str | None = None) -> str:
    """The value for a message, as the contributor wrote it when `source` (its text) is known."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {source if source is not None else str(value).lower()}"
    if isinstance(value, int) and source is None and value.bit_length() > 300:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, (int, float)):
        return f"the number {_number_text(value, source)}"
    if isinstance(value, str):
        return f"the text '{value[:40]}'" if value else "empty text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _number_text(value: float, source: str | None) -> str:
    """`source` if known, else the number; never the 4,300-digit conversion error of a huge int."""
    text = source if source is not None else str(value)
    return text if len(text) <= 40 else f"{text[:40]}…"
