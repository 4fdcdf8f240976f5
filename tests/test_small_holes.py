"""The smaller holes of the second red-team pass: impossible arXiv ids, invisible or control-character
text, deceptive URLs, leftover temporary files, and two misleading messages."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_KB, ScratchKB

from surveykb.core.ids import is_valid_arxiv

RECORD = (FIXTURE_KB / "papers" / "liu2023visual.yaml").read_text(encoding="utf-8")
FILE = "papers/liu2023visual.yaml"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        pytest.param("2304.08485", True, id="new-style"),
        pytest.param("2304.10850", True, id="ends-in-zero"),
        pytest.param("0704.0001", True, id="first-new-style"),
        pytest.param("1412.9999", True, id="last-four-digit-month"),
        pytest.param("1501.00001", True, id="first-five-digit-month"),
        pytest.param("2399.00001", False, id="month-99"),
        pytest.param("2300.00001", False, id="month-00"),
        pytest.param("0704.00001", False, id="five-digits-in-2007"),
        pytest.param("1501.0001", False, id="four-digits-in-2015"),
        pytest.param("0703.0001", False, id="new-style-before-april-2007"),
        pytest.param("cs/0101001", True, id="old-style"),
        pytest.param("hep-th/9108001", True, id="first-old-style-month"),
        pytest.param("math.AG/0703001", True, id="old-style-subject-class"),
        pytest.param("cs/0704001", False, id="old-style-after-march-2007"),
        pytest.param("cs/9913001", False, id="old-style-month-13"),
        pytest.param("hep-th/9107001", False, id="old-style-before-august-1991"),
    ],
)
def test_arxiv_ids_name_a_real_month_and_numbering(value: str, valid: bool) -> None:
    assert is_valid_arxiv(value) is valid


def _edited(kb: ScratchKB, old: str, new: str) -> list[str]:
    assert RECORD.count(old) == 1, old
    kb.write("liu2023visual.yaml", RECORD.replace(old, new))
    return [d.as_text() for d in kb.check() if d.is_error]


BAD_VALUES = [
    pytest.param(
        'arxiv: "2304.08485"',
        'arxiv: "2399.00001"',
        "11:8: error bad-arxiv: '2399.00001' is not an arXiv id; write 2304.08485 or cs/0101001, without a version or URL",
        id="arxiv-month-99",
    ),
    pytest.param(
        'arxiv: "2304.08485"',
        'arxiv: "0704.00001"',
        "11:8: error bad-arxiv: '0704.00001' is not an arXiv id; write 2304.08485 or cs/0101001, without a version or URL",
        id="arxiv-five-digits-in-2007",
    ),
    pytest.param(
        "title: Visual Instruction Tuning",
        'title: "\\u200b\\u200d\\u2060"',
        "3:8: error empty-string: 'title' must not be empty, blank or only invisible characters",
        id="zero-width-title",
    ),
    pytest.param(
        "  - Chunyuan Li",
        '  - "\\u202e\\u200f"',
        "6:5: error empty-string: 'authors[1]' must not be empty, blank or only invisible characters",
        id="bidi-only-author",
    ),
    pytest.param(
        "title: Visual Instruction Tuning",
        'title: "Visual\\0 Tuning"',
        "3:8: error control-character: the text holds the control character U+0000 at position 7; delete it",
        id="nul-in-title",
    ),
    pytest.param(
        "venue: NeurIPS 2023",
        'venue: "\\e[31mNeurIPS 2023"',
        "10:8: error control-character: the text holds the control character U+001B at position 1; delete it",
        id="esc-in-venue",
    ),
    pytest.param(
        "url: https://llava-vl.github.io",
        "url: http://.",
        "12:6: error bad-url: 'http://.' is not an http(s) URL",
        id="url-dot-host",
    ),
    pytest.param(
        "url: https://llava-vl.github.io",
        "url: https://a..b/x",
        "12:6: error bad-url: 'https://a..b/x' is not an http(s) URL",
        id="url-empty-label",
    ),
    pytest.param(
        "url: https://llava-vl.github.io",
        "url: https://-a.org/x",
        "12:6: error bad-url: 'https://-a.org/x' is not an http(s) URL",
        id="url-label-starts-with-hyphen",
    ),
    pytest.param(
        "url: https://llava-vl.github.io",
        "url: https://arxiv.org@evil.example/x",
        "12:6: error bad-url: 'https://arxiv.org@evil.example/x' names a user before the host; write the link without 'user@'",
        id="url-userinfo",
    ),
    pytest.param(
        "code: https://github.com/haotian-liu/LLaVA",
        "code: https://github.com:99999/x",
        "13:7: error bad-url: 'https://github.com:99999/x' has a port outside 0..65535",
        id="url-port-99999",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD_VALUES)
def test_bad_value(scratch_kb: ScratchKB, old: str, new: str, expected: str) -> None:
    assert _edited(scratch_kb, old, new) == [f"{FILE}:{expected}"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(
            "title: Visual Instruction Tuning",
            'title: "\\u200fVisual\\u200d Instruction Tuning"',
            id="bidi-around-letters",
        ),
        pytest.param(
            "summary: Uses",
            'summary: "Line one\\nline two\\tand a tab\\r\\nand CRLF."\nx-summary: Uses',
            id="line-breaks-and-tabs-in-summary",
        ),
        pytest.param(
            "url: https://llava-vl.github.io", "url: https://xn--bcher-kva.example:8443/a", id="url-port-and-punycode"
        ),
        pytest.param("url: https://llava-vl.github.io", "url: https://bücher.example/a", id="url-unicode-host"),
    ],
)
def test_still_valid(scratch_kb: ScratchKB, old: str, new: str) -> None:
    text = RECORD.replace(old, new).replace("x-summary: Uses", "# Uses")  # the rest of the old summary as a comment
    scratch_kb.write("liu2023visual.yaml", text)
    assert [d.as_text() for d in scratch_kb.check() if d.is_error] == []


def test_a_leftover_temporary_file_is_reported(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("liu2023visual.yaml", RECORD)
    scratch_kb.write(".liu2023visual.yaml.k2j3h4.tmp", "id: half-writ")
    assert scratch_kb.report() == [
        "papers/.liu2023visual.yaml.k2j3h4.tmp:1:1: warning leftover-temporary: a temporary file left by an interrupted write; "
        "the record it was for is unchanged, so delete it"
    ]


def test_gitignore_covers_temporary_files() -> None:
    gitignore = (FIXTURE_KB.parents[2] / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "papers/.*.tmp" in gitignore


def test_a_double_extension_is_not_offered_as_an_id(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("liu2023visual.yaml.yaml", RECORD)
    assert scratch_kb.report() == [
        "papers/liu2023visual.yaml.yaml:2:5: error id-mismatch: the id 'liu2023visual' does not match the file name; rename the file to liu2023visual.yaml"
    ]


def test_a_taxonomy_node_without_parent_says_so(scratch_kb: ScratchKB) -> None:
    path = scratch_kb.root / "taxonomy" / "data4model.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - id: scaling-up\n    parent: scaling\n", "  - id: scaling-up\n"), encoding="utf-8")
    line = text.splitlines().index("  - id: scaling-up") + 1
    errors = [d.as_text() for d in scratch_kb.check() if d.is_error and d.code == "bad-parent"]
    assert errors == [
        f"taxonomy/data4model.yaml:{line}:9: error bad-parent: the node 'scaling-up' has no parent; give it `parent:` with the id of its axis or group"
    ]


# --- For the maintainer's identity wiring (core/identity.py into validate); expected to pass once it lands.


def test_identical_cjk_titles_are_duplicates(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("liu2023visual.yaml", RECORD.replace("title: Visual Instruction Tuning", "title: 视觉指令微调"))
    other = (
        RECORD.replace("id: liu2023visual", "id: other")
        .replace("title: Visual Instruction Tuning", "title: 视觉指令微调")
        .replace('arxiv: "2304.08485"\n', "")
    )
    scratch_kb.write("other.yaml", other)
    assert "duplicate-title" in {d.code for d in scratch_kb.check()}


def test_an_arxiv_id_and_its_datacite_doi_are_the_same_paper(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("liu2023visual.yaml", RECORD)
    other = RECORD.replace("id: liu2023visual", "id: other").replace(
        "title: Visual Instruction Tuning", "title: Another Title"
    )
    scratch_kb.write("other.yaml", other.replace('arxiv: "2304.08485"', "doi: 10.48550/arXiv.2304.08485"))
    assert {"duplicate-arxiv", "duplicate-doi"} & {d.code for d in scratch_kb.check()}
