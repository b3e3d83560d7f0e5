"""The ontology documents every term; the shapes cover every class the data uses."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kg.curation.model import CAMEO_CODES, ENTITY_TYPES
from kg.graph.namespaces import CAMEO, DIP
from kg.graph.ontology import ontology_graph, shapes_graph

REPO = Path(__file__).resolve().parents[2]


def local_terms(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef)
            and (str(s).startswith(str(DIP)) or str(s).startswith(str(CAMEO)))}


def test_every_term_has_a_label_and_a_definition() -> None:
    graph = ontology_graph()
    terms = local_terms(graph)
    assert len(terms) > 60
    for term in terms:
        labels = list(graph.objects(term, RDFS.label)) + list(graph.objects(term, SKOS.prefLabel))
        assert labels, f"{term} has no label"
        assert graph.value(term, SKOS.definition) is not None, f"{term} has no definition"


def test_every_property_used_in_the_data_is_declared(dataset: Dataset) -> None:
    graph = ontology_graph()
    for predicate in set(dataset.predicates()):
        if str(predicate).startswith(str(DIP)):
            declared = set(graph.objects(predicate, RDF.type))
            assert declared & {OWL.ObjectProperty, OWL.DatatypeProperty}, predicate


def test_every_class_used_in_the_data_is_declared_and_aligned(dataset: Dataset) -> None:
    graph = ontology_graph()
    for cls in set(dataset.objects(None, RDF.type)):
        if str(cls).startswith(str(DIP)):
            assert (cls, RDF.type, OWL.Class) in graph, cls
            assert list(graph.objects(cls, RDFS.subClassOf)), f"{cls} is aligned to nothing"


def test_registry_types_are_ontology_classes() -> None:
    graph = ontology_graph()
    for name in ENTITY_TYPES:
        assert (DIP[name], RDF.type, OWL.Class) in graph, name


def test_cameo_codes_match_the_ontology() -> None:
    graph = ontology_graph()
    codes = {str(graph.value(c, SKOS.notation)) for c in graph.subjects(SKOS.inScheme,
                                                                         CAMEO.scheme)}
    assert codes == CAMEO_CODES


def test_shapes_target_every_class_of_the_data(dataset: Dataset) -> None:
    shapes = shapes_graph()
    targeted = set(shapes.objects(None, SH.targetClass))
    used = {c for c in dataset.objects(None, RDF.type) if str(c).startswith(str(DIP))}
    ontology = ontology_graph()
    for cls in used:
        ancestors = {cls} | set(ontology.transitive_objects(cls, RDFS.subClassOf))
        assert ancestors & targeted, f"no shape targets {cls} or a superclass"


def test_wheel_carries_the_ontology_schemas_and_queries(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(REPO)], check=True)
    (wheel,) = tmp_path.glob("diplomacy_kg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("kg/_ontology/diplomacy.ttl", "kg/_ontology/shapes.ttl",
                   "kg/curation/schemas/source.schema.json",
                   "kg/curation/schemas/entities.schema.json", "kg/sparql/queries/cq1.rq",
                   "kg/sparql/queries/cq14.rq", "kg/web/page.html", "kg/cli/__init__.py"):
        assert needed in names, needed
