"""The venue vocabulary: canonical spellings, aliases recognised, validation with did-you-mean, and
`new` writing the canonical spelling."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO_ROOT, ScratchKB

from surveykb.cli import main
from surveykb.core.taxonomy import load_taxonomy
from surveykb.core.venues import Venue, canonical_venue, venue_key

VENUES = load_taxonomy(REPO_ROOT / "taxonomy")[0].venues  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("written", "year", "expected"),
    [
        pytest.param("NIPS", 2023, "NeurIPS 2023", id="old-acronym"),
        pytest.param("Advances in Neural Information Processing Systems", 2022, "NeurIPS 2022", id="booktitle"),
        pytest.param("Proc. CVPR", 2024, "CVPR 2024", id="proc-prefix"),
        pytest.param("European Conference on Computer Vision (ECCV)", 2024, "ECCV 2024", id="full-name-with-acronym"),
        pytest.param("ECCV (6)", 2020, "ECCV 2020", id="volume-number"),
        pytest.param(
            "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR) 2023",
            None,
            "CVPR 2023",
            id="year-in-text",
        ),
        pytest.param(
            "NeurIPS 2023 Datasets and Benchmarks Track", None, "NeurIPS Datasets and Benchmarks 2023", id="track"
        ),
        pytest.param(
            "NeurIPS 2023 (Datasets and Benchmarks Track)",
            None,
            "NeurIPS Datasets and Benchmarks 2023",
            id="track-in-parentheses",
        ),
        pytest.param("CoRR", 2023, "arXiv", id="preprint-has-no-year"),
        pytest.param(
            "Findings of the Association for Computational Linguistics: EMNLP 2023",
            None,
            "Findings of EMNLP 2023",
            id="findings",
        ),
        pytest.param("NeurIPS", None, None, id="no-year-known"),
        pytest.param("Journal of Made-up Results", 2023, None, id="unknown"),
    ],
)
def test_canonical_venue(written: str, year: int | None, expected: str | None) -> None:
    assert canonical_venue(written, VENUES, year) == expected


def test_venue_key_ignores_case_punctuation_and_years() -> None:
    assert venue_key("Proceedings of the ICML, 2021") == venue_key("icml") == "icml"


def test_every_alias_names_one_venue() -> None:
    owners: dict[str, Venue] = {}
    for venue in VENUES:
        for spelling in (venue.name, venue.full, *venue.aliases):
            assert owners.setdefault(venue_key(spelling), venue) == venue, spelling


RECORD = (
    'id: x2023y\ntitle: Y\nauthors: [A B]\nyear: 2023\nvenue: {venue}\narxiv: "2301.00008"\ndata4model: [acquisition]\n'
)


@pytest.mark.parametrize(
    ("venue", "message"),
    [
        pytest.param("NeurIPS 2023", None, id="canonical"),
        pytest.param("arXiv", None, id="preprint"),
        pytest.param("NIPS", "venue 'NIPS' is not canonical: did you mean 'NeurIPS 2023'?", id="nips"),
        pytest.param("Proc. CVPR", "venue 'Proc. CVPR' is not canonical: did you mean 'CVPR 2023'?", id="proc-cvpr"),
        pytest.param(
            "European Conference on Computer Vision (ECCV)",
            "venue 'European Conference on Computer Vision (ECCV)' is not canonical: did you mean 'ECCV 2023'?",
            id="eccv-full-name",
        ),
        pytest.param("ICLR", "venue 'ICLR' is not canonical: add the year, like 'ICLR 2023'", id="no-year"),
        pytest.param("arXiv 2023", "venue 'arXiv 2023' is not canonical: write 'arXiv' alone", id="preprint-with-year"),
        pytest.param(
            "Foo Conf 2023",
            "venue 'Foo Conf 2023' is not canonical: not in taxonomy/venues.yaml; add the venue there or write one of its names",
            id="unknown",
        ),
    ],
)
def test_validate_checks_the_venue(scratch_kb: ScratchKB, venue: str, message: str | None) -> None:
    (scratch_kb.root / "taxonomy" / "venues.yaml").write_bytes((REPO_ROOT / "taxonomy" / "venues.yaml").read_bytes())
    scratch_kb.write("x2023y.yaml", RECORD.format(venue=venue))
    errors = [(d.line, d.col, d.code, d.message) for d in scratch_kb.check() if d.is_error]
    assert errors == ([] if message is None else [(5, 8, "unknown-venue", message)])


def test_without_a_vocabulary_any_venue_is_accepted(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("x2023y.yaml", RECORD.format(venue="Foo Conf 2023"))
    assert [d for d in scratch_kb.check() if d.is_error] == []


def test_a_venue_listed_twice_is_a_taxonomy_error(scratch_kb: ScratchKB) -> None:
    (scratch_kb.root / "taxonomy" / "venues.yaml").write_text(
        "venues:\n  - name: CVPR\n    full: A\n  - name: CVPR\n    full: B\n", encoding="utf-8"
    )
    assert [d.as_text() for d in scratch_kb.check() if d.is_error] == [
        "taxonomy/venues.yaml:4:11: error duplicate-name: the name 'CVPR' is listed twice"
    ]


def test_new_writes_the_canonical_venue_and_says_so(scratch_kb: ScratchKB) -> None:
    (scratch_kb.root / "taxonomy" / "venues.yaml").write_bytes((REPO_ROOT / "taxonomy" / "venues.yaml").read_bytes())
    flags = [
        "--title",
        "A Paper",
        "--author",
        "Ada Lovelace",
        "--year",
        "2023",
        "--venue",
        "NIPS",
        "--tag",
        "acquisition",
    ]
    result = CliRunner().invoke(main, ["new", "--no-interactive", *flags])
    assert result.exit_code == 0, result.output
    assert "venue: NeurIPS 2023\n" in Path("papers/lovelace2023paper.yaml").read_text(encoding="utf-8")
    assert (
        "warning venue-normalised: venue 'NIPS' is written as 'NeurIPS 2023', the spelling of taxonomy/venues.yaml"
        in result.stderr
    )


def test_import_bibtex_writes_canonical_venues(scratch_kb: ScratchKB) -> None:
    (scratch_kb.root / "taxonomy" / "venues.yaml").write_bytes((REPO_ROOT / "taxonomy" / "venues.yaml").read_bytes())
    bib = scratch_kb.root / "refs.bib"
    bib.write_text(
        "@inproceedings{a, title={Paper A}, author={Lovelace, Ada}, year={2024}, booktitle={Proc. CVPR}}\n"
        "@article{b, title={Paper B}, author={Hopper, Grace}, year={2022}, journal={IEEE Transactions on Pattern Analysis and Machine Intelligence}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", "bibtex", str(bib), "--tag", "acquisition"])
    assert result.exit_code == 0, result.output
    assert "venue: CVPR 2024\n" in Path("papers/lovelace2024paper.yaml").read_text(encoding="utf-8")
    assert "venue: TPAMI 2022\n" in Path("papers/hopper2022paper.yaml").read_text(encoding="utf-8")
