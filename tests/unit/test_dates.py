"""Publication and modification times from realistic page snippets (pipeline.dates via parse)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.dates import parse_text_date, reconcile, usable_date
from pipeline.normalize import normalize_article
from pipeline.parse import parse_article

BODY = (
    "<p>Lawmakers began debating the election law on Monday, with opposition parties promising to"
    " vote against the changes, which they say would shut newly founded parties out of the race.</p>"
    "<p>The ruling party said the amendments were needed to bring the rules in line with the new"
    " presidential system, and that it expected a vote before the end of the month.</p>"
)


def page(head: str = "", header: str = "", body: str = BODY) -> str:
    return (
        f'<!doctype html><html lang="en"><head><title>Election law debate</title>{head}</head>'
        f"<body><article><header><h1>Election law debate</h1>{header}</header>"
        f'<div class="entry-content">{body}</div></article></body></html>'
    )


def dates_of(html: str, url: str = "https://example.org/p/election-law-debate", tz: str = "Europe/Istanbul"):
    art = normalize_article(parse_article(html, url), source_id="s", timezone=tz)
    return art.published_at, art.modified_at


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_json_ld_wins_over_meta_and_visible_dateline() -> None:
    html = page(
        head='<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "headline": "Election law debate", "datePublished": "2020-01-20T09:05:00+03:00",'
        ' "dateModified": "2020-01-21T10:00:00+03:00"}</script>'
        '<meta property="article:published_time" content="2020-01-19T08:00:00+03:00">',
        header='<p class="dateline">Published: 18.01.2020 07:00</p>',
    )
    assert dates_of(html) == (utc(2020, 1, 20, 6, 5), utc(2020, 1, 21, 7, 0))


def test_meta_variants_and_junk_values_do_not_hide_good_ones() -> None:
    html = page(
        head='<meta property="article:published_time" content="N/A">'
        '<meta name="parsely-pub-date" content="2020-01-20T06:05:00Z">'
        '<meta property="og:updated_time" content="1579600800">'  # epoch seconds: 2020-01-21T10:00Z
    )
    assert dates_of(html) == (utc(2020, 1, 20, 6, 5), utc(2020, 1, 21, 10, 0))


def test_time_elements_pubdate_and_updated_hints() -> None:
    html = page(
        header='<time class="updated" datetime="2020-01-21T10:00:00+03:00">21 January</time>'
        '<time pubdate datetime="2020-01-20T09:05:00+03:00">20 January</time>'
    )
    assert dates_of(html) == (utc(2020, 1, 20, 6, 5), utc(2020, 1, 21, 7, 0))


@pytest.mark.parametrize(
    ("header", "published", "modified"),
    [
        (
            '<div class="meta">Published: 20.01.2020 09:05 | Updated: 21.01.2020 10:00</div>',
            utc(2020, 1, 20, 6, 5),
            utc(2020, 1, 21, 7, 0),
        ),
        (
            "<p><b>Updated</b> 21 January 2020</p><p><b>First published</b> January 20 2020 09:05 AM</p>",
            utc(2020, 1, 20, 6, 5),
            utc(2020, 1, 20, 21, 0),
        ),
        (
            '<div class="haber-bilgi">Yayınlanma: 20 Ocak 2020 Pazartesi 09:05 · '
            "Güncelleme: 21 Ocak 2020 10:15</div>",
            utc(2020, 1, 20, 6, 5),
            utc(2020, 1, 21, 7, 15),
        ),
        ('<span class="content-date">30 December 2019, Monday 11:00</span>', utc(2019, 12, 30, 8, 0), None),
        ('<span class="post-date">Jan. 20, 2020 - 9:05 p.m. GMT</span>', utc(2020, 1, 20, 21, 5), None),
    ],
)
def test_visible_datelines(header: str, published: datetime, modified: datetime | None) -> None:
    assert dates_of(page(header=header)) == (published, modified)


def test_day_first_numeric_dates_are_never_read_month_first() -> None:
    assert dates_of(page(header='<span class="date">05.01.2020 09:05</span>'))[0] == utc(2020, 1, 5, 6, 5)
    # a meta tag holding a day-first text date is rewritten to ISO before the normalizer sees it
    html = page(head='<meta name="pubdate" content="05/01/2020 09:05">')
    assert dates_of(html)[0] == utc(2020, 1, 5, 6, 5)


def test_body_sentences_mentioning_dates_are_not_datelines() -> None:
    body = BODY + "<p>The report was published on 5 May 2019 and updated on 6 June 2019.</p>"
    assert dates_of(page(body=body)) == (None, None)


def test_htmldate_is_the_last_resort() -> None:
    html = page(header='<abbr class="published" title="2020-01-20T09:05:00">Jan 20</abbr>')
    parsed = parse_article(html, "https://example.org/p/x")
    assert parsed.published_at == "2020-01-20"
    assert parsed.modified_at is None  # htmldate's "updated" guess is not used


def test_a_date_only_in_urls_gives_no_date() -> None:
    """The page URL, canonical, og:url, og:image, links and URLs in text all carry 2020/01/20."""
    url = "https://example.org/2020/01/20/parliament-debates-the-budget/"
    html = (
        "<!doctype html><html><head><title>Parliament debates the budget</title>"
        f'<link rel="canonical" href="{url}"><link rel="amphtml" href="{url}amp/">'
        f'<meta property="og:url" content="{url}"><meta name="og:url" content="{url}">'
        '<meta property="og:image" content="https://example.org/uploads/2020/01/20/budget.jpg">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Parliament debates'
        f' the budget", "url": "{url}", "mainEntityOfPage": "{url}"}}</script></head>'
        f"<body><article><h1>Parliament debates the budget</h1>{BODY}"
        "<p>More at https://example.org/2020/01/19/earlier-story/ and"
        ' <a href="/2020/01/18/older-story/">the older story</a>.</p>'
        '<img src="/uploads/2020-01-20/chart.png"></article></body></html>'
    )
    from htmldate import find_date

    assert find_date(html) == "2020-01-20"  # htmldate alone reads the URL: the guard below matters
    parsed = parse_article(html, url)
    assert (parsed.published_at, parsed.modified_at) == (None, None)
    art = normalize_article(parsed, source_id="s", timezone="UTC")
    assert (art.published_at, art.modified_at) == (None, None)


def test_modified_earlier_than_published_is_dropped() -> None:
    html = page(
        head='<meta property="article:published_time" content="2020-01-21T10:00:00+03:00">'
        '<meta property="article:modified_time" content="2020-01-20T09:00:00+03:00">'
    )
    assert dates_of(html) == (utc(2020, 1, 21, 7, 0), None)
    assert reconcile(utc(2020, 1, 2), utc(2020, 1, 1)) == (utc(2020, 1, 2), None)
    assert reconcile(utc(2020, 1, 1), utc(2020, 1, 2)) == (utc(2020, 1, 1), utc(2020, 1, 2))


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Published: 20.01.2020 09:05", "2020-01-20T09:05:00"),
        ("Updated 21 January 2020", "2020-01-21"),
        ("January 20 2020 09:05 AM", "2020-01-20T09:05:00"),
        ("Monday, January 20, 2020 12:30 PM TRT", "2020-01-20T12:30:00+03:00"),
        ("20 Şubat 2020 14:30 (GMT+3)", "2020-02-20T14:30:00+03:00"),
        ("20 MAYIS 2020", "2020-05-20"),
        ("March 3rd, 2020 at 10:00 UTC", "2020-03-03T10:00:00+00:00"),
        ("2020-01-20 09:05", "2020-01-20T09:05:00"),
        ("01/20/2020", "2020-01-20"),  # month first only when day first is impossible
        ("31.02.2020", None),
        ("in 2020", None),
        ("https://example.org/2020-01-20-story", None),
    ],
)
def test_parse_text_date(text: str, iso: str | None) -> None:
    assert parse_text_date(text) == iso


def test_usable_date_keeps_iso_and_rejects_junk() -> None:
    assert usable_date("2020-01-20T09:05:00+03:00") == "2020-01-20T09:05:00+03:00"
    assert usable_date("{{date}}") is None
    assert usable_date("0000-00-00") is None
    assert usable_date("1979-01-01") is None
    # a date missing its year or day is not completed from today's date
    assert usable_date("20 January") is None and usable_date("January 2020") is None
    assert usable_date("Mon, 20 Jan 2020 09:05:00 +0300") == "2020-01-20T09:05:00+03:00"


@given(st.text(max_size=200))
def test_parse_text_date_never_crashes(text: str) -> None:
    result = parse_text_date(text)
    assert result is None or datetime.fromisoformat(result).year >= 1990
