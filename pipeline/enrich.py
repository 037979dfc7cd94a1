"""Enrichment: annotate article versions with entities, events and quotes, and load the results.

* :func:`enrich_pending` annotates every article version not yet annotated by the current
  extractor version (model + knowledge base + rules), batch by batch, one transaction a batch;
* :func:`reannotate` re-derives a publication-date range after a model or knowledge-base change:
  it annotates into a staging table and swaps the range's rows in one transaction, so analysts
  see either the old rows or the new ones, never a mix.

The NLP stages are English-only. Versions of articles in another language (the body's
detected language, see :mod:`pipeline.language`) are never annotated: each gets a row in
``core.enrichment_skips`` with its reason (``language:tr``), is counted as ``skipped`` in what
the enricher returns and logged, so analysts see why it has no entities and no run retries it.

A version the NLP stages fail on (a bug meeting an unusual text) is a recorded per-article
failure, never a crashed batch: a row in ``core.enrichment_skips`` with reason ``error: ...`` and
the extractor version that failed, counted as ``failed`` and logged. That extractor version
does not retry it; a newer one (the fix) does. Rows it had before stay as they were.

The NLP itself lives in :mod:`pipeline.nlp` (pure); this module only reads and writes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from pipeline.nlp.records import Annotation, TextItem

log = logging.getLogger(__name__)
BATCH_SIZE = 64
# Languages the NLP stages handle; an article with no language at all is tried as English.
ENRICHED_LANGUAGES = ("en",)


def annotator():
    """The process-wide annotator with the event and quote stage plugged in."""
    from pipeline.nlp.annotate import load_annotator
    from pipeline.nlp.events import extract

    return load_annotator(event_stage=extract)


@dataclass(frozen=True)
class Pending:
    article_id: str
    version: int
    text: str
    title: str
    published_at: datetime | None


def _scope(
    where: list[str],
    params: dict[str, Any],
    *,
    since: datetime | None,
    until: datetime | None,
    article_ids: Sequence[str] | None,
) -> None:
    """Add the filters a caller can narrow the work to (articles, publication range)."""
    if article_ids is not None:
        where.append("v.article_id = any(cast(:ids as text[]))")
        params["ids"] = list(article_ids)
    if since is not None:
        where.append("a.published_at >= :since")
        params["since"] = since
    if until is not None:
        where.append("a.published_at < :until")
        params["until"] = until


def _select_versions(
    conn: Connection,
    *,
    extractor_version: str | None,
    limit: int,
    since: datetime | None = None,
    until: datetime | None = None,
    after: tuple[str, int] | None = None,
    article_ids: Sequence[str] | None = None,
) -> list[Pending]:
    where = ["(a.language is null or a.language = any(cast(:langs as text[])))"]
    params: dict[str, Any] = {"limit": limit, "langs": list(ENRICHED_LANGUAGES)}
    _scope(where, params, since=since, until=until, article_ids=article_ids)
    if extractor_version is not None:
        where.append("(n.article_id is null or n.extractor_version <> :ev)")
        where.append(
            "not exists (select 1 from core.enrichment_skips s where s.article_id = v.article_id"
            " and s.version = v.version and s.extractor_version = :ev)"
        )
        params["ev"] = extractor_version
    if after is not None:
        where.append("(v.article_id, v.version) > (:after_id, :after_v)")
        params.update(after_id=after[0], after_v=after[1])
    rows = conn.execute(
        sa.text(
            "select v.article_id, v.version, v.body, v.title, a.published_at"
            " from core.article_versions v join core.articles a using (article_id)"
            " left join core.annotations n on n.article_id = v.article_id and n.version = v.version"
            f" where {' and '.join(where)} order by v.article_id, v.version limit :limit"
        ),
        params,
    ).all()
    return [Pending(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def _items(batch: Sequence[Pending]) -> list[TextItem]:
    return [
        TextItem(id=f"{p.article_id}:{p.version}", text=p.text, published_at=p.published_at, title=p.title)
        for p in batch
    ]


def _event_id(article_id: str, version: int, start: int, end: int, event_type: str, trigger: str) -> str:
    key = f"{article_id}:{version}:{start}:{end}:{event_type}:{trigger}"
    return "ev_" + hashlib.sha256(key.encode()).hexdigest()[:20]


def _rows(annotation: Annotation) -> dict[str, list[dict[str, Any]]]:
    """Warehouse rows of one annotation."""
    from pipeline.nlp.events import cluster_key

    article_id, version_text = annotation.id.rsplit(":", 1)
    version = int(version_text)
    common = {
        "model": annotation.model,
        "model_version": annotation.model_version,
        "extractor_version": annotation.extractor_version,
    }
    out: dict[str, list[dict[str, Any]]] = {"entities": [], "mentions": [], "events": [], "quotes": []}
    for entity in annotation.entities:
        out["entities"].append(
            {
                "entity_id": entity.entity_id,
                "name": entity.name,
                "type": entity.type,
                "wikidata_id": entity.wikidata_id,
                "aliases": list(entity.aliases),
                "linked_entity_id": entity.linked_entity_id,
            }
        )
        for m in entity.mentions:
            out["mentions"].append(
                {
                    "article_id": article_id,
                    "version": version,
                    "entity_id": entity.entity_id,
                    "mention_text": m.text,
                    "sentence_index": m.sentence_index,
                    "start_char": m.start,
                    "end_char": m.end,
                    **common,
                }
            )
    for ev in annotation.events:
        out["events"].append(
            {
                "event_id": _event_id(article_id, version, ev.start, ev.end, ev.event_type, ev.trigger),
                "event_cluster_id": cluster_key(ev),
                "article_id": article_id,
                "version": version,
                "event_type": ev.event_type,
                "mode": ev.mode,
                "contexts": list(ev.contexts),
                "cameo_root": ev.cameo_root,
                "actor_ids": list(ev.actor_ids),
                "actor_names": list(ev.actor_names),
                "recipient_ids": list(ev.recipient_ids),
                "recipient_names": list(ev.recipient_names),
                "event_date": ev.event_date,
                "date_precision": ev.date_precision,
                "location_id": ev.location_id,
                "location_name": ev.location_name,
                "negated": ev.negated,
                "hypothetical": ev.hypothetical,
                "claim_source_id": ev.claim_source_id,
                "claim_source_name": ev.claim_source_name,
                "sentence": ev.sentence,
                "start_char": ev.start,
                "end_char": ev.end,
                "confidence": float(ev.confidence),
                "trigger": ev.trigger,
                "attributes": json.dumps(ev.attributes, default=str),
                **common,
            }
        )
    for q in annotation.quotes:
        qid = "q_" + hashlib.sha256(f"{article_id}:{version}:{q.start}:{q.end}".encode()).hexdigest()[:20]
        out["quotes"].append(
            {
                "quote_id": qid,
                "article_id": article_id,
                "version": version,
                "speaker_id": q.speaker_id,
                "speaker_name": q.speaker_name,
                "quote": q.text,
                "start_char": q.start,
                "end_char": q.end,
                **common,
            }
        )
    return out


_INSERT = {
    "mentions": "insert into {schema}.entity_mentions (article_id, version, entity_id, mention_text,"
    " sentence_index, start_char, end_char, model, model_version, extractor_version) values (:article_id,"
    " :version, :entity_id, :mention_text, :sentence_index, :start_char, :end_char, :model, :model_version,"
    " :extractor_version) on conflict do nothing",
    "events": "insert into {schema}.events (event_id, event_cluster_id, article_id, version, event_type, mode,"
    " contexts, cameo_root, actor_ids, actor_names, recipient_ids, recipient_names, event_date,"
    " date_precision, location_id, location_name, negated, hypothetical, claim_source_id,"
    " claim_source_name, sentence, start_char, end_char, confidence, trigger, attributes, model,"
    " model_version, extractor_version) values (:event_id, :event_cluster_id, :article_id, :version,"
    " :event_type, :mode, :contexts, :cameo_root, :actor_ids, :actor_names, :recipient_ids,"
    " :recipient_names, :event_date, :date_precision, :location_id, :location_name, :negated,"
    " :hypothetical, :claim_source_id, :claim_source_name, :sentence, :start_char, :end_char,"
    " :confidence, :trigger, cast(:attributes as jsonb), :model, :model_version, :extractor_version)"
    " on conflict (event_id) do nothing",
    "quotes": "insert into {schema}.quotes (quote_id, article_id, version, speaker_id, speaker_name, quote,"
    " start_char, end_char, model, model_version, extractor_version) values (:quote_id, :article_id,"
    " :version, :speaker_id, :speaker_name, :quote, :start_char, :end_char, :model, :model_version,"
    " :extractor_version) on conflict (quote_id) do nothing",
}


def write_annotations(conn: Connection, annotations: Iterable[Annotation]) -> dict[str, int]:
    """Replace the annotation rows of each annotated article version (in the caller's transaction)."""
    counts = {"versions": 0, "mentions": 0, "events": 0, "quotes": 0}
    entities: dict[str, dict[str, Any]] = {}
    batch: dict[str, list[dict[str, Any]]] = {"mentions": [], "events": [], "quotes": []}
    heads = []
    for a in annotations:
        rows = _rows(a)
        for e in rows["entities"]:
            known = entities.setdefault(e["entity_id"], e)
            known["aliases"] = sorted(set(known["aliases"]) | set(e["aliases"]))
            known["linked_entity_id"] = known["linked_entity_id"] or e["linked_entity_id"]
        for kind, pending_rows in batch.items():
            pending_rows.extend(rows[kind])
        article_id, version = a.id.rsplit(":", 1)
        heads.append(
            {
                "a": article_id,
                "v": int(version),
                "ev": a.extractor_version,
                "m": a.model,
                "mv": a.model_version,
                "ne": len(a.entities),
                "nev": len(a.events),
                "nq": len(a.quotes),
            }
        )
    if not heads:
        return counts
    # serialize concurrent writers of the same article version (sorted: no deadlocks)
    for key in sorted({f"{h['a']}:{h['v']}" for h in heads}):
        conn.execute(sa.text("select pg_advisory_xact_lock(hashtextextended(:k, 11))"), {"k": key})
    # a version annotated now is no longer skipped (its language was corrected)
    conn.execute(
        sa.text(
            "delete from core.enrichment_skips where (article_id, version) in"
            " (select * from unnest(cast(:ids as text[]), cast(:vs as int[])))"
        ),
        {"ids": [h["a"] for h in heads], "vs": [h["v"] for h in heads]},
    )
    # delete the old annotation (cascades to mentions, events, quotes), then write the new one
    conn.execute(
        sa.text(
            "delete from core.annotations where (article_id, version) in"
            " (select * from unnest(cast(:ids as text[]), cast(:vs as int[])))"
        ),
        {"ids": [h["a"] for h in heads], "vs": [h["v"] for h in heads]},
    )
    if entities:
        conn.execute(
            sa.text(
                "insert into core.entities (entity_id, name, type, wikidata_id, aliases, linked_entity_id)"
                " values (:entity_id, :name, :type, :wikidata_id, :aliases, :linked_entity_id)"
                " on conflict (entity_id) do update set"
                " aliases = array(select distinct unnest(core.entities.aliases || excluded.aliases)),"
                " wikidata_id = coalesce(excluded.wikidata_id, core.entities.wikidata_id),"
                " linked_entity_id = coalesce(excluded.linked_entity_id, core.entities.linked_entity_id),"
                " updated_at = now()"
                " where not (core.entities.aliases @> excluded.aliases)"
                "    or core.entities.wikidata_id is distinct from coalesce(excluded.wikidata_id, core.entities.wikidata_id)"
                "    or core.entities.linked_entity_id is distinct from"
                "       coalesce(excluded.linked_entity_id, core.entities.linked_entity_id)"
            ),
            sorted(entities.values(), key=lambda e: e["entity_id"]),
        )
    conn.execute(
        sa.text(
            "insert into core.annotations (article_id, version, extractor_version, model, model_version,"
            " entities, events, quotes) values (:a, :v, :ev, :m, :mv, :ne, :nev, :nq)"
        ),
        heads,
    )
    for kind, kind_rows in batch.items():
        if kind_rows:
            conn.execute(sa.text(_INSERT[kind].format(schema="core")), kind_rows)
            counts[kind] = len(kind_rows)
    counts["versions"] = len(heads)
    return counts


def record_failures(conn: Connection, failures: Sequence[Annotation]) -> int:
    """Record versions the extractor failed on, so this extractor version does not retry them."""
    rows = []
    for a in failures:
        article_id, version = a.id.rsplit(":", 1)
        log.warning("enrichment failed on %s (extractor %s): %s", a.id, a.extractor_version, a.error)
        rows.append({"a": article_id, "v": int(version), "r": f"error: {a.error}", "ev": a.extractor_version})
    if rows:
        conn.execute(
            sa.text(
                "insert into core.enrichment_skips (article_id, version, reason, extractor_version)"
                " values (:a, :v, :r, :ev) on conflict (article_id, version) do update set"
                " reason = excluded.reason, extractor_version = excluded.extractor_version,"
                " skipped_at = now()"
            ),
            rows,
        )
    return len(rows)


def record_language_skips(
    conn: Connection,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    article_ids: Sequence[str] | None = None,
) -> dict[str, int]:
    """Record every not-yet-recorded version in a language the NLP does not handle.

    Also removes annotations such a version may carry from before its language was known: an
    English model's entities on a Turkish text are wrong, not merely stale.

    Returns:
        Newly recorded versions per reason (``{"language:tr": 3}``).
    """
    where = ["a.language is not null", "a.language <> all(cast(:langs as text[]))"]
    params: dict[str, Any] = {"langs": list(ENRICHED_LANGUAGES)}
    _scope(where, params, since=since, until=until, article_ids=article_ids)
    rows = conn.execute(
        sa.text(
            "insert into core.enrichment_skips (article_id, version, reason)"
            " select v.article_id, v.version, 'language:' || a.language"
            " from core.article_versions v join core.articles a using (article_id)"
            f" where {' and '.join(where)}"
            " on conflict (article_id, version) do update set reason = excluded.reason,"
            " skipped_at = excluded.skipped_at"
            " where core.enrichment_skips.reason is distinct from excluded.reason"
            " returning article_id, version, reason"
        ),
        params,
    ).all()
    if rows:
        conn.execute(
            sa.text(
                "delete from core.annotations where (article_id, version) in"
                " (select * from unnest(cast(:ids as text[]), cast(:vs as int[])))"
            ),
            {"ids": [r[0] for r in rows], "vs": [r[1] for r in rows]},
        )
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[2]] = counts.get(row[2], 0) + 1
    for reason, n in sorted(counts.items()):
        log.info("enrichment skips %d article version(s): %s (the NLP stages are English-only)", n, reason)
    return counts


def _batches(
    eng: Engine, select: Callable[[tuple[str, int] | None], list[Pending]]
) -> Iterator[list[Pending]]:
    after = None
    while True:
        batch = select(after)
        if not batch:
            return
        yield batch
        after = (batch[-1].article_id, batch[-1].version)


def enrich_pending(
    eng: Engine,
    *,
    annot=None,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    article_ids: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Annotate what the current extractor has not annotated yet; one transaction a batch.

    Concurrent enrichers (the enrich DAG beside a streaming run) may annotate the same version;
    :func:`write_annotations` serializes them per version, so the last write wins whole.
    Versions in a language the NLP does not handle are recorded as skipped (``skipped`` counts
    the newly recorded ones) and never annotated.
    """
    annot = annot or annotator()
    with eng.begin() as conn:
        skipped = record_language_skips(conn, since=since, until=until, article_ids=article_ids)
    totals = {"versions": 0, "mentions": 0, "events": 0, "quotes": 0, "batches": 0, "failed": 0}
    totals["skipped"] = sum(skipped.values())

    def select(after: tuple[str, int] | None) -> list[Pending]:
        with eng.connect() as conn:
            return _select_versions(
                conn,
                extractor_version=annot.extractor_version,
                limit=batch_size,
                since=since,
                until=until,
                after=after,
                article_ids=article_ids,
            )

    for batch in _batches(eng, select):
        annotations = list(annot.annotate(_items(batch)))
        with eng.begin() as conn:
            counts = write_annotations(conn, [a for a in annotations if a.error is None])
            counts["failed"] = record_failures(conn, [a for a in annotations if a.error is not None])
        for k, v in counts.items():
            totals[k] += v
        totals["batches"] += 1
        if progress:
            progress(len(batch))
        if max_batches is not None and totals["batches"] >= max_batches:
            break
    return totals


def reannotate(
    eng: Engine,
    since: datetime,
    until: datetime,
    *,
    annot=None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Re-derive every article version published in [since, until); swap all rows at once.

    Annotations are computed batch by batch into a staging table (memory stays flat); the final
    transaction replaces the range's rows with them.
    """
    annot = annot or annotator()
    job = uuid.uuid4().hex
    with eng.begin() as conn:
        skipped = record_language_skips(conn, since=since, until=until)
    totals = {"versions": 0, "mentions": 0, "events": 0, "quotes": 0, "batches": 0, "failed": 0}
    totals["skipped"] = sum(skipped.values())
    failures: list[Annotation] = []  # few: kept until the swap, where they are recorded

    def select(after: tuple[str, int] | None) -> list[Pending]:
        with eng.connect() as conn:
            return _select_versions(
                conn, extractor_version=None, limit=batch_size, since=since, until=until, after=after
            )

    seq = 0
    try:
        for batch in _batches(eng, select):
            payload = []
            for a in annot.annotate(_items(batch)):
                if a.error is None:
                    payload.append(_annotation_to_payload(a))
                else:  # its current rows stay; the failure is recorded with the swap
                    failures.append(a)
            with eng.begin() as conn:
                conn.execute(
                    sa.text("insert into core.reannotation_staging values (:j, :s, cast(:p as jsonb))"),
                    {"j": job, "s": seq, "p": json.dumps(payload, default=str)},
                )
            seq += 1
            if progress:
                progress(len(batch))
        with eng.begin() as conn:  # the swap: all of the range or nothing
            for s in range(seq):
                raw = conn.execute(
                    sa.text("select payload from core.reannotation_staging where job = :j and seq = :s"),
                    {"j": job, "s": s},
                ).scalar_one()
                counts = write_annotations(conn, [_payload_to_annotation(p) for p in raw])
                for k, v in counts.items():
                    totals[k] += v
                totals["batches"] += 1
            totals["failed"] = record_failures(conn, failures)
    finally:
        with eng.begin() as conn:
            conn.execute(sa.text("delete from core.reannotation_staging where job = :j"), {"j": job})
    return totals


def _annotation_to_payload(a: Annotation) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(a)


def _payload_to_annotation(p: dict[str, Any]) -> Annotation:
    from datetime import date

    from pipeline.nlp.records import Entity, Event, Mention, Quote

    entities = tuple(
        Entity(
            **{**e, "mentions": tuple(Mention(**m) for m in e["mentions"]), "aliases": tuple(e["aliases"])}
        )
        for e in p["entities"]
    )
    events = tuple(
        Event(
            **{
                **ev,
                **{
                    k: tuple(ev[k])
                    for k in ("contexts", "actor_ids", "actor_names", "recipient_ids", "recipient_names")
                },
                "event_date": date.fromisoformat(ev["event_date"]) if ev["event_date"] else None,
            }
        )
        for ev in p["events"]
    )
    quotes = tuple(Quote(**q) for q in p["quotes"])
    return Annotation(
        p["id"], entities, events, quotes, p["model"], p["model_version"], p["extractor_version"]
    )
