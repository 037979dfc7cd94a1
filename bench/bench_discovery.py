"""Discovery over a large sitemap index: URLs/s and peak memory (printed, not asserted).

    .venv/bin/python bench/bench_discovery.py [--children 100] [--per-child 1000]

A synthetic outlet lists two years of articles (Google News sitemaps, one child per chunk of
``--per-child`` URLs) behind one index, served over HTTP on 127.0.0.1. ``ingest.discover`` plans
one day. Figures:

* the whole index read (children without lastmod): URLs/s through fetch, streamed parsing,
  chunked recording in ``core.discovered_urls`` and planning; the peak of Python allocations
  during discovery (tracemalloc, second pass, listings read back from the raw zone), next to
  the peak of simply holding every listing of the index in memory;
* the same index with child ``lastmod``: how many children a one-day run still reads.

Uses WAREHOUSE_URL if set, else a PostgreSQL on 127.0.0.1:5432, else the embedded server; the
database is created fresh and dropped at the end.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_ingest import scratch_warehouse

from pipeline import ingest, warehouse
from pipeline.discovery import Listing, iter_sitemap
from pipeline.sources import Source, parse_sources
from tests.support.fixture_site import FixtureSite

FIRST = datetime(2019, 1, 1, tzinfo=UTC)
LAST = datetime(2021, 1, 1, tzinfo=UTC)
DAY = datetime(2020, 6, 15, tzinfo=UTC)
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def publish(site: FixtureSite, children: int, per_child: int, with_lastmod: bool, prefix: str) -> None:
    """Write the index and its children; publication times spread evenly over two years."""
    total = children * per_child
    step = (LAST - FIRST) / total
    index = []
    for c in range(children):
        rows = []
        for i in range(c * per_child, (c + 1) * per_child):
            published = FIRST + step * i
            rows.append(
                f"<url><loc>{site.base_url}/politics/story-{uuid.uuid5(uuid.NAMESPACE_URL, str(i)).hex}-news-{i}"
                f"</loc><news:news><news:publication_date>{published.isoformat()}"
                "</news:publication_date></news:news></url>"
            )
        site.add_file(
            f"/{prefix}/news-{c}.xml", f'<?xml version="1.0"?><urlset {NS}>{"".join(rows)}</urlset>'
        )
        lastmod = (
            f"<lastmod>{(FIRST + step * ((c + 1) * per_child - 1)).isoformat()}</lastmod>"
            if with_lastmod
            else ""
        )
        index.append(f"<sitemap><loc>{site.base_url}/{prefix}/news-{c}.xml</loc>{lastmod}</sitemap>")
    site.add_file(
        f"/{prefix}/index.xml",
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(index)
        + "</sitemapindex>",
    )


def source(site: FixtureSite, source_id: str, prefix: str) -> Source:
    entry = {
        "id": source_id,
        "name": source_id,
        "homepage": site.base_url + "/",
        "language": "en",
        "timezone": "UTC",
        "sitemaps": [f"{site.base_url}/{prefix}/index.xml"],
        "article_url_pattern": r"-news-\d+$",
        "politeness_delay": 0,
        "allow_private_network": True,
    }
    return parse_sources({"sources": [entry]})[0]


def held_whole(site: FixtureSite, prefix: str, children: int) -> tuple[int, float]:
    """Peak Python memory of parsing every child and keeping all its listings (the old way)."""
    bodies = [site.fetch_local(f"/{prefix}/news-{c}.xml") or b"" for c in range(children)]
    tracemalloc.start()
    held: list[Listing] = []
    for c, body in enumerate(bodies):
        held.extend(li for _, li in iter_sitemap(body, f"{site.base_url}/{prefix}/news-{c}.xml"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return len(held), peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--children", type=int, default=100)
    ap.add_argument("--per-child", type=int, default=1000)
    args = ap.parse_args()
    total = args.children * args.per_child

    with scratch_warehouse() as url:
        eng = warehouse.engine(url)
        with tempfile.TemporaryDirectory() as tmp, FixtureSite(Path(tmp) / "site") as site:
            publish(site, args.children, args.per_child, with_lastmod=False, prefix="full")
            publish(site, args.children, args.per_child, with_lastmod=True, prefix="pruned")

            src = source(site, "bench-full", "full")
            t0 = time.perf_counter()
            plan = ingest.discover(eng, src, DAY, DAY + timedelta(days=1))
            wall = time.perf_counter() - t0
            print(
                f"discovery        {total:7d}-URL index, one day planned ({plan.discovered} URLs)   "
                f"{wall:6.1f} s wall  {total / wall:8.0f} URLs/s (fetch, stream-parse, record, plan)"
            )
            tracemalloc.start()
            ingest.discover(eng, src, DAY, DAY + timedelta(days=1))
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            n, whole = held_whole(site, "full", args.children)
            print(
                f"                 peak Python memory during discovery {peak:6.1f} MiB"
                f" (holding all {n} listings instead: {whole:6.1f} MiB)"
            )

            site.clear_requests()
            t0 = time.perf_counter()
            plan = ingest.discover(eng, source(site, "bench-pruned", "pruned"), DAY, DAY + timedelta(days=1))
            wall = time.perf_counter() - t0
            read = len([r for r in site.requests if r.url_path.startswith("/pruned/news-")])
            print(
                f"discovery        same index with child lastmod: {read} of {args.children} children read"
                f"          {wall:6.1f} s wall  ({plan.discovered} URLs planned)"
            )


if __name__ == "__main__":
    main()
