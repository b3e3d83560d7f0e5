"""What a single curation value may hold, checked before any schema.

A one-line field (ids, labels, names, titles, dates, urls, language tags: everything but
the free text of :data:`MULTILINE_FIELDS`) holds no line break, no control character and
no white space at either end; free text may hold line feeds and tabs, no other control
character; no string holds what XML 1.0 cannot (U+FFFE, U+FFFF, lone surrogates). Dates
are real days of the calendar. (YAML's own traps, such as ``.inf`` or aliases, are
refused earlier, by :mod:`kg.curation.located_yaml`.)

>>> text_problem("Qin Gang") is None
True
>>> print(text_problem("Qin\\tGang"))
U+0009 (tab) at character 4 is not allowed in a one-line value: replace it with a space
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from kg.curation.located_yaml import LocatedDict, LocatedList
from kg.curation.model import Where
from kg.errors import CurationError

__all__ = ["MULTILINE_FIELDS", "check_date", "one_per_line", "shown", "text_errors",
           "text_problem"]

#: Free-text fields that may span lines; every other string of a curation file is one line.
MULTILINE_FIELDS = frozenset({"description", "summary", "unnamed_participants"})

#: Never in any string: control characters other than tab, line feed and carriage return
#: (C0, DEL, C1 with NEL), the line and paragraph separators, and what XML 1.0 cannot hold.
_NEVER = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"
_BAD_IN_LINE = re.compile(f"[{_NEVER}\t\n\r]")
_BAD_IN_TEXT = re.compile(f"[{_NEVER}\r]")
_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_CHAR_NAMES = {0x00: "NUL", 0x09: "tab", 0x0A: "line feed", 0x0D: "carriage return",
               0x1B: "escape", 0x7F: "delete", 0x85: "next line", 0x2028: "line separator",
               0x2029: "paragraph separator", 0xFFFE: "noncharacter", 0xFFFF: "noncharacter"}


def shown(value: Any) -> str:
    """A value as a message shows it: its repr, cut short.

    >>> shown("Qin Gang"), shown("x" * 80)[-5:]
    ("'Qin Gang'", 'xx...')
    """
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def one_per_line(errors: list[CurationError]) -> list[CurationError]:
    """The first error of each file and line: one line of YAML gets one message.

    >>> errors = [CurationError(m, file="f.yaml", line=3) for m in ("first", "second")]
    >>> [e.message for e in one_per_line(errors)]
    ['first']
    """
    seen: set[tuple[str | None, int | None]] = set()
    kept = []
    for error in errors:
        if (error.file, error.line) not in seen:
            seen.add((error.file, error.line))
            kept.append(error)
    return kept


def _char(char: str) -> str:
    """A character as messages name it: U+XXXX and what it is.

    >>> _char("\\r"), _char("\\u00a0")
    ('U+000D (carriage return)', 'U+00A0 (no-break space)')
    """
    code = ord(char)
    name = _CHAR_NAMES.get(code)
    if name is None:
        if 0xD800 <= code <= 0xDFFF:
            name = "lone surrogate"
        elif unicodedata.category(char) == "Cc":
            name = "control character"
        else:
            name = unicodedata.name(char, "character").lower()
    return f"U+{code:04X} ({name})"


def text_problem(value: str, multiline: bool = False) -> str | None:
    """What makes a string unfit for the graph, ending with its fix, or None.

    >>> text_problem("Qin Gang") is None
    True
    >>> print(text_problem("2023-04-19\\n"))  # doctest: +ELLIPSIS
    U+000A (line feed) at character 11 breaks the line: write the value on one line, ...
    >>> text_problem("two\\nlines", multiline=True) is None
    True
    """
    if value.isprintable() and (multiline or not (value[:1].isspace() or value[-1:].isspace())):
        return None
    bad = (_BAD_IN_TEXT if multiline else _BAD_IN_LINE).search(value)
    if bad is not None:
        char, at = bad.group(0), f"{_char(bad.group(0))} at character {bad.start() + 1}"
        if char in _BREAKS and not multiline:
            return (f"{at} breaks the line: write the value on one line, plain or quoted (a "
                    "| or > block adds a line break)")
        if char == "\t":
            return f"{at} is not allowed in a one-line value: replace it with a space"
        if char == "\r" or char in _BREAKS:
            return (f"{at} is not allowed: remove it (free text breaks its lines with line "
                    "feeds alone)")
        if char in "\ufffe\uffff" or "\ud800" <= char <= "\udfff":
            return f"{at} cannot be written in XML: remove it"
        return f"{at} is a control character, which the graph does not take: remove it"
    if not multiline and value[:1].isspace():
        return f"{shown(value)} starts with {_char(value[0])}: remove it"
    if not multiline and value[-1:].isspace():
        return f"{shown(value)} ends with {_char(value[-1])}: remove it"
    return None


def text_errors(document: Any, file: str) -> list[CurationError]:
    """Every string of a document, keys included, checked with :func:`text_problem`.

    >>> from kg.curation.located_yaml import load_located
    >>> [str(e) for e in text_errors(load_located('title: " x"', "f.yaml"), "f.yaml")]
    ["f.yaml:1: title: ' x' starts with U+0020 (space): remove it"]
    """
    found: list[CurationError] = []

    def walk(value: Any, field: str, line: int, multiline: bool) -> None:
        if isinstance(value, str):
            problem = text_problem(value, multiline)
            if problem is not None:
                found.append(CurationError(f"{field}: {problem}", file=file, line=line))
        elif isinstance(value, LocatedDict):
            for key, item in value.items():
                where = f"{field}.{key}" if field else key
                problem = text_problem(key)
                if problem is not None:
                    found.append(CurationError(f"{field or 'the file'}: the key {key!r}: "
                                               f"{problem}", file=file,
                                               line=value.key_lines[key]))
                    continue
                walk(item, where, value.key_lines[key], key in MULTILINE_FIELDS)
        elif isinstance(value, LocatedList):
            for index, item in enumerate(value):
                walk(item, f"{field}.{index}", value.item_lines[index], False)

    walk(document, "", getattr(document, "line", 1), False)
    return one_per_line(found)


def check_date(value: str | None, field: str, where: Where,
               errors: list[CurationError]) -> None:
    """Add an error to ``errors`` when ``value`` (already of the form YYYY, YYYY-MM or
    YYYY-MM-DD) is not a real date.

    >>> errors: list[CurationError] = []
    >>> check_date("2023-02-30", "attested", Where("f.yaml", 4), errors)
    >>> print(errors[0])  # doctest: +ELLIPSIS
    f.yaml:4: attested: '2023-02-30' is not a real date (day is out of range for month): ...
    """
    if value is None:
        return
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        elif len(value) == 7:
            dt.date.fromisoformat(value + "-01")
        elif len(value) == 4:
            dt.date.fromisoformat(value + "-01-01")
    except ValueError as exc:
        errors.append(CurationError(
            f"{field}: {value!r} is not a real date ({exc}): write YYYY-MM-DD, YYYY-MM or YYYY",
            file=where.file, line=where.line))
