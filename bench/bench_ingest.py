"""Ingestion benchmarks: parse+normalize per core, loading, and a one-month CLI backfill.

    .venv/bin/python bench/bench_ingest.py [--days 31] [--per-day 20]

Uses WAREHOUSE_URL if set, else a PostgreSQL on 127.0.0.1:5432, else the embedded server; each
run gets a fresh database, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa
import yaml

from pipeline import load, warehouse
from pipeline.extract_body import extract_body
from pipeline.extraction_eval import load_benchmark
from pipeline.normalize import normalize_article
from pipeline.parse import parse_article
from pipeline.records import FetchResult
from tests.support.fixture_site import FixtureSite

sys.path.insert(0, str(ROOT / "bench"))
import synthetic_site


def server_url() -> str:
    if os.environ.get("WAREHOUSE_URL"):
        return os.environ["WAREHOUSE_URL"]
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=2):
            return "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    except Exception:
        return warehouse.warehouse_url()


@contextmanager
def scratch_warehouse() -> Iterator[str]:
    """A migrated database of its own for one benchmark run, dropped afterwards; yields its URL."""
    server = server_url()
    name = f"newspipe_bench_{uuid.uuid4().hex[:8]}"
    warehouse.ensure_database(server, name)
    url = warehouse.database_url(server, name)
    try:
        warehouse.migrate(warehouse.engine(url))
        yield url
    finally:
        warehouse.dispose_engines()
        admin = sa.create_engine(warehouse._with_driver(server), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


def bench_parse(pages: list[tuple[str, str]], label: str) -> float:
    start = time.process_time()
    for url, html in pages:
        parsed = parse_article(html, url)
        normalize_article(parsed, source_id="bench", timezone="UTC")
    elapsed = time.process_time() - start
    rate = len(pages) / elapsed
    print(f"parse+normalize  {label:38} {len(pages):5d} pages  {rate:7.1f} pages/s (one core, CPU time)")
    return rate


def bench_body(pages: list[tuple[str, str]]) -> None:
    """Body extraction alone (density + vote with trafilatura), next to trafilatura alone."""
    import trafilatura

    extractors: tuple[tuple[str, Callable[[str], object]], ...] = (
        ("body: pipeline.extract_body", extract_body),
        ("body: trafilatura.extract (defaults)", trafilatura.extract),
    )
    for label, extract in extractors:
        start = time.process_time()
        for _url, html in pages:
            extract(html)
        rate = len(pages) / (time.process_time() - start)
        print(f"{label:55} {len(pages):5d} pages  {rate:7.1f} pages/s (one core, CPU time)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=31)
    ap.add_argument("--per-day", type=int, default=20)
    args = ap.parse_args()

    # 1. parse + normalize, one core
    real = [(f"https://example.org/{k}", html) for k, html, _ in load_benchmark()]
    bench_parse(real, "real pages (article-extraction bench)")
    bench_body(real)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        synthetic = synthetic_site.build(root, datetime(2020, 1, 1, tzinfo=UTC), args.days, args.per_day)
        fixture_pages = [
            (f"http://h/{a['path']}", (root / "public" / (a["path"].lstrip("/") + ".html")).read_text())
            for a in synthetic[:300]
        ]
        bench_parse(fixture_pages, "news pages (Duvar-style fixtures)")

        with scratch_warehouse() as url:
            eng = warehouse.engine(url)
            # 2. loading: normalized articles into PostgreSQL, 25 per transaction
            from pipeline.sources import Source

            src = Source("bench", "Bench", "http://h/", "en", "UTC", (), (), "x")
            with eng.begin() as conn:
                load.upsert_source(conn, src)
            articles = []
            for u, html in fixture_pages:
                parsed = parse_article(html, u)
                articles.append(normalize_article(parsed, source_id="bench", timezone="UTC"))
            now = datetime.now(UTC)
            t0 = time.perf_counter()
            for i in range(0, len(articles), 25):
                with eng.begin() as conn:
                    for a in articles[i : i + 25]:
                        result = FetchResult(a.url, a.url, 200, {}, a.body.encode(), now)
                        fid = load.store_fetch(conn, "bench", None, result)
                        load.load_article(conn, src, a, fetch_id=fid, fetched_at=now, extractor="bench")
            dt = time.perf_counter() - t0
            print(
                f"load             {'raw fetch + article + version, 25/txn':38} "
                f"{len(articles):5d} articles {len(articles) / dt:7.1f} articles/s"
            )

            # 3. one-month backfill through the CLI against the synthetic site over HTTP
            with FixtureSite(root) as site:
                entry = dict(
                    site.manifest()["source"],
                    homepage=site.base_url + "/",
                    allow_private_network=True,
                    politeness_delay=0.0,
                )
                registry = Path(tmp) / "sources.yml"
                registry.write_text(yaml.safe_dump({"sources": [entry]}))
                env = {**os.environ, "PIPELINE_SOURCES_FILE": str(registry), "WAREHOUSE_URL": url}
                cmd = [
                    sys.executable,
                    "-m",
                    "pipeline",
                    "ingest",
                    "--source",
                    "synthetic-news",
                    "--since",
                    "2020-01-01",
                    "--until",
                    (datetime(2020, 1, 1) + timedelta(days=args.days)).date().isoformat(),
                    "--no-progress",
                ]
                t0 = time.perf_counter()
                out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
                wall = time.perf_counter() - t0
                print(
                    f"backfill (CLI)   {args.days} days x {args.per_day}/day, politeness 0 s          "
                    f"{len(synthetic):5d} articles {wall:7.1f} s wall  ({len(synthetic) / wall:.1f} articles/s)"
                )
                print(f"                 {out.stdout.strip()}")
                t0 = time.perf_counter()
                out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
                print(
                    f"backfill again   (conditional GETs, nothing changes)              {time.perf_counter() - t0:7.1f} s wall"
                )
                print(f"                 {out.stdout.strip()}")


if __name__ == "__main__":
    main()
