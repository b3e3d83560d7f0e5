"""Check a built dataset against the SHACL shapes (pySHACL) and report in plain words.

The named graphs are merged before validation: the shapes follow links from a source's
facts to the registry's entities, which live in another graph. Entity types are
materialized by the builder, so no inference is needed.

>>> from pathlib import Path
>>> from kg.curation import load_curation
>>> from kg.build import build_graph
>>> validate(build_graph(load_curation(Path("data"))).dataset).conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.namespaces import PREFIXES
from kg.ontology import shapes_graph


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node, the shape, the property path and what is wrong."""

    focus: str
    shape: str
    path: str | None
    value: str | None
    message: str
    severity: str

    def describe(self) -> str:
        """One readable line."""
        where = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{self.focus}{where}: {self.message}{value} [shape {self.shape}]"


@dataclass(frozen=True)
class Report:
    """The outcome of a validation."""

    conforms: bool
    violations: tuple[Violation, ...]

    def text(self) -> str:
        """A readable report: a summary line, then one line per violation."""
        if self.conforms:
            return "Conforms: the graph satisfies every shape."
        lines = [f"Does not conform: {len(self.violations)} violation(s)."]
        lines.extend(f"- {v.describe()}" for v in self.violations)
        return "\n".join(lines)


def merged(dataset: Dataset) -> Graph:
    """All named graphs of a dataset in one graph."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for quad in dataset.quads((None, None, None, None)):
        graph.add(quad[:3])
    return graph


def _short(graph: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except ValueError:
            return f"<{node}>"
    return str(node)


def validate(dataset: Dataset) -> Report:
    """Validate a dataset against the packaged shapes."""
    from pyshacl import validate as shacl_validate  # heavy import, only when validating

    data = merged(dataset)
    shapes = shapes_graph()
    conforms, results, _text = shacl_validate(
        data, shacl_graph=shapes, inference="none",
        advanced=True, allow_warnings=True)
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        path = results.value(result, SH.resultPath)
        if not isinstance(shape, URIRef):  # a property shape: name the node shape holding it
            shape = shapes.value(None, SH.property, shape) or shape
        shape_name = _short(shapes, shape) if isinstance(shape, URIRef) else _short(
            data, results.value(result, SH.sourceConstraintComponent))
        violations.append(Violation(
            focus=_short(data, focus) or "?",
            shape=shape_name or "?",
            path=_short(data, path),
            value=_short(data, results.value(result, SH.value)),
            message=str(results.value(result, SH.resultMessage) or "violates the shape"),
            severity=_short(data, results.value(result, SH.resultSeverity)) or "sh:Violation",
        ))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return Report(conforms=bool(conforms), violations=tuple(violations))


def focus_iri(violation: Violation) -> URIRef | None:
    """The focus node of a violation as an IRI, when it is one."""
    text = violation.focus
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    prefix, _, local = text.partition(":")
    if prefix in PREFIXES:
        return URIRef(str(PREFIXES[prefix]) + local)
    return None
