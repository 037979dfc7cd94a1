"""Coded political events (PLOVER + extensions) and quotations from one parsed document.

The entry point is the entity stage's hook::

    extract(doc, prepared, entities, item) -> (events, quotes)

``doc`` is the spaCy ``Doc`` already made on ``prepared.text``; nothing is parsed again. Per
sentence holding a trigger lemma (verbs and event nouns of ``taxonomy/triggers.yaml``) the
extractor reads the dependency parse:

* trigger -> event type and mode (rules may depend on the object, a particle, a preposition);
  event nouns count when a support verb carries them ("paid a visit", "held talks");
* actor = subject (the ``by`` agent of a passive), compound subjects as lists; recipient = object
  or prepositional target; pronouns resolve to the nearest fitting entity (a subject pronoun to
  the last subject of that kind, an object pronoun to another entity than its clause's subject);
* negated, future, planned, conditional, threatened, demanded or refused actions are flagged
  ``hypothetical`` (PLOVER: future or planned CONSULT/SUPPORT/COOPERATE/AID are coded AGREE,
  future RETREAT is CONCEDE, future COERCE/SANCTION/ASSAULT is THREATEN; the planned action stays
  in ``attributes["planned_type"]``);
* "X said Y did Z" codes Z with Y as actor and X as ``claim_source``;
* the date is the time expression attached to the trigger in the parse (or to the clause it
  conjoins with), resolved by :mod:`pipeline.nlp.temporal`; no stated time -> ``None``;
* the location is a place entity governed by in/at, else one named in the sentence, else the
  dateline's place.

Events in direct quotations are not coded (the quotation is kept as a :class:`Quote`). Repeated
reports of the same event in one document are merged.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy
from spacy.strings import hash_string

from pipeline.nlp import quotes as _quotes
from pipeline.nlp import temporal
from pipeline.nlp.records import Entity, Event, Quote, TextItem
from pipeline.nlp.taxonomy import Taxonomy, TriggerRule, load_taxonomy
from pipeline.nlp.textprep import Prepared

__all__ = ["cluster_key", "extract", "extract_quotes"]

_COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "AGREE"})
_CONFLICTUAL_FUTURE = frozenset({"COERCE", "SANCTION", "ASSAULT"})
_CLAUSAL = frozenset(
    {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "csubj", "conj", "cc", "punct", "mark"}
)
_NP_DEPS = frozenset({"appos", "compound", "amod", "poss", "nmod", "prep", "pobj", "flat", "npadvmod"})
_OWNER_DEPS = frozenset({"compound", "poss", "nmod"})
_QUANTITY_HEADS = frozenset(
    {
        "thousand",
        "thousands",
        "hundred",
        "hundreds",
        "dozen",
        "dozens",
        "million",
        "millions",
        "score",
        "scores",
        "number",
        "group",
        "couple",
        "handful",
        "some",
        "many",
        "most",
        "all",
        "one",
        "two",
        "three",
        "members",
        "member",
    }
)
_NOT_NP_PREPS = frozenset(
    {
        "in",
        "at",
        "near",
        "on",
        "inside",
        "outside",
        "across",
        "around",
        "during",
        "over",
        "after",
        "before",
        "since",
        "until",
        "into",
        "against",
        "to",
        "by",
    }
)


def _np_child(tok: Any) -> bool:
    """Children that stay inside a noun phrase's naming part (not locative or clausal)."""
    if tok.dep_ == "prep":
        return tok.lower_ not in _NOT_NP_PREPS
    return tok.dep_ in _NP_DEPS


def _is_of(tok: Any) -> bool:
    return tok.dep_ == "prep" and tok.lower_ in {"of", "from"}


_LOCATION_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout", "around"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_OBJECT_CONTROL = frozenset(
    {
        "urge",
        "ask",
        "call",
        "order",
        "press",
        "force",
        "persuade",
        "lead",
        "allow",
        "tell",
        "invite",
        "encourage",
        "instruct",
        "pressure",
        "push",
        "demand",
        "request",
        "appeal",
        "warn",
        "advise",
    }
)
_RECIPIENT_PREPS: dict[str, tuple[str, ...]] = {
    "CONSULT": ("with", "to"),
    "SUPPORT": ("to", "for", "with"),
    "AGREE": ("with", "to"),
    "CONCEDE": ("to", "for"),
    "COOPERATE": ("with",),
    "AID": ("to", "for"),
    "RETREAT": ("from",),
    "REQUEST": ("on", "upon", "to", "from"),
    "ACCUSE": ("against",),
    "REJECT": ("from",),
    "THREATEN": ("against", "with"),
    "PROTEST": ("against",),
    "SANCTION": ("against", "on", "with", "from"),
    "MOBILIZE": ("against",),
    "COERCE": ("against", "on"),
    "ASSAULT": ("against", "on"),
    "ELECTION": ("against", "over"),
    "APPOINT": (),
    "RULING": ("against",),
}
_NOUN_PATIENT_TYPES = frozenset({"COERCE", "RETREAT", "APPOINT", "SANCTION", "ASSAULT", "RULING", "CONCEDE"})
_THREAT_MODES = {
    ("COERCE", "arrest"): "arrest",
    ("COERCE", None): "restrict",
    ("SANCTION", "expel"): "expel",
    ("SANCTION", None): "relations",
    ("ASSAULT", None): "violence",
    ("COERCE", "seize"): "territory",
    ("PROTEST", None): "restrict",
    ("RETREAT", None): "relations",
    ("CONSULT", None): "relations",
    ("COERCE", "deport"): "expel",
    ("SANCTION", "discontinue"): "restrict",
    ("SANCTION", "withdraw"): "relations",
}
_YIELD_TYPES = frozenset({"RETREAT", "CONCEDE"})
_ASSIST_TYPES = frozenset({"AID", "COOPERATE", "SUPPORT"})
_CHANGE_TYPES = frozenset({"APPOINT", "ELECTION", "RULING"})
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)")
_DATELINE = re.compile(
    r"\A\s*(?:[^\n]{0,60}\n\s*\n)?\s*(?P<place>[A-ZÇĞİÖŞÜ][A-ZÇĞİÖŞÜa-zçğıöşü.' -]{1,40}?)"
    r"(?:,\s*[A-Z][A-Za-z. ]{1,30})?\s*(?:\([A-Za-z .]+\))?\s*[-—–:]\s"
)


@dataclass(frozen=True)
class _Party:
    """An actor, recipient or claim source: an entity or a generic common-noun actor."""

    id: str
    name: str
    type: str
    via: str  # "entity", "generic", "pronoun"


@dataclass
class _Cand:
    """A trigger candidate before it becomes an :class:`Event`."""

    tok: Any
    rule: TriggerRule
    kind: str  # "verb" or "noun"
    support: Any = None  # the support verb or reporting participle of a noun trigger
    via: str = ""  # how a noun fired: "light", "participle", "possessor", "governed"
    governed_by: _Cand | None = None
    governs: list[_Cand] = field(default_factory=list)
    absorbed: bool = False
    event_type: str | None = None
    mode: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def anchors(self) -> tuple[Any, ...]:
        return (self.tok,) if self.support is None else (self.tok, self.support)

    @property
    def clause(self) -> Any:
        """The verb heading the trigger's clause."""
        return self.support if self.support is not None else self.tok


# --------------------------------------------------------------------------------------------
# Document index: entities by token, pronoun resolution, noun phrases
# --------------------------------------------------------------------------------------------


def _inverse_offsets(prepared: Prepared) -> Any:
    """A function mapping original offsets to prepared offsets."""
    if len(prepared.text) == len(prepared.original):
        return lambda i: i
    n_orig = len(prepared.original)
    inv = [len(prepared.text)] * (n_orig + 1)
    j = 0
    for i in range(len(prepared.text)):
        o = prepared.to_original(i)
        while j <= o:
            inv[j] = i
            j += 1
    return lambda i: inv[min(max(i, 0), n_orig)]


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")


class _DocIndex:
    """Per-document look-ups shared by the event and quote extractors."""

    def __init__(self, doc: Any, prepared: Prepared, entities: Sequence[Entity], tax: Taxonomy) -> None:
        self.doc = doc
        self.prepared = prepared
        self.tax = tax
        self.cues = tax.cues
        self.to_prepared = _inverse_offsets(prepared)
        n = len(doc)
        self.tok_ent: list[Entity | None] = [None] * n
        spans: list[tuple[int, int, Entity]] = []
        for ent in entities:
            for m in ent.mentions:
                s, e = self.to_prepared(m.start), self.to_prepared(m.end)
                if e > s:
                    spans.append((s, e, ent))
        spans.sort(key=lambda x: x[0] - x[1])  # longest first
        self.mention_heads: list[tuple[int, Entity]] = []
        for s, e, ent in spans:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None or not len(span):
                continue
            if any(self.tok_ent[t.i] is not None for t in span):
                if all(self.tok_ent[t.i] is not None for t in span):
                    continue
            for t in span:
                if self.tok_ent[t.i] is None:
                    self.tok_ent[t.i] = ent
            self.mention_heads.append((span.root.i, ent))
        self.mention_heads.sort(key=lambda x: x[0])
        self._mention_pos = [i for i, _ in self.mention_heads]
        self._subjects: list[tuple[int, _Party]] | None = None
        self._resolving: set[int] = set()  # tokens being resolved: a pronoun chain never loops
        self._subject_pos: list[int] = []
        self.in_quote: list[bool] = [False] * n
        self.dateline_end = 0
        self._newlines = [m.start() for m in re.finditer("\n", doc.text)]

    def para(self, tok: Any) -> int:
        """The paragraph (line) number of a token."""
        return bisect.bisect_right(self._newlines, tok.idx)

    # -- entity of a token ----------------------------------------------------------------
    def entity_party(self, tok: Any) -> _Party | None:
        ent = self.tok_ent[tok.i]
        if ent is None:
            return None
        return _Party(ent.entity_id, ent.name, ent.type, "entity")

    def _generic(self, head: Any) -> _Party:
        words = [
            c.text
            for c in head.lefts
            if c.dep_ in {"compound", "amod", "nmod"}
            and c.pos_ in {"PROPN", "ADJ", "NOUN"}
            and c.i >= head.i - 3
        ]
        name = " ".join([*words, head.text])
        return _Party("generic:" + _slug(name), name, "GENERIC", "generic")

    # -- noun phrases -----------------------------------------------------------------------
    def resolve_np(self, head: Any, allow_generic: bool = True, places: bool = True) -> list[_Party]:
        """The parties named by the noun phrase headed by *head* and its conjuncts."""
        out: list[_Party] = []
        for h in (head, *head.conjuncts):
            p = self._resolve_one(h, allow_generic, places)
            if p is not None and all(p.id != q.id for q in out):
                out.append(p)
        return out

    def _resolve_one(self, h: Any, allow_generic: bool, places: bool) -> _Party | None:
        # "those of them who ...": a relative pronoun, its antecedent and a quantity phrase can
        # point at each other; a token met again on the way resolves to nothing
        if h.i in self._resolving:
            return None
        self._resolving.add(h.i)
        try:
            return self._resolve_head(h, allow_generic, places)
        finally:
            self._resolving.discard(h.i)

    def _resolve_head(self, h: Any, allow_generic: bool, places: bool) -> _Party | None:
        low = h.lower_
        if h.lemma_.lower() in _QUANTITY_HEADS and self.tok_ent[h.i] is None:
            # "thousands of HDP supporters", "a group of deputies": the phrase after "of" names them
            of = next((c for c in h.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
            if pobj is not None:
                return self._resolve_one(pobj, allow_generic, places)
        if h.pos_ == "PRON" or h.tag_ in {"PRP", "PRP$", "WP"}:
            return self.resolve_pronoun(h)
        types = self.cues.actor_entity_types | (self.cues.place_entity_types if places else frozenset())
        own = self.entity_party(h)
        if own is not None and own.type in types:
            return own
        generic = h.lemma_.lower() in self.cues.generic_actors or low in self.cues.generic_actors
        generic_head = generic
        # search the phrase (not its clauses) breadth-first
        # (depth, distance, party, owner): an owner names the phrase's organisation or state
        # ("Turkey's prosecutors", "Istanbul police", "officials of the EU"), not its location
        found: list[tuple[int, int, _Party, bool]] = []
        frontier = [(c, 1, c.dep_ in _OWNER_DEPS or _is_of(c)) for c in h.children if _np_child(c)]
        seen = {h.i}
        while frontier:
            tok, depth, owner = frontier.pop(0)
            if tok.i in seen or depth > 4 or self.para(tok) != self.para(h):
                continue
            seen.add(tok.i)
            p = self.entity_party(tok)
            if p is not None and p.type in types and (p.type == "PERSON" or depth <= 2 or generic_head):
                found.append((depth, abs(tok.i - h.i), p, owner))
            frontier.extend(
                (c, depth + 1, owner and (c.dep_ in _OWNER_DEPS or c.dep_ == "pobj" or _is_of(c)))
                for c in tok.children
                if _np_child(c)
            )
        if found:
            persons = [f for f in found if f[2].type == "PERSON"]
            singular = h.tag_ in {"NN", "NNP"}
            if persons and singular:
                return min(persons, key=lambda f: (f[0], f[1]))[2]
            if generic:
                # "Turkish police": keep the generic actor unless an organisation or state owns it
                owners = [f for f in found if f[2].type in {"ORG", "GPE"} and f[0] <= 2 and f[3]]
                if owners:
                    return min(owners, key=lambda f: (f[0], f[1]))[2]
                return self._generic(h) if allow_generic else None
            return min(found, key=lambda f: (f[0], f[1]))[2]
        if generic and allow_generic:
            return self._generic(h)
        return None

    # -- pronouns -----------------------------------------------------------------------------
    def _subject_list(self) -> list[tuple[int, _Party]]:
        if self._subjects is None:
            subs: list[tuple[int, _Party]] = []
            for tok in self.doc:
                if (
                    tok.dep_ in {"nsubj", "nsubjpass"}
                    and tok.pos_ != "PRON"
                    and tok.tag_ not in {"PRP", "WP", "WDT"}
                ):
                    p = self._resolve_one(tok, allow_generic=True, places=True)
                    if p is not None:
                        subs.append((tok.i, p))
            self._subjects = subs
            self._subject_pos = [i for i, _ in subs]
        return self._subjects

    def _fits(self, party_type: str, low: str) -> bool:
        if low in self.cues.person_pronouns:
            return party_type == "PERSON"
        if low in self.cues.thing_pronouns:
            return party_type in {"ORG", "GPE", "NORP", "GENERIC"}
        if low in self.cues.group_pronouns:
            return party_type in {"ORG", "GPE", "NORP", "GENERIC"}
        return False

    def resolve_pronoun(self, tok: Any) -> _Party | None:
        """The entity a pronoun stands for (relative pronouns: their antecedent)."""
        low = tok.lower_
        if low in {"who", "which", "that"} and tok.head.dep_ == "relcl":
            ante = tok.head.head
            return self._resolve_one(ante, True, True) if ante.pos_ != "PRON" else None
        if not (
            low in self.cues.person_pronouns
            or low in self.cues.thing_pronouns
            or low in self.cues.group_pronouns
        ):
            return None
        limit = tok.i - 600  # do not reach back too far
        if tok.dep_ in _SUBJECTS:
            subs = self._subject_list()
            k = bisect.bisect_left(self._subject_pos, tok.i)
            for i in range(k - 1, -1, -1):
                pos, party = subs[i]
                if pos < limit:
                    break
                if self._fits(party.type, low):
                    return party
        # nearest mention of a fitting type that is not the subject of the pronoun's own clause
        clause_subject = None
        clause = tok.head
        while clause.dep_ not in {"ROOT"} and clause.pos_ not in {"VERB", "AUX"}:
            clause = clause.head
        cur = clause
        for _ in range(3):
            subj = next((c for c in cur.children if c.dep_ in _SUBJECTS), None)
            if subj is not None:
                clause_subject = self._resolve_one(subj, False, True) if subj.i != tok.i else None
                break
            if cur.dep_ == "conj":
                cur = cur.head
            else:
                break
        k = bisect.bisect_left(self._mention_pos, tok.i)
        for i in range(k - 1, -1, -1):
            pos, ent = self.mention_heads[i]
            if pos < limit:
                break
            if self.in_quote[pos]:
                continue
            if self._fits(ent.type, low) and (clause_subject is None or clause_subject.id != ent.entity_id):
                return _Party(ent.entity_id, ent.name, ent.type, "pronoun")
        return None

    def speaker(self, tok: Any) -> tuple[str | None, str | None] | None:
        parties = self.resolve_np(tok, allow_generic=True, places=False)
        if not parties:
            return None
        p = parties[0]
        return (None if p.via == "generic" else p.id, p.name)


# --------------------------------------------------------------------------------------------
# Trigger detection
# --------------------------------------------------------------------------------------------


def _objects(tok: Any) -> list[Any]:
    objs = [c for c in tok.children if c.dep_ in {"dobj", "obj", "attr", "oprd"}]
    if not objs and any(c.dep_ == "auxpass" for c in tok.children):
        objs = [c for c in tok.children if c.dep_ == "nsubjpass"]
    if not objs:
        # "cut off electricity": particle then object; "warned of": skip
        objs = [c for c in tok.children if c.dep_ == "nsubjpass"]
    return objs


def _object_lemmas(tok: Any) -> set[str]:
    lemmas: set[str] = set()
    for o in _objects(tok):
        if o.tag_ in {"WDT", "WP"} and o.head.dep_ == "relcl":
            o = o.head.head  # "the election, which X won"
        for t in (o, *o.conjuncts):
            lemmas.add(t.lemma_.lower())
            lemmas.add(t.lower_)
            for c in t.children:
                if c.dep_ in {"compound", "amod"}:
                    lemmas.add(c.lemma_.lower())
                if c.dep_ == "prep" and c.lower_ in {
                    "of",
                    "in",
                }:  # "state of emergency", "$5m in aid"
                    lemmas.update(g.lemma_.lower() for g in c.children if g.dep_ == "pobj")
    return lemmas


def _rule_holds(tok: Any, rule: TriggerRule) -> bool:
    if rule.objects is not None and not (_object_lemmas(tok) & rule.objects):
        return False
    if rule.preps:
        ok = False
        for c in tok.children:
            if c.dep_ in {"prep", "agent", "dative"} and c.lower_ in rule.preps:
                wanted = rule.preps[c.lower_]
                objs = {g.lemma_.lower() for g in c.children if g.dep_ in {"pobj", "pcomp"}}
                if not wanted or objs & wanted:
                    ok = True
                    break
        if not ok:
            return False
    if rule.particles is not None and not any(
        c.dep_ in {"prt", "prep", "dative", "advmod"} and c.lower_ in rule.particles for c in tok.children
    ):
        return False
    return not (
        rule.complements is not None
        and not any(
            c.dep_ in {"acomp", "oprd", "xcomp", "ccomp", "attr", "advmod"}
            and c.lemma_.lower() in rule.complements
            for c in tok.children
        )
    )


def _match_verb(tok: Any, rules: Sequence[TriggerRule]) -> tuple[TriggerRule | None, bool]:
    """The first rule that holds, and whether it needed the object (then it claims the noun)."""
    for rule in rules:
        if rule.conditional:
            if _rule_holds(tok, rule):
                return (rule if rule.type is not None else None), rule.objects is not None
        else:
            return (rule if rule.type is not None else None), False
    return None, False


def _candidates(doc: Any, idx: _DocIndex, sent: Any, sent_tokens: Iterable[Any]) -> list[_Cand]:
    tax = idx.tax
    verbs: list[_Cand] = []
    claimed: set[int] = set()
    noun_toks: list[Any] = []
    for tok in sent_tokens:
        if idx.in_quote[tok.i]:
            continue
        lem = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lem in tax.verb_rules and tok.dep_ not in {"amod", "compound", "nmod"}:
            rule, claims = _match_verb(tok, tax.verb_rules[lem])
            if rule is not None:
                verbs.append(_Cand(tok, rule, "verb"))
                if claims:
                    claimed.update(o.i for o in _objects(tok))
        elif tok.pos_ in {"NOUN", "PROPN"} and lem in tax.noun_rules and tok.dep_ != "compound":
            noun_toks.append(tok)
    verb_by_tok = {c.tok.i: c for c in verbs}
    nouns: list[_Cand] = []
    for tok in noun_toks:
        if tok.i in claimed:
            continue
        rule = tax.noun_rules[tok.lemma_.lower()]
        if rule.plural_only and tok.tag_ != "NNS":
            continue
        head = tok.head
        support = None
        via = ""
        if tok.dep_ in {"dobj", "obj", "nsubjpass", "attr"} and head.pos_ in {"VERB", "AUX"}:
            hl = head.lemma_.lower()
            if (rule.only_verbs is not None and hl in rule.only_verbs) or (
                rule.only_verbs is None and hl in tax.light_verbs
            ):
                support, via = head, "light"
            elif hl in tax.verb_rules and head.i in verb_by_tok and verb_by_tok[head.i].rule.governs:
                support, via = None, "governed"
        elif tok.dep_ == "pobj" and head.dep_ == "prep":
            gov = head.head
            if gov.i in verb_by_tok and verb_by_tok[gov.i].rule.governs:
                via = "governed"
            elif gov.pos_ in {"VERB"} and gov.lemma_.lower() == "take" and tok.lemma_.lower() == "part":
                via = ""
        if not via:
            for c in tok.children:
                if c.dep_ == "acl" and c.lemma_.lower() in (
                    tax.reporting_participles | (rule.only_verbs or frozenset())
                ):
                    support, via = c, "participle"
                    break
        if not via and _agent(tok) is not None:
            via = "agent"  # "the appointment of X by Y" reports a performed act
        if not via:
            poss = next((c for c in tok.children if c.dep_ == "poss"), None)
            if poss is not None and poss.pos_ == "PROPN" and idx.tok_ent[poss.i] is not None:
                via = "possessor"
        if (
            not via
            and tok.dep_ in {"nsubj"}
            and head.lemma_.lower() in {"take", "begin", "start", "resume", "erupt", "continue", "end"}
        ):
            if head.lemma_.lower() != "take" or any(c.lower_ == "place" for c in head.children):
                support, via = head, "light"
        if not via:
            continue
        if rule.requires_context and not any(
            idx.cues.context_cues.get(t.lemma_.lower()) == rule.requires_context for t in sent
        ):
            continue
        eff = rule
        if support is not None and support.lemma_.lower() in rule.verb_overrides:
            eff = rule.verb_overrides[support.lemma_.lower()]
        cand = _Cand(tok, eff, "noun", support=support, via=via)
        if tok.lemma_.lower() == "strike" and any(c.lemma_.lower() == "hunger" for c in tok.children):
            cand.mode = "hunger"
        nouns.append(cand)
    # an unconditional light verb gives way to the event noun it carries ("signed an agreement")
    supported = {c.support.i for c in nouns if c.support is not None and c.via == "light"}
    verbs = [c for c in verbs if not (c.tok.i in supported and not c.rule.conditional)]
    return verbs + nouns


# --------------------------------------------------------------------------------------------
# Modality, governing verbs, reported speech
# --------------------------------------------------------------------------------------------


def _aux_lemmas(tok: Any) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in {"aux", "auxpass"}} | {
        c.lemma_.lower() for c in tok.children if c.dep_ in {"aux", "auxpass"}
    }


def _is_negated(tok: Any, cues: Any) -> bool:
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ in {"advmod", "det", "preconj"} and c.lower_ in cues.negators):
            return True
    return False


def _modality(cand: _Cand, cues: Any) -> tuple[bool, str]:
    """(negated, modality) with modality in asserted/future/planned/modal/conditional/negated."""
    head = cand.clause
    negated = _is_negated(head, cues) or (cand.kind == "noun" and _is_negated(cand.tok, cues))
    modality = "asserted"
    cur = head
    for _ in range(5):
        auxes = _aux_lemmas(cur)
        if auxes & cues.future_auxiliaries:
            modality = "future"
        elif auxes & cues.modal_auxiliaries and modality == "asserted":
            modality = "modal"
        if modality == "modal" and "would" in auxes and _reported(cur, cues):
            modality = "future"  # "said it would withdraw": future in the past
        if any(c.dep_ == "mark" and c.lower_ in cues.conditional_marks for c in cur.children):
            modality = "conditional"
        if _is_negated(cur, cues) and cur is not head:
            negated = True
        if cur.dep_ == "xcomp" or (
            cur.dep_ in {"acl"}
            and cur.head.pos_ in {"NOUN"}
            and cur.head.lemma_.lower() in {"plan", "intention", "decision", "bid", "attempt", "effort"}
        ):
            parent = cur.head
            pl = parent.lemma_.lower()
            if pl in cues.failure_verbs:
                negated = True
            elif pl in cues.planning_verbs or pl in {
                "plan",
                "intention",
                "decision",
                "bid",
                "attempt",
                "effort",
            }:
                if modality == "asserted":
                    modality = "planned"
            elif parent.lower_ == "going":
                modality = "future"
            cur = parent
            continue
        if cur.dep_ == "conj" and not any(
            c.dep_ in _SUBJECTS or c.dep_ in {"aux", "auxpass"} for c in cur.children
        ):
            cur = cur.head
            continue
        if cur.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in cues.conditional_marks for c in cur.children
        ):
            modality = "conditional"
        break
    if negated:
        modality = "negated"
    return negated, modality


def _reported(tok: Any, cues: Any) -> bool:
    cur = tok
    for _ in range(3):
        if cur.dep_ in {"ccomp", "parataxis"}:
            return cur.head.lemma_.lower() in cues.speech_verbs
        if cur.dep_ != "conj":
            return False
        cur = cur.head
    return False


def _link_governed(cands: list[_Cand]) -> None:
    """Attach the actions governed by intent verbs ("threatened to arrest", "called for release")."""
    by_tok = {c.tok.i: c for c in cands}
    for c in cands:
        if c.kind != "verb" or not c.rule.governs:
            continue
        for inner in cands:
            if inner is c or inner.governed_by is not None:
                continue
            cur = inner.clause if inner.kind == "verb" else inner.tok
            path_ok = False
            for _ in range(4):
                if cur.dep_ not in {
                    "xcomp",
                    "ccomp",
                    "dobj",
                    "obj",
                    "pobj",
                    "prep",
                    "acl",
                    "pcomp",
                    "nsubjpass",
                    "advcl",
                }:
                    break
                if cur.dep_ == "advcl" and not any(
                    ch.lower_ == "to" and ch.dep_ == "aux" for ch in cur.children
                ):
                    break
                cur = cur.head
                if cur.i == c.tok.i:
                    path_ok = True
                    break
                if cur.i in by_tok and by_tok[cur.i] is not inner:
                    break
            if path_ok:
                inner.governed_by = c
                c.governs.append(inner)


def _claim_source_token(cand: _Cand, cues: Any, sent: Any) -> tuple[Any | None, bool]:
    """The subject of the verb of saying that reports the trigger ("X said Y did Z")."""
    cur = cand.clause
    for _ in range(5):
        if cur.dep_ in {"ccomp", "parataxis"} and cur.head.lemma_.lower() in cues.speech_verbs:
            speech = cur.head
            subj = next((c for c in speech.children if c.dep_ in _SUBJECTS), None)
            if subj is None and speech.dep_ in {"advcl", "conj"}:
                subj = next((c for c in speech.head.children if c.dep_ in _SUBJECTS), None)
            return subj, speech.lemma_.lower() == "deny"
        if cur.dep_ in {"conj", "xcomp"}:
            cur = cur.head
            continue
        break
    # "according to X"
    for tok in sent:
        if tok.lower_ == "according":
            for prep in tok.children:
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        return obj, False
    return None, False


# --------------------------------------------------------------------------------------------
# Actors, recipients, location
# --------------------------------------------------------------------------------------------


def _subject_of(tok: Any) -> Any | None:
    """The subject of *tok*; of two (an appositive parsed as a second subject) the nearer one."""
    subs = [c for c in tok.children if c.dep_ in {"nsubj", "csubj"}]
    if len(subs) > 1:
        before = [c for c in subs if c.i < tok.i]
        return max(before, key=lambda c: c.i) if before else subs[0]
    return subs[0] if subs else None


def _controller(tok: Any, idx: _DocIndex) -> list[_Party]:
    """The implicit subject of a clause without one (conjunct, xcomp control, participle)."""
    cur = tok
    for _ in range(4):
        subj = _subject_of(cur)
        if subj is not None and cur is not tok:
            return idx.resolve_np(subj)
        if cur.dep_ == "conj":
            cur = cur.head
            subj = _subject_of(cur) or next((c for c in cur.children if c.dep_ == "nsubjpass"), None)
            if subj is not None:
                if subj.dep_ == "nsubjpass":
                    agent = _agent(cur)
                    return idx.resolve_np(agent) if agent is not None else []
                return idx.resolve_np(subj)
            continue
        if cur.dep_ == "xcomp":
            parent = cur.head
            obj = next((c for c in parent.children if c.dep_ in {"dobj", "obj"}), None)
            if obj is not None and (
                parent.lemma_.lower() in _OBJECT_CONTROL
                or parent.lemma_.lower() not in {"want", "plan", "try", "seek", "hope"}
            ):
                parties = idx.resolve_np(obj)
                if parties:
                    return parties
            if parent.lemma_.lower() in {"call", "appeal"}:
                for c in parent.children:
                    if c.dep_ == "prep" and c.lower_ in {"on", "upon"}:
                        objs = [g for g in c.children if g.dep_ == "pobj"]
                        if objs:
                            return idx.resolve_np(objs[0])
            cur = parent
            subj = _subject_of(cur)
            if subj is not None:
                return idx.resolve_np(subj)
            continue
        if cur.dep_ in {"advcl", "acl", "pcomp"} and cur.tag_ in {"VBG", "VBN", "VB"}:
            cur = cur.head
            if cur.pos_ in {"NOUN", "PROPN"}:
                return []
            subj = _subject_of(cur)
            if subj is not None:
                return idx.resolve_np(subj)
            continue
        break
    return []


def _agent(tok: Any) -> Any | None:
    for c in tok.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def _prep_objects(tok: Any, preps: Iterable[str]) -> list[Any]:
    wanted = set(preps)
    out = []
    for c in tok.children:
        if c.dep_ in {"prep", "dative"} and c.lower_ in wanted:
            out.extend(g for g in c.children if g.dep_ == "pobj")
    return out


def _parties(cand: _Cand, idx: _DocIndex, etype: str) -> tuple[list[_Party], list[_Party]]:
    tok = cand.tok
    rule = cand.rule
    actors: list[_Party] = []
    recips: list[_Party] = []
    rprep = _RECIPIENT_PREPS.get(etype, ("to", "against"))
    if cand.kind == "verb":
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children)
        subj = _subject_of(tok)
        if passive:
            agent = _agent(tok)
            if agent is not None:
                actors = idx.resolve_np(agent)
            pat = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if pat is not None:
                recips = idx.resolve_np(pat)
        else:
            if subj is not None:
                actors = idx.resolve_np(subj)
            else:
                actors = _controller(tok, idx)
            objs = [c for c in tok.children if c.dep_ in {"dobj", "obj", "dative", "iobj"}]
            if rule.type == "MOBILIZE" or (
                rule.type == "RETREAT" and rule.mode in {"withdraw", "disarm", None}
            ):
                objs = [c for c in objs if c.dep_ != "dobj"]  # own forces withdrawn or deployed
            for o in objs:
                recips.extend(idx.resolve_np(o))
            if rule.objects is not None:  # "imposed sanctions on X": the object noun's target
                for o in _objects(tok):
                    for t in _prep_objects(o, rprep):
                        recips.extend(idx.resolve_np(t))
        for o in _prep_objects(tok, rprep):
            recips.extend(idx.resolve_np(o))
        if rule.host:
            actors, recips = recips, actors
        if rule.subject_is_recipient:
            frm = _prep_objects(tok, ("from",))
            recips = actors
            actors = [p for o in frm for p in idx.resolve_np(o)]
        if tok.lemma_.lower() in {"elect", "re-elect", "reelect"}:
            # the elected is the actor of ELECTION/won; voters or a body who elect are not coded
            pat = (
                next((c for c in tok.children if c.dep_ in {"nsubjpass"}), None)
                if passive
                else next((c for c in tok.children if c.dep_ in {"dobj", "obj"}), None)
            )
            actors = idx.resolve_np(pat) if pat is not None else []
            recips = []
        if etype == "ELECTION" and tok.lemma_.lower() in {
            "win",
            "lose",
            "garner",
            "get",
            "secure",
            "obtain",
            "receive",
        }:
            recips = [p for o in _prep_objects(tok, ("against", "over")) for p in idx.resolve_np(o)]
            for c in tok.children:  # "won ..., defeating X"
                if c.dep_ in {"advcl", "conj"} and c.lemma_.lower() in {
                    "defeat",
                    "beat",
                    "edge",
                    "trounce",
                }:
                    recips.extend(
                        p for o in c.children if o.dep_ in {"dobj", "obj"} for p in idx.resolve_np(o)
                    )
    else:
        sup = cand.support
        if sup is not None and cand.via == "light":
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in sup.children)
            if passive:
                agent = _agent(sup)
                actors = idx.resolve_np(agent) if agent is not None else []
            else:
                subj = _subject_of(sup)
                actors = idx.resolve_np(subj) if subj is not None else _controller(sup, idx)
            for o in _prep_objects(sup, rprep):
                recips.extend(idx.resolve_np(o))
            for c in sup.children:
                if c.dep_ in {"dative", "iobj"}:
                    recips.extend(idx.resolve_np(c))
        elif sup is not None and cand.via == "participle":
            agent = _agent(sup)
            actors = idx.resolve_np(agent) if agent is not None else []
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is not None and etype in _NOUN_PATIENT_TYPES and cand.via != "possessor":
            recips.extend(idx.resolve_np(poss))  # "his release", "Demirtas's detention"
        elif not actors and poss is not None:
            actors = idx.resolve_np(poss)
        if not actors:
            agent = _agent(tok)
            if agent is not None:
                actors = idx.resolve_np(agent)
        preps = rprep + (("of",) if etype in _NOUN_PATIENT_TYPES else ())
        for o in _prep_objects(tok, preps):
            recips.extend(idx.resolve_np(o))
        if etype == "CONSULT":
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "between":
                    for o in c.children:
                        if o.dep_ == "pobj":
                            actors.extend(idx.resolve_np(o))
    if cand.governed_by is not None and not actors:
        outer = cand.governed_by
        if cand.clause.dep_ == "xcomp" or cand.kind == "noun":
            actors = _controller(cand.clause, idx) if cand.kind == "verb" else []
            if not actors and outer.tok.lemma_.lower() not in _OBJECT_CONTROL:
                subj = _subject_of(outer.tok)
                actors = idx.resolve_np(subj) if subj is not None else []
    # de-duplicate, drop recipients who are actors
    seen: set[str] = set()
    actors = [p for p in actors if not (p.id in seen or seen.add(p.id))]  # type: ignore[func-returns-value]
    recips = [p for p in recips if p.id not in seen and not (p.id in seen or seen.add(p.id))]  # type: ignore[func-returns-value]
    return actors, recips


def _location(
    cand: _Cand,
    idx: _DocIndex,
    actors: list[_Party],
    recips: list[_Party],
    etype: str,
    mode: str | None,
    sent: Any,
    dateline: _Party | None,
) -> tuple[_Party | None, str]:
    places = idx.cues.place_entity_types
    for anchor in cand.anchors:
        for obj in _prep_objects(anchor, _LOCATION_PREPS):
            for p in idx.resolve_np(obj, allow_generic=False):
                if p.type in places:
                    return p, "preposition"
    if etype == "CONSULT" and mode == "visit":
        for p in recips:
            if p.type in places:
                return p, "recipient"
    taken = {p.id for p in actors} | {p.id for p in recips}
    cands: list[tuple[int, int, _Party]] = []
    recip_heads = set()
    for tok in sent:
        ent = idx.tok_ent[tok.i]
        if ent is None or ent.type not in places or ent.entity_id in taken or idx.in_quote[tok.i]:
            continue
        if tok.idx < idx.dateline_end:
            continue  # the dateline's place is the fallback, not a place named in the sentence
        recip_heads.add(tok.i)
        cands.append((0, abs(tok.i - cand.tok.i), _Party(ent.entity_id, ent.name, ent.type, "entity")))
    if cands:
        # prefer places inside a recipient's phrase ("Istanbul Mayor X") over the actor's
        actor_toks: set[int] = set()
        for tok in sent:
            if tok.dep_ in _SUBJECTS and tok.head.i == cand.clause.i:
                actor_toks.update(t.i for t in tok.subtree)
        best = min(
            cands,
            key=lambda c: (
                1
                if any(idx.tok_ent[i] is not None and idx.tok_ent[i].entity_id == c[2].id for i in actor_toks)
                else 0,
                c[1],
            ),
        )
        return best[2], "sentence"
    if dateline is not None:
        return dateline, "dateline"
    return None, ""


def _dateline(item: TextItem, idx: _DocIndex, entities: Sequence[Entity]) -> _Party | None:
    m = _DATELINE.match(item.text or "")
    if m is None:
        return None
    idx.dateline_end = idx.to_prepared(m.end())
    s, e = m.span("place")
    place = m.group("place").strip()
    for ent in entities:
        if ent.type not in idx.cues.place_entity_types:
            continue
        if any(s <= mm.start < e for mm in ent.mentions) or ent.name.lower() == place.lower():
            return _Party(ent.entity_id, ent.name, ent.type, "entity")
    return None


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


@dataclass
class _DateIndex:
    by_anchor: dict[int, list[temporal.TimeExpression]]
    spans: list[tuple[int, int, temporal.TimeExpression]]  # token ranges of expressions


def _index_dates(doc: Any, exprs: Sequence[temporal.TimeExpression], anchor_toks: set[int]) -> _DateIndex:
    by_anchor: dict[int, list[temporal.TimeExpression]] = {}
    spans: list[tuple[int, int, temporal.TimeExpression]] = []
    for ex in exprs:
        span = doc.char_span(ex.start, ex.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        spans.append((span.start, span.end, ex))
        cur = span.root
        anchor = None
        for _ in range(12):
            if cur.head is cur:
                break
            cur = cur.head
            if cur.i in anchor_toks:
                anchor = cur.i
                break
            if cur.pos_ in {"VERB", "AUX"} and cur.dep_ not in {
                "xcomp",
                "acl",
                "amod",
                "aux",
                "auxpass",
                "pcomp",
            }:
                anchor = cur.i
                break
        if anchor is not None:
            by_anchor.setdefault(anchor, []).append(ex)
    return _DateIndex(by_anchor, spans)


def _event_date(
    cand: _Cand,
    dates: _DateIndex,
    emitted_anchors: set[int],
    conj_dates: dict[int, tuple[temporal.TimeExpression, str]],
) -> tuple[temporal.TimeExpression | None, str]:
    own = [ex for a in cand.anchors for ex in dates.by_anchor.get(a.i, [])]
    if own:
        return min(own, key=lambda ex: abs(ex.start - cand.tok.idx)), "own"
    clause = cand.clause
    # a relative clause on a date ("March 31, when Turkey held elections")
    if clause.dep_ in {"relcl", "acl", "advcl"}:
        for s, e, ex in dates.spans:
            if s <= clause.head.i < e:
                return ex, "clause"
        if clause.dep_ == "relcl":  # "the March 31 election, which X won"
            noun = clause.head
            for s, e, ex in dates.spans:
                if noun.left_edge.i <= s and e <= noun.i:
                    return ex, "clause"
    # a conjoined clause shares its head's date ("visited X on Jan. 20 and congratulated him")
    if clause.dep_ == "conj" and clause.head.i in conj_dates:
        ex, _ = conj_dates[clause.head.i]
        return ex, "conjunct"
    # a nested, uncoded event noun carries the date ("in the election held on July 23, X won")
    for anchor in cand.anchors:
        for prep in anchor.children:
            if prep.dep_ != "prep":
                continue
            for t in prep.subtree:
                if t.i in dates.by_anchor and t.i not in emitted_anchors:
                    return dates.by_anchor[t.i][0], "nested"
    return None, ""


# --------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------


def _vote_share(tok: Any) -> tuple[str, str] | None:
    for o in tok.subtree:
        if o.lower_ in {"percent", "%", "per"}:
            num = next((c for c in o.children if c.dep_ in {"nummod", "quantmod"} and c.like_num), None)
            if num is None and o.i > 0 and o.doc[o.i - 1].like_num:
                num = o.doc[o.i - 1]
            if num is not None and (m := _PERCENT.search(num.text)):
                qual = " ".join(
                    c.text for c in num.children if c.dep_ in {"advmod", "quantmod", "amod"}
                ).lower()
                if not qual:
                    qual = " ".join(
                        c.text for c in o.children if c.dep_ in {"amod", "quantmod", "advmod"}
                    ).lower()
                return m.group(1).replace(",", "."), qual
    return None


def _paragraph_bounds(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """Restrict a sentence span to the paragraph holding *pos* and trim whitespace."""
    para_start = text.rfind("\n", start, pos)
    if para_start != -1:
        start = para_start + 1
    para_end = text.find("\n", pos, end)
    if para_end != -1:
        end = para_end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _contexts(rule_ctx: Iterable[str], sent_ctx: set[str], etype: str, tax: Taxonomy) -> tuple[str, ...]:
    out = list(dict.fromkeys([*rule_ctx, *sorted(sent_ctx)]))
    if etype == "ELECTION" and "election" not in out:
        out.insert(0, "election")
    return tuple(c for c in out if c in tax.contexts)


def _confidence(
    strength: float,
    actors: list[_Party],
    recips: list[_Party],
    requires_recipient: bool,
    has_date: bool,
    has_loc: bool,
    mode: str | None,
) -> float:
    score = 0.35 * strength
    if actors:
        score += 0.3
        if all(p.via == "pronoun" for p in actors):
            score -= 0.05
        if all(p.via == "generic" for p in actors):
            score -= 0.05
    if recips:
        score += 0.15
    elif not requires_recipient:
        score += 0.08
    score += 0.1 if has_date else 0.0
    score += 0.05 if has_loc else 0.0
    score += 0.05 if mode else 0.0
    return round(min(max(score, 0.05), 0.99), 3)


def _derived_mode(outer_type: str, inner_type: str, inner_mode: str | None) -> str | None:
    if outer_type == "THREATEN":
        return _THREAT_MODES.get((inner_type, inner_mode)) or _THREAT_MODES.get((inner_type, None))
    if outer_type in {"REQUEST", "REJECT"}:
        if inner_type in _YIELD_TYPES:
            return "yield"
        if inner_type == "CONSULT":
            return "meet"
        if inner_type in _ASSIST_TYPES:
            return "assist"
        if inner_type in _CHANGE_TYPES or inner_mode == "resign":
            return "change"
    return None


_HASHES: dict[int, Any] = {}


def _lemma_hashes(tax: Taxonomy) -> Any:
    """The trigger lemmas as spaCy string hashes (lower-case and capitalised), computed once."""
    if id(tax) not in _HASHES:
        words = {w for lemma in tax.trigger_lemmas for w in (lemma, lemma.capitalize())}
        _HASHES[id(tax)] = numpy.array(sorted(hash_string(w) for w in words), dtype="uint64")
    return _HASHES[id(tax)]


def extract_quotes(doc: Any, prepared: Prepared, entities: Sequence[Entity]) -> tuple[Quote, ...]:
    """Only the quotations of a document (see :func:`extract`)."""
    return extract(doc, prepared, entities, TextItem(id="", text=prepared.original))[1]


def extract(
    doc: Any, prepared: Prepared, entities: Sequence[Entity], item: TextItem
) -> tuple[tuple[Event, ...], tuple[Quote, ...]]:
    """Code the events and attribute the quotations of one document.

    Args:
        doc: the spaCy ``Doc`` made on ``prepared.text`` (sentences, parse, lemmas); not re-parsed.
        prepared: the prepared text and its offset map to the original.
        entities: the document's entities; their mentions carry ORIGINAL offsets.
        item: the input item (its ``published_at`` resolves dates; never the clock).

    Returns:
        ``(events, quotes)``: events in text order with ORIGINAL offsets of their evidence sentence,
        and the direct quotations with their speakers.
    """
    tax = load_taxonomy()
    idx = _DocIndex(doc, prepared, entities, tax)
    original = prepared.original

    # quotations first: their tokens are not coded as events
    spans = _quotes.find_quotes(original)
    for q in spans:
        qs, qe = idx.to_prepared(q.open_mark), idx.to_prepared(q.region_end)
        span = doc.char_span(qs, qe, alignment_mode="expand")
        if span is not None:
            for t in span:
                idx.in_quote[t.i] = True
    quotes = _quotes.attribute_quotes(
        doc, original, spans, idx.to_prepared, idx.speaker, tax.cues.quote_verbs
    )

    # only tokens whose lemma is a trigger word, found on the lemma array (no Token objects)
    table = _lemma_hashes(tax)
    lemma_ids = doc.to_array("LEMMA")
    pos = numpy.minimum(numpy.searchsorted(table, lemma_ids), len(table) - 1)
    hits = numpy.nonzero(table[pos] == lemma_ids)[0]
    if not len(hits):
        return (), quotes
    sents = list(doc.sents)
    starts = [s.start for s in sents]
    by_sent: dict[int, tuple[Any, list[Any]]] = {}
    for i in hits.tolist():
        k = bisect.bisect_right(starts, i) - 1
        by_sent.setdefault(k, (sents[k], []))[1].append(doc[i])

    cands: list[_Cand] = []
    sent_of: dict[int, Any] = {}
    for sent, toks in by_sent.values():
        sc = _candidates(doc, idx, sent, toks)
        for c in sc:
            sent_of[id(c)] = sent
        cands.extend(sc)
    if not cands:
        return (), quotes
    _link_governed(cands)

    exprs = temporal.find_time_expressions(prepared.text, item.published_at)
    anchor_toks = {a.i for c in cands for a in c.anchors}
    dates = _index_dates(doc, exprs, anchor_toks)
    dateline = _dateline(item, idx, entities)

    # decide types (PLOVER future rules, governed actions)
    for c in cands:
        c.event_type, c.mode = c.rule.type, c.mode or c.rule.mode
    for c in cands:
        if c.rule.governs:
            for inner in c.governs:
                if c.event_type == "AGREE" and inner.event_type in _COOPERATIVE | _YIELD_TYPES:
                    inner.absorbed = True
                    c.attributes["planned_type"] = str(inner.event_type)
                    if inner.mode:
                        c.attributes["planned_mode"] = inner.mode
                    if inner.event_type in _YIELD_TYPES:
                        c.event_type = "CONCEDE"
                else:
                    derived = _derived_mode(str(c.event_type), str(inner.event_type), inner.mode)
                    if derived and (c.mode is None):
                        c.mode = derived

    events: list[tuple[_Cand, dict[str, Any]]] = []
    emitted_anchor_set: set[int] = set()
    conj_dates: dict[int, tuple[temporal.TimeExpression, str]] = {}
    pre: list[tuple[_Cand, dict[str, Any]]] = []
    for c in cands:
        if c.absorbed or c.event_type is None:
            continue
        etype = str(c.event_type)
        negated, modality = _modality(c, tax.cues)
        hypothetical = negated or modality != "asserted" or c.governed_by is not None
        mode = c.mode
        attrs: dict[str, str] = dict(c.attributes)
        if c.governed_by is not None:
            attrs["governed_by"] = str(c.governed_by.event_type)
            modality = {
                "THREATEN": "threatened",
                "REQUEST": "demanded",
                "REJECT": "refused",
                "AGREE": "promised",
            }.get(str(c.governed_by.event_type), "governed")
        elif modality in {"future", "planned"} and not negated:
            if etype in {"CONSULT", "SUPPORT", "COOPERATE", "AID"}:
                attrs["planned_type"], etype = etype, "AGREE"
                if mode:
                    attrs["planned_mode"] = mode
                mode = None
            elif etype == "RETREAT":
                attrs["planned_type"], etype = etype, "CONCEDE"
                if mode:
                    attrs["planned_mode"] = mode
                mode = None
            elif etype in _CONFLICTUAL_FUTURE:
                attrs["planned_type"] = etype
                if mode:
                    attrs["planned_mode"] = mode
                mode = _THREAT_MODES.get((etype, mode)) or _THREAT_MODES.get((etype, None))
                etype = "THREATEN"
        if modality != "asserted":
            attrs["modality"] = modality
        actors, recips = _parties(c, idx, etype)
        if not actors and not recips:
            continue
        info = {
            "etype": etype,
            "mode": mode,
            "negated": negated,
            "hypothetical": hypothetical,
            "attrs": attrs,
            "actors": actors,
            "recips": recips,
            "modality": modality,
        }
        pre.append((c, info))
        emitted_anchor_set.update(a.i for a in c.anchors)

    # outer intent events take their recipient from the governed action when they name none
    for c, info in pre:
        if c.rule.governs and not info["recips"]:
            for inner in c.governs:
                inner_info = next((i for cc, i in pre if cc is inner), None)
                if inner_info is None:
                    continue
                cand_recips = inner_info["actors"] if inner.clause.dep_ == "ccomp" else inner_info["recips"]
                ids = {p.id for p in info["actors"]}
                info["recips"] = [p for p in cand_recips if p.id not in ids]
                if info["recips"]:
                    break

    for c, info in sorted(pre, key=lambda x: x[0].tok.i):
        ex, via = _event_date(c, dates, emitted_anchor_set - {a.i for a in c.anchors}, conj_dates)
        if ex is not None:
            conj_dates[c.clause.i] = (ex, via)
        info["date"] = (ex, via)
        events.append((c, info))

    out: list[Event] = []
    seen: dict[tuple[Any, ...], int] = {}
    sent_ctx_cache: dict[int, set[str]] = {}
    for c, info in events:
        etype = info["etype"]
        mode = info["mode"]
        ttype = tax.types[etype]
        attrs = info["attrs"]
        actors: list[_Party] = info["actors"]
        recips: list[_Party] = info["recips"]
        sent = sent_of[id(c)]
        if ttype.reciprocal and mode != "visit" and not c.rule.host:
            ids = {p.id for p in actors}
            actors = actors + [p for p in recips if p.id not in ids]
            recips = []
        ex, via = info["date"]
        if ex is not None and info["modality"] in {
            "future",
            "planned",
            "threatened",
            "demanded",
            "promised",
            "governed",
        }:
            ex = temporal.reread_future(ex, item.published_at)
        event_date: date | None = ex.value if ex is not None else None
        precision = ex.precision if ex is not None else None
        if ex is None:
            attrs["date_source"] = "none"
        else:
            attrs["date_source"] = ex.kind
            attrs["date_text"] = ex.text
            if via != "own":
                attrs["date_via"] = via
            if ex.year_source:
                attrs["year_source"] = ex.year_source
        # claim source
        claim_tok, denied = _claim_source_token(c, tax.cues, sent)
        claim: _Party | None = None
        if claim_tok is not None:
            parties = idx.resolve_np(claim_tok)
            claim = parties[0] if parties else None
            if denied:
                attrs["claim"] = "denied"
        hypothetical = info["hypothetical"] or denied
        loc, loc_source = _location(c, idx, actors, recips, etype, mode, sent, dateline)
        if loc is not None:
            attrs["location_source"] = loc_source
        if etype == "ELECTION":
            share = _vote_share(c.tok)
            if share is not None:
                attrs["vote_share"] = share[0]
                if share[1]:
                    attrs["vote_share_qualifier"] = share[1]
                if mode == "result" and float(share[0]) > 50:
                    mode = "won"
        if sent.start not in sent_ctx_cache:
            sent_ctx_cache[sent.start] = {
                tax.cues.context_cues[t.lemma_.lower()]
                for t in sent
                if t.lemma_.lower() in tax.cues.context_cues
            }
        contexts = _contexts(c.rule.contexts, sent_ctx_cache[sent.start], etype, tax)
        s0, e0 = prepared.span(sent.start_char, sent.end_char)
        t0, t1 = prepared.span(c.tok.idx, c.tok.idx + len(c.tok))
        s0, e0 = _paragraph_bounds(original, s0, e0, t0)
        attrs["trigger_start"], attrs["trigger_end"] = str(t0), str(t1)
        if c.support is not None:
            attrs["support"] = c.support.text
        cameo = ttype.cameo_code(mode)
        if cameo:
            attrs["cameo_code"] = cameo
        conf = _confidence(
            c.rule.strength,
            actors,
            recips,
            ttype.requires_recipient,
            event_date is not None,
            loc is not None,
            mode,
        )
        event = Event(
            event_type=etype,
            mode=mode,
            contexts=contexts,
            cameo_root=ttype.cameo_root_for(mode),
            actor_ids=tuple(p.id for p in actors),
            actor_names=tuple(p.name for p in actors),
            recipient_ids=tuple(p.id for p in recips),
            recipient_names=tuple(p.name for p in recips),
            event_date=event_date,
            date_precision=precision,
            location_id=loc.id if loc is not None else None,
            location_name=loc.name if loc is not None else None,
            negated=bool(info["negated"]),
            hypothetical=bool(hypothetical),
            claim_source_id=claim.id if claim is not None else None,
            claim_source_name=claim.name if claim is not None else None,
            sentence=original[s0:e0],
            start=s0,
            end=e0,
            confidence=conf,
            trigger=original[t0:t1],
            attributes=attrs,
        )
        key = (
            etype,
            mode,
            frozenset(event.actor_ids),
            frozenset(event.recipient_ids),
            event_date,
            event.hypothetical,
        )
        if key in seen:
            k = seen[key]
            prev = out[k]
            prev.attributes["mentions"] = str(int(prev.attributes.get("mentions", "1")) + 1)
            if prev.location_id is None and event.location_id is not None:
                out[k] = Event(
                    **{
                        **prev.__dict__,
                        "location_id": event.location_id,
                        "location_name": event.location_name,
                    }
                )
            continue
        seen[key] = len(out)
        out.append(event)
    return tuple(out), quotes


def cluster_key(event: Event) -> str:
    """A deterministic id shared by reports of the same real-world event.

    Two events get the same key when they have the same type, the same set of actors, the same
    set of recipients, the same date and precision, the same place and the same factuality
    (a planned meeting does not merge with the meeting). Mode, wording, confidence and source
    do not count.

    Args:
        event: a coded event.

    Returns:
        ``"evc_"`` followed by 20 hexadecimal digits.
    """
    parts = [
        event.event_type,
        ",".join(sorted(set(event.actor_ids))),
        ",".join(sorted(set(event.recipient_ids))),
        event.event_date.isoformat() if event.event_date else "-",
        event.date_precision or "-",
        event.location_id or "-",
        "h" if event.hypothetical else "f",
    ]
    return "evc_" + hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:20]


EXTRACTOR_VERSION = "events-1"
extract.version = EXTRACTOR_VERSION  # type: ignore[attr-defined]  # read by Annotator's extractor_version
