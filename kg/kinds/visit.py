"""``visit``: a person's trip to a state or a place, hosted or invited by someone,
with its dates, to attend an event; planned when the source announces it.

>>> from kg.kinds import kind_named
>>> fact = Visit(id="v", visitor="wang-yi", destination="kazakhstan", start="2024-05-18",
...              end="2024-05-21", invited_by="murat-nurtleu", status="planned",
...              evidence=())
>>> kind_named("visit").sentence(fact, str.upper)
'WANG-YI will visit KAZAKHSTAN from 2024-05-18 to 2024-05-21, invited by MURAT-NURTLEU (planned)'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from kg.curation.model import AGENT_TYPES, EVENT_TYPES, LOCATION_TYPES
from kg.dates import before, date_literal
from kg.graph.namespaces import CAMEO, DIP, SEM
from kg.kinds import base
from kg.kinds.base import EdgeRelation, Fact, FactKind, Style
from kg.kinds.status import STATUSES, status_of

__all__ = ["DESTINATION_TYPES", "KIND", "Visit", "VisitKind"]

#: What a visit may go to: a state ("a visit to China") or a place.
DESTINATION_TYPES = LOCATION_TYPES
#: CAMEO 042, "make a visit" (PLOVER: CONSULT, mode visit).
_CAMEO_VISIT = "042"


@dataclass(frozen=True, kw_only=True)
class Visit(Fact):
    """A person's visit, as a source reports it."""

    visitor: str
    destination: str
    start: str | None = None
    end: str | None = None
    host: str | None = None
    invited_by: str | None = None
    purpose: str | None = None
    status: str = "happened"


class VisitKind(FactKind[Visit]):
    """Visits: ``dip:Visit`` nodes (a fact that is also a ``sem:Event``)."""

    name = "visit"
    rdf_class = DIP.Visit
    fact_type = Visit
    summary = ("A person visits a state or a place, hosted or invited by someone, "
               "with dates and the event it is for; planned when announced.")
    style = Style("#9d7660", "triangle")
    edges = (EdgeRelation("visited", "visited", "visited"),
             EdgeRelation("plans-to-visit", "plans to visit", "plans to visit"),
             EdgeRelation("invited", "invited", "invited"),
             EdgeRelation("hosted-visit-of", "hosted visit of", "hosted a visit of"),
             EdgeRelation("made-visit", "made visit", "made the visit"),
             EdgeRelation("visit-to", "to", "was a visit to", dated=False),
             EdgeRelation("visit-for", "for", "was a visit for", dated=False))
    schema_properties: ClassVar[Mapping[str, Any]] = {
        "visitor": {"$ref": "#/$defs/id"},
        "destination": {"$ref": "#/$defs/id"},
        "start": {"$ref": "#/$defs/date"},
        "end": {"$ref": "#/$defs/date"},
        "host": {"$ref": "#/$defs/id"},
        "invited_by": {"$ref": "#/$defs/id"},
        "purpose": {"$ref": "#/$defs/id"},
        "status": {"enum": list(STATUSES)},
    }
    schema_required = ("visitor", "destination")
    score_key = ("visitor", "destination")
    score_fields = ("start", "end", "status", "invited_by")

    def read(self, item: Mapping[str, Any], context: base.ReadContext) -> Visit:
        context.ref(item["visitor"], frozenset({"Person"}), "visitor", context.at("visitor"))
        context.ref(item["destination"], DESTINATION_TYPES, "destination",
                    context.at("destination"))
        for key in ("host", "invited_by"):
            if key in item:
                context.ref(item[key], AGENT_TYPES, key, context.at(key))
        if "purpose" in item:
            context.ref(item["purpose"], EVENT_TYPES, "purpose", context.at("purpose"))
        start, end = context.date("start"), context.date("end")
        if start is not None and end is not None and before(end, start):
            context.error(f"end {end} is before start {start}: swap or fix them",
                          context.at("end"))
        return Visit(id=item["id"], visitor=item["visitor"], destination=item["destination"],
                     start=start, end=end, host=item.get("host"),
                     invited_by=item.get("invited_by"), purpose=item.get("purpose"),
                     status=item.get("status", "happened"), evidence=context.evidence,
                     where=context.where)

    def build(self, fact: Visit, context: base.BuildContext) -> None:
        node = context.fact_node(fact, self.rdf_class)
        context.add(node, DIP.visitor, context.entity(fact.visitor))
        context.add(node, DIP.destination, context.entity(fact.destination))
        context.add(node, SEM.eventType, CAMEO[_CAMEO_VISIT])
        context.add(node, DIP.status, STATUSES[fact.status])
        if fact.start:
            context.add(node, DIP.startDate, date_literal(fact.start))
        if fact.end:
            context.add(node, DIP.endDate, date_literal(fact.end))
        if fact.host:
            context.add(node, DIP.hostedBy, context.entity(fact.host))
        if fact.invited_by:
            context.add(node, DIP.invitedBy, context.entity(fact.invited_by))
        if fact.purpose:
            context.add(node, DIP.purpose, context.entity(fact.purpose))

    def read_back(self, view: base.FactView) -> Visit | None:
        visitor, destination = view.entity(DIP.visitor), view.entity(DIP.destination)
        if visitor is None or destination is None:
            return None
        return Visit(id=view.fact_id, visitor=visitor, destination=destination,
                     start=view.text(DIP.startDate), end=view.text(DIP.endDate),
                     host=view.entity(DIP.hostedBy), invited_by=view.entity(DIP.invitedBy),
                     purpose=view.entity(DIP.purpose),
                     status=status_of(view.value(DIP.status)), evidence=view.evidence())

    def project(self, fact: Visit, context: base.ProjectionContext) -> None:
        dates = {"date": fact.start, "start": fact.start, "end": fact.end,
                 "status": fact.status}
        who = fact.visitor
        if context.collapse:
            relation = "plans-to-visit" if fact.status == "planned" else "visited"
            context.edge(who, fact.destination, relation, f"{fact.id}/destination", **dates)
            if fact.invited_by is not None:
                context.edge(fact.invited_by, who, "invited", f"{fact.id}/invited", **dates)
            if fact.host is not None:
                context.edge(fact.host, who, "hosted-visit-of", f"{fact.id}/host", **dates)
            return
        label = f"Visit of {context.label(who)} to {context.label(fact.destination)}"
        node = context.fact_node(fact.id, "Visit", label, **dates)
        context.edge(who, node, "made-visit", f"{fact.id}/visitor", **dates)
        context.edge(node, fact.destination, "visit-to", f"{fact.id}/destination", **dates)
        if fact.invited_by is not None:
            context.edge(fact.invited_by, node, "invited", f"{fact.id}/invited", **dates)
        if fact.host is not None:
            context.edge(fact.host, node, "hosted-visit-of", f"{fact.id}/host", **dates)
        if fact.purpose is not None:
            context.edge(node, fact.purpose, "visit-for", f"{fact.id}/purpose", **dates)

    def sentence(self, fact: Visit, name: base.Names) -> str:
        planned = fact.status == "planned"
        text = f"{name(fact.visitor)} {'will visit' if planned else 'visited'} "
        text += name(fact.destination)
        if fact.start and fact.end and fact.end != fact.start:
            text += f" from {fact.start} to {fact.end}"
        elif fact.start:
            text += f" on {fact.start}"
        if fact.invited_by:
            text += f", invited by {name(fact.invited_by)}"
        if fact.host:
            text += f", hosted by {name(fact.host)}"
        if fact.purpose:
            text += f", to attend {name(fact.purpose)}"
        return text + (" (planned)" if planned else "")

    def mentions(self, fact: Visit) -> tuple[str, ...]:
        named = [fact.visitor, fact.destination, fact.host, fact.invited_by, fact.purpose]
        return tuple(e for e in named if e is not None)


KIND = VisitKind()
