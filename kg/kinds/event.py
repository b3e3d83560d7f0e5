"""``event``: what a source says about an event of the registry.

The event itself (a meeting, a summit) is a registry entity; a source's report adds, in
that source's graph, its date, place, type, organizer, outcome and participants with their
roles. Two sources may report the same event; each report stays in its own graph. A date
the text does not give, which the curator took from the source's publication date, is
marked so (``date_from: publication``, ``dip:dateBasis`` on the report).

>>> from kg.kinds import kind_named
>>> fact = EventReport(id="m", event="talks", date="2023-04-19",
...                    participants=(Participant("a", "host"), Participant("b", "guest")),
...                    evidence=())
>>> kind_named("event").sentence(fact, str.upper)
'TALKS on 2023-04-19 with A, B'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from types import MappingProxyType
from typing import Any, ClassVar

from rdflib import Literal, URIRef

from kg.curation.model import AGENT_TYPES, CAMEO_CODES, EVENT_TYPES, LOCATION_TYPES
from kg.dates import date_literal
from kg.graph.namespaces import CAMEO, DIP, SCHEMA, SEM
from kg.kinds import base
from kg.kinds.base import EdgeRelation, Fact, FactKind, Style
from kg.kinds.status import STATUSES, status_of

__all__ = ["DATE_BASES", "KIND", "ROLES", "EventKind", "EventReport", "Participant"]

#: Participant roles as curated, with their concept and their network relation.
ROLES: dict[str, tuple[URIRef, str]] = {
    "host": (DIP.host, "host-of"),
    "guest": (DIP.guest, "guest-at"),
    "participant": (DIP.participantRole, "took-part-in"),
}
_ROLE_OF_CONCEPT = {concept: role for role, (concept, _) in ROLES.items()}
#: The order participants are listed in: hosts, other participants, guests.
_ROLE_ORDER = {"host": 0, "participant": 1, "guest": 2}
#: Meeting formats as curated, with their concept of the ontology's dip:MeetingFormats.
FORMATS: dict[str, URIRef] = {"in-person": DIP.inPerson, "video": DIP.videoLink,
                              "virtual": DIP.virtualMeeting, "phone": DIP.phoneCall}
_FORMAT_OF_CONCEPT = {concept: name for name, concept in FORMATS.items()}
#: What a date the text does not give was taken from, as curated, with its concept of the
#: ontology's dip:DateBases.
DATE_BASES: dict[str, URIRef] = {"publication": DIP.publicationDateBasis}
_DATE_BASIS_OF_CONCEPT = {concept: name for name, concept in DATE_BASES.items()}
#: Entities a report may link the event to, by field: the hosting state or body, the
#: chair, the larger meeting it took place beside.
_EVENT_LINKS: dict[str, URIRef] = {"host": DIP.hostedBy, "chair": DIP.chairedBy,
                                   "sidelines_of": DIP.onSidelinesOf}
#: Where an event may take place: a place, or a state ("a summit in India").
PLACE_TYPES = LOCATION_TYPES


@dataclass(frozen=True)
class Participant:
    """An agent taking part in an event, with its role, and where it joined from when it
    took part from elsewhere (by video link, say)."""

    who: str
    role: str
    joined_from: str | None = None


@dataclass(frozen=True, kw_only=True)
class EventReport(Fact):
    """What a source says about an event of the registry."""

    event: str
    date: str | None = None
    #: ``publication`` when the text gives no date and the curator dated the event from
    #: the source's publication date.
    date_from: str | None = None
    place: str | None = None
    cameo: str | None = None
    organizer: str | None = None
    outcome: str | None = None
    participants: tuple[Participant, ...] = ()
    unnamed_participants: str | None = None
    status: str = "happened"
    announced: str | None = None
    format: str | None = None
    host: str | None = None
    chair: str | None = None
    sidelines_of: str | None = None


class EventKind(FactKind[EventReport]):
    """Event reports: ``dip:EventReport`` nodes about ``sem:Event`` entities."""

    name = "event"
    rdf_class = DIP.EventReport
    fact_type = EventReport
    summary = ("What the source says about an event of the registry: date, place, "
               "participants and their roles, type, outcome.")
    style = Style("#f1ce63", "star")
    edges = (EdgeRelation("met", "met", "met"),
             EdgeRelation("attended-with", "attended with", "attended an event with"),
             EdgeRelation("host-of", "host of", "hosted"),
             EdgeRelation("guest-at", "guest at", "was a guest at"),
             EdgeRelation("took-part-in", "took part in", "took part in"),
             EdgeRelation("took-place-in", "took place in", "took place in"),
             EdgeRelation("organized", "organized", "organized"),
             EdgeRelation("produced", "produced", "produced"),
             EdgeRelation("hosted", "hosted", "hosted"),
             EdgeRelation("chaired", "chaired", "chaired"),
             EdgeRelation("on-sidelines-of", "on sidelines of", "took place on the sidelines of",
                          dated=False),
             EdgeRelation("joined-from", "joined from", "joined from"))
    schema_properties: ClassVar[Mapping[str, Any]] = {
        "event": {"$ref": "#/$defs/id"},
        "date": {"$ref": "#/$defs/date"},
        "date_from": {
            "enum": list(DATE_BASES),
            "description": "publication: the text gives no date; the date is the curator's, "
                           "from the source's publication date.",
        },
        "place": {"$ref": "#/$defs/id"},
        "cameo": {"type": "string", "pattern": "^[0-9]{2,4}$"},
        "organizer": {"$ref": "#/$defs/id"},
        "outcome": {"$ref": "#/$defs/id"},
        "participants": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["who"],
                "properties": {
                    "who": {"$ref": "#/$defs/id"},
                    "role": {"enum": list(ROLES)},
                    "from": {"$ref": "#/$defs/id"},
                },
            },
        },
        "unnamed_participants": {
            "type": "string",
            "description": "Participants the source mentions without naming, in the "
                           "curator's words.",
        },
        "status": {"enum": list(STATUSES)},
        "announced": {"$ref": "#/$defs/date"},
        "format": {"enum": list(FORMATS)},
        "host": {"$ref": "#/$defs/id"},
        "chair": {"$ref": "#/$defs/id"},
        "sidelines_of": {"$ref": "#/$defs/id"},
    }
    schema_required = ("event",)
    #: A draft may propose its own id for an event the registry lacks: the scorer then
    #: pairs reports by a shared participant and compatible dates, or date and place.
    score_key = ("event",)
    score_fields = ("date", "place", "participants", "status", "format")
    score_unstated = MappingProxyType({"date": "date_from"})

    def read(self, item: Mapping[str, Any], context: base.ReadContext) -> EventReport:
        context.ref(item["event"], EVENT_TYPES, "event", context.at("event"))
        date = context.date("date")
        if "date_from" in item and "date" not in item:
            context.error(
                f"date_from: {item['date_from']!r} says where the date came from, but the "
                "report has no date: add the date taken from the publication (its day or "
                "month), or remove date_from", context.at("date_from"))
        if "place" in item:
            context.ref(item["place"], PLACE_TYPES, "place", context.at("place"))
        for key in ("host", "chair"):
            if key in item:
                context.ref(item[key], AGENT_TYPES, key, context.at(key))
        if "sidelines_of" in item:
            context.ref(item["sidelines_of"], EVENT_TYPES, "sidelines_of",
                        context.at("sidelines_of"))
        announced = context.date("announced")
        if "organizer" in item:
            context.ref(item["organizer"], AGENT_TYPES, "organizer", context.at("organizer"))
        if "outcome" in item:
            context.ref(item["outcome"], frozenset({"Agreement"}), "outcome",
                        context.at("outcome"))
        if "cameo" in item and item["cameo"] not in CAMEO_CODES:
            context.error(
                f"cameo: {item['cameo']!r} is not a CAMEO code of the ontology: use one of "
                f"{', '.join(sorted(CAMEO_CODES))} (or add it to ontology/diplomacy.ttl)",
                context.at("cameo"))
        participants = []
        for index, part in enumerate(item.get("participants", ())):
            where = context.item_at("participants", index)
            context.ref(part["who"], AGENT_TYPES, "participant", where)
            if "from" in part:
                context.ref(part["from"], PLACE_TYPES, "participant from", where)
            participants.append(Participant(part["who"], part.get("role", "participant"),
                                            part.get("from")))
        return EventReport(
            id=item["id"], event=item["event"], date=date, date_from=item.get("date_from"),
            place=item.get("place"),
            cameo=item.get("cameo"), organizer=item.get("organizer"),
            outcome=item.get("outcome"), participants=tuple(participants),
            unnamed_participants=item.get("unnamed_participants"),
            status=item.get("status", "happened"), announced=announced,
            format=item.get("format"), host=item.get("host"), chair=item.get("chair"),
            sidelines_of=item.get("sidelines_of"),
            evidence=context.evidence, where=context.where)

    def build(self, fact: EventReport, context: base.BuildContext) -> None:
        node = context.fact_node(fact, self.rdf_class)
        event = context.entity(fact.event)
        context.add(node, DIP.about, event)
        if fact.status != "happened":  # what most reports say goes without saying
            context.add(node, DIP.status, STATUSES[fact.status])
        if fact.announced:
            context.add(node, DIP.announcedOn, date_literal(fact.announced))
        if fact.date_from:
            context.add(node, DIP.dateBasis, DATE_BASES[fact.date_from])
        if fact.format:
            context.add(event, DIP.meetingFormat, FORMATS[fact.format])
        for field, prop in _EVENT_LINKS.items():
            linked = getattr(fact, field)
            if linked:
                context.add(event, prop, context.entity(linked))
        if fact.date:
            context.add(event, SEM.hasTimeStamp, date_literal(fact.date))
        if fact.place:
            context.add(event, SEM.hasPlace, context.entity(fact.place))
        if fact.cameo:
            context.add(event, SEM.eventType, CAMEO[fact.cameo])
        if fact.organizer:
            context.add(event, SCHEMA.organizer, context.entity(fact.organizer))
        if fact.outcome:
            context.add(event, DIP.outcome, context.entity(fact.outcome))
        if fact.unnamed_participants:
            context.add(event, DIP.unnamedParticipants,
                        Literal(fact.unnamed_participants, lang="en"))
        for part in fact.participants:
            who = context.entity(part.who)
            role = context.node(f"{fact.id}/participant/{part.who}")
            context.typed(role, DIP.Participation)
            context.add(role, DIP.participant, who)
            context.add(role, DIP.role, ROLES[part.role][0])
            if part.joined_from:
                context.add(role, DIP.joinedFrom, context.entity(part.joined_from))
            context.provenance(role, fact.where)
            context.add(event, DIP.participation, role)
            context.add(event, SEM.hasActor, who)

    def read_back(self, view: base.FactView) -> EventReport | None:
        event_id = view.entity(DIP.about)
        about = view.value(DIP.about)
        if event_id is None or about is None:
            return None
        event = view.at(about)
        participants = []
        for node in event.values(DIP.participation):
            part = event.at(node)
            who, concept = part.entity(DIP.participant), part.value(DIP.role)
            if who is not None:
                participants.append(Participant(who, _ROLE_OF_CONCEPT.get(
                    concept, "participant") if isinstance(concept, URIRef) else "participant",
                    part.entity(DIP.joinedFrom)))
        cameo = event.value(SEM.eventType)
        form = event.value(DIP.meetingFormat)
        basis = view.value(DIP.dateBasis)
        return EventReport(
            id=view.fact_id, event=event_id, date=event.text(SEM.hasTimeStamp),
            date_from=_DATE_BASIS_OF_CONCEPT.get(basis) if isinstance(basis, URIRef) else None,
            place=event.entity(SEM.hasPlace),
            cameo=str(cameo).removeprefix(str(CAMEO)) if cameo is not None else None,
            organizer=event.entity(SCHEMA.organizer), outcome=event.entity(DIP.outcome),
            participants=tuple(sorted(participants, key=lambda p: p.who)),
            unnamed_participants=event.text(DIP.unnamedParticipants),
            status=status_of(view.value(DIP.status)), announced=view.text(DIP.announcedOn),
            format=_FORMAT_OF_CONCEPT.get(form) if isinstance(form, URIRef) else None,
            host=event.entity(_EVENT_LINKS["host"]), chair=event.entity(_EVENT_LINKS["chair"]),
            sidelines_of=event.entity(_EVENT_LINKS["sidelines_of"]),
            evidence=view.evidence())

    def project(self, fact: EventReport, context: base.ProjectionContext) -> None:
        e, when, place = fact.event, fact.date, fact.place
        if when is not None:
            context.describe(e, "date", when)
        if fact.unnamed_participants is not None:
            context.describe(e, "unnamed_participants", fact.unnamed_participants)
        people = sorted((_ROLE_ORDER[p.role], p.who, ROLES[p.role][1])
                        for p in fact.participants)
        planned = "planned" if fact.status == "planned" else None
        for relation, agent in (("hosted", fact.host), ("chaired", fact.chair)):
            if agent is not None:
                context.edge(agent, e, relation, f"{fact.id}/{relation}", date=when,
                             status=planned)
        if fact.sidelines_of is not None:
            context.edge(e, fact.sidelines_of, "on-sidelines-of", f"{fact.id}/sidelines")
        if context.collapse and len(people) >= 2:
            context.collapsed(e)
            relation = "met" if context.cls(e) == "Meeting" else "attended-with"
            for (_, a, _r), (_, b, _s) in combinations(people, 2):
                context.edge(a, b, relation, f"{fact.id}/{a}/{b}", date=when,
                             place=context.label(place) if place else None,
                             event=e, event_label=context.label(e), status=planned,
                             format=fact.format)
            return
        for _, who, relation in people:
            context.edge(who, e, relation, f"{fact.id}/{relation}/{who}", date=when,
                         status=planned)
        for part in fact.participants:
            if part.joined_from is not None:
                context.edge(part.who, part.joined_from, "joined-from",
                             f"{fact.id}/from/{part.who}", date=when, status=planned)
        if place is not None:
            context.edge(e, place, "took-place-in", f"{fact.id}/place", date=when)
        if fact.organizer is not None:
            context.edge(fact.organizer, e, "organized", f"{fact.id}/organizer", date=when)
        if fact.outcome is not None:
            context.edge(e, fact.outcome, "produced", f"{fact.id}/outcome", date=when)

    def sentence(self, fact: EventReport, name: base.Names) -> str:
        parts = [name(fact.event)]
        if fact.date is not None:
            parts.append(f"on {fact.date}")
            if fact.date_from == "publication":
                parts.append("(date from the publication)")
        if fact.place is not None:
            parts.append(f"in {name(fact.place)}")
        if fact.format in ("video", "virtual"):
            parts.append("by video link" if fact.format == "video" else "(virtual)")
        if fact.participants:
            parts.append("with " + ", ".join(sorted(name(p.who) for p in fact.participants)))
        if fact.host is not None:
            parts.append(f"hosted by {name(fact.host)}")
        if fact.chair is not None:
            parts.append(f"chaired by {name(fact.chair)}")
        if fact.sidelines_of is not None:
            parts.append(f"on the sidelines of {name(fact.sidelines_of)}")
        text = " ".join(parts)
        if fact.status == "planned":
            announced = f", announced {fact.announced}" if fact.announced else ""
            text += f" (planned{announced})"
        return text

    def mentions(self, fact: EventReport) -> tuple[str, ...]:
        named = [fact.event, fact.place, fact.organizer, fact.outcome, fact.host, fact.chair,
                 fact.sidelines_of]
        return (tuple(e for e in named if e is not None)
                + tuple(p.who for p in fact.participants)
                + tuple(p.joined_from for p in fact.participants if p.joined_from))


KIND = EventKind()
