"""One article under many URLs: AMP, print, query variants, http/https, a changed slug.

The duvar fixture site serves the same article under six URLs (added at run time); an ingest
run loads one article and records every URL as its alias.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from pipeline import ingest
from pipeline.sources import get_source, load_sources
from pipeline.urls import identity_url
from tests.support.registry import registry_entry

pytestmark = pytest.mark.integration

JAN21 = datetime(2020, 1, 21, tzinfo=UTC)
JAN22 = datetime(2020, 1, 22, tzinfo=UTC)
MAIN = "/politics/future-party-opens-first-provincial-offices-news-48941"
RENAMED = "/politics/future-party-opens-its-first-offices-news-48941"
OLD_TITLE = "Davutoğlu’s Future Party opens first provincial offices"
NEW_TITLE = "Davutoğlu’s Future Party opens its first offices"
CANONICAL_TAG = f'<link rel="canonical" href="{MAIN}">'


@pytest.fixture
def duvar(sites, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The duvar site with the article's variants published, and a registry that lists them.

    The registry's article pattern admits the variants (Duvar's own '-news-\\d+$' would leave
    them out at discovery, which is the first line of defence; this test is about the second).
    """
    site = sites["duvar"]
    site.reset()
    entry = registry_entry(site, article_url_pattern=r"-news-\d+", article_id_pattern=r"-news-(\d+)")
    path = tmp_path / "sources.yml"
    path.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True))
    monkeypatch.setenv("PIPELINE_SOURCES_FILE", str(path))
    original = (site.fetch_local(MAIN) or b"").decode("utf-8")
    assert CANONICAL_TAG in original and OLD_TITLE in original
    edited = original.replace(OLD_TITLE, NEW_TITLE)  # the outlet retitled it, and changed the slug
    https_canonical = f'<link rel="canonical" href="{site.base_url.replace("http:", "https:")}{MAIN}">'
    pages = {
        # the AMP page (old text) declares the main page canonical
        "/amp" + MAIN: original,
        # the main page now carries the retitled text
        MAIN: edited,
        # the retitled article under its new slug, canonical to itself
        RENAMED: edited.replace(CANONICAL_TAG, f'<link rel="canonical" href="{RENAMED}">'),
        # trailing slash, declaring the https form of the main URL
        MAIN + "/": edited.replace(CANONICAL_TAG, https_canonical),
        # the print page (old text) declares nothing
        MAIN + "/print": original.replace(CANONICAL_TAG, ""),
    }
    for page_path, html in pages.items():
        site.add_file(page_path, html, content_type="text/html; charset=utf-8")
    listed = ["/amp" + MAIN, RENAMED, MAIN + "/", MAIN + "/print", MAIN + "?utm_source=rss&amp=1"]
    feed = (site.fetch_local("/rss") or b"").decode("utf-8")
    items = "".join(
        f"<item><title>Future Party</title><link>{site.base_url}{u.replace('&', '&amp;')}</link>"
        "<pubDate>Tue, 21 Jan 2020 18:20:00 +0300</pubDate></item>"
        for u in listed
    )
    site.add_file("/rss", feed.replace("<item>", items + "<item>", 1), content_type="application/rss+xml")
    yield site, get_source(load_sources(path), "duvar-english")
    site.reset()


def rows(engine, sql: str, **params) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]


def test_one_article_under_every_url(engine, duvar) -> None:
    site, source = duvar
    ingest.run_interval(engine, source, JAN21, JAN22)

    base = site.base_url
    found = rows(engine, "select * from marts.articles where canonical_url like '%-news-48941%'")
    assert len(found) == 1, [r["url"] for r in found]
    article = found[0]
    assert article["canonical_url"] == base + MAIN
    assert article["title"] == NEW_TITLE and article["version"] == 2  # AMP first, then the retitled main page
    aliases = {
        r["url"]
        for r in rows(
            engine, "select url from marts.article_urls where article_id = :a", a=article["article_id"]
        )
    }
    https_main = base.replace("http:", "https:") + MAIN
    assert aliases == {
        base + MAIN,
        base + "/amp" + MAIN,
        base + RENAMED,
        base + MAIN + "/",
        https_main,
        base + MAIN + "/print",
        base + MAIN + "?amp=1",
    }
    # every alias has the article's identity (the renamed one by its outlet id)
    assert {identity_url(u, base + "/") for u in aliases} == {base + MAIN, base + RENAMED}
    with engine.connect() as conn:
        native = conn.execute(
            sa.text("select native_id from core.articles where article_id = :a"), {"a": article["article_id"]}
        ).scalar_one()
    assert native == "48941"

    # the other articles of the day are untouched by the identity rules: one row each
    others = rows(engine, "select canonical_url from marts.articles where canonical_url not like '%48941%'")
    assert len(others) == len({r["canonical_url"] for r in others}) >= 2

    # a rerun fetches every URL again and changes nothing: no article, no version, no alias
    before = (
        rows(engine, "select article_id, version, title from marts.articles order by 1"),
        rows(engine, "select url, article_id from core.article_urls order by 1"),
    )
    _, counts = ingest.run_interval(engine, source, JAN21, JAN22)
    assert counts.get("new", 0) == 0 and counts.get("updated", 0) == 0
    after = (
        rows(engine, "select article_id, version, title from marts.articles order by 1"),
        rows(engine, "select url, article_id from core.article_urls order by 1"),
    )
    assert after == before
