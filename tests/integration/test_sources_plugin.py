"""The operator's Sources page (plugins/sources_plugin.py) on a real warehouse, through Airflow's app.

The plugin is loaded by Airflow's plugins manager from ``plugins/`` (the folder tests/conftest.py
configures) and called through the real API server app (``airflow.api_fastapi.app.create_app``),
so mounting at ``/newspipe`` and authentication are those of a running ``airflow api-server``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from pipeline import ingest, load
from pipeline.config import settings
from pipeline.sources import get_source, load_sources

pytestmark = pytest.mark.integration

JAN20 = datetime(2020, 1, 20, tzinfo=UTC)
JAN24 = datetime(2020, 1, 24, tzinfo=UTC)
PASSWORD = "sources-page-test"
EVIL_NAME = '<script>alert("pwned")</script> Wire & Co'
EVIL_ERROR = "HTTP 500 <img src=x onerror=alert(1)>"
LAGS = 60  # the k-th test annotation lands k minutes after the article was first seen


# -- the app under test -------------------------------------------------------------------------


def _plugin():
    from airflow import plugins_manager

    plugins_manager.ensure_plugins_loaded()
    info = {p["name"]: p for p in plugins_manager.get_plugin_info()}
    return info, plugins_manager.get_fastapi_plugins()[0]


@pytest.fixture(scope="module")
def plugin():
    """The module Airflow's plugins manager loaded from plugins/sources_plugin.py."""
    import sys

    _plugin()
    return next(
        m
        for m in list(sys.modules.values())
        if str(getattr(m, "__file__", "")).endswith("/plugins/sources_plugin.py")
    )


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory):
    """Airflow's API server app (plugins mounted), logged in as admin with SimpleAuthManager."""
    from fastapi.testclient import TestClient

    passwords = tmp_path_factory.mktemp("auth") / "passwords.json"
    passwords.write_text(json.dumps({"admin": PASSWORD}))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(
            "AIRFLOW__CORE__AUTH_MANAGER",
            "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
        )
        mp.setenv("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", "admin:admin")
        mp.setenv("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE", str(passwords))
        mp.setenv("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS", "False")
        mp.setenv("AIRFLOW__API_AUTH__JWT_SECRET", "sources-plugin-test-" + "s" * 64)
        from airflow.api_fastapi.app import create_app

        with TestClient(create_app("core"), follow_redirects=False) as client:
            answer = client.post("/auth/token", json={"username": "admin", "password": PASSWORD})
            assert answer.status_code == 201, answer.text
            client.token = answer.json()["access_token"]  # type: ignore[attr-defined]
            yield client


@pytest.fixture
def client(api):
    """The logged-in browser: the UI's ``_token`` cookie."""
    api.cookies.clear()
    api.cookies.set("_token", api.token)
    yield api
    api.cookies.clear()


# -- the data ------------------------------------------------------------------------------------


def q(engine, sql: str, **params) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]


@pytest.fixture
def loaded(engine, registry, sites):
    """Nine sources: healthy, stale, failing (last run), failing (failures), five with no data."""
    sources = load_sources(settings().sources_file)
    evil = replace(get_source(sources, "ankara-ledger"), id="evil-wire", name=EVIL_NAME)
    with engine.begin() as conn:
        for s in [*sources, evil]:
            load.upsert_source(conn, s)
    # duvar: loaded, then moved to "now" as if it were a live feed, and annotated
    ingest.run_interval(engine, get_source(sources, "duvar-english"), JAN20, JAN24)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "update core.articles set"
                "  published_at = published_at + (select now() - interval '5 minutes' - max(published_at)"
                "      from core.articles where source_id = 'duvar-english'),"
                "  first_seen_at = now() - interval '1 hour'"
                " where source_id = 'duvar-english'"
            )
        )
        conn.execute(
            sa.text(
                "insert into core.annotations (article_id, version, extractor_version, model, model_version,"
                "  annotated_at)"
                " select a.article_id, 1, 'test', 'test', '0', coalesce(d.first_seen_at, a.first_seen_at)"
                "   + make_interval(secs => :lag * row_number() over (order by a.article_id))"
                " from core.articles a"
                " left join core.discovered_urls d on d.source_id = a.source_id and d.url = a.url"
                " where a.source_id = 'duvar-english'"
            ),
            {"lag": LAGS},
        )
    # turkish-minute: loaded, its articles stay in January 2020 (stale)
    ingest.run_interval(engine, get_source(sources, "turkish-minute"), JAN20, JAN24)
    # hurriyet: loaded, then a later run failed
    ingest.run_interval(engine, get_source(sources, "hurriyet-daily-news"), JAN20, JAN24)
    with engine.begin() as conn:
        run_id = load.start_run(conn, "hurriyet-daily-news", JAN24, JAN24 + timedelta(hours=1), "cli")
    with engine.begin() as conn:
        load.finish_run(conn, run_id, "failed", "ConnectionError: boom")
    # evil-wire: no article, six failing URLs in 24 h (one of them a javascript: URL)
    with engine.begin() as conn:
        now = conn.execute(sa.text("select now()")).scalar_one()
        for i in range(5):
            load.record_failure(
                conn, "evil-wire", f"https://evil.example/a-{i}", "fetch", EVIL_ERROR, None, now
            )
        load.record_failure(conn, "evil-wire", "javascript:alert(1)", "discover", "bad <b>url</b>", None, now)
    return engine


def percentile_cont(values: list[float], fraction: float) -> float:
    """PostgreSQL's percentile_cont: linear interpolation between the closest ranks."""
    ordered = sorted(values)
    pos = fraction * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def rows_of(page: str) -> dict[str, str]:
    """The HTML of each source row, by source id."""
    return dict(re.findall(r'<tr data-source-id="([^"]+)"[^>]*>(.*?)</tr>', page, flags=re.S))


# -- tests ----------------------------------------------------------------------------------------


def test_plugin_is_registered_with_its_app_and_ui_link(api, airflow_db) -> None:
    info, apps = _plugin()
    plugin = info["newspipe_sources"]
    assert "sources_plugin.py" in str(plugin["source"])
    assert [a["url_prefix"] for a in plugin["fastapi_apps"]] == ["/newspipe"]
    assert any(a["url_prefix"] == "/newspipe" for a in apps)
    view = plugin["external_views"][0]
    assert view["name"] == "Sources" and view["destination"] == "nav" and view["category"] == "browse"
    assert view["url_route"] == "sources" and view["href"] == "newspipe/sources"
    # what the UI's navigation reads
    listed = api.get("/api/v2/plugins", headers={"Authorization": f"Bearer {api.token}"})
    assert listed.status_code == 200, listed.text
    ours = next(p for p in listed.json()["plugins"] if p["name"] == "newspipe_sources")
    assert ours["external_views"][0]["url_route"] == "sources"


def test_sources_page_shows_every_source_with_its_numbers(client, loaded, plugin) -> None:
    engine = loaded
    answer = client.get("/newspipe/sources")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert "script-src" not in answer.headers["content-security-policy"]  # no script may run
    page = answer.text
    rows = rows_of(page)
    every = {r["source_id"] for r in q(engine, "select source_id from core.sources")}
    assert set(rows) == every and len(every) == 9  # sources with no data show too
    states = dict(re.findall(r'<tr data-source-id="([^"]+)" data-state="([^"]+)"', page))
    assert states == {
        "duvar-english": "healthy",
        "turkish-minute": "stale",
        "hurriyet-daily-news": "failing",
        "evil-wire": "failing",
        "bianet-english": "no data",
        "ankara-ledger": "no data",
        "daily-sabah": "no data",
        "anadolu-agency": "no data",
        "trt-world": "no data",
    }
    order = list(rows)  # worst first
    assert order.index("evil-wire") < order.index("turkish-minute") < order.index("bianet-english")
    assert order.index("bianet-english") < order.index("duvar-english")
    assert "last run failed" in rows["hurriyet-daily-news"]
    assert "6 URLs failed in 24 h" in rows["evil-wire"]
    assert "no article for" in rows["turkish-minute"] and "no article loaded yet" in rows["bianet-english"]

    # duvar's numbers, computed here from the articles themselves
    now = q(engine, "select now() as now")[0]["now"]
    today = now.astimezone(UTC).date()
    published = [
        r["published_at"]
        for r in q(engine, "select published_at from marts.articles where source_id = 'duvar-english'")
    ]
    per_day = Counter(p.astimezone(UTC).date() for p in published)
    duvar = rows["duvar-english"]
    assert f'<td class="num today">{per_day[today]}</td>' in duvar
    assert f'<td class="num">{len(published)}</td>' in duvar  # articles in 24 h (first seen 1 h ago)
    bars = re.findall(r'<rect class="[^"]+" [^>]*data-day="([^"]+)" data-count="(\d+)"', duvar)
    assert [d for d, _ in bars] == [(today - timedelta(days=13 - i)).isoformat() for i in range(14)]
    assert [int(n) for _, n in bars] == [per_day[today - timedelta(days=13 - i)] for i in range(14)]
    assert sum(int(n) for _, n in bars) == len(published)  # the fixture spans four days
    latest = max(published).astimezone(UTC)
    assert latest.strftime("%Y-%m-%d %H:%M") in duvar
    assert '<td class="num failures bad">2</td>' in duvar  # the page answering 500 + robots.txt
    lags = [LAGS * k for k in range(1, len(published) + 1)]
    p50, p95 = (plugin.duration(percentile_cont(lags, f)) for f in (0.5, 0.95))
    assert f"<div>p50 {p50}</div><div>p95 {p95}</div>" in duvar and f"{len(published)} articles" in duvar
    assert '<span class="run s-success">success</span>' in duvar
    # links: its DAGs in the Airflow UI (whole window, out of the iframe) and its failed URLs
    assert 'target="_top" href="/dags/ingest_duvar_english"' in duvar
    assert 'target="_top" href="/dags/stream_duvar_english"' in duvar
    assert 'target="_top" href="/dags/enrich_articles"' in duvar
    assert 'href="/newspipe/sources/duvar-english/failures">2 failed URLs</a>' in duvar
    assert '<span class="run s-failed">failed</span>' in rows["hurriyet-daily-news"]
    assert rows["bianet-english"].count('data-count="0"') == 14
    assert '<td class="num lag">—</td>' in rows["bianet-english"]


def test_failures_page_lists_the_sources_failing_urls(client, loaded, sites) -> None:
    answer = client.get("/newspipe/sources/duvar-english/failures")
    assert answer.status_code == 200, answer.text
    page = answer.text
    expected = q(loaded, "select * from marts.fetch_failures where source_id = 'duvar-english'")
    assert len(expected) == 2
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1], flags=re.S)
    assert len(rows) == 2
    broken = next(r for r in rows if '<span class="stage">fetch</span>' in r)
    failure = next(f for f in expected if f["stage"] == "fetch")
    assert failure["url"].startswith(sites["duvar"].base_url) and f'href="{failure["url"]}"' in broken
    assert "500" in broken and '<td class="num">1</td>' in broken  # one attempt
    assert failure["last_attempt_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M") in broken
    assert any("/private/" in r and '<span class="stage">robots</span>' in r for r in rows)
    assert 'href="/newspipe/sources"' in page  # back to all sources

    unknown = client.get("/newspipe/sources/no-such-source/failures")
    assert unknown.status_code == 404 and "Unknown source" in unknown.text


def test_everything_from_the_warehouse_is_escaped(client, loaded) -> None:
    page = client.get("/newspipe/sources").text
    assert "<script" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; Wire &amp; Co" in page
    failures = client.get("/newspipe/sources/evil-wire/failures").text
    assert "<script" not in failures and "<img" not in failures and "<b>" not in failures
    assert "HTTP 500 &lt;img src=x onerror=alert(1)&gt;" in failures
    assert "bad &lt;b&gt;url&lt;/b&gt;" in failures
    assert 'href="javascript:' not in failures and "javascript:alert(1)" in failures  # text, not link
    assert "Failing URLs · &lt;script&gt;" in failures


def test_json_endpoint_has_the_same_data(client, api, loaded) -> None:
    answer = api.get("/newspipe/api/sources", headers={"Authorization": f"Bearer {api.token}"})
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    by_id = {s["source_id"]: s for s in doc["sources"]}
    assert len(by_id) == 9 and doc["spark_days"] == 14
    datetime.fromisoformat(doc["generated_at"])
    duvar = by_id["duvar-english"]
    html_row = rows_of(client.get("/newspipe/sources").text)["duvar-english"]
    assert duvar["state"] == "healthy" and duvar["name"] == "Duvar English"
    assert f'<td class="num today">{duvar["articles_today"]}</td>' in html_row
    assert duvar["failures_24h"] == 2 and duvar["open_failures"] == 2 and duvar["last_run_state"] == "success"
    assert len(duvar["daily_articles"]) == 14 and sum(d["articles"] for d in duvar["daily_articles"]) > 0
    assert duvar["lag_samples"] == duvar["articles_24h"] and duvar["lag_p50_seconds"] > 0
    assert datetime.fromisoformat(duvar["last_article_at"]) and datetime.fromisoformat(duvar["last_run_at"])
    assert duvar["links"] == {
        "ingest_dag": "/dags/ingest_duvar_english",
        "stream_dag": "/dags/stream_duvar_english",
        "enrich_dag": "/dags/enrich_articles",
        "failures": "/newspipe/sources/duvar-english/failures",
    }
    assert by_id["evil-wire"]["name"] == EVIL_NAME  # JSON carries the raw value
    assert (
        by_id["bianet-english"]["state"] == "no data" and by_id["bianet-english"]["last_article_at"] is None
    )
    assert by_id["turkish-minute"]["stale_after_seconds"] >= 6 * 3600


def test_unreachable_warehouse_answers_503_without_a_traceback(client, monkeypatch) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    monkeypatch.setenv("WAREHOUSE_URL", f"postgresql://postgres@127.0.0.1:{port}/warehouse")
    page = client.get("/newspipe/sources")
    assert page.status_code == 503
    assert "Warehouse unavailable" in page.text and "Traceback" not in page.text
    assert f"{port}" in page.text  # the driver's message says where it tried
    failures = client.get("/newspipe/sources/duvar-english/failures")
    assert failures.status_code == 503 and "Warehouse unavailable" in failures.text
    api = client.get("/newspipe/api/sources")
    assert api.status_code == 503 and api.json()["error"] == "warehouse_unavailable"


def test_pages_need_an_airflow_login(api, warehouse_url) -> None:
    api.cookies.clear()
    page = api.get("/newspipe/sources")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/auth/login?next=")
    assert api.get("/newspipe/api/sources").status_code == 401
    assert api.get("/newspipe/sources/duvar-english/failures").status_code == 303
    api.cookies.set("_token", "not-a-jwt")
    assert api.get("/newspipe/api/sources").status_code == 401
    api.cookies.clear()
    ok = api.get("/newspipe/api/sources", headers={"Authorization": f"Bearer {api.token}"})
    assert ok.status_code == 200 and ok.json()["sources"] == []  # a fresh warehouse: no source yet
    empty = api.get("/newspipe/sources", headers={"Authorization": f"Bearer {api.token}"})
    assert empty.status_code == 200 and "No sources in the warehouse yet" in empty.text


def test_state_rules(plugin) -> None:
    classify, sparkline_svg, stale_floor = plugin.classify, plugin.sparkline_svg, plugin.STALE_FLOOR
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    base = {
        "failures_24h": 0,
        "articles_24h": 10,
        "last_run_state": "success",
        "last_run_at": now,
        "last_article_at": now - timedelta(hours=1),
    }
    assert classify(base, now, 600)[0] == "healthy"
    assert classify({**base, "last_run_state": "failed"}, now, 600)[0] == "failing"
    assert classify({**base, "failures_24h": 10}, now, 600)[0] == "failing"  # as many as articles
    assert classify({**base, "failures_24h": 9}, now, 600)[0] == "healthy"
    assert classify({**base, "failures_24h": 4, "articles_24h": 0}, now, 600)[0] == "healthy"  # < 5
    assert classify({**base, "last_article_at": None}, now, None)[0] == "no data"
    quiet = {**base, "last_article_at": now - stale_floor - timedelta(minutes=1)}
    assert classify(quiet, now, 600)[0] == "stale"  # 4 x 10 min is less than the 6 h floor
    assert classify(quiet, now, 3 * 3600)[0] == "healthy"  # a source that posts every 3 h
    assert classify({**base, "last_article_at": now - timedelta(hours=25)}, now, None)[0] == "stale"
    svg = sparkline_svg([{"day": f"d{i}", "articles": n} for i, n in enumerate([0, 3, 6])])
    assert svg.count("<rect") == 3 and 'data-count="6"' in svg and "<title>d1: 3 articles</title>" in svg
