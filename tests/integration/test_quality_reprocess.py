"""Data-quality checks, the quiet-source volume check, and reprocessing from the raw zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from pipeline import ingest, quality, reprocess
from pipeline.config import settings
from pipeline.sources import get_source, load_sources

pytestmark = pytest.mark.integration
JAN20 = datetime(2020, 1, 20, tzinfo=UTC)
JAN24 = datetime(2020, 1, 24, tzinfo=UTC)


def duvar():
    return get_source(load_sources(settings().sources_file), "duvar-english")


def test_quality_checks_pass_on_good_loads_and_catch_bad_rows(engine, registry) -> None:
    run_id, _ = ingest.run_interval(engine, duvar(), JAN20, JAN24)
    results = quality.run_checks(engine, run_id)
    assert {r.name for r in results} == set(quality.CHECKS) and all(r.passed for r in results)
    with engine.begin() as conn:  # a page that claims to be from the future, with a one-word body
        conn.execute(
            sa.text(
                "update core.articles set published_at = '2031-01-01' where article_id ="
                " (select article_id from core.articles order by article_id limit 1)"
            )
        )
        conn.execute(
            sa.text(
                "update core.article_versions set body = 'x', word_count = 1 where article_id ="
                " (select article_id from core.articles order by article_id offset 1 limit 1)"
            )
        )
    failed = {r.name for r in quality.run_checks(engine, run_id) if not r.passed}
    assert failed == {"nothing_published_in_the_future", "body_lengths_sane"}


def test_volume_check_warns_when_a_source_goes_quiet(engine, registry) -> None:
    src = duvar()
    end = datetime(2020, 3, 16, tzinfo=UTC)
    with engine.begin() as conn:
        from pipeline import load

        load.upsert_source(conn, src)
        rows = []
        for day in range(15):
            per_day = 1 if day == 14 else 10
            for k in range(per_day):
                when = end - timedelta(days=15 - day) + timedelta(hours=k)
                rows.append({"a": f"{day:02d}{k:02d}", "u": f"http://h/{day}-{k}", "t": when})
        conn.execute(
            sa.text(
                "insert into core.articles (article_id, source_id, canonical_url, url, published_at, first_seen_at,"
                " last_fetched_at) values (:a, 'duvar-english', :u, :u, :t, :t, :t)"
            ),
            rows,
        )
    quiet = quality.daily_volume(engine, src.id, end)
    assert quiet.day_count == 1 and quiet.trailing_median == 10 and quiet.quiet
    assert "QUIET" in quiet.message() and "2020-03-15" in quiet.message()
    normal = quality.daily_volume(engine, src.id, end - timedelta(days=1))
    assert normal.day_count == 10 and not normal.quiet


def test_reprocess_rederives_from_raw_without_refetching(engine, registry, sites, monkeypatch) -> None:
    site = sites["duvar"]
    ingest.run_interval(engine, duvar(), JAN20, JAN24)
    with engine.connect() as conn:
        before = conn.execute(
            sa.text("select article_id, version, content_hash from marts.articles order by 1")
        ).all()
    site.clear_requests()
    counts = reprocess.reprocess(engine, duvar(), JAN20, JAN24)
    assert site.requests == []  # nothing refetched
    assert counts["unchanged"] == len(before) and counts["reannotated"] == len(before)

    # a parser upgrade that changes what is extracted makes exactly one new version per article
    from pipeline import ingest as ingest_module

    real = ingest_module.parse_article

    def upgraded(html, url, selectors=None):
        parsed = real(html, url, selectors)
        from dataclasses import replace

        return replace(parsed, title=(parsed.title or "") + " [v2 parser]")

    monkeypatch.setattr(ingest_module, "parse_article", upgraded)
    counts = reprocess.reprocess(engine, duvar(), JAN20, JAN24, annotate=False)
    assert counts["updated"] == len(before)
    with engine.connect() as conn:
        after = conn.execute(sa.text("select title, version from marts.articles")).all()
    assert all(t.endswith("[v2 parser]") and v == 2 for t, v in after)
    assert site.requests == []
