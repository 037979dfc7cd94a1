"""
### Ingest one news source, interval by interval

One DAG per source in the registry (`sources.yml`, or `PIPELINE_SOURCES_FILE`). Each run handles
exactly its data interval `[data_interval_start, data_interval_end)`:

1. **discover** reads the source's feeds and sitemaps and plans the URLs published in the interval
   (plus earlier failures due for a retry) into batches;
2. **load_batch** (mapped over batches, in the source's politeness pool) fetches, parses and loads
   each batch in one transaction;
3. **finish** closes the run's `ingest_runs` row and updates the source's articles Asset, which
   the enrichment DAG is scheduled on.

Backfill a range from the UI (Trigger ▸ Backfill) or the CLI:
`airflow backfill create --dag-id ingest_duvar_english --from-date 2020-01-01 --to-date 2020-01-31`.
Every article published in the range is loaded once; rerunning a range changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.providers.common.sql.operators.sql import SQLCheckOperator
from airflow.sdk import CronDataIntervalTimetable, dag, task
from newspipe_dags import alert_on_failure, articles_asset, default_args

from pipeline.config import settings
from pipeline.quality import checks_sql
from pipeline.sources import Source, load_sources

WAREHOUSE_CONN_ID = "newspipe_warehouse"  # AIRFLOW_CONN_NEWSPIPE_WAREHOUSE (make run sets it)


def build_ingest_dag(source: Source):
    @dag(
        dag_id=source.dag_id,
        description=f"Ingest {source.name} ({source.homepage}) into the warehouse",
        schedule=CronDataIntervalTimetable(source.schedule, timezone="UTC"),
        start_date=pendulum.parse(source.start_date, tz="UTC"),
        catchup=False,  # backfills are explicit: `airflow backfill create` or the UI dialog
        max_active_runs=4,
        max_active_tasks=8,
        tags=["ingest", "source", source.id, source.language],
        doc_md=__doc__,
        default_args=default_args(
            retries=3,
            retry_delay=timedelta(seconds=30),
            max_retry_delay=timedelta(minutes=10),
            execution_timeout=timedelta(hours=1),
        ),
        params={"source_id": source.id},
        on_failure_callback=alert_on_failure,
    )
    def ingest() -> None:
        @task
        def discover(data_interval_start=None, data_interval_end=None, run_id=None) -> dict:
            from pipeline import ingest, warehouse

            eng = warehouse.engine()
            warehouse.migrate(eng)
            plan = ingest.discover(
                eng, source, data_interval_start, data_interval_end, trigger="airflow", airflow_run_id=run_id
            )
            return {
                "run_id": plan.run_id,
                "discovered": plan.discovered,
                "retries": plan.retries,
                "batches": plan.batches,
            }

        @task
        def batches(plan: dict) -> list[int]:
            return plan["batches"]

        @task(pool=source.pool, retries=2)
        def load_batch(batch: int, plan: dict) -> dict:
            from pipeline import ingest, warehouse

            return ingest.load_batch(warehouse.engine(), source, plan["run_id"], batch)

        @task(trigger_rule="none_failed", outlets=[articles_asset(source)])
        def finish(plan: dict, counts: list[dict] | None = None) -> dict:
            from pipeline import ingest, warehouse

            return ingest.finish(warehouse.engine(), plan["run_id"])

        @task(trigger_rule="none_failed")
        def volume_check(data_interval_end=None) -> str:
            """At each day boundary: warn when the source went quiet (below its trailing median)."""
            from pipeline import quality, warehouse
            from pipeline.alerts import notify

            if (data_interval_end.hour, data_interval_end.minute) != (0, 0):
                return "not a day boundary"
            volume = quality.daily_volume(warehouse.engine(), source.id, data_interval_end)
            if volume.quiet:
                notify(volume.message())
            return volume.message()

        quality_checks = SQLCheckOperator(
            task_id="quality_checks",
            conn_id=WAREHOUSE_CONN_ID,
            sql=checks_sql("{{ ti.xcom_pull(task_ids='discover')['run_id'] }}"),
            doc_md="No missing title, body or published time, nothing published in the future, "
            "sane body lengths, unique canonical URLs: over the articles this run loaded.",
        )

        plan = discover()
        counts = load_batch.partial(plan=plan).expand(batch=batches(plan))
        finish(plan, counts) >> [quality_checks, volume_check()]

    return ingest()


for _source in load_sources(settings().sources_file):
    globals()[_source.dag_id] = build_ingest_dag(_source)
