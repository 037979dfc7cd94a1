"""
### Cluster stories: one story, counted once

Scheduled on the articles Assets of every ingest DAG: whenever any source loads articles, this
DAG signs every article version not signed yet (MinHash of its body's 3-word shingles) and
places it in a story cluster: the cluster of its most similar earlier-clustered article
(estimated Jaccard >= 0.5, published within 7 days), or a new one. Syndicated wire copy that
several outlets lightly edited lands in one cluster; analysts count distinct stories with
`select count(distinct cluster_id) from marts.story_clusters` or read `marts.stories`.

Incremental and idempotent: already clustered articles are never moved, a rerun writes nothing.
Same from the CLI: `python -m pipeline cluster [--since 2020-01-01 --until 2020-02-01]`.
"""

from __future__ import annotations

from datetime import timedelta
from functools import reduce

import pendulum
from airflow.sdk import Asset, Param, dag, task
from newspipe_dags import alert_on_failure, default_args

from pipeline.config import settings
from pipeline.sources import load_sources

_assets = [Asset(name=s.asset_name, uri=s.asset_uri) for s in load_sources(settings().sources_file)]


@dag(
    dag_id="cluster_stories",
    description="Group near-duplicate articles across sources into story clusters",
    schedule=reduce(lambda a, b: a | b, _assets) if _assets else None,
    start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # clustering places articles in publication order, one run at a time
    tags=["stories", "dedup"],
    doc_md=__doc__,
    on_failure_callback=alert_on_failure,
    default_args=default_args(
        retries=2,
        retry_delay=timedelta(minutes=1),
        max_retry_delay=timedelta(minutes=15),
        execution_timeout=timedelta(hours=2),
    ),
    params={
        "since": Param(None, type=["null", "string"], format="date", description="only from (UTC date)"),
        "until": Param(None, type=["null", "string"], format="date", description="only until (exclusive)"),
    },
)
def cluster_stories() -> None:
    @task
    def cluster(params=None) -> dict:
        from pipeline import clustering, warehouse
        from pipeline.normalize import require_time

        eng = warehouse.engine()
        warehouse.migrate(eng)
        since = require_time(params["since"]) if params and params.get("since") else None
        until = require_time(params["until"]) if params and params.get("until") else None
        return clustering.cluster_stories(eng, since=since, until=until)

    cluster()


cluster_stories()
