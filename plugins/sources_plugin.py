"""The operator's "Sources" page: one row per news source, is it alive, how fresh, how fast.

An Airflow plugin (``NewspipeSourcesPlugin``) that mounts a small FastAPI app on the API server at
``/newspipe`` and adds "Sources" to the UI's *Browse* menu (rendered inside the UI in an iframe at
``/plugin/sources``).

URLs (relative to the API server's base URL)
    ``/newspipe/sources``                       HTML, one row per source
    ``/newspipe/sources/<source_id>/failures``  HTML, its failing URLs (marts.fetch_failures)
    ``/newspipe/api/sources``                   JSON, the data of the HTML page, for scripts

Data
    Read from the warehouse (``pipeline.warehouse.engine()``: ``WAREHOUSE_URL``, else the embedded
    server) through the ``marts`` views: ``source_health`` (one row per source in ``core.sources``,
    so a source with no data yet still shows), ``articles`` (14-day sparkline, usual publishing
    gap) and ``fetch_failures``. Every request runs in one read-only transaction with a statement
    timeout, so all numbers share one ``now()``. An unreachable warehouse gives a 503 page (or a
    503 JSON error), never a traceback. ``pipeline`` is imported inside the handlers: loading the
    plugin (scheduler, workers, ``airflow plugins``) is cheap and never connects.

State of a source (first rule that matches)
    failing   the last ingest run failed, or at least ``FAILING_MIN_FAILURES`` URLs failed in
              24 h and no fewer than the articles loaded in 24 h;
    no data   no article loaded yet;
    stale     no article published for longer than usual: ``STALE_FACTOR`` x the median gap
              between its last ``GAP_SAMPLE`` articles, at least ``STALE_FLOOR`` (``STALE_DEFAULT``
              while fewer than ``MIN_GAPS`` gaps are known);
    healthy   otherwise.

Authentication
    Airflow 3.3 mounts plugin FastAPI apps as they are (``airflow.api_fastapi.app.init_plugins``:
    a bare ``app.mount``); it does **not** put them behind the API server's authentication. So
    this app checks every request itself, the way Airflow's own routes do: the JWT from an
    ``Authorization: Bearer`` header or the UI's ``_token`` cookie is resolved by Airflow's
    ``get_user`` and the auth manager must allow ``is_authorized_view(WEBSITE)`` (anyone who may
    see the UI; SimpleAuthManager: role viewer and up). Without a valid token the HTML pages
    redirect to the auth manager's login page and the JSON endpoint answers 401; a user without
    that permission gets 403. Scripts get a token from ``POST /auth/token`` and send it as
    ``Authorization: Bearer <token>``.

Pages set a Content-Security-Policy that allows no script at all and framing only by the
Airflow UI itself; every value from the warehouse is escaped with ``html.escape``.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

URL_PREFIX = "/newspipe"
SPARK_DAYS = 14  # days in the sparkline, today (UTC) included
FAILING_MIN_FAILURES = 5  # failures in 24 h that make a source failing (if >= its articles in 24 h)
GAP_SAMPLE = 50  # gaps between the latest articles that define a source's usual publishing gap
MIN_GAPS = 3  # fewer known gaps than this: STALE_DEFAULT applies
STALE_FACTOR = 4  # stale after this many usual gaps without an article ...
STALE_FLOOR = timedelta(hours=6)  # ... but never sooner than this
STALE_DEFAULT = timedelta(hours=24)  # threshold while the usual gap is unknown
FAILURES_PAGE_LIMIT = 500  # rows on the failures page (the total is always shown)
STATEMENT_TIMEOUT_MS = 15_000
STATE_ORDER = ("failing", "stale", "no data", "healthy")  # rows are listed worst first

# ---------------------------------------------------------------------------------------------
# SQL: small functions taking a connection, returning plain dicts. All read the marts views.

_HEALTH_SQL = """
select
    source_id, name, last_article_at, articles_24h, articles_today, failures_24h,
    lag_p50_seconds, lag_p95_seconds, lag_samples, last_run_state, last_run_at
from marts.source_health
"""

# articles per UTC publication day, per source, for the last :days days (today included);
# the lateral subquery reads one source at a time through the (source_id, published_at) index
_DAILY_SQL = """
with bounds as (
    select ((now() at time zone 'UTC')::date - (cast(:days as integer) - 1))::timestamp
               at time zone 'UTC' as since
)
select h.source_id, d.day, d.articles
from marts.source_health h
cross join bounds b
cross join lateral (
    select (a.published_at at time zone 'UTC')::date as day, count(*) as articles
    from marts.articles a
    where a.source_id = h.source_id and a.published_at >= b.since
    group by 1
) d
"""

# the median gap between a source's latest articles (published up to now)
_GAPS_SQL = """
select h.source_id,
       percentile_cont(0.5) within group (order by g.gap_seconds) as median_gap_seconds,
       count(g.gap_seconds) as gaps
from marts.source_health h
cross join lateral (
    select extract(epoch from lag(t.published_at) over (order by t.published_at desc)
                              - t.published_at) as gap_seconds
    from (
        select a.published_at
        from marts.articles a
        where a.source_id = h.source_id and a.published_at <= now()
        order by a.published_at desc
        limit cast(:sample as integer) + 1
    ) t
) g
where g.gap_seconds is not null
group by h.source_id
"""

_OPEN_FAILURES_SQL = (
    "select source_id, count(*) as open_failures from marts.fetch_failures group by source_id"
)

_FAILURES_SQL = """
select url, stage, error, attempts, first_failed_at, last_attempt_at
from marts.fetch_failures
where source_id = :source_id
order by last_attempt_at desc, url
limit cast(:limit as integer)
"""


def _begin_read(conn: Connection) -> datetime:
    """Make the transaction read-only with a statement timeout; return its ``now()``."""
    import sqlalchemy as sa

    conn.execute(sa.text("set transaction read only"))
    conn.execute(sa.text(f"set local statement_timeout = {int(STATEMENT_TIMEOUT_MS)}"))
    return conn.execute(sa.text("select now()")).scalar_one()


def source_health(conn: Connection) -> list[dict[str, Any]]:
    """Rows of ``marts.source_health``, one per source."""
    import sqlalchemy as sa

    return [dict(r) for r in conn.execute(sa.text(_HEALTH_SQL)).mappings()]


def daily_articles(conn: Connection, days: int = SPARK_DAYS) -> dict[str, dict[date, int]]:
    """Articles per UTC publication day over the last *days* days: ``{source_id: {day: n}}``."""
    import sqlalchemy as sa

    out: dict[str, dict[date, int]] = {}
    for r in conn.execute(sa.text(_DAILY_SQL), {"days": days}).mappings():
        out.setdefault(r["source_id"], {})[r["day"]] = int(r["articles"])
    return out


def publishing_gaps(conn: Connection, sample: int = GAP_SAMPLE) -> dict[str, tuple[float, int]]:
    """Median gap (seconds) between each source's latest *sample* articles, and how many gaps."""
    import sqlalchemy as sa

    rows = conn.execute(sa.text(_GAPS_SQL), {"sample": sample}).mappings()
    return {r["source_id"]: (float(r["median_gap_seconds"]), int(r["gaps"])) for r in rows}


def open_failures(conn: Connection) -> dict[str, int]:
    """Number of URLs currently failing (``marts.fetch_failures``) per source."""
    import sqlalchemy as sa

    return {
        r["source_id"]: int(r["open_failures"]) for r in conn.execute(sa.text(_OPEN_FAILURES_SQL)).mappings()
    }


def source_failures(
    conn: Connection, source_id: str, limit: int = FAILURES_PAGE_LIMIT
) -> list[dict[str, Any]]:
    """The source's failing URLs, most recent attempt first (at most *limit*)."""
    import sqlalchemy as sa

    params = {"source_id": source_id, "limit": limit}
    return [dict(r) for r in conn.execute(sa.text(_FAILURES_SQL), params).mappings()]


def sources_overview(conn: Connection) -> tuple[datetime, list[dict[str, Any]]]:
    """Everything the Sources page shows: ``(now, rows)``, rows worst state first.

    Each row holds the ``marts.source_health`` columns plus ``state``, ``state_reason``,
    ``daily_articles`` (``SPARK_DAYS`` ``{"day", "articles"}`` dicts, oldest first),
    ``open_failures``, ``usual_gap_seconds`` and ``stale_after_seconds``.
    """
    now = _begin_read(conn)
    daily = daily_articles(conn)
    gaps = publishing_gaps(conn)
    failing_urls = open_failures(conn)
    rows = []
    for health in source_health(conn):
        sid = health["source_id"]
        gap, n_gaps = gaps.get(sid, (None, 0))
        usual_gap = gap if n_gaps >= MIN_GAPS else None
        state, reason = classify(health, now, usual_gap)
        rows.append(
            {
                **health,
                "lag_p50_seconds": _float(health["lag_p50_seconds"]),
                "lag_p95_seconds": _float(health["lag_p95_seconds"]),
                "state": state,
                "state_reason": reason,
                "daily_articles": spark_days(daily.get(sid, {}), now),
                "open_failures": failing_urls.get(sid, 0),
                "usual_gap_seconds": usual_gap,
                "stale_after_seconds": stale_after(usual_gap).total_seconds(),
            }
        )
    rows.sort(key=lambda r: (STATE_ORDER.index(r["state"]), str(r["name"]).casefold(), r["source_id"]))
    return now, rows


def failures_overview(
    conn: Connection, source_id: str
) -> tuple[datetime, dict[str, Any] | None, list[dict[str, Any]]]:
    """``(now, source, failures)`` for the failures page; *source* is None when unknown."""
    import sqlalchemy as sa

    now = _begin_read(conn)
    sql = sa.text("select source_id, name from marts.source_health where source_id = :s")
    found = conn.execute(sql, {"s": source_id}).mappings().first()
    if found is None:
        return now, None, []
    source = dict(found)
    source["open_failures"] = open_failures(conn).get(source_id, 0)
    return now, source, source_failures(conn, source_id)


# ---------------------------------------------------------------------------------------------
# The pure part: state, sparkline, formatting, HTML. Values in, values out.


def stale_after(usual_gap_seconds: float | None) -> timedelta:
    """How long without an article makes a source stale, given its usual gap."""
    if usual_gap_seconds is None:
        return STALE_DEFAULT
    return max(STALE_FLOOR, timedelta(seconds=STALE_FACTOR * usual_gap_seconds))


def classify(health: Mapping[str, Any], now: datetime, usual_gap_seconds: float | None) -> tuple[str, str]:
    """The source's state (``healthy``, ``stale``, ``failing``, ``no data``) and why, in words."""
    failures = int(health.get("failures_24h") or 0)
    articles = int(health.get("articles_24h") or 0)
    if health.get("last_run_state") == "failed":
        return "failing", f"last run failed {_ago(health.get('last_run_at'), now)}".rstrip()
    if failures >= max(FAILING_MIN_FAILURES, articles):
        return "failing", f"{failures} URLs failed in 24 h, {articles} articles loaded"
    last = health.get("last_article_at")
    if last is None:
        return "no data", "no article loaded yet"
    threshold = stale_after(usual_gap_seconds)
    if now - last > threshold:
        usual = (
            f"usual gap {duration(usual_gap_seconds)}"
            if usual_gap_seconds is not None
            else "usual gap unknown"
        )
        silent = duration((now - last).total_seconds())
        return (
            "stale",
            f"no article for {silent} ({usual}, stale after {duration(threshold.total_seconds())})",
        )
    return "healthy", f"last article {duration(max(0.0, (now - last).total_seconds()))} ago"


def spark_days(counts: Mapping[date, int], now: datetime, days: int = SPARK_DAYS) -> list[dict[str, Any]]:
    """*days* ``{"day": date, "articles": n}`` ending today (UTC), zeros filled in, oldest first."""
    today = now.astimezone(UTC).date()
    return [
        {"day": d, "articles": counts.get(d, 0)}
        for d in (today - timedelta(days=days - 1 - i) for i in range(days))
    ]


def sparkline_svg(points: Sequence[Mapping[str, Any]], width: int = 112, height: int = 26) -> str:
    """An inline SVG bar chart of articles per day (one bar per point, tooltips per bar)."""
    n = max(len(points), 1)
    step = width / n
    peak = max((int(p["articles"]) for p in points), default=0)
    total = sum(int(p["articles"]) for p in points)
    bars = []
    for i, p in enumerate(points):
        count = int(p["articles"])
        h = 1.0 if count == 0 else max(2.0, (height - 2) * count / peak)
        cls = "bar" if count else "bar zero"
        day = _e(str(p["day"]))
        label = f"{day}: {count} article{'s' if count != 1 else ''}"
        bars.append(
            f'<rect class="{cls}" x="{i * step + 0.5:.1f}" y="{height - h:.1f}"'
            f' width="{step - 1.5:.1f}" height="{h:.1f}" data-day="{day}" data-count="{count}">'
            f"<title>{label}</title></rect>"
        )
    aria = f"Articles per day, last {len(points)} days: {total} in total, at most {peak} a day"
    return (
        f'<svg class="spark" role="img" aria-label="{_e(aria)}" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>'
    )


def duration(seconds: float | None) -> str:
    """``42 s``, ``3.5 min``, ``2.1 h``, ``3.5 d``, ``250 d``; an em dash for None."""
    if seconds is None:
        return "—"
    s = float(seconds)
    if abs(s) < 90:
        return f"{s:.0f} s"
    if abs(s) < 90 * 60:
        return f"{s / 60:.1f} min"
    if abs(s) < 48 * 3600:
        return f"{s / 3600:.1f} h"
    if abs(s) < 10 * 86400:
        return f"{s / 86400:.1f} d"
    return f"{s / 86400:.0f} d"


def dag_links(source_id: str, airflow_base: str = "") -> dict[str, str]:
    """Airflow UI links for a source: its ingest and stream DAGs and the enrichment DAG."""
    dag_suffix = source_id.replace("-", "_")
    return {
        "ingest_dag": f"{airflow_base}/dags/{quote('ingest_' + dag_suffix, safe='')}",
        "stream_dag": f"{airflow_base}/dags/{quote('stream_' + dag_suffix, safe='')}",
        "enrich_dag": f"{airflow_base}/dags/enrich_articles",
    }


def failures_href(source_id: str, app_base: str = "") -> str:
    return f"{app_base}/sources/{quote(source_id, safe='')}/failures"


def to_json(
    now: datetime, rows: Iterable[Mapping[str, Any]], app_base: str, airflow_base: str
) -> dict[str, Any]:
    """The JSON document of ``/newspipe/api/sources`` (times ISO 8601, durations in seconds)."""
    sources = []
    for r in rows:
        item = {k: _jsonable(v) for k, v in r.items() if k != "daily_articles"}
        item["daily_articles"] = [
            {"day": p["day"].isoformat(), "articles": p["articles"]} for p in r["daily_articles"]
        ]
        item["links"] = {
            **dag_links(r["source_id"], airflow_base),
            "failures": failures_href(r["source_id"], app_base),
        }
        sources.append(item)
    return {"generated_at": now.isoformat(), "spark_days": SPARK_DAYS, "sources": sources}


def render_sources_page(
    now: datetime, rows: Sequence[Mapping[str, Any]], app_base: str, airflow_base: str
) -> str:
    """The HTML of the Sources page."""
    counts = {s: sum(1 for r in rows if r["state"] == s) for s in STATE_ORDER}
    summary = ", ".join(
        f'<span class="state {_cls(s)}">{counts[s]} {_e(s)}</span>' for s in STATE_ORDER if counts[s]
    )
    body_rows = "\n".join(_source_row(r, now, app_base, airflow_base) for r in rows)
    if not rows:
        body_rows = _empty_row(10, "No sources in the warehouse yet (core.sources is empty).")
    table = f"""
<table class="sources">
  <thead><tr>
    <th>Source</th><th>State</th>
    <th title="Publication time of its latest article">Last article</th>
    <th class="num" title="Articles published today (UTC)">Today</th>
    <th class="num" title="Articles loaded for the first time in the last 24 hours">Loaded 24 h</th>
    <th title="Articles published per day (UTC), oldest first">Last {SPARK_DAYS} days</th>
    <th class="num" title="Failing URLs whose last attempt was in the last 24 hours">Failures 24 h</th>
    <th class="num lag" title="First seen to annotated, for articles loaded in the last 24 hours"
      >Lag p50 / p95</th>
    <th>Last run</th><th>Links</th>
  </tr></thead>
  <tbody>
{body_rows}
  </tbody>
</table>"""
    header = (
        f'<p class="meta">{len(rows)} source{"s" if len(rows) != 1 else ""}'
        f"{': ' + summary if summary else ''} · as of {_e(_utc(now))} UTC (all times UTC) · "
        f'<a href="{_e(app_base)}/api/sources">JSON</a></p>'
    )
    return _page("Sources", "Sources", header + table)


def render_failures_page(
    now: datetime, source: Mapping[str, Any], failures: Sequence[Mapping[str, Any]], app_base: str
) -> str:
    """The HTML of one source's failing URLs."""
    rows = []
    for f in failures:
        rows.append(
            "<tr>"
            f'<td class="url">{_url_cell(f["url"])}</td>'
            f'<td><span class="stage">{_e(f["stage"])}</span></td>'
            f'<td class="error">{_e(f["error"])}</td>'
            f'<td class="num">{int(f["attempts"])}</td>'
            f"<td>{_time_cell(f['first_failed_at'], now)}</td>"
            f"<td>{_time_cell(f['last_attempt_at'], now)}</td>"
            "</tr>"
        )
    total = int(source.get("open_failures") or len(failures))
    shown = (
        f"showing the latest {len(failures)} of {total}"
        if total > len(failures)
        else f"{total} failing URL{'s' if total != 1 else ''}"
    )
    body = "\n".join(rows) or _empty_row(6, "No failing URLs: every URL it listed was loaded.")
    content = f"""
<p class="meta"><a href="{_e(app_base)}/sources">← All sources</a> ·
  <code>{_e(source["source_id"])}</code> · {_e(shown)} · as of {_e(_utc(now))} UTC</p>
<table class="failures">
  <thead><tr><th>URL</th><th>Stage</th><th>Error</th><th class="num">Attempts</th>
    <th>First failed</th><th>Last attempt</th></tr></thead>
  <tbody>
{body}
  </tbody>
</table>"""
    name = str(source.get("name") or source["source_id"])
    return _page(f"Failures · {name}", f"Failing URLs · {name}", content)


def render_error_page(title: str, message: str, detail: str = "", back: str = "") -> str:
    """A plain error page (warehouse unreachable, unknown source)."""
    detail_html = f"<pre>{_e(detail)}</pre>" if detail else ""
    back_html = f'<p><a href="{_e(back)}">← All sources</a></p>' if back else ""
    box = f"<h2>{_e(title)}</h2><p>{_e(message)}</p>{detail_html}"
    return _page(title, "Sources", f'<div class="error-box">{box}</div>{back_html}')


def _empty_row(columns: int, message: str) -> str:
    return f'<tr><td colspan="{columns}" class="empty">{_e(message)}</td></tr>'


def _source_row(r: Mapping[str, Any], now: datetime, app_base: str, airflow_base: str) -> str:
    sid = str(r["source_id"])
    links = dag_links(sid, airflow_base)
    n_failing = int(r.get("open_failures") or 0)
    lag = "—"
    if r.get("lag_samples"):
        lag = f"<div>p50 {_e(duration(r['lag_p50_seconds']))}</div>"
        lag += f"<div>p95 {_e(duration(r['lag_p95_seconds']))}</div>"
        lag += f'<div class="sub">{int(r["lag_samples"])} articles</div>'
    run = "—"
    if r.get("last_run_state"):
        run_state = str(r["last_run_state"])
        run = f'<span class="run {_cls(run_state)}">{_e(run_state)}</span>'
        run += f'<div class="sub">{_time_cell(r.get("last_run_at"), now)}</div>'
    failures_24h = int(r.get("failures_24h") or 0)
    state = str(r["state"])
    failed_urls = f"{n_failing} failed URL{'s' if n_failing != 1 else ''}"
    return (
        f'<tr data-source-id="{_e(sid)}" data-state="{_e(state)}">'
        f'<td class="source"><div class="name">{_e(r["name"])}</div>'
        f'<div class="sub"><code>{_e(sid)}</code></div></td>'
        f'<td><span class="state {_cls(state)}">{_e(state)}</span>'
        f'<div class="sub reason">{_e(r["state_reason"])}</div></td>'
        f"<td>{_time_cell(r.get('last_article_at'), now)}</td>"
        f'<td class="num today">{int(r.get("articles_today") or 0)}</td>'
        f'<td class="num">{int(r.get("articles_24h") or 0)}</td>'
        f'<td class="spark-cell">{sparkline_svg(r["daily_articles"])}'
        f'<div class="sub">{_spark_caption(r["daily_articles"])}</div></td>'
        f'<td class="num failures{" bad" if failures_24h else ""}">{failures_24h}</td>'
        f'<td class="num lag">{lag}</td>'
        f"<td>{run}</td>"
        '<td class="links">'
        f'<a target="_top" href="{_e(links["ingest_dag"])}">ingest</a> · '
        f'<a target="_top" href="{_e(links["stream_dag"])}">stream</a> · '
        f'<a target="_top" href="{_e(links["enrich_dag"])}">enrich</a><br>'
        f'<a class="failed-urls" href="{_e(failures_href(sid, app_base))}">{failed_urls}</a>'
        "</td></tr>"
    )


def _spark_caption(points: Sequence[Mapping[str, Any]]) -> str:
    counts = [int(p["articles"]) for p in points]
    return f"{sum(counts)} in {len(counts)} d, max {max(counts, default=0)}/d"


def _time_cell(value: datetime | None, now: datetime) -> str:
    if value is None:
        return '<span class="none">—</span>'
    iso = value.astimezone(UTC).isoformat()
    return (
        f'<time datetime="{_e(iso)}" title="{_e(iso)}">{_e(_utc(value))}</time>'
        f'<div class="sub">{_e(_ago(value, now))}</div>'
    )


def _url_cell(url: str) -> str:
    """The URL as a link when it is http(s) (never ``javascript:``), else as text."""
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return f'<a href="{_e(url)}" rel="noopener noreferrer" target="_blank">{_e(url)}</a>'
    return _e(url)


def _ago(value: datetime | None, now: datetime) -> str:
    if value is None:
        return ""
    delta = (now - value).total_seconds()
    return f"in {duration(-delta)}" if delta < 0 else f"{duration(delta)} ago"


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _cls(state: str) -> str:
    return "s-" + "".join(c if c.isalnum() else "-" for c in state.lower())


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _jsonable(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "__float__") and not isinstance(value, int | float | bool):
        return float(value)  # type: ignore[arg-type]  # Decimal from numeric columns
    return value


_CSS = """
:root { --fg:#1f2328; --muted:#656d76; --line:#d8dee4; --bg:#fff; --head:#f6f8fa;
        --link:#0969da; --ok:#1a7f37; --ok-bg:#dafbe1; --warn:#9a6700; --warn-bg:#fff8c5;
        --bad:#cf222e; --bad-bg:#ffebe9; --none:#57606a; --none-bg:#eaeef2;
        --bar:#0969da; --bar0:#d0d7de; }
@media (prefers-color-scheme: dark) {
  :root { --fg:#e6edf3; --muted:#8d96a0; --line:#30363d; --bg:#0d1117; --head:#161b22;
          --link:#4493f8; --ok:#3fb950; --ok-bg:#12261e; --warn:#d29922; --warn-bg:#272115;
          --bad:#f85149; --bad-bg:#2d1214; --none:#8d96a0; --none-bg:#21262d;
          --bar:#4493f8; --bar0:#30363d; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 20px; color: var(--fg); background: var(--bg);
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; font-weight: 600; }
h2 { font-size: 16px; margin: 0 0 6px; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.meta { color: var(--muted); margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 8px 7px;
         border-bottom: 1px solid var(--line); }
th { background: var(--head); font-size: 12px; font-weight: 600; color: var(--muted);
     text-transform: uppercase; letter-spacing: .03em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num.today { font-weight: 600; }
td.failures.bad { color: var(--bad); font-weight: 600; }
.sub { color: var(--muted); font-size: 12px; }
.reason { min-width: 12em; max-width: 20em; }
.spark-cell .sub, td.lag { white-space: nowrap; }
.name { font-weight: 600; }
td.source code, time { white-space: nowrap; }
.state, .run { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px;
               font-weight: 600; white-space: nowrap; background: var(--none-bg);
               color: var(--none); }
.s-healthy, .s-success { background: var(--ok-bg); color: var(--ok); }
.s-stale, .s-running { background: var(--warn-bg); color: var(--warn); }
.s-failing, .s-failed { background: var(--bad-bg); color: var(--bad); }
.links { white-space: nowrap; }
.spark .bar { fill: var(--bar); }
.spark .bar.zero { fill: var(--bar0); }
.spark-cell { padding-top: 10px; }
td.url { word-break: break-all; max-width: 34em; }
td.error { word-break: break-word; max-width: 30em;
           font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.stage { font-size: 12px; padding: 1px 6px; border-radius: 4px; background: var(--none-bg); }
.empty { color: var(--muted); text-align: center; padding: 24px; }
.error-box { border: 1px solid var(--bad); background: var(--bad-bg); border-radius: 6px;
             padding: 12px 16px; max-width: 60em; }
.error-box pre { white-space: pre-wrap; margin: 8px 0 0; font-size: 12px; }
"""

# No script may run on these pages; only the Airflow UI (same origin) may frame them.
_HTML_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline';"
    " img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _page(title: str, heading: str, content: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} · newspipe</title>
<style>{_CSS}</style></head>
<body><h1>{_e(heading)}</h1>
{content}
</body></html>"""


# ---------------------------------------------------------------------------------------------
# The FastAPI app: authentication, thin handlers, error pages.


class _LoginRequired(Exception):
    """No valid Airflow token came with the request."""


async def _authorize(request: Request) -> None:
    """Let through the users Airflow's auth manager lets see the UI (see the module docstring)."""
    from airflow.api_fastapi.app import get_auth_manager
    from airflow.api_fastapi.auth.managers.models.resource_details import AccessView
    from airflow.api_fastapi.core_api.security import get_user
    from fastapi.security import HTTPBearer

    credentials = await HTTPBearer(auto_error=False)(request)
    try:
        user = await get_user(request, None, credentials)
    except HTTPException as exc:  # 401 no/expired token, 403 invalid token
        raise _LoginRequired from exc
    if not get_auth_manager().is_authorized_view(access_view=AccessView.WEBSITE, user=user):
        raise HTTPException(status_code=403, detail="Forbidden")


app = FastAPI(
    title="newspipe sources",
    description="Per-source health of the newspipe warehouse (HTML pages and a JSON endpoint).",
    docs_url=None,
    redoc_url=None,
    openapi_url=None,
    dependencies=[Depends(_authorize)],
)


def _bases(request: Request) -> tuple[str, str]:
    """(this app's base path, the Airflow UI's base path), from the mount's root_path."""
    app_base = str(request.scope.get("root_path", "")).rstrip("/")
    airflow_base = app_base.removesuffix(URL_PREFIX) if app_base.endswith(URL_PREFIX) else ""
    return app_base, airflow_base


def _is_api(request: Request) -> bool:
    return request.url.path.rstrip("/").endswith("/api/sources")


@app.exception_handler(_LoginRequired)
async def _login_required(request: Request, exc: _LoginRequired) -> Response:
    if _is_api(request):
        return JSONResponse(
            {"detail": "Not authenticated"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
    from airflow.api_fastapi.app import get_auth_manager

    return RedirectResponse(get_auth_manager().get_url_login(next_url=str(request.url)), status_code=303)


def _warehouse_error(request: Request, exc: Exception) -> Response:
    """503: the warehouse could not be reached (or is not migrated); no traceback."""
    if not _is_unavailable(exc):
        raise exc
    detail = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]
    log.warning("newspipe sources: warehouse unavailable: %s", detail)
    if _is_api(request):
        return JSONResponse({"error": "warehouse_unavailable", "detail": detail}, status_code=503)
    app_base, _ = _bases(request)
    page = render_error_page(
        "Warehouse unavailable",
        "The Sources page could not read the warehouse. Check that PostgreSQL is running and that "
        "WAREHOUSE_URL (or the embedded server) points at a migrated warehouse, then reload.",
        detail,
        back=f"{app_base}/sources" if "/failures" in request.url.path else "",
    )
    return HTMLResponse(page, status_code=503, headers=_HTML_HEADERS)


def _read(fn: Any, *args: Any) -> Any:
    """Run ``fn(conn, *args)`` in a warehouse transaction (``pipeline`` is imported here)."""
    from pipeline import warehouse

    with warehouse.engine().connect() as conn, conn.begin():
        return fn(conn, *args)


_MISSING_OBJECT = {"42P01", "3F000"}  # undefined_table, invalid_schema_name: not migrated


def _warehouse_errors() -> tuple[type[Exception], ...]:
    import sqlalchemy.exc

    from pipeline.embedded import EmbeddedError

    return (sqlalchemy.exc.DBAPIError, EmbeddedError)


def _is_unavailable(exc: Exception) -> bool:
    """Unreachable, timed out or not migrated (503), as opposed to a bug in this module."""
    import sqlalchemy.exc

    if isinstance(exc, sqlalchemy.exc.OperationalError | sqlalchemy.exc.InterfaceError):
        return True
    if isinstance(exc, sqlalchemy.exc.DBAPIError):
        return getattr(exc.orig, "sqlstate", None) in _MISSING_OBJECT
    return True


@app.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request) -> Response:
    """The Sources page."""
    try:
        now, rows = _read(sources_overview)
    except _warehouse_errors() as exc:
        return _warehouse_error(request, exc)
    return HTMLResponse(render_sources_page(now, rows, *_bases(request)), headers=_HTML_HEADERS)


@app.get("/sources/{source_id}/failures", response_class=HTMLResponse)
def failures_page(request: Request, source_id: str) -> Response:
    """One source's failing URLs."""
    app_base, _ = _bases(request)
    try:
        now, source, failures = _read(failures_overview, source_id)
    except _warehouse_errors() as exc:
        return _warehouse_error(request, exc)
    if source is None:
        page = render_error_page(
            "Unknown source",
            f"No source {source_id!r} in the warehouse.",
            back=f"{app_base}/sources",
        )
        return HTMLResponse(page, status_code=404, headers=_HTML_HEADERS)
    return HTMLResponse(render_failures_page(now, source, failures, app_base), headers=_HTML_HEADERS)


@app.get("/api/sources")
def sources_api(request: Request) -> Response:
    """The Sources page's data as JSON."""
    try:
        now, rows = _read(sources_overview)
    except _warehouse_errors() as exc:
        return _warehouse_error(request, exc)
    return JSONResponse(to_json(now, rows, *_bases(request)), headers={"Cache-Control": "no-store"})


class NewspipeSourcesPlugin(AirflowPlugin):
    """Registers the Sources app at ``/newspipe`` and its entry in the UI's Browse menu."""

    name = "newspipe_sources"
    fastapi_apps = [{"app": app, "url_prefix": URL_PREFIX, "name": "newspipe sources"}]  # noqa: RUF012
    external_views = [  # noqa: RUF012
        {
            "name": "Sources",
            # relative to the UI's <base href>: works when Airflow is served under a path prefix
            "href": URL_PREFIX.lstrip("/") + "/sources",
            "destination": "nav",
            "category": "browse",
            "url_route": "sources",  # shown inside the UI (iframe) at /plugin/sources
        }
    ]
