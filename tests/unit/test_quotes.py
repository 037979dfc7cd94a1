"""Direct quotations: finding them in the original text and attributing them to speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.nlp.evaluate_events import HandEntity, annotate_text, load_nlp
from pipeline.nlp.quotes import find_quotes

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "duvar-english-amor-imamoglu.txt"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def texts(text: str) -> list[str]:
    return [q.text(text) for q in find_quotes(text)]


def test_typographic_and_straight_quotes() -> None:
    text = 'He said “we will win” and she said "we will not." Then ‘single’ marks stay.'
    assert texts(text) == ["we will win", "we will not."]
    q = find_quotes(text)[0]
    assert text[q.start : q.end] == "we will win"  # offsets of the quoted text, marks excluded


def test_quote_continues_across_paragraphs_without_closing_mark() -> None:
    text = "Özel said:\n“We will win this struggle.\n“Nobody can silence us,” he added.\nThe end."
    (q,) = find_quotes(text)
    assert q.text(text) == "We will win this struggle.\nNobody can silence us,"
    assert text[q.start : q.start + 6] == "We wil" and text[q.end - 3 : q.end] == "us,"


def test_unterminated_quote_ends_with_its_paragraph() -> None:
    text = "“This never closes\nNext paragraph is narration. “Short,” he said."
    assert texts(text) == ["This never closes", "Short,"]


def test_stray_closing_marks_are_ignored() -> None:
    assert texts("It was 5” long. “Real quote” here.") == ["Real quote"]


def attributed(nlp, text: str, hand: list[HandEntity]) -> dict[str, str | None]:
    _, quotes, _ = annotate_text(text, None, hand, nlp)
    return {q.text[:20]: q.speaker_name for q in quotes}


def test_speaker_patterns(nlp) -> None:
    hand = [
        HandEntity("Özgür Özel", "PERSON", ("Özel",)),
        HandEntity("Ali Yerlikaya", "PERSON", ("Yerlikaya",)),
        HandEntity("Kemal Kılıçdaroğlu", "PERSON", ("Kılıçdaroğlu",)),
    ]
    text = (
        "“We will win,” Özel said.\n"
        "“Provocations will not be tolerated,” said Ali Yerlikaya.\n"
        "Kılıçdaroğlu told reporters: “The judiciary is a weapon.”\n"
        "Özel arrived later. “Nobody can silence us,” he said.\n"
        "Yerlikaya posted a video on X, saying: “Order will be kept.”\n"
    )
    got = attributed(nlp, text, hand)
    assert got["We will win,"] == "Özgür Özel"
    assert got["Provocations will no"] == "Ali Yerlikaya"
    assert got["The judiciary is a w"] == "Kemal Kılıçdaroğlu"
    assert got["Nobody can silence u"] == "Özgür Özel"
    assert got["Order will be kept."] == "Ali Yerlikaya"


def test_seed_article_quotes_go_to_the_right_speakers(nlp) -> None:
    assert SEED.exists(), f"shared/seed missing at {SEED}"
    text = SEED.read_text(encoding="utf-8")
    hand = [
        HandEntity("Nacho Sanchez Amor", "PERSON", ("Amor",)),
        HandEntity("Ekrem İmamoğlu", "PERSON", ("İmamoğlu",)),
    ]
    _, quotes, _ = annotate_text(text, None, hand, nlp)
    speakers = [(q.text.split()[0], q.speaker_name) for q in quotes]
    assert speakers == [
        ("twice", "Nacho Sanchez Amor"),
        ("I", "Nacho Sanchez Amor"),  # “I congratulate you twice ...,” Amor told İmamoğlu
        ("I", "Ekrem İmamoğlu"),  # “I want you to know ...,” İmamoğlu said
        ("ripen", "Ekrem İmamoğlu"),  # partial quote inside the same sentence
        ("The", "Ekrem İmamoğlu"),  # “The real job ...,” he said.
        ("Together", "Ekrem İmamoğlu"),  # posted photos on Twitter, saying: “...”
    ]
    for q in quotes:
        assert text[q.start : q.end] == q.text  # single-paragraph quotes: exact original slice
