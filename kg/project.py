"""The whole pipeline of ``kg build``: read, build, validate, write.

Nothing is written unless every step succeeds; the two output files are then replaced
together (see :func:`kg.store.write_atomically`).

>>> from pathlib import Path
>>> result = compile_project(Path("data"))
>>> result.report.conforms, result.triples > 500
(True, True)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from kg.build import BuiltGraph, build_graph
from kg.curation import load_curation
from kg.errors import CurationError, CurationErrors, ValidationError
from kg.model import Curation, Where
from kg.store import TRIG_FILE, TURTLE_FILE, write_atomically
from kg.validate import Report, focus_iri, merged, validate

DEFAULT_DATA_DIR = Path("data")
SOURCES_ENV = "KG_SOURCES"


def default_corpus_dir() -> Path | None:
    """The folder of source texts: ``$KG_SOURCES``, else ``../shared/corpus`` when present."""
    configured = os.environ.get(SOURCES_ENV)
    if configured:
        return Path(configured)
    candidate = Path("..") / "shared" / "corpus"
    return candidate if candidate.is_dir() else None


@dataclass
class Compiled:
    """A built and validated project."""

    curation: Curation
    built: BuiltGraph
    report: Report

    @property
    def dataset(self) -> Dataset:
        """The built dataset."""
        return self.built.dataset

    @property
    def triples(self) -> int:
        """Triples over all named graphs."""
        return len(self.built.dataset)


def compile_project(data_dir: Path, corpus_dir: Path | None = None) -> Compiled:
    """Read, build and validate; raise CurationErrors when the data does not conform.

    SHACL violations are reported against the curation line the offending node came
    from, so the analyst fixes the file, not the graph.
    """
    curation = load_curation(data_dir, corpus_dir)
    built = build_graph(curation)
    report = validate(built.dataset)
    if not report.conforms:
        errors = []
        for violation in report.violations:
            node = focus_iri(violation)
            where = built.origins.get(node) if node is not None else None
            where = where or Where(str(data_dir), 1)
            errors.append(CurationError(f"SHACL: {violation.describe()}", file=where.file,
                                        line=where.line))
        raise CurationErrors(errors)
    return Compiled(curation, built, report)


def write_outputs(compiled: Compiled, out_dir: Path) -> list[Path]:
    """Write ``kg.trig`` and ``kg.ttl`` into ``out_dir`` atomically; return their paths."""
    trig = compiled.dataset.serialize(format="trig", encoding="utf-8")
    turtle = merged(compiled.dataset).serialize(format="turtle", encoding="utf-8")
    targets = {out_dir / TRIG_FILE: trig, out_dir / TURTLE_FILE: turtle}
    write_atomically(targets)
    return list(targets)


def ensure_valid(report: Report) -> None:
    """Raise ValidationError with the readable report when a graph does not conform."""
    if not report.conforms:
        raise ValidationError(report.text())
