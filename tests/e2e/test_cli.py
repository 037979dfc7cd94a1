"""``python -m pipeline`` end to end, as a user runs it (subprocesses, real HTTP, real PostgreSQL)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from tests.support.registry import articles_in, registry_entry

pytestmark = pytest.mark.e2e


def cli(
    *args: str, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_ingest_two_consecutive_ranges_then_again(engine, registry, sites) -> None:
    site = sites["duvar"]
    first = cli("ingest", "--source", "duvar-english", "--since", "2020-01-20", "--until", "2020-01-22")
    second = cli("ingest", "--source", "duvar-english", "--since", "2020-01-22", "--until", "2020-01-24")
    assert "new=" in first.stdout and "duvar-english" in first.stdout
    assert "page" in first.stderr  # the progress bar
    with engine.connect() as conn:
        loaded = conn.execute(sa.text("select canonical_url, published_at from marts.articles")).all()
        runs = conn.execute(sa.text("select new, failed from marts.ingest_runs order by run_id")).all()
    expected = articles_in(site, "2020-01-20", "2020-01-24")
    want = {site.base_url + e["canonical_path"] for e in expected if e["kind"] != "broken"}
    assert {u for u, _ in loaded} == want
    assert sum(r[0] for r in runs) == len(want)  # each loaded once: no overlap
    again = cli("ingest", "--source", "duvar-english", "--since", "2020-01-20", "--until", "2020-01-24")
    assert "new=0" in again.stdout and "updated=0" in again.stdout
    del second


def test_unseen_source_from_a_sources_file_alone(engine, sites, tmp_path: Path) -> None:
    """A source described only in a sources file: correct metadata, then revalidation with 304s."""
    site = sites["unseen"]
    site.reset()
    registry = tmp_path / "only-unseen.yml"
    registry.write_text(yaml.safe_dump({"sources": [registry_entry(site)]}, allow_unicode=True))
    env = {"PIPELINE_SOURCES_FILE": str(registry)}
    source_id = site.manifest()["source"]["id"]
    listed = cli("sources", env=env)
    assert source_id in listed.stdout
    cli(
        "ingest",
        "--source",
        source_id,
        "--since",
        "2020-01-20",
        "--until",
        "2020-01-24",
        "--no-progress",
        env=env,
    )
    with engine.connect() as conn:
        got = {
            r["canonical_url"]: r for r in conn.execute(sa.text("select * from marts.articles")).mappings()
        }
    expected = articles_in(site, "2020-01-20", "2020-01-24")
    assert len(got) == len(expected) == 3
    for e in expected:
        row = got[site.base_url + e["canonical_path"]]
        assert row["title"] == e["title"] and row["section"] == e["section"] and row["tags"] == e["tags"]
        assert row["published_at"].isoformat() == e["published_at"]
        assert row["authors"] == e["authors"]
        assert row["author_organizations"] == e.get("author_organizations", [])
        assert row["body"].startswith(e["body_starts_with"]) and row["body"].endswith(e["body_ends_with"])
    assert site.requests_for("/robots.txt")
    assert all(r.user_agent and "newspipe" in r.user_agent for r in site.requests)
    site.clear_requests()
    again = cli(
        "ingest",
        "--source",
        source_id,
        "--since",
        "2020-01-20",
        "--until",
        "2020-01-24",
        "--no-progress",
        env=env,
    )
    assert "not_modified=3" in again.stdout and "new=0" in again.stdout
    revalidations = [r for r in site.requests if r.url_path.startswith("/p/")]
    assert len(revalidations) == 3 and all(
        r.status == 304 and "If-None-Match" in r.headers for r in revalidations
    )


def test_parse_command_prints_one_json_object_per_file(sites, tmp_path: Path) -> None:
    site = sites["duvar"]
    entry = next(e for e in site.manifest()["articles"] if "amor" in e["path"])
    page = site.fetch_local(entry["path"])
    assert page is not None
    plain = tmp_path / "seed.html"
    plain.write_bytes(page)
    packed = tmp_path / "seed.html.gz"
    packed.write_bytes(gzip.compress(page))
    out = cli("parse", str(plain), str(packed), "--url", site.url(entry["path"]))
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(records) == 2 and records[0] == {**records[1], "file": records[0]["file"]}
    rec = records[0]
    assert set(rec) >= {
        "file",
        "url",
        "title",
        "authors",
        "published_at",
        "modified_at",
        "language",
        "section",
        "tags",
        "canonical_url",
        "body",
    }
    assert rec["title"] == entry["title"]
    assert rec["published_at"] == entry["published_at"]
    assert rec["authors"] == entry["authors"]  # people only: the outlet's byline is not an author
    assert rec["canonical_url"] == site.base_url + entry["canonical_path"]
    assert "Nacho Sanchez Amor" in rec["body"]


def test_bad_input_gets_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("sources:\n  - id: x\n")
    result = cli("sources", env={"PIPELINE_SOURCES_FILE": str(bad)}, check=False)
    assert result.returncode == 2 and "sources[0]" in result.stderr and "Traceback" not in result.stderr
    result = cli("ingest", "--source", "x", "--since", "yesterday", "--until", "2020-01-01", check=False)
    assert result.returncode == 2 and "not a date" in result.stderr
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body></body></html>")
    result = cli("parse", str(empty), check=False)
    assert result.returncode == 1 and json.loads(result.stdout)["error"]
