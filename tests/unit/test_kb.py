"""The curated knowledge base: valid, consistent, and matched Turkish-case- and diacritic-aware."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
import yaml

from pipeline.nlp.kb import (
    ENTITY_TYPES,
    KB_DIR,
    KnowledgeBase,
    ascii_fold,
    fold,
    fold_aligned,
    kb_files,
    load_kb,
    parse_entries,
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def test_kb_is_large_enough_and_covers_the_core_actors(kb: KnowledgeBase) -> None:
    assert len(kb.entries) >= 150
    required = [
        "akp",
        "chp",
        "mhp",
        "hdp",
        "dem-party",
        "iyi-party",
        "deva",
        "gelecek",
        "tbmm",
        "constitutional-court-tr",
        "yargitay",
        "ysk",
        "presidency-tr",
        "ministry-interior-tr",
        "ministry-foreign-tr",
        "ministry-justice-tr",
        "european-parliament",
        "european-commission",
        "council-of-the-eu",
        "echr",
        "council-of-europe",
        "nato",
        "un",
        "erdogan",
        "imamoglu",
        "kilicdaroglu",
        "ozgur-ozel",
        "devlet-bahceli",
        "ali-babacan",
        "ahmet-davutoglu",
        "meral-aksener",
        "selahattin-demirtas",
        "canan-kaftancioglu",
        "mansur-yavas",
        "suleyman-soylu",
        "mevlut-cavusoglu",
        "hakan-fidan",
        "mehmet-simsek",
        "von-der-leyen",
        "josep-borrell",
        "nacho-sanchez-amor",
        "kati-piri",
        "charles-michel",
        "angela-merkel",
        "emmanuel-macron",
        "vladimir-putin",
        "joe-biden",
        "donald-trump",
        "istanbul",
        "ankara",
        "izmir",
        "diyarbakir",
        "turkey",
        "syria",
        "greece",
        "cyprus",
        "russia",
        "usa",
        "germany",
        "europe",
    ]
    missing = [slug for slug in required if kb.get(slug) is None]
    assert not missing


def test_known_wikidata_ids(kb: KnowledgeBase) -> None:
    expected = {
        "istanbul": "Q406",
        "turkey": "Q43",
        "europe": "Q46",
        "european-parliament": "Q8889",
        "erdogan": "Q39259",
    }
    for slug, qid in expected.items():
        entry = kb.get(slug)
        assert entry is not None
        assert entry.wikidata_id == qid
        assert entry.entity_id == f"wd:{qid}"
    assert kb.get("ysk").entity_id == "kb:ysk"


def test_ids_unique_and_types_allowed(kb: KnowledgeBase) -> None:
    slugs = Counter(e.slug for e in kb.entries)
    assert [s for s, n in slugs.items() if n > 1] == []
    qids = Counter(e.wikidata_id for e in kb.entries if e.wikidata_id)
    assert [q for q, n in qids.items() if n > 1] == []
    assert {e.type for e in kb.entries} <= ENTITY_TYPES


def test_every_wikidata_id_has_a_recorded_public_source(kb: KnowledgeBase) -> None:
    """Ids are never typed from memory: each one has its source in ``wikidata_sources.csv``."""
    with (KB_DIR / "wikidata_sources.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    recorded = {r["kb_id"]: r["wikidata_id"] for r in rows}
    assert len(recorded) == len(rows)  # one row per entry
    assert all(r["source"].strip() and r["evidence"].strip() for r in rows)
    in_kb = {e.slug: e.wikidata_id for e in kb.entries if e.wikidata_id}
    assert recorded == in_kb


def test_folded_forms_are_correct(kb: KnowledgeBase) -> None:
    wrong = [(e.slug, e.ascii) for e in kb.entries if e.ascii != ascii_fold(e.name)]
    assert wrong == []
    assert all(e.ascii.isascii() for e in kb.entries if e.ascii)


def test_no_alias_names_two_entries_of_one_type(kb: KnowledgeBase) -> None:
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for e in kb.entries:
        for name in e.all_names():
            key = (fold(name), e.type)
            if key in seen and seen[key] != e.slug:
                clashes.append((name, seen[key], e.slug))
            seen.setdefault(key, e.slug)
    assert clashes == []


def test_every_name_is_a_name(kb: KnowledgeBase) -> None:
    # guards against YAML flow lists split at a comma ("July 15, 2016" -> "2016")
    odd = [
        (e.slug, n)
        for e in kb.entries
        for n in e.all_names()
        if not any(c.isalpha() for c in n) or len(n) < 2 or n != n.strip()
    ]
    assert odd == []


def test_references_and_handles(kb: KnowledgeBase) -> None:
    slugs = {e.slug for e in kb.entries}
    assert all(e.party in slugs for e in kb.entries if e.party)
    assert all(e.country in slugs for e in kb.entries if e.country)
    assert all(h.startswith("@") and " " not in h for e in kb.entries for h in e.handles)
    assert kb.by_handle("@ccanannnnn").slug == "canan-kaftancioglu"
    assert kb.by_handle("rterdogan").slug == "erdogan"


def test_a_platform_name_is_found_only_where_its_context_shows_the_platform() -> None:
    kb = KnowledgeBase(
        tuple(parse_entries([{"id": "twitter", "type": "ORG", "name": "Twitter", "platform_names": ["X"]}]))
    )
    text = "She wrote on X, via X and in an X post; X accounts. Generation X, on X-ray, on X Corp, an X 2."
    found = [(text[m.start : m.end], m.entry.slug, m.alias) for m in kb.find_platforms(text)]
    assert found == [("X", "twitter", "X")] * 4
    assert [text[m.start - 3 : m.end] for m in kb.find_platforms(text)] == ["on X", "ia X", "an X", "t; X"]
    assert kb.find("Generation X") == []  # not one of its ordinary names
    assert KnowledgeBase(()).find_platforms(text) == []


def test_files_are_plain_yaml_lists() -> None:
    for path in kb_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, list), path
        parse_entries(data, path.name)


def test_bad_entries_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown type"):
        parse_entries([{"id": "x", "name": "X", "type": "DATE"}])
    with pytest.raises(ValueError, match="bad wikidata id"):
        parse_entries([{"id": "x", "name": "X", "type": "ORG", "wikidata_id": "406"}])


@pytest.mark.parametrize(
    "written",
    ["İmamoğlu", "İMAMOĞLU", "IMAMOĞLU", "Imamoglu", "imamoğlu", "i\u0307mamoğlu", "ımamoglu"],
)
def test_turkish_case_folding(written: str) -> None:
    assert fold(written) == "imamoglu"


def test_fold_details() -> None:
    assert "İ".lower() == "i\u0307"  # why plain lower() is not enough
    assert fold("KILIÇDAROĞLU") == fold("Kılıçdaroğlu") == fold("Kilicdaroglu") == "kilicdaroglu"
    assert fold("Sánchez  Amor") == "sanchez amor"
    assert fold("Republican People’s Party") == "republican people's party"
    assert ascii_fold("Ekrem İmamoğlu") == "Ekrem Imamoglu"
    folded, index = fold_aligned("Türkiye")
    assert folded == "turkiye"
    assert index is None
    folded, index = fold_aligned("Ti\u0307r")  # decomposed dot: dropped, offsets mapped
    assert folded == "tir"
    assert index == (0, 1, 3, 4)


def test_lookup(kb: KnowledgeBase) -> None:
    assert kb.lookup("Imamoglu").slug == "imamoglu"
    assert kb.lookup("İMAMOĞLU").slug == "imamoglu"
    assert kb.lookup("Justice and Development Party").slug == "akp"
    assert kb.lookup("Türkiye").slug == "turkey"
    assert kb.lookup("Nobody Atall") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("İMAMOĞLU spoke", ["imamoglu"]),
        ("Imamoglu spoke", ["imamoglu"]),
        ("imamoğlu spoke", ["imamoglu"]),
        ("the CHP and the Chp", ["chp"]),
        ("Let us go to the US", ["usa"]),
        ("Republican People's Party", ["chp"]),
        ("the amor of Istanbul", ["istanbul"]),
        ("Nacho Sanchez Amor visited", ["nacho-sanchez-amor"]),
        ("ERDOĞAN MEETS PUTIN", ["erdogan", "vladimir-putin"]),
    ],
)
def test_matcher(kb: KnowledgeBase, text: str, expected: list[str]) -> None:
    assert [m.entry.slug for m in kb.find(text)] == expected


def test_matcher_offsets_and_longest_match(kb: KnowledgeBase) -> None:
    text = "Head of the Istanbul Metropolitan Municipality and the CHP's chair"
    matches = kb.find(text)
    assert [(text[m.start : m.end], m.entry.slug) for m in matches] == [
        ("Istanbul Metropolitan Municipality", "ibb"),
        ("CHP", "chp"),
    ]
