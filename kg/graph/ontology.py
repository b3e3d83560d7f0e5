"""The packaged ontology and SHACL shapes, and what the builder derives from them.

Installed wheels carry the files as ``kg/_ontology/``; a source checkout reads the
repository's ``ontology/`` folder.

>>> ontology_path("diplomacy.ttl").name
'diplomacy.ttl'
>>> from kg.graph.namespaces import DIP, SCHEMA
>>> SCHEMA.Person in superclasses()[DIP.Person]
True
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from kg.errors import KGError
from kg.graph.namespaces import CAMEO, DIP

_PACKAGED = Path(__file__).parent.parent / "_ontology"
_CHECKOUT = Path(__file__).parent.parent.parent / "ontology"


def ontology_path(name: str) -> Path:
    """The path of a packaged ontology file (``diplomacy.ttl`` or ``shapes.ttl``)."""
    for folder in (_PACKAGED, _CHECKOUT):
        if (folder / name).is_file():
            return folder / name
    raise KGError(f"the ontology file {name} is missing from the installation: reinstall kg")


@cache
def _parsed(name: str) -> Graph:
    graph = Graph()
    graph.parse(ontology_path(name), format="turtle")
    return graph


def ontology_graph() -> Graph:
    """The OWL ontology (a fresh copy: callers may add to it)."""
    copy = Graph()
    for triple in _parsed("diplomacy.ttl"):
        copy.add(triple)
    return copy


def shapes_graph() -> Graph:
    """The SHACL shapes."""
    return _parsed("shapes.ttl")


@cache
def superclasses() -> dict[URIRef, frozenset[URIRef]]:
    """Each ontology class with all its superclasses (itself included), for type materialization."""
    graph = _parsed("diplomacy.ttl")
    direct: dict[URIRef, set[URIRef]] = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(sub, set()).add(sup)
    closure: dict[URIRef, frozenset[URIRef]] = {}
    for cls in direct:
        seen = {cls}
        todo = [cls]
        while todo:
            for sup in direct.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        closure[cls] = frozenset(seen)
    return closure


def most_specific(classes: Iterable[URIRef]) -> URIRef | None:
    """The most specific class of the ontology's namespace among ``classes`` (the first
    in IRI order when several are equally specific), None when there is none.

    >>> from kg.graph.namespaces import SCHEMA
    >>> most_specific([DIP.Event, DIP.Meeting, SCHEMA.Event]) == DIP.Meeting
    True
    """
    own = sorted({c for c in classes if str(c).startswith(str(DIP))}, key=str)
    closure = superclasses()
    specific = [c for c in own
                if not any(d != c and c in closure.get(d, frozenset({d})) for d in own)]
    chosen = specific or own
    return chosen[0] if chosen else None


def plover_mapping() -> dict[str, tuple[str, str | None]]:
    """Each CAMEO code of the ontology with the PLOVER event type it maps to and the mode
    or context it implies (``skos:closeMatch`` and ``skos:relatedMatch`` in the ontology).

    >>> plover_mapping()["042"], plover_mapping()["057"]
    (('CONSULT', 'visit'), ('SUPPORT', 'diplomatic'))
    >>> "01" in plover_mapping()  # making a statement is no PLOVER event
    False
    """
    from rdflib.namespace import SKOS

    graph = _parsed("diplomacy.ttl")
    found: dict[str, tuple[str, str | None]] = {}
    for concept, code in graph.subject_objects(SKOS.notation):
        if not str(concept).startswith(str(CAMEO)):
            continue
        kind = graph.value(concept, SKOS.closeMatch)
        if kind is None:
            continue
        extra = graph.value(concept, SKOS.relatedMatch)
        found[str(code)] = (str(graph.value(kind, SKOS.notation)),
                            str(graph.value(extra, SKOS.notation)) if extra is not None else None)
    return found
