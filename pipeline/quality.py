"""Data-quality checks run after every load, and the daily volume check per source.

The SQL lives here once; Airflow runs it through the common-sql provider's ``SQLCheckOperator``
(every value of the returned row must be true, else the task fails and the run alerts), and
``python -m pipeline check`` runs the same SQL without Airflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

# name -> boolean aggregate over the articles a run loaded (true when there are none)
CHECKS: dict[str, str] = {
    "titles_present": "coalesce(bool_and(coalesce(title, '') <> ''), true)",
    "bodies_present": "coalesce(bool_and(coalesce(body, '') <> ''), true)",
    "published_times_present": "coalesce(bool_and(published_at is not null), true)",
    "nothing_published_in_the_future": "coalesce(bool_and(published_at <= fetched_at + interval '1 hour'), true)",
    "body_lengths_sane": "coalesce(bool_and(word_count between 20 and 30000), true)",
    "canonical_urls_unique": "count(*) = count(distinct canonical_url)",
}
QUIET_RATIO = 0.25  # a day below a quarter of the trailing median is "quiet"
MIN_MEDIAN = 4  # sources publishing less than this a day are too sparse to judge


def checks_sql(run_id_expr: str = ":run_id") -> str:
    """One row of named booleans about the articles the run *run_id_expr* loaded."""
    columns = ",\n    ".join(f"{expr} as {name}" for name, expr in CHECKS.items())
    return (
        "with loaded as (\n"
        "    select a.*, f.fetched_at from marts.articles a\n"
        "    join core.articles c using (article_id)\n"
        "    join raw.fetches f on f.fetch_id = c.last_fetch_id\n"
        f"    where f.run_id = {run_id_expr}\n"
        ")\n"
        f"select\n    {columns}\nfrom loaded"
    )


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool


def run_checks(eng: Engine, run_id: int) -> list[CheckResult]:
    with eng.connect() as conn:
        row = conn.execute(sa.text(checks_sql()), {"run_id": run_id}).mappings().one()
    return [CheckResult(name, bool(row[name])) for name in CHECKS]


def volume_sql() -> str:
    """Articles published on the day ending at :day_end, and the median of the 14 days before."""
    return (
        "with days as (\n"
        "    select generate_series(cast(:day_end as timestamptz) - interval '15 days',\n"
        "                           cast(:day_end as timestamptz) - interval '1 day', interval '1 day') as day_start\n"
        "), counts as (\n"
        "    select d.day_start, count(a.article_id) as n\n"
        "    from days d left join core.articles a on a.source_id = :source_id\n"
        "      and a.published_at >= d.day_start and a.published_at < d.day_start + interval '1 day'\n"
        "    group by d.day_start\n"
        ")\n"
        "select\n"
        "    (select n from counts order by day_start desc limit 1) as day_count,\n"
        "    (select percentile_cont(0.5) within group (order by n) from\n"
        "        (select n from counts order by day_start desc offset 1) t) as trailing_median"
    )


@dataclass(frozen=True)
class Volume:
    source_id: str
    day_end: datetime
    day_count: int
    trailing_median: float

    @property
    def quiet(self) -> bool:
        return self.trailing_median >= MIN_MEDIAN and self.day_count < QUIET_RATIO * self.trailing_median

    def message(self) -> str:
        day = (self.day_end - timedelta(days=1)).date().isoformat()
        verdict = "QUIET" if self.quiet else "ok"
        return (
            f"volume {verdict}: {self.source_id} published {self.day_count} articles on {day}"
            f" (trailing 14-day median {self.trailing_median:g})"
        )


def daily_volume(eng: Engine, source_id: str, day_end: datetime) -> Volume:
    with eng.connect() as conn:
        row = conn.execute(sa.text(volume_sql()), {"source_id": source_id, "day_end": day_end}).one()
    return Volume(source_id, day_end, int(row[0] or 0), float(row[1] or 0))
