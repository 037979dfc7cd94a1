"""The taxonomy data: PLOVER types, modes, contexts, extensions, CAMEO roots, trigger lexicon."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.nlp.taxonomy import load_taxonomy

PLOVER_TYPES = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}
CAMEO2PLOVER = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / "plover" / "CAMEO2PLOVER-2021.txt"
)


def test_plover_types_and_extensions() -> None:
    tax = load_taxonomy()
    assert {n for n, t in tax.types.items() if t.source == "plover"} == PLOVER_TYPES
    assert {n for n, t in tax.types.items() if t.source == "extension"} == {
        "ELECTION",
        "APPOINT",
        "RULING",
    }
    assert set(tax.types["CONSULT"].modes) == {"visit", "third-party", "multilateral", "phone"}
    assert "arrest" in tax.types["COERCE"].modes
    assert {"won", "held"} <= set(tax.types["ELECTION"].modes)
    assert {"appoint", "dismiss"} == set(tax.types["APPOINT"].modes)
    assert "annul" in tax.types["RULING"].modes
    assert {"election", "legal", "military", "pro_autocracy"} <= set(tax.contexts)


def test_every_type_has_a_cameo_root_or_says_why_not() -> None:
    tax = load_taxonomy()
    for name, etype in tax.types.items():
        if etype.cameo_root is None:
            assert etype.source == "extension" and etype.cameo_match in {"none", "approximate"}, name
        else:
            assert re.fullmatch(r"\d\d", etype.cameo_root), name
    assert tax.types["ACCUSE"].cameo_root_for("investigate") == "09"
    assert tax.types["ASSAULT"].cameo_root_for("firearms") == "19"
    assert tax.types["APPOINT"].cameo_root_for("dismiss") == "17"
    assert tax.types["RULING"].cameo_root_for("annul") == "17"
    assert tax.types["ELECTION"].cameo_root_for("won") is None


def test_plover_roots_agree_with_cameo2plover() -> None:
    assert CAMEO2PLOVER.exists(), f"shared/reference missing at {CAMEO2PLOVER}"
    roots: dict[str, set[str]] = {}
    for line in CAMEO2PLOVER.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{2}): ([A-Z]+)\s*$", line)
        if m:
            roots.setdefault(m.group(2), set()).add(m.group(1))
    tax = load_taxonomy()
    for name in PLOVER_TYPES:
        if name in roots:
            assert tax.types[name].cameo_root in roots[name], name


def test_trigger_lexicon_is_compiled_and_valid() -> None:
    tax = load_taxonomy()
    assert tax.verb_rules["visit"][0].type == "CONSULT"
    assert tax.verb_rules["visit"][0].mode == "visit"
    assert tax.verb_rules["arrest"][0].mode == "arrest"
    assert tax.verb_rules["threaten"][0].governs
    assert tax.noun_rules["visit"].type == "CONSULT"
    assert "pay" in tax.light_verbs
    # YAML 1.1 booleans must stay words: "shut off", "call on", the negator "no"
    assert "off" in (tax.verb_rules["shut"][0].particles or ())
    assert "on" in (tax.verb_rules["call"][1].particles or ())
    assert "no" in tax.cues.negators
    for rules in tax.verb_rules.values():
        for rule in rules:
            assert rule.type is None or rule.type in tax.types
            assert 0 < rule.strength <= 1
