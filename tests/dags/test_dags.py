"""Every DAG imports cleanly, without connections, and carries its operating metadata."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    # an unreachable warehouse proves that parsing DAG files opens no connection
    os.environ["WAREHOUSE_URL"] = "postgresql://nobody@127.0.0.1:9/nothing"
    try:
        return DagBag(str(ROOT / "dags"))
    finally:
        os.environ.pop("WAREHOUSE_URL", None)


def test_no_import_errors(dagbag) -> None:
    assert dagbag.import_errors == {}


def test_one_ingest_dag_per_source(dagbag) -> None:
    from pipeline.config import settings
    from pipeline.sources import load_sources

    expected = {s.dag_id for s in load_sources(settings().sources_file)}
    assert expected <= set(dagbag.dags)
    assert "ingest_duvar_english" in dagbag.dags


def test_operating_metadata(dagbag) -> None:
    for dag_id, dag in dagbag.dags.items():
        assert dag.doc_md and len(dag.doc_md) > 100, dag_id
        assert dag.tags, dag_id
        assert dag.max_active_runs and dag.max_active_runs <= 16, dag_id
        for task in dag.tasks:
            assert task.owner not in (None, "", "airflow"), (dag_id, task.task_id)
            assert task.retries >= 2, (dag_id, task.task_id)
            assert task.retry_exponential_backoff, (dag_id, task.task_id)


def test_ingest_dag_shape(dagbag) -> None:
    dag = dagbag.dags["ingest_duvar_english"]
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert {t.task_id for t in dag.tasks} == {
        "discover",
        "batches",
        "load_batch",
        "finish",
        "quality_checks",
        "volume_check",
    }
    assert dag.get_task("load_batch").pool == "source_duvar_english"
    outlets = dag.get_task("finish").outlets
    assert [o.uri for o in outlets] == ["newspipe://warehouse/articles/duvar-english"]


def test_registry_override_generates_dags(tmp_path: Path) -> None:
    registry = tmp_path / "sources.yml"
    registry.write_text(
        textwrap.dedent("""
        sources:
          - id: local-news
            name: Local News
            homepage: http://127.0.0.1:1/
            language: en
            timezone: UTC
            feeds: [http://127.0.0.1:1/rss]
            article_url_pattern: '/a/'
            schedule: '@daily'
            allow_private_network: true
    """)
    )
    code = (
        "from airflow.dag_processing.dagbag import DagBag;"
        f"b = DagBag({str(ROOT / 'dags')!r});"
        "assert not b.import_errors, b.import_errors;"
        "print(sorted(d for d in b.dags if d.startswith('ingest_')))"
    )
    env = {**os.environ, "PIPELINE_SOURCES_FILE": str(registry)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "['ingest_local_news']"
