"""``python -m pipeline``: everything the DAGs do, without Airflow.

python -m pipeline migrate
python -m pipeline sources
python -m pipeline ingest --source duvar-english --since 2020-01-01 --until 2020-02-01
python -m pipeline parse page.html [page2.html.gz ...] [--url URL]
python -m pipeline parse ../shared/benchmarks/article-extraction   # score body extraction
python -m pipeline check-source (--source ID | --entry new.yml) [PAGE.html[.gz] | URL] [--discover] [--json]
python -m pipeline annotate [FILE]            # JSON lines in, JSON lines out
python -m pipeline enrich [--since DATE --until DATE] [--reannotate]
python -m pipeline cluster [--since DATE --until DATE]   # story clusters (marts.story_clusters)
python -m pipeline evaluate-entities | evaluate-events | evaluate-extraction
python -m pipeline run                        # the whole stack (make run)
python -m pipeline warehouse-url
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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

    clu = sub.add_parser("cluster", help="group near-duplicate articles into story clusters (incremental)")
    clu.add_argument("--since", type=parse_when, help="only articles published at or after (UTC)")
    clu.add_argument("--until", type=parse_when, help="only articles published before (UTC)")
    clu.add_argument("--no-progress", action="store_true", help="no progress bar")

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
    par.add_argument(
        "files", nargs="+", type=Path, help=".html or .html.gz files, or a benchmark directory to score"
    )
    par.add_argument("--json", action="store_true", help="benchmark scores as JSON")
    par.add_argument("--url", help="the page URL (for relative links); default file://...")
    par.add_argument("--source", help="use this source's selectors and time zone")

    cks = sub.add_parser(
        "check-source", help="try a source entry on a saved page or a URL: what ingest would extract"
    )
    cks.add_argument("page", nargs="?", help="a saved page (.html, .html.gz) or an article URL")
    cks.add_argument("--source", help="source id: from the registry, or picking one entry of --entry")
    cks.add_argument("--entry", type=Path, help="YAML file holding the new entry (not yet in the registry)")
    cks.add_argument("--url", help="the URL a saved page came from (pattern check, relative links)")
    cks.add_argument(
        "--discover",
        action="store_true",
        help="also read the entry's feeds and sitemaps; without PAGE, check the newest article listed",
    )
    cks.add_argument("--json", action="store_true", help="one JSON document instead of the report")
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
        archive = f"archive={s.archive.mode}" if s.archive else "archive=off"
        print(
            f"{s.id:24} {s.dag_id:32} {s.schedule:8} feeds={len(s.feeds)} sitemaps={len(s.sitemaps)}"
            f" {archive:16} {s.name}"
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
        if annotation.error is not None:
            status = 1
            print(f"{annotation.id}: annotation failed: {annotation.error}", file=sys.stderr)
            print(json.dumps({"id": annotation.id, "error": annotation.error}, ensure_ascii=False))
            continue
        out = annotation_to_json(annotation)
        print(json.dumps(out, ensure_ascii=False), flush=False)
    sys.stdout.flush()
    return status


@contextmanager
def _progress(desc: str, enabled: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress callback drawing a tqdm bar on stderr (``None`` with ``--no-progress``)."""
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(desc=desc, unit="article", file=sys.stderr)

    def advance(n: int) -> None:
        bar.update(n)

    try:
        yield advance
    finally:
        bar.close()


def _cmd_enrich(args: argparse.Namespace) -> int:
    from pipeline import enrich, warehouse

    if args.reannotate and not (args.since and args.until):
        print("error: --reannotate needs --since and --until", file=sys.stderr)
        return 2
    eng = warehouse.engine()
    warehouse.migrate(eng)
    with _progress("enrich", not args.no_progress) as progress:
        if args.reannotate:
            counts = enrich.reannotate(eng, args.since, args.until, progress=progress)
        else:
            counts = enrich.enrich_pending(eng, since=args.since, until=args.until, progress=progress)
    print("enriched: " + " ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


def _cmd_cluster(args: argparse.Namespace) -> int:
    from pipeline import clustering, warehouse

    eng = warehouse.engine()
    warehouse.migrate(eng)
    with _progress("cluster", not args.no_progress) as progress:
        counts = clustering.cluster_stories(eng, since=args.since, until=args.until, progress=progress)
    print("clustered: " + " ".join(f"{k}={v}" for k, v in counts.items()))
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
    from pipeline.extraction_eval import BENCHMARK_DIR

    ap = argparse.ArgumentParser(
        prog="python -m pipeline evaluate-extraction",
        description="body precision/recall/F1 of the pipeline and of trafilatura on a benchmark",
    )
    ap.add_argument(
        "directory", nargs="?", type=Path, default=BENCHMARK_DIR, help="ground-truth.json + html/"
    )
    ap.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    args = ap.parse_args(argv)
    return _print_extraction_scores(args.directory, as_json=args.json)


def _print_extraction_scores(directory: Path, *, as_json: bool) -> int:
    """Score the pipeline and trafilatura on the benchmark in *directory* (see extraction_eval)."""
    from pipeline.extraction_eval import compare, load_benchmark, report

    try:
        pages = load_benchmark(directory)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = compare(pages)
    print(json.dumps(result) if as_json else report(result, directory))
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
    from pipeline.discovery import DiscoveryError, maybe_gunzip
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
        if path.is_dir():  # a benchmark (ground-truth.json + html/): score it, as evaluate-extraction
            status = max(status, _print_extraction_scores(path, as_json=args.json))
            continue
        try:
            data = maybe_gunzip(path.read_bytes())
        except (OSError, DiscoveryError) as exc:  # unreadable, or a corrupt .gz
            print(json.dumps({"file": str(path), "error": str(exc)}, ensure_ascii=False))
            status = 1
            continue
        html, _ = decode(data)
        url = args.url or path.resolve().as_uri()
        parsed = parse_article(html, url, selectors)
        record: dict[str, object] = {"file": str(path), "url": url}
        try:
            art = normalize_article(parsed, source_id=source_id, timezone=timezone)
            record.update(
                title=art.title,
                authors=list(art.authors),
                author_organizations=list(art.author_organizations),
                published_at=art.published_at.isoformat() if art.published_at else None,
                modified_at=art.modified_at.isoformat() if art.modified_at else None,
                language=art.language,
                declared_language=art.declared_language,
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


def _cmd_check_source(args: argparse.Namespace) -> int:
    """Exit 0 when the page would load, 1 when it would not (or nothing was found to check)."""
    from pipeline import sourcecheck
    from pipeline.config import settings
    from pipeline.ingest import make_fetcher
    from pipeline.sources import get_source, load_sources

    if args.entry is not None:
        source = sourcecheck.load_entry(args.entry, args.source)
    elif args.source:
        source = get_source(load_sources(settings().sources_file), args.source)
    else:
        print("error: give --source ID (from the registry) or --entry FILE", file=sys.stderr)
        return 2
    if not args.page and not args.discover:
        print("error: give a saved page or a URL to check, or --discover", file=sys.stderr)
        return 2
    fetcher = make_fetcher(source)
    listings = sourcecheck.check_listings(source, fetcher) if args.discover else None
    target = args.page or sourcecheck.newest_article_url(listings or [])
    page = None
    if target and "://" in target:
        page = sourcecheck.check_url(source, target, fetcher)
    elif target:
        page = sourcecheck.check_saved_page(source, Path(target), args.url)
    report = sourcecheck.to_json if args.json else sourcecheck.format_report
    print(report(source, page, listings))
    if listings and all(c.error for c in listings):
        print("error: none of the entry's feeds and sitemaps could be read", file=sys.stderr)
        return 1
    if page is None:
        print("error: the feeds and sitemaps list no article URL to check", file=sys.stderr)
        return 1
    return 0 if page.loads else 1


_COMMANDS = {
    "migrate": _cmd_migrate,
    "sources": _cmd_sources,
    "warehouse-url": _cmd_warehouse_url,
    "run": _cmd_run,
    "ingest": _cmd_ingest,
    "parse": _cmd_parse,
    "annotate": _cmd_annotate,
    "enrich": _cmd_enrich,
    "cluster": _cmd_cluster,
    "reprocess": _cmd_reprocess,
    "check": _cmd_check,
    "check-source": _cmd_check_source,
}
