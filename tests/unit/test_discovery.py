"""Feeds and sitemaps: RSS, Atom, sitemap index, gzip, Google News; interval membership."""

from __future__ import annotations

import gzip
import hashlib
import io
from datetime import UTC, datetime

import pytest

from pipeline.discovery import DiscoveryError, Listing, in_interval, iter_sitemap, parse_feed, parse_sitemap

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Duvar</title>
<item><title>One</title><link>https://d.com/a-news-1?utm_source=rss</link>
<pubDate>Tue, 21 Jan 2020 10:15:00 +0300</pubDate></item>
<item><title>Two</title><link>/b-news-2</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>B</title>
<entry><title>Three</title><link href="https://b.org/english/politics/3-x"/><id>tag:3</id>
<published>2020-01-20T09:00:00+03:00</published><updated>2020-01-22T09:00:00+03:00</updated></entry>
</feed>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://d.com/s/2020-01.xml.gz</loc><lastmod>2020-01-31T00:00:00Z</lastmod></sitemap>
<sitemap><loc>https://d.com/s/2019-12.xml</loc></sitemap>
</sitemapindex>"""

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://d.com/a-news-1</loc><lastmod>2020-01-22T00:00:00Z</lastmod>
<news:news><news:publication><news:name>Duvar</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2020-01-21T10:15:00+03:00</news:publication_date><news:title>One</news:title></news:news></url>
<url><loc>https://d.com/tag/chp</loc><lastmod>2019-12-01</lastmod></url>
</urlset>"""


def test_rss_links_and_times() -> None:
    items = parse_feed(RSS, "https://d.com/rss")
    assert [i.url for i in items] == ["https://d.com/a-news-1?utm_source=rss", "https://d.com/b-news-2"]
    assert items[0].published_at == datetime(2020, 1, 21, 7, 15, tzinfo=UTC)
    assert items[1].published_at is None


def test_atom_published_not_updated() -> None:
    (item,) = parse_feed(ATOM, "https://b.org/atom")
    assert item.published_at == datetime(2020, 1, 20, 6, 0, tzinfo=UTC)
    assert item.lastmod == datetime(2020, 1, 22, 6, 0, tzinfo=UTC)


def test_garbage_feed_is_a_clear_error() -> None:
    with pytest.raises(DiscoveryError):
        parse_feed(b"<html><body>not a feed", "https://d.com/rss")


def test_sitemap_index_and_gzip_news_sitemap() -> None:
    index = parse_sitemap(INDEX, "https://d.com/sitemap_index.xml")
    assert not index.urls
    assert [c.url for c in index.children] == [
        "https://d.com/s/2020-01.xml.gz",
        "https://d.com/s/2019-12.xml",
    ]
    assert index.children[0].lastmod == datetime(2020, 1, 31, tzinfo=UTC)
    news = parse_sitemap(gzip.compress(NEWS), "https://d.com/s/2020-01.xml.gz")
    first, second = news.urls
    assert first.published_at == datetime(2020, 1, 21, 7, 15, tzinfo=UTC)
    assert first.title == "One"
    assert second.published_at is None and second.lastmod == datetime(2019, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "not a readable sitemap"), (b"<html/>", "not a sitemap"), (b"\x1f\x8bnot gzip", "corrupt gzip")],
)
def test_bad_sitemaps_are_clear_errors(data: bytes, message: str) -> None:
    with pytest.raises(DiscoveryError, match=message):
        parse_sitemap(data, "https://d.com/s.xml")


def test_truncated_sitemap_yields_nothing_usable() -> None:
    doc = parse_sitemap(b"<urlset><url><loc>", "https://d.com/s.xml")  # lxml recovers what it can
    assert doc.urls == () and doc.children == ()


def test_interval_membership() -> None:
    start, end = datetime(2020, 1, 21, 7, tzinfo=UTC), datetime(2020, 1, 21, 8, tzinfo=UTC)
    inside = datetime(2020, 1, 21, 7, 15, tzinfo=UTC)
    assert in_interval(Listing("u", published_at=inside), start, end) is True
    assert in_interval(Listing("u", published_at=end), start, end) is False  # end is exclusive
    assert in_interval(Listing("u", published_at=start), start, end) is True
    assert in_interval(Listing("u", lastmod=datetime(2020, 1, 1, tzinfo=UTC)), start, end) is False
    assert in_interval(Listing("u", lastmod=datetime(2020, 2, 1, tzinfo=UTC)), start, end) is None
    assert in_interval(Listing("u"), start, end) is None


def big_urlset(n: int) -> bytes:
    """A sitemap of *n* URLs with slugs that do not compress away (like real ones)."""
    rows = "".join(
        f"<url><loc>https://d.com/p/{hashlib.sha1(str(i).encode()).hexdigest()}-news-{i}</loc>"
        f"<lastmod>2020-01-{1 + i % 28:02d}</lastmod></url>"
        for i in range(n)
    )
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'.encode()


class CountingReader(io.BytesIO):
    """A file that remembers how far it has been read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.furthest = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.furthest = max(self.furthest, self.tell())
        return chunk


@pytest.mark.parametrize("compress", [False, True])
def test_big_sitemap_is_read_as_a_stream(compress: bool) -> None:
    data = big_urlset(10_000)
    reader = CountingReader(gzip.compress(data) if compress else data)
    entries = iter_sitemap(reader, "https://d.com/sitemap.xml")
    kind, first = next(entries)
    assert kind == "url" and first.url.endswith("-news-0")
    assert reader.furthest < len(reader.getvalue()) / 10  # the first entry came before the rest was read
    assert sum(1 for _ in entries) == 10_000 - 1


def test_streamed_and_whole_sitemaps_agree() -> None:
    streamed = list(iter_sitemap(INDEX, "https://d.com/sitemap_index.xml"))
    assert [(k, li.url) for k, li in streamed] == [
        ("sitemap", "https://d.com/s/2020-01.xml.gz"),
        ("sitemap", "https://d.com/s/2019-12.xml"),
    ]
    assert parse_sitemap(NEWS, "https://d.com/s.xml").urls == tuple(
        li for _, li in iter_sitemap(NEWS, "https://d.com/s.xml")
    )


def test_streamed_sitemap_errors_come_at_the_first_entry() -> None:
    entries = iter_sitemap(b"<rss><channel/></rss>", "https://d.com/s.xml")
    with pytest.raises(DiscoveryError, match="root element <rss>"):
        next(entries)
