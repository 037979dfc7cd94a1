"""Typed records of the enrichment stages (shared by entities, events and quotes).

Offsets (``start``/``end``) always index the original text handed to the annotator (the stored
article body), never the text prepared for the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class TextItem:
    """One input to the annotator."""

    id: str
    text: str
    published_at: datetime | None = None
    title: str | None = None


@dataclass(frozen=True)
class Mention:
    """One place in the text that names an entity."""

    text: str
    start: int
    end: int
    sentence_index: int


@dataclass(frozen=True)
class Entity:
    """A canonical entity named in one document, with all its mentions there.

    ``entity_id`` is the knowledge-base id (``Q…`` based) when linked, otherwise a stable id
    derived from the normalized name and type, so an unknown person is one entity everywhere.
    """

    entity_id: str
    name: str
    type: str  # PERSON, ORG, GPE, LOC, NORP, EVENT, HANDLE, HASHTAG, ...
    wikidata_id: str | None
    mentions: tuple[Mention, ...]
    aliases: tuple[str, ...] = ()
    linked_entity_id: str | None = None  # HANDLE/HASHTAG: the actor it stands for, when known


@dataclass(frozen=True)
class Event:
    """A coded political event (PLOVER type and mode, CAMEO root) with its evidence."""

    event_type: str
    mode: str | None
    contexts: tuple[str, ...]
    cameo_root: str | None
    actor_ids: tuple[str, ...]
    actor_names: tuple[str, ...]
    recipient_ids: tuple[str, ...]
    recipient_names: tuple[str, ...]
    event_date: date | None
    date_precision: str | None  # "day", "month", "year" or None when no time is stated
    location_id: str | None
    location_name: str | None
    negated: bool
    hypothetical: bool
    claim_source_id: str | None
    claim_source_name: str | None
    sentence: str
    start: int
    end: int
    confidence: float
    trigger: str = ""
    attributes: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Quote:
    """A direct quotation attributed to a speaker."""

    speaker_id: str | None
    speaker_name: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Annotation:
    """Everything the enrichment stages found in one document."""

    id: str
    entities: tuple[Entity, ...]
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    model: str = ""
    model_version: str = ""
    extractor_version: str = ""
    error: str | None = None  # set when the document could not be annotated (all else empty)
