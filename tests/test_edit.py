"""Field edits in place (`refresh --write`): only the changed fields' lines move, comments stay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import AXES

from surveykb.commands.edit import EditRefused, edit_fields
from surveykb.core.load import load_yaml_text

RECORD = """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: doe2023data
title: Data  # the short title
authors:
  - Jane Doe
  # second author added by hand
  - John Roe
year: 2023
# the venue was checked by hand
venue: arXiv
model4data:
  - creator
"""


def edit(text: str, changes: dict[str, Any]) -> str:
    loaded, problems = load_yaml_text(text, Path("papers/doe2023data.yaml"), "papers/doe2023data.yaml")
    assert loaded is not None and not problems
    return edit_fields(text, loaded, changes, AXES)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"title": "Data: More"},
            RECORD.replace("title: Data  # the short title", 'title: "Data: More"  # the short title'),
            id="scalar-with-comment",
        ),
        pytest.param(
            {"authors": ["Jane Doe", "John Roe", "Ann Poe"]},
            RECORD.replace(
                "  - Jane Doe\n  # second author added by hand\n  - John Roe\n",
                "  # second author added by hand\n  - Jane Doe\n  - John Roe\n  - Ann Poe\n",
            ),
            id="list-keeps-inner-comment",
        ),
        pytest.param(
            {"doi": "10.5555/x.1"},
            RECORD.replace("venue: arXiv\n", "venue: arXiv\ndoi: 10.5555/x.1\n"),
            id="new-field-in-order",
        ),
        pytest.param(
            {"arxiv": "2301.00001"},
            RECORD.replace("venue: arXiv\n", 'venue: arXiv\narxiv: "2301.00001"\n'),
            id="new-quoted-field",
        ),
        pytest.param(
            {"venue": "ICML 2024", "doi": "10.5555/x.1", "title": "Data"},
            RECORD.replace("venue: arXiv\n", "venue: ICML 2024\ndoi: 10.5555/x.1\n"),
            id="several-at-once",
        ),
    ],
)
def test_edit_fields(changes: dict[str, Any], expected: str) -> None:
    assert edit(RECORD, changes) == expected


def test_a_new_field_goes_above_the_comment_of_the_next_field() -> None:
    assert edit(RECORD, {"year": 2024}) == RECORD.replace("year: 2023", "year: 2024")
    text = RECORD.replace("year: 2023\n", "")
    assert edit(text, {"year": 2024}) == RECORD.replace("year: 2023", "year: 2024")


def test_an_edit_that_would_lose_a_comment_is_refused() -> None:
    text = RECORD.replace("  - John Roe\n", "  - John Roe  # the second\n")
    with pytest.raises(EditRefused, match="^the edit would lose a comment; edit it by hand$"):
        edit(text, {"authors": ["Jane Doe"]})
