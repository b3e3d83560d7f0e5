"""pyrudof and pySHACL give the same verdicts on our shapes, on valid and broken graphs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import PROV, RDF, XSD

from kg.curation.reader import load_curation
from kg.graph.build import build_graph
from kg.graph.namespaces import DIP, GRAPH, ID, OA, ORG, SCHEMA, SEM
from kg.graph.validate import validate
from tests.conftest import DATA

SRC = "xinhua-2023-04-20-chinese-fm-meets-sco-chief"
FACT = ID[f"fact/{SRC}/qin-on-china-support"]
GRAPH_NAME = GRAPH[SRC]


def fresh() -> Dataset:
    return build_graph(load_curation(DATA)).dataset


def drop_evidence(ds: Dataset) -> None:
    ds.remove((FACT, DIP.evidence, None, None))  # type: ignore[arg-type]  # rdflib: a pattern


def second_source(ds: Dataset) -> None:
    ds.graph(GRAPH_NAME).add((FACT, PROV.wasDerivedFrom, ID["source/other"]))


def bad_date(ds: Dataset) -> None:
    ds.graph(GRAPH_NAME).add((ID["qin-gang-zhang-ming-meeting-2023-04-19"], SEM.hasTimeStamp,
                              Literal("April 19")))


def wrong_class(ds: Dataset) -> None:
    ds.graph(GRAPH_NAME).add((ID["china"], ORG.memberOf, ID["qin-gang"]))


def committed_to_a_person(ds: Dataset) -> None:
    ds.graph(GRAPH_NAME).add((ID["china"], DIP.committedTo, ID["qin-gang"]))


def bad_paragraph(ds: Dataset) -> None:
    node = ID[f"evidence/{SRC}/p9.s1"]
    graph = ds.graph(GRAPH_NAME)
    graph.remove((node, DIP.paragraph, None))
    graph.add((node, DIP.paragraph, Literal(0, datatype=XSD.integer)))


def foreign_evidence(ds: Dataset) -> None:
    node = ID["evidence/other/p1.s1"]
    graph = ds.graph(GRAPH_NAME)
    for triple in ((node, RDF.type, DIP.Evidence), (node, OA.hasSource, ID["source/other"]),
                   (node, DIP.locator, Literal("p1.s1")),
                   (node, DIP.paragraph, Literal(1)), (node, DIP.sentence, Literal(1)),
                   (ID["source/other"], RDF.type, DIP.NewsArticle),
                   (FACT, DIP.evidence, node)):
        graph.add(triple)


def no_headline(ds: Dataset) -> None:
    ds.remove((ID[f"source/{SRC}"], SCHEMA.headline, None, None))  # type: ignore[arg-type]  # rdflib: a pattern


def demonym_of_a_person(ds: Dataset) -> None:
    ds.graph(GRAPH_NAME).add((ID["qin-gang"], DIP.demonym, Literal("Qinnish", lang="en")))


BREAKS: dict[str, Callable[[Dataset], None]] = {
    "valid": lambda ds: None, "no-evidence": drop_evidence, "two-sources": second_source,
    "bad-date": bad_date, "wrong-class": wrong_class, "paragraph-0": bad_paragraph,
    "or-of-classes": committed_to_a_person,
    "evidence-of-another-source": foreign_evidence, "no-headline": no_headline,
    "demonym-of-a-person": demonym_of_a_person,
}


@pytest.mark.parametrize("name", list(BREAKS))
def test_engines_agree(name: str) -> None:
    ds = fresh()
    BREAKS[name](ds)
    reports = {engine: validate(ds, engine=engine) for engine in ("pyshacl", "rudof")}
    verdicts = {engine: {(v.focus, v.path, v.shape) for v in report.violations}
                for engine, report in reports.items()}
    assert reports["pyshacl"].conforms == reports["rudof"].conforms == (name == "valid")
    assert verdicts["pyshacl"] == verdicts["rudof"]
    if name != "valid":
        assert verdicts["rudof"], name


def test_every_break_is_caught_where_expected() -> None:
    ds = fresh()
    second_source(ds)
    found = validate(ds, engine="rudof").violations
    assert {(v.path, v.component) for v in found} == {
        ("dip:evidence/oa:hasSource", "EqualsConstraintComponent"),
        ("prov:wasDerivedFrom", "MaxCountConstraintComponent"),
        ("prov:wasDerivedFrom", "ClassConstraintComponent")}
    assert all(v.focus.endswith("qin-on-china-support>") and v.shape == "dipsh:Fact"
               for v in found)


def test_a_failed_sh_or_is_one_violation_on_both_engines() -> None:
    ds = fresh()
    committed_to_a_person(ds)
    for engine in ("pyshacl", "rudof"):
        report = validate(ds, engine=engine)
        assert [(v.focus, v.path, v.shape, v.component) for v in report.violations] == [
            ("id:china", "dip:committedTo", "dipsh:Organization", "OrConstraintComponent")]
