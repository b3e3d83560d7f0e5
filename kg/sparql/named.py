"""The SPARQL queries shipped with the package, one per competency question.

Each ``kg/sparql/queries/NAME.rq`` starts with ``# question: ...`` and declares its own
prefixes, so it also runs unchanged on any other SPARQL endpoint.

>>> names()[:3]
['cq1', 'cq2', 'cq3']
>>> question("cq9")
'Which organizations is China a member of?'
"""

from __future__ import annotations

import difflib
import re
from importlib import resources

from kg.errors import QueryError

_QUESTION = re.compile(r"^#\s*question:\s*(.+)$", re.MULTILINE)


def _files() -> dict[str, str]:
    folder = resources.files("kg.sparql").joinpath("queries")
    return {item.name[:-3]: item.read_text("utf-8") for item in folder.iterdir()
            if item.name.endswith(".rq")}


def _natural(name: str) -> tuple[str, int]:
    match = re.match(r"(\D*)(\d*)", name)
    assert match is not None
    return match.group(1), int(match.group(2) or 0)


def names() -> list[str]:
    """The names of the shipped queries, in natural order (cq2 before cq10)."""
    return sorted(_files(), key=_natural)


def text(name: str) -> str:
    """The SPARQL text of a shipped query; QueryError with close names when unknown."""
    files = _files()
    if name not in files:
        close = difflib.get_close_matches(name, list(files), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise QueryError(f"no shipped query named {name!r}{hint}: see `kg ask --list`")
    return files[name]


def question(name: str) -> str:
    """The competency question a shipped query answers."""
    match = _QUESTION.search(text(name))
    return match.group(1).strip() if match else ""
