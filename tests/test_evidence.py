"""Every fact names its source and a locator, and every locator is a real sentence."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rdflib import Dataset, URIRef
from rdflib.namespace import PROV, RDF

from kg.cli import main
from kg.curation.text import Locator, SourceText
from kg.graph.evidence import facts_about
from kg.graph.namespaces import DIP, OA, SCHEMA


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
