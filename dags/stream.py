"""
### Stream one news source: new articles in the warehouse within a minute

A feed watcher (`plugins/newspipe_watcher.py`, running in the triggerer) polls the source's
feeds and news sitemaps every `PIPELINE_WATCH_INTERVAL` seconds (60 by default, never faster
than the source's politeness delay) with conditional GETs, one shared poll per host. When it
sees article URLs it never saw before, it updates this DAG's `feed_<source>` Asset with the
URLs; the run fetches, parses, loads and annotates exactly those URLs.

The interval DAG (`ingest_<source>`) stays: it backfills, and its hourly runs reconcile
anything the stream missed. Both load through the same idempotent upserts, so running them
side by side never duplicates or loses an article.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, AssetWatcher, dag, task
from newspipe_dags import alert_on_failure, default_args
from newspipe_watcher import FeedWatcherTrigger, default_interval

from pipeline.config import settings
from pipeline.sources import Source, load_sources
from pipeline.stream import host_of, listing_urls


def build_stream_dag(source: Source):
    hosts = sorted({host_of(u) for u in listing_urls(source)})
    watchers = [
        AssetWatcher(
            name=f"watch_{source.id.replace('-', '_')}_{i}",
            trigger=FeedWatcherTrigger(source_id=source.id, host=host, poll_interval=default_interval()),
        )
        for i, host in enumerate(hosts)
    ]
    feed = Asset(
        name=f"feed_{source.id.replace('-', '_')}", uri=f"newspipe://feeds/{source.id}", watchers=watchers
    )

    @dag(
        dag_id="stream_" + source.id.replace("-", "_"),
        description=f"Load {source.name} articles as soon as its feeds list them",
        schedule=[feed],
        start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
        catchup=False,
        max_active_runs=4,
        tags=["stream", "source", source.id, source.language],
        doc_md=__doc__,
        on_failure_callback=alert_on_failure,
        default_args=default_args(
            retries=3,
            retry_delay=timedelta(seconds=10),
            max_retry_delay=timedelta(minutes=5),
            execution_timeout=timedelta(minutes=30),
        ),
    )
    def stream() -> None:
        @task(pool=source.pool)
        def load_new_urls(triggering_asset_events=None, run_id=None) -> dict:
            from datetime import datetime

            from pipeline import stream as streaming
            from pipeline import warehouse

            urls: list[str] = []
            seen: list[datetime] = []
            for events in (triggering_asset_events or {}).values():
                for event in events:
                    payload = (event.extra or {}).get("payload") or {}
                    urls.extend(payload.get("urls", []))
                    if payload.get("seen_at"):
                        seen.append(datetime.fromisoformat(payload["seen_at"]))
            if not urls:
                return {"urls": 0}
            return streaming.load_urls(
                warehouse.engine(), source, urls, seen_at=min(seen) if seen else None, airflow_run_id=run_id
            )

        load_new_urls()

    return stream()


for _source in load_sources(settings().sources_file):
    if _source.feeds or _source.sitemaps:
        globals()["stream_" + _source.id.replace("-", "_")] = build_stream_dag(_source)
