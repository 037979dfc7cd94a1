"""``python -m pipeline check-source``: try a source entry on one page before adding it.

Adding a source is a YAML-only change, so the person writing the entry needs to see what the
pipeline will make of the outlet's pages without running an ingest or touching the warehouse.
This module takes an entry (from the registry, or a YAML file holding a new one) and a page (a
saved file or a URL fetched politely, as ingest would), runs the very parse-and-normalize step
ingest runs (:func:`pipeline.ingest.process_page`), and reports what would be loaded, with
warnings for what is likely wrong: an article URL the entry's pattern does not accept, no
publication date, a body too short to be the whole article. With ``--discover`` it also reads
the entry's feeds and sitemaps (and the ``Sitemap:`` lines of robots.txt) and says what they list.

Nothing here writes to the warehouse; fetched pages are not kept.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.decoding import decode
from pipeline.discovery import DiscoveryError, Listing, maybe_gunzip, parse_feed, parse_sitemap
from pipeline.fetch import Fetcher
from pipeline.ingest import process_page
from pipeline.records import Article, FetchResult
from pipeline.sources import Source, SourceConfigError, get_source, parse_sources, read_yaml

MIN_WORDS = 80  # shorter bodies are usually a teaser, a paywall or a mis-chosen container
EDGE_CHARS = 100  # how much of the body's first and last paragraph the report shows
MAX_SITEMAPS = 20  # --discover follows sitemap indexes this far, no further
EXAMPLES = 3  # article URLs shown per feed or sitemap


@dataclass(frozen=True)
class PageCheck:
    """What loading one page with a source entry gives: the fields, or why it would fail."""

    source_id: str
    page: str  # the file or URL given
    url: str | None  # the page's URL (fetched, or given with --url), None for a bare file
    status: int | None  # HTTP status; None for a saved file
    loads: bool  # whether ingest would load this page as an article
    stage: str = ""  # where it failed: fetch, parse or normalize
    error: str = ""
    extractor: str = ""
    title: str | None = None
    published_at: str | None = None  # ISO 8601, UTC
    modified_at: str | None = None
    authors: tuple[str, ...] = ()
    author_organizations: tuple[str, ...] = ()
    section: str | None = None
    tags: tuple[str, ...] = ()
    canonical_url: str | None = None
    language: str | None = None
    word_count: int = 0
    paragraphs: int = 0
    body_start: str = ""
    body_end: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListingCheck:
    """One feed or sitemap of the entry: whether it could be read and which URLs it lists."""

    url: str
    kind: str  # feed, sitemap or sitemap index
    error: str = ""
    listed: int = 0  # URLs listed (child sitemaps for an index)
    articles: int = 0  # listed URLs the entry's article_url_pattern accepts
    examples: tuple[str, ...] = ()
    newest: str | None = None  # latest claimed publication time (ISO, UTC)
    article_urls: tuple[str, ...] = field(default=(), repr=False)


# -- the entry ------------------------------------------------------------------------------------


def load_entry(path: Path, source_id: str | None = None) -> Source:
    """The source described in a YAML file: one entry, a list of entries, or a registry file.

    Raises:
        SourceConfigError: the file is unreadable, the entry invalid (named like the registry
            does), or the file holds several entries and *source_id* does not pick one.
    """
    raw = read_yaml(path)
    if isinstance(raw, dict) and "sources" not in raw:
        raw = [raw]
    if isinstance(raw, list):
        raw = {"sources": raw}
    sources = parse_sources(raw, origin=str(path))
    if source_id is not None:
        return get_source(sources, source_id)
    if len(sources) != 1:
        ids = ", ".join(s.id for s in sources) or "none"
        raise SourceConfigError(f"{path}: holds {len(sources)} entries ({ids}); pick one with --source")
    return sources[0]


# -- one page -------------------------------------------------------------------------------------


def check_saved_page(source: Source, path: Path, url: str | None = None) -> PageCheck:
    """Check a saved page (``.html`` or gzipped). *url* is where it was saved from, if known."""
    try:
        data = maybe_gunzip(path.read_bytes())
    except (OSError, DiscoveryError) as exc:
        return PageCheck(source.id, str(path), url, None, False, "fetch", f"cannot read {path}: {exc}")
    text, encoding = decode(data)
    page_url = url or path.resolve().as_uri()
    result = FetchResult(page_url, page_url, 200, {}, data, datetime.now(UTC), text=text, encoding=encoding)
    return check_result(source, result, page=str(path), url=url, status=None)


def check_url(source: Source, url: str, fetcher: Fetcher) -> PageCheck:
    """Fetch *url* as ingest would (robots.txt, User-Agent, politeness) and check the page.

    The pattern is checked against *url* itself, as discovery checks listed URLs; redirects are
    followed and the page read from where they end, as ingest does.
    """
    result = fetcher.fetch(url)
    if not result.ok:
        error = result.error or f"http {result.status}"
        return PageCheck(source.id, url, url, result.status or None, False, "fetch", error)
    return check_result(source, result, page=url, url=url, status=result.status)


def check_result(
    source: Source, result: FetchResult, *, page: str, url: str | None, status: int | None
) -> PageCheck:
    """Parse and normalize a fetched (or read) page exactly as ingest does, and judge the outcome.

    A page whose URL the entry's ``article_url_pattern`` rejects would never be loaded (discovery
    skips it), so it fails too; its fields are still shown, to tell a wrong pattern from a page
    that is no article.
    """
    article, extractor, stage, error = process_page(source, result)
    url_warnings = _url_warnings(source, url)
    if article is None:
        return PageCheck(
            source.id, page, url, status, False, stage, error, extractor, warnings=tuple(url_warnings)
        )
    if _is_http(url) and not source.is_article_url(url or ""):
        stage, error = "discover", f"URL does not match article_url_pattern {source.article_url_pattern!r}"
    paragraphs = article.body.split("\n\n")
    return PageCheck(
        source_id=source.id,
        page=page,
        url=url,
        status=status,
        loads=not stage,
        stage=stage,
        error=error,
        extractor=extractor,
        title=article.title,
        published_at=_iso(article.published_at),
        modified_at=_iso(article.modified_at),
        authors=article.authors,
        author_organizations=article.author_organizations,
        section=article.section,
        tags=article.tags,
        canonical_url=article.canonical_url,
        language=article.language,
        word_count=article.word_count,
        paragraphs=len(paragraphs),
        body_start=_clip(paragraphs[0], EDGE_CHARS),
        body_end=_clip(paragraphs[-1], -EDGE_CHARS),
        warnings=tuple(url_warnings + _article_warnings(source, article, url, extractor)),
    )


def _is_http(url: str | None) -> bool:
    return url is not None and urlsplit(url).scheme in ("http", "https")


def _url_warnings(source: Source, url: str | None) -> list[str]:
    if url is None or not _is_http(url):
        return ["no page URL given (--url): article_url_pattern not checked against it"]
    if not source.is_article_url(url):
        return [
            f"URL does not match article_url_pattern {source.article_url_pattern!r}: discovery would skip it"
        ]
    return []


def _article_warnings(source: Source, article: Article, url: str | None, extractor: str) -> list[str]:
    """What in a loadable article is likely wrong with the entry or the page."""
    out: list[str] = []
    if article.published_at is None:
        out.append("no publication date found: only a feed or sitemap date could place it in an interval")
    if article.modified_at and article.published_at and article.modified_at < article.published_at:
        out.append("modification time is before the publication time")
    if not (article.authors or article.author_organizations):
        out.append("no byline found (authors)")
    if article.word_count < MIN_WORDS:
        out.append(
            f"body under {MIN_WORDS} words ({article.word_count}): a teaser, a paywall or the wrong "
            "container (consider selectors.body)"
        )
    if extractor == "generic":
        out.append("body came from the generic fallback extractor, not the page's structure")
    canonical = article.canonical_url
    if canonical.startswith(("http://", "https://")) and not source.is_article_url(canonical):
        out.append(
            f"canonical URL {canonical} does not match article_url_pattern: "
            "articles are stored under their canonical URL"
        )
    if article.language and article.language != source.language.split("-")[0]:
        out.append(f"language {article.language!r} differs from the entry's {source.language!r}")
    if not article.section:
        out.append("no section found")
    return out


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _clip(text: str, n: int) -> str:
    """The first (n > 0) or last (n < 0) |n| characters, marked with an ellipsis when cut."""
    if len(text) <= abs(n):
        return text
    return text[:n].rstrip() + " …" if n > 0 else "… " + text[n:].lstrip()


# -- feeds and sitemaps ---------------------------------------------------------------------------


def check_listings(source: Source, fetcher: Fetcher) -> list[ListingCheck]:
    """Read every feed and sitemap of the entry (and robots.txt ``Sitemap:`` lines).

    Sitemap indexes are followed breadth-first up to :data:`MAX_SITEMAPS` documents; nothing
    else is fetched.
    """
    checks = [_check_feed(source, fetcher, url) for url in source.feeds]
    queue = list(dict.fromkeys([*source.sitemaps, *fetcher.robots_sitemaps(source.homepage)]))
    seen: set[str] = set()
    while queue and len(seen) < MAX_SITEMAPS:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        check, children = _check_sitemap(source, fetcher, url)
        checks.append(check)
        queue.extend(children)
    return checks


def newest_article_url(checks: Sequence[ListingCheck]) -> str | None:
    """The first article URL the listings give, preferring the one with the latest claim."""
    dated = [c for c in checks if c.article_urls]
    if not dated:
        return None
    best = max(dated, key=lambda c: c.newest or "")
    return best.article_urls[0]


def _fetch_listing(fetcher: Fetcher, url: str) -> bytes | str:
    result = fetcher.fetch(url)
    if not result.ok:
        return result.error or f"http {result.status}"
    return result.body


def _check_feed(source: Source, fetcher: Fetcher, url: str) -> ListingCheck:
    body = _fetch_listing(fetcher, url)
    if isinstance(body, str):
        return ListingCheck(url, "feed", error=body)
    try:
        listings = parse_feed(body, url)
    except DiscoveryError as exc:
        return ListingCheck(url, "feed", error=str(exc))
    return _summarize(source, url, "feed", listings)


def _check_sitemap(source: Source, fetcher: Fetcher, url: str) -> tuple[ListingCheck, list[str]]:
    body = _fetch_listing(fetcher, url)
    if isinstance(body, str):
        return ListingCheck(url, "sitemap", error=body), []
    try:
        doc = parse_sitemap(body, url)
    except DiscoveryError as exc:
        return ListingCheck(url, "sitemap", error=str(exc)), []
    if doc.children and not doc.urls:
        children = [c.url for c in doc.children]
        return ListingCheck(
            url, "sitemap index", listed=len(children), examples=tuple(children[:EXAMPLES])
        ), children
    return _summarize(source, url, "sitemap", list(doc.urls)), [c.url for c in doc.children]


def _summarize(source: Source, url: str, kind: str, listings: list[Listing]) -> ListingCheck:
    articles = [li for li in listings if source.is_article_url(li.url)]
    articles.sort(
        key=lambda li: li.published_at or li.lastmod or datetime.min.replace(tzinfo=UTC), reverse=True
    )
    claimed = [li.published_at for li in articles if li.published_at]
    urls = tuple(li.url for li in articles)
    return ListingCheck(
        url,
        kind,
        listed=len(listings),
        articles=len(articles),
        examples=urls[:EXAMPLES],
        newest=_iso(max(claimed)) if claimed else None,
        article_urls=urls,
    )


# -- output ---------------------------------------------------------------------------------------


def to_json(source: Source, page: PageCheck | None, listings: Sequence[ListingCheck] | None) -> str:
    """The machine-readable report (``--json``)."""
    out: dict[str, Any] = {"source": source.id, "entry_valid": True}
    if listings is not None:
        out["listings"] = [{k: v for k, v in asdict(c).items() if k != "article_urls"} for c in listings]
    if page is not None:
        out["page"] = asdict(page)
    return json.dumps(out, ensure_ascii=False, indent=2)


def format_report(source: Source, page: PageCheck | None, listings: Sequence[ListingCheck] | None) -> str:
    """The human-readable report: entry, listings, extracted fields, warnings, verdict."""
    lines = [f"source     {source.id} ({source.name}): entry is valid"]
    if listings is not None:
        lines += ["", "feeds and sitemaps"] + [_listing_line(c) for c in listings]
        if not listings:
            lines.append("  none: no feeds, no sitemaps, no Sitemap: lines in robots.txt")
    if page is not None:
        lines += ["", *_page_lines(page)]
    return "\n".join(lines)


def _listing_line(c: ListingCheck) -> str:
    if c.error:
        return f"  FAIL {c.kind:13} {c.url}\n       {c.error}"
    if c.kind == "sitemap index":
        return f"  ok   {c.kind:13} {c.url}: {c.listed} sitemaps"
    text = f"  ok   {c.kind:13} {c.url}: {c.listed} URLs, {c.articles} match article_url_pattern"
    if c.newest:
        text += f", newest claims {c.newest}"
    return text + "".join(f"\n         {u}" for u in c.examples)


def _page_lines(p: PageCheck) -> list[str]:
    where = p.page if p.url in (None, p.page) else f"{p.page} (as {p.url})"
    status = f"HTTP {p.status}" if p.status else "saved file"
    lines = [
        f"page       {where}",
        f"           {status}" + (f", extractor: {p.extractor}" if p.extractor else ""),
    ]
    if p.loads:
        fields = [
            ("title", p.title),
            ("published", p.published_at or "—"),
            ("modified", p.modified_at or "—"),
            ("authors", ", ".join(p.authors) or "—"),
            ("orgs", ", ".join(p.author_organizations) or "—"),
            ("section", p.section or "—"),
            ("tags", ", ".join(p.tags) or "—"),
            ("canonical", p.canonical_url),
            ("language", p.language or "—"),
            ("words", f"{p.word_count} in {p.paragraphs} paragraphs"),
            ("begins", p.body_start),
            ("ends", p.body_end),
        ]
        lines += [f"{name:10} {value}" for name, value in fields]
    if p.warnings:
        lines += ["", "warnings"] + [f"  ! {w}" for w in p.warnings]
    verdict = "OK: ingest would load this page" if p.loads else f"FAIL ({p.stage}): {p.error}"
    return [*lines, "", f"result     {verdict}"]
