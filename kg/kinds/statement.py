"""``statement``: a reported statement, its speaker, act, topics and a summary.

The summary is the curator's own words, never the source's sentence.

>>> from kg.kinds import kind_named
>>> fact = Statement(id="s", speaker="qin-gang", summary="Backs the SCO.", topics=("sco",),
...                  act="support", evidence=())
>>> kind_named("statement").sentence(fact, str.upper)
'QIN-GANG (support): Backs the SCO.'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from rdflib import Literal

from kg.curation.model import AGENT_TYPES, ENTITY_TYPES, EVENT_TYPES
from kg.dates import date_literal
from kg.graph.namespaces import DIP
from kg.kinds import base
from kg.kinds.base import EdgeRelation, Fact, FactKind, Style

__all__ = ["ACTS", "KIND", "Statement", "StatementKind"]

#: Speech acts of the ontology's dip:SpeechActs scheme (a test keeps the two in step).
ACTS: tuple[str, ...] = ("assessment", "intent", "praise", "hope", "support", "thanks",
                         "concern", "congratulation", "welcome", "opposition", "call", "pledge")


@dataclass(frozen=True, kw_only=True)
class Statement(Fact):
    """A reported statement."""

    speaker: str
    summary: str
    topics: tuple[str, ...]
    at: str | None = None
    date: str | None = None
    act: str | None = None
    addressee: str | None = None
    #: The other speakers of a statement made jointly ("the sides", "both sides").
    joint_with: tuple[str, ...] = ()
    #: The body a spokesperson speaks for.
    on_behalf_of: str | None = None


class StatementKind(FactKind[Statement]):
    """Reported statements: ``dip:ReportedStatement`` nodes."""

    name = "statement"
    rdf_class = DIP.ReportedStatement
    fact_type = Statement
    summary = ("A reported statement: speaker, event it was made at, date, speech act, "
               "topics, a summary in the curator's own words.")
    style = Style("#a0a0a0", "triangleDown")
    edges = (EdgeRelation("spoke-about", "spoke about", "spoke about"),
             EdgeRelation("addressed", "addressed", "addressed"),
             EdgeRelation("made", "made", "made"),
             EdgeRelation("about", "about", "is about", dated=False),
             EdgeRelation("addressed-to", "addressed to", "is addressed to", dated=False),
             EdgeRelation("made-at", "made at", "was made at", dated=False),
             EdgeRelation("spoke-for", "spoke for", "spoke on behalf of"),
             EdgeRelation("made-for", "for", "was made on behalf of", dated=False))
    schema_properties: ClassVar[Mapping[str, Any]] = {
        "speaker": {"$ref": "#/$defs/id"},
        "at": {"$ref": "#/$defs/id"},
        "date": {"$ref": "#/$defs/date"},
        "act": {"enum": list(ACTS)},
        "addressee": {"$ref": "#/$defs/id"},
        "summary": {"type": "string", "minLength": 1, "maxLength": 300},
        "topics": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/id"}},
        "joint_with": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/id"}},
        "on_behalf_of": {"$ref": "#/$defs/id"},
    }
    schema_required = ("speaker", "summary", "topics")
    #: A speaker makes many statements in a source: they pair by a shared locator too.
    score_key = ("speaker", "evidence")
    score_fields = ("act", "date", "addressee", "on_behalf_of")

    def read(self, item: Mapping[str, Any], context: base.ReadContext) -> Statement:
        context.ref(item["speaker"], AGENT_TYPES, "speaker", context.at("speaker"))
        if "at" in item:
            context.ref(item["at"], EVENT_TYPES, "at", context.at("at"))
        if "addressee" in item:
            context.ref(item["addressee"], AGENT_TYPES, "addressee", context.at("addressee"))
        for index, other in enumerate(item.get("joint_with", ())):
            context.ref(other, AGENT_TYPES, "joint_with", context.item_at("joint_with", index))
        if "on_behalf_of" in item:
            context.ref(item["on_behalf_of"], AGENT_TYPES, "on_behalf_of",
                        context.at("on_behalf_of"))
        date = context.date("date")
        for index, topic in enumerate(item["topics"]):
            context.ref(topic, ENTITY_TYPES, "topic", context.item_at("topics", index))
        return Statement(id=item["id"], speaker=item["speaker"], at=item.get("at"),
                         date=date, act=item.get("act"), addressee=item.get("addressee"),
                         summary=item["summary"], topics=tuple(item["topics"]),
                         joint_with=tuple(item.get("joint_with", ())),
                         on_behalf_of=item.get("on_behalf_of"),
                         evidence=context.evidence, where=context.where)

    def build(self, fact: Statement, context: base.BuildContext) -> None:
        node = context.fact_node(fact, self.rdf_class)
        context.add(node, DIP.speaker, context.entity(fact.speaker))
        context.add(node, DIP.summary, Literal(fact.summary, lang="en"))
        if fact.at:
            context.add(node, DIP.madeAt, context.entity(fact.at))
        if fact.date:
            context.add(node, DIP.statedOn, date_literal(fact.date))
        if fact.act:
            context.add(node, DIP.speechAct, DIP[fact.act])
        if fact.addressee:
            context.add(node, DIP.addressee, context.entity(fact.addressee))
        for topic in fact.topics:
            context.add(node, DIP.topic, context.entity(topic))
        for other in fact.joint_with:
            context.add(node, DIP.jointSpeaker, context.entity(other))
        if fact.on_behalf_of:
            context.add(node, DIP.onBehalfOf, context.entity(fact.on_behalf_of))

    def read_back(self, view: base.FactView) -> Statement | None:
        speaker, summary = view.entity(DIP.speaker), view.text(DIP.summary)
        if speaker is None or summary is None:
            return None
        act = view.value(DIP.speechAct)
        return Statement(
            id=view.fact_id, speaker=speaker, summary=summary,
            topics=tuple(view.entities(DIP.topic)), at=view.entity(DIP.madeAt),
            date=view.text(DIP.statedOn),
            act=str(act).removeprefix(str(DIP)) if act is not None else None,
            addressee=view.entity(DIP.addressee),
            joint_with=tuple(view.entities(DIP.jointSpeaker)),
            on_behalf_of=view.entity(DIP.onBehalfOf), evidence=view.evidence())

    def project(self, fact: Statement, context: base.ProjectionContext) -> None:
        who, at, to = fact.speaker, fact.at, fact.addressee
        info = {"date": fact.date, "act": fact.act, "summary": fact.summary,
                "event": at, "event_label": context.label(at) if at else None}
        topics = sorted(fact.topics)
        if context.collapse:
            for speaker in (who, *fact.joint_with):
                if to is not None:
                    context.edge(speaker, to, "addressed", f"{fact.id}/addressee/{to}"
                                 + ("" if speaker == who else f"/{speaker}"), **info)
                for topic in topics:
                    context.edge(speaker, topic, "spoke-about", f"{fact.id}/topic/{topic}"
                                 + ("" if speaker == who else f"/{speaker}"), **info)
            if fact.on_behalf_of is not None:
                context.edge(who, fact.on_behalf_of, "spoke-for", f"{fact.id}/for", **info)
            return
        act_text = f" ({fact.act})" if fact.act else ""
        node = context.fact_node(fact.id, "ReportedStatement",
                                 f"Statement by {context.label(who)}{act_text}", **info)
        when = {"date": fact.date}  # act and summary live on the statement node
        context.edge(who, node, "made", f"{fact.id}/speaker", **when)
        for other in fact.joint_with:
            context.edge(other, node, "made", f"{fact.id}/speaker/{other}", **when)
        if fact.on_behalf_of is not None:
            context.edge(node, fact.on_behalf_of, "made-for", f"{fact.id}/for", **when)
        if to is not None:
            context.edge(node, to, "addressed-to", f"{fact.id}/addressee/{to}", **when)
        for topic in topics:
            context.edge(node, topic, "about", f"{fact.id}/topic/{topic}", **when)
        if at is not None:
            context.edge(node, at, "made-at", f"{fact.id}/at", **when)

    def sentence(self, fact: Statement, name: base.Names) -> str:
        act = f" ({fact.act})" if fact.act else ""
        speakers = " and ".join(name(who) for who in (fact.speaker, *fact.joint_with))
        behalf = f" for {name(fact.on_behalf_of)}" if fact.on_behalf_of else ""
        return f"{speakers}{behalf}{act}: {fact.summary}"


    def mentions(self, fact: Statement) -> tuple[str, ...]:
        named = [fact.speaker, fact.at, fact.addressee, fact.on_behalf_of, *fact.joint_with,
                 *fact.topics]
        return tuple(e for e in named if e is not None)


KIND = StatementKind()
