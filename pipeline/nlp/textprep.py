"""Prepare article text for a statistical model while keeping offsets into the original.

Typographic quotes and apostrophes and odd spaces become their plain ASCII forms one character
for one character, so most offsets do not move at all. Characters that carry nothing (zero-width
spaces and joiners, soft hyphens, BOMs) are dropped; :class:`Prepared` maps offsets in the
prepared text back to the original.
"""

from __future__ import annotations

from dataclasses import dataclass

_ONE_FOR_ONE = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark (also the typographic apostrophe)
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",  # modifier letter apostrophe
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u00a0": " ",  # no-break space
        "\u2007": " ",
        "\u202f": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u3000": " ",
        "\u2013": "-",  # en dash
        "\u2212": "-",  # minus sign
        "\u2026": ".",  # ellipsis -> one full stop keeps length
    }
)
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


@dataclass(frozen=True)
class Prepared:
    """Model-ready text and the way back to the original's offsets."""

    text: str
    original: str
    _index: tuple[int, ...] | None = None  # original offset of each prepared offset (+ the end)

    def to_original(self, i: int) -> int:
        """Map an offset in :attr:`text` to the matching offset in :attr:`original`."""
        return i if self._index is None else self._index[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the prepared text back to the original."""
        if self._index is None or end <= start:
            return self.to_original(start), self.to_original(end)
        return self._index[start], self._index[end - 1] + 1


def prepare(text: str) -> Prepared:
    """Return the model-ready form of *text* with an offset map back to it."""
    mapped = text.translate(_ONE_FOR_ONE)
    if not any(c in _DROP for c in mapped):
        return Prepared(mapped, text)
    kept: list[str] = []
    index: list[int] = []
    for i, c in enumerate(mapped):
        if c not in _DROP:
            kept.append(c)
            index.append(i)
    index.append(len(mapped))
    return Prepared("".join(kept), text, tuple(index))
