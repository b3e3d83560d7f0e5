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
    from kg.oxigraph_store import inner_store

    store = inner_store(dataset)
    if store is not None and fmt != "jsonld":  # Oxigraph's serializers: many times faster
        import pyoxigraph as ox

        from kg.oxigraph_store import dump

        ox_format = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                     "xml": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG,
                     "nquads": ox.RdfFormat.N_QUADS}[fmt]
        data = dump(store, ox_format, merged=not keeps_graphs)
    elif fmt == "jsonld":
        document = json.loads(dataset.serialize(format="json-ld", context=jsonld_context(),
                                                auto_compact=True))
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        source = dataset if keeps_graphs else merged(dataset)
        data = source.serialize(format=serializer, encoding="utf-8")
    if fmt in ("nquads", "nt"):  # line formats: sorted, for stable diffs
        lines = sorted(line for line in data.decode("utf-8").splitlines() if line.strip())
        return ("\n".join(lines) + "\n").encode("utf-8")
    return data
