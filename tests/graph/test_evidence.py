"""Every fact names its source and a locator, and every locator is a real sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, URIRef
from rdflib.namespace import PROV, RDF

from kg.cli import main
from kg.curation.text import Locator, SourceText
from kg.graph.evidence import facts_about
from kg.graph.namespaces import DIP, OA, SCHEMA
from kg.store.layout import BuildFolder


def source_text(dataset: Dataset, corpus: Path, source: URIRef) -> SourceText:
    name = dataset.value(source, DIP.textFile)
    return SourceText((corpus / str(name)).read_text("utf-8"))


def test_every_fact_has_one_source_and_evidence(dataset: Dataset) -> None:
    facts = set(dataset.subjects(RDF.type, DIP.Fact))
    assert len(facts) == 27
    for fact in facts:
        sources = list(dataset.objects(fact, PROV.wasDerivedFrom))
        assert len(sources) == 1, fact
        assert (sources[0], RDF.type, DIP.NewsArticle) in dataset
        evidence = list(dataset.objects(fact, DIP.evidence))
        assert evidence, f"{fact} has no evidence"
        for item in evidence:
            assert dataset.value(item, OA.hasSource) == sources[0]


def test_every_locator_resolves_to_a_sentence(dataset: Dataset, corpus: Path) -> None:
    checked = 0
    for item in set(dataset.subjects(RDF.type, DIP.Evidence)):
        source = dataset.value(item, OA.hasSource)
        assert isinstance(source, URIRef)
        text = source_text(dataset, corpus, source)
        span = text.resolve(Locator.parse(str(dataset.value(item, DIP.locator))))
        assert span.text.strip(), item
        assert text.text[span.start:span.end] == span.text
        checked += 1
    assert checked == 12  # p2, p3 (two sentences), p4 to p9, p10 (two), p12


def test_meeting_caption_and_dateline_are_the_two_pieces_of_evidence(dataset: Dataset,
                                                                      corpus: Path) -> None:
    found = facts_about(dataset, "qin-gang-zhang-ming-meeting-2023-04-19", corpus)
    (report,) = [f for f in found if f.kind == "EventReport"]
    assert [e.locator for e in report.evidence] == ["p3.s1", "p4.s1"]
    caption, dateline = (e.sentence or "" for e in report.evidence)
    assert caption.endswith("April 19, 2023.")
    assert dateline.startswith("BEIJING, April 19 (Xinhua)")
    assert "Qin Gang" in caption and "Zhang Ming" in dateline


def test_the_source_text_matches_its_recorded_hash(dataset: Dataset, corpus: Path) -> None:
    import hashlib

    for source in dataset.subjects(RDF.type, DIP.NewsArticle):
        name = str(dataset.value(source, DIP.textFile))
        digest = hashlib.sha256((corpus / name).read_bytes()).hexdigest()
        assert str(dataset.value(source, DIP.sha256)) == digest
        assert str(dataset.value(source, SCHEMA.url)).startswith("http://en.people.cn/")


def test_evidence_command_prints_the_sentences(built_dir: Path, corpus: Path) -> None:
    result = CliRunner().invoke(main, ["evidence", "zhang-ming", "--graph",
                                       str(built_dir / "kg.trig"), "--sources", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "* Zhang Ming leads SCO Secretariat  [RelationFact]" in result.output
    assert "    p10.s2: He thanked China" in result.output
    assert "source: Chinese FM meets SCO chief <http://en.people.cn/" in result.output


def test_evidence_of_a_single_fact(built_dir: Path, corpus: Path) -> None:
    fact = "fact/xinhua-2023-04-20-chinese-fm-meets-sco-chief/qin-gang-foreign-minister"
    result = CliRunner().invoke(main, ["evidence", fact, "--graph", str(built_dir / "kg.trig"),
                                       "--sources", str(corpus)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("* Qin Gang holds the post Foreign Minister of China "
                        "(attested 2023-04-19)  [PostHolding]")
    assert [line.split(":")[0].strip() for line in lines[3:]] == ["p3.s1", "p4.s1"]


def test_evidence_unknown_id_suggests_close_ids(built_dir: Path) -> None:
    result = CliRunner().invoke(main, ["evidence", "qin-gnag", "--graph",
                                       str(built_dir / "kg.trig")])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: unknown id 'qin-gnag': did you mean qin-gang?"


def one_source_data(tmp_path: Path) -> Path:
    """A data folder with the registry and the first article only."""
    import shutil

    data = Path(__file__).resolve().parents[2] / "data"
    target = tmp_path / "data"
    (target / "sources").mkdir(parents=True)
    shutil.copy(data / "entities.yaml", target / "entities.yaml")
    name = "2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml"
    shutil.copy(data / "sources" / name, target / "sources" / name)
    return target


def test_evidence_reads_the_texts_the_build_read(tmp_path: Path, corpus: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    data, out = one_source_data(tmp_path), tmp_path / "out"
    runner = CliRunner()
    built = runner.invoke(main, ["build", "--data", str(data), "--sources", str(corpus),
                                 "--out", str(out), "--quiet"])
    assert built.exit_code == 0, built.output
    assert BuildFolder(out).source_texts() == corpus.resolve()
    assert json.loads((out / "manifest.json").read_text("utf-8"))["source_texts"] == str(
        corpus.resolve())
    elsewhere = tmp_path / "elsewhere"  # no ../shared/corpus from here
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("KG_SOURCES", raising=False)
    for graph in (out / "kg.oxigraph", out / "kg.trig"):
        result = runner.invoke(main, ["evidence", "zhang-ming", "--graph", str(graph)])
        assert (result.exit_code, result.stderr) == (0, ""), result.output
        assert "    p10.s2: He thanked China for its strong support" in result.stdout
    # a graph from elsewhere says nothing of its texts: locators only, and the hint
    (elsewhere / "copy.trig").write_bytes((out / "kg.trig").read_bytes())
    result = runner.invoke(main, ["evidence", "zhang-ming", "--graph", "copy.trig"])
    assert result.exit_code == 0
    assert "    p10.s2\n" in result.stdout
    assert result.stderr == "(source texts not found: pass --sources DIR to see the sentences)\n"


def test_evidence_of_the_default_build_needs_no_sources(tmp_path: Path, corpus: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    one_source_data(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_SOURCES", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--sources", str(corpus), "--quiet"]).exit_code == 0
    result = runner.invoke(main, ["evidence", "qin-gang-zhang-ming-meeting-2023-04-19"])
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert "    p4.s1: BEIJING, April 19 (Xinhua) -- Chinese State Councilor" in result.stdout
    # a build without the texts records none, even when nothing else changed
    assert runner.invoke(main, ["build", "--quiet"]).exit_code == 0
    assert BuildFolder(tmp_path / "build").source_texts() is None
    result = runner.invoke(main, ["evidence", "qin-gang-zhang-ming-meeting-2023-04-19"])
    assert "    p4.s1\n" in result.stdout
