"""Time expressions resolved against the publication date (no clock)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from pipeline.nlp.temporal import find_time_expressions, published_date, reread_future

PUB = datetime(2020, 1, 21, 10, 15, tzinfo=timezone(timedelta(hours=3)))  # a Tuesday


def resolve(text: str, pub: datetime = PUB) -> list[tuple[str, date, str, str]]:
    return [(e.text, e.value, e.precision, e.kind) for e in find_time_expressions(text, pub)]


@pytest.mark.parametrize(
    ("text", "value", "precision", "kind"),
    [
        ("on Jan. 20 the mayor", date(2020, 1, 20), "day", "explicit"),
        ("on March 31, 2019, when", date(2019, 3, 31), "day", "explicit"),
        ("on 21 January 2020 at", date(2020, 1, 21), "day", "explicit"),
        ("in May 2019 the", date(2019, 5, 1), "month", "explicit"),
        ("35 years ago", date(1985, 1, 1), "year", "relative"),
        ("last year", date(2019, 1, 1), "year", "relative"),
        ("yesterday", date(2020, 1, 20), "day", "relative"),
        ("today", date(2020, 1, 21), "day", "relative"),
        ("tomorrow", date(2020, 1, 22), "day", "relative"),
        ("last week", date(2020, 1, 13), "week", "relative"),
        ("last month", date(2019, 12, 1), "month", "relative"),
        ("three days ago", date(2020, 1, 18), "day", "relative"),
        ("two months ago", date(2019, 11, 1), "month", "relative"),
        ("on Wednesday", date(2020, 1, 15), "day", "relative"),
        ("on Tuesday", date(2020, 1, 21), "day", "relative"),
        ("in 2016.", date(2016, 1, 1), "year", "explicit"),
    ],
)
def test_expressions_resolve_against_publication(text: str, value: date, precision: str, kind: str) -> None:
    (found,) = resolve(text)
    assert found[1:] == (value, precision, kind)


def test_month_day_takes_the_year_nearest_publication() -> None:
    # December 30 in a January article is last year's; Jan. 25 a few days ahead is this year's
    assert resolve("on Dec. 30")[0][1] == date(2019, 12, 30)
    assert resolve("on Jan. 25")[0][1] == date(2020, 1, 25)


def test_month_alone_carries_the_year_of_earlier_sentences() -> None:
    text = "The first election was on March 31, 2019. The council annulled it in May."
    assert resolve(text)[1][1:3] == (date(2019, 5, 1), "month")
    text = "The coup was attempted in 2016. In July, soldiers blocked the bridge. On July 15 they fired."
    found = resolve(text)
    assert found[1][1] == date(2016, 7, 1)
    assert found[2][1] == date(2016, 7, 15)


def test_recent_month_day_ignores_an_older_year_context() -> None:
    text = "He won on July 23, 2019. On Jan. 20, the rapporteur visited him."
    assert resolve(text)[1][1] == date(2020, 1, 20)


def test_future_tense_rereads_forward() -> None:
    (expr,) = find_time_expressions("will meet on Wednesday", PUB)
    assert expr.value == date(2020, 1, 15)
    assert reread_future(expr, PUB).value == date(2020, 1, 22)
    (expr,) = find_time_expressions("the rerun on June 23", datetime(2019, 5, 7))
    assert reread_future(expr, datetime(2019, 5, 7)).value == date(2019, 6, 23)


def test_numbers_that_are_not_years_are_ignored() -> None:
    assert resolve("2,019 people and 2019 percent and $2019") == []
    assert resolve("May I ask? We may meet.") == []


def test_no_publication_date_resolves_nothing() -> None:
    assert find_time_expressions("yesterday", None) == ()
    assert published_date(PUB) == date(2020, 1, 21)  # the article's own day, not UTC's
