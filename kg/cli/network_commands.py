"""The relationship network: ``kg network``, ``neighbors``, ``path``, ``central``,
``communities`` and ``viz``.

Choices are spelled out here so that ``kg --help`` does not import networkx;
tests/network/test_network.py checks they match :mod:`kg.network` and :mod:`kg.network.viz`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kg.cli import (
    BUILD,
    F,
    StrictIntRange,
    choice_option,
    command,
    emit_bytes,
    graph_options,
    open_graph,
    output_option,
)
from kg.errors import KGError

NETWORK_FORMATS = ("graphml", "gexf", "json")
MEASURES = ("degree", "betweenness", "pagerank", "eigenvector")
COMMUNITY_ALGORITHMS = ("louvain", "greedy", "label-propagation")
VIZ_MAX_NODES = 500


def network_options(func: F) -> F:
    """``--collapse/--no-collapse`` and the graph options, for the network commands."""
    func = click.option("--collapse/--no-collapse", default=True, show_default=True,
                        help="Draw n-ary facts (post holdings, statements, meetings) as "
                        "direct edges between the entities they connect, or keep them as "
                        "nodes of their own.")(func)
    return graph_options(func)


def _open_network(collapse: bool, graph_file: Path | None, data_dir: Path,
                  sources_dir: Path | None) -> Any:
    from kg.network import project
    return project(open_graph(graph_file, data_dir, sources_dir), collapse=collapse)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


@command()
@choice_option("--format", "-f", "fmt", choices=NETWORK_FORMATS, default="graphml",
               help="GraphML and GEXF flatten lists and per-language labels into plain "
               "attributes (label_zh, locators); JSON keeps them.")
@output_option
@network_options
def network(fmt: str, output: Path | None, collapse: bool, graph_file: Path | None,
            data_dir: Path, sources_dir: Path | None) -> None:
    """Export the relationship network: entities as nodes, relations as edges with their
    kind, date and evidence (source and locators).

    \b
    Examples:
      kg network --output network.graphml
      kg network --format json --no-collapse > network.json
      kg network --format gexf -o network.gexf      (opens in Gephi)
    """
    from kg.network import serialize
    graph = _open_network(collapse, graph_file, data_dir, sources_dir)
    emit_bytes(serialize(graph, fmt), output,
               f": {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")


def _link_line(graph: Any, link: Any) -> str:
    """A link's sentence, then its source id and locators: ``[SOURCE-ID: p6.s1, p7.s1]``."""
    from kg.network import edge_sentence
    source = link.data.get("source")
    locators = ", ".join(link.data.get("locators") or []) or "no locator"
    where = "registry" if source == "registry" else \
        f"{source}: {locators}" if source else locators
    return f"{edge_sentence(graph, link.source, link.target, link.data, with_source=False)}" \
           f" [{where}]"


@command()
@click.argument("entity")
@click.option("--depth", "-d", type=StrictIntRange(min=1), default=1, show_default=True,
              help="How many hops away to look (edges followed in either direction).")
@click.option("--relation", "-r", "relations", multiple=True,
              help="Follow only this relation (repeat for several), e.g. met, holds, "
              "member-of, spoke-about.")
@network_options
def neighbors(entity: str, depth: int, relations: tuple[str, ...], collapse: bool,
              graph_file: Path | None, data_dir: Path, sources_dir: Path | None) -> None:
    """The entities linked to ENTITY (a registry id such as qin-gang), nearest first,
    each with the facts that link it.

    \b
    Examples:
      kg neighbors qin-gang
      kg neighbors sco --depth 2
      kg neighbors china --relation member-of --relation committed-to
    """
    from kg.network import find_node
    from kg.network import neighbors as find_neighbors
    graph = _open_network(collapse, graph_file, data_dir, sources_dir)
    found = find_neighbors(graph, entity, depth=depth, relations=relations or None)
    start = find_node(graph, entity)
    attrs = graph.nodes[start]
    hops = "hop" if depth == 1 else "hops"
    click.echo(f"{attrs.get('label', start)} ({start}, {attrs.get('cls', '')}): "
               f"{_plural(len(found), 'neighbor')} within {depth} {hops}")
    for item in found:
        via = "" if item.parent == start else f" via {item.parent}"
        click.echo(f"{item.depth}  {item.label} ({item.node}, {item.cls}){via}")
        for link in item.links[:5]:
            click.echo(f"     {_link_line(graph, link)}")
        if len(item.links) > 5:
            click.echo(f"     ... and {len(item.links) - 5} more (kg evidence {item.node})")


@command()
@click.argument("start")
@click.argument("end")
@click.option("--all", "all_paths", is_flag=True,
              help="Every path of the least cost, not just the best one.")
@click.option("-k", "k", type=StrictIntRange(min=1), default=None,
              help="The K best-ranked simple paths (costlier and longer ones too); -k 1 is "
              "the default's path.")
@network_options
def path(start: str, end: str, all_paths: bool, k: int | None, collapse: bool,
         graph_file: Path | None, data_dir: Path, sources_dir: Path | None) -> None:
    """How START and END are connected: the best-ranked path (edges in either direction),
    each hop as a plain sentence with its relation, date, source and locators.

    A hop costs what its strongest fact costs: 1 for a tie (a post held, a meeting, a
    visit, a membership), 1.5 for a weaker one (a statement addressed to someone), 2.5 for
    a mention (a statement about someone). Paths rank by total cost, then by hops.

    \b
    Examples:
      kg path xi-jinping zhang-ming
      kg path xi-jinping zhang-ming --all
      kg path china sco -k 3
    """
    if all_paths and k is not None:
        raise KGError("give --all or -k N, not both")
    from kg.network import edge_sentence, paths
    graph = _open_network(collapse, graph_file, data_dir, sources_dir)
    found = paths(graph, start, end, k=k, all_shortest=all_paths)
    for number, item in enumerate(found, 1):
        names = " -> ".join(str(graph.nodes[n].get("label", n)) for n in item.nodes)
        click.echo(f"Path {number} of {len(found)}, {_plural(len(item.hops), 'hop')}: "
                   f"{names}")
        for index, hop in enumerate(item.hops, 1):
            best = hop.best
            click.echo(f"  {index}. {edge_sentence(graph, best.source, best.target, best.data)}")
            if len(hop.links) > 1:
                more = len(hop.links) - 1
                click.echo(f"     (+{more} more fact{'s' if more != 1 else ''} link "
                           f"{hop.start} and {hop.end}: kg neighbors {hop.start})")


@command()
@choice_option("--measure", "-m", choices=MEASURES, default="degree",
               help="Centrality measure (networkx), on the undirected graph; pagerank and "
               "eigenvector weigh a link by its number of facts.")
@click.option("--top", "-n", type=StrictIntRange(min=1), default=10, show_default=True,
              help="How many to list.")
@network_options
def central(measure: str, top: int, collapse: bool, graph_file: Path | None, data_dir: Path,
            sources_dir: Path | None) -> None:
    """The most central entities of the network under a measure.

    \b
    Examples:
      kg central
      kg central --measure betweenness --top 5
      kg central -m pagerank --no-collapse
    """
    from kg.network import centrality
    graph = _open_network(collapse, graph_file, data_dir, sources_dir)
    ranked = centrality(graph, measure, top=top)
    width = max([len(r.node) for r in ranked] + [2])
    label_width = max([len(r.label) for r in ranked] + [5])
    click.echo(f"{'rank':<5} {measure:<12} {'id':<{width}}  {'label':<{label_width}}  class")
    for rank, item in enumerate(ranked, 1):
        click.echo(f"{rank:<5} {item.score:<12.4f} {item.node:<{width}}  "
                   f"{item.label:<{label_width}}  {item.cls}")


@command()
@choice_option("--algorithm", "-a", choices=COMMUNITY_ALGORITHMS, default="louvain",
               help="networkx community detection (louvain is seeded, so the result repeats).")
@network_options
def communities(algorithm: str, collapse: bool, graph_file: Path | None, data_dir: Path,
                sources_dir: Path | None) -> None:
    """Groups of densely linked entities, largest first.

    \b
    Examples:
      kg communities
      kg communities --algorithm greedy
    """
    from kg.network import communities as detect
    graph = _open_network(collapse, graph_file, data_dir, sources_dir)
    for number, group in enumerate(detect(graph, algorithm), 1):
        names = "; ".join(f"{graph.nodes[n].get('label', n)} ({n})" for n in group)
        click.echo(f"Community {number} ({_plural(len(group), 'node')}): {names}")


@command()
@click.option("--output", "-o", "output", type=click.Path(path_type=Path),
              default=BUILD.network_page, show_default=True, metavar="FILE",
              help="The HTML file to write.")
@click.option("--focus", default=None, help="Draw only the part around this entity id.")
@click.option("--depth", "-d", type=StrictIntRange(min=0), default=None,
              help="With --focus: how many hops around it (default 2).")
@click.option("--types", "types", multiple=True,
              help="Only these classes (comma-separated or repeated), e.g. "
              "Person,Organization; a class keeps its subclasses.")
@click.option("--since", default=None, help="Drop dated relations before this date "
              "(YYYY, YYYY-MM or YYYY-MM-DD); undated ones stay.")
@click.option("--until", default=None, help="Drop dated relations after this date.")
@click.option("--title", default=None, help="Page title (default: 'Diplomacy network', or "
              "'Around LABEL' with --focus).")
@click.option("--max-nodes", type=StrictIntRange(min=1), default=VIZ_MAX_NODES,
              show_default=True, help="Refuse to draw more nodes than this (measured: the "
              "layout settles in about 2 s at 500 nodes on 2 cores, 9-11 s at 2,000).")
@network_options
def viz(output: Path, focus: str | None, depth: int | None, types: tuple[str, ...],
        since: str | None, until: str | None, title: str | None, max_nodes: int,
        collapse: bool, graph_file: Path | None, data_dir: Path,
        sources_dir: Path | None) -> None:
    """Draw the network as one self-contained HTML page: it opens from disk and needs no
    network. Colour and shape by class (legend at the top), directed labelled edges,
    tooltips with every label, class, dates and the evidence of each relation.

    \b
    Examples:
      kg viz                                   (-> build/network.html)
      kg viz --focus qin-gang --depth 1 -o qin-gang.html
      kg viz --types Person,Organization --since 2023 --title "2023: people and organizations"
    """
    if depth is not None and focus is None:
        raise KGError("--depth needs --focus ID")
    from kg.network import find_node, select
    from kg.network.viz import render_html
    from kg.store.files import write_atomically
    graph = _open_network(collapse, graph_file, data_dir, sources_dir)
    wanted = [t for each in types for t in each.split(",")] if types else None
    part = select(graph, focus=focus, depth=2 if depth is None else depth, types=wanted,
                  since=since, until=until)
    if title is None:
        title = "Diplomacy network"
        if focus is not None:
            centre = find_node(graph, focus)
            title = f"Around {graph.nodes[centre].get('label', centre)}"
    page = render_html(part, title=title, max_nodes=max_nodes)
    write_atomically({output: page.encode("utf-8")})
    click.echo(f"Wrote {output}: {part.number_of_nodes()} nodes, {part.number_of_edges()} "
               "relations (self-contained: open it from disk, no network needed)")
