"""The relations curators may state between two entities: one table, used everywhere.

Each row gives the curated name (``predicate:`` of a ``relation`` fact), the RDF property,
whether subject and object swap in RDF, the entity types allowed on each side, the label
drawn on a network edge and the phrase of a sentence. Reading, building, projection,
evidence and the docs all read this table; nothing else lists relations.

>>> term = RELATIONS["proposed"]
>>> term.rdf_property == DIP.proposedBy, term.inverse, term.edge
(True, True, 'proposed-by')
>>> by_property(ORG.memberOf).phrase
'is a member of'
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kg.curation.model import (
    AGENT_TYPES,
    ENTITY_TYPES,
    LOCATION_TYPES,
    ORGANIZATION_TYPES,
    types_text,
)
from kg.graph.namespaces import DIP, ORG, SCHEMA

__all__ = ["REGISTRY_LINKS", "RELATIONS", "RelationTerm", "by_property", "markdown_table"]

_INITIATIVES = frozenset({"PolicyInitiative", "Agreement"})


@dataclass(frozen=True)
class RelationTerm:
    """One relation: curated name, RDF property and direction, allowed types, words."""

    name: str
    rdf_property: URIRef
    subject_types: frozenset[str]
    object_types: frozenset[str]
    label: str
    phrase: str
    #: In RDF the object of the curated statement is the subject of the property.
    inverse: bool = False
    #: The network relation's name, when it differs from the curated one.
    edge_name: str | None = None

    @property
    def edge(self) -> str:
        """The name of the network edge (read in the direction of the RDF property)."""
        return self.edge_name or self.name


#: Curated relations, by curated name.
RELATIONS: dict[str, RelationTerm] = {term.name: term for term in (
    RelationTerm("member-of", ORG.memberOf, ORGANIZATION_TYPES, ORGANIZATION_TYPES,
                 "member of", "is a member of"),
    RelationTerm("observer-of", DIP.observerOf, ORGANIZATION_TYPES, ORGANIZATION_TYPES,
                 "observer of", "is an observer of"),
    RelationTerm("unit-of", ORG.unitOf, frozenset({"OrganizationalUnit"}), ORGANIZATION_TYPES,
                 "unit of", "is a unit of"),
    RelationTerm("head-of", ORG.headOf, frozenset({"Person"}), ORGANIZATION_TYPES,
                 "head of", "leads"),
    RelationTerm("capital-of", DIP.capitalOf, frozenset({"Place"}), frozenset({"State"}),
                 "capital of", "is the capital of"),
    RelationTerm("located-in", SCHEMA.containedInPlace, LOCATION_TYPES, LOCATION_TYPES,
                 "located in", "is in"),
    RelationTerm("proposed", DIP.proposedBy, AGENT_TYPES, _INITIATIVES,
                 "proposed by", "was proposed by", inverse=True, edge_name="proposed-by"),
    RelationTerm("committed-to", DIP.committedTo, AGENT_TYPES, _INITIATIVES,
                 "committed to", "committed to"),
    RelationTerm("supports", DIP.supports, AGENT_TYPES, ENTITY_TYPES,
                 "supports", "supports"),
)}

#: Links the registry itself states (``post_in``, ``part_of``), drawn as edges too.
REGISTRY_LINKS: dict[str, RelationTerm] = {term.name: term for term in (
    RelationTerm("post-in", ORG.postIn, frozenset({"Post"}), ORGANIZATION_TYPES,
                 "post in", "is a post in"),
    RelationTerm("part-of", ORG.subOrganizationOf, ORGANIZATION_TYPES, ORGANIZATION_TYPES,
                 "part of", "is part of"),
)}

_BY_PROPERTY = {term.rdf_property: term for term in (*RELATIONS.values(), *REGISTRY_LINKS.values())}


def by_property(prop: URIRef) -> RelationTerm | None:
    """The relation an RDF property stands for, None for any other property.

    >>> by_property(DIP.label) is None
    True
    """
    return _BY_PROPERTY.get(prop)


def markdown_table() -> str:
    """The curated relations as a Markdown table (the README's, checked by a test).

    >>> markdown_table().splitlines()[2].startswith("| `member-of` | `org:memberOf` |")
    True
    """
    from kg.graph.namespaces import PREFIXES

    def short(iri: URIRef) -> str:
        for prefix, namespace in PREFIXES.items():
            if str(iri).startswith(str(namespace)):
                return f"{prefix}:{str(iri)[len(str(namespace)):]}"
        return f"<{iri}>"

    lines = ["| predicate | RDF property | subject | object | reads |",
             "| --- | --- | --- | --- | --- |"]
    for term in RELATIONS.values():
        prop = f"`{short(term.rdf_property)}`" + (" (object first)" if term.inverse else "")
        lines.append(f"| `{term.name}` | {prop} | {types_text(term.subject_types, table=True)} | "
                     f"{types_text(term.object_types, table=True)} | {term.phrase} |")
    return "\n".join(lines)

