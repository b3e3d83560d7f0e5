r"""One exception tree for the library; the CLI maps each to a one-line ``Error: ...``.

::

    KGError                  every error the library raises on purpose
    ├── CurationError        a problem at a file and line of the curation files
    ├── CurationErrors       all the problems of one pass: what the reader finds, and what
    │                        SHACL finds in the built graph (each at its curation line)
    ├── QueryError           a SPARQL query malformed, refused by the guard, or failed
    ├── RemoteError          a remote store or endpoint unreachable, or refusing a request
    ├── UnknownEntityError   an id that is not in the registry
    └── UnknownKindError     a fact kind that no module of kg.kinds declares

A curation error is one line, whatever it quotes (line breaks and control characters
are shown escaped), and ends with how to fix the problem (see :func:`fix_hint`).

>>> str(CurationError("bad date: write YYYY-MM-DD", file="data/x.yaml", line=3))
'data/x.yaml:3: bad date: write YYYY-MM-DD'
>>> str(CurationError("bad name\nhere: fix it", file="data/x.yaml", line=3))
'data/x.yaml:3: bad name\\nhere: fix it'
"""

from __future__ import annotations

import re

#: Characters that would break a message out of its line or reach the terminal raw.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    r"""``text`` with line breaks and control characters escaped, so it prints on one line.

    >>> one_line("a\nb\x00c\u2028")
    'a\\nb\\x00c\\u2028'
    """
    def escape(match: re.Match[str]) -> str:
        char = match.group(0)
        code = ord(char)
        return _ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")

    return _UNPRINTABLE.sub(escape, text)


class KGError(Exception):
    """Base class of every error the library raises on purpose."""


class CurationError(KGError):
    """A problem in a curation file, located by file and line."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line if self.line is not None else 1}: "
        return one_line(f"{where}{self.message}")


class CurationErrors(KGError):
    """Several curation problems found in one pass (each printed on its own line)."""

    def __init__(self, errors: list[CurationError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


#: The verbs a fix may start with (see :func:`fix_hint`).
FIX_VERBS = frozenset({
    "add", "change", "check", "copy", "create", "fix", "give", "keep", "leave", "make",
    "move", "pass", "point", "quote", "re-check", "remove", "rename", "replace", "save",
    "shorten", "swap", "use", "write",
})

_CLAUSE = re.compile(r"[:;] ")


def fix_hint(message: str) -> str | None:
    """The fix a curation message ends with, or None when it gives none.

    The rule every curation message follows: it says what is wrong, then how to fix it,
    in its last clause (the text after its last ``": "`` or ``"; "``), which starts with
    an imperative verb of :data:`FIX_VERBS`.

    >>> fix_hint("attested: '2023-02-30' is not a real date: write YYYY-MM-DD")
    'write YYYY-MM-DD'
    >>> fix_hint("invalid YAML: bad; check the indentation")
    'check the indentation'
    >>> fix_hint("attested: '2023-02-30' is not a real date") is None
    True
    """
    clauses = _CLAUSE.split(message)
    last = clauses[-1]
    return last if len(clauses) > 1 and last.split(" ", 1)[0] in FIX_VERBS else None


class QueryError(KGError):
    """A SPARQL query is malformed, refused, or failed."""


class RemoteError(KGError):
    """A remote store or endpoint could not be reached or refused a request."""


class UnknownEntityError(KGError):
    """An entity id is not in the registry."""


class UnknownKindError(KGError):
    """A fact kind that no module of :mod:`kg.kinds` declares."""
