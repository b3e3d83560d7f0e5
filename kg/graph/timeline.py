"""Timelines: the dated points of a post, a person or an organization, from read-back facts.

A timeline lists every fact in which an entity is a party, each fact one point read back
from its own source's graph (:mod:`kg.graph.readback`) with that source and its locators:

- a post: its holdings (who held it, or was designated to take it up, and when);
- a person: the posts they hold, the events they take part in, organize, host or chair,
  the visits they make, host or invite, the statements they make (alone, jointly or for a
  body) and the relations stated about them;
- an organization or a state: the same, and the holdings of its posts and of the posts of
  its parts in the registry (a ministry of a state, a secretariat of an organization).

A point sits at the fact's own date: a holding's start, else the date it is attested; an
event's date, else (planned, no date yet) the day it was announced; a visit's start; a
statement's date; otherwise the source's publication day. ``dated_by`` says which.
Dates of any precision (``2023``, ``2023-04``, ``2023-04-19``) sort by the first day they
cover, then the last (:mod:`kg.dates`), and an interval keeps the points whose days meet
it. A planned event or visit keeps its status ``planned``: it is never shown as one that
happened; a designated successor keeps ``designated``.

>>> from pathlib import Path
>>> from kg.pipeline import compile_project
>>> found = timeline(compile_project(Path("data")).dataset, "foreign-minister-of-china")
>>> [(p.date, p.dated_by, p.holder, p.status, p.locators) for p in found.points
...  if p.source_id == "xinhua-2023-04-20-chinese-fm-meets-sco-chief"]
[('2023-04-19', 'attested', 'qin-gang', 'holds', ('p3.s1', 'p4.s1'))]
>>> render_text(found, "table").startswith(
...     "Foreign Minister of China (foreign-minister-of-china, Post): ")
True
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

from rdflib import Dataset, URIRef
from rdflib.term import Node

from kg.dates import Interval, bounds
from kg.errors import KGError, one_line
from kg.graph.lookup import lookup
from kg.graph.namespaces import DIP, ORG
from kg.graph.ontology import most_specific
from kg.graph.readback import ReadFact, entity_ids, entity_records, read_facts, registry_links
from kg.kinds import KINDS
from kg.kinds.event import EventReport
from kg.kinds.holding import Holding
from kg.kinds.relation import Relation
from kg.kinds.statement import Statement
from kg.kinds.visit import Visit
from kg.text_table import aligned

__all__ = ["FIELDS", "FORMATS", "RULES", "Interval", "Timeline", "TimelinePoint", "points_of",
           "render_text", "timeline"]

#: Output formats of ``kg timeline``: the text ones here, ``html`` in
#: :mod:`kg.network.timeline_page`.
FORMATS: tuple[str, ...] = ("table", "csv", "json", "html")
_TEXT_FORMATS = FORMATS[:3]


# --- points ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TimelinePoint:
    """One fact of a timeline: its date, what it says, the entity's part in it, its source.

    ``date`` is where the point sits (see ``dated_by``; None when neither the fact nor its
    source gives a date); ``start``, ``end``, ``attested``, ``began_by`` and ``announced``
    are the fact's own dates as the source states them.
    """

    date: str | None
    #: What ``date`` is: ``start``, ``attested``, ``date``, ``announced`` or ``published``
    #: (the source's publication day, for a fact with no date of its own).
    dated_by: str
    #: The fact's kind (``holding``, ``event``, ``visit``, ``statement``, ``relation``).
    kind: str
    #: The entity's part in the fact (``holder``, ``post``, ``host``, ``speaker``, ...).
    role: str
    #: ``holds`` or ``designated`` (holdings), ``happened`` or ``planned`` (events and
    #: visits), None for statements and relations.
    status: str | None
    #: The fact in one sentence, in the words of its kind.
    what: str
    start: str | None = None
    end: str | None = None
    attested: str | None = None
    began_by: str | None = None
    announced: str | None = None
    #: A holding's holder and post (ids and labels), None for other kinds.
    holder: str | None = None
    holder_label: str | None = None
    post: str | None = None
    post_label: str | None = None
    source_id: str = ""
    source_title: str = ""
    source_url: str = ""
    source_published: str = ""
    locators: tuple[str, ...] = ()
    #: The fact's IRI.
    fact: str = ""

    def days(self) -> tuple[datetime.date, datetime.date] | None:
        """The first and last day the point covers (every date it states), None when it
        has no date that parses.

        >>> TimelinePoint(date="2019", dated_by="start", kind="holding", role="holder",
        ...               status="holds", what="", start="2019", attested="2023-04-19",
        ...               end="2023-12").days()
        (datetime.date(2019, 1, 1), datetime.date(2023, 12, 31))
        """
        firsts = [_days(d) for d in (self.date, self.start, self.began_by, self.attested)]
        lasts = [_days(d) for d in (self.date, self.end, self.attested)]
        known_first = [d[0] for d in firsts if d is not None]
        known_last = [d[1] for d in lasts if d is not None]
        if not known_first or not known_last:
            return None
        return min(known_first), max(known_last)

    def when(self) -> str:
        """The date as shown: ``DATE``, or ``DATE to END`` when the fact ends on another
        date; ``undated`` when there is none.

        >>> TimelinePoint(date="2024-05-18", dated_by="start", kind="visit", role="visitor",
        ...               status="planned", what="", end="2024-05-21").when()
        '2024-05-18 to 2024-05-21'
        """
        if self.date is None:
            return "undated"
        if self.end is not None and self.end != self.date:
            return f"{self.date} to {self.end}"
        return self.date


#: The fields of a point, in the order of the CSV columns and JSON objects.
FIELDS: tuple[str, ...] = tuple(f.name for f in fields(TimelinePoint))


def _days(text: str | None) -> tuple[date, date] | None:
    if text is None:
        return None
    try:
        return bounds(text)
    except ValueError:
        return None  # a graph written elsewhere may hold any literal


@dataclass(frozen=True)
class _Dated:
    """What a kind's rule reads off a fact: its parties and its own dates."""

    #: (entity id, its part), in the fact's order.
    parties: list[tuple[str, str]]
    date: str | None
    dated_by: str
    status: str | None = None
    dates: dict[str, str | None] = field(default_factory=dict)
    holding: tuple[str, str] | None = None


def _holding(fact: Holding) -> _Dated:
    return _Dated([(fact.person, "holder"), (fact.post, "post")],
                  fact.start or fact.attested, "start" if fact.start else "attested",
                  fact.status, {"start": fact.start, "end": fact.end, "attested": fact.attested,
                                "began_by": fact.began_by}, (fact.person, fact.post))


def _event(fact: EventReport) -> _Dated:
    parties = [(who, role) for who, role in ((fact.organizer, "organizer"),
                                             (fact.host, "host"), (fact.chair, "chair"))
               if who is not None]
    parties += [(part.who, part.role) for part in fact.participants]
    when, by = (fact.date, "date") if fact.date else (fact.announced, "announced")
    return _Dated(parties, when, by, fact.status, {"announced": fact.announced})


def _visit(fact: Visit) -> _Dated:
    parties = [(who, role) for who, role in (
        (fact.visitor, "visitor"), (fact.host, "host"), (fact.invited_by, "inviter"),
        (fact.destination, "destination")) if who is not None]
    return _Dated(parties, fact.start, "start", fact.status,
                  {"start": fact.start, "end": fact.end})


def _statement(fact: Statement) -> _Dated:
    parties = [(fact.speaker, "speaker")] + [(who, "joint speaker") for who in fact.joint_with]
    if fact.on_behalf_of is not None:
        parties.append((fact.on_behalf_of, "spoken for"))
    return _Dated(parties, fact.date, "date")


def _relation(fact: Relation) -> _Dated:
    return _Dated([(fact.subject, "subject")] + [(obj, "object") for obj in fact.objects],
                  None, "published")


#: How each kind's facts become points (a test checks every kind of kg.kinds has a rule).
RULES: dict[str, Callable[[Any], _Dated]] = {
    "holding": _holding, "event": _event, "visit": _visit, "statement": _statement,
    "relation": _relation,
}


def _rule(kind: str) -> Callable[[Any], _Dated]:
    try:
        return RULES[kind]
    except KeyError:
        raise KGError(f"kg timeline has no rule for the fact kind {kind!r}: add one to "
                      "kg.graph.timeline.RULES") from None


def _day(published: str) -> str | None:
    """The day of a publication time (``2023-04-20T10:34:00+08:00`` -> ``2023-04-20``),
    as written, in the publisher's own time zone."""
    day = published[:10]
    return day if _days(day) is not None else None


def points_of(facts: Iterable[ReadFact], entity: str, name: Callable[[str], str], *,
              posts: Mapping[str, str] | None = None) -> list[TimelinePoint]:
    """The points of ``entity`` among ``facts``, unsorted: every fact that names it as a
    party, and, for an organization, the holdings of its ``posts`` (post id -> the role
    the organization gets: ``post in it``, ``post in a part of it``). ``name`` gives
    display names.
    """
    found = []
    for read in facts:
        dated = _rule(read.kind.name)(read.fact)
        roles = list(dict.fromkeys(role for who, role in dated.parties if who == entity))
        if posts and dated.holding is not None and dated.holding[1] in posts:
            roles.append(posts[dated.holding[1]])
        if not roles:
            continue
        when, by = dated.date, dated.dated_by
        if when is None:
            when, by = _day(read.source.published), "published"
        holder, post = dated.holding or (None, None)
        found.append(TimelinePoint(
            date=when, dated_by=by, kind=read.kind.name, role=", ".join(roles),
            status=dated.status, what=read.kind.sentence(read.fact, name),
            start=dated.dates.get("start"), end=dated.dates.get("end"),
            attested=dated.dates.get("attested"), began_by=dated.dates.get("began_by"),
            announced=dated.dates.get("announced"), holder=holder,
            holder_label=name(holder) if holder else None, post=post,
            post_label=name(post) if post else None, source_id=read.source.id,
            source_title=read.source.title, source_url=read.source.url,
            source_published=read.source.published,
            locators=tuple(str(e.locator) for e in read.fact.evidence), fact=str(read.node)))
    return found


_KIND_ORDER = {kind.name: number for number, kind in enumerate(KINDS)}
_NEVER = (date.max, date.max)


def _order(point: TimelinePoint) -> tuple[Any, ...]:
    """By date (first day, then last); on one date, facts dated by themselves before those
    dated by their source's publication; then by kind, sentence, source and IRI."""
    days = _days(point.date) or _NEVER
    return (days, point.dated_by == "published", _KIND_ORDER.get(point.kind, len(_KIND_ORDER)),
            point.what, point.source_id, point.fact)


# --- the timeline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    """The points of one entity, sorted by date, within an interval."""

    entity: str
    label: str
    #: The entity's most specific class (``Post``, ``Person``, ``State``, ...).
    cls: str
    interval: Interval
    points: tuple[TimelinePoint, ...]

    def title(self) -> str:
        """A title for the timeline.

        >>> Timeline("fm", "Foreign Minister", "Post", Interval(), ()).title()
        'Holders of Foreign Minister'
        """
        return f"Holders of {self.label}" if self.cls == "Post" else f"Timeline of {self.label}"

    def summary(self) -> str:
        """One line: the entity, its class, how many points, the interval.

        >>> Timeline("fm", "Foreign Minister", "Post", Interval("2023"), ()).summary()
        'Foreign Minister (fm, Post): no points from 2023'
        """
        count = len(self.points)
        text = f"{self.label} ({self.entity}, {self.cls}): " + (
            "no points" if count == 0 else f"{count} point{'s' if count != 1 else ''}")
        return text + (f" {self.interval.text()}" if not self.interval.is_open else "")


def _local(cls: URIRef | None) -> str:
    return str(cls)[len(str(DIP)):] if cls is not None and str(cls).startswith(str(DIP)) \
        else "Thing"


def _posts_of(dataset: Dataset, organization: str, ids: Mapping[Node, str]) -> dict[str, str]:
    """The posts of an organization and of its parts in the registry (org:postIn,
    org:subOrganizationOf, followed down), each with the role the organization gets."""
    links = registry_links(dataset, [ORG.postIn, ORG.subOrganizationOf])
    parts: dict[str, set[str]] = {}
    for sub, whole in links[ORG.subOrganizationOf]:
        if sub in ids and whole in ids:
            parts.setdefault(ids[whole], set()).add(ids[sub])
    inside, todo = {organization}, [organization]
    while todo:
        for part in parts.get(todo.pop(), ()):
            if part not in inside:
                inside.add(part)
                todo.append(part)
    return {ids[post]: "post in it" if ids[org] == organization else "post in a part of it"
            for post, org in links[ORG.postIn]
            if post in ids and org in ids and ids[org] in inside}


#: Classes whose entities have timelines: the one a post has, and an agent's.
_POST, _AGENTS = DIP.Post, (DIP.Person, DIP.Organization)


def timeline(dataset: Dataset, entity: str, *, interval: Interval | None = None
             ) -> Timeline:
    """The timeline of a post, a person or an organization named by ``entity`` (a registry
    id, ``id:...``, its IRI or its exact label; see :func:`kg.graph.lookup.lookup`).

    Raises :class:`~kg.errors.UnknownEntityError` for an unknown id, and
    :class:`~kg.errors.KGError` for an entity of another class (a place, an event).
    """
    interval = interval or Interval()
    records = entity_records(dataset)
    labels = {record.id: record.label or record.id for record in records}
    wanted = lookup(entity, labels)
    record = next(record for record in records if record.id == wanted)
    cls = _local(most_specific(record.types))
    if _POST not in record.types and not any(t in record.types for t in _AGENTS):
        article = "an" if cls[:1] in "AEIOU" else "a"
        raise KGError(f"{wanted!r} is {article} {cls}: kg timeline shows a post, a person or "
                      f"an organization (see kg evidence {wanted})")
    ids = entity_ids(dataset)
    posts = _posts_of(dataset, wanted, ids) if DIP.Organization in record.types else None
    found = points_of(read_facts(dataset, ids), wanted, lambda e: labels.get(e, e),
                      posts=posts)
    if not interval.is_open:
        found = [p for p in found if (days := p.days()) is not None
                 and interval.covers(*days)]
    return Timeline(wanted, labels[wanted], cls, interval, tuple(sorted(found, key=_order)))


# --- text formats ------------------------------------------------------------------------------


_COLUMNS = ("date", "dated by", "status", "role", "what", "source", "locators")


def _table(found: Timeline) -> str:
    rows = [[one_line(cell) for cell in (
        p.when(), p.dated_by, p.status or "", p.role, p.what, p.source_title,
        ", ".join(p.locators))] for p in found.points]
    lines = [one_line(found.summary())]
    if rows:
        lines += aligned(_COLUMNS, rows)
    return "\n".join(lines) + "\n"


def _record(point: TimelinePoint) -> dict[str, Any]:
    data = asdict(point)
    data["locators"] = list(point.locators)
    return data


def _csv(found: Timeline) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for point in found.points:
        data = _record(point)
        data["locators"] = " ".join(point.locators)
        writer.writerow("" if data[name] is None else data[name] for name in FIELDS)
    return out.getvalue()


def render_text(found: Timeline, fmt: str) -> str:
    """The timeline as an aligned ``table`` (one line per point: control characters and
    line breaks escaped), ``csv`` (one row per point, every field; locators separated by
    spaces) or ``json`` (a list of points with every field).

    >>> empty = Timeline("fm", "FM", "Post", Interval(), ())
    >>> render_text(empty, "json"), render_text(empty, "csv").split(",")[:3]
    ('[]\\n', ['date', 'dated_by', 'kind'])
    """
    if fmt == "table":
        return _table(found)
    if fmt == "csv":
        return _csv(found)
    if fmt == "json":
        return json.dumps([_record(p) for p in found.points], ensure_ascii=False,
                          indent=2) + "\n"
    raise KGError(f"unknown timeline format {fmt!r}: use one of {', '.join(_TEXT_FORMATS)} "
                  "(html: kg.network.timeline_page)")
