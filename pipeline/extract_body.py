"""Find an article's body text in a page: our own density extractor, checked against trafilatura.

Two independent extractors read the page:

* **density** (ours): the page is cut into text segments (every paragraph-like element, each
  table row, and the loose text a ``<div>`` holds between ``<br>`` tags); boilerplate blocks are
  dropped by tag, role and class/id words; the element whose segments hold the most prose wins
  (readability-style scoring, discounted by its link density; teasers cut short with "..." and
  list items count for little). Sibling and same-class elements that are also dense join it: many
  sites cut one body into several containers around ads. A schema.org ``articleBody`` element
  with a body's worth of text is taken as it is.
* **generic**: trafilatura's ``extract`` (fast mode, no comments), a well-tested general extractor.

They fail differently: ours is precise but can miss text inside the article that is not prose
(a table, a quoted post); trafilatura finds all the text but keeps more boilerplate (promos,
"read more" links, teasers). So they vote, paragraph by paragraph, ours being the base:

* a trafilatura paragraph ours lacks is added when it sits *between* paragraphs both have and
  our cleaner kept it as text (it was not a link or a boilerplate block);
* ours' trailing paragraphs trafilatura lacks are dropped (teasers, appeals, author boxes), and
  leading short lines it lacks (headline, dateline, keywords), as long as most of ours remains;
* when ours finds less than a body (40 words), trafilatura's text is taken whole.

Both keep what sits inside the article container, so closing credit lines ("Source: TRT World
and agencies") and the outlet's standing notices (subscription appeals) are dropped from the end
of the result by their wording.

On the public article-extraction benchmark this scores F1 0.981 where trafilatura alone scores
0.953 (``python -m pipeline evaluate-extraction``). The module is pure: HTML in, paragraphs out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from lxml import etree
from lxml import html as lxml_html

# -- what the tree holds --------------------------------------------------------------------------

# Elements whose whole subtree is never article text.
_DROP_TAGS = frozenset(
    "script style noscript template svg nav aside figure figcaption form iframe button input select "
    "textarea footer video audio picture img object embed dialog menu head title meta link".split()
)  # fmt: skip
# Elements that start a new text segment; everything else is inline and joins its neighbours.
_BLOCK_TAGS = frozenset(
    "p div section article main header h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote pre table "
    "thead tbody tfoot tr caption center address hr body html details summary".split()
)  # fmt: skip
# Segments owned by these are a paragraph themselves; text loose in other blocks is too, but
# there the block is also the container that scores it.
_PARAGRAPHS = frozenset("p h1 h2 h3 h4 h5 h6 li dt dd blockquote pre tr".split())
# Teasers end cut short; list items are often teasers or navigation, so they count for less.
_TRUNCATED = ("...", "…", "[…]", "[...]")
_WEIGHT = {"li": 0.5}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL_PREFIXES = ("http://", "https://", "www.")
_CELLS = frozenset({"td", "th"})

# Class/id tokens that mark boilerplate: a token equal to one of _BOILER_EXACT, or starting with one
# of _BOILER_PREFIX ("jp-relatedposts" -> tokens jp, relatedposts -> "related").
_BOILER_EXACT = frozenset(
    "ad ads adv tag tags meta nav menu print byline dateline credit credits follow like likes more "
    "footer header popup modal banner toolbar widget sidebar gallery video embed".split()
)  # fmt: skip
_BOILER_PREFIX = (
    "share",
    "sharing",
    "sharedaddy",
    "social",
    "related",
    "newsletter",
    "subscri",
    "signup",
    "taglist",
    "keyword",
    "advert",
    "promo",
    "sponsor",
    "caption",
    "breadcrumb",
    "comment",
    "authorbox",
    "authorbio",
    "readmore",
    "morenews",
    "cookie",
    "consent",
    "recommend",
    "trending",
    "mostread",
    "popular",
    "outbrain",
    "taboola",
    "postmeta",
    "entrymeta",
    "articlemeta",
    "metabar",
    "navigation",
    "pagination",
    "donat",
    "supportus",
    "sidebar",
    "widget",
)
_TOKEN_SPLIT = re.compile(r"[-_\s]+|(?<=[a-z])(?=[A-Z])")
_STRONG_BOILER = re.compile(
    r"(related|newsletter|share|social|comment|recommend|trending|caption|tags?\b)", re.IGNORECASE
)
# WordPress and kin label a post with its taxonomy ("tag-politics", "category-news"): not a widget.
_TAXONOMY = ("tag-", "category-")
_SEMANTIC = frozenset({"html", "body", "article", "main"})
_HIDDEN_ROLES = frozenset({"navigation", "complementary", "banner", "contentinfo", "dialog", "menu"})
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?’”)])")

_MIN_BODY_WORDS = 40
# ParsedArticle.extractor: the page's own structure (selector, articleBody, density, agreement), or
# trafilatura's text taken whole because ours found less than a body.
STRUCTURED = "structured"
GENERIC = "generic"
_TRIM_KEEPS = 0.6  # trim edges only when the extractors agree on this share of ours' words
_SHORT_LINE_WORDS = 15
_RANKED = 8  # candidates whose link density is measured


@dataclass
class _Segment:
    """One run of text with the block element that holds it."""

    owner: etree._Element
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0

    @cached_property
    def text(self) -> str:
        """The segment's text, whitespace collapsed (read only once the walk has built it)."""
        return _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join("".join(self.parts).split()))


@dataclass(frozen=True)
class Body:
    """The extracted body: its paragraphs and which extractor produced it."""

    paragraphs: list[str]
    extractor: str


def extract_body(html: str, *, title: str | None = None, container_html: str | None = None) -> Body:
    """The article body of *html*.

    Args:
        html: the decoded page.
        title: the article's title, dropped when the body repeats it.
        container_html: the element a source's ``body`` selector picked, if any; it is trusted
            when it holds a body's worth of text.

    Returns:
        Paragraphs in page order, and ``structured`` (found from the page's structure, possibly
        completed by the vote) or ``generic`` (trafilatura's text, ours having found too little).
    """
    if container_html:
        root = _parse(container_html)
        if root is not None:
            paragraphs = _texts(_segments(_clean(root)), title)
            if _words(paragraphs) >= _MIN_BODY_WORDS:
                return Body(_drop_trailers(paragraphs), STRUCTURED)
    doc = _parse(html)
    ours, segments = _density_body(doc, title) if doc is not None else ([], [])
    body = _vote(ours, _generic_body(html), segments)
    return Body(_drop_trailers(body.paragraphs), body.extractor)


# A closing credit line: who supplied the story, not part of it.
_CREDIT_LINE = re.compile(
    r"^(?:(?:sources?|kaynak)\s*:|(?:reporting|writing|editing|compiled|additional reporting) by\b)", re.I
)
# A standing notice about the outlet's service: subscriptions, newsletters, contact.
_NOTICE = re.compile(r"\bsubscri\w*\b.*\b(?:contact us|subscription options|sign up|subscribe now)\b", re.I)
_CREDIT_WORDS = 12
_NOTICE_WORDS = 60


def _drop_trailers(paragraphs: list[str]) -> list[str]:
    """Drop closing credit lines and service notices from the end of a body (never all of it)."""
    end = len(paragraphs)
    while end > 1:
        last = paragraphs[end - 1]
        words = len(last.split())
        credit = _CREDIT_LINE.match(last) is not None and words <= _CREDIT_WORDS
        notice = _NOTICE.search(last) is not None and words <= _NOTICE_WORDS
        if not (credit or notice):
            break
        end -= 1
    return paragraphs[:end]


# -- parsing and cleaning -------------------------------------------------------------------------


def _parse(html: str) -> etree._Element | None:
    """The lxml tree of *html*, or None for an empty or unparsable document."""
    html = _XML_DECLARATION.sub("", html)  # lxml rejects str input with an encoding declaration
    html = _CONTROL_CHARS.sub(" ", html)  # and text it cannot store (when moving tails around)
    if not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _clean(root: etree._Element) -> etree._Element:
    """Remove comments, non-content elements and boilerplate blocks from *root* (in place)."""
    doomed = []
    stack = [root]
    while stack:  # never looks inside an element already doomed
        for child in stack.pop():
            if not isinstance(child.tag, str) or child.tag in _DROP_TAGS or _is_boilerplate(child):
                doomed.append(child)  # comments and processing instructions too
            else:
                stack.append(child)
    for el in doomed:
        _drop(el)
    return root


def _drop(el: etree._Element) -> None:
    """Remove *el* and its subtree but keep the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _is_boilerplate(el: etree._Element) -> bool:
    """Whether *el* is a navigation, share, related-links, ... block by its attributes."""
    attrib = el.attrib
    if not attrib:
        return False
    if "hidden" in attrib or attrib.get("aria-hidden") == "true":
        return True
    if attrib.get("role") in _HIDDEN_ROLES:
        return True
    if el.tag in _SEMANTIC:  # page-wide or post-wide classes ("tag-politics") say nothing here
        return False
    classes = [c for c in attrib.get("class", "").split() if not c.lower().startswith(_TAXONOMY)]
    marks = f"{' '.join(classes)} {attrib.get('id', '')}"
    if not marks.strip() or not _boiler_marks(marks):
        return False
    # never drop a container that is plainly the article itself
    if attrib.get("itemprop") == "articleBody":
        return False
    return _STRONG_BOILER.search(marks) is not None or not _holds_text(el)


def _holds_text(el: etree._Element) -> bool:
    """Whether a block marked like a widget holds article text: paragraphs, or a quotation
    (an embedded post or tweet is quoted by the article, and sits in an "embed" wrapper)."""
    paragraphs = 0
    for child in el.iter("p", "blockquote"):
        if child.tag == "blockquote":
            return True
        paragraphs += 1
    return paragraphs >= 3


@lru_cache(maxsize=4096)
def _boiler_marks(marks: str) -> bool:
    tokens = [t.lower() for t in _TOKEN_SPLIT.split(marks) if t]
    for i, token in enumerate(tokens):
        if token in _BOILER_EXACT or token.startswith(_BOILER_PREFIX):
            return True
        # compound class names split into tokens: "author-box", "read-more", "post-meta"
        if i + 1 < len(tokens) and (token + tokens[i + 1]).startswith(_BOILER_PREFIX):
            return True
    return "".join(tokens).startswith(_BOILER_PREFIX)


# -- segmentation ----------------------------------------------------------------------------------


def _segments(root: etree._Element) -> list[_Segment]:
    """Cut the tree into text segments, each owned by the nearest enclosing block element."""
    out: list[_Segment] = []
    _walk(root, _Segment(root), out, in_link=False)
    return [s for s in out if s.parts and "".join(s.parts).strip()]


def _walk(el: etree._Element, seg: _Segment, out: list[_Segment], *, in_link: bool) -> _Segment:
    """Append *el*'s text to *seg* (or to new segments at block boundaries); return the open one."""
    tag = el.tag if isinstance(el.tag, str) else ""
    block = tag in _BLOCK_TAGS
    if block:
        out.append(seg)
        seg = _Segment(el)
    elif tag == "br":
        out.append(seg)
        return _Segment(seg.owner, [el.tail or ""])
    elif tag in _CELLS:
        seg.parts.append(" ")
    in_link = in_link or tag == "a"
    if el.text:
        seg.parts.append(el.text)
        if in_link:
            seg.link_chars += len(el.text.strip())
    for child in el:
        seg = _walk(child, seg, out, in_link=in_link)
        if child.tail and child.tag != "br":
            seg.parts.append(child.tail)
            if in_link:
                seg.link_chars += len(child.tail.strip())
    if block:
        out.append(seg)
        parent = el.getparent()
        seg = _Segment(parent if parent is not None else el)
    elif tag in _CELLS:
        seg.parts.append(" ")
    return seg


# -- the density extractor --------------------------------------------------------------------------


def _density_body(doc: etree._Element, title: str | None) -> tuple[list[str], list[_Segment]]:
    """Paragraphs of the densest container (and its dense kin), and all the page's segments.

    A schema.org ``articleBody`` element holding a body's worth of text is taken as the container
    (the largest, when a page repeats it in a hidden microdata block).
    """
    marked = doc.xpath('//*[@itemprop="articleBody"]')
    _clean(doc)
    segments = _segments(doc)
    if marked:
        largest = max(marked, key=lambda el: len(el.text_content()))
        paragraphs = _texts([s for s in segments if _within(s.owner, {largest})], title)
        if _words(paragraphs) >= _MIN_BODY_WORDS:
            return paragraphs, segments
    scores = _container_scores(segments)
    if not scores:
        return _texts(segments, title), segments
    best = _best(scores)
    chosen = _with_kin(best, scores)
    return _texts([s for s in segments if _within(s.owner, chosen)], title), segments


def _container_scores(segments: list[_Segment]) -> dict[etree._Element, float]:
    """Readability-style score per element: the prose of its segments, halved per level up."""
    scores: dict[etree._Element, float] = {}
    for seg in segments:
        text = seg.text
        if len(text) < 25 or seg.link_chars > 0.5 * len(text) or text.endswith(_TRUNCATED):
            continue
        score = (1 + text.count(",") + min(len(text) / 100, 3)) * _WEIGHT.get(seg.owner.tag, 1.0)
        el = seg.owner.getparent() if seg.owner.tag in _PARAGRAPHS else seg.owner
        for weight in (1.0, 0.5, 0.25):
            if el is None or el.tag in ("html", "body"):
                break
            scores[el] = scores.get(el, 0.0) + score * weight
            el = el.getparent()
    return scores


def _best(scores: dict[etree._Element, float]) -> etree._Element:
    """The top-scoring container once its link density is counted (a list of teasers scores
    high on prose but is mostly links)."""
    top = sorted(scores, key=lambda el: scores[el], reverse=True)[:_RANKED]
    return max(top, key=lambda el: scores[el] * (1 - _link_density(el)))


def _link_density(el: etree._Element) -> float:
    text = len(" ".join(el.text_content().split()))
    if not text:
        return 1.0
    links = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return min(1.0, links / text)


def _with_kin(best: etree._Element, scores: dict[etree._Element, float]) -> set[etree._Element]:
    """*best*, its dense siblings, and elements of the same tag and class (split bodies)."""
    chosen = {best}
    floor = max(3.0, 0.2 * scores[best])
    parent = best.getparent()
    if parent is not None:
        chosen.update(sib for sib in parent if sib is not best and scores.get(sib, 0.0) >= floor)
    klass = best.get("class")
    if klass:
        chosen.update(
            el
            for el in scores
            if el is not best and el.tag == best.tag and el.get("class") == klass and scores[el] >= 3.0
        )
    # a page that repeats the body (print or mobile copy) would otherwise give it twice
    texts = {" ".join(best.text_content().split())}
    unique = {best}
    for el in chosen - {best}:
        text = " ".join(el.text_content().split())
        if text not in texts:
            texts.add(text)
            unique.add(el)
    return unique


def _within(el: etree._Element | None, roots: set[etree._Element]) -> bool:
    while el is not None:
        if el in roots:
            return True
        el = el.getparent()
    return False


def _texts(segments: list[_Segment], title: str | None) -> list[str]:
    """The text of each segment worth keeping: not the title, not a link list."""
    out: list[str] = []
    for seg in segments:
        text = seg.text
        if not text or (title and text == title.strip()) or _is_link(seg, 0.8):
            continue
        out.append(text)
    return out


def _is_link(seg: _Segment, share: float) -> bool:
    """Whether *seg* is mostly link text (a promo, a "read more", a related-stories item).

    A link that shows its own address is a cited source, not navigation, and stays.
    """
    text = seg.text
    return seg.link_chars > share * len(text) and len(text) < 200 and not text.startswith(_URL_PREFIXES)


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


# -- the generic extractor and the vote --------------------------------------------------------------


def _generic_body(html: str) -> list[str]:
    import trafilatura

    text = trafilatura.extract(html, fast=True, include_comments=False)
    if not text:
        return []
    paragraphs = (" ".join(line.split()) for line in text.split("\n"))
    return [p for p in paragraphs if p]


_WORD = re.compile(r"\w+")


def _shingles(text: str) -> set[tuple[str, ...]]:
    tokens = _WORD.findall(text.lower())
    if len(tokens) < 3:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}


Shingles = set[tuple[str, ...]]


def _shingle_set(texts: Iterable[str]) -> Shingles:
    out: Shingles = set()
    for text in texts:
        out |= _shingles(text)
    return out


def _vote(ours: list[str], generic: list[str], segments: list[_Segment]) -> Body:
    """Merge the two extractions paragraph by paragraph (see the module docstring).

    Args:
        ours: the density extractor's paragraphs.
        generic: trafilatura's paragraphs.
        segments: every segment of the cleaned page; a generic paragraph that is not among
            them (or only as a link) is boilerplate our cleaner recognised, and is not added.
    """
    if not generic:
        return Body(ours, STRUCTURED)
    if _words(ours) < _MIN_BODY_WORDS:
        return Body(generic, GENERIC)
    generic_sh = [_shingles(p) for p in generic]
    ours = _trim(ours, set().union(*generic_sh))
    owner: dict[tuple[str, ...], int] = {}  # shingle -> the first paragraph of ours holding it
    for j, paragraph in enumerate(ours):
        for sh in _shingles(paragraph):
            owner.setdefault(sh, j)
    agreed = [_overlaps(sh, owner.keys()) for sh in generic_sh]
    hits = [i for i, ok in enumerate(agreed) if ok]
    extra: dict[int, list[str]] = {}  # paragraph of ours -> generic paragraphs to insert after it
    prose: Shingles | None = None
    anchor = 0
    for i in range(hits[0], hits[-1] + 1) if hits else ():
        if agreed[i]:
            anchor = Counter(owner[sh] for sh in generic_sh[i] if sh in owner).most_common(1)[0][0]
            continue
        if prose is None:
            prose = _shingle_set(seg.text for seg in segments if not _is_link(seg, 0.5))
        if _overlaps(generic_sh[i], prose):
            extra.setdefault(anchor, []).append(generic[i])
    merged: list[str] = []
    for j, paragraph in enumerate(ours):
        merged.append(paragraph)
        merged.extend(extra.get(j, []))
    return Body(merged, STRUCTURED)


def _trim(ours: list[str], generic: Shingles) -> list[str]:
    """Drop ours' edge paragraphs the generic extractor does not have.

    Teasers, donation appeals and author boxes sit at a container's end, headlines, datelines
    and keyword lines at its start; when the two extractors agree on the rest, an edge paragraph
    only ours kept is most likely one of them. At the start only short lines go: losing a lede
    costs more than keeping a stray line.
    """
    hits = [j for j, p in enumerate(ours) if _overlaps(_shingles(p), generic)]
    if not hits:
        return ours
    start = 0
    while start < hits[0] and len(ours[start].split()) <= _SHORT_LINE_WORDS:
        start += 1
    kept = ours[start : hits[-1] + 1]
    return kept if _words(kept) >= _TRIM_KEEPS * _words(ours) else ours


def _overlaps(shingles: Shingles, reference: Collection[tuple[str, ...]]) -> bool:
    """Whether most of a paragraph's *shingles* are in *reference*."""
    return bool(shingles) and sum(1 for sh in shingles if sh in reference) >= 0.5 * len(shingles)
