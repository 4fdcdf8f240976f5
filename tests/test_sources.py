"""The metadata layer against the replay server on 127.0.0.1: parsing each API's documented format,
the shared HTTP policy (retries, Retry-After, arXiv's 3 seconds, identification, the cache, the size
cap) and every failure as one line."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from replay import FakeClock, Replay, replay_server

from surveykb.core.venues import Venue
from surveykb.sources.arxiv import fetch_arxiv
from surveykb.sources.config import ConfigError, load_config
from surveykb.sources.crossref import fetch_crossref
from surveykb.sources.http import Fetcher, SourceError, retry_after
from surveykb.sources.lookup import Asked, NotAPaper, gather, parse_identifier
from surveykb.sources.openalex import citing_works, fetch_openalex
from surveykb.sources.openreview import fetch_openreview

VENUES = (
    Venue(name="arXiv", kind="preprint", full="arXiv preprint", aliases=("CoRR",)),
    Venue(
        name="NeurIPS",
        full="Conference on Neural Information Processing Systems",
        aliases=("Neural Information Processing Systems",),
    ),
    Venue(name="ICML", full="International Conference on Machine Learning"),
    Venue(name="ECCV", full="European Conference on Computer Vision"),
)


@pytest.fixture(scope="module")
def replay() -> Iterator[Replay]:
    with replay_server() as server:
        yield server


@pytest.fixture(autouse=True)
def fresh_state(replay: Replay) -> None:
    replay.state.requests.clear()
    replay.state.user_agents.clear()
    replay.state.failures_left = 1


def test_arxiv_entry_with_many_authors_versions_and_journal_ref(replay: Replay) -> None:
    works = fetch_arxiv(Fetcher(replay.config()), ["2401.00001", "2304.08485"])
    many, llava = works["2401.00001"], works["2304.08485"]
    assert not isinstance(many, SourceError) and not isinstance(llava, SourceError)
    assert (len(many.authors), many.authors[0], many.authors[-1]) == (120, "Author001 Example", "Author120 Example")
    assert (many.arxiv, many.year, many.doi, many.venue_year) == ("2401.00001", 2024, "10.5555/fabricated.2024.1", 2024)
    assert many.venue == "Proceedings of the 41st International Conference on Machine Learning, PMLR 235, 2024"
    assert (llava.title, llava.year, llava.venue, llava.page) == (
        "Visual Instruction Tuning",
        2023,
        None,
        "https://arxiv.org/abs/2304.08485",
    )
    assert llava.abstract is not None and llava.abstract.startswith("Instruction tuning large language models")
    assert len(replay.state.requests) == 1  # one batched request for both ids


def test_arxiv_withdrawn_and_unknown(replay: Replay) -> None:
    works = fetch_arxiv(Fetcher(replay.config()), ["2302.00002", "2399.99999"])
    withdrawn, unknown = works["2302.00002"], works["2399.99999"]
    assert not isinstance(withdrawn, SourceError) and withdrawn.withdrawn
    assert isinstance(unknown, SourceError) and str(unknown) == "arxiv: knows no paper 2399.99999"


@pytest.mark.parametrize(
    ("doi", "year", "venue_year", "authors"),
    [
        pytest.param(
            "10.5555/fabricated.2024.1", 2024, 2024, ("Author001 Example", "Author002 Example"), id="with-print-date"
        ),
        pytest.param(
            "10.5555/online-only.7", 2025, 2025, ("Grace Hopper", "The Fabricated Consortium"), id="online-only"
        ),
    ],
)
def test_crossref_work(replay: Replay, doi: str, year: int, venue_year: int, authors: tuple[str, ...]) -> None:
    work = fetch_crossref(Fetcher(replay.config()), doi)
    assert (work.doi, work.year, work.venue_year, work.authors, work.page) == (
        doi,
        year,
        venue_year,
        authors,
        f"https://doi.org/{doi}",
    )


def test_openalex_work_rebuilds_the_abstract_and_finds_the_published_version(replay: Replay) -> None:
    work = fetch_openalex(Fetcher(replay.config()), "10.48550/arXiv.2304.08485")
    assert (work.openalex_id, work.arxiv, work.venue, work.cited_by_count) == (
        "W4366statedLLaVA",
        "2304.08485",
        "Neural Information Processing Systems",
        2750,
    )
    assert work.abstract == "Instruction tuning large language models"
    assert work.references == ("W1", "W2")


def test_openalex_cursor_paging_sends_the_key(replay: Replay) -> None:
    replay.state.citing = [_openalex_work(n) for n in range(5)]
    found = list(citing_works(Fetcher(replay.config()), ["W4400SURVEY"]))
    assert [work.title for work in found] == [f"Citing paper {n}" for n in range(5)]
    assert len(replay.state.requests) == 3 and all("api_key=test-key" in request for request in replay.state.requests)
    with pytest.raises(
        SourceError, match=r"^openalex: refused without credentials \(HTTP 401\); set OPENALEX_API_KEY$"
    ):
        list(citing_works(Fetcher(replay.config(openalex_key=None)), ["W4400SURVEY"]))


def _openalex_work(n: int) -> dict[str, object]:
    return {
        "id": f"https://openalex.org/W{n}",
        "doi": f"https://doi.org/10.5555/citing.{n}",
        "title": f"Citing paper {n}",
        "publication_year": 2025,
        "referenced_works": ["https://openalex.org/W4400SURVEY"],
    }


def test_gather_merges_arxiv_and_the_published_version(replay: Replay) -> None:
    facts = gather(Fetcher(replay.config()), Asked(arxiv="2304.08485"), VENUES)
    assert facts.fields == {
        "title": "Visual Instruction Tuning", "authors": ["Haotian Liu", "Chunyuan Li", "Qingyang Wu", "Yong Jae Lee"],
        "year": 2023, "arxiv": "2304.08485", "venue": "NeurIPS 2023",
    }  # fmt: skip
    assert facts.sources == ["https://arxiv.org/abs/2304.08485"]
    assert facts.notes == []


def test_gather_unknown_venue_is_a_note_not_a_guess(replay: Replay) -> None:
    facts = gather(Fetcher(replay.config()), Asked(doi="10.5555/online-only.7"), VENUES)
    assert "venue" not in facts.fields
    assert facts.notes == [
        "the venue 'IEEE Transactions on Pattern Analysis and Machine Intelligence' is not in taxonomy/venues.yaml; add it there or pass --venue"
    ]


def test_gather_journal_ref_gives_the_venue(replay: Replay) -> None:
    facts = gather(Fetcher(replay.config()), Asked(arxiv="2311.12793"), VENUES)
    assert (facts.fields["venue"], facts.fields["doi"]) == ("ECCV 2024", "10.1007/978-3-031-72643-9_22")
    assert facts.sources == ["https://arxiv.org/abs/2311.12793", "https://doi.org/10.1007/978-3-031-72643-9_22"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("mode", "call", "message"),
    [
        pytest.param("slow", "arxiv", "arxiv: no answer within 0.2 s (1 try)", id="timeout"),
        pytest.param("500", "crossref", "crossref: answered HTTP 500 (1 try)", id="http-500"),
        pytest.param(
            "garbage", "arxiv", "arxiv: the answer is not an Atom feed (the XML does not parse)", id="malformed-xml"
        ),
        pytest.param("garbage", "crossref", "crossref: the answer is not JSON", id="malformed-json"),
        pytest.param("garbage", "openalex", "openalex: the answer is not JSON", id="malformed-json-openalex"),
        pytest.param("garbage", "openreview", "openreview: the answer is not JSON", id="malformed-json-openreview"),
        pytest.param("ok", "openreview-unknown", "openreview: knows no paper Unknown00000", id="unknown-openreview"),
        pytest.param(
            "other",
            "openreview",
            "openreview: answered about Other0Paper1 when asked for Fab1cated7x; ignoring it",
            id="other-paper-openreview",
        ),
        pytest.param(
            "huge", "openalex", "openalex: the answer is larger than 2048 KiB; refusing it", id="several-megabytes"
        ),
        pytest.param("ok", "crossref-unknown", "crossref: no such work (HTTP 404)", id="unknown-doi"),
        pytest.param("ok", "arxiv-unknown", "arxiv: knows no paper 2399.99999", id="unknown-arxiv"),
        pytest.param(
            "other",
            "arxiv",
            "arxiv: answered about 2311.12793 when asked for 2304.08485; ignoring it",
            id="other-paper-arxiv",
        ),
        pytest.param(
            "other",
            "crossref",
            "crossref: answered about 10.5555/ONLINE-ONLY.7 when asked for 10.5555/fabricated.2024.1; ignoring it",
            id="other-paper-crossref",
        ),
        pytest.param(
            "other",
            "openalex",
            "openalex: answered about 2407.08583 when asked for 10.48550/arXiv.2304.08485; ignoring it",
            id="other-paper-openalex",
        ),
    ],
)
def test_failures_are_one_line(replay: Replay, mode: str, call: str, message: str) -> None:
    fetcher = Fetcher(replay.config(mode, timeout=0.2, retries=0), clock=FakeClock())
    with pytest.raises(SourceError) as raised:
        _call(fetcher, call)
    assert str(raised.value) == message


def _call(fetcher: Fetcher, call: str) -> object:
    if call.startswith("arxiv"):
        asked = "2399.99999" if call == "arxiv-unknown" else "2304.08485"
        result = fetch_arxiv(fetcher, [asked])[asked]
        if isinstance(result, SourceError):
            raise result
        return result
    if call.startswith("crossref"):
        return fetch_crossref(
            fetcher, "10.5555/nothing.here" if call == "crossref-unknown" else "10.5555/fabricated.2024.1"
        )
    if call.startswith("openreview"):
        return fetch_openreview(fetcher, "Unknown00000" if call == "openreview-unknown" else "Fab1cated7x")
    return fetch_openalex(fetcher, "10.48550/arXiv.2304.08485")


def test_connection_refused(replay: Replay) -> None:
    config = replay.config(crossref=f"http://127.0.0.1:{_closed_port()}", retries=0)
    with pytest.raises(SourceError, match=r"^crossref: cannot connect \(connection refused\) \(1 try\)$"):
        fetch_crossref(Fetcher(config), "10.5555/fabricated.2024.1")


@pytest.mark.parametrize("status", ["429", "503"])
def test_retry_after_is_honoured(replay: Replay, status: str) -> None:
    clock = FakeClock()
    work = fetch_crossref(Fetcher(replay.config(status, retries=2), clock=clock), "10.5555/fabricated.2024.1")
    assert work.doi == "10.5555/fabricated.2024.1"
    assert clock.sleeps == [2.0] and len(replay.state.requests) == 2


def test_backoff_doubles_without_retry_after(replay: Replay) -> None:
    clock = FakeClock()
    with pytest.raises(SourceError, match=r"^crossref: answered HTTP 500 \(3 tries\)$"):
        fetch_crossref(Fetcher(replay.config("500", retries=2, backoff=1.5), clock=clock), "10.5555/fabricated.2024.1")
    assert clock.sleeps == [1.5, 3.0]


def test_retry_after_header_forms() -> None:
    assert (retry_after("7"), retry_after(None), retry_after("soon")) == (7.0, None, None)
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_arxiv_requests_are_three_seconds_apart(replay: Replay) -> None:
    clock = FakeClock()
    fetcher = Fetcher(replay.config(arxiv_interval=3.0), clock=clock)
    for arxiv_id in ["2304.08485", "2311.12793", "2401.00001"]:
        fetch_arxiv(fetcher, [arxiv_id])
    fetch_crossref(fetcher, "10.5555/fabricated.2024.1")  # other services do not wait
    assert clock.sleeps == [3.0, 3.0] and len(replay.state.requests) == 4


def test_the_rate_limit_counts_time_already_passed(replay: Replay) -> None:
    clock = FakeClock()
    fetcher = Fetcher(replay.config(arxiv_interval=3.0), clock=clock)
    fetch_arxiv(fetcher, ["2304.08485"])
    clock.now += 2.0
    fetch_arxiv(fetcher, ["2311.12793"])
    assert clock.sleeps == [1.0]


def test_the_second_run_is_served_from_the_cache(replay: Replay, tmp_path: Path) -> None:
    config = replay.config(cache_dir=tmp_path / "cache")
    first = gather(Fetcher(config), Asked(arxiv="2304.08485"), VENUES)
    made = len(replay.state.requests)
    again = Fetcher(config)
    second = gather(again, Asked(arxiv="2304.08485"), VENUES)
    assert (made, again.requests, len(replay.state.requests), second) == (2, 0, 2, first)


def test_failures_are_not_cached(replay: Replay, tmp_path: Path) -> None:
    config = replay.config("429", cache_dir=tmp_path / "cache", retries=0)
    with pytest.raises(SourceError):
        fetch_crossref(Fetcher(config, clock=FakeClock()), "10.5555/fabricated.2024.1")
    assert not list((tmp_path / "cache").glob("*")) if (tmp_path / "cache").exists() else True


def test_requests_identify_the_maintainer(replay: Replay) -> None:
    fetch_crossref(Fetcher(replay.config()), "10.5555/fabricated.2024.1")
    fetch_openalex(Fetcher(replay.config()), "10.48550/arXiv.2304.08485")
    assert all(agent.endswith("; mailto:maintainer@example.org)") for agent in replay.state.user_agents)
    assert all("mailto=maintainer%40example.org" in request for request in replay.state.requests)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2304.08485", Asked(arxiv="2304.08485"), id="bare-arxiv"),
        pytest.param("https://arxiv.org/pdf/2304.08485v2.pdf", Asked(arxiv="2304.08485"), id="arxiv-pdf"),
        pytest.param("arXiv:2304.08485v1", Asked(arxiv="2304.08485"), id="arxiv-prefix"),
        pytest.param("https://doi.org/10.48550/arXiv.2304.08485", Asked(arxiv="2304.08485"), id="arxiv-doi-link"),
        pytest.param(
            "https://doi.org/10.1109/CVPR52729.2023.01234", Asked(doi="10.1109/cvpr52729.2023.01234"), id="doi-link"
        ),
        pytest.param(
            "https://aclanthology.org/2023.acl-long.360.pdf",
            Asked(doi="10.18653/v1/2023.acl-long.360", url="https://aclanthology.org/2023.acl-long.360/"),
            id="acl-anthology",
        ),
        pytest.param(
            "https://openreview.net/forum?id=w0H2xGHlkw&noteId=abc",
            Asked(openreview="w0H2xGHlkw", url="https://openreview.net/forum?id=w0H2xGHlkw"),
            id="openreview",
        ),
        pytest.param(
            "https://openreview.net/pdf?id=w0H2xGHlkw",
            Asked(openreview="w0H2xGHlkw", url="https://openreview.net/forum?id=w0H2xGHlkw"),
            id="openreview-pdf",
        ),
    ],
)
def test_parse_identifier(text: str, expected: Asked) -> None:
    assert parse_identifier(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "https://openreview.net/forum?id=",
            "'https://openreview.net/forum?id=' is not an arXiv id, a DOI, or an arXiv, doi.org, OpenReview or ACL Anthology link",
            id="openreview-without-id",
        ),
        pytest.param(
            "https://example.org/paper",
            "'https://example.org/paper' is not an arXiv id, a DOI, or an arXiv, doi.org, OpenReview or ACL Anthology link",
            id="other-page",
        ),
    ],
)
def test_parse_identifier_refuses(text: str, message: str) -> None:
    with pytest.raises(NotAPaper) as raised:
        parse_identifier(text)
    assert str(raised.value) == message


def test_config_file_and_environment(tmp_path: Path) -> None:
    (tmp_path / "surveykb.yml").write_text(
        "sources:\n  contact: kb@example.org\n  crossref: http://mirror.example/crossref/\n  cache: false\n"
    )
    config = load_config(tmp_path, {"SURVEYKB_OPENALEX_URL": "http://127.0.0.1:9/oa", "OPENALEX_API_KEY": "k"})
    assert (config.contact, config.base("crossref"), config.base("openalex"), config.cache_dir, config.openalex_key) == (
        "kb@example.org", "http://mirror.example/crossref", "http://127.0.0.1:9/oa", None, "k",
    )  # fmt: skip
    assert load_config(tmp_path, {"SURVEYKB_CONTACT": "other@example.org"}).contact == "other@example.org"
    default = load_config(tmp_path / "nowhere", {})
    assert (default.cache_dir, default.base("arxiv")) == (
        tmp_path / "nowhere" / ".cache/surveykb",
        "https://export.arxiv.org/api/query",
    )


def test_broken_config_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "surveykb.yml").write_text("sources: [1, 2]\n")
    with pytest.raises(ConfigError, match=r"^surveykb.yml: 'sources' must be a mapping$"):
        load_config(tmp_path, {})
