"""The relationship network: the projection of the first article, exact in both modes;
paths with their evidence (CQ13); neighbors, measures, exports; the network commands."""

from __future__ import annotations

import doctest
import io
import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset

import kg.cli.network_commands
import kg.network
import kg.network.viz
from kg.cli import main
from kg.errors import KGError, UnknownEntityError
from kg.network import (
    centrality,
    communities,
    find_node,
    neighbors,
    paths,
    project,
    select,
    serialize,
)

SRC = "xinhua-2023-04-20-chinese-fm-meets-sco-chief"
GDI, GSI, GCI = ("global-development-initiative", "global-security-initiative",
                 "global-civilization-initiative")
INITIATIVES = (GDI, GSI, GCI)
MEETING = "qin-gang-zhang-ming-meeting-2023-04-19"
SUMMIT, CONSENSUS = "sco-samarkand-summit-2022", "sco-samarkand-consensus-2022"

ENTITY_NODES = {
    "qin-gang", "zhang-ming", "xi-jinping", "china", "sco", "sco-secretariat",
    "state-council-of-china", "ministry-of-foreign-affairs-of-china",
    "state-councilor-of-china", "foreign-minister-of-china", "president-of-china",
    "secretary-general-of-the-sco", "beijing", "samarkand", SUMMIT, CONSENSUS, *INITIATIVES,
}
#: Named only as article metadata (publisher, editors, photographer), or only as the
#: summit's series in the registry: not in the network.
UNLINKED = ["sco-council-of-heads-of-state", "wu-chaolan", "xinhua", "zhai-jianlan",
            "zhang-kaiwei"]

#: Edges present in both modes: curated binary relations, registry links, the summit.
SHARED_EDGES = [
    ("beijing", "capital-of", "china"),
    ("china", "member-of", "sco"),
    ("sco-secretariat", "unit-of", "sco"),
    ("zhang-ming", "head-of", "sco-secretariat"),
    *[(i, "proposed-by", "xi-jinping") for i in INITIATIVES],
    *[("china", "committed-to", i) for i in INITIATIVES],
    ("state-councilor-of-china", "post-in", "state-council-of-china"),
    ("foreign-minister-of-china", "post-in", "ministry-of-foreign-affairs-of-china"),
    ("president-of-china", "post-in", "china"),
    ("secretary-general-of-the-sco", "post-in", "sco"),
    ("state-council-of-china", "part-of", "china"),
    ("ministry-of-foreign-affairs-of-china", "part-of", "china"),
    ("xi-jinping", "took-part-in", SUMMIT),
    (SUMMIT, "took-place-in", "samarkand"),
    ("sco", "organized", SUMMIT),
    (SUMMIT, "produced", CONSENSUS),
]

HOLDINGS = [("qin-gang", "state-councilor-of-china", "qin-gang-state-councilor"),
            ("qin-gang", "foreign-minister-of-china", "qin-gang-foreign-minister"),
            ("zhang-ming", "secretary-general-of-the-sco", "zhang-ming-secretary-general"),
            ("xi-jinping", "president-of-china", "xi-jinping-president")]

#: statement id -> (speaker, topics, addressee)
STATEMENTS = {
    "qin-on-sco-role": ("qin-gang", ["sco"], None),
    "qin-on-samarkand-consensus": ("qin-gang", ["xi-jinping", SUMMIT, CONSENSUS, "sco"], None),
    "qin-on-china-readiness": ("qin-gang", ["china", "sco", *INITIATIVES], None),
    "qin-praises-secretariat": ("qin-gang", ["zhang-ming", "sco-secretariat"], None),
    "qin-on-china-support": ("qin-gang", ["china", "zhang-ming", "sco-secretariat"], None),
    "zhang-on-implementing-consensus": ("zhang-ming", ["sco-secretariat", CONSENSUS, "sco"],
                                        None),
    "zhang-thanks-china": ("zhang-ming", ["china", "sco-secretariat"], "china"),
}


def triples(graph: nx.MultiDiGraph[str]) -> Counter[tuple[str, str, str]]:
    return Counter((u, d["relation"], v) for u, v, d in graph.edges(data=True))


@pytest.fixture(scope="module")
def collapsed(dataset: Dataset) -> nx.MultiDiGraph[str]:
    return project(dataset)


@pytest.fixture(scope="module")
def expanded(dataset: Dataset) -> nx.MultiDiGraph[str]:
    return project(dataset, collapse=False)


@pytest.fixture(scope="module")
def graph_args(built_dir: Path) -> list[str]:
    return ["--graph", str(built_dir / "kg.trig")]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- the projection, exact -----------------------------------------------------------------


def test_collapsed_projection_is_exact(collapsed: nx.MultiDiGraph[str]) -> None:
    assert set(collapsed) == ENTITY_NODES
    expected = Counter(SHARED_EDGES)
    expected.update((p, "holds", q) for p, q, _ in HOLDINGS)
    expected[("qin-gang", "met", "zhang-ming")] += 1
    for speaker, topics, addressee in STATEMENTS.values():
        expected.update((speaker, "spoke-about", t) for t in topics)
        if addressee:
            expected[(speaker, "addressed", addressee)] += 1
    assert triples(collapsed) == expected
    assert collapsed.number_of_edges() == 46
    assert collapsed.graph["unlinked"] == UNLINKED
    assert collapsed.graph["collapsed"] == {
        MEETING: "Meeting of Qin Gang and Zhang Ming, 2023-04-19"}


def test_expanded_projection_is_exact(expanded: nx.MultiDiGraph[str]) -> None:
    facts = {f"fact/{SRC}/{fid}" for _, _, fid in HOLDINGS} | {
        f"fact/{SRC}/{sid}" for sid in STATEMENTS}
    assert set(expanded) == ENTITY_NODES | {MEETING} | facts
    expected = Counter(SHARED_EDGES)
    for person, post, fid in HOLDINGS:
        expected[(person, "holder-in", f"fact/{SRC}/{fid}")] += 1
        expected[(f"fact/{SRC}/{fid}", "of-post", post)] += 1
    expected.update([("qin-gang", "host-of", MEETING), ("zhang-ming", "guest-at", MEETING),
                     (MEETING, "took-place-in", "beijing")])
    for sid, (speaker, topics, addressee) in STATEMENTS.items():
        node = f"fact/{SRC}/{sid}"
        expected[(speaker, "made", node)] += 1
        expected[(node, "made-at", MEETING)] += 1
        expected.update((node, "about", t) for t in topics)
        if addressee:
            expected[(node, "addressed-to", addressee)] += 1
    assert triples(expanded) == expected
    assert expanded.graph["collapsed"] == {}
    statement = expanded.nodes[f"fact/{SRC}/zhang-thanks-china"]
    assert (statement["cls"], statement["act"], statement["date"]) == (
        "ReportedStatement", "thanks", "2023-04-19")
    assert statement["locators"] == ["p10.s2"]


def test_the_meeting_edge_carries_date_place_and_evidence(
        collapsed: nx.MultiDiGraph[str]) -> None:
    [met] = [d for _, v, d in collapsed.out_edges("qin-gang", data=True)
             if d["relation"] == "met"]
    assert met["date"] == "2023-04-19"
    assert met["place"] == "Beijing"
    assert met["event"] == MEETING
    assert met["source"] == SRC
    assert met["source_title"] == "Chinese FM meets SCO chief"
    assert met["locators"] == ["p3.s1", "p4.s1"]
    assert met["fact"].endswith(f"fact/{SRC}/meeting")


def test_nodes_carry_iri_class_and_labels_in_every_language(
        collapsed: nx.MultiDiGraph[str]) -> None:
    qin = collapsed.nodes["qin-gang"]
    assert qin["iri"] == "https://w3id.org/diplomacy-kg/id/qin-gang"
    assert (qin["cls"], qin["label"], qin["labels"]) == (
        "Person", "Qin Gang", {"en": "Qin Gang", "zh": "秦刚"})
    sco = collapsed.nodes["sco"]
    assert sco["cls"] == "IntergovernmentalOrganization"
    assert "Organization" in sco["types"]
    assert sco["labels"]["de"] == "Shanghaier Organisation für Zusammenarbeit"
    assert sco["aliases"] == {"de": ["SCO", "SOZ"],
                              "en": ["SCO", "Shanghai Cooperation Organisation"],
                              "zh": ["上合组织"]}
    assert collapsed.nodes[SUMMIT]["date"] == "2022"


def test_labels_types_and_ontology_are_not_edges(collapsed: nx.MultiDiGraph[str],
                                                 expanded: nx.MultiDiGraph[str]) -> None:
    for graph in (collapsed, expanded):
        for u, v in graph.edges():
            assert not u.startswith(("http", "source/")) and not v.startswith("http")
        assert not any(n.startswith("source/") for n in graph)


def test_every_curated_edge_has_a_source_and_a_locator(collapsed: nx.MultiDiGraph[str]) -> None:
    for _, _, d in collapsed.edges(data=True):
        if d["source"] == "registry":
            assert d["relation"] in ("post-in", "part-of")
            continue
        assert d["source"] == SRC and d["locators"], d


# --- paths (CQ13) ------------------------------------------------------------------------


def test_cq13_path_from_xi_jinping_to_zhang_ming_is_all_evidence(
        collapsed: nx.MultiDiGraph[str], expanded: nx.MultiDiGraph[str]) -> None:
    for graph in (collapsed, expanded):
        [found] = paths(graph, "xi-jinping", "zhang-ming")
        assert found.nodes[0] == "xi-jinping" and found.nodes[-1] == "zhang-ming"
        assert found.evidenced
        for hop in found.hops:
            assert hop.best.data["fact"] and hop.best.data["locators"]
    [short] = paths(collapsed, "xi-jinping", "zhang-ming")
    assert short.nodes == ("xi-jinping", "qin-gang", "zhang-ming")
    assert [h.best.data["relation"] for h in short.hops] == ["spoke-about", "met"]


def test_cq13_kg_path_prints_each_hop_as_a_sentence(graph_args: list[str]) -> None:
    code, out, err = invoke("path", "xi-jinping", "zhang-ming", *graph_args)
    assert code == 0, err
    assert out.splitlines()[:3] == [
        "Path 1 of 1, 2 hops: Xi Jinping -> Qin Gang -> Zhang Ming",
        '  1. Qin Gang spoke about Xi Jinping (assessment) on 2023-04-19. Source: "Chinese FM '
        'meets SCO chief", p6.s1.',
        '  2. Qin Gang met Zhang Ming on 2023-04-19 in Beijing. Source: "Chinese FM meets SCO '
        'chief", p3.s1, p4.s1.',
    ]


def test_k_shortest_and_all_shortest_paths(collapsed: nx.MultiDiGraph[str]) -> None:
    three = paths(collapsed, "xi-jinping", "zhang-ming", k=3)
    assert [(p.nodes, p.cost) for p in three] == [
        (("xi-jinping", "qin-gang", "zhang-ming"), 3.5),
        (("xi-jinping", GCI, "china", "zhang-ming"), 3.5),
        (("xi-jinping", GDI, "china", "zhang-ming"), 3.5)]
    assert three[0].nodes == paths(collapsed, "xi-jinping", "zhang-ming")[0].nodes
    every = paths(collapsed, "china", "zhang-ming", all_shortest=True)
    assert [p.nodes for p in every] == [("china", "zhang-ming")]
    assert [h.best.data["relation"] for h in every[0].hops] == ["addressed"]


def hand_made() -> nx.MultiDiGraph[str]:
    """Wang Yi spoke about Qin Gang (one hop, a mention); both held the post of Foreign
    Minister (two hops); Wang Yi met Li, who met Zhao, who visited Qin Gang (three)."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, label in (("wang-yi", "Wang Yi"), ("qin-gang", "Qin Gang"), ("li", "Li"),
                        ("zhao", "Zhao"), ("fm", "Foreign Minister")):
        graph.add_node(node, label=label, cls="Person")
    source = {"source": "s", "source_title": "S", "locators": ["p1.s1"]}
    graph.add_edge("wang-yi", "qin-gang", relation="spoke-about", date="2023-04-19", **source)
    graph.add_edge("wang-yi", "fm", relation="holds", date="2022-01-01", **source)
    graph.add_edge("qin-gang", "fm", relation="holds", date="2023-01-01", **source)
    graph.add_edge("wang-yi", "li", relation="met", **source)
    graph.add_edge("zhao", "li", relation="met", **source)
    graph.add_edge("zhao", "qin-gang", relation="visited", **source)
    return graph


def test_paths_through_stronger_facts_rank_before_mentions() -> None:
    graph = hand_made()
    ranked = [(p.nodes, p.cost) for p in paths(graph, "wang-yi", "qin-gang", k=3)]
    assert ranked == [(("wang-yi", "fm", "qin-gang"), 2.0),
                      (("wang-yi", "qin-gang"), 2.5),
                      (("wang-yi", "li", "zhao", "qin-gang"), 3.0)]
    [default] = paths(graph, "wang-yi", "qin-gang")
    [first] = paths(graph, "wang-yi", "qin-gang", k=1)
    assert default.nodes == first.nodes == ("wang-yi", "fm", "qin-gang")
    assert [p.nodes for p in paths(graph, "wang-yi", "qin-gang", all_shortest=True)] == [
        ("wang-yi", "fm", "qin-gang")]
    # a hop is as strong as its strongest fact: a meeting beside the mention makes it 1
    graph.add_edge("qin-gang", "wang-yi", relation="met", date="2023-05-01")
    [direct] = paths(graph, "wang-yi", "qin-gang", k=1)
    assert (direct.nodes, direct.cost, direct.hops[0].best.data["relation"]) == (
        ("wang-yi", "qin-gang"), 1.0, "met")
    assert [link.data["relation"] for link in direct.hops[0].links] == ["met", "spoke-about"]


def test_paths_of_equal_cost_rank_by_hops_evidence_then_labels() -> None:
    graph = hand_made()
    graph.add_node("aa", label="Aa", cls="Person")  # sorts first, but from the registry
    graph.add_edge("wang-yi", "aa", relation="post-in", source="registry", locators=[])
    graph.add_edge("aa", "qin-gang", relation="post-in", source="registry", locators=[])
    graph.add_node("fz", label="Fz", cls="Person")  # evidenced, sorts after fm
    source = {"source": "s", "source_title": "S", "locators": ["p2.s1"]}
    graph.add_edge("wang-yi", "fz", relation="met", **source)
    graph.add_edge("fz", "qin-gang", relation="met", **source)
    every = paths(graph, "wang-yi", "qin-gang", all_shortest=True)
    assert [(p.nodes[1], p.cost, p.evidenced) for p in every] == [
        ("fm", 2.0, True), ("fz", 2.0, True), ("aa", 2.0, False)]
    for k in (1, 2, 4):
        assert [p.nodes for p in paths(graph, "wang-yi", "qin-gang", k=k)] == [
            p.nodes for p in every + paths(graph, "wang-yi", "qin-gang", k=4)[3:]][:k]
    assert [p.nodes for p in paths(graph, "wang-yi", "qin-gang", k=4)][3] == (
        "wang-yi", "qin-gang")


def test_every_relation_has_a_hop_cost() -> None:
    from kg.network import RELATIONS
    from kg.network.paths import HOP_COST

    assert sorted(set(RELATIONS) - set(HOP_COST)) == []
    assert sorted(set(HOP_COST) - set(RELATIONS)) == []


def test_kg_path_default_is_k_1(graph_args: list[str]) -> None:
    default = invoke("path", "xi-jinping", "zhang-ming", *graph_args)
    assert default == invoke("path", "xi-jinping", "zhang-ming", "-k", "1", *graph_args)
    code, out, _ = invoke("path", "china", "sco", "-k", "2", *graph_args)
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("Path")] == [
        "Path 1 of 2, 1 hop: China -> Shanghai Cooperation Organization",
        "Path 2 of 2, 3 hops: China -> Zhang Ming -> SCO Secretariat -> Shanghai Cooperation "
        "Organization"]


def test_path_errors(collapsed: nx.MultiDiGraph[str]) -> None:
    with pytest.raises(UnknownEntityError, match="did you mean xi-jinping"):
        paths(collapsed, "xi-jinpin", "zhang-ming")
    with pytest.raises(KGError, match="same node"):
        paths(collapsed, "china", "china")
    lonely = collapsed.copy()
    lonely.add_node("island", label="Island")
    with pytest.raises(KGError, match="no path between china and island"):
        paths(lonely, "china", "island")


# --- neighbors, finding nodes --------------------------------------------------------------


def test_neighbors_by_depth_and_relation(collapsed: nx.MultiDiGraph[str]) -> None:
    found = neighbors(collapsed, "sco", depth=2,
                      relations=["member-of", "unit-of", "head-of"])
    assert [(n.node, n.depth, n.parent) for n in found] == [
        ("china", 1, "sco"), ("sco-secretariat", 1, "sco"),
        ("zhang-ming", 2, "sco-secretariat")]
    assert len(neighbors(collapsed, "qin-gang")) == 12
    with pytest.raises(KGError, match="unknown relation 'mett': did you mean met"):
        neighbors(collapsed, "qin-gang", relations=["mett"])


def test_find_node_by_id_prefixed_name_iri_or_label(collapsed: nx.MultiDiGraph[str]) -> None:
    for text in ("qin-gang", "id:qin-gang", "https://w3id.org/diplomacy-kg/id/qin-gang",
                 "qin gang"):
        assert find_node(collapsed, text) == "qin-gang"
    with pytest.raises(UnknownEntityError, match="use --no-collapse"):
        find_node(collapsed, MEETING)
    with pytest.raises(UnknownEntityError, match="takes part in no relation"):
        find_node(collapsed, "zhang-kaiwei")


# --- filters -------------------------------------------------------------------------------


def test_select_by_type_date_and_focus(collapsed: nx.MultiDiGraph[str]) -> None:
    people = select(collapsed, types=["Person"])
    assert set(people) == {"qin-gang", "zhang-ming", "xi-jinping"}
    orgs = select(collapsed, types=["organization"])  # a class keeps its subclasses
    assert {"china", "sco", "sco-secretariat"} <= set(orgs)
    assert "qin-gang" not in orgs
    recent = select(collapsed, since="2023")
    assert SUMMIT not in recent and "samarkand" not in recent
    assert ("china", "member-of", "sco") in triples(recent)  # undated relations stay
    old = select(collapsed, until="2022-12-31")
    assert SUMMIT in old and ("qin-gang", "met", "zhang-ming") not in triples(old)
    around = select(collapsed, focus="samarkand", depth=1)
    assert set(around) == {"samarkand", SUMMIT}
    with pytest.raises(KGError, match="unknown class 'Persn': did you mean Person"):
        select(collapsed, types=["Persn"])
    with pytest.raises(KGError, match="--since: '2023-02-30' is not a date"):
        select(collapsed, since="2023-02-30")
    with pytest.raises(KGError, match="after --until"):
        select(collapsed, since="2024", until="2023")


# --- measures ------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", ["degree", "betweenness", "pagerank", "eigenvector"])
def test_centrality_ranks_qin_gang_first(collapsed: nx.MultiDiGraph[str], measure: str) -> None:
    ranked = centrality(collapsed, measure, top=3)
    assert ranked[0].node == "qin-gang"
    assert len(ranked) == 3 and ranked[0].score >= ranked[1].score >= ranked[2].score
    if measure == "pagerank":
        assert sum(r.score for r in centrality(collapsed, measure, top=None)) == \
            pytest.approx(1.0)


def test_communities_partition_the_nodes(collapsed: nx.MultiDiGraph[str]) -> None:
    for algorithm in kg.network.COMMUNITY_ALGORITHMS:
        groups = communities(collapsed, algorithm)
        members = [n for g in groups for n in g]
        assert sorted(members) == sorted(collapsed), algorithm
        assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)
    assert communities(collapsed) == communities(collapsed)  # seeded: repeatable
    louvain = communities(collapsed)
    assert any({"china", "xi-jinping"} <= set(g) for g in louvain)


# --- exports -------------------------------------------------------------------------------


def test_graphml_gexf_and_json_round_trip(collapsed: nx.MultiDiGraph[str]) -> None:
    graphml = nx.read_graphml(io.BytesIO(serialize(collapsed, "graphml")))
    assert graphml.number_of_nodes() == 19 and graphml.number_of_edges() == 46
    assert graphml.nodes["qin-gang"]["labels_zh"] == "秦刚"
    gexf = nx.read_gexf(io.BytesIO(serialize(collapsed, "gexf")))
    assert gexf.number_of_nodes() == 19 and gexf.number_of_edges() == 46
    data = json.loads(serialize(collapsed, "json"))
    back = nx.node_link_graph(data, edges="edges")
    assert isinstance(back, nx.MultiDiGraph)
    assert triples(back) == triples(collapsed)
    assert data["graph"]["unlinked"] == UNLINKED


# --- the commands ----------------------------------------------------------------------------


def test_cli_choices_match_the_library() -> None:
    assert kg.cli.network_commands.NETWORK_FORMATS == kg.network.NETWORK_FORMATS
    assert kg.cli.network_commands.MEASURES == kg.network.MEASURES
    assert kg.cli.network_commands.COMMUNITY_ALGORITHMS == kg.network.COMMUNITY_ALGORITHMS
    assert kg.cli.network_commands.VIZ_MAX_NODES == kg.network.viz.DEFAULT_MAX_NODES


def test_kg_network_writes_each_format(graph_args: list[str], tmp_path: Path) -> None:
    for fmt in ("graphml", "gexf", "json"):
        target = tmp_path / f"net.{fmt}"
        code, _, err = invoke("network", "--format", fmt, "--output", str(target), *graph_args)
        assert code == 0, err
        assert err.strip() == f"Wrote {target}: 19 nodes, 46 edges"
    code, out, _ = invoke("network", "--format", "json", "--no-collapse", *graph_args)
    assert code == 0 and len(json.loads(out)["nodes"]) == 31


def test_kg_neighbors_output(graph_args: list[str]) -> None:
    code, out, err = invoke("neighbors", "sco", "--depth", "2", "-r", "member-of",
                            "-r", "unit-of", "-r", "head-of", *graph_args)
    assert code == 0, err
    assert out == (
        "Shanghai Cooperation Organization (sco, IntergovernmentalOrganization): "
        "3 neighbors within 2 hops\n"
        "1  China (china, State)\n"
        "     China is a member of Shanghai Cooperation Organization. "
        "[xinhua-2023-04-20-chinese-fm-meets-sco-chief: p6.s1, p7.s1]\n"
        "1  SCO Secretariat (sco-secretariat, OrganizationalUnit)\n"
        "     SCO Secretariat is a unit of Shanghai Cooperation Organization. "
        "[xinhua-2023-04-20-chinese-fm-meets-sco-chief: p8.s1, p10.s1]\n"
        "2  Zhang Ming (zhang-ming, Person) via sco-secretariat\n"
        "     Zhang Ming leads SCO Secretariat. "
        "[xinhua-2023-04-20-chinese-fm-meets-sco-chief: p10.s1]\n")


def test_kg_neighbors_names_the_source_of_each_link(graph_args: list[str]) -> None:
    code, out, err = invoke("neighbors", "foreign-minister-of-china", *graph_args)
    assert code == 0, err
    assert out.splitlines()[1:] == [
        "1  Ministry of Foreign Affairs of China (ministry-of-foreign-affairs-of-china, "
        "GovernmentBody)",
        "     Foreign Minister of China is a post in Ministry of Foreign Affairs of China. "
        "[registry]",
        "1  Qin Gang (qin-gang, Person)",
        "     Qin Gang holds the post Foreign Minister of China (attested 2023-04-19). "
        "[xinhua-2023-04-20-chinese-fm-meets-sco-chief: p3.s1, p4.s1]"]


def test_kg_central_and_communities(graph_args: list[str]) -> None:
    code, out, _ = invoke("central", "--measure", "pagerank", "--top", "2", *graph_args)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3 and lines[0].split()[:3] == ["rank", "pagerank", "id"]
    assert lines[1].split()[0::2][:2] == ["1", "qin-gang"]
    code, out, _ = invoke("communities", *graph_args)
    assert code == 0 and out.startswith("Community 1 (")


@pytest.mark.parametrize(("args", "message"), [
    (["path", "xi-jinpin", "zhang-ming"], "Error: unknown id 'xi-jinpin': did you mean "
                                          "xi-jinping"),
    (["neighbors", "nobody-at-all"], "Error: unknown id 'nobody-at-all'"),
    (["neighbors", "qin-gang", "--depth", "0"], "Error: Invalid value for '--depth'"),
    (["neighbors", "qin-gang", "--depth", "x"], "Error: Invalid value for '--depth'"),
    (["central", "--measure", "fame"], "Error: Invalid value for '--measure'"),
    (["central", "--top", "0"], "Error: Invalid value for '--top'"),
    (["communities", "--algorithm", "magic"], "Error: Invalid value for '--algorithm'"),
    (["network", "--format", "dot"], "Error: Invalid value for '--format'"),
    (["path", "china", "sco", "--all", "-k", "2"], "Error: give --all or -k N, not both"),
])
def test_bad_input_is_one_error_line(graph_args: list[str], args: list[str],
                                     message: str) -> None:
    code, out, err = invoke(*args, *graph_args)
    assert code == 1
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith(message), err
    assert "Traceback" not in err


@pytest.mark.parametrize(("args", "message"), [
    (["--focus", "nobody"], "Error: unknown id 'nobody'"),
    (["--depth", "2"], "Error: --depth needs --focus ID"),
    (["--max-nodes", "5"], "Error: 19 nodes to draw, above the cap of 5: draw a part with "
                           "--focus ID"),
    (["--types", "Persn"], "Error: unknown class 'Persn'"),
    (["--since", "2023-13"], "Error: --since: '2023-13' is not a date"),
    (["--types", "Person", "--since", "2030"], "Error: nothing to draw"),
    (["--max-nodes", "0"], "Error: Invalid value for '--max-nodes'"),
])
def test_kg_viz_bad_input_writes_nothing(graph_args: list[str], tmp_path: Path,
                                         args: list[str], message: str) -> None:
    target = tmp_path / "out.html"
    code, out, err = invoke("viz", "--output", str(target), *args, *graph_args)
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1 and err.startswith(message), err
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_kg_viz_writes_a_page(graph_args: list[str], tmp_path: Path) -> None:
    target = tmp_path / "qin.html"
    code, out, err = invoke("viz", "--focus", "qin-gang", "--depth", "1", "--output",
                            str(target), *graph_args)
    assert code == 0, err
    assert out.startswith(f"Wrote {target}: 13 nodes, 36 relations")
    page = target.read_text("utf-8")
    assert "<title>Around Qin Gang</title>" in page


def test_doctests() -> None:
    for module in (kg.network, kg.network.viz):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_the_projection_is_the_same_from_a_read_only_oxigraph_store(
        dataset: Dataset, collapsed: nx.MultiDiGraph[str], tmp_path: Path) -> None:
    from kg.store.oxigraph import as_dataset, open_store, write_new_store

    write_new_store(tmp_path / "store", dataset.serialize(format="nquads", encoding="utf-8"))
    stored = project(as_dataset(open_store(tmp_path / "store")))
    assert set(stored) == set(collapsed)
    assert triples(stored) == triples(collapsed)
    assert stored.nodes["qin-gang"] == collapsed.nodes["qin-gang"]
