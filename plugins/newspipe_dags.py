"""What every newspipe DAG shares: owner, retry policy, failure alert, Assets and date params.

Lives in plugins/ because the plugins folder is on every Airflow component's sys.path.
"""

from __future__ import annotations

import operator
from datetime import datetime, timedelta
from functools import reduce
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from airflow.sdk import Asset

    from pipeline.sources import Source

OWNER = "newsroom-data"


def articles_asset(source: Source) -> Asset:
    """The Asset a source's ingest DAG updates after every load."""
    from airflow.sdk import Asset

    return Asset(name=source.asset_name, uri=source.asset_uri)


def after_any_ingest() -> Any:
    """The schedule of the DAGs that follow ingestion: any source's articles Asset updated.

    ``None`` (manual runs only) when the registry has no source.
    """
    from pipeline.config import settings
    from pipeline.sources import load_sources

    assets = [articles_asset(s) for s in load_sources(settings().sources_file)]
    return reduce(operator.or_, assets) if assets else None


def date_params(verb: str) -> dict[str, Any]:
    """Optional ``since``/``until`` params (UTC dates) narrowing a DAG to a publication range."""
    from airflow.sdk import Param

    return {
        "since": Param(None, type=["null", "string"], format="date", description=f"{verb} from (UTC date)"),
        "until": Param(None, type=["null", "string"], format="date", description=f"{verb} until (exclusive)"),
    }


def date_range(params: dict[str, Any] | None) -> tuple[datetime | None, datetime | None]:
    """The optional ``since`` / ``until`` dates of a run's params, as UTC datetimes."""
    from pipeline.normalize import require_time

    params = params or {}
    since, until = (require_time(params[k]) if params.get(k) else None for k in ("since", "until"))
    return since, until


def default_args(*, retries: int, retry_delay: timedelta, execution_timeout: timedelta,
                 max_retry_delay: timedelta | None = None) -> dict[str, Any]:  # fmt: skip
    """Task defaults: a named owner, retries with exponential backoff, a time limit."""
    args: dict[str, Any] = {
        "owner": OWNER,
        "retries": retries,
        "retry_delay": retry_delay,
        "retry_exponential_backoff": True,
        "execution_timeout": execution_timeout,
    }
    if max_retry_delay is not None:
        args["max_retry_delay"] = max_retry_delay
    return args


def alert_on_failure(context) -> None:
    """DAG-level failure callback: one summary line per failed run (never for retried successes).

    Names the source, the interval, the task that failed and the run's counts from the warehouse
    (how many URLs failed), then logs it and posts/mails it when configured (pipeline.alerts).
    """
    from pipeline.alerts import notify, summary_line

    run = context.get("dag_run")
    ti = context.get("ti")
    failed = []
    if ti is not None:
        map_index = getattr(ti, "map_index", -1)
        failed.append(
            f"{ti.task_id}[{map_index}]" if map_index is not None and map_index >= 0 else ti.task_id
        )
    run_id = getattr(run, "run_id", None) or context.get("run_id")
    dag_id = getattr(run, "dag_id", None) or getattr(context.get("dag"), "dag_id", "?")
    line = summary_line(
        dag_id=dag_id,
        source_id=(context.get("params") or {}).get("source_id"),
        interval_start=getattr(run, "data_interval_start", None),
        interval_end=getattr(run, "data_interval_end", None),
        failed_tasks=failed,
        reason=str(context.get("exception") or context.get("reason") or ""),
        counts=_run_counts(run_id),
    )
    notify(line, details={"dag_id": dag_id, "run_id": run_id})


def _run_counts(airflow_run_id: str | None) -> dict[str, int] | None:
    """The warehouse's counts for the ingest run behind an Airflow run (none when unreachable)."""
    if not airflow_run_id:
        return None
    try:
        import sqlalchemy as sa

        from pipeline import warehouse

        with warehouse.engine().connect() as conn:
            row = (
                conn.execute(
                    sa.text(
                        "select discovered, new, updated, failed from core.ingest_runs"
                        " where airflow_run_id = :r order by run_id desc limit 1"
                    ),
                    {"r": airflow_run_id},
                )
                .mappings()
                .first()
            )
        return dict(row) if row else None
    except Exception:
        return None
