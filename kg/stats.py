"""Counts that tell what a graph holds: entities by class, facts by source, triples.

>>> from pathlib import Path
>>> from kg.project import compile_project
>>> counts = graph_stats(compile_project(Path("data")).dataset)
>>> counts.entities["Person"]
6
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Dataset, URIRef
from rdflib.namespace import RDF

from kg.namespaces import DIP, REGISTRY_GRAPH
from kg.ontology import superclasses


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


def _most_specific(types: set[URIRef]) -> URIRef | None:
    local = {t for t in types if str(t).startswith(str(DIP))}
    for candidate in local:
        if not any(other != candidate and candidate in superclasses().get(other, ())
                   for other in local):
            return candidate
    return None


def graph_stats(dataset: Dataset) -> GraphStats:
    """Count what a built dataset holds."""
    registry = dataset.graph(REGISTRY_GRAPH)
    entities: Counter[str] = Counter()
    for entity in set(registry.subjects(RDF.type, None)):
        if isinstance(entity, URIRef) and entity != REGISTRY_GRAPH:
            cls = _most_specific({t for t in registry.objects(entity, RDF.type)
                                  if isinstance(t, URIRef)})
            if cls is not None:
                entities[str(cls).removeprefix(str(DIP))] += 1
    facts: dict[str, int] = {}
    triples: dict[str, int] = {}
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(graph) == 0:
            continue
        name = str(graph.identifier).rsplit("/", 1)[-1]
        triples[name] = len(graph)
        if graph.identifier != REGISTRY_GRAPH:
            facts[name] = len(set(graph.subjects(RDF.type, DIP.Fact)))
    return GraphStats(dict(entities), facts, triples)
