"""The IRIs of the project: the ontology namespace, minted resources, and aligned vocabularies.

>>> str(DIP.Meeting)
'https://w3id.org/diplomacy-kg/ontology#Meeting'
>>> str(entity_iri("qin-gang"))
'https://w3id.org/diplomacy-kg/id/qin-gang'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD


class CachedNamespace(Namespace):
    """An rdflib Namespace that makes each ``NS.term`` once: rdflib builds a new URIRef at
    every attribute access (a third of the time of reading a million triples back into
    facts went there); the term is kept in the instance, so later accesses are plain
    attribute lookups.

    >>> ns = CachedNamespace("https://example.org/#")
    >>> ns.Meeting is ns.Meeting, ns.Meeting == Namespace("https://example.org/#").Meeting
    (True, True)
    """

    def __getattr__(self, name: str) -> URIRef:
        term: URIRef = super().__getattr__(name)
        self.__dict__[name] = term
        return term


BASE = "https://w3id.org/diplomacy-kg/"
DIP = CachedNamespace(BASE + "ontology#")
ID = CachedNamespace(BASE + "id/")
GRAPH = CachedNamespace(BASE + "graph/")
CAMEO = CachedNamespace(BASE + "cameo/")
PLOVER = CachedNamespace(BASE + "plover/")

ORG = CachedNamespace("http://www.w3.org/ns/org#")
SCHEMA = CachedNamespace("https://schema.org/")
SEM = CachedNamespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = CachedNamespace("http://www.w3.org/ns/oa#")
WD = CachedNamespace("http://www.wikidata.org/entity/")

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
