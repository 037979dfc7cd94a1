"""Speed and memory of ``Annotator.annotate`` against the raw spaCy pipeline it wraps.

Run: ``.venv/bin/python bench/bench_annotate.py [--words 100000] [--batch-sizes 8,32,128]``

Prints, in one run:

* words/second of raw ``nlp.pipe`` (same model object, same pipes) on the texts, and of
  ``Annotator.annotate`` on the same texts, and their ratio (goal >= 0.8: the project's own
  work adds at most 25 %);
* the resident memory sampled along the stream (it must stay flat: docs are not kept);
* peak RSS of a fresh process annotating the stream at growing batch sizes, each on a short
  and a three-times-longer stream (flat in stream length; grows only with the batch size).

Texts: fixture pages under ``tests/fixtures`` (``*.txt``) when present, else the gold texts of
``tests/data/gold/entities.jsonl``, repeated to about ``--words`` words.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from pipeline.nlp.annotate import Annotator
from pipeline.nlp.records import TextItem

ROOT = Path(__file__).resolve().parent.parent

GOLD = ROOT / "tests" / "data" / "gold" / "entities.jsonl"
FIXTURES = ROOT / "tests" / "fixtures"


def base_texts() -> list[str]:
    """Fixture texts when there are any, else the gold texts."""
    texts = (
        [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.txt"))]
        if (FIXTURES.is_dir())
        else []
    )
    if not texts:
        with GOLD.open(encoding="utf-8") as fh:
            texts = [json.loads(line)["text"] for line in fh if line.strip()]
    return texts


def corpus(words: int) -> list[str]:
    """The base texts repeated until about *words* words."""
    base = base_texts()
    out: list[str] = []
    n = 0
    i = 0
    while n < words:
        text = base[i % len(base)]
        out.append(text)
        n += len(text.split())
        i += 1
    return out


def n_words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def rss_mb() -> float:
    """Current resident set size in MiB (Linux /proc; falls back to the peak)."""
    try:
        with open(f"/proc/{os.getpid()}/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return peak_rss_mb()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(batch_size: int, words: int) -> None:
    """Annotate a stream in this (fresh) process and print its peak RSS as JSON."""
    annotator = Annotator(batch_size=batch_size)
    texts = corpus(words)
    before = peak_rss_mb()
    n_ent = 0
    for ann in annotator.annotate(TextItem(str(i), t) for i, t in enumerate(texts)):
        n_ent += len(ann.entities)
    print(
        json.dumps(
            {
                "batch_size": batch_size,
                "words": n_words(texts),
                "loaded_mb": before,
                "peak_mb": peak_rss_mb(),
                "entities": n_ent,
            }
        )
    )


def sweep(batch_sizes: list[int], words: int) -> list[dict[str, float]]:
    rows = []
    for bs in batch_sizes:
        for w in (words, 3 * words):
            out = subprocess.run(
                [sys.executable, __file__, "--child", "--batch-sizes", str(bs), "--words", str(w)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            rows.append(json.loads(out.strip().splitlines()[-1]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=100_000, help="words in the timed stream")
    parser.add_argument("--batch-size", type=int, default=None, help="default: settings")
    parser.add_argument("--batch-sizes", default="8,32,128", help="memory sweep ('' to skip)")
    parser.add_argument("--sweep-words", type=int, default=8_000, help="words per sweep run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        child(int(args.batch_sizes), args.words)
        return 0

    annotator = Annotator(batch_size=args.batch_size)
    nlp = annotator.nlp
    texts = corpus(args.words)
    words = n_words(texts)
    bs = annotator.batch_size
    print(f"model {annotator.model} {annotator.model_version}, pipes {nlp.pipe_names}")
    print(f"extractor {annotator.extractor_version}, KB entries {len(annotator.kb.entries)}")
    print(f"texts: {len(texts)} documents, {words} words, batch size {bs}")

    # warm up both paths (lazy initialisation, caches)
    for _ in nlp.pipe(texts[:8], batch_size=bs):
        pass
    list(annotator.annotate(TextItem(str(i), t) for i, t in enumerate(texts[:8])))

    # Alternate raw and annotated runs over chunks of the stream so that drift in machine load
    # hits both alike; sample the resident memory along the annotated stream.
    samples: list[tuple[int, float]] = []
    chunks = 5
    size = -(-len(texts) // chunks)
    raw_s = ann_s = 0.0
    n_ent = n_men = 0
    for c in range(chunks):
        part = texts[c * size : (c + 1) * size]
        t0 = time.perf_counter()
        for _ in nlp.pipe(part, batch_size=bs):
            pass
        raw_s += time.perf_counter() - t0
        samples.append((c * size, rss_mb()))
        t0 = time.perf_counter()
        items = (TextItem(str(c * size + i), t) for i, t in enumerate(part))
        for ann in annotator.annotate(items):
            n_ent += len(ann.entities)
            n_men += sum(len(e.mentions) for e in ann.entities)
        ann_s += time.perf_counter() - t0
    samples.append((len(texts), rss_mb()))

    raw_wps = words / raw_s
    ann_wps = words / ann_s
    ratio = ann_wps / raw_wps
    print(f"raw nlp.pipe        {raw_wps:10.0f} words/s  ({raw_s:.1f} s)")
    print(f"Annotator.annotate  {ann_wps:10.0f} words/s  ({ann_s:.1f} s)")
    print(f"ratio               {ratio:10.2f}  (goal >= 0.80; overhead {100 * (1 / ratio - 1):.0f} %)")
    print(f"entities {n_ent}, mentions {n_men}")
    print("RSS along the stream (doc index: MiB): " + ", ".join(f"{i}: {mb:.0f}" for i, mb in samples))

    sizes = [int(x) for x in args.batch_sizes.split(",") if x.strip()]
    if sizes:
        print("peak RSS of a fresh process (model loaded / peak, MiB) by batch size:")
        for row in sweep(sizes, args.sweep_words):
            print(
                f"  batch {row['batch_size']:4d}  {row['words']:7d} words  "
                f"{row['loaded_mb']:6.0f} / {row['peak_mb']:6.0f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
