"""A synthetic news site for benchmarks: N articles a day for a date range, Duvar-style markup.

Pages are made from the Duvar fixture pages (real markup, boilerplate and all) with a new id,
title, publication time and one unique paragraph each, listed in an RSS feed (latest 50) and in
daily Google News sitemaps behind a sitemap index, as a real outlet does.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.publish import clone_article

TEMPLATES = ROOT / "tests" / "fixtures" / "sites" / "duvar"


def _templates() -> list[tuple[str, str, str]]:
    manifest = json.loads((TEMPLATES / "manifest.json").read_text())
    out = []
    for entry in manifest["articles"]:
        if entry["kind"] != "article":
            continue
        page = TEMPLATES / "public" / (entry["path"].lstrip("/") + ".html")
        if page.exists() and entry.get("encoding", "utf-8") == "utf-8":
            out.append((entry["path"], entry["title"], page.read_text(encoding="utf-8")))
    return out


def build(root: Path, start: datetime, days: int, per_day: int) -> list[dict[str, str]]:
    """Write the site under *root*; return one {path, published_at} per article."""
    public = root / "public"
    (public / "politics").mkdir(parents=True, exist_ok=True)
    (public / "sitemaps").mkdir(parents=True, exist_ok=True)
    templates = _templates()
    articles: list[dict[str, str]] = []
    by_day: dict[str, list[dict[str, str]]] = {}
    n = 0
    for d in range(days):
        day = start + timedelta(days=d)
        for k in range(per_day):
            n += 1
            published = day + timedelta(minutes=int((k + 0.5) * 24 * 60 / per_day))
            old_path, old_title, html = templates[n % len(templates)]
            path = f"/politics/synthetic-story-number-{n}-news-{60000 + n}"
            title = f"{old_title} (report {n})"
            html = clone_article(html, old_path=old_path, new_path=path, old_title=old_title, new_title=title,
                                 published=published, n=n)  # fmt: skip
            (public / (path.lstrip("/") + ".html")).write_text(html, encoding="utf-8")
            item = {"path": path, "title": title, "published_at": published.isoformat()}
            articles.append(item)
            by_day.setdefault(day.strftime("%Y-%m-%d"), []).append(item)
    sitemap_entries = []
    for day, items in by_day.items():
        urls = "".join(
            f"<url><loc>{{{{BASE}}}}{i['path']}</loc><news:news><news:publication><news:name>Synthetic</news:name>"
            f"<news:language>en</news:language></news:publication><news:publication_date>{i['published_at']}"
            f"</news:publication_date><news:title>{i['title']}</news:title></news:news></url>"
            for i in items
        )
        (public / "sitemaps" / f"news-{day}.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>',
            encoding="utf-8",
        )
        lastmod = max(i["published_at"] for i in items)
        sitemap_entries.append(
            f"<sitemap><loc>{{{{BASE}}}}/sitemaps/news-{day}.xml.gz</loc><lastmod>{lastmod}</lastmod></sitemap>"
        )
    (public / "sitemap_index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(sitemap_entries)
        + "</sitemapindex>",
        encoding="utf-8",
    )
    items = "".join(
        f"<item><title>{i['title']}</title><link>{{{{BASE}}}}{i['path']}</link>"
        f"<pubDate>{datetime.fromisoformat(i['published_at']).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
        for i in articles[-50:]
    )
    (public / "rss.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Synthetic</title>{items}</channel></rss>',
        encoding="utf-8",
    )
    (public / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    (root / "site.json").write_text(
        json.dumps({"name": "synthetic", "last_modified": "2020-02-01T00:00:00Z"})
    )
    (root / "manifest.json").write_text(
        json.dumps(
            {
                "source": {
                    "id": "synthetic-news",
                    "name": "Synthetic News",
                    "language": "en",
                    "timezone": "UTC",
                    "feeds": ["{{BASE}}/rss"],
                    "sitemaps": ["{{BASE}}/sitemap_index.xml"],
                    "article_url_pattern": r"-news-\d+$",
                },
                "articles": [],
            }
        )
    )
    return articles


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(len(build(Path(sys.argv[1]), datetime(2020, 1, 1, tzinfo=UTC), 31, 20)))
