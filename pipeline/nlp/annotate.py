"""Annotate texts: spaCy NER + the knowledge base -> canonical entities (+ the event stage).

Public API::

    annotator = load_annotator()                      # cached per process (model from settings)
    for annotation in annotator.annotate(items):      # streams, input order, nlp.pipe batches
        annotation_to_json(annotation)

What the event stage receives
-----------------------------
``event_stage(doc, prepared, entities, item) -> (events, quotes)`` is called once per document
with:

* ``doc``: the spaCy ``Doc`` made on ``prepared.text`` (all pipes of the model ran: tagger,
  parser, lemmatizer, NER). Its ``doc.ents`` has been REWRITTEN with the resolved entities:
  each span's ``label_`` is the entity type and ``kb_id_`` the ``Entity.entity_id``; the
  model's other spans (DATE, TIME, MONEY, CARDINAL, ...) are kept where they do not overlap.
  So ``token.ent_kb_id_`` already names the entity of a token.
* ``prepared``: :class:`~pipeline.nlp.textprep.Prepared`; ``prepared.span(s, e)`` maps a doc
  character span to the original text (``Event``/``Quote`` offsets must index the original).
* ``entities``: the resolved :class:`~pipeline.nlp.records.Entity` tuple (original offsets).
* ``item``: the :class:`~pipeline.nlp.records.TextItem` (``published_at`` for dates).

To find the entity of a token or a doc offset:

* ``token._.entity`` -> ``Entity | None`` (and ``token._.mention`` -> ``Mention | None``);
* ``span._.entities`` -> entities with a mention overlapping the span (e.g. a sentence);
* ``doc._.entity_index`` -> :class:`~pipeline.nlp.entities.EntityIndex` with
  ``.at(doc_char_offset)``, ``.mention_at(...)`` and ``.in_span(start, end)``;
* :func:`entity_at(doc, doc_char_offset) <entity_at>` is the same as a function.

A HANDLE or HASHTAG entity tied to an actor carries that actor's id in ``linked_entity_id``,
its ``wikidata_id``, and its name as the alias.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from pipeline.config import settings
from pipeline.nlp.entities import (
    CODE_VERSION,
    NER_TYPES,
    EntityIndex,
    resolve_entities,
)
from pipeline.nlp.kb import KnowledgeBase, load_kb
from pipeline.nlp.records import Annotation, Entity, Event, Mention, Quote, TextItem
from pipeline.nlp.textprep import Prepared, prepare

EventStage = Callable[
    [Doc, Prepared, Sequence[Entity], TextItem], tuple[tuple[Event, ...], tuple[Quote, ...]]
]

__all__ = [
    "Annotator",
    "EventStage",
    "annotation_to_json",
    "entity_at",
    "extractor_version",
    "load_annotator",
]


def _token_entity(token: Token) -> Entity | None:
    index: EntityIndex | None = token.doc._.entity_index
    return index.at(token.idx) if index is not None else None


def _token_mention(token: Token) -> Mention | None:
    index: EntityIndex | None = token.doc._.entity_index
    hit = index.mention_at(token.idx) if index is not None else None
    return hit[1] if hit else None


def _span_entities(span: Span) -> list[Entity]:
    index: EntityIndex | None = span.doc._.entity_index
    return index.in_span(span.start_char, span.end_char) if index is not None else []


def _register_extensions() -> None:
    if not Doc.has_extension("entity_index"):
        Doc.set_extension("entity_index", default=None)
    if not Token.has_extension("entity"):
        Token.set_extension("entity", getter=_token_entity)
    if not Token.has_extension("mention"):
        Token.set_extension("mention", getter=_token_mention)
    if not Span.has_extension("entities"):
        Span.set_extension("entities", getter=_span_entities)


_register_extensions()


def entity_at(doc: Doc, doc_char_offset: int) -> Entity | None:
    """The entity with a mention covering a character offset of ``doc.text`` (if any)."""
    index: EntityIndex | None = doc._.entity_index
    return index.at(doc_char_offset) if index is not None else None


def extractor_version(kb: KnowledgeBase, event_stage: object = None) -> str:
    """Version of the extraction rules: code version + KB hash (+ the event stage's version)."""
    version = f"{CODE_VERSION}+kb.{kb.version}"
    stage_version = getattr(event_stage, "version", None)
    if stage_version:
        version += f"+{stage_version}"
    return version


class Annotator:
    """Turns :class:`TextItem` s into :class:`Annotation` s (entities, events, quotes).

    Args:
        nlp: a loaded spaCy pipeline; loaded with ``spacy.load(model)`` when ``None``.
        kb: the knowledge base; the packaged one when ``None``.
        model: spaCy package name; default ``settings().nlp_model`` (env ``NLP_MODEL``).
        batch_size: documents per ``nlp.pipe`` batch; default ``settings().nlp_batch_size``.
        event_stage: optional hook ``(doc, prepared, entities, item) -> (events, quotes)``.
    """

    def __init__(
        self,
        nlp: Language | None = None,
        kb: KnowledgeBase | None = None,
        *,
        model: str | None = None,
        batch_size: int | None = None,
        event_stage: EventStage | None = None,
    ) -> None:
        cfg = settings()
        if nlp is None:
            nlp = spacy.load(model or cfg.nlp_model)
        self.nlp = nlp
        self.kb = kb if kb is not None else load_kb()
        self.batch_size = batch_size or cfg.nlp_batch_size
        self.event_stage = event_stage
        meta = nlp.meta
        self.model = f"{meta.get('lang', '')}_{meta.get('name', '')}".strip("_") or (model or "")
        self.model_version = str(meta.get("version", ""))
        self.extractor_version = extractor_version(self.kb, event_stage)

    def annotate(self, items: Iterable[TextItem]) -> Iterator[Annotation]:
        """Annotate *items* lazily, in input order, running ``nlp.pipe`` in batches.

        Only one batch of Docs is alive at a time, so memory stays flat on long streams. A
        document the stages fail on yields an annotation with ``error`` set instead of ending
        the stream.
        """
        pairs = ((prep.text, (item, prep)) for item, prep in _prepared(items))
        for doc, (item, prep) in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            try:
                annotation = self.annotate_doc(doc, prep, item)
            except Exception as exc:  # one document's failure is reported, the stream goes on
                annotation = self.failed(item.id, exc)
            yield annotation

    def failed(self, id: str, exc: BaseException) -> Annotation:
        """The annotation of a document the stages could not handle: only ``error`` is set."""
        return Annotation(
            id=id,
            entities=(),
            model=self.model,
            model_version=self.model_version,
            extractor_version=self.extractor_version,
            error=f"{type(exc).__name__}: {exc}"[:500],
        )

    def annotate_doc(self, doc: Doc, prepared: Prepared, item: TextItem) -> Annotation:
        """Entities (and events/quotes through the hook) of one Doc made on ``prepared.text``."""
        result = resolve_entities(doc, prepared, self.kb)
        doc._.entity_index = result.index
        _rewrite_ents(doc, result.spans)
        events: tuple[Event, ...] = ()
        quotes: tuple[Quote, ...] = ()
        if self.event_stage is not None:
            events, quotes = self.event_stage(doc, prepared, result.entities, item)
        return Annotation(
            id=item.id,
            entities=result.entities,
            events=tuple(events),
            quotes=tuple(quotes),
            model=self.model,
            model_version=self.model_version,
            extractor_version=self.extractor_version,
        )

    def annotate_text(self, text: str, id: str = "") -> Annotation:
        """Convenience: annotate one string."""
        return next(self.annotate([TextItem(id=id, text=text)]))


def _prepared(items: Iterable[TextItem]) -> Iterator[tuple[TextItem, Prepared]]:
    for item in items:
        yield item, prepare(item.text or "")


def _rewrite_ents(doc: Doc, spans: Sequence[tuple[int, int, str, str]]) -> None:
    """Replace the model's kept-type spans in ``doc.ents`` by the resolved entities."""
    new: list[Span] = []
    for start, end, label, kb_id in spans:
        span = doc.char_span(start, end, label=label, kb_id=kb_id, alignment_mode="expand")
        if span is not None:
            new.append(span)
    covered = {i for sp in new for i in range(sp.start, sp.end)}
    for ent in doc.ents:
        if ent.label_ not in NER_TYPES and not any(i in covered for i in range(ent.start, ent.end)):
            new.append(ent)
    doc.set_ents(filter_spans(new), default="outside")


@lru_cache(maxsize=4)
def load_annotator(
    model: str | None = None,
    batch_size: int | None = None,
    event_stage: EventStage | None = None,
) -> Annotator:
    """An :class:`Annotator` for *model* (default from settings), built once per process."""
    return Annotator(model=model, batch_size=batch_size, event_stage=event_stage)


def annotation_to_json(a: Annotation) -> dict[str, Any]:
    """A JSON-ready dict of an annotation (entities with mentions, events, quotes)."""
    return {
        "id": a.id,
        "model": a.model,
        "model_version": a.model_version,
        "extractor_version": a.extractor_version,
        "entities": [
            {
                "id": e.entity_id,
                "name": e.name,
                "type": e.type,
                "wikidata_id": e.wikidata_id,
                "aliases": list(e.aliases),
                "linked_entity_id": e.linked_entity_id,
                "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in e.mentions],
            }
            for e in a.entities
        ],
        "events": [
            {
                "type": ev.event_type,
                "mode": ev.mode,
                "contexts": list(ev.contexts),
                "actors": list(ev.actor_names),
                "recipients": list(ev.recipient_names),
                "date": ev.event_date.isoformat() if ev.event_date else None,
                "date_precision": ev.date_precision,
                "location": ev.location_name,
                "negated": ev.negated,
                "hypothetical": ev.hypothetical,
                "evidence": ev.sentence,
                "confidence": ev.confidence,
                "start": ev.start,
                "end": ev.end,
            }
            for ev in a.events
        ],
        "quotes": [
            {"speaker": q.speaker_name, "text": q.text, "start": q.start, "end": q.end} for q in a.quotes
        ],
    }
