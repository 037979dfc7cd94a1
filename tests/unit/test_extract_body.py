"""Body extraction on small pages built to show one layout each (pipeline.extract_body)."""

from __future__ import annotations

from html import escape as html_escape

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.extract_body import GENERIC, STRUCTURED, _Segment, _vote, extract_body

PROSE = [
    "The council voted on Tuesday to approve the new budget, which raises spending on schools, "
    "clinics and roads by a tenth.",
    "Opposition members said the plan, drafted in a hurry, left out the villages in the north, "
    "where the roads are worst.",
    "The mayor, speaking after the vote, said the northern roads would be repaired next year, "
    "once the tenders are done.",
    "Residents interviewed outside the hall were divided, some praising the schools, others "
    "doubting the roads would ever come.",
]


def _page(body: str) -> str:
    return (
        "<html><head><title>Budget passes</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/politics'>Politics</a></nav>"
        f"{body}"
        "<footer><p>Copyright 2024 The Daily Example. All rights reserved, everywhere.</p></footer>"
        "</body></html>"
    )


def _related() -> str:
    links = "".join(
        f"<li><a href='/a{i}'>Another story about the budget, number {i}</a></li>" for i in range(6)
    )
    return f"<div class='related-posts'><h3>Related</h3><ul>{links}</ul></div>"


def test_body_split_around_an_ad_is_read_whole() -> None:
    html = _page(
        "<article><h1>Budget passes</h1>"
        f"<div class='article-body'><p>{PROSE[0]}</p><p>{PROSE[1]}</p></div>"
        "<div class='ad-slot'><p>Advertisement</p></div>"
        f"<div class='article-body'><p>{PROSE[2]}</p><p>{PROSE[3]}</p></div>"
        f"{_related()}</article>"
    )
    body = extract_body(html, title="Budget passes")
    assert body.paragraphs == PROSE
    assert body.extractor == STRUCTURED


def test_loose_text_between_line_breaks_is_paragraphs() -> None:
    html = _page(f"<div class='content'>{PROSE[0]}<br><br>{PROSE[1]}<br><br>{PROSE[2]}</div>")
    assert extract_body(html).paragraphs == PROSE[:3]


def test_table_rows_inside_the_article_are_kept_one_line_each() -> None:
    rows = "".join(f"<tr><td>{i}</td><td>District {i}</td><td>{i * 100}</td></tr>" for i in range(1, 4))
    html = _page(
        f"<article><p>{PROSE[0]}</p><p>{PROSE[1]}</p><table>{rows}</table><p>{PROSE[2]}</p></article>"
    )
    paragraphs = extract_body(html).paragraphs
    assert "2 District 2 200" in paragraphs
    assert paragraphs[0] == PROSE[0] and paragraphs[-1] == PROSE[2]


def test_share_and_related_blocks_go_but_a_tagged_post_stays() -> None:
    share = "<div class='share-buttons'><p>Share this story on every network you know of today</p></div>"
    html = _page(
        "<article class='post type-post tag-politics category-news'>"
        f"<p>{PROSE[0]}</p>{share}<p>{PROSE[1]}</p><p>{PROSE[2]}</p>{_related()}</article>"
    )
    assert extract_body(html).paragraphs == PROSE[:3]


def test_a_body_repeated_in_hidden_microdata_is_read_once() -> None:
    text = " ".join(PROSE)
    html = _page(
        f"<div itemprop='articleBody'>{text}</div>"
        f"<div style='display:none'><div itemprop='articleBody'>{text} Extra words.</div></div>"
    )
    assert extract_body(html).paragraphs == [f"{text} Extra words."]


def test_selector_container_is_trusted_when_it_holds_a_body() -> None:
    html = _page(f"<div class='x'><p>{PROSE[0]}</p><p>{PROSE[1]}</p></div>")
    container = f"<div class='x'><p>{PROSE[0]}</p><p>{PROSE[1]}</p></div>"
    assert extract_body(html, container_html=container).paragraphs == PROSE[:2]


def test_empty_or_unparsable_pages_give_an_empty_body() -> None:
    for html in ("", "   ", "<?xml version='1.0' encoding='utf-8'?>"):
        body = extract_body(html)
        assert body.paragraphs == []


def _segments(*texts: str) -> list[_Segment]:
    from lxml import etree

    owner = etree.Element("p")
    return [_Segment(owner, [t]) for t in texts]


def test_vote_adds_what_ours_skipped_between_agreed_paragraphs_only() -> None:
    ours = [PROSE[0], PROSE[2]]
    table_row = "District one needs forty kilometres of new road before winter comes"
    generic = ["Subscribe to our newsletter for the best stories", PROSE[0], table_row, PROSE[2]]
    body = _vote(ours, generic, _segments(*PROSE, table_row))
    assert body.paragraphs == [PROSE[0], table_row, PROSE[2]]
    assert body.extractor == STRUCTURED


def test_vote_ignores_generic_text_our_cleaner_removed() -> None:
    promo = "Read more: the budget of last year and what it did for the northern villages"
    body = _vote([PROSE[0], PROSE[2]], [PROSE[0], promo, PROSE[2]], _segments(*PROSE))
    assert body.paragraphs == [PROSE[0], PROSE[2]]


def test_vote_trims_an_edge_paragraph_only_ours_has() -> None:
    teaser = "Also on our site: ten things to know about the new budget and the roads"
    body = _vote([*PROSE, teaser], PROSE, _segments(*PROSE, teaser))
    assert body.paragraphs == PROSE


def test_vote_falls_back_to_generic_when_ours_finds_too_little() -> None:
    body = _vote(["Too short."], PROSE, _segments(*PROSE))
    assert body.paragraphs == PROSE
    assert body.extractor == GENERIC


_TAGS = st.sampled_from(["p", "div", "li", "ul", "table", "tr", "td", "a", "br", "span", "script", "h2"])
_FRAGMENTS = st.recursive(
    st.text(max_size=40).map(html_escape),
    lambda inner: st.tuples(_TAGS, st.lists(inner, max_size=4)).map(
        lambda t: f"<{t[0]} class='content'>{''.join(t[1])}</{t[0]}>"
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(st.one_of(_FRAGMENTS, st.text(max_size=200)))
@example("0\x85\x7f\n0")  # a C1 control beside a line break: the generic extractor left two spaces
def test_any_markup_gives_clean_paragraphs_and_never_raises(markup: str) -> None:
    body = extract_body(f"<html><body>{markup}</body></html>")
    assert body.extractor in (STRUCTURED, GENERIC)
    assert all(p and p == " ".join(p.split()) for p in body.paragraphs)


def test_closing_credit_lines_and_service_notices_are_dropped() -> None:
    from pipeline.extract_body import _drop_trailers

    body = [
        "Parliament adopted the judicial package on Tuesday after a long debate.",
        "The opposition said it would take the law to the Constitutional Court.",
        "Source: TRT World and agencies",
        "Anadolu Agency website contains only a portion of the news stories offered to subscribers"
        " in the AA News Broadcasting System (HAS). Please contact us for subscription options.",
    ]
    assert _drop_trailers(body) == body[:2]
    # a paragraph that merely starts like a credit, or a credit in the middle, is article text
    story = [body[0], "Sources close to the ministry said the talks would resume in Ankara next week."]
    assert _drop_trailers(story) == story
    assert _drop_trailers(["Source: AA"]) == ["Source: AA"]  # never the whole body
