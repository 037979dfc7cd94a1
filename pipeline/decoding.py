"""Turn fetched bytes into text with the right character encoding.

Order of evidence, as browsers use it: a byte-order mark, then the HTTP ``Content-Type`` charset,
then a ``<meta charset>`` / ``http-equiv`` declaration in the first bytes, then UTF-8 if the bytes
are valid UTF-8, then statistical detection. Latin-1 labels in the header are weak evidence (many
servers send them by default), so a meta declaration overrides them; a Turkish windows-1254 page
declared only in its ``<meta>`` decodes right.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.IGNORECASE)
_HEADER_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.+-]+)", re.IGNORECASE)
_WEAK = {"iso-8859-1", "latin-1", "latin1", "ascii", "us-ascii", "iso8859-1", "windows-1252"}
# The WHATWG encoding standard maps these labels to what browsers really use.
_ALIASES = {
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "iso-8859-9": "windows-1254",
    "latin5": "windows-1254",
    "x-sjis": "shift_jis",
}


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, lower-cased, if any."""
    if not content_type:
        return None
    match = _HEADER_RE.search(content_type)
    return match.group(1).lower() if match else None


def _known(label: str | None) -> str | None:
    if not label:
        return None
    label = _ALIASES.get(label.lower(), label.lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode *body*; return ``(text, encoding used)``. Never raises on bad bytes."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace"), name

    header = _known(charset_from_content_type(content_type))
    meta_match = _META_RE.search(body[:8192])
    meta = _known(meta_match.group(1).decode("ascii", "ignore")) if meta_match else None

    candidates: list[str] = []
    if header and (header not in _WEAK_NAMES or not meta):
        candidates.append(header)
    if meta:
        candidates.append(meta)
    if header:
        candidates.append(header)
    for name in candidates:
        try:
            return body.decode(name), name
        except UnicodeDecodeError:
            continue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    name = _detect(body)
    return body.decode(name, errors="replace"), name


# Letters a Latin-script news page plausibly uses (Turkish included); everything else outside
# ASCII counts against a candidate encoding.
_PLAUSIBLE = frozenset("çğıöşüÇĞİÖŞÜâêîôûÂÊÎÔÛàáèéìíòóùúÀÁÈÉÌÍÒÓÙÚäëïÄËÏñÑßøØåÅæÆœŒ€£§°«»“”‘’–—…•·")
_CANDIDATES = ("windows-1254", "windows-1252", "iso-8859-2", "windows-1250", "iso-8859-15")


def _implausible(text: str) -> int:
    return sum(1 for c in text if ord(c) > 127 and c not in _PLAUSIBLE)


def _detect(body: bytes) -> str:
    """Pick the encoding whose decoding looks most like Latin-script news text."""
    sample = body[:200_000]
    names: list[str] = []
    for match in charset_normalizer.from_bytes(sample):
        known = _known(match.encoding)
        if known and known not in names:
            names.append(known)
    names += [n for n in (_known(c) for c in _CANDIDATES) if n and n not in names]
    best, best_score = "utf-8", None
    for name in names:
        try:
            score = _implausible(sample.decode(name))
        except UnicodeDecodeError:
            continue
        if best_score is None or score < best_score:
            best, best_score = name, score
    return best


_WEAK_NAMES = {codecs.lookup(_ALIASES.get(n, n)).name for n in _WEAK}
