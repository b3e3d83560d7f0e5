"""The registry of fact kinds: every kind the curation format knows, in one tuple.

Dispatch is a lookup; an unknown kind is an error, never a fallback. Adding a kind means
one module here (a :class:`~kg.kinds.base.FactKind` subclass and its data class), a line
in :data:`KINDS`, its ontology class and shape, and a README row.

>>> [kind.name for kind in KINDS]
['holding', 'relation', 'event', 'statement', 'visit']
>>> kind_named("event").rdf_class == DIP.EventReport
True
>>> kind_named("trip")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.errors.UnknownKindError: unknown fact kind 'trip': use one of holding, relation, ...
"""

from __future__ import annotations

from typing import Any

from rdflib import URIRef

from kg.errors import UnknownKindError
from kg.graph.namespaces import DIP
from kg.kinds import event, holding, relation, statement, visit
from kg.kinds.base import EdgeRelation, Fact, FactKind

__all__ = ["KINDS", "edge_relations", "kind_named", "kind_of", "kind_of_class",
           "markdown_table"]

#: Every fact kind, in the order the graph is built and read.
KINDS: tuple[FactKind[Any], ...] = (holding.KIND, relation.KIND, event.KIND, statement.KIND,
                                    visit.KIND)

_BY_NAME = {kind.name: kind for kind in KINDS}
_BY_CLASS = {kind.rdf_class: kind for kind in KINDS}
_BY_TYPE = {kind.fact_type: kind for kind in KINDS}


def kind_named(name: str) -> FactKind[Any]:
    """The kind curated as ``kind: NAME``."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownKindError(
            f"unknown fact kind {name!r}: use one of {', '.join(_BY_NAME)}") from None


def kind_of(fact: Fact) -> FactKind[Any]:
    """The kind of a fact object.

    >>> kind_of(holding.Holding(id="h", person="p", post="q", attested="2023", evidence=()))
    ... # doctest: +ELLIPSIS
    <kg.kinds.holding.HoldingKind object at ...>
    """
    try:
        return _BY_TYPE[type(fact)]
    except KeyError:
        raise UnknownKindError(f"{type(fact).__name__} is not a registered fact kind") from None


def kind_of_class(cls: URIRef) -> FactKind[Any] | None:
    """The kind whose fact nodes have the ontology class ``cls``, if any.

    >>> kind_of_class(DIP.Photograph) is None
    True
    """
    return _BY_CLASS.get(cls)


def edge_relations() -> dict[str, EdgeRelation]:
    """Every network relation the kinds add, by name.

    >>> edge_relations()["met"].label
    'met'
    """
    return {edge.name: edge for kind in KINDS for edge in kind.edges}


def markdown_table() -> str:
    """The kinds as a Markdown table (the README's, checked by a test): required fields
    first, then optional ones in parentheses.

    >>> markdown_table().splitlines()[2].split(" | ")[:2]
    ['| `holding`', '`dip:PostHolding`']
    """
    lines = ["| kind | class | fields | states |", "| --- | --- | --- | --- |"]
    for kind in KINDS:
        optional = [f for f in kind.schema_properties if f not in kind.schema_required]
        fields = ", ".join(f"`{f}`" for f in kind.schema_required)
        if optional:
            fields += " (" + ", ".join(f"`{f}`" for f in optional) + ")"
        cls = "dip:" + str(kind.rdf_class).removeprefix(str(DIP))
        lines.append(f"| `{kind.name}` | `{cls}` | {fields} | {kind.summary} |")
    return "\n".join(lines)
