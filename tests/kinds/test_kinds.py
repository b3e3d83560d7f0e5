"""The registry of fact kinds: each kind's exact triples, read-back, projection and
sentence, and sync checks against the schema, the ontology, the shapes and the README."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.curation.model import CAMEO_CODES, Curation, Entity, Evidence, Source, Where
from kg.curation.text import Locator
from kg.errors import UnknownKindError
from kg.graph.build import build_graph
from kg.graph.namespaces import DIP, ID, source_graph
from kg.graph.ontology import ontology_path
from kg.graph.readback import read_facts
from kg.graph.validate import validate
from kg.kinds import KINDS, kind_named, kind_of, markdown_table
from kg.kinds.base import Fact
from kg.kinds.event import DATE_BASES, ROLES, EventReport, Participant
from kg.kinds.holding import Holding
from kg.kinds.relation import Relation
from kg.kinds.schema import fact_definitions
from kg.kinds.statement import ACTS, Statement
from kg.kinds.visit import Visit
from kg.kinds.vocabulary import RELATIONS
from kg.kinds.vocabulary import markdown_table as relations_table
from kg.network import RELATIONS as EDGE_RELATIONS
from kg.network import project

REPO = Path(__file__).resolve().parents[2]
HERE = Where("test.yaml", 1)
P1 = (Evidence(Locator.parse("p1.s1"), HERE),)

ENTITIES = {e.id: e for e in (
    Entity("ann", "Person", {"en": "Ann"}, HERE),
    Entity("bob", "Person", {"en": "Bob"}, HERE),
    Entity("land", "State", {"en": "Land"}, HERE),
    Entity("bloc", "IntergovernmentalOrganization", {"en": "Bloc"}, HERE),
    Entity("ministry", "GovernmentBody", {"en": "Ministry"}, HERE),
    Entity("minister", "Post", {"en": "Minister"}, HERE, post_in="ministry"),
    Entity("capital", "Place", {"en": "Capital"}, HERE),
    Entity("talks", "Meeting", {"en": "Talks"}, HERE),
    Entity("plan", "PolicyInitiative", {"en": "Plan"}, HERE),
    Entity("agency", "NewsAgency", {"en": "Agency"}, HERE),
)}

FACTS: dict[str, Fact] = {
    "holding": Holding(id="h", person="ann", post="minister", attested="2023-04-19",
                       start="2023-01", evidence=P1, where=HERE),
    "relation": Relation(id="r", subject="land", predicate="proposed", objects=("plan",),
                         evidence=P1, where=HERE),
    "event": EventReport(id="e", event="talks", date="2023-04-19", place="capital",
                         cameo="040", participants=(Participant("ann", "host"),
                                                    Participant("bob", "guest")),
                         evidence=P1, where=HERE),
    "statement": Statement(id="s", speaker="bob", summary="Backs the plan.",
                           topics=("plan", "land"), act="support", at="talks",
                           date="2023-04-19", evidence=P1, where=HERE),
    "visit": Visit(id="v", visitor="ann", destination="land", start="2024-05-18",
                   end="2024-05-21", invited_by="bob", purpose="talks", status="planned",
                   evidence=P1, where=HERE),
}

#: Each kind's own triples (besides the fact node's types, source and evidence).
EXPECTED_TRIPLES = {
    "holding": {
        "<id/fact/src/h> dip:holder <id/ann>",
        "<id/fact/src/h> dip:post <id/minister>",
        "<id/fact/src/h> dip:attestedOn 2023-04-19",
        "<id/fact/src/h> dip:startDate 2023-01",
        "<id/ann> org:holds <id/minister>",
        "<id/minister> org:heldBy <id/ann>",
    },
    "relation": {
        "<id/fact/src/r/plan> rdf:subject <id/plan>",
        "<id/fact/src/r/plan> rdf:predicate dip:proposedBy",
        "<id/fact/src/r/plan> rdf:object <id/land>",
        "<id/plan> dip:proposedBy <id/land>",
    },
    "event": {
        "<id/fact/src/e> dip:about <id/talks>",
        "<id/talks> sem:hasTimeStamp 2023-04-19",
        "<id/talks> sem:hasPlace <id/capital>",
        "<id/talks> sem:eventType cameo:040",
        "<id/talks> dip:participation <id/fact/src/e/participant/ann>",
        "<id/talks> dip:participation <id/fact/src/e/participant/bob>",
        "<id/talks> sem:hasActor <id/ann>",
        "<id/talks> sem:hasActor <id/bob>",
        "<id/fact/src/e/participant/ann> dip:participant <id/ann>",
        "<id/fact/src/e/participant/ann> dip:role dip:host",
        "<id/fact/src/e/participant/bob> dip:participant <id/bob>",
        "<id/fact/src/e/participant/bob> dip:role dip:guest",
    },
    "statement": {
        "<id/fact/src/s> dip:speaker <id/bob>",
        "<id/fact/src/s> dip:summary Backs the plan.",
        "<id/fact/src/s> dip:madeAt <id/talks>",
        "<id/fact/src/s> dip:statedOn 2023-04-19",
        "<id/fact/src/s> dip:speechAct dip:support",
        "<id/fact/src/s> dip:topic <id/plan>",
        "<id/fact/src/s> dip:topic <id/land>",
    },
    "visit": {
        "<id/fact/src/v> dip:visitor <id/ann>",
        "<id/fact/src/v> dip:destination <id/land>",
        "<id/fact/src/v> sem:eventType cameo:042",
        "<id/fact/src/v> dip:status dip:planned",
        "<id/fact/src/v> dip:startDate 2024-05-18",
        "<id/fact/src/v> dip:endDate 2024-05-21",
        "<id/fact/src/v> dip:invitedBy <id/bob>",
        "<id/fact/src/v> dip:purpose <id/talks>",
    },
}

_SHORT = {"https://w3id.org/diplomacy-kg/ontology#": "dip:",
          "http://www.w3.org/ns/org#": "org:",
          "http://semanticweb.cs.vu.nl/2009/11/sem/": "sem:",
          "https://w3id.org/diplomacy-kg/cameo/": "cameo:",
          "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:"}
_IGNORED = {"rdf:type", "http://www.w3.org/ns/prov#wasDerivedFrom", "dip:evidence",
            "https://schema.org/mentions"}


def _short(term: object) -> str:
    text = str(term)
    if text.startswith(str(ID)):
        return f"<id/{text[len(str(ID)):]}>"
    for long, short in _SHORT.items():
        if text.startswith(long):
            return short + text[len(long):]
    return text


def _source(*facts: Fact) -> Source:
    return Source(id="src", title="T", url="http://example.org/t", publisher="agency",
                  published="2023-04-20T10:00:00+08:00", language="en", text_file="t.txt",
                  sha256="0" * 64, where=HERE, facts=tuple(facts))


def _own_triples(fact: Fact, entities: dict[str, Entity] = ENTITIES) -> set[str]:
    built = build_graph(Curation(entities, (_source(fact),)))
    found = set()
    for s, p, o in built.graphs[source_graph("src")]:
        if str(s).startswith(str(ID) + "source/") or str(s).startswith(str(ID) + "evidence/"):
            continue
        if _short(p) in _IGNORED or str(p) in _IGNORED:
            continue
        found.add(f"{_short(s)} {_short(p)} {_short(o)}")
    return found


@pytest.mark.parametrize("name", [kind.name for kind in KINDS])
def test_each_kind_writes_exactly_its_triples(name: str) -> None:
    assert _own_triples(FACTS[name]) == EXPECTED_TRIPLES[name]


@pytest.mark.parametrize("name", [kind.name for kind in KINDS])
def test_each_kind_reads_back_what_it_wrote(name: str) -> None:
    built = build_graph(Curation(ENTITIES, (_source(FACTS[name]),)))
    (read,) = read_facts(built.dataset)
    original = FACTS[name]
    assert read.kind is kind_named(name) and read.source.id == "src"
    expected: dict[str, Any] = {**vars(original), "where": None,
                                "evidence": (Evidence(Locator.parse("p1.s1"), None),)}
    if isinstance(original, EventReport):  # participants come back in id order
        expected["participants"] = tuple(sorted(original.participants, key=lambda p: p.who))
    if isinstance(original, Statement):  # and topics too
        expected["topics"] = tuple(sorted(original.topics))
    assert vars(read.fact) == expected


def test_projection_of_each_kind_collapsed_and_not() -> None:
    built = build_graph(Curation(ENTITIES, (_source(*FACTS.values()),)))

    def edges(graph: nx.MultiDiGraph[str]) -> set[tuple[str, str, str]]:
        return {(u, v, d["relation"]) for u, v, d in graph.edges(data=True)
                if d["source"] == "src"}

    assert edges(project(built.dataset)) == {
        ("ann", "minister", "holds"), ("plan", "land", "proposed-by"), ("ann", "bob", "met"),
        ("bob", "plan", "spoke-about"), ("bob", "land", "spoke-about"),
        ("ann", "land", "plans-to-visit"), ("bob", "ann", "invited")}
    assert edges(project(built.dataset, collapse=False)) == {
        ("ann", "fact/src/h", "holder-in"), ("fact/src/h", "minister", "of-post"),
        ("plan", "land", "proposed-by"), ("ann", "talks", "host-of"),
        ("bob", "talks", "guest-at"), ("talks", "capital", "took-place-in"),
        ("bob", "fact/src/s", "made"), ("fact/src/s", "plan", "about"),
        ("fact/src/s", "land", "about"), ("fact/src/s", "talks", "made-at"),
        ("ann", "fact/src/v", "made-visit"), ("fact/src/v", "land", "visit-to"),
        ("bob", "fact/src/v", "invited"), ("fact/src/v", "talks", "visit-for")}


def test_sentences_of_each_kind() -> None:
    names = {e.id: e.labels["en"] for e in ENTITIES.values()}
    said = {name: kind_of(fact).sentence(fact, names.__getitem__)
            for name, fact in FACTS.items()}
    assert said == {
        "holding": "Ann holds the post Minister (attested 2023-04-19)",
        "relation": "Plan was proposed by Land",
        "event": "Talks on 2023-04-19 in Capital with Ann, Bob",
        "statement": "Bob (support): Backs the plan.",
        "visit": "Ann will visit Land from 2024-05-18 to 2024-05-21, invited by Bob, "
                 "to attend Talks (planned)",
    }


def test_an_unknown_kind_is_an_error_not_a_fallback() -> None:
    with pytest.raises(UnknownKindError, match="unknown fact kind 'trip'"):
        kind_named("trip")


def test_a_file_with_an_unknown_kind_gets_one_line(data_copy: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    path = next((data_copy / "sources").glob("*.yaml"))
    text = path.read_text("utf-8").replace("kind: statement", "kind: trip", 1)
    path.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["validate", "--data", str(data_copy)])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "trip" in x)
    assert line.startswith(f"Error: {path}") or line.startswith("Error: ")
    assert "holding" in line and "statement" in line


# --- sync checks ------------------------------------------------------------------------


def test_the_packaged_schema_carries_the_registry_definitions() -> None:
    path = REPO / "kg" / "curation" / "schemas" / "source.schema.json"
    schema = json.loads(path.read_text("utf-8"))
    for name, definition in fact_definitions().items():
        assert schema["$defs"][name] == definition, (
            f"kg/curation/schemas/source.schema.json is out of step for {name!r}: "
            "run python -m kg.kinds.schema")


def test_the_ontology_declares_one_fact_class_per_kind() -> None:
    ontology = Graph().parse(ontology_path("diplomacy.ttl"))
    declared = set(ontology.subjects(RDFS.subClassOf, DIP.Fact))
    assert declared == {kind.rdf_class for kind in KINDS} | {DIP.Photograph}


def test_the_shapes_target_every_kind() -> None:
    shapes = Graph().parse(ontology_path("shapes.ttl"))
    targets = set(shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    assert {kind.rdf_class for kind in KINDS} <= targets


def test_the_readme_shows_the_registry_tables() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert markdown_table() in readme
    assert relations_table() in readme
    acts = re.search(r"`act` is one of (.*?);", readme, re.S)
    assert acts is not None
    assert re.findall(r"`(\w+)`", acts.group(1)) == list(ACTS)
    cameo = re.search(r"`cameo` one of the CAMEO codes of the ontology \((.*?)\)", readme, re.S)
    assert cameo is not None
    assert set(re.findall(r"`(\d+)`", cameo.group(1))) == set(CAMEO_CODES)
    roles = re.search(r"have a `role`: (.*?) \(the default\)", readme, re.S)
    assert roles is not None
    assert re.findall(r"`(\w+)`", roles.group(1)) == list(ROLES)


def test_speech_acts_match_the_ontology() -> None:
    ontology = Graph().parse(ontology_path("diplomacy.ttl"))
    acts = {str(c).removeprefix(str(DIP))
            for c in ontology.subjects(SKOS.inScheme, DIP.SpeechActs)}
    assert acts == set(ACTS)


def test_every_relation_the_kinds_draw_has_words() -> None:
    for kind in KINDS:
        for edge in kind.edges:
            assert EDGE_RELATIONS[edge.name] == edge
    for term in RELATIONS.values():
        assert term.edge in EDGE_RELATIONS


def test_rdf_types_of_the_fact_nodes_are_the_kinds(dataset: Any) -> None:
    classes = {kind.rdf_class for kind in KINDS} | {DIP.Photograph}
    for fact in set(dataset.subjects(RDF.type, DIP.Fact)):
        assert classes & set(dataset.objects(fact, RDF.type)), fact


def test_the_synthetic_corpus_exercises_every_kind_relation_role_and_act(tmp_path: Path) -> None:
    import yaml

    from kg.synth import generate

    generate(120, 7, tmp_path)
    seen: dict[str, set[str]] = {}
    predicates, acts = set(), set()
    roles: set[str] = set()
    for path in (tmp_path / "data" / "sources").glob("*.yaml"):
        for item in yaml.safe_load(path.read_text("utf-8"))["facts"]:
            seen.setdefault(item["kind"], set()).update(item)
            predicates.add(item.get("predicate"))
            roles.update(p.get("role", "participant") for p in item.get("participants", []))
            acts.add(item.get("act"))
    for kind in KINDS:  # every kind, with every field it requires
        assert seen.get(kind.name, set()) >= set(kind.schema()["required"]), kind.name
    assert set(RELATIONS) <= predicates
    assert set(ROLES) <= roles
    assert set(ACTS) <= acts


EXTENDED: dict[str, Fact] = {
    "planned-summit": EventReport(
        id="e2", event="talks", date="2023-07-04", place="land", status="planned",
        announced="2023-06-30", format="virtual", host="land", chair="ann",
        sidelines_of="talks-series",
        participants=(Participant("bob", "participant", joined_from="capital"),),
        evidence=P1, where=HERE),
    "joint-statement": Statement(id="s2", speaker="ann", joint_with=("bob",),
                                 on_behalf_of="ministry", summary="Both back the plan.",
                                 topics=("plan",), act="pledge", evidence=P1, where=HERE),
    "designated": Holding(id="h2", person="bob", post="minister", attested="2024-12-13",
                          status="designated", evidence=P1, where=HERE),
    "began-by": Holding(id="h3", person="ann", post="minister", attested="2022-07-28",
                        began_by="2022-07-28", evidence=P1, where=HERE),
    "dated-from-publication": EventReport(
        id="e3", event="talks", date="2023-04", date_from="publication",
        participants=(Participant("ann", "participant"),), evidence=P1, where=HERE),
}
_MORE = {**ENTITIES, "talks-series": Entity("talks-series", "Summit", {"en": "Series"}, HERE)}


@pytest.mark.parametrize("name", list(EXTENDED))
def test_new_fields_read_back_as_written(name: str) -> None:
    built = build_graph(Curation(_MORE, (_source(EXTENDED[name]),)))
    (read,) = read_facts(built.dataset)
    assert vars(read.fact) == {**vars(EXTENDED[name]), "where": None,
                               "evidence": (Evidence(Locator.parse("p1.s1"), None),)}


def test_a_designated_successor_does_not_hold_the_post() -> None:
    built = build_graph(Curation(_MORE, (_source(EXTENDED["designated"]),)))
    triples = {(_short(s), _short(p), _short(o)) for s, p, o in
               built.graphs[source_graph("src")]}
    assert ("<id/bob>", "dip:designatedFor", "<id/minister>") in triples
    assert not any(p == "org:holds" for _, p, _ in triples)


def test_a_planned_event_reads_as_planned() -> None:
    fact = EXTENDED["planned-summit"]
    names = {e.id: e.labels["en"] for e in _MORE.values()}
    assert kind_of(fact).sentence(fact, names.__getitem__) == (
        "Talks on 2023-07-04 in Land (virtual) with Bob hosted by Land chaired by Ann on the "
        "sidelines of Series (planned, announced 2023-06-30)")


def test_a_date_from_the_publication_is_said_on_the_report() -> None:
    fact = EXTENDED["dated-from-publication"]
    assert _own_triples(fact, _MORE) == {
        "<id/fact/src/e3> dip:about <id/talks>",
        "<id/fact/src/e3> dip:dateBasis dip:publicationDateBasis",
        "<id/talks> sem:hasTimeStamp 2023-04",
        "<id/talks> dip:participation <id/fact/src/e3/participant/ann>",
        "<id/talks> sem:hasActor <id/ann>",
        "<id/fact/src/e3/participant/ann> dip:participant <id/ann>",
        "<id/fact/src/e3/participant/ann> dip:role dip:participantRole",
    }
    names = {e.id: e.labels["en"] for e in _MORE.values()}
    assert kind_of(fact).sentence(fact, names.__getitem__) == (
        "Talks on 2023-04 (date from the publication) with Ann")


def test_the_shapes_allow_one_date_basis_of_the_scheme() -> None:
    built = build_graph(Curation(_MORE, (_source(EXTENDED["dated-from-publication"]),)))
    assert validate(built.dataset).conforms
    built.dataset.graph(source_graph("src")).add((ID["fact/src/e3"], DIP.dateBasis,
                                                  DIP.inPerson))
    report = validate(built.dataset)
    assert not report.conforms
    assert {v.path for v in report.violations} == {"dip:dateBasis"}


def test_the_date_bases_match_the_ontology() -> None:
    ontology = Graph().parse(ontology_path("diplomacy.ttl"))
    assert set(ontology.subjects(SKOS.inScheme, DIP.DateBases)) == set(DATE_BASES.values())


def test_the_meeting_formats_match_the_ontology_the_shapes_and_the_queries() -> None:
    from kg.kinds.event import FORMATS

    queries = Path(__file__).resolve().parents[2] / "kg" / "sparql" / "queries"
    ontology = Graph().parse(ontology_path("diplomacy.ttl"))
    assert set(ontology.subjects(SKOS.inScheme, DIP.MeetingFormats)) == set(FORMATS.values())
    shapes = ontology_path("shapes.ttl").read_text(encoding="utf-8")
    allowed = re.search(r"dip:meetingFormat ; sh:in \( ([^)]*) \)", shapes)
    assert allowed is not None
    assert allowed.group(1).split() == [f"dip:{c.removeprefix(str(DIP))}"
                                        for c in FORMATS.values()]
    for name in ("cq18", "cq21", "cq22"):   # the format column names each concept as curated
        query = (queries / f"{name}.rq").read_text(encoding="utf-8")
        pairs = re.findall(r'\(dip:(\w+) "([\w-]+)"\)', query)
        assert {(f"{DIP}{c}", n) for c, n in pairs} == {(str(c), n) for n, c in FORMATS.items()}
