"""Dates in what people write, resolved against a reference day (a session's date, today).

dateparser does the reading ("by Friday", "12 March", "31 December 2027", "in two weeks",
"within the next 10 days", "tomorrow"). This module adds mentorkit's conventions for
periods, which name a span rather than a day (a deadline is the span's last working day
or its end), and refuses what only looks like a date ("I may", "we march on", "now"):

- a weekday ("by Friday", "at Thursday's review", "next Tuesday"): the first one strictly
  after the reference day;
- "this week" / "end of the week": that week's Friday; "next week": the next week's Friday;
- "this weekend" / "over the weekend": the Sunday after;
- "end of (the) month" / "end of next month": the last day of that month;
- a month alone ("by June", "end of March", "in May 2027"): its last day; "mid-March": the
  15th; a quarter ("Q2", "end of Q3 2027"): its last day;
- a day and month without a year ("12 March", "feb 28", "31/3", day first unless the
  first number cannot be a day's month): that day on or after the reference day;
- Easter (dateutil's Western Easter Sunday), Christmas Day, New Year's Day: the next one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

MONTHS = [m.lower() for m in calendar.month_name[1:]]
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WEEKDAY_SHORT = r"(mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)"  # only after by/on/at...
_YEAR = r"(?:\s+(\d{4}))?"
# "we may 5 times", "they march 2 miles": a verb after its subject, not a month.
_NOT_AFTER_SUBJECT = "".join(
    rf"(?<!\b{p} )" for p in ("i", "we", "you", "they", "he", "she", "it", "who")
)
# Evidence that a dateparser match is a date, not a verb or a time of day.
_DATE_WORD = re.compile(
    rf"\d{{4}}-\d{{2}}-\d{{2}}|\b{_WEEKDAY}\b|\b(tomorrow|fortnight|days?|weeks?|months?|years?)\b"
    rf"|\b\d{{1,2}}(st|nd|rd|th)?\b.*\b{_MONTH}\b|\b{_MONTH}\b.*\b\d{{1,2}}(st|nd|rd|th)?\b"
    rf"|\b(by|in|until|till|before|after|during|of|end of)\s+{_MONTH}\b|\b{_MONTH}\s+\d{{4}}\b"
    r"|\b(by|on|before|until) the \d{1,2}(st|nd|rd|th)\b",
    re.I,
)
_MAY_MARCH_VERB = re.compile(r"^(may|march)$", re.I)
_MAY_MARCH_AFTER_SUBJECT = re.compile(r"\b(i|we|you|they|he|she|it|who)\s+(may|march)\b", re.I)
_SPAN = re.compile(r"\b(days?|weeks?|months?|years?|fortnight)\b", re.I)
_AHEAD = re.compile(r"\b(in|within|from now|next|after|tomorrow)\b", re.I)
_BEFORE = re.compile(r"\b(before|b4|until|till|prior to|no later than|ahead of)\b", re.I)


@dataclass(frozen=True)
class Found:
    text: str
    date: dt.date
    start: int
    end: int


def _month_number(name: str) -> int:
    return next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(name.lower()[:3]))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _next_month_end(today: dt.date, month: int, year: str | None) -> dt.date:
    if year:
        return _month_end(int(year), month)
    end = _month_end(today.year, month)
    return end if end >= today else _month_end(today.year + 1, month)


def _friday(day: dt.date, weeks_ahead: int) -> dt.date:
    return day + dt.timedelta(days=4 - day.weekday() + 7 * weeks_ahead)


def _sunday_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(6 - day.weekday()) or 7)


def _weekday_after(day: dt.date, name: str) -> dt.date:
    wanted = [d.lower()[:3] for d in calendar.day_name].index(name.lower()[:3])
    return day + dt.timedelta(days=(wanted - day.weekday()) % 7 or 7)


def _quarter_end(today: dt.date, quarter: int, year: str | None) -> dt.date:
    end = _month_end(int(year) if year else today.year, quarter * 3)
    return end if year or end >= today else _month_end(today.year + 1, quarter * 3)


def _on_or_after(today: dt.date, month: int, day: int, year: str | None) -> dt.date:
    if year:
        return dt.date(int(year), month, day)
    when = dt.date(today.year, month, day)
    return when if when >= today else dt.date(today.year + 1, month, day)


_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_COUNTS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12}


def _after(today: dt.date, count: str, unit: str) -> dt.date:
    n = int(count) if count.isdigit() else _COUNTS[count.lower()]
    unit = unit.lower()
    if unit.startswith("d"):
        return today + dt.timedelta(days=n)
    if unit.startswith("w"):
        return today + dt.timedelta(weeks=n)
    return today + relativedelta(months=n)


def _weekday_date(today: dt.date, weekday: str, day: int, month: int) -> dt.date:
    wanted = [d.lower()[:3] for d in calendar.day_name].index(weekday.lower()[:3])
    years = [today.year + k for k in (0, 1, -1)]
    fits = [dt.date(y, month, day) for y in years if dt.date(y, month, day).weekday() == wanted]
    if not fits:
        return _on_or_after(today, month, day, None)
    return min(fits, key=lambda d: abs(d - today))


def _slashed(today: dt.date, first: int, second: int, year: str | None, said: str) -> dt.date:
    """Day first ("31/3"), unless only month first can be right ("3/31"). Without a year
    it must follow a preposition ("by 31/3"): a bare "1/3" is a fraction."""
    if year is None and "/" in said.split()[0]:
        raise ValueError(said)
    day, month = (second, first) if second > 12 >= first else (first, second)
    full = None if year is None else (year if len(year) == 4 else f"20{year}")
    return _on_or_after(today, month, day, full)


def _holiday(today: dt.date, name: str) -> dt.date:
    def on(year: int) -> dt.date:
        if name == "easter":
            return easter(year)
        return dt.date(year, 12, 25) if name in ("christmas", "xmas") else dt.date(year + 1, 1, 1)

    return on(today.year) if on(today.year) >= today else on(today.year + 1)


def _next_month(today: dt.date) -> tuple[int, int]:
    return (today.year + today.month // 12, today.month % 12 + 1)


# mentorkit's periods, read before dateparser (which reads most of them as the day itself).
_PERIODS: list[tuple[re.Pattern[str], object]] = [
    (
        re.compile(
            r"\b(?:this|the)\s+week(?:'s)?\s+end\b|\bend of (?:the |this )?week\b|\bthis week\b",
            re.I,
        ),
        lambda m, t: _friday(t, 0),
    ),  # noqa: E501
    (re.compile(r"\bnext week\b", re.I), lambda m, t: _friday(t, 1)),
    (
        re.compile(
            r"\b(?:in|within)\s+(?:the\s+next\s+)?(\d{1,2}|a|one|two|three|four|five|six|"
            r"seven|eight|nine|ten|twelve)\s+(days?|wks?|weeks?|mths?|mos?|months?)\b",
            re.I,
        ),
        lambda m, t: _after(t, m[1], m[2]),
    ),  # "in 8 wks", "within the next 10 days"
    (
        re.compile(r"\bq([1-4])(\s+\d{4})?\s+(?:goals?|targets?|objectives?|okrs?)\b", re.I),
        lambda m, t: _quarter_end(t, int(m[1]), (m[2] or "").strip() or None),
    ),  # "Q1 goals:"
    (
        re.compile(r"\b(?:this|the|end of (?:the|this)) quarter\b", re.I),
        lambda m, t: _quarter_end(t, (t.month - 1) // 3 + 1, None),
    ),  # noqa: E501
    (re.compile(r"\b(?:over |this |on )?(?:the )?weekend\b", re.I), lambda m, t: _sunday_after(t)),
    (re.compile(r"\bend of next month\b", re.I), lambda m, t: _month_end(*_next_month(t))),
    (
        re.compile(r"\b(?:the )?end of (?:the |this )?month\b", re.I),
        lambda m, t: _month_end(t.year, t.month),
    ),  # noqa: E501
    (
        re.compile(rf"\bmid[- ]{_MONTH}{_YEAR}\b", re.I),
        lambda m, t: _next_month_end(t, _month_number(m[1]), m[2]).replace(day=15),
    ),  # noqa: E501
    (
        re.compile(
            rf"\b(?:by|before|until|in|during|(?:the )?end of(?: the)?)\s+q([1-4]){_YEAR}\b"
            r"(?!\s+(?:planning|kick-?off|offsite|start|begins|starts))",  # before Q2 begins
            re.I,
        ),
        lambda m, t: _quarter_end(t, int(m[1]), m[2]),
    ),  # noqa: E501
    (
        re.compile(
            rf"\b(?:by|in|until|till|before|during|over|end(?: of)?|the end of|the|at|for)\s+"
            rf"{_MONTH}{_YEAR}\b(?!\s+\d{{1,2}}(?:st|nd|rd|th)?\b)",
            re.I,
        ),
        lambda m, t: _next_month_end(t, _month_number(m[1]), m[2]),
    ),  # noqa: E501
    (
        re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\s+(\d{{4}})\b", re.I),
        lambda m, t: dt.date(int(m[3]), _month_number(m[2]), int(m[1])),
    ),
    (
        re.compile(rf"\bfrom\s+{_MONTH}\s+(?:to|till|until|-)\s+{_MONTH}{_YEAR}\b", re.I),
        lambda m, t: _next_month_end(t, _month_number(m[2]), m[3]),
    ),  # "one a month from February to May": the span's end
    (re.compile(r"\b(?:the )?end of (\d{4})\b", re.I), lambda m, t: dt.date(int(m[1]), 12, 31)),
    (
        re.compile(
            rf"{_NOT_AFTER_SUBJECT}\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b"
            r"(?:,?\s+(\d{4}))?(?!\d|:)",
            re.I,
        ),
        lambda m, t: _on_or_after(t, _month_number(m[1]), int(m[2]), m[3]),
    ),  # "feb 28", "March 3rd, 2027"
    (
        re.compile(
            r"(?:\b(?:by|on|before|b4|until|till|due|for|from|at)\s+(?:the\s+)?)?(?<![\d/])"
            r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])",
            re.I,
        ),
        lambda m, t: _slashed(t, int(m[1]), int(m[2]), m[3], m[0]),
    ),  # "by 31/3", "15/04/2027"; never "24/7" or "1/3 of the team"
    (
        re.compile(r"\b(easter|christmas|xmas|new year(?:'s)?(?: day)?)\b", re.I),
        lambda m, t: _holiday(t, m[1].lower()),
    ),
    (
        re.compile(rf"(?<!\d )(?<!\d(?:st|nd|rd|th) )\b{_MONTH}\s+(\d{{4}})\b", re.I),
        lambda m, t: _month_end(int(m[2]), _month_number(m[1])),
    ),  # noqa: E501
    (
        re.compile(
            rf"\b{_WEEKDAY},?\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b"
            r"(?!\s+\d)",
            re.I,
        ),
        lambda m, t: _weekday_date(t, m[1], int(m[2]), _month_number(m[3])),
    ),  # "Friday 8 January": the year in which that day is a Friday, nearest today
    (
        re.compile(
            r"(?:\b(?:by|on|before|b4|until|till|due|for|from|at)\s+(?:the\s+)?)?"
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?![\s,]+\d)",
            re.I,
        ),
        lambda m, t: _on_or_after(t, _month_number(m[2]), int(m[1]), None),
    ),  # "By 18 June:", "on 17 April for 300 applicants", "the 14th of may"
    (
        re.compile(rf"(?:\b(?:at|on|by|before|until|next|this)\s+)?\b{_WEEKDAY}\b(?:'s)?", re.I),
        lambda m, t: _weekday_after(t, m[1]),
    ),  # noqa: E501
    (
        re.compile(rf"\b(?:at|on|by|before|until|next|this)\s+{_WEEKDAY_SHORT}\b\.?(?:'s)?", re.I),
        lambda m, t: _weekday_after(t, m[1]),
    ),  # noqa: E501
]


@lru_cache(maxsize=1)
def _search():  # dateparser loads its language data once, on first use
    from dateparser.search import search_dates

    return search_dates


def find(text: str, today: dt.date) -> list[Found]:
    """Every date expression in `text`, resolved against `today`, in order of appearance."""
    found: list[Found] = []
    masked = text
    for pattern, resolve in _PERIODS:
        for match in pattern.finditer(masked):
            try:
                day = resolve(match, today)  # type: ignore[operator]
            except (ValueError, StopIteration):
                continue
            found.append(Found(match[0].strip(" .,;:"), day, match.start(), match.end()))
            masked = masked[: match.start()] + " " * len(match[0]) + masked[match.end() :]
    found += _dateparser_dates(masked, today)
    # "every monday", "each friday": a rhythm, not a day
    found = [f for f in found if _BY.match(f.text) or not _EVERY.search(text[: f.start])]
    return sorted(found, key=lambda f: f.start)


_BY = re.compile(r"(by|before|b4|until|till|due)\b", re.I)  # "each other by 31 March"
_EVERY = re.compile(r"\b(every|each)\s+(other\s+)?$|\bevery\s+\w+\s+$", re.I)


def _dateparser_dates(text: str, today: dt.date) -> list[Found]:
    if not text.strip():
        return []
    settings = {
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": False,
    }
    # dateparser reads "before march 15" as March alone: the preposition is blanked out.
    text = re.sub(_BEFORE, lambda m: " " * len(m[0]), text)
    try:
        hits = _search()(text, languages=["en"], settings=settings) or []
    except Exception:  # noqa: BLE001 (dateparser on hostile text: no dates, never a crash)
        return []
    found, cursor = [], 0
    for phrase, when in hits:
        start = text.find(phrase, cursor)
        if start < 0:
            continue
        cursor = start + len(phrase)
        words = re.sub(r"\s+(and|or|but|to|the|at|with)$", "", phrase.strip(" .,;:!?"), flags=re.I)
        if _MAY_MARCH_VERB.match(words) or not _DATE_WORD.search(words):
            continue  # "I may", "we march on", "now", "4pm": not dates
        before = text[max(0, start - 16) : start]
        if _MAY_MARCH_AFTER_SUBJECT.search(f"{before} {words}"):
            continue  # "we may 5 times"
        if _SPAN.search(words) and not _AHEAD.search(f"{before} {words}"):
            continue  # "the last 8 weeks", "for two days": a length of time, not a deadline
        day = when.date()
        if re.search(r"\b\d{4}\b", words) is None and day < today and _has_day_and_month(words):
            day = day.replace(year=day.year + 1)  # "3 March" said in April: next year's
        start += len(phrase) - len(phrase.lstrip())
        found.append(Found(words, day, start, start + len(words)))
    return found


def _has_day_and_month(words: str) -> bool:
    return bool(re.search(rf"\b{_MONTH}\b", words, re.I) and re.search(r"\d", words))


def past_day(text: str, today: dt.date) -> dt.date | None:
    """A day already gone, as people name it when they log something: "yesterday",
    "last Tuesday", "Tuesday", "3 days ago", "12 March", "2027-02-01". None if unreadable."""
    from dateparser import parse as parse_date

    lead = r"^\s*(on|last|this past)\s+(?=" + _WEEKDAY + ")"
    cleaned = re.sub(lead, "", text.strip(), flags=re.I)
    settings = {
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "DMY",
    }
    try:
        when = parse_date(cleaned, languages=["en"], settings=settings)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 (dateparser on hostile text: unreadable, never a crash)
        return None
    if when is None:
        return None
    day = when.date()
    if re.fullmatch(_WEEKDAY, cleaned, re.I) and day >= today:
        day -= dt.timedelta(days=7)  # "Tuesday" said on a Tuesday: the one before
    return day
