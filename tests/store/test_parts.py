"""The exports written graph by graph (kg.store.parts) are the files builds wrote before
in one piece, and a build that changes some sources splices them into what a full build
of the same data writes, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg.curation.model import Curation
from kg.curation.reader import iter_source_files, load_registry, load_sources
from kg.graph.build import build_graph
from kg.pipeline import build_project
from kg.store import parts
from kg.store.oxigraph import dump, merged_turtle, quads_of
from kg.synth import generate
from tests.store.test_incremental import SECOND, SOURCE, add_second_source

EXPORTS = ("kg.trig", "kg.ttl")


def _exports(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in EXPORTS}


def _in_one_piece(data: Path) -> dict[str, bytes]:
    """The exports as builds wrote them before: an in-memory store's TriG, and the merged
    triples of the quads in build order."""
    entities = load_registry(data)
    sources = load_sources(data, list(iter_source_files(data)), entities)
    built = build_graph(Curation(entities=entities, sources=tuple(sources)))
    quads = quads_of(built.graphs)
    memory = ox.Store()
    memory.bulk_extend(quads)
    return {"kg.trig": dump(memory, ox.RdfFormat.TRIG), "kg.ttl": merged_turtle(quads)}


def _clean(data: Path, corpus: Path | None, out: Path) -> dict[str, bytes]:
    build_project(data, out, corpus, full=True)
    return _exports(out)


def test_parts_are_the_files_written_in_one_piece(data_copy: Path, corpus: Path,
                                                 tmp_path: Path) -> None:
    add_second_source(data_copy)  # two sources stating the same triples
    assert _clean(data_copy, corpus, tmp_path / "out") == _in_one_piece(data_copy)


def test_synthetic_corpus_parts_are_the_files_written_in_one_piece(tmp_path: Path) -> None:
    generate(12, seed=3, out=tmp_path / "synth")
    data = tmp_path / "synth" / "data"
    assert _clean(data, tmp_path / "synth" / "corpus", tmp_path / "out") == _in_one_piece(data)


def test_changes_splice_into_what_a_full_build_writes(data_copy: Path, corpus: Path,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    add_second_source(data_copy)
    build_project(data_copy, out, corpus)
    steps = 0

    def same_as_full() -> None:
        nonlocal steps
        steps += 1
        clean = tmp_path / f"clean{steps}"
        assert _exports(out) == _clean(data_copy, corpus, clean)
        assert (set(ox.Store.read_only(str(out / "kg.oxigraph")))
                == set(ox.Store.read_only(str(clean / "kg.oxigraph"))))

    first, second = data_copy / SOURCE, data_copy / SECOND
    text = first.read_text("utf-8")
    # an edit to the first of two sources stating the same triples
    first.write_text(text.replace("Thanked China for supporting", "Thanked China for backing"),
                     "utf-8")
    assert build_project(data_copy, out, corpus).mode == "incremental"
    same_as_full()
    # the first removed: the second now writes the triples both stated
    first.unlink()
    assert build_project(data_copy, out, corpus).removed == [SOURCE]
    same_as_full()
    # back again: the second's Turtle part loses them
    first.write_text(text, "utf-8")
    assert build_project(data_copy, out, corpus).rebuilt == [
        "xinhua-2023-04-20-chinese-fm-meets-sco-chief"]
    same_as_full()
    # the later one edited, then both at once
    second.write_text(second.read_text("utf-8").replace("Thanked China for supporting",
                                                        "Thanked China for backing"), "utf-8")
    assert build_project(data_copy, out, corpus).mode == "incremental"
    same_as_full()
    first.write_text(text.replace("Thanked China", "Thanked Beijing"), "utf-8")
    second.write_text(second.read_text("utf-8").replace("Thanked China", "Thanked Beijing"),
                      "utf-8")
    assert len(build_project(data_copy, out, corpus).rebuilt) == 2
    same_as_full()


def test_synthetic_changes_splice_into_what_a_full_build_writes(tmp_path: Path) -> None:
    generate(30, seed=5, out=tmp_path / "synth")
    data, corpus = tmp_path / "synth" / "data", tmp_path / "synth" / "corpus"
    out = tmp_path / "out"
    build_project(data, out, corpus)
    files = sorted((data / "sources").iterdir())
    # drop one source, copy another under a new name and id, edit a third
    dropped = files[3].read_text("utf-8")
    files[3].unlink()
    copy = files[10].read_text("utf-8")
    source_id = copy.split("id: ", 1)[1].split("\n", 1)[0]
    (data / "sources" / "000000-copy.yaml").write_text(
        copy.replace(f"id: {source_id}", "id: synth-copy", 1), "utf-8")
    edited = files[20].read_text("utf-8")
    assert "summary: " in edited
    files[20].write_text(edited.replace("summary: ", "summary: Said again, ", 1), "utf-8")
    result = build_project(data, out, corpus)
    assert result.mode == "incremental" and len(result.rebuilt) == 2
    assert _exports(out) == _clean(data, corpus, tmp_path / "clean1")
    files[3].write_text(dropped, "utf-8")
    assert build_project(data, out, corpus).mode == "incremental"
    assert _exports(out) == _clean(data, corpus, tmp_path / "clean2")


def test_a_build_without_parts_in_its_manifest_is_followed_by_a_full_one(
        data_copy: Path, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_project(data_copy, out, corpus, export=False)
    path = data_copy / SOURCE
    path.write_text(path.read_text("utf-8").replace("Thanked China for supporting",
                                                    "Thanked China for backing"), "utf-8")
    assert build_project(data_copy, out, corpus).mode == "full"
    assert _exports(out) == _clean(data_copy, corpus, tmp_path / "clean")


def test_turtle_parts_that_would_join_are_written_in_one_piece() -> None:
    a, p = URIRef("http://x/a"), URIRef("http://x/p")
    graphs = {URIRef("http://x/g1"): [(a, p, Literal("1"))],
              URIRef("http://x/g2"): [(a, p, Literal("1")), (a, p, Literal("2"))]}
    made = dict(parts.serialize_graphs(graphs))
    assert not parts.joinable([part.turtle_ends for part in made.values()])
    whole = parts.merged_turtle(part.ntriples for part in made.values())
    assert whole.endswith(b'<http://x/a> <http://x/p> "1" , "2" .\n')


def test_triples_rdflib_tells_apart_are_one_in_the_graph() -> None:
    a, p = URIRef("http://x/a"), URIRef("http://x/p")
    xsd_string = URIRef("http://www.w3.org/2001/XMLSchema#string")
    graphs = {URIRef("http://x/g"): [(a, p, Literal("v")), (a, p, Literal("v",
                                                                          datatype=xsd_string))]}
    (part,) = dict(parts.serialize_graphs(graphs)).values()
    assert part.ntriples.count(b"\n") == 1


@pytest.mark.parametrize("lengths", [[1, 2], [0, 3], [3]])
def test_split_cuts_at_the_lengths(lengths: list[int]) -> None:
    assert parts.split(b"hd" + b"abc", lengths, 2) is not None
    assert b"".join(parts.split(b"hdabc", lengths, 2) or []) == b"abc"
    assert parts.split(b"hdabcd", lengths, 2) is None


def test_damaged_parts_lengths_mean_a_full_build(data_copy: Path, corpus: Path,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_project(data_copy, out, corpus)
    shutil.copy(out / "kg.trig", tmp_path / "trig")
    path = data_copy / SOURCE
    path.write_text(path.read_text("utf-8").replace("Thanked China for supporting",
                                                    "Thanked China for backing"), "utf-8")
    import json

    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    manifest["sources"]["sources/" + SOURCE.split("/", 1)[1]].pop("export_parts")
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    assert build_project(data_copy, out, corpus).mode == "full"
    assert _exports(out) == _clean(data_copy, corpus, tmp_path / "clean")


def test_a_full_build_that_fails_leaves_no_store(data_copy: Path, corpus: Path,
                                                 tmp_path: Path) -> None:
    """The store is loaded while the build goes on: a build that fails removes it."""
    from kg.errors import CurationErrors

    add_second_source(data_copy)
    second = data_copy / SECOND
    second.write_text(second.read_text("utf-8").replace("id: second-copy-of-the-article",
                                                        "id: Not An Id"), "utf-8")
    out = tmp_path / "out"
    with pytest.raises(CurationErrors):
        build_project(data_copy, out, corpus, full=True)
    left = [path.name for path in out.iterdir()] if out.exists() else []
    assert not [name for name in left if "oxigraph" in name or name.startswith("kg.")]
