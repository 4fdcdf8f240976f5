"""Checking records: every bad input gets a positioned diagnostic, all of them at once, sorted."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest
from conftest import FIXTURE_KB, TODAY, ScratchKB
from hypothesis import given, settings
from hypothesis import strategies as st

from surveykb.core.diagnostics import Severity
from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.core.paths import display_path, expand_paths, find_root, record_paths
from surveykb.core.taxonomy import load_taxonomy
from surveykb.core.validate import check_file

# Line numbers of VALID, for reading the table below:
#  1 schema comment    5 Haotian Liu   9 modalities     13 added
#  2 id                6 Chunyuan Li  10 data4model     14 (first appended line)
#  3 title             7 year         11 model4data
#  4 authors           8 arxiv        12 sections
VALID = """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: liu2023visual
title: Visual Instruction Tuning
authors:
  - Haotian Liu
  - Chunyuan Li
year: 2023
arxiv: "2304.08485"
modalities: [text, image]
data4model: [acquisition]
model4data: [creator]
sections: ["3.1.1", "5.1"]
added: 2024-07-12
"""
FILE = "papers/liu2023visual.yaml"


def edit(old: str, new: str) -> str:
    """VALID with one exact piece of it replaced."""
    assert VALID.count(old) == 1, old
    return VALID.replace(old, new)


BILLION_LAUGHS = "id: liu2023visual\n" + "\n".join(
    f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]" for level in range(1, 10)
).replace("*l0", '"lol"')

BAD_RECORDS = [
    # --- the file as a whole
    pytest.param(
        edit("[text, image]", "[text, image"),
        [
            "10:11: error yaml-syntax: a `[...]` list is not closed with `]` (YAML says: did not find expected ',' or ']' (while parsing a flow sequence))"
        ],
        id="yaml-syntax-unclosed-flow-list",
    ),
    pytest.param(
        edit("title:", "  title:"),
        [
            "3:8: error yaml-syntax: a value holds `: `, or a field is indented under another one; put such a value in quotes (YAML says: mapping values are not allowed in this context)"
        ],
        id="yaml-syntax-bad-indentation",
    ),
    pytest.param(
        edit("year: 2023", "\tyear: 2023"),
        [
            "7:1: error yaml-syntax: YAML cannot be indented with tabs; use spaces (YAML says: found a tab character that violates indentation (while scanning a plain scalar))"
        ],
        id="yaml-syntax-tab-indentation",
    ),
    pytest.param(
        edit("modalities: [text, image]\n", "modalities:\n  - text\n - image\n"),
        [
            "11:2: error yaml-syntax: this line is indented differently from the fields around it, or a value above it is unfinished (YAML says: did not find expected key (while parsing a block mapping))"
        ],
        id="yaml-syntax-list-item-dedented",
    ),
    pytest.param(
        edit("data4model: [acquisition]\n", "data4model:\n  - acquisition\n    - mixture\n"),
        [
            "11:5: error indented-item: 'acquisition - mixture' reads as one tag: the `- ` line below the first is indented further, so YAML joined them; put every `- tag` of the list at the same indentation"
        ],
        id="list-item-indented-further",
    ),
    pytest.param(
        "# a list, not a record\n- id: liu2023visual\n- title: Visual Instruction Tuning\n",
        ["2:1: error not-mapping: the top level is a list; a record is a YAML mapping of fields"],
        id="top-level-list",
    ),
    pytest.param(
        "liu2023visual\n",
        ["1:1: error not-mapping: the top level is a single value; a record is a YAML mapping of fields"],
        id="top-level-scalar",
    ),
    pytest.param(
        "", ["1:1: error not-mapping: the file is empty; a record is a YAML mapping of fields"], id="empty-file"
    ),
    pytest.param(
        "# TODO: fill in\n\n",
        ["1:1: error not-mapping: the file is empty; a record is a YAML mapping of fields"],
        id="comments-only",
    ),
    pytest.param(
        VALID + "---\nid: liu2023visual-2\n",
        ["14:1: error multi-document: the file holds more than one YAML document; keep one record per file"],
        id="two-documents",
    ),
    pytest.param(
        VALID + "venue: &venue NeurIPS 2023\nsummary: *venue\n",
        ["15:1: error alias: YAML anchors and aliases are not allowed in records; write the value out"],
        id="anchor-and-alias",
    ),
    pytest.param(
        BILLION_LAUGHS,
        ["3:5: error alias: YAML anchors and aliases are not allowed in records; write the value out"],
        id="billion-laughs",
    ),
    pytest.param(
        VALID.encode().replace(b"Visual Instruction", b"Visuel Instruction \xe9t\xe9"),
        ["3:27: error not-utf8: the file is not UTF-8 text (byte 0xe9)"],
        id="latin-1-file",
    ),
    pytest.param(
        VALID + "summary: " + "x" * 256 * 1024 + "\n",
        ["1:1: error too-large: the file is 262456 bytes; a record may be at most 262144 bytes"],
        id="over-256-kib",
    ),
    pytest.param(
        VALID + "summary: " + "[" * 70 + "]" * 70 + "\n",
        ["14:74: error too-deep: values are nested more than 64 levels deep"],
        id="nested-too-deep",
    ),
    pytest.param(
        VALID + "summary: !!python/name:os.system ''\n",
        ["14:10: error bad-value: '' cannot be read with the tag !!python/name:os.system; drop the tag"],
        id="python-tag-on-text",
    ),
    pytest.param(
        VALID + "summary: !!python/object/apply:os.system [echo]\n",
        ["14:10: error wrong-type: 'summary' must be text, not a list"],
        id="python-tag-on-list-is-just-a-list",
    ),
    # --- fields
    pytest.param(
        VALID + "auther: Haotian Liu\n",
        ["14:1: error unknown-field: unknown field 'auther'; did you mean 'authors'?"],
        id="unknown-field-did-you-mean",
    ),
    pytest.param(
        VALID + "publisher: ACM\n", ["14:1: error unknown-field: unknown field 'publisher'"], id="unknown-field"
    ),
    pytest.param(
        VALID + "? [venue]\n: NeurIPS\n",
        ["14:3: error bad-key: a field name must be a plain word, not a list or mapping"],
        id="list-as-field-name",
    ),
    pytest.param(
        VALID + "year: 2024\n",
        ["14:1: error duplicate-key: the field 'year' is given twice; keep one"],
        id="duplicate-key",
    ),
    pytest.param(
        edit("id: liu2023visual\n", ""),
        ["2:1: error missing-field: the required field 'id' is missing"],
        id="missing-id",
    ),
    pytest.param(
        edit("title: Visual Instruction Tuning\n", ""),
        ["2:1: error missing-field: the required field 'title' is missing"],
        id="missing-title",
    ),
    # --- tags
    pytest.param(
        edit("[acquisition]", "[aquisition]"),
        ["10:14: error unknown-tag: unknown data4model tag 'aquisition'; did you mean 'acquisition'?"],
        id="unknown-data4model-tag",
    ),
    pytest.param(
        edit("[creator]", "[creater]"),
        ["11:14: error unknown-tag: unknown model4data tag 'creater'; did you mean 'creator'?"],
        id="unknown-model4data-tag",
    ),
    pytest.param(
        edit("[acquisition]", "[acquisition, filter]"),
        ["10:27: error unknown-tag: unknown data4model tag 'filter' (it belongs to model4data)"],
        id="model4data-tag-in-data4model",
    ),
    pytest.param(
        edit("[creator]", "[mixture]"),
        ["11:14: error unknown-tag: unknown model4data tag 'mixture' (it belongs to data4model)"],
        id="data4model-tag-in-model4data",
    ),
    pytest.param(
        edit("[acquisition]", "[scaling-up]"),
        [
            "10:14: error group-tag: 'scaling-up' is a group; tag one of its leaves: acquisition, augmentation, diversity"
        ],
        id="group-instead-of-leaf",
    ),
    pytest.param(
        edit("[creator]", "[model4data]"),
        [
            "11:14: error group-tag: 'model4data' is a group; tag one of its leaves: creator, mapper, filter, "
            "evaluator, navigator, extractor, analyzer, visualizer"
        ],
        id="axis-instead-of-leaf",
    ),
    pytest.param(
        edit("[acquisition]", "[acquisition, mixture, acquisition]"),
        ["10:36: error duplicate-tag: 'acquisition' is listed twice in data4model"],
        id="tag-listed-twice",
    ),
    pytest.param(
        edit("data4model: [acquisition]\nmodel4data: [creator]\n", ""),
        [
            "2:1: error no-tags: a record needs at least one tag in data4model or model4data (it is a draft until it has one)"
        ],
        id="no-tag-fields",
    ),
    pytest.param(
        edit("[acquisition]", "[]").replace("[creator]", "[]"),
        [
            "10:1: error no-tags: a record needs at least one tag in data4model or model4data (it is a draft until it has one)"
        ],
        id="empty-tag-lists",
    ),
    pytest.param(
        edit("data4model: [acquisition]", "data4model: acquisition"),
        ["10:13: error wrong-type: 'data4model' must be a list, not the text 'acquisition'"],
        id="tag-not-in-a-list",
    ),
    # --- vocabularies
    pytest.param(
        VALID + "stages: [pretraining]\n",
        ["14:10: error unknown-stage: unknown stage 'pretraining'; did you mean 'pre-training'?"],
        id="unknown-stage",
    ),
    pytest.param(
        edit("[text, image]", "[text, images]"),
        ["9:20: error unknown-modality: unknown modality 'images'; did you mean 'image'?"],
        id="unknown-modality",
    ),
    pytest.param(
        edit('"5.1"]', '"7.1"]'),
        ["12:21: error unknown-section: unknown section '7.1'; did you mean '8.1'?"],
        id="unknown-section",
    ),
    pytest.param(
        edit('"5.1"]', "5.1]"),
        ["12:21: error wrong-type: 'sections[1]' must be text, not the number 5.1 (put it in quotes: \"5.1\")"],
        id="unquoted-section-number",
    ),
    pytest.param(
        edit('["3.1.1", "5.1"]', '["3.1.1", "5.1", "3.1.1"]'),
        ["12:28: error duplicate-value: '3.1.1' is listed twice in sections"],
        id="section-listed-twice",
    ),
    # --- types and empty values
    pytest.param(
        edit("authors:\n  - Haotian Liu\n  - Chunyuan Li\n", "authors: Haotian Liu, Chunyuan Li\n"),
        ["4:10: error wrong-type: 'authors' must be a list, not the text 'Haotian Liu, Chunyuan Li'"],
        id="authors-as-string",
    ),
    pytest.param(
        edit("year: 2023", "year: twenty-three"),
        ["7:7: error wrong-type: 'year' must be a whole number, not the text 'twenty-three'"],
        id="year-as-text",
    ),
    pytest.param(
        edit("year: 2023", 'year: "2023"'),
        ["7:7: error wrong-type: 'year' must be a whole number, not the text '2023' (drop the quotes: 2023)"],
        id="year-quoted",
    ),
    pytest.param(
        edit("year: 2023", "year: 2023.5"),
        ["7:7: error wrong-type: 'year' must be a whole number, not the number 2023.5"],
        id="year-fraction",
    ),
    pytest.param(
        edit('arxiv: "2304.08485"', "arxiv: 2304.08480"),
        ["8:8: error wrong-type: 'arxiv' must be text, not the number 2304.08480 (put it in quotes: \"2304.08480\")"],
        id="unquoted-arxiv-number",
    ),
    pytest.param(
        edit("title: Visual Instruction Tuning", 'title: ""'),
        ["3:8: error empty-string: 'title' must not be empty, blank or only invisible characters"],
        id="empty-title",
    ),
    pytest.param(
        edit("title: Visual Instruction Tuning", "title:"),
        ["3:7: error wrong-type: 'title' must be text, not an empty value"],
        id="title-left-blank",
    ),
    pytest.param(
        edit("  - Chunyuan Li", '  - "   "'),
        ["6:5: error empty-string: 'authors[1]' must not be empty, blank or only invisible characters"],
        id="blank-author",
    ),
    pytest.param(
        edit("year: 2023", "year: 1949"),
        ["7:7: error year-range: the year 1949 is outside 1950..2025"],
        id="year-before-1950",
    ),
    pytest.param(
        edit("year: 2023", "year: 2026"),
        ["7:7: error year-range: the year 2026 is outside 1950..2025"],
        id="year-after-next-year",
    ),
    # --- identifiers and links
    pytest.param(
        edit('"2304.08485"', '"2304.08485v2"'),
        [
            "8:8: error bad-arxiv: '2304.08485v2' is not an arXiv id; write 2304.08485 or cs/0101001, without a version or URL"
        ],
        id="arxiv-with-version",
    ),
    pytest.param(
        edit('"2304.08485"', "https://arxiv.org/abs/2304.08485"),
        [
            "8:8: error bad-arxiv: 'https://arxiv.org/abs/2304.08485' is not an arXiv id; "
            "write 2304.08485 or cs/0101001, without a version or URL"
        ],
        id="arxiv-as-url",
    ),
    pytest.param(
        VALID + "doi: https://doi.org/10.1145/3581783\n",
        [
            "14:6: error bad-doi: 'https://doi.org/10.1145/3581783' is not a DOI; write it like 10.1000/xyz123, without https://doi.org/"
        ],
        id="doi-as-url",
    ),
    pytest.param(
        VALID + "doi: 10.12/abc\n",
        ["14:6: error bad-doi: '10.12/abc' is not a DOI; write it like 10.1000/xyz123, without https://doi.org/"],
        id="doi-short-registrant",
    ),
    pytest.param(
        VALID + "url: javascript:alert(1)\n",
        ["14:6: error bad-url: 'javascript:alert(1)' is not an http(s) URL"],
        id="url-javascript",
    ),
    pytest.param(
        VALID + "url: ftp://ftp.example.org/paper.pdf\n",
        ["14:6: error bad-url: 'ftp://ftp.example.org/paper.pdf' is not an http(s) URL"],
        id="url-ftp",
    ),
    pytest.param(
        VALID + "url: https:///paper\n",
        ["14:6: error bad-url: 'https:///paper' is not an http(s) URL"],
        id="url-no-host",
    ),
    pytest.param(
        VALID + "code: github.com/haotian-liu/LLaVA\n",
        ["14:7: error bad-url: 'github.com/haotian-liu/LLaVA' is not an http(s) URL"],
        id="code-without-scheme",
    ),
    pytest.param(
        edit("id: liu2023visual", "id: Liu2023Visual"),
        [
            "2:5: error bad-id: the id 'Liu2023Visual' must be lower-case letters and digits in words joined by "
            "single hyphens, at most 64 characters (like liu2023visual)"
        ],
        id="id-upper-case",
    ),
    pytest.param(
        edit("id: liu2023visual", "id: " + "a" * 65),
        [
            f"2:5: error bad-id: the id '{'a' * 65}' must be lower-case letters and digits in words joined by "
            "single hyphens, at most 64 characters (like liu2023visual)"
        ],
        id="id-too-long",
    ),
    pytest.param(
        edit("id: liu2023visual", "id: liu2023visual-"),
        [
            "2:5: error bad-id: the id 'liu2023visual-' must be lower-case letters and digits in words joined by "
            "single hyphens, at most 64 characters (like liu2023visual)"
        ],
        id="id-trailing-hyphen",
    ),
    pytest.param(
        edit("id: liu2023visual", "id: li2023visual"),
        [
            "2:5: error id-mismatch: the id 'li2023visual' does not match the file name; "
            "rename the file to li2023visual.yaml or change the id to 'liu2023visual'"
        ],
        id="id-not-file-name",
    ),
    # --- dates
    pytest.param(
        edit("added: 2024-07-12", "added: 2024-02-30"),
        ["13:8: error bad-date: '2024-02-30' is not a real date written YYYY-MM-DD"],
        id="date-not-in-calendar",
    ),
    pytest.param(
        edit("added: 2024-07-12", "added: 2024-7-12"),
        ["13:8: error bad-date: '2024-7-12' is not a real date written YYYY-MM-DD"],
        id="date-not-zero-padded",
    ),
    pytest.param(
        edit("added: 2024-07-12", "added: 2024-07-12T10:30:00"),
        ["13:8: error bad-date: '2024-07-12T10:30:00' is not a real date written YYYY-MM-DD"],
        id="date-with-time",
    ),
    pytest.param(
        edit("added: 2024-07-12", "added: 20240712"),
        ["13:8: error wrong-type: 'added' must be a date written YYYY-MM-DD"],
        id="date-as-number",
    ),
    # --- many problems in one file
    pytest.param(
        edit("year: 2023", "year: 1900").replace("[creator]", "[creater]") + "auther: X\n",
        [
            "7:7: error year-range: the year 1900 is outside 1950..2025",
            "11:14: error unknown-tag: unknown model4data tag 'creater'; did you mean 'creator'?",
            "14:1: error unknown-field: unknown field 'auther'; did you mean 'authors'?",
        ],
        id="several-problems-sorted",
    ),
    pytest.param(
        (VALID + "auther: X\n").replace("\n", "\r\n"),
        ["14:1: error unknown-field: unknown field 'auther'; did you mean 'authors'?"],
        id="windows-line-endings",
    ),
    pytest.param(
        "\ufeff" + VALID + "auther: X\n",
        ["14:1: error unknown-field: unknown field 'auther'; did you mean 'authors'?"],
        id="byte-order-mark",
    ),
]


@pytest.mark.parametrize(("content", "expected"), BAD_RECORDS)
def test_bad_record(scratch_kb: ScratchKB, content: str | bytes, expected: list[str]) -> None:
    scratch_kb.write("liu2023visual.yaml", content)
    assert scratch_kb.report() == [f"{FILE}:{line}" for line in expected]


def test_valid_record_has_no_problems(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("liu2023visual.yaml", VALID)
    kb, diagnostics = load_knowledge_base(Path("."), today=TODAY)
    assert diagnostics == []
    assert kb is not None and [record.paper.id for record in kb.records] == ["liu2023visual"]
    assert kb.records[0].shown == FILE


@pytest.mark.parametrize(
    "year",
    [pytest.param("1950", id="first-year"), pytest.param("2025", id="next-year")],
)
def test_year_range_is_inclusive(scratch_kb: ScratchKB, year: str) -> None:
    scratch_kb.write("liu2023visual.yaml", edit("year: 2023", f"year: {year}"))
    assert scratch_kb.report() == []


def test_billion_laughs_is_refused_quickly(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("liu2023visual.yaml", BILLION_LAUGHS)
    started = time.perf_counter()
    diagnostics = scratch_kb.check()
    assert time.perf_counter() - started < 1.0
    assert [d.code for d in diagnostics] == ["alias"]


def test_file_of_exactly_256_kib_is_read(scratch_kb: ScratchKB) -> None:
    head = VALID + "# "  # a comment: no field may be that long
    scratch_kb.write("liu2023visual.yaml", head + "x" * (256 * 1024 - len(head) - 1) + "\n")
    assert os.path.getsize(scratch_kb.papers / "liu2023visual.yaml") == 256 * 1024
    assert scratch_kb.report() == []


def test_symlinked_record_is_refused(scratch_kb: ScratchKB) -> None:
    target = scratch_kb.root / "elsewhere.yaml"
    target.write_text(VALID)
    (scratch_kb.papers / "liu2023visual.yaml").symlink_to(target)
    assert scratch_kb.report() == [f"{FILE}:1:1: error symlink: records must be regular files, not symbolic links"]


def test_stray_entries_in_papers(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("liu2023visual.yaml", VALID)
    scratch_kb.write("notes.txt", "to do\n")
    scratch_kb.write("chen2023sharegpt4v.yml", VALID)
    scratch_kb.write(".editor-backup", "ignored\n")
    (scratch_kb.papers / "drafts.yaml").mkdir()
    (scratch_kb.papers / "dangling").symlink_to(scratch_kb.root / "missing.yaml")
    assert scratch_kb.report() == [
        "papers/chen2023sharegpt4v.yml:1:1: error stray-file: papers/ holds only records named <id>.yaml",
        "papers/dangling:1:1: error symlink: records must be regular files, not symbolic links",
        "papers/drafts.yaml:1:1: error not-a-file: not a regular file",
        "papers/notes.txt:1:1: error stray-file: papers/ holds only records named <id>.yaml",
    ]


def _second_record(**fields: str) -> str:
    values = {"id": "chen2023sharegpt4v", "title": "ShareGPT4V", "arxiv": '"2311.12793"', "doi": "10.1000/share"}
    values.update(fields)
    body = "".join(f"{key}: {value}\n" for key, value in values.items())
    return body + "authors: [Lin Chen]\nyear: 2023\ndata4model: [cross-modal-alignment]\n"


@pytest.mark.parametrize(
    ("first_extra", "second_fields", "expected"),
    [
        pytest.param(
            "",
            {"arxiv": '"2304.08485"'},
            [
                "papers/chen2023sharegpt4v.yaml:3:8: error duplicate-arxiv: the arXiv id '2304.08485' is also used by papers/liu2023visual.yaml",
                "papers/liu2023visual.yaml:8:8: error duplicate-arxiv: the arXiv id '2304.08485' is also used by papers/chen2023sharegpt4v.yaml",
            ],
            id="same-arxiv",
        ),
        pytest.param(
            "doi: 10.1000/ABC\n",
            {"doi": "10.1000/abc"},
            [
                "papers/chen2023sharegpt4v.yaml:4:6: error duplicate-doi: the DOI '10.1000/abc' is also used by papers/liu2023visual.yaml",
                "papers/liu2023visual.yaml:14:6: error duplicate-doi: the DOI '10.1000/ABC' is also used by papers/chen2023sharegpt4v.yaml",
            ],
            id="same-doi-ignoring-case",
        ),
        pytest.param(
            "",
            {"title": "visual instruction-tuning!"},
            [
                "papers/chen2023sharegpt4v.yaml:2:8: error duplicate-title: the same title is also used by papers/liu2023visual.yaml",
                "papers/liu2023visual.yaml:3:8: error duplicate-title: the same title is also used by papers/chen2023sharegpt4v.yaml",
            ],
            id="same-normalized-title",
        ),
    ],
)
def test_duplicates_across_files(
    scratch_kb: ScratchKB, first_extra: str, second_fields: dict[str, str], expected: list[str]
) -> None:
    scratch_kb.write("liu2023visual.yaml", VALID + first_extra)
    scratch_kb.write("chen2023sharegpt4v.yaml", _second_record(**second_fields))
    assert scratch_kb.report() == expected


def test_duplicate_id_in_a_file_outside_papers(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("liu2023visual.yaml", VALID)
    outside = scratch_kb.root / "incoming" / "liu2023visual.yaml"
    outside.parent.mkdir()
    outside.write_text(edit('"2304.08485"', '"2304.99999"').replace("Visual Instruction Tuning", "LLaVA"))
    only = [Path("incoming/liu2023visual.yaml"), Path(FILE)]
    assert scratch_kb.report(only) == [
        "incoming/liu2023visual.yaml:2:5: error duplicate-id: the id 'liu2023visual' is also used by papers/liu2023visual.yaml",
        "papers/liu2023visual.yaml:2:5: error duplicate-id: the id 'liu2023visual' is also used by incoming/liu2023visual.yaml",
    ]


def test_only_reports_the_named_files_but_checks_them_against_all(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("liu2023visual.yaml", VALID + "publisher: ACM\n")
    scratch_kb.write("chen2023sharegpt4v.yaml", _second_record(title="Visual Instruction Tuning", arxiv='"2311.12793"'))
    scratch_kb.write("wang2024broken.yaml", "id: [\n")
    # An invalid record (here: an unknown field) still takes part in the duplicate check.
    assert scratch_kb.report([Path("papers/chen2023sharegpt4v.yaml")]) == [
        "papers/chen2023sharegpt4v.yaml:2:8: error duplicate-title: the same title is also used by papers/liu2023visual.yaml",
    ]
    scratch_kb.write("liu2023visual.yaml", VALID)
    assert scratch_kb.report([Path("papers/chen2023sharegpt4v.yaml"), Path("papers/gone.yaml")]) == [
        "papers/chen2023sharegpt4v.yaml:2:8: error duplicate-title: the same title is also used by papers/liu2023visual.yaml",
        "papers/gone.yaml:1:1: error not-found: no such file",
    ]


def test_every_problem_in_every_file_at_once(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("liu2023visual.yaml", edit("[creator]", "[creater]") + "auther: X\n")
    scratch_kb.write("chen2023sharegpt4v.yaml", _second_record(arxiv="2311.12793v1") + "year: 2024\n")
    scratch_kb.write("empty.yaml", "")
    scratch_kb.write("zhu2023minigpt4.yaml", "id: zhu2023minigpt4\ntitle: MiniGPT-4\ndata4model: [acquisition]\n")
    scratch_kb.write("README.md", "# papers\n")
    assert scratch_kb.report() == [
        "papers/README.md:1:1: error stray-file: papers/ holds only records named <id>.yaml",
        "papers/chen2023sharegpt4v.yaml:3:8: error bad-arxiv: '2311.12793v1' is not an arXiv id; write 2304.08485 or cs/0101001, without a version or URL",
        "papers/chen2023sharegpt4v.yaml:8:1: error duplicate-key: the field 'year' is given twice; keep one",
        "papers/empty.yaml:1:1: error not-mapping: the file is empty; a record is a YAML mapping of fields",
        "papers/liu2023visual.yaml:11:14: error unknown-tag: unknown model4data tag 'creater'; did you mean 'creator'?",
        "papers/liu2023visual.yaml:14:1: error unknown-field: unknown field 'auther'; did you mean 'authors'?",
        "papers/zhu2023minigpt4.yaml:1:1: warning incomplete: the record has no authors, no year and no link (arxiv, doi or url)",
    ]


@pytest.mark.parametrize(
    ("removed", "message"),
    [
        pytest.param("authors:\n  - Haotian Liu\n  - Chunyuan Li\n", "the record has no authors", id="no-authors"),
        pytest.param("year: 2023\n", "the record has no year", id="no-year"),
        pytest.param('arxiv: "2304.08485"\n', "the record has no link (arxiv, doi or url)", id="no-link"),
    ],
)
def test_incomplete_record_is_a_warning(scratch_kb: ScratchKB, removed: str, message: str) -> None:
    scratch_kb.write("liu2023visual.yaml", edit(removed, ""))
    kb, diagnostics = load_knowledge_base(Path("."), today=TODAY)
    assert [d.as_text() for d in diagnostics] == [f"{FILE}:2:1: warning incomplete: {message}"]
    assert diagnostics[0].severity is Severity.WARNING
    assert kb is not None and [record.paper.id for record in kb.records] == ["liu2023visual"]


def test_records_are_sorted_by_id(fixture_kb: ScratchKB) -> None:
    kb, diagnostics = load_knowledge_base(Path("."))
    assert kb is not None
    assert [record.paper.id for record in kb.records] == [
        "chen2023sharegpt4v",
        "liu2023visual",
        "mm-vet-evaluating-large-multimodal-models-for-integrated",
    ]
    assert [d.code for d in diagnostics] == ["incomplete"]
    assert kb.taxonomy.axes == ("data4model", "model4data")
    assert kb.papers[1].title == "Visual Instruction Tuning"


def test_missing_papers_directory(scratch_kb: ScratchKB) -> None:
    scratch_kb.papers.rmdir()
    assert scratch_kb.report() == ["papers:1:1: error no-papers: the papers directory does not exist"]


def test_broken_taxonomy_stops_before_records(scratch_kb: ScratchKB) -> None:
    (scratch_kb.root / "taxonomy" / "stages.yaml").unlink()
    scratch_kb.write("liu2023visual.yaml", "not: [valid\n")
    kb, diagnostics = load_knowledge_base(Path("."), today=TODAY)
    assert kb is None
    assert [d.as_text() for d in diagnostics] == [
        "taxonomy/stages.yaml:1:1: error missing-file: this taxonomy file is required"
    ]


def test_check_file_returns_the_record(scratch_kb: ScratchKB) -> None:
    taxonomy, _ = load_taxonomy(scratch_kb.root / "taxonomy")
    path = scratch_kb.write("liu2023visual.yaml", VALID)
    record, problems = check_file(path, {"taxonomy": taxonomy, "today": TODAY})
    assert problems == []
    assert record is not None
    assert record.paper.arxiv == "2304.08485"
    assert record.loaded.position(("sections", 1)) == record.loaded.values[("sections", 1)]
    assert (record.loaded.position(("sections", 1)).line, record.loaded.position(("sections", 1)).col) == (12, 21)


def test_record_paths_and_expand_paths(scratch_kb: ScratchKB) -> None:
    for name in ("b.yaml", "a.yaml", "c.txt"):
        scratch_kb.write(name, "")
    paths, strays = record_paths(scratch_kb.papers)
    assert [path.name for path in paths] == ["a.yaml", "b.yaml"]
    assert [d.path for d in strays] == ["papers/c.txt"]
    assert expand_paths([Path("papers"), Path("x/other.yaml")]) == [
        Path("papers/a.yaml"),
        Path("papers/b.yaml"),
        Path("x/other.yaml"),
    ]


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        pytest.param("papers/a.yaml", "papers/a.yaml", id="relative"),
        pytest.param("./papers/a.yaml", "papers/a.yaml", id="dot-relative"),
        pytest.param("{root}/papers/a.yaml", "papers/a.yaml", id="absolute-inside"),
        pytest.param("{root}", ".", id="the-working-directory"),
        pytest.param(".", ".", id="dot"),
        pytest.param("../x.yaml", "../x.yaml", id="parent-stays-relative"),
        pytest.param("{root}-other/x.yaml", "{root}-other/x.yaml", id="sibling-with-common-prefix"),
        pytest.param("/x.yaml", "/x.yaml", id="outside"),
    ],
)
def test_display_path(scratch_kb: ScratchKB, given: str, shown: str) -> None:
    root = str(scratch_kb.root)
    assert display_path(Path(given.format(root=root))) == shown.format(root=root)


def test_find_root(scratch_kb: ScratchKB, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "x.yaml"
    nested = scratch_kb.papers / "deeper"
    nested.mkdir()
    assert find_root(nested) == scratch_kb.root
    assert find_root(outside.parent) == outside.parent


def test_fixture_kb_is_valid() -> None:
    kb, diagnostics = load_knowledge_base(FIXTURE_KB)
    assert kb is not None
    assert [d.code for d in diagnostics if d.is_error] == []


@pytest.fixture(scope="module")
def fuzz_context(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    taxonomy, _ = load_taxonomy(FIXTURE_KB / "taxonomy")
    return tmp_path_factory.mktemp("fuzz") / "liu2023visual.yaml", {"taxonomy": taxonomy, "today": TODAY}


@settings(max_examples=150, deadline=None)
@given(
    cut=st.integers(min_value=0, max_value=len(VALID)),
    noise=st.text(alphabet=st.sampled_from(list("[]{}:-&*!|>'\"#,?% \n\tx0")), max_size=12),
)
def test_no_input_raises(fuzz_context: tuple[Path, dict[str, object]], cut: int, noise: str) -> None:
    path, context = fuzz_context
    path.write_text(VALID[:cut] + noise + VALID[cut:], encoding="utf-8")
    record, problems = check_file(path, context)
    assert all(p.line >= 1 and p.col >= 1 for p in problems)
    assert (record is None) == any(p.is_error for p in problems)


@pytest.mark.parametrize("enabled", [pytest.param(True, id="gc-enabled"), pytest.param(False, id="gc-disabled")])
def test_garbage_collector_state_is_restored(scratch_kb: ScratchKB, enabled: bool) -> None:
    scratch_kb.write("liu2023visual.yaml", VALID)
    scratch_kb.write("broken.yaml", "id: [\n")
    (gc.enable if enabled else gc.disable)()
    try:
        scratch_kb.check()
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
