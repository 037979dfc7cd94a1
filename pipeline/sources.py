"""The source registry: ``sources.yml`` parsed and validated into :class:`Source` records.

A user adds a news source by editing YAML only. Every entry is checked; a bad one is rejected
with a message naming the entry and the field (``sources.yml: sources[2] (id 'foo'): timezone:
unknown time zone 'Europe/Istanbull'``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_SELECTOR_FIELDS = ("title", "body", "published", "modified", "author", "section", "tags")
_SCHEDULES = ("@hourly", "@daily", "@weekly")


class SourceConfigError(ValueError):
    """A source registry that cannot be used, with the entry and field at fault."""


@dataclass(frozen=True)
class ArchiveConfig:
    """How a source uses the Wayback Machine (the ``archive:`` block; policy in :mod:`pipeline.archive`)."""

    url_prefix: str  # captures under this URL are candidates (default: the homepage)
    match: str = "prefix"  # CDX matchType: "prefix" (under url_prefix) or "domain" (its host and subdomains)
    mode: str = "fallback"  # "fallback": live first, archive when gone; "only": the site is gone
    capture_lag_days: int = 30  # captures up to this long after an interval still count for it
    until: str | None = None  # fallback: query the archive only for intervals starting before this date

    def covers(self, start: datetime) -> bool:
        """Whether a run starting at *start* consults the archive."""
        return (
            self.mode == "only"
            or self.until is None
            or start < datetime.fromisoformat(self.until).replace(tzinfo=UTC)
        )


@dataclass(frozen=True)
class Source:
    """One news source, as the registry describes it."""

    id: str
    name: str
    homepage: str
    language: str
    timezone: str
    feeds: tuple[str, ...]
    sitemaps: tuple[str, ...]
    article_url_pattern: str
    selectors: tuple[tuple[str, str], ...] = ()
    politeness_delay: float = 1.0
    allow_private_network: bool = False
    schedule: str = "@hourly"
    start_date: str = "2020-01-01"
    max_pages_per_run: int = 500
    # one regex group capturing the outlet's own article id from the URL path (e.g. Duvar's
    # '-news-(\d+)$'): a changed slug around the same id is still the same article
    article_id_pattern: str | None = None
    archive: ArchiveConfig | None = None  # discovery from the Wayback Machine (see pipeline.archive)

    @property
    def dag_id(self) -> str:
        return "ingest_" + self.id.replace("-", "_")

    @property
    def pool(self) -> str:
        return "source_" + self.id.replace("-", "_")

    @property
    def asset_name(self) -> str:
        """Name of the Airflow Asset the source's ingest DAG updates after each load."""
        return "articles_" + self.id.replace("-", "_")

    @property
    def asset_uri(self) -> str:
        return f"newspipe://warehouse/articles/{self.id}"

    @property
    def url_regex(self) -> re.Pattern[str]:
        return re.compile(self.article_url_pattern)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def selector(self, name: str) -> str | None:
        return dict(self.selectors).get(name)

    def is_article_url(self, url: str) -> bool:
        """Whether *url*'s path (with query) matches the source's article pattern."""
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return bool(self.url_regex.search(path))


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a registry file.

    Raises:
        SourceConfigError: the file is missing, not YAML, or an entry is invalid.
    """
    path = Path(path)
    return parse_sources(read_yaml(path), origin=str(path))


def read_yaml(path: Path) -> Any:
    """The YAML document of a sources file (a registry or a single entry).

    Raises:
        SourceConfigError: the file is missing, unreadable or not YAML.
    """
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourceConfigError(f"{path}: cannot read: no such sources file") from exc
    except OSError as exc:
        raise SourceConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise SourceConfigError(f"{path}: not valid YAML: {exc}") from exc


def parse_sources(raw: Any, origin: str = "sources.yml") -> list[Source]:
    """Validate an already-loaded registry document (``{"sources": [...]}``)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("sources"), list):
        raise SourceConfigError(f"{origin}: expected a top-level 'sources:' list")
    sources: list[Source] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw["sources"]):
        source = _parse_entry(entry, f"{origin}: sources[{i}]")
        if source.id in seen:
            raise SourceConfigError(f"{origin}: sources[{i}] (id {source.id!r}): id: duplicate id")
        seen.add(source.id)
        sources.append(source)
    return sources


def get_source(sources: list[Source], source_id: str) -> Source:
    for s in sources:
        if s.id == source_id:
            return s
    known = ", ".join(s.id for s in sources) or "none"
    raise SourceConfigError(f"unknown source {source_id!r} (known: {known})")


def _parse_entry(entry: Any, where: str) -> Source:
    if not isinstance(entry, dict):
        raise SourceConfigError(f"{where}: expected a mapping, got {type(entry).__name__}")
    ident = entry.get("id")
    label = f"{where} (id {ident!r})" if ident else where

    def fail(field: str, message: str) -> SourceConfigError:
        return SourceConfigError(f"{label}: {field}: {message}")

    known = {
        "id",
        "name",
        "homepage",
        "language",
        "timezone",
        "feeds",
        "sitemaps",
        "article_url_pattern",
        "selectors",
        "politeness_delay",
        "allow_private_network",
        "schedule",
        "start_date",
        "max_pages_per_run",
        "article_id_pattern",
        "archive",
    }
    for key in entry:
        if key not in known:
            raise fail(str(key), f"unknown field (known: {', '.join(sorted(known))})")

    def text(field: str, required: bool = True) -> str:
        value = entry.get(field)
        if value is None or value == "":
            if required:
                raise fail(field, "required")
            return ""
        if not isinstance(value, str):
            raise fail(field, f"expected a string, got {type(value).__name__}")
        return value.strip()

    def urls(field: str) -> tuple[str, ...]:
        value = entry.get(field) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise fail(field, "expected a list of URLs")
        for u in value:
            if not isinstance(u, str) or urlsplit(u).scheme not in ("http", "https"):
                raise fail(field, f"not an http(s) URL: {u!r}")
        return tuple(value)

    source_id = text("id")
    if not _ID_RE.match(source_id):
        raise fail("id", "use 2-63 lowercase letters, digits and '-' (e.g. 'duvar-english')")
    homepage = text("homepage")
    if urlsplit(homepage).scheme not in ("http", "https"):
        raise fail("homepage", f"not an http(s) URL: {homepage!r}")
    tz_name = text("timezone")
    try:
        ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise fail("timezone", f"unknown time zone {tz_name!r}") from exc
    language = text("language")
    if not re.match(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$", language):
        raise fail("language", f"expected an ISO 639 code like 'en', got {language!r}")
    # both may be empty: discovery always reads the Sitemap: lines of the homepage's robots.txt
    feeds, sitemaps = urls("feeds"), urls("sitemaps")
    pattern = text("article_url_pattern")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise fail("article_url_pattern", f"invalid regular expression: {exc}") from exc

    selectors_raw = entry.get("selectors") or {}
    if not isinstance(selectors_raw, dict):
        raise fail("selectors", "expected a mapping of field -> CSS selector")
    for key, sel in selectors_raw.items():
        if key not in _SELECTOR_FIELDS:
            raise fail(f"selectors.{key}", f"unknown selector (known: {', '.join(_SELECTOR_FIELDS)})")
        if not isinstance(sel, str) or not sel.strip():
            raise fail(f"selectors.{key}", "expected a CSS selector string")
        try:
            import soupsieve

            soupsieve.compile(sel)
        except Exception as exc:  # soupsieve raises its own SelectorSyntaxError
            raise fail(f"selectors.{key}", f"invalid CSS selector {sel!r}: {exc}") from exc

    delay = entry.get("politeness_delay", 1.0)
    if not isinstance(delay, int | float) or isinstance(delay, bool) or delay < 0:
        raise fail("politeness_delay", "expected a number of seconds >= 0")
    private = entry.get("allow_private_network", False)
    if not isinstance(private, bool):
        raise fail("allow_private_network", "expected true or false")
    schedule = entry.get("schedule", "@hourly")
    if schedule not in _SCHEDULES:
        raise fail("schedule", f"expected one of {', '.join(_SCHEDULES)}")
    start_date = str(entry.get("start_date", "2020-01-01"))
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", start_date):
        raise fail("start_date", "expected YYYY-MM-DD")
    max_pages = entry.get("max_pages_per_run", 500)
    if not isinstance(max_pages, int) or max_pages < 1:
        raise fail("max_pages_per_run", "expected a positive integer")
    id_pattern = _id_pattern(text("article_id_pattern", required=False), fail)

    return Source(
        id=source_id,
        name=text("name"),
        homepage=homepage,
        language=language,
        timezone=tz_name,
        feeds=feeds,
        sitemaps=sitemaps,
        article_url_pattern=pattern,
        selectors=tuple(sorted(selectors_raw.items())),
        politeness_delay=float(delay),
        allow_private_network=private,
        schedule=schedule,
        start_date=start_date,
        max_pages_per_run=max_pages,
        article_id_pattern=id_pattern,
        archive=_archive(entry.get("archive"), homepage, fail),
    )


def _id_pattern(pattern: str, fail: Callable[[str, str], SourceConfigError]) -> str | None:
    """Validate an ``article_id_pattern``: a regular expression with exactly one group (the id)."""
    if not pattern:
        return None
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise fail("article_id_pattern", f"invalid regular expression: {exc}") from exc
    if compiled.groups != 1:
        raise fail(
            "article_id_pattern",
            f"expected exactly one group capturing the article id, e.g. '-news-(\\d+)$'; found {compiled.groups}",
        )
    return pattern


_ARCHIVE_FIELDS = ("wayback", "url_prefix", "match", "mode", "capture_lag_days", "until")
_ARCHIVE_MODES = ("fallback", "only")
_ARCHIVE_MATCHES = ("prefix", "domain")


def _archive(raw: Any, homepage: str, fail: Callable[[str, str], SourceConfigError]) -> ArchiveConfig | None:
    """Validate the ``archive:`` block. ``wayback: true`` enables it (false keeps it, switched off)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise fail("archive", "expected a mapping, e.g. {wayback: true, mode: fallback}")
    for key in raw:
        if key not in _ARCHIVE_FIELDS:
            raise fail(f"archive.{key}", f"unknown field (known: {', '.join(_ARCHIVE_FIELDS)})")
    enabled = raw.get("wayback")
    if not isinstance(enabled, bool):
        raise fail("archive.wayback", "required: true to discover from the Wayback Machine (false: off)")
    prefix = raw.get("url_prefix", homepage)
    if (
        not isinstance(prefix, str)
        or urlsplit(prefix).scheme not in ("http", "https")
        or not urlsplit(prefix).netloc
    ):
        raise fail("archive.url_prefix", f"not an http(s) URL: {prefix!r}")
    match = raw.get("match", "prefix")
    if match not in _ARCHIVE_MATCHES:
        raise fail("archive.match", f"expected one of {', '.join(_ARCHIVE_MATCHES)}")
    mode = raw.get("mode", "fallback")
    if mode not in _ARCHIVE_MODES:
        raise fail("archive.mode", f"expected one of {', '.join(_ARCHIVE_MODES)}")
    lag = raw.get("capture_lag_days", 30)
    if not isinstance(lag, int) or isinstance(lag, bool) or not 0 <= lag <= 3650:
        raise fail("archive.capture_lag_days", "expected a whole number of days between 0 and 3650")
    until = raw.get("until")
    if until is not None:
        until = str(until)
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", until):
            raise fail("archive.until", "expected YYYY-MM-DD")
    if not enabled:
        return None
    return ArchiveConfig(prefix, match, mode, lag, until)
