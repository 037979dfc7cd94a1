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

import pendulum
from airflow.sdk import dag, task
from newspipe_dags import after_any_ingest, alert_on_failure, date_params, date_range, default_args


@dag(
    dag_id="cluster_stories",
    description="Group near-duplicate articles across sources into story clusters",
    schedule=after_any_ingest(),
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
    params=date_params("only"),
)
def cluster_stories() -> None:
    @task
    def cluster(params=None) -> dict:
        from pipeline import clustering, warehouse

        eng = warehouse.engine()
        warehouse.migrate(eng)
        since, until = date_range(params)
        return clustering.cluster_stories(eng, since=since, until=until)

    cluster()


cluster_stories()
