"""The story-clustering DAG imports without connections and is wired like the enrich DAG."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dag():
    from airflow.dag_processing.dagbag import DagBag

    # an unreachable warehouse proves that parsing the DAG file opens no connection
    os.environ["WAREHOUSE_URL"] = "postgresql://nobody@127.0.0.1:9/nothing"
    try:
        bag = DagBag(str(ROOT / "dags" / "stories.py"))
    finally:
        os.environ.pop("WAREHOUSE_URL", None)
    assert bag.import_errors == {}
    return bag.dags["cluster_stories"]


def test_operating_metadata(dag) -> None:
    assert dag.doc_md and "marts.story_clusters" in dag.doc_md
    assert set(dag.tags) == {"stories", "dedup"}
    assert dag.max_active_runs == 1
    assert [t.task_id for t in dag.tasks] == ["cluster"]
    task = dag.get_task("cluster")
    assert task.owner == "newsroom-data" and task.retries >= 2 and task.retry_exponential_backoff


def test_scheduled_on_every_sources_articles_asset(dag) -> None:
    from pipeline.config import settings
    from pipeline.sources import load_sources

    expected = {s.asset_uri for s in load_sources(settings().sources_file)}
    assert _uris(dag.timetable.asset_condition) == expected


def _uris(condition) -> set[str]:
    """The URIs of the Assets in a schedule condition (``a | b | ...`` nests AssetAny objects)."""
    if hasattr(condition, "objects"):
        return set().union(*(_uris(o) for o in condition.objects))
    return {condition.uri}
