"""Find article URLs in RSS/Atom feeds and XML sitemaps (pure parsing; no fetching).

Handles RSS 2.0 / RSS 1.0 / Atom (feedparser), sitemaps and sitemap indexes, gzip-compressed
sitemaps, and Google News sitemaps (``news:publication_date``). Sitemaps are streamed
(:func:`iter_sitemap`): an outlet's index may list millions of URLs over the years. A sitemap's ``lastmod`` is not a
publication time, but it bounds one: an article last modified before an interval starts cannot
have been published inside it.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO
from urllib.parse import urljoin

import feedparser
from lxml import etree

from pipeline.normalize import parse_time


@dataclass(frozen=True)
class Listing:
    """One URL a feed or sitemap lists, with the times it claims."""

    url: str
    published_at: datetime | None = None  # a claimed publication time
    lastmod: datetime | None = None  # last modification: no publication happens after it
    title: str | None = None


@dataclass(frozen=True)
class SitemapDocument:
    """A parsed sitemap: either page URLs or, for an index, child sitemaps."""

    urls: tuple[Listing, ...]
    children: tuple[Listing, ...]  # child sitemaps of an index, with their lastmod


class DiscoveryError(ValueError):
    """A feed or sitemap that cannot be read."""


def maybe_gunzip(body: bytes) -> bytes:
    """Decompress gzip bodies (``.xml.gz`` sitemaps); leave anything else alone."""
    if body[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(body)
        except (OSError, EOFError, zlib.error) as exc:
            raise DiscoveryError(f"corrupt gzip data: {exc}") from exc
    return body


def parse_feed(body: bytes, feed_url: str) -> list[Listing]:
    """Entries of an RSS or Atom feed, with their claimed publication times."""
    parsed = feedparser.parse(maybe_gunzip(body))
    if parsed.bozo and not parsed.entries:
        raise DiscoveryError(f"not a readable feed: {parsed.get('bozo_exception')}")
    out: list[Listing] = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if not link or not isinstance(link, str):
            continue
        # Atom's <updated> is a modification time, not a publication time: it only bounds
        # (see in_interval); RSS's pubDate and Atom's <published> are claims of publication.
        published = _struct_time(entry.get("published_parsed")) or _struct_time(entry.get("created_parsed"))
        updated = _struct_time(entry.get("updated_parsed"))
        if published is None and entry.get("published"):
            published = parse_time(entry.get("published"))
        out.append(
            Listing(
                url=urljoin(feed_url, link.strip()),
                published_at=published,
                lastmod=updated,
                title=entry.get("title"),
            )
        )
    return out


def iter_sitemap(body: bytes | BinaryIO, sitemap_url: str) -> Iterator[tuple[str, Listing]]:
    """Stream a sitemap or sitemap index (plain or gzip), one entry at a time.

    Yields ``("url", listing)`` for a page and ``("sitemap", listing)`` for a child sitemap of an
    index, in document order, as the parser reaches them. A 50,000-URL sitemap (the protocol's
    limit) or an index of thousands of children is never held whole: gzip is decompressed as it
    is read, and each entry's element is freed once yielded.

    Raises:
        DiscoveryError: not XML, not a sitemap (another root element), or corrupt gzip.
    """
    stream = _open_xml(body)
    events = etree.iterparse(
        stream,
        events=("start", "end"),
        recover=True,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
    )
    depth = 0
    try:
        for event, node in events:
            depth += 1 if event == "start" else -1
            if not isinstance(node.tag, str):
                continue
            if event == "start":
                if depth == 1:
                    kind = etree.QName(node).localname
                    if kind not in ("urlset", "sitemapindex"):
                        raise DiscoveryError(f"not a sitemap: root element <{kind}>")
                continue
            if depth != 1:  # only direct children of the root are entries
                continue
            entry = _entry(node, sitemap_url)
            _free(node)
            if entry is not None:
                yield entry
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"not a readable sitemap: {exc}") from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise DiscoveryError(f"corrupt gzip data: {exc}") from exc


def parse_sitemap(body: bytes, sitemap_url: str) -> SitemapDocument:
    """A whole sitemap or index in memory; :func:`iter_sitemap` streams the same entries.

    For small documents (streaming watchers read news sitemaps of at most 1,000 URLs).
    """
    urls: list[Listing] = []
    children: list[Listing] = []
    for kind, listing in iter_sitemap(body, sitemap_url):
        (children if kind == "sitemap" else urls).append(listing)
    return SitemapDocument(tuple(urls), tuple(children))


def _open_xml(body: bytes | BinaryIO) -> BinaryIO:
    """A readable stream of the XML, decompressing gzip lazily (told by its magic bytes).

    *body* is the bytes, or a seekable binary stream (a file) to read as the parser goes.
    """
    stream: BinaryIO = io.BytesIO(body) if isinstance(body, bytes | bytearray) else body
    magic = stream.read(2)
    stream.seek(-len(magic), io.SEEK_CUR)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    return stream


def _entry(node: etree._Element, sitemap_url: str) -> tuple[str, Listing] | None:
    """The ``<url>`` or ``<sitemap>`` element *node* as a listing (None without a ``<loc>``)."""
    fields: dict[str, str] = {}
    for child in node.iter():
        if child is node or not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        if child.text and child.text.strip() and name not in fields:
            fields[name] = child.text.strip()
    loc = fields.get("loc")
    if not loc:
        return None
    listing = Listing(
        url=loc if loc.startswith(("https://", "http://")) else urljoin(sitemap_url, loc),
        published_at=parse_time(fields.get("publication_date")),
        lastmod=parse_time(fields.get("lastmod")),
        title=fields.get("title"),
    )
    return ("sitemap" if etree.QName(node).localname == "sitemap" else "url"), listing


def _free(node: etree._Element) -> None:
    """Drop a processed entry and the siblings before it, so the parsed tree stays small."""
    node.clear()
    parent = node.getparent()
    if parent is not None:
        while node.getprevious() is not None:
            del parent[0]


def in_interval(listing: Listing, start: datetime, end: datetime) -> bool | None:
    """Whether a listing falls in [start, end): True, False, or None when it cannot tell.

    A claimed publication time decides. Without one, a ``lastmod`` before *start* rules the URL
    out (an article is modified no earlier than it is published); anything else is unknown and
    must be fetched and decided by the page's own date.
    """
    if listing.published_at is not None:
        return start <= listing.published_at < end
    if listing.lastmod is not None and listing.lastmod < start:
        return False
    return None


def _struct_time(value: object) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)  # type: ignore[index, misc]
    except (TypeError, ValueError):
        return None
