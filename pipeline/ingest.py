"""The ingest job for one source and one interval: discover, then fetch/parse/load in batches.

The same functions back the Airflow tasks (one call each) and ``python -m pipeline ingest``:

* :func:`discover` opens an ``ingest_runs`` row, streams feeds, sitemaps and (for a source that
  enables it) the Wayback Machine's index, keeps the article URLs whose claimed publication time
  lies in ``[start, end)`` (and those whose time is unknown), adds failures due for a retry, and
  writes the run's work list in batches;
* :func:`load_batch` fetches one batch politely (live, or from an archived snapshot as
  :mod:`pipeline.archive` decides), parses and normalizes each page, and loads the batch in one
  transaction (raw fetches, articles, versions, failures, counts);
* :func:`finish` closes the run.

Interval membership is decided once per URL, so consecutive runs neither overlap nor leave gaps:
a URL whose listing claims a publication time belongs to the interval holding that claim; a URL
listed without one belongs to the interval holding the page's own publication time.
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from pipeline import archive as archive_api
from pipeline import load
from pipeline.config import settings
from pipeline.discovery import DiscoveryError, Listing, in_interval, iter_sitemap, parse_feed
from pipeline.fetch import Fetcher, FetchPolicy
from pipeline.normalize import NormalizationError, canonicalize_url, normalize_article
from pipeline.parse import parse_article
from pipeline.records import Article, FetchResult
from pipeline.sources import ArchiveConfig, Source

log = logging.getLogger(__name__)

BATCH_SIZE = 25
LISTING_TTL = timedelta(minutes=5)  # a feed/sitemap fetched this recently is read from the raw zone
MAX_SITEMAPS = 500
RECORD_CHUNK = 1000  # discovered URLs written per statement; archive URLs checked per query


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
    """Open a run for ``[start, end)`` and plan its work. Returns the run id and batch numbers.

    Listings stream through: every article URL is recorded in ``core.discovered_urls`` in chunks,
    and only the URLs the run may fetch (claimed inside the interval, or undecided) are kept, so
    a sitemap index of millions of URLs costs memory in proportion to the interval, not the site.
    """
    fetcher = fetcher or make_fetcher(source)
    with eng.begin() as conn:
        load.upsert_source(conn, source)
        run_id = load.start_run(conn, source.id, start, end, trigger, airflow_run_id)

    plan = _Plan(eng, source, start, end)
    stats = _ListingStats()
    archive = source.archive if source.archive and source.archive.covers(start) else None
    if archive is None or archive.mode != "only":
        for listing, via in _listings(eng, source, fetcher, run_id, start, stats):
            if source.is_article_url(listing.url):
                plan.offer(canonicalize_url(listing.url), listing, via)
    if archive is not None:
        for snapshot, via in _archive_listings(eng, source, archive, run_id, start, end, stats):
            if source.is_article_url(snapshot.original):
                plan.offer_snapshot(canonicalize_url(snapshot.original), snapshot, via)
    if stats.attempted and not stats.succeeded:
        message = f"none of {stats.attempted} feeds/sitemaps could be read; first error: {stats.errors[0]}"
        finish(eng, run_id, "failed", message)
        raise SourceUnavailable(f"{source.id}: {message}")
    kept = plan.settle()
    retries = 0
    with eng.begin() as conn:
        for url, claimed in load.retryable_failures(conn, source.id):
            # an archive-only source cannot refetch a URL live; its snapshot comes with a later run
            if url not in kept and (archive is None or archive.mode != "only"):
                kept[url] = load.WorkItem(url, claimed, None, force=True)
                retries += 1
        work = [kept[url] for url in sorted(kept)]
        n_batches = load.plan_run(conn, run_id, work, batch_size)
        load.add_counts(conn, run_id, {"discovered": len(work) - retries})
    return Discovery(run_id, len(work) - retries, retries, list(range(n_batches)))


class _Plan:
    """What one run keeps while listings stream past: only the URLs it may have to fetch.

    One listing per URL: a claimed publication time beats none (feeds and sitemaps may disagree on
    which they state), then the latest lastmod. A URL whose best listing rules it out is dropped
    and forgotten; everything listed is recorded in ``core.discovered_urls`` in chunks, and
    :meth:`settle` reads back what those records say about the undecided URLs, so a claim that
    ruled a URL out still wins over an undated listing seen after it.
    """

    def __init__(self, eng: Engine, source: Source, start: datetime, end: datetime) -> None:
        self.eng, self.source, self.start, self.end = eng, source, start, end
        self.kept: dict[str, tuple[Listing, str | None]] = {}  # url -> (best listing, snapshot URL)
        self._seen_at = _now()
        self._records: dict[str, tuple[Listing, str]] = {}
        self._archived: dict[str, str] = {}  # url -> snapshot URL, waiting for the loaded check
        self._archive_base = settings().wayback_url

    def offer(self, url: str, listing: Listing, via: str) -> None:
        """A feed or sitemap listing of *url*."""
        self._record(url, listing, via)
        previous = self.kept.get(url)
        if previous is not None and not _better(listing, previous[0]):
            return
        if in_interval(listing, self.start, self.end) is False:
            self.kept.pop(url, None)
        else:
            self.kept[url] = (listing, previous[1] if previous else None)

    def offer_snapshot(self, url: str, snapshot: archive_api.Snapshot, via: str) -> None:
        """An archive capture of *url*: an undated listing that can be fetched from the archive."""
        self._record(url, Listing(snapshot.original), via)
        if url not in self._archived:
            self._archived[url] = archive_api.snapshot_url(self._archive_base, snapshot)
        if len(self._archived) >= RECORD_CHUNK:
            self._flush_archived()

    def settle(self) -> dict[str, load.WorkItem]:
        """Flush the records and decide the undecided URLs from them; the run's work items."""
        self._flush_archived()
        self._flush_records()
        undecided = [url for url, (listing, _snap) in self.kept.items() if listing.published_at is None]
        with self.eng.connect() as conn:
            recorded = load.recorded_listings(conn, self.source.id, undecided)
        for url, (claimed, lastmod) in recorded.items():
            listing, snapshot = self.kept[url]
            decided = Listing(url, claimed, lastmod or listing.lastmod)
            if in_interval(decided, self.start, self.end) is False:
                del self.kept[url]
            elif claimed is not None:
                self.kept[url] = (decided, snapshot)
        return {
            url: load.WorkItem(url, listing.published_at, listing.lastmod, snapshot=snapshot)
            for url, (listing, snapshot) in self.kept.items()
        }

    def _record(self, url: str, listing: Listing, via: str) -> None:
        previous = self._records.get(url)
        if previous is None or _better(listing, previous[0]):
            self._records[url] = (listing, via)
        if len(self._records) >= RECORD_CHUNK:
            self._flush_records()

    def _flush_records(self) -> None:
        rows = [(u, li.published_at, li.lastmod, via) for u, (li, via) in self._records.items()]
        with self.eng.begin() as conn:
            load.record_discovered(conn, self.source.id, rows, self._seen_at)
        self._records.clear()

    def _flush_archived(self) -> None:
        """Keep the archive's URLs that are not loaded yet; attach snapshots to listed ones.

        A snapshot never changes, so an article already loaded (from the archive or live) is not
        fetched again for an archive listing: its date was decided when it loaded.
        """
        if not self._archived:
            return
        with self.eng.connect() as conn:
            loaded = load.loaded_urls(conn, self.source.id, list(self._archived))
        for url, snapshot in self._archived.items():
            if url in self.kept:
                listing, known = self.kept[url]
                self.kept[url] = (listing, known or snapshot)
            elif url not in loaded:
                self.kept[url] = (Listing(url), snapshot)
        self._archived.clear()


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
    """Every listing of the source's feeds and sitemaps, streamed (sitemaps entry by entry)."""
    for feed_url in source.feeds:
        data = _fetch_listing(eng, source, fetcher, run_id, feed_url, "feed", stats)
        if data is None:
            continue
        try:
            for listing in parse_feed(data, feed_url):
                yield listing, feed_url
        except DiscoveryError as exc:
            _discovery_failure(eng, source, feed_url, str(exc), run_id)

    queue = deque(dict.fromkeys([*source.sitemaps, *fetcher.robots_sitemaps(source.homepage)]))
    seen: set[str] = set()
    while queue and len(seen) < MAX_SITEMAPS:
        sitemap_url = queue.popleft()
        if sitemap_url in seen:
            continue
        seen.add(sitemap_url)
        data = _fetch_listing(eng, source, fetcher, run_id, sitemap_url, "sitemap", stats)
        if data is None:
            continue
        try:
            for kind, listing in iter_sitemap(data, sitemap_url):
                if kind == "url":
                    yield listing, sitemap_url
                # a child sitemap unchanged since before the interval holds nothing published in it
                elif listing.lastmod is None or listing.lastmod >= start:
                    queue.append(listing.url)
        except DiscoveryError as exc:
            _discovery_failure(eng, source, sitemap_url, str(exc), run_id)


def _archive_listings(
    eng: Engine,
    source: Source,
    archive: ArchiveConfig,
    run_id: int,
    start: datetime,
    end: datetime,
    stats: _ListingStats,
) -> Iterator[tuple[archive_api.Snapshot, str]]:
    """The archive's captures under the source's prefix for the run, page by page.

    Every CDX page is kept in the raw zone (kind ``cdx``). A query that fails part-way keeps the
    captures of the pages before it and records a discovery failure under the query's URL.
    """
    cfg = settings()
    lag = timedelta(days=archive.capture_lag_days)
    query = archive_api.query_for(archive.url_prefix, archive.match, start, end, lag, cfg.wayback_page_size)
    via = archive_api.cdx_url(cfg.wayback_url, query)
    cdx = _archive_fetchers(source).cdx

    def fetch(url: str) -> FetchResult:
        with archive_api.archive_turn(eng, cfg.wayback_cdx_delay):
            result = cdx.fetch(url)
        with eng.begin() as conn:
            load.store_fetch(conn, source.id, run_id, result, "cdx")
        return result

    stats.attempted += 1
    try:
        for snapshot in archive_api.iter_snapshots(fetch, cfg.wayback_url, query):
            yield snapshot, via
    except archive_api.ArchiveError as exc:
        stats.errors.append(f"{via}: {exc}")
        _discovery_failure(eng, source, via, str(exc), run_id)
        return
    stats.succeeded += 1
    with eng.begin() as conn:
        load.resolve_failure(conn, source.id, via, _now())


def _archive_fetchers(source: Source) -> archive_api.ArchiveFetchers:
    """The process-wide archive fetchers (see :mod:`pipeline.archive` on rate limits)."""
    cfg = settings()
    return archive_api.archive_fetchers(
        cfg.user_agent,
        delay=cfg.wayback_delay,
        cdx_delay=cfg.wayback_cdx_delay,
        retries=cfg.fetch_retries,
        backoff=cfg.fetch_backoff,
        allow_private_network=source.allow_private_network,
    )


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
    live: FetchResult | None = None  # the failed live fetch, when the page came from the archive


def process_page(
    source: Source, result: FetchResult, claimed: datetime | None = None, lastmod: datetime | None = None
) -> tuple[Article | None, str, str, str]:
    """Parse and normalize one fetched page (pure). Returns (article, extractor, stage, error).

    The listing's claimed publication time and lastmod fill in only what the page itself lacks.
    An archived snapshot is read as the page it captured, so the article keeps its own URL.
    """
    if result.text is None:
        return None, "", "parse", f"not a text document ({result.headers.get('content-type', '?')})"
    page_url = archive_api.original_url(result.final_url) or result.final_url
    try:
        parsed = parse_article(result.text, page_url, dict(source.selectors))
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
        live, result = _fetch_item(eng, source, fetcher, item, validators.get(item.url, (None, None)))
        if result.not_modified or not result.ok:
            outcomes.append(_Outcome(item, result, live=live))
        else:
            article, extractor, stage, error = process_page(source, result, item.claimed, item.lastmod)
            outcomes.append(_Outcome(item, result, article, extractor, stage, error, live))
        if on_page:
            on_page(item.url)

    counts: Counter[str] = Counter()
    with eng.begin() as conn:
        for o in outcomes:
            if o.live is not None:
                load.store_fetch(conn, source.id, run_id, o.live)
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
                # ... which is now known: recorded as the URL's date, other intervals decide the
                # URL without fetching it again (an archive window lists it for weeks of runs)
                load.record_discovered(
                    conn, source.id, [(o.item.url, published, None, "page")], o.result.fetched_at
                )
                load.resolve_failure(conn, source.id, o.item.url, o.result.fetched_at)
                continue
            outcome = load.load_article(
                conn,
                source,
                o.article,
                fetch_id=fetch_id,
                fetched_at=o.result.fetched_at,
                extractor=o.extractor,
            )
            counts[outcome] += 1
            load.resolve_failure(conn, source.id, o.item.url, o.result.fetched_at)
        load.add_counts(conn, run_id, dict(counts))
    return dict(counts)


def _fetch_item(
    eng: Engine,
    source: Source,
    fetcher: Fetcher,
    item: load.WorkItem,
    validators: tuple[str | None, str | None],
) -> tuple[FetchResult | None, FetchResult]:
    """Fetch one work item: live, or from its archive snapshot (policy in :mod:`pipeline.archive`).

    Returns (the failed live fetch when the snapshot replaced it, the fetch that counts). The
    snapshot's result keeps the item's URL as its ``url`` and the snapshot as its ``final_url``,
    so the raw zone shows both what was wanted and what was actually fetched.
    """
    if item.snapshot is None or source.archive is None:
        return None, fetcher.fetch(item.url, etag=validators[0], last_modified=validators[1])
    live = None
    if source.archive.mode != "only":
        live = fetcher.fetch(item.url, etag=validators[0], last_modified=validators[1])
        if not archive_api.live_failed(live):
            return None, live
    with archive_api.archive_turn(eng, settings().wayback_delay):
        snapshot = _archive_fetchers(source).snapshots.fetch(item.snapshot)
    return live, replace(snapshot, url=item.url)


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
