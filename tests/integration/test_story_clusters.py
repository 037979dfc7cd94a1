"""Story clustering in a real PostgreSQL: syndicated copies form one story, incrementally."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from pipeline import clustering, load
from pipeline.normalize import content_hash
from pipeline.records import Article
from pipeline.sources import Source, parse_sources
from tests.support.wire_copy import SAME_TOPIC, WIRE, edited, text

pytestmark = pytest.mark.integration

T0 = datetime(2020, 1, 21, 9, 0, tzinfo=UTC)
SOURCES = ("agency", "outlet-a", "outlet-b", "outlet-c")


def source(source_id: str) -> Source:
    """The registry entry of a test outlet."""
    entry = {
        "id": source_id,
        "name": source_id,
        "homepage": f"https://{source_id}.example/",
        "language": "en",
        "timezone": "UTC",
        "article_url_pattern": "/news/",
    }
    return parse_sources({"sources": [entry]})[0]


def make_sources(engine) -> None:
    with engine.begin() as conn:
        for s in SOURCES:
            load.upsert_source(conn, source(s))


def put(engine, source_id: str, slug: str, body: str, published: datetime, title: str = "") -> str:
    """Load one article; return its id."""
    url = f"https://{source_id}.example/news/{slug}"
    title = title or slug.replace("-", " ")
    art = Article(
        source_id=source_id,
        url=url,
        canonical_url=url,
        title=title,
        body=body,
        authors=(),
        published_at=published,
        modified_at=None,
        language="en",
        section=None,
        tags=(),
        lead_image=None,
        word_count=len(body.split()),
        content_hash=content_hash(title, body),
    )
    with engine.begin() as conn:
        load.load_article(conn, source(source_id), art, fetch_id=None, fetched_at=published, extractor="test")
        return str(
            conn.execute(
                sa.text("select article_id from core.article_urls where url = :u"), {"u": url}
            ).scalar_one()
        )


def clusters(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.text("select article_id, cluster_id from marts.story_clusters")).all())


def member_rows(engine) -> dict[str, tuple]:
    """Every clustering row with its xmin: a rewritten row gets a new xmin even if unchanged."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "select 'm:' || article_id, xmin::text, cluster_id, similarity from core.story_members"
                " union all select 's:' || article_id, xmin::text, method, version from core.story_signatures"
                " union all select 'b:' || article_id || ':' || band, xmin::text, band_key::text, 0"
                " from core.story_bands"
            )
        ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def load_wire_day(engine) -> dict[str, str]:
    """The wire story, three lightly edited copies, and two other stories on the same topic."""
    make_sources(engine)
    return {
        "wire": put(engine, "agency", "election-bill", text(WIRE), T0),
        "a": put(
            engine,
            "outlet-a",
            "lawmakers-clash-over-election-bill",
            edited(WIRE, intro="ANKARA - Lawmakers clashed over the election bill.", drop=4),
            T0 + timedelta(hours=1),
        ),
        "b": put(
            engine,
            "outlet-b",
            "threshold-debate",
            edited(WIRE, intro="The debate began.", drop=7, replace=("on Thursday", "this week")),
            T0 + timedelta(hours=2),
        ),
        "c": put(
            engine, "outlet-c", "short", edited(WIRE[:6], intro="In brief.", drop=2), T0 + timedelta(hours=3)
        ),
        "rolls": put(engine, "outlet-a", "voter-rolls", text(SAME_TOPIC[0]), T0 + timedelta(hours=4)),
        "lawyers": put(engine, "outlet-b", "lawyers-challenge", text(SAME_TOPIC[1]), T0 + timedelta(hours=5)),
    }


def test_syndicated_copies_form_one_story_and_other_stories_do_not(engine) -> None:
    ids = load_wire_day(engine)
    counts = clustering.cluster_stories(engine)
    assert counts == {"signed": 6, "founded": 3, "joined": 3, "kept": 0}

    got = clusters(engine)
    assert got[ids["a"]] == got[ids["b"]] == got[ids["c"]] == got[ids["wire"]] == ids["wire"]
    assert got[ids["rolls"]] == ids["rolls"] and got[ids["lawyers"]] == ids["lawyers"]

    with engine.connect() as conn:
        wire_rows = (
            conn.execute(
                sa.text("select * from marts.story_clusters where cluster_id = :c order by published_at"),
                {"c": ids["wire"]},
            )
            .mappings()
            .all()
        )
        stories = conn.execute(sa.text("select * from marts.stories order by articles desc")).mappings().all()
        distinct = conn.execute(
            sa.text("select count(distinct cluster_id) from marts.story_clusters")
        ).scalar()
    assert [r["source_id"] for r in wire_rows] == ["agency", "outlet-a", "outlet-b", "outlet-c"]
    assert all(r["first_published_at"] == T0 and r["cluster_size"] == 4 for r in wire_rows)
    assert wire_rows[0]["is_founder"] and wire_rows[0]["similarity"] == 1.0
    assert all(0.5 <= r["similarity"] < 1.0 and r["matched_article_id"] for r in wire_rows[1:])
    assert distinct == 3
    assert stories[0]["cluster_id"] == ids["wire"] and stories[0]["sources"] == 4
    assert stories[0]["source_ids"] == ["agency", "outlet-a", "outlet-b", "outlet-c"]
    assert stories[0]["title"] == "election bill"


def test_rerun_changes_nothing(engine) -> None:
    load_wire_day(engine)
    clustering.cluster_stories(engine)
    before = member_rows(engine)
    assert clustering.cluster_stories(engine) == {"signed": 0, "founded": 0, "joined": 0, "kept": 0}
    assert member_rows(engine) == before


def test_new_articles_do_not_rewrite_old_rows(engine) -> None:
    ids = load_wire_day(engine)
    clustering.cluster_stories(engine, since=T0, until=T0 + timedelta(days=1))
    before = member_rows(engine)
    late_copy = put(
        engine,
        "outlet-c",
        "next-day-recap",
        edited(WIRE, intro="Yesterday parliament began the debate.", drop=0),
        T0 + timedelta(days=1),
    )
    new_story = put(
        engine, "agency", "other-news", text(SAME_TOPIC[0][::-1]) + " extra", T0 + timedelta(days=1)
    )
    # outside --since/--until: left for a later run
    assert clustering.cluster_stories(engine, since=T0 + timedelta(days=2))["signed"] == 0
    counts = clustering.cluster_stories(engine, since=T0 + timedelta(days=1))
    assert counts == {"signed": 2, "founded": 0, "joined": 2, "kept": 0}
    after = member_rows(engine)
    assert {k: v for k, v in after.items() if k in before} == before  # same rows, same xmin
    got = clusters(engine)
    assert got[late_copy] == ids["wire"]
    # the reversed paragraphs of the voter-rolls story are still the voter-rolls story
    assert got[new_story] == ids["rolls"]


def test_outside_the_time_window_is_another_story(engine) -> None:
    make_sources(engine)
    first = put(engine, "agency", "anniversary", text(WIRE), T0)
    again = put(engine, "outlet-a", "anniversary-repeat", text(WIRE), T0 + timedelta(days=30))
    clustering.cluster_stories(engine)
    got = clusters(engine)
    assert got[first] == first and got[again] == again


def test_new_version_moves_only_that_article(engine) -> None:
    ids = load_wire_day(engine)
    clustering.cluster_stories(engine)
    before = member_rows(engine)
    # outlet-b rewrites its page into a different story: a new version, re-signed and re-placed
    put(engine, "outlet-b", "threshold-debate", text(SAME_TOPIC[1]) + " Updated.", T0 + timedelta(hours=2))
    # the founder gets a new version too: it stays the founder of its cluster
    put(engine, "agency", "election-bill", text(WIRE) + "\n\nCorrection appended.", T0)
    counts = clustering.cluster_stories(engine)
    assert counts == {"signed": 2, "founded": 0, "joined": 1, "kept": 1}
    got = clusters(engine)
    assert got[ids["b"]] == ids["lawyers"]
    assert got[ids["wire"]] == got[ids["a"]] == got[ids["c"]] == ids["wire"]
    after = member_rows(engine)
    untouched = [k for k in before if k.startswith("m:") and k[2:] not in (ids["b"],)]
    assert all(after[k] == before[k] for k in untouched)
    with engine.connect() as conn:
        version = conn.execute(
            sa.text("select version from core.story_signatures where article_id = :a"), {"a": ids["wire"]}
        ).scalar_one()
    assert version == 2


def test_batches_do_not_change_the_result(engine) -> None:
    load_wire_day(engine)
    clustering.cluster_stories(engine, batch_size=2)
    small = clusters(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("delete from core.story_members"))
        conn.execute(sa.text("delete from core.story_signatures"))
    clustering.cluster_stories(engine, batch_size=500)
    assert clusters(engine) == small


def test_cluster_cli(engine, warehouse_url) -> None:
    load_wire_day(engine)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "cluster",
            "--since",
            "2020-01-21",
            "--until",
            "2020-01-22",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "clustered: signed=6 founded=3 joined=3 kept=0"
    bad = subprocess.run(
        [sys.executable, "-m", "pipeline", "cluster", "--since", "not-a-date"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "not a date" in bad.stderr
