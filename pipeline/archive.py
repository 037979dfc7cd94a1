"""Archive discovery: past article URLs from the Wayback Machine's CDX API, fetched as raw snapshots.

Feeds list only recent items and outlets remove old pages, so a backfill over past years cannot
always rely on the live site. A source that enables ``archive`` in ``sources.yml`` also
discovers URLs from the Internet Archive:

* **Query.** For a run over ``[start, end)`` the CDX API is asked for every capture under the
  source's URL prefix (``matchType=prefix``, or ``domain``) taken from ``start`` up to
  ``end + capture_lag_days`` (an article is usually captured some time after it is published),
  answered 200, of type ``text/html``, collapsed to the first capture per URL
  (``collapse=urlkey``), as JSON, and paged with ``showResumeKey``/``resumeKey`` so that a
  large site's index streams through in pages of ``PIPELINE_WAYBACK_PAGE_SIZE`` rows and is
  never held whole.
* **Membership.** A capture time is not a publication time: an article captured inside the
  window may have been published before it. A capture is therefore an *undated* listing, and
  the page's own publication date decides which interval loads it, exactly as for an undated
  sitemap entry. (A capture does bound the date from above, which is why the window starts at
  ``start``: a URL first captured before the interval cannot have been published in it.) Once
  fetched, a page's own date is recorded with the URL, so the other runs whose windows list it
  decide it without fetching it again, and an article already loaded is never refetched for an
  archive listing (a snapshot does not change). Captures later than the lag are missed: choose
  ``capture_lag_days`` from how late the archive caught the outlet's pages.
* **Fetching.** A snapshot is fetched raw, ``<archive>/web/<timestamp>id_/<original>``: the
  bytes the site served then, without the archive's toolbar or rewritten links. The article is
  stored under its original canonical URL, never the archive's; the raw zone keeps the snapshot
  URL as the fetch's final URL (see :func:`original_url`, which makes a stored snapshot
  re-parseable later whatever the archive's address is then).
* **Policy** (``archive.mode``): ``fallback`` (the default) reads feeds and sitemaps as usual
  and adds the archive's URLs for intervals that start before ``archive.until`` (every interval
  when unset: set it to the date from which the live sitemaps cover the site, so routine hourly
  runs make no archive queries); each URL is fetched live first and from its snapshot only when
  the live page is gone or failing (404, 410, 5xx, network error, unreachable robots.txt). A
  page that robots.txt disallows is never fetched from the archive instead. ``only`` is for an
  outlet that is gone: the live site is never contacted and every article comes from the
  archive.
* **Manners.** The archive is one host for every source and every task, and it asks for modest
  rates (about 24 CDX queries a minute; an IP that keeps going after 429s is blocked for an
  hour). So the archive is one pool of one slot for the whole deployment: every archive request,
  from any source, task or process, takes :func:`archive_turn` (a PostgreSQL advisory lock in the
  warehouse every worker shares) and holds it for the pause after its request: CDX queries
  ``PIPELINE_WAYBACK_CDX_DELAY`` seconds, snapshots ``PIPELINE_WAYBACK_DELAY``. Parallel mapped
  tasks of several sources therefore queue for the archive instead of multiplying the rate. A
  429 or 5xx is retried after ``Retry-After`` (or a doubling backoff) while the turn is held, so
  every worker backs off together; in one process the fetchers of :func:`archive_fetchers` are
  shared too, and a 429's pause holds for the whole host.

The pure part (query parameters, page parsing, snapshot URLs) is separate from
:func:`iter_snapshots`, which pages through the API with a fetch function it is given.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pipeline.discovery import DiscoveryError
from pipeline.fetch import Fetcher, FetchPolicy
from pipeline.records import FetchResult

TIMESTAMP_FORMAT = "%Y%m%d%H%M%S"
FIELDS = ("timestamp", "original", "mimetype", "statuscode")
_SNAPSHOT_PATH = re.compile(r"^/web/(\d{4,14})id_/(https?://.+)$", re.IGNORECASE)
# a status that says the live page is gone or failing, so its snapshot is worth fetching
_LIVE_GONE = (404, 410)


class ArchiveError(DiscoveryError):
    """A CDX answer that cannot be read, or a CDX query that failed."""


@dataclass(frozen=True)
class Snapshot:
    """One capture the CDX API lists: when, of which URL, and how it was answered."""

    timestamp: str  # 14 digits, UTC, as the archive writes it
    original: str  # the URL as captured
    mimetype: str = "text/html"
    status: str = "200"

    @property
    def captured_at(self) -> datetime:
        return _parse_timestamp(self.timestamp)


@dataclass(frozen=True)
class CdxQuery:
    """What to ask the CDX API for one run: captures of *url* between two instants (inclusive)."""

    url: str  # the source's prefix (or domain), as configured
    since: datetime
    until: datetime
    match: str = "prefix"  # CDX matchType: prefix or domain
    page_size: int = 1000


def query_for(
    prefix: str, match: str, start: datetime, end: datetime, lag: timedelta, page_size: int
) -> CdxQuery:
    """The CDX query of a run over ``[start, end)``: captures from *start* to *end* + *lag*."""
    return CdxQuery(prefix, start, end + lag - timedelta(seconds=1), match, page_size)


def cdx_params(query: CdxQuery, resume_key: str | None = None) -> list[tuple[str, str]]:
    """The CDX API parameters of *query* (one page; *resume_key* continues a previous page)."""
    parts = urlsplit(query.url)
    # CDX keys are scheme-less: a prefix is host + path; a domain match wants the bare host
    target = parts.hostname or query.url if query.match == "domain" else (parts.netloc + parts.path)
    params = [
        ("url", target),
        ("matchType", query.match),
        ("from", timestamp(query.since)),
        ("to", timestamp(query.until)),
        ("filter", "statuscode:200"),
        ("filter", "mimetype:text/html"),
        ("collapse", "urlkey"),
        ("output", "json"),
        ("fl", ",".join(FIELDS)),
        ("limit", str(query.page_size)),
        ("showResumeKey", "true"),
    ]
    if resume_key:
        params.append(("resumeKey", resume_key))
    return params


def cdx_url(base: str, query: CdxQuery, resume_key: str | None = None) -> str:
    return f"{base.rstrip('/')}/cdx/search/cdx?{urlencode(cdx_params(query, resume_key))}"


def parse_cdx_page(body: bytes) -> tuple[list[Snapshot], str | None]:
    """One page of ``output=json`` CDX results: its snapshots and the resume key, if any.

    The JSON is a list of rows: a header row naming the fields, one row per capture, then (with
    ``showResumeKey``, when more results remain) an empty row and a one-element row holding the
    key. An empty body or ``[]`` is an empty result. Rows that do not fit the header, or carry
    no valid timestamp or URL, are skipped: one odd capture must not cost the others.

    Raises:
        ArchiveError: the body is not a JSON list of rows.
    """
    if not body.strip():
        return [], None
    try:
        rows = json.loads(body)
    except ValueError as exc:
        raise ArchiveError(f"CDX answer is not JSON: {exc}") from exc
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise ArchiveError("CDX answer is not a list of rows")
    if not rows:
        return [], None
    header, data = rows[0], rows[1:]
    resume_key = None
    if len(data) >= 2 and data[-2] == [] and len(data[-1]) == 1:
        resume_key = str(data[-1][0])
        data = data[:-2]
    missing = [f for f in ("timestamp", "original") if f not in header]
    if missing:
        raise ArchiveError(f"CDX answer lacks the fields {', '.join(missing)}")
    snapshots = [s for s in (_snapshot(header, row) for row in data) if s is not None]
    return snapshots, resume_key


def iter_snapshots(fetch: Callable[[str], FetchResult], base: str, query: CdxQuery) -> Iterator[Snapshot]:
    """Every capture *query* matches, page by page: the next page is asked for only when needed.

    Raises:
        ArchiveError: a page could not be fetched or read (the pages before it were yielded).
    """
    resume_key: str | None = None
    while True:
        url = cdx_url(base, query, resume_key)
        result = fetch(url)
        if not result.ok:
            raise ArchiveError(f"CDX query failed: {result.error or f'http {result.status}'} ({url})")
        snapshots, next_key = parse_cdx_page(result.body)
        yield from snapshots
        if not next_key or next_key == resume_key:
            return
        resume_key = next_key


def snapshot_url(base: str, snapshot: Snapshot) -> str:
    """The raw (``id_``) snapshot: the page exactly as captured, without the archive's rewriting."""
    return f"{base.rstrip('/')}/web/{snapshot.timestamp}id_/{snapshot.original}"


def original_url(url: str) -> str | None:
    """The captured page's URL when *url* is a raw snapshot URL (any archive host), else None."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    match = _SNAPSHOT_PATH.match(path)
    return match.group(2) if match else None


def live_failed(result: FetchResult) -> bool:
    """Whether a live fetch failed in a way the archive can make up for.

    Gone (404, 410), failing (5xx, 429 after retries), unreachable, or with a robots.txt that
    cannot be read. Not a robots.txt that disallows the page: the publisher's wish holds.
    """
    if result.ok or result.not_modified:
        return False
    error = result.error or ""
    if error.startswith("refused: disallowed by robots.txt"):
        return False
    if error.startswith("refused:") and "robots.txt unavailable" not in error:
        return False  # a URL the fetcher will not request at all (bad scheme, private address)
    return result.status in _LIVE_GONE or result.status == 429 or result.status >= 500 or result.status == 0


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


@dataclass(frozen=True)
class ArchiveFetchers:
    """The archive's two request streams: CDX queries and snapshots, each with its own pace."""

    cdx: Fetcher
    snapshots: Fetcher


_FETCHERS: dict[tuple[object, ...], ArchiveFetchers] = {}
_FETCHERS_LOCK = threading.Lock()


def archive_fetchers(
    user_agent: str,
    *,
    delay: float,
    cdx_delay: float,
    retries: int,
    backoff: float,
    allow_private_network: bool,
) -> ArchiveFetchers:
    """The process's fetchers for the archive, shared by every source and thread.

    Sharing them is what makes the per-host delay and a 429's pause hold for the whole process,
    not per source or per task.
    """
    key = (user_agent, delay, cdx_delay, retries, backoff, allow_private_network)
    with _FETCHERS_LOCK:
        if key not in _FETCHERS:

            def make(min_delay: float) -> Fetcher:
                return Fetcher(
                    FetchPolicy(
                        user_agent=user_agent,
                        min_delay=min_delay,
                        retries=retries,
                        backoff=backoff,
                        allow_private_network=allow_private_network,
                    )
                )

            _FETCHERS[key] = ArchiveFetchers(cdx=make(cdx_delay), snapshots=make(delay))
        return _FETCHERS[key]


_TURN_LOCK = 72_410_101  # pg_advisory_lock key: one archive request at a time, deployment-wide


@contextmanager
def archive_turn(eng: Engine, pause: float, sleep: Callable[[float], None] = time.sleep) -> Iterator[None]:
    """Hold the deployment's one archive slot for a request and the *pause* after it.

    Every worker shares the warehouse, so a session advisory lock there serializes archive
    requests across processes and machines; a worker that dies releases it with its session.
    """
    with eng.connect() as conn:
        conn.execute(sa.text("select pg_advisory_lock(:k)"), {"k": _TURN_LOCK})
        try:
            yield
            sleep(pause)
        finally:
            conn.execute(sa.text("select pg_advisory_unlock(:k)"), {"k": _TURN_LOCK})
            conn.commit()


def _snapshot(header: list[object], row: list[object]) -> Snapshot | None:
    if len(row) != len(header):
        return None
    fields = {str(k): str(v) for k, v in zip(header, row, strict=True)}
    ts, original = fields.get("timestamp", ""), fields.get("original", "")
    if not (ts.isdigit() and 4 <= len(ts) <= 14) or urlsplit(original).scheme not in ("http", "https"):
        return None
    try:
        _parse_timestamp(ts)
    except ValueError:
        return None
    return Snapshot(ts, original, fields.get("mimetype", "text/html"), fields.get("statuscode", "200"))


def _parse_timestamp(value: str) -> datetime:
    """A CDX timestamp (4 to 14 digits; a short one means the start of that year, month, ...)."""
    return datetime.strptime(value + "00000101000000"[len(value) :], TIMESTAMP_FORMAT).replace(tzinfo=UTC)
