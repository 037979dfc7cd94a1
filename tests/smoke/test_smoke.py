"""Smoke suite (make smoke): the real stack, a backfill through the Airflow CLI, the streaming path.

Not part of `make test` (it takes minutes): Airflow standalone runs against the embedded
warehouse and the fixture sites, exactly as `make run` starts it.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tests.support.publish import publish_article
from tests.support.registry import articles_in
from tests.support.stack import Stack

pytestmark = pytest.mark.smoke
SEED_PATH = "/politics/ep-rapporteur-amor-congratulates-imamoglu-twice-news-48920"


@pytest.fixture(scope="module")
def stack():
    with Stack(["duvar", "bianet"]) as running:
        yield running


def test_backfill_three_days_through_the_airflow_cli(stack) -> None:
    result = stack.airflow(
        "backfill",
        "create",
        "--dag-id",
        "ingest_duvar_english",
        "--from-date",
        "2020-01-20",
        "--to-date",
        "2020-01-22",
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    wanted = {"2020-01-20", "2020-01-21", "2020-01-22"}
    stack.wait_for(
        "select interval_start from marts.ingest_runs where trigger = 'airflow' and status = 'success'"
        " and source_id = 'duvar-english'",
        lambda rows: wanted <= {r["interval_start"].date().isoformat() for r in rows},
        timeout=900,
    )
    site = stack.sites["duvar"]
    expected = {site.base_url + e["canonical_path"] for e in articles_in(site, "2020-01-20", "2020-01-23")}
    loaded = {
        r["canonical_url"]
        for r in stack.query(
            "select canonical_url from marts.articles where source_id = 'duvar-english'"
            " and published_at >= '2020-01-20' and published_at < '2020-01-23'"
        )
    }
    assert loaded == expected
    # enrichment follows the ingest Asset
    stack.wait_for(
        "select count(*) as n from marts.entity_mentions", lambda rows: rows[0]["n"] > 0, timeout=600
    )


def test_streaming_publishes_within_minutes(stack) -> None:
    site = stack.sites["duvar"]
    # let the watcher's first poll settle (everything listed so far is known)
    time.sleep(stack.watch_interval * 2)
    published = datetime.now(UTC).replace(microsecond=0)
    path = publish_article(site, SEED_PATH, 700, published)
    rows = stack.wait_for(
        "select l.* from marts.article_latency l join marts.articles a using (article_id) where a.canonical_url = :u"
        " and l.annotated_at is not null",
        lambda rows: len(rows) == 1,
        timeout=300,
        u=site.base_url + path,
    )
    assert rows[0]["seen_by"] == "watcher"
    assert rows[0]["lag_seconds"] < 300
    health = stack.query("select * from marts.source_health where source_id = 'duvar-english'")[0]
    assert health["articles_24h"] >= 1


def test_ui_answers_and_lists_the_dags(stack) -> None:
    import requests

    base = f"http://127.0.0.1:{stack.port}"
    token = requests.post(
        f"{base}/auth/token", json={"username": "admin", "password": stack.password}, timeout=30
    ).json()
    dags = requests.get(
        f"{base}/api/v2/dags", headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=30
    ).json()
    ids = {d["dag_id"] for d in dags["dags"]}
    assert {
        "ingest_duvar_english",
        "ingest_bianet_english",
        "stream_duvar_english",
        "enrich_articles",
        "cluster_stories",
        "reprocess",
    } <= ids
