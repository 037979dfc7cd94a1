"""``python -m pipeline``: everything the DAGs do, without Airflow.

    python -m pipeline migrate
    python -m pipeline sources
    python -m pipeline ingest --source duvar-english --since 2020-01-01 --until 2020-02-01
    python -m pipeline parse page.html [page2.html.gz ...] [--url URL]
    python -m pipeline warehouse-url
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path


def _when(value: str) -> datetime:
    """A date or ISO date-time on the command line; naive values are UTC."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD or ISO 8601)") from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="apply pending warehouse migrations")
    sub.add_parser("sources", help="validate and list the source registry")
    run = sub.add_parser("run", help="run the whole stack: warehouse + Airflow standalone (make run)")
    run.add_argument("--port", type=int, default=8080, help="Airflow UI port")
    sub.add_parser("warehouse-url", help="print the warehouse URL (starting the embedded server if needed)")

    ing = sub.add_parser("ingest", help="ingest one source for a date range [since, until)")
    ing.add_argument("--source", required=True, help="source id from the registry")
    ing.add_argument("--since", required=True, type=_when, help="start (inclusive), UTC")
    ing.add_argument("--until", required=True, type=_when, help="end (exclusive), UTC")
    ing.add_argument("--no-progress", action="store_true", help="no progress bar")

    par = sub.add_parser("parse", help="parse saved pages; one JSON object per line")
    par.add_argument("files", nargs="+", type=Path, help=".html or .html.gz files")
    par.add_argument("--url", help="the page URL (for relative links); default file://...")
    par.add_argument("--source", help="use this source's selectors and time zone")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # fmt: skip
    try:
        return int(_COMMANDS[args.command](args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one clear line instead of a traceback for known errors
        from pipeline.sources import SourceConfigError
        from pipeline.warehouse import MigrationError

        if isinstance(exc, SourceConfigError | MigrationError):
            print(f"error: {exc}", file=sys.stderr)
            return 2
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
        print(f"{s.id:24} {s.dag_id:32} {s.schedule:8} feeds={len(s.feeds)} sitemaps={len(s.sitemaps)}  {s.name}")
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
            eng, source, args.since, args.until, trigger="cli",
            progress=bar.update if bar is not None else None, on_planned=planned,
        )  # fmt: skip
    finally:
        if bar is not None:
            bar.close()
    summary = " ".join(f"{k}={v}" for k, v in counts.items())
    print(f"run {run_id} {source.id} [{args.since.isoformat()}, {args.until.isoformat()}): {summary}")
    return 0


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
                title=art.title, authors=list(art.authors),
                published_at=art.published_at.isoformat() if art.published_at else None,
                modified_at=art.modified_at.isoformat() if art.modified_at else None,
                language=art.language, section=art.section, tags=list(art.tags),
                canonical_url=art.canonical_url, body=art.body,
            )  # fmt: skip
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
}
