"""
### Reprocess a source from the raw zone

Re-derives parsed articles, entities and events for one source and a publication-date range
from the stored raw fetches, without refetching anything: run it after a parser, model or
knowledge-base upgrade. Articles whose text now parses differently get a new version; the
range's annotations are swapped atomically. Same from the CLI:
`python -m pipeline reprocess --source duvar-english --since 2020-01-01 --until 2020-02-01`.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, task
from newspipe_dags import alert_on_failure, default_args

from pipeline.config import settings
from pipeline.sources import load_sources

_SOURCE_IDS = [s.id for s in load_sources(settings().sources_file)]


@dag(
    dag_id="reprocess",
    description="Re-derive articles, entities and events from the raw zone (no refetching)",
    schedule=None,
    start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["reprocess", "maintenance"],
    doc_md=__doc__,
    on_failure_callback=alert_on_failure,
    default_args=default_args(
        retries=2, retry_delay=timedelta(minutes=1), execution_timeout=timedelta(hours=12)
    ),
    params={
        "source": Param(
            _SOURCE_IDS[0] if _SOURCE_IDS else "", enum=_SOURCE_IDS or [""], description="source id"
        ),
        "since": Param("2020-01-01", type="string", format="date", description="published at or after (UTC)"),
        "until": Param("2020-02-01", type="string", format="date", description="published before (UTC)"),
        "annotate": Param(True, type="boolean", description="re-annotate the range after re-parsing"),
    },
)
def reprocess() -> None:
    @task
    def reprocess_range(params=None) -> dict:
        from pipeline import reprocess as rp
        from pipeline import warehouse
        from pipeline.normalize import require_time
        from pipeline.sources import get_source

        source = get_source(load_sources(settings().sources_file), params["source"])
        eng = warehouse.engine()
        warehouse.migrate(eng)
        return rp.reprocess(
            eng,
            source,
            require_time(params["since"]),
            require_time(params["until"]),
            annotate=bool(params["annotate"]),
        )

    reprocess_range()


reprocess()
