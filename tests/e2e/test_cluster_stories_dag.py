"""The story-clustering DAG through ``dag.test()`` on articles ingested from a fixture site."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from pipeline import ingest
from pipeline.config import settings
from pipeline.sources import get_source, load_sources

pytestmark = pytest.mark.e2e


def test_cluster_dag_places_every_article_once(airflow_db, engine, registry) -> None:
    from airflow.dag_processing.dagbag import DagBag

    from tests.conftest import ROOT

    src = get_source(load_sources(settings().sources_file), "duvar-english")
    ingest.run_interval(engine, src, datetime(2020, 1, 20, tzinfo=UTC), datetime(2020, 1, 24, tzinfo=UTC))
    dag = DagBag(str(ROOT / "dags" / "stories.py")).dags["cluster_stories"]
    assert dag.test().state == "success"
    query = sa.text(
        "select (select count(*) from core.articles), (select count(*) from marts.story_clusters),"
        " (select count(*) from core.story_signatures), (select count(distinct cluster_id) from marts.story_clusters)"
    )
    with engine.connect() as conn:
        articles, members, signed, stories = conn.execute(query).one()
    assert articles == members == signed > 0
    # distinct fixture articles are distinct stories
    assert stories == articles
    assert dag.test().state == "success"  # a second run finds nothing to do
    with engine.connect() as conn:
        assert conn.execute(query).one() == (articles, members, signed, stories)
