"""The ingest job for one source and one interval: discover, then fetch/parse/load in batches.

The same functions back the Airflow tasks (one call each) and ``python -m pipeline ingest``:

* :func:`discover` opens an ``ingest_runs`` row, reads feeds and sitemaps, keeps the article
  URLs whose claimed publication time lies in ``[start, end)`` (and those whose time is unknown),
  adds failures due for a retry, and writes the run's work list in batches;
* :func:`load_batch` fetches one batch politely, parses and normalizes each page, and loads the
  batch in one transaction (raw fetches, articles, versions, failures, counts);
* :func:`finish` closes the run.

Interval membership is decided once per URL, so consecutive runs neither overlap nor leave gaps:
a URL whose listing claims a publication time belongs to the interval holding that claim; a URL
listed without one belongs to the interval holding the page's own publication time.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from pipeline import load
from pipeline.config import settings
from pipeline.discovery import DiscoveryError, Listing, in_interval, parse_feed, parse_sitemap
from pipeline.fetch import Fetcher, FetchPolicy
from pipeline.normalize import NormalizationError, canonicalize_url, normalize_article
from pipeline.parse import parse_article
from pipeline.records import Article, FetchResult
from pipeline.sources import Source

log = logging.getLogger(__name__)

BATCH_SIZE = 25
LISTING_TTL = timedelta(minutes=5)  # a feed/sitemap fetched this recently is read from the raw zone
MAX_SITEMAPS = 500


@dataclass(frozen=True)
class Discovery:
    run_id: int
    discovered: int
    retries: int
    batches: list[int]


class SourceUnavailable(RuntimeError):
    """Not one of a source's feeds or sitemaps could be read: the run fails (and alerts)."""


@dataclass
class _ListingStats:
    attempted: int = 0
    succeeded: int = 0
    errors: list[str] = field(default_factory=list)


def make_fetcher(source: Source) -> Fetcher:
    """A fetcher with the source's politeness settings."""
    cfg = settings()
    return Fetcher(
        FetchPolicy(
            user_agent=cfg.user_agent,
            min_delay=source.politeness_delay,
            allow_private_network=source.allow_private_network,
            retries=cfg.fetch_retries,
            backoff=cfg.fetch_backoff,
        )
    )


def _now() -> datetime:
    return datetime.now(UTC)


# -- discovery ------------------------------------------------------------------------------------


def discover(
    eng: Engine,
    source: Source,
    start: datetime,
    end: datetime,
    *,
    fetcher: Fetcher | None = None,
    trigger: str = "cli",
    airflow_run_id: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> Discovery:
    """Open a run for ``[start, end)`` and plan its work. Returns the run id and batch numbers."""
    fetcher = fetcher or make_fetcher(source)
    with eng.begin() as conn:
        load.upsert_source(conn, source)
        run_id = load.start_run(conn, source.id, start, end, trigger, airflow_run_id)

    # one listing per URL: a claimed publication time beats none (feeds and sitemaps may disagree
    # on which they state), then the latest lastmod
    best: dict[str, tuple[Listing, str]] = {}
    stats = _ListingStats()
    for listing, via in _listings(eng, source, fetcher, run_id, start, stats):
        if not source.is_article_url(listing.url):
            continue
        url = canonicalize_url(listing.url)
        previous = best.get(url)
        if previous is None or _better(listing, previous[0]):
            best[url] = (listing, via)
    if stats.attempted and not stats.succeeded:
        message = f"none of {stats.attempted} feeds/sitemaps could be read; first error: {stats.errors[0]}"
        finish(eng, run_id, "failed", message)
        raise SourceUnavailable(f"{source.id}: {message}")
    kept: dict[str, load.WorkItem] = {
        url: load.WorkItem(url, listing.published_at, listing.lastmod)
        for url, (listing, _via) in best.items()
        if in_interval(listing, start, end) is not False
    }
    retries = 0
    with eng.begin() as conn:
        load.record_discovered(
            conn, source.id, [(u, li.published_at, li.lastmod, via) for u, (li, via) in best.items()], _now()
        )
        for url, claimed in load.retryable_failures(conn, source.id):
            if url not in kept:
                kept[url] = load.WorkItem(url, claimed, None, force=True)
                retries += 1
        work = [kept[url] for url in sorted(kept)]
        n_batches = load.plan_run(conn, run_id, work, batch_size)
        load.add_counts(conn, run_id, {"discovered": len(work) - retries})
    return Discovery(run_id, len(work) - retries, retries, list(range(n_batches)))


def plan_urls(
    eng: Engine,
    source: Source,
    urls: list[str],
    *,
    trigger: str = "stream",
    airflow_run_id: str | None = None,
    batch_size: int = BATCH_SIZE,
    since: datetime | None = None,
) -> Discovery:
    """Open a run for an explicit list of URLs (streaming, reprocessing): loaded whatever their date.

    The run's interval is [since, now): the time the URLs were first seen up to the load.
    """
    canonical = sorted({canonicalize_url(u) for u in urls if source.is_article_url(u)})
    end = _now()
    start = min(since or end, end - timedelta(microseconds=1))
    with eng.begin() as conn:
        load.upsert_source(conn, source)
        run_id = load.start_run(conn, source.id, start, end, trigger, airflow_run_id)
        n_batches = load.plan_run(conn, run_id, [load.WorkItem(u, force=True) for u in canonical], batch_size)
        load.add_counts(conn, run_id, {"discovered": len(canonical)})
    return Discovery(run_id, len(canonical), 0, list(range(n_batches)))


def _better(new: Listing, old: Listing) -> bool:
    if (new.published_at is None) != (old.published_at is None):
        return new.published_at is not None
    return (new.lastmod or datetime.min.replace(tzinfo=UTC)) > (
        old.lastmod or datetime.min.replace(tzinfo=UTC)
    )


def _listings(
    eng: Engine, source: Source, fetcher: Fetcher, run_id: int, start: datetime, stats: _ListingStats
) -> Iterator[tuple[Listing, str]]:
    for feed_url in source.feeds:
        data = _fetch_listing(eng, source, fetcher, run_id, feed_url, "feed", stats)
        if data is None:
            continue
        try:
            for listing in parse_feed(data, feed_url):
                yield listing, feed_url
        except DiscoveryError as exc:
            _discovery_failure(eng, source, feed_url, str(exc), run_id)

    queue = list(dict.fromkeys([*source.sitemaps, *fetcher.robots_sitemaps(source.homepage)]))
    seen: set[str] = set()
    while queue and len(seen) < MAX_SITEMAPS:
        sitemap_url = queue.pop(0)
        if sitemap_url in seen:
            continue
        seen.add(sitemap_url)
        data = _fetch_listing(eng, source, fetcher, run_id, sitemap_url, "sitemap", stats)
        if data is None:
            continue
        try:
            doc = parse_sitemap(data, sitemap_url)
        except DiscoveryError as exc:
            _discovery_failure(eng, source, sitemap_url, str(exc), run_id)
            continue
        for child in doc.children:
            # a child sitemap unchanged since before the interval holds nothing published in it
            if child.lastmod is None or child.lastmod >= start:
                queue.append(child.url)
        for listing in doc.urls:
            yield listing, sitemap_url


def _fetch_listing(
    eng: Engine, source: Source, fetcher: Fetcher, run_id: int, url: str, kind: str, stats: _ListingStats
) -> bytes | None:
    """A feed or sitemap body: reused from the raw zone when fresh or revalidated (304)."""
    stats.attempted += 1
    with eng.connect() as conn:
        previous = load.last_good_fetch(conn, url, kind)
    if previous is not None and _now() - previous["fetched_at"] < LISTING_TTL:  # type: ignore[operator]
        stats.succeeded += 1
        with eng.connect() as conn:
            return load.body(conn, str(previous["sha256"]))
    headers: dict[str, str] = dict(previous["headers"] or {}) if previous else {}  # type: ignore[call-overload]
    result = fetcher.fetch(url, etag=headers.get("etag"), last_modified=headers.get("last-modified"))
    with eng.begin() as conn:
        load.store_fetch(conn, source.id, run_id, result, kind)
        if result.not_modified and previous is not None:
            stats.succeeded += 1
            return load.body(conn, str(previous["sha256"]))
        if not result.ok:
            stats.errors.append(f"{url}: {result.error or f'http {result.status}'}")
            load.record_failure(
                conn,
                source.id,
                url,
                "discover",
                result.error or f"http {result.status}",
                run_id,
                result.fetched_at,
            )
            return None
        load.resolve_failure(conn, source.id, url, result.fetched_at)
    stats.succeeded += 1
    return result.body


def _discovery_failure(eng: Engine, source: Source, url: str, error: str, run_id: int) -> None:
    log.warning("%s: cannot read %s: %s", source.id, url, error)
    with eng.begin() as conn:
        load.record_failure(conn, source.id, url, "discover", error, run_id, _now())


# -- fetch, parse, load -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    item: load.WorkItem
    result: FetchResult
    article: Article | None = None
    extractor: str = ""
    stage: str = ""
    error: str = ""


def process_page(
    source: Source, result: FetchResult, claimed: datetime | None = None, lastmod: datetime | None = None
) -> tuple[Article | None, str, str, str]:
    """Parse and normalize one fetched page (pure). Returns (article, extractor, stage, error).

    The listing's claimed publication time and lastmod fill in only what the page itself lacks.
    """
    if result.text is None:
        return None, "", "parse", f"not a text document ({result.headers.get('content-type', '?')})"
    try:
        parsed = parse_article(result.text, result.final_url, dict(source.selectors))
    except Exception as exc:  # a parser bug on one hostile page must not fail the batch
        return None, "", "parse", f"{type(exc).__name__}: {exc}"
    try:
        article = normalize_article(
            parsed,
            source_id=source.id,
            timezone=source.timezone,
            fallback_published=claimed,
            fallback_modified=lastmod,
        )
    except NormalizationError as exc:
        return None, parsed.extractor, "normalize", str(exc)
    return article, parsed.extractor, "", ""


def load_batch(
    eng: Engine,
    source: Source,
    run_id: int,
    batch: int,
    *,
    fetcher: Fetcher | None = None,
    on_page: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Fetch, parse and load one batch of a run in one transaction; return its counts."""
    fetcher = fetcher or make_fetcher(source)
    with eng.connect() as conn:
        info = load.run_info(conn, run_id)
        work = load.batch_work(conn, run_id, batch)
        validators = {w.url: load.article_validators(conn, w.url) for w in work if not w.force}
    start: datetime = info["interval_start"]  # type: ignore[assignment]
    end: datetime = info["interval_end"]  # type: ignore[assignment]

    outcomes: list[_Outcome] = []
    for item in work:
        etag, last_modified = validators.get(item.url, (None, None))
        result = fetcher.fetch(item.url, etag=etag, last_modified=last_modified)
        if result.not_modified or not result.ok:
            outcomes.append(_Outcome(item, result))
        else:
            article, extractor, stage, error = process_page(source, result, item.claimed, item.lastmod)
            outcomes.append(_Outcome(item, result, article, extractor, stage, error))
        if on_page:
            on_page(item.url)

    counts: Counter[str] = Counter()
    with eng.begin() as conn:
        for o in outcomes:
            fetch_id = load.store_fetch(conn, source.id, run_id, o.result)
            if o.result.not_modified:
                counts["not_modified"] += 1
                continue
            if not o.result.ok:
                error = o.result.error or f"http {o.result.status}"
                robots = error.startswith("refused: disallowed by robots.txt")
                counts["skipped" if robots else "failed"] += 1
                load.record_failure(
                    conn,
                    source.id,
                    o.item.url,
                    "robots" if robots else "fetch",
                    error,
                    run_id,
                    o.result.fetched_at,
                    o.item.claimed,
                )
                continue
            counts["fetched"] += 1
            if o.article is None:
                counts["failed"] += 1
                load.record_failure(
                    conn, source.id, o.item.url, o.stage, o.error, run_id, o.result.fetched_at, o.item.claimed
                )
                continue
            published = o.article.published_at
            if (
                not o.item.force
                and o.item.claimed is None
                and published is not None
                and not (start <= published < end)
            ):
                counts["skipped"] += 1  # belongs to the interval holding its own date
                load.resolve_failure(conn, source.id, o.item.url, o.result.fetched_at)
                continue
            outcome = load.load_article(
                conn, o.article, fetch_id=fetch_id, fetched_at=o.result.fetched_at, extractor=o.extractor
            )
            counts[outcome] += 1
            load.resolve_failure(conn, source.id, o.item.url, o.result.fetched_at)
        load.add_counts(conn, run_id, dict(counts))
    return dict(counts)


def finish(eng: Engine, run_id: int, status: str = "success", error: str | None = None) -> dict[str, int]:
    """Close a run; return its final counts."""
    with eng.begin() as conn:
        return load.finish_run(conn, run_id, status, error)


def run_interval(
    eng: Engine,
    source: Source,
    start: datetime,
    end: datetime,
    *,
    trigger: str = "cli",
    fetcher: Fetcher | None = None,
    progress: Callable[[int], None] | None = None,
    on_planned: Callable[[int], None] | None = None,
) -> tuple[int, dict[str, int]]:
    """Discover, load every batch and finish: the whole job in one call (CLI, tests)."""
    fetcher = fetcher or make_fetcher(source)
    plan = discover(eng, source, start, end, fetcher=fetcher, trigger=trigger)
    if on_planned:
        on_planned(plan.discovered + plan.retries)
    on_page = (lambda _u: progress(1)) if progress else None
    return plan.run_id, execute(eng, source, plan, fetcher=fetcher, on_page=on_page)


def execute(
    eng: Engine,
    source: Source,
    plan: Discovery,
    *,
    fetcher: Fetcher | None = None,
    on_page: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Load every batch of a planned run in this process and close it (failed if anything raises)."""
    fetcher = fetcher or make_fetcher(source)
    try:
        for batch in plan.batches:
            load_batch(eng, source, plan.run_id, batch, fetcher=fetcher, on_page=on_page)
    except BaseException as exc:
        finish(eng, plan.run_id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    return finish(eng, plan.run_id)
