"""The command line: exact output and exit codes (click's CliRunner)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main


@pytest.fixture()
def graph(built_dir: Path) -> list[str]:
    return ["--graph", str(built_dir / "kg.trig")]


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.output


def test_every_command_has_help_and_is_documented() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    for name, command in main.commands.items():
        code, output = invoke(name, "--help")
        assert code == 0, name
        assert "Usage: main " + name in output or f"Usage: kg {name}" in output or name in output
        assert command.help, f"{name} has no help"
        assert f"kg {name}" in readme, f"README does not show `kg {name}`"


def test_graph_option_help_says_what_is_opened() -> None:
    """The default is the store `kg build` wrote (kg.trig only after a memory build);
    kg validate reads --data unless given --graph."""
    for name, command in main.commands.items():
        if not any(param.name == "graph_file" for param in command.params):
            continue
        code, output = invoke(name, "--help")
        text = " ".join(output.split())
        assert code == 0 and "Default: build/kg.trig" not in text, name
        if name == "validate":
            assert "instead of reading --data" in text
        else:
            assert ("Default: what `kg build` wrote (the store build/kg.oxigraph, or "
                    "build/kg.trig after `kg build --store memory`)") in text, name


def test_query_table(graph: list[str]) -> None:
    code, output = invoke("query", "SELECT ?o WHERE { id:china org:memberOf ?o }", *graph)
    assert code == 0
    assert output == "o\n------\nid:sco\n(1 row)\n"


def test_query_from_stdin_as_csv(graph: list[str]) -> None:
    code, output = invoke("query", "--format", "csv", *graph,
                          stdin="SELECT ?p ?post WHERE { ?p org:holds ?post } ORDER BY ?post")
    assert code == 0
    rows = list(csv.reader(io.StringIO(output)))
    assert rows[0] == ["p", "post"]
    assert [r[1].rsplit("/", 1)[-1] for r in rows[1:]] == [
        "foreign-minister-of-china", "president-of-china", "secretary-general-of-the-sco",
        "state-councilor-of-china"]


def test_query_from_file_as_tsv_to_output(graph: list[str], tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text('SELECT ?l WHERE { id:beijing skos:prefLabel ?l } ORDER BY ?l')
    target = tmp_path / "out.tsv"
    code, output = invoke("query", "--file", str(query), "--format", "tsv", "--output",
                          str(target), *graph)
    assert code == 0, output
    assert target.read_text("utf-8") == '?l\n"Beijing"@en\n"北京"@zh\n'


def test_ask_json(graph: list[str]) -> None:
    code, output = invoke("query", "-f", "json", "ASK { id:china org:memberOf id:sco }", *graph)
    assert code == 0
    assert json.loads(output)["boolean"] is True


def test_construct_as_ntriples(graph: list[str]) -> None:
    code, output = invoke("query", "-f", "nt",
                          "CONSTRUCT { ?u org:unitOf ?o } WHERE { ?u org:unitOf ?o }", *graph)
    assert code == 0
    assert output == ("<https://w3id.org/diplomacy-kg/id/sco-secretariat> "
                      "<http://www.w3.org/ns/org#unitOf> "
                      "<https://w3id.org/diplomacy-kg/id/sco> .\n")


def test_construct_default_is_turtle(graph: list[str]) -> None:
    code, output = invoke("query", "CONSTRUCT { ?u org:unitOf ?o } WHERE { ?u org:unitOf ?o }",
                          *graph)
    assert code == 0
    assert "id:sco-secretariat org:unitOf id:sco ." in output


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }", "FROM"),
    ("INSERT DATA { id:a id:b id:c }", "read-only"),
    ("SELECT ?x WHERE { ?x ", "syntax"),
])
def test_refused_or_bad_queries_give_one_error_line(graph: list[str], query: str,
                                                    message: str) -> None:
    code, output = invoke("query", query, *graph)
    assert code == 1
    lines = output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), output
    assert message.lower() in lines[0].lower()


def test_wrong_format_for_the_query_kind(graph: list[str]) -> None:
    code, output = invoke("query", "-f", "turtle", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", *graph)
    assert code == 1
    assert output.startswith("Error: ")


def test_ask_list() -> None:
    """Each question, then its parameters with their defaults (later queries follow)."""
    code, output = invoke("ask", "--list")
    assert code == 0
    date = "      --param date=...  a date (YYYY-MM-DD), default 2023-04-19"
    assert output.splitlines()[:17] == [
        "cq1   Which meetings are recorded, with date, place and participants?",
        "cq2   Which posts did Qin Gang hold on 2023-04-19, and of which organization?", date,
        "cq3   Who held the post of Secretary-General of the SCO on 2023-04-19?", date,
        "cq4   Which policy initiatives were proposed by Xi Jinping?",
        "cq5   Who committed to implement which initiatives?",
        "cq6   What did Qin Gang say at the 2023-04-19 meeting, and about what?", date,
        "cq7   What did Zhang Ming say, and whom did he thank for what?",
        "cq8   Which event took place in Samarkand, when, and who took part?",
        "cq9   Which organizations is China a member of?",
        "cq10  Which organizational unit does Zhang Ming lead, and what is it part of?",
        "cq11  Which source states that Qin Gang was Foreign Minister, and where in it?",
        "cq12  Who photographed the meeting and who edited the article?",
        "cq14  Which entities does the article xinhua-2023-04-20-chinese-fm-meets-sco-chief "
        "mention, by type?",
        "      --param source=...  a source id, default "
        "xinhua-2023-04-20-chinese-fm-meets-sco-chief"]


def test_ask_show_binds_the_params() -> None:
    code, output = invoke("ask", "cq6", "--show", "--param", "date=2023-05-04")
    assert code == 0
    assert ('  VALUES ?date { "2023-05-04"^^<http://www.w3.org/2001/XMLSchema#date> }\n'
            in output)
    assert "2023-04-19" not in output.split("# param date: 2023-04-19\n", 1)[1]


@pytest.mark.parametrize(("args", "message"), [
    (["cq3", "--param", "date=19 April"], "Error: --param date: '19 April' is not a date: "
     "write YYYY-MM-DD, such as 2023-04-19\n"),
    (["cq3", "--param", "date"], "Error: --param 'date' has no value: write NAME=VALUE, "
     "such as date=2023-04-19\n"),
    (["cq3", "-p", "day=2023-04-19"], "Error: cq3 has no parameter 'day': use date (see "
     "`kg ask --list`)\n"),
    (["cq9", "-p", "date=2023-04-19"], "Error: cq9 has no parameter 'date': remove --param "
     "date (see `kg ask --list`)\n"),
])
def test_ask_bad_params_are_one_error_line(graph: list[str], args: list[str],
                                           message: str) -> None:
    assert invoke("ask", *args, *graph) == (1, message)


def test_ask_cq3(graph: list[str]) -> None:
    code, output = invoke("ask", "cq3", *graph)
    assert (code, output) == (0, "person\n----------\nZhang Ming\n(1 row)\n")


def test_ask_cq9_json(graph: list[str]) -> None:
    code, output = invoke("ask", "cq9", "--format", "json", *graph)
    assert code == 0
    bindings = json.loads(output)["results"]["bindings"]
    assert bindings == [{"organization": {"type": "literal", "xml:lang": "en",
                                          "value": "Shanghai Cooperation Organization"}}]


def test_ask_unknown_name() -> None:
    code, output = invoke("ask", "cq99")
    assert code == 1
    assert output.startswith("Error: no shipped query named 'cq99' (did you mean")


def test_ask_show_prints_standalone_sparql() -> None:
    code, output = invoke("ask", "cq4", "--show")
    assert code == 0
    assert output.startswith("# question: Which policy initiatives were proposed by Xi Jinping?")
    assert "PREFIX dip: <https://w3id.org/diplomacy-kg/ontology#>" in output


def test_stats(graph: list[str]) -> None:
    code, output = invoke("stats", *graph)
    assert code == 0
    assert "  Person                                 6" in output
    assert "  xinhua-2023-04-20-chinese-fm-meets-sco-chief                  27" in output
    assert output.rstrip().endswith("Triples: 655")


def test_validate_the_data(corpus: Path) -> None:
    code, output = invoke("validate", "--data", "data", "--sources", str(corpus))
    assert (code, output) == (0, "Conforms: the graph satisfies every shape.\n")


def test_validate_reports_node_shape_and_problem(tmp_path: Path, built_dir: Path) -> None:
    broken = tmp_path / "broken.trig"
    text = (built_dir / "kg.trig").read_text("utf-8")
    # drop the evidence of one fact: the shapes must say which node and what is missing
    lines = [line for line in text.splitlines()
             if "evidence/xinhua-2023-04-20-chinese-fm-meets-sco-chief/p9.s1> ." not in line
             and "evidence/xinhua-2023-04-20-chinese-fm-meets-sco-chief/p9.s1> ;" not in line]
    broken.write_text("\n".join(lines), "utf-8")
    code, output = invoke("validate", "--graph", str(broken))
    assert code == 1, output
    assert output.startswith("Does not conform: 2 violation(s).")
    lines = output.splitlines()[1:]
    assert all("qin-on-china-support>" in line and line.endswith("[shape dipsh:Fact]")
               for line in lines)
    assert "dip:evidence: A fact must name at least one locator in its source." in lines[0]
    assert ("dip:evidence/oa:hasSource: The evidence of a fact must lie in the fact's own "
            "source.") in lines[1]


def test_missing_graph_file(tmp_path: Path) -> None:
    code, output = invoke("stats", "--graph", str(tmp_path / "nope.trig"))
    assert code == 1
    assert output == (f"Error: {tmp_path / 'nope.trig'}: no built graph here: run `kg build` "
                      "first, or pass --graph FILE\n")


def test_commands_fall_back_to_data_when_nothing_is_built(tmp_path: Path, corpus: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    shutil.copytree(Path(__file__).parent.parent / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["ask", "cq9", "--sources", str(corpus)])
    assert result.exit_code == 0
    assert "Shanghai Cooperation Organization" in result.stdout
    assert "building the graph from data in memory" in result.stderr


def test_build_then_everything_works_without_options(tmp_path: Path, corpus: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    shutil.copytree(Path(__file__).parent.parent / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KG_SOURCES", str(corpus))
    assert invoke("build")[0] == 0
    assert (tmp_path / "build" / "kg.trig").is_file()
    for args in (["ask", "cq1"], ["stats"], ["export"], ["evidence", "sco"], ["validate"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
        assert "note:" not in result.stderr


def test_build_counts_curated_facts_and_fact_nodes_as_stats_does(tmp_path: Path,
                                                                corpus: Path) -> None:
    """kg build's 19 curated facts are the article's `facts:`; the graph holds 27 fact
    nodes, the number kg stats gives by source."""
    import re
    import shutil

    data = tmp_path / "data"
    (data / "sources").mkdir(parents=True)
    shutil.copy(Path("data") / "entities.yaml", data / "entities.yaml")
    name = "2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml"
    shutil.copy(Path("data") / "sources" / name, data / "sources" / name)
    out = tmp_path / "out"
    code, output = invoke("build", "--data", str(data), "--sources", str(corpus), "--out",
                          str(out), "--quiet")
    assert code == 0, output
    first = output.splitlines()[0]
    assert re.fullmatch(
        r"Built \d+ triples from 1 source\(s\), \d+ entities, 19 curated facts \(full build, "
        r"oxigraph store\); 27 fact nodes \(a relation once per object, plus each article's "
        r"editors, photos and publication time\); SHACL: conforms; locators checked against "
        r"the texts\.", first), first
    code, output = invoke("stats", "--graph", str(out / "kg.oxigraph"))
    assert code == 0
    assert ("\nFact nodes by source (curated facts, a relation once per object, plus the "
            "article's editors, photos and publication time):\n"
            "  xinhua-2023-04-20-chinese-fm-meets-sco-chief                  27\n"
            "Triples by graph:\n") in output
