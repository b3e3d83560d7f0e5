"""What a rule finds: a fact of a kind, as the curation fields it will be written with,
its evidence, the rule's name and what the analyst must check; and how findings of the
same fact in several sentences become one.

>>> a = Found("holding", {"person": "p", "post": "x"}, ["p1.s1"], "holding/title-before-name",
...           key=("p", "x"))
>>> b = Found("holding", {"person": "p", "post": "x", "attested": "2023-04-19"}, ["p4.s1"],
...           "holding/title-before-name", key=("p", "x"))
>>> [(f.fields["attested"], f.evidence) for f in merge([a, b])]
[('2023-04-19', ['p1.s1', 'p4.s1'])]
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Found", "Proposal", "merge"]


@dataclass
class Found:
    """A fact a rule found. ``key`` says which fact it is: findings with the same kind and
    key are one fact (their evidence and notes joined, missing fields filled)."""

    kind: str
    fields: dict[str, Any]
    evidence: list[str]
    rule: str
    todo: list[str] = field(default_factory=list)
    key: Hashable = None
    #: How sure the finding is of a field's value: a finding from another sentence
    #: replaces a value only with a surer one (a place "at" a building over "in" a city).
    ranks: dict[str, int] = field(default_factory=dict)
    #: For an event dated by its month because it lasted several days: its first day,
    #: which posts named at it are attested on.
    first_day: str | None = None
    #: Fields two sentences give differently (kept as first found, with a todo).
    conflicts: set[str] = field(default_factory=set)

    def absorb(self, other: Found) -> None:
        """Take in a finding of the same fact from another sentence."""
        for locator in other.evidence:
            if locator not in self.evidence:
                self.evidence.append(locator)
        for name, value in other.fields.items():
            mine = self.fields.get(name)
            if isinstance(mine, list) and isinstance(value, list) and mine and value:
                self.fields[name] = mine + [item for item in value if item not in mine]
                continue
            if value in (None, [], ()) or value == mine:
                continue
            if _same_date(mine, value):   # "2023" and "2023-02-18": keep the finer one
                self.fields[name] = max(str(mine), str(value), key=len)
                continue
            rank, my_rank = other.ranks.get(name, 0), self.ranks.get(name, 0)
            if mine in (None, [], ()) or rank > my_rank:
                self.fields[name] = value
                self.ranks[name] = rank
            elif rank == my_rank and name not in self.conflicts:
                self.conflicts.add(name)
                self.todo.append(f"the text gives {name} as {mine!r} and as {value!r}: "
                                 "write the one meant")
        self.first_day = self.first_day or other.first_day
        for note in other.todo:
            if note not in self.todo:
                self.todo.append(note)
        if other.rule not in self.rule.split(", "):
            self.rule = f"{self.rule}, {other.rule}"


@dataclass
class Proposal:
    """An entity the registry lacks, proposed for it: the analyst adds it to the registry
    or replaces its id with one that is there."""

    id: str
    type: str
    label: str
    language: str
    seen: list[str]
    rule: str
    suggestions: list[str] = field(default_factory=list)
    #: For a proposed post: the body or state it is a post in.
    post_in: str | None = None
    #: Other names the text gives it (an abbreviation in brackets).
    aliases: list[str] = field(default_factory=list)


_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}){0,2}")


def _same_date(first: Any, second: Any) -> bool:
    """Whether two values are dates of which one is a coarser form of the other."""
    if not (isinstance(first, str) and isinstance(second, str)):
        return False
    if not (_DATE.fullmatch(first) and _DATE.fullmatch(second)):
        return False
    return first.startswith(second) or second.startswith(first)


def merge(found: Iterable[Found]) -> list[Found]:
    """Findings of the same fact made one, in the order first found."""
    merged: dict[tuple[str, Hashable], Found] = {}
    order: list[Found] = []
    for item in found:
        if item.key is None:
            order.append(item)
            continue
        known = merged.get((item.kind, item.key))
        if known is None:
            merged[(item.kind, item.key)] = item
            order.append(item)
        else:
            known.absorb(item)
    return order
