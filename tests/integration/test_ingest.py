"""Ingestion against real HTTP fixture sites and a real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from pipeline import ingest, load
from pipeline.config import settings
from pipeline.sources import get_source, load_sources
from tests.support.registry import articles_in

pytestmark = pytest.mark.integration

JAN20 = datetime(2020, 1, 20, tzinfo=UTC)
JAN24 = datetime(2020, 1, 24, tzinfo=UTC)


def source(source_id: str):
    return get_source(load_sources(settings().sources_file), source_id)


def rows(engine, sql: str, **params) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]


def snapshot(engine) -> dict[str, list[dict]]:
    return {
        "articles": rows(engine, "select * from marts.articles order by article_id"),
        "versions": rows(engine, "select * from marts.article_versions order by article_id, version"),
        "authors": rows(engine, "select * from core.article_authors order by article_id, position"),
    }


def test_duvar_interval_loads_every_article_once(engine, registry, sites) -> None:
    site = sites["duvar"]
    run_id, counts = ingest.run_interval(engine, source("duvar-english"), JAN20, JAN24)

    expected = articles_in(site, JAN20.isoformat(), JAN24.isoformat())
    loaded = {r["canonical_url"]: r for r in rows(engine, "select * from marts.articles")}
    want = {site.base_url + e["canonical_path"]: e for e in expected if e["kind"] != "broken"}
    assert set(loaded) == set(want)
    for url, e in want.items():
        got = loaded[url]
        assert got["title"] == (e.get("variants") or [{}])[0].get("title", e["title"])
        assert got["published_at"].isoformat() == e["published_at"]
        assert got["section"] == e["section"]
        assert got["tags"] == e["tags"]
        assert got["authors"] == e["authors"]
        assert got["author_organizations"] == e.get("author_organizations", [])
        assert got["version"] == 1
        assert got["language"] == "en"
        assert got["body"].startswith(e["body_starts_with"])
        assert all(s not in got["body"] for s in e["must_not_contain"])
        assert got["word_count"] > 20
    # core.article_authors links people and organisations, told apart by kind, in byline order
    credited: dict[str, list[tuple[str, str]]] = {}
    for r in rows(
        engine,
        "select a.canonical_url, w.name, l.kind from core.article_authors l join core.authors w"
        " using (author_id) join core.articles a using (article_id) order by l.position",
    ):
        credited.setdefault(r["canonical_url"], []).append((r["name"], r["kind"]))
    for url, e in want.items():
        people = [(n, "person") for n in e["authors"]]
        assert credited.get(url, []) == people + [(n, "organization") for n in e["author_organizations"]]
    # the December articles are outside the interval and were never loaded
    assert not any("2019-12" in r["published_at"].isoformat() for r in loaded.values())

    run = rows(engine, "select * from marts.ingest_runs where run_id = :r", r=run_id)[0]
    assert run["status"] == "success"
    assert run["new"] == len(want) == counts["new"]
    assert run["failed"] == 1  # the page answering 500
    failures = rows(engine, "select * from marts.fetch_failures order by url")
    broken = [f for f in failures if f["stage"] == "fetch"]
    assert len(broken) == 1 and "500" in broken[0]["error"] and broken[0]["attempts"] == 1
    robots = [f for f in failures if f["stage"] == "robots"]
    assert len(robots) == 1 and "/private/" in robots[0]["url"]

    # politeness: robots.txt read, nothing disallowed requested, the User-Agent names the project
    assert site.requests_for("/robots.txt")
    assert not [r for r in site.requests if r.url_path.startswith("/private/")]
    assert all("newspipe" in (r.user_agent or "") for r in site.requests)
    # the flaky page answered 429 once, then 200: loaded after one retry
    flaky = next(e for e in expected if e["kind"] == "flaky")
    assert [r.status for r in site.requests_for(flaky["path"])] == [429, 200]
    # the raw zone keeps every fetch with its body, re-parseable without refetching
    raw = rows(
        engine,
        "select f.url, f.status, b.size_bytes from raw.fetches f left join raw.bodies b using (sha256)"
        " where f.kind = 'article' and f.status = 200",
    )
    assert len(raw) >= len(want) and all(r["size_bytes"] > 1000 for r in raw)


def test_same_interval_twice_changes_nothing_and_revalidates(engine, registry, sites) -> None:
    site = sites["duvar"]
    src = source("duvar-english")
    ingest.run_interval(engine, src, JAN20, JAN24)
    before = snapshot(engine)
    site.clear_requests()
    _, counts = ingest.run_interval(engine, src, JAN20, JAN24)
    assert snapshot(engine) == before
    assert counts["new"] == counts["updated"] == 0
    assert counts["not_modified"] == len(before["articles"]) + 1  # + the redirected duplicate URL
    article_requests = [
        r for r in site.requests if r.url_path.endswith(tuple(f"-news-{n}" for n in range(47000, 49000)))
    ]
    conditional = [r for r in article_requests if "If-None-Match" in r.headers and r.status != 301]
    assert len(conditional) == counts["not_modified"] and all(r.status == 304 for r in conditional)


def test_changed_page_makes_exactly_one_new_version(engine, registry, sites) -> None:
    site = sites["duvar"]
    src = source("duvar-english")
    changing = next(e for e in site.manifest()["articles"] if e["kind"] == "changing")
    ingest.run_interval(engine, src, JAN20, JAN24)
    site.set_variant(changing["path"], 1)
    _, counts = ingest.run_interval(engine, src, JAN20, JAN24)
    assert counts["updated"] == 1
    ingest.run_interval(engine, src, JAN20, JAN24)  # and a third run adds nothing
    url = site.base_url + changing["canonical_path"]
    versions = rows(
        engine,
        "select v.* from marts.article_versions v join marts.articles a using (article_id)"
        " where a.canonical_url = :u order by version",
        u=url,
    )
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["title"] == changing["variants"][0]["title"]
    assert versions[1]["title"] == changing["variants"][1]["title"]
    assert changing["variants"][1]["contains"] in versions[1]["body"]
    assert versions[0]["content_hash"] != versions[1]["content_hash"]
    article = rows(engine, "select * from marts.articles where canonical_url = :u", u=url)[0]
    assert article["version"] == 2 and article["title"] == changing["variants"][1]["title"]
    total = rows(engine, "select count(*) as n from marts.article_versions")[0]["n"]
    assert total == len(rows(engine, "select 1 from marts.articles")) + 1


def test_killed_mid_batch_leaves_nothing_half_loaded(engine, registry, sites, monkeypatch) -> None:
    src = source("duvar-english")
    real_load = load.load_article
    calls = {"n": 0}

    def dying_load(conn, source, article, **kw):
        calls["n"] += 1
        result = real_load(conn, source, article, **kw)
        if calls["n"] == 3:  # the process dies after writing part of the batch
            raise KeyboardInterrupt("killed")
        return result

    monkeypatch.setattr(load, "load_article", dying_load)
    with pytest.raises(KeyboardInterrupt):
        ingest.run_interval(engine, src, JAN20, JAN24)
    # nothing of the batch landed: no article, no version, no author link, no raw fetch of it
    assert rows(engine, "select count(*) as n from core.articles")[0]["n"] == 0
    assert rows(engine, "select count(*) as n from core.article_versions")[0]["n"] == 0
    assert rows(engine, "select count(*) as n from core.article_authors")[0]["n"] == 0
    assert rows(engine, "select count(*) as n from raw.fetches where kind = 'article'")[0]["n"] == 0
    run = rows(engine, "select status, error from marts.ingest_runs")[0]
    assert run["status"] == "failed" and "killed" in run["error"]

    monkeypatch.setattr(load, "load_article", real_load)
    _, counts = ingest.run_interval(engine, src, JAN20, JAN24)
    assert counts["new"] == len(rows(engine, "select 1 from marts.articles")) > 0


def test_consecutive_hourly_runs_have_no_gaps_and_no_overlaps(engine, registry, sites) -> None:
    from datetime import timedelta

    src = source("turkish-minute")
    site = sites["turkishminute"]
    start = datetime(2020, 1, 20, 6, tzinfo=UTC)
    hours = 48
    new_per_run = []
    for h in range(hours):
        a = start + timedelta(hours=h)
        _, counts = ingest.run_interval(engine, src, a, a + timedelta(hours=1))
        new_per_run.append(counts.get("new", 0))
    end = (start + timedelta(hours=hours)).isoformat()
    expected = articles_in(site, start.isoformat(), end)
    loaded = rows(engine, "select canonical_url, published_at, first_seen_at from marts.articles")
    assert sum(new_per_run) == len(loaded) == len(expected) > 0
    # each article was loaded by the run whose interval holds its publication time
    for r in rows(
        engine,
        "select a.published_at, i.interval_start, i.interval_end from marts.articles a"
        " join core.ingest_runs i on i.new > 0 and a.first_seen_at between i.started_at"
        " and coalesce(i.finished_at, now())",
    ):
        assert r["interval_start"] <= r["published_at"] < r["interval_end"]


def test_failures_are_retried_by_later_runs(engine, registry, sites) -> None:
    src = source("duvar-english")
    ingest.run_interval(engine, src, JAN20, JAN24)
    broken = rows(engine, "select url from marts.fetch_failures where stage = 'fetch'")[0]["url"]
    # a later run for another interval retries it
    ingest.run_interval(engine, src, datetime(2020, 3, 1, tzinfo=UTC), datetime(2020, 3, 2, tzinfo=UTC))
    failure = rows(engine, "select attempts from marts.fetch_failures where url = :u", u=broken)[0]
    assert failure["attempts"] == 2
    with engine.connect() as conn:
        assert broken not in [u for u, _ in load.retryable_failures(conn, "unknown")]


@pytest.mark.parametrize(
    "site_name", ["bianet", "turkishminute", "hurriyet", "unseen", "dailysabah", "anadolu", "trtworld"]
)
def test_other_layouts_ingest_with_their_metadata(engine, registry, sites, site_name) -> None:
    site = sites[site_name]
    src = source(site.manifest()["source"]["id"])
    ingest.run_interval(engine, src, JAN20, JAN24)
    expected = {
        site.base_url + e["canonical_path"]: e
        for e in articles_in(site, JAN20.isoformat(), JAN24.isoformat())
    }
    loaded = {r["canonical_url"]: r for r in rows(engine, "select * from marts.articles")}
    assert set(loaded) == set(expected)
    for url, e in expected.items():
        got = loaded[url]
        assert got["title"] == e["title"]
        assert got["published_at"].isoformat() == e["published_at"]
        assert (got["modified_at"].isoformat() if got["modified_at"] else None) == e["modified_at"]
        assert got["section"] == e["section"] and got["tags"] == e["tags"] and got["authors"] == e["authors"]
        assert got["author_organizations"] == e.get("author_organizations", [])
        assert got["language"] == e["language"] and not got["language_mismatch"]
        assert got["body"].startswith(e["body_starts_with"]) and got["body"].endswith(e["body_ends_with"])
        assert got["body"].count("\n\n") + 1 == e["paragraphs"]
        assert all(s not in got["body"] for s in e["must_not_contain"])


def test_private_addresses_refused_without_opt_in(engine, registry, sites) -> None:
    from dataclasses import replace

    src = replace(source("duvar-english"), allow_private_network=False)
    with pytest.raises(ingest.SourceUnavailable, match="none of 2 feeds/sitemaps could be read"):
        ingest.run_interval(engine, src, JAN20, JAN24)
    errors = [f["error"] for f in rows(engine, "select error from marts.fetch_failures")]
    assert errors and all("non-public address" in e for e in errors)
    assert not sites["duvar"].requests
    run = rows(engine, "select status, error, discovered from marts.ingest_runs")[0]
    assert run["status"] == "failed" and "non-public address" in run["error"] and run["discovered"] == 0


def test_reload_corrects_bylines_in_place_without_a_new_version(engine, registry) -> None:
    """A reprocess with a better byline parser moves the outlet from people to organisations."""
    from dataclasses import replace

    from pipeline.normalize import normalize_article
    from pipeline.records import ParsedArticle

    src = source("duvar-english")
    parsed = ParsedArticle(
        url="http://127.0.0.1/politics/a-news-1",
        title="Opposition meets",
        body="The opposition leaders met in Ankara on Monday to discuss the election law.",
        authors=("Nazlı Ergün", "Duvar English"),  # what an older parser called people
    )
    old = normalize_article(parsed, source_id=src.id, timezone=src.timezone)
    fixed = replace(old, authors=("Nazlı Ergün",), author_organizations=("Duvar English",))
    with engine.begin() as conn:
        load.upsert_source(conn, src)
        loaded = [
            load.load_article(conn, src, article, fetch_id=None, fetched_at=at, extractor="structured")
            for article, at in ((old, JAN20), (fixed, JAN24))
        ]
        assert loaded == ["new", "unchanged"]
    got = rows(engine, "select authors, author_organizations, version from marts.articles")
    assert got == [{"authors": ["Nazlı Ergün"], "author_organizations": ["Duvar English"], "version": 1}]
    credited = rows(
        engine,
        "select w.name, l.kind from core.article_authors l join core.authors w using (author_id) order by position",
    )
    assert [(r["name"], r["kind"]) for r in credited] == [
        ("Nazlı Ergün", "person"),
        ("Duvar English", "organization"),
    ]
