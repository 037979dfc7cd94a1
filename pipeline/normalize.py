"""Normalization: clean text, UTC times, canonical URLs and content hashes.

Pure functions. :func:`normalize_article` turns a :class:`~pipeline.records.ParsedArticle` into a
loadable :class:`~pipeline.records.Article`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import warnings
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import ftfy
from dateutil import parser as dateparser

from pipeline.dates import ZONE_OFFSETS, reconcile
from pipeline.language import choose_language, declared_code, detect_language
from pipeline.records import Article, ParsedArticle

_TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|_ga|_gl|"
    r"ocid|cmpid|ref|ref_src|referrer|source|igshid|spm|share|amp;utm_[a-z_]+)$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_WORD = re.compile(r"\w+")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_NO_DATE = datetime(1, 1, 1)  # noqa: DTZ001 - dateutil's default for missing parts: an invalid year
# host prefixes that name the same site as the bare host (see site_key)
_SITE_PREFIX = re.compile(r"^(?:www\d?|amp|m|mobile)\.")


class NormalizationError(ValueError):
    """An article that cannot be normalized into a loadable record (e.g. no title or body)."""


def clean_text(text: str | None) -> str:
    """Repair mojibake, NFC-normalize and tidy whitespace of one line or paragraph."""
    if not text:
        return ""
    text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, fix_line_breaks=True)
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    return _SPACES.sub(" ", text).strip()


def clean_body(paragraphs: list[str] | tuple[str, ...] | str) -> str:
    """Clean each paragraph and join them with one blank line; empty paragraphs are dropped."""
    if isinstance(paragraphs, str):
        paragraphs = re.split(r"\n\s*\n|\r\n\s*\r\n", paragraphs)
    cleaned = []
    for p in paragraphs:
        lines = [clean_text(line) for line in p.splitlines()]
        joined = " ".join(line for line in lines if line)
        if joined:
            cleaned.append(joined)
    return "\n\n".join(cleaned)


def parse_time(value: str | None, tz: ZoneInfo | str = "UTC") -> datetime | None:
    """Parse a date/time string; naive values are read in *tz*; the result is UTC.

    A bare date (``2020-01-21``) means midnight in *tz*. Unparseable input gives ``None``.
    """
    if not value or not value.strip():
        return None
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            with warnings.catch_warnings():  # unknown zone names: the time is read as naive
                warnings.simplefilter("ignore")
                # missing date parts come from year 1 (rejected below), never from today
                parsed = dateparser.parse(text, default=_NO_DATE, fuzzy=False, tzinfos=ZONE_OFFSETS)
        except (ValueError, OverflowError, TypeError):
            return None
    if parsed is None or parsed.year < 1990 or parsed.year > 2200:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)


def require_time(value: str, tz: ZoneInfo | str = "UTC") -> datetime:
    """:func:`parse_time` for values that must be a time (command lines, DAG params).

    Raises:
        ValueError: *value* is not a date or date-time.
    """
    parsed = parse_time(value, tz)
    if parsed is None:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD or ISO 8601)")
    return parsed


def canonicalize_url(url: str, base: str | None = None) -> str:
    """The canonical form of *url* (resolved against *base* when relative).

    Lower-case scheme and host, default port dropped, fragment and tracking parameters
    (``utm_*``, ``fbclid``, ...) removed, empty query dropped, path kept as the site wrote it.
    """
    if base:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)]
    )
    path = quote(re.sub(r"/{2,}", "/", parts.path) or "/", safe="/%:@!$&'()*+,;=-._~")
    return urlunsplit((scheme, netloc, path, query, ""))


def choose_canonical(page_url: str, declared: str | None) -> str:
    """Pick the canonical URL: the page's declared one unless it is clearly wrong.

    A declared canonical pointing at a site's home page (a common template bug), at another
    scheme than http(s), at another site, or that cannot be parsed is ignored in favour of the
    page URL itself. Another site's URL is what a syndicated copy declares (the wire story's
    original): it is a different article of the same story (see :mod:`pipeline.stories`), and
    trusting it would merge two outlets' articles into one row.
    """
    page = canonicalize_url(page_url)
    if not declared:
        return page
    try:
        candidate = canonicalize_url(declared, base=page_url)
    except ValueError:  # a bad port or IPv6 literal in the page's markup
        return page
    parts = urlsplit(candidate)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return page
    if site_key(parts.netloc) != site_key(urlsplit(page).netloc):
        return page
    if parts.path in ("", "/") and urlsplit(page).path not in ("", "/"):
        return page
    return candidate


def site_key(netloc: str) -> str:
    """The site a host belongs to: lower-cased, without ``www.``/``amp.``/``m.`` (port kept).

    ``www.example.com``, ``amp.example.com`` and ``example.com`` are one site; ``news.example.com``
    is another (outlets run different desks on subdomains).
    """
    return _SITE_PREFIX.sub("", netloc.lower().rstrip("."))


def content_hash(title: str, body: str) -> str:
    """SHA-256 of the normalized title and body: equal hashes mean an unchanged article."""
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _clean_list(values: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for v in values:
        c = clean_text(v)
        if c and c.casefold() not in seen:
            seen[c.casefold()] = c
    return tuple(seen.values())


def normalize_article(
    parsed: ParsedArticle,
    *,
    source_id: str,
    timezone: str,
    fallback_published: datetime | None = None,
    fallback_modified: datetime | None = None,
) -> Article:
    """Normalize a parsed page into an :class:`Article`.

    Args:
        parsed: what the parser read off the page.
        source_id: registry id of the source.
        timezone: the source's time zone, used for naive times.
        fallback_published: the publication time a feed or sitemap claimed, used only when the
            page itself states none.
        fallback_modified: the listing's last modification, used only when the page states
            none and it is later than the publication time.

    A modification time earlier than the publication time is dropped. ``language`` is the one
    the body is written in when the detector is confident, else the declared one, which is kept
    in ``declared_language`` (see :mod:`pipeline.language`). A name credited both as a person and
    as an organisation is an organisation.

    Raises:
        NormalizationError: the page has no title or no body text.
    """
    title = clean_text(parsed.title)
    body = clean_body(parsed.paragraphs or parsed.body)
    if not title:
        raise NormalizationError("no title found")
    if not body:
        raise NormalizationError("no body text found")
    zone = ZoneInfo(timezone)
    published = parse_time(parsed.published_at, zone) or fallback_published
    modified = parse_time(parsed.modified_at, zone)
    if modified is None and fallback_modified is not None and published and fallback_modified > published:
        modified = fallback_modified
    published, modified = reconcile(published, modified)
    canonical = choose_canonical(parsed.url, parsed.canonical_url)
    declared = declared_code(parsed.language)
    organizations = _clean_list(parsed.author_organizations)
    org_keys = {o.casefold() for o in organizations}
    people = tuple(p for p in _clean_list(parsed.authors) if p.casefold() not in org_keys)
    return Article(
        source_id=source_id,
        url=canonicalize_url(parsed.url),
        canonical_url=canonical,
        title=title,
        body=body,
        authors=people,
        author_organizations=organizations,
        published_at=published,
        modified_at=modified,
        language=choose_language(detect_language(f"{title}\n\n{body}"), declared),
        declared_language=declared,
        section=clean_text(parsed.section) or None,
        tags=_clean_list(parsed.tags),
        lead_image=urljoin(parsed.url, parsed.lead_image) if parsed.lead_image else None,
        word_count=word_count(body),
        content_hash=content_hash(title, body),
    )
