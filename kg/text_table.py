"""Aligned text tables for a terminal: the results of ``kg query``, the points of ``kg timeline``.

Columns are padded by display width, not by characters: a wide East Asian character takes
two cells and a combining mark none, so Chinese names line up with Latin ones.

>>> print("\\n".join(aligned(["name", "id"], [["秦刚", "qin-gang"], ["SCO", "sco"]])))
name  id
----  --------
秦刚  qin-gang
SCO   sco
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["aligned", "display_width"]


def display_width(text: str) -> int:
    """The cells ``text`` takes in a terminal: two for a wide East Asian character, none
    for a combining mark, one for any other.

    >>> display_width("秦刚"), display_width("e\\u0301"), display_width("SCO")
    (4, 1, 3)
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def aligned(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """The lines of a table: ``header``, a line of dashes, then ``rows``; each column as
    wide as its widest cell, columns two spaces apart, no space at the end of a line.

    >>> aligned(["a", "b"], [])
    ['a  b', '-  -']
    """
    widths = [max([display_width(header[i])] + [display_width(row[i]) for row in rows])
              for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = (c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True))
        return "  ".join(padded).rstrip()

    return [line(header), line(["-" * w for w in widths]), *map(line, rows)]
