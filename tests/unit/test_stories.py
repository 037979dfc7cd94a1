"""Story signatures: lightly edited copies are similar, different stories on one topic are not."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline import stories
from tests.support.wire_copy import SAME_TOPIC, WIRE, edited, text

COPIES = {
    "new intro, one paragraph dropped": edited(
        WIRE, intro="ANKARA (Duvar) - Lawmakers clashed over the election bill on Thursday.", drop=4
    ),
    "new intro, another paragraph dropped, wording changed": edited(
        WIRE,
        intro="The election law debate began in parliament.",
        drop=7,
        replace=("on Thursday", "this week"),
    ),
    "first six paragraphs only, one of them dropped": edited(WIRE[:6], intro="A shorter version.", drop=2),
}


def exact_jaccard(a: str, b: str) -> float:
    x, y = stories.shingles(a), stories.shingles(b)
    return len(x & y) / len(x | y)


def test_lightly_edited_copies_are_one_story() -> None:
    wire = stories.signature(text(WIRE))
    for name, copy in COPIES.items():
        sim = stories.similarity(wire, stories.signature(copy))
        assert sim >= stories.THRESHOLD, (name, sim)
        # the estimate stays near the exact Jaccard similarity (MinHash error ~0.045)
        assert abs(sim - exact_jaccard(text(WIRE), copy)) < 0.15, name
        # and LSH makes the pair a candidate: at least one band key in common
        assert set(stories.band_keys(wire)) & set(stories.band_keys(stories.signature(copy))), name


def test_different_stories_on_the_same_topic_are_not() -> None:
    signatures = [stories.signature(text(WIRE))] + [stories.signature(text(t)) for t in SAME_TOPIC]
    for i, a in enumerate(signatures):
        for b in signatures[i + 1 :]:
            assert stories.similarity(a, b) < 0.2


def test_signatures_are_deterministic_and_round_trip() -> None:
    a, b = stories.signature(text(WIRE)), stories.signature(text(WIRE))
    assert a.to_bytes() == b.to_bytes() and stories.band_keys(a) == stories.band_keys(b)
    back = stories.Signature.from_bytes(a.to_bytes(), a.shingles)
    assert stories.similarity(a, back) == 1.0
    assert len(stories.band_keys(a)) == stories.BANDS
    assert stories.BANDS * stories.ROWS <= stories.NUM_PERM


def test_normalization_ignores_case_and_punctuation() -> None:
    assert stories.shingles("İmamoğlu met Amor, in Istanbul.") == stories.shingles(
        "i̇mamoğlu MET amor in istanbul"
    )
    assert stories.shingles("two words") == {"two words"}
    assert stories.shingles("  ...  ") == set()


def test_empty_text_matches_nothing_and_has_no_bands() -> None:
    empty = stories.signature("")
    assert empty.shingles == 0 and stories.band_keys(empty) == []
    assert stories.similarity(empty, stories.signature("")) == 0.0


def test_lsh_parameters_favour_recall_at_the_threshold() -> None:
    bands, rows = stories.lsh_params()

    def p(s: float) -> float:
        return 1 - (1 - s**rows) ** bands

    assert p(stories.THRESHOLD) > 0.95 and p(0.1) < 0.05


def test_choose_cluster_takes_the_most_similar_then_earliest() -> None:
    cands = [
        stories.Candidate("b", "cluster-b", 0.7, 200.0),
        stories.Candidate("c", "cluster-c", 0.9, 300.0),
        stories.Candidate("d", "cluster-d", 0.9, 100.0),
        stories.Candidate("e", "cluster-e", 0.3, 50.0),
    ]
    choice = stories.choose_cluster("a", cands)
    assert choice == stories.Assignment("cluster-d", 0.9, "d")
    assert stories.choose_cluster("a", list(reversed(cands))) == choice
    assert stories.choose_cluster("a", [cands[3]]) == stories.Assignment("a", 1.0, None)
    assert stories.choose_cluster("a", []) == stories.Assignment("a", 1.0, None)


@given(st.lists(st.text(alphabet="abc de", min_size=1, max_size=30), min_size=1, max_size=8))
def test_similarity_is_symmetric_and_bounded(texts: list[str]) -> None:
    sigs = [stories.signature(t) for t in texts]
    for a in sigs:
        for b in sigs:
            s = stories.similarity(a, b)
            assert 0.0 <= s <= 1.0 and s == stories.similarity(b, a)
        if a.shingles:
            assert stories.similarity(a, a) == 1.0
