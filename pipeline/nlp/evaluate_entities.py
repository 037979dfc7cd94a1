"""Score the annotator's entities against a gold set (``tests/data/gold/entities.jsonl``).

Gold lines: ``{"id", "text", "entities": [{"name", "type", "wikidata_id", "mentions":
[[start, end], ...]}]}``.

Scores (micro-averaged over documents):

* entity level: a predicted entity matches a gold entity of the same document and type when
  they share the Wikidata id, or the gold name equals the predicted name or one of its written
  forms (folded), or they share a mention span; one-to-one, best pairs first;
* mention level: a predicted mention is right when its exact span is a gold mention of an
  entity of the same type;
* linking accuracy: the share of gold entities with a Wikidata id whose predicted counterpart
  (the entity with most mention overlap, any type) carries that id.

``python -m pipeline evaluate-entities [--gold PATH] [--json]`` calls :func:`main`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from pipeline.config import PROJECT_ROOT
from pipeline.nlp.kb import fold
from pipeline.nlp.records import Annotation, Entity, TextItem

DEFAULT_GOLD = PROJECT_ROOT / "tests" / "data" / "gold" / "entities.jsonl"
METRICS = (
    "entity_precision",
    "entity_recall",
    "entity_f1",
    "mention_precision",
    "mention_recall",
    "mention_f1",
    "linking_accuracy",
)


class _Annotates(Protocol):
    def annotate(self, items: Any) -> Any: ...


def load_gold(path: Path | str) -> list[dict[str, Any]]:
    """The gold documents of a JSON-lines file."""
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _pair_score(gold: dict[str, Any], pred: Entity) -> int:
    if gold["type"] != pred.type:
        return 0
    if gold.get("wikidata_id") and gold["wikidata_id"] == pred.wikidata_id:
        return 3
    g = fold(gold["name"])
    forms = {
        fold(pred.name),
        *(fold(a) for a in pred.aliases),
        *(fold(m.text) for m in pred.mentions),
    }
    if g in forms:
        return 2
    spans = {(m.start, m.end) for m in pred.mentions}
    if any(tuple(s) in spans for s in gold["mentions"]):
        return 1
    return 0


def _match(golds: Sequence[dict[str, Any]], preds: Sequence[Entity]) -> list[tuple[int, int]]:
    pairs = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            score = _pair_score(g, p)
            if score:
                overlap = len({tuple(s) for s in g["mentions"]} & {(m.start, m.end) for m in p.mentions})
                pairs.append((score, overlap, gi, pi))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _score, _overlap, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def _linked(gold: dict[str, Any], preds: Sequence[Entity]) -> Entity | None:
    best, best_score = None, 0
    gspans = [tuple(s) for s in gold["mentions"]]
    gname = fold(gold["name"])
    for p in preds:
        score = 0
        for m in p.mentions:
            score += sum(1 for s, e in gspans if m.start < e and s < m.end)
        if fold(p.name) == gname:
            score += 1
        if score > best_score:
            best, best_score = p, score
    return best


def score(gold_docs: Sequence[dict[str, Any]], annotations: Sequence[Annotation]) -> dict[str, Any]:
    """Scores of *annotations* (in the order of *gold_docs*) against the gold documents."""
    tp_e = n_pred_e = n_gold_e = 0
    tp_m = n_pred_m = n_gold_m = 0
    n_link = ok_link = 0
    errors: list[dict[str, Any]] = []
    for doc, ann in zip(gold_docs, annotations, strict=True):
        golds = doc["entities"]
        preds = list(ann.entities)
        matched = _match(golds, preds)
        tp_e += len(matched)
        n_pred_e += len(preds)
        n_gold_e += len(golds)
        gold_spans = {(s, e, g["type"]) for g in golds for s, e in g["mentions"]}
        pred_spans = {(m.start, m.end, p.type) for p in preds for m in p.mentions}
        tp_m += len(gold_spans & pred_spans)
        n_pred_m += len(pred_spans)
        n_gold_m += len(gold_spans)
        for g in golds:
            if g.get("wikidata_id"):
                n_link += 1
                p = _linked(g, preds)
                ok_link += bool(p is not None and p.wikidata_id == g["wikidata_id"])
        mg = {gi for gi, _ in matched}
        mp = {pi for _, pi in matched}
        missed = [f"{g['name']} ({g['type']})" for gi, g in enumerate(golds) if gi not in mg]
        spurious = [f"{p.name} ({p.type})" for pi, p in enumerate(preds) if pi not in mp]
        if missed or spurious:
            errors.append({"id": doc["id"], "missed": missed, "spurious": spurious})
    ep, er, ef = _prf(tp_e, n_pred_e, n_gold_e)
    mp_, mr, mf = _prf(tp_m, n_pred_m, n_gold_m)
    return {
        "documents": len(gold_docs),
        "entity_precision": ep,
        "entity_recall": er,
        "entity_f1": ef,
        "mention_precision": mp_,
        "mention_recall": mr,
        "mention_f1": mf,
        "linking_accuracy": ok_link / n_link if n_link else 1.0,
        "counts": {
            "gold_entities": n_gold_e,
            "predicted_entities": n_pred_e,
            "matched_entities": tp_e,
            "gold_mentions": n_gold_m,
            "predicted_mentions": n_pred_m,
            "matched_mentions": tp_m,
            "gold_linked": n_link,
            "correctly_linked": ok_link,
        },
        "errors": errors,
    }


def evaluate(gold_path: Path | str, annotator: _Annotates) -> dict[str, Any]:
    """Annotate the gold texts with *annotator* and score the entities.

    Args:
        gold_path: JSON-lines gold file.
        annotator: anything with ``annotate(Iterable[TextItem]) -> Iterator[Annotation]``.
    Returns:
        ``entity_precision/recall/f1``, ``mention_precision/recall/f1``, ``linking_accuracy``,
        ``documents``, raw ``counts`` and per-document ``errors`` (missed/spurious entities).
    """
    docs = load_gold(gold_path)
    annotations = list(annotator.annotate(TextItem(id=d["id"], text=d["text"]) for d in docs))
    return score(docs, annotations)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the entity scores on the gold set; ``--json`` for machine-readable output."""
    parser = argparse.ArgumentParser(prog="evaluate-entities", description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSON-lines file")
    parser.add_argument("--model", default=None, help="spaCy model (default: settings)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--errors", action="store_true", help="list missed/spurious entities")
    args = parser.parse_args(argv)

    # spaCy is imported only when scoring is run, not when the CLI imports this module
    from pipeline.nlp.annotate import load_annotator

    result = evaluate(args.gold, load_annotator(model=args.model))
    if args.json:
        print(
            json.dumps(
                result if args.errors else {k: v for k, v in result.items() if k != "errors"},
                indent=2,
            )
        )
        return 0
    print(f"gold: {args.gold} ({result['documents']} documents)")
    for name in METRICS:
        print(f"{name:20s} {result[name]:.3f}")
    c = result["counts"]
    print(
        f"entities {c['matched_entities']}/{c['gold_entities']} gold, {c['predicted_entities']} "
        f"predicted; mentions {c['matched_mentions']}/{c['gold_mentions']} gold, "
        f"{c['predicted_mentions']} predicted; linked {c['correctly_linked']}/{c['gold_linked']}"
    )
    if args.errors:
        for err in result["errors"]:
            print(f"- {err['id']}: missed {err['missed']} spurious {err['spurious']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
