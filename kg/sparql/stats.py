"""Counts that tell what a graph holds: entities by class, facts by source, triples.

Computed with SPARQL, so they cost the same on a large Oxigraph store as on a small
memory graph.

>>> from pathlib import Path
>>> from kg.pipeline import compile_project
>>> counts = graph_stats(compile_project(Path("data")).dataset)
>>> counts.entities["Person"], len(counts.facts_by_source)
(28, 13)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from rdflib import Dataset, URIRef

from kg.graph.namespaces import DIP, REGISTRY_GRAPH
from kg.graph.ontology import most_specific
from kg.sparql.query import run_query


@dataclass(frozen=True)
class GraphStats:
    """Entities by most specific class, facts by source, triples by graph."""

    entities: dict[str, int]
    facts_by_source: dict[str, int]
    triples_by_graph: dict[str, int]

    @property
    def triples(self) -> int:
        """Triples over all graphs."""
        return sum(self.triples_by_graph.values())

    def text(self) -> str:
        """A readable report."""
        lines = ["Entities by class:"]
        lines += [f"  {name:<32}{count:>8}" for name, count in sorted(self.entities.items())]
        lines.append("Facts by source:")
        lines += [f"  {name:<56}{count:>8}" for name, count in self.facts_by_source.items()]
        lines.append("Triples by graph:")
        lines += [f"  {name:<56}{count:>8}" for name, count in self.triples_by_graph.items()]
        lines.append(f"Triples: {self.triples}")
        return "\n".join(lines)


def _short(graph: object) -> str:
    return str(graph).rsplit("/", 1)[-1]


def _rows(dataset: Dataset, text: str) -> list[list[str]]:
    result = run_query(dataset, text)
    names = result.vars or []
    return [[str(row[name]) for name in names]  # type: ignore[index,call-overload]
            for row in result]


def graph_stats(dataset: Dataset) -> GraphStats:
    """Count what a built dataset holds."""
    types: dict[str, set[URIRef]] = defaultdict(set)
    for entity, cls in _rows(dataset, f"""
            SELECT ?e ?class WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{
                ?e dip:registryId ?id ; a ?class .
                FILTER (STRSTARTS(STR(?class), "{DIP}")) }} }}"""):
        types[entity].add(URIRef(cls))
    entities: Counter[str] = Counter()
    for classes in types.values():
        most = most_specific(classes)
        if most is not None:
            entities[str(most).removeprefix(str(DIP))] += 1
    facts = {_short(g): int(n) for g, n in _rows(dataset, """
            SELECT ?g (COUNT(DISTINCT ?f) AS ?n) WHERE { GRAPH ?g { ?f a dip:Fact } }
            GROUP BY ?g ORDER BY ?g""")}
    triples = {_short(g): int(n) for g, n in _rows(dataset, """
            SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }
            GROUP BY ?g ORDER BY ?g""")}
    return GraphStats(dict(entities), facts, triples)
