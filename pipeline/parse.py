"""Read an article page: metadata from structured data, the body from the page's main text.

Evidence is taken in order of reliability and merged field by field:

1. the source's own CSS selectors (``selectors:`` in the registry), when given;
2. JSON-LD (``NewsArticle`` and kin, also inside ``@graph``);
3. schema.org microdata (``itemprop``);
4. OpenGraph and ``article:*`` / Dublin Core / ``<meta name=...>`` tags;
5. plain HTML: ``<time datetime>``, bylines, breadcrumbs, tag links, ``<h1>``, ``<title>``.

Times are collected by :mod:`pipeline.dates` (the same layers, then visible datelines and
htmldate), bylines split into people and organisations by :mod:`pipeline.bylines`. Dates are
never read from URL digits. The body comes from ``pipeline.extract_body``: a
density extractor (the container holding the most prose, boilerplate removed) checked
paragraph by paragraph against trafilatura's generic extractor.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from bs4 import BeautifulSoup, Tag

from pipeline.bylines import parse_bylines
from pipeline.dates import find_dates
from pipeline.extract_body import extract_body
from pipeline.records import ParsedArticle

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "blogposting",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "liveblogposting",
    "socialmediaposting",
    "webpage",
}


def parse_article(html: str, url: str, selectors: dict[str, str] | None = None) -> ParsedArticle:
    """Parse one article page.

    Args:
        html: the decoded page.
        url: the page's (final) URL, for resolving relative links.
        selectors: optional CSS selectors from the source registry (``title``, ``body``,
            ``published``, ``modified``, ``author``, ``section``, ``tags``).

    Returns:
        The fields found; missing ones are ``None`` or empty. Date strings are kept for the
        normalizer, which knows the source's time zone (text dates already rewritten to ISO 8601).
    """
    soup = BeautifulSoup(html, "lxml")
    sel = selectors or {}
    index = _index(soup)
    ld = _json_ld_article(index)
    md = _microdata(soup)
    meta = _meta(index)

    title = (
        _select_text(soup, sel.get("title"))
        or _str(ld.get("headline"))
        or md.get("headline")
        or meta.get("og:title")
        or meta.get("twitter:title")
        or _first_text(index.get("h1", []))
        or _page_title(soup)
    )
    dates = find_dates(soup, html, ld=ld, microdata=md, meta=meta, selectors=sel)
    ld_names, ld_organizations = _ld_authors(ld.get("author"))
    bylines = parse_bylines(
        _select_all_text(soup, sel.get("author"))
        or ld_names
        or md.get_all("author")
        or _meta_authors(index)
        or _byline(soup),
        organization_names=[*ld_organizations, *_site_names(ld, meta)],
    )
    section = (
        _select_text(soup, sel.get("section"))
        or _ld_section(ld.get("articleSection"))
        or md.get("articleSection")
        or _first(meta, "article:section", "section", "parsely-section", "category")
        or _breadcrumb_section(soup, title)
        or _category_link(index)
    )
    tags = (
        _select_all_text(soup, sel.get("tags"))
        or _keywords(ld.get("keywords"))
        or _keywords(md.get("keywords"))
        or meta.get_all("article:tag")
        or _keywords(_first(meta, "news_keywords", "keywords", "parsely-tags"))
        or _tag_links(soup, index)
    )
    canonical = (
        _link_href(index, "canonical")
        or meta.get("og:url")
        or _ld_url(ld.get("mainEntityOfPage"))
        or _str(ld.get("url"))
    )
    language = (
        _html_lang(soup)
        or _str(ld.get("inLanguage"))
        or meta.get("og:locale")
        or _first(meta, "content-language", "language", "dc.language")
    )
    image = meta.get("og:image") or _ld_image(ld.get("image"))
    description = meta.get("og:description") or meta.get("description")

    paragraphs, extractor = _body(soup, html, sel.get("body"), title)
    return ParsedArticle(
        url=url,
        title=(title or "").strip() or None,
        body="\n\n".join(paragraphs),
        paragraphs=tuple(paragraphs),
        authors=bylines.people,
        author_organizations=bylines.organizations,
        published_at=dates.published,
        modified_at=dates.modified,
        language=language,
        section=(section or "").strip() or None,
        tags=tuple(t for t in (x.strip() for x in tags) if t),
        canonical_url=canonical,
        lead_image=image,
        description=description,
        extractor=extractor,
    )


# -- structured data ---------------------------------------------------------------------------


_INDEXED = frozenset({"meta", "link", "script", "h1", "a"})


def _index(soup: BeautifulSoup) -> dict[str, list[Tag]]:
    """The tags several extractors look at, collected in one pass over the tree."""
    found: dict[str, list[Tag]] = {}
    for el in soup.find_all(_INDEXED):
        found.setdefault(el.name, []).append(el)
    return found


def _json_ld_article(index: dict[str, list[Tag]]) -> dict[str, Any]:
    """The best article-like object among the page's JSON-LD blocks (empty if none)."""
    best: dict[str, Any] = {}
    best_rank = 99
    for script in index.get("script", []):
        if "ld+json" not in str(script.get("type") or "").lower():
            continue
        raw = script.string or script.get_text() or ""
        try:
            data = json.loads(raw.strip().rstrip(";"))
        except ValueError:
            try:  # common breakage: raw newlines/control characters inside strings
                data = json.loads(re.sub(r"[\x00-\x1f]+", " ", raw))
            except ValueError:
                continue
        for obj in _walk_ld(data):
            types = obj.get("@type")
            names = [t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)]
            for n in names:
                if n in _ARTICLE_TYPES:
                    rank = 1 if n == "webpage" else 0
                    if rank < best_rank or (rank == best_rank and len(obj) > len(best)):
                        best, best_rank = obj, rank
    return best


def _walk_ld(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk_ld(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                yield from _walk_ld(data[key])


class _Props(dict[str, str]):
    """First value per key, plus all values per key."""

    def __init__(self) -> None:
        super().__init__()
        self.all: dict[str, list[str]] = {}

    def add(self, key: str, value: str | None) -> None:
        if value is None:
            return
        value = " ".join(value.split())
        if not value:
            return
        self.setdefault(key, value)
        self.all.setdefault(key, []).append(value)

    def get_all(self, key: str) -> list[str]:
        return self.all.get(key, [])


def _microdata(soup: BeautifulSoup) -> _Props:
    props = _Props()
    scope = soup.find(attrs={"itemtype": re.compile(r"schema\.org/(News)?Article|BlogPosting", re.I)})
    if not isinstance(scope, Tag):
        return props
    for el in scope.find_all(attrs={"itemprop": True}):
        name = el.get("itemprop")
        name = name[0] if isinstance(name, list) else name
        if name == "articleBody":
            continue
        if name == "author" and el.get("itemscope") is not None:
            inner = el.find(attrs={"itemprop": "name"})
            props.add("author", (inner or el).get_text(" ", strip=True))
            continue
        value = el.get("content") or el.get("datetime")
        if value is None:
            value = el.get_text(" ", strip=True)
        if isinstance(value, list):
            value = " ".join(value)
        props.add(str(name), value)
    return props


def _meta(index: dict[str, list[Tag]]) -> _Props:
    props = _Props()
    for m in index.get("meta", []):
        key = m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv")
        if not key or m.get("content") is None:
            continue
        props.add(str(key).strip().lower(), str(m["content"]))
    return props


def _first(props: _Props, *keys: str) -> str | None:
    for k in keys:
        if props.get(k):
            return props[k]
    return None


def _str(value: Any) -> str | None:
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, list) and value:
        return _str(value[0])
    if isinstance(value, dict):
        return _str(value.get("name") or value.get("@value"))
    return None


def _ld_authors(value: Any) -> tuple[list[str], list[str]]:
    """JSON-LD author names (raw bylines), and those the page types as ``Organization``."""
    names: list[str] = []
    organizations: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str) or not name.strip() or name.startswith("http"):
            continue
        names.append(name)
        kind = item.get("@type") if isinstance(item, dict) else None
        if "organization" in str(kind).lower() or "newsmediaorganization" in str(kind).lower():
            organizations.append(name)
    return names, organizations


def _site_names(ld: dict[str, Any], meta: _Props) -> list[str]:
    """The outlet's own names: a byline equal to one of them credits the outlet, not a person."""
    names = [meta.get("og:site_name"), meta.get("application-name"), meta.get("twitter:site")]
    publisher = ld.get("publisher")
    for item in publisher if isinstance(publisher, list) else [publisher]:
        if isinstance(item, dict):
            names.append(_str(item.get("name")))
    return [n.lstrip("@") for n in names if n]


def _ld_section(value: Any) -> str | None:
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, str) and v.strip()), None)
    return _str(value)


def _ld_url(value: Any) -> str | None:
    if isinstance(value, dict):
        return _str(value.get("@id") or value.get("url"))
    return _str(value)


def _ld_image(value: Any) -> str | None:
    if isinstance(value, dict):
        return _str(value.get("url") or value.get("@id"))
    if isinstance(value, list) and value:
        return _ld_image(value[0])
    return _str(value)


def _keywords(value: Any) -> list[str]:
    if isinstance(value, list):
        return [k.strip() for k in value if isinstance(k, str) and k.strip()]
    if isinstance(value, str):
        return [k.strip() for k in re.split(r"[,;|]", value) if k.strip()]
    return []


# -- plain HTML evidence -----------------------------------------------------------------------


def _page_title(soup: BeautifulSoup) -> str | None:
    if not soup.title or not soup.title.string:
        return None
    text = soup.title.string.strip()
    # "Headline - Site Name" / "Headline | Site": keep the longest part
    parts = re.split(r"\s+[|\-–—:]\s+", text)
    return max(parts, key=len) if parts else text


def _first_text(elements: Iterable[Tag]) -> str | None:
    for el in elements:
        text = el.get_text(" ", strip=True)
        if text:
            return text
    return None


def _select_text(soup: BeautifulSoup, selector: str | None) -> str | None:
    return _first_text(soup.select(selector)) if selector else None


def _select_all_text(soup: BeautifulSoup, selector: str | None) -> list[str]:
    if not selector:
        return []
    return [t for t in (el.get_text(" ", strip=True) for el in soup.select(selector)) if t]


_AUTHOR_META = frozenset({"author", "article:author", "dc.creator", "parsely-author", "sailthru.author"})


def _meta_authors(index: dict[str, list[Tag]]) -> list[str]:
    out: list[str] = []
    for m in index.get("meta", []):
        key = str(m.get("name") or m.get("property") or "").lower()
        content = str(m.get("content") or "")
        if key in _AUTHOR_META and content and not content.startswith("http"):
            out.append(content)
    return out


def _byline(soup: BeautifulSoup) -> list[str]:
    for el in soup.find_all(rel="author"):
        text = el.get_text(" ", strip=True)
        if text:
            return [text]
    for el in soup.find_all(attrs={"class": re.compile(r"(^|[-_])(author|byline)([-_]name)?$", re.I)}):
        if el.find(["p", "div"]) and len(el.get_text()) > 120:
            continue  # an author bio box, not a byline
        text = el.get_text(" ", strip=True)
        if text and len(text) < 100:
            return [text]
    return []


def _breadcrumb_section(soup: BeautifulSoup, title: str | None) -> str | None:
    crumbs = soup.find(attrs={"class": re.compile(r"breadcrumb", re.I)}) or soup.find(
        attrs={"aria-label": re.compile(r"breadcrumb", re.I)}
    )
    if not isinstance(crumbs, Tag):
        return None
    items = [
        el.get_text(" ", strip=True)
        for el in crumbs.find_all(["a", "span", "li"])
        if not el.find(["a", "li"])
    ]
    items = [i for i in items if i and i not in {">", "/", "»", "›"} and i != title]
    items = [i for i in items if i.lower() not in {"home", "homepage", "anasayfa", "news"}]
    return items[-1] if items else None


def _category_link(index: dict[str, list[Tag]]) -> str | None:
    for a in index.get("a", []):
        if "category" in [r.lower() for r in a.get("rel") or []]:
            text = a.get_text(" ", strip=True)
            if text:
                return text
    return None


def _tag_links(soup: BeautifulSoup, index: dict[str, list[Tag]]) -> list[str]:
    tags = [
        a.get_text(" ", strip=True)
        for a in index.get("a", [])
        if "tag" in [r.lower() for r in a.get("rel") or []]
        and "category" not in [r.lower() for r in a.get("rel") or []]
    ]
    if not tags:
        box = soup.find(attrs={"class": re.compile(r"(^|[-_])tags?([-_](list|links|box))?$", re.I)})
        if isinstance(box, Tag):
            tags = [a.get_text(" ", strip=True) for a in box.find_all("a")]
    return [t.lstrip("#") for t in tags if t]


def _link_href(index: dict[str, list[Tag]], rel: str) -> str | None:
    for link in index.get("link", []):
        if not link.get("href"):
            continue
        rels = link.get("rel") or []
        if rel in [r.lower() for r in (rels if isinstance(rels, list) else [rels])]:
            return str(link["href"]).strip() or None
    return None


def _html_lang(soup: BeautifulSoup) -> str | None:
    html = soup.find("html")
    if isinstance(html, Tag):
        lang = html.get("lang") or html.get("xml:lang")
        if lang:
            return str(lang)
    return None


# -- body ---------------------------------------------------------------------------------------


def _body(soup: BeautifulSoup, html: str, selector: str | None, title: str | None) -> tuple[list[str], str]:
    """The body paragraphs and the extractor that found them (see ``pipeline.extract_body``).

    The source's ``body`` selector, when it matches, hands its element to the extractor, which
    trusts it if it holds a body's worth of text.
    """
    found = soup.select_one(selector) if selector else None
    container_html = str(found) if isinstance(found, Tag) else None
    body = extract_body(html, title=title, container_html=container_html)
    return body.paragraphs, body.extractor
