"""Two `kg build` of one output folder at once, with queries running meanwhile.

Each build holds the folder's lock: the second waits for the first (saying so on stderr),
or, with --no-wait, stops with one line. Readers open the store the builds swap in whole
and see the old graph or the new one: every query answers, or gives one clean `Error:`
line, never a traceback. In the end the folder equals a clean build of the same data.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.pipeline import build_project
from kg.synth import generate

REPO = Path(__file__).resolve().parents[2]
ARTICLES, SEED = 15, 5
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def kg(*args: str) -> list[str]:
    return [sys.executable, "-c", "from kg.cli import main; main()", *args]


def start_build(data: Path, corpus: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(kg("build", "--data", str(data), "--sources", str(corpus),
                               "--out", str(out), "--quiet", *extra),
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def quads(out: Path) -> set[ox.Quad]:
    return set(ox.Store.read_only(str(out / "kg.oxigraph")).quads_for_pattern(None, None, None,
                                                                               None))


class Queries(threading.Thread):
    """`kg query` on the store, one after another, until stopped."""

    def __init__(self, out: Path) -> None:
        super().__init__(daemon=True)
        self.out = out
        self.stopped = threading.Event()
        self.answers: list[tuple[int, str, str]] = []

    def run(self) -> None:
        while not self.stopped.is_set():
            done = subprocess.run(kg("query", "--graph", str(self.out / "kg.oxigraph"),
                                     "--format", "tsv", COUNT),
                                  cwd=REPO, capture_output=True, text=True, timeout=60)
            self.answers.append((done.returncode, done.stdout, done.stderr))
            time.sleep(0.25)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("concurrent")
    generate(ARTICLES, SEED, folder)
    return folder


def test_two_builds_at_once_and_queries_meanwhile(synthetic: Path, tmp_path: Path) -> None:
    data, corpus = tmp_path / "data", synthetic / "corpus"
    subprocess.run(["cp", "-r", str(synthetic / "data"), str(data)], check=True)
    out = tmp_path / "out"
    build_project(data, out, corpus)  # something to query from the start
    queries = Queries(out)
    queries.start()
    waited = 0
    stopped_at_once = 0
    try:
        sources = sorted((data / "sources").glob("*.yaml"))
        rounds = [("--full",), ("remove",), ("--full",), ("--full", "--no-wait")]
        for extra in rounds:
            args: tuple[str, ...] = extra
            if extra == ("remove",):  # both builds incremental: the first drops a graph
                sources.pop().unlink()
                args = ()
            first = start_build(data, corpus, out, *(a for a in args if a != "--no-wait"))
            time.sleep(0.3)
            second = start_build(data, corpus, out, *args)
            results = [(p.wait(timeout=120), *p.communicate()) for p in (first, second)]
            for _code, stdout, stderr in results:
                assert "Traceback" not in stderr + stdout
            assert results[0][0] == 0, results[0]
            code, stdout, stderr = results[1]
            if "--no-wait" in args and code == 1:
                stopped_at_once += 1
                assert stderr.startswith("Error: another `kg build` is writing "), stderr
                assert len(stderr.splitlines()) == 1 and stdout == ""
            else:
                assert code == 0, results[1]
                waited += "Waiting for another `kg build` to finish writing" in stderr
    finally:
        queries.stopped.set()
        queries.join(timeout=60)
    assert waited >= 2  # the builds overlapped: the second waited for the first
    assert stopped_at_once == 1

    answered = 0
    for code, stdout, stderr in queries.answers:
        assert "Traceback" not in stderr, stderr
        if code == 0:
            answered += 1
            assert stdout.startswith("?n\n") and int(stdout.split("\n")[1]) > 1000, stdout
        else:
            assert code == 1 and len(stderr.splitlines()) == 1, stderr
            assert stderr.startswith("Error: "), stderr
    assert answered >= 5 and answered == len(queries.answers), queries.answers

    clean = tmp_path / "clean"
    build_project(data, clean, corpus, full=True)
    assert quads(out) == quads(clean)
    for name in ("kg.trig", "kg.ttl"):  # the last build was a full one
        assert (out / name).read_bytes() == (clean / name).read_bytes()
    again = subprocess.run(kg("build", "--data", str(data), "--sources", str(corpus), "--out",
                              str(out)), cwd=REPO, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and again.stdout.startswith("Up to date: "), again
    assert sorted(p.name for p in out.iterdir()) == [
        "kg.oxigraph", "kg.trig", "kg.ttl", "manifest.json"]
