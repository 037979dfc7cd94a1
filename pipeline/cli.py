"""``python -m pipeline``: everything the DAGs do, without Airflow.

python -m pipeline migrate
python -m pipeline sources
python -m pipeline ingest --source duvar-english --since 2020-01-01 --until 2020-02-01
python -m pipeline parse page.html [page2.html.gz ...] [--url URL]
python -m pipeline annotate [FILE]            # JSON lines in, JSON lines out
python -m pipeline enrich [--since DATE --until DATE] [--reannotate]
python -m pipeline evaluate-entities | evaluate-events | evaluate-extraction
python -m pipeline run                        # the whole stack (make run)
python -m pipeline warehouse-url
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path


def parse_when(value: str) -> datetime:
    """A date or ISO date-time on the command line; naive values are UTC."""
    from pipeline.normalize import require_time

    try:
        return require_time(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m pipeline", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="apply pending warehouse migrations")
    sub.add_parser("sources", help="validate and list the source registry")
    run = sub.add_parser("run", help="run the whole stack: warehouse + Airflow standalone (make run)")
    run.add_argument("--port", type=int, default=8080, help="Airflow UI port")
    sub.add_parser("warehouse-url", help="print the warehouse URL (starting the embedded server if needed)")

    ing = sub.add_parser("ingest", help="ingest one source for a date range [since, until)")
    ing.add_argument("--source", required=True, help="source id from the registry")
    ing.add_argument("--since", required=True, type=parse_when, help="start (inclusive), UTC")
    ing.add_argument("--until", required=True, type=parse_when, help="end (exclusive), UTC")
    ing.add_argument("--no-progress", action="store_true", help="no progress bar")

    ann = sub.add_parser(
        "annotate", help="entities, events and quotes of JSON lines {id, text, published_at?, title?}"
    )
    ann.add_argument("file", nargs="?", type=Path, help="JSON-lines file (default: stdin)")

    enr = sub.add_parser("enrich", help="annotate article versions in the warehouse (the enrich DAG's work)")
    enr.add_argument("--since", type=parse_when, help="only articles published at or after (UTC)")
    enr.add_argument("--until", type=parse_when, help="only articles published before (UTC)")
    enr.add_argument(
        "--reannotate",
        action="store_true",
        help="re-derive the range even if annotated by the current extractor; rows swap atomically",
    )
    enr.add_argument("--no-progress", action="store_true")

    rep = sub.add_parser(
        "reprocess", help="re-derive articles, entities and events from the raw zone (no refetch)"
    )
    rep.add_argument("--source", required=True, help="source id from the registry")
    rep.add_argument("--since", required=True, type=parse_when, help="published at or after (UTC)")
    rep.add_argument("--until", required=True, type=parse_when, help="published before (UTC)")
    rep.add_argument("--no-annotate", action="store_true", help="re-parse only")

    chk = sub.add_parser("check", help="run the data-quality checks on a run's articles")
    chk.add_argument("run_id", type=int, help="an ingest run id (marts.ingest_runs)")

    for name in ("evaluate-entities", "evaluate-events", "evaluate-extraction"):
        sub.add_parser(name, help=f"print {name.split('-')[1]} quality scores (see --help)", add_help=False)

    par = sub.add_parser("parse", help="parse saved pages; one JSON object per line")
    par.add_argument("files", nargs="+", type=Path, help=".html or .html.gz files")
    par.add_argument("--url", help="the page URL (for relative links); default file://...")
    par.add_argument("--source", help="use this source's selectors and time zone")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _EVALUATORS:  # these own their options
        return _EVALUATORS[argv[0]](argv[1:])
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(_COMMANDS[args.command](args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        from pipeline.ingest import SourceUnavailable
        from pipeline.sources import SourceConfigError
        from pipeline.warehouse import MigrationError

        if isinstance(exc, SourceConfigError | MigrationError):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if isinstance(exc, SourceUnavailable):
            print(f"error: {exc}", file=sys.stderr)
            return 1
        raise


def _cmd_migrate(_args: argparse.Namespace) -> int:
    from pipeline import warehouse

    applied = warehouse.migrate()
    print("applied: " + ", ".join(applied) if applied else "warehouse schema is up to date")
    return 0


def _cmd_sources(_args: argparse.Namespace) -> int:
    from pipeline.config import settings
    from pipeline.sources import load_sources

    cfg = settings()
    for s in load_sources(cfg.sources_file):
        print(
            f"{s.id:24} {s.dag_id:32} {s.schedule:8} feeds={len(s.feeds)} sitemaps={len(s.sitemaps)}  {s.name}"
        )
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from pipeline import stack

    return stack.main(port=args.port)


def _cmd_warehouse_url(_args: argparse.Namespace) -> int:
    from pipeline import warehouse

    print(warehouse.warehouse_url())
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline import ingest, warehouse
    from pipeline.config import settings
    from pipeline.sources import get_source, load_sources

    if args.until <= args.since:
        print("error: --until must be after --since", file=sys.stderr)
        return 2
    source = get_source(load_sources(settings().sources_file), args.source)
    eng = warehouse.engine()
    warehouse.migrate(eng)
    bar = None
    if not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(desc=f"{source.id}", unit="page", file=sys.stderr, total=0)

    def planned(n: int) -> None:
        if bar is not None:
            bar.total = n
            bar.refresh()

    try:
        run_id, counts = ingest.run_interval(
            eng,
            source,
            args.since,
            args.until,
            trigger="cli",
            progress=bar.update if bar is not None else None,
            on_planned=planned,
        )
    finally:
        if bar is not None:
            bar.close()
    summary = " ".join(f"{k}={v}" for k, v in counts.items())
    print(f"run {run_id} {source.id} [{args.since.isoformat()}, {args.until.isoformat()}): {summary}")
    return 0


def _cmd_annotate(args: argparse.Namespace) -> int:
    from pipeline.enrich import annotator
    from pipeline.nlp.annotate import annotation_to_json
    from pipeline.nlp.records import TextItem

    stream = args.file.open(encoding="utf-8") if args.file else sys.stdin
    status = 0

    def items():
        nonlocal status
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                    raise ValueError("expected an object with a string 'text'")
                published = parse_when(obj["published_at"]) if obj.get("published_at") else None
                yield TextItem(
                    id=str(obj.get("id", n)), text=obj["text"], published_at=published, title=obj.get("title")
                )
            except (ValueError, argparse.ArgumentTypeError) as exc:
                status = 1
                print(f"line {n}: {exc}", file=sys.stderr)
                yield TextItem(id=f"__error__:{n}", text="")

    for annotation in annotator().annotate(items()):
        if annotation.id.startswith("__error__:"):
            print(
                json.dumps(
                    {"id": None, "line": int(annotation.id.split(":")[1]), "error": "invalid input line"}
                )
            )
            continue
        out = annotation_to_json(annotation)
        print(json.dumps(out, ensure_ascii=False), flush=False)
    sys.stdout.flush()
    return status


def _cmd_enrich(args: argparse.Namespace) -> int:
    from pipeline import enrich, warehouse

    eng = warehouse.engine()
    warehouse.migrate(eng)
    bar = None
    if not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(desc="enrich", unit="article", file=sys.stderr)
    try:
        if args.reannotate:
            if not (args.since and args.until):
                print("error: --reannotate needs --since and --until", file=sys.stderr)
                return 2
            counts = enrich.reannotate(eng, args.since, args.until, progress=bar.update if bar else None)
        else:
            counts = enrich.enrich_pending(
                eng, since=args.since, until=args.until, progress=bar.update if bar else None
            )
    finally:
        if bar is not None:
            bar.close()
    print("enriched: " + " ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


def _cmd_reprocess(args: argparse.Namespace) -> int:
    from pipeline import reprocess, warehouse
    from pipeline.config import settings
    from pipeline.sources import get_source, load_sources

    source = get_source(load_sources(settings().sources_file), args.source)
    eng = warehouse.engine()
    warehouse.migrate(eng)
    counts = reprocess.reprocess(eng, source, args.since, args.until, annotate=not args.no_annotate)
    print("reprocessed: " + " ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from pipeline import quality, warehouse

    results = quality.run_checks(warehouse.engine(), args.run_id)
    for r in results:
        print(f"{'ok  ' if r.passed else 'FAIL'} {r.name}")
    return 0 if all(r.passed for r in results) else 1


def _evaluate_extraction(argv: Sequence[str]) -> int:
    from pipeline.extraction_eval import evaluate, load_benchmark, pipeline_extractor

    scores = evaluate(pipeline_extractor, load_benchmark())
    print(
        json.dumps(scores)
        if "--json" in argv
        else f"article-extraction benchmark ({int(scores['pages'])} pages): precision {scores['precision']:.3f}"
        f"  recall {scores['recall']:.3f}  F1 {scores['f1']:.3f}"
    )
    return 0


def _evaluate_entities(argv: Sequence[str]) -> int:
    from pipeline.nlp.evaluate_entities import main as run

    return run(argv)


def _evaluate_events(argv: Sequence[str]) -> int:
    from pipeline.nlp.evaluate_events import main as run

    return run(argv)


_EVALUATORS = {
    "evaluate-entities": _evaluate_entities,
    "evaluate-events": _evaluate_events,
    "evaluate-extraction": _evaluate_extraction,
}


def _cmd_parse(args: argparse.Namespace) -> int:
    from pipeline.decoding import decode
    from pipeline.normalize import NormalizationError, normalize_article
    from pipeline.parse import parse_article

    selectors: dict[str, str] = {}
    timezone = "UTC"
    source_id = "cli"
    if args.source:
        from pipeline.config import settings
        from pipeline.sources import get_source, load_sources

        src = get_source(load_sources(settings().sources_file), args.source)
        selectors, timezone, source_id = dict(src.selectors), src.timezone, src.id
    status = 0
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(json.dumps({"file": str(path), "error": str(exc)}, ensure_ascii=False))
            status = 1
            continue
        if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        html, _ = decode(data)
        url = args.url or path.resolve().as_uri()
        parsed = parse_article(html, url, selectors)
        record: dict[str, object] = {"file": str(path), "url": url}
        try:
            art = normalize_article(parsed, source_id=source_id, timezone=timezone)
            record.update(
                title=art.title,
                authors=list(art.authors),
                published_at=art.published_at.isoformat() if art.published_at else None,
                modified_at=art.modified_at.isoformat() if art.modified_at else None,
                language=art.language,
                section=art.section,
                tags=list(art.tags),
                canonical_url=art.canonical_url,
                body=art.body,
            )
        except NormalizationError as exc:
            record["error"] = str(exc)
            status = 1
        print(json.dumps(record, ensure_ascii=False))
    return status


_COMMANDS = {
    "migrate": _cmd_migrate,
    "sources": _cmd_sources,
    "warehouse-url": _cmd_warehouse_url,
    "run": _cmd_run,
    "ingest": _cmd_ingest,
    "parse": _cmd_parse,
    "annotate": _cmd_annotate,
    "enrich": _cmd_enrich,
    "reprocess": _cmd_reprocess,
    "check": _cmd_check,
}
