"""Streaming without Airflow: the watcher's poll, its memory, and loading what it announces."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from pipeline import ingest, stream
from pipeline.config import settings
from pipeline.sources import get_source, load_sources
from tests.support.publish import publish_article

pytestmark = pytest.mark.integration
SEED_PATH = "/politics/ep-rapporteur-amor-congratulates-imamoglu-twice-news-48920"


def duvar():
    return get_source(load_sources(settings().sources_file), "duvar-english")


def test_poll_announces_each_url_once_across_restarts(engine, registry, sites) -> None:
    site = sites["duvar"]
    src = duvar()
    first = stream.poll_host(engine, [src])
    assert len(first) == 1 and first[0].source_id == src.id and len(first[0].urls) >= 5
    # a "restarted triggerer": new fetcher, same warehouse; conditional GETs, nothing new
    site.clear_requests()
    assert stream.poll_host(engine, [src]) == []
    polls = [r for r in site.requests if r.url_path in ("/rss", "/sitemap_index.xml")]
    assert polls and all(r.status == 304 for r in polls)

    path = publish_article(site, SEED_PATH, 1, datetime(2020, 1, 24, 9, tzinfo=UTC))
    (news,) = stream.poll_host(engine, [src])
    assert news.urls == (site.base_url + path,)
    with engine.connect() as conn:
        row = conn.execute(
            sa.text("select seen_by, first_seen_at from core.discovered_urls where url = :u"),
            {"u": site.base_url + path},
        ).one()
    assert row[0] == "watcher" and row[1] == news.seen_at


def test_load_urls_loads_and_annotates_at_once(engine, registry, sites) -> None:
    site = sites["duvar"]
    src = duvar()
    stream.poll_host(engine, [src])
    publish_article(site, SEED_PATH, 2, datetime(2020, 1, 24, 10, tzinfo=UTC))
    (news,) = stream.poll_host(engine, [src])
    counts = stream.load_urls(engine, src, news.urls, seen_at=news.seen_at)
    assert counts["new"] == 1 and counts["annotated"] == 1
    with engine.connect() as conn:
        lat = (
            conn.execute(
                sa.text("select * from marts.article_latency where published_at = '2020-01-24T10:00Z'")
            )
            .mappings()
            .one()
        )
        run = (
            conn.execute(
                sa.text("select * from marts.ingest_runs where run_id = :r"), {"r": counts["run_id"]}
            )
            .mappings()
            .one()
        )
        health = (
            conn.execute(sa.text("select * from marts.source_health where source_id = :s"), {"s": src.id})
            .mappings()
            .one()
        )
    assert lat["seen_by"] == "watcher" and lat["first_seen_at"] <= lat["loaded_at"] <= lat["annotated_at"]
    assert 0 < lat["lag_seconds"] < 120
    assert run["trigger"] == "stream" and run["status"] == "success"
    assert (
        health["articles_24h"] == 1 and health["lag_samples"] == 1 and health["last_run_state"] == "success"
    )


def test_backfill_beside_the_stream_never_duplicates_or_loses(engine, registry, sites) -> None:
    """Two runs of one source at once: a backfill of the whole range and a stream of its URLs."""
    src = duvar()
    urls = [u for found in stream.poll_host(engine, [src]) for u in found.urls]
    errors: list[BaseException] = []

    def backfill() -> None:
        try:
            ingest.run_interval(
                engine, src, datetime(2020, 1, 20, tzinfo=UTC), datetime(2020, 1, 24, tzinfo=UTC)
            )
        except BaseException as exc:
            errors.append(exc)

    def streaming() -> None:
        try:
            stream.load_urls(engine, src, urls, annotate=False)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=backfill),
        threading.Thread(target=streaming),
        threading.Thread(target=backfill),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with engine.connect() as conn:
        per_url = conn.execute(
            sa.text("select canonical_url, count(*) from core.articles group by 1 having count(*) > 1")
        ).all()
        versions = conn.execute(sa.text("select max(version), count(*) from core.article_versions")).one()
        n_articles = conn.execute(sa.text("select count(*) from core.articles")).scalar_one()
        runs = conn.execute(sa.text("select sum(new) from core.ingest_runs")).scalar_one()
    assert per_url == []
    assert versions[0] == 1 and versions[1] == n_articles  # nobody wrote a spurious second version
    assert runs == n_articles  # each article counted new exactly once across the three runs
    expected = set(urls)
    with engine.connect() as conn:
        loaded = {r[0] for r in conn.execute(sa.text("select url from core.articles"))}
    missing = {u for u in expected if u not in loaded and "48970" not in u and "/private/" not in u}
    assert not {u for u in missing if "48901" not in u}  # the redirected URL is stored under its target


def test_watcher_trigger_fires_with_new_urls(engine, registry, sites, monkeypatch) -> None:
    import sys

    from tests.conftest import ROOT

    monkeypatch.syspath_prepend(str(ROOT / "plugins"))
    sys.modules.pop("newspipe_watcher", None)
    from newspipe_watcher import FeedWatcherTrigger

    site = sites["duvar"]
    src = duvar()
    host = stream.host_of(src.feeds[0])
    a = FeedWatcherTrigger(source_id=src.id, host=host, poll_interval=0.2)
    b = FeedWatcherTrigger(source_id="some-other-source", host=host, poll_interval=0.2)
    assert a.shared_stream_key() == b.shared_stream_key()  # one poll for the host
    classpath, kwargs = a.serialize()
    assert classpath == "newspipe_watcher.FeedWatcherTrigger" and kwargs["source_id"] == src.id

    async def first_event():
        async for event in a.run():
            return event
        return None

    event = asyncio.run(asyncio.wait_for(first_event(), timeout=60))
    assert event.payload["source_id"] == src.id and len(event.payload["urls"]) >= 5
    path = publish_article(site, SEED_PATH, 3, datetime(2020, 1, 24, 11, tzinfo=UTC))
    event = asyncio.run(asyncio.wait_for(first_event(), timeout=60))
    assert event.payload["urls"] == [site.base_url + path]
