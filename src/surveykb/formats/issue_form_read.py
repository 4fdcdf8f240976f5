"""The body GitHub writes for an "add a paper" issue form -> record fields.

GitHub renders each form element as `### <label>` followed by the answer: free text, `_No response_`
for an empty one, `- [X] <option>` lines for checkboxes, and the chosen options of a multiple
dropdown joined by ", ". Labels and options come from the form that `surveykb schema` generates
(`generated/issue_form.py`), so the parser follows the taxonomy as the form does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from surveykb.core.diagnostics import Diagnostic, error, warning
from surveykb.core.taxonomy import Taxonomy
from surveykb.generated.issue_form import issue_form

NO_RESPONSE = "_No response_"
_HEADING = re.compile(r"^### (.+?)\s*$", re.MULTILINE)
_CHECKED = re.compile(r"^- \[[xX]\] `([^`]+)`", re.MULTILINE)


@dataclass
class IssueFields:
    data: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def read_issue_body(text: str, shown: str, taxonomy: Taxonomy) -> IssueFields:
    """The fields of an issue body; answers under unknown headings and malformed ones are reported."""
    elements = {
        element["attributes"]["label"]: element
        for element in issue_form(taxonomy)["body"]
        if element["type"] != "markdown"
    }
    result = IssueFields()
    text = text.replace("\r\n", "\n")
    headings = list(_HEADING.finditer(text))
    if not headings:
        result.problems.append(
            error(
                shown,
                1,
                1,
                "not-an-issue-form",
                "no '### ' headings: this is not the body of the add-a-paper issue form",
            )
        )
    for number, heading in enumerate(headings):
        end = headings[number + 1].start() if number + 1 < len(headings) else len(text)
        answer = text[heading.end() : end].strip()
        line = text.count("\n", 0, heading.start()) + 1
        element = elements.get(heading.group(1))
        if element is None:
            result.problems.append(
                warning(
                    shown,
                    line,
                    1,
                    "unknown-heading",
                    f"'{heading.group(1)[:80]}' is not a question of the form; its answer is ignored",
                )
            )
        elif answer and answer != NO_RESPONSE:
            _take(element, answer, line, shown, result)
    return result


def _take(element: dict[str, Any], answer: str, line: int, shown: str, result: IssueFields) -> None:
    name = element["id"]
    if element["type"] == "checkboxes":
        chosen = _CHECKED.findall(answer)
        if name.startswith("tags-"):
            result.tags += chosen
        elif chosen:
            result.data[name] = chosen
    elif name == "sections":
        options = element["attributes"]["options"]
        joined = f", {' '.join(answer.split())}, "  # GitHub joins the chosen options with ", "
        result.data["sections"] = [option.split(":", 1)[0] for option in options if f", {option}, " in joined]
    elif name == "authors":
        result.data["authors"] = [" ".join(part.split()) for part in re.split(r"\n|;", answer) if part.strip()]
    elif name == "year":
        if re.fullmatch(r"\d{4}", answer):
            result.data["year"] = int(answer)
        else:
            result.problems.append(error(shown, line, 1, "bad-year", f"'{answer[:40]}' is not a year like 2023"))
    else:
        result.data[name] = " ".join(answer.split()) if element["type"] == "input" else answer
