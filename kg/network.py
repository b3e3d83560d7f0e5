"""The relationship network: RDF -> networkx, neighbours, paths with their facts, measures.

:func:`project` turns the built dataset into a :class:`networkx.MultiDiGraph` whose nodes
are registry entities and whose edges are relations, each carrying its kind, date and
evidence (source and locators). N-ary facts (a post holding, a statement, a meeting)
either become direct edges between the entities they connect (``collapse=True``, the
default: Qin Gang -met on 2023-04-19-> Zhang Ming) or stay nodes of their own
(``collapse=False``). Ontology triples, labels and types are never edges, and neither is
what an article says about itself (publisher, editors, photo credits): that is evidence.

>>> from pathlib import Path
>>> from kg.project import compile_project
>>> graph = project(compile_project(Path("data")).dataset)
>>> graph.nodes["qin-gang"]["label"], graph.nodes["qin-gang"]["labels"]["zh"]
('Qin Gang', '秦刚')
>>> [d["date"] for _, v, d in graph.out_edges("qin-gang", data=True) if d["relation"] == "met"]
['2023-04-19']
>>> [" -> ".join(p.nodes) for p in paths(graph, "xi-jinping", "zhang-ming")]
['xi-jinping -> qin-gang -> zhang-ming']
>>> centrality(graph, "degree", top=1)[0].node
'qin-gang'
"""

from __future__ import annotations

import difflib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import islice, pairwise
from typing import Any

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from kg.dates import bounds
from kg.errors import KGError
from kg.kinds import edge_relations
from kg.kinds.base import EdgeRelation
from kg.kinds.vocabulary import REGISTRY_LINKS
from kg.lookup import lookup
from kg.namespaces import DIP, ID, REGISTRY_GRAPH
from kg.ontology import most_specific, superclasses
from kg.readback import ReadFact, read_facts

__all__ = [
    "COMMUNITY_ALGORITHMS",
    "MEASURES",
    "NETWORK_FORMATS",
    "RELATIONS",
    "Hop",
    "Link",
    "Neighbour",
    "Path",
    "Ranked",
    "centrality",
    "communities",
    "edge_sentence",
    "evidence_text",
    "find_node",
    "flattened",
    "known_types",
    "neighbours",
    "paths",
    "project",
    "relation_label",
    "select",
    "serialize",
]

#: Output formats of :func:`serialize` (``kg network --format``).
NETWORK_FORMATS: tuple[str, ...] = ("graphml", "gexf", "json")
#: Centrality measures of :func:`centrality` (``kg central --measure``).
MEASURES: tuple[str, ...] = ("degree", "betweenness", "pagerank", "eigenvector")
#: Community detection algorithms of :func:`communities`.
COMMUNITY_ALGORITHMS: tuple[str, ...] = ("louvain", "greedy", "label-propagation")

#: Every edge relation by name: those the fact kinds add (the curated relations among
#: them) and the registry's own links.
RELATIONS: dict[str, EdgeRelation] = {
    **edge_relations(),
    **{term.name: EdgeRelation(term.name, term.label, term.phrase)
       for term in REGISTRY_LINKS.values()},
}


def relation_label(name: str) -> str:
    """The short label drawn on an edge of relation ``name``.

    >>> relation_label("proposed-by"), relation_label("new-relation")
    ('proposed by', 'new relation')
    """
    found = RELATIONS.get(name)
    return found.label if found is not None else name.replace("-", " ")


# --- projection ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    iri: URIRef
    id: str
    title: str
    url: str
    published: str
    publisher: str


def _local(iri: Node, prefix: str = "") -> str:
    text = str(iri)
    base = str(ID) + prefix
    if text.startswith(base):
        return text[len(base):]
    return text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _dip_name(cls: Node) -> str | None:
    text = str(cls)
    return text[len(str(DIP)):] if text.startswith(str(DIP)) else None


def _most_specific(classes: Iterable[URIRef]) -> str:
    """The name of the most specific ontology class among a node's types.

    >>> _most_specific([DIP.Event, DIP.Meeting])
    'Meeting'
    """
    found = most_specific(classes)
    return (_dip_name(found) or "Thing") if found is not None else "Thing"


class _Projector:
    """Builds the network; the :class:`~kg.kinds.base.ProjectionContext` of every kind."""

    def __init__(self, dataset: Dataset, collapse: bool):
        self.ds = dataset
        self._collapse = collapse
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self.entities: dict[Node, str] = {}
        self._collapsed: dict[str, str] = {}
        self._current: ReadFact | None = None
        self._base: dict[str, Any] = {}

    # nodes
    def add_entities(self) -> None:
        found = []
        for node, value in self.ds.subject_objects(DIP.registryId):
            if isinstance(node, URIRef):
                found.append((str(value), node))
        for entity_id, node in sorted(found):
            self.entities[node] = entity_id
            labels = {lit.language or "": str(lit) for lit in self.ds.objects(node, SKOS.prefLabel)
                      if isinstance(lit, Literal)}
            english = self.ds.value(node, RDFS.label)
            label = str(english) if english is not None else labels.get("en", entity_id)
            aliases: dict[str, list[str]] = {}
            for lit in self.ds.objects(node, SKOS.altLabel):
                if isinstance(lit, Literal):
                    aliases.setdefault(lit.language or "", []).append(str(lit))
            types = [t for t in self.ds.objects(node, RDF.type) if isinstance(t, URIRef)]
            attrs: dict[str, Any] = {
                "kind": "entity",
                "iri": str(node),
                "cls": _most_specific(types),
                "types": sorted({n for t in types if (n := _dip_name(t)) is not None}),
                "label": label,
                "labels": dict(sorted(labels.items())),
                "aliases": {k: sorted(v) for k, v in sorted(aliases.items())},
            }
            definition = self.ds.value(node, SKOS.definition)
            if definition is not None:
                attrs["description"] = str(definition)
            self.graph.add_node(entity_id, **attrs)

    # the ProjectionContext of the kinds
    @property
    def collapse(self) -> bool:
        return self._collapse

    def label(self, entity_id: str) -> str:
        return str(self.graph.nodes[entity_id].get("label", entity_id)) \
            if entity_id in self.graph else entity_id

    def cls(self, entity_id: str) -> str:
        return str(self.graph.nodes[entity_id].get("cls", "Thing")) \
            if entity_id in self.graph else "Thing"

    def has(self, entity_id: str) -> bool:
        return entity_id in self.graph

    def collapsed(self, entity_id: str) -> None:
        self._collapsed[entity_id] = self.label(entity_id)

    def describe(self, entity_id: str, key: str, value: str) -> None:
        if entity_id in self.graph:
            self.graph.nodes[entity_id].setdefault(key, value)

    def edge(self, u: str, v: str, relation: str, key: str, **attrs: Any) -> None:
        source = self._current.source.id if self._current is not None else ""
        self._add_edge(u, v, relation, f"{source}/{key}" if source else key,
                       **self._base, **attrs)

    def _add_edge(self, u: str, v: str, relation: str, key: str, **attrs: Any) -> None:
        clean = {k: val for k, val in attrs.items() if val is not None}
        self.graph.add_edge(u, v, key=key, relation=relation, label=relation_label(relation),
                            **clean)

    def fact_node(self, fact_id: str, cls: str, label: str, **attrs: Any) -> str:
        assert self._current is not None
        node_id = f"fact/{self._current.source.id}/{fact_id}"
        clean = {k: val for k, val in attrs.items() if val is not None}
        base = {k: v for k, v in self._base.items() if k != "fact"}
        self.graph.add_node(node_id, kind="fact", iri=str(self._current.node), cls=cls,
                            types=[cls, "Fact"], label=label, labels={}, aliases={},
                            **base, **clean)
        return node_id

    # facts
    def add_facts(self) -> None:
        for item in read_facts(self.ds, self.entities):
            source = item.source
            self._current = item
            self._base = {
                "fact": str(item.node), "source": source.id, "source_title": source.title,
                "source_url": source.url, "published": source.published,
                "publisher": self.label(source.publisher) if source.publisher else "",
                "locators": [str(e.locator) for e in item.fact.evidence]}
            item.kind.project(item.fact, self)
        self._current, self._base = None, {}

    def registry(self) -> None:
        # a view, not ds.graph(): that would add the graph, and a store may be read-only
        registry = Graph(store=self.ds.store, identifier=REGISTRY_GRAPH)
        for term in REGISTRY_LINKS.values():
            for s, o in sorted(registry.subject_objects(term.rdf_property), key=str):
                a, b = self.entities.get(s), self.entities.get(o)
                if a is not None and b is not None:
                    self._add_edge(a, b, term.name, f"registry/{term.name}/{a}/{b}",
                                   source="registry", source_title="entity registry",
                                   locators=[])

    def run(self) -> nx.MultiDiGraph[str]:
        self.add_entities()
        self.add_facts()
        self.registry()
        # what was said at a collapsed event keeps it as the edge attribute `event`
        self.graph.remove_nodes_from(self._collapsed)
        unlinked = sorted(n for n in self.graph if self.graph.degree(n) == 0)
        self.graph.remove_nodes_from(unlinked)
        self.graph.graph.update(collapse=self._collapse, collapsed=dict(sorted(
            self._collapsed.items())), unlinked=unlinked)
        return self.graph


def project(dataset: Dataset, *, collapse: bool = True) -> nx.MultiDiGraph[str]:
    """The dataset as a directed multigraph of entities and the relations between them.

    Node keys are registry ids (``qin-gang``); with ``collapse=False`` holdings and
    statements are nodes too, keyed ``fact/SOURCE-ID/FACT-ID``. Entities that take part
    in no relation are left out and listed in ``graph.graph["unlinked"]``; events turned
    into edges are listed in ``graph.graph["collapsed"]``.

    >>> from pathlib import Path
    >>> from kg.project import compile_project
    >>> ds = compile_project(Path("data")).dataset
    >>> "qin-gang-zhang-ming-meeting-2023-04-19" in project(ds)
    False
    >>> open_view = project(ds, collapse=False)
    >>> sorted(d["relation"] for _, _, d in open_view.in_edges(
    ...     "qin-gang-zhang-ming-meeting-2023-04-19", data=True))[:2]
    ['guest-at', 'host-of']
    """
    return _Projector(dataset, collapse).run()


# --- finding nodes ----------------------------------------------------------------------


def find_node(graph: nx.MultiDiGraph[str], text: str) -> str:
    """The node named by a registry id, ``id:...``, a full IRI or an exact label.

    Raises :class:`~kg.errors.UnknownEntityError` with the closest ids when nothing
    matches, and says so when the entity exists but is not drawn in this view.

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> g.add_node("qin-gang", label="Qin Gang", iri=str(ID["qin-gang"]))
    >>> find_node(g, "Qin Gang"), find_node(g, "id:qin-gang")
    ('qin-gang', 'qin-gang')
    >>> find_node(g, "qin-gan")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownEntityError: unknown id 'qin-gan': did you mean qin-gang?
    """
    collapsed: dict[str, str] = graph.graph.get("collapsed", {})
    unlinked: list[str] = graph.graph.get("unlinked", [])

    def explain(local: str) -> str | None:
        if local in collapsed:
            return (f"{local!r} is an event drawn as direct edges between its participants "
                    "in this view: use --no-collapse to see it as a node")
        if local in unlinked:
            return (f"{local!r} takes part in no relation of the network "
                    f"(see `kg evidence {local}`)")
        return None

    labels = {str(node): str(attrs.get("label", node)) for node, attrs in graph.nodes(data=True)}
    return lookup(text, labels, explain=explain)


def _check_relations(graph: nx.MultiDiGraph[str], relations: Iterable[str]) -> set[str]:
    wanted = set(relations)
    known = set(RELATIONS) | {d["relation"] for _, _, d in graph.edges(data=True)}
    for name in sorted(wanted - known):
        close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.5)
        hint = f": did you mean {', '.join(close)}?" if close else \
            f": known relations are {', '.join(sorted(known))}"
        raise KGError(f"unknown relation {name!r}{hint}")
    return wanted


# --- filtering --------------------------------------------------------------------------


def _span(attrs: dict[str, Any]) -> tuple[date, date] | None:
    start, end = attrs.get("start"), attrs.get("end")
    when = attrs.get("date")
    if start is None and when is None:
        return None
    first = bounds(str(start if start is not None else when))[0]
    if end is not None:
        last = bounds(str(end))[1]
    elif start is not None:
        last = date.max
    else:
        last = bounds(str(when))[1]
    return first, last


def _in_range(attrs: dict[str, Any], since: date | None, until: date | None) -> bool:
    try:
        span = _span(attrs)
    except ValueError:
        return True
    if span is None:
        return True
    return (since is None or span[1] >= since) and (until is None or span[0] <= until)


def known_types(graph: nx.MultiDiGraph[str]) -> list[str]:
    """The class names ``--types`` accepts: the ontology's and those in the graph.

    >>> {"Person", "Organization", "Meeting"} <= set(known_types(nx.MultiDiGraph()))
    True
    """
    names = {n for cls in superclasses() for n in [_dip_name(cls)] if n is not None}
    for _, attrs in graph.nodes(data=True):
        names.update(attrs.get("types", []))
    return sorted(names)


def select(graph: nx.MultiDiGraph[str], *, focus: str | None = None, depth: int = 2,
           types: Iterable[str] | None = None, since: str | None = None,
           until: str | None = None) -> nx.MultiDiGraph[str]:
    """A part of the network: by class, by date, and around a focus node.

    Classes match a node's class or any of its superclasses (``Organization`` keeps
    states too). Dated relations outside ``since``..``until`` are dropped, and dated
    events and statements kept as nodes with them; undated ones (memberships, registry
    links) stay. Then only nodes within ``depth`` hops of ``focus`` are kept (direction
    ignored), and nodes left with no relation are dropped.

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> g.add_node("a", types=["Person"]); g.add_node("b", types=["Person"])
    >>> g.add_node("c", types=["Place"])
    >>> _ = g.add_edge("a", "b", date="2023-04-19"); _ = g.add_edge("b", "c")
    >>> sorted(select(g, since="2024"))
    ['b', 'c']
    >>> sorted(select(g, focus="a", depth=1))
    ['a', 'b']
    """
    start = _bound(since, "--since", 0)
    end = _bound(until, "--until", 1)
    if start is not None and end is not None and start > end:
        raise KGError(f"--since {since} is after --until {until}")
    if depth < 0:
        raise KGError(f"--depth must be 0 or more (got {depth})")
    centre = find_node(graph, focus) if focus is not None else None
    keep = set(graph)
    if types is not None:
        wanted = _check_types(graph, types)
        keep = {n for n in keep if wanted & set(graph.nodes[n].get("types", []))
                or graph.nodes[n].get("cls") in wanted}
    if start is not None or end is not None:
        keep = {n for n in keep if _in_range(graph.nodes[n], start, end)}
    if centre is not None:
        keep.add(centre)
    part: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    part.graph.update(graph.graph)
    part.add_nodes_from((n, graph.nodes[n]) for n in graph if n in keep)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if u in keep and v in keep and _in_range(d, start, end):
            part.add_edge(u, v, key=k, **d)
    if centre is not None:
        near = nx.single_source_shortest_path_length(part.to_undirected(as_view=True),
                                                     centre, cutoff=depth)
        part.remove_nodes_from([n for n in list(part) if n not in near])
    part.remove_nodes_from([n for n in list(part) if part.degree(n) == 0 and n != centre])
    return part


def _bound(text: str | None, option: str, index: int) -> date | None:
    if text is None:
        return None
    try:
        return bounds(text)[index]
    except ValueError as exc:
        raise KGError(f"{option}: {exc}") from None


def _check_types(graph: nx.MultiDiGraph[str], types: Iterable[str]) -> set[str]:
    known = known_types(graph)
    by_fold = {k.casefold(): k for k in known}
    wanted = set()
    for name in types:
        name = name.strip()
        if not name:
            continue
        if name.casefold() not in by_fold:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            hint = f": did you mean {', '.join(close)}?" if close else \
                f": known classes are {', '.join(known)}"
            raise KGError(f"unknown class {name!r}{hint}")
        wanted.add(by_fold[name.casefold()])
    if not wanted:
        raise KGError("--types is empty: give class names such as Person,Organization")
    return wanted


# --- sentences --------------------------------------------------------------------------


#: Edges from a fact node whose date belongs to the fact, not to the link: not repeated.


def edge_sentence(graph: nx.MultiDiGraph[str], u: str, v: str, attrs: dict[str, Any],
                  *, with_source: bool = True) -> str:
    """One edge as a plain sentence: relation, date, and its source and locators.

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> g.add_node("q", label="Qin Gang"); g.add_node("z", label="Zhang Ming")
    >>> edge_sentence(g, "q", "z", {"relation": "met", "date": "2023-04-19",
    ...     "place": "Beijing", "source_title": "FM meets SCO chief", "locators": ["p3.s1"]})
    'Qin Gang met Zhang Ming on 2023-04-19 in Beijing. Source: "FM meets SCO chief", p3.s1.'
    """
    relation = str(attrs.get("relation", ""))
    term = RELATIONS.get(relation, EdgeRelation(relation, relation, relation.replace("-", " ")))
    phrase = term.phrase
    if relation == "attended-with" and attrs.get("event_label"):
        phrase = f"attended {attrs['event_label']} with"
    text = f"{_name(graph, u)} {phrase} {_name(graph, v)}"
    if attrs.get("act"):
        text += f" ({attrs['act']})"
    if attrs.get("start") or attrs.get("end"):
        text += f" from {attrs.get('start') or '?'} to {attrs.get('end') or 'now'}"
    elif attrs.get("date") and term.dated:
        when = str(attrs["date"])
        if term.attested:
            text += f" (attested {when})"
        else:
            text += f" {'on' if len(when) == 10 else 'in'} {when}"
    if attrs.get("place"):
        text += f" in {attrs['place']}"
    text = text[:1].upper() + text[1:] + "."
    if with_source:
        text += " " + evidence_text(attrs)
    return text


def evidence_text(attrs: dict[str, Any]) -> str:
    """Where an edge comes from: source title and locators, or the entity registry.

    >>> evidence_text({"source": "registry", "source_title": "entity registry"})
    'Source: entity registry (no locator).'
    """
    if attrs.get("source") == "registry":
        return "Source: entity registry (no locator)."
    locators = ", ".join(attrs.get("locators") or []) or "no locator"
    return f'Source: "{attrs.get("source_title", "?")}", {locators}.'


def _name(graph: nx.MultiDiGraph[str], node: str) -> str:
    attrs = graph.nodes[node] if node in graph else {}
    label = str(attrs.get("label", node))
    if attrs.get("kind") == "fact":
        return f"the {'statement' if attrs.get('cls') == 'ReportedStatement' else 'holding'}" \
               f" «{label}»"
    return label


# --- neighbours -------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """One edge seen from a traversal: its ends (in the edge's own direction) and data."""

    source: str
    target: str
    key: str
    data: dict[str, Any]

    @property
    def evidenced(self) -> bool:
        """Whether the edge comes from a source with at least one locator."""
        return self.data.get("source") != "registry" and bool(self.data.get("locators"))


@dataclass(frozen=True)
class Neighbour:
    """A node reached from the start, how far, and the edges from its parent."""

    node: str
    label: str
    cls: str
    depth: int
    parent: str
    links: tuple[Link, ...]


def _links_between(graph: nx.MultiDiGraph[str], a: str, b: str,
                   relations: set[str] | None = None) -> list[Link]:
    found = []
    for u, v in ((a, b), (b, a)):
        data = graph.get_edge_data(u, v) or {}
        for key, attrs in data.items():
            if relations is None or attrs.get("relation") in relations:
                found.append(Link(u, v, str(key), dict(attrs)))
    found.sort(key=lambda link: (not link.evidenced, link.data.get("date") is None,
                                 link.data.get("relation", ""), link.key))
    return found


def neighbours(graph: nx.MultiDiGraph[str], node: str, *, depth: int = 1,
               relations: Iterable[str] | None = None) -> list[Neighbour]:
    """Nodes within ``depth`` hops (either direction), nearest first, with the linking edges.

    ``relations`` keeps only edges of those kinds (see :data:`RELATIONS`).

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> g.add_node("a", label="A"); g.add_node("b", label="B"); g.add_node("c", label="C")
    >>> _ = g.add_edge("a", "b", relation="met"); _ = g.add_edge("c", "b", relation="holds")
    >>> [(n.node, n.depth) for n in neighbours(g, "a", depth=2)]
    [('b', 1), ('c', 2)]
    >>> [n.node for n in neighbours(g, "a", depth=2, relations=["met"])]
    ['b']
    """
    start = find_node(graph, node)
    if depth < 1:
        raise KGError(f"--depth must be 1 or more (got {depth})")
    wanted = _check_relations(graph, relations) if relations is not None else None
    seen = {start}
    frontier = [start]
    found: list[Neighbour] = []
    for level in range(1, depth + 1):
        following = []
        for here in frontier:
            around = sorted(set(graph.successors(here)) | set(graph.predecessors(here)),
                            key=lambda n: (str(graph.nodes[n].get("label", n)).casefold(), n))
            for there in around:
                if there in seen:
                    continue
                links = _links_between(graph, here, there, wanted)
                if not links:
                    continue
                seen.add(there)
                following.append(there)
                attrs = graph.nodes[there]
                found.append(Neighbour(there, str(attrs.get("label", there)),
                                       str(attrs.get("cls", "")), level, here, tuple(links)))
        frontier = following
    return found


# --- paths ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    """One step of a path: from ``start`` to ``end``, over every edge linking the two."""

    start: str
    end: str
    links: tuple[Link, ...]

    @property
    def best(self) -> Link:
        """The edge shown first: evidenced, dated, then by relation."""
        return self.links[0]


@dataclass(frozen=True)
class Path:
    """A path between two nodes, hop by hop."""

    nodes: tuple[str, ...]
    hops: tuple[Hop, ...]

    @property
    def evidenced(self) -> bool:
        """Whether every hop has at least one edge with a source and a locator."""
        return all(hop.best.evidenced for hop in self.hops)


def _simple(graph: nx.MultiDiGraph[str]) -> nx.Graph[str]:
    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(graph)
    for u, v in graph.edges():
        if u == v:
            continue
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += 1
        else:
            simple.add_edge(u, v, weight=1)
    return simple


def paths(graph: nx.MultiDiGraph[str], a: str, b: str, *, k: int | None = None,
          all_shortest: bool = False, limit: int = 1000) -> list[Path]:
    """Shortest paths between two nodes, direction ignored, each hop with its edges.

    By default the one shortest path, preferring hops backed by a source; ``all_shortest``
    gives every shortest path (at most ``limit``), ``k`` the k shortest simple paths.

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", relation="met"); _ = g.add_edge("c", "b", relation="met")
    >>> [p.nodes for p in paths(g, "a", "c")]
    [('a', 'b', 'c')]
    """
    start, end = find_node(graph, a), find_node(graph, b)
    if start == end:
        raise KGError(f"{a!r} and {b!r} are the same node: give two different ones")
    if k is not None and k < 1:
        raise KGError(f"-k must be 1 or more (got {k})")
    simple = _simple(graph)
    try:
        if k is not None:
            found = list(islice(nx.shortest_simple_paths(simple, start, end), k))
        else:
            found = list(islice(nx.all_shortest_paths(simple, start, end), limit))
    except nx.NetworkXNoPath:
        raise KGError(f"no path between {start} and {end} in the network") from None
    result = [Path(tuple(nodes), tuple(Hop(x, y, tuple(_links_between(graph, x, y)))
                                       for x, y in pairwise(nodes)))
              for nodes in found]
    if k is None:
        result.sort(key=lambda p: (len(p.hops), sum(not h.best.evidenced for h in p.hops),
                                   [str(graph.nodes[n].get("label", n)) for n in p.nodes]))
        if not all_shortest:
            result = result[:1]
    return result


# --- measures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """A node and its score under a centrality measure."""

    node: str
    label: str
    cls: str
    score: float


def centrality(graph: nx.MultiDiGraph[str], measure: str = "degree",
               top: int | None = 10) -> list[Ranked]:
    """Nodes ranked by a centrality measure, highest first (ties by label).

    Computed on the undirected simple graph (one link per related pair; pagerank and
    eigenvector weigh a link by the number of facts behind it).

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> _ = g.add_edge("hub", "a"); _ = g.add_edge("hub", "b"); _ = g.add_edge("c", "hub")
    >>> [(r.node, round(r.score, 2)) for r in centrality(g, "degree", top=2)]
    [('hub', 1.0), ('a', 0.33)]
    """
    if measure not in MEASURES:
        raise KGError(f"unknown measure {measure!r}: choose one of {', '.join(MEASURES)}")
    if top is not None and top < 1:
        raise KGError(f"--top must be 1 or more (got {top})")
    simple = _simple(graph)
    if simple.number_of_nodes() == 0:
        return []
    scores: dict[str, float]
    if measure == "degree":
        scores = nx.degree_centrality(simple)
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(simple)
    elif measure == "pagerank":
        scores = nx.pagerank(simple, weight="weight")
    else:
        try:
            scores = nx.eigenvector_centrality(simple, max_iter=1000, weight="weight")
        except nx.PowerIterationFailedConvergence:
            raise KGError("eigenvector centrality did not converge on this graph: "
                          "try pagerank") from None
    ranked = [Ranked(n, str(graph.nodes[n].get("label", n)), str(graph.nodes[n].get("cls", "")),
                     float(score)) for n, score in scores.items()]
    ranked.sort(key=lambda r: (-round(r.score, 12), r.label.casefold(), r.node))
    return ranked[:top] if top is not None else ranked


def communities(graph: nx.MultiDiGraph[str], algorithm: str = "louvain",
                seed: int = 0) -> list[list[str]]:
    """Groups of densely linked nodes, largest first, each sorted by label.

    ``louvain`` (seeded, so repeatable), ``greedy`` (greedy modularity) or
    ``label-propagation``, all from networkx, on the undirected weighted graph.

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> _ = g.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> communities(g)
    [['a', 'b', 'c'], ['x', 'y']]
    """
    if algorithm not in COMMUNITY_ALGORITHMS:
        raise KGError(f"unknown algorithm {algorithm!r}: choose one of "
                      f"{', '.join(COMMUNITY_ALGORITHMS)}")
    simple = _simple(graph)
    if simple.number_of_nodes() == 0:
        return []
    groups: Iterable[Iterable[str]]
    if algorithm == "louvain":
        groups = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    elif algorithm == "greedy":
        groups = nx.community.greedy_modularity_communities(simple, weight="weight")
    else:
        groups = nx.community.label_propagation_communities(simple)

    def key(node: str) -> tuple[str, str]:
        return str(graph.nodes[node].get("label", node)).casefold(), node

    result = [sorted(group, key=key) for group in groups]
    result.sort(key=lambda group: (-len(group), key(group[0])))
    return result


# --- export -----------------------------------------------------------------------------


def _flat(attrs: dict[str, Any]) -> dict[str, str | int | float | bool]:
    flat: dict[str, str | int | float | bool] = {}
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, dict):
            for sub, item in value.items():
                flat[f"{name}_{sub}"] = "; ".join(item) if isinstance(item, list) else str(item)
        elif isinstance(value, list | tuple | set):
            flat[name] = "; ".join(str(v) for v in value)
        elif isinstance(value, str | int | float | bool):
            flat[name] = value
        else:
            flat[name] = str(value)
    return flat


def flattened(graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """A copy whose attributes are all scalars (dicts become ``name_key``, lists ``a; b``),
    as GraphML and GEXF require."""
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    flat.graph.update(_flat({"collapse": graph.graph.get("collapse", True)}))
    flat.add_nodes_from((n, _flat(a)) for n, a in graph.nodes(data=True))
    for u, v, k, d in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, **_flat(d))
    return flat


def serialize(graph: nx.MultiDiGraph[str], fmt: str) -> bytes:
    """The network as GraphML, GEXF or JSON (networkx node-link data).

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> g.add_node("a", labels={"en": "A", "zh": "甲"})
    >>> b'key="d0"' in serialize(g, "graphml") or b"label_zh" in serialize(g, "graphml")
    True
    >>> json.loads(serialize(g, "json"))["nodes"][0]["labels"]["zh"]
    '甲'
    """
    if fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        return (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode()
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(flattened(graph), buffer, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(flattened(graph), buffer, encoding="utf-8")
    else:
        raise KGError(f"unknown format {fmt!r}: choose one of {', '.join(NETWORK_FORMATS)}")
    return buffer.getvalue()
