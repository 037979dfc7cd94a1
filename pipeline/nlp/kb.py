"""The curated knowledge base of political actors and the matcher built from it.

The knowledge base lives in ``pipeline/nlp/kb/*.yml`` (reviewable in a pull request). Each file
holds a list of entries::

    - id: imamoglu                  # slug, unique across all files
      type: PERSON                  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, LAW
      name: Ekrem İmamoğlu          # canonical display name (English spelling)
      name_tr: Ekrem İmamoğlu       # Turkish spelling (optional)
      ascii: Ekrem Imamoglu         # ASCII-folded form of ``name`` (checked by the tests)
      wikidata_id: null             # a Q id only where certain, else null
      aliases: [İmamoğlu]           # other names, matched wherever they appear capitalised
      acronyms: []                  # matched only when written in capitals (CHP, EP, UN ...)
      handles: ["@ekrem_imamoglu"]  # social-media handles
      party: chp                    # people: party slug (optional)
      office: Mayor of Istanbul     # people: office (optional)
      country: turkey               # the country the actor belongs to (optional)
      generic: false                # true: its English names ("Interior Ministry") also
                                    # name other countries' bodies
      other_senses: []              # phrases that, in the same document, show the name
                                    # means something else ("Atlanta" for Georgia)
      needs_context: false          # true: the name is also another thing's (Batman, Sabah)
      platform_names: []            # names that are also a common letter or word and name this
                                    # social platform only in its context ("on X", "an X post")

A ``generic`` entry's plain English names are linked only in a document that names its
country (the country, a city or party of it, its people), and not when another country is
named right before them ("Russian Defense Ministry", "Greece's Council of State").

An entry with ``other_senses`` is not linked in a document that contains one of those phrases
(folded, whole words): "Georgia" next to "Atlanta" or "U.S. state" is the American state, not
the country, and stays an unlinked place rather than a wrong link.

A place's aliases (historical or local names: "Smyrna", "Amed", "İzmit") and the names of
``needs_context`` entries (a Turkish city called Batman, a newspaper called Sabah) are linked
only in a document that names the entry's country through another actor; elsewhere "Smyrna,
Tennessee" and "the new Batman film" stay unlinked.

A ``platform_names`` name is not matched like the other names: only where the words around it
show a social platform ("wrote on X", "via X", "an X post", "X accounts"), never in "Generation
X" or "X-ray".

Matching folds diacritics and Turkish casing (``İ``/``I``/``ı``/``i`` all become ``i``), so
"İMAMOĞLU", "Imamoglu" and "imamoğlu" reach the same entry; case is then checked against the
text so that ordinary lower-case words ("us", "amor") are not taken for names. Reading the
packaged YAML files is the only I/O of this module.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

KB_DIR = Path(__file__).resolve().parent / "kb"
ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW"})

# --------------------------------------------------------------------------------------------
# Folding
# --------------------------------------------------------------------------------------------

# Letters that NFKD does not decompose into an ASCII base, and the Turkish dotted/dotless i.
_SPECIAL_LOWER = {
    "İ": "i",
    "I": "i",
    "ı": "i",
    "ß": "s",
    "ø": "o",
    "Ø": "o",
    "ł": "l",
    "Ł": "l",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "þ": "t",
    "Þ": "t",
    "æ": "a",
    "Æ": "a",
    "œ": "o",
    "Œ": "o",
    "ħ": "h",
    "Ħ": "h",
    "ŋ": "n",
    "\u2018": "'",
    "\u2019": "'",
    "\u201b": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
}
_SPECIAL_ASCII = {
    "ı": "i",
    "İ": "I",
    "ß": "ss",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "Th",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ħ": "h",
    "Ħ": "H",
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
}


def _fold_char(c: str) -> str:
    if c in _SPECIAL_LOWER:
        return _SPECIAL_LOWER[c]
    base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch))
    low = base.lower()
    if len(low) == 1:
        return low
    low = c.lower()
    return low if len(low) == 1 else c


def _build_fold_table() -> dict[int, str]:
    ranges = [(0x0, 0x2FF), (0x370, 0x3FF), (0x400, 0x4FF), (0x1E00, 0x1EFF), (0x2010, 0x2032)]
    table: dict[int, str] = {}
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            c = chr(cp)
            f = _fold_char(c)
            if f != c:
                table[cp] = f
    for c, f in _SPECIAL_LOWER.items():
        table[ord(c)] = f
    return table


_FOLD_TABLE = _build_fold_table()
_COMBINING_RE = re.compile("[\u0300-\u036f]")
_SPACES_RE = re.compile(r"\s+")


def fold_aligned(text: str) -> tuple[str, tuple[int, ...] | None]:
    """Fold *text* one character for one character where possible.

    Returns the folded text and, only when combining marks had to be dropped (decomposed
    input), the original offset of each folded offset (plus the end); otherwise ``None`` and
    offsets are shared with *text*.
    """
    folded = text.translate(_FOLD_TABLE)
    if not _COMBINING_RE.search(folded):
        return folded, None
    kept: list[str] = []
    index: list[int] = []
    for i, c in enumerate(folded):
        if not ("\u0300" <= c <= "\u036f"):
            kept.append(c)
            index.append(i)
    index.append(len(folded))
    return "".join(kept), tuple(index)


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Matching key of a name: lower case, no diacritics, Turkish-case aware, single spaces.

    >>> fold("İMAMOĞLU") == fold("Imamoglu") == fold("imamoğlu") == fold("i\u0307mamog\u0306lu")
    True
    """
    folded = text.translate(_FOLD_TABLE)
    if _COMBINING_RE.search(folded):
        folded = _COMBINING_RE.sub("", folded)
    return " ".join(folded.split())


def ascii_fold(text: str) -> str:
    """ASCII form of *text* that keeps case: "Ekrem İmamoğlu" -> "Ekrem Imamoglu"."""
    out = []
    for c in text:
        if c in _SPECIAL_ASCII:
            out.append(_SPECIAL_ASCII[c])
            continue
        base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch))
        out.append(base)
    return "".join(out)


def is_acronym(alias: str) -> bool:
    """True for forms written in capitals that must be matched in capitals (CHP, U.S., EP)."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(alias.replace(" ", "")) <= 8


# --------------------------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KBEntry:
    """One curated actor."""

    slug: str
    type: str
    name: str
    wikidata_id: str | None = None
    name_tr: str | None = None
    ascii: str | None = None
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    party: str | None = None
    office: str | None = None
    country: str | None = None  # slug of the country the actor belongs to
    generic: bool = False  # its English names also name other countries' bodies
    other_senses: tuple[str, ...] = ()  # phrases showing the name means something else
    needs_context: bool = False  # linked only where the document names its country
    platform_names: tuple[str, ...] = ()  # its names only where the context shows a platform ("on X")

    @property
    def entity_id(self) -> str:
        """``wd:Q…`` when the Wikidata id is known, else ``kb:<slug>``."""
        return f"wd:{self.wikidata_id}" if self.wikidata_id else f"kb:{self.slug}"

    def all_names(self) -> tuple[str, ...]:
        """Every written form matched in text for this entry (not handles).

        The Turkish exonym of a place (``name_tr``: "Şam", "Roma") is data only: in English
        text it would mostly be another word; list it in ``aliases`` to have it matched.
        """
        tr = self.name_tr if self.type not in ("GPE", "LOC") else None
        names = [self.name, *(n for n in (tr, self.ascii) if n)]
        names.extend(self.aliases)
        names.extend(self.acronyms)
        seen: dict[str, None] = {}
        for n in names:
            seen.setdefault(n, None)
        return tuple(seen)


@dataclass(frozen=True)
class KBMatch:
    """A knowledge-base name found in a text (offsets into that text)."""

    start: int
    end: int
    entry: KBEntry
    alias: str


@dataclass
class KnowledgeBase:
    """The loaded knowledge base with its precompiled matcher."""

    entries: tuple[KBEntry, ...]
    version: str = ""
    _by_slug: dict[str, KBEntry] = field(default_factory=dict, repr=False)
    _by_alias: dict[str, list[tuple[KBEntry, str, bool]]] = field(default_factory=dict, repr=False)
    _by_handle: dict[str, KBEntry] = field(default_factory=dict, repr=False)
    _regex: re.Pattern[str] | None = field(default=None, repr=False)
    _by_platform_name: dict[str, KBEntry] = field(default_factory=dict, repr=False)
    _platform_regex: re.Pattern[str] | None = field(default=None, repr=False)
    _demonyms: frozenset[str] = field(default=frozenset(), repr=False)
    _by_surname: dict[str, tuple[KBEntry, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._demonyms = frozenset(
            d for e in self.entries if e.type == "GPE" and e.country is None for d in _demonym_forms(e.name)
        )
        for e in self.entries:
            self._by_slug[e.slug] = e
            for h in e.handles:
                self._by_handle.setdefault(h.lstrip("@").lower(), e)
            for name in e.platform_names:
                self._by_platform_name.setdefault(name, e)
            for alias in e.all_names():
                acr = alias in e.acronyms or is_acronym(alias)
                for variant in _variants(alias):
                    key = fold(variant)
                    if not key:
                        continue
                    bucket = self._by_alias.setdefault(key, [])
                    if not any(x[0] is e and x[1] == alias for x in bucket):
                        bucket.append((e, alias, acr))  # each spelling, as its case rules differ
            if e.type == "PERSON" and len(e.name.split()) >= 2:
                for surname in {fold(n.split()[-1]) for n in (e.name, e.ascii) if n}:
                    self._by_surname[surname] = (*self._by_surname.get(surname, ()), e)
        self._regex = _compile_trie(self._by_alias.keys()) if self._by_alias else None
        if self._by_platform_name:
            self._platform_regex = _platform_regex(self._by_platform_name)

    def is_demonym(self, word: str) -> bool:
        """Whether ``word`` is the adjective of a country in the base ("Azerbaijani", "Syrian")."""
        return fold(word) in self._demonyms

    def people_by_surname(self, word: str) -> tuple[KBEntry, ...]:
        """People of the base whose name ends in ``word`` ("Özel" -> Özgür Özel), any case."""
        return self._by_surname.get(fold(word), ())

    def get(self, slug: str) -> KBEntry | None:
        """Entry by slug."""
        return self._by_slug.get(slug)

    def lookup(self, name: str, type_: str | None = None) -> KBEntry | None:
        """Entry whose name, alias or acronym folds to the same key as *name* (and type)."""
        for e, _alias, _acr in self._by_alias.get(fold(name), ()):
            if type_ is None or e.type == type_:
                return e
        return None

    def by_handle(self, handle: str) -> KBEntry | None:
        """Entry listing the social handle (with or without ``@``, any case)."""
        return self._by_handle.get(handle.lstrip("@").lower())

    def find(self, text: str, folded: str | None = None) -> list[KBMatch]:
        """All knowledge-base names in *text*, leftmost-longest, case-checked.

        Args:
            text: the text to search (the prepared text the model sees).
            folded: ``fold_aligned(text)[0]`` when the caller already has it.
        Returns:
            Non-overlapping matches with offsets into *text*.
        """
        if self._regex is None:
            return []
        index: tuple[int, ...] | None = None
        if folded is None or len(folded) != len(text):
            folded, index = fold_aligned(text)
        out: list[KBMatch] = []
        pos = 0
        while (m := self._regex.search(folded, pos)) is not None:
            fs, fe = m.span()
            s, e = (index[fs], index[fe - 1] + 1) if index is not None else (fs, fe)
            pos = fs + 1  # a longest match refused by case still lets later names match ("daily Sabah")
            if s > 0 and text[s - 1] in "@#":
                continue
            written = text[s:e]
            key = _SPACES_RE.sub(" ", m.group())
            for entry, alias, acr in self._by_alias.get(key, ()):
                if _case_ok(written, alias, acr):
                    out.append(KBMatch(s, e, entry, alias))
                    pos = fe
                    break
        return out

    def find_platforms(self, text: str) -> list[KBMatch]:
        """The ``platform_names`` in *text* where the words around them show a social platform."""
        if self._platform_regex is None:
            return []
        out = []
        for m in self._platform_regex.finditer(text):
            name = m.group("after") or m.group("before")
            out.append(KBMatch(m.start(), m.end(), self._by_platform_name[name], name))
        return out


def _demonym_forms(country: str) -> set[str]:
    """The regular adjective forms of a country's name, folded: Azerbaijan-i, Syria-n,
    Armenia-n, Ital(y)-ian, Leban(on)-ese, Chin(a)-ese, Japan-ese. Irregular ones (Turkish,
    Greek) are NORP entries of their own."""
    n = fold(country)
    if " " in n:
        return set()
    forms = {n + "i", n + "ese", n + "ian"}
    if n.endswith("a"):
        forms |= {n + "n", n[:-1] + "ese"}
    if n.endswith("y"):
        forms.add(n[:-1] + "ian")
    if n.endswith("on"):
        forms.add(n[:-2] + "ese")
    return forms


def _platform_regex(names: Iterable[str]) -> re.Pattern[str]:
    """Platform names after "on", "via" or "an" and not before another name or a number
    ("wrote on X", not "on X Corp" or "an X 2"), or before "post(s)", "account(s)", "user(s)"."""
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(
        rf"(?:(?<=\b[Oo]n )|(?<=\b[Vv]ia )|(?<=\b[Aa]n ))(?P<after>{alt})\b(?![-\w]| [A-Z0-9])"
        rf"|\b(?P<before>{alt})(?= (?:post|posts|account|accounts|user|users)\b)"
    )


def _variants(alias: str) -> Iterable[str]:
    yield alias
    if "'" in alias or "\u2019" in alias:
        yield alias.replace("'", "").replace("\u2019", "")
    if "-" in alias:
        yield alias.replace("-", " ")


def _case_ok(written: str, alias: str, acronym: bool) -> bool:
    """Whether the written form respects the capitalisation the alias requires.

    Acronyms must be written in capitals (or exactly as listed: "AfD"); other names must have
    their capitalised words capitalised, except distinctive names with non-ASCII letters
    ("İmamoğlu", "Türkiye"), which match in any case ("imamoglu", "İMAMOĞLU").
    """
    if acronym:
        if written == alias:
            return True
        letters = [c for c in written if c.isalpha()]
        return bool(letters) and not any(c.islower() for c in letters)
    if len(alias) >= 5 and any(ord(c) > 127 for c in alias if c.isalpha()):
        return True
    w_words = written.split()
    a_words = alias.split()
    if len(w_words) != len(a_words):
        return written[:1].isupper() or written[:1].isdigit()
    for w, a in zip(w_words, a_words, strict=True):
        if a[:1].isupper() and not (w[:1].isupper() or w[:1].isdigit()):
            return False
    return True


def _compile_trie(keys: Iterable[str]) -> re.Pattern[str]:
    trie: dict[str, dict] = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        end = "" in node
        alts = []
        for ch in sorted(k for k in node if k):
            piece = r"[ \t]+" if ch == " " else re.escape(ch)
            alts.append(piece + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return re.compile(r"\b(?:" + emit(trie) + r")(?!\w)")


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def kb_files(directory: Path = KB_DIR) -> list[Path]:
    """The YAML files of the knowledge base, in a stable order."""
    return sorted(p for p in directory.iterdir() if p.suffix in (".yml", ".yaml"))


def _as_tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Sequence):
        return tuple(str(v) for v in value)
    raise TypeError(f"expected a list of strings, got {value!r}")


def parse_entries(raw: object, source: str = "<kb>") -> list[KBEntry]:
    """Turn the YAML document of one knowledge-base file into entries (validated)."""
    if not isinstance(raw, list):
        raise ValueError(f"{source}: expected a list of entries")
    out = []
    for item in raw:
        if not isinstance(item, dict) or "id" not in item or "name" not in item:
            raise ValueError(f"{source}: every entry needs an id and a name: {item!r}")
        type_ = str(item.get("type", ""))
        if type_ not in ENTITY_TYPES:
            raise ValueError(f"{source}: {item['id']}: unknown type {type_!r}")
        wd = item.get("wikidata_id")
        if wd is not None and not re.fullmatch(r"Q[1-9]\d*", str(wd)):
            raise ValueError(f"{source}: {item['id']}: bad wikidata id {wd!r}")
        out.append(
            KBEntry(
                slug=str(item["id"]),
                type=type_,
                name=str(item["name"]),
                wikidata_id=str(wd) if wd else None,
                name_tr=item.get("name_tr"),
                ascii=item.get("ascii"),
                aliases=_as_tuple(item.get("aliases")),
                acronyms=_as_tuple(item.get("acronyms")),
                handles=_as_tuple(item.get("handles")),
                party=item.get("party"),
                office=item.get("office"),
                country=item.get("country"),
                generic=bool(item.get("generic", False)),
                other_senses=_as_tuple(item.get("other_senses")),
                needs_context=bool(item.get("needs_context", False)),
                platform_names=_as_tuple(item.get("platform_names")),
            )
        )
    return out


def load_kb_from(paths: Sequence[Path]) -> KnowledgeBase:
    """Load the knowledge base from explicit YAML files."""
    digest = hashlib.sha1(usedforsecurity=False)
    entries: list[KBEntry] = []
    for path in paths:
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        entries.extend(parse_entries(yaml.safe_load(data), path.name))
    return KnowledgeBase(tuple(entries), version=digest.hexdigest()[:12])


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The packaged knowledge base (read and compiled once per process)."""
    return load_kb_from(kb_files())
