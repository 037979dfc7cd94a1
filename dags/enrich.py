"""
### Enrich articles: entities, political events and quotes

Scheduled on the articles Assets of every ingest DAG: whenever any source loads articles, this
DAG annotates every article version the current extractor (spaCy model + knowledge base +
rules) has not annotated yet, in batches (`nlp.pipe`), and loads entity mentions, coded events
and quotes into the warehouse (`marts.entities`, `marts.entity_mentions`, `marts.events`,
`marts.quotes`, ...).

**Re-annotation** after a model or knowledge-base change: trigger the DAG with
`{"since": "2020-01-01", "until": "2020-02-01", "reannotate": true}`; the range is re-derived
and its rows swapped in one transaction. Same from the CLI:
`python -m pipeline enrich --since 2020-01-01 --until 2020-02-01 --reannotate`.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, task
from newspipe_dags import after_any_ingest, alert_on_failure, date_params, date_range, default_args


@dag(
    dag_id="enrich_articles",
    description="Annotate new article versions with entities, events and quotes",
    schedule=after_any_ingest(),
    start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # one annotator at a time: batches select what is still pending
    tags=["enrich", "nlp"],
    doc_md=__doc__,
    on_failure_callback=alert_on_failure,
    default_args=default_args(
        retries=2,
        retry_delay=timedelta(minutes=1),
        max_retry_delay=timedelta(minutes=15),
        execution_timeout=timedelta(hours=6),
    ),
    params={
        **date_params("re-annotate"),
        "reannotate": Param(False, type="boolean", description="re-derive the range even if up to date"),
    },
)
def enrich_articles() -> None:
    @task
    def annotate(params=None) -> dict:
        from pipeline import enrich, warehouse

        eng = warehouse.engine()
        warehouse.migrate(eng)
        since, until = date_range(params)
        if params and params.get("reannotate"):
            if not (since and until):
                raise ValueError("reannotate needs both 'since' and 'until'")
            return enrich.reannotate(eng, since, until)
        return enrich.enrich_pending(eng, since=since, until=until)

    annotate()


enrich_articles()
