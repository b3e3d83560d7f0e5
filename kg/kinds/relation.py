"""``relation``: a binary relation between entities, from :mod:`kg.kinds.vocabulary`.

One curated item may name several objects; each becomes a fact of its own
(``fact/SOURCE/ID/OBJECT``), so the graph and everything read back from it hold one
subject, one predicate and one object per fact.

>>> from kg.kinds import kind_named
>>> fact = Relation(id="r", subject="sco-secretariat", predicate="unit-of", objects=("sco",),
...                 evidence=())
>>> kind_named("relation").sentence(fact, str.upper)
'SCO-SECRETARIAT is a unit of SCO'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from rdflib.namespace import RDF

from kg.graph.namespaces import DIP
from kg.kinds import base
from kg.kinds.base import EdgeRelation, Fact, FactKind, Style
from kg.kinds.vocabulary import RELATIONS, by_property

__all__ = ["KIND", "Relation", "RelationKind"]


@dataclass(frozen=True, kw_only=True)
class Relation(Fact):
    """``subject predicate object`` for each object (predicate as curated, e.g. member-of)."""

    subject: str
    predicate: str
    objects: tuple[str, ...]


class RelationKind(FactKind[Relation]):
    """Relations: ``dip:RelationFact`` nodes (RDF reification) plus the plain triple."""

    name = "relation"
    rdf_class = DIP.RelationFact
    fact_type = Relation
    summary = ("A binary relation between entities: subject, predicate, object (one id or "
               "a list).")
    style = Style("#bab0ac", "dot")
    edges = tuple(EdgeRelation(term.edge, term.label, term.phrase)
                  for term in RELATIONS.values())
    schema_properties: ClassVar[Mapping[str, Any]] = {
        "subject": {"$ref": "#/$defs/id"},
        "predicate": {"enum": list(RELATIONS)},
        "object": {"$ref": "#/$defs/ids"},
    }
    schema_required = ("subject", "predicate", "object")
    #: One fact per object; a relation has no field beyond its triple to check.
    score_key = ("subject", "predicate", "object")

    def read(self, item: Mapping[str, Any], context: base.ReadContext) -> Relation:
        term = RELATIONS[item["predicate"]]
        objects = item["object"] if isinstance(item["object"], list) else [item["object"]]
        context.ref(item["subject"], term.subject_types, f"subject of {term.name}",
                    context.at("subject"))
        for obj in objects:
            context.ref(obj, term.object_types, f"object of {term.name}", context.at("object"))
        if len(set(objects)) != len(objects):
            context.error("object: an id is listed twice: keep one", context.at("object"))
        return Relation(id=item["id"], subject=item["subject"], predicate=term.name,
                        objects=tuple(objects), evidence=context.evidence,
                        where=context.where)

    def build(self, fact: Relation, context: base.BuildContext) -> None:
        term = RELATIONS[fact.predicate]
        subject = context.entity(fact.subject)
        for obj_id in fact.objects:
            obj = context.entity(obj_id)
            node = context.node(f"{fact.id}/{obj_id}")
            if term.inverse:
                context.relation(node, obj, term.rdf_property, subject, fact)
            else:
                context.relation(node, subject, term.rdf_property, obj, fact)

    def read_back(self, view: base.FactView) -> Relation | None:
        prop = view.value(RDF.predicate)
        term = by_property(prop) if prop is not None else None  # type: ignore[arg-type]
        subject, obj = view.entity(RDF.subject), view.entity(RDF.object)
        if term is None or subject is None or obj is None:
            return None  # what an article says about itself (editors, publication date)
        if term.inverse:
            subject, obj = obj, subject
        return Relation(id=view.fact_id.rsplit("/", 1)[0], subject=subject,
                        predicate=term.name, objects=(obj,), evidence=view.evidence())

    def project(self, fact: Relation, context: base.ProjectionContext) -> None:
        term = RELATIONS[fact.predicate]
        for obj in fact.objects:
            u, v = (obj, fact.subject) if term.inverse else (fact.subject, obj)
            context.edge(u, v, term.edge, f"{fact.id}/{obj}", predicate=str(term.rdf_property))

    def sentence(self, fact: Relation, name: base.Names) -> str:
        term = RELATIONS[fact.predicate]
        objects = ", ".join(name(obj) for obj in fact.objects)
        if term.inverse:
            return f"{objects} {term.phrase} {name(fact.subject)}"
        return f"{name(fact.subject)} {term.phrase} {objects}"


    def mentions(self, fact: Relation) -> tuple[str, ...]:
        return (fact.subject, *fact.objects)


KIND = RelationKind()
