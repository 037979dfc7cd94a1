"""Publish a new article on a running fixture site: a page plus an item on top of its RSS feed."""

from __future__ import annotations

from datetime import datetime

from tests.support.fixture_site import FixtureSite


def publish_article(
    site: FixtureSite, template_path: str, n: int, published: datetime, feed_path: str = "/rss"
) -> str:
    """Copy the page at *template_path* as article number *n* published at *published*; list it
    first in the feed. Returns the new article's URL path."""
    page = site.fetch_local(template_path)
    assert page is not None, template_path
    path = f"/politics/breaking-story-number-{n}-news-{90000 + n}"
    html = page.decode("utf-8").replace(template_path, path)
    html = html.replace("</h1>", f" (update {n})</h1>", 1)
    old_title = html.split('"headline": "', 1)[1].split('"', 1)[0] if '"headline": "' in html else ""
    if old_title:
        html = html.replace(old_title, f"{old_title} (update {n})")
    html = html.replace("</p>", f"</p>\n<p>Breaking report {n} adds a distinct paragraph.</p>", 1)
    iso = published.isoformat()
    import re

    html = re.sub(r'"datePublished": "[^"]+"', f'"datePublished": "{iso}"', html)
    site.add_file(path, html, content_type="text/html; charset=utf-8")
    feed = (site.fetch_local(feed_path) or b"").decode("utf-8")
    item = (
        f"<item><title>Breaking {n}</title><link>{site.base_url}{path}</link>"
        f"<pubDate>{published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
    )
    feed = feed.replace("<item>", item + "<item>", 1)
    site.add_file(feed_path, feed, content_type="application/rss+xml; charset=utf-8")
    return path
