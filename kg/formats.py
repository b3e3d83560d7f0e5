"""Names of the output formats, kept free of heavy imports so the CLI starts fast.

>>> "tsv" in SOLUTION_FORMATS and "jsonld" in GRAPH_FORMATS
True
"""

from __future__ import annotations

#: Formats for SELECT results (ASK: only ``table``, ``json`` and ``xml``).
SOLUTION_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "xml")
#: Formats for CONSTRUCT and DESCRIBE results.
GRAPH_FORMATS: tuple[str, ...] = ("turtle", "nt", "jsonld")
#: RDF formats of `kg export`.
RDF_EXPORT_FORMATS: tuple[str, ...] = ("turtle", "nt", "trig", "nquads", "jsonld", "xml")
#: Every format of `kg export`: the RDF ones, and event records in PLOVER's JSON lines.
EXPORT_FORMATS: tuple[str, ...] = (*RDF_EXPORT_FORMATS, "plover")
