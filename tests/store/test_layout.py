"""The build folder: BuildFolder names what `kg build` writes, open_built opens it (store,
or kg.trig after a memory build), and no other module spells the names."""

from __future__ import annotations

import ast
import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KGError
from kg.pipeline import build_project, compile_project, open_graph
from kg.store.layout import DEFAULT_ROOT, BuildFolder, open_built, open_path
from kg.store.oxigraph import inner_store
from tests.conftest import DATA

REPO = Path(__file__).resolve().parents[2]
Builds = dict[str, BuildFolder]


def test_each_path_is_a_name_in_the_root() -> None:
    folder = BuildFolder(Path("out"))
    assert folder.store == Path("out/kg.oxigraph")
    assert folder.trig == Path("out/kg.trig")
    assert folder.turtle == Path("out/kg.ttl")
    assert folder.manifest == Path("out/manifest.json")
    assert folder.lock == Path("out/.kg-build.lock")
    assert folder.network_page == Path("out/network.html")
    assert folder.exports == (folder.trig, folder.turtle)
    assert folder.new_store == Path("out/.kg.oxigraph.new")
    assert BuildFolder() == BuildFolder(DEFAULT_ROOT) == BuildFolder(Path("build"))


def test_a_build_folder_is_frozen_and_hashable() -> None:
    folder = BuildFolder(Path("out"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        folder.root = Path("elsewhere")  # type: ignore[misc]
    assert {folder, BuildFolder(Path("out"))} == {folder}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the first article's data, taken once for the module."""
    target = tmp_path_factory.mktemp("copy") / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="module")
def triples(data: Path) -> int:
    """The triples of that data, built in memory."""
    return compile_project(data).triples


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, data: Path) -> Builds:
    """The data built three ways: default, --no-export, --store memory."""
    ways: dict[str, dict[str, Any]] = {"oxigraph": {}, "no-export": {"export": False},
                                       "memory": {"store": "memory"}}
    made = {}
    for name, options in ways.items():
        folder = BuildFolder(tmp_path_factory.mktemp(name))
        build_project(data, folder.root, None, **options)
        made[name] = folder
    return made


def test_the_names_are_what_kg_build_writes(builds: Builds) -> None:
    folder = builds["oxigraph"]
    assert sorted(p.name for p in folder.root.iterdir()) == sorted(
        p.name for p in (folder.store, folder.trig, folder.turtle, folder.manifest))
    manifest = folder.read_manifest()
    assert manifest is not None
    assert set(manifest["outputs"]) == {folder.store.name, folder.trig.name, folder.turtle.name}
    assert sorted(p.name for p in builds["no-export"].root.iterdir()) == [
        "kg.oxigraph", "manifest.json"]
    assert sorted(p.name for p in builds["memory"].root.iterdir()) == [
        "kg.trig", "kg.ttl", "manifest.json"]


def test_open_built_opens_the_store_of_a_default_build(builds: Builds, triples: int) -> None:
    for name in ("oxigraph", "no-export"):
        folder = builds[name]
        assert folder.built_graph() == folder.store
        dataset = open_built(folder)
        assert inner_store(dataset) is not None  # the persistent store, not a parse
        assert len(dataset) == triples


def test_open_built_parses_kg_trig_after_a_memory_build(builds: Builds, triples: int) -> None:
    folder = builds["memory"]
    assert folder.built_graph() == folder.trig
    dataset = open_built(folder)
    assert len(dataset) == triples
    assert set(open_built(builds["oxigraph"])) == set(dataset)


def test_open_built_says_how_to_build_when_nothing_is_built(tmp_path: Path) -> None:
    for root in (tmp_path, tmp_path / "missing"):
        with pytest.raises(KGError) as caught:
            open_built(BuildFolder(root))
        assert str(caught.value) == (
            f"{root}: nothing is built here (no kg.oxigraph store, no kg.trig): run "
            f"`kg build --out {root}` first")


def test_the_default_folder_hint_is_plain_kg_build(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(KGError, match=r"^build: nothing is built here .* run `kg build` first$"):
        open_built(BuildFolder())


def test_a_store_the_manifest_does_not_name_is_not_opened(builds: Builds,
                                                          tmp_path: Path) -> None:
    """A memory build over an old default build removes the store; a store copied in
    without its manifest is not taken for the build (kg.trig is)."""
    folder = BuildFolder(tmp_path / "out")
    shutil.copytree(builds["memory"].root, folder.root)
    shutil.copytree(builds["oxigraph"].store, folder.store)
    assert folder.built_graph() == folder.trig


def test_open_path_takes_a_store_folder_or_a_trig_file(builds: Builds, triples: int) -> None:
    assert inner_store(open_path(builds["oxigraph"].store)) is not None
    assert len(open_path(builds["memory"].trig)) == triples


def test_open_graph_prefers_the_file_then_the_build_then_data(
        builds: Builds, triples: int, data: Path, tmp_path: Path) -> None:
    said: list[str] = []

    def note() -> None:
        said.append("in memory")

    given = open_graph(builds["memory"].trig, folder=builds["oxigraph"], on_memory_build=note)
    assert inner_store(given) is not None and len(given) == triples  # kg.trig, parsed
    built = open_graph(None, folder=builds["no-export"], on_memory_build=note)
    assert len(built) == triples and said == []
    fallback = open_graph(None, data, folder=BuildFolder(tmp_path),
                          on_memory_build=note)
    assert inner_store(fallback) is None and len(fallback) == triples
    assert said == ["in memory"]


def test_commands_open_the_default_build_with_no_options(
        builds: Builds, data: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """kg stats opens build/kg.oxigraph (no kg.trig to fall back on after --no-export),
    or build/kg.trig after a memory build; with neither it builds data/ and says so."""
    monkeypatch.chdir(tmp_path)
    for name in ("no-export", "memory"):
        shutil.rmtree(tmp_path / "build", ignore_errors=True)
        shutil.copytree(builds[name].root, tmp_path / "build")
        result = CliRunner().invoke(main, ["stats"])
        assert result.exit_code == 0, (name, result.output)
        graph = builds[name].built_graph()
        assert graph is not None and graph.name == ("kg.trig" if name == "memory" else
                                                    "kg.oxigraph")
        assert result.stdout == CliRunner().invoke(main, ["stats", "--graph", str(graph)]).stdout
        assert "note:" not in result.stderr
    shutil.rmtree(tmp_path / "build")
    shutil.copytree(data, tmp_path / "data")
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 0, result.output
    assert result.stdout == CliRunner().invoke(main, ["stats", "--graph",
                                                      str(builds["memory"].trig)]).stdout
    assert result.stderr == ("note: nothing is built in build; building the graph from data "
                             "in memory (run `kg build` to keep it)\n")


def _names_spelled(path: Path, names: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Constant) and node.value in names:
            found.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value!r}")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "Path" and node.args
                and isinstance(node.args[0], ast.Constant) and node.args[0].value == "build"):
            found.append(f"{path.relative_to(REPO)}:{node.lineno}: Path('build')")
    return found


def test_only_the_layout_spells_the_names() -> None:
    names = {getattr(BuildFolder, name) for name in
             ("STORE", "TRIG", "TURTLE", "MANIFEST", "LOCK", "NETWORK_PAGE")}
    layout = REPO / "kg" / "store" / "layout.py"
    spelled = [hit for folder in ("kg", "benchmarks")
               for path in sorted((REPO / folder).rglob("*.py")) if path != layout
               for hit in _names_spelled(path, names)]
    assert spelled == []
