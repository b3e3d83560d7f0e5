"""What the drawing shows, as data: vis-network's nodes and edges, tooltips, legend, dates.

:func:`vis_data` turns a part of the network into the JSON the page of :mod:`kg.network.viz`
reads: each node and edge with its colour and shape, its tooltip as lines of text (the page
builds them with ``textContent``), the names the page searches, and the day spans its date
range compares (by the rule of ``--since/--until``, :func:`kg.dates.span`). Entity classes
are drawn by :data:`CLASS_STYLES`; the fact nodes of the uncollapsed view by their kind's
style (:attr:`kg.kinds.base.FactKind.style`).

>>> import networkx as nx
>>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
>>> g.add_node("a", label="<b>", cls="Person")
>>> g.add_node("h", label="holding", cls="PostHolding", kind="fact")
>>> [(n["vis"]["label"], n["vis"]["color"]) for n in vis_data(g)["nodes"]]
[('<b>', '#4e79a7'), ('holding', '#86bcb6')]
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from kg.dates import span
from kg.kinds import KINDS
from kg.kinds.base import Style
from kg.network.projection import dip_name, relation_label
from kg.network.sentences import edge_sentence, evidence_text

__all__ = ["CLASS_STYLES", "VIS_OPTIONS", "day_span", "vis_data", "vis_id"]

#: Colour and vis-network shape of entities by class (most specific class first).
CLASS_STYLES: dict[str, Style] = {
    "Person": Style("#4e79a7", "dot"),
    "State": Style("#e15759", "square"),
    "IntergovernmentalOrganization": Style("#f28e2b", "square"),
    "GovernmentBody": Style("#b07aa1", "square"),
    "OrganizationalUnit": Style("#ff9da7", "square"),
    "NewsAgency": Style("#9c755f", "square"),
    "Organization": Style("#d37295", "square"),
    "Post": Style("#76b7b2", "diamond"),
    "Place": Style("#59a14f", "triangle"),
    "Meeting": Style("#edc948", "star"),
    "Summit": Style("#e8a33d", "star"),
    "Event": Style("#c9a227", "star"),
    "PolicyInitiative": Style("#8cd17d", "hexagon"),
    "Agreement": Style("#499894", "hexagon"),
}
#: Every style by class, in the legend's order: the entities', then the fact kinds'.
_STYLES: dict[str, Style] = {
    **CLASS_STYLES,
    **{name: kind.style for kind in KINDS if (name := dip_name(kind.rdf_class)) is not None},
}
_OTHER = Style("#7f7f7f", "dot")
_MAX_FACTS_IN_TIP = 12

#: vis-network options; physics tuned by measurement (see docs/network.md).
VIS_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "nodes": {"size": 14, "borderWidth": 1,
              "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3,
                       "strokeColor": "#ffffff"}},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
              "color": {"color": "#9a9a9a", "highlight": "#333333", "hover": "#333333"},
              "font": {"size": 10, "align": "middle", "color": "#444444", "strokeWidth": 3,
                       "strokeColor": "#ffffff"},
              "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3},
              "width": 1},
    "physics": {"enabled": True, "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.01,
                                     "springLength": 110, "springConstant": 0.08,
                                     "damping": 0.5, "avoidOverlap": 0.2},
                "maxVelocity": 50, "minVelocity": 1, "timestep": 0.4,
                "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 25,
                                  "fit": True}},
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True,
                    "multiselect": True},
    "layout": {"improvedLayout": False, "randomSeed": 7},
}


def _style(cls: str) -> Style:
    return _STYLES.get(cls, _OTHER)


def _dates(graph: nx.MultiDiGraph[str], node: str) -> list[str]:
    found = {str(d["date"]) for _, _, d in graph.in_edges(node, data=True) if d.get("date")}
    found |= {str(d["date"]) for _, _, d in graph.out_edges(node, data=True) if d.get("date")}
    return sorted(found)


def _node_tip(graph: nx.MultiDiGraph[str], node: str) -> list[list[str]]:
    attrs = graph.nodes[node]
    lines = [["h", str(attrs.get("label", node))],
             ["k", f"{attrs.get('cls', 'Thing')} \u00b7 {node}"]]
    for lang, text in (attrs.get("labels") or {}).items():
        lines.append(["l", f"{lang or '?'}: {text}"])
    for lang, names in (attrs.get("aliases") or {}).items():
        lines.append(["l", f"also ({lang or '?'}): {'; '.join(names)}"])
    if attrs.get("description"):
        lines.append(["q", str(attrs["description"])])
    if attrs.get("date"):
        lines.append(["k", f"date: {attrs['date']}"])
    if attrs.get("unnamed_participants"):
        lines.append(["k", f"also present: {attrs['unnamed_participants']}"])
    if attrs.get("summary"):
        lines.append(["q", str(attrs["summary"])])
    dates = _dates(graph, node)
    if dates:
        span = dates[0] if len(dates) == 1 else f"{dates[0]} \u2026 {dates[-1]}"
        lines.append(["k", f"dated relations: {span}"])
    if attrs.get("kind") == "fact":
        lines.append(["e", evidence_text(attrs)])
    degree = graph.degree(node)
    lines.append(["k", f"{degree} relation{'s' if degree != 1 else ''}"])
    return lines


def _edge_tip(graph: nx.MultiDiGraph[str], u: str, v: str,
              group: list[dict[str, Any]]) -> list[list[str]]:
    relation = str(group[0].get("relation", ""))
    lines = [["h", f"{graph.nodes[u].get('label', u)} \u2192 "
                   f"{relation_label(relation)} \u2192 "
                   f"{graph.nodes[v].get('label', v)}"],
             ["k", f"{len(group)} fact{'s' if len(group) != 1 else ''} \u00b7 {relation}"]]
    for attrs in group[:_MAX_FACTS_IN_TIP]:
        lines.append(["s", edge_sentence(graph, u, v, attrs, with_source=False)])
        if attrs.get("summary"):
            lines.append(["q", str(attrs["summary"])])
        evidence = evidence_text(attrs)
        if attrs.get("publisher") or attrs.get("published"):
            evidence += f" ({attrs.get('publisher', '')}, {str(attrs.get('published', ''))[:10]})"
        lines.append(["e", evidence])
    if len(group) > _MAX_FACTS_IN_TIP:
        lines.append(["k", f"\u2026 and {len(group) - _MAX_FACTS_IN_TIP} more"])
    return lines


def _edge_label(relation: str, group: list[dict[str, Any]]) -> str:
    label = relation_label(relation)
    dates = sorted({str(d["date"]) for d in group if d.get("date")})
    if len(group) > 1:
        label += f" \u00d7{len(group)}"
    if dates:
        label += " " + (dates[0] if len(dates) == 1 else f"{dates[0]}\u2013{dates[-1]}")
    return label


def day_span(attrs: dict[str, Any]) -> list[str] | None:
    """The first and last day (``YYYY-MM-DD``) of a relation or a node, None when undated.

    The span ``--since/--until`` compare (:func:`kg.dates.span`): ``date`` of any
    precision covers all its days, ``start`` without ``end`` is open; a value that is not a
    date counts as undated, as there. The page compares these strings with the bounds of
    the range typed in it.

    >>> day_span({"date": "2023-04"}), day_span({"start": "2022"}), day_span({})
    (['2023-04-01', '2023-04-30'], ['2022-01-01', '9999-12-31'], None)
    """
    try:
        days = span(attrs)
    except ValueError:
        return None
    return None if days is None else [days[0].isoformat(), days[1].isoformat()]


def _names(attrs: dict[str, Any], label: str) -> list[str]:
    """Every name of a node, for the page's search: its label, labels and aliases."""
    names = [label, *(str(t) for t in (attrs.get("labels") or {}).values())]
    for aliases in (attrs.get("aliases") or {}).values():
        names.extend(str(a) for a in aliases)
    return list(dict.fromkeys(n for n in names if n))


def _date_texts(attrs: dict[str, Any]) -> set[str]:
    return {str(attrs[key]) for key in ("date", "start", "end") if attrs.get(key)}


def vis_id(node: str) -> str:
    """The id of a node in the page: the entity id behind a prefix.

    vis-network keeps nodes in plain JavaScript objects keyed by id, so an entity whose
    id is ``constructor``, ``__proto__`` or ``toString`` would collide with what every
    object inherits (and the page would fail to draw); no inherited name starts with
    ``n:``.

    >>> vis_id("constructor")
    'n:constructor'
    """
    return f"n:{node}"


def vis_data(graph: nx.MultiDiGraph[str], *, title: str = "Diplomacy network",
             options: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the page draws: vis nodes and edges, their tooltips as text lines, the legend.

    Parallel edges of one relation and direction are drawn as one edge labelled with
    their count whose tooltip lists every fact; different relations between the same pair are
    drawn as separate curves. For the page's controls every node carries its ``names``
    (label, labels and aliases in every language) and its own ``span`` when dated (events,
    statements), every drawn edge the ``spans`` of its facts (None for an undated fact), and
    ``dates`` lists the dates as curated.

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> g.add_node("q", label="Qin Gang", cls="Person")
    >>> g.add_node("s", label="SCO", cls="IntergovernmentalOrganization")
    >>> _ = g.add_edge("q", "s", relation="spoke-about", date="2023-04-19")
    >>> _ = g.add_edge("q", "s", relation="spoke-about", date="2023-04-19")
    >>> [e["vis"]["label"] == f"spoke about {chr(215)}2 2023-04-19" for e in vis_data(g)["edges"]]
    [True]
    >>> [e["spans"] for e in vis_data(g)["edges"]], vis_data(g)["dates"]
    ([[['2023-04-19', '2023-04-19'], ['2023-04-19', '2023-04-19']]], ['2023-04-19'])
    """
    classes: Counter[str] = Counter()
    dates: set[str] = set()
    nodes = []
    for node, attrs in graph.nodes(data=True):
        cls = str(attrs.get("cls", "Thing"))
        classes[cls] += 1
        style = _style(cls)
        label = str(attrs.get("label", node))
        entry: dict[str, Any] = {"vis": {"id": vis_id(node), "label": label,
                                         "shape": style.shape, "color": style.colour},
                                 "tip": _node_tip(graph, node), "names": _names(attrs, label)}
        own = day_span(attrs)
        if own is not None:
            entry["span"] = own
            dates |= _date_texts(attrs)
        nodes.append(entry)
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for u, v, attrs in graph.edges(data=True):
        groups.setdefault((u, v, str(attrs.get("relation", ""))), []).append(attrs)
        if day_span(attrs) is not None:
            dates |= _date_texts(attrs)
    per_pair: Counter[frozenset[str]] = Counter()
    edges = []
    for index, ((u, v, relation), group) in enumerate(groups.items()):
        pair = frozenset((u, v))
        nth = per_pair[pair]
        per_pair[pair] += 1
        edge: dict[str, Any] = {"id": f"e{index}", "from": vis_id(u), "to": vis_id(v),
                                "label": _edge_label(relation, group)}
        if nth:
            edge["smooth"] = {"enabled": True, "type": "curvedCW" if nth % 2 else "curvedCCW",
                              "roundness": 0.15 * ((nth + 1) // 2)}
        edges.append({"vis": edge, "tip": _edge_tip(graph, u, v, group),
                      "spans": [day_span(attrs) for attrs in group]})
    order = list(_STYLES)
    legend = []
    for cls in sorted(classes, key=lambda c: (order.index(c) if c in order else len(order), c)):
        style = _style(cls)
        legend.append({"label": cls, "color": style.colour, "symbol": style.symbol,
                       "count": classes[cls]})
    return {"title": title,
            "summary": f"{len(nodes)} nodes, {graph.number_of_edges()} relations "
                       f"({len(edges)} drawn edges)",
            "nodes": nodes, "edges": edges, "legend": legend, "dates": sorted(dates),
            "options": options if options is not None else VIS_OPTIONS}

