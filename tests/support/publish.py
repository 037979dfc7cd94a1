"""Make new articles from fixture pages: for streaming tests, the smoke suite and benchmarks."""

from __future__ import annotations

import re
from datetime import datetime

from tests.support.fixture_site import FixtureSite


def clone_article(html: str, *, old_path: str, new_path: str, old_title: str, new_title: str,
                  published: datetime, n: int) -> str:  # fmt: skip
    """A copy of a JSON-LD article page under a new URL, title and publication time, with one extra
    paragraph so its content (and content hash) is its own."""
    html = html.replace(old_path, new_path).replace(old_title, new_title)
    html = re.sub(r'"datePublished": "[^"]+"', f'"datePublished": "{published.isoformat()}"', html)
    html = re.sub(r'"dateModified": "[^"]+",?', "", html)
    return html.replace("</p>", f"</p>\n<p>Report {n} adds this paragraph so every story is distinct.</p>", 1)


def publish_article(
    site: FixtureSite, template_path: str, n: int, published: datetime, feed_path: str = "/rss"
) -> str:
    """Copy the page at *template_path* as article number *n* published at *published*; list it
    first in the feed. Returns the new article's URL path."""
    page = site.fetch_local(template_path)
    assert page is not None, template_path
    html = page.decode("utf-8")
    title = html.split('"headline": "', 1)[1].split('"', 1)[0]
    path = f"/politics/breaking-story-number-{n}-news-{90000 + n}"
    html = clone_article(html, old_path=template_path, new_path=path, old_title=title,
                         new_title=f"{title} (update {n})", published=published, n=n)  # fmt: skip
    site.add_file(path, html, content_type="text/html; charset=utf-8")
    feed = (site.fetch_local(feed_path) or b"").decode("utf-8")
    item = (
        f"<item><title>Breaking {n}</title><link>{site.base_url}{path}</link>"
        f"<pubDate>{published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
    )
    site.add_file(
        feed_path,
        feed.replace("<item>", item + "<item>", 1),
        content_type="application/rss+xml; charset=utf-8",
    )
    return path
