"""The output folder of `kg build`: damaged outputs are put right by a plain build, one build
at a time holds the folder's lock, and readers of the store see the old or the new one.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KGError
from kg.pipeline import build_project
from kg.store.files import LOCK_FILE, build_lock
from kg.store.oxigraph import MARKER_FILE, open_store, replace_store, write_new_store
from tests.conftest import DATA

REPO = Path(__file__).resolve().parents[2]
OUTPUTS = ["kg.oxigraph", "kg.trig", "kg.ttl", "manifest.json"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    out = tmp_path_factory.mktemp("reference") / "build"
    build_project(DATA, out, corpus, full=True)
    return out


def quads(out: Path) -> set[ox.Quad]:
    return set(ox.Store.read_only(str(out / "kg.oxigraph")).quads_for_pattern(None, None, None,
                                                                               None))


def build(out: Path, corpus: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["build", "--data", str(DATA), "--sources", str(corpus),
                                       "--out", str(out), *extra])
    return result.exit_code, result.stdout, result.stderr


def store_files(out: Path) -> list[Path]:
    return sorted((out / "kg.oxigraph").glob("*.sst"))


def write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def empty(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()


DAMAGES: dict[str, tuple[Callable[[Path], object], str]] = {
    "ttl deleted": (lambda out: os.remove(out / "kg.ttl"), "kg.ttl is missing"),
    "trig truncated": (lambda out: write(out / "kg.trig", (out / "kg.trig").read_bytes()[:999]),
                       "kg.trig holds 999 bytes, not the"),
    "trig deleted": (lambda out: os.remove(out / "kg.trig"), "kg.trig is missing"),
    "ttl edited, same size": (
        lambda out: write(out / "kg.ttl", (out / "kg.ttl").read_bytes().replace(b"Qin", b"Qni")),
        "kg.ttl does not hold what was written"),
    "manifest deleted": (lambda out: os.remove(out / "manifest.json"), ""),
    "manifest not JSON": (lambda out: write(out / "manifest.json", b"{not json"), ""),
    "manifest truncated": (
        lambda out: write(out / "manifest.json", (out / "manifest.json").read_bytes()[:40]), ""),
    "manifest from an older kg (no outputs)": (
        lambda out: write(out / "manifest.json", json.dumps(
            {k: v for k, v in json.loads((out / "manifest.json").read_text()).items()
             if k != "outputs"}).encode()),
        "manifest.json does not describe the outputs"),
    "store folder deleted": (lambda out: shutil.rmtree(out / "kg.oxigraph"),
                             "kg.oxigraph is missing"),
    "store folder emptied": (
        lambda out: empty(out / "kg.oxigraph"),
        "kg.oxigraph is not a complete store"),
    "store file truncated": (
        lambda out: write(store_files(out)[2], store_files(out)[2].read_bytes()[:10]),
        "kg.oxigraph does not open (Corruption"),
    "store file overwritten": (
        lambda out: write(store_files(out)[0], os.urandom(store_files(out)[0].stat().st_size)),
        "kg.oxigraph does not open (Corruption"),
    "store CURRENT garbage": (lambda out: write(out / "kg.oxigraph" / "CURRENT", b"garbage\n"),
                              "kg.oxigraph does not open"),
    "store of another build": (
        lambda out: write(out / "kg.oxigraph" / MARKER_FILE, b"another\n"),
        "kg.oxigraph is not the store the manifest describes"),
    "stray temp file": (lambda out: write(out / ".kg.trig.k1ll3d.tmp", b"@prefix half"),
                        "removed"),
    "stray new store": (
        lambda out: shutil.copytree(out / "kg.oxigraph", out / ".kg.oxigraph.new"), "removed"),
    "stray lock file": (lambda out: write(out / LOCK_FILE, b""), ""),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_plain_build_repairs_damaged_outputs(damage: str, reference: Path, corpus: Path,
                                               tmp_path: Path) -> None:
    out = tmp_path / "build"
    shutil.copytree(reference, out)
    harm, note = DAMAGES[damage]
    harm(out)
    code, stdout, stderr = build(out, corpus)
    assert code == 0, stdout + stderr
    assert note in stderr
    if note and note != "removed":
        assert stdout.startswith("Built 655 triples") and "(full build" in stdout
    for name in ("kg.trig", "kg.ttl"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    assert quads(out) == quads(reference)
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS
    code, stdout, _ = build(out, corpus)
    assert (code, stdout) == (0, "Up to date: 655 triples from 1 source(s); nothing changed "
                                 "since the last build.\n")


def test_the_manifest_records_what_each_output_holds(reference: Path) -> None:
    outputs = json.loads((reference / "manifest.json").read_text())["outputs"]
    for name in ("kg.trig", "kg.ttl"):
        data = (reference / name).read_bytes()
        assert outputs[name]["size"] == len(data)
        assert len(outputs[name]["sha256"]) == 64
    assert outputs["kg.oxigraph"]["quads"] == 655
    assert (reference / "kg.oxigraph" / MARKER_FILE).read_text().strip() == \
        outputs["kg.oxigraph"]["build"]


def test_a_plain_build_after_no_export_writes_the_exports(reference: Path, corpus: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert build(out, corpus, "--no-export")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["kg.oxigraph", "manifest.json"]
    code, stdout, _ = build(out, corpus)
    assert code == 0 and "Wrote" in stdout
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS
    assert quads(out) == quads(reference)
    assert build(out, corpus)[1].startswith("Up to date")
    assert build(out, corpus, "--no-export")[0] == 0  # and back: the exports go
    assert sorted(p.name for p in out.iterdir()) == ["kg.oxigraph", "manifest.json"]


# -- the lock ------------------------------------------------------------------------------

def test_no_wait_stops_with_one_line_while_another_build_holds_the_lock(
        corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    with build_lock(out):
        code, stdout, stderr = build(out, corpus, "--no-wait")
    assert code == 1 and stdout == ""
    assert stderr == (f"Error: another `kg build` is writing {out}: try again when it is "
                      "done, or leave out --no-wait to wait for it\n")
    assert not out.exists()  # nothing written, not even the folder


def test_a_second_build_waits_for_the_first(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    said: list[str] = []
    done: list[str] = []

    def second() -> None:
        result = build_project(DATA, out, corpus, on_wait=lambda: said.append("waiting"))
        done.append(result.mode)

    with build_lock(out):
        thread = threading.Thread(target=second)
        thread.start()
        deadline = time.monotonic() + 10
        while not said and time.monotonic() < deadline:
            time.sleep(0.01)
        assert said == ["waiting"] and done == []  # still waiting while the lock is held
    thread.join(timeout=60)
    assert done == ["full"]
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS  # the lock file is gone


def test_the_lock_is_one_at_a_time_even_as_its_file_comes_and_goes(tmp_path: Path) -> None:
    inside: list[int] = []
    overlaps: list[int] = []

    def worker() -> None:
        for _ in range(30):
            with build_lock(tmp_path):
                inside.append(1)
                if len(inside) > 1:
                    overlaps.append(len(inside))
                time.sleep(0.001)
                inside.pop()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert overlaps == []
    assert list(tmp_path.iterdir()) == []


# -- readers -------------------------------------------------------------------------------

def test_readers_see_the_old_store_or_the_new_one(tmp_path: Path) -> None:
    def nquads(count: int) -> bytes:
        return "".join(f"<http://x/s{i}> <http://x/p> <http://x/o> <http://x/g> .\n"
                       for i in range(count)).encode()

    target = tmp_path / "kg.oxigraph"
    write_new_store(target, nquads(10))
    counts: list[int] = []
    failures: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                counts.append(len(open_store(target)))
            except KGError as exc:
                failures.append(str(exc))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for round_ in range(40):
            fresh = tmp_path / ".kg.oxigraph.new"
            write_new_store(fresh, nquads(10 if round_ % 2 else 20))
            replace_store(fresh, target)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert failures == []
    assert set(counts) <= {10, 20} and len(counts) > 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.oxigraph"]


def test_a_damaged_store_is_one_error_line_for_readers(reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    shutil.copytree(reference, out)
    (out / "kg.oxigraph" / "CURRENT").write_text("garbage\n")
    result = CliRunner().invoke(main, ["query", "--graph", str(out / "kg.oxigraph"), "ASK {}"])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"Error: {out / 'kg.oxigraph'}: cannot open the store "
                                    "(Corruption")
    assert result.stderr.endswith("rebuild it with `kg build`\n")


# -- kills ---------------------------------------------------------------------------------

@pytest.mark.parametrize("delay", [0.6, 1.0, 1.4])
def test_a_killed_incremental_build_is_recovered_by_the_next(
        delay: float, data_copy: Path, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_project(data_copy, out, corpus)
    source = next((data_copy / "sources").glob("*.yaml"))
    text = source.read_text("utf-8")
    source.write_text(text.replace("Thanked China for supporting",
                                   "Thanked China for backing"), "utf-8")
    process = subprocess.Popen(
        [sys.executable, "-c", "from kg.cli import main; main()", "build", "--data",
         str(data_copy), "--sources", str(corpus), "--out", str(out), "--quiet"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    again = build_project(data_copy, out, corpus)
    assert again.mode in ("incremental", "full", "unchanged")
    clean = tmp_path / "clean"
    build_project(data_copy, clean, corpus, full=True)
    assert quads(out) == quads(clean)
    assert build_project(data_copy, out, corpus).mode == "unchanged"
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS
    assert "Thanked China for backing" in (out / "kg.trig").read_text("utf-8")
