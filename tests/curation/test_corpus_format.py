"""What the format holds for a corpus of real articles: event series, regions and concepts,
publication dates as precise as the capture, texts with one paragraph a line, and
summaries in the curator's own words."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner
from rdflib.namespace import XSD

from kg.cli import main
from kg.curation.reader import load_curation
from kg.graph.build import build_graph
from kg.graph.evidence import facts_about
from kg.graph.namespaces import DIP, SCHEMA, entity_iri, source_iri

SOURCE = "sources/2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml"


def _registry_add(data: Path, text: str) -> None:
    path = data / "entities.yaml"
    path.write_text(path.read_text("utf-8").rstrip("\n") + "\n" + text, "utf-8")


def _errors(data: Path, corpus: Path | None = None) -> list[str]:
    args = ["validate", "--data", str(data)]
    if corpus is not None:
        args += ["--sources", str(corpus)]
    result = CliRunner().invoke(main, args)
    return [line for line in result.output.splitlines() if line.startswith("Error:")]


def test_an_event_of_a_series_with_its_number(data_copy: Path) -> None:
    _registry_add(data_copy, """  - id: sco-heads-of-state
    type: EventSeries
    label: {en: SCO Council of Heads of State}
  - id: sco-summit-2023
    type: Summit
    label: {en: 23rd SCO summit}
    series: sco-heads-of-state
    ordinal: 23
""")
    dataset = build_graph(load_curation(data_copy)).dataset
    event = entity_iri("sco-summit-2023")
    assert dataset.value(event, DIP.inSeries) == entity_iri("sco-heads-of-state")
    assert dataset.value(event, DIP.ordinal).toPython() == 23  # type: ignore[union-attr]


def test_series_and_ordinal_are_checked(data_copy: Path) -> None:
    _registry_add(data_copy, """  - id: not-a-series
    type: Summit
    label: {en: A summit}
    series: qin-gang
  - id: numbered
    type: Summit
    label: {en: Another summit}
    ordinal: 2
""")
    errors = _errors(data_copy)
    assert any("series: 'qin-gang' is a Person, but series must be an EventSeries" in e
               for e in errors), errors
    assert any("ordinal numbers an event within its series: add series, or remove ordinal"
               in e for e in errors), errors


def test_regions_and_concepts_are_entities(data_copy: Path) -> None:
    _registry_add(data_copy, """  - id: test-region
    type: Region
    label: {en: the Caribbean}
  - id: test-concept
    type: Concept
    label: {en: A test principle}
""")
    dataset = build_graph(load_curation(data_copy)).dataset
    assert (entity_iri("test-region"), None, DIP.Place) in dataset
    assert (entity_iri("test-concept"), None, DIP.Concept) in dataset


def test_publication_as_precise_as_the_capture(data_copy: Path) -> None:
    path = data_copy / SOURCE
    text = path.read_text("utf-8")
    for given, written, datatype in (("2023-04-20", "2023-04-20", XSD.date),
                                     ("2023-04-20T10:34", "2023-04-20T10:34:00", XSD.dateTime)):
        path.write_text(text.replace("published: 2023-04-20T10:34:00+08:00",
                                     f"published: {given}"), "utf-8")
        dataset = build_graph(load_curation(data_copy)).dataset
        source = source_iri("xinhua-2023-04-20-chinese-fm-meets-sco-chief")
        published = dataset.value(source, SCHEMA.datePublished)
        assert str(published) == written
        assert published.datatype == datatype  # type: ignore[union-attr]


def test_a_text_with_one_paragraph_a_line(tmp_path: Path, data_copy: Path, corpus: Path) -> None:
    texts = tmp_path / "texts"
    shutil.copytree(corpus, texts)
    original = (corpus / "000_f693d5a72e5eb8f0.txt").read_text("utf-8")
    squeezed = "\n".join(line for line in original.splitlines() if line.strip()) + "\n"
    (texts / "000_f693d5a72e5eb8f0.txt").write_text(squeezed, "utf-8")
    path = data_copy / SOURCE
    text = path.read_text("utf-8").replace(
        "sha256: 0456b48da08f9496368724e0cee08df01998dc7c48f4eef80ade9e636bc1b0fd",
        "sha256: " + hashlib.sha256(squeezed.encode()).hexdigest())
    path.write_text(text, "utf-8")
    (error,) = _errors(data_copy, texts)
    assert error.endswith("the text has 12 lines but no blank line between them, so it reads "
                          "as one paragraph: set paragraphs: line in the source file")
    path.write_text(text.replace("  text: 000_", "  paragraphs: line\n  text: 000_"), "utf-8")
    assert _errors(data_copy, texts) == []
    dataset = build_graph(load_curation(data_copy, texts)).dataset
    (meeting,) = [f for f in facts_about(dataset, "qin-gang-zhang-ming-meeting-2023-04-19",
                                         texts)
                  if f.kind == "EventReport" and "chinese-fm-meets-sco-chief" in str(f.fact)]
    assert [e.sentence[:25] for e in meeting.evidence if e.sentence] == [
        "Chinese State Councilor a", "BEIJING, April 19 (Xinhua"]


def test_a_summary_pasted_from_the_text_is_refused(data_copy: Path, corpus: Path) -> None:
    path = data_copy / SOURCE
    text = path.read_text("utf-8")
    sentence = next(line for line in (corpus / "000_f693d5a72e5eb8f0.txt").read_text(
        "utf-8").splitlines() if line.startswith("Qin said"))
    words = sentence.split()[2:14]  # twelve words of the article, word for word
    start = text.index("summary: ", text.index("kind: statement"))
    end = text.index("\n", start)
    path.write_text(text[:start] + "summary: " + " ".join(words).replace(":", "")
                    + text[end:], "utf-8")
    (error,) = _errors(data_copy, corpus)
    assert "words in a row are the source's own" in error
    assert error.endswith("write the summary in your own words")
