"""Wayback Machine CDX discovery, the pure part: query parameters, page parsing, paging, snapshot URLs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from pipeline import archive
from pipeline.records import FetchResult
from pipeline.sources import SourceConfigError, parse_sources

JAN20 = datetime(2020, 1, 20, tzinfo=UTC)
JAN24 = datetime(2020, 1, 24, tzinfo=UTC)
HEADER = ["timestamp", "original", "mimetype", "statuscode"]


def page(rows: list[list[str]], resume: str | None = None) -> bytes:
    table: list[list[str]] = [HEADER, *rows]
    if resume:
        table += [[], [resume]]
    return json.dumps(table).encode()


def answer(url: str, body: bytes, status: int = 200) -> FetchResult:
    return FetchResult(url, url, status, {}, body, JAN20, error=None if status == 200 else f"http {status}")


def test_query_covers_the_interval_and_the_capture_lag() -> None:
    query = archive.query_for("https://www.d.com/", "prefix", JAN20, JAN24, timedelta(days=30), 500)
    params = parse_qs(urlsplit(archive.cdx_url("https://web.archive.org/", query)).query)
    assert params["url"] == ["www.d.com/"]
    assert params["matchType"] == ["prefix"]
    assert params["from"] == ["20200120000000"]
    assert params["to"] == ["20200222235959"]  # end + 30 days, inclusive to the second
    assert params["filter"] == ["statuscode:200", "mimetype:text/html"]
    assert params["collapse"] == ["urlkey"] and params["output"] == ["json"]
    assert params["fl"] == ["timestamp,original,mimetype,statuscode"]
    assert params["limit"] == ["500"] and params["showResumeKey"] == ["true"]
    assert "resumeKey" not in params
    resumed = parse_qs(urlsplit(archive.cdx_url("https://web.archive.org", query, "com,d)/x 2020")).query)
    assert resumed["resumeKey"] == ["com,d)/x 2020"]


def test_domain_match_asks_for_the_bare_host() -> None:
    query = archive.query_for("https://www.d.com/news/", "domain", JAN20, JAN24, timedelta(0), 10)
    params = dict(archive.cdx_params(query))
    assert params["url"] == "www.d.com" and params["matchType"] == "domain"


def test_page_with_resume_key() -> None:
    body = page([["20200121101500", "https://d.com/a-news-1", "text/html", "200"]], resume="com,d)/a 2020")
    snapshots, key = archive.parse_cdx_page(body)
    assert key == "com,d)/a 2020"
    (snap,) = snapshots
    assert snap.original == "https://d.com/a-news-1"
    assert snap.captured_at == datetime(2020, 1, 21, 10, 15, tzinfo=UTC)


def test_last_page_empty_answer_and_odd_rows() -> None:
    assert archive.parse_cdx_page(b"") == ([], None)
    assert archive.parse_cdx_page(b"[]") == ([], None)
    body = page(
        [
            ["20200121101500", "https://d.com/ok"],  # too short for the header: skipped
            ["20201301000000", "https://d.com/bad-time", "text/html", "200"],  # month 13: skipped
            ["20200121101500", "mailto:x@d.com", "text/html", "200"],  # not http(s): skipped
            ["2020", "https://d.com/year-only", "text/html", "200"],  # a short timestamp is valid
        ]
    )
    snapshots, key = archive.parse_cdx_page(body)
    assert key is None
    assert [(s.original, s.captured_at) for s in snapshots] == [
        ("https://d.com/year-only", datetime(2020, 1, 1, tzinfo=UTC))
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"<html>busy</html>", "not JSON"), (b'{"a": 1}', "not a list"), (b'[["urlkey"]]', "lacks the fields")],
)
def test_unreadable_pages_are_clear_errors(body: bytes, message: str) -> None:
    with pytest.raises(archive.ArchiveError, match=message):
        archive.parse_cdx_page(body)


def test_paging_is_lazy_and_follows_resume_keys() -> None:
    pages = {
        None: page([["20200121000000", "https://d.com/1", "text/html", "200"]], resume="k1"),
        "k1": page([["20200122000000", "https://d.com/2", "text/html", "200"]], resume="k2"),
        "k2": page([["20200123000000", "https://d.com/3", "text/html", "200"]]),
    }
    asked: list[str | None] = []

    def fetch(url: str) -> FetchResult:
        key = parse_qs(urlsplit(url).query).get("resumeKey", [None])[0]
        asked.append(key)
        return answer(url, pages[key])

    query = archive.query_for("https://d.com/", "prefix", JAN20, JAN24, timedelta(0), 1)
    stream = archive.iter_snapshots(fetch, "https://web.archive.org", query)
    assert next(stream).original == "https://d.com/1"
    assert asked == [None]  # the second page is not asked for before it is needed
    assert [s.original for s in stream] == ["https://d.com/2", "https://d.com/3"]
    assert asked == [None, "k1", "k2"]


def test_a_repeated_resume_key_ends_the_paging() -> None:
    def fetch(url: str) -> FetchResult:
        return answer(url, page([["20200121000000", "https://d.com/1", "text/html", "200"]], resume="same"))

    query = archive.query_for("https://d.com/", "prefix", JAN20, JAN24, timedelta(0), 1)
    assert len(list(archive.iter_snapshots(fetch, "https://web.archive.org", query))) == 2


def test_a_failed_page_raises_after_the_pages_before_it() -> None:
    def fetch(url: str) -> FetchResult:
        if "resumeKey" in url:
            return answer(url, b"", status=503)
        return answer(url, page([["20200121000000", "https://d.com/1", "text/html", "200"]], resume="k1"))

    query = archive.query_for("https://d.com/", "prefix", JAN20, JAN24, timedelta(0), 1)
    stream = archive.iter_snapshots(fetch, "https://web.archive.org", query)
    assert next(stream).original == "https://d.com/1"
    with pytest.raises(archive.ArchiveError, match="http 503"):
        next(stream)


def test_snapshot_urls_round_trip_to_the_original() -> None:
    snap = archive.Snapshot("20200121101500", "https://d.com/a-news-1?page=2")
    url = archive.snapshot_url("https://web.archive.org/", snap)
    assert url == "https://web.archive.org/web/20200121101500id_/https://d.com/a-news-1?page=2"
    assert archive.original_url(url) == "https://d.com/a-news-1?page=2"
    assert archive.original_url("http://127.0.0.1:9/web/20200121101500id_/http://h/x") == "http://h/x"
    assert archive.original_url("https://d.com/web/archive-news-1") is None
    # the archive's rewritten (non-raw) replay is not a raw snapshot
    assert archive.original_url("https://web.archive.org/web/20200121101500/https://d.com/a") is None


@pytest.mark.parametrize(
    ("status", "error", "use_archive"),
    [
        (200, None, False),
        (304, None, False),
        (404, "http 404", True),
        (410, "http 410", True),
        (500, "http 500", True),
        (429, "http 429", True),
        (0, "network: ConnectionError: refused", True),
        (0, "refused: robots.txt unavailable (network: x): http://d.com/a", True),
        (0, "refused: disallowed by robots.txt: http://d.com/a", False),
        (0, "refused: not an http(s) URL: ftp://d.com/a", False),
        (403, "http 403", False),
    ],
)
def test_when_the_archive_stands_in_for_the_live_page(
    status: int, error: str | None, use_archive: bool
) -> None:
    result = FetchResult("http://d.com/a", "http://d.com/a", status, {}, b"", JAN20, error=error)
    assert archive.live_failed(result) is use_archive


def entry(**archive_block: object) -> dict[str, object]:
    return {
        "sources": [
            {
                "id": "gone-news",
                "name": "Gone",
                "homepage": "https://gone.example/",
                "language": "en",
                "timezone": "UTC",
                "article_url_pattern": "^/a/",
                "archive": archive_block,
            }
        ]
    }


def test_archive_block_defaults_and_policy() -> None:
    (source,) = parse_sources(entry(wayback=True))
    cfg = source.archive
    assert cfg is not None
    assert (cfg.url_prefix, cfg.match, cfg.mode, cfg.capture_lag_days, cfg.until) == (
        "https://gone.example/",
        "prefix",
        "fallback",
        30,
        None,
    )
    assert cfg.covers(JAN20)
    (bounded,) = parse_sources(entry(wayback=True, until="2020-01-22"))
    assert bounded.archive is not None
    assert bounded.archive.covers(JAN20) and not bounded.archive.covers(JAN24)
    (only,) = parse_sources(entry(wayback=True, mode="only", until="2020-01-22"))
    assert only.archive is not None and only.archive.covers(JAN24)  # the site is gone: always
    (off,) = parse_sources(entry(wayback=False, mode="only"))
    assert off.archive is None


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ({}, "archive.wayback: required"),
        ({"wayback": "yes"}, "archive.wayback: required"),
        ({"wayback": True, "mode": "sometimes"}, "archive.mode: expected one of fallback, only"),
        ({"wayback": True, "match": "host"}, "archive.match: expected one of prefix, domain"),
        ({"wayback": True, "url_prefix": "gone.example"}, "archive.url_prefix: not an http"),
        ({"wayback": True, "capture_lag_days": -1}, "archive.capture_lag_days"),
        ({"wayback": True, "until": "01/02/2020"}, "archive.until: expected YYYY-MM-DD"),
        ({"wayback": True, "from": "2019-01-01"}, "archive.from: unknown field"),
    ],
)
def test_bad_archive_blocks_are_clear_errors(block: dict[str, object], message: str) -> None:
    with pytest.raises(
        SourceConfigError, match=r"sources\[0\] \(id 'gone-news'\): " + message.replace("(", r"\(")
    ):
        parse_sources(entry(**block))


def test_archive_block_must_be_a_mapping() -> None:
    raw = entry()
    raw["sources"][0]["archive"] = True  # type: ignore[index]
    with pytest.raises(SourceConfigError, match="archive: expected a mapping"):
        parse_sources(raw)
