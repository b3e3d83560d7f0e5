"""Check a built graph against the SHACL shapes, and report in plain words.

Two engines give the same verdicts for our shapes (a test holds them to it):

- ``rudof`` (pyrudof, written in Rust): the default, chosen by measurement: 0.9 s
  against pySHACL's 4.0 s on a 49,000-triple synthetic corpus (see README, "What is
  measured");
- ``pyshacl``: the reference implementation, in Python.

The named graphs are merged before validation: the shapes follow links from a source's
facts to the registry's entities, which live in another graph. Entity types are
materialized by the builder, so no inference is needed.

>>> from pathlib import Path
>>> from kg.curation.reader import load_curation
>>> from kg.graph.build import build_graph
>>> validate(build_graph(load_curation(Path("data"))).dataset).conforms
True
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import KGError
from kg.graph.namespaces import PREFIXES
from kg.graph.ontology import ontology_path, shapes_graph

ENGINES = ("rudof", "pyshacl")
#: Triples of source graphs per SHACL batch (plus the registry entries they reach): at a
#: million triples, batches of 10,000 and 20,000 took about the same time, 40,000 some 10%
#: more (pyrudof slows down faster than a batch grows), and a worker holds 0.3 GB at
#: 10,000, 0.45 GB at 40,000.
BATCH_TRIPLES = 10_000
#: Graphs up to this many triples are validated in the build's process (starting worker
#: processes takes longer than validating them).
IN_PROCESS_TRIPLES = 80_000
ENGINE_ENV = "KG_SHACL_ENGINE"

#: What each constraint component means, for results that carry no message.
COMPONENT_MESSAGES = {
    "MinCountConstraintComponent": "a required value is missing (fewer values than sh:minCount)",
    "MaxCountConstraintComponent": "too many values (more than sh:maxCount)",
    "ClassConstraintComponent": "a value is not of the required class",
    "DatatypeConstraintComponent": "a value has the wrong datatype",
    "NodeKindConstraintComponent": "a value is of the wrong kind (IRI or literal)",
    "PatternConstraintComponent": "a value does not match the required pattern",
    "InConstraintComponent": "a value is not one of the allowed values",
    "EqualsConstraintComponent": "the values differ from those of the property it must equal",
    "MinInclusiveConstraintComponent": "a value is below the minimum",
    "LanguageInConstraintComponent": "a label has a language that is not allowed",
    "UniqueLangConstraintComponent": "two values share a language",
    "MaxLengthConstraintComponent": "a value is too long",
    "XoneConstraintComponent": "the node must match exactly one of the alternatives",
    "OrConstraintComponent": "a value matches none of the alternatives",
    "NodeConstraintComponent": "a value does not conform to the required shape",
}


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node, the shape, the property path and what is wrong."""

    focus: str
    shape: str
    path: str | None
    value: str | None
    message: str
    severity: str
    component: str = ""

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
    engine: str = ""

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


def default_engine() -> str:
    """``$KG_SHACL_ENGINE`` if set, else rudof when installed, else pyshacl."""
    chosen = os.environ.get(ENGINE_ENV)
    if chosen:
        if chosen not in ENGINES:
            raise KGError(f"{ENGINE_ENV}={chosen!r}: use one of {', '.join(ENGINES)}")
        return chosen
    try:
        import pyrudof  # noqa: F401
    except ImportError:
        return "pyshacl"
    return "rudof"


def _short(graph: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except ValueError:
            return f"<{node}>"
    return str(node)


def _path_text(graph: Graph, names: Graph, path: Node | None) -> str | None:
    """A property path as text: ``dip:evidence`` or ``dip:evidence/oa:hasSource``."""
    if path is None:
        return None
    if isinstance(path, BNode) and graph.value(path, RDF.first) is not None:
        steps = []
        node: Node | None = path
        while node is not None and node != RDF.nil:
            steps.append(_short(names, graph.value(node, RDF.first)) or "?")
            node = graph.value(node, RDF.rest)
        return "/".join(steps)
    return _short(names, path)


def _property_shapes(shapes: Graph) -> dict[str, list[tuple[URIRef, Node]]]:
    """Path text -> (node shape, property shape) pairs with that path."""
    found: dict[str, list[tuple[URIRef, Node]]] = {}
    for node_shape, prop in shapes.subject_objects(SH.property):
        if isinstance(node_shape, URIRef):
            path = _path_text(shapes, shapes, shapes.value(prop, SH.path)) or ""
            found.setdefault(path, []).append((node_shape, prop))
    return found


#: Constraint components whose failures rudof reports from the inside too.
_COMPOSITE = frozenset(SH[name] for name in ("OrConstraintComponent", "AndConstraintComponent",
                                             "XoneConstraintComponent", "NotConstraintComponent",
                                             "NodeConstraintComponent"))


def _violations(results: Graph, names: Graph, shapes: Graph,
                types_of: Callable[[URIRef], set[URIRef]]) -> list[Violation]:
    by_path = _property_shapes(shapes)
    # rudof also reports what failed inside sh:node, sh:or, sh:and, sh:not and sh:xone,
    # with the outer result's value as focus; the SHACL report (and pySHACL) gives only
    # the outer result
    inner_foci = {results.value(result, SH.value)
                  for result in results.subjects(RDF.type, SH.ValidationResult)
                  if results.value(result, SH.sourceConstraintComponent) in _COMPOSITE}
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        path = _path_text(results, names, results.value(result, SH.resultPath))
        if isinstance(focus, Literal) or (path is not None and path not in by_path):
            continue  # inside a composite constraint (see above)
        if path is None and focus in inner_foci and results.value(
                result, SH.sourceConstraintComponent) not in _COMPOSITE:
            continue
        component = str(results.value(result, SH.sourceConstraintComponent) or "").rsplit(
            "#", 1)[-1]
        message = results.value(result, SH.resultMessage)
        if isinstance(shape, BNode) and shapes.value(None, SH.property, shape) is not None:
            shape = shapes.value(None, SH.property, shape)  # pySHACL shares our bnodes
        elif isinstance(shape, BNode) and path is not None:  # rudof: find it by its path
            candidates = by_path.get(path, [])
            focus_types = types_of(focus) if isinstance(focus, URIRef) else set()
            targeted = [pair for pair in candidates
                        if set(shapes.objects(pair[0], SH.targetClass)) & focus_types]
            if targeted or candidates:
                shape, prop = (targeted or candidates)[0]
                message = message or shapes.value(prop, SH.message)
        violations.append(Violation(
            focus=_short(names, focus) or "?",
            shape=(_short(shapes, shape) if isinstance(shape, URIRef) else None) or component,
            path=path,
            value=_short(names, results.value(result, SH.value)),
            message=str(message) if message is not None else COMPONENT_MESSAGES.get(
                component, f"violates {component}"),
            severity=_short(names, results.value(result, SH.resultSeverity)) or "sh:Violation",
            component=component,
        ))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.component, v.message))
    return violations


def _names() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def validate_ntriples(ntriples: bytes, *, engine: str | None = None,
                      types_of: Callable[[URIRef], set[URIRef]] | None = None) -> Report:
    """Validate a graph given as N-Triples (the fast path for large graphs)."""
    chosen = engine or default_engine()
    if chosen == "pyshacl":
        data = _names()
        data.parse(data=ntriples, format="nt")
        return _pyshacl(data)
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    try:
        rudof.read_data(ntriples.decode("utf-8"), format=pyrudof.RDFFormat.NTriples,
                        reader_mode=pyrudof.ReaderMode.Strict)
        rudof.read_shacl(str(ontology_path("shapes.ttl")),
                         reader_mode=pyrudof.ReaderMode.Strict)
        outcome = rudof.validate_shacl()
    except Exception as exc:  # pyrudof raises its own error classes
        raise KGError(f"SHACL validation failed: {' '.join(str(exc).split())}") from None
    if outcome.conforms:
        return Report(True, (), "rudof")
    results = Graph()
    results.parse(data=rudof.serialize_shacl_validation_results(
        format=pyrudof.ResultShaclValidationFormat.Turtle), format="turtle")
    if types_of is None:
        data = _names()
        data.parse(data=ntriples, format="nt")
        types_of = _types_in(data)
    violations = _violations(results, _names(), shapes_graph(), types_of)
    return Report(False, tuple(violations), "rudof")


def _types_in(data: Graph) -> Callable[[URIRef], set[URIRef]]:
    def types_of(node: URIRef) -> set[URIRef]:
        return {t for t in data.objects(node, RDF.type) if isinstance(t, URIRef)}
    return types_of


def _pyshacl(data: Graph) -> Report:
    from pyshacl import validate as shacl_validate  # heavy import, only when validating

    conforms, results, _text = shacl_validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=True,
        allow_warnings=True)
    violations = _violations(results, data, shapes_graph(), _types_in(data))
    return Report(bool(conforms), tuple(violations), "pyshacl")


def validate(dataset: Dataset, *, engine: str | None = None) -> Report:
    """Validate an rdflib dataset (all its named graphs together) against the shapes."""
    chosen = engine or default_engine()
    data = merged(dataset)
    if chosen == "pyshacl":
        return _pyshacl(data)
    return validate_ntriples(data.serialize(format="nt", encoding="utf-8"), engine=chosen,
                             types_of=_types_in(data))


def _validate_batch(ntriples: bytes, engine: str | None) -> Report:
    return validate_ntriples(ntriples, engine=engine)


_IRI = re.compile(rb"<([^>]*)>")


def _by_subject(ntriples: bytes) -> dict[bytes, list[bytes]]:
    """N-Triples lines grouped by their subject IRI."""
    grouped: dict[bytes, list[bytes]] = {}
    for line in ntriples.splitlines():
        if line.startswith(b"<"):
            grouped.setdefault(line[1:line.index(b">")], []).append(line)
    return grouped


def _closure(lines: dict[bytes, list[bytes]], seeds: set[bytes], hops: int) -> list[bytes]:
    """The lines describing the seeds, and the entities they point at, ``hops`` deep."""
    chosen: set[bytes] = set()
    frontier = {seed for seed in seeds if seed in lines}
    for _ in range(hops + 1):
        chosen |= frontier
        found: set[bytes] = set()
        for subject in frontier:
            for line in lines[subject]:
                found.update(m for m in _IRI.findall(line) if m in lines)
        frontier = found - chosen
    return [line for subject in sorted(chosen) for line in lines[subject]]


def validate_graphs(store: Any, shared: URIRef, graphs: list[URIRef], *,
                    engine: str | None = None, batch_triples: int = BATCH_TRIPLES,
                    workers: int | None = None, check_shared: bool = True) -> Report:
    """Validate the named graphs of an Oxigraph store in batches, in worker processes
    (:func:`validate_serialized` with each graph's N-Triples dumped from the store)."""
    import pyoxigraph as ox

    def ntriples(name: URIRef) -> bytes:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(name)))
        assert data is not None
        return bytes(data)

    return validate_serialized(ntriples(shared), (ntriples(name) for name in graphs),
                               engine=engine, batch_triples=batch_triples, workers=workers,
                               check_shared=check_shared)


def validate_serialized(shared: bytes, graphs: Iterable[bytes], *,
                        engine: str | None = None, batch_triples: int = BATCH_TRIPLES,
                        workers: int | None = None, check_shared: bool = True) -> Report:
    """Validate named graphs given as N-Triples, in batches, in worker processes
    (:class:`Validation`)."""
    with Validation(shared, engine=engine, batch_triples=batch_triples, workers=workers,
                    check_shared=check_shared) as validation:
        for data in graphs:
            validation.add(data)
        return validation.report()


class Validation:
    """SHACL over named graphs given one at a time as N-Triples, in batches validated in
    worker processes as soon as they are full (a build goes on meanwhile).

    ``shared`` (the registry) is validated once on its own (unless ``check_shared`` is
    false: an incremental build's registry is the one the last build validated); each
    batch of source graphs is validated with the registry entries it refers to (and
    theirs, three links deep). This is exact for our shapes, which never look across two
    sources (see ontology/shapes.ttl), and it keeps the cost linear: the validators slow
    down faster than the graph grows (pyrudof: 0.9 s for 49k triples, 54 s and 7 GB for
    818k in one piece). Graphs of up to :data:`IN_PROCESS_TRIPLES` triples are validated
    in this process (not worth starting processes); more start the workers. Use it as a
    context: on leaving, the workers stop.
    """

    def __init__(self, shared: bytes, *, engine: str | None = None,
                 batch_triples: int = BATCH_TRIPLES, workers: int | None = None,
                 check_shared: bool = True):
        self._lines = _by_subject(shared)
        self._engine = engine
        self._batch_triples = batch_triples
        self._workers = workers
        self._held: list[bytes] = [shared] if check_shared else []
        self._held_triples = shared.count(b"\n") if check_shared else 0
        self._current: list[bytes] = []
        self._size = 0
        self._pool: Any = None
        self._pending: list[Any] = []
        self._reports: list[Report] = []

    def __enter__(self) -> Validation:
        return self

    def __exit__(self, kind: object, value: object, trace: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def add(self, ntriples: bytes) -> None:
        """One more graph."""
        self._current.append(ntriples)
        self._size += ntriples.count(b"\n")
        if self._size >= self._batch_triples:
            self._close_batch()

    def _close_batch(self) -> None:
        body = b"".join(self._current)
        self._current, self._size = [], 0
        head = _closure(self._lines, set(_IRI.findall(body)), hops=3)
        self._held.append(b"\n".join(head) + b"\n" + body)
        self._held_triples += body.count(b"\n")
        if self._workers == 1:
            self._reports.extend(_validate_batch(batch, self._engine) for batch in self._held)
            self._held = []
        elif self._held_triples > IN_PROCESS_TRIPLES or self._pool is not None:
            self._send()

    def _send(self) -> None:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # "spawn", never "fork": the Rust libraries keep thread pools, and a forked
            # child can inherit a lock held by one of those threads and wait for ever
            context = multiprocessing.get_context("spawn")
            self._processes = self._workers or os.cpu_count() or 1
            self._pool = ProcessPoolExecutor(max_workers=self._processes, mp_context=context)
        for batch in self._held:
            with _script_not_rerun():   # the pool starts its workers as work comes
                self._pending.append(self._pool.submit(_validate_batch, batch, self._engine))
        self._held = []
        while len(self._pending) > 4 * self._processes:  # a few batches in memory at a time
            self._reports.append(self._pending.pop(0).result())

    def report(self) -> Report:
        """Wait for every batch; the verdict over all of them."""
        if self._current:
            self._close_batch()
        if self._pool is None:
            self._reports.extend(_validate_batch(batch, self._engine) for batch in self._held)
            self._held = []
        else:
            self._send()
            self._reports.extend(future.result() for future in self._pending)
            self._pending = []
        reports = self._reports
        violations = sorted({v for report in reports for v in report.violations},
                            key=lambda v: (v.focus, v.path or "", v.component, v.message))
        return Report(all(r.conforms for r in reports), tuple(violations),
                      reports[0].engine if reports else "")


@contextmanager
def _script_not_rerun() -> Iterator[None]:
    """While worker processes start: a "spawn" worker runs the caller's script again
    (as ``__mp_main__``) before it takes work, unless the script guards its top level with
    ``if __name__ == "__main__":``; a script that builds at its top level would build again
    in each worker (and wait there for ever for the build folder's lock). The workers need
    nothing of the script (they validate N-Triples with this module), so the script's
    name is hidden from :mod:`multiprocessing` while they start.
    """
    main = sys.modules["__main__"]
    saved: dict[str, Any] = {name: main.__dict__[name] for name in ("__file__", "__spec__")
             if name in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def focus_iri(violation: Violation) -> URIRef | None:
    """The focus node of a violation as an IRI, when it is one."""
    text = violation.focus
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    prefix, _, local = text.partition(":")
    if prefix in PREFIXES:
        return URIRef(str(PREFIXES[prefix]) + local)
    return None
