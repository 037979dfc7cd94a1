"""Writes and reads of the ingest path (raw zone, core zone, run bookkeeping).

Every function takes an open SQLAlchemy connection and leaves transaction control to the caller,
so that one batch of articles lands in one transaction. Loads are idempotent upserts keyed by
article identity (all URLs of one article, see :mod:`pipeline.urls`): loading the same content
twice changes nothing; a changed title or body adds exactly one version.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pipeline.records import Article, FetchResult, article_id_for
from pipeline.sources import Source
from pipeline.urls import ArticleIdentity, article_identity, is_variant

LoadOutcome = Literal["new", "updated", "unchanged"]
_KEEP_HEADERS = {
    "content-type",
    "etag",
    "last-modified",
    "content-length",
    "cache-control",
    "date",
    "expires",
    "retry-after",
    "location",
    "content-language",
    "x-robots-tag",
    "server",
    "age",
}
MAX_ATTEMPTS = 5  # a failing URL is retried by later runs until this many attempts
_CHUNK = 1000  # rows per statement when a list may be long (work lists, discovered URLs)


def upsert_source(conn: Connection, source: Source) -> None:
    config = asdict(source)
    conn.execute(
        sa.text(
            "insert into core.sources (source_id, name, homepage, language, timezone, config)"
            " values (:id, :name, :homepage, :language, :timezone, cast(:config as jsonb))"
            " on conflict (source_id) do update set name = excluded.name,"
            " homepage = excluded.homepage, language = excluded.language,"
            " timezone = excluded.timezone, config = excluded.config, updated_at = now()"
            " where core.sources.config is distinct from excluded.config"
            "    or core.sources.name is distinct from excluded.name"
        ),
        {**config, "config": json.dumps(config, default=str)},
    )


def start_run(
    conn: Connection,
    source_id: str,
    start: datetime,
    end: datetime,
    trigger: str,
    airflow_run_id: str | None = None,
) -> int:
    return int(
        conn.execute(
            sa.text(
                "insert into core.ingest_runs (source_id, interval_start, interval_end, trigger,"
                " airflow_run_id) values (:s, :a, :b, :t, :r) returning run_id"
            ),
            {"s": source_id, "a": start, "b": end, "t": trigger, "r": airflow_run_id},
        ).scalar_one()
    )


def add_counts(conn: Connection, run_id: int, counts: dict[str, int]) -> None:
    """Add *counts* to the run's counters (safe when batches run in parallel)."""
    allowed = {"discovered", "fetched", "not_modified", "new", "updated", "unchanged", "skipped", "failed"}
    sets = ", ".join(f"{k} = {k} + :{k}" for k in counts if k in allowed)
    if sets:
        conn.execute(
            sa.text(f"update core.ingest_runs set {sets} where run_id = :run_id"),
            {**counts, "run_id": run_id},
        )


def finish_run(conn: Connection, run_id: int, status: str, error: str | None = None) -> dict[str, int]:
    row = (
        conn.execute(
            sa.text(
                "update core.ingest_runs set finished_at = clock_timestamp(), status = :st, error = :e"
                " where run_id = :r returning discovered, fetched, not_modified, new, updated,"
                " unchanged, skipped, failed"
            ),
            {"st": status, "e": error, "r": run_id},
        )
        .mappings()
        .one()
    )
    return dict(row)


def run_info(conn: Connection, run_id: int) -> dict[str, object]:
    return dict(
        conn.execute(sa.text("select * from core.ingest_runs where run_id = :r"), {"r": run_id})
        .mappings()
        .one()
    )


# -- raw zone -----------------------------------------------------------------------------------


def store_fetch(
    conn: Connection, source_id: str, run_id: int | None, result: FetchResult, kind: str = "article"
) -> int:
    """Keep one HTTP exchange in the raw zone; the body is stored once per distinct content."""
    sha = None
    if result.body:
        sha = result.sha256
        conn.execute(
            sa.text(
                "insert into raw.bodies (sha256, body_gz, size_bytes) values (:s, :b, :n)"
                " on conflict (sha256) do nothing"
            ),
            {"s": sha, "b": gzip.compress(result.body, compresslevel=6), "n": len(result.body)},
        )
    headers = {k: v for k, v in result.headers.items() if k in _KEEP_HEADERS}
    return int(
        conn.execute(
            sa.text(
                "insert into raw.fetches (source_id, run_id, url, final_url, status, headers,"
                " fetched_at, sha256, encoding, redirects, kind, error) values (:src, :run, :url,"
                " :final, :status, cast(:headers as jsonb), :at, :sha, :enc, :redir, :kind, :err)"
                " returning fetch_id"
            ),
            {
                "src": source_id,
                "run": run_id,
                "url": result.url,
                "final": result.final_url,
                "status": result.status,
                "headers": json.dumps(headers),
                "at": result.fetched_at,
                "sha": sha,
                "enc": result.encoding,
                "redir": list(result.redirects),
                "kind": kind,
                "err": result.error,
            },
        ).scalar_one()
    )


def last_good_fetch(conn: Connection, url: str, kind: str | None = None) -> dict[str, object] | None:
    """The newest 200 fetch of *url* (headers, time, sha256), if any."""
    row = (
        conn.execute(
            sa.text(
                "select fetch_id, headers, fetched_at, sha256 from raw.fetches"
                " where url = :u and status = 200 and sha256 is not null"
                + (" and kind = :k" if kind else "")
                + " order by fetched_at desc limit 1"
            ),
            {"u": url, "k": kind},
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def body(conn: Connection, sha256: str) -> bytes:
    """An uncompressed body from the raw zone."""
    data = conn.execute(
        sa.text("select body_gz from raw.bodies where sha256 = :s"), {"s": sha256}
    ).scalar_one()
    return gzip.decompress(bytes(data))


def article_validators(conn: Connection, url: str) -> tuple[str | None, str | None]:
    """ETag and Last-Modified of the fetch behind a loaded article, for a conditional GET.

    Only an article that is loaded gets validators: a 304 for a page that never loaded (it
    failed to parse, say) would hide it for good.
    """
    row = conn.execute(
        sa.text(
            "select f.headers from core.articles a join raw.fetches f on f.fetch_id = a.last_fetch_id"
            " where a.url = :u union all"
            " select f.headers from core.articles a join raw.fetches f on f.fetch_id = a.last_fetch_id"
            " where a.canonical_url = :u union all"
            " select f.headers from raw.fetches f join core.articles a on a.last_fetch_id = f.fetch_id"
            " where f.url = :u limit 1"
        ),
        {"u": url},
    ).first()
    if row is None:
        return None, None
    headers = row[0] or {}
    return headers.get("etag"), headers.get("last-modified")


# -- discovery bookkeeping ----------------------------------------------------------------------


def record_discovered(
    conn: Connection,
    source_id: str,
    rows: Sequence[tuple[str, datetime | None, datetime | None, str]],
    seen_at: datetime,
) -> None:
    """Remember what feeds, sitemaps and the archive listed (url, claimed time, lastmod, via).

    Discovery calls this once per chunk of listings, so a URL may come more than once: the first
    claimed publication time is kept, and a listing without a lastmod (an archive capture) leaves
    a known one alone.
    """
    if not rows:
        return
    # one statement per chunk (arrays unnested), not one per row: a large sitemap index lists
    # hundreds of thousands of URLs. One statement may touch a row once only, so merge repeats.
    merged: dict[str, tuple[str, datetime | None, datetime | None, str]] = {}
    for url, claimed, lastmod, via in rows:
        seen = merged.get(url)
        if seen is not None:
            claimed = seen[1] or claimed
            lastmod = max((m for m in (seen[2], lastmod) if m is not None), default=None)
            via = seen[3]
        merged[url] = (url, claimed, lastmod, via)
    rows = list(merged.values())
    conn.execute(
        sa.text(
            "insert into core.discovered_urls (source_id, url, claimed_published_at, lastmod, via,"
            " first_seen_at, last_seen_at) select cast(:s as text), u, c, m, v, cast(:t as timestamptz),"
            " cast(:t as timestamptz) from unnest("
            " cast(:u as text[]), cast(:c as timestamptz[]), cast(:m as timestamptz[]),"
            " cast(:v as text[])) as r(u, c, m, v)"
            " on conflict (source_id, url) do update set last_seen_at = greatest("
            " core.discovered_urls.last_seen_at, excluded.last_seen_at),"
            " claimed_published_at = coalesce(core.discovered_urls.claimed_published_at,"
            " excluded.claimed_published_at),"
            " lastmod = coalesce(excluded.lastmod, core.discovered_urls.lastmod)"
            # every run lists the whole feed and sitemaps again: rewrite a row only when it says
            # something new, or to move last_seen_at on (daily), so hourly runs do not churn the table
            " where (excluded.lastmod is not null"
            "        and core.discovered_urls.lastmod is distinct from excluded.lastmod)"
            "    or (core.discovered_urls.claimed_published_at is null and excluded.claimed_published_at is not null)"
            "    or core.discovered_urls.last_seen_at < excluded.last_seen_at - interval '1 day'"
        ),
        {
            "s": source_id,
            "t": seen_at,
            "u": [r[0] for r in rows],
            "c": [r[1] for r in rows],
            "m": [r[2] for r in rows],
            "v": [r[3] for r in rows],
        },
    )


def retryable_failures(conn: Connection, source_id: str) -> list[tuple[str, datetime | None]]:
    rows = conn.execute(
        sa.text(
            "select url, claimed_published_at from core.fetch_failures where source_id = :s"
            " and resolved_at is null and attempts < :max and stage not in ('discover', 'robots')"
            " order by last_attempt_at limit 200"
        ),
        {"s": source_id, "max": MAX_ATTEMPTS},
    ).all()
    return [(r[0], r[1]) for r in rows]


@dataclass(frozen=True)
class WorkItem:
    """One URL a run must fetch."""

    url: str
    claimed: datetime | None = None  # publication time its listing claims
    lastmod: datetime | None = None  # modification time its listing states
    force: bool = False  # load whatever its date: a retried failure or a streamed URL
    snapshot: str | None = None  # raw Wayback Machine snapshot, when the archive listed the URL


def plan_run(conn: Connection, run_id: int, work: Sequence[WorkItem], batch_size: int) -> int:
    """Write the run's work list in batches; return the number of batches."""
    rows = [
        {
            "r": run_id,
            "u": w.url,
            "c": w.claimed,
            "m": w.lastmod,
            "force": w.force,
            "snap": w.snapshot,
            "b": i // batch_size,
        }
        for i, w in enumerate(work)
    ]
    for i in range(0, len(rows), _CHUNK):
        conn.execute(
            sa.text(
                "insert into core.run_urls (run_id, url, claimed_published_at, lastmod, force,"
                " snapshot_url, batch) values (:r, :u, :c, :m, :force, :snap, :b) on conflict do nothing"
            ),
            rows[i : i + _CHUNK],
        )
    return (len(rows) + batch_size - 1) // batch_size


def batch_work(conn: Connection, run_id: int, batch: int) -> list[WorkItem]:
    rows = conn.execute(
        sa.text(
            "select url, claimed_published_at, lastmod, force, snapshot_url from core.run_urls"
            " where run_id = :r and batch = :b order by url"
        ),
        {"r": run_id, "b": batch},
    ).all()
    return [WorkItem(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def recorded_listings(
    conn: Connection, source_id: str, urls: Sequence[str]
) -> dict[str, tuple[datetime | None, datetime | None]]:
    """What listings have recorded about *urls*: (first claimed publication time, lastmod).

    Discovery streams its listings and keeps only URLs it may need; a claim or lastmod that rules
    a URL out may have passed before an undated listing of the same URL, so it is read back here.
    Only URLs with a claim or a lastmod are returned.
    """
    found: dict[str, tuple[datetime | None, datetime | None]] = {}
    for i in range(0, len(urls), _CHUNK):
        rows = conn.execute(
            sa.text(
                "select url, claimed_published_at, lastmod from core.discovered_urls where source_id = :s"
                " and url = any(:u) and (claimed_published_at is not null or lastmod is not null)"
            ),
            {"s": source_id, "u": list(urls[i : i + _CHUNK])},
        ).all()
        found.update({r[0]: (r[1], r[2]) for r in rows})
    return found


def loaded_urls(conn: Connection, source_id: str, urls: Sequence[str]) -> set[str]:
    """Which of *urls* are already loaded articles (by canonical or fetched URL)."""
    rows = conn.execute(
        sa.text(
            "select canonical_url from core.articles where source_id = :s and canonical_url = any(:u)"
            " union select url from core.articles where source_id = :s and url = any(:u)"
        ),
        {"s": source_id, "u": list(urls)},
    ).all()
    return {r[0] for r in rows}


def run_article_ids(conn: Connection, run_id: int) -> list[str]:
    """The articles a run's URLs ended up as (by fetched or canonical URL)."""
    rows = conn.execute(
        sa.text(
            "select a.article_id from core.run_urls r join core.articles a on a.url = r.url where r.run_id = :r"
            " union select a.article_id from core.run_urls r join core.articles a on a.canonical_url = r.url"
            " where r.run_id = :r"
            " union select u.article_id from core.run_urls r join core.article_urls u on u.url = r.url"
            " where r.run_id = :r"
        ),
        {"r": run_id},
    )
    return sorted(r[0] for r in rows)


# -- failures ------------------------------------------------------------------------------------


def record_failure(
    conn: Connection,
    source_id: str,
    url: str,
    stage: str,
    error: str,
    run_id: int | None,
    at: datetime,
    claimed: datetime | None = None,
) -> None:
    conn.execute(
        sa.text(
            "insert into core.fetch_failures (source_id, url, stage, error, attempts,"
            " first_failed_at, last_attempt_at, last_run_id, claimed_published_at)"
            " values (:s, :u, :st, :e, 1, :t, :t, :r, :c)"
            " on conflict (source_id, url) do update set stage = excluded.stage,"
            " error = excluded.error, last_attempt_at = excluded.last_attempt_at,"
            " last_run_id = excluded.last_run_id,"
            " attempts = case when core.fetch_failures.resolved_at is null"
            "   then core.fetch_failures.attempts + 1 else 1 end,"
            " first_failed_at = case when core.fetch_failures.resolved_at is null"
            "   then core.fetch_failures.first_failed_at else excluded.first_failed_at end,"
            " claimed_published_at = coalesce(excluded.claimed_published_at,"
            "   core.fetch_failures.claimed_published_at),"
            " resolved_at = null"
        ),
        {"s": source_id, "u": url, "st": stage, "e": error[:2000], "t": at, "r": run_id, "c": claimed},
    )


def resolve_failure(conn: Connection, source_id: str, url: str, at: datetime) -> None:
    conn.execute(
        sa.text(
            "update core.fetch_failures set resolved_at = :t where source_id = :s and url = :u"
            " and resolved_at is null"
        ),
        {"s": source_id, "u": url, "t": at},
    )


# -- articles -----------------------------------------------------------------------------------


def _author_id(name: str) -> str:
    return hashlib.sha256(name.casefold().encode()).hexdigest()[:16]


def load_article(
    conn: Connection,
    source: Source,
    article: Article,
    *,
    fetch_id: int | None,
    fetched_at: datetime,
    extractor: str,
) -> LoadOutcome:
    """Upsert one article by identity; add a version when title or body changed.

    The article is the one any of its URLs (page, same-site declared canonical, identity URL; see
    :mod:`pipeline.urls`) or its outlet id already names; otherwise a new one, keyed by its
    identity URL. Every URL is recorded in ``core.article_urls``. An AMP or print page of an
    article already loaded from its main page only adds its URL: the main page's text stays
    current, so fetching both never churns versions. Concurrent loaders of the same article
    serialize on a transaction-scoped advisory lock (on the identity), so two runs at once never
    duplicate an article or a version.
    """
    identity = article_identity(
        article.url,
        article.canonical_url,
        homepage=source.homepage,
        id_pattern=source.article_id_pattern,
        article_pattern=source.article_url_pattern,
    )
    lock_key = f"{article.source_id}:{identity.native_id or identity.key}"
    conn.execute(sa.text("select pg_advisory_xact_lock(hashtextextended(:k, 7))"), {"k": lock_key})
    aid = _known_article(conn, article.source_id, identity) or article_id_for(identity.key)
    current = conn.execute(
        sa.text(
            "select a.current_version, v.content_hash, a.url from core.articles a join core.article_versions v"
            " on v.article_id = a.article_id and v.version = a.current_version where a.article_id = :a"
        ),
        {"a": aid},
    ).first()
    meta = {
        "a": aid,
        "src": article.source_id,
        "cu": identity.canonical,
        "nid": identity.native_id,
        "url": article.url,
        "pub": article.published_at,
        "mod": article.modified_at,
        "lang": article.language,
        "dlang": article.declared_language,
        "sec": article.section,
        "tags": list(article.tags),
        "img": article.lead_image,
        "t": fetched_at,
        "fid": fetch_id,
    }
    version_row = {
        "a": aid,
        "title": article.title,
        "body": article.body,
        "wc": article.word_count,
        "h": article.content_hash,
        "authors": list(article.authors),
        "orgs": list(article.author_organizations),
        "ex": extractor,
        "t": fetched_at,
        "fid": fetch_id,
    }
    insert_version = sa.text(
        "insert into core.article_versions (article_id, version, title, body, word_count,"
        " content_hash, authors, author_organizations, extractor, fetched_at, fetch_id) values (:a,"
        " :v, :title, :body, :wc, :h, :authors, :orgs, :ex, :t, :fid)"
    )
    if current is None:
        conn.execute(
            sa.text(
                "insert into core.articles (article_id, source_id, canonical_url, url, published_at,"
                " modified_at, language, section, tags, lead_image, first_seen_at, last_fetched_at,"
                " current_version, last_fetch_id, native_id, declared_language) values (:a, :src, :cu,"
                " :url, :pub, :mod, :lang, :sec, :tags, :img, :t, :t, 1, :fid, :nid, :dlang)"
            ),
            meta,
        )
        conn.execute(insert_version, {**version_row, "v": 1})
        _set_authors(conn, aid, article)
        _record_urls(conn, aid, article.source_id, identity, fetched_at)
        return "new"
    _record_urls(conn, aid, article.source_id, identity, fetched_at)
    if identity.variant and not is_variant(current[2]):
        return "unchanged"  # an AMP/print rendering of an article loaded from its main page
    version, old_hash = int(current[0]), current[1]
    # metadata may change without a new version (tags, modified time); only real changes write
    conn.execute(
        sa.text(
            "update core.articles set url = :url, published_at = coalesce(:pub, published_at),"
            " modified_at = :mod, language = :lang, section = :sec, tags = :tags, lead_image = :img,"
            " declared_language = :dlang"
            " where article_id = :a and (url, published_at, modified_at, language, section, tags,"
            " lead_image, declared_language) is distinct from (:url, coalesce(:pub, published_at), :mod,"
            " :lang, :sec, cast(:tags as text[]), :img, :dlang)"
        ),
        meta,
    )
    if old_hash == article.content_hash:
        _refresh_bylines(conn, aid, version, article)
        return "unchanged"
    conn.execute(insert_version, {**version_row, "v": version + 1})
    conn.execute(
        sa.text(
            "update core.articles set current_version = :v, last_fetched_at = :t, last_fetch_id = :fid"
            " where article_id = :a"
        ),
        {**meta, "v": version + 1},
    )
    _set_authors(conn, aid, article)
    return "updated"


def _known_article(conn: Connection, source_id: str, identity: ArticleIdentity) -> str | None:
    """The loaded article one of the identity's URLs or its outlet id names, if any.

    The identity URL wins over other aliases, those over the outlet id; among equals the
    smallest id, so the answer never depends on row order (two rows an earlier version loaded
    separately for one article stay separate: ids are never silently re-keyed).
    """
    return conn.execute(
        sa.text(
            "select article_id from ("
            " select article_id, case when url = :key then 0 else 1 end as rank from core.article_urls"
            " where url = any(cast(:urls as text[]))"
            " union all select article_id, 2 from core.articles where source_id = :s and native_id = :n"
            ") found order by rank, article_id limit 1"
        ),
        {"key": identity.key, "urls": list(identity.aliases), "s": source_id, "n": identity.native_id},
    ).scalar()


def _record_urls(
    conn: Connection, article_id: str, source_id: str, identity: ArticleIdentity, at: datetime
) -> None:
    """Remember every URL that names the article (first mapping wins); set its outlet id once."""
    conn.execute(
        sa.text(
            "insert into core.article_urls (url, article_id, source_id, first_seen_at)"
            " values (:u, :a, :s, :t) on conflict (url) do nothing"
        ),
        [{"u": u, "a": article_id, "s": source_id, "t": at} for u in identity.aliases],
    )
    if identity.native_id is not None:
        conn.execute(
            sa.text(
                "update core.articles set native_id = :n where article_id = :a and native_id is null"
                " and not exists (select 1 from core.articles where source_id = :s and native_id = :n)"
            ),
            {"n": identity.native_id, "a": article_id, "s": source_id},
        )


def _refresh_bylines(conn: Connection, article_id: str, version: int, article: Article) -> None:
    """Correct the current version's bylines in place when only they changed.

    Bylines are not content (no new version), but a reprocess with a better byline parser must
    still fix them, e.g. move "Duvar English" from the people to the organisations.
    """
    changed = conn.execute(
        sa.text(
            "update core.article_versions set authors = :authors, author_organizations = :orgs"
            " where article_id = :a and version = :v"
            " and (authors, author_organizations) is distinct from (cast(:authors as text[]), cast(:orgs as text[]))"
        ),
        {
            "a": article_id,
            "v": version,
            "authors": list(article.authors),
            "orgs": list(article.author_organizations),
        },
    ).rowcount
    if changed:
        _set_authors(conn, article_id, article)


def _set_authors(conn: Connection, article_id: str, article: Article) -> None:
    """Link the article to its credited names: people first, then organisations, in byline order."""
    conn.execute(sa.text("delete from core.article_authors where article_id = :a"), {"a": article_id})
    credited = [(name, "person") for name in article.authors]
    credited += [(name, "organization") for name in article.author_organizations]
    for position, (name, kind) in enumerate(credited):
        author_id = _author_id(name)
        conn.execute(
            sa.text("insert into core.authors (author_id, name) values (:i, :n) on conflict do nothing"),
            {"i": author_id, "n": name},
        )
        conn.execute(
            sa.text(
                "insert into core.article_authors (article_id, author_id, position, kind)"
                " values (:a, :i, :p, :k) on conflict do nothing"
            ),
            {"a": article_id, "i": author_id, "p": position, "k": kind},
        )
