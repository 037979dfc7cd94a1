"""Find article URLs in RSS/Atom feeds and XML sitemaps (pure parsing; no fetching).

Handles RSS 2.0 / RSS 1.0 / Atom (feedparser), sitemaps and sitemap indexes, gzip-compressed
sitemaps, and Google News sitemaps (``news:publication_date``). A sitemap's ``lastmod`` is not a
publication time, but it bounds one: an article last modified before an interval starts cannot
have been published inside it.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
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


def parse_sitemap(body: bytes, sitemap_url: str) -> SitemapDocument:
    """A sitemap or sitemap index (plain or gzip), including Google News extensions."""
    data = maybe_gunzip(body)
    try:
        root = etree.fromstring(
            data,
            parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False),
        )
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"not a readable sitemap: {exc}") from exc
    if root is None:
        raise DiscoveryError("empty sitemap")
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise DiscoveryError(f"not a sitemap: root element <{kind}>")
    urls: list[Listing] = []
    children: list[Listing] = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        local = etree.QName(node).localname
        fields: dict[str, str] = {}
        for child in node.iter():
            if child is node or not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if child.text and child.text.strip() and name not in fields:
                fields[name] = child.text.strip()
        loc = fields.get("loc")
        if not loc:
            continue
        listing = Listing(
            url=urljoin(sitemap_url, loc),
            published_at=parse_time(fields.get("publication_date")),
            lastmod=parse_time(fields.get("lastmod")),
            title=fields.get("title"),
        )
        (children if local == "sitemap" else urls).append(listing)
    return SitemapDocument(tuple(urls), tuple(children))


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
