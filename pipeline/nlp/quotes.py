"""Direct quotations and their speakers.

Two steps, both pure:

1. :func:`find_quotes` scans the ORIGINAL text for quotation marks (straight ``"`` and typographic
   ``“ ” „ « »``), paragraph by paragraph. A quote whose paragraph ends without a closing mark
   continues when the next paragraph opens with a quotation mark (the news convention for long
   quotes); otherwise it ends with its paragraph.
2. :func:`attribute_quotes` finds the speaker with the dependency parse of the same text: the
   verb of saying nearest the quote outside it ("X said", "said X", "X told Y", "X added",
   "X posted ..., saying: “…”", partial quotes governed by "congratulated", "called" ...), its
   subject (climbing from participles like "saying" to the clause they hang on), a speaker before
   a colon, "according to X". A quote paragraph without any of these continues the previous
   quote's speaker when that quote was in the same or the previous paragraph.

Quote offsets are those of the quoted text without the marks, in the original text; a quote over
several paragraphs spans from its first to its last word and its text joins the paragraphs with
a newline (the marks that reopen each paragraph are left out).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.nlp.records import Quote

_MARK = re.compile(r"[\"“”„«»]")
_OPENERS = frozenset("“„«")
_CLOSERS = frozenset("”»")
_PARAGRAPH = re.compile(r"[^\n]+")

SpeakerResolver = Callable[[object], "tuple[str | None, str | None] | None"]


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation found in the original text.

    Attributes:
        segments: (start, end) of the quoted text of each paragraph, without marks.
        open_mark: offset of the first opening mark.
        close_mark: offset of the final closing mark, or ``None`` if the quote is unterminated.
        paragraph: index of the paragraph where the quote starts.
    """

    segments: tuple[tuple[int, int], ...]
    open_mark: int
    close_mark: int | None
    paragraph: int

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]

    @property
    def region_end(self) -> int:
        """End of the quote including its closing mark."""
        return self.close_mark + 1 if self.close_mark is not None else self.end

    def text(self, original: str) -> str:
        return "\n".join(original[s:e] for s, e in self.segments)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _looks_closing(text: str, pos: int) -> bool:
    """A straight quote that follows a word and precedes a space or punctuation closes."""
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)")


def find_quotes(text: str) -> tuple[QuoteSpan, ...]:
    """Find the direct quotations in *text* (the original article text).

    Args:
        text: the original text.

    Returns:
        The quotations in order, with offsets into *text*.
    """
    quotes: list[QuoteSpan] = []
    segments: list[tuple[int, int]] = []
    seg_start = -1
    open_mark = -1
    open_para = 0
    is_open = False

    def emit(close: int | None) -> None:
        kept = [(s, e) for s, e in (_strip(text, s, e) for s, e in segments) if e > s]
        if kept:
            quotes.append(QuoteSpan(tuple(kept), open_mark, close, open_para))

    for p_index, para in enumerate(_PARAGRAPH.finditer(text)):
        p_start, p_end = para.span()
        marks = [m.start() for m in _MARK.finditer(text, p_start, p_end)]
        if is_open:
            first = p_start
            while first < p_end and text[first].isspace():
                first += 1
            if marks and marks[0] == first and (text[first] in _OPENERS or text[first] == '"'):
                seg_start = first + 1
                marks = marks[1:]
            else:
                emit(None)
                is_open = False
                segments = []
        for pos in marks:
            ch = text[pos]
            if not is_open:
                if ch in _CLOSERS or (ch == '"' and _looks_closing(text, pos)):
                    continue  # stray closing mark
                is_open, open_mark, open_para, seg_start, segments = True, pos, p_index, pos + 1, []
            elif ch in _OPENERS:
                open_mark, open_para, seg_start, segments = pos, p_index, pos + 1, []
            else:
                segments.append((seg_start, pos))
                emit(pos)
                is_open, segments = False, []
        if is_open:
            segments.append((seg_start, p_end))
    if is_open:
        emit(None)
    return tuple(quotes)


def _distance(tok_start: int, tok_end: int, q_start: int, q_end: int) -> int:
    if tok_end <= q_start:
        return q_start - tok_end
    if tok_start >= q_end:
        return tok_start - q_end
    return 0


def _speaker_token(verb: object) -> object | None:
    """The subject of a verb of saying, climbing from participles and conjuncts."""
    cur = verb
    for _ in range(4):
        subs = [c for c in cur.children if c.dep_ in {"nsubj", "nsubjpass"}]  # type: ignore[attr-defined]
        if subs:
            # of two subjects (an appositive parsed as a second one) the one nearest the verb
            before = [c for c in subs if c.i < cur.i]  # type: ignore[attr-defined]
            return max(before, key=lambda c: c.i) if before else subs[0]
        if cur.dep_ in {"advcl", "conj", "xcomp", "ccomp", "acl", "pcomp"} and cur.head is not cur:  # type: ignore[attr-defined]
            cur = cur.head  # type: ignore[attr-defined]
            continue
        return None
    return None


def attribute_quotes(
    doc: object,
    original: str,
    spans: Sequence[QuoteSpan],
    to_prepared: Callable[[int], int],
    resolve: SpeakerResolver,
    quote_verbs: frozenset[str],
) -> tuple[Quote, ...]:
    """Attribute each quotation to its speaker.

    Args:
        doc: the spaCy ``Doc`` of the prepared text.
        original: the original text (quote offsets index it).
        spans: quotations from :func:`find_quotes`.
        to_prepared: maps an original offset to the prepared text's offset.
        resolve: maps the speaker's head token to ``(entity_id, name)`` (pronouns resolved), or
            ``None`` when it names nobody.
        quote_verbs: lemmas of verbs that introduce quotations.

    Returns:
        One :class:`Quote` per span; speaker fields are ``None`` when nobody could be found.
    """
    regions = [(to_prepared(q.open_mark), to_prepared(q.region_end)) for q in spans]
    out: list[Quote] = []
    last: tuple[int, tuple[str | None, str | None]] | None = None  # (paragraph, speaker)
    for q, (q_start, q_end) in zip(spans, regions, strict=True):
        speaker: tuple[str | None, str | None] | None = None
        sents = []
        first = doc.char_span(q_start, min(q_start + 1, len(doc.text)), alignment_mode="expand")  # type: ignore[attr-defined]
        last_tok = doc.char_span(max(q_end - 1, 0), q_end, alignment_mode="expand")  # type: ignore[attr-defined]
        for span in (first, last_tok):
            if span is not None and len(span) and span[0].sent not in sents:
                sents.append(span[0].sent)
        best = None
        best_dist = 10**9
        colon_speaker = None
        for sent in sents:
            for tok in sent:
                t_start, t_end = tok.idx, tok.idx + len(tok)
                if any(rs <= t_start < re_ for rs, re_ in regions):
                    continue
                if tok.lemma_ == "according" and _distance(t_start, t_end, q_start, q_end) < 200:
                    for child in tok.children:
                        for obj in child.children:
                            if obj.dep_ == "pobj":
                                best, best_dist = obj, -1
                if tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in quote_verbs:
                    dist = _distance(t_start, t_end, q_start, q_end)
                    if dist < best_dist:
                        speaker_tok = _speaker_token(tok)
                        if speaker_tok is not None:
                            best, best_dist = speaker_tok, dist
                if tok.text == ":" and t_end <= q_start and q_start - t_end <= 2 and tok.i > sent.start:
                    colon_speaker = doc[tok.i - 1]  # type: ignore[index]
        if best is not None:
            speaker = resolve(best)
        if speaker is None and colon_speaker is not None:
            speaker = resolve(colon_speaker)
        if speaker is None and last is not None and q.paragraph - last[0] <= 1:
            speaker = last[1]
        if speaker is not None:
            last = (q.paragraph, speaker)
        sid, sname = speaker if speaker is not None else (None, None)
        out.append(Quote(sid, sname, q.text(original), q.start, q.end))
    return tuple(out)
