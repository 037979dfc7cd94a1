"""Enrichment against the warehouse: annotate loaded articles, rerun, re-annotate atomically."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from pipeline import enrich, ingest, load
from pipeline.config import settings
from pipeline.normalize import normalize_article
from pipeline.parse import parse_article
from pipeline.sources import get_source, load_sources

pytestmark = pytest.mark.integration

JAN20 = datetime(2020, 1, 20, tzinfo=UTC)
JAN24 = datetime(2020, 1, 24, tzinfo=UTC)


def q(engine, sql: str, **params):
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]


@pytest.fixture
def loaded(engine, registry):
    src = get_source(load_sources(settings().sources_file), "duvar-english")
    ingest.run_interval(engine, src, JAN20, JAN24)
    return engine


def test_enrich_fills_the_marts_and_is_idempotent(loaded) -> None:
    engine = loaded
    n_articles = q(engine, "select count(*) as n from marts.articles")[0]["n"]
    first = enrich.enrich_pending(engine, batch_size=4)
    assert first["versions"] == n_articles and first["batches"] >= 2
    assert enrich.enrich_pending(engine) == {
        "versions": 0,
        "mentions": 0,
        "events": 0,
        "quotes": 0,
        "batches": 0,
        "failed": 0,
        "skipped": 0,
    }

    seed = q(engine, "select article_id, body from marts.articles where canonical_url like '%amor%'")[0]
    mentions = q(engine, "select * from marts.entity_mentions where article_id = :a", a=seed["article_id"])
    by_entity: dict[str, set[str]] = {}
    for m in mentions:
        assert seed["body"][m["start_char"] : m["end_char"]] == m["mention_text"]  # offsets index the body
        assert m["model"] and m["model_version"]
        by_entity.setdefault(m["entity_name"], set()).add(m["entity_type"])
    imamoglu = [name for name in by_entity if "mamoğlu" in name]
    assert len(imamoglu) == 1 and by_entity[imamoglu[0]] == {"PERSON"}
    amor = [name for name in by_entity if "Amor" in name]
    assert len(amor) == 1 and by_entity[amor[0]] == {"PERSON"}
    linked = {r["name"]: r["wikidata_id"] for r in q(engine, "select name, wikidata_id from marts.entities")}
    assert linked["Istanbul"] == "Q406" and linked["Turkey"] == "Q43"
    entities = {r["name"]: r for r in q(engine, "select * from marts.entities")}
    assert all(r["article_count"] >= 1 for r in entities.values())
    handle = entities["@ccanannnnn"]
    assert handle["type"] == "HANDLE"
    assert handle["linked_entity_id"] == entities["Canan Kaftancıoğlu"]["entity_id"]

    events = q(engine, "select * from marts.events where article_id = :a", a=seed["article_id"])
    visit = [e for e in events if e["event_type"] == "CONSULT" and e["mode"] == "visit"]
    assert visit and str(visit[0]["event_date"]) == "2020-01-20" and visit[0]["location_name"] == "Istanbul"
    assert all(seed["body"][e["start_char"] : e["end_char"]] == e["sentence"] for e in events)
    quotes = q(engine, "select * from marts.quotes where article_id = :a", a=seed["article_id"])
    assert len(quotes) >= 4 and all(
        seed["body"][x["start_char"] : x["end_char"]] == x["quote"] for x in quotes
    )

    daily = q(engine, "select * from marts.daily_entity_mentions where entity_name = :n", n=imamoglu[0])
    assert daily and all(d["mentions"] >= d["articles"] >= 1 for d in daily)
    pairs = q(engine, "select * from marts.entity_cooccurrence where articles >= 1 limit 5")
    assert pairs and all(p["entity_a_id"] < p["entity_b_id"] for p in pairs)
    assert q(engine, "select count(*) as n from marts.daily_events")[0]["n"] > 0
    assert q(engine, "select count(*) as n from marts.event_timeline where role = 'actor'")[0]["n"] > 0


def test_new_version_is_annotated_and_marts_show_only_the_current(loaded, sites) -> None:
    engine = loaded
    enrich.enrich_pending(engine)
    site = sites["duvar"]
    changing = next(e for e in site.manifest()["articles"] if e["kind"] == "changing")
    site.set_variant(changing["path"], 1)
    src = get_source(load_sources(settings().sources_file), "duvar-english")
    ingest.run_interval(engine, src, JAN20, JAN24)
    again = enrich.enrich_pending(engine)
    assert again["versions"] == 1
    rows = q(
        engine,
        "select distinct m.version from marts.entity_mentions m join marts.articles a using (article_id)"
        " where a.canonical_url like :u",
        u=f"%{changing['canonical_path']}",
    )
    assert [r["version"] for r in rows] == [2]
    kept = q(
        engine,
        "select distinct version from core.entity_mentions m join core.articles a using (article_id)"
        " where a.canonical_url like :u order by 1",
        u=f"%{changing['canonical_path']}",
    )
    assert [r["version"] for r in kept] == [1, 2]  # history kept in core


def test_reannotate_swaps_a_range_atomically(loaded, monkeypatch) -> None:
    engine = loaded
    enrich.enrich_pending(engine)
    before = q(engine, "select article_id, entity_id, start_char from core.entity_mentions order by 1, 2, 3")
    annotated_at = q(engine, "select min(annotated_at) as t from core.annotations")[0]["t"]
    counts = enrich.reannotate(engine, JAN20, JAN24, batch_size=3)
    assert counts["versions"] == q(engine, "select count(*) as n from marts.articles")[0]["n"]
    assert (
        q(engine, "select article_id, entity_id, start_char from core.entity_mentions order by 1, 2, 3")
        == before
    )
    assert q(engine, "select min(annotated_at) as t from core.annotations")[0]["t"] > annotated_at

    # a failure in the middle of a re-annotation leaves the old rows in place
    real = enrich.write_annotations
    calls = {"n": 0}

    def failing(conn, annotations):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(conn, annotations)

    monkeypatch.setattr(enrich, "write_annotations", failing)
    stamp = q(engine, "select max(annotated_at) as t from core.annotations")[0]["t"]
    with pytest.raises(RuntimeError):
        enrich.reannotate(engine, JAN20, JAN24, batch_size=3)
    assert q(engine, "select max(annotated_at) as t from core.annotations")[0]["t"] == stamp
    assert q(engine, "select count(*) as n from core.reannotation_staging")[0]["n"] == 0


TURKISH_PAGE = """<!doctype html><html lang="en"><head><title>Seçim kanunu Meclis'te</title>
<meta property="article:published_time" content="2020-01-21T10:00:00+03:00"></head>
<body><article><h1>Seçim kanunu Meclis'te</h1><div class="byline">Haber: Deniz Arslan</div>
<p>Meclis Genel Kurulu'nda seçim kanununda değişiklik öngören teklifin görüşmelerine pazartesi
günü başlandı. Muhalefet partileri, yeni kurulan partilerin seçime girmesini engelleyeceğini
söyledikleri düzenlemeye karşı oy kullanacaklarını açıkladı.</p>
<p>İstanbul Büyükşehir Belediye Başkanı Ekrem İmamoğlu, düzenlemenin demokrasiye zarar
vereceğini söyledi ve bütün partileri teklife karşı birlikte hareket etmeye çağırdı.</p>
</article></body></html>"""


def test_non_english_article_is_stored_flagged_and_skipped(loaded, caplog) -> None:
    engine = loaded
    url = "http://127.0.0.1/politics/secim-kanunu-mecliste-news-99999"
    parsed = parse_article(TURKISH_PAGE, url)
    article = normalize_article(parsed, source_id="duvar-english", timezone="Europe/Istanbul")
    with engine.begin() as conn:
        load.load_article(
            conn,
            get_source(load_sources(settings().sources_file), "duvar-english"),
            article,
            fetch_id=None,
            fetched_at=datetime(2020, 1, 21, 8, tzinfo=UTC),
            extractor="structured",
        )
    stored = q(engine, "select * from marts.articles where url = :u", u=url)
    assert len(stored) == 1 and stored[0]["body"].startswith("Meclis Genel Kurulu")
    assert (stored[0]["language"], stored[0]["declared_language"], stored[0]["language_mismatch"]) == (
        "tr",
        "en",
        True,
    )
    assert stored[0]["authors"] == ["Deniz Arslan"]
    turkish_id = stored[0]["article_id"]
    n_articles = q(engine, "select count(*) as n from marts.articles")[0]["n"]

    with caplog.at_level("INFO", logger="pipeline.enrich"):
        first = enrich.enrich_pending(engine)
    assert first["skipped"] == 1 and first["versions"] == n_articles - 1
    assert "language:tr" in caplog.text
    skips = q(engine, "select article_id, version, reason, source_id from marts.enrichment_skips")
    assert skips == [
        {"article_id": turkish_id, "version": 1, "reason": "language:tr", "source_id": "duvar-english"}
    ]
    assert not q(engine, "select 1 from core.annotations where article_id = :a", a=turkish_id)
    assert not q(engine, "select 1 from marts.entity_mentions where article_id = :a", a=turkish_id)
    # recorded once: later runs neither retry nor re-count it
    again = enrich.enrich_pending(engine)
    assert again["skipped"] == 0 and again["versions"] == 0
    assert len(q(engine, "select * from core.enrichment_skips")) == 1


def test_a_failing_article_is_recorded_not_retried_and_the_rest_load(loaded, caplog) -> None:
    """One article the NLP fails on is a recorded failure; its batch still loads."""
    from pipeline.nlp.annotate import Annotator
    from pipeline.nlp.events import extract

    engine = loaded
    base = enrich.annotator()
    n_articles = q(engine, "select count(*) as n from marts.articles")[0]["n"]
    victim = q(engine, "select article_id from marts.articles order by article_id limit 1")[0]["article_id"]

    def stage(doc, prepared, entities, item):  # a bug that meets one article
        if item.id.startswith(f"{victim}:"):
            raise RuntimeError("unexpected parse")
        return extract(doc, prepared, entities, item)

    stage.version = "broken"  # type: ignore[attr-defined]
    broken = Annotator(base.nlp, base.kb, event_stage=stage)
    with caplog.at_level("WARNING", logger="pipeline.enrich"):
        first = enrich.enrich_pending(engine, annot=broken, batch_size=4)
    assert first["failed"] == 1 and first["versions"] == n_articles - 1
    assert "unexpected parse" in caplog.text
    skips = q(engine, "select article_id, version, reason, extractor_version from marts.enrichment_skips")
    assert skips == [
        {
            "article_id": victim,
            "version": 1,
            "reason": "error: RuntimeError: unexpected parse",
            "extractor_version": broken.extractor_version,
        }
    ]
    assert not q(engine, "select 1 from core.annotations where article_id = :a", a=victim)

    # the same extractor does not retry it on the next run
    again = enrich.enrich_pending(engine, annot=broken)
    assert (again["versions"], again["failed"]) == (0, 0)

    # a fixed extractor (a new version) annotates everything again, the victim included
    fixed = enrich.enrich_pending(engine, annot=base)
    assert (fixed["versions"], fixed["failed"]) == (n_articles, 0)
    assert not q(engine, "select 1 from core.enrichment_skips")
    assert q(engine, "select 1 from marts.entity_mentions where article_id = :a", a=victim)


def test_reannotation_keeps_the_rows_of_an_article_it_fails_on(loaded) -> None:
    from pipeline.nlp.annotate import Annotator

    engine = loaded
    base = enrich.annotator()
    enrich.enrich_pending(engine, annot=base)
    victim = q(engine, "select article_id from marts.articles order by article_id limit 1")[0]["article_id"]
    mentions = "select count(*) as n from marts.entity_mentions where article_id = :a"
    before = q(engine, mentions, a=victim)[0]["n"]
    assert before > 0

    def stage(doc, prepared, entities, item):
        if item.id.startswith(f"{victim}:"):
            raise RuntimeError("unexpected parse")
        return (), ()

    totals = enrich.reannotate(engine, JAN20, JAN24, annot=Annotator(base.nlp, base.kb, event_stage=stage))
    assert totals["failed"] == 1
    after = q(engine, mentions, a=victim)[0]["n"]
    assert after == before  # not wiped: its previous annotation stays until a run succeeds
    assert q(engine, "select reason from marts.enrichment_skips")[0]["reason"].startswith(
        "error: RuntimeError"
    )
