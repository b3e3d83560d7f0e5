"""Whether a reported event happened or was only planned when the source was published.

A source that announces a trip ("will visit on May 18") states a planned event; a later
source may report that it happened. Each report keeps its own status, and queries about
what happened leave the planned ones out.

>>> STATUSES["planned"] == DIP.planned
True
>>> status_of(DIP.happened)
'happened'
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.term import Node

from kg.graph.namespaces import DIP

__all__ = ["STATUSES", "status_of"]

#: Statuses as curated, with their concept of the ontology's dip:EventStatuses scheme.
STATUSES: dict[str, URIRef] = {"happened": DIP.happened, "planned": DIP.planned}
_BY_CONCEPT = {concept: name for name, concept in STATUSES.items()}


def status_of(concept: Node | None) -> str:
    """The curated name of a status concept; ``happened`` when none is given."""
    return _BY_CONCEPT.get(concept, "happened") if isinstance(concept, URIRef) else "happened"
