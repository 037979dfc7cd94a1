"""The event taxonomy: PLOVER types, modes and contexts, the newspipe extensions, CAMEO roots, and
the trigger lexicon that maps verbs and event nouns to them.

Everything is read once from the YAML files in ``pipeline/nlp/taxonomy/`` (packaged data) and
compiled into frozen lookup tables, so the extractor pays only dictionary look-ups per token.
See ``docs/taxonomy.md`` for the analysts' view.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

_PACKAGE = "pipeline.nlp"
_DATA_DIR = "taxonomy"


@dataclass(frozen=True)
class Mode:
    """One mode (the "how") of an event type."""

    name: str
    cameo: str | None = None
    description: str = ""


@dataclass(frozen=True)
class EventType:
    """One event type (the "what") with its CAMEO root and modes."""

    name: str
    source: str  # "plover" or "extension"
    quad: str
    cameo_root: str | None
    requires_recipient: bool
    description: str
    modes: Mapping[str, Mode]
    reciprocal: bool = False
    cameo_match: str = "exact"

    def cameo_code(self, mode: str | None) -> str | None:
        """The finest CAMEO code known for this type and *mode* (may be the two-digit root)."""
        if mode and mode in self.modes and self.modes[mode].cameo:
            return self.modes[mode].cameo
        return self.cameo_root

    def cameo_root_for(self, mode: str | None) -> str | None:
        """The two-digit CAMEO root for this type and *mode* (``None`` when CAMEO has none)."""
        code = self.cameo_code(mode)
        return code[:2] if code else None


@dataclass(frozen=True)
class TriggerRule:
    """One way a trigger word codes an event; conditions are all optional."""

    type: str | None  # None: the rule blocks the word ("released a statement")
    mode: str | None = None
    contexts: tuple[str, ...] = ()
    strength: float = 0.8
    objects: frozenset[str] | None = None
    preps: Mapping[str, frozenset[str]] | None = None
    particles: frozenset[str] | None = None
    complements: frozenset[str] | None = None
    governs: bool = False
    host: bool = False
    subject_is_recipient: bool = False
    only_verbs: frozenset[str] | None = None  # nouns: the support verbs allowed
    plural_only: bool = False  # nouns: "talks" but not "talk"
    requires_context: str | None = None  # nouns: only in a sentence with this context's cue words
    verb_overrides: Mapping[str, TriggerRule] = field(default_factory=dict)

    @property
    def conditional(self) -> bool:
        """Whether the rule needs a context (object, preposition, particle, complement)."""
        return bool(self.objects or self.preps or self.particles or self.complements)


@dataclass(frozen=True)
class Cues:
    """Non-trigger word lists (speech verbs, modality, generic actors, context cues)."""

    speech_verbs: frozenset[str]
    quote_verbs: frozenset[str]
    future_auxiliaries: frozenset[str]
    modal_auxiliaries: frozenset[str]
    planning_verbs: frozenset[str]
    conditional_marks: frozenset[str]
    negators: frozenset[str]
    failure_verbs: frozenset[str]
    generic_actors: frozenset[str]
    actor_entity_types: frozenset[str]
    place_entity_types: frozenset[str]
    person_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    context_cues: Mapping[str, str]  # lemma -> context


@dataclass(frozen=True)
class Taxonomy:
    """Types, contexts, the trigger lexicon and cues, compiled for look-up."""

    version: str
    types: Mapping[str, EventType]
    contexts: Mapping[str, str]
    verb_rules: Mapping[str, tuple[TriggerRule, ...]]
    noun_rules: Mapping[str, TriggerRule]
    light_verbs: frozenset[str]
    reporting_participles: frozenset[str]
    cues: Cues

    @functools.cached_property
    def trigger_lemmas(self) -> frozenset[str]:
        """Every lemma that can start a trigger (verbs and nouns)."""
        return frozenset(self.verb_rules) | frozenset(self.noun_rules)

    def event_type(self, name: str) -> EventType:
        """Return the :class:`EventType` called *name* (KeyError if unknown)."""
        return self.types[name]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML without the 1.1 booleans on/off/yes/no: they are particles and negators here."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in _Loader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def _read_yaml(name: str) -> dict[str, Any]:
    text = resources.files(_PACKAGE).joinpath(_DATA_DIR, name).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    if not isinstance(data, dict):
        raise ValueError(f"taxonomy file {name} must hold a mapping")
    return data


def _lemmas(values: Any) -> frozenset[str] | None:
    if values is None:
        return None
    return frozenset(str(v).lower() for v in values)


_NOT_INHERITED = frozenset({"verbs", "only_verbs", "type", "mode"})


def _rule(raw: Mapping[str, Any]) -> TriggerRule:
    preps = raw.get("preps")
    overrides = {
        str(verb): _rule({**{k: v for k, v in raw.items() if k not in _NOT_INHERITED}, **sub})
        for verb, sub in (raw.get("verbs") or {}).items()
    }
    return TriggerRule(
        type=raw.get("type"),
        mode=raw.get("mode"),
        contexts=tuple(raw.get("contexts") or ()),
        strength=float(raw.get("strength", 0.8)),
        objects=_lemmas(raw.get("objects")) or None,
        preps={str(p): frozenset(str(o).lower() for o in objs or ()) for p, objs in preps.items()} or None
        if preps
        else None,
        particles=_lemmas(raw.get("particles")) or None,
        complements=_lemmas(raw.get("complements")) or None,
        governs=bool(raw.get("governs", False)),
        host=bool(raw.get("host", False)),
        subject_is_recipient=bool(raw.get("subject_is_recipient", False)),
        only_verbs=_lemmas(raw.get("only_verbs")),
        plural_only=bool(raw.get("plural_only", False)),
        requires_context=raw.get("requires_context"),
        verb_overrides=overrides,
    )


def _validate(types: Mapping[str, EventType], contexts: Mapping[str, str], rules: list[TriggerRule]) -> None:
    for rule in rules:
        for r in (rule, *rule.verb_overrides.values()):
            if r.type is None:
                continue
            if r.type not in types:
                raise ValueError(f"trigger rule names unknown event type {r.type!r}")
            if r.mode is not None and r.mode not in types[r.type].modes:
                raise ValueError(f"trigger rule names unknown mode {r.type}/{r.mode}")
            unknown = [c for c in r.contexts if c not in contexts]
            if unknown:
                raise ValueError(f"trigger rule names unknown contexts {unknown}")


@functools.lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """Load and validate the packaged taxonomy (cached: read once per process).

    Returns:
        The compiled :class:`Taxonomy`.

    Raises:
        ValueError: when a trigger names a type, mode or context the taxonomy does not define.
    """
    raw_types = _read_yaml("types.yaml")
    raw_triggers = _read_yaml("triggers.yaml")
    raw_cues = _read_yaml("cues.yaml")

    types: dict[str, EventType] = {}
    for name, spec in raw_types["types"].items():
        modes = {
            str(m): Mode(str(m), (ms or {}).get("cameo"), (ms or {}).get("description", ""))
            for m, ms in (spec.get("modes") or {}).items()
        }
        types[name] = EventType(
            name=name,
            source=spec["source"],
            quad=spec["quad"],
            cameo_root=spec.get("cameo_root"),
            requires_recipient=bool(spec.get("requires_recipient", False)),
            description=" ".join(str(spec.get("description", "")).split()),
            modes=modes,
            reciprocal=bool(spec.get("reciprocal", False)),
            cameo_match=spec.get("cameo_match", "exact"),
        )
    contexts = {str(k): str(v) for k, v in raw_types["contexts"].items()}

    verb_rules: dict[str, tuple[TriggerRule, ...]] = {}
    for lemma, spec in raw_triggers["verbs"].items():
        specs = spec if isinstance(spec, list) else [spec]
        verb_rules[str(lemma).lower()] = tuple(_rule(s) for s in specs)
    noun_rules = {str(lemma).lower(): _rule(spec) for lemma, spec in raw_triggers["nouns"].items()}

    all_rules = [r for rs in verb_rules.values() for r in rs] + list(noun_rules.values())
    _validate(types, contexts, all_rules)

    cue_contexts: dict[str, str] = {}
    for ctx, words in (raw_cues.get("context_cues") or {}).items():
        if ctx not in contexts:
            raise ValueError(f"context cue names unknown context {ctx!r}")
        for w in words:
            cue_contexts.setdefault(str(w).lower(), ctx)
    pron = raw_cues["pronouns"]
    cues = Cues(
        speech_verbs=frozenset(raw_cues["speech_verbs"]),
        quote_verbs=frozenset(raw_cues["quote_verbs"]) | frozenset(raw_cues["speech_verbs"]),
        future_auxiliaries=frozenset(raw_cues["future_auxiliaries"]),
        modal_auxiliaries=frozenset(raw_cues["modal_auxiliaries"]),
        planning_verbs=frozenset(raw_cues["planning_verbs"]),
        conditional_marks=frozenset(raw_cues["conditional_marks"]),
        negators=frozenset(raw_cues["negators"]),
        failure_verbs=frozenset(raw_cues["failure_verbs"]),
        generic_actors=frozenset(raw_cues["generic_actors"]),
        actor_entity_types=frozenset(raw_cues["actor_entity_types"]),
        place_entity_types=frozenset(raw_cues["place_entity_types"]),
        person_pronouns=frozenset(pron["person"]),
        thing_pronouns=frozenset(pron["thing"]),
        group_pronouns=frozenset(pron["group"]),
        context_cues=cue_contexts,
    )
    return Taxonomy(
        version=str(raw_types.get("version", "")),
        types=types,
        contexts=contexts,
        verb_rules=verb_rules,
        noun_rules=noun_rules,
        light_verbs=frozenset(raw_triggers["light_verbs"]),
        reporting_participles=frozenset(raw_triggers.get("reporting_participles") or ()),
        cues=cues,
    )
