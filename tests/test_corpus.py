"""The corpus in data/: each of the thirteen articles builds on its own against the
registry, conforms to the shapes and has every locator pointing at a sentence of its text;
what each source contributes, exactly (as `kg build` and `kg stats` count it); and each
source's facts in its own named graph, never in another's."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import cast

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.curation.reader import load_curation
from kg.curation.text import read_text, text_path
from kg.graph.namespaces import ID, REGISTRY_GRAPH, fact_iri, source_graph
from kg.pipeline import compile_project
from kg.sparql.stats import graph_stats
from tests.conftest import CORPUS_DATA

#: Each source file of data/sources: its source id, its curated facts (the file's
#: `facts:`), its fact nodes (as `kg stats` counts them: a relation once per object, plus
#: the article's editors, photos and publication time), the triples of its named graph,
#: and its locators (every piece of evidence the file names).
SOURCES: dict[str, tuple[str, int, int, int, int]] = {
    "2022-08-05-sectsco-zhang-ming-tileuberdi.yaml":
        ("sectsco-2022-08-05-zhang-ming-meets-tileuberdi", 17, 17, 290, 20),
    "2023-02-20-xinhua-wang-yi-gsi-concept-paper.yaml":
        ("xinhua-2023-02-20-china-to-publish-gsi-concept-paper", 14, 19, 299, 21),
    "2023-03-16-xinhua-xi-global-civilization-initiative.yaml":
        ("xinhua-2023-03-16-xi-proposes-global-civilization-initiative", 9, 12, 219, 15),
    "2023-04-19-xinhua-qin-gang-zhang-ming-zh.yaml":
        ("xinhua-2023-04-19-qin-gang-meets-zhang-ming-zh", 15, 16, 253, 18),
    "2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml":
        ("xinhua-2023-04-20-chinese-fm-meets-sco-chief", 19, 27, 422, 28),
    "2023-05-04-tass-lavrov-qin-gang-goa.yaml":
        ("tass-2023-05-04-lavrov-meets-qin-gang-goa", 7, 8, 156, 10),
    "2023-05-07-republicworld-sco-fm-goa-delegates.yaml":
        ("republicworld-2023-05-07-sco-delegates-impressed-by-goa", 8, 9, 222, 14),
    "2023-06-19-xinhua-xi-meets-blinken.yaml":
        ("xinhua-2023-06-19-xi-meets-blinken", 16, 21, 356, 26),
    "2023-06-30-thestatesman-xi-virtual-sco-summit.yaml":
        ("thestatesman-2023-06-30-xi-to-attend-sco-summit-hosted-by-modi", 21, 22, 364, 36),
    "2023-07-03-sectsco-zhang-ming-sabry-zh.yaml":
        ("sectsco-2023-07-03-zhang-ming-meets-ali-sabry-zh", 6, 6, 125, 10),
    "2024-05-16-xinhua-wang-yi-sco-fm-astana.yaml":
        ("xinhua-2024-05-16-chinese-fm-to-attend-sco-fms-council", 11, 12, 197, 19),
    "2024-05-21-kazinform-zhang-ming-astana-cfm.yaml":
        ("kazinform-2024-05-21-sco-sec-gen-sums-up-ministerial-meeting", 12, 13, 266, 20),
    "2024-12-14-chinaorg-wang-yi-zhang-ming-yermekbayev-de.yaml":
        ("chinaorg-2024-12-14-wang-yi-meets-sco-secretary-general-and-successor-de",
         11, 11, 204, 15),
}
#: The registry: its entities and the triples of its graph.
ENTITIES, REGISTRY_TRIPLES = 129, 1201
#: The whole corpus, the sums of the table.
CURATED_FACTS, FACT_NODES, TRIPLES = 166, 193, 4574

FACT_PREFIXES = (str(ID["fact/"]), str(ID["evidence/"]))


def test_data_holds_the_thirteen_sources() -> None:
    assert sorted(p.name for p in (CORPUS_DATA / "sources").iterdir()) == sorted(SOURCES)
    assert len(SOURCES) == 13


def test_the_totals_are_the_sums_of_the_sources() -> None:
    rows = list(SOURCES.values())
    assert sum(row[1] for row in rows) == CURATED_FACTS
    assert sum(row[2] for row in rows) == FACT_NODES
    assert sum(row[3] for row in rows) + REGISTRY_TRIPLES == TRIPLES


@pytest.mark.parametrize("file", sorted(SOURCES))
def test_each_source_builds_alone_conforms_and_every_locator_resolves(
        file: str, corpus: Path, tmp_path: Path) -> None:
    source_id, curated, nodes, triples, locators = SOURCES[file]
    data = tmp_path / "data"
    (data / "sources").mkdir(parents=True)
    shutil.copy(CORPUS_DATA / "entities.yaml", data / "entities.yaml")
    shutil.copy(CORPUS_DATA / "sources" / file, data / "sources" / file)
    # reads, checks the text's SHA-256 and every locator, builds and validates
    compiled = compile_project(data, corpus)
    assert compiled.report.conforms
    [source] = compiled.curation.sources
    assert (source.id, len(source.facts)) == (source_id, curated)
    stats = graph_stats(compiled.dataset)
    assert stats.facts_by_source == {source_id: nodes}
    assert stats.triples_by_graph == {"registry": REGISTRY_TRIPLES, source_id: triples}
    assert sum(stats.entities.values()) == ENTITIES
    # every locator, resolved here as well: a sentence (or a stretch) of the text
    text = read_text(text_path(corpus, source.text_file), source.paragraphs)
    evidence = source.all_evidence()
    assert len(evidence) == locators
    for item in evidence:
        span = text.resolve(item.locator)
        assert span.text.strip(), (file, str(item.locator))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> tuple[Path, str]:
    """data/ built as `kg build` builds it, and what it printed."""
    out = tmp_path_factory.mktemp("corpus") / "build"
    result = CliRunner().invoke(main, ["build", "--data", str(CORPUS_DATA), "--sources",
                                       str(corpus), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_kg_build_counts_the_corpus(built: tuple[Path, str]) -> None:
    _, output = built
    assert output.splitlines()[0] == (
        f"Built {TRIPLES} triples from 13 source(s), {ENTITIES} entities, {CURATED_FACTS} "
        "curated facts (full build, oxigraph store); "
        f"{FACT_NODES} fact nodes (a relation once per object, plus each article's editors, "
        "photos and publication time); SHACL: conforms; locators checked against the texts.")


def test_kg_stats_counts_each_source(built: tuple[Path, str]) -> None:
    out, _ = built
    result = CliRunner().invoke(main, ["stats", "--graph", str(out / "kg.oxigraph")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    by_source = lines.index(next(x for x in lines if x.startswith("Fact nodes by source")))
    by_graph = lines.index("Triples by graph:")
    nodes = dict(line.split() for line in lines[by_source + 1:by_graph])
    triples = dict(line.split() for line in lines[by_graph + 1:-1])
    assert nodes == {source_id: str(n) for source_id, _, n, _, _ in SOURCES.values()}
    assert triples == {"registry": str(REGISTRY_TRIPLES),
                       **{source_id: str(t) for source_id, _, _, t, _ in SOURCES.values()}}
    assert lines[-1] == f"Triples: {TRIPLES}"


def test_each_source_s_facts_are_in_its_own_named_graph(built: tuple[Path, str]) -> None:
    out, _ = built
    store = ox.Store.read_only(str(out / "kg.oxigraph"))
    ids = {source_id for source_id, *_ in SOURCES.values()}
    assert {g.value for g in store.named_graphs()} == {
        str(REGISTRY_GRAPH), *(str(source_graph(source_id)) for source_id in ids)}
    # every triple about a fact or its evidence sits in the graph of the source it names
    where: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        assert isinstance(quad.subject, ox.NamedNode | ox.BlankNode), quad
        subject = quad.subject.value
        prefix = next((p for p in FACT_PREFIXES if subject.startswith(p)), None)
        if prefix is not None:  # fact/SOURCE/FACT[/OBJECT], evidence/SOURCE/LOCATOR
            source_id = subject[len(prefix):].split("/")[0]
            assert isinstance(quad.graph_name, ox.NamedNode), quad
            assert quad.graph_name.value == str(source_graph(source_id)), quad
            where.setdefault(source_id, set()).add(subject)
    assert set(where) == ids
    # the fact nodes of each source, counted in its graph, and each curated fact among them
    typed = ox.NamedNode("https://w3id.org/diplomacy-kg/ontology#Fact")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for source in load_curation(CORPUS_DATA).sources:
        graph = ox.NamedNode(str(source_graph(source.id)))
        facts = {cast(ox.NamedNode, q.subject).value
                 for q in store.quads_for_pattern(None, rdf_type, typed, graph)}
        file = Path(source.where.file).name
        assert (SOURCES[file][0], len(facts)) == (source.id, SOURCES[file][2])
        for fact in source.facts:  # a relation has a node per object: FACT/OBJECT
            iri = str(fact_iri(source.id, fact.id))
            assert any(f == iri or f.startswith(iri + "/") for f in facts), iri
        assert facts <= where[source.id]
    assert not list(store.quads_for_pattern(None, rdf_type, typed,
                                            ox.NamedNode(str(REGISTRY_GRAPH))))
