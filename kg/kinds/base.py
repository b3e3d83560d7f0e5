"""What a fact kind is: one class that declares everything the tool knows about the kind.

A kind (``holding``, ``relation``, ``event``, ``statement``, ...) says, in one module:

- its data class (a :class:`Fact` subclass) and its JSON Schema fragment;
- how a curation item is read and checked (:meth:`FactKind.read`, through a
  :class:`ReadContext` that reports ``file:line`` errors);
- the triples it becomes (:meth:`FactKind.build`, through a :class:`BuildContext`);
- how it is read back from one source's named graph (:meth:`FactKind.read_back`, through a
  :class:`FactView`), so every reader of the graph works on the same data class;
- how it projects into the relationship network, collapsed or not
  (:meth:`FactKind.project`, through a :class:`ProjectionContext`), with the edge relations
  it adds (:attr:`FactKind.edges`);
- its plain-language sentence (:meth:`FactKind.sentence`) and its style in the drawing;
- the fields that say which fact it is and those checked when a draft is scored
  against a curated file (:attr:`FactKind.score_key`, :attr:`FactKind.score_fields`).

The contexts are protocols implemented by the curation reader, the graph builder and the
network projector, so a kind module imports none of them.

>>> Style("#4e79a7", "dot").symbol
'●'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from rdflib import URIRef
from rdflib.term import Node

from kg.curation.model import Evidence, Where

__all__ = [
    "BuildContext",
    "EdgeRelation",
    "Fact",
    "FactKind",
    "FactView",
    "Names",
    "ProjectionContext",
    "ReadContext",
    "Style",
]

_SYMBOLS = {"dot": "\u25cf", "square": "\u25a0", "diamond": "\u25c6", "triangle": "\u25b2",
            "star": "\u2605", "hexagon": "\u2b22", "triangleDown": "\u25bc"}


@dataclass(frozen=True)
class Style:
    """How a node is drawn: a colour and a vis-network shape."""

    colour: str
    shape: str

    @property
    def symbol(self) -> str:
        """A character that looks like the shape, for legends.

        >>> Style("#000000", "diamond").symbol
        '◆'
        """
        return _SYMBOLS.get(self.shape, _SYMBOLS["dot"])


@dataclass(frozen=True)
class EdgeRelation:
    """A relation of the network: its name, the label drawn on the edge, and how it reads
    in a sentence (``Qin Gang`` *met* ``Zhang Ming``).

    >>> EdgeRelation("met", "met", "met").phrase
    'met'
    """

    name: str
    label: str
    phrase: str
    #: Whether a sentence gives the edge's date ("on 2023-04-19").
    dated: bool = True
    #: Whether the date is when the relation was known to hold ("attested 2023-04-19").
    attested: bool = False


@dataclass(frozen=True, kw_only=True)
class Fact:
    """What every fact has: an id unique in its source, evidence, and the curation line it
    came from (``None`` when the fact was read back from a graph)."""

    id: str
    evidence: tuple[Evidence, ...]
    where: Where | None = None


#: Registry id -> display name, for sentences.
Names = Callable[[str], str]


class ReadContext(Protocol):
    """What a kind needs to read one curation item (implemented by the curation reader)."""

    @property
    def where(self) -> Where:
        """The item's first line."""

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The item's evidence, already parsed."""

    def at(self, key: str) -> Where:
        """The line of a key of the item (the item's line when the key is absent)."""

    def item_at(self, key: str, index: int) -> Where:
        """The line of one element of a list under ``key``."""

    def ref(self, entity_id: str, allowed: frozenset[str], role: str, where: Where) -> None:
        """Check that an id names a registry entity of an allowed type."""

    def date(self, key: str) -> str | None:
        """The item's date under ``key`` (checked), or None when absent."""

    def error(self, message: str, where: Where) -> None:
        """Report a problem at a line; reading goes on."""


class BuildContext(Protocol):
    """What a kind needs to write its triples (implemented by the graph builder)."""

    def fact_node(self, fact: Fact, cls: URIRef, suffix: str | None = None) -> URIRef:
        """Mint the fact's node (``fact/SOURCE/ID[/SUFFIX]``), type it, link its source and
        evidence."""

    def node(self, suffix: str) -> URIRef:
        """A further node of this source (``fact/SOURCE/SUFFIX``) without any triple."""

    def entity(self, entity_id: str) -> URIRef:
        """A registry entity's IRI (and note that the source mentions it)."""

    def add(self, subject: Node, predicate: URIRef, obj: Node) -> None:
        """Add one triple to the source's graph."""

    def typed(self, node: URIRef, cls: URIRef) -> None:
        """Type a node with a class and its superclasses."""

    def provenance(self, node: URIRef, where: Where | None) -> None:
        """Mark a helper node as derived from the source, and remember its curation line."""

    def relation(self, node: URIRef, subject: URIRef, prop: URIRef, obj: Node,
                 fact: Fact) -> None:
        """A reified binary relation (``dip:RelationFact``) plus the plain triple."""


class FactView(Protocol):
    """A node of one source's named graph, read back (implemented over rdflib or Oxigraph)."""

    @property
    def node(self) -> URIRef:
        """The node's IRI."""

    @property
    def fact_id(self) -> str:
        """The fact's id as curated (the IRI's path after ``fact/SOURCE/``)."""

    def value(self, prop: URIRef) -> Node | None:
        """One object of ``prop`` (the smallest, for a stable answer), or None."""

    def values(self, prop: URIRef) -> list[Node]:
        """Every object of ``prop``, sorted."""

    def entity(self, prop: URIRef) -> str | None:
        """The registry id of the object of ``prop``, None when it is not an entity."""

    def entities(self, prop: URIRef) -> list[str]:
        """The registry ids among the objects of ``prop``, sorted."""

    def text(self, prop: URIRef) -> str | None:
        """The lexical form of the object of ``prop``, or None."""

    def at(self, node: Node) -> FactView:
        """Another node of the same graph."""

    def evidence(self) -> tuple[Evidence, ...]:
        """The node's evidence, in locator order."""


class ProjectionContext(Protocol):
    """What a kind needs to draw its facts into the network (implemented by the projector)."""

    @property
    def collapse(self) -> bool:
        """Whether n-ary facts become direct edges (True) or nodes of their own."""

    def edge(self, u: str, v: str, relation: str, key: str, **attrs: Any) -> None:
        """Add an edge carrying the fact's evidence and ``attrs`` (None values dropped);
        ``key`` is made unique across sources by the projector."""

    def fact_node(self, fact_id: str, cls: str, label: str, **attrs: Any) -> str:
        """Add a node for the fact itself (``fact/SOURCE/ID``); returns its key."""

    def label(self, entity_id: str) -> str:
        """An entity's display name."""

    def cls(self, entity_id: str) -> str:
        """An entity's most specific class."""

    def has(self, entity_id: str) -> bool:
        """Whether the entity is a node of the network."""

    def collapsed(self, entity_id: str) -> None:
        """Note that an entity was drawn as edges between others (it is then removed)."""

    def describe(self, entity_id: str, key: str, value: str) -> None:
        """Set a node attribute unless already set (first source wins)."""


F = TypeVar("F", bound=Fact)


class FactKind(Generic[F]):
    """The base of every kind; subclasses fill in the class attributes and methods."""

    #: The ``kind:`` value of curation files.
    name: ClassVar[str]
    #: The ontology class of its fact nodes (a subclass of ``dip:Fact``).
    rdf_class: ClassVar[URIRef]
    #: The data class.
    fact_type: ClassVar[type[Fact]]
    #: One line for the README and the schema.
    summary: ClassVar[str]
    #: How its fact nodes are drawn (uncollapsed view).
    style: ClassVar[Style]
    #: The network relations it adds.
    edges: ClassVar[tuple[EdgeRelation, ...]] = ()
    #: Properties of the schema fragment (besides ``id``, ``kind`` and ``evidence``).
    schema_properties: ClassVar[Mapping[str, Any]]
    #: Required keys (besides ``id``, ``kind`` and ``evidence``).
    schema_required: ClassVar[Sequence[str]] = ()
    #: The curation fields that say which fact it is, for scoring a draft against a curated
    #: file (:mod:`kg.extract.score`): a draft fact and a curated one pair when these are
    #: equal. ``evidence`` here means the two share a locator (statements: one speaker
    #: makes many in a source); a field holding a list (a relation's objects) makes one fact
    #: per element.
    score_key: ClassVar[tuple[str, ...]] = ()
    #: The curation fields checked once a draft fact is paired with a curated one: the fact
    #: is matched when the draft gives every one of them the curated fact gives, with the
    #: same value (a list of ``{who: ...}`` compares as the set of who).
    score_fields: ClassVar[tuple[str, ...]] = ()
    #: Score fields whose value the curator may take from outside the text, with the
    #: curation field that says so (an event's ``date`` with ``date_from: publication``):
    #: a draft, which reads only the text, is not expected to give such a value.
    score_unstated: ClassVar[Mapping[str, str]] = MappingProxyType({})

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of one curation item of this kind.

        >>> from kg.kinds import kind_named
        >>> kind_named("holding").schema()["required"]
        ['id', 'kind', 'person', 'post', 'attested', 'evidence']
        """
        return {
            "description": self.summary,
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "kind", *self.schema_required, "evidence"],
            "properties": {
                "id": {"$ref": "#/$defs/id"},
                "kind": {"const": self.name},
                **self.schema_properties,
                "evidence": {"$ref": "#/$defs/evidence"},
            },
        }

    def read(self, item: Mapping[str, Any], context: ReadContext) -> F:
        """Check a curation item (already valid against the schema) and make the fact."""
        raise NotImplementedError

    def build(self, fact: F, context: BuildContext) -> None:
        """Write the fact's triples."""
        raise NotImplementedError

    def read_back(self, view: FactView) -> F | None:
        """The fact as its source's graph states it; None when the node is not one of this
        kind's facts about entities (e.g. what an article says about itself)."""
        raise NotImplementedError

    def project(self, fact: F, context: ProjectionContext) -> None:
        """Draw the fact into the network."""
        raise NotImplementedError

    def sentence(self, fact: F, name: Names) -> str:
        """The fact in one plain sentence."""
        raise NotImplementedError

    def mentions(self, fact: F) -> tuple[str, ...]:
        """Every registry entity the fact names."""
        raise NotImplementedError

