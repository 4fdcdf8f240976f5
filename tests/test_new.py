"""`surveykb new` and `surveykb import bibtex`: records written, duplicates and overwrites refused."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result
from conftest import DATA_DIR, ScratchKB

from surveykb.cli import main

ADDED = "2024-07-12"
HEADER = "# yaml-language-server: $schema=../schema/paper.schema.json\n"


def offline(asked: str) -> str:
    """The line `new` prints when it fetches nothing (tests run with SURVEYKB_OFFLINE=1)."""
    return f"note: offline: nothing fetched for {asked}; the record is made from the flags alone\n"


EXPORTS = DATA_DIR / "exports.bib"

FLAMINGO_BIB = """\
@inproceedings{alayrac2022flamingo,
  title={Flamingo: a visual language model for few-shot learning},
  author={Alayrac, Jean-Baptiste and Donahue, Jeff and Luc, Pauline},
  booktitle={Advances in Neural Information Processing Systems},
  year={2022},
  eprint={2204.14198},
  archivePrefix={arXiv}
}
"""


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("surveykb.commands.new.today_text", lambda today=None: ADDED)
    monkeypatch.setattr("surveykb.commands.import_bibtex.today_text", lambda today=None: ADDED)


def run(*arguments: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(arguments), input=stdin)


def paper_files(kb: ScratchKB) -> list[str]:
    return sorted(path.name for path in kb.papers.glob("*.yaml"))


def test_new_from_flags(fixture_kb: ScratchKB) -> None:
    result = run(
        "new", "--title", "Kosmos-2: Grounding Multimodal Large Language Models to the World",
        "--author", "Zhiliang Peng", "--author", "Wenhui Wang", "--year", "2023",
        "--arxiv", "https://arxiv.org/abs/2306.14824v3", "--doi", "https://doi.org/10.48550/arXiv.2306.14824",
        "--tag", "creator", "--tag", "cross-modal-alignment", "--modality", "image", "--section", "3.2.4", "--section", "5.1",
    )  # fmt: skip
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "papers/peng2023kosmos.yaml\n",
        offline("2306.14824"),
    )
    assert (fixture_kb.papers / "peng2023kosmos.yaml").read_text() == HEADER + (
        "id: peng2023kosmos\n"
        'title: "Kosmos-2: Grounding Multimodal Large Language Models to the World"\n'
        "authors:\n  - Zhiliang Peng\n  - Wenhui Wang\n"
        "year: 2023\n"
        'arxiv: "2306.14824"\n'
        "doi: 10.48550/arXiv.2306.14824\n"
        "modalities:\n  - image\n"
        "data4model:\n  - cross-modal-alignment\n"
        "model4data:\n  - creator\n"
        'sections:\n  - 3.2.4\n  - "5.1"\n'
        f"added: {ADDED}\n"
    )
    assert fixture_kb.report([fixture_kb.papers / "peng2023kosmos.yaml"]) == []


FLAMINGO_RECORD = HEADER + (
    "id: alayrac2022flamingo\n"
    'title: "Flamingo: a visual language model for few-shot learning"\n'
    "authors:\n  - Jean-Baptiste Alayrac\n  - Jeff Donahue\n  - Pauline Luc\n"
    "year: 2022\n"
    "venue: Advances in Neural Information Processing Systems\n"
    'arxiv: "2204.14198"\n'
    "data4model:\n  - icl-data\n"
    f"added: {ADDED}\n"
)


def test_new_from_bibtex_file(fixture_kb: ScratchKB) -> None:
    (fixture_kb.root / "flamingo.bib").write_text(FLAMINGO_BIB)
    result = run("new", "--bibtex", "flamingo.bib", "--tag", "icl-data")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "papers/alayrac2022flamingo.yaml\n", "")
    assert (fixture_kb.papers / "alayrac2022flamingo.yaml").read_text() == FLAMINGO_RECORD


def test_new_from_bibtex_on_stdin_with_flags_overriding(fixture_kb: ScratchKB) -> None:
    result = run("new", "--bibtex", "-", "--tag", "icl-data", "--venue", "NeurIPS 2022", stdin=FLAMINGO_BIB)
    assert (result.exit_code, result.stdout) == (0, "papers/alayrac2022flamingo.yaml\n")
    expected = FLAMINGO_RECORD.replace(
        "venue: Advances in Neural Information Processing Systems", "venue: NeurIPS 2022"
    )
    assert (fixture_kb.papers / "alayrac2022flamingo.yaml").read_text() == expected


@pytest.mark.parametrize(
    ("bibtex", "stderr"),
    [
        pytest.param(
            FLAMINGO_BIB + FLAMINGO_BIB.replace("alayrac2022flamingo,", "other,"),
            "error: <stdin> holds 2 entries; `surveykb new` takes one (use `surveykb import bibtex` for several)\n",
            id="two-entries",
        ),
        pytest.param(
            "@article{x, title = {open\n",
            "<stdin>:1:1: error bibtex-syntax: this entry could not be read: Unexpectedly reached end of file.\n",
            id="broken",
        ),
    ],
)
def test_new_refuses_unusable_bibtex(fixture_kb: ScratchKB, bibtex: str, stderr: str) -> None:
    result = run("new", "--bibtex", "-", stdin=bibtex)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)
    assert len(paper_files(fixture_kb)) == 3


@pytest.mark.parametrize(
    ("flags", "owner"),
    [
        pytest.param(
            ["--title", "Something Else", "--arxiv", "2304.08485"],
            "papers/liu2023visual.yaml (the same arXiv id 2304.08485)",
            id="arxiv",
        ),
        pytest.param(
            ["--title", "Visual instruction-tuning!"],
            "papers/liu2023visual.yaml (the same title)",
            id="normalised-title",
        ),
        pytest.param(
            [
                "--title",
                "MM-VET: evaluating large multimodal models for integrated capabilities",
                "--tag",
                "eval-understanding",
            ],
            "papers/mm-vet-evaluating-large-multimodal-models-for-integrated.yaml (the same title)",
            id="title-of-incomplete-record",
        ),
    ],
)
def test_new_refuses_a_paper_already_known(fixture_kb: ScratchKB, flags: list[str], owner: str) -> None:
    result = run("new", "--no-interactive", *flags)
    assert (result.exit_code, result.stdout) == (1, "")
    assert (
        result.stderr.removeprefix(offline("2304.08485"))
        == f"error: this paper is already in the knowledge base: {owner}\n"
    )
    assert len(paper_files(fixture_kb)) == 3


def test_new_refuses_a_known_doi_in_any_case(fixture_kb: ScratchKB) -> None:
    assert run("new", "--title", "First", "--doi", "10.1000/ABC", "--tag", "mixture").exit_code == 0
    result = run("new", "--title", "Second", "--doi", "https://doi.org/10.1000/abc", "--tag", "mixture")
    assert (
        result.stderr
        == offline("10.1000/abc")
        + "error: this paper is already in the knowledge base: papers/first.yaml (the same DOI 10.1000/abc)\n"
    )


def test_new_never_overwrites_without_force(fixture_kb: ScratchKB) -> None:
    before = (fixture_kb.papers / "liu2023visual.yaml").read_text()
    result = run("new", "--id", "liu2023visual", "--title", "Another Paper", "--tag", "mixture")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: papers/liu2023visual.yaml already exists; choose another --id or pass --force to replace it\n",
    )
    assert (fixture_kb.papers / "liu2023visual.yaml").read_text() == before


def test_new_force_replaces_the_named_file_even_when_it_holds_the_same_paper(fixture_kb: ScratchKB) -> None:
    result = run(
        "new",
        "--force",
        "--id",
        "liu2023visual",
        "--title",
        "Visual Instruction Tuning",
        "--arxiv",
        "2304.08485",
        "--tag",
        "creator",
    )
    assert (result.exit_code, result.stdout) == (0, "papers/liu2023visual.yaml\n")
    assert (fixture_kb.papers / "liu2023visual.yaml").read_text() == HEADER + (
        'id: liu2023visual\ntitle: Visual Instruction Tuning\narxiv: "2304.08485"\nmodel4data:\n  - creator\n'
        f"added: {ADDED}\n"
    )


def test_new_gives_a_taken_derived_id_a_suffix(fixture_kb: ScratchKB) -> None:
    result = run(
        "new",
        "--title",
        "Visual Prompting Revisited",
        "--author",
        "Wei Liu",
        "--year",
        "2023",
        "--tag",
        "prompt-design",
    )
    assert (result.exit_code, result.stdout) == (0, "papers/liu2023visual-2.yaml\n")


@pytest.mark.parametrize(
    ("flags", "stderr"),
    [
        pytest.param(
            ["--tag", "acquisiton"], "error: unknown tag 'acquisiton'; did you mean 'acquisition'?\n", id="unknown-tag"
        ),
        pytest.param(
            ["--tag", "mixture", "--id", "Bad_Id"],
            "error: 'Bad_Id' is not a valid id (lower-case words joined by hyphens, like liu2023visual)\n",
            id="bad-id",
        ),
        pytest.param(
            ["--tag", "mixture", "--url", "ftp://example.org/x", "--modality", "smell"],
            "error: --url: 'ftp://example.org/x' is not an http(s) URL\n"
            "error: --modality: unknown modality 'smell'\n"
            "error: nothing written\n",
            id="invalid-values",
        ),
        pytest.param(
            ["--tag", "scaling-up"],
            "error: --tag: 'scaling-up' is a group; tag one of its leaves: acquisition, augmentation, diversity\n"
            "error: nothing written\n",
            id="group-tag",
        ),
        pytest.param(
            ["--tag", "mixture", "--section", "3.2.9"],
            "error: --section: unknown section '3.2.9'; did you mean '3.2.4'?\nerror: nothing written\n",
            id="unknown-section-points-at-the-flag",
        ),
    ],
)
def test_new_writes_nothing_when_invalid(fixture_kb: ScratchKB, flags: list[str], stderr: str) -> None:
    result = run("new", "--title", "A New Paper", *flags)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)
    assert len(paper_files(fixture_kb)) == 3


def test_new_needs_a_title(fixture_kb: ScratchKB) -> None:
    result = run("new", "--no-interactive", "--arxiv", "2401.00001")
    assert (result.exit_code, result.stderr) == (
        1,
        offline("2401.00001") + "error: a paper needs a title: pass --title or --bibtex\n",
    )


def test_new_without_tags_writes_a_draft_that_validate_flags(fixture_kb: ScratchKB) -> None:
    result = run("new", "--no-interactive", "--title", "A Draft", "--arxiv", "2401.00001")
    assert (result.exit_code, result.stdout) == (0, "papers/a-draft.yaml\n")
    assert result.stderr == offline("2401.00001") + (
        "papers/a-draft.yaml:1:1: warning no-tags: written as a draft: `surveykb validate` flags it until data4model or model4data has a tag\n"
    )
    assert [d.code for d in fixture_kb.check([fixture_kb.papers / "a-draft.yaml"])] == ["no-tags", "incomplete"]


def test_new_asks_for_what_is_missing(fixture_kb: ScratchKB) -> None:
    answers = "Data Diets for Vision\nAda Lovelace; Alan Turing\n20x\n2024\n\nICLR 2024\nacquisiton\nacquisition filter\nimage\n\n"
    result = run("new", "--interactive", stdin=answers)
    assert result.exit_code == 0, result.output
    assert "Venue with its year, like 'NeurIPS 2023' (blank: none yet): ICLR 2024" in result.stdout
    assert "Survey sections citing it, like 3.1.1 (ids separated by spaces): " in result.stdout
    assert "Error: unknown tag 'acquisiton'; did you mean 'acquisition'?" in result.stdout
    assert "Error: '20x' is not a year like 2023" in result.stdout
    assert "  filter                     Model as a Data Filter (Sec. 5.3)" in result.stdout
    assert result.stdout.endswith("papers/lovelace2024data.yaml\n")
    assert (fixture_kb.papers / "lovelace2024data.yaml").read_text() == HEADER + (
        "id: lovelace2024data\ntitle: Data Diets for Vision\nauthors:\n  - Ada Lovelace\n  - Alan Turing\nyear: 2024\nvenue: ICLR 2024\n"
        "modalities:\n  - image\ndata4model:\n  - acquisition\nmodel4data:\n  - filter\n"
        f"added: {ADDED}\n"
    )


def test_interactive_new_refuses_a_known_paper_as_soon_as_it_has_the_title(fixture_kb: ScratchKB) -> None:
    result = run("new", "--interactive", stdin="Visual  instruction tuning!\n")
    assert result.exit_code == 1
    assert "Authors" not in result.stdout
    assert result.stderr.endswith(
        "error: this paper is already in the knowledge base: papers/liu2023visual.yaml (the same title)\n"
    )


IMPORTED = [
    "schuhmann2022laion",
    "peng2023kosmos",
    "alayrac2022flamingo",
    "zhang2023video",
    "dai2023instructblip",
    "muller2021learning",
    "openai2023gpt",
    "zhu2023minigpt",
    "king2019data",
    "li2023blip",
]
IMPORT_PROBLEMS = [
    "exports.bib:3:1: warning duplicate: skipped 'liu2023visual': this paper is already in the knowledge base: "
    "papers/liu2023visual.yaml (the same arXiv id 2304.08485)",
    "exports.bib:56:1: warning duplicate: skipped 'chen2023sharegpt4v': this paper is already in the knowledge base: "
    "papers/chen2023sharegpt4v.yaml (the same arXiv id 2311.12793)",
    "exports.bib:93:1: error bibtex-syntax: this entry could not be read: Unexpected block start: `@inproceedings`. "
    "Was still looking for field-value closing `}`",
    "exports.bib:121:1: warning duplicate: skipped 'peng2023kosmos': this paper is already in the knowledge base: "
    "papers/peng2023kosmos.yaml (the same arXiv id 2306.14824)",
    "exports.bib:128:1: error bibtex-no-title: the entry 'notitle2020' has no title",
    "exports.bib:153:1: error bad-doi: skipped 'roe2022broken': 'doi.org/not-a-doi' is not a DOI; write it like 10.1000/xyz123, without https://doi.org/",
]


def copy_exports(kb: ScratchKB) -> None:
    (kb.root / "exports.bib").write_bytes(EXPORTS.read_bytes())


def test_import_bibtex_writes_new_entries_and_reports_the_rest(fixture_kb: ScratchKB) -> None:
    copy_exports(fixture_kb)
    result = run("import", "bibtex", "exports.bib", "--tag", "diversity")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"papers/{name}.yaml" for name in IMPORTED] + IMPORT_PROBLEMS
    assert result.stderr == "10 records written from 14 entries; 3 errors, 3 warnings\n"
    assert (fixture_kb.papers / "muller2021learning.yaml").read_text() == HEADER + (
        "id: muller2021learning\n"
        "title: Learning from Müller's Data – A Study\n"
        "authors:\n  - Jörg Müller\n  - José García\n  - Matthias Nießner\n  - Paweł Łukasiewicz\n  - Anna van der Berg\n"
        "year: 2021\n"
        "venue: Proceedings of the European Conference on Computer Vision (ECCV)\n"
        "doi: 10.1007/978-3-030-58452-8_13\n"
        "data4model:\n  - diversity\n"
        f"added: {ADDED}\n"
    )
    assert [d.as_text() for d in fixture_kb.check() if d.is_error] == []


def test_import_bibtex_twice_writes_nothing_the_second_time(fixture_kb: ScratchKB) -> None:
    copy_exports(fixture_kb)
    run("import", "bibtex", "exports.bib", "--tag", "diversity")
    before = {path.name: path.read_bytes() for path in fixture_kb.papers.iterdir()}
    result = run("import", "bibtex", "exports.bib", "--tag", "mixture")
    assert result.stderr == "0 records written from 14 entries; 3 errors, 13 warnings\n"
    assert {path.name: path.read_bytes() for path in fixture_kb.papers.iterdir()} == before


def test_import_bibtex_without_tags_writes_drafts(fixture_kb: ScratchKB) -> None:
    (fixture_kb.root / "one.bib").write_text(FLAMINGO_BIB)
    result = run("import", "bibtex", "one.bib")
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [
            "papers/alayrac2022flamingo.yaml",
            "one.bib:1:1: warning no-tags: 'alayrac2022flamingo' written as a draft: `surveykb validate` flags it until data4model or model4data has a tag",
        ],
    )
    assert [d.code for d in fixture_kb.check([fixture_kb.papers / "alayrac2022flamingo.yaml"])] == ["no-tags"]


def test_import_bibtex_refuses_an_unknown_tag_before_writing(fixture_kb: ScratchKB) -> None:
    copy_exports(fixture_kb)
    result = run("import", "bibtex", "exports.bib", "--tag", "creators")
    assert (result.exit_code, result.stderr) == (1, "error: unknown tag 'creators'; did you mean 'creator'?\n")
    assert len(paper_files(fixture_kb)) == 3
