"""What the event stage adds to the entity stage's time.

Run: ``.venv/bin/python bench/bench_events.py [--words 30000] [--repeat 3] [--batch-size 32]``

Prints, for the same texts and the same loaded model:

* ``entities``: ``Annotator.annotate`` without an event stage (``nlp.pipe`` + entity resolution);
* ``entities+events``: the same with ``event_stage=pipeline.nlp.events.extract``;
* the time spent inside ``extract`` alone, and the overhead in percent (goal: at most 20 %).

When ``pipeline.nlp.annotate.Annotator`` is not available, it times raw ``nlp.pipe`` against
``nlp.pipe`` + the stand-in entity builder + ``extract`` instead, and says so.

Texts: the gold texts of ``tests/data/gold/events.jsonl`` and the fixture pages' ``*.txt``
under ``tests/fixtures`` (political news), repeated to about ``--words`` words. Each timing is
the best of ``--repeat`` runs after a warm-up.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.nlp.evaluate_events import annotator_class, entities_from_doc, load_nlp
from pipeline.nlp.events import extract
from pipeline.nlp.records import TextItem
from pipeline.nlp.taxonomy import load_taxonomy
from pipeline.nlp.textprep import prepare

GOLD = ROOT / "tests" / "data" / "gold" / "events.jsonl"
FIXTURES = ROOT / "tests" / "fixtures"


def corpus(words: int) -> list[tuple[str, datetime | None]]:
    base: list[tuple[str, datetime | None]] = []
    with GOLD.open(encoding="utf-8") as fh:
        for raw in fh:
            if raw.strip() and not raw.startswith("//"):
                line = json.loads(raw)
                pub = datetime.fromisoformat(line["published_at"]) if line.get("published_at") else None
                base.append((line["text"], pub))
    if FIXTURES.is_dir():
        base += [(p.read_text(encoding="utf-8"), None) for p in sorted(FIXTURES.rglob("*.txt"))]
    out: list[tuple[str, datetime | None]] = []
    n = i = 0
    while n < words:
        out.append(base[i % len(base)])
        n += len(base[i % len(base)][0].split())
        i += 1
    return out


class _Timed:
    """Wraps the event stage and adds up the time spent in it."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.seconds = 0.0
        self.events = 0

    def reset(self) -> None:
        self.seconds = 0.0
        self.events = 0

    def __call__(self, *args: Any) -> Any:
        t0 = time.perf_counter()
        out = self.fn(*args)
        self.seconds += time.perf_counter() - t0
        self.events += len(out[0])
        return out


def best(runs: int, fn: Callable[[], Any], reset: Callable[[], None] = lambda: None) -> float:
    fn()  # warm-up
    reset()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=30000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args(argv)

    nlp = load_nlp()
    load_taxonomy()  # read the lexicon once, outside the timings
    texts = corpus(args.words)
    items = [TextItem(str(i), t, published_at=p) for i, (t, p) in enumerate(texts)]
    words = sum(len(t.split()) for t, _ in texts)
    print(f"{len(items)} documents, {words} words, model {nlp.meta.get('name')}, batch {args.batch_size}")

    cls = annotator_class()
    timed = _Timed(extract)
    if cls is not None:
        plain = cls(nlp=nlp, batch_size=args.batch_size)
        with_events = cls(nlp=nlp, batch_size=args.batch_size, event_stage=timed)
        base = best(args.repeat, lambda: sum(1 for _ in plain.annotate(items)))
        timed.seconds = 0.0
        timed.events = 0
        full = best(args.repeat, lambda: sum(1 for _ in with_events.annotate(items)), timed.reset)
        stage = timed.seconds / args.repeat
        events = timed.events // args.repeat
        label_base, label_full = "entities (Annotator)", "entities+events (Annotator)"
    else:
        print("pipeline.nlp.annotate.Annotator not available: timing raw nlp.pipe instead")

        def run(with_stage: bool) -> None:
            preps = [prepare(i.text) for i in items]
            for doc, (item, prep) in nlp.pipe(
                ((p.text, (i, p)) for i, p in zip(items, preps, strict=True)),
                as_tuples=True,
                batch_size=args.batch_size,
            ):
                if with_stage:
                    timed(doc, prep, entities_from_doc(doc, prep), item)

        base = best(args.repeat, lambda: run(False))
        timed.seconds = 0.0
        timed.events = 0
        full = best(args.repeat, lambda: run(True), timed.reset)
        stage = timed.seconds / args.repeat
        events = timed.events // args.repeat
        label_base, label_full = "nlp.pipe", "nlp.pipe+stand-in entities+events"
    print(f"{label_base:36} {base:8.2f} s  {words / base:9.0f} words/s")
    print(f"{label_full:36} {full:8.2f} s  {words / full:9.0f} words/s")
    print(f"{'event stage alone (extract)':36} {stage:8.2f} s  ({events} events)")
    print(
        f"overhead of the event stage: {100 * stage / base:.1f} % of {label_base} "
        f"(wall-clock difference {100 * (full - base) / base:.1f} %); goal <= 20 %"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
