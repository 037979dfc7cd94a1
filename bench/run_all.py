"""make bench: every throughput benchmark, one after the other, printing figures (no assertions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
STEPS = [
    ("ingestion: parse+normalize, load, one-month backfill", [BENCH / "bench_ingest.py"]),
    ("discovery: a 100k-URL sitemap index, URLs/s and peak memory", [BENCH / "bench_discovery.py"]),
    ("entities: annotate vs raw nlp.pipe", [BENCH / "bench_annotate.py"]),
    ("events and quotes: cost over the entity stage", [BENCH / "bench_events.py"]),
    ("story clusters: incremental MinHash clustering of 5k articles", [BENCH / "bench_stories.py"]),
]


def main() -> int:
    status = 0
    for title, cmd in STEPS:
        print(f"\n=== {title} ===", flush=True)
        status |= subprocess.run([sys.executable, *map(str, cmd)], check=False).returncode
    print("\n=== quality ===", flush=True)
    for name in ("evaluate-extraction", "evaluate-entities", "evaluate-events"):
        status |= subprocess.run([sys.executable, "-m", "pipeline", name], check=False).returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main())
