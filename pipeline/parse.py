"""Read an article page: metadata from structured data, the body from the page's main text.

Evidence is taken in order of reliability and merged field by field:

1. the source's own CSS selectors (``selectors:`` in the registry), when given;
2. JSON-LD (``NewsArticle`` and kin, also inside ``@graph``);
3. schema.org microdata (``itemprop``);
4. OpenGraph and ``article:*`` / Dublin Core / ``<meta name=...>`` tags;
5. plain HTML: ``<time datetime>``, bylines, breadcrumbs, tag links, ``<h1>``, ``<title>``.

Dates are never read from URL digits. The body comes from the container holding the most
paragraph text (a readability-style score over ``<p>`` elements), with navigation, captions,
share bars, related links, newsletter boxes and tag lists removed; a page where that finds too
little falls back to trafilatura's generic extractor.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from bs4 import BeautifulSoup, Comment, Tag

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
_STRIP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "form",
    "iframe",
    "button",
    "input",
    "select",
    "textarea",
    "footer",
    "video",
    "audio",
    "picture",
    "img",
    "object",
    "embed",
    "dialog",
    "menu",
)
# Class/id tokens that mark boilerplate: a token equal to one of _BOILER_EXACT, or starting with one
# of _BOILER_PREFIX ("jp-relatedposts" -> tokens jp, relatedposts -> "related").
_BOILER_EXACT = frozenset(
    "ad ads adv tag tags meta nav menu print byline dateline credit credits follow like likes more "
    "footer header popup modal banner toolbar widget sidebar gallery video embed".split()
)  # fmt: skip
_BOILER_PREFIX = (
    "share",
    "sharing",
    "sharedaddy",
    "social",
    "related",
    "newsletter",
    "subscri",
    "signup",
    "taglist",
    "keyword",
    "advert",
    "promo",
    "sponsor",
    "caption",
    "breadcrumb",
    "comment",
    "authorbox",
    "authorbio",
    "readmore",
    "morenews",
    "cookie",
    "consent",
    "recommend",
    "trending",
    "mostread",
    "popular",
    "outbrain",
    "taboola",
    "postmeta",
    "entrymeta",
    "articlemeta",
    "metabar",
    "navigation",
    "pagination",
    "donat",
    "supportus",
    "paywall",
    "sidebar",
    "widget",
)
_TOKEN_SPLIT = re.compile(r"[-_\s]+|(?<=[a-z])(?=[A-Z])")
_CONTENTISH = re.compile(r"(article|story|entry|post|content|body|text|main|detail|news)", re.IGNORECASE)
_BLOCKS = ("p", "h2", "h3", "h4", "blockquote", "li", "pre")
_DATE_HINT = re.compile(r"(publish|date|time|posted|created)", re.IGNORECASE)
_MOD_HINT = re.compile(r"(modif|updat|edited)", re.IGNORECASE)
_BY = re.compile(r"^\s*(by|from|written by|reporter:|author:)\s+", re.IGNORECASE)
_MIN_BODY_WORDS = 40


def parse_article(html: str, url: str, selectors: dict[str, str] | None = None) -> ParsedArticle:
    """Parse one article page.

    Args:
        html: the decoded page.
        url: the page's (final) URL, for resolving relative links.
        selectors: optional CSS selectors from the source registry (``title``, ``body``,
            ``published``, ``modified``, ``author``, ``section``, ``tags``).

    Returns:
        The fields found; missing ones are ``None`` or empty. Raw date strings are kept for the
        normalizer, which knows the source's time zone.
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
    published = (
        _select_date(soup, sel.get("published"))
        or _str(ld.get("datePublished"))
        or md.get("datePublished")
        or _first(
            meta,
            "article:published_time",
            "og:article:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "publish-date",
            "date",
            "dc.date.issued",
            "dc.date",
            "dcterms.created",
            "sailthru.date",
            "parsely-pub-date",
            "article.published",
            "cxenseparse:recs:publishtime",
        )
        or _time_element(index, modified=False)
        or _text_date(soup)
    )
    modified = (
        _select_date(soup, sel.get("modified"))
        or _str(ld.get("dateModified"))
        or md.get("dateModified")
        or _first(
            meta,
            "article:modified_time",
            "og:updated_time",
            "datemodified",
            "lastmod",
            "last-modified",
            "dcterms.modified",
            "article.updated",
        )
        or _time_element(index, modified=True)
    )
    authors = (
        _select_all_text(soup, sel.get("author"))
        or _ld_names(ld.get("author"))
        or md.get_all("author")
        or _meta_authors(index)
        or _byline(soup)
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
        authors=tuple(a for a in (x.strip() for x in authors) if a),
        published_at=published,
        modified_at=modified,
        language=language,
        section=(section or "").strip() or None,
        tags=tuple(t for t in (x.strip() for x in tags) if t),
        canonical_url=canonical,
        lead_image=image,
        description=description,
        extractor=extractor,
    )


# -- structured data ---------------------------------------------------------------------------


_INDEXED = frozenset({"meta", "link", "time", "script", "h1", "a"})


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


def _ld_names(value: Any) -> list[str]:
    out: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and not name.startswith("http"):
            out.extend(_split_names(name))
    return out


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


def _select_date(soup: BeautifulSoup, selector: str | None) -> str | None:
    if not selector:
        return None
    for el in soup.select(selector):
        value = el.get("datetime") or el.get("content") or el.get_text(" ", strip=True)
        if value:
            return str(value)
    return None


def _time_element(index: dict[str, list[Tag]], *, modified: bool) -> str | None:
    candidates = []
    for el in index.get("time", []):
        value = el.get("datetime") or el.get_text(" ", strip=True)
        if not value:
            continue
        hint = " ".join(
            [*(el.get("class") or []), str(el.get("itemprop") or ""), str(el.get("id") or "")]
            + [" ".join(p.get("class") or []) for p in el.parents if isinstance(p, Tag)][:2]
        )
        is_mod = bool(_MOD_HINT.search(hint))
        if el.has_attr("pubdate"):
            is_mod = False
        candidates.append((is_mod, str(value)))
    for is_mod, value in candidates:
        if is_mod == modified:
            return value
    return None


_TEXT_DATE = re.compile(
    r"\b(\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}(\s*[-,|]?\s*\d{1,2}:\d{2})?|"
    r"[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}(\s*[-,|]?\s*\d{1,2}:\d{2}\s*([AaPp][Mm])?)?|"
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?|\d{1,2}[./]\d{1,2}[./]\d{4}(\s+\d{1,2}:\d{2})?)"
)


def _text_date(soup: BeautifulSoup) -> str | None:
    """A date written as text in an element whose class or id says it is a date."""
    for el in soup.find_all(attrs={"class": _DATE_HINT}):
        if _MOD_HINT.search(" ".join(el.get("class") or [])):
            continue
        match = _TEXT_DATE.search(el.get_text(" ", strip=True))
        if match:
            return match.group(0)
    for el in soup.find_all(attrs={"id": _DATE_HINT}):
        match = _TEXT_DATE.search(el.get_text(" ", strip=True))
        if match:
            return match.group(0)
    return None


def _split_names(text: str) -> list[str]:
    text = _BY.sub("", text).strip()
    parts = re.split(r"\s*(?:,|&|\band\b|\|)\s*", text)
    return [p.strip() for p in parts if p and p.strip() and len(p) < 80]


_AUTHOR_META = frozenset({"author", "article:author", "dc.creator", "parsely-author", "sailthru.author"})


def _meta_authors(index: dict[str, list[Tag]]) -> list[str]:
    out: list[str] = []
    for m in index.get("meta", []):
        key = str(m.get("name") or m.get("property") or "").lower()
        content = str(m.get("content") or "")
        if key in _AUTHOR_META and content and not content.startswith("http"):
            out.extend(_split_names(content))
    return out


def _byline(soup: BeautifulSoup) -> list[str]:
    for el in soup.find_all(rel="author"):
        text = el.get_text(" ", strip=True)
        if text:
            return _split_names(text)
    for el in soup.find_all(attrs={"class": re.compile(r"(^|[-_])(author|byline)([-_]name)?$", re.I)}):
        if el.find(["p", "div"]) and len(el.get_text()) > 120:
            continue  # an author bio box, not a byline
        text = el.get_text(" ", strip=True)
        if text and len(text) < 100:
            return _split_names(text)
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
    container: Tag | None = None
    if selector:
        found = soup.select_one(selector)
        container = found if isinstance(found, Tag) else None
    if container is None:
        found = soup.find(attrs={"itemprop": "articleBody"})
        container = found if isinstance(found, Tag) else None
    if container is None:
        _strip_boilerplate(soup)
        container = _best_container(soup)
    else:
        _strip_boilerplate(container)
    paragraphs = _paragraphs(container, title) if container is not None else []
    words = sum(len(p.split()) for p in paragraphs)
    if words >= _MIN_BODY_WORDS:
        return paragraphs, "structured"
    generic = _generic_body(html)
    if generic and sum(len(p.split()) for p in generic) > words:
        return generic, "generic"
    return paragraphs, "structured"


def _boiler_marks(marks: str) -> bool:
    tokens = [t.lower() for t in _TOKEN_SPLIT.split(marks) if t]
    joined = "".join(tokens)
    for i, token in enumerate(tokens):
        if token in _BOILER_EXACT or token.startswith(_BOILER_PREFIX):
            return True
        # compound class names split into tokens: "author-box", "read-more", "post-meta"
        if i + 1 < len(tokens) and (token + tokens[i + 1]).startswith(_BOILER_PREFIX):
            return True
    return joined.startswith(_BOILER_PREFIX)


def _is_boilerplate(el: Tag) -> bool:
    if el.attrs is None:
        return False
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    role = str(el.get("role") or "")
    if role in {"navigation", "complementary", "banner", "contentinfo", "dialog", "menu"}:
        return True
    if el.name == "p" and el.get("class") is None and el.get("id") is None:
        return False
    marks = " ".join([*(el.get("class") or []), str(el.get("id") or "")])
    if not marks.strip() or not _boiler_marks(marks):
        return False
    # never drop a container that is plainly the article itself
    return el.get("itemprop") != "articleBody" and not (
        _CONTENTISH.search(marks) and len(el.find_all("p")) >= 3 and not _strong_boiler(marks)
    )


def _strong_boiler(marks: str) -> bool:
    return bool(
        re.search(
            r"(related|newsletter|share|social|comment|recommend|trending|caption|tags?\b)", marks, re.I
        )
    )


def _strip_boilerplate(root: Tag) -> None:
    """Remove non-content elements and boilerplate blocks, in one walk over the tree."""
    doomed: list[Tag | Comment] = []
    skip_until: Tag | None = None
    for node in root.descendants:
        if skip_until is not None:
            if skip_until in getattr(node, "parents", ()):
                continue  # inside an element already removed
            skip_until = None
        if isinstance(node, Comment):
            doomed.append(node)
        elif isinstance(node, Tag) and (node.name in _STRIP_TAGS or _is_boilerplate(node)):
            doomed.append(node)
            skip_until = node
    for node in doomed:
        node.extract() if isinstance(node, Comment) else node.decompose()


def _best_container(soup: BeautifulSoup) -> Tag | None:
    """The element whose paragraphs hold the most text (readability-style scoring)."""
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for p in soup.find_all(["p", "pre", "blockquote"]):
        text = p.get_text(" ", strip=True)
        if len(text) < 25:
            continue
        links = sum(len(a.get_text(" ", strip=True)) for a in p.find_all("a"))
        if links > 0.5 * len(text):
            continue
        score = 1 + text.count(",") + min(len(text) / 100, 3)
        parent = p.parent
        for weight in (1.0, 0.5, 0.25):
            if not isinstance(parent, Tag) or parent.name in ("html", "[document]"):
                break
            key = id(parent)
            nodes[key] = parent
            scores[key] = scores.get(key, 0.0) + score * weight
            parent = parent.parent
    if not scores:
        return soup.find("article") or soup.body
    return nodes[max(scores, key=lambda k: scores[k])]


def _paragraphs(container: Tag, title: str | None) -> list[str]:
    out: list[str] = []
    for el in container.find_all(_BLOCKS):
        if el.find(_BLOCKS):  # keep the innermost blocks only
            continue
        if el.name == "li" and (el.find("a") and len(el.get_text(strip=True)) < 80):
            continue  # link lists
        text = el.get_text(" ", strip=True)
        text = re.sub(r"\s+([,.;:!?’”)])", r"\1", text)
        if not text or (title and text == title):
            continue
        links = sum(len(a.get_text(" ", strip=True)) for a in el.find_all("a"))
        if links > 0.8 * len(text) and len(text) < 200:
            continue
        out.append(text)
    if not out:
        text = container.get_text("\n", strip=True)
        out = [line for line in text.split("\n") if len(line.split()) > 3]
    return out


def _generic_body(html: str) -> list[str]:
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - trafilatura is a locked dependency
        return []
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text:
        return []
    return [line.strip() for line in text.split("\n") if line.strip()]
