"""The IRIs of the project: the ontology namespace, minted resources, and aligned vocabularies.

>>> str(DIP.Meeting)
'https://w3id.org/diplomacy-kg/ontology#Meeting'
>>> str(entity_iri("qin-gang"))
'https://w3id.org/diplomacy-kg/id/qin-gang'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/diplomacy-kg/"
DIP = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
CAMEO = Namespace(BASE + "cameo/")
PLOVER = Namespace(BASE + "plover/")

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")

#: Prefixes bound in every output and predeclared in every query.
PREFIXES: dict[str, Namespace] = {
    "dip": DIP,
    "id": ID,
    "graph": GRAPH,
    "cameo": CAMEO,
    "plover": PLOVER,
    "org": ORG,
    "schema": SCHEMA,
    "sem": SEM,
    "prov": Namespace(str(PROV)),
    "oa": OA,
    "skos": Namespace(str(SKOS)),
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "foaf": Namespace(str(FOAF)),
    "dcterms": Namespace(str(DCTERMS)),
    "wd": WD,
}

#: Named graph holding the entity registry (labels, types, identity links).
REGISTRY_GRAPH = GRAPH["registry"]


def entity_iri(entity_id: str) -> URIRef:
    """The IRI of a registry entity."""
    return ID[entity_id]


def source_iri(source_id: str) -> URIRef:
    """The IRI of a source document."""
    return ID[f"source/{source_id}"]


def source_graph(source_id: str) -> URIRef:
    """The named graph holding what one source states."""
    return GRAPH[source_id]


def fact_iri(source_id: str, fact_id: str) -> URIRef:
    """The IRI of a curated fact, stable across builds."""
    return ID[f"fact/{source_id}/{fact_id}"]


def evidence_iri(source_id: str, locator: str) -> URIRef:
    """The IRI of a piece of evidence (a located passage of a source)."""
    return ID[f"evidence/{source_id}/{locator}"]


def sparql_prologue() -> str:
    """PREFIX lines for every bound prefix, prepended to user queries.

    >>> "PREFIX dip: <https://w3id.org/diplomacy-kg/ontology#>" in sparql_prologue()
    True
    """
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
