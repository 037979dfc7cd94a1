"""URL identity: which URLs are one article.

Pure functions. Outlets publish one article under many URLs: an AMP page (``/amp/...``,
``.../amp``, ``?amp=1``, an ``amp.`` host, ``?outputType=amp``), a print page (``/print/...``,
``.../print``, ``?print=1``), tracking and presentation query parameters in any order, http and
https, ``www.`` and the bare host, a trailing slash, and, after an edit, a new slug around the
same numeric id. :func:`identity_url` maps all of them to one *identity URL*; :func:`native_id`
reads the outlet's own article id out of a URL with the source's ``article_id_pattern``;
:func:`article_identity` combines both for one fetched page.

The identity URL is a key, not a link to follow: the fetcher keeps fetching what listings name
(rewriting a fetch target on a guess could turn a working URL into a 404).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pipeline.normalize import canonicalize_url, site_key

# Query parameters that change how a page is shown, never which article it is. Tracking
# parameters (utm_*, fbclid, ...) are already gone after canonicalize_url.
_PRESENTATION_PARAMS = frozenset(
    {"amp", "_amp", "amp_js_v", "amp_gsa", "usqp", "outputtype", "print", "printable", "_escaped_fragment_"}
)
# parameters that mark a variant only with these values (view=print, output=amp, ...)
_PRESENTATION_VALUES = {"view": {"print", "amp"}, "output": {"amp", "print"}, "format": {"amp", "print"}}
_VARIANT_SEGMENTS = frozenset({"amp", "print"})
_VARIANT_SUFFIX = re.compile(r"\.(amp|print)(?=\.html?$|$)", re.IGNORECASE)


__all__ = [
    "ArticleIdentity",
    "article_identity",
    "identity_url",
    "is_variant",
    "native_id",
    "same_site",
    "site_key",
]


@dataclass(frozen=True)
class ArticleIdentity:
    """Who a fetched page is: its identity URL, the outlet's id, the URLs to record as aliases."""

    key: str  # the identity URL: equal keys mean one article
    canonical: str  # the key with the chosen URL's trailing slash: a link that works, for display
    native_id: str | None  # the outlet's own article id, when the source's pattern finds one
    aliases: tuple[str, ...]  # canonicalized URLs that name this article (page, declared, key)
    variant: bool  # the page is an AMP or print rendering of the article


def same_site(url_a: str, url_b: str) -> bool:
    """Whether two absolute URLs are on the same site (``www.``, ``amp.`` and scheme ignored)."""
    try:
        a, b = urlsplit(url_a).netloc, urlsplit(url_b).netloc
    except ValueError:
        return False
    return bool(a) and site_key(a) == site_key(b)


def is_variant(url: str) -> bool:
    """Whether *url* names an AMP or print rendering (by host, path segment, suffix or query)."""
    parts = urlsplit(url)
    if parts.netloc.lower().startswith("amp."):
        return True
    segments = [s for s in parts.path.split("/") if s]
    if any(s.lower() in _VARIANT_SEGMENTS for s in segments) or _VARIANT_SUFFIX.search(parts.path):
        return True
    return any(_presentation_param(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True))


def identity_url(url: str, homepage: str | None = None, *, keep_trailing_slash: bool = False) -> str:
    """The identity URL of *url*: every URL of one article gives the same string.

    Args:
        url: an absolute http(s) URL.
        homepage: the source's homepage; a URL on the same site takes its scheme and host, so
            http/https and ``www.``/bare forms agree.
        keep_trailing_slash: keep a trailing slash *url* has (for a displayable URL; the key
            drops it, ``/a/`` and ``/a`` being one page on every CMS we know).

    Raises:
        ValueError: *url* is not a parseable URL (a bad port or IPv6 literal).
    """
    parts = urlsplit(canonicalize_url(url))
    scheme, netloc = parts.scheme, parts.netloc
    if netloc.startswith("amp."):
        netloc = netloc[4:]
    if homepage:
        home = urlsplit(canonicalize_url(homepage))
        if home.netloc and site_key(home.netloc) == site_key(netloc):
            scheme, netloc = home.scheme, home.netloc
    path = _identity_path(parts.path)
    if keep_trailing_slash and path != "/" and parts.path.endswith("/"):
        path += "/"
    params = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _presentation_param(k, v)
    ]
    query = urlencode(sorted(params))
    return urlunsplit((scheme, netloc, path, query, ""))


def native_id(url: str, pattern: str | None) -> str | None:
    """The outlet's own article id in *url*: group 1 of *pattern* searched in path (+ query).

    ``None`` when there is no pattern or it does not match. The pattern is matched against the
    identity URL's path, so AMP and print forms give the same id.
    """
    if not pattern:
        return None
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    match = re.search(pattern, target)
    if match is None or match.lastindex is None:
        return None
    return match.group(1) or None


def article_identity(
    page_url: str,
    declared: str | None,
    *,
    homepage: str | None = None,
    id_pattern: str | None = None,
    article_pattern: str | None = None,
) -> ArticleIdentity:
    """The identity of one fetched page.

    Args:
        page_url: the URL the page was fetched from (after redirects).
        declared: the page's ``<link rel=canonical>`` (absolute), if any.
        homepage: the source's homepage (decides scheme and host, see :func:`identity_url`).
        id_pattern: the source's ``article_id_pattern`` (one group: the outlet's article id).
        article_pattern: the source's ``article_url_pattern``; a declared canonical that does
            not look like an article URL (a section page, a template bug) is not trusted.

    A declared canonical is trusted only on the same site as the page: an AMP page's canonical
    names the main page, while a syndicated copy's canonical names another outlet's article,
    which is a story-cluster relation (see :mod:`pipeline.stories`), not one article.
    """
    page = canonicalize_url(page_url)
    names = [page]
    chosen = page
    if declared and declared != page and same_site(declared, page):
        candidate = identity_url(declared, homepage)
        if article_pattern is None or _matches(article_pattern, candidate):
            chosen = declared
            names.append(declared)
    key = identity_url(chosen, homepage)
    canonical = identity_url(chosen, homepage, keep_trailing_slash=True)
    names.extend([canonical, key])
    return ArticleIdentity(
        key=key,
        canonical=canonical,
        native_id=native_id(key, id_pattern),
        aliases=tuple(dict.fromkeys(names)),
        variant=is_variant(page),
    )


def _matches(pattern: str, url: str) -> bool:
    parts = urlsplit(url)
    return bool(re.search(pattern, parts.path + (f"?{parts.query}" if parts.query else "")))


def _presentation_param(key: str, value: str) -> bool:
    name = key.lower()
    return name in _PRESENTATION_PARAMS or value.lower() in _PRESENTATION_VALUES.get(name, ())


def _identity_path(path: str) -> str:
    """Drop AMP/print segments and suffixes and the trailing slash; keep at least one segment."""
    segments = [s for s in path.split("/") if s]
    kept = [s for s in segments if s.lower() not in _VARIANT_SEGMENTS] or segments
    if kept:
        kept[-1] = _VARIANT_SUFFIX.sub("", kept[-1]) or kept[-1]
    return "/" + "/".join(kept)
