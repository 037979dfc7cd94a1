"""Publication and modification times of an article page, from the page's own evidence.

Evidence is taken in order of reliability; the first layer that states a usable value wins, for
the original (published) and the updated (modified) time separately:

1. the source's CSS selectors (``selectors: published / modified`` in the registry);
2. JSON-LD (``datePublished`` / ``dateModified``, ``dateCreated`` as a last resort);
3. schema.org microdata;
4. ``<meta>`` tags (OpenGraph ``article:*``, Dublin Core, Parse.ly, Sailthru, ``itemprop``...);
5. ``<time>`` elements (``pubdate`` / ``itemprop`` / class hints tell published from updated);
6. visible datelines: labelled ones ("Published: 20.01.2020 09:05", "Updated 21 January 2020",
   Turkish "Güncelleme: 21 Ocak 2020") and dates in elements whose class or id says "date";
7. htmldate, fed a copy of the page with every URL removed (published only: its "updated" mode
   returns the most recent date anywhere on the page, which is not an update time).

Dates are never read from URLs: not the page's, not canonical or ``og:url`` links, not image
paths. htmldate reads all three by default (``url`` argument, ``<link rel=canonical>``,
``og:url``/``og:image``, hrefs in its regex pass); :func:`_url_free_copy` strips them first.

Values stay strings (the normalizer knows the source's time zone), but text dates are rewritten
to ISO 8601 here so that "05.01.2020" is never read month-first. Relative dates ("2 hours ago")
are ignored: resolving them needs the fetch time, which this pure module does not have.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from dateutil import parser as dateparser

# Zone abbreviations news pages print; ambiguous ones (IST, CST) are left out on purpose.
ZONE_OFFSETS: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "TRT": 3 * 3600,
    "TSI": 3 * 3600,
    "EET": 2 * 3600,
    "EEST": 3 * 3600,
    "CET": 3600,
    "CEST": 2 * 3600,
    "BST": 3600,
    "WET": 0,
    "WEST": 3600,
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
    "MSK": 3 * 3600,
}
# Earliest and latest plausible times; fixed bounds keep results independent of the clock.
MIN_YEAR, MAX_YEAR = 1990, 2200

_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "date_published",
    "published_time",
    "published-date",
    "publication_date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "cxenseparse:recs:publishtime",
    "originalpublicationdate",
    "datecreated",
    "dc.date",
    "date",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "datemodified",
    "date_modified",
    "modified_time",
    "updated_time",
    "dc.date.modified",
    "dcterms.modified",
    "article.updated",
    "lastmod",
    "last-modified",
    "last_modified",
)
_MOD_HINT = re.compile(r"(modif|updat|edited|revis|guncel|güncel)", re.IGNORECASE)
_DATE_HINT = re.compile(r"(publish|date|time|posted|created|dateline|tarih)", re.IGNORECASE)

# -- text dates ----------------------------------------------------------------------------------

# Turkish letters folded to ASCII one for one, so offsets in the folded text match the original.
_FOLD = str.maketrans("ıİşŞğĞüÜöÖçÇâÂîÎûÛ", "iIsSgGuUoOcCaAiIuU")
_MONTHS = {
    **{m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)},
    **{m: i for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )},
    "sept": 9,
    **{m: i for i, m in enumerate(
        "ocak subat mart nisan mayis haziran temmuz agustos eylul ekim kasim aralik".split(), 1
    )},
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = (
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?"
    r"|pazartesi|sali|carsamba|persembe|cumartesi|cuma|pazar"
)
_ZONE = r"[+-]\d{2}:?\d{2}|(?:GMT|UTC)\s?[+-]\s?\d{1,2}(?::?\d{2})?|" + "|".join(
    sorted(ZONE_OFFSETS, key=len, reverse=True)
)
_TIME = (
    rf"(?:\s*(?:,|-|–|\||@|\bat\b|\bsaat\b|T)?\s*(?:(?:{_WEEKDAY}),?\s*)?"
    r"(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?(?!\d)\s*(?P<ampm>[ap]\.?\s?m\b\.?)?"
    rf"(?:\s*\(?(?P<tz>{_ZONE})\b\)?)?)?"
)
_TEXT_DATE = re.compile(
    rf"(?<![\d.])(?:(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})"
    rf"|(?P<nd>\d{{1,2}})(?P<sep>[./-])(?P<nm>\d{{1,2}})(?P=sep)(?P<ny>\d{{4}})"
    rf"|(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<dmon>{_MONTH})\b\.?,?\s+(?P<dy>\d{{4}})"
    rf"|(?P<mmon>{_MONTH})\b\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}}))"
    rf"(?!\d){_TIME}",
    re.IGNORECASE,
)
# A dateline label, then the date right after it ("Published: ...", "Updated on ...").
_LABELS = {
    "published": r"first\s+published|published|posted|publish\s+date|created|yay[ıi]n(?:lanma|\s+tarihi)"
    r"|olu[şs]turulma|eklenme",
    "modified": r"last\s+updated|updated|last\s+modified|modified|edited|revised|son\s+g[üu]ncelleme"
    r"|g[üu]ncelleme|g[üu]ncellenme",
}
_LABELLED = re.compile(
    rf"(?:^|[|•·,;(]\s*|\s(?=(?-i:[A-Z])))(?:(?P<modified>{_LABELS['modified']})|(?P<published>{_LABELS['published']}))"
    r"(?:\s+(?:tarihi|date|time))?\s*(?:on|at)?\s*[:\-–]?\s*",
    re.IGNORECASE,
)
# URLs are removed before any text is read for dates: their digits are ids, not dates.
_URL_IN_TEXT = re.compile(r"(?:https?:)?//\S+|\bwww\.\S+")
_SKIP_PARENTS = frozenset({"script", "style", "noscript", "template", "textarea", "option"})


def parse_text_date(text: str) -> str | None:
    """The first calendar date written in *text*, as an ISO 8601 string.

    Understands ISO dates, day-first numeric dates ("20.01.2020", "20/01/2020"; month-first
    only when the day-first reading is impossible), "20 January 2020", "January 20, 2020",
    English and Turkish month names, an optional weekday and time ("09:05", "9:05 AM") and
    zone ("GMT+3", "TRT", "+03:00").

    Returns:
        ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM:SS`` (naive: the source's zone applies) or with an
        offset; ``None`` when *text* holds no valid date.
    """
    folded = _URL_IN_TEXT.sub(" ", text).translate(_FOLD)
    for match in _TEXT_DATE.finditer(folded):
        iso = _iso(match)
        if iso:
            return iso
    return None


def _iso(match: re.Match[str]) -> str | None:
    g = match.groupdict()
    if g["iy"]:
        year, month, day = int(g["iy"]), int(g["im"]), int(g["id"])
    elif g["ny"]:
        year, day, month = int(g["ny"]), int(g["nd"]), int(g["nm"])
        if month > 12 >= day and g["sep"] == "/":  # 01/20/2020: month first after all
            day, month = month, day
    elif g["dy"]:
        year, day, month = int(g["dy"]), int(g["dd"]), _MONTHS[g["dmon"].lower()]
    else:
        year, day, month = int(g["my"]), int(g["md"]), _MONTHS[g["mmon"].lower()]
    try:
        date = datetime(year, month, day)  # noqa: DTZ001 - a calendar date, zone applied later
    except ValueError:
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if g["H"] is None:
        return date.date().isoformat()
    hour, minute, second = int(g["H"]), int(g["M"]), int(g["S"] or 0)
    if g["ampm"]:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if g["ampm"].lower().startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return date.date().isoformat()
    stamp = f"{date.date().isoformat()}T{hour:02d}:{minute:02d}:{second:02d}"
    return stamp + _offset(g["tz"])


def _offset(zone: str | None) -> str:
    """``+HH:MM`` for a printed zone, empty when there is none."""
    if not zone:
        return ""
    zone = zone.replace(" ", "").upper()
    if zone in ZONE_OFFSETS:
        seconds = ZONE_OFFSETS[zone]
    else:
        m = re.fullmatch(r"(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?", zone)
        if not m:
            return ""
        seconds = (int(m[2]) * 3600 + int(m[3] or 0) * 60) * (-1 if m[1] == "-" else 1)
    sign = "-" if seconds < 0 else "+"
    return f"{sign}{abs(seconds) // 3600:02d}:{abs(seconds) % 3600 // 60:02d}"


def usable_date(value: str | None) -> str | None:
    """*value* if it is a readable time (ISO, epoch seconds or text), rewritten to ISO when text.

    Structured data sometimes holds junk ("N/A", "{{date}}") or day-first text; junk must not
    hide a lower layer's good value, and "05.01.2020" must not become May 1.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is not None:
        return text if MIN_YEAR <= parsed.year <= MAX_YEAR else None
    if re.fullmatch(r"\d{10}(\d{3})?", text):  # epoch seconds (or milliseconds)
        seconds = int(text[:10])
        stamp = datetime.fromtimestamp(seconds, UTC)
        return stamp.isoformat() if MIN_YEAR <= stamp.year <= MAX_YEAR else None
    iso = parse_text_date(text)
    if iso:
        return iso
    # dateutil fills what the text lacks from a default: parsed with two different defaults, a
    # complete date reads the same both times ("20 January" has no year: not a date here)
    first, second = _dateutil(text, _DEFAULT_A), _dateutil(text, _DEFAULT_B)
    if first is None or second is None or first.date() != second.date():
        return None
    return text if MIN_YEAR <= first.year <= MAX_YEAR else None


_DEFAULT_A = datetime(1, 1, 1)  # noqa: DTZ001 - only fills missing date parts
_DEFAULT_B = datetime(2, 2, 2)  # noqa: DTZ001


def _dateutil(text: str, default: datetime) -> datetime | None:
    try:
        with warnings.catch_warnings():  # unknown zone names: read as naive
            warnings.simplefilter("ignore")
            return dateparser.parse(text, default=default, fuzzy=False, tzinfos=ZONE_OFFSETS)
    except (ValueError, OverflowError, TypeError):
        return None


def reconcile(
    published: datetime | None, modified: datetime | None
) -> tuple[datetime | None, datetime | None]:
    """Drop a modification time earlier than the publication time (a template or CMS bug)."""
    if published is not None and modified is not None and modified < published:
        return published, None
    return published, modified


# -- evidence layers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PageDates:
    """The page's original (published) and updated (modified) times, as strings."""

    published: str | None = None
    modified: str | None = None


Layer = Callable[[], tuple[str | None, str | None]]


def find_dates(
    soup: BeautifulSoup,
    html: str,
    *,
    ld: Mapping[str, Any],
    microdata: Mapping[str, str],
    meta: Mapping[str, str],
    selectors: Mapping[str, str],
) -> PageDates:
    """Collect publication and modification evidence, most reliable first.

    Args:
        soup: the parsed page (read only).
        html: the page source, for htmldate (which parses its own URL-free copy).
        ld: the page's article-like JSON-LD object.
        microdata: first value per ``itemprop`` inside the article's item scope.
        meta: first ``content`` per lower-cased meta ``property``/``name``/``itemprop``.
        selectors: the source's CSS selectors (``published``, ``modified``).
    """
    layers: list[Layer] = [
        lambda: (
            _select_date(soup, selectors.get("published")),
            _select_date(soup, selectors.get("modified")),
        ),
        lambda: (_ld_date(ld, "datePublished"), _ld_date(ld, "dateModified")),
        lambda: (microdata.get("datePublished"), microdata.get("dateModified")),
        lambda: (_first(meta, _PUBLISHED_META), _first(meta, _MODIFIED_META)),
        lambda: _time_elements(soup),
        lambda: _datelines(soup),
        lambda: _date_elements(soup),
    ]
    # publication-only layers, run only while no publication time is known
    fallbacks: list[Layer] = [
        lambda: (_ld_date(ld, "dateCreated"), None),
        lambda: (_htmldate(html), None),
    ]
    found: dict[str, str] = {}
    for layer in layers:
        _take(found, layer())
        if "published" in found and "modified" in found:
            break
    for layer in fallbacks:
        if "published" in found:
            break
        _take(found, layer())
    return PageDates(published=found.get("published"), modified=found.get("modified"))


def _take(found: dict[str, str], values: tuple[str | None, str | None]) -> None:
    """Keep a layer's usable values for the keys no earlier layer filled."""
    for key, value in zip(("published", "modified"), values, strict=True):
        usable = usable_date(value) if key not in found else None
        if usable:
            found[key] = usable


def _first(props: Mapping[str, str], keys: tuple[str, ...]) -> str | None:
    """The first of *keys* holding a usable date (junk in one tag must not hide the next)."""
    for key in keys:
        value = usable_date(props.get(key))
        if value:
            return value
    return None


def _ld_date(ld: Mapping[str, Any], key: str) -> str | None:
    value = ld.get(key)
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@value")
    return value.strip() if isinstance(value, str) else None


def _select_date(soup: BeautifulSoup, selector: str | None) -> str | None:
    if not selector:
        return None
    for el in soup.select(selector):
        value = el.get("datetime") or el.get("content") or el.get_text(" ", strip=True)
        if value:
            return str(value)
    return None


def _hint(el: Tag) -> str:
    """Class, id and itemprop of *el* and its two nearest ancestors' classes."""
    own = [*(el.get("class") or []), str(el.get("itemprop") or ""), str(el.get("id") or "")]
    parents = [" ".join(p.get("class") or []) for p in el.parents if isinstance(p, Tag)][:2]
    return " ".join(own + parents)


def _time_elements(soup: BeautifulSoup) -> tuple[str | None, str | None]:
    """``<time>`` evidence: explicit markers (pubdate, itemprop) first, then class hints."""
    published: list[tuple[int, str]] = []
    modified: list[tuple[int, str]] = []
    for order, el in enumerate(soup.find_all("time")):
        value = usable_date(str(el.get("datetime") or "")) or usable_date(el.get_text(" ", strip=True))
        if not value:
            continue
        prop = str(el.get("itemprop") or "").lower()
        if el.has_attr("pubdate") or prop == "datepublished":
            published.append((-1, value))
        elif prop == "datemodified" or _MOD_HINT.search(_hint(el)):
            modified.append((order, value))
        else:
            published.append((order, value))
    return (min(published)[1] if published else None, min(modified)[1] if modified else None)


def _datelines(soup: BeautifulSoup) -> tuple[str | None, str | None]:
    """Labelled dates in short runs of visible text ("Published: ...", "Updated ...")."""
    found: dict[str, str] = {}
    for node in soup.find_all(string=re.compile(r"\w")):
        if not isinstance(node, NavigableString) or node.parent is None or node.parent.name in _SKIP_PARENTS:
            continue
        if not _LABELLED.search(str(node).strip().translate(_FOLD)):
            continue
        block = _short_block(node.parent)
        for kind, iso in _labelled_dates(block):
            found.setdefault(kind, iso)
        if len(found) == 2:
            break
    return found.get("published"), found.get("modified")


def _short_block(el: Tag) -> str:
    """The text of *el*, or of an ancestor when the label stands alone ("<b>Updated:</b> ...")."""
    text = el.get_text(" ", strip=True)
    for parent in [el, *list(el.parents)[:2]]:
        candidate = parent.get_text(" ", strip=True)
        if len(candidate) > 200:
            break
        text = candidate
        if parse_text_date(candidate):
            break
    return text


def _labelled_dates(text: str) -> list[tuple[str, str]]:
    folded = _URL_IN_TEXT.sub(" ", text).translate(_FOLD)
    out = []
    for label in _LABELLED.finditer(folded):
        date = _TEXT_DATE.match(folded, label.end())
        iso = _iso(date) if date else None
        if iso:
            out.append(("modified" if label.group("modified") else "published", iso))
    return out


def _date_elements(soup: BeautifulSoup) -> tuple[str | None, str | None]:
    """An unlabelled date in an element whose class or id says it holds a date."""
    published = modified = None
    for elements in (soup.find_all(class_=_DATE_HINT), soup.find_all(id=_DATE_HINT)):
        for el in elements:
            if el.name in _SKIP_PARENTS:
                continue
            text = el.get_text(" ", strip=True)
            if len(text) > 200:
                continue
            iso = parse_text_date(text)
            if not iso:
                continue
            if _MOD_HINT.search(" ".join(el.get("class") or []) + " " + str(el.get("id") or "")):
                modified = modified or iso
            else:
                published = published or iso
    return published, modified


# -- htmldate, without URLs --------------------------------------------------------------------

_KEEP_ATTRS = frozenset(
    {"class", "id", "itemprop", "property", "name", "content", "datetime", "pubdate", "title"}
)


def _htmldate(html: str) -> str | None:
    """htmldate's guess at the publication date (day precision) from a URL-free copy of the page.

    ``url=""`` stops htmldate from probing ``<link rel=canonical>``; fast mode skips its footer
    copyright-year fallback (a year is not a publication date); a fixed ``max_date`` keeps the
    result independent of today's date.
    """
    import lxml.html
    from htmldate import find_date
    from lxml import etree

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, etree.ParserError):
        return None
    _url_free_copy(tree)
    try:
        result = find_date(
            tree,
            extensive_search=False,
            original_date=True,
            url="",
            min_date=f"{MIN_YEAR}-01-01",
            max_date=f"{MAX_YEAR}-12-31",
        )
    except (ValueError, TypeError):  # htmldate on hostile markup: no date rather than a crash
        return None
    return result or None


def _url_free_copy(tree: Any) -> None:
    """Remove every URL from *tree* in place: links, URL-valued attributes, URLs in text."""
    for el in list(tree.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag == "link":
            el.drop_tree()
            continue
        for attr in list(el.attrib):
            value = el.attrib[attr]
            if attr not in _KEEP_ATTRS or _URL_IN_TEXT.search(value) or value.startswith("/"):
                del el.attrib[attr]
        if el.tag == "meta" and "content" not in el.attrib:
            el.drop_tree()
            continue
        if el.text:
            el.text = _URL_IN_TEXT.sub(" ", el.text)
        if el.tail:
            el.tail = _URL_IN_TEXT.sub(" ", el.tail)
