"""Language of an article's text, detected with py3langid (a Naive Bayes model shipped with it).

Pages declare a language (``<html lang>``, ``og:locale``), but templates lie: an English edition
reuses the Turkish site's template, a Turkish article slips into an English feed. The NLP stages
are English-only, so the language that decides whether an article is enriched is the one its
body is written in. :func:`detect_language` reads it; :func:`choose_language` prefers it over
the declared one when the model is confident, and keeps the declared one otherwise (a short or
mixed text).

The model (about 1 s to load) is loaded once per process, on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Below these, detection is a guess: keep the declared language.
MIN_PROBABILITY = 0.80
MIN_CHARS = 80
# Enough text to decide; longer bodies only cost time (the score is per byte).
_SAMPLE_CHARS = 4000


@dataclass(frozen=True)
class Detection:
    """The most likely language (ISO 639-1) and its probability (0..1)."""

    language: str
    probability: float

    @property
    def confident(self) -> bool:
        return self.probability >= MIN_PROBABILITY


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier with normalized probabilities, loaded once."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> Detection | None:
    """The language *text* is written in, or ``None`` when it is too short to tell.

    Args:
        text: the article's title and body (plain text).
    """
    sample = " ".join(text.split())[:_SAMPLE_CHARS]
    if len(sample) < MIN_CHARS:
        return None
    language, probability = _identifier().classify(sample)
    return Detection(language=str(language), probability=float(probability))


def declared_code(value: str | None) -> str | None:
    """The primary language subtag of a declared language: ``en-US`` / ``tr_TR`` -> ``en`` / ``tr``."""
    code = (value or "").strip().replace("_", "-").split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def choose_language(detected: Detection | None, declared: str | None) -> str | None:
    """The article's language: the detected one when confident, else the declared one."""
    if detected is not None and detected.confident:
        return detected.language
    return declared or (detected.language if detected is not None else None)
