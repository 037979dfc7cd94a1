"""Entities of one document: candidates from the knowledge base and NER, resolved and typed.

The pure core of entity extraction. :func:`resolve_entities` takes a spaCy ``Doc`` made on the
prepared text, the :class:`~pipeline.nlp.textprep.Prepared` it came from and the knowledge base,
and returns canonical :class:`~pipeline.nlp.records.Entity` records whose mention offsets index
the ORIGINAL text, with an :class:`EntityIndex` from prepared-text offsets to entities.

How a document is resolved:

1. Candidates: social handles (``@name``) and hashtags (``#tag``) by pattern; knowledge-base
   names by the KB matcher (diacritic- and Turkish-case-folded, case-checked); statistical NER
   spans of the kept types, trimmed of determiners, honorifics/titles (people), possessive
   ``'s`` and Turkish case suffixes (``İmamoğlu'nun``); ``Mr./Ms. Name`` forms the model missed.
   A KB name wins over an overlapping NER span, except a longer NER name built around a place
   ("Istanbul Metropolitan Municipality", "Turkish Airlines").
2. Within the document: ``X (ACR)`` / ``ACR (X)`` tie acronyms to expansions, unknown acronyms
   also by initials; surnames, "Mr./Ms. Surname" and first names resolve to the person whose
   full name appears in the document (nearest full mention first); later occurrences of
   surnames, acronyms and full names the model missed are picked up again.
3. Handles and hashtags stay entities of their own (types HANDLE / HASHTAG) and are linked to
   the actor the knowledge base (listed handle, alias) or the text (``Name (@handle)``, the
   person's name inside the handle) ties them to: they carry that actor's id in
   ``linked_entity_id``, its ``wikidata_id`` and its name as their alias.
4. Types: the KB type when linked; otherwise a vote of the mentions' NER labels, where titles
   and honorifics ("Mr.", "Mayor", "rapporteur") and surname links count for PERSON.
5. Ids: ``wd:Q…`` or ``kb:<slug>`` for KB entities; ``x:`` + a sha1 prefix of type and folded
   name for the others, so an unknown actor gets the same id in every article.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.nlp.kb import KBEntry, KnowledgeBase, fold, fold_aligned
from pipeline.nlp.names import GIVEN_NAME_RE, ends_with_surname, opens_with_given_name
from pipeline.nlp.records import Entity, Mention
from pipeline.nlp.textprep import Prepared

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

CODE_VERSION = "entities-1.17"
"""Bump when the resolution rules change (part of the extractor version)."""

NER_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW"})
ENTITY_TYPES = NER_TYPES | {"HANDLE", "HASHTAG"}
_TYPE_ORDER = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW")

_HANDLE_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_]{1,30})\b")
_HASHTAG_RE = re.compile(r"(?<![\w#&])#(\w*[^\W\d_]\w*)")
_HONORIFIC_NAME_RE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof)\.?[ \t]+"
    r"((?:[A-ZÇĞİÖŞÜÂÎÛ][\w'-]*)(?:[ \t]+[A-ZÇĞİÖŞÜÂÎÛ][\w'-]*){0,2})"
)
# A full name after a capitalised role title, which the tagger sometimes misses in running text
# ("CHP Deputy Chair [Murat Emir] said ..."); two or three capitalised words.
_TITLED_NAME_RE = re.compile(
    r"\b(?:Chair|Chairman|Chairwoman|Co-chair|Leader|Spokesperson|Spokesman|Spokeswoman|Minister|"
    r"Mayor|Co-mayor|Governor|President|Ambassador|Commissioner|Rapporteur|Prosecutor|Judge|"
    r"General|Senator|MP|MEP|lawmaker|lawyer|journalist|reporter|activist|columnist|politician|"
    r"writer|author|academic|singer|artist|businessman|businesswoman|student|deputy|professor)[ \t]+"
    r"((?:[A-ZÇĞİÖŞÜ][\w'-]+)(?:[ \t]+[A-ZÇĞİÖŞÜ][\w'-]+){1,2})"
)
# A city's prosecutor's office, governor's office or numbered court, which the tagger reads as
# the city alone ("the [İstanbul] Chief Public Prosecutor's Office", "the [Diyarbakır] 10th High
# Criminal Court").
_CITY_BODY_RE = re.compile(
    r"((?:(?!(?:The|A|An|This|That|Chief|Public)\b)[A-ZÇĞİÖŞÜ][\w-]*[ \t]+){1,2}"
    r"(?:(?:(?:Chief[ \t]+)?(?:Public[ \t]+)?Prosecutor(?:[ \t]+General)?|(?:District[ \t]+)?Governor)['’]s[ \t]+Office"
    r"(?:[ \t]+of(?:[ \t]+[A-Z][\w-]*)+)?"
    r"|\d+(?:st|nd|rd|th)[ \t]+(?:High[ \t]+|Heavy[ \t]+)?"
    r"(?:Criminal|Penal|Civil|Administrative|Labour|Labor|Commercial)[ \t]+Court"
    r"(?:[ \t]+of[ \t]+(?:First[ \t]+Instance|Peace))?))"
)
# The head of an organisation's name the tagger left out ("the [Presidency of] Migration Management").
_ORG_HEAD_OF_RE = re.compile(
    r"\b(?:Presidency|Ministry|Directorate(?:[ \t]+General)?|Department|Office|Council|Board|Institute|"
    r"Agency|Authority|Bureau|Commission|Committee|Chamber|Federation|Confederation|Association|"
    r"Foundation|University|Academy)[ \t]+of[ \t]+(?:the[ \t]+)?$"
)
# Capitalised words after "the" that end in a body's head noun, a name the tagger missed ("the
# [We Will Stop Femicide Platform] said"); "of", "for" and "and" may join the words.
_MISSED_BODY_RE = re.compile(
    r"(?<![\w'’])[Tt]he[ \t]+((?:[A-ZÇĞİÖŞÜ][\w'’-]*[ \t]+(?:(?:of|for|and)[ \t]+)?){1,6}"
    r"(?:Platform|Initiative|Association|Foundation|Federation|Confederation|Society|Network|"
    r"Coalition|Front|Council|Committee|Institute|Centre|Center|Agency|Party|Chamber|Mothers))"
    r"(?![\w'’-])(?![ \t]+of\b)"
)
# A role title inside what the tagger read as one organisation's name, before its holder's name
# ("[YSK] Chair [Ahmet Yener]").
_ORG_TITLE_MID_RE = re.compile(
    r"[ \t]+(?:Deputy[ \t]+)?(?:Co-chair|Chair|Chairman|Chairwoman|Chairperson|President|Head|Leader|"
    r"Spokesperson|Spokesman|Spokeswoman|Director|Secretary[ \t]+General)[ \t]+(?=[A-ZÇĞİÖŞÜ])"
)
# An acronym written inside a party's or alliance's name, before its head noun ("the Peoples'
# Equality and Democracy (DEM) Party", "the Good (İYİ) Party").
_INNER_ACRONYM_RE = re.compile(
    r"[ \t]+\(([A-ZÇĞİÖŞÜ][A-Za-zÇĞİÖŞÜçğıöşü.&-]{1,9})\)[ \t]+(Party|Parti|Alliance|Movement|Front)\b"
)
# One or two capitalised words before a lower-case place noun, a place the tagger missed
# ("on [İmralı] prison island", "in [Halfeti] district").
_BEFORE_PLACE_NOUN_RE = re.compile(
    r"(?<![\w'’-])([A-ZÇĞİÖŞÜ][\w'’-]*\w(?:[ \t]+[A-ZÇĞİÖŞÜ][\w'’-]*\w)?)"
    r"[ \t]+(?:prison[ \t]+)?(island|district|province|village|town)\b"
)
# Capitalised words ending in a natural place's head, or "Lake"/"Mount" and a name: a place the
# tagger missed ("Kaz Mountains", "Lake Van").
_NATURAL_PLACE_RE = re.compile(
    r"(?<![\w'’-])(?:(?:[A-ZÇĞİÖŞÜ][\w'’-]*\w[ \t]+){1,2}(?:Mountains?|River|Lake|Islands?|Sea|Strait|"
    r"Gulf|Bay|Valley|Plain|Peninsula)|(?:Lake|Mount)[ \t]+[A-ZÇĞİÖŞÜ][\w'’-]*\w)(?![\w'’-])"
    r"(?![ \t]+[A-ZÇĞİÖŞÜ])"  # not when the name goes on ("Salt Lake City")
)
# A lower-case facility or settlement noun after a name makes it a place's, not a person's
# ("the [Kızılay] metro station", "[Bornova] neighbourhood"); a plain "base" or "camp" is no
# cue, being a politician's too ("the Sanders base", "the Kılıçdaroğlu camp").
_PLACE_NOUN_AFTER_RE = re.compile(
    r"[ \t]+(?:((?:(?:military|international|naval|main|central)[ \t]+)?(?:metro[ \t]+station|station|square|"
    r"avenue|boulevard|bridge|airport|stadium|prison|airbase|border[ \t]+crossing)"
    r"|(?:military|air|naval|army)[ \t]+base|(?:refugee|military|army|detention)[ \t]+camp)"
    r"|neighbourhood|neighborhood|quarter|district|province|village|town)\b"
)
# A lower-case work noun right before a name: the name is a title ("whose book [Snow]").
_WORK_NOUN_RE = re.compile(
    r"\b(?:book|novel|film|movie|song|album|documentary|series|play|poem|memoir)[ \t]+$"
)
# A possessive inside a name, before a capitalised word ("Balıkesir's Karesi").
_INNER_POSSESSIVE_RE = re.compile(r"['’]s[ \t]+(?=[A-ZÇĞİÖŞÜ])")
_ISLAND_AFTER_RE = re.compile(r"[ \t]+(?:prison[ \t]+)?island\b")
# A city's own bodies, named after it ("[Çanakkale] Bar Association").
_LOCAL_BODY_RE = re.compile(
    r"(?:Bar[ \t]+Association|Chamber[ \t]+of[ \t]+\w+(?:[ \t]+and[ \t]+\w+)?|Medical[ \t]+Chamber|"
    r"Metropolitan[ \t]+Municipality|Municipality|Governorship|University)$"
)
# A parenthesised acronym inside a name's span, left out of the name's written form.
_INNER_PAREN_RE = re.compile(r"[ \t]*\([^()\s]{1,12}\)[ \t]*")
_NAME_WORD_RE = re.compile(r"[\w'’-]+")
# Lower-case words that join the capitalised words of a name ("Law and Justice").
_RUN_JOINERS = frozenset({"and", "of", "for"})
_PAREN_RE = re.compile(r"\([ \t]*([^()\n]{1,80}?)[ \t]*\)")
_LEAD_POSSESSIVE_RE = re.compile(r"'s?\s+")
_STANCE_PREFIX_RE = re.compile(r"(?:[Pp]ro|[Aa]nti)-(?=[A-ZÇĞİÖŞÜ])")
_LEAD_DET_RE = re.compile(r"(?:the|a|an)\s+", re.IGNORECASE)
_HONORIFIC_RE = re.compile(r"(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof)\.?\s+")
_POSSESSIVE_RE = re.compile(r"(?:'s|'|'[a-zçğıöşü]{1,5})$")
_SPACED_DASH_RE = re.compile(r"[ \t]+[–—-][ \t]+")
_TRAILING_FUNCTION_RE = re.compile(r"\s+(?:of|and|the|for|in|at|on|to|by|with|from)$")
_WORD_RE = re.compile(r"[\w.'-]+")
_PREV_WORD_RE = re.compile(r"([\w.'-]+)[ \t]*$")
_ABBREV_END_RE = re.compile(r"(?:\b[A-Za-z]\.)+$")
_STRIP_CHARS = "\"'()[]{}«»,;:!?-–—*/\\|"
# A word of three or more slash-separated parts with a digit is a case or file number
# ("FHC/ABJ/03/095/2018"), never part of a name; "9/11 Commission" keeps its name.
_NUMBER_CODE_RE = re.compile(r"(?<!\S)(?=\S*\d)[^\s/]*/[^\s/]*/\S*")
# A word with a digit: a person's name stops before it ("Megan Cook 4" in a score table).
_DIGIT_WORD_RE = re.compile(r"(?<!\S)\S*\d")
# Unit symbols the tagger reads as organisations ("30 GW of capacity").
_UNIT_WORDS = frozenset({"GW", "MW", "KW", "TW", "GWH", "MWH", "KWH", "TWH", "BCM", "KG", "KM", "MPH"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CALENDAR_WORDS = _words(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december"""
)


# Words before a name that say it is a person (folded, no trailing dot).
_PERSON_CUES = _words(
    """mr mrs ms mx miss dr prof president minister mayor chancellor governor senator judge
    prosecutor general gen sen rep pope king queen prince princess sheikh emir ambassador
    deputy chairman chairwoman chairperson chair leader spokesman spokeswoman spokesperson
    rapporteur commissioner secretary lawmaker mp mep journalist lawyer activist columnist
    reporter writer author professor colleague co-chair cochair councillor councilor
    candidate premier envoy diplomat officer commander colonel captain lieutenant sergeant
    director analyst economist businessman businesswoman actor actress singer artist
    academic scholar dissident opponent rival counterpart son daughter wife husband brother
    sister father mother uncle aunt imam cleric bishop patriarch cmdr gov lt col sgt capt maj
    adm rev hon rt superintendent sheriff inspector marshal cardinal ayatollah archbishop rabbi
    pastor mufti admiral brigadier congressman congresswoman assemblyman assemblywoman co-mayor
    comayor co-leader co-president co-spokesperson trustee"""
)
# Heads of an apposition that make the name before it a person's ("a mafia boss", "a lawyer").
_APPOSITION_PERSON_HEADS = _PERSON_CUES | _words(
    """boss businessman businesswoman man woman politician figure member founder owner
    tycoon mogul magnate leader chief head"""
)
# Nouns that make an apposition a settlement's ("Pyla, a mixed village").
_SETTLEMENT_NOUNS = _words("village town city district province neighbourhood neighborhood region")
# Words inside Arabic, Dutch, German, Spanish ... names that never end one ("Al Thani", "van Gogh").
_NAME_PARTICLES = _words("al el bin ibn bint abu van von der den de da di du la le")
# Titles removed from the front of a PERSON span ("President Joe Biden" -> "Joe Biden").
_TITLE_WORDS = _PERSON_CUES | _words(
    """prime vice former late foreign interior justice defense defence finance economy trade
    health education energy treasury chief acting then-president then-prime then-minister
    opposition ruling party main turkish representative attorney adviser advisor aide
    official undersecretary under-secretary speaker ceo founder head executive senior coach
    u.s. us state supreme public"""
)
# Words that make a longer name out of an outlet's or company's name ("Sözcü TV").
_OUTLET_SUFFIXES = _words("tv radio haber holding media foundation")
# An apposition that says a name is a person's ("Sedat Peker, a mafia leader who ...").
_PERSON_APPOSITION_RE = re.compile(r",[ \t]+(?:a|an|the)[ \t]+((?:[\w-]+[ \t]+){0,3}[\w-]+)\b")
_APPOSITION_STOP = _words("who whom whose which that of in for at with to from on by and or")
# Staff titles after an outlet's name ("Yeni Şafak columnist İbrahim Karagül").
_OUTLET_STAFF_RE = re.compile(
    r"[ \t]+(?:columnist|reporter|correspondent|editor|editor-in-chief|anchor|presenter|commentator)s?"
    r"[ \t]+[A-Z\u00c0-\u024f]"
)
# A lower-case outlet noun after a name: the name is the outlet's ("the Bold Medya news website",
# "Cumhuriyet daily").
_OUTLET_NOUNS = r"daily|newspaper|broadcaster|news[ \t]+(?:agency|website|site|portal)"
_OUTLET_AFTER_RE = re.compile(rf"[ \t]+(?:{_OUTLET_NOUNS}|TV[ \t]+channel|television[ \t]+channel|website)\b")
# Board titles after a name, before their holder's: the name is a company's or a club's
# ("Galatasaray chairman Dursun Özbek", "Baykar chairman Selçuk Bayraktar").
_BOARD_TITLE_RE = re.compile(
    r"[ \t]+(?:chairman|chairwoman|chairperson|CEO|founder|board[ \t]+member|general[ \t]+manager)"
    r"[ \t]+[A-ZÇĞİÖŞÜ]"
)
# A compass direction "of (the)" before a name: a place ("east of the Euphrates").
_DIRECTION_OF_RE = re.compile(
    r"\b(?:east|west|north|south|northeast|northwest|southeast|southwest)(?:ern)?[ \t]+of[ \t]+(the[ \t]+)?$",
    re.IGNORECASE,
)
# A name opening with an acronym of three or more capitals and going on ("CNN Türk").
_ACRONYM_FIRST_RE = re.compile(r"[A-ZÇĞİÖŞÜ]{3,}[ \t]+\S")
# "X and Y", "X or Y": two names coordinated on their own, not items of a longer list.
_AND_GAP_RE = re.compile(r"[ \t]+(?:and|or)[ \t]+")
# The EU and its bodies: a text naming one means the EU's "Commission".
_EU_SLUGS = frozenset(
    {"eu", "european-parliament", "council-of-the-eu", "european-council", "european-commission"}
)
_EU_COMMISSION = "european-commission"
# First words of a body's name that can go on with "and" ("Union of Chambers and Commodity ...").
_UNION_FIRST = _words(
    "union association confederation federation council chamber chambers institute society foundation"
)
# Last words of a place's name whose first word alone names it too ("İmralı [Island]").
_PLACE_SHORT_HEADS = _words("island islands square mountain mountains valley strait straits peninsula")
# Turkish country words that end a company's or outlet's name ("CNN Türk", "Google Türkiye").
_COUNTRY_TAILS = frozenset({"turk", "turkiye"})
# A common noun for a news outlet right before a name ("pro-government daily Sabah").
_OUTLET_CUE_RE = re.compile(
    rf"\b(?:{_OUTLET_NOUNS}|dailies|newspapers|outlet|channel|magazine|weekly|tabloid)[ \t]+$"
)
# A lower-case company noun right before a name makes it a company's ("drone maker [Baykar]",
# "rights group [Amnesty International]", "state lender [Halkbank]").
_COMPANY_CUE_RE = re.compile(
    r"\b(?:maker|makers|manufacturer|firm|company|lender|carrier|conglomerate|giant|"
    r"contractor|insurer|airline|retailer|supplier|group)[ \t]+$"
)
# Words that add nothing to a place name inside a longer NER span ("Istanbul Branch").
_GENERIC_HEADS = _words(
    """branch office bureau chapter mayor governor governorship head chair chairman provincial
    province district city region government administration authorities people's people
    police"""
)
# A minister's portfolio written as a title before the name ("Family and Social Services Minister").
_PORTFOLIO_RE = re.compile(r"\b((?:[A-Z][\w'-]*,?[ \t]+(?:and[ \t]+)?)*[A-Z][\w'-]*)[ \t]+Ministers?\b")
# Words before a name that make it a place when the tagger says person ("in Gara").
_PLACE_PREP_RE = re.compile(r"\b(?:in|near)[ \t]+$")
_POSSESSIVE_AFTER_RE = re.compile(r"['\u2019]s?\b")
# The gap between two items of a list ("Qandil and Gara", "Kobani, Tal Abyad").
_LIST_GAP_RE = re.compile(r"[ \t]*(?:,[ \t]*(?:and[ \t]+|or[ \t]+)?|and[ \t]+|or[ \t]+)")
# The tokens the tagger splits a possessive into ("Magistrate" + "'s").
_POSSESSIVE_TOKENS = frozenset({"'s", "'", "\u2019s", "\u2019"})
# Heads that follow a possessive inside an institution's name ("Magistrate's Court").
_POSSESSIVE_HEADS = _words(
    """court courts party hospital union association league front council assembly commission
    office school college university church bank fund alliance prison"""
)
_ACRONYM_STOP = frozenset({"of", "and", "the", "for", "in", "on", "de", "du", "des", "la", "le"})
# Last words that make a name a law or treaty whatever the tagger says ("Hong Kong Human Rights
# and Democracy Act", "Paris Agreement"); first words with "of"/"on" after them ("Treaty of Lausanne").
_LAW_LAST = _words(
    """act acts treaty treaties accord accords agreement protocol charter bill directive regulation
    amendment constitution convention conventions package packages"""
)
_LAW_FIRST = _words("treaty convention protocol charter")
# "Convention" after these words is a meeting, not a treaty ("Democratic National Convention").
_MEETING_BEFORE_CONVENTION = _words("national party annual republican democratic")
# Last words of named occasions and happenings the tagger calls bodies ("International Women's
# Day", "NATO Summit", "Roboski Massacre").
_EVENT_LAST = _words("day summit massacre earthquake earthquakes uprising protests")
# Last words of organisations' names that no one has as a surname ("Greenpeace Mediterranean",
# "Human Rights Watch"): a "person" ending in one is a body.
_BODY_NOT_SURNAME = _words(
    """international mediterranean worldwide global watch ratings airlines university ministry
    municipality party association foundation institute academy agency holding"""
)
# First words of Arabic place names the tagger reads as people ("Tal Rifaat", "Jisr al-Shughur").
_ARABIC_PLACE_FIRST = _words("tal tel tell ras deir jisr kafr ain ayn")
# Last words of built routes, which the tagger can read as events ("Development Road").
_ROUTE_HEADS = _words("road route railway pipeline canal corridor")
# Last words of natural places the tagger calls organisations ("İmralı Island").
_NATURAL_PLACE_HEADS = _words(
    "island islands sea river mountain mountains strait straits gulf bay peninsula lake"
)
# Last words of buildings, streets and other structures ("İstiklal Avenue", "Silivri Prison").
_FACILITY_HEADS = _words(
    "avenue street boulevard square bridge airport highway stadium palace prison mosque cathedral tower"
)
# Heads of what is named after a person ("Atatürk Airport", "Trump Route for ...").
_NAMED_AFTER_HEADS = _FACILITY_HEADS | _words(
    """foundation university institute center centre prize award route stadium hospital school park
    museum library hall dam"""
)
# Facility heads no one has as a surname: a "person" ending in one is the facility ("Elazığ Prison").
_NO_SURNAME_HEADS = _words("avenue boulevard airport highway stadium prison mosque cathedral")
# Bodies, not buildings or places, whatever the tagger says ("Ankara 24th High Criminal Court").
_INSTITUTION_HEADS = _words("court tribunal council ministry directorate commission committee")
# A name right before a mayor's or governor's title is the place they run ("Beşiktaş Mayor ..."),
# and one before a lower-case "district" or "province" is that place ("Şırnak's Cizre district").
_PLACE_BEFORE_TITLE_RE = re.compile(
    r"[ \t]+(?:(?:[Mm]ayor|[Gg]overnor|[Dd]istrict [Mm]ayor)s?|district|province)\b"
)
# A place's official title the tagger kept at the end of a name ("Van Governor", "Şişli Mayor").
_PLACE_TITLE = r"[ \t]+(?:Metropolitan[ \t]+)?(?:Co-)?(?:Mayor|Governor|District Governor"
_PLACE_TITLE_END_RE = re.compile(_PLACE_TITLE + r"|Governorship)$")
# ... or in its middle, before the holder's name ("Van Governor Ozan Balcı" read as one name).
_PLACE_TITLE_MID_RE = re.compile(_PLACE_TITLE + r")[ \t]+(?=[A-Z\u00c0-\u024f])")
# Plural party and movement members the tagger reads as a person ("Virginia Democrats").
_GROUP_MEMBERS = _words(
    """democrats republicans conservatives liberals socialists communists nationalists greens
    tories kemalists islamists leftists"""
)
# Sentence-opening words the tagger can read as a one-word name though they are not nouns
# ("Televised debates are ..."); adjectives stay, they are demonyms ("British officials ...").
_OPENING_TAGS = frozenset({"NN", "NNS", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "RB"})
# Head nouns of institutions that news text shortens to "the <Head>" after the full name
# ("the European Commission ... the Commission said").
_ORG_HEADS = _words(
    """agency alliance army assembly authority bank board cabinet commission committee council
    court directorate government ministry municipality organisation organization parliament
    party presidency prosecutor's tribunal union"""
)
# Bare heads that stand for the one body a text names with them ("the House" for the House of
# Representatives, "Parliament" for the Grand National Assembly).
_BARE_HEADS = _ORG_HEADS | {"house"}
# Last words that make a name an institution's or a place's, whatever its first word.
_NAME_HEADS = (
    _ORG_HEADS
    | _POSSESSIVE_HEADS
    | _OUTLET_SUFFIXES
    | _words(
        """university airport stadium hospital bridge park square street avenue boulevard mosque
        institute academy center centre group company corporation news museum library hall palace
        tower dam highway road district province city village neighbourhood neighborhood
        quarter port station forces force movement"""
    )
)
# Last words a name found by its given name does not end in: a head noun, a title, a weekday or month.
_NOT_A_SURNAME = _NAME_HEADS | _TITLE_WORDS | _CALENDAR_WORDS
# "the Commission", "the Commission's": a possessive ends the name; otherwise a following "of" or
# capitalised word means a longer name ("the Court of Cassation", "the Council Presidency")
_SHORT_ORG_RE = re.compile(
    r"(?<![\w])[Tt]he[ \t]+([A-Z]\w+)(?:['’]s(?!\w)|(?![\w'’])(?![ \t]+(?:of\b|[A-Z])))"
)


@dataclass(eq=False)
class _Cand:
    start: int  # prepared-text offsets
    end: int
    source: str  # kb, ner, handle, hashtag, honorific, acronym, rescan
    label: str | None = None
    entry: KBEntry | None = None
    cue: bool = False
    key: tuple[str, str] = ("", "")
    person_link: bool = False
    surf: str = ""  # the written form, whitespace collapsed
    settled: bool = False  # the words around it settle its label ("drone maker Baykar")


@dataclass
class _Cluster:
    key: tuple[str, str]
    cands: list[_Cand] = field(default_factory=list)
    entry: KBEntry | None = None
    kind: str = "name"  # name, kb, handle, hashtag
    link: _Cluster | KBEntry | None = None  # handles/hashtags: what they stand for


@dataclass(frozen=True)
class EntityIndex:
    """Which entity a character offset of the PREPARED text (the Doc's text) belongs to."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]

    def at(self, offset: int) -> Entity | None:
        """The entity with a mention covering prepared-text *offset* (``token.idx``), if any."""
        hit = self.mention_at(offset)
        return hit[0] if hit else None

    def mention_at(self, offset: int) -> tuple[Entity, Mention] | None:
        """The entity and mention covering prepared-text *offset*, if any."""
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.ends[i]:
            return self.entities[i], self.mentions[i]
        return None

    def in_span(self, start: int, end: int) -> list[Entity]:
        """Distinct entities with a mention overlapping prepared-text ``[start, end)``."""
        out: dict[str, Entity] = {}
        i = max(bisect_right(self.starts, start) - 1, 0)
        while i < len(self.starts) and self.starts[i] < end:
            if self.ends[i] > start:
                ent = self.entities[i]
                out.setdefault(ent.entity_id, ent)
            i += 1
        return list(out.values())


@dataclass(frozen=True)
class DocEntities:
    """Result of :func:`resolve_entities`."""

    entities: tuple[Entity, ...]
    index: EntityIndex
    spans: tuple[tuple[int, int, str, str], ...]  # prepared (start, end, type, entity_id)


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


def stable_id(name: str, type_: str) -> str:
    """Id of an entity the knowledge base does not know: ``x:`` + sha1(type, folded name)."""
    digest = hashlib.sha1(f"{type_}|{fold(name)}".encode(), usedforsecurity=False)
    return "x:" + digest.hexdigest()[:16]


def resolve_entities(doc: Doc, prepared: Prepared, kb: KnowledgeBase) -> DocEntities:
    """Find, resolve and type the entities of one document.

    Args:
        doc: spaCy Doc made on ``prepared.text`` (NER and, for sentence indexes, the parser).
        prepared: the prepared text and its map back to the original.
        kb: the knowledge base (its matcher is compiled once).
    Returns:
        The entities (mention offsets into ``prepared.original``), ordered by first mention,
        an index from prepared offsets to entities and the prepared spans for ``doc.ents``.
    """
    text = prepared.text
    folded, fmap = fold_aligned(text)
    cands = _candidates(doc, text, folded if fmap is None else None, kb)
    clusters = _cluster(cands)
    _join_spellings(clusters)
    _link_acronyms(cands, clusters, text, kb)
    _link_short_forms(clusters, text)
    _rescan(cands, clusters, text, folded if fmap is None else None)
    _link_org_short_forms(cands, clusters, text)
    _link_bare_heads(clusters, kb)
    _link_place_short_forms(clusters)
    _link_party_surnames(clusters, kb)
    _link_handles(cands, clusters, text, kb)
    return _build(doc, prepared, clusters)


# --------------------------------------------------------------------------------------------
# 1. Candidates
# --------------------------------------------------------------------------------------------


def _overlaps(a: _Cand, s: int, e: int) -> bool:
    return a.start < e and s < a.end


def _drop_portfolios(ner: list[_Cand], text: str) -> list[_Cand]:
    """The tagger's names inside a minister's portfolio ("[Family and Social Services] Minister
    Mahinur Özdemir Göktaş") are part of a title; demonyms and places in it stay ("Greek")."""
    spans = [(m.start(), m.end(1)) for m in _PORTFOLIO_RE.finditer(text)]
    if not spans:
        return ner
    return [
        n for n in ner if n.label in ("NORP", "GPE") or not any(s <= n.start and n.end <= e for s, e in spans)
    ]


def _joined_ents(doc: Doc) -> list[tuple[Span, int]]:
    """The tagger's entities with their end offsets; an organisation name the tagger cut after a
    possessive continues into a one-word head after it ("Westminster Magistrate's" + "Court"),
    while "New York University's" + "Stern School of Business" and "Istanbul University's" +
    "Beyazıt" (campus) stay two names."""
    ents = list(doc.ents)
    out: list[tuple[Span, int]] = []
    i = 0
    while i < len(ents):
        ent, end = ents[i], ents[i].end_char
        while i + 1 < len(ents) and _tagger_cut(doc, ents[i], ents[i + 1]):
            i += 1
            end = ents[i].end_char
        while (
            i + 1 < len(ents)
            and ents[i].label_ in ("ORG", "FAC")
            and ents[i + 1].label_ == ents[i].label_
            and ents[i + 1].start == ents[i].end
            and len(ents[i + 1]) == 1
            and ents[i + 1].text.lower() in _POSSESSIVE_HEADS
            and ents[i][-1].text in _POSSESSIVE_TOKENS
        ):
            i += 1
            end = ents[i].end_char
        last = ents[i]
        nxt = doc[last.end] if last.end < len(doc) else None
        if (
            nxt is not None
            and last.label_ in ("ORG", "FAC")
            and last[-1].text in _POSSESSIVE_TOKENS
            and not nxt.ent_type_
            and nxt.text[:1].isupper()
            and nxt.text.lower() in _POSSESSIVE_HEADS
        ):
            end = nxt.idx + len(nxt.text)  # the tagger left the head out: "Magistrate's [Court]"
        out.append((ent, end))
        i += 1
    return out


def _tagger_cut(doc: Doc, a: Span, b: Span) -> bool:
    """Whether the tagger cut one organisation's name into ``a`` and the ``b`` right after it:
    "[Union of Chambers] and [Commodity Exchanges of Turkey] (TOBB)", "[Human Rights
    Foundation] of [Turkey] (TİHV)" (both go on to their acronym), "[... Trade Unions of]
    [Turkey]"."""
    if a.label_ != "ORG":
        return False
    gap = doc.text[a.end_char : b.start_char]
    to_acronym = doc.text[b.end_char : b.end_char + 2] == " ("
    return (
        (b.label_ == "ORG" and gap == " and " and to_acronym and any(t.lower_ in _UNION_FIRST for t in a[:2]))
        or (b.label_ == "GPE" and gap == " of " and to_acronym)
        or (b.label_ in ("GPE", "LOC") and a[-1].lower_ == "of" and b.start == a.end)
    )


def _candidates(doc: Doc, text: str, folded: str | None, kb: KnowledgeBase) -> list[_Cand]:
    fixed: list[_Cand] = []
    for m in _HANDLE_RE.finditer(text):
        fixed.append(_Cand(m.start(), m.end(), "handle", key=("handle", m.group(1).lower())))
    for m in _HASHTAG_RE.finditer(text):
        fixed.append(_Cand(m.start(), m.end(), "hashtag", key=("hashtag", fold(m.group(1)))))

    kb_cands = [
        _Cand(m.start, m.end, "kb", entry=m.entry, key=("kb", m.entry.slug))
        for m in kb.find(text, folded)
        if not any(_overlaps(f, m.start, m.end) for f in fixed)
    ]
    kb_cands, unlinked = _drop_foreign(kb_cands, doc, text)
    kb_cands = _drop_unsupported(_drop_other_senses(kb_cands, text), text)
    bracketed = _names_around_acronyms(text, kb, fixed)
    if bracketed:  # whole names, whatever the tagger and the KB find inside them
        fixed.extend(bracketed)
        kb_cands = [k for k in kb_cands if not any(_overlaps(b, k.start, k.end) for b in bracketed)]
    platforms = [
        _Cand(m.start, m.end, "kb", entry=m.entry, key=("kb", m.entry.slug))
        for m in kb.find_platforms(text)
        if not any(_overlaps(c, m.start, m.end) for c in (*fixed, *kb_cands))
    ]
    if platforms:
        kb_cands = sorted(kb_cands + platforms, key=lambda c: c.start)

    places = [k for k in kb_cands if _cand_type(k) in ("GPE", "LOC")]  # to end a list before a name
    kb_ends = {k.end for k in kb_cands}  # a KB name before "'s" inside a tagger's name owns the rest
    ner: list[_Cand] = []
    # capitalised words met inside sentences: names, whatever the tagger says at a sentence start
    mid_caps = {fold(t.text) for t in doc if not t.is_sent_start and t.text[:1].isupper()}
    for ent, end_char in _joined_ents(doc):
        label = ent.label_
        if label not in NER_TYPES:
            continue
        start_char = ent.start_char
        if label == "PERSON":
            start_char, end_char = _widen_person(ent)
        elif label == "ORG" and (head := _ORG_HEAD_OF_RE.search(text, max(0, start_char - 40), start_char)):
            start_char = head.start()
        if len(ent) == 1 and ent.text.upper() in _UNIT_WORDS:
            continue
        trimmed = _trim(text, start_char, end_char, label)
        if trimmed is None:
            continue
        s, e, cue = trimmed
        if len(ent) == 1 and (ent[0].is_stop or _common_noun_opening(ent[0], mid_caps)):
            continue
        if any(_overlaps(f, s, e) for f in fixed):
            continue
        if _WORK_NOUN_RE.search(text, max(0, s - 16), s):
            continue  # "his book Snow": a work's title, none of the types kept here
        if (owner := _INNER_POSSESSIVE_RE.search(text, s, e)) and owner.start() in kb_ends:
            s = owner.end()  # "[Balıkesir]'s Karesi", "[Court of Cassation]'s Chief Public Prosecutor"
            if all(_is_title_word(w) for w in text[s:e].split()):
                continue  # a title of the body's, no name
        s, e, label, holder, settled = _context_label(text, s, e, label, cue, kb)
        if holder is not None:
            ner.append(holder)
        if label == "PERSON" and not (cue or _has_person_cue(text, s)):
            if len(ent) == 1 and _modifier_opening(ent[0], mid_caps):
                continue  # "Riot police entered ..."
            one_word = " " not in text[s:e] and not _POSSESSIVE_AFTER_RE.match(text, e)
            if one_word and (
                _PLACE_PREP_RE.search(text, max(0, s - 12), s)
                or any(
                    _LIST_GAP_RE.fullmatch(text, p.end, s)
                    for p in (*ner[-1:], *places)
                    if _cand_type(p) in ("GPE", "LOC")
                )
            ):
                label = "GPE"  # "positions in Qandil and Gara", "mayors of Mardin, Batman and Halfeti"
        ner.append(_Cand(s, e, "ner", label=label, cue=cue, settled=settled))

    _coordinated_with_organisations(ner, kb_cands, text)

    # names the tagger missed or read in part; each pass sees what the ones before it found
    ner = _taking_over(ner, _missed_people(doc, text, (*fixed, *kb_cands, *ner)))
    ner.extend(_defined_by_acronym(text, (*fixed, *kb_cands, *ner)))
    ner = _taking_over(ner, _joined_before_acronym(text, (*fixed, *kb_cands, *ner)))
    ner = _taking_over(ner, _missed_bodies(text, (*fixed, *kb_cands, *ner)))
    ner.extend(_missed_places(doc, text, (*fixed, *kb_cands, *ner)))

    for m in _CITY_BODY_RE.finditer(text):
        s, e = m.start(1), m.end(1)
        if not any(_overlaps(c, s, e) for c in fixed):
            ner = [n for n in ner if not _overlaps(n, s, e)]
            ner.append(_Cand(s, e, "ner", label="ORG"))

    ner = _with_unlinked_names(ner, unlinked, fixed)

    ner = _drop_portfolios(ner, text)
    _bodies_take_their_city(ner, kb_cands, text)
    kb_cands = _country_tails(kb_cands, ner, text)
    kb_cands, surnames = _surnames_over_kb(kb_cands, ner, text)
    ner.extend(n for n in surnames if not any(_overlaps(o, n.start, n.end) for o in ner))

    drop_kb: set[int] = set()
    kept_ner: list[_Cand] = []
    for n in ner:
        inner = [k for k in kb_cands if _overlaps(k, n.start, n.end)]
        if not inner:
            kept_ner.append(n)
            continue
        if all(n.start <= k.start and k.end <= n.end for k in inner) and _compound_keeps(text, n, inner):
            kept_ner.append(n)
            drop_kb.update(id(k) for k in inner)
        else:
            for k in inner:  # the model's reading of the span still counts as a cue
                k.cue = k.cue or n.cue
            kept_ner.extend(_leftovers(text, n, inner))
    out = fixed + [k for k in kb_cands if id(k) not in drop_kb] + kept_ner
    for c in out:
        if not c.cue and c.source in ("kb", "ner", "handle"):
            c.cue = _has_person_cue(text, c.start)
        if c.source in ("ner", "honorific"):
            surf = _surface(text, c)
            c.key = ("name", _person_key(surf) if c.label == "PERSON" else fold(surf))
    for c in out:
        c.surf = _surface(text, c)
    out.sort(key=lambda c: (c.start, -c.end))
    return _dedupe(out)


def _bodies_take_their_city(ner: Sequence[_Cand], kb_cands: Sequence[_Cand], text: str) -> None:
    """A body's name the tagger began after the city it belongs to takes the city in
    ("[Çanakkale] Bar Association", "[İzmir] Chamber of Commerce"); the place inside it is then
    no mention of its own."""
    places = {k.end: k for k in kb_cands if k.entry is not None and k.entry.type == "GPE"}
    for n in ner:
        k = places.get(n.start - 1)
        if (
            k is not None
            and n.label == "ORG"
            and text[k.end] == " "
            and _LOCAL_BODY_RE.match(text, n.start, n.end)
        ):
            n.start = k.start


def _country_tails(kb_cands: list[_Cand], ner: Sequence[_Cand], text: str) -> list[_Cand]:
    """A Turkish country word right after an organisation's name ends that name ("CNN Türk",
    "Google Türkiye"): the organisation's span takes it in and it is no nationality or country."""
    out = []
    for k in kb_cands:
        e = k.entry
        if e is not None and e.type in ("NORP", "GPE") and fold(text[k.start : k.end]) in _COUNTRY_TAILS:
            n = next(
                (n for n in ner if n.label == "ORG" and n.end + 1 == k.start and text[n.end] == " "), None
            )
            if n is not None:
                n.end = k.end
                continue
        out.append(k)
    return out


def _coordinated_with_organisations(ner: list[_Cand], kb_cands: Sequence[_Cand], text: str) -> None:
    """A one-word "person" without a person cue coordinated with an organisation is one too
    ("praised Aselsan and TUSAŞ")."""
    for i, n in enumerate(ner):
        if n.label == "PERSON" and not n.cue and " " not in text[n.start : n.end]:
            near = [
                c for c in (*ner[max(0, i - 1) : i + 2], *kb_cands) if c is not n and _cand_type(c) == "ORG"
            ]
            if any(
                _AND_GAP_RE.fullmatch(text, a.end, b.start)
                for a, b in ((c, n) if c.end <= n.start else (n, c) for c in near)
            ) and not _has_person_cue(text, n.start):
                n.label = "ORG"


def _missed_people(doc: Doc, text: str, taken: Sequence[_Cand]) -> tuple[list[_Cand], set[int]]:
    """People the tagger missed: a name after "Mr."/"Dr." or a role title ("CHP Deputy Chair
    Murat Emir"), or a Turkish name opening with a listed given name ("Leyla Güven"). Returns
    them and the ids of the tagger's names they replace: a surname it read alone as a body or
    place ("Yalçın [Karatepe]")."""
    found: list[_Cand] = []
    displaced: set[int] = set()
    for m in (*_HONORIFIC_NAME_RE.finditer(text), *_TITLED_NAME_RE.finditer(text)):
        trimmed = _trim(text, m.start(1), _without_calendar_words(text, m.start(1), m.end(1)), "PERSON")
        if trimmed is None:
            continue
        s, e, _ = trimmed
        if any(_overlaps(c, s, e) for c in (*taken, *found)):
            continue
        if m.re is _TITLED_NAME_RE and " " not in text[s:e]:
            continue
        found.append(_Cand(s, e, "honorific", label="PERSON", cue=True))

    for m in GIVEN_NAME_RE.finditer(text):  # a Turkish name the tagger missed ("Leyla Güven")
        words = m.group().split()
        while len(words) > 1 and fold(words[-1]) in _NOT_A_SURNAME:
            words.pop()
        s = m.start()
        e = s + len(" ".join(words))
        if len(words) < 2 or text[s:e] != " ".join(words) or not _reads_as_personal_name(text[s:e]):
            continue
        if not _proper_nouns(doc, s, e):
            continue  # "Fidan Meets Blinken" in a headline is no name
        inside = [c for c in (*taken, *found) if _overlaps(c, s, e)]
        if inside and not all(_surname_read_alone(c, s, e) for c in inside):
            continue
        displaced.update(id(c) for c in inside)
        found.append(_Cand(s, e, "ner", label="PERSON"))
    return found, displaced


def _proper_nouns(doc: Doc, s: int, e: int, *, mid_sentence: bool = False) -> bool:
    """Whether the tagger reads every token of ``doc.text[s:e]`` as a proper noun (and, with
    ``mid_sentence``, none of them opening a sentence)."""
    span = doc.char_span(s, e, alignment_mode="expand")
    return span is not None and all(
        t.pos_ == "PROPN" and not (mid_sentence and t.is_sent_start) for t in span
    )


def _taking_over(ner: list[_Cand], found: tuple[list[_Cand], set[int]]) -> list[_Cand]:
    """The tagger's names without those a pass displaced (by id), and the names it found."""
    names, displaced = found
    return [n for n in ner if id(n) not in displaced] + names


def _surname_read_alone(c: _Cand, s: int, e: int) -> bool:
    """Whether a candidate is the tagger's reading of a name's last words alone, as something
    other than a person ("Yalçın [Karatepe]" as an organisation)."""
    return c.source == "ner" and c.label != "PERSON" and s < c.start and c.end == e


def _before_spaces(text: str, pos: int) -> int:
    """``pos`` moved back over the spaces and tabs before it (the end of the word before "(")."""
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos


def _name_run_before(text: str, end: int, *, max_words: int, window: int) -> list[re.Match[str]]:
    """The words of a name that ends at ``end``, in text order: capitalised words one space
    apart, "and", "of" or "for" between them, opening with a capitalised word other than "The"
    ("[Peoples' Equality and Democracy] (DEM) Party", "[Law and Justice] (PiS)")."""
    picked: list[re.Match[str]] = []
    for w in reversed(list(_NAME_WORD_RE.finditer(text, max(0, end - window), end))):
        if w.end() != (picked[-1].start() - 1 if picked else end) or len(picked) == max_words:
            break
        if not w.group()[:1].isupper() and w.group() not in _RUN_JOINERS:
            break
        picked.append(w)
    while picked and (picked[-1].group() == "The" or not picked[-1].group()[:1].isupper()):
        picked.pop()
    return picked[::-1]


def _names_around_acronyms(text: str, kb: KnowledgeBase, taken: Sequence[_Cand]) -> list[_Cand]:
    """Party and alliance names with their acronym inside, before the head noun ("the Peoples'
    Equality and Democracy (DEM) Party"): one mention over the whole, linked to the KB entry its
    words or its acronym name ("Good Party", "İYİ Party"), else an organisation of its own."""
    found: list[_Cand] = []
    for m in _INNER_ACRONYM_RE.finditer(text):
        acronym, head = m.group(1), m.group(2)
        run = _name_run_before(text, m.start(), max_words=8, window=120)
        if not run:
            continue
        s, e = run[0].start(), m.end()
        if any(_overlaps(c, s, e) for c in taken):
            continue
        words = text[s : m.start()]
        entry = next(
            (
                x
                for x in (kb.lookup(f"{words} {head}"), kb.lookup(f"{acronym} {head}"), kb.lookup(acronym))
                if x is not None and x.type == "ORG"
            ),
            None,
        )
        if entry is not None:
            found.append(_Cand(s, e, "kb", entry=entry, key=("kb", entry.slug)))
        else:
            found.append(_Cand(s, e, "ner", label="ORG", settled=True))
    return found


def _missed_places(doc: Doc, text: str, taken: Sequence[_Cand]) -> list[_Cand]:
    """Places the tagger missed: proper nouns right before a lower-case place noun ("on İmralı
    prison island", "in Halfeti district"; an island is a natural place, the rest settlements)
    and names of mountains, rivers, lakes and seas ("Kaz Mountains", "Lake Van")."""
    found: list[_Cand] = []
    for m in _BEFORE_PLACE_NOUN_RE.finditer(text):
        s, e = m.span(1)
        if any(_overlaps(c, s, e) for c in (*taken, *found)):
            continue
        if not _proper_nouns(doc, s, e, mid_sentence=True):
            continue  # "Every district", "The island"
        found.append(_Cand(s, e, "ner", label="LOC" if m.group(2) == "island" else "GPE"))
    for m in _NATURAL_PLACE_RE.finditer(text):
        s, e = m.span()
        before = _PREV_WORD_RE.search(text, max(0, s - 40), s)
        if before is not None and before.group(1)[:1].isupper() and not before.group(1).endswith("."):
            continue  # the name began earlier ("Salt Lake City")
        if any(_overlaps(c, s, e) for c in (*taken, *found)):
            continue
        if not _proper_nouns(doc, s, e):
            continue  # "Every River ..." in a title-case line
        found.append(_Cand(s, e, "ner", label="LOC"))
    return found


def _missed_bodies(text: str, taken: Sequence[_Cand]) -> tuple[list[_Cand], set[int]]:
    """Organisations the tagger missed or read in part: capitalised words after "the" that end in
    a body's head noun ("the We Will Stop Femicide Platform"). A name the tagger found inside
    them gives way; a knowledge-base name or a handle inside leaves them alone."""
    found: list[_Cand] = []
    displaced: set[int] = set()
    for m in _MISSED_BODY_RE.finditer(text):
        s, e = m.span(1)
        if " " not in text[s:e]:
            continue
        inside = [c for c in taken if _overlaps(c, s, e)]
        if any(c.source != "ner" or c.start < s or c.end > e for c in inside):
            continue
        displaced.update(id(c) for c in inside)
        found.append(_Cand(s, e, "ner", label="ORG"))
    return found, displaced


def _defined_by_acronym(text: str, taken: Sequence[_Cand]) -> list[_Cand]:
    """An organisation the tagger missed but the text defines by its acronym: the capitalised
    words right before "(ACR)" whose initials make it ("Mezopotamya Agency (MA)")."""
    found: list[_Cand] = []
    for m in _PAREN_RE.finditer(text):
        acronym = m.group(1)
        if not _looks_acronym(acronym):
            continue
        letters = len(_acronym_letters(acronym))
        end = _before_spaces(text, m.start())
        words = list(_NAME_WORD_RE.finditer(text, max(0, end - 120), end))
        # the last words before the parenthesis, as many as the acronym has letters (and, of, the between)
        picked: list[re.Match[str]] = []
        for w in reversed(words):
            if w.end() != (picked[-1].start() - 1 if picked else end):
                break
            picked.append(w)
            if len([p for p in picked if fold(p.group()) not in _ACRONYM_STOP]) == letters:
                break
        if not picked:
            continue
        s, e = picked[-1].start(), picked[0].end()
        name = text[s:e]
        if (
            fold(picked[-1].group()) in _ACRONYM_STOP
            or any(not p.group()[:1].isupper() for p in picked if fold(p.group()) not in _ACRONYM_STOP)
            or not _expands(acronym, name)
        ):
            continue
        if any(_overlaps(c, s, e) for c in (*taken, *found)):
            continue
        found.append(_Cand(s, e, "ner", label="ORG"))
    return found


def _joined_before_acronym(text: str, taken: Sequence[_Cand]) -> tuple[list[_Cand], set[int]]:
    """An organisation whose capitalised words, joined by "and", "of" or "for", stand right
    before an acronym in parentheses that is not their initials ("Law and Justice (PiS)"), where
    the tagger found at most one-word names inside. Returns them and the names they replace."""
    found: list[_Cand] = []
    displaced: set[int] = set()
    for m in _PAREN_RE.finditer(text):
        if not _looks_acronym(m.group(1)) or any(_overlaps(c, *m.span(1)) for c in taken if c.source == "kb"):
            continue
        run = _name_run_before(text, _before_spaces(text, m.start()), max_words=6, window=80)
        words = [w.group() for w in run]
        if len([w for w in words if w[:1].isupper()]) < 2 or not _RUN_JOINERS & set(words):
            continue
        s, e = run[0].start(), run[-1].end()
        inside = [c for c in (*taken, *found) if _overlaps(c, s, e)]
        if any(c.source != "ner" or c.start < s or c.end > e or " " in text[c.start : c.end] for c in inside):
            continue
        displaced.update(id(c) for c in inside)
        found.append(_Cand(s, e, "ner", label="ORG"))
    return found, displaced


def _with_unlinked_names(ner: list[_Cand], unlinked: Sequence[_Cand], fixed: Sequence[_Cand]) -> list[_Cand]:
    """Generic KB names unlinked for want of a country stay names of their entry's type ("the
    Official Gazette" is an organisation, not the tagger's person "Gazette"), unless a longer
    name holds them."""
    for k in unlinked:
        if any(_overlaps(c, k.start, k.end) for c in fixed) or any(
            n.start <= k.start and k.end <= n.end and n.end - n.start > k.end - k.start for n in ner
        ):
            continue
        ner = [n for n in ner if not _overlaps(n, k.start, k.end)]
        ner.append(_Cand(k.start, k.end, "ner", label=k.entry.type if k.entry else None))
    return ner


def _context_label(
    text: str, s: int, e: int, label: str, cue: bool, kb: KnowledgeBase
) -> tuple[int, int, str, _Cand | None, bool]:
    """The type the words in and around a tagger's name give it, and the span trimmed of a
    place's official title; with the title's holder when the tagger read both as one name
    ("Van Governor Ozan Balcı")."""
    holder = None
    if label in ("ORG", "PERSON", "NORP") and (t := _PLACE_TITLE_MID_RE.search(text, s, e)) and t.start() > s:
        holder = _Cand(t.end(), e, "ner", label="PERSON", cue=True)  # the office holder
        e = t.start()
        label = "ORG" if _org_head(text[s:e]) else "GPE"
    elif (
        label == "ORG"
        and (t := _ORG_TITLE_MID_RE.search(text, s, e))
        and t.start() > s
        and _reads_as_holder(text[t.end() : e])
    ):
        holder = _Cand(t.end(), e, "ner", label="PERSON", cue=True)  # "[YSK] Chair [Ahmet Yener]"
        e = t.start()
    elif label in ("ORG", "PERSON", "NORP") and _PLACE_BEFORE_TITLE_RE.match(text, e):
        label = "GPE"
        if text[s:e].endswith(" Metropolitan"):
            e -= len(" Metropolitan")  # "[Ankara] Metropolitan Mayor": the title's word
    elif (
        label in ("ORG", "PERSON", "NORP") and (t := _PLACE_TITLE_END_RE.search(text, s, e)) and t.start() > s
    ):
        e = t.start()  # "Van Governor": the place, its governor a title
        label = "ORG" if _org_head(text[s:e]) else "GPE"
    apposition = _apposition_head(text, e)
    if label in ("ORG", "GPE", "NORP", "LOC") and _reads_as_personal_name(text[s:e]):
        label = "PERSON"  # "Ümit Dikbayır resigned", "Canan Kaftancıoğlu" read as a body or place
        if (retrimmed := _trim(text, s, e, label)) is not None:
            s, e = retrimmed[0], retrimmed[1]  # "[Economist] Daron Acemoğlu": the title goes
    if (
        label == "PERSON"
        and _ACRONYM_FIRST_RE.match(text, s, e)
        and len(text[s:e].split()) <= 3
        and not text[s:e].isupper()
    ):
        label = "ORG"  # "CNN Türk", "TRT Haber": no one's name opens with an acronym
    settled = bool(
        _after_outlet_noun(text, s)
        or _OUTLET_STAFF_RE.match(text, e)
        or _COMPANY_CUE_RE.search(text, max(0, s - 20), s)
        or (label != "GPE" and (_BOARD_TITLE_RE.match(text, e) or _OUTLET_AFTER_RE.match(text, e)))
    )
    if settled:
        label = "ORG"  # "pro-government daily Sabah", "Yeni Şafak columnist İbrahim Karagül", "drone maker Baykar"
    elif label in ("ORG", "GPE", "NORP") and " " in text[s:e] and _org_head(text[s:e]) is None:
        if apposition in _APPOSITION_PERSON_HEADS:
            label = "PERSON"  # "Sedat Peker, a mafia leader who fled Turkey"
    if label in ("ORG", "PERSON", "NORP") and apposition in _SETTLEMENT_NOUNS:
        label = "GPE"  # "near Pyla, a mixed village"
    if label == "PERSON" and not cue and " " not in text[s:e] and kb.is_demonym(text[s:e]):
        label = "NORP"  # "our Azerbaijani brothers"
    if (
        label in ("PERSON", "ORG", "NORP")
        and not cue
        and not (label == "NORP" and kb.is_demonym(text[s:e]))
        and (m := _PLACE_NOUN_AFTER_RE.match(text, e))
        and (label != "ORG" or m.group(1))
    ):
        label = "FAC" if m.group(1) else "GPE"  # "the Kızılay metro station"
        settled = True
    if label in ("ORG", "PERSON", "NORP", "GPE", "FAC") and _ISLAND_AFTER_RE.match(text, e):
        label = "LOC"  # "on İmralı prison island"
        settled = True
    if (
        label in ("ORG", "PERSON")
        and not cue
        and not _POSSESSIVE_AFTER_RE.match(text, e)
        and (d := _DIRECTION_OF_RE.search(text, max(0, s - 20), s))
    ):
        label = "LOC" if d.group(1) else "GPE"  # "east of the Euphrates", "north of Aleppo"
        settled = True
    return s, e, label, holder, settled


def _reads_as_holder(name: str) -> bool:
    """Two or three capitalised words that end in no body's or place's head noun: a person's
    name after a title ("Ahmet Yener", not "Foreign Relations Committee")."""
    words = name.split()
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words)
        and fold(words[-1]) not in _NAME_HEADS
    )


def _without_calendar_words(text: str, s: int, e: int) -> int:
    """The end of ``text[s:e]`` before its trailing weekdays and months, the first word kept
    ("Minister Cevdet Yılmaz [Tuesday]")."""
    words = text[s:e].split(" ")
    while len(words) > 1 and fold(words[-1]) in _CALENDAR_WORDS:
        words.pop()
    return s + len(" ".join(words))


_BEFORE_RE = re.compile(r"(?:'s?)?[ \t]+$")


def _drop_foreign(kb_cands: list[_Cand], doc: Doc, text: str) -> tuple[list[_Cand], list[_Cand]]:
    """Unlink generic national names ("Interior Ministry") the text gives to another country.

    A ``generic`` entry matched by a plain English name is kept only when the document names
    its country (through any KB actor of that country) and no other place or nationality
    stands right before it ("Russian Defense Ministry", "Greece's Council of State").
    Returns the candidates kept and those unlinked only for want of a country named: they are
    still names of the entry's type ("Official Gazette"), for whichever country.
    """
    if not any(k.entry is not None and k.entry.generic for k in kb_cands):
        return kb_cands, []
    evidence = _countries_named(kb_cands)
    ends: dict[int, str | None] = {}  # end offset of a place/nationality -> its country slug
    for ent in doc.ents:
        if ent.label_ in ("GPE", "NORP"):
            ends.setdefault(ent.end_char, None)
    for k in kb_cands:
        e = k.entry
        if e is not None and not e.generic and e.type in ("GPE", "NORP"):
            ends[k.end] = e.country or e.slug
    # entries the text also names by a form of their own ("Yargıtay", "AYM"): their plain
    # English names in the same text are theirs too ("the Court of Cassation (Yargıtay)")
    named_specifically = {
        k.entry.slug
        for k in kb_cands
        if k.entry is not None and k.entry.generic and _specific_form(text[k.start : k.end])
    }
    out = []
    unlinked = []
    for k in kb_cands:
        e = k.entry
        if e is not None and e.generic and e.country:
            m = _BEFORE_RE.search(text, max(0, k.start - 4), k.start)
            if m is not None and m.start() in ends and ends[m.start()] != e.country:
                continue
            if (
                not _specific_form(text[k.start : k.end])
                and e.country not in evidence
                and e.slug not in named_specifically
            ):
                unlinked.append(k)
                continue
        out.append(k)
    return out, unlinked


def _specific_form(written: str) -> bool:
    """An acronym or a Turkish spelling names one country's body ("AYM", "Yargıtay"), unlike a
    plain English name ("Court of Cassation")."""
    return written.isupper() or not written.isascii()


def _drop_other_senses(kb_cands: list[_Cand], text: str) -> list[_Cand]:
    """Unlink an ambiguous name when the document shows its other sense.

    "Georgia" beside "Atlanta" or "U.S. state" is the American state: its mentions stay as a
    place the model found, unlinked, instead of being counted as the country.
    """
    flagged = {k.entry.slug: k.entry for k in kb_cands if k.entry is not None and k.entry.other_senses}
    if not flagged:
        return kb_cands
    folded = fold(text)
    other = {
        slug
        for slug, entry in flagged.items()
        if any(re.search(rf"(?<!\w){re.escape(fold(p))}(?!\w)", folded) for p in entry.other_senses)
    }
    return [k for k in kb_cands if k.entry is None or k.entry.slug not in other]


def _place_alias(k: _Cand, text: str) -> bool:
    """Whether a place was matched by an alias ("Smyrna", "Amed"), not its own name."""
    e = k.entry
    if e is None or e.type not in ("GPE", "LOC", "FAC"):
        return False
    return fold(text[k.start : k.end]) not in {fold(n) for n in (e.name, e.ascii) if n}


def _drop_unsupported(kb_cands: list[_Cand], text: str) -> list[_Cand]:
    """Unlink weak matches in a document that does not name the entry's country.

    A place's alias ("Smyrna, Tennessee", "Amed Rosario") and a ``needs_context`` name ("the new
    Batman film", "Sabah and Sarawak") link only where another actor of the same country is
    named: the country itself, one of its cities, parties or people.
    """

    needs: dict[int, str] = {}  # id of a weak match -> the country it needs named
    for k in kb_cands:
        e = k.entry
        if e is not None and e.country is not None and (e.needs_context or _place_alias(k, text)):
            needs[id(k)] = e.country
    if not needs:
        return kb_cands
    evidence = _countries_named(k for k in kb_cands if id(k) not in needs)
    return [
        k
        for k in kb_cands
        if id(k) not in needs
        or needs[id(k)] in evidence
        or (k.entry is not None and k.entry.type == "ORG" and _after_outlet_noun(text, k.start))
    ]


def _countries_named(kb_cands: Iterable[_Cand]) -> set[str]:
    """Countries a document names through its actors: a country itself, or anything of one.

    Generic entries ("Interior Ministry") say nothing of which country is meant.
    """
    evidence: set[str] = set()
    for k in kb_cands:
        e = k.entry
        if e is None or e.generic:
            continue
        if e.type == "GPE":
            evidence.add(e.slug)
        if e.country:
            evidence.add(e.country)
    return evidence


_LOCATIVE_RE = re.compile(
    r"(?:\b(?:in|to|from|into|across|towards?|of|near|via|visit(?:ed|s|ing)?)[ \t]+)$", re.I
)


def _surnames_over_kb(
    kb_cands: list[_Cand], ner: Sequence[_Cand], text: str
) -> tuple[list[_Cand], list[_Cand]]:
    """A one-word KB name that is the surname of a person named earlier is that person.

    "Michael Jordan ... Jordan said" is the player, not the country; "Ahmet Türk ... Türk" the
    politician, not the nationality. Not after a place preposition ("flew to Jordan").
    Returns the KB candidates kept and name candidates for the surnames taken from the KB.
    """
    named = [(n.end, _person_tokens(_surface(text, n))) for n in ner if n.label == "PERSON"]
    people = [(end, toks) for end, toks in named if len(toks) >= 2]
    if not people:
        return kb_cands, []
    kept: list[_Cand] = []
    names: list[_Cand] = []
    for k in kb_cands:
        e = k.entry
        surf = _surface(text, k)
        if (
            e is not None
            and e.type != "PERSON"
            and " " not in surf
            and surf[:1].isupper()
            and any(end <= k.start and toks[-1] == fold(surf) for end, toks in people)
            and not _LOCATIVE_RE.search(text, max(0, k.start - 16), k.start)
        ):
            names.append(_Cand(k.start, k.end, "ner", cue=k.cue))
            continue
        kept.append(k)
    return kept, names


def _capitalised_only_as_opening(tok: Token, mid_caps: set[str]) -> bool:
    """A sentence's first word that the document never writes capitalised inside a sentence:
    "Edmunds expects ..." beside "Edmunds' executive director" is a name, whatever its tag."""
    return bool(tok.is_sent_start) and fold(tok.text) not in mid_caps


def _common_noun_opening(tok: Token, mid_caps: set[str]) -> bool:
    """A sentence's first word the tagger reads as a common noun or verb ("Families bought ...",
    "Televised debates are ...")."""
    return _capitalised_only_as_opening(tok, mid_caps) and tok.tag_ in _OPENING_TAGS and tok.text.isalpha()


def _modifier_opening(tok: Token, mid_caps: set[str]) -> bool:
    """A sentence's first word that modifies the common noun after it ("Riot police ...")."""
    nxt = tok.nbor() if tok.i + 1 < len(tok.doc) else None
    return (
        _capitalised_only_as_opening(tok, mid_caps)
        and nxt is not None
        and nxt.tag_ in ("NN", "NNS")
        and nxt.text.islower()
    )


def _name_token(tok: Token) -> bool:
    return (
        tok.pos_ == "PROPN"
        and tok.text[:1].isupper()
        and tok.ent_type_ in ("", "PERSON")
        and fold(tok.text).rstrip(".") not in _TITLE_WORDS
    )


def _widen_person(ent: Span) -> tuple[int, int]:
    """Take in proper nouns the model left out of a person's name ("Lawyer [Mehmet] Pehlivan").

    On the right one more word is taken, and one after it when that word is a particle that never
    ends a name ("Sheikh Mohammed bin Abdulrahman [Al Thani]").
    """
    doc = ent.doc
    i, j = ent.start, ent.end
    while i > max(ent.start - 2, 0) and _name_token(doc[i - 1]) and doc[i - 1].whitespace_:
        i -= 1
    while j < len(doc) and _name_token(doc[j]) and doc[j - 1].whitespace_ and doc[j - 1].text[:1].isupper():
        j += 1
        if fold(doc[j - 1].text) not in _NAME_PARTICLES:
            break
    if j > ent.end and fold(doc[j - 1].text) in _NAME_PARTICLES:
        j -= 1  # a dangling particle is not part of the name
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1])


def _dedupe(cands: list[_Cand]) -> list[_Cand]:
    out: list[_Cand] = []
    last_end = -1
    for c in cands:
        if c.start < last_end:
            continue
        out.append(c)
        last_end = c.end
    return out


_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


@lru_cache(maxsize=1 << 14)
def _person_tokens(name: str) -> tuple[str, ...]:
    """Folded tokens of a person's name without middle initials and suffixes (Jr., III)."""
    toks = fold(name.replace("-", " ")).replace(",", " ").split()
    toks = [t for t in toks if t.rstrip(".") not in _NAME_SUFFIXES] or toks
    if len(toks) > 2:
        toks = [toks[0]] + [t for t in toks[1:-1] if len(t.rstrip(".")) > 1] + [toks[-1]]
    return tuple(toks)


def _person_key(name: str) -> str:
    """Cluster key of a person's name: "Patrick W. Carlineo Jr." -> "patrick carlineo"."""
    return " ".join(_person_tokens(name))


def _surface(text: str, c: _Cand) -> str:
    """The candidate's written name, whitespace collapsed and an acronym inside it left out
    ("Peoples' Equality and Democracy (DEM) Party" is "Peoples' Equality and Democracy Party")."""
    written = text[c.start : c.end]
    if "(" in written:
        written = _INNER_PAREN_RE.sub(" ", written)
    return " ".join(written.split())


def _has_person_cue(text: str, start: int) -> bool:
    m = _PREV_WORD_RE.search(text, max(0, start - 40), start)
    if not m:
        return False
    return fold(m.group(1)).rstrip(".") in _PERSON_CUES


def _reads_as_personal_name(name: str) -> bool:
    """Two or three capitalised words opening with a common given name or ending in a Turkish
    surname ending, and not ending in an institution's or a place's head noun ("Ümit Dikbayır",
    not "Adnan Menderes University" or "Mustafa Kemal Park")."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() and w.isalpha() for w in words):
        return False
    if fold(words[-1]) in _NAME_HEADS:
        return False
    return opens_with_given_name(name) or ends_with_surname(name)


def _after_outlet_noun(text: str, start: int) -> bool:
    """Whether a lower-case outlet noun stands right before ``start`` ("pro-government daily
    [Sabah]", "the broadcaster [Halk TV]")."""
    return _OUTLET_CUE_RE.search(text, max(0, start - 30), start) is not None


def _apposition_head(text: str, end: int) -> str | None:
    """The head noun of an apposition after the name ending at ``end``, folded ("leader" of
    "Sedat Peker, a mafia leader who ...", "lender" of "Halkbank, a state lender whose chief ...",
    "village" of "Pyla, a mixed village")."""
    m = _PERSON_APPOSITION_RE.match(text, end)
    if m is None:
        return None
    words = []
    for w in m.group(1).split():
        if fold(w) in _APPOSITION_STOP:
            break
        words.append(fold(w))
    return words[-1] if words else None


def _is_title_word(word: str) -> bool:
    """A title or occupation, singular or plural ("Journalist", "Journalists")."""
    w = fold(word).rstrip(".")
    return w in _TITLE_WORDS or (len(w) > 3 and w.endswith("s") and w[:-1] in _TITLE_WORDS)


def _trim(text: str, s: int, e: int, label: str) -> tuple[int, int, bool] | None:
    """Trim an NER span to the name: no determiner, title, possessive or edge punctuation."""
    cue = False
    changed = True
    while changed and s < e:
        changed = False
        m = _LEAD_POSSESSIVE_RE.match(text, s, e)
        if m:
            s = m.end()
        while s < e and (text[s].isspace() or text[s] in _STRIP_CHARS):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in _STRIP_CHARS.replace("'", "")):
            e -= 1
        if e + 1 < len(text) and text[e] == "-" and (nxt := _WORD_RE.match(text, e + 1)):
            w = _PREV_WORD_RE.search(text, s, e)  # "Municipality Co-[Mayor]": "Co" is the title's
            if w is not None and w.start(1) > s and fold(nxt.group()) in _PERSON_CUES:
                e = w.start(1)
                changed = True
        m = _TRAILING_FUNCTION_RE.search(text, s, e)
        if m and m.start() > s:
            e = m.start()
            changed = True
        m = _SPACED_DASH_RE.search(text, s, e)
        if m and m.start() > s:
            e = m.start()  # "DİYARBAKIR – Thousands": a dateline's dash ends the name
            changed = True
        m = _POSSESSIVE_RE.search(text, s, e)
        if m and m.start() > s:
            e = m.start()
            changed = True
        if e > s and text[e - 1] == "." and not _ABBREV_END_RE.search(text, s, e):
            e -= 1
            changed = True
        m = _LEAD_DET_RE.match(text, s, e)
        if m and m.end() < e:
            s = m.end()
            changed = True
        m = _STANCE_PREFIX_RE.match(text, s, e)
        if m and label == "NORP" and m.end() < e and not text[s:e].endswith(("ism", "isms")):
            s = m.end()  # "Pro-Kurdish": the nationality is "Kurdish"
            changed = True
        m = _HONORIFIC_RE.match(text, s, e)
        if m and m.end() < e:
            s = m.end()
            cue = changed = True
        if label == "PERSON":
            d = _DIGIT_WORD_RE.search(text, s, e)
            if d:  # "Megan Cook 4" from a score table; "F-35s" is no one's name
                if d.start() == s:
                    return None
                e = d.start()
                changed = True
                continue
            w = _WORD_RE.match(text, s, e)
            if w and w.end() < e and _is_title_word(w.group()):
                rest = w.end()
                while rest < e and text[rest].isspace():
                    rest += 1
                if rest < e and text[rest].isupper():
                    s = rest
                    cue = changed = True
    if e - s < 2 or "\n" in text[s:e]:
        return None
    span = text[s:e]
    if "(" in span and ")" not in span[span.index("(") :]:  # "Ministry of Energy (MOTIE"
        return _trim(text, s, s + span.index("("), label)
    if _NUMBER_CODE_RE.search(span):
        return None
    if not any(c.isupper() for c in span) or not span[0].isalnum():
        return None
    if all(fold(w).rstrip(".") in _TITLE_WORDS for w in span.split()):
        return None
    return s, e, cue


def _leftovers(text: str, n: _Cand, inner: Sequence[_Cand]) -> list[_Cand]:
    """Names left in an NER span beside its KB names ("Council of Europe's [Committee of
    Ministers]"): a piece of two words or more, two of them capitalised and not titles."""
    out = []
    pos = n.start
    bounds = [(k.start, k.end) for k in sorted(inner, key=lambda k: k.start)] + [(n.end, n.end)]
    for ks, ke in bounds:
        if ks > pos:
            trimmed = _trim(text, pos, ks, n.label or "")
            if trimmed is not None:
                s, e, _ = trimmed
                words = text[s:e].split()
                caps = [w for w in words if w[:1].isupper()]
                own = [w for w in caps if fold(w).strip("'.,") not in _TITLE_WORDS | _GENERIC_HEADS]
                if len(words) >= 2 and len(caps) >= 2 and own and words[0][:1].isupper():
                    label = n.label if n.label != "PERSON" else None
                    out.append(_Cand(s, e, "ner", label=label or "ORG"))
        pos = max(pos, ke)
    return out


def _compound_keeps(text: str, n: _Cand, inner: Sequence[_Cand]) -> bool:
    """Whether an NER span around KB names is a name of its own (keep it, drop the KB names).

    Places inside a longer name ("Istanbul Metropolitan Municipality", "Turkish Airlines"), an
    outlet's name that a TV, radio or holding name goes on from ("Sözcü TV"),
    a generic institution name that a longer official name goes on from ("[Ministry of Trade],
    Industry and Energy"), and a one-word KB person or organisation name that ends another
    person's full name: a surname ("Serhat [Albayrak]", "Michael [Bloomberg]").
    """
    rest = []
    pos = n.start
    for k in sorted(inner, key=lambda k: k.start):
        rest.append(text[pos : k.start])
        pos = k.end
    rest.append(text[pos : n.end])
    words = [w for w in " ".join(rest).split() if w[:1].isupper()]
    own = [w for w in words if fold(w).strip("'.,") not in _GENERIC_HEADS | _TITLE_WORDS]
    if not own:
        return False
    if all(k.entry is not None and k.entry.type in ("GPE", "LOC", "NORP") for k in inner):
        return True
    last = max(inner, key=lambda k: k.end)
    tail = text[last.end : n.end].split()
    if n.label == "ORG" and tail and all(fold(w) in _OUTLET_SUFFIXES for w in tail):
        return True  # another outlet of the same name: "[Sözcü] TV"
    if (
        n.label in ("ORG", "FAC")
        and len(inner) == 1
        and inner[0].start == n.start
        and inner[0].entry is not None
        and inner[0].entry.type == "PERSON"
        and tail
        and tail[0][:1].isupper()
        and (fold(tail[0]) in _NAMED_AFTER_HEADS or fold(tail[-1]) in _NAMED_AFTER_HEADS)
    ):
        return True  # named after a person: "[Atatürk] Airport", "[Hrant Dink] Foundation"
    if (
        n.label == "ORG"
        and all(k.entry is not None and k.entry.generic for k in inner)
        and any(w[:1].isupper() for w in text[last.end : n.end].split())
    ):
        return True  # a longer official name: "[Ministry of Trade], Industry and Energy"
    return (
        n.label == "PERSON"
        and len(inner) == 1
        and inner[0].entry is not None
        and inner[0].entry.type in ("PERSON", "ORG")
        and " " not in text[inner[0].start : inner[0].end].strip()
        and inner[0].end == n.end  # the KB surname ends the name
    )


# --------------------------------------------------------------------------------------------
# 2. Clusters
# --------------------------------------------------------------------------------------------


class _Clusters:
    """Union-find over cluster keys; a cluster never joins two different KB entries."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], _Cluster] = {}
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def add(self, cand: _Cand) -> _Cluster:
        cl = self.by_key.get(cand.key)
        if cl is None:
            kind = cand.key[0] if cand.key[0] in ("kb", "handle", "hashtag") else "name"
            cl = _Cluster(cand.key, entry=cand.entry, kind=kind)
            self.by_key[cand.key] = cl
            self.parent[cand.key] = cand.key
        cl = self.find(cand.key)
        cl.cands.append(cand)
        return cl

    def for_entry(self, entry: KBEntry) -> _Cluster:
        """The cluster of a KB entry, made empty when no candidate of the text names it yet."""
        key = ("kb", entry.slug)
        if key not in self.by_key:
            self.by_key[key] = _Cluster(key, entry=entry, kind="kb")
            self.parent[key] = key
        return self.find(key)

    def find(self, key: tuple[str, str]) -> _Cluster:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return self.by_key[root]

    def union(self, a: _Cluster, b: _Cluster) -> _Cluster | None:
        ra, rb = self.find(a.key), self.find(b.key)
        if ra is rb:
            return ra
        if ra.entry is not None and rb.entry is not None and ra.entry is not rb.entry:
            return None
        if ra.kind in ("handle", "hashtag") or rb.kind in ("handle", "hashtag"):
            return None
        keep, gone = (ra, rb) if (ra.entry is not None or rb.entry is None) else (rb, ra)
        keep.cands.extend(gone.cands)
        self.parent[gone.key] = keep.key
        gone.cands = []
        return keep

    def roots(self) -> list[_Cluster]:
        return [c for k, c in self.by_key.items() if self.parent[k] == k and c.cands]


def _cluster(cands: Iterable[_Cand]) -> _Clusters:
    cl = _Clusters()
    for c in cands:
        cl.add(c)
    return cl


def _join_spellings(cl: _Clusters) -> None:
    """Names written alike are one name whatever type the tagger gave each mention: a person's
    key drops hyphens and initials, so "al-Tanf" read once as a person and once as a place
    must be joined here."""
    by_key: dict[str, _Cluster] = {}
    for r in cl.roots():
        if r.kind != "name":
            continue
        for c in list(r.cands):
            first = by_key.setdefault(_person_key(c.surf), r)
            if cl.find(first.key) is not cl.find(r.key):
                cl.union(first, r)


def _looks_acronym(s: str) -> bool:
    if not (2 <= len(s) <= 10) or " " in s:
        return False
    letters = [c for c in s if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper >= 0.6 * len(letters)


def _is_person_cand(c: _Cand) -> bool:
    return (c.entry is not None and c.entry.type == "PERSON") or c.label == "PERSON"


def _cand_type(c: _Cand) -> str | None:
    """A candidate's type: its KB entry's, else the tagger's label."""
    return c.entry.type if c.entry is not None else c.label


def _is_place_cand(c: _Cand) -> bool:
    return _cand_type(c) in ("GPE", "LOC", "NORP")


def _initials(name: str) -> str:
    return "".join(fold(w)[0] for w in name.split() if fold(w) not in _ACRONYM_STOP)


def _acronym_letters(acronym: str) -> str:
    """An acronym's letters, folded, without dots and ampersands ("B.B.C." -> "bbc")."""
    return fold(acronym).replace(".", "").replace("&", "")


def _expands(acronym: str, name: str) -> bool:
    """Whether *acronym* is made of the initials of *name* ("EP", "European Parliament")."""
    return _acronym_letters(acronym) == _initials(name)


def _link_acronyms(cands: list[_Cand], cl: _Clusters, text: str, kb: KnowledgeBase) -> None:
    for c in cands:  # "the Democratic Regions (DBP) Party ... the DBP"
        if c.source in ("kb", "ner") and (m := _INNER_ACRONYM_RE.search(text, c.start, c.end)):
            acronym_key = ("name", fold(m.group(1)))
            if acronym_key in cl.by_key:
                cl.union(cl.find(c.key), cl.find(acronym_key))
    by_end = {c.end: c for c in cands}
    by_span = {(c.start, c.end): c for c in cands}
    for m in _PAREN_RE.finditer(text):
        inner_s, inner_e = m.span(1)
        inner_text = m.group(1)
        prev = by_end.get(_before_spaces(text, m.start()))
        if prev is None or prev.source in ("handle", "hashtag"):
            continue
        inner = by_span.get((inner_s, inner_e))
        expands = _expands(inner_text, prev.surf)
        place = _is_place_cand(prev)  # "ISTANBUL (AP)" is a dateline, not an expansion
        if _looks_acronym(inner_text) and (expands or not (_is_person_cand(prev) or place)):
            if expands and inner is not None and _defined_as_another(prev, inner):
                _unlink_form(cl, inner.entry, fold(inner_text))  # "[...] Technology (MIT)"
            if inner is None:
                if any(_overlaps(c, inner_s, inner_e) for c in cands):
                    continue
                inner = _Cand(inner_s, inner_e, "acronym", key=("name", fold(inner_text)), surf=inner_text)
                cands.append(inner)
                cl.add(inner)
            cl.union(cl.find(prev.key), cl.find(inner.key))
        elif (
            inner is not None
            and _looks_acronym(_surface(text, prev))
            and len(inner_text.split()) > 1
            and not _is_person_cand(inner)
        ):
            cl.union(cl.find(prev.key), cl.find(inner.key))
    cands.sort(key=lambda c: (c.start, -c.end))

    # unknown acronyms against the initials of multi-word names in the document
    roots = cl.roots()
    initials: dict[str, list[_Cluster]] = {}
    for r in roots:
        if r.kind not in ("name", "kb"):
            continue
        for c in r.cands:
            words = [w for w in _surface(text, c).split() if fold(w) not in _ACRONYM_STOP]
            if len(words) >= 2:
                key = "".join(fold(w)[0] for w in words if w)
                initials.setdefault(key, [])
                if r not in initials[key]:
                    initials[key].append(r)
    for r in roots:
        if r.kind != "name" or not r.cands:
            continue
        forms = {_surface(text, c) for c in r.cands}
        if len(forms) != 1:
            continue
        form = forms.pop()
        if not _looks_acronym(form):
            continue
        targets = [t for t in initials.get(fold(form).replace(".", ""), []) if t is not r]
        if len(targets) == 1 and not any(_is_person_cand(c) for c in targets[0].cands):
            cl.union(cl.find(targets[0].key), cl.find(r.key))


def _defined_as_another(prev: _Cand, inner: _Cand) -> bool:
    """Whether the text defines a knowledge-base acronym as a name that is not its entry's
    ("Massachusetts Institute of Technology (MIT)" is not Turkey's intelligence agency MİT)."""
    e = inner.entry
    return (
        inner.source == "kb"
        and e is not None
        and (prev.entry is None or prev.entry is not e)
        and _letters(prev.surf) not in {_letters(n) for n in e.all_names()}
    )


def _letters(name: str) -> str:
    """A name folded to its letters and digits ("Peoples Democratic Party" = "Peoples' ...")."""
    return "".join(ch for ch in fold(name) if ch.isalnum())


def _unlink_form(cl: _Clusters, entry: KBEntry | None, form: str) -> None:
    """Take every mention of *entry* written as *form* out of the entry's cluster into a name
    cluster of its own: the text gives that form another sense."""
    if entry is None:
        return
    owner = cl.for_entry(entry)
    moved = [c for c in owner.cands if c.entry is entry and fold(c.surf) == form]
    owner.cands = [c for c in owner.cands if not any(c is m for m in moved)]
    for c in moved:
        c.entry, c.source, c.key = None, "acronym", ("name", form)
        cl.add(c)


def _cluster_type(r: _Cluster) -> str:
    if r.entry is not None:
        return r.entry.type
    if r.kind == "handle":
        return "HANDLE"
    if r.kind == "hashtag":
        return "HASHTAG"
    votes: dict[str, float] = {}
    for c in r.cands:
        if c.person_link:
            votes["PERSON"] = votes.get("PERSON", 0.0) + 1.5
            continue
        if c.label:
            weight = 2.5 if c.settled else 1.5 if " " in c.surf else 1.0
            votes[c.label] = votes.get(c.label, 0.0) + weight
        if c.cue:
            votes["PERSON"] = votes.get("PERSON", 0.0) + 2.0
    if "PERSON" in votes and any(_looks_acronym(c.surf) and len(c.surf) <= 6 for c in r.cands):
        del votes["PERSON"]  # a name with an acronym is an organisation, not a person
    if not votes:
        return "ORG"
    best = max(votes.values())
    return _lexical_type(r, next(t for t in _TYPE_ORDER if votes.get(t) == best))


def _lexical_type(r: _Cluster, voted: str) -> str:
    """Correct the tagger's type where the name's own words decide it (laws, party members,
    streets and buildings, courts and councils, islands and seas)."""
    words = fold(max((c.surf for c in r.cands), key=len)).split()
    if not words:
        return voted
    last = words[-1]
    is_law = last in _LAW_LAST and not (
        last.startswith("convention") and len(words) > 1 and words[-2] in _MEETING_BEFORE_CONVENTION
    )
    if is_law or (len(words) > 2 and words[0] in _LAW_FIRST and words[1] in ("of", "on", "for")):
        return "LAW"
    if words[0] == "operation" and len(words) > 1:
        return "EVENT"  # "Operation Claw-Lock"
    if len(words) > 1 and words[0] in _ARABIC_PLACE_FIRST and voted in ("PERSON", "ORG", "NORP"):
        return "GPE"  # "Tal Rifaat", "Deir ez-Zor", "Ras al-Ain"
    if len(words) > 1 and last in _EVENT_LAST and voted in ("ORG", "GPE", "FAC"):
        return "EVENT"  # "International Women's Day", "NATO Summit"
    if len(words) > 1 and last in _ROUTE_HEADS and voted in ("EVENT", "ORG"):
        return "FAC"  # "Iraq-Türkiye Development Road"
    if voted == "PERSON" and len(words) > 1 and last in _GROUP_MEMBERS:
        return "NORP"
    if voted == "PERSON" and len(words) > 1 and last in _BODY_NOT_SURNAME:
        return "ORG"  # "Greenpeace Mediterranean"
    if (voted in ("ORG", "GPE") or (voted == "PERSON" and last in _NO_SURNAME_HEADS)) and (
        len(words) > 1 and last in _FACILITY_HEADS
    ):
        return "FAC"  # "İstiklal Avenue", "Silivri Prison", "Istanbul Airport"
    if voted in ("FAC", "GPE", "LOC") and len(words) > 1 and last in _INSTITUTION_HEADS:
        return "ORG"  # "Ankara 24th High Criminal Court"
    if words[-2:] == ["central", "bank"]:
        return "ORG"  # "Central Bank Governor ..." is no place
    if len(words) > 1 and last in _NATURAL_PLACE_HEADS:
        if voted in ("ORG", "PERSON", "NORP"):
            return "LOC"  # "İmralı Island"
        if voted == "GPE" and not last.startswith("island"):
            return "LOC"  # "Black Sea"; island states stay ("Marshall Islands")
    return voted


def _name_tokens(r: _Cluster, text: str) -> list[tuple[str, ...]]:
    """Folded token sequences of a person's full-name forms (mentions and KB names)."""
    seqs: list[tuple[str, ...]] = []
    forms = [_surface(text, c) for c in r.cands]
    if r.entry is not None:
        forms.extend(n for n in r.entry.all_names() if n)
    for f in forms:
        toks = _person_tokens(f)
        if len(toks) >= 2 and toks not in seqs:
            seqs.append(toks)
    return seqs


def _link_short_forms(cl: _Clusters, text: str) -> None:
    roots = cl.roots()
    persons = [
        (r, _name_tokens(r, text), min(c.start for c in r.cands))
        for r in roots
        if _cluster_type(r) == "PERSON" and r.kind in ("name", "kb")
    ]
    persons = [p for p in persons if p[1]]
    if not persons:
        return
    for r in roots:
        if r.kind != "name" or not r.cands or r.entry is not None:
            continue
        forms = {fold(_surface(text, c).replace("-", " ")) for c in r.cands}
        if len(forms) != 1:
            continue
        toks = tuple(forms.pop().split())
        if len(toks) > 2:
            continue
        first = min(c.start for c in r.cands)
        personish = any(c.label == "PERSON" or c.cue for c in r.cands)
        labels = Counter(c.label for c in r.cands if c.label)
        if not personish and labels and labels.most_common(1)[0][0] == "NORP":
            continue  # "Democrats" is not the surname of "Virginia Democrats"
        matches = []
        for p, seqs, p_first in persons:
            if p is r:
                continue
            hit = any(len(s) > len(toks) and s[-len(toks) :] == toks for s in seqs)
            if not hit and personish and len(toks) == 1:
                hit = any(s[0] == toks[0] for s in seqs)
            if hit:
                matches.append((0 if p_first <= first else 1, abs(first - p_first), p))
        if not matches:
            continue
        # several people fit: the nearest preceding full mention wins, else the nearest after
        matches.sort(key=lambda m: (m[0], m[1]))
        target = cl.find(matches[0][2].key)
        for c in r.cands:
            c.person_link = True
        cl.union(target, cl.find(r.key))


def _rescan(cands: list[_Cand], cl: _Clusters, text: str, folded: str | None) -> None:
    """Pick up later occurrences of names the model missed (surnames, acronyms, full names)."""
    if folded is None:
        return
    forms: dict[str, tuple[_Cluster, bool, bool]] = {}  # folded form -> cluster, acronym, person
    ambiguous: set[str] = set()
    for r in cl.roots():
        if r.kind not in ("name", "kb"):
            continue
        type_ = _cluster_type(r)
        for c in r.cands:
            surf = _surface(text, c)
            key = fold(surf)
            if _looks_acronym(surf):
                forms.setdefault(key, (r, True, False))
            elif len(key.split()) >= 2 and r.kind == "name":
                forms.setdefault(key, (r, False, False))
                if type_ in ("LOC", "FAC", "GPE") and key.split()[-1] in _PLACE_SHORT_HEADS:
                    forms.setdefault(key.split()[0], (r, False, False))  # "İmralı [Island]"
            if type_ == "PERSON" and " " in surf:
                words = [w for w in surf.split() if fold(w).strip(".,") not in _NAME_SUFFIXES]
                last = words[-1] if words else surf.split()[-1]
                tails = [last]
                if (
                    len(words) >= 3
                    and words[-2][:1].isupper()
                    and (r.kind == "kb" or any(x.cue for x in r.cands))
                ):
                    tails.append(" ".join(words[-2:]))  # a double surname: "[Nacho] Sánchez Amor"
                for tail in tails:
                    if len(tail) >= 3 and tail[:1].isupper():
                        key = fold(tail)
                        if key in forms and forms[key][0] is not r and forms[key][2]:
                            ambiguous.add(key)  # two people share the surname: leave it alone
                        forms.setdefault(key, (r, False, True))
    for key in ambiguous:
        del forms[key]
    if not forms:
        return
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?!\w)"
    )
    taken = sorted((c.start, c.end) for c in cands)
    starts = [t[0] for t in taken]
    added = False
    for m in pattern.finditer(folded):
        s, e = m.span()
        i = bisect_left(starts, e) - 1  # the last name starting before this match ends
        if i >= 0 and taken[i][1] > s:
            continue
        if s > 0 and text[s - 1] in "@#":
            continue
        key = " ".join(m.group().split())
        r, acronym, person = forms[key]
        written = text[s:e]
        if acronym:
            if any(ch.islower() for ch in written if ch.isalpha()) and written != _surface(text, r.cands[0]):
                continue
        elif not written[:1].isupper():
            continue
        if person and _next_word_capitalised(text, e):
            continue
        c = _Cand(s, e, "rescan", key=r.key, person_link=person, surf=" ".join(written.split()))
        cands.append(c)
        cl.find(r.key).cands.append(c)
        added = True
    if added:
        cands.sort(key=lambda c: (c.start, -c.end))


def _org_head(name: str) -> str | None:
    """The head noun of an organisation's name ("Court" of "Constitutional Court of Turkey")."""
    first, of, _rest = name.partition(" of ")
    words = first.split()
    if not words or (len(words) < 2 and not of) or not words[-1][:1].isupper():
        return None
    head = fold(words[-1])
    return head if head in _ORG_HEADS else None


def _link_place_short_forms(cl: _Clusters) -> None:
    """A one-word name that opens a place's name given in full is that place ("İmralı" after or
    before "İmralı Island", "Taksim" beside "Taksim Square"), whatever type the tagger gave it."""
    places: dict[str, _Cluster | None] = {}  # first word -> the one place it opens
    for r in cl.roots():
        type_ = _cluster_type(r)
        if r.kind not in ("name", "kb") or type_ not in ("LOC", "FAC", "GPE"):
            continue
        for c in r.cands:
            words = c.surf.split()
            if len(words) >= 2 and fold(words[-1]) in _PLACE_SHORT_HEADS:
                key = fold(words[0])
                places[key] = r if places.get(key, r) is r else None  # two places: ambiguous
    if not places:
        return
    for r in cl.roots():
        if r.kind != "name" or not r.cands or any(" " in c.surf for c in r.cands):
            continue
        target = places.get(fold(r.cands[0].surf))
        if target is None or target is r or any(fold(c.surf) != fold(r.cands[0].surf) for c in r.cands):
            continue
        target = cl.find(target.key)
        type_ = _cluster_type(target)
        for c in r.cands:
            c.label = type_
        cl.union(target, r)


def _link_org_short_forms(cands: list[_Cand], cl: _Clusters, text: str) -> None:
    """Resolve "the Commission" to the organisation last named in full with that head noun.

    Only capitalised heads after "the" count, and not when a longer name follows ("the Court
    of Cassation", "the Council Presidency"); a short form before any full name stays as it is.
    """
    named: list[tuple[int, str, _Cluster]] = []  # (first full mention, head, cluster)
    for r in cl.roots():
        if r.kind not in ("name", "kb") or _cluster_type(r) != "ORG":
            continue
        forms = [c.surf for c in r.cands if " " in c.surf]
        if r.entry is not None:
            forms.append(r.entry.name)
        heads = {h for h in map(_org_head, forms) if h}
        full = [c.start for c in r.cands if " " in c.surf]
        for head in heads:
            if full:
                named.append((min(full), head, r))
    if not named:
        return
    named.sort(key=lambda x: x[0])
    by_span = {(c.start, c.end): c for c in cands}
    # clusters the model made of bare heads ("Commission"): id -> (cluster, targets by id)
    bare: dict[int, tuple[_Cluster, dict[int, _Cluster]]] = {}
    added = False
    for m in _SHORT_ORG_RE.finditer(text):
        s, e = m.span(1)
        head = fold(m.group(1))
        before = [r for start, h, r in named if h == head and start < s]
        if not before:
            continue
        target = cl.find(before[-1].key)
        existing = by_span.get((s, e))
        if existing is not None:
            owner = cl.find(existing.key)
            if (
                owner is not target
                and owner.kind == "name"
                and all(fold(c.surf) == head for c in owner.cands)
            ):
                bare.setdefault(id(owner), (owner, {}))[1][id(target)] = target
            continue
        if any(_overlaps(c, s, e) for c in cands):
            continue
        c = _Cand(s, e, "short", key=target.key, surf=m.group(1))
        cands.append(c)
        target.cands.append(c)
        by_span[(s, e)] = c
        added = True
    for owner, targets in bare.values():
        if len(targets) == 1:  # every "the <Head>" of this cluster points at one organisation
            cl.union(next(iter(targets.values())), owner)
    if added:
        cands.sort(key=lambda c: (c.start, -c.end))


def _link_bare_heads(cl: _Clusters, kb: KnowledgeBase) -> None:
    """A bare capitalised head noun ("Parliament Speaker Numan Kurtulmuş", "the Assembly") is
    the one organisation the text names in full with that head, before or after it; an entry's
    knowledge-base names count ("Turkish Parliament" for the Grand National Assembly). Where two
    organisations have the head, it stays as it is. A text that names the EU or one of its
    bodies and no commission names the European Commission by implication ("The Commission and
    the Council of the EU were urged to ...")."""
    roots = cl.roots()
    bare = [
        r
        for r in roots
        if r.kind == "name"
        and r.cands
        and len({fold(c.surf) for c in r.cands}) == 1
        and fold(r.cands[0].surf) in _BARE_HEADS
        and _cluster_type(r) == "ORG"
    ]
    if not bare:
        return
    by_head: dict[str, list[_Cluster]] = {}
    for r in roots:
        if r.kind not in ("name", "kb") or any(r is b for b in bare) or _cluster_type(r) != "ORG":
            continue
        forms = [c.surf for c in r.cands if " " in c.surf]
        if r.entry is not None:
            forms.extend(r.entry.all_names())
        heads = {h for h in map(_org_head, forms) if h}
        if any(fold(f).startswith("house of ") for f in forms):
            heads.add("house")  # "the House" is the House of Representatives, not the White House
        for head in heads:
            by_head.setdefault(head, []).append(r)
    implied = kb.get(_EU_COMMISSION)
    if (
        implied is not None
        and "commission" not in by_head
        and any(fold(r.cands[0].surf) == "commission" for r in bare)
        and any(r.entry is not None and r.entry.slug in _EU_SLUGS for r in roots)
    ):
        by_head["commission"] = [cl.for_entry(implied)]
    for r in bare:
        targets = by_head.get(fold(r.cands[0].surf), [])
        if len(targets) == 1:
            cl.union(targets[0], r)


def _link_party_surnames(cl: _Clusters, kb: KnowledgeBase) -> None:
    """A surname the text never gives in full is the knowledge-base person of that surname
    whose party the text names, when only one such person is in the base ("the CHP ... lost the
    party's leadership to Özel" is Özgür Özel)."""
    roots = cl.roots()
    named = {r.entry.slug for r in roots if r.entry is not None}
    for r in roots:
        forms = {fold(c.surf) for c in r.cands}
        if r.kind != "name" or len(forms) != 1 or " " in next(iter(forms)) or _cluster_type(r) != "PERSON":
            continue
        people = [p for p in kb.people_by_surname(next(iter(forms))) if p.party in named]
        if len(people) == 1 and people[0].slug not in named:
            cl.union(cl.for_entry(people[0]), r)


def _next_word_capitalised(text: str, e: int) -> bool:
    m = re.match(r"[ \t]+([^\s])", text[e : e + 3])
    return bool(m and m.group(1).isupper())


# --------------------------------------------------------------------------------------------
# 3. Handles and hashtags
# --------------------------------------------------------------------------------------------


def _link_handles(cands: list[_Cand], cl: _Clusters, text: str, kb: KnowledgeBase) -> None:
    roots = cl.roots()
    by_entry = {r.entry.slug: r for r in roots if r.entry is not None}
    persons = [r for r in roots if r.kind in ("name", "kb") and _cluster_type(r) == "PERSON"]
    by_end = {c.end: c for c in cands}
    by_start = {c.start: c for c in cands}
    for r in roots:
        if r.kind not in ("handle", "hashtag"):
            continue
        body = r.key[1]
        target: _Cluster | KBEntry | None = None
        entry = kb.by_handle(body) if r.kind == "handle" else None
        if entry is None:
            entry = kb.lookup(body) or kb.lookup(_split_camel(text, r))
        if entry is not None:
            target = by_entry.get(entry.slug, entry)
        if target is None and r.kind == "handle":
            target = _adjacent_name(r, text, by_end, by_start, cl)
        if target is None:
            target = _name_in_handle(body, persons, text) if r.kind == "handle" else None
        if target is None:
            flat = fold(body).replace(" ", "")
            for o in roots:
                if o.kind in ("name", "kb") and any(
                    fold(_surface(text, c)).replace(" ", "") == flat for c in o.cands
                ):
                    target = o
                    break
        r.link = target


def _split_camel(text: str, r: _Cluster) -> str:
    raw = text[r.cands[0].start + 1 : r.cands[0].end]
    return re.sub(r"(?<=[a-zçğıöşü])(?=[A-ZÇĞİÖŞÜ])", " ", raw)


def _adjacent_name(
    r: _Cluster,
    text: str,
    by_end: dict[int, _Cand],
    by_start: dict[int, _Cand],
    cl: _Clusters,
) -> _Cluster | None:
    for c in r.cands:
        before = text[max(0, c.start - 3) : c.start]
        after = text[c.end : c.end + 3]
        if before.rstrip(" \t").endswith("(") and after.lstrip(" \t").startswith(")"):
            j = c.start - 1
            while j > 0 and text[j] in "( \t":
                j -= 1
            prev = by_end.get(j + 1)
            if prev is not None and prev.source not in ("handle", "hashtag"):
                return cl.find(prev.key)
        m = re.match(r"[ \t]*\([ \t]*", text[c.end :])
        if m:
            nxt = by_start.get(c.end + m.end())
            if nxt is not None and nxt.source not in ("handle", "hashtag"):
                return cl.find(nxt.key)
    return None


def _name_in_handle(body: str, persons: Sequence[_Cluster], text: str) -> _Cluster | None:
    flat = re.sub(r"[^a-z]", "", fold(body))
    found: list[_Cluster] = []
    for p in persons:
        toks = {t for seq in _name_tokens(p, text) for t in seq}
        if any(len(t) >= 4 and re.sub(r"[^a-z]", "", t) in flat for t in toks) and p not in found:
            found.append(p)
    return found[0] if len(found) == 1 else None


# --------------------------------------------------------------------------------------------
# 4. Records
# --------------------------------------------------------------------------------------------


def _sentence_starts(doc: Doc) -> list[int]:
    if not doc.has_annotation("SENT_START") and not doc.has_annotation("DEP"):
        return [0]
    return [s.start_char for s in doc.sents]


def _build(doc: Doc, prepared: Prepared, cl: _Clusters) -> DocEntities:
    text = prepared.text
    original = prepared.original
    sent_starts = _sentence_starts(doc)
    roots = [r for r in cl.roots() if r.cands]
    roots.sort(key=lambda r: min(c.start for c in r.cands))

    # first pass: identities of non-handle clusters (handles point at them)
    ident: dict[int, tuple[str, str, str | None]] = {}
    for r in roots:
        if r.kind in ("handle", "hashtag"):
            continue
        type_ = _cluster_type(r)
        if r.entry is not None:
            ident[id(r)] = (r.entry.entity_id, r.entry.name, r.entry.wikidata_id)
        else:
            name = _best_name(r, text)
            ident[id(r)] = (stable_id(name, type_), name, None)

    entities: list[Entity] = []
    rows: list[tuple[int, int, int, Mention]] = []
    seen_ids: dict[str, int] = {}
    for r in roots:
        type_ = _cluster_type(r)
        cands = sorted({(c.start, c.end): c for c in r.cands}.values(), key=lambda c: c.start)
        mentions = []
        for c in cands:
            s, e = prepared.span(c.start, c.end)
            sent = bisect_right(sent_starts, c.start) - 1
            mentions.append(Mention(original[s:e], s, e, max(sent, 0)))
        aliases: tuple[str, ...]
        linked: str | None = None
        if r.kind in ("handle", "hashtag"):
            name = _surface(text, cands[0])
            wikidata = None
            aliases = ()
            target = r.link
            if isinstance(target, _Cluster):
                tid = ident.get(id(cl.find(target.key)))
                if tid is not None:
                    linked, aliases, wikidata = tid[0], (tid[1],), tid[2]
            elif target is not None:
                linked, aliases, wikidata = target.entity_id, (target.name,), target.wikidata_id
            entity_id = stable_id(name, type_)
        else:
            entity_id, name, wikidata = ident[id(r)]
            forms = dict.fromkeys(" ".join(m.text.split()) for m in mentions)
            if r.entry is not None:
                forms.update(dict.fromkeys(r.entry.acronyms))
                if r.entry.name_tr:
                    forms[r.entry.name_tr] = None
            aliases = tuple(f for f in forms if f != name)
        idx = seen_ids.get(entity_id)
        if idx is not None:  # two clusters ended with one id: merge them
            old = entities[idx]
            merged = tuple(sorted({*old.mentions, *mentions}, key=lambda m: m.start))
            entities[idx] = Entity(
                old.entity_id,
                old.name,
                old.type,
                old.wikidata_id,
                merged,
                tuple(dict.fromkeys((*old.aliases, *aliases))),
                old.linked_entity_id or linked,
            )
            for c, m in zip(cands, mentions, strict=True):
                rows.append((c.start, c.end, idx, m))
            continue
        seen_ids[entity_id] = len(entities)
        for c, m in zip(cands, mentions, strict=True):
            rows.append((c.start, c.end, len(entities), m))
        entities.append(Entity(entity_id, name, type_, wikidata, tuple(mentions), aliases, linked))

    rows.sort(key=lambda x: x[0])
    index = EntityIndex(
        tuple(x[0] for x in rows),
        tuple(x[1] for x in rows),
        tuple(entities[x[2]] for x in rows),
        tuple(x[3] for x in rows),
    )
    spans = tuple((x[0], x[1], entities[x[2]].type, entities[x[2]].entity_id) for x in rows)
    return DocEntities(tuple(entities), index, spans)


def _best_name(r: _Cluster, text: str) -> str:
    best = None
    for c in sorted(r.cands, key=lambda c: c.start):
        if c.person_link:
            continue
        surf = _surface(text, c)
        score = (len(surf.split()), not _looks_acronym(surf), len(surf))
        if best is None or score > best[0]:
            best = (score, surf)
    if best is None:
        return _surface(text, min(r.cands, key=lambda c: c.start))
    return best[1]
