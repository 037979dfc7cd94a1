"""Two tiny DAGs the alert tests run: one fails for good, one fails once and recovers on retry.

Both use the ingest DAGs' real failure callback. Loaded only by the tests (a separate bundle).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, task
from newspipe_dags import alert_on_failure


def build(dag_id: str, retries: int, fail_times: int):
    @dag(
        dag_id=dag_id,
        schedule=None,
        start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
        params={"source_id": "duvar-english"},
        on_failure_callback=alert_on_failure,
        default_args={"owner": "tests", "retries": retries, "retry_delay": timedelta(seconds=0)},
    )
    def flaky_dag() -> None:
        @task
        def flaky(ti=None) -> str:
            if ti.try_number <= fail_times:
                raise RuntimeError(f"boom on try {ti.try_number}")
            return "ok"

        flaky()

    return flaky_dag()


alert_fails = build("alert_fails", retries=1, fail_times=5)
alert_recovers = build("alert_recovers", retries=2, fail_times=1)
