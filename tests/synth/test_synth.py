"""kg synth: deterministic synthetic corpora that build, conform and keep their locators."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import main
from kg.curation.model import CAMEO_CODES
from kg.curation.text import Locator, SourceText
from kg.kinds.statement import ACTS
from kg.sparql.query import run_query
from kg.synth import SynthCorpus, generate
from kg.synth.yaml_writer import dump_yaml, yaml_scalar

REPO = Path(__file__).resolve().parents[2]
ARTICLES, SEED = 30, 11


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(ARTICLES, SEED, out)
    return out


@pytest.fixture(scope="module")
def compiled(corpus_dir: Path) -> Any:
    from kg.pipeline import compile_project

    return compile_project(corpus_dir / "data", corpus_dir / "corpus")


def select(compiled: Any, text: str) -> list[list[str]]:
    rows: list[Any] = list(run_query(compiled.dataset, text))
    return [[str(value) for value in row] for row in rows]


# -- determinism --------------------------------------------------------------------------

def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first, second = generate(12, 3, tmp_path / "a"), generate(12, 3, tmp_path / "b")
    assert first.files == second.files == 25
    assert hashes(tmp_path / "a") == hashes(tmp_path / "b")
    assert len(hashes(tmp_path / "a")) == 25


def test_different_seed_gives_different_files(tmp_path: Path) -> None:
    generate(12, 3, tmp_path / "a")
    generate(12, 4, tmp_path / "b")
    one, other = hashes(tmp_path / "a"), hashes(tmp_path / "b")
    assert one["data/entities.yaml"] != other["data/entities.yaml"]
    assert not set(one.values()) & set(other.values())


def test_files_do_not_depend_on_python_hash_seed(tmp_path: Path) -> None:
    generate(6, 9, tmp_path / "here")
    code = ("import sys; from pathlib import Path; from kg.synth import generate; "
            "generate(6, 9, Path(sys.argv[1]))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "there")], check=True, env=env,
                   cwd=REPO)
    assert hashes(tmp_path / "here") == hashes(tmp_path / "there")


def test_articles_compose_alike_in_any_order() -> None:
    corpus = SynthCorpus(5, 2)
    assert corpus.article(4) == list(corpus.articles())[3]


def test_progress_is_reported_per_article(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    summary = generate(4, 1, tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert (summary.sources, summary.files) == (4, 9)
    assert summary.facts == sum(
        len(yaml.safe_load(p.read_text("utf-8"))["facts"])
        for p in (tmp_path / "data" / "sources").glob("*.yaml"))


# -- the text and the curation files ------------------------------------------------------

def test_the_splitter_finds_exactly_the_composed_sentences() -> None:
    for seed in range(12):
        for article in SynthCorpus(6 + seed, seed).articles():
            found = tuple(tuple(s.text for s in p.sentences)
                          for p in SourceText(article.text).paragraphs)
            assert found == article.paragraphs, (seed, article.number)


def evidence_of(document: dict[str, Any]) -> list[str]:
    source = document["source"]
    found = list(source["published_evidence"]) + list(source.get("editors", {}).get(
        "evidence", []))
    for photo in source.get("photos", []):
        found += photo["evidence"]
    for fact in document["facts"]:
        found += fact["evidence"]
    return found


def test_every_locator_names_a_sentence_of_its_own_fact() -> None:
    for article in SynthCorpus(ARTICLES, SEED).articles():
        text = SourceText(article.text)
        for locator in evidence_of(article.document):
            span = text.resolve(Locator.parse(locator))
            assert span.text.endswith((".", ")")), (article.number, locator, span.text)
        sentences = [s for p in article.paragraphs for s in p]
        cited = set(evidence_of(article.document))
        located = {f"p{i}.s{j}" for i, p in enumerate(article.paragraphs, 1)
                   for j in range(1, len(p) + 1)}
        # every sentence but the headline states something the file records
        assert located - cited == {"p1.s1"}, article.number
        assert len(sentences) == len(located)


def test_curation_files_parse_back_into_exactly_the_intended_values() -> None:
    corpus = SynthCorpus(ARTICLES, SEED)
    for article in corpus.articles():
        assert yaml.safe_load(article.curation) == article.document
        source = article.document["source"]
        assert source["text"] == article.text_file
        assert source["sha256"] == hashlib.sha256(article.text.encode()).hexdigest()
        for fact in article.document["facts"]:
            if fact["kind"] == "event":
                assert fact.get("cameo", "01") in CAMEO_CODES
    registry = yaml.safe_load(corpus.registry())["entities"]
    ids = [e["id"] for e in registry]
    assert len(ids) == len(set(ids)) == corpus.entities


@pytest.mark.parametrize("value", [
    "yes", "No", "ON", "off", "null", "Null", "~", "y", "true", "", " lead", "trail ",
    "2023-04-19", "2023-04", "2022", "040", "0x1F", "1e3", ".inf", "-1", "+1", "1_000",
    "a: b", "a #b", "#c", "- a", "[a]", "{a}", "a, b", "'q'", '"dq"', "back\\slash",
    "tab\there", "new\nline", "ünïcödé 秦刚", "line\u2028sep", "bom\ufeff", "ctl\x07",
    "@at", "`tick", "%pct", "!tag", "&anchor", "*alias", "|", ">", "? x", "a:b", "p3.s1",
    "People's Daily", "Qin Gang", "https://example.org/a?b=c#d", "12:30", "=",
])
def test_yaml_scalars_round_trip(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(value)}\n") == {"key": value}
    assert yaml.safe_load(f"key: [{yaml_scalar(value)}, x]\n") == {"key": [value, "x"]}
    assert yaml.safe_load(dump_yaml({"a": [{"k": value, "l": [value]}]})) == {
        "a": [{"k": value, "l": [value]}]}


# -- the built graph ----------------------------------------------------------------------

def test_a_generated_corpus_builds_and_conforms(compiled: Any) -> None:
    assert compiled.report.conforms
    assert len(compiled.curation.sources) == ARTICLES
    per_article = compiled.triples / ARTICLES
    assert 300 <= per_article <= 650, per_article


def test_posts_change_hands_over_time(compiled: Any) -> None:
    rows = select(compiled, """
        SELECT ?post (COUNT(DISTINCT ?who) AS ?holders) WHERE {
          ?h a dip:PostHolding ; dip:post ?post ; dip:holder ?who }
        GROUP BY ?post HAVING (COUNT(DISTINCT ?who) > 1)""")
    assert rows
    ended = select(compiled, """
        SELECT ?h WHERE { ?h a dip:PostHolding ; dip:startDate ?s ; dip:endDate ?e }""")
    assert ended


def test_meetings_have_two_to_four_participants_with_roles(compiled: Any) -> None:
    rows = select(compiled, """
        SELECT ?m (COUNT(DISTINCT ?who) AS ?n) (SAMPLE(?code) AS ?cameo) WHERE {
          ?m a dip:Meeting ; sem:hasActor ?who ; sem:hasTimeStamp ?date ; sem:hasPlace ?place ;
             sem:eventType ?code }
        GROUP BY ?m""")
    assert rows
    assert all(2 <= int(n) <= 4 for _, n, _ in rows)
    roles = {r[0].rsplit("#", 1)[-1] for r in select(compiled, """
        SELECT DISTINCT ?role WHERE { ?m a dip:Meeting ; dip:participation/dip:role ?role }""")}
    assert {"host", "guest"} <= roles


def test_statements_have_speakers_acts_and_topics(compiled: Any) -> None:
    rows = select(compiled, """
        SELECT ?s ?act (COUNT(?topic) AS ?topics) WHERE {
          ?s a dip:ReportedStatement ; dip:speaker ?who ; dip:speechAct ?act ;
             dip:madeAt ?event ; dip:topic ?topic }
        GROUP BY ?s ?act""")
    acts = {act.rsplit("#", 1)[-1] for _, act, _ in rows}
    assert acts == set(ACTS)
    assert select(compiled, "SELECT ?s WHERE { ?s dip:speechAct dip:thanks ; dip:addressee ?a }")


def test_summits_initiatives_and_organizations(compiled: Any) -> None:
    assert select(compiled, """
        SELECT ?s WHERE { ?s a dip:Summit ; schema:organizer ?o ; dip:outcome ?a .
                          ?a a dip:Agreement . ?o a dip:IntergovernmentalOrganization }""")
    assert select(compiled, "SELECT ?i ?p WHERE { ?i a dip:PolicyInitiative ; dip:proposedBy ?p }")
    assert select(compiled, "SELECT ?s ?i WHERE { ?s dip:committedTo ?i }")
    assert select(compiled, "SELECT ?s ?i WHERE { ?s dip:supports ?i }")
    assert select(compiled, """
        SELECT ?state ?org WHERE { ?state a dip:State ; org:memberOf ?org }""")
    assert select(compiled, """
        SELECT ?who ?unit ?org WHERE { ?who org:headOf ?unit . ?unit org:unitOf ?org .
                                       ?unit a dip:OrganizationalUnit }""")
    assert select(compiled, "SELECT ?c ?s WHERE { ?c dip:capitalOf ?s }")
    assert select(compiled, """
        SELECT ?body ?state WHERE { ?body a dip:GovernmentBody ; org:subOrganizationOf ?state }""")


def test_articles_credit_photos_and_editors(compiled: Any) -> None:
    assert select(compiled, """
        SELECT ?a ?who WHERE { ?a schema:associatedMedia ?p . ?p schema:creator ?who ;
                                 foaf:depicts ?event ; schema:sourceOrganization ?agency .
                                 ?agency a dip:NewsAgency }""")
    assert select(compiled, "SELECT ?a ?who WHERE { ?a a dip:NewsArticle ; schema:editor ?who }")


# -- the command --------------------------------------------------------------------------

def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["synth", *args])
    return result.exit_code, result.output


def test_cli_prints_a_one_line_summary(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    code, output = invoke("--articles", "3", "--seed", "5", "--out", str(out))
    assert code == 0, output
    assert output.count("\n") == 1
    assert output.startswith("Generated 3 article(s) with ")
    assert f"7 files in {out}; build with: kg build --data {out / 'data'}" in output
    assert len(list((out / "corpus").iterdir())) == 3


def test_cli_refuses_a_non_empty_folder_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    assert invoke("--articles", "5", "--out", str(out))[0] == 0
    (out / "notes.txt").write_text("mine")
    before = hashes(out)
    code, output = invoke("--articles", "2", "--out", str(out))
    assert (code, output.count("\n")) == (1, 1)
    assert output.startswith(f"Error: {out} is not empty: pass --force")
    assert hashes(out) == before
    code, output = invoke("--articles", "2", "--out", str(out), "--force")
    assert code == 0, output
    assert sorted(p.name for p in (out / "corpus").iterdir()) == ["000001.txt", "000002.txt"]
    assert len(list((out / "data" / "sources").iterdir())) == 2
    assert (out / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("args", [
    ["--articles", "0"], ["--articles", "-3"], ["--articles", "many"],
    ["--articles", "2", "--seed", "x"],
])
def test_cli_bad_arguments_write_nothing(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "corpus"
    code, output = invoke(*args, "--out", str(out))
    assert code == 1
    assert output.startswith("Error: ") and output.count("\n") == 1, output
    assert not out.exists()


def test_states_carry_their_adjectives_and_proposers_their_current_posts() -> None:
    """The assistant reads a made-up state's adjective ("Lidroeshi") only from the
    registry; a title written with a proposer's name is recorded while the term runs."""
    corpus = SynthCorpus(200, SEED)
    states = [e for e in yaml.safe_load(corpus.registry())["entities"] if e["type"] == "State"]
    assert states and all(e["demonyms"]["en"] and e["demonyms"]["en"][0] != e["label"]["en"]
                          for e in states)
    proposals = held = 0
    for article in corpus.articles():
        facts = article.document["facts"]
        for fact in facts:
            if fact["kind"] == "relation" and fact["predicate"] == "proposed":
                proposals += 1
                held += any(f["kind"] == "holding" and f["person"] == fact["subject"]
                            and fact["evidence"][0] in f["evidence"] for f in facts)
    assert 0 < held < proposals   # some terms have ended by the article's day
