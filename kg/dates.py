"""Dates as curated: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, each an interval of days.

A date says no more than the source does: "in April 2023" is ``2023-04``, the whole
month. Comparisons are between intervals, so a less precise date is never called earlier
or later than a precise one it contains. The one place that parses, bounds, compares and
types dates; the curation reader, the builder and the network all use it.

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
from datetime import date

from rdflib import Literal
from rdflib.namespace import XSD

__all__ = ["DATE_PATTERN", "before", "bounds", "check", "date_literal", "precision"]

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
