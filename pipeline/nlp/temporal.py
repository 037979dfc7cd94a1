"""Find time expressions in text and resolve them against the article's publication time.

Pure functions, no clock: every relative expression ("yesterday", "on Wednesday", "35 years ago",
"in May") is resolved against the ``published`` date passed in, never against now().

Precision is one of ``"day"``, ``"week"``, ``"month"``, ``"year"``; a week is stored as the Monday
that starts it, a month as its first day, a year as 1 January.

Rules (see ``docs/taxonomy.md``):

* A full date ("March 31, 2019", "21 January 2020") resolves as written (day precision).
* A month and day without year ("Jan. 20") takes the year that puts it nearest the publication
  date (a date more than a week after publication counts as last year's unless the sentence is
  in the future tense). When that lands more than two months before publication and an earlier
  sentence established another year ("in 2016 ... on July 15"), the earlier year is used.
* A month alone ("in May") takes the year established by earlier sentences when there is one,
  unless it is the publication month or the one before; otherwise its latest occurrence up to the
  publication month (or the next one, in the future tense).
* Weekdays ("on Wednesday") resolve to the latest such day on or before publication, or the next
  one on or after it in the future tense; "last Monday" / "next Monday" are strict.
* "yesterday", "today", "tomorrow", "last/this/next week|month|year", "earlier this month",
  "N days|weeks|months|years ago" resolve arithmetically with the matching precision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "several": 3,
    "few": 3,
    "a few": 3,
}

# Month names as written in news copy: full names, or abbreviations (with or without the dot).
# "May" and "March" alone are ambiguous with the modal and the verb: a bare month needs a cue word.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_NUM = (
    r"(?:\d{1,3}|a few|several|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|fifteen|twenty|thirty|forty|fifty)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_PATTERN = re.compile(
    "|".join(
        [
            # March 31, 2019 / Jan. 20 / July 23rd 2019
            rf"(?P<md>(?P<md_month>{_MONTH})\s+(?P<md_day>{_DAY})(?![\d:])(?:,?\s+(?P<md_year>{_YEAR}))?)\b",
            # 21 January 2020 / 1 May
            rf"(?P<dm>(?P<dm_day>{_DAY})\s+(?:of\s+)?(?P<dm_month>{_MONTH})(?:,?\s+(?P<dm_year>{_YEAR}))?)\b",
            # May 2019 / in March of 2018
            rf"(?P<my>(?P<my_month>{_MONTH})(?:,|\s+of)?\s+(?P<my_year>{_YEAR}))\b",
            # N days/weeks/months/years ago (also "a day earlier")
            rf"(?P<ago>(?i:(?P<ago_n>{_NUM})\s+(?P<ago_unit>day|week|month|year|decade)s?\s+(?:ago|earlier|before)))\b",
            # last/this/next week|month|year, earlier/later this month
            r"(?P<rel>(?i:(?P<rel_which>last|this|next|past|earlier\s+this|later\s+this|earlier\s+last|late\s+last)"
            r"\s+(?P<rel_unit>week|weekend|month|year)))\b",
            # yesterday / today / tomorrow / tonight
            r"(?P<deictic>\b(?i:yesterday|today|tonight|tomorrow))\b",
            # (on|last|next|this) Wednesday (morning)
            rf"(?P<wd>(?:(?P<wd_which>(?i:last|next|this|on|late|early))\s+)?(?P<wd_day>{_WEEKDAY})(?:\s+(?i:morning|afternoon|evening|night))?)\b",
            # in May / early March / last July (a cue word is required before a bare month)
            rf"(?P<mo>(?P<mo_cue>(?i:in|since|until|by|during|early|late|mid-|mid|last|next|this|earlier\s+in|later\s+in|of|from|through|before|after))\s+(?P<mo_month>{_FULL_MONTH}|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.))(?!\s+\d)\b",
            # a year on its own: in 2019 / the 2019 election
            rf"(?<![\d$€£])(?<!\d[,.])(?P<yr>{_YEAR})(?![\d%]|[,.]\d|\s*(?:percent|per cent|people|votes"
            r"|troops|km|kilometres|kilometers|members|dollars|euros|liras?)\b)",
        ]
    )
)


@dataclass(frozen=True)
class TimeExpression:
    """A time expression found in text and its resolved value.

    Attributes:
        start, end: character offsets in the text that was searched.
        text: the expression as written.
        value: the resolved date (the first day of the week, month or year for coarser precision).
        precision: ``"day"``, ``"week"``, ``"month"`` or ``"year"``.
        kind: ``"explicit"`` (a calendar date or year) or ``"relative"`` (resolved against
            publication).
        form: which pattern matched (``md``, ``dm``, ``my``, ``ago``, ``rel``, ``deictic``, ``wd``,
            ``mo``, ``yr``); tense-sensitive forms are ``md``/``dm`` without year, ``wd`` and ``mo``.
        year_source: for dates whose year is not written: ``"publication"`` or ``"context"``.
    """

    start: int
    end: int
    text: str
    value: date
    precision: str
    kind: str
    form: str
    year_source: str | None = None
    _month: int = 0
    _day: int = 0
    _weekday: int = -1
    _which: str = ""
    _context_year: int | None = None

    @property
    def tense_sensitive(self) -> bool:
        """Whether a future-tense reading would resolve the expression differently."""
        return self.form in {"wd", "mo"} or (self.form in {"md", "dm"} and self.year_source is not None)


def published_date(published_at: datetime | date | None) -> date | None:
    """The publication's local calendar date (the article's own time zone, not UTC)."""
    if published_at is None:
        return None
    if isinstance(published_at, datetime):
        return published_at.date()
    return published_at


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _add_months(d: date, months: int) -> date:
    m = d.year * 12 + (d.month - 1) + months
    return date(m // 12, m % 12 + 1, 1)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(
    month: int, day: int, pub: date, future: bool, context_year: int | None
) -> tuple[date, str] | None:
    candidates = [d for y in (pub.year - 1, pub.year, pub.year + 1) if (d := _safe_date(y, month, day))]
    if not candidates:
        return None
    if future:
        after = [d for d in candidates if d >= pub]
        best = min(after or candidates, key=lambda d: abs((d - pub).days))
    else:
        # nearest before or around publication: up to a week ahead still reads as "around"
        around = [d for d in candidates if d <= pub + timedelta(days=7)]
        best = min(around or candidates, key=lambda d: abs((d - pub).days))
    if context_year is not None and context_year != best.year and (pub - best).days > 60:
        ctx = _safe_date(context_year, month, day)
        if ctx is not None:
            return ctx, "context"
    return best, "publication"


def _month_only(month: int, pub: date, future: bool, context_year: int | None) -> tuple[date, str]:
    recent = month in {pub.month, _add_months(_month_start(pub), -1).month}
    if context_year is not None and not future and not recent:
        return date(context_year, month, 1), "context"
    if future:
        year = pub.year if month >= pub.month else pub.year + 1
    else:
        year = pub.year if month <= pub.month else pub.year - 1
    return date(year, month, 1), "publication"


def _weekday(weekday: int, which: str, pub: date, future: bool) -> date:
    which = which.lower()
    if which == "next" or (future and which not in {"last"}):
        delta = (weekday - pub.weekday()) % 7
        if which == "next" and delta == 0:
            delta = 7
        return pub + timedelta(days=delta)
    delta = (pub.weekday() - weekday) % 7
    if which == "last" and delta == 0:
        delta = 7
    return pub - timedelta(days=delta)


def _number(text: str) -> int | None:
    t = text.lower().strip()
    if t.isdigit():
        return int(t)
    return _NUMBERS.get(t)


def _resolve_match(m: re.Match[str], pub: date, context_year: int | None) -> TimeExpression | None:
    form = m.lastgroup
    g = m.groupdict()
    start, end = m.span(form) if form else m.span()
    text = m.string[start:end]
    if form in {"md", "dm"}:
        month = _MONTHS[g[f"{form}_month"].lower().rstrip(".")]
        day = int(re.sub(r"\D", "", g[f"{form}_day"]))
        year = g[f"{form}_year"]
        if year:
            d = _safe_date(int(year), month, day)
            return TimeExpression(start, end, text, d, "day", "explicit", form) if d else None
        res = _month_day(month, day, pub, False, context_year)
        if res is None:
            return None
        return TimeExpression(
            start,
            end,
            text,
            res[0],
            "day",
            "explicit",
            form,
            res[1],
            month,
            day,
            _context_year=context_year,
        )
    if form == "my":
        month = _MONTHS[g["my_month"].lower().rstrip(".")]
        return TimeExpression(start, end, text, date(int(g["my_year"]), month, 1), "month", "explicit", form)
    if form == "yr":
        return TimeExpression(start, end, text, date(int(g["yr"]), 1, 1), "year", "explicit", form)
    if form == "mo":
        month = _MONTHS[g["mo_month"].lower().rstrip(".")]
        cue = g["mo_cue"].lower()
        if cue == "last":
            d = date(pub.year if month < pub.month else pub.year - 1, month, 1)
            return TimeExpression(start, end, text, d, "month", "relative", form, "publication", month)
        if cue == "next":
            d = date(pub.year if month > pub.month else pub.year + 1, month, 1)
            return TimeExpression(start, end, text, d, "month", "relative", form, "publication", month)
        d, source = _month_only(month, pub, False, context_year)
        # the cue word ("in", "since") is not part of the expression
        mstart = m.start("mo_month")
        return TimeExpression(
            mstart,
            end,
            m.string[mstart:end],
            d,
            "month",
            "explicit",
            form,
            source,
            month,
            _context_year=context_year,
        )
    if form == "wd":
        weekday = _WEEKDAYS[g["wd_day"].lower()]
        which = (g["wd_which"] or "").lower()
        d = _weekday(weekday, which, pub, False)
        return TimeExpression(
            start, end, text, d, "day", "relative", form, None, _weekday=weekday, _which=which
        )
    if form == "deictic":
        word = text.lower()
        offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
        return TimeExpression(start, end, text, pub + timedelta(days=offset), "day", "relative", form)
    if form == "ago":
        n = _number(g["ago_n"])
        if n is None:
            return None
        unit = g["ago_unit"].lower()
        if unit == "day":
            return TimeExpression(start, end, text, pub - timedelta(days=n), "day", "relative", form)
        if unit == "week":
            d = pub - timedelta(days=7 * n)
            return TimeExpression(start, end, text, d - timedelta(days=d.weekday()), "week", "relative", form)
        if unit == "month":
            return TimeExpression(
                start, end, text, _add_months(_month_start(pub), -n), "month", "relative", form
            )
        years = n * (10 if unit == "decade" else 1)
        return TimeExpression(start, end, text, date(pub.year - years, 1, 1), "year", "relative", form)
    if form == "rel":
        which = " ".join(g["rel_which"].lower().split())
        unit = g["rel_unit"].lower()
        step = {"last": -1, "past": -1, "earlier last": -1, "late last": -1, "next": 1}.get(which, 0)
        if unit in {"week", "weekend"}:
            monday = pub - timedelta(days=pub.weekday()) + timedelta(days=7 * step)
            return TimeExpression(start, end, text, monday, "week", "relative", form)
        if unit == "month":
            return TimeExpression(
                start, end, text, _add_months(_month_start(pub), step), "month", "relative", form
            )
        return TimeExpression(start, end, text, date(pub.year + step, 1, 1), "year", "relative", form)
    return None


def find_time_expressions(text: str, published_at: datetime | date | None) -> tuple[TimeExpression, ...]:
    """Find and resolve every time expression in *text*, in document order.

    A year stated by an explicit expression becomes the year context for later month-only and
    month-day expressions (see the module docstring).

    Args:
        text: the text to search (offsets in the result index it).
        published_at: the article's publication time; ``None`` resolves nothing.

    Returns:
        The resolved expressions (past-tense reading; see :func:`reread_future`).
    """
    pub = published_date(published_at)
    if pub is None:
        return ()
    found: list[TimeExpression] = []
    context_year: int | None = None
    for m in _PATTERN.finditer(text):
        expr = _resolve_match(m, pub, context_year)
        if expr is None:
            continue
        found.append(expr)
        if (expr.form in {"md", "dm", "my", "yr"} and expr.year_source is None) or (
            expr.form in {"ago", "rel"} and expr.precision == "year"
        ):
            context_year = expr.value.year
    return tuple(found)


def reread_future(expr: TimeExpression, published_at: datetime | date | None) -> TimeExpression:
    """Resolve *expr* again for a future-tense sentence ("will meet on Wednesday").

    Args:
        expr: an expression from :func:`find_time_expressions`.
        published_at: the same publication time.

    Returns:
        The expression with its value resolved forward where the form allows it.
    """
    pub = published_date(published_at)
    if pub is None or not expr.tense_sensitive:
        return expr
    if expr.form == "wd":
        return replace(expr, value=_weekday(expr._weekday, expr._which, pub, True))
    if expr.form == "mo":
        d, source = _month_only(expr._month, pub, True, None)
        return replace(expr, value=d, year_source=source)
    res = _month_day(expr._month, expr._day, pub, True, None)
    if res is None:
        return expr
    return replace(expr, value=res[0], year_source=res[1])
