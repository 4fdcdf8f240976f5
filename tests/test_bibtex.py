"""BibTeX entries as real exporters write them -> record fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from surveykb.formats.bibtex_read import BibEntry, clean_doi, decode, find_arxiv_id, latex_decoder, parse_bibtex

EXPORTS = Path(__file__).resolve().parent / "data" / "exports.bib"

EXPECTED_ENTRIES: list[tuple[str, int, str, dict[str, Any]]] = [
    (
        "liu2023visual",  # Google Scholar, arXiv preprint in `journal`
        3,
        "Liu",
        {
            "title": "Visual instruction tuning",
            "authors": ["Haotian Liu", "Chunyuan Li", "Qingyang Wu", "Yong Jae Lee"],
            "year": 2023,
            "venue": "arXiv",
            "arxiv": "2304.08485",
        },
    ),
    (
        "schuhmann2022laion",  # Google Scholar conference paper, `and others`
        10,
        "Schuhmann",
        {
            "title": "LAION-5B: An open large-scale dataset for training next generation image-text models",
            "authors": [
                "Christoph Schuhmann",
                "Romain Beaumont",
                "Richard Vencu",
                "Cade Gordon",
                "Ross Wightman",
                "Mehdi Cherti",
            ],
            "authors_complete": False,  # `and others` marks the list as short
            "year": 2022,
            "venue": "Advances in Neural Information Processing Systems",
        },
    ),
    (
        "DBLP:journals/corr/abs-2306-14824",  # DBLP CoRR: eprint, arXiv DOI, doi.org url dropped
        19,
        "Peng",
        {
            "title": "Kosmos-2: Grounding Multimodal Large Language Models to the World",
            "authors": [
                "Zhiliang Peng",
                "Wenhui Wang",
                "Li Dong",
                "Yaru Hao",
                "Shaohan Huang",
                "Shuming Ma",
                "Furu Wei",
            ],
            "year": 2023,
            "venue": "arXiv",
            "arxiv": "2306.14824",
            "doi": "10.48550/ARXIV.2306.14824",
        },
    ),
    (
        "DBLP:conf/nips/AlayracDLMBHLMM22",  # DBLP conference: {-} in a name, \_ in the url, wrapped booktitle
        40,
        "Alayrac",
        {
            "title": "Flamingo: a Visual Language Model for Few-Shot Learning",
            "authors": ["Jean-Baptiste Alayrac", "Jeff Donahue", "Pauline Luc", "Antoine Miech"],
            "year": 2022,
            "venue": "Advances in Neural Information Processing Systems 35: Annual Conference on Neural Information "
            "Processing Systems 2022, NeurIPS 2022, New Orleans, LA, USA, November 28 - December 9, 2022",
            "url": "http://papers.nips.cc/paper_files/paper/2022/hash/960a172bc7fbf0177ccccbb411a7d800-Abstract-Conference.html",
        },
    ),
    (
        "chen2023sharegpt4v",  # arXiv's own export: @misc with eprint and archivePrefix
        56,
        "Chen",
        {
            "title": "ShareGPT4V: Improving Large Multi-Modal Models with Better Captions",
            "authors": [
                "Lin Chen",
                "Jinsong Li",
                "Xiaoyi Dong",
                "Pan Zhang",
                "Conghui He",
                "Jiaqi Wang",
                "Feng Zhao",
                "Dahua Lin",
            ],
            "year": 2023,
            "arxiv": "2311.12793",
        },
    ),
    (
        "zhang-etal-2023-video",  # ACL Anthology: double quotes, month macro, wrapped author list
        66,
        "Zhang",
        {
            "title": "Video-LLaMA: An Instruction-tuned Audio-Visual Language Model for Video Understanding",
            "authors": ["Hang Zhang", "Xin Li", "Lidong Bing"],
            "year": 2023,
            "venue": "Proceedings of the 2023 Conference on Empirical Methods in Natural Language Processing: System Demonstrations",
            "doi": "10.18653/v1/2023.emnlp-demo.49",
            "url": "https://aclanthology.org/2023.emnlp-demo.49",
        },
    ),
    (
        "Dai2023InstructBLIPTG",  # Semantic Scholar: journal ArXiv, id in volume abs/...
        84,
        "Dai",
        {
            "title": "InstructBLIP: Towards General-purpose Vision-Language Models with Instruction Tuning",
            "authors": [
                "Wenliang Dai",
                "Junnan Li",
                "Dongxu Li",
                "Anthony Meng Huat Tiong",
                "Junqi Zhao",
                "Weisheng Wang",
                "Boyang Albert Li",
                "Pascale Fung",
                "Steven C. H. Hoi",
            ],
            "year": 2023,
            "venue": "arXiv",
            "arxiv": "2305.06500",
            "url": "https://api.semanticscholar.org/CorpusID:258615266",
        },
    ),
    (
        "muller2021learning",  # accents, von part, DOI given as a link
        98,
        "Müller",
        {
            "title": "Learning from Müller's Data – A Study",
            "authors": ["Jörg Müller", "José García", "Matthias Nießner", "Paweł Łukasiewicz", "Anna van der Berg"],
            "year": 2021,
            "venue": "Proceedings of the European Conference on Computer Vision (ECCV)",
            "doi": "10.1007/978-3-030-58452-8_13",
        },
    ),
    (
        "openai2023gpt4",  # corporate author in braces, arXiv link in howpublished
        106,
        "OpenAI",
        {"title": "GPT-4 Technical Report", "authors": ["OpenAI"], "year": 2023, "arxiv": "2303.08774"},
    ),
    (
        "zhu2023minigpt4",  # biblatex @online: date instead of year, versioned eprint
        113,
        "Zhu",
        {
            "title": "MiniGPT-4: Enhancing Vision-Language Understanding with Advanced Large Language Models",
            "authors": ["Deyao Zhu", "Jun Chen", "Xiaoqian Shen", "Xiang Li", "Mohamed Elhoseiny"],
            "year": 2023,
            "arxiv": "2304.10592",
        },
    ),
    (
        "peng2023kosmos",  # the Google Scholar export of the DBLP entry above
        121,
        "Peng",
        {
            "title": "Kosmos-2: Grounding Multimodal Large Language Models to the World",
            "authors": [
                "Zhiliang Peng",
                "Wenhui Wang",
                "Li Dong",
                "Yaru Hao",
                "Shaohan Huang",
                "Shuming Ma",
                "Furu Wei",
            ],
            "year": 2023,
            "venue": "arXiv",
            "arxiv": "2306.14824",
        },
    ),
    (
        "king2019data",  # Jr part, \& and ---
        134,
        "King",
        {
            "title": "Data & Models — Revisited",
            "authors": ["Martin Luther King Jr.", "Cathy O'Neil"],
            "year": 2019,
            "venue": "Journal of Machine Learning Research",
            "url": "https://jmlr.org/papers/v20/king19a.html",
        },
    ),
    (
        "li2023blip2",  # @string venue, bare year, arXiv:-prefixed eprint
        145,
        "Li",
        {
            "title": "BLIP-2: Bootstrapping Language-Image Pre-training with Frozen Image Encoders and Large Language Models",
            "authors": ["Junnan Li", "Dongxu Li", "Silvio Savarese", "Steven Hoi"],
            "year": 2023,
            "venue": "Proceedings of the 40th International Conference on Machine Learning",
            "arxiv": "2301.12597",
        },
    ),
    (
        "roe2022broken",  # parses; its DOI is rejected later, by validation
        153,
        "Roe",
        {
            "title": "A Record With a Broken DOI",
            "authors": ["Richard Roe"],
            "year": 2022,
            "venue": "Some Journal",
            "doi": "doi.org/not-a-doi",
        },
    ),
]


@pytest.fixture(scope="module")
def parsed() -> tuple[list[BibEntry], list[str]]:
    entries, problems = parse_bibtex(EXPORTS.read_text(encoding="utf-8"), "exports.bib")
    return entries, [problem.as_text() for problem in problems]


def test_every_readable_entry_is_parsed_in_file_order(parsed: tuple[list[BibEntry], list[str]]) -> None:
    entries, _ = parsed
    assert [(entry.key, entry.line) for entry in entries] == [(key, line) for key, line, _, _ in EXPECTED_ENTRIES]


@pytest.mark.parametrize(
    ("key", "line", "surname", "data"), [pytest.param(*case, id=case[0]) for case in EXPECTED_ENTRIES]
)
def test_entry_fields(
    parsed: tuple[list[BibEntry], list[str]], key: str, line: int, surname: str, data: dict[str, Any]
) -> None:
    entries, _ = parsed
    entry = next(entry for entry in entries if entry.key == key)
    assert entry == BibEntry(key=key, line=line, data=data, surname=surname)
    assert list(entry.data) == list(data)


def test_broken_entries_are_reported_at_their_line(parsed: tuple[list[BibEntry], list[str]]) -> None:
    _, problems = parsed
    assert problems == [
        "exports.bib:93:1: error bibtex-syntax: this entry could not be read: Unexpected block start: `@inproceedings`. "
        "Was still looking for field-value closing `}`",
        "exports.bib:128:1: error bibtex-no-title: the entry 'notitle2020' has no title",
    ]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        pytest.param(
            "@article{a, title={A}}\n@article{a, title={B}}\n",
            ["x.bib:2:1: error bibtex-syntax: this entry could not be read: Duplicate entry key 'a'"],
            id="duplicate-key",
        ),
        pytest.param(
            "\n@article{nocomma title={x}}\n",
            [
                "x.bib:2:1: error bibtex-syntax: this entry could not be read: Expected comma after entry key, but found ="
            ],
            id="no-comma",
        ),
        pytest.param(
            "@article{a, title={A}, author={Doe, Jane, Jr, Extra, More}}\n",
            [
                "x.bib:1:1: error bibtex-syntax: this entry could not be read: Cannot split the following name `Doe, Jane, Jr, Extra, More` into parts: Too many commas"
            ],
            id="bad-name",
        ),
        pytest.param("@comment{nothing here}\n% a comment\n", [], id="comments-only"),
        pytest.param("", [], id="empty"),
    ],
)
def test_problem_snippets(text: str, problems: list[str]) -> None:
    _, found = parse_bibtex(text, "x.bib")
    assert [problem.as_text() for problem in found] == problems


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        pytest.param(("2304.08485",), "2304.08485", id="bare"),
        pytest.param(("2304.08485v3",), "2304.08485", id="versioned"),
        pytest.param(("arXiv:2301.12597",), "2301.12597", id="prefixed"),
        pytest.param(("cs/0101001",), "cs/0101001", id="old-style"),
        pytest.param(("https://arxiv.org/pdf/2311.12793v2.pdf",), "2311.12793", id="pdf-url"),
        pytest.param(("arXiv preprint arXiv:2304.08485",), "2304.08485", id="scholar-journal"),
        pytest.param(("\\url{https://arxiv.org/abs/2303.08774}",), "2303.08774", id="howpublished"),
        pytest.param(("10.48550/arXiv.2306.14824",), "2306.14824", id="arxiv-doi"),
        pytest.param(("abs/2305.06500",), "2305.06500", id="corr-volume"),
        pytest.param(("", "https://example.org/2304.08485"), None, id="other-site"),
        pytest.param(("35", "10.1007/978-3-030-58452-8_13"), None, id="none"),
    ],
)
def test_find_arxiv_id(texts: tuple[str, ...], expected: str | None) -> None:
    assert find_arxiv_id(*texts) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("10.1000/xyz", "10.1000/xyz", id="plain"),
        pytest.param("https://doi.org/10.1000/xyz", "10.1000/xyz", id="https"),
        pytest.param("http://dx.doi.org/10.1000/xyz", "10.1000/xyz", id="dx"),
        pytest.param(" doi:10.1000/xyz ", "10.1000/xyz", id="doi-prefix"),
    ],
)
def test_clean_doi(raw: str, expected: str) -> None:
    assert clean_doi(raw) == expected


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        pytest.param('{\\"u}ber', "über", id="umlaut-braced"),
        pytest.param("\\'{e}t\\'e", "été", id="acute"),
        pytest.param("Stra{\\ss}e", "Straße", id="eszett"),
        pytest.param("pages 1--10", "pages 1–10", id="en-dash"),
        pytest.param("A---B", "A—B", id="em-dash"),
        pytest.param("{LLaVA}: {V}isual", "LLaVA: Visual", id="protective-braces"),
        pytest.param("Zhang~Li\n  and more", "Zhang Li and more", id="tie-and-newlines"),
        pytest.param("\\emph{Bold} \\& 50\\%", "Bold & 50%", id="commands"),
    ],
)
def test_decode(latex: str, text: str) -> None:
    assert decode(latex, latex_decoder()) == text


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("Unpaired } brace", id="closing-brace"),
        pytest.param("Unpaired { brace", id="opening-brace"),
        pytest.param("x^2 and 100% & $5 #1 under_score ~tilde", id="latex-specials"),
        pytest.param("Müller's Überblick: ångström naïveté", id="accents"),
    ],
)
def test_titles_written_by_cite_read_back_unchanged(title: str) -> None:
    from surveykb.core.model import Paper
    from surveykb.formats.bibtex_write import bibtex_entry

    paper = Paper.model_construct(
        id="x2024title", title=title, authors=["A B"], year=2024, venue=None, arxiv=None, doi=None, url=None
    )
    entries, problems = parse_bibtex(bibtex_entry(paper), "x.bib")
    assert problems == []
    assert entries[0].data["title"] == title


@pytest.mark.parametrize(
    ("howpublished", "venue"),
    [
        pytest.param("Workshop on Data-Centric AI", "Workshop on Data-Centric AI", id="a-name"),
        pytest.param("\\url{https://example.org/paper}", None, id="a-url"),
        pytest.param("arXiv preprint arXiv:2401.00001", "arXiv", id="arxiv-note"),
    ],
)
def test_misc_venue_comes_from_howpublished_when_it_is_a_name(howpublished: str, venue: str | None) -> None:
    entries, problems = parse_bibtex(
        f"@misc{{k, title = {{T}}, author = {{A B}}, year = {{2024}}, howpublished = {{{howpublished}}}}}\n", "x.bib"
    )
    assert problems == []
    assert entries[0].data.get("venue") == venue
