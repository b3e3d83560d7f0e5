"""``holding``: a person holds a post, known on a date, with start and end where known.

>>> from kg.kinds import kind_named
>>> kind = kind_named("holding")
>>> fact = Holding(id="h", person="qin-gang", post="fm", attested="2023-04-19", evidence=())
>>> kind.sentence(fact, str.upper)
'QIN-GANG holds the post FM (attested 2023-04-19)'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from rdflib import URIRef

from kg.dates import before, date_literal
from kg.graph.namespaces import DIP, ORG
from kg.kinds import base
from kg.kinds.base import EdgeRelation, Fact, FactKind, Style

__all__ = ["HOLDING_STATUSES", "KIND", "Holding", "HoldingKind"]

#: Holding statuses as curated, with their concept of the ontology's dip:HoldingStatuses.
HOLDING_STATUSES: dict[str, URIRef] = {"holds": DIP.holds, "designated": DIP.designated}
_HOLDING_STATUS_OF: dict[object, str] = {c: n for n, c in HOLDING_STATUSES.items()}


@dataclass(frozen=True, kw_only=True)
class Holding(Fact):
    """A person holds a post, known on ``attested``."""

    person: str
    post: str
    attested: str
    start: str | None = None
    end: str | None = None
    #: The post began on or before this date ("congratulated on his appointment").
    began_by: str | None = None
    #: ``holds``, or ``designated``: named to take the post up, not holding it yet.
    status: str = "holds"


class HoldingKind(FactKind[Holding]):
    """Post holdings: ``dip:PostHolding`` nodes, plus ``org:holds`` / ``org:heldBy``."""

    name = "holding"
    rdf_class = DIP.PostHolding
    fact_type = Holding
    summary = ("A person holds a post, known on a date (attested), with start and end "
               "where known.")
    style = Style("#86bcb6", "triangleDown")
    edges = (EdgeRelation("holds", "holds", "holds the post", attested=True),
             EdgeRelation("holder-in", "holder in", "is the holder in", attested=True),
             EdgeRelation("of-post", "of post", "is a holding of the post", dated=False),
             EdgeRelation("designated-for", "designated for", "is designated to take up the post",
                          attested=True))
    schema_properties: ClassVar[Mapping[str, Any]] = {
        "person": {"$ref": "#/$defs/id"},
        "post": {"$ref": "#/$defs/id"},
        "attested": {"$ref": "#/$defs/date"},
        "start": {"$ref": "#/$defs/date"},
        "end": {"$ref": "#/$defs/date"},
        "began_by": {"$ref": "#/$defs/date"},
        "status": {"enum": list(HOLDING_STATUSES)},
    }
    schema_required = ("person", "post", "attested")
    score_key = ("person", "post")
    score_fields = ("attested", "start", "end", "status")

    def read(self, item: Mapping[str, Any], context: base.ReadContext) -> Holding:
        context.ref(item["person"], frozenset({"Person"}), "person", context.at("person"))
        context.ref(item["post"], frozenset({"Post"}), "post", context.at("post"))
        attested, start, end, began_by = (context.date(key)
                                          for key in ("attested", "start", "end", "began_by"))
        if start is not None and end is not None and before(end, start):
            context.error(f"end {end} is before start {start}: swap or fix them",
                          context.at("end"))
        return Holding(id=item["id"], person=item["person"], post=item["post"],
                       attested=attested or item["attested"], start=start, end=end,
                       began_by=began_by, status=item.get("status", "holds"),
                       evidence=context.evidence, where=context.where)

    def build(self, fact: Holding, context: base.BuildContext) -> None:
        node = context.fact_node(fact, self.rdf_class)
        person, post = context.entity(fact.person), context.entity(fact.post)
        context.add(node, DIP.holder, person)
        context.add(node, DIP.post, post)
        context.add(node, DIP.attestedOn, date_literal(fact.attested))
        if fact.start:
            context.add(node, DIP.startDate, date_literal(fact.start))
        if fact.end:
            context.add(node, DIP.endDate, date_literal(fact.end))
        if fact.began_by:
            context.add(node, DIP.beganBy, date_literal(fact.began_by))
        if fact.status == "designated":  # named to take it up: not org:holds
            context.add(node, DIP.status, HOLDING_STATUSES["designated"])
            context.add(person, DIP.designatedFor, post)
            return
        context.add(person, ORG.holds, post)
        context.add(post, ORG.heldBy, person)

    def read_back(self, view: base.FactView) -> Holding | None:
        person, post = view.entity(DIP.holder), view.entity(DIP.post)
        attested = view.text(DIP.attestedOn)
        if person is None or post is None or attested is None:
            return None
        return Holding(id=view.fact_id, person=person, post=post, attested=attested,
                       start=view.text(DIP.startDate), end=view.text(DIP.endDate),
                       began_by=view.text(DIP.beganBy),
                       status=_HOLDING_STATUS_OF.get(view.value(DIP.status), "holds"),
                       evidence=view.evidence())

    def project(self, fact: Holding, context: base.ProjectionContext) -> None:
        dates = {"date": fact.attested, "start": fact.start, "end": fact.end,
                 "began_by": fact.began_by}
        if fact.status == "designated":
            context.edge(fact.person, fact.post, "designated-for", fact.id, **dates)
            return
        if context.collapse:
            context.edge(fact.person, fact.post, "holds", fact.id, **dates)
            return
        label = f"{context.label(fact.person)} as {context.label(fact.post)}"
        node = context.fact_node(fact.id, "PostHolding", label, **dates)
        context.edge(fact.person, node, "holder-in", f"{fact.id}/holder", **dates)
        context.edge(node, fact.post, "of-post", f"{fact.id}/post", **dates)

    def sentence(self, fact: Holding, name: base.Names) -> str:
        if fact.status == "designated":
            return (f"{name(fact.person)} is designated to take up the post {name(fact.post)} "
                    f"(attested {fact.attested})")
        began = f", began by {fact.began_by}" if fact.began_by else ""
        return (f"{name(fact.person)} holds the post {name(fact.post)} "
                f"(attested {fact.attested}{began})")


    def mentions(self, fact: Holding) -> tuple[str, ...]:
        return (fact.person, fact.post)


KIND = HoldingKind()
