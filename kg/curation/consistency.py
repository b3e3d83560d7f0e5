"""Consistency checks across the curation files: what each fact gets right on its own, but
two facts, or two registry entries, cannot both be.

Run after the files are read (:func:`kg.curation.reader.load_curation` and the builds of
:mod:`kg.pipeline`); each problem is found at a curation line and names the other line:

1. **Two holders of a single-holder post** (:func:`check_holdings`). A post has one holder
   at a time unless the registry says ``holders: many`` (a member of a politburo). Two
   holdings of the same post by different people whose ``attested`` dates overlap
   (:func:`kg.dates.bounds`; calendar dates of different precision either nest or are
   apart) are an **error** when both dates are the same day, and a **warning** when one
   date contains the other (``2023`` and ``2023-04-19``, or the same month or year): the
   post may have changed hands within it. Neither is reported when a ``start``, ``end``
   or ``began_by`` of either person's term of the post (in any holding, designated ones
   included) overlaps the wider of the two dates: that records the change of holder, and
   on the day of a handover both may be said to hold the post. Holdings with ``status:
   designated`` (named, not yet in office) hold nothing.
2. **A planned event used as a happened one** (:func:`check_planned_events`). Within one
   source: when every report of an event there has ``status: planned``, what presupposes
   that it took place is an **error**: a statement made ``at`` it, a photo of the source
   that ``depicts`` it, a report of another event, not planned, on its ``sidelines_of``.
   Only the same source counts (a later source may report that the event happened), and
   visits neither establish nor presuppose an event's status: a visitor may arrive, or
   plan to, for an event still to come.
3. **The same name on two entities** (:func:`check_registry`): a label or alias, in any
   language, equal to another entity's after Unicode NFKC normalization, case folding and
   collapsing white space: a **warning** (a likely duplicate).
4. **Names close enough to be one person** (:func:`check_registry`): labels and aliases of
   two people whose :func:`similarity` is at least :data:`SIMILAR` (Yermekbayev and
   Yelmekbayev, Sergey and Sergei Lavrov): a **warning**; entries are never merged.

>>> from pathlib import Path
>>> from kg.curation.reader import load_curation
>>> curation = load_curation(Path("data"))
>>> found = check_curation(curation)
>>> found.errors, found.warnings
([], [])
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from kg.curation.model import Curation, Entity, Source, Where
from kg.curation.registry import REGISTRY_FILE
from kg.dates import bounds
from kg.errors import CurationError, one_line
from kg.kinds.base import Fact
from kg.kinds.event import EventReport
from kg.kinds.holding import Holding
from kg.kinds.statement import Statement

__all__ = ["SIMILAR", "CurationWarning", "Findings", "check_curation", "check_holdings",
           "check_planned_events", "check_registry", "check_sources", "holding_rows",
           "holdings_from_rows", "similarity"]

#: The :func:`similarity` from which two people's names are reported as close, chosen by
#: measurement. Different people score at most 0.636 among the 34 names of the registry's
#: people (Zhang Ming, Zhang Kaiwei), 0.667 among the 238 people of a 30-article synthetic
#: corpus and 0.750 among the 875 of a 1,000-article one (382,375 pairs); the closest
#: real pairs found by hand score 0.889 (Li Qiang, Li Keqiang), 0.880 (George Bush, George
#: W. Bush), 0.857 (Wang Yi, Wang Yu) and 0.818 (Kim Jong-un, Kim Jong-il). One person
#: spelled two ways scores from 0.909 (Yermekbayev, Yelmekbayev) up: Sergey and Sergei
#: Lavrov 0.923, Kassym-Jomart and Kassym-Zhomart Tokayev 0.930, Mohammed and Mohammad bin
#: Salman 0.947, Shavkat Mirziyoyev and Mirziyoev 0.971, Volodymyr Zelensky and Zelenskyy
#: 0.973. 0.9 lies between the two groups. Short names one letter apart (Zhang Ming, Zhang
#: Min: 0.947) are reported too: a warning to read, never a merge.
SIMILAR = 0.9


@dataclass(frozen=True)
class CurationWarning:
    """A likely problem at a file and line: printed, never fatal.

    >>> str(CurationWarning("two names: check them", Where("data/entities.yaml", 9)))
    'data/entities.yaml:9: two names: check them'
    """

    message: str
    where: Where

    def __str__(self) -> str:
        return one_line(f"{self.where.file}:{self.where.line}: {self.message}")


@dataclass
class Findings:
    """The errors and warnings of the checks, each list in file and line order."""

    errors: list[CurationError] = field(default_factory=list)
    warnings: list[CurationWarning] = field(default_factory=list)

    def sort(self) -> Findings:
        """Put both lists in file and line order (a stable sort); return self."""
        self.errors.sort(key=lambda error: (error.file or "", error.line or 0))
        self.warnings.sort(key=lambda warning: (warning.where.file, warning.where.line))
        return self


def _at(where: Where, other: Where) -> str:
    """Where ``other`` is, as seen from ``where``: its line, or its file and line."""
    return f"line {other.line}" if other.file == where.file else f"{other.file}:{other.line}"


def _where(fact: Fact) -> Where:
    return fact.where or Where("?", 1)


# -- 1. single-holder posts ------------------------------------------------------------------

def _overlap(first: str, second: str) -> bool:
    (a, b), (c, d) = bounds(first), bounds(second)
    return a <= d and c <= b


def _wider(first: str, second: str) -> str:
    (a, b), (c, d) = bounds(first), bounds(second)
    return first if (b - a) >= (d - c) else second


def check_holdings(entities: Mapping[str, Entity], holdings: Sequence[Holding], *,
                   earlier: Sequence[Holding] = ()) -> Findings:
    """Two people holding a single-holder post at once (check 1 of the module doc).

    Each holding is compared with those before it in ``holdings`` and with ``earlier``
    ones (holdings of files not read again, which are not reported among themselves), and
    reported at its own line, once for each other person.

    >>> def held(person, attested, line, **dates):
    ...     return Holding(id=f"{person}-fm", person=person, post="fm", attested=attested,
    ...                    evidence=(), where=Where("s.yaml", line), **dates)
    >>> fm = {"fm": Entity("fm", "Post", {"en": "FM"}, Where("e.yaml", 3), post_in="mfa")}
    >>> found = check_holdings(fm, [held("qin-gang", "2023-04-19", 10),
    ...                             held("wang-yi", "2023-04-19", 20),
    ...                             held("li-hui", "2023", 30)])
    >>> [str(e).split(": ")[1] for e in found.errors], [w.where.line for w in found.warnings]
    (["holding 'wang-yi-fm'"], [30, 30])
    >>> check_holdings(fm, [held("qin-gang", "2023-04-19", 10),
    ...                     held("wang-yi", "2023-07-25", 20, start="2023-07")]).errors
    []
    """
    found = Findings()
    ordered = [(holding, False) for holding in earlier] + [(h, True) for h in holdings]
    terms: dict[tuple[str, str], list[str]] = defaultdict(list)
    for holding, _ in ordered:
        terms[holding.post, holding.person].extend(
            date for date in (holding.start, holding.end, holding.began_by) if date)
    ordered = [(holding, current) for holding, current in ordered
               if holding.status == "holds"]
    # post -> year -> attested date -> person -> the first holding saying so
    seen: dict[str, dict[str, dict[str, dict[str, Holding]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict)))
    for holding, current in ordered:
        post = entities.get(holding.post)
        if post is not None and post.holders == "many":
            continue
        dates = seen[holding.post][holding.attested[:4]]
        if current:
            _compare(holding, dates, terms, found)
        dates[holding.attested].setdefault(holding.person, holding)
    return found


def _compare(holding: Holding, dates: Mapping[str, Mapping[str, Holding]],
             terms: Mapping[tuple[str, str], list[str]], found: Findings) -> None:
    """Report ``holding`` against the first conflicting holding of each other person."""
    day = holding.attested
    conflicts: dict[str, tuple[bool, Holding]] = {}
    for attested, people in dates.items():
        if not _overlap(attested, day):
            continue
        wider = _wider(attested, day)
        same_day = attested == day and len(day) == 10
        for person, other in people.items():
            if person == holding.person or (person in conflicts and conflicts[person][0]):
                continue
            boundaries = terms[holding.post, person] + terms[holding.post, holding.person]
            if any(_overlap(date, wider) for date in boundaries):
                continue
            if same_day or person not in conflicts:
                conflicts[person] = (same_day, other)
    here = _where(holding)
    for person, (same_day, other) in sorted(conflicts.items()):
        there = _at(here, _where(other))
        if same_day:
            found.errors.append(CurationError(
                f"holding {holding.id!r}: {holding.person!r} holds the single-holder post "
                f"{holding.post!r} on {day}, the same day as {person!r} at {there}: fix the "
                "person or the date of one of the two, or set the post's holders to many in "
                f"{REGISTRY_FILE}", file=here.file, line=here.line))
        else:
            wider = _wider(other.attested, day)
            found.warnings.append(CurationWarning(
                f"holding {holding.id!r}: {holding.person!r} holds the single-holder post "
                f"{holding.post!r} on {day}, and {person!r} on {other.attested} at {there}, "
                f"with no start or end of a term recorded in {wider}: check that the post changed "
                "hands then and add the start or end of a term, or set the post's holders "
                f"to many in {REGISTRY_FILE}", here))


# -- 2. planned events -----------------------------------------------------------------------

def check_planned_events(source: Source) -> list[CurationError]:
    """What presupposes that an event took place (a statement made at it, a photo of it,
    an event on its sidelines), where every report of the same source calls it planned
    (check 2 of the module doc).

    >>> from kg.curation.model import Photo
    >>> def report(id, event, line, **more):
    ...     return EventReport(id=id, event=event, evidence=(), where=Where("s.yaml", line),
    ...                        **more)
    >>> source = Source(
    ...     id="s", title="t", url="u", publisher="p", published="2024-05-01", language="en",
    ...     text_file="t.txt", sha256="0", where=Where("s.yaml", 1),
    ...     photos=(Photo("photo", "summit", "c", (), Where("s.yaml", 5)),),
    ...     facts=(report("summit-planned", "summit", 10, status="planned"),
    ...            report("talks", "talks", 20, sidelines_of="summit")))
    >>> for error in check_planned_events(source):
    ...     print(error)  # doctest: +ELLIPSIS
    s.yaml:5: photo 'photo' depicts 'summit', which this source reports only as planned...
    s.yaml:20: event report 'talks' puts 'talks' on the sidelines of 'summit', which...
    >>> print(check_planned_events(source)[0])
    ... # doctest: +NORMALIZE_WHITESPACE
    s.yaml:5: photo 'photo' depicts 'summit', which this source reports only as planned
    (line 10): set the report's status to happened if the event took place, or fix depicts
    """
    planned: dict[str, Where] = {}
    happened: set[str] = set()
    for fact in source.facts:
        if isinstance(fact, EventReport):
            if fact.status == "planned":
                planned.setdefault(fact.event, _where(fact))
            else:
                happened.add(fact.event)
    only_planned = {event: where for event, where in planned.items() if event not in happened}
    errors = []
    fix = "set the report's status to happened if the event took place, or"
    for fact in source.facts:
        here = _where(fact)
        if isinstance(fact, Statement) and fact.at in only_planned:
            errors.append(CurationError(
                f"statement {fact.id!r} is made at {fact.at!r}, which this source reports "
                f"only as planned ({_at(here, only_planned[fact.at])}): {fix} remove at",
                file=here.file, line=here.line))
        elif (isinstance(fact, EventReport) and fact.status != "planned"
              and fact.sidelines_of in only_planned):
            errors.append(CurationError(
                f"event report {fact.id!r} puts {fact.event!r} on the sidelines of "
                f"{fact.sidelines_of!r}, which this source reports only as planned "
                f"({_at(here, only_planned[fact.sidelines_of])}): {fix} mark this report "
                "planned too", file=here.file, line=here.line))
    for photo in source.photos:
        if photo.depicts in only_planned:
            errors.append(CurationError(
                f"photo {photo.id!r} depicts {photo.depicts!r}, which this source reports "
                f"only as planned ({_at(photo.where, only_planned[photo.depicts])}): {fix} "
                "fix depicts", file=photo.where.file, line=photo.where.line))
    return sorted(errors, key=lambda error: (error.file or "", error.line or 0))


# -- 3 and 4. names in the registry ----------------------------------------------------------

def _same(name: str) -> str:
    """A name as check 3 compares it: NFKC, case folded, white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _fold(name: str) -> str:
    """A name as :func:`similarity` compares it: :func:`_same`, accents removed."""
    decomposed = unicodedata.normalize("NFKD", _same(name))
    return unicodedata.normalize("NFC", "".join(
        char for char in decomposed if not unicodedata.combining(char)))


def similarity(first: str, second: str) -> float:
    """How alike two names are, from 0 to 1: :class:`difflib.SequenceMatcher`'s ratio of
    the names case folded, with accents removed.

    >>> round(similarity("Yermekbayev", "Yelmekbayev"), 3)
    0.909
    >>> round(similarity("Sergey Lavrov", "Sergei Lavrov"), 3)
    0.923
    >>> round(similarity("Li Qiang", "Li Keqiang"), 3), similarity("Erdoğan", "ERDOGAN")
    (0.889, 1.0)
    """
    shorter, longer = sorted((_fold(first), _fold(second)), key=lambda s: (len(s), s))
    return _ratio(shorter, longer)


def _ratio(shorter: str, longer: str) -> float:
    """The ratio of two folded names, the shorter (then the smaller) first."""
    return difflib.SequenceMatcher(None, shorter, longer, autojunk=False).ratio()


@dataclass(frozen=True)
class _Name:
    text: str
    entity: Entity
    what: str  # "en label", "zh alias", ...


def _names(entity: Entity) -> list[_Name]:
    found = [_Name(text, entity, f"{language} label") for language, text in
             entity.labels.items()]
    found += [_Name(text, entity, f"{language} alias") for language, texts in
              entity.aliases.items() for text in texts]
    return found


def _pair(first: _Name, second: _Name) -> tuple[_Name, _Name]:
    """The two names, the one of the entity that comes first in the file first."""
    key = (first.entity.where.line, first.entity.id), (second.entity.where.line,
                                                       second.entity.id)
    return (first, second) if key[0] <= key[1] else (second, first)


def check_registry(entities: Mapping[str, Entity]) -> list[CurationWarning]:
    """Names shared by two entities, and people's names close enough to be one person
    (checks 3 and 4 of the module doc): one warning for each pair of entities, at the
    later entity's line.

    >>> def entity(id, line, label, type="Person", **aliases):
    ...     return Entity(id, type, {"en": label}, Where("e.yaml", line), aliases=aliases)
    >>> found = check_registry({"a": entity("a", 3, "Sergey Lavrov"),
    ...                         "b": entity("b", 9, "S. Lavrov", en=("Sergei Lavrov",)),
    ...                         "c": entity("c", 15, "Li Qiang"),
    ...                         "d": entity("d", 20, "Li Keqiang"),
    ...                         "e": entity("e", 30, "Li  QIANG", type="Place")})
    >>> for warning in found:
    ...     print(warning)  # doctest: +NORMALIZE_WHITESPACE
    e.yaml:9: 'b' has the en alias 'Sergei Lavrov', close to 'Sergey Lavrov' (en label) of
    'a' at line 3 (similarity 0.92), perhaps the same person spelled two ways: check the
    two, and merge the entries only if they are one person
    e.yaml:30: 'e' has the en label 'Li  QIANG', as 'c' at line 15 has (en label
    'Li Qiang'), likely the same entity: merge the two entries (keeping the published id),
    or change one of the names
    """
    warnings: dict[tuple[str, str], CurationWarning] = {}
    by_name: dict[str, list[_Name]] = defaultdict(list)
    people: dict[str, list[_Name]] = defaultdict(list)
    for entity in entities.values():
        for name in _names(entity):
            by_name[_same(name.text)].append(name)
            if entity.type == "Person":
                people[_fold(name.text)].append(name)
    for names in by_name.values():
        for index, later in enumerate(names):
            for earlier in names[:index]:
                first, second = _pair(earlier, later)
                key = (first.entity.id, second.entity.id)
                if first.entity.id != second.entity.id and key not in warnings:
                    where = second.entity.where
                    warnings[key] = CurationWarning(
                        f"{second.entity.id!r} has the {second.what} {second.text!r}, as "
                        f"{first.entity.id!r} at {_at(where, first.entity.where)} has "
                        f"({first.what} {first.text!r}), likely the same entity: merge the "
                        "two entries (keeping the published id), or change one of the names",
                        where)
    for first, second, ratio in _close(people):
        key = (first.entity.id, second.entity.id)
        if key not in warnings:
            where = second.entity.where
            warnings[key] = CurationWarning(
                f"{second.entity.id!r} has the {second.what} {second.text!r}, close to "
                f"{first.text!r} ({first.what}) of {first.entity.id!r} at "
                f"{_at(where, first.entity.where)} (similarity {ratio:.2f}), perhaps the "
                "same person spelled two ways: check the two, and merge the entries only if "
                "they are one person", where)
    return sorted(warnings.values(), key=lambda w: (w.where.file, w.where.line, w.message))


def _close(people: Mapping[str, list[_Name]]) -> Iterable[tuple[_Name, _Name, float]]:
    """Pairs of names of two people at least :data:`SIMILAR` alike (the best per pair of
    people), found without comparing names that cannot be.

    A ratio of at least :data:`SIMILAR` needs ``2 * M >= SIMILAR * T`` (``M`` matched
    characters, ``T`` the two lengths together), so the longer name is at most
    ``2 / SIMILAR - 1`` times as long, and at most ``(1 - SIMILAR) * T`` characters are
    inserted or deleted between the two; cut the shorter name into one piece more than
    that, and one piece is left whole: a name that holds none of the pieces is not
    compared.
    """
    folded = sorted(people, key=lambda text: (len(text), text))
    best: dict[tuple[str, str], tuple[float, _Name, _Name]] = {}

    def keep(ratio: float, ones: list[_Name], others: list[_Name]) -> None:
        for one in ones:
            for other in others:
                if one.entity.id != other.entity.id:
                    first, second = _pair(one, other)
                    key = (first.entity.id, second.entity.id)
                    if key not in best or ratio > best[key][0]:
                        best[key] = (ratio, first, second)

    for text in folded:  # the same once folded ("Erdoğan", "Erdogan")
        keep(1.0, people[text], people[text])
    reach = 2 / SIMILAR - 1
    # for each name, and each number of edits a longer name may need: the pieces
    plans: list[dict[int, list[str]]] = []
    for short in folded:
        plan: dict[int, list[str]] = {}
        for length in range(len(short), int(reach * len(short) + 1e-9) + 1):
            edits = int((1 - SIMILAR) * (len(short) + length) + 1e-9)
            plan.setdefault(edits, _pieces(short, edits + 1))
        plans.append(plan)
    sizes = {len(piece) for plan in plans for pieces in plan.values() for piece in pieces}
    holders: dict[str, set[int]] = defaultdict(set)  # a piece -> the names holding it
    for index, text in enumerate(folded):
        for size in sizes:
            for start in range(len(text) - size + 1):
                holders[text[start:start + size]].add(index)
    for index, short in enumerate(folded):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(short)  # the matcher keeps what it learns of its second string
        for edits, pieces in plans[index].items():
            found = set().union(*(holders.get(piece, ()) for piece in pieces))
            for other in sorted(found):
                long = folded[other]
                if other <= index or len(long) > reach * len(short) or int(
                        (1 - SIMILAR) * (len(short) + len(long)) + 1e-9) != edits:
                    continue
                matcher.set_seq1(long)
                if matcher.quick_ratio() < SIMILAR:
                    continue
                ratio = _ratio(short, long)
                if ratio >= SIMILAR:
                    keep(ratio, people[short], people[long])
    for ratio, first, second in best.values():
        yield first, second, ratio


def _pieces(text: str, count: int) -> list[str]:
    """``text`` cut into ``count`` pieces of nearly equal length; when it has fewer
    characters than that, one empty piece (which every name holds).

    >>> _pieces("yermekbayev", 3), _pieces("li", 3)
    (['yer', 'mekb', 'ayev'], [''])
    """
    if count > len(text):
        return [""]
    cuts = [len(text) * part // count for part in range(count + 1)]
    return [text[a:b] for a, b in pairwise(cuts)]


# -- all of them -----------------------------------------------------------------------------

def check_sources(entities: Mapping[str, Entity], sources: Sequence[Source], *,
                  earlier: Sequence[Holding] = ()) -> Findings:
    """Checks 1 and 2 of the module doc on ``sources``; ``earlier`` holdings come from
    files not read again (see :func:`check_holdings`)."""
    holdings = [fact for source in sources for fact in source.facts
                if isinstance(fact, Holding)]
    found = check_holdings(entities, holdings, earlier=earlier)
    for source in sources:
        found.errors.extend(check_planned_events(source))
    return found.sort()


def check_curation(curation: Curation) -> Findings:
    """Every check of the module doc, on everything read from a data folder."""
    found = check_sources(curation.entities, curation.sources)
    found.warnings[:0] = check_registry(curation.entities)
    return found.sort()


# -- what a build keeps of a source for the next one -----------------------------------------

def holding_rows(source: Source) -> list[list[Any]]:
    """The holdings of a source as JSON rows (id, person, post, attested, start, end,
    began_by, status, line), kept in a build's manifest so that an incremental build can
    compare a changed source with the others without reading them.

    >>> from pathlib import Path
    >>> from kg.curation.reader import load_curation
    >>> from dataclasses import replace
    >>> source = load_curation(Path("data")).sources[0]
    >>> rows = holding_rows(source)
    >>> back = holdings_from_rows(rows, source.where.file)
    >>> back == [replace(fact, evidence=()) for fact in source.facts
    ...          if isinstance(fact, Holding)]
    True
    """
    return [[fact.id, fact.person, fact.post, fact.attested, fact.start, fact.end,
             fact.began_by, fact.status, _where(fact).line]
            for fact in source.facts if isinstance(fact, Holding)]


def holdings_from_rows(rows: Iterable[Sequence[Any]], file: str) -> list[Holding]:
    """The holdings :func:`holding_rows` wrote, back, at lines of ``file``.

    >>> rows = [["h", "p", "fm", "2023", None, "2023-05", None, "holds", 7]]
    >>> holdings_from_rows(rows, "s.yaml")[0].where
    Where(file='s.yaml', line=7)
    """
    return [Holding(id=fact_id, person=person, post=post, attested=attested, start=start,
                    end=end, began_by=began_by, status=status, evidence=(),
                    where=Where(file, line))
            for fact_id, person, post, attested, start, end, began_by, status, line in rows]
