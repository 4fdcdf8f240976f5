"""BibTeX entries of records: entry types, LaTeX escaping, case protection, names, exact entries, and
that what is written reads back, through bibtexparser and through `surveykb import bibtex`'s parser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from conftest import FIXTURE_KB, TODAY

from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.core.model import Paper
from surveykb.core.taxonomy import Taxonomy, load_taxonomy
from surveykb.formats.bibtex_read import parse_bibtex
from surveykb.formats.bibtex_write import bibtex_entry, bibtex_file, bibtex_name, entry_type, latex_escape, protect_case

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    loaded, diagnostics = load_taxonomy(FIXTURE_KB / "taxonomy")
    assert loaded is not None, diagnostics
    return loaded


def make_paper(taxonomy: Taxonomy, **fields: Any) -> Paper:
    data = {"id": "doe2024test", "title": "A Test", "data4model": ["acquisition"], **fields}
    return Paper.model_validate(data, context={"taxonomy": taxonomy, "today": TODAY})


@pytest.mark.parametrize(
    ("venue", "arxiv", "expected"),
    [
        pytest.param("NeurIPS 2023", "2304.08485", "inproceedings", id="neurips"),
        pytest.param("NeurIPS 2023 Datasets and Benchmarks Track", None, "inproceedings", id="neurips-track"),
        pytest.param("CVPR 2024", None, "inproceedings", id="cvpr"),
        pytest.param("ICCV 2023 Workshops (AROW)", "2308.00001", "inproceedings", id="workshop"),
        pytest.param("Findings of ACL 2024", None, "inproceedings", id="findings"),
        pytest.param("LREC-COLING 2024", None, "inproceedings", id="lrec-coling"),
        pytest.param("ACM MM 2024", None, "inproceedings", id="acm-mm"),
        pytest.param("ACM Web Conference 2024 (WWW '24)", None, "inproceedings", id="www"),
        pytest.param("UIST 2024", None, "inproceedings", id="uist"),
        pytest.param("IUI 2024", None, "inproceedings", id="iui"),
        pytest.param("ICDAR 2024", None, "inproceedings", id="icdar"),
        pytest.param("FG 2024", None, "inproceedings", id="face-and-gesture"),
        pytest.param(
            "Proceedings of the 41st International Conference on Machine Learning",
            None,
            "inproceedings",
            id="proceedings-of",
        ),
        pytest.param(
            "International Conference on Computer Science", None, "inproceedings", id="science-in-a-conference-name"
        ),
        pytest.param("IEEE Robotics and Automation Letters", None, "article", id="letters"),
        pytest.param("IJCV 2025", "2401.00001", "article", id="ijcv"),
        pytest.param(
            "IEEE Transactions on Pattern Analysis and Machine Intelligence", None, "article", id="transactions"
        ),
        pytest.param("ACM Transactions on Graphics (SIGGRAPH 2023)", None, "article", id="journal-of-a-conference"),
        pytest.param("Transactions on Machine Learning Research", None, "article", id="tmlr"),
        pytest.param("TACL", None, "article", id="tacl"),
        pytest.param("Journal of Machine Learning Research", None, "article", id="journal"),
        pytest.param("Proceedings of the National Academy of Sciences", None, "article", id="pnas"),
        pytest.param("Nature Machine Intelligence", None, "article", id="nature"),
        pytest.param("Science Robotics", None, "article", id="science"),
        pytest.param("IEEE Access", None, "article", id="ieee-access"),
        pytest.param("ACM Computing Surveys", None, "article", id="surveys"),
        pytest.param("arXiv", "2304.08485", "misc", id="arxiv-venue"),
        pytest.param("arXiv preprint arXiv:2304.08485", "2304.08485", "misc", id="arxiv-preprint"),
        pytest.param("CoRR", None, "misc", id="corr"),
        pytest.param(None, "2304.08485", "misc", id="arxiv-only"),
        pytest.param(None, None, "misc", id="nothing"),
        pytest.param("OpenAI technical report", None, "misc", id="report"),
        pytest.param("CVPR 2024 Open Access", None, "inproceedings", id="open-access-is-no-journal"),
    ],
)
def test_entry_type_from_venue_and_arxiv(
    taxonomy: Taxonomy, venue: str | None, arxiv: str | None, expected: str
) -> None:
    fields = {key: value for key, value in (("venue", venue), ("arxiv", arxiv)) if value is not None}
    assert entry_type(make_paper(taxonomy, **fields)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Plain text", "Plain text", id="plain"),
        pytest.param("100% & $5 #1 a_b", r"100\% \& \$5 \#1 a\_b", id="specials"),
        pytest.param("a~b^c", r"a\textasciitilde{}b\textasciicircum{}c", id="tilde-caret"),
        pytest.param("back\\slash \\", r"back\textbackslash{}slash \textbackslash{}", id="backslash"),
        pytest.param("a {b c} d", r"a \{b c\} d", id="paired-braces"),
        pytest.param("} {", r"\textbraceright{} \textbraceleft{}", id="unpaired-braces"),
        pytest.param("{{x}", r"\textbraceleft{}\textbraceleft{}x\textbraceright{}", id="unclosed-brace"),
        pytest.param("@inproceedings{x, title={y}}", r"@inproceedings\{x, title=\{y\}\}", id="entry-inside"),
        pytest.param("Müller Ørsted naïve", r"M{\"u}ller {\O}rsted na{\"\i}ve", id="accents"),
        pytest.param("Mu\u0308ller", r"M{\"u}ller", id="decomposed-accent"),
        pytest.param("Dvořák Łukasz", r"Dvo{\v{r}}{\'a}k {\L}ukasz", id="caron-stroke"),
        pytest.param("en–dash em—dash", r"en{\textendash}dash em{\textemdash}dash", id="dashes"),
        pytest.param("漢字 🎉", "漢字 🎉", id="cjk-and-emoji-kept"),
        pytest.param("  two\nlines\tand   spaces ", "two lines and spaces", id="whitespace"),
        pytest.param('<script>"x"</script>', '<script>"x"</script>', id="html-untouched"),
    ],
)
def test_latex_escape(text: str, expected: str) -> None:
    assert latex_escape(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("Visual Instruction Tuning", "Visual Instruction Tuning", id="title-case"),
        pytest.param("ShareGPT4V: Better Captions", "{ShareGPT4V:} Better Captions", id="camel-case"),
        pytest.param("LLaVA-1.5 and GPT-4", "{LLaVA-1.5} and {GPT-4}", id="hyphenated-acronyms"),
        pytest.param("Large (MLLMs) in 3D", "Large {(MLLMs)} in {3D}", id="parenthesised-and-digits"),
        pytest.param(
            "Multi-Modal “Zero-Shot”",
            "Multi-Modal {\\textquotedblleft}Zero-Shot{\\textquotedblright}",
            id="capitalised-parts-only",
        ),
        pytest.param("ÖKO Data", '{{\\"O}KO} Data', id="accented-acronym"),
        pytest.param("\\LLaVA", "{{\\textbackslash{}LLaVA}}", id="protected-word-opening-with-a-command"),
        pytest.param(
            "{A}BC d}",
            "{{\\textbraceleft{}A\\textbraceright{}BC}} d\\textbraceright{}",
            id="braces-decided-for-the-whole-title",
        ),
    ],
)
def test_protect_case(title: str, expected: str) -> None:
    assert protect_case(title) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Yong Jae Lee", "Yong Jae Lee", id="first-last"),
        pytest.param("Dániel Simig", "D{\\'a}niel Simig", id="accent"),
        pytest.param("Martin Luther King, Jr.", "King, Jr., Martin Luther", id="suffix"),
        pytest.param("Henry Ford III", "Henry Ford III", id="suffix-without-comma"),
        pytest.param("John Smith, III", "Smith, III, John", id="roman-suffix"),
        pytest.param("Smith, John", "{Smith, John}", id="other-comma"),
        pytest.param("Research and Development Team", "{Research and Development Team}", id="and-inside"),
        pytest.param("Tom AND Jerry", "{Tom AND Jerry}", id="and-any-case"),
        pytest.param("Andrea Anderson", "Andrea Anderson", id="and-in-a-word"),
    ],
)
def test_bibtex_name(name: str, expected: str) -> None:
    assert bibtex_name(name) == expected


def test_entry_layout_and_fields(taxonomy: Taxonomy) -> None:
    paper = make_paper(
        taxonomy,
        id="lee2024data",
        title="LLaVA Data: 100% Synthetic & {Cheap}",
        authors=["Jörg Müller", "Yong Jae Lee"],
        year=2024,
        venue="Journal of Data_Science",
        arxiv="2401.00001",
        doi="10.1000/a_b%c",
        url="https://example.org/a?b=1&c=%20#x",
    )
    assert bibtex_entry(paper) == "\n".join(
        [
            "@article{lee2024data,",
            r"  title         = {{LLaVA} Data: 100\% Synthetic \& \{Cheap\}},",
            r"  author        = {J{\"o}rg M{\"u}ller and Yong Jae Lee},",
            r"  journal       = {Journal of Data\_Science},",
            "  year          = {2024},",
            "  eprint        = {2401.00001},",
            "  archiveprefix = {arXiv},",
            "  doi           = {10.1000/a_b%25c},",
            "  url           = {https://example.org/a?b=1&c=%20#x},",
            "}",
        ]
    )


@pytest.mark.parametrize(
    ("fields", "expected_lines"),
    [
        pytest.param({"venue": "Some Blog"}, ["  howpublished = {Some Blog},"], id="misc-venue-kept"),
        pytest.param(
            {"venue": "Some Blog", "arxiv": "2401.00001"},
            ["  howpublished  = {Some Blog},", "  eprint        = {2401.00001},"],
            id="misc-venue-with-arxiv",
        ),
        pytest.param(
            {"venue": "arXiv", "arxiv": "2401.00001"},
            ["  eprint        = {2401.00001},"],
            id="arxiv-venue-not-repeated",
        ),
        pytest.param({"venue": "CVPR 2024"}, ["  booktitle = {CVPR 2024},"], id="booktitle"),
    ],
)
def test_venue_field_by_entry_type(taxonomy: Taxonomy, fields: dict[str, str], expected_lines: list[str]) -> None:
    lines = bibtex_entry(make_paper(taxonomy, **fields)).splitlines()
    for line in expected_lines:
        assert line in lines
    assert not any(line.lstrip().startswith("howpublished") and "arXiv" in line for line in lines)


HOSTILE_TITLES = [
    pytest.param("100% of {braces} & $math$ #1 ~x_y \\ back", id="specials"),
    pytest.param("a @inproceedings{x, title={y}} b", id="entry-in-title"),
    pytest.param("Müller Ørsted naïve café Dvořák İstanbul ÖKO", id="accents"),
    pytest.param("漢字 🎉 α-CLIP x² × 3", id="cjk-emoji-math"),
    pytest.param("quotes \"double\" 'single' “curly” — em – en …", id="punctuation"),
    pytest.param("<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))", id="html"),
    pytest.param("ends with a backslash \\", id="trailing-backslash"),
    pytest.param("percent at the end %", id="trailing-percent"),
    pytest.param(" ".join(["Scaling"] * 62), id="very-long"),
    pytest.param("ShareGPT4V: LLaVA-1.5 (MLLMs) 3D", id="case-protected"),
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_entry_reads_back(taxonomy: Taxonomy, title: str) -> None:
    paper = make_paper(
        taxonomy,
        title=title,
        authors=["Jörg Müller", "Tom and Jerry", "<b onmouseover=alert(2)>Mallory</b>", "Zoë {Braces} O'Neil"],
        year=2024,
        venue="Journal of Ünïcode & {Stuff} 100%",
        arxiv="2401.00001",
        doi="10.1000/a_b%c",
        url="https://example.org/a?b=1&c=%20#x",
    )
    text = bibtex_file([paper, make_paper(taxonomy, id="next2024entry")])
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == ["doe2024test", "next2024entry"]
    entries, problems = parse_bibtex(text, "papers.bib")
    assert problems == []
    assert entries[0].data == {
        "title": " ".join(title.split()),
        "authors": list(paper.authors),
        "year": 2024,
        "venue": paper.venue,
        "arxiv": "2401.00001",
        "doi": "10.1000/a_b%c",
        "url": "https://example.org/a?b=1&c=%20#x",
    }


def test_every_record_of_the_knowledge_base_reads_back() -> None:
    """Each entry of the real knowledge base gives its record's fields back through `import bibtex`'s parser."""
    kb, _ = load_knowledge_base(REPO_ROOT)
    assert kb is not None and kb.records
    papers = [record.paper for record in kb.records]
    entries, problems = parse_bibtex(bibtex_file(papers), "papers.bib")
    assert problems == []
    assert [entry.key for entry in entries] == [paper.id for paper in papers]
    for paper, entry in zip(papers, entries):
        assert entry.data["title"] == " ".join(paper.title.split())
        assert entry.data.get("authors", []) == list(paper.authors)
        assert (entry.data.get("year"), entry.data.get("arxiv"), entry.data.get("doi")) == (
            paper.year,
            paper.arxiv,
            paper.doi,
        )
        if entry_type(paper) != "misc":
            assert entry.data["venue"] == paper.venue
