"""Story clustering benchmark: throughput of incremental clustering, and its accuracy on copies.

    .venv/bin/python bench/bench_stories.py [--articles 5000] [--copies 0.3]

Makes synthetic articles (Zipf-distributed words, 8-12 paragraphs) in a fresh warehouse over a
month, a share of them lightly edited copies of an earlier story in other sources (new intro,
a paragraph dropped), then times ``cluster_stories`` (articles/s), a rerun (nothing to do) and
an incremental run over 10% more articles. Also prints how many copies joined their original's
cluster and how many distinct stories were merged by mistake. Figures are printed, not asserted.

Uses WAREHOUSE_URL if set, else a PostgreSQL on 127.0.0.1:5432, else the embedded server; the
database is fresh and dropped at the end.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa

from pipeline import clustering, load, warehouse
from pipeline.records import article_id_for
from pipeline.sources import Source

sys.path.insert(0, str(ROOT / "bench"))
from bench_ingest import scratch_warehouse

T0 = datetime(2020, 1, 1, tzinfo=UTC)
SOURCES = ("wire", "outlet-a", "outlet-b", "outlet-c")


def vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(size)]


def story(rng: random.Random, words: list[str], weights: list[float]) -> list[str]:
    """8-12 paragraphs of 3 sentences of 8-20 words."""
    return [
        " ".join(
            " ".join(rng.choices(words, weights, k=rng.randint(8, 20))).capitalize() + "." for _ in range(3)
        )
        for _ in range(rng.randint(8, 12))
    ]


def make_articles(n: int, copy_share: float, seed: int, offset: int = 0) -> list[dict]:
    """Synthetic articles; a copy records the index of the story it copies (its truth)."""
    rng = random.Random(seed)
    words = vocabulary(random.Random(7))
    weights = [1 / (rank + 1) for rank in range(len(words))]
    out: list[dict] = []
    for i in range(n):
        published = T0 + timedelta(minutes=(offset + i) * 8)
        originals = [a for a in out[-200:] if a["truth"] == a["n"]]
        if originals and rng.random() < copy_share:
            src = rng.choice(originals)
            paragraphs = list(src["paragraphs"])
            del paragraphs[rng.randrange(1, len(paragraphs))]
            paragraphs[0] = " ".join(rng.choices(words, weights, k=15)).capitalize() + "."
            truth = src["truth"]
        else:
            paragraphs, truth = story(rng, words, weights), offset + i
        out.append(
            {
                "n": offset + i,
                "truth": truth,
                "source": SOURCES[(offset + i) % len(SOURCES)],
                "published": published,
                "paragraphs": paragraphs,
            }
        )
    return out


def insert(eng, articles: list[dict]) -> dict[str, int]:
    """Bulk insert articles and their first version; return article id -> truth."""
    rows, versions, truth = [], [], {}
    for a in articles:
        url = f"https://{a['source']}.example/news/{a['n']}"
        aid = article_id_for(url)
        truth[aid] = a["truth"]
        body = "\n\n".join(a["paragraphs"])
        rows.append({"a": aid, "s": a["source"], "u": url, "p": a["published"]})
        versions.append(
            {"a": aid, "b": body, "w": len(body.split()), "h": uuid.uuid4().hex, "t": a["published"]}
        )
    with eng.begin() as conn:
        conn.execute(
            sa.text(
                "insert into core.articles (article_id, source_id, canonical_url, url, published_at,"
                " first_seen_at, last_fetched_at) values (:a, :s, :u, :u, :p, :p, :p)"
            ),
            rows,
        )
        conn.execute(
            sa.text(
                "insert into core.article_versions (article_id, version, title, body, word_count,"
                " content_hash, extractor, fetched_at) values (:a, 1, 'bench', :b, :w, :h, 'bench', :t)"
            ),
            versions,
        )
    return truth


def accuracy(eng, truth: dict[str, int]) -> str:
    with eng.connect() as conn:
        placed = dict(conn.execute(sa.text("select article_id, cluster_id from core.story_members")).all())
    # a story is found when all its articles share one cluster; a merge joins two stories
    by_story: dict[int, set[str]] = {}
    by_cluster: dict[str, set[int]] = {}
    for aid, story_n in truth.items():
        by_story.setdefault(story_n, set()).add(placed[aid])
        by_cluster.setdefault(placed[aid], set()).add(story_n)
    copied = [s for s, clusters in by_story.items() if sum(1 for t in truth.values() if t == s) > 1]
    whole = sum(1 for s in copied if len(by_story[s]) == 1)
    merged = sum(1 for stories in by_cluster.values() if len(stories) > 1)
    return (
        f"{len(truth)} articles, {len(by_story)} true stories, {len(by_cluster)} clusters; "
        f"syndicated stories kept whole {whole}/{len(copied)}; clusters merging two stories: {merged}"
    )


def timed(label: str, eng, n: int, **kwargs) -> None:
    t0 = time.perf_counter()
    counts = clustering.cluster_stories(eng, **kwargs)
    dt = time.perf_counter() - t0
    rate = f"{n / dt:8.1f} articles/s" if counts["signed"] else "  (nothing to do)"
    print(f"{label:34} {counts['signed']:6d} signed {dt:7.2f} s wall {rate}  {counts}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--copies", type=float, default=0.3, help="share of articles that copy an earlier story")
    args = ap.parse_args()

    with scratch_warehouse() as url:
        eng = warehouse.engine(url)
        with eng.begin() as conn:
            for s in SOURCES:
                load.upsert_source(conn, Source(s, s, f"https://{s}.example/", "en", "UTC", (), (), "/news/"))
        first = make_articles(args.articles, args.copies, seed=1)
        truth = insert(eng, first)
        timed("cluster (first run)", eng, len(first))
        timed("cluster again (rerun)", eng, 0)
        more = make_articles(args.articles // 10, args.copies, seed=2, offset=args.articles)
        truth.update(insert(eng, more))
        timed(f"cluster {len(more)} new (incremental)", eng, len(more))
        print(accuracy(eng, truth))


if __name__ == "__main__":
    main()
