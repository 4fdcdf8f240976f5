"""`surveykb doctor`'s checks across fields: tags against survey sections, venue year against year."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY, ScratchKB

from surveykb.commands.doctor import disagreements
from surveykb.core.knowledge_base import open_knowledge_base

RECORD = """\
id: liu2023visual
title: Visual Instruction Tuning
authors: [Haotian Liu]
year: 2023
venue: NeurIPS 2023
arxiv: "2304.08485"
data4model: [acquisition]
model4data: [creator]
sections: ["3.1.1", "5.1"]
sources: [https://arxiv.org/abs/2304.08485]
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("x", "x", [], id="agreeing"),
        pytest.param(
            '["3.1.1", "5.1"]',
            '["3.1.1", "3.1.2", "5.1"]',
            [
                "papers/liu2023visual.yaml:9:21: warning section-without-tag: cited in Sec. 3.1.2 (Data Augmentation) but not tagged augmentation"
            ],
            id="section-without-its-tag",
        ),
        pytest.param(
            '["3.1.1", "5.1"]',
            '["5.1"]',
            [
                "papers/liu2023visual.yaml:7:14: warning tag-without-section: tagged acquisition (Data Acquisition, Sec. 3.1.1) but that section does not cite it"
            ],
            id="tag-without-its-section",
        ),
        pytest.param(
            "venue: NeurIPS 2023",
            "venue: NeurIPS 2026",
            [
                "papers/liu2023visual.yaml:5:8: warning venue-year: the venue's year 2026 is 3 years from the paper's year 2023"
            ],
            id="venue-year-far-off",
        ),
        pytest.param("venue: NeurIPS 2023", "venue: NeurIPS 2024", [], id="venue-year-one-off"),
    ],
)
def test_disagreements(scratch_kb: ScratchKB, old: str, new: str, expected: list[str]) -> None:
    scratch_kb.write("liu2023visual.yaml", RECORD.replace(old, new))
    loaded = open_knowledge_base(Path("."), today=TODAY)
    assert [d.as_text() for d in disagreements(loaded)] == expected


def test_doctor_never_rewrites_a_record(scratch_kb: ScratchKB) -> None:
    path = scratch_kb.write("liu2023visual.yaml", RECORD.replace('["3.1.1", "5.1"]', '["5.1"]'))
    before = path.read_bytes()
    disagreements(open_knowledge_base(Path("."), today=TODAY))
    assert path.read_bytes() == before
