"""What a draft curation file holds beyond a source file, and how a reader finds it.

A draft is a normal source file (``source:`` and ``facts:``) with ``draft:`` blocks the
analyst resolves and deletes:

- each fact's ``draft:`` gives the ``rule`` that produced it and, under ``todo``, what the
  text leaves open (a date it does not give, a back-reference to check, the summary to
  write);
- the ``source:`` block's ``draft:`` lists what the metadata still needs;
- a top-level ``draft:`` holds ``proposed`` entities (names the registry lacks, each with a
  guessed type, where it was seen and close registry names as ``suggestions``) and
  ``mentions`` (every registry entity the text names, with its locators).

``kg build`` and ``kg validate`` refuse a file while any ``draft:`` block is left
(:func:`draft_marks`), so a fact reaches the graph only after review.

>>> from kg.curation.located_yaml import load_located
>>> doc = load_located("source: {id: s}\\nfacts:\\n  - id: m\\n    draft: {rule: r}\\n", "d.yaml")
>>> [(mark.line, mark.what) for mark in draft_marks(doc)]
[(4, 'fact m')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.curation.located_yaml import LocatedDict, LocatedList

__all__ = ["DRAFT_KEY", "MENTIONS_KEY", "PROPOSED_KEY", "RULE_KEY", "TODO_KEY", "DraftMark",
           "draft_marks"]

#: The key of every block the analyst resolves and deletes.
DRAFT_KEY = "draft"
#: In a fact's draft block: the rule that produced the fact.
RULE_KEY = "rule"
#: In any draft block: what the analyst must still decide, one line each.
TODO_KEY = "todo"
#: In the top-level draft block: entities the registry lacks.
PROPOSED_KEY = "proposed"
#: In the top-level draft block: registry entities the text names, with their locators.
MENTIONS_KEY = "mentions"


@dataclass(frozen=True)
class DraftMark:
    """A ``draft:`` block left in a file: its line and what it belongs to."""

    line: int
    what: str
    todo: tuple[str, ...] = ()


def _todo(block: Any) -> tuple[str, ...]:
    items = block.get(TODO_KEY) if isinstance(block, dict) else None
    return tuple(str(item) for item in items) if isinstance(items, list) else ()


def draft_marks(document: LocatedDict) -> list[DraftMark]:
    """The ``draft:`` blocks of a source file's YAML, in file order: the top-level one, the
    source's, and each fact's."""
    marks: list[DraftMark] = []
    if DRAFT_KEY in document:
        marks.append(DraftMark(document.key_lines.get(DRAFT_KEY, document.line), "file",
                               _todo(document[DRAFT_KEY])))
    source = document.get("source")
    if isinstance(source, LocatedDict) and DRAFT_KEY in source:
        marks.append(DraftMark(source.key_lines[DRAFT_KEY], "source", _todo(source[DRAFT_KEY])))
    facts = document.get("facts")
    if isinstance(facts, LocatedList):
        for fact in facts:
            if isinstance(fact, LocatedDict) and DRAFT_KEY in fact:
                marks.append(DraftMark(fact.key_lines[DRAFT_KEY], f"fact {fact.get('id')}",
                                       _todo(fact[DRAFT_KEY])))
    return sorted(marks, key=lambda mark: mark.line)
