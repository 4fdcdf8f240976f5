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
    return [_diagnostic(err, loaded, model) for err in exc.errors(include_url=False)]


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
    code, message = _code_and_message(kind, err, field)
    return error(loaded.shown, where.line, where.col, code, message)


def _code_and_message(kind: str, err: Any, field: str) -> tuple[str, str]:
    if kind in _EXPECTED:
        got = describe_value(err.get("input"))
        hint = " (put it in quotes)" if kind == "string_type" and isinstance(err.get("input"), (int, float, bool)) else ""
        return "wrong-type", f"'{field}' must be {_EXPECTED[kind]}, not {got}{hint}"
    if kind in ("string_too_short", "too_short") and err.get("input") in ("", [], ()):
        return "empty-string", f"'{field}' must not be empty"
    if kind.startswith("date_") or kind.startswith("datetime_"):
        return "bad-date", f"'{field}' must be a real date written YYYY-MM-DD, not {describe_value(err.get('input'))}"
    if kind == "empty-string":
        return kind, f"'{field}' must not be empty or blank"
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


def describe_value(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:40]}'" if value else "empty text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
