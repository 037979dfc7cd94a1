"""Reprocessing: re-derive articles, entities and events from the raw zone, without refetching.

After a parser or model upgrade, :func:`reprocess` re-parses the newest stored body of every
URL of a source whose article was published in a range (and of URLs whose parsing failed),
loads the results through the same idempotent upsert (a page that now parses differently gets a
new version; one that does not changes nothing), then re-annotates the range.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pipeline import load
from pipeline.decoding import decode
from pipeline.ingest import process_page
from pipeline.records import FetchResult
from pipeline.sources import Source

_LATEST_BODIES = """
with targets as (
    select c.url from core.articles c
    where c.source_id = :s and c.published_at >= :since and c.published_at < :until
    union
    select f.url from core.fetch_failures f
    where f.source_id = :s and f.resolved_at is null and f.stage in ('parse', 'normalize')
)
select distinct on (f.url) f.fetch_id, f.url, f.final_url, f.headers, f.fetched_at, f.sha256, f.encoding
from raw.fetches f join targets t using (url)
where f.source_id = :s and f.status = 200 and f.sha256 is not null and f.kind = 'article'
order by f.url, f.fetched_at desc
"""


def reprocess(
    eng: Engine,
    source: Source,
    since: datetime,
    until: datetime,
    *,
    annotate: bool = True,
    batch_size: int = 50,
) -> dict[str, int]:
    """Re-parse and reload from raw bodies; then re-annotate the range (atomically)."""
    counts: Counter[str] = Counter()
    with eng.connect() as conn:
        rows = (
            conn.execute(sa.text(_LATEST_BODIES), {"s": source.id, "since": since, "until": until})
            .mappings()
            .all()
        )
    with eng.begin() as conn:
        run_id = load.start_run(conn, source.id, since, until, "reprocess")
    for i in range(0, len(rows), batch_size):
        with eng.begin() as conn:
            for row in rows[i : i + batch_size]:
                body = load.body(conn, row["sha256"])
                headers = dict(row["headers"] or {})
                text, encoding = decode(body, headers.get("content-type"))
                result = FetchResult(
                    row["url"],
                    row["final_url"],
                    200,
                    headers,
                    body,
                    row["fetched_at"],
                    text=text,
                    encoding=encoding,
                )
                article, extractor, stage, error = process_page(source, result)
                counts["reparsed"] += 1
                if article is None:
                    counts["failed"] += 1
                    load.record_failure(conn, source.id, row["url"], stage, error, run_id, row["fetched_at"])
                    continue
                outcome = load.load_article(
                    conn,
                    source,
                    article,
                    fetch_id=row["fetch_id"],
                    fetched_at=row["fetched_at"],
                    extractor=extractor,
                )
                counts[outcome] += 1
                load.resolve_failure(conn, source.id, row["url"], row["fetched_at"])
            load.add_counts(
                conn,
                run_id,
                {k: v for k, v in counts.items() if k in ("new", "updated", "unchanged", "failed")},
            )
    with eng.begin() as conn:
        load.finish_run(conn, run_id, "success")
    summary = dict(counts)
    summary["run_id"] = run_id
    if annotate:
        from pipeline import enrich

        summary["reannotated"] = enrich.reannotate(eng, since, until)["versions"]
    return summary
