"""Failure alerts: one summary line per failed run, posted to a webhook; none for retried successes."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipeline.alerts import summary_line

pytestmark = pytest.mark.e2e


@pytest.fixture
def webhook(monkeypatch):
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("PIPELINE_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/hook")
    yield received
    server.shutdown()


def test_summary_line_names_source_interval_and_what_failed() -> None:
    line = summary_line(
        dag_id="ingest_duvar_english",
        source_id="duvar-english",
        interval_start=datetime(2020, 1, 21, 7, tzinfo=UTC),
        interval_end=datetime(2020, 1, 21, 8, tzinfo=UTC),
        failed_tasks=["load_batch[2]", "finish"],
        reason="OperationalError: connection refused\nmore",
    )
    assert line == (
        "FAILED ingest_duvar_english source=duvar-english interval=[2020-01-21T07:00:00+00:00, "
        "2020-01-21T08:00:00+00:00) failed=2 (load_batch[2], finish) reason: OperationalError: connection refused"
    )


def _dag(dag_id: str):
    from airflow.dag_processing.dagbag import DagBag

    from tests.conftest import ROOT

    bag = DagBag(str(ROOT / "tests" / "airflow_dags"))
    assert not bag.import_errors, bag.import_errors
    return bag.dags[dag_id]


def test_failed_run_alerts_once_and_retried_success_not_at_all(airflow_db, webhook) -> None:
    failing = _dag("alert_fails")
    run = failing.test()
    assert run.state == "failed"
    assert len(webhook) == 1
    text = webhook[0]["text"]
    assert (
        text.startswith("FAILED alert_fails source=duvar-english interval=[") and "failed=1 (flaky)" in text
    )
    recovering = _dag("alert_recovers")
    assert recovering.test().state == "success"
    assert len(webhook) == 1  # no alert for a retried success
