"""Typed records passed between the pipeline's stages.

Every record is a frozen dataclass: stages return new values and never mutate what they receive.
Ids are derived from content (see :func:`article_id_for`) so that reruns converge.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class DiscoveredUrl:
    """An article URL found in a feed or sitemap, with the publication time the listing claims."""

    url: str
    source_id: str
    claimed_published_at: datetime | None = None
    via: str = ""  # the feed or sitemap URL that listed it
    title: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """One HTTP exchange, as kept in the raw zone."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    redirects: tuple[str, ...] = ()
    text: str | None = None  # decoded body, when it is a text document
    encoding: str | None = None
    error: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 and self.error is None


@dataclass(frozen=True)
class ParsedArticle:
    """What the parser read off one page, before normalization."""

    url: str
    title: str | None
    body: str
    authors: tuple[str, ...] = ()  # people only (see pipeline.bylines)
    author_organizations: tuple[str, ...] = ()  # agencies, the outlet, desks credited as authors
    published_at: str | None = None  # raw string as found in the page (ISO when it was text)
    modified_at: str | None = None
    language: str | None = None  # as the page declares it (html lang, og:locale)
    section: str | None = None
    tags: tuple[str, ...] = ()
    canonical_url: str | None = None
    lead_image: str | None = None
    description: str | None = None
    extractor: str = "structured"  # "structured" or "generic" (fallback)
    paragraphs: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Article:
    """A normalized article, ready to load: UTC times, clean text, canonical URL, content hash."""

    source_id: str
    url: str
    canonical_url: str
    title: str
    body: str
    authors: tuple[str, ...]
    published_at: datetime | None
    modified_at: datetime | None
    language: str | None  # the body's detected language when confident, else the declared one
    section: str | None
    tags: tuple[str, ...]
    lead_image: str | None
    word_count: int
    content_hash: str
    author_organizations: tuple[str, ...] = ()
    declared_language: str | None = None  # what the page declares (html lang, og:locale)


def article_id_for(canonical_url: str) -> str:
    """A stable article id: the first 16 hex digits of its identity URL's SHA-256.

    The loader passes the identity URL (:mod:`pipeline.urls`: AMP, print, query and host variants
    folded) of the first URL an article is seen under; later variants become its aliases.
    """
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]
