"""The enrichment DAG through ``dag.test()``, and the annotate CLI as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from pipeline import ingest
from pipeline.config import settings
from pipeline.sources import get_source, load_sources

pytestmark = pytest.mark.e2e
SEED = (
    __import__("pathlib").Path(__file__).resolve().parents[3]
    / "shared"
    / "seed"
    / "duvar-english-amor-imamoglu.txt"
)


def test_enrich_dag_annotates_then_reannotates_by_params(airflow_db, engine, registry) -> None:
    from airflow.dag_processing.dagbag import DagBag

    from tests.conftest import ROOT

    src = get_source(load_sources(settings().sources_file), "duvar-english")
    ingest.run_interval(engine, src, datetime(2020, 1, 21, tzinfo=UTC), datetime(2020, 1, 22, tzinfo=UTC))
    bag = DagBag(str(ROOT / "dags"))
    assert not bag.import_errors
    dag = bag.dags["enrich_articles"]
    assert dag.get_task("annotate").owner == "newsroom-data"
    run = dag.test()
    assert run.state == "success"
    with engine.connect() as conn:
        n_versions = conn.execute(sa.text("select count(*) from core.article_versions")).scalar_one()
        annotated = conn.execute(sa.text("select count(*), min(annotated_at) from core.annotations")).one()
    assert annotated[0] == n_versions > 0
    run = dag.test(run_conf={"since": "2020-01-21", "until": "2020-01-22", "reannotate": True})
    assert run.state == "success"
    with engine.connect() as conn:
        again = conn.execute(sa.text("select count(*), min(annotated_at) from core.annotations")).one()
    assert again[0] == annotated[0] and again[1] > annotated[1]


def test_annotate_cli_reads_json_lines_and_keeps_order() -> None:
    text = SEED.read_text(encoding="utf-8").split("\n", 1)[1].strip()
    lines = [
        json.dumps(
            {"id": "seed", "text": text, "published_at": "2020-01-21T07:15:00Z", "title": "Amor visits"}
        ),
        json.dumps({"id": 7, "text": "CHP leader Kılıçdaroğlu criticized the AKP government in Ankara."}),
        "this is not json",
        json.dumps({"id": "empty", "text": ""}),
    ]
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "annotate"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    assert out.returncode == 1 and "line 3" in out.stderr  # the bad line is reported, the rest done
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in records] == ["seed", "7", None, "empty"]
    seed = records[0]
    assert set(seed) >= {"id", "entities", "events", "quotes"}
    for entity in seed["entities"]:
        assert set(entity) >= {"name", "type", "wikidata_id", "mentions"}
        for m in entity["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    people = [e["name"] for e in seed["entities"] if e["type"] == "PERSON"]
    assert sum("mamoğlu" in p for p in people) == 1 and sum("Amor" in p for p in people) == 1
    assert any(ev["type"] == "CONSULT" and ev["date"] == "2020-01-20" for ev in seed["events"])
    assert {q["speaker"] for q in seed["quotes"]} >= {p for p in people if "mamoğlu" in p}
    assert records[3]["entities"] == [] and records[3]["events"] == []
