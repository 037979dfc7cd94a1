"""Streaming lag benchmark (make bench-stream): not a test, it prints the lag distribution.

Airflow standalone runs against the embedded warehouse and the fixture site (exactly `make run`),
then new articles are published on the fixture feed at known times; the watcher (polling every
PIPELINE_WATCH_INTERVAL = 60 s by default, as in production) finds them, and the stream DAG
loads and annotates them. Printed: for each article, published -> first seen -> loaded ->
annotated, and the distribution of first seen -> annotated (the goal: median < 60 s, p95 < 120 s
on this two-core machine) and of published -> annotated (what a reader experiences, including
the wait for the next poll).

    .venv/bin/python bench/bench_stream.py [--items 8] [--every 25] [--watch-interval 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.publish import publish_article
from tests.support.stack import Stack

SEED_PATH = "/politics/ep-rapporteur-amor-congratulates-imamoglu-twice-news-48920"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=8)
    ap.add_argument("--every", type=float, default=25.0, help="seconds between publications")
    ap.add_argument("--watch-interval", type=int, default=60)
    args = ap.parse_args()
    print(f"starting the stack (watch interval {args.watch_interval} s) ...", flush=True)
    with Stack(["duvar"], watch_interval=args.watch_interval) as stack:
        site = stack.sites["duvar"]
        print("waiting for the watcher's first poll to settle ...", flush=True)
        stack.wait_for(
            "select count(*) as n from core.watcher_state where last_polled_at is not null",
            lambda rows: rows[0]["n"] > 0,
            timeout=600,
        )
        time.sleep(args.watch_interval + 5)
        published: dict[str, datetime] = {}
        for i in range(args.items):
            when = datetime.now(UTC)
            path = publish_article(site, SEED_PATH, 1000 + i, when.replace(microsecond=0))
            published[site.base_url + path] = when
            print(f"published {path} at {when.isoformat(timespec='seconds')}", flush=True)
            time.sleep(args.every)
        rows = stack.wait_for(
            "select a.canonical_url, l.first_seen_at, l.loaded_at, l.annotated_at, l.seen_by from marts.article_latency l"
            " join marts.articles a using (article_id) where a.canonical_url = any(:urls) and l.annotated_at is not null",
            lambda rows: len(rows) == len(published),
            timeout=900,
            urls=list(published),
        )
    seen_to_annotated, published_to_annotated = [], []
    print(f"\n{'article':>12} {'published':>10} {'seen +s':>8} {'loaded +s':>9} {'annotated +s':>12} seen_by")
    for r in sorted(rows, key=lambda r: published[r["canonical_url"]]):
        p = published[r["canonical_url"]]
        seen = (r["first_seen_at"] - p).total_seconds()
        loaded = (r["loaded_at"] - p).total_seconds()
        annotated = (r["annotated_at"] - p).total_seconds()
        seen_to_annotated.append((r["annotated_at"] - r["first_seen_at"]).total_seconds())
        published_to_annotated.append(annotated)
        print(
            f"{r['canonical_url'].rsplit('-', 1)[-1]:>12} {p.strftime('%H:%M:%S'):>10} "
            f"{seen:8.1f} {loaded:9.1f} {annotated:12.1f} {r['seen_by']}"
        )
    for label, values in (
        ("first seen -> annotated", seen_to_annotated),
        ("published -> annotated", published_to_annotated),
    ):
        print(
            f"{label:26} n={len(values)}  median {statistics.median(values):6.1f} s   "
            f"p95 {pct(values, 0.95):6.1f} s   max {max(values):6.1f} s"
        )


if __name__ == "__main__":
    main()
