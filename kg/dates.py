"""Dates as curated: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, each an interval of days.

A date says no more than the source does: "in April 2023" is ``2023-04``, the whole
month. Comparisons are between intervals, so a less precise date is never called earlier
or later than a precise one it contains. The one place that parses, bounds, compares and
types dates, and keeps the days between ``--since`` and ``--until`` (:class:`Interval`);
the curation reader, the builder, the timelines, the network and the drafts of
`kg extract` (counting weekdays from a dateline) all use it.

>>> bounds("2023-04")
(datetime.date(2023, 4, 1), datetime.date(2023, 4, 30))
>>> before("2023-04", "2023-04-19")
False
>>> date_literal("2022").datatype == XSD.gYear
True
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from rdflib import Literal
from rdflib.namespace import XSD

from kg.errors import KGError

__all__ = ["DATE_PATTERN", "Interval", "before", "bounds", "check", "date_literal", "iso_date",
           "precision", "span", "weekday_on_or_after", "weekday_on_or_before"]

#: The curated forms, for schemas and messages.
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_DATE = re.compile(r"^(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?$")
_DATATYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}


def precision(text: str) -> str:
    """``year``, ``month`` or ``day``; ValueError for anything else.

    >>> precision("2023-04-19"), precision("2023")
    ('day', 'year')
    """
    match = _DATE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return "day" if match["d"] else "month" if match["m"] else "year"


def bounds(text: str) -> tuple[date, date]:
    """The first and last day a date of any precision covers.

    >>> bounds("2022")
    (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
    >>> bounds("2024-02")[1]
    datetime.date(2024, 2, 29)
    >>> bounds("2023-13-01")
    Traceback (most recent call last):
    ...
    ValueError: '2023-13-01' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)
    """
    match = _DATE.match(text.strip())
    try:
        if match is None:
            raise ValueError
        year = int(match["y"])
        if match["m"] is None:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(match["m"])
        if match["d"] is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date(year, month, int(match["d"]))
        return day, day
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None


def check(text: str) -> str | None:
    """Why ``text`` is not a real date, None when it is one.

    >>> check("2023-02-30")
    "'2023-02-30' is not a real date: write YYYY-MM-DD, YYYY-MM or YYYY"
    >>> check("2023-02") is None
    True
    """
    try:
        bounds(text)
    except ValueError:
        return f"{text!r} is not a real date: write YYYY-MM-DD, YYYY-MM or YYYY"
    return None


def before(first: str, second: str) -> bool:
    """Whether every day of ``first`` comes before every day of ``second``.

    >>> before("2023-04-18", "2023-04-19"), before("2023", "2023-04-19")
    (True, False)
    """
    return bounds(first)[1] < bounds(second)[0]


def date_literal(value: str) -> Literal:
    """A date as an RDF literal typed by its precision.

    >>> date_literal("2023-04-19").datatype == XSD.date
    True
    >>> date_literal("2023-04").datatype == XSD.gYearMonth
    True
    """
    return Literal(value, datatype=_DATATYPES[precision(value)])


def span(attrs: Mapping[str, object]) -> tuple[date, date] | None:
    """The days something dated by ``date``, or by ``start`` and ``end``, covers (keys of
    ``attrs``, as a fact's fields and the network's attributes name them): from the first
    day of ``start`` (else of ``date``) to the last day of ``end`` (else of ``date``), a
    ``start`` without ``end`` open (:attr:`datetime.date.max`). None when undated;
    ValueError for a value that is not a date.

    >>> span({"date": "2023-04"})
    (datetime.date(2023, 4, 1), datetime.date(2023, 4, 30))
    >>> span({"start": "2022", "end": "2023-02"})[1], span({"start": "2022"})[1], span({})
    (datetime.date(2023, 2, 28), datetime.date(9999, 12, 31), None)
    """
    start, end = attrs.get("start"), attrs.get("end")
    when = attrs.get("date")
    if start is None and when is None:
        return None
    first = bounds(str(start if start is not None else when))[0]
    if end is not None:
        last = bounds(str(end))[1]
    elif start is not None:
        last = date.max
    else:
        last = bounds(str(when))[1]
    return first, last


def _bound(text: str | None, option: str, index: int) -> date | None:
    if text is None:
        return None
    try:
        return bounds(text)[index]
    except ValueError as exc:
        raise KGError(f"{option}: {exc}") from None


@dataclass(frozen=True)
class Interval:
    """The days ``--since`` and ``--until`` keep: from the first day of ``since`` to the
    last day of ``until`` (either may be open). Checked when made; days meet it when any
    of them is inside, so a less precise date is kept when it may fall in the interval.

    >>> Interval("2023", "2023-04").covers(date(2023, 4, 19), date(2023, 4, 19))
    True
    >>> Interval("2023-05").covers(date(2023, 4, 1), date(2023, 4, 30))
    False
    >>> Interval("2023-13")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: --since: '2023-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)
    >>> Interval("2024", "2023")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: --since 2024 is after --until 2023
    """

    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        first, last = self.first, self.last
        if first is not None and last is not None and first > last:
            raise KGError(f"--since {self.since} is after --until {self.until}")

    @cached_property
    def first(self) -> date | None:
        """The first day kept, None when open."""
        return _bound(self.since, "--since", 0)

    @cached_property
    def last(self) -> date | None:
        """The last day kept, None when open."""
        return _bound(self.until, "--until", 1)

    @property
    def is_open(self) -> bool:
        """Whether every day is kept (no ``since`` and no ``until``)."""
        return self.since is None and self.until is None

    def covers(self, first: date, last: date) -> bool:
        """Whether the days ``first`` .. ``last`` meet the interval."""
        start, end = self.first, self.last
        return (start is None or last >= start) and (end is None or first <= end)

    def text(self) -> str:
        """The interval in words, empty when open.

        >>> Interval("2023", "2024-06").text(), Interval(until="2022").text()
        ('from 2023 until 2024-06', 'until 2022')
        """
        parts = ([f"from {self.since}"] if self.since else []) + \
            ([f"until {self.until}"] if self.until else [])
        return " ".join(parts)


def weekday_on_or_before(anchor: date, weekday: int) -> date:
    """The latest day on or before ``anchor`` falling on ``weekday`` (Monday 0 .. Sunday 6).

    >>> weekday_on_or_before(date(2023, 1, 2), 4)
    datetime.date(2022, 12, 30)
    >>> weekday_on_or_before(date(2023, 4, 19), 2)
    datetime.date(2023, 4, 19)
    """
    _check_weekday(weekday)
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def weekday_on_or_after(anchor: date, weekday: int) -> date:
    """The earliest day on or after ``anchor`` falling on ``weekday`` (Monday 0 .. Sunday 6).

    >>> weekday_on_or_after(date(2023, 4, 19), 3)
    datetime.date(2023, 4, 20)
    """
    _check_weekday(weekday)
    return anchor + timedelta(days=(weekday - anchor.weekday()) % 7)


def _check_weekday(weekday: int) -> None:
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) .. 6 (Sunday), not {weekday}")


def iso_date(value: str) -> date | None:
    """The day a full ISO date names; None for anything else (a month, a year, a non-day).

    >>> iso_date("2023-04-19"), iso_date("2023-04"), iso_date("2023-02-30")
    (datetime.date(2023, 4, 19), None, None)
    """
    found = _DATE.fullmatch(value)
    if found is None or found.group("d") is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
