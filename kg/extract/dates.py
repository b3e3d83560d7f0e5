"""Date expressions in one sentence of a news article, resolved to ISO dates.

:func:`find_dates` returns every date expression of a sentence as a :class:`DateMention`
(character offsets, the text, the rule that found it, and the value at the precision the
text gives: ``2023-04-19``, ``2023-04`` or ``2023``). Mentions are in text order and do not
overlap; the longest expression wins, so "September 16 last year" is one mention and
"April 19, 2023" is not "April 19" plus "2023".

Resolution is counted from the ``anchor``, the article's dateline (or publication) date,
never from today:

- a yearless day or month ("April 19", "in July", "4月19日", "im Juli") takes the anchor's
  year, the year before when its clause is in the past tense and the month comes after the
  anchor's month ("met on December 30" under a January dateline), the year after when its
  clause is in the future tense and the month comes before the anchor's; the note says so;
- a weekday ("on Wednesday", "周三", "am Freitag") is the most recent such day on or before
  the anchor (news reports the past), on or after it when its clause is in the future
  tense ("will meet on Thursday", "将于周四"); "last Friday" / "next Friday" ("letzten",
  "nächsten Freitag") exclude the anchor itself; "上周三" / "下周三" are days of the
  calendar week (Monday first) before or after the anchor's;
- "last year", "this year", "last month", "去年", "letzten Jahres", "yesterday" and their
  kin count from the anchor; "next week" and other weeks are no date (value None);
- a Chinese day alone ("19日") takes the anchor's month (the month before when past tense
  and the day comes after the anchor's, the month after when future tense and before);
- ranges within or across months ("May 18-21", "from May 18 to 21", "May 4 and 5",
  "18. bis 21. Mai", "5月18日至21日") give the first day as ``value`` and the last as
  ``end_value``.

The tense of a mention is read from its clause (clauses break at "that", "but", ";", "dass",
"表示，" ...): the nearest tense marker before the mention ("will", "met", a word in -ed,
"将", "了", "wird", "hatte" ...), else the nearest after it, else neutral (taken as the
past for weekdays, as the anchor's year for months). It is a heuristic, and the note of
every guessed value says what was assumed. A date the text does not give is never filled
with the anchor: without an anchor, a weekday or yearless date has value None and a note;
so does a day that does not exist ("February 30").

A mention's text leaves out the preposition before it ("on", "in", "from", "am", "im",
"vom") but keeps a modifier ("early May", "Mitte Mai", "6月底": the value is still the whole
month). A year alone needs such a word ("in 2022", "seit 2020", "early 2025"), so that "2,000
troops" or "a 2023 report" are no dates.

"May" is a date only with a day or a year, or after "in", "since", "early", "mid-", "late"
and the like, so the modal verb is left alone; German "Mai" likewise.

Why by hand: general date parsers (dateparser and the like) resolve "on Wednesday" relative
to the machine's today rather than to the article's dateline, and guess where the text says
nothing; drafting a curation file needs the dateline as reference, an exact record of what
was assumed, and the same answer on every run. This module uses the standard library only.

>>> from datetime import date
>>> [(d.text, d.value, d.rule) for d in find_dates(
...     "The ministers met on Wednesday and may meet again in May.", anchor=date(2023, 4, 19))]
[('Wednesday', '2023-04-19', 'weekday'), ('May', '2023-05', 'month')]
>>> mention = find_dates("The forum ran from May 18 to 21.", anchor=date(2024, 5, 30))[0]
>>> mention.text, mention.value, mention.end_value, mention.note
('May 18 to 21', '2024-05-18', '2024-05-21', 'year taken from the dateline')
>>> [d.value for d in find_dates("双方将于周四举行会谈。", anchor=date(2023, 4, 19), language="zh")]
['2023-04-20']
>>> find_dates("Sie trafen sich am Freitag.", anchor=None, language="de")[0].note
'no dateline to count the weekday from'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kg.dates import weekday_on_or_after, weekday_on_or_before
from kg.extract import date_patterns as forms

__all__ = ["DateMention", "find_dates"]

Tense = Literal["past", "future", "neutral"]


@dataclass(frozen=True)
class DateMention:
    """One date expression of a sentence and what it resolves to."""

    #: Character offsets of the expression within the sentence.
    start: int
    end: int
    #: ``sentence[start:end]``.
    text: str
    #: ISO value at the precision the text gives; None when the text gives no date.
    value: str | None
    #: The rule that found it, e.g. ``month-day-year``, ``weekday``, ``zh-month-day``.
    rule: str
    #: The last day of a range.
    end_value: str | None = None
    #: Why the value is None, or what was assumed to find it.
    note: str | None = None


# --- notes --------------------------------------------------------------------------------

_FROM_DATELINE = "year taken from the dateline"
_YEAR_BEFORE = ("year taken from the dateline: the year before, as the clause is in the past "
                "tense and the month comes after the dateline's")
_YEAR_AFTER = ("year taken from the dateline: the year after, as the clause is in the future "
               "tense and the month comes before the dateline's")
_NO_YEAR = "no dateline to take the year from"
_NO_COUNT = "no dateline to count from"
_COUNTED = "counted from the dateline"
_NO_WEEKDAY = "no dateline to count the weekday from"
_A_WEEK = "a week, not a date"


# --- the sentence and its tenses ----------------------------------------------------------

_Marker = tuple[int, int, Tense]


@dataclass(frozen=True)
class _Sentence:
    text: str
    #: ``text`` with full-width digits made ASCII (same length, so the same offsets).
    matched: str
    anchor: date | None
    language: str
    markers: tuple[_Marker, ...]
    breaks: tuple[tuple[int, int], ...]


def _read(sentence: str, anchor: date | None, language: str) -> _Sentence:
    matched = sentence.translate(forms.FULLWIDTH_DIGITS)
    breaks = tuple(m.span() for m in forms.CLAUSE_BREAKS[language].finditer(matched))
    return _Sentence(sentence, matched, anchor, language, _markers(matched, language), breaks)


def _markers(text: str, language: str) -> tuple[_Marker, ...]:
    """The tense markers of a sentence; a future marker wins over a past one it overlaps
    ("scheduled" is not a past -ed)."""
    future: list[_Marker] = [(m.start(), m.end(), "future")
                             for m in forms.FUTURE[language].finditer(text)]
    past: list[_Marker] = [(m.start(), m.end(), "past") for m in forms.PAST[language].finditer(text)
                           if not any(start < m.end() and m.start() < end
                                      for start, end, _ in future)]
    return tuple(sorted(future + past))


def _tense(s: _Sentence, start: int, end: int) -> Tense:
    """The tense of the clause around ``start:end``: its nearest marker before, else after."""
    low = max((b_end for _, b_end in s.breaks if b_end <= start), default=0)
    high = min((b_start for b_start, _ in s.breaks if b_start >= end), default=len(s.text))
    before = [m for m in s.markers if low <= m[0] and m[1] <= start]
    if before:
        return max(before, key=lambda m: m[1])[2]
    after = [m for m in s.markers if end <= m[0] and m[1] <= high]
    return min(after)[2] if after else "neutral"


# --- values -------------------------------------------------------------------------------


def _number(text: str) -> int:
    """Arabic digits or Chinese numerals (十九, 二〇二三)."""
    if text.isascii():
        return int(text)
    if "十" not in text:
        return int("".join(str(forms.ZH_DIGITS[char]) for char in text))
    tens, _, units = text.partition("十")
    return (forms.ZH_DIGITS[tens] if tens else 1) * 10 + (forms.ZH_DIGITS[units] if units else 0)


def _month_number(token: str) -> int:
    return forms.MONTHS[token.rstrip(".")]


def _offset(word: str) -> int:
    """How many years, weeks or days a relative word counts from the dateline."""
    if word in forms.ZH_OFFSETS:
        return forms.ZH_OFFSETS[word]
    lowered = word.lower()
    for offset, prefixes in forms.OFFSET_PREFIXES:
        if lowered.startswith(prefixes):
            return offset
    raise ValueError(f"not a relative word: {word!r}")


def _relative_name(offset: int, unit: str) -> str:
    return {-2: f"{unit}-before-last", -1: f"last-{unit}", 0: f"this-{unit}",
            1: f"next-{unit}"}[offset]


def _add_months(year: int, month: int, offset: int) -> tuple[int, int]:
    total = year * 12 + month - 1 + offset
    return total // 12, total % 12 + 1


def _month_iso(year: int | None, month: int) -> str | None:
    return None if year is None else f"{year:04d}-{month:02d}"


def _day_iso(year: int | None, month: int, day: int) -> tuple[str | None, str | None]:
    """The ISO day, or None and why (None, None when the year is unknown but the day may
    exist)."""
    name = forms.EN_MONTHS[month - 1]
    try:
        date(2000, month, day)
    except ValueError:
        return None, f"the day does not exist: {name} {day}"
    if year is None:
        return None, None
    try:
        return date(year, month, day).isoformat(), None
    except ValueError:
        return None, f"the day does not exist: {name} {day}, {year}"


def _join(*notes: str | None) -> str | None:
    return "; ".join(note for note in notes if note) or None


def _guess_year(s: _Sentence, start: int, end: int, month: int) -> tuple[int | None, str]:
    """The year of a yearless month or day, from the anchor and the clause's tense."""
    if s.anchor is None:
        return None, _NO_YEAR
    tense = _tense(s, start, end)
    if tense == "future" and month < s.anchor.month:
        return s.anchor.year + 1, _YEAR_AFTER
    if tense == "past" and month > s.anchor.month:
        return s.anchor.year - 1, _YEAR_BEFORE
    return s.anchor.year, _FROM_DATELINE


def _year_of(m: re.Match[str], s: _Sentence, month: int) -> tuple[int | None, str | None, str]:
    """The year of a match (written, relative, or guessed), a note, and the year's kind for
    the rule name ("year", "last-year", ... or "" when guessed)."""
    given = m.groupdict()
    if given.get("year"):
        return _number(given["year"]), None, "year"
    if given.get("rel"):
        offset = _offset(given["rel"])
        kind = _relative_name(offset, "year")
        if s.anchor is None:
            return None, _NO_COUNT, kind
        return s.anchor.year + offset, _COUNTED, kind
    year, note = _guess_year(s, *_span(m), month)
    return year, note, ""


def _weekday_value(s: _Sentence, start: int, end: int, weekday: int,
                   shift: int) -> tuple[str | None, str]:
    """A weekday counted from the anchor: strictly before (shift -1), strictly after (+1),
    or (0) on or before, on or after in a future-tense clause."""
    if s.anchor is None:
        return None, _NO_WEEKDAY
    name = forms.WEEKDAY_NAMES[weekday]
    if shift < 0:
        found = weekday_on_or_before(s.anchor - timedelta(days=1), weekday)
        return found.isoformat(), f"the {name} before the dateline"
    if shift > 0:
        found = weekday_on_or_after(s.anchor + timedelta(days=1), weekday)
        return found.isoformat(), f"the {name} after the dateline"
    if _tense(s, start, end) == "future":
        found = weekday_on_or_after(s.anchor, weekday)
        return found.isoformat(), f"the {name} on or after the dateline (future tense)"
    found = weekday_on_or_before(s.anchor, weekday)
    return found.isoformat(), f"the {name} on or before the dateline"


def _relative_value(s: _Sentence, offset: int, unit: str) -> tuple[str | None, str]:
    """A year, month or day counted from the anchor; a week is no date."""
    if unit == "week":
        return None, _A_WEEK
    if s.anchor is None:
        return None, _NO_COUNT
    if unit == "year":
        return f"{s.anchor.year + offset:04d}", _COUNTED
    if unit == "month":
        return _month_iso(*_add_months(s.anchor.year, s.anchor.month, offset)), _COUNTED
    return (s.anchor + timedelta(days=offset)).isoformat(), _COUNTED


# --- mentions -----------------------------------------------------------------------------


def _span(m: re.Match[str]) -> tuple[int, int]:
    """The expression's offsets: group ``t`` when the pattern reads context around it."""
    return m.span("t") if "t" in m.re.groupindex else m.span()


def _mention(m: re.Match[str], s: _Sentence, value: str | None, rule: str, *,
             note: str | None = None, end_value: str | None = None) -> DateMention:
    start, end = _span(m)
    return DateMention(start, end, s.text[start:end], value, rule, end_value, note)


def _modifier_note(modifier: str | None, unit: str) -> str | None:
    return None if modifier is None else f'"{modifier}" narrows it: the value is the whole {unit}'


def _stands_alone(m: re.Match[str], s: _Sentence) -> bool:
    """Whether a month without day or year is a date: written in full, and "May" or "Mai"
    only after a modifier or a word such as "in" (not the modal verb, not a name)."""
    token = m["month"]
    if token not in forms.FULL_MONTHS:
        return False
    if token not in ("May", "Mai") or m["mod"]:
        return True
    return forms.MONTH_CONTEXT.search(s.matched, 0, m.start()) is not None


def _calendar_day(m: re.Match[str], s: _Sentence, base: str) -> DateMention:
    """A day of a month in English or German, with a written, relative or guessed year."""
    month = _month_number(m["month"])
    year, note, kind = _year_of(m, s, month)
    value, problem = _day_iso(year, month, int(m["day"]))
    return _mention(m, s, value, f"{base}-{kind}" if kind else base, note=_join(problem, note))


def _calendar_month(m: re.Match[str], s: _Sentence, base: str) -> DateMention | None:
    """A month in English or German ("in July", "June 2022", "May last year")."""
    if not (m["year"] or m["rel"] or _stands_alone(m, s)):
        return None
    month = _month_number(m["month"])
    year, note, kind = _year_of(m, s, month)
    rule = f"{base}-{kind}" if kind else base
    note = _join(_modifier_note(m["mod"], "month"), note)
    return _mention(m, s, _month_iso(year, month), rule, note=note)


def _range_years(m: re.Match[str], s: _Sentence,
                 months: tuple[int, int]) -> tuple[int | None, int | None, str | None]:
    """The years of a range's first and last day; a range ending in an earlier month ends
    in the next year."""
    wrap = int(months[1] < months[0])
    given = m.groupdict()
    if given.get("year"):
        last = _number(given["year"])
        first = _number(given["year1"]) if given.get("year1") else last - wrap
        return first, last, None
    if given.get("year1"):
        first = _number(given["year1"])
        return first, first + wrap, None
    guessed, note = _guess_year(s, *_span(m), months[0])
    return guessed, None if guessed is None else guessed + wrap, note


def _range(m: re.Match[str], s: _Sentence, months: tuple[int, int],
           rule: str) -> DateMention | None:
    """A range of days; no mention when it ends before it starts or joins two full dates by
    "and" without "between" (then each is a date of its own)."""
    sep = m.groupdict().get("sep")
    if sep is not None and sep.strip() in ("and", "und") and m["month"] and m["month2"] \
            and forms.BETWEEN.search(s.matched, 0, m.start()) is None:
        return None
    first_year, last_year, note = _range_years(m, s, months)
    first, first_problem = _day_iso(first_year, months[0], _number(m["day"]))
    last, last_problem = _day_iso(last_year, months[1], _number(m["day2"]))
    if first is not None and last is not None and last < first:
        return None
    if first is None or last is None:
        first = last = None
    return _mention(m, s, first, rule, end_value=last,
                    note=_join(first_problem, last_problem, note))


def _month_day_range(m: re.Match[str], s: _Sentence) -> DateMention | None:
    month = _month_number(m["month"])
    return _range(m, s, (month, _month_number(m["month2"] or m["month"])), "range")


def _day_month_range(m: re.Match[str], s: _Sentence, rule: str) -> DateMention | None:
    month = _month_number(m["month2"])
    return _range(m, s, (_month_number(m["month"] or m["month2"]), month), rule)


def _zh_range(m: re.Match[str], s: _Sentence) -> DateMention | None:
    month = _number(m["month"])
    return _range(m, s, (month, _number(m["month2"]) if m["month2"] else month), "zh-range")


def _weekday(m: re.Match[str], s: _Sentence, prefix: str) -> DateMention:
    """"Wednesday", "last Friday", "am nächsten Freitag" ..."""
    shift = _offset(m["rel"]) if m["rel"] else 0
    value, note = _weekday_value(s, *_span(m), forms.WEEKDAYS[m["wd"]], shift)
    rule = prefix + {-1: "last-weekday", 0: "weekday", 1: "next-weekday"}[shift]
    return _mention(m, s, value, rule, note=note)


def _zh_weekday(m: re.Match[str], s: _Sentence) -> DateMention:
    """"周三" by the tense rule; "上周三", "本周三", "下周三" in a calendar week."""
    weekday = forms.WEEKDAYS[m["wd"]]
    if m["rel"] is None:
        value, note = _weekday_value(s, *_span(m), weekday, 0)
        return _mention(m, s, value, "zh-weekday", note=note)
    weeks = _offset(m["rel"])
    rule = "zh-" + _relative_name(weeks, "week") + "-weekday"
    if s.anchor is None:
        return _mention(m, s, None, rule, note=_NO_WEEKDAY)
    monday = s.anchor - timedelta(days=s.anchor.weekday())
    found = monday + timedelta(days=7 * weeks + weekday)
    note = f"the {forms.WEEKDAY_NAMES[weekday]} of the calendar week " + \
        {-1: "before the dateline's", 0: "of the dateline", 1: "after the dateline's"}[weeks]
    return _mention(m, s, found.isoformat(), rule, note=note)


def _unit(word: str) -> str:
    """``year``, ``month`` or ``week`` for "year", "Jahres", "Vormonat", "Woche" ..."""
    lowered = word.lower()
    if lowered == "year" or "jahr" in lowered:
        return "year"
    return "month" if "mon" in lowered else "week"


def _relative(m: re.Match[str], s: _Sentence, prefix: str) -> DateMention:
    """"last year", "this month", "next week", "letzten Jahres", "im Vorjahr"."""
    given = m.groupdict()
    if given.get("unit2"):
        offset, unit = -1, _unit(given["unit2"])
    else:
        offset, unit = _offset(m["rel"]), _unit(m["unit"])
    value, note = _relative_value(s, offset, unit)
    return _mention(m, s, value, prefix + _relative_name(offset, unit), note=note)


def _zh_relative(m: re.Match[str], s: _Sentence) -> DateMention:
    """"上周", "本月", "下个月"."""
    unit = "week" if m["week"] else "month"
    offset = _offset(m["rel"])
    value, note = _relative_value(s, offset, unit)
    return _mention(m, s, value, "zh-" + _relative_name(offset, unit), note=note)


def _zh_relative_year(m: re.Match[str], s: _Sentence) -> DateMention:
    offset = _offset(m["rel"])
    value, note = _relative_value(s, offset, "year")
    return _mention(m, s, value, "zh-" + _relative_name(offset, "year"), note=note)


def _day_word(m: re.Match[str], s: _Sentence, prefix: str) -> DateMention:
    """"yesterday", "tomorrow", "gestern", "昨天" ..."""
    offset = _offset(m["word"])
    value, note = _relative_value(s, offset, "day")
    name = {-2: "day-before-yesterday", -1: "yesterday", 1: "tomorrow"}[offset]
    return _mention(m, s, value, prefix + name, note=note)


def _year_alone(m: re.Match[str], s: _Sentence, rule: str) -> DateMention | None:
    """A year after "in", "since", "im Jahr" ..., with "early", "Ende" ..., or possessive."""
    if not (m["ctx"] or m["mod"] or m.groupdict().get("poss")):
        return None
    return _mention(m, s, m["year"], rule, note=_modifier_note(m["mod"], "year"))


def _numeric_date(m: re.Match[str], s: _Sentence, rule: str) -> DateMention | None:
    month = int(m["month"])
    if not 1 <= month <= 12:
        return None
    value, problem = _day_iso(int(m["year"]), month, int(m["day"]))
    return _mention(m, s, value, rule, note=problem)


def _zh_date(m: re.Match[str], s: _Sentence) -> DateMention:
    """"2023年4月19日", "4月19日", "去年9月", "6月", "6月底"."""
    month = _number(m["month"])
    year, note, kind = _year_of(m, s, month)
    rule = "zh-" + (f"{kind}-" if kind else "")
    if m["day"] is None:
        return _mention(m, s, _month_iso(year, month), rule + "month",
                        note=_join(_modifier_note(m["part"], "month"), note))
    value, problem = _day_iso(year, month, _number(m["day"]))
    return _mention(m, s, value, rule + "month-day", note=_join(problem, note))


def _zh_day_alone(m: re.Match[str], s: _Sentence) -> DateMention:
    """"19日": the anchor's month, or the month before or after by the clause's tense."""
    day = int(m["day"])
    if s.anchor is None:
        return _mention(m, s, None, "zh-day", note="no dateline to take the year and month from")
    tense = _tense(s, *_span(m))
    shift = -1 if tense == "past" and day > s.anchor.day else \
        1 if tense == "future" and day < s.anchor.day else 0
    year, month = _add_months(s.anchor.year, s.anchor.month, shift)
    value, problem = _day_iso(year, month, day)
    note = "year and month taken from the dateline" + {
        -1: ": the month before, as the clause is in the past tense and the day comes after "
            "the dateline's",
        0: "",
        1: ": the month after, as the clause is in the future tense and the day comes before "
           "the dateline's"}[shift]
    return _mention(m, s, value, "zh-day", note=_join(problem, note))


# --- rules --------------------------------------------------------------------------------

_Resolver = Callable[[re.Match[str], _Sentence], DateMention | None]

_EN_RULES: tuple[tuple[re.Pattern[str], _Resolver], ...] = (
    (forms.EN_RANGE, _month_day_range),
    (forms.EN_DAY_MONTH_RANGE, lambda m, s: _day_month_range(m, s, "range")),
    (forms.EN_MONTH_DAY, lambda m, s: _calendar_day(m, s, "month-day")),
    (forms.EN_DAY_MONTH, lambda m, s: _calendar_day(m, s, "day-month")),
    (forms.EN_MONTH, lambda m, s: _calendar_month(m, s, "month")),
    (forms.EN_WEEKDAY, lambda m, s: _weekday(m, s, "")),
    (forms.EN_RELATIVE, lambda m, s: _relative(m, s, "")),
    (forms.EN_DAY_WORD, lambda m, s: _day_word(m, s, "")),
    (forms.EN_YEAR, lambda m, s: _year_alone(m, s, "year")),
    (forms.ISO_DATE, lambda m, s: _numeric_date(m, s, "iso-date")),
)
_DE_RULES: tuple[tuple[re.Pattern[str], _Resolver], ...] = (
    (forms.DE_RANGE, lambda m, s: _day_month_range(m, s, "de-range")),
    (forms.DE_DAY_MONTH, lambda m, s: _calendar_day(m, s, "de-day-month")),
    (forms.DE_NUMERIC, lambda m, s: _numeric_date(m, s, "de-numeric-date")),
    (forms.DE_MONTH, lambda m, s: _calendar_month(m, s, "de-month")),
    (forms.DE_WEEKDAY, lambda m, s: _weekday(m, s, "de-")),
    (forms.DE_RELATIVE, lambda m, s: _relative(m, s, "de-")),
    (forms.DE_DAY_WORD, lambda m, s: _day_word(m, s, "de-")),
    (forms.DE_YEAR, lambda m, s: _year_alone(m, s, "de-year")),
)
_ZH_RULES: tuple[tuple[re.Pattern[str], _Resolver], ...] = (
    (forms.ZH_RANGE, _zh_range),
    (forms.ZH_DATE, _zh_date),
    (forms.ZH_DAY, _zh_day_alone),
    (forms.ZH_YEAR, lambda m, s: _mention(m, s, m["year"], "zh-year")),
    (forms.ZH_RELATIVE_YEAR, _zh_relative_year),
    (forms.ZH_WEEKDAY, _zh_weekday),
    (forms.ZH_RELATIVE, _zh_relative),
    (forms.ZH_DAY_WORD, lambda m, s: _day_word(m, s, "zh-")),
)
#: Each language's own rules first (they win ties), then the English ones.
_RULES = {"en": _EN_RULES, "de": _DE_RULES + _EN_RULES, "zh": _ZH_RULES + _EN_RULES}


def find_dates(sentence: str, *, anchor: date | None, language: str = "en") -> list[DateMention]:
    """The date expressions of ``sentence`` in text order, longest first where they overlap,
    resolved against ``anchor`` (the dateline date; None when unknown). ``language`` is
    ``en``, ``zh`` or ``de``.

    >>> [(d.text, d.value, d.rule) for d in find_dates(
    ...     "They met on September 16 last year.", anchor=date(2023, 4, 19))]
    [('September 16 last year', '2022-09-16', 'month-day-last-year')]
    >>> [(d.text, d.value) for d in find_dates("他去年9月16日访问北京。", anchor=date(2023, 4, 19),
    ...                                         language="zh")]
    [('去年9月16日', '2022-09-16')]
    """
    if language not in _RULES:
        raise ValueError(f"language must be one of {sorted(_RULES)}, not {language!r}")
    s = _read(sentence, anchor, language)
    found: list[tuple[int, DateMention]] = []
    for priority, (pattern, resolve) in enumerate(_RULES[language]):
        for match in pattern.finditer(s.matched):
            mention = resolve(match, s)
            if mention is not None:
                found.append((priority, mention))
    return _longest_first(found)


def _longest_first(found: list[tuple[int, DateMention]]) -> list[DateMention]:
    """Non-overlapping mentions, the longest kept first (then the earliest, then the rule
    listed first), in text order."""
    kept: list[DateMention] = []
    for _, mention in sorted(found, key=lambda f: (f[1].start - f[1].end, f[1].start, f[0])):
        if all(mention.end <= other.start or other.end <= mention.start for other in kept):
            kept.append(mention)
    return sorted(kept, key=lambda mention: mention.start)
