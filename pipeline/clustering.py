"""Incremental story clustering in the warehouse (the shell around :mod:`pipeline.stories`).

:func:`cluster_stories` takes the articles whose current version has no signature yet (new
articles, new versions, or signatures of an older method), in publication order, in batches of
one transaction each. For every article it

1. stores its MinHash signature and LSH band keys (``core.story_signatures``, ``core.story_bands``);
2. finds candidates by a band-key join in SQL: articles sharing a band key and published within
   :data:`~pipeline.stories.WINDOW_DAYS` days;
3. verifies them by estimated Jaccard similarity and joins the cluster of the most similar
   candidate clustered before it (an earlier run, or earlier in this run), or founds its own
   cluster, named after itself (``core.story_members``).

The rule, and why it is incremental and idempotent: an article is placed once, when it is first
signed, and keeps its place; later articles never move earlier ones. Runs take articles in
publication order (then id), so clustering a fixed set of articles gives the same clusters
whatever the batch size, and a rerun finds nothing to do and writes nothing. A new version of an
article re-signs and re-places it alone (a founder whose cluster has other members stays put, as
its id names the cluster). Articles arriving late (a backfill) join existing clusters, newer or
older, so the result can depend on arrival order only for chains of articles that are each
similar to the next but not to each other.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from pipeline import stories

log = logging.getLogger(__name__)

BATCH_SIZE = 500
_LOCK = 0x5709_C1A5  # one clustering transaction at a time (a DAG run and a CLI run may overlap)


@dataclass(frozen=True)
class _Pending:
    article_id: str
    version: int
    sort_time: float
    signature: stories.Signature


def cluster_stories(
    eng: Engine,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Sign and cluster every article (published in ``[since, until)``, if given) not yet done.

    Returns counts: ``signed`` (signatures written), ``founded`` (new clusters), ``joined``
    (articles that joined an existing cluster), ``kept`` (re-signed founders that stayed).
    """
    totals: Counter[str] = Counter()
    while True:
        with eng.begin() as conn:
            conn.execute(sa.text("select pg_advisory_xact_lock(:k)"), {"k": _LOCK})
            batch = _pending(conn, since, until, batch_size)
            if not batch:
                break
            totals.update(_cluster_batch(conn, batch))
        if progress:
            progress(len(batch))
    return {k: totals.get(k, 0) for k in ("signed", "founded", "joined", "kept")}


def _pending(conn: Connection, since: datetime | None, until: datetime | None, limit: int) -> list[_Pending]:
    """The next articles to sign, in publication order: unsigned, new version or old method."""
    where = ["(s.article_id is null or s.version <> a.current_version or s.method <> :method)"]
    if since is not None:
        where.append("coalesce(a.published_at, a.first_seen_at) >= :since")
    if until is not None:
        where.append("coalesce(a.published_at, a.first_seen_at) < :until")
    rows = conn.execute(
        sa.text(
            "select a.article_id, a.current_version,"
            " extract(epoch from coalesce(a.published_at, a.first_seen_at)) as t, v.body"
            " from core.articles a"
            " join core.article_versions v on v.article_id = a.article_id and v.version = a.current_version"
            " left join core.story_signatures s on s.article_id = a.article_id"
            f" where {' and '.join(where)}"
            " order by coalesce(a.published_at, a.first_seen_at), a.article_id limit :limit"
        ),
        {"method": stories.METHOD, "since": since, "until": until, "limit": limit},
    ).all()
    return [_Pending(r[0], int(r[1]), float(r[2]), stories.signature(r[3])) for r in rows]


def _cluster_batch(conn: Connection, batch: Sequence[_Pending]) -> Counter[str]:
    _store_signatures(conn, batch)
    ids = [p.article_id for p in batch]
    candidates = _candidates(conn, ids)
    outside = _clustered(conn, {c for cs in candidates.values() for c in cs} - set(ids))
    founders = _founders_with_members(conn, ids)
    placed: dict[str, str] = {}  # article id -> cluster id, for this batch's articles done so far
    choices: list[tuple[str, stories.Assignment]] = []
    counts: Counter[str] = Counter(signed=len(batch))
    by_id = {p.article_id: p for p in batch}
    for p in batch:
        if p.article_id in founders:
            placed[p.article_id] = p.article_id
            counts["kept"] += 1
            continue
        options = []
        for c in candidates.get(p.article_id, ()):
            if c in placed:
                options.append(
                    stories.Candidate(
                        c, placed[c], stories.similarity(p.signature, by_id[c].signature), by_id[c].sort_time
                    )
                )
            elif c in outside:
                cluster_id, sig, sort_time = outside[c]
                options.append(
                    stories.Candidate(c, cluster_id, stories.similarity(p.signature, sig), sort_time)
                )
        choice = stories.choose_cluster(p.article_id, options)
        placed[p.article_id] = choice.cluster_id
        counts["joined" if choice.matched_article_id else "founded"] += 1
        choices.append((p.article_id, choice))
    _place(conn, choices)
    return counts


def _store_signatures(conn: Connection, batch: Sequence[_Pending]) -> None:
    """Upsert the batch's signatures and replace their band keys (one statement each: unnest)."""
    ids = [p.article_id for p in batch]
    conn.execute(
        sa.text(
            "insert into core.story_signatures (article_id, version, method, minhash, shingles)"
            " select a, v, :m, h, n from unnest(cast(:ids as text[]), cast(:versions as integer[]),"
            " cast(:hashes as bytea[]), cast(:shingles as integer[])) as t(a, v, h, n)"
            " on conflict (article_id) do update set version = excluded.version,"
            " method = excluded.method, minhash = excluded.minhash, shingles = excluded.shingles"
        ),
        {
            "ids": ids,
            "versions": [p.version for p in batch],
            "hashes": [p.signature.to_bytes() for p in batch],
            "shingles": [p.signature.shingles for p in batch],
            "m": stories.METHOD,
        },
    )
    conn.execute(sa.text("delete from core.story_bands where article_id = any(:ids)"), {"ids": ids})
    bands = [
        (p.article_id, band, key) for p in batch for band, key in enumerate(stories.band_keys(p.signature))
    ]
    if bands:
        conn.execute(
            sa.text(
                "insert into core.story_bands (article_id, band, band_key) select * from"
                " unnest(cast(:a as text[]), cast(:b as smallint[]), cast(:k as bigint[]))"
            ),
            {"a": [b[0] for b in bands], "b": [b[1] for b in bands], "k": [b[2] for b in bands]},
        )


def _candidates(conn: Connection, ids: list[str]) -> dict[str, list[str]]:
    """Articles sharing a band key with each of *ids* and published within the window."""
    rows = conn.execute(
        sa.text(
            "select distinct b.article_id, c.article_id from core.story_bands b"
            " join core.story_bands c on c.band = b.band and c.band_key = b.band_key"
            "  and c.article_id <> b.article_id"
            " join core.articles x on x.article_id = b.article_id"
            " join core.articles y on y.article_id = c.article_id"
            " where b.article_id = any(:ids)"
            "  and abs(extract(epoch from coalesce(x.published_at, x.first_seen_at)"
            "   - coalesce(y.published_at, y.first_seen_at))) <= :window"
            " order by 1, 2"
        ),
        {"ids": ids, "window": stories.WINDOW_DAYS * 86400},
    ).all()
    found: dict[str, list[str]] = {}
    for article_id, candidate in rows:
        found.setdefault(article_id, []).append(candidate)
    return found


def _clustered(conn: Connection, ids: set[str]) -> dict[str, tuple[str, stories.Signature, float]]:
    """Cluster, signature and publication time of the already clustered articles among *ids*."""
    if not ids:
        return {}
    rows = conn.execute(
        sa.text(
            "select m.article_id, m.cluster_id, s.minhash, s.shingles,"
            " extract(epoch from coalesce(a.published_at, a.first_seen_at))"
            " from core.story_members m join core.story_signatures s using (article_id)"
            " join core.articles a using (article_id)"
            " where m.article_id = any(:ids) and s.method = :method"
        ),
        {"ids": sorted(ids), "method": stories.METHOD},
    ).all()
    return {r[0]: (r[1], stories.Signature.from_bytes(bytes(r[2]), int(r[3])), float(r[4])) for r in rows}


def _founders_with_members(conn: Connection, ids: list[str]) -> set[str]:
    """Those of *ids* that founded a cluster other articles have joined: they stay its founder."""
    rows = conn.execute(
        sa.text(
            "select distinct cluster_id from core.story_members"
            " where cluster_id = any(:ids) and article_id <> cluster_id"
        ),
        {"ids": ids},
    )
    return {r[0] for r in rows}


def _place(conn: Connection, choices: Sequence[tuple[str, stories.Assignment]]) -> None:
    """Write the articles' clusters; an unchanged placement writes nothing."""
    if not choices:
        return
    conn.execute(
        sa.text(
            "insert into core.story_members (article_id, cluster_id, similarity, matched_article_id)"
            " select * from unnest(cast(:a as text[]), cast(:c as text[]), cast(:s as real[]),"
            " cast(:m as text[])) on conflict (article_id) do update set cluster_id = excluded.cluster_id,"
            " similarity = excluded.similarity, matched_article_id = excluded.matched_article_id"
            " where (core.story_members.cluster_id, core.story_members.similarity,"
            "  core.story_members.matched_article_id) is distinct from"
            "  (excluded.cluster_id, excluded.similarity, excluded.matched_article_id)"
        ),
        {
            "a": [article_id for article_id, _ in choices],
            "c": [c.cluster_id for _, c in choices],
            "s": [c.similarity for _, c in choices],
            "m": [c.matched_article_id for _, c in choices],
        },
    )
