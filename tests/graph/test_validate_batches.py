"""SHACL in batches of source graphs (each with the registry entries it reaches), in this
process or in worker processes, gives the verdict of validating the whole graph at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

import kg.graph.validate as validation
from kg.curation.reader import load_curation
from kg.graph.build import build_graph
from kg.graph.namespaces import REGISTRY_GRAPH, SCHEMA
from kg.graph.validate import Report, validate, validate_serialized
from kg.store.parts import serialize_graphs
from kg.synth import generate
from tests.graph.test_validate_engines import BREAKS, fresh


def _graphs(ds: Dataset) -> dict[URIRef, list[tuple[object, object, object]]]:
    graphs: dict[URIRef, list[tuple[object, object, object]]] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        graphs.setdefault(URIRef(str(g)), []).append((s, p, o))
    return graphs


def _in_batches(ds: Dataset, batch_triples: int, workers: int | None = None) -> Report:
    made = dict(serialize_graphs(_graphs(ds), exports=False))
    registry = made.pop(REGISTRY_GRAPH)
    return validate_serialized(registry.ntriples, [part.ntriples for part in made.values()],
                               batch_triples=batch_triples, workers=workers)


def _verdict(report: Report) -> tuple[bool, set[tuple[str, str | None, str]]]:
    return report.conforms, {(v.focus, v.path, v.component) for v in report.violations}


@pytest.mark.parametrize("name", list(BREAKS))
def test_batches_give_the_verdict_of_the_whole_graph(name: str) -> None:
    ds = fresh()
    BREAKS[name](ds)
    assert _verdict(_in_batches(ds, batch_triples=10)) == _verdict(validate(ds))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(12, seed=4, out=out)
    return out / "data"


@pytest.mark.parametrize("broken", [False, True])
def test_worker_processes_give_the_verdict_of_one_process(
        synthetic: Path, broken: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    ds = build_graph(load_curation(synthetic)).dataset
    if broken:  # one article of the middle batch loses its headline
        article = sorted({str(s) for s, _, _ in ds.triples((None, SCHEMA.headline, None))})[5]
        ds.remove((URIRef(article), SCHEMA.headline, None, None))  # type: ignore[arg-type]
    alone = _in_batches(ds, batch_triples=1_000, workers=1)
    monkeypatch.setattr(validation, "IN_PROCESS_TRIPLES", 0)  # workers even for a small graph
    assert _verdict(_in_batches(ds, batch_triples=1_000, workers=2)) == _verdict(alone)
    assert _verdict(alone) == _verdict(validate(ds))
    assert alone.conforms is not broken


UNGUARDED = """\
import kg.graph.validate as validation
validation.IN_PROCESS_TRIPLES = 0
with open({runs!r}, "a", encoding="utf-8") as runs:
    runs.write("run\\n")
TRIPLE = b"<http://example.org/a> <http://example.org/p> <http://example.org/b> .\\n"
report = validation.validate_serialized(TRIPLE, [TRIPLE, TRIPLE], batch_triples=1, workers=2)
print("conforms", report.conforms)
"""


def test_a_script_without_a_main_guard_is_not_run_again_by_the_workers(tmp_path: Path) -> None:
    """A "spawn" worker runs the caller's script again unless it is hidden; a build at
    the top of a script would then build again in each worker (and wait for its lock)."""
    import subprocess
    import sys

    runs = tmp_path / "runs.txt"
    script = tmp_path / "build_at_top_level.py"
    script.write_text(UNGUARDED.format(runs=str(runs)), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert (done.returncode, done.stdout) == (0, "conforms True\n"), done.stderr
    assert runs.read_text(encoding="utf-8") == "run\n"
