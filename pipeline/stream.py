"""Streaming: poll feeds and news sitemaps, announce new article URLs, load them at once.

The Airflow side is a thin trigger (``plugins/newspipe_watcher.py``) that calls :func:`poll_host`
in a thread every interval; one poll serves every source on a host. What the watcher has seen
lives in the warehouse (``core.discovered_urls`` with ``seen_by = 'watcher'``, validators in
``core.watcher_state``), so a triggerer restart never re-announces old URLs. The streaming DAG
calls :func:`load_urls`, which fetches, parses, loads and annotates exactly those URLs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pipeline import ingest, load
from pipeline.discovery import DiscoveryError, parse_feed, parse_sitemap
from pipeline.fetch import Fetcher
from pipeline.normalize import canonicalize_url
from pipeline.sources import Source

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewUrls:
    """URLs a poll found for the first time, for one source."""

    source_id: str
    urls: tuple[str, ...]
    seen_at: datetime


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def listing_urls(source: Source) -> list[str]:
    """What the watcher polls: the source's feeds and (news) sitemaps (not sitemap indexes' children)."""
    return [*source.feeds, *source.sitemaps]


def sources_on_host(sources: Sequence[Source], host: str) -> list[Source]:
    return [s for s in sources if any(host_of(u) == host for u in listing_urls(s))]


def poll_interval(source: Source, configured: float) -> float:
    """Never poll faster than the source's politeness allows (one request per delay per listing)."""
    return max(configured, source.politeness_delay * max(1, len(listing_urls(source))))


def poll_host(eng: Engine, sources: Sequence[Source], fetcher_for=ingest.make_fetcher) -> list[NewUrls]:
    """Poll every listing of *sources* (one host) once; record and return the URLs never seen before."""
    found: list[NewUrls] = []
    for source in sources:
        with eng.begin() as conn:
            load.upsert_source(conn, source)
        fetcher: Fetcher = fetcher_for(source)
        listed: list[str] = []
        for url in listing_urls(source):
            listed.extend(_poll_listing(eng, source, fetcher, url))
        candidates = sorted({canonicalize_url(u) for u in listed if source.is_article_url(u)})
        if not candidates:
            continue
        seen_at = datetime.now(UTC)
        with eng.begin() as conn:  # only never-seen URLs are inserted, and only they come back
            fresh = tuple(sorted(conn.execute(
                sa.text(
                    "insert into core.discovered_urls (source_id, url, first_seen_at, last_seen_at, via, seen_by)"
                    " select :s, u, :t, :t, 'watcher', 'watcher' from unnest(cast(:urls as text[])) as u"
                    " on conflict (source_id, url) do nothing returning url"
                ),
                {"s": source.id, "t": seen_at, "urls": candidates},
            ).scalars()))  # fmt: skip
        if fresh:
            found.append(NewUrls(source.id, fresh, seen_at))
    return found


def _poll_listing(eng: Engine, source: Source, fetcher: Fetcher, url: str) -> list[str]:
    with eng.connect() as conn:
        state = conn.execute(
            sa.text(
                "select etag, last_modified from core.watcher_state where source_id = :s and listing_url = :u"
            ),
            {"s": source.id, "u": url},
        ).first()
    result = fetcher.fetch(url, etag=state[0] if state else None, last_modified=state[1] if state else None)
    urls: list[str] = []
    error = result.error
    if result.ok:
        try:
            if (
                b"<urlset" in result.body[:2000]
                or b"<sitemapindex" in result.body[:2000]
                or url.endswith(".gz")
            ):
                urls = [li.url for li in parse_sitemap(result.body, url).urls]
            else:
                urls = [li.url for li in parse_feed(result.body, url)]
        except DiscoveryError as exc:
            error = str(exc)
    with eng.begin() as conn:
        conn.execute(
            sa.text(
                "insert into core.watcher_state (source_id, listing_url, etag, last_modified, last_polled_at,"
                " last_status, last_error) values (:s, :u, :e, :m, :t, :st, :err)"
                " on conflict (source_id, listing_url) do update set etag = coalesce(excluded.etag,"
                " core.watcher_state.etag), last_modified = coalesce(excluded.last_modified,"
                " core.watcher_state.last_modified), last_polled_at = excluded.last_polled_at,"
                " last_status = excluded.last_status, last_error = excluded.last_error"
            ),
            {
                "s": source.id,
                "u": url,
                "t": result.fetched_at,
                "st": result.status,
                "err": error,
                "e": result.headers.get("etag") if result.ok else None,
                "m": result.headers.get("last-modified") if result.ok else None,
            },
        )
    if error and not result.not_modified:
        log.warning("watcher: %s %s: %s", source.id, url, error)
    return urls


def load_urls(
    eng: Engine,
    source: Source,
    urls: Sequence[str],
    *,
    seen_at: datetime | None = None,
    airflow_run_id: str | None = None,
    annotate: bool = True,
) -> dict[str, int]:
    """Fetch, parse and load *urls* now (one run, trigger ``stream``); then annotate them."""
    plan = ingest.plan_urls(
        eng, source, list(urls), trigger="stream", airflow_run_id=airflow_run_id, since=seen_at
    )
    counts = ingest.execute(eng, source, plan)
    counts["run_id"] = plan.run_id
    if annotate:
        from pipeline import enrich

        with eng.connect() as conn:
            ids = load.run_article_ids(conn, plan.run_id)
        counts["annotated"] = enrich.enrich_pending(eng, article_ids=ids)["versions"] if ids else 0
    return counts
