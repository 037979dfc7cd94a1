"""Discovery over a large sitemap index: streamed, pruned by lastmod, only the interval's URLs kept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline import ingest
from pipeline.sources import Source, parse_sources
from tests.support.fixture_site import FixtureSite

pytestmark = pytest.mark.integration

START = datetime(2020, 1, 20, tzinfo=UTC)
END = START + timedelta(days=1)
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def urlset(entries: list[str]) -> str:
    return f'<?xml version="1.0"?><urlset {NS}>{"".join(entries)}</urlset>'


def news_entry(base: str, n: int, published: datetime) -> str:
    return (
        f"<url><loc>{base}/p/story-news-{n}</loc><news:news><news:publication_date>"
        f"{published.isoformat()}</news:publication_date></news:news></url>"
    )


def lastmod_entry(base: str, n: int, lastmod: datetime) -> str:
    return f"<url><loc>{base}/p/story-news-{n}</loc><lastmod>{lastmod.isoformat()}</lastmod></url>"


@pytest.fixture
def big_site(tmp_path: Path) -> Iterator[tuple[FixtureSite, set[str]]]:
    """An index of three children (4,500 URLs) and the URLs a run over [START, END) must keep.

    * ``news-2020-01.xml`` (no lastmod): 3,000 URLs claiming a publication time every 15 min
      from 2020-01-01; those inside the interval are kept.
    * ``posts-2020-01.xml`` (lastmod inside): 1,000 undated URLs, a quarter modified inside the
      interval (undecided: kept), the rest before it (ruled out); one URL is also listed in the
      news sitemap with a claim outside the interval, which wins over its undated listing.
    * ``posts-2019-12.xml`` (lastmod before the interval): never read.
    """
    with FixtureSite(tmp_path / "big") as site:
        base = site.base_url
        news, posts, old, keep = [], [], [], set()
        for n in range(3000):
            published = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(minutes=15 * n)
            news.append(news_entry(base, n, published))
            if START <= published < END:
                keep.add(f"{base}/p/story-news-{n}")
        for n in range(3000, 4000):
            modified = START + timedelta(hours=1) if n % 4 == 0 else START - timedelta(days=2)
            posts.append(lastmod_entry(base, n, modified))
            if n % 4 == 0:
                keep.add(f"{base}/p/story-news-{n}")
        posts.append(lastmod_entry(base, 5, START + timedelta(hours=2)))  # claimed on Jan 1 in news
        for n in range(4000, 4500):
            old.append(lastmod_entry(base, n, START - timedelta(days=25)))
        site.add_file("/news-2020-01.xml", urlset(news))
        site.add_file("/posts-2020-01.xml", urlset(posts))
        site.add_file("/posts-2019-12.xml", urlset(old))
        site.add_file(
            "/sitemap_index.xml",
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/news-2020-01.xml</loc></sitemap>"
            f"<sitemap><loc>{base}/posts-2020-01.xml</loc><lastmod>{END.isoformat()}</lastmod></sitemap>"
            f"<sitemap><loc>{base}/posts-2019-12.xml</loc><lastmod>2019-12-31T23:00:00Z</lastmod></sitemap>"
            "</sitemapindex>",
        )
        yield site, keep


def source_for(site: FixtureSite) -> Source:
    entry = {
        "id": "big-news",
        "name": "Big",
        "homepage": site.base_url + "/",
        "language": "en",
        "timezone": "UTC",
        "sitemaps": [site.base_url + "/sitemap_index.xml"],
        "article_url_pattern": r"-news-\d+$",
        "politeness_delay": 0,
        "allow_private_network": True,
    }
    return parse_sources({"sources": [entry]})[0]


def test_large_index_keeps_only_the_interval_and_records_everything(engine, big_site) -> None:
    site, keep = big_site
    plan = ingest.discover(engine, source_for(site), START, END)
    with engine.connect() as conn:
        work = {
            r[0]
            for r in conn.execute(
                sa.text("select url from core.run_urls where run_id = :r"), {"r": plan.run_id}
            )
        }
        recorded = conn.execute(sa.text("select count(*) from core.discovered_urls")).scalar_one()
    assert work == keep
    assert plan.discovered == len(keep)
    assert f"{site.base_url}/p/story-news-5" not in work  # its claim rules it out, whatever order
    assert recorded == 4000  # every URL of the children read, in chunks; none of the skipped child
    # a child sitemap unchanged since before the interval is never fetched
    assert not site.requests_for("/posts-2019-12.xml")
    assert site.requests_for("/posts-2020-01.xml") and site.requests_for("/news-2020-01.xml")
