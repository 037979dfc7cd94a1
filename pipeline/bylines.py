"""Bylines: person names split and cleaned, organisation bylines kept apart.

A byline is free text ("By Nazlı Ergün and Deniz Arslan | Istanbul", "Reporter: X, Y & Z",
"X with AFP", "BIA News Desk"). :func:`parse_bylines` turns the raw strings a page offers into
two lists: people (the ``authors`` analysts count) and organisations (news agencies, the outlet
itself, desks and staff), so that "Duvar English" never shows up as a prolific journalist.

Cleaning drops what is not a name: "By"/"Written by" prefixes, roles ("Reporter", "Istanbul
Correspondent"), trailing places ("| Istanbul", ", Ankara"), e-mail addresses and handles,
dates. All-caps or all-lower names are re-cased without mangling Turkish letters
("NAZLI ERGÜN" → "Nazlı Ergün"); names written in mixed case are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# News agencies, outlets and generic desks that appear as bylines (compared case-folded).
_KNOWN_ORGANIZATIONS = frozenset(
    name.casefold()
    for name in (
        "Reuters", "AFP", "Agence France-Presse", "Agence France Presse", "AP", "Associated Press",
        "The Associated Press", "Anadolu Agency", "Anadolu Ajansı", "AA", "DHA", "Demirören News Agency",
        "IHA", "İHA", "Ihlas News Agency", "İhlas Haber Ajansı", "ANKA", "ANF", "Mezopotamya Agency",
        "MA", "dpa", "EFE", "ANSA", "Xinhua", "TASS", "Sputnik", "Bloomberg", "UPI", "Kyodo",
        "Duvar English", "Gazete Duvar", "Daily Sabah", "Hürriyet Daily News", "Hurriyet Daily News",
        "HDN", "Bianet", "Turkish Minute", "TRT World", "Al-Monitor", "Middle East Eye", "Ahval",
        "Medyascope", "Cumhuriyet", "T24", "Staff", "News Desk", "Newsroom",
    )
)  # fmt: skip
# Words that make a byline an organisation wherever they appear in it.
_ORG_WORDS = re.compile(
    r"\b(news|desk|newsdesk|newsroom|staff|agency|ajans[ıi]|agencies|editorial|editors|bureau|wire|"
    r"press|media|daily|times|post|tribune|journal|observer|monitor|gazette|herald|minute|english|"
    r"online|team|service|network|channel|tv|radio)\b",
    re.IGNORECASE,
)
# Roles and titles: a piece made only of these (plus places) is not a name.
_ROLE_WORDS = frozenset(
    "reporter reporters editor editors correspondent correspondents writer writers columnist "
    "contributor contributing senior chief staff special guest foreign diplomatic political "
    "managing deputy associate assistant news reporting report photographer photos photo "
    "video producer analyst author journalist intern freelance desk bureau head of the "
    "muhabir muhabiri editörü editör yazar haber".split()
)  # fmt: skip
_PLACES = frozenset(
    name.casefold()
    for name in (
        "Istanbul", "İstanbul", "Ankara", "Izmir", "İzmir", "Diyarbakır", "Diyarbakir", "Antalya",
        "Bursa", "Adana", "Gaziantep", "Van", "Hakkari", "Şırnak", "Mardin", "Batman", "Erbil",
        "Kocaeli", "Trabzon", "Eskişehir", "Konya", "Kayseri", "Mersin", "Urfa", "Şanlıurfa",
        "Turkey", "Türkiye", "Brussels", "London", "Washington", "Berlin", "Paris", "Moscow",
        "Athens", "Nicosia", "Damascus", "Beirut", "Tehran", "Baghdad", "New York", "Geneva",
    )
)  # fmt: skip
_GENERIC_CREDITS = frozenset({"agencies", "news agencies", "agency", "wires", "wire services", "others"})
_PREFIX = re.compile(
    r"^\s*(?:(?:written|reported|reporting|report|words|compiled|story|text|additional\s+reporting)\s+by"
    r"|by|from|author|authors|yazar|haber|muhabir|reporter|editor)\b\s*[:\-–]?\s*",
    re.IGNORECASE,
)
_EDITING = re.compile(
    r"^\s*(?:editing|edited|translated|translation|photos?|graphics?)\s+by\b", re.IGNORECASE
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
# People separators: commas, ampersands, "and"/"ve", semicolons, slashes, bullets.
_PEOPLE_SPLIT = re.compile(r"\s*(?:,|;|&|\+|•|·|\s/\s|\band\b|\bve\b)\s*", re.IGNORECASE)
# Segments: "X | Istanbul", "X - Reporter", "X — Y"; each is a name, a role or a place.
_SEGMENT_SPLIT = re.compile(r"\s+[\-–—]\s+|\s*\|\s*")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WITH = re.compile(r"\s+(?:with|for|via|ile)\s+", re.IGNORECASE)
_TURKISH_LETTERS = re.compile(r"[çğıöşüÇĞİÖŞÜ]")


@dataclass(frozen=True)
class Bylines:
    """People and organisations credited with an article, in byline order, without duplicates."""

    people: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()


def parse_bylines(raw: Iterable[str], *, organization_names: Iterable[str] = ()) -> Bylines:
    """Split and classify the byline strings of one page.

    Args:
        raw: byline texts as found (JSON-LD ``author`` names, meta tags, the visible byline).
        organization_names: names the page itself marks as organisations: the outlet's own
            (``og:site_name``, JSON-LD ``publisher``) and JSON-LD authors typed ``Organization``.
            A byline equal to one of them (or to a part of "Bianet - Bağımsız İletişim Ağı")
            is an organisation.

    Returns:
        People and organisations, each de-duplicated case-insensitively, first spelling kept; a
        name found as both is an organisation.
    """
    marked = {n.casefold() for name in organization_names for n in _site_name_variants(name)}
    people: dict[str, str] = {}
    orgs: dict[str, str] = {}
    for text in raw:
        for kind, name in _pieces(text, marked):
            (orgs if kind == "organization" else people).setdefault(name.casefold(), name)
    return Bylines(
        people=tuple(v for k, v in people.items() if k not in orgs),
        organizations=tuple(orgs.values()),
    )


def is_organization(name: str) -> bool:
    """Whether a cleaned byline names an organisation rather than a person (by its words alone)."""
    if name.casefold() in _KNOWN_ORGANIZATIONS or _ORG_WORDS.search(name):
        return True
    # an acronym ("AA", "DHA") is an agency, not a person
    return bool(re.fullmatch(r"[A-ZÇĞİÖŞÜ]{2,6}", name))


def _site_name_variants(name: str) -> list[str]:
    """ "Bianet - Bağımsız İletişim Ağı" names the site "Bianet" as well."""
    parts = [p.strip() for p in re.split(r"\s+[|\-–—:]\s+", name) if p.strip()]
    return [name.strip(), *parts]


def _pieces(text: str, marked: set[str]) -> list[tuple[str, str]]:
    """(kind, name) for each name in one byline string."""
    text = _PARENTHESES.sub(" ", _EMAIL.sub(" ", _HANDLE.sub(" ", text or "")))
    out: list[tuple[str, str]] = []
    for clause in re.split(r"\s*;\s*|\n+", text):
        if _EDITING.match(clause):
            continue  # "Editing by X": credited, but not an author
        # "X with AFP", "X for Reuters": the part after the word is an organisation
        head, *tails = _WITH.split(_PREFIX.sub("", clause))
        for index, segment in enumerate(_SEGMENT_SPLIT.split(head)):
            for part in _PEOPLE_SPLIT.split(segment):
                named = _classify(_tidy(_PREFIX.sub("", part)), marked, after_separator=index > 0)
                if named:
                    out.append(named)
        for tail in tails:
            org = _tidy(_SEGMENT_SPLIT.split(tail)[0])
            if org and not _is_noise(org):
                out.append(("organization", org))
    return out


def _classify(name: str, marked: set[str], *, after_separator: bool) -> tuple[str, str] | None:
    """("organization" | "person", name), or ``None`` for a role, a place or noise.

    A lone word after "|" or " - " is a place or a role far more often than a person
    ("Nazlı Ergün | Kocaeli"), so it counts only when it names an organisation.
    """
    if not name or _is_noise(name):
        return None
    if is_organization(name) or name.casefold() in marked:
        return ("organization", name)
    if not _plausible_person(name) or (after_separator and len(name.split()) == 1):
        return None
    return ("person", name)


def _tidy(name: str) -> str:
    """Whitespace, stray punctuation and casing of one name."""
    name = " ".join(name.replace("\u00a0", " ").split()).strip(" .,:;-–—|/*\"'“”()[]")
    if not name:
        return ""
    letters = [c for c in name if c.isalpha()]
    if len(letters) > 3 and (name.isupper() or name.islower()) and not is_organization(name):
        name = _title_case(name)
    return name


def _title_case(name: str) -> str:
    """Title-case a name; Turkish dotted/dotless i survive when the name is Turkish."""
    turkish = bool(_TURKISH_LETTERS.search(name))
    words = []
    for word in name.split(" "):
        if not word:
            continue
        first, rest = word[0], word[1:]
        if turkish:
            first = {"i": "İ", "ı": "I"}.get(first, first.upper())
            rest = rest.replace("I", "ı").replace("İ", "i").lower()
        else:
            first, rest = first.upper(), rest.lower()
        words.append(first + rest)
    return " ".join(words)


def _is_noise(name: str) -> bool:
    """Roles, places, dates and generic credits ("and agencies") that name nobody."""
    folded = name.casefold()
    if any(c.isdigit() for c in name) or folded in _PLACES or folded in _GENERIC_CREDITS:
        return True
    words = [w for w in re.split(r"[\s.]+", folded) if w]
    return all(w in _ROLE_WORDS or w in _PLACES for w in words) and folded not in _KNOWN_ORGANIZATIONS


def _plausible_person(name: str) -> bool:
    """A person's name: one to five words of letters, not too long, not a lone generic word."""
    words = name.split()
    if not 1 <= len(words) <= 5 or len(name) > 60:
        return False
    if len(words) == 1 and name.casefold() in {"admin", "administrator", "editor", "anonymous", "guest"}:
        return False
    return all(any(c.isalpha() for c in w) for w in words)
