"""Language of the body, detected with py3langid, beside the declared one (pipeline.language)."""

from __future__ import annotations

from pipeline.language import Detection, choose_language, declared_code, detect_language
from pipeline.normalize import normalize_article
from pipeline.records import ParsedArticle

ENGLISH = (
    "Lawmakers began debating the election law on Monday, with opposition parties promising to vote"
    " against the changes, which they say would shut newly founded parties out of the next race."
)
TURKISH = (
    "Meclis Genel Kurulu'nda seçim kanununda değişiklik öngören teklifin görüşmelerine pazartesi günü"
    " başlandı. Muhalefet partileri, yeni kurulan partilerin seçime girmesini engelleyeceğini"
    " söyledikleri düzenlemeye karşı oy kullanacaklarını açıkladı."
)


def test_detects_english_and_turkish_with_a_probability() -> None:
    en = detect_language(ENGLISH)
    tr = detect_language(TURKISH)
    assert en is not None and en.language == "en" and en.confident
    assert tr is not None and tr.language == "tr" and tr.confident


def test_too_short_a_text_is_not_detected() -> None:
    assert detect_language("Erdoğan") is None


def test_declared_codes() -> None:
    assert declared_code("en-US") == "en"
    assert declared_code("tr_TR") == "tr"
    assert declared_code(" EN ") == "en"
    assert declared_code("{{lang}}") is None
    assert declared_code(None) is None


def test_choose_prefers_a_confident_detection() -> None:
    assert choose_language(Detection("tr", 0.99), "en") == "tr"
    assert choose_language(Detection("tr", 0.40), "en") == "en"
    assert choose_language(Detection("tr", 0.40), None) == "tr"
    assert choose_language(None, "en") == "en"
    assert choose_language(None, None) is None


def _parsed(body: str, language: str | None) -> ParsedArticle:
    return ParsedArticle(url="https://e.org/p/x", title="Seçim kanunu", body=body, language=language)


def test_normalize_stores_detected_and_declared_language() -> None:
    art = normalize_article(_parsed(TURKISH, "en-US"), source_id="s", timezone="UTC")
    assert (art.language, art.declared_language) == ("tr", "en")
    art = normalize_article(_parsed(ENGLISH, "en"), source_id="s", timezone="UTC")
    assert (art.language, art.declared_language) == ("en", "en")
    # a short body: the declared language stands
    art = normalize_article(_parsed("Kısa.", "tr"), source_id="s", timezone="UTC")
    assert (art.language, art.declared_language) == ("tr", "tr")
