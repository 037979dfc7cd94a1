"""The ingest DAG end to end through Airflow's ``dag.test()``, two consecutive intervals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.support.registry import articles_in

pytestmark = pytest.mark.e2e


def _dag(dag_id: str):
    from airflow.dag_processing.dagbag import DagBag

    from tests.conftest import ROOT

    bag = DagBag(str(ROOT / "dags"))
    assert not bag.import_errors, bag.import_errors
    return bag.dags[dag_id]


def test_two_consecutive_intervals_through_dag_test(airflow_db, engine, registry, sites) -> None:
    site = sites["duvar"]
    dag = _dag("ingest_duvar_english")
    # hourly intervals: the seed article's (07:00-08:00 UTC) and the next one, then the first again
    first = datetime(2020, 1, 21, 7, tzinfo=UTC)
    second = datetime(2020, 1, 21, 8, tzinfo=UTC)
    intervals = []
    for run_after in (second, datetime(2020, 1, 21, 9, tzinfo=UTC), second):
        dagrun = dag.test(logical_date=run_after)  # a manual run covers the hour ending then
        assert dagrun.state == "success", dagrun
        intervals.append((dagrun.data_interval_start, dagrun.data_interval_end))
    assert intervals == [(first, second), (second, datetime(2020, 1, 21, 9, tzinfo=UTC)), (first, second)]

    with engine.connect() as conn:
        runs = (
            conn.execute(
                sa.text(
                    "select interval_start, interval_end, trigger, status, new, not_modified, airflow_run_id"
                    " from marts.ingest_runs order by run_id"
                )
            )
            .mappings()
            .all()
        )
        articles = (
            conn.execute(sa.text("select canonical_url, title, published_at, version from marts.articles"))
            .mappings()
            .all()
        )
    assert [(r["interval_start"], r["interval_end"]) for r in runs] == [
        (first, second),
        (second, datetime(2020, 1, 21, 9, tzinfo=UTC)),
        (first, second),
    ]
    assert all(r["trigger"] == "airflow" and r["status"] == "success" and r["airflow_run_id"] for r in runs)
    expected = articles_in(site, first.isoformat(), datetime(2020, 1, 21, 9, tzinfo=UTC).isoformat())
    assert {a["canonical_url"] for a in articles} == {site.base_url + e["canonical_path"] for e in expected}
    assert runs[0]["new"] + runs[1]["new"] == len(expected) >= 1
    assert runs[2]["new"] == 0 and runs[2]["not_modified"] == runs[0]["new"]
    seed = next(a for a in articles if "amor" in a["canonical_url"])
    assert seed["published_at"] == datetime(2020, 1, 21, 7, 15, tzinfo=UTC) and seed["version"] == 1
