"""The two ways of reading facts give the same network: straight from an Oxigraph store
(:class:`~kg.graph.readback.StoreIndex`, a few SELECTs) and through rdflib (a memory
dataset, :class:`~kg.graph.readback.GraphView`), for the repository's data, a synthetic
corpus, and terms that take escaping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.graph.namespaces import DIP, GRAPH, ID, REGISTRY_GRAPH
from kg.graph.readback import (
    GraphView,
    IndexView,
    StoreIndex,
    entity_ids,
    entity_records,
    oxigraph_store,
    read_facts,
    registry_links,
    sources,
    start_reading,
)
from kg.kinds.vocabulary import REGISTRY_LINKS
from kg.network import project
from kg.store.exports import serialize
from kg.store.oxigraph import as_dataset, open_store, write_new_store


def on_disk(dataset: Dataset, folder: Path) -> Dataset:
    """The dataset in a persistent Oxigraph store, opened as `kg build`'s readers open it."""
    write_new_store(folder / "store", serialize(dataset, "nquads"))
    opened = as_dataset(open_store(folder / "store"))
    assert oxigraph_store(opened) is not None and oxigraph_store(dataset) is None
    return opened


def shape(graph: nx.MultiDiGraph[str]) -> tuple[Any, ...]:
    """Nodes and edges with every attribute, in insertion order, and the graph attributes."""
    return (list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True)),
            graph.graph)


def assert_same_reading(memory: Dataset, store: Dataset) -> None:
    assert entity_records(store) == entity_records(memory)
    assert sources(store) == sources(memory)
    facts = read_facts(store)
    assert facts == read_facts(memory)
    assert {item.kind.name for item in facts} >= {"holding", "relation", "event", "statement"}
    links = [term.rdf_property for term in REGISTRY_LINKS.values()]
    assert registry_links(store, links) == registry_links(memory, links)
    for collapse in (True, False):
        fast, slow = project(store, collapse=collapse), project(memory, collapse=collapse)
        assert fast.number_of_edges() > 0
        assert shape(fast) == shape(slow)


def test_repository_data_projects_alike_from_oxigraph_and_rdflib(
        dataset: Dataset, tmp_path: Path) -> None:
    assert_same_reading(dataset, on_disk(dataset, tmp_path))


def test_a_synthetic_corpus_projects_alike_from_oxigraph_and_rdflib(tmp_path: Path) -> None:
    from kg.pipeline import compile_project
    from kg.synth import generate

    generate(40, 11, tmp_path / "synth")
    memory = compile_project(tmp_path / "synth" / "data").dataset
    assert_same_reading(memory, on_disk(memory, tmp_path))


def test_the_kg_trig_loaded_by_oxigraph_projects_like_rdflib(built_dir: Path) -> None:
    from kg.store.files import load_trig

    trig = built_dir / "kg.trig"
    assert_same_reading(load_trig(trig, store="memory"), load_trig(trig, store="oxigraph"))


NODE = ID["fact/s/n"]
ODD = [
    Literal('tab\there, "quoted", back\\slash, line\nfeed, return\r, é 😀'),
    Literal("nul \x00, vt \x0b, nel \x85, ls \u2028, ps \u2029"),
    Literal("Grüße", lang="de-AT"),
    Literal("2023-04-19", datatype=XSD.date),
    Literal("12", datatype=XSD.integer),
    Literal("1.5", datatype=XSD.decimal),
    Literal("true", datatype=XSD.boolean),
    Literal("x", datatype=URIRef("http://example.org/type")),
    Literal(""),
    URIRef("http://example.org/é?q=a"),
    BNode("b1"),
]


BLANK = Literal("(a blank node)")


def unblank(terms: list[Any]) -> list[Any]:
    """Blank nodes as one marker, sorted last: a store names them anew."""
    named = [term for term in terms if not isinstance(term, BNode)]
    return named + [BLANK] * (len(terms) - len(named))


@pytest.fixture()
def odd_views(tmp_path: Path) -> tuple[GraphView, IndexView]:
    memory = Dataset(default_union=True)
    g = memory.graph(GRAPH["s"])
    for term in ODD:
        g.add((NODE, DIP.note, term))
    g.add((NODE, DIP.one, Literal("only")))
    g.add((NODE, DIP.holder, ID["ann"]))
    g.add((NODE, DIP.topic, ID["ann"]))
    g.add((NODE, DIP.topic, ID["bob"]))
    g.add((NODE, DIP.topic, Literal("not an entity")))
    g.add((NODE, DIP.evidence, ID["evidence/s/p2.s1"]))
    g.add((NODE, DIP.evidence, ID["evidence/s/p10.s1"]))
    g.add((ID["evidence/s/p2.s1"], DIP.locator, Literal("p2.s1")))
    g.add((ID["evidence/s/p10.s1"], DIP.locator, Literal("p10.s1")))
    g.add((BNode("b1"), RDFS.label, Literal("under a blank node")))
    other = memory.graph(GRAPH["other"])
    other.add((NODE, DIP.one, Literal("said elsewhere")))
    registry = memory.graph(REGISTRY_GRAPH)
    for name in ("ann", "bob"):
        registry.add((ID[name], DIP.registryId, Literal(name)))
        registry.add((ID[name], SKOS.prefLabel, Literal(name.title(), lang="en")))
    store = on_disk(memory, tmp_path)
    ids: dict[Node, str] = {ID["ann"]: "ann", ID["bob"]: "bob"}
    index_ids = {f"<{node}>": value for node, value in ids.items()}
    fast = IndexView(StoreIndex(oxigraph_store(store)), f"<{GRAPH['s']}>",  # type: ignore[arg-type]
                     NODE, index_ids)
    return GraphView(memory.graph(GRAPH["s"]), NODE, ids), fast


def test_every_view_method_answers_alike_on_odd_terms(
        odd_views: tuple[GraphView, IndexView]) -> None:
    slow, fast = odd_views
    assert fast.node == slow.node and fast.fact_id == slow.fact_id == "n"
    for prop in (DIP.note, DIP.one, DIP.holder, DIP.topic, DIP.missing):
        assert unblank(fast.values(prop)) == unblank(slow.values(prop)), prop
        assert [type(t) for t in fast.values(prop)] == [type(t) for t in slow.values(prop)]
        assert unblank([fast.value(prop)]) == unblank([slow.value(prop)]), prop
        if prop != DIP.note:  # the smallest there is a blank node, named anew by the store
            assert fast.text(prop) == slow.text(prop), prop
        assert fast.entity(prop) == slow.entity(prop), prop
        assert fast.entities(prop) == slow.entities(prop), prop
    assert sorted(unblank(fast.values(DIP.note)), key=repr) == sorted(unblank(ODD), key=repr)
    assert fast.text(DIP.one) == "only"  # not what another graph says about the node
    assert fast.entities(DIP.topic) == ["ann", "bob"]
    assert fast.evidence() == slow.evidence()
    assert [str(e.locator) for e in fast.evidence()] == ["p2.s1", "p10.s1"]
    (blank,) = (node for node in fast.values(DIP.note) if isinstance(node, BNode))
    assert fast.at(blank).text(RDFS.label) == slow.at(BNode("b1")).text(RDFS.label) \
        == "under a blank node"
    assert fast.at(Literal("x")).values(RDF.type) == []


def test_the_store_is_read_alike_with_or_without_worker_threads(
        dataset: Dataset, tmp_path: Path) -> None:
    store = on_disk(dataset, tmp_path)
    inner = oxigraph_store(store)
    assert inner is not None
    with StoreIndex(inner, workers=0) as alone, StoreIndex(inner, workers=2) as threaded:
        links = [term.rdf_property for term in REGISTRY_LINKS.values()]
        start_reading(threaded, entities=True, registry=links)
        assert entity_ids(store, index=alone) == entity_ids(store, index=threaded) \
            == entity_ids(dataset)
        assert read_facts(store, index=alone) == read_facts(store, index=threaded) \
            == read_facts(dataset)
        assert entity_records(store, index=alone) == entity_records(store, index=threaded)
        assert registry_links(store, links, index=threaded) == registry_links(dataset, links)
