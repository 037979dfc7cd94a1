"""Normalization: text, times, canonical URLs, hashes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize import (
    NormalizationError,
    canonicalize_url,
    choose_canonical,
    clean_body,
    clean_text,
    content_hash,
    normalize_article,
    parse_time,
)
from pipeline.records import ParsedArticle


def test_clean_text_repairs_mojibake_and_nfc() -> None:
    assert clean_text("Ä°mamoÄŸlu  said") == "İmamoğlu said"
    decomposed = "I\u0307stanbul"  # I + combining dot above
    assert clean_text("Kılıc\u0327daroğlu") == "Kılıçdaroğlu"
    assert clean_text(decomposed) == "İstanbul"
    assert clean_text("a\u00a0b\u200b c\t\td") == "a b c d"


def test_clean_body_keeps_paragraphs() -> None:
    body = clean_body(["  First  para. ", "", "Second\npara."])
    assert body == "First para.\n\nSecond para."


@pytest.mark.parametrize(
    ("raw", "tz", "expected"),
    [
        ("2020-01-21T10:15:00+03:00", "UTC", datetime(2020, 1, 21, 7, 15, tzinfo=UTC)),
        ("2020-01-21T10:15:00", "Europe/Istanbul", datetime(2020, 1, 21, 7, 15, tzinfo=UTC)),
        ("2020-01-21T07:15:00Z", "Europe/Istanbul", datetime(2020, 1, 21, 7, 15, tzinfo=UTC)),
        ("Tue, 21 Jan 2020 07:15:00 GMT", "Europe/Istanbul", datetime(2020, 1, 21, 7, 15, tzinfo=UTC)),
        ("22 January 2020 09:40", "Europe/Istanbul", datetime(2020, 1, 22, 6, 40, tzinfo=UTC)),
        ("2020-01-21", "Europe/Istanbul", datetime(2020, 1, 20, 21, 0, tzinfo=UTC)),
        ("not a date", "UTC", None),
        ("", "UTC", None),
        (None, "UTC", None),
    ],
)
def test_parse_time(raw: str | None, tz: str, expected: datetime | None) -> None:
    assert parse_time(raw, tz) == expected


def test_canonicalize_url() -> None:
    assert (
        canonicalize_url(
            "HTTPS://WWW.DuvarEnglish.com:443//politics/x-news-1?utm_source=rss&utm_medium=feed&p=2#top"
        )
        == "https://www.duvarenglish.com/politics/x-news-1?p=2"
    )
    assert canonicalize_url("http://example.org:8080/a?fbclid=1") == "http://example.org:8080/a"
    assert canonicalize_url("/x", base="http://h.org/a/b") == "http://h.org/x"


def test_choose_canonical_resolves_relative_and_ignores_homepage() -> None:
    assert (
        choose_canonical("http://h.org/a-news-1?utm_source=x", "/politics/a-news-1")
        == "http://h.org/politics/a-news-1"
    )
    assert choose_canonical("http://h.org/a-news-1", "https://h.org/") == "http://h.org/a-news-1"
    assert choose_canonical("http://h.org/a-news-1", None) == "http://h.org/a-news-1"
    assert choose_canonical("http://h.org/a-news-1", "javascript:void(0)") == "http://h.org/a-news-1"


def _parsed(**kw: object) -> ParsedArticle:
    base = {
        "url": "http://h.org/a-news-1",
        "title": "T",
        "body": "Body text here.",
        "published_at": "2020-01-21T10:15:00",
    }
    return ParsedArticle(**{**base, **kw})  # type: ignore[arg-type]


def test_normalize_article() -> None:
    art = normalize_article(
        _parsed(authors=("Duvar English", "duvar english"), tags=("CHP", " chp ", "AKP"), language="en-US"),
        source_id="s",
        timezone="Europe/Istanbul",
    )
    assert art.published_at == datetime(2020, 1, 21, 7, 15, tzinfo=UTC)
    assert art.authors == ("Duvar English",)
    assert art.tags == ("CHP", "AKP")
    assert art.language == "en"
    assert art.word_count == 3
    assert art.content_hash == content_hash("T", "Body text here.")


def test_normalize_uses_claimed_time_only_as_fallback() -> None:
    claimed = datetime(2020, 1, 1, tzinfo=UTC)
    art = normalize_article(
        _parsed(published_at=None), source_id="s", timezone="UTC", fallback_published=claimed
    )
    assert art.published_at == claimed
    art = normalize_article(_parsed(), source_id="s", timezone="UTC", fallback_published=claimed)
    assert art.published_at != claimed


@pytest.mark.parametrize("field", ["title", "body"])
def test_normalize_rejects_empty(field: str) -> None:
    with pytest.raises(NormalizationError, match=f"no {field}"):
        normalize_article(_parsed(**{field: "  "}), source_id="s", timezone="UTC")


@given(st.text(max_size=300))
def test_clean_text_output_is_tidy(text: str) -> None:
    import unicodedata

    out = clean_text(text)
    assert out == out.strip()
    assert "  " not in out and "\u200b" not in out
    assert unicodedata.is_normalized("NFC", out)


@given(st.text(max_size=200), st.text(max_size=50))
def test_canonicalize_never_crashes_and_is_idempotent(path: str, query: str) -> None:
    url = f"http://example.org/{path}?{query}"
    try:
        once = canonicalize_url(url)
    except ValueError:
        return  # urllib rejects some hostile input (e.g. bad ports) with ValueError: a clear error
    assert canonicalize_url(once) == once


@given(st.text(max_size=60))
def test_parse_time_never_raises(text: str) -> None:
    result = parse_time(text, "Europe/Istanbul")
    assert result is None or result.tzinfo is not None
