"""Backfills from the Wayback Machine: a fixture CDX server and snapshots, real HTTP, real PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pipeline import ingest
from pipeline.sources import Source, parse_sources
from tests.support.fixture_site import FixtureSite
from tests.support.registry import registry_entry
from tests.support.wayback import Capture, WaybackFixture, captures_of_site, stamp

pytestmark = pytest.mark.integration

JAN20 = datetime(2020, 1, 20, tzinfo=UTC)
JAN24 = datetime(2020, 1, 24, tzinfo=UTC)
ARTICLE_KINDS = ("article", "changing", "flaky", "broken")


def rows(engine, sql: str, **params: Any) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]


def snapshot(engine) -> dict[str, list[dict]]:
    return {
        "articles": rows(engine, "select * from marts.articles order by article_id"),
        "versions": rows(engine, "select * from marts.article_versions order by article_id, version"),
    }


def articles(site: FixtureSite) -> list[dict[str, Any]]:
    return [e for e in site.manifest()["articles"] if e["kind"] in ARTICLE_KINDS]


def archive_of(site: FixtureSite, origin: str) -> list[Capture]:
    """The archive's view of Duvar served from *origin*: every article captured a few hours after
    publication and again a week later; the December articles captured inside the interval;
    pages that are not articles; a 404 capture and an image, which the CDX filters drop."""
    plan = []
    for e in articles(site):
        published = datetime.fromisoformat(e["published_at"])
        if published.year == 2019:  # published before the interval, first captured inside it
            plan.append((e["path"], JAN20 + timedelta(days=1, hours=3)))
        else:
            plan += [(e["path"], published + timedelta(hours=3)), (e["path"], published + timedelta(days=7))]
    plan += [("/", JAN20 + timedelta(hours=1)), ("/tag/chp", JAN20 + timedelta(hours=2))]
    extra = [
        Capture(origin + "/politics/removed-news-49999", stamp(JAN20 + timedelta(hours=5)), b"gone", 404),
        Capture(
            origin + "/photo-news-50000", stamp(JAN20 + timedelta(hours=6)), b"\xff\xd8", 200, "image/jpeg"
        ),
    ]
    return captures_of_site(site, origin, plan) + extra


def make_source(site: FixtureSite, origin: str, **archive: Any) -> Source:
    entry = registry_entry(
        site,
        homepage=origin + "/",
        feeds=[origin + "/rss"],
        sitemaps=[origin + "/sitemap_index.xml"],
        archive={"wayback": True, **archive},
    )
    return parse_sources({"sources": [entry]})[0]


@pytest.fixture
def gone(tmp_path: Path) -> Iterator[FixtureSite]:
    """The outlet's site, gone: a real server that answers 404 to every request."""
    with FixtureSite(tmp_path / "gone") as site:
        yield site


def use_archive(monkeypatch: pytest.MonkeyPatch, wayback: WaybackFixture, delay: float = 0.0) -> None:
    monkeypatch.setenv("PIPELINE_WAYBACK_URL", wayback.base_url)
    monkeypatch.setenv("PIPELINE_WAYBACK_DELAY", str(delay))
    monkeypatch.setenv("PIPELINE_WAYBACK_CDX_DELAY", "0")
    monkeypatch.setenv("PIPELINE_WAYBACK_PAGE_SIZE", "3")  # several CDX pages


def in_interval(site: FixtureSite) -> list[dict[str, Any]]:
    return [e for e in articles(site) if JAN20.isoformat() <= e["published_at"] < JAN24.isoformat()]


def test_backfill_of_a_gone_site_loads_from_the_archive_once(
    engine, registry, sites, gone, monkeypatch
) -> None:
    duvar = sites["duvar"]
    origin = gone.base_url
    src = make_source(duvar, origin)
    with WaybackFixture(archive_of(duvar, origin)) as wayback:
        use_archive(monkeypatch, wayback)
        _, counts = ingest.run_interval(engine, src, JAN20, JAN24)

        expected = {origin + e["canonical_path"]: e for e in in_interval(duvar)}
        loaded = {r["canonical_url"]: r for r in rows(engine, "select * from marts.articles")}
        assert set(loaded) == set(expected)  # under the original URLs, each once
        assert counts["new"] == len(expected)
        for url, e in expected.items():
            got = loaded[url]
            assert got["url"] == url and wayback.base_url not in got["body"]
            assert got["title"] == (e.get("variants") or [{}])[0].get("title", e["title"])
            assert got["published_at"].isoformat() == e["published_at"]
            assert got["body"].startswith(e["body_starts_with"])
        # the CDX was paged, and asked for the interval plus the capture lag, 200 HTML only
        cdx = wayback.requests_to("/cdx/search/cdx")
        assert len(cdx) > 1 and "resumeKey=" in cdx[1].path
        assert "from=20200120000000" in cdx[0].path and "to=20200222235959" in cdx[0].path
        # filtered captures and pages that are not articles were never fetched
        fetched = {r.path.split("id_/", 1)[1] for r in wayback.requests_to("/web/")}
        assert not any(p.endswith(("/", "/tag/chp", "-news-49999", "-news-50000")) for p in fetched)
        # the raw zone keeps the failed live fetch and the snapshot actually fetched
        raw = rows(
            engine,
            "select url, final_url, status from raw.fetches where kind = 'article' and url = :u order by fetch_id",
            u=next(iter(expected)),
        )
        assert [r["status"] for r in raw] == [404, 200]
        assert raw[1]["final_url"].startswith(wayback.base_url + "/web/")
        assert raw[1]["final_url"].endswith("id_/" + next(iter(expected)))
        # December articles captured in the interval were fetched, and left to their own interval
        assert counts["skipped"] == 2

        before = snapshot(engine)
        wayback_before = len(wayback.requests_to("/web/"))
        _, again = ingest.run_interval(engine, src, JAN20, JAN24)
        assert snapshot(engine) == before
        assert again["new"] == again["updated"] == 0
        # nothing is fetched again: loaded articles are done, and the December pages' own dates
        # were recorded when they were skipped
        assert len(wayback.requests_to("/web/")) == wayback_before

        # the interval holding the December articles loads them, from their captures of January
        december = [e for e in articles(duvar) if e["published_at"].startswith("2019-12")]
        _, dec = ingest.run_interval(
            engine, src, datetime(2019, 12, 20, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC)
        )
        assert dec["new"] == len(december) == 2


def test_archive_only_source_never_contacts_the_live_site(engine, registry, sites, monkeypatch) -> None:
    duvar = sites["duvar"]
    src = make_source(duvar, duvar.base_url, mode="only")
    with WaybackFixture(archive_of(duvar, duvar.base_url)) as wayback:
        use_archive(monkeypatch, wayback)
        duvar.clear_requests()
        _, counts = ingest.run_interval(engine, src, JAN20, JAN24)
        assert duvar.requests == []
        assert counts["new"] == len(in_interval(duvar))
        assert len(wayback.requests_to("/web/")) == len(in_interval(duvar)) + 2


def test_fallback_uses_the_archive_only_for_failing_pages(engine, registry, sites, monkeypatch) -> None:
    duvar = sites["duvar"]
    src = make_source(duvar, duvar.base_url)
    broken = next(e for e in articles(duvar) if e["kind"] == "broken")
    with WaybackFixture(archive_of(duvar, duvar.base_url)) as wayback:
        use_archive(monkeypatch, wayback)
        _, counts = ingest.run_interval(engine, src, JAN20, JAN24)
        fetched = [r.path.split("id_/", 1)[1] for r in wayback.requests_to("/web/")]
        # only the page answering 500 came from the archive; everything else came live, the
        # December pages too (undated captures: fetched, then left to their own interval)
        assert fetched == [duvar.base_url + broken["path"]]
        loaded = {r["canonical_url"] for r in rows(engine, "select canonical_url from marts.articles")}
        assert loaded == {duvar.base_url + e["canonical_path"] for e in in_interval(duvar)}
        assert counts["failed"] == 0


def test_the_archive_rate_limits_are_honoured(engine, registry, sites, gone, monkeypatch) -> None:
    duvar = sites["duvar"]
    src = make_source(duvar, gone.base_url, mode="only")
    with WaybackFixture(archive_of(duvar, gone.base_url)) as wayback:
        use_archive(monkeypatch, wayback, delay=0.2)
        wayback.rate_limit("/cdx/search/cdx", times=1, retry_after=1)
        wayback.rate_limit("/web/", times=1, retry_after=1)
        _, counts = ingest.run_interval(engine, src, JAN20, JAN24)
        assert counts["new"] == len(in_interval(duvar))
        for route in ("/cdx/search/cdx", "/web/"):
            answered = wayback.requests_to(route)
            assert [r.status for r in answered[:2]] == [429, 200]
            assert answered[1].timestamp - answered[0].timestamp >= 1.0  # Retry-After: 1
        snapshots = wayback.requests_to("/web/")
        gaps = [b.timestamp - a.timestamp for a, b in itertools.pairwise(snapshots)]
        assert min(gaps) >= 0.2 - 0.02  # PIPELINE_WAYBACK_DELAY between snapshot fetches


def test_an_archive_that_keeps_refusing_fails_the_run_without_hammering(
    engine, registry, sites, gone, monkeypatch
) -> None:
    duvar = sites["duvar"]
    src = make_source(duvar, gone.base_url, mode="only")
    with WaybackFixture(archive_of(duvar, gone.base_url)) as wayback:
        use_archive(monkeypatch, wayback)
        wayback.rate_limit("/cdx/search/cdx", times=100, retry_after=0)
        with pytest.raises(ingest.SourceUnavailable, match="http 429"):
            ingest.run_interval(engine, src, JAN20, JAN24)
        assert len(wayback.requests_to("/cdx/search/cdx")) == 4  # one try and 3 retries, then it stops
        assert not wayback.requests_to("/web/")
        run = rows(engine, "select status, error from marts.ingest_runs")[0]
        assert run["status"] == "failed" and "429" in run["error"]
        (failure,) = rows(engine, "select stage, url from marts.fetch_failures")
        assert failure["stage"] == "discover" and failure["url"].startswith(wayback.base_url + "/cdx/")
