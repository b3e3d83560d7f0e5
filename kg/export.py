"""Serialize a built dataset to the RDF formats.

Quad formats (``trig``, ``nquads``, ``jsonld``) keep one named graph per source;
triple formats (``turtle``, ``nt``, ``xml``) merge the graphs.

>>> from pathlib import Path
>>> from kg.project import compile_project
>>> data = serialize(compile_project(Path("data")).dataset, "nt")
>>> data.count(b"\\n") > 500
True
"""

from __future__ import annotations

import json

from rdflib import Dataset

from kg.errors import KGError
from kg.namespaces import PREFIXES
from kg.validate import merged

#: Format name -> (rdflib serializer, keeps named graphs, media type, file extension).
FORMATS: dict[str, tuple[str, bool, str, str]] = {
    "turtle": ("turtle", False, "text/turtle", "ttl"),
    "nt": ("nt", False, "application/n-triples", "nt"),
    "xml": ("xml", False, "application/rdf+xml", "rdf"),
    "trig": ("trig", True, "application/trig", "trig"),
    "nquads": ("nquads", True, "application/n-quads", "nq"),
    "jsonld": ("json-ld", True, "application/ld+json", "jsonld"),
}


def jsonld_context() -> dict[str, str]:
    """The JSON-LD context: the project prefixes."""
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in one of :data:`FORMATS`, as UTF-8 bytes."""
    if fmt not in FORMATS:
        raise KGError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    serializer, keeps_graphs, _media, _ext = FORMATS[fmt]
    if fmt == "jsonld":
        document = json.loads(dataset.serialize(format="json-ld", context=jsonld_context(),
                                                auto_compact=True))
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    source = dataset if keeps_graphs else merged(dataset)
    data = source.serialize(format=serializer, encoding="utf-8")
    if fmt == "nquads":  # rdflib writes the graphs in hash order; sort for stable diffs
        lines = sorted(line for line in data.decode("utf-8").splitlines() if line.strip())
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "nt":
        lines = sorted(line for line in data.decode("utf-8").splitlines() if line.strip())
        return ("\n".join(lines) + "\n").encode("utf-8")
    return data
