"""The network as one self-contained HTML page that works offline and never runs its data.

The page inlines vis-network (the build pyvis ships in its package, found without
importing pyvis) and the project's own small script; nothing is fetched, no CDN is named.
pyvis's own template is not used: it links bootstrap from a CDN even "in line", writes
node ids raw into HTML and switches tooltips to ``innerHTML`` when a title contains
"href" (see DESIGN.md). Here every label is data: the graph goes into a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, tooltips
are built as DOM nodes with ``textContent``, and a Content-Security-Policy allows only
the two inline scripts (by hash) and no connection at all. Node ids in the page carry a
prefix (:func:`vis_id`), so that no entity id can collide with what every JavaScript
object inherits (``constructor``, ``__proto__``, ``toString``, ...).

The page's own script also keeps a drawing of many articles readable: a date range that
hides the dated relations outside it (by the same interval rule as ``--since/--until``,
from the day spans :func:`vis_data` writes for every fact), a search by label or alias in
any language, and a highlight of one entity's neighbourhood that dims everything else.

>>> import networkx as nx
>>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
>>> g.add_node("a", label="<img src=x onerror=alert(1)>", cls="Person")
>>> g.add_node("b", label="B", cls="State")
>>> _ = g.add_edge("a", "b", relation="member-of", label="member of")
>>> page = render_html(g, title="Demo")
>>> "<img" in page, "\\\\u003cimg src=x" in page
(False, True)
>>> "http://" in page.split("<script")[0] or "https://" in page.split("<script")[0]
False
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import KGError
from kg.network import edge_sentence, evidence_text, relation_label
from kg.network.select import _span

__all__ = ["CLASS_STYLES", "DEFAULT_MAX_NODES", "check_size", "day_span", "render_html",
           "vis_assets", "vis_data", "vis_id"]

#: The default node cap of ``kg viz``. Measured in headless Chromium on 2 cores
#: (benchmarks/viz_timing.py, docs/network.md): at 500 nodes and ~1,250 edges the page is
#: drawn and its layout settled in about 2 s; 4-5 s at 1,000 nodes, 9-11 s at 2,000.
DEFAULT_MAX_NODES = 500

#: Colour and vis-network shape by class (most specific class first).
CLASS_STYLES: dict[str, tuple[str, str]] = {
    "Person": ("#4e79a7", "dot"),
    "State": ("#e15759", "square"),
    "IntergovernmentalOrganization": ("#f28e2b", "square"),
    "GovernmentBody": ("#b07aa1", "square"),
    "OrganizationalUnit": ("#ff9da7", "square"),
    "NewsAgency": ("#9c755f", "square"),
    "Organization": ("#d37295", "square"),
    "Post": ("#76b7b2", "diamond"),
    "Place": ("#59a14f", "triangle"),
    "Meeting": ("#edc948", "star"),
    "Summit": ("#e8a33d", "star"),
    "Event": ("#c9a227", "star"),
    "PolicyInitiative": ("#8cd17d", "hexagon"),
    "Agreement": ("#499894", "hexagon"),
    "ReportedStatement": ("#a0a0a0", "triangleDown"),
    "PostHolding": ("#86bcb6", "triangleDown"),
}
_OTHER = ("#7f7f7f", "dot")
_SYMBOLS = {"dot": "\u25cf", "square": "\u25a0", "diamond": "\u25c6", "triangle": "\u25b2",
            "star": "\u2605", "hexagon": "\u2b22", "triangleDown": "\u25bc"}
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

_VIS_DIR = "vis-9.1.2"


@cache
def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, from the files bundled in the pyvis package.

    pyvis is located, not imported (importing it pulls in IPython).

    >>> js, css = vis_assets()
    >>> "vis-network" in js[:200] and ".vis-network" in css
    True
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise KGError("pyvis is not installed (it ships the vis-network script): "
                      "pip install pyvis==0.3.2")
    for location in spec.submodule_search_locations:
        folder = Path(location) / "templates" / "lib" / _VIS_DIR
        if not folder.is_dir():
            folder = Path(location) / "lib" / _VIS_DIR
        js, css = folder / "vis-network.min.js", folder / "vis-network.css"
        if js.is_file() and css.is_file():
            script, style = js.read_text("utf-8"), css.read_text("utf-8")
            if re.search(r"</script|<!--", script, re.I) or re.search(r"</style", style, re.I):
                raise KGError(f"{folder}: the bundled vis-network cannot be inlined safely")
            return script, style
    raise KGError(f"pyvis's bundled vis-network ({_VIS_DIR}) was not found: "
                  "reinstall pyvis==0.3.2")


def check_size(graph: nx.MultiDiGraph[str], max_nodes: int = DEFAULT_MAX_NODES) -> None:
    """Refuse to draw more nodes than the cap, saying how to draw less (or raise the cap).

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> g.add_nodes_from(range(3))
    >>> try:  # doctest: +NORMALIZE_WHITESPACE
    ...     check_size(g, 2)
    ... except KGError as exc:
    ...     print(exc)
    3 nodes to draw, above the cap of 2: draw a part with --focus ID --depth N (or --types,
    --since/--until), or raise the cap with --max-nodes 3
    """
    if max_nodes < 1:
        raise KGError(f"--max-nodes must be 1 or more (got {max_nodes})")
    count = graph.number_of_nodes()
    if count > max_nodes:
        raise KGError(f"{count} nodes to draw, above the cap of {max_nodes}: draw a part "
                      "with --focus ID --depth N (or --types, --since/--until), or raise "
                      f"the cap with --max-nodes {count}")
    if count == 0:
        raise KGError("nothing to draw: no node is left after the filters")


def _style(cls: str) -> tuple[str, str]:
    return CLASS_STYLES.get(cls, _OTHER)


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

    The span ``--since/--until`` compare (:mod:`kg.network.select`): ``date`` of any
    precision covers all its days, ``start`` without ``end`` is open; a value that is not a
    date counts as undated, as there. The page compares these strings with the bounds of
    the range typed in it.

    >>> day_span({"date": "2023-04"}), day_span({"start": "2022"}), day_span({})
    (['2023-04-01', '2023-04-30'], ['2022-01-01', '9999-12-31'], None)
    """
    try:
        span = _span(attrs)
    except ValueError:
        return None
    return None if span is None else [span[0].isoformat(), span[1].isoformat()]


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
        colour, shape = _style(cls)
        label = str(attrs.get("label", node))
        entry: dict[str, Any] = {"vis": {"id": vis_id(node), "label": label, "shape": shape,
                                         "color": colour},
                                 "tip": _node_tip(graph, node), "names": _names(attrs, label)}
        span = day_span(attrs)
        if span is not None:
            entry["span"] = span
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
    order = list(CLASS_STYLES)
    legend = []
    for cls in sorted(classes, key=lambda c: (order.index(c) if c in order else len(order), c)):
        colour, shape = _style(cls)
        legend.append({"label": cls, "color": colour, "symbol": _SYMBOLS.get(shape, "\u25cf"),
                       "count": classes[cls]})
    return {"title": title,
            "summary": f"{len(nodes)} nodes, {graph.number_of_edges()} relations "
                       f"({len(edges)} drawn edges)",
            "nodes": nodes, "edges": edges, "legend": legend, "dates": sorted(dates),
            "options": options if options is not None else VIS_OPTIONS}


def script_json(data: Any) -> str:
    """JSON safe inside an HTML ``<script>`` element: ``<``, ``>``, ``&`` and the JS line
    separators are written as ``\\uXXXX`` escapes, so no text can close the element.

    >>> script_json({"label": "</script><b>&"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


_APP_JS = r"""
(function () {
  "use strict";
  var timings = window.kgTimings = {script: performance.now()};
  var status = document.getElementById("kg-status");
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function tip(lines) {
    var box = el("div", "kg-tip");
    lines.forEach(function (line) { box.appendChild(el("div", "kg-" + line[0], line[1])); });
    return box;
  }
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  document.getElementById("kg-title").textContent = data.title;
  document.getElementById("kg-summary").textContent = data.summary;
  var legend = document.getElementById("kg-legend");
  data.legend.forEach(function (item) {
    var row = el("li");
    var mark = el("span", "kg-mark", item.symbol);
    mark.style.color = item.color;
    row.appendChild(mark);
    row.appendChild(el("span", null, item.label + " (" + item.count + ")"));
    legend.appendChild(row);
  });
  var nodes = data.nodes.map(function (n) {
    var o = Object.assign({}, n.vis); o.title = tip(n.tip); return o;
  });
  var edges = data.edges.map(function (e) {
    var o = Object.assign({}, e.vis); o.title = tip(e.tip); return o;
  });
  var nodeSet = new vis.DataSet(nodes), edgeSet = new vis.DataSet(edges);
  var network = new vis.Network(document.getElementById("kg-network"),
    {nodes: nodeSet, edges: edgeSet}, data.options);
  window.kgNetwork = network;
  network.on("stabilizationProgress", function (p) {
    status.textContent = "Laying out\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("afterDrawing", function () { timings.firstDraw = performance.now(); });
  network.once("stabilizationIterationsDone", function () {
    timings.stabilized = performance.now();
    network.setOptions({physics: {enabled: false}});
    status.textContent = "Hover a node or an edge for its labels, dates and evidence; " +
      "click a node to highlight its neighbours.";
    document.body.setAttribute("data-kg-state", "stabilized");
  });

  // What is shown: a date range hides relations; one node's neighbourhood dims the rest.
  var options = data.options || {};
  var nodeFont = ((options.nodes || {}).font || {}).color || "#343434";
  var edgeColour = (options.edges || {}).color || {color: "#848484"};
  var edgeFont = ((options.edges || {}).font || {}).color || "#343434";
  var DIM_NODE = {background: "#eeeeee", border: "#dddddd",
                  highlight: {background: "#eeeeee", border: "#cccccc"},
                  hover: {background: "#eeeeee", border: "#cccccc"}};
  var DIM_EDGE = {color: "#eeeeee", highlight: "#dddddd", hover: "#dddddd"};
  var DIM_TEXT = "#cccccc";
  var view = {from: null, to: null, focus: null};
  var nodeState = new Map();
  data.nodes.forEach(function (n) {
    nodeState.set(n.vis.id, {entry: n, hidden: false, dim: false});
  });
  var edgeState = data.edges.map(function (e) {
    return {entry: e, hidden: false, dim: false};
  });
  var shown = document.getElementById("kg-shown");
  var listed = [];  // the names found: {id, button}, disabled while outside the dates

  function inRange(span) {
    if (!span) { return true; }
    if (view.from !== null && view.to !== null && view.from > view.to) { return false; }
    return (view.from === null || span[1] >= view.from) && (view.to === null || span[0] <= view.to);
  }
  function apply() {
    var ranged = view.from !== null || view.to !== null;
    var linked = new Set();  // the nodes of the edges shown
    var visibleEdges = edgeState.map(function (e) {
      var v = e.entry.vis;
      var keep = !ranged || (inRange(nodeState.get(v.from).entry.span) &&
        inRange(nodeState.get(v.to).entry.span) && e.entry.spans.some(inRange));
      if (keep) { linked.add(v.from); linked.add(v.to); }
      return keep;
    });
    if (view.focus !== null && ranged && !linked.has(view.focus)) {
      view.focus = null;
      network.unselectAll();
    }
    var near = new Set();
    if (view.focus !== null) {
      near.add(view.focus);
      edgeState.forEach(function (e, i) {
        var v = e.entry.vis;
        if (visibleEdges[i] && (v.from === view.focus || v.to === view.focus)) {
          near.add(v.from); near.add(v.to);
        }
      });
    }
    var nodeUpdates = [], edgeUpdates = [], nodeCount = 0, edgeCount = 0;
    nodeState.forEach(function (n, id) {
      var hidden = ranged && !linked.has(id);
      var dim = !hidden && view.focus !== null && !near.has(id);
      if (!hidden) { nodeCount += 1; }
      var change = {id: id};
      if (hidden !== n.hidden) { change.hidden = n.hidden = hidden; }
      if (dim !== n.dim) {
        change.kgDim = n.dim = dim;
        change.color = dim ? DIM_NODE : n.entry.vis.color;
        change.font = {color: dim ? DIM_TEXT : nodeFont};
      }
      if (Object.keys(change).length > 1) { nodeUpdates.push(change); }
    });
    edgeState.forEach(function (e, i) {
      var v = e.entry.vis, hidden = !visibleEdges[i];
      var dim = !hidden && view.focus !== null && v.from !== view.focus && v.to !== view.focus;
      if (!hidden) { edgeCount += 1; }
      var change = {id: v.id};
      if (hidden !== e.hidden) { change.hidden = e.hidden = hidden; }
      if (dim !== e.dim) {
        change.kgDim = e.dim = dim;
        change.color = Object.assign({}, dim ? DIM_EDGE : edgeColour);
        change.font = {color: dim ? DIM_TEXT : edgeFont};
      }
      if (Object.keys(change).length > 1) { edgeUpdates.push(change); }
    });
    if (nodeUpdates.length) { nodeSet.update(nodeUpdates); }
    if (edgeUpdates.length) { edgeSet.update(edgeUpdates); }
    listed.forEach(function (item) { item.button.disabled = nodeState.get(item.id).hidden; });
    shown.textContent = "Showing " + nodeCount + " of " + nodeState.size + " nodes and " +
      edgeCount + " of " + edgeState.length + " edges.";
  }

  // The date range: any precision, compared as intervals of days (as kg viz --since/--until).
  var DATE = /^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$/;
  function pad(n, width) { return String(n).padStart(width, "0"); }
  function bounds(text) {
    var m = DATE.exec(text);
    if (!m || Number(m[1]) < 1) { return null; }
    if (!m[2]) { return [m[1] + "-01-01", m[1] + "-12-31"]; }
    var month = Number(m[2]);
    if (month < 1 || month > 12) { return null; }
    var end = new Date(Date.UTC(2000, 0, 1));
    end.setUTCFullYear(Number(m[1]), month, 0);  // day 0 of the next month: this one's last
    var ym = m[1] + "-" + m[2];
    if (!m[3]) { return [ym + "-01", ym + "-" + pad(end.getUTCDate(), 2)]; }
    var day = Number(m[3]);
    if (day < 1 || day > end.getUTCDate()) { return null; }
    return [ym + "-" + m[3], ym + "-" + m[3]];
  }
  var since = document.getElementById("kg-since"), until = document.getElementById("kg-until");
  var dateNote = document.getElementById("kg-date-note");
  var dateList = document.getElementById("kg-dates");
  data.dates.forEach(function (d) { var o = el("option"); o.value = d; dateList.appendChild(o); });
  var undated = data.edges.filter(function (e) {
    return e.spans.some(function (s) { return !s; });
  }).length;
  var spanText = data.dates.length ? "Dates in the data: " + data.dates[0] +
    (data.dates.length > 1 ? " \u2026 " + data.dates[data.dates.length - 1] : "") + ". "
    : "No dated relation. ";
  var undatedText = undated + " undated edge" + (undated === 1 ? "" : "s") +
    " (memberships, registry links, relations without a date) always stay visible.";
  var typed = {from: "", to: ""};  // the bounds applied, as typed
  function readDates() {
    var problems = [];
    // A text that is not (yet) a date leaves the bound as it was, so that typing
    // "2023-05" does not show everything again at "2023-".
    function read(input, index, name, key, none) {
      var text = input.value.trim(), b = text ? bounds(text) : null;
      if (text && !b) {
        input.setAttribute("aria-invalid", "true");
        problems.push(name + " \u201c" + text + "\u201d is not a date (YYYY, YYYY-MM or " +
          "YYYY-MM-DD); still " + (typed[key] ? key + " " + typed[key] : none) + ".");
        return view[key];
      }
      input.removeAttribute("aria-invalid");
      typed[key] = text;
      return b ? b[index] : null;
    }
    view.from = read(since, 0, "From", "from", "no start");
    view.to = read(until, 1, "To", "to", "no end");
    if (view.from !== null && view.to !== null && view.from > view.to) {
      problems.push("From is after to: no dated relation is in the range.");
    }
    dateNote.textContent = problems.length ? problems.join(" ") : spanText + undatedText;
    dateNote.className = problems.length ? "kg-problem" : "";
    apply();
  }
  since.addEventListener("input", readDates);
  until.addEventListener("input", readDates);

  // Search by name: labels and aliases in every language, case-insensitive.
  function fold(text) { return String(text).normalize("NFKC").toLowerCase(); }
  var index = data.nodes.map(function (n) {
    return {id: n.vis.id, label: n.vis.label, key: fold(n.vis.label), names: n.names,
            folded: n.names.map(fold)};
  });
  var search = document.getElementById("kg-search");
  var found = document.getElementById("kg-found"), results = document.getElementById("kg-results");
  var MAX_LISTED = 50;
  function choose(id, button) {
    view.focus = id;
    apply();
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1),
                       animation: {duration: 300, easingFunction: "easeInOutQuad"}});
    Array.prototype.forEach.call(results.querySelectorAll("button"), function (b) {
      b.removeAttribute("aria-current");
    });
    if (button) { button.setAttribute("aria-current", "true"); }
  }
  function find() {
    var query = fold(search.value).trim();
    results.textContent = "";
    listed = [];
    if (!query) { found.textContent = ""; return; }
    var hits = [], outside = 0;
    index.forEach(function (n) {
      var rank = 3, name = null;
      n.folded.forEach(function (f, i) {
        var at = f.indexOf(query);
        var r = f === query ? 0 : at === 0 ? 1 : at > 0 ? 2 : 3;
        if (r < rank) { rank = r; name = n.names[i]; }
      });
      if (rank === 3) { return; }
      if (nodeState.get(n.id).hidden) { outside += 1; return; }
      hits.push({node: n, rank: rank, name: name});
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || (a.node.key < b.node.key ? -1 : a.node.key > b.node.key ? 1 : 0) ||
        (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0);
    });
    var more = outside ? " (" + outside + " more outside the dates)" : "";
    if (!hits.length) {
      found.textContent = "No shown name contains \u201c" + search.value.trim() + "\u201d" +
        more + ".";
      return;
    }
    found.textContent = hits.length + " found" + more + ":";
    var first = null;
    hits.slice(0, MAX_LISTED).forEach(function (hit) {
      var row = el("li");
      var button = el("button", null, hit.node.label);
      button.type = "button";
      button.addEventListener("click", function () { choose(hit.node.id, button); });
      listed.push({id: hit.node.id, button: button});
      row.appendChild(button);
      if (hit.name !== hit.node.label) { row.appendChild(el("span", "kg-alias", hit.name)); }
      results.appendChild(row);
      if (first === null) { first = button; }
    });
    if (hits.length > MAX_LISTED) {
      results.appendChild(el("li", "kg-more",
                             "\u2026 and " + (hits.length - MAX_LISTED) + " more"));
    }
    choose(hits[0].node.id, first);
  }
  function clear() {
    view.focus = null;
    search.value = "";
    found.textContent = "";
    results.textContent = "";
    listed = [];
    network.unselectAll();
    apply();
  }
  document.getElementById("kg-find").addEventListener("click", find);
  document.getElementById("kg-clear").addEventListener("click", clear);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); find(); }
    if (event.key === "Escape") { event.preventDefault(); clear(); }
  });
  network.on("click", function (params) {
    if (params.nodes.length) {
      view.focus = params.nodes[0];
      apply();
    } else if (!params.edges.length && view.focus !== null) {
      view.focus = null;
      apply();
    }
  });
  readDates();
})();
"""

_CSS = """
html, body { margin: 0; height: 100%; font-family: sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
header { padding: 6px 12px; border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap;
         align-items: baseline; gap: 4px 16px; }
header h1 { font-size: 18px; margin: 0; }
#kg-summary, #kg-status { font-size: 13px; color: #555; }
#kg-legend { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
             gap: 2px 12px; font-size: 13px; }
.kg-mark { display: inline-block; width: 1.2em; text-align: center; }
#kg-network { flex: 1; min-height: 300px; }
div.vis-tooltip { max-width: 420px; white-space: normal; font: 12px/1.35 sans-serif;
                  padding: 6px 8px; }
.kg-h { font-weight: bold; }
.kg-k, .kg-l { color: #444; }
.kg-q { font-style: italic; margin: 2px 0; }
.kg-s { margin-top: 4px; }
.kg-e { color: #555; font-size: 11px; }
#kg-controls { padding: 4px 12px 6px; border-bottom: 1px solid #ddd; display: flex;
               flex-wrap: wrap; align-items: baseline; gap: 4px 14px; font-size: 13px; }
#kg-controls input { font-size: 13px; }
#kg-since, #kg-until { width: 8.5em; }
#kg-search { width: 16em; }
#kg-date-note, #kg-shown, #kg-found { color: #555; }
#kg-date-note.kg-problem { color: #b00020; }
input[aria-invalid=true] { border-color: #b00020; }
#kg-results { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
              gap: 2px 8px; max-height: 4.6em; overflow-y: auto; flex-basis: 100%; }
#kg-results:empty { display: none; }
#kg-results button { font-size: 12px; }
#kg-results button[aria-current=true] { font-weight: bold; }
.kg-alias { color: #555; margin-left: 3px; font-size: 12px; }
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>{vis_css}</style>
<style>{css}</style>
</head>
<body>
<header>
<h1 id="kg-title"></h1>
<span id="kg-summary"></span>
<ul id="kg-legend" aria-label="Legend: colour and shape by class"></ul>
<span id="kg-status">Loading\u2026</span>
</header>
<nav id="kg-controls" aria-label="Dates, search and highlight">
<span><label for="kg-since">From</label> <input id="kg-since" type="text" list="kg-dates"
 placeholder="YYYY[-MM[-DD]]" autocomplete="off" spellcheck="false">
<label for="kg-until">to</label> <input id="kg-until" type="text" list="kg-dates"
 placeholder="YYYY[-MM[-DD]]" autocomplete="off" spellcheck="false"></span>
<datalist id="kg-dates"></datalist>
<span id="kg-date-note"></span>
<span id="kg-shown" aria-live="polite"></span>
<span><label for="kg-search">Find</label> <input id="kg-search" type="search"
 placeholder="a name or alias, any language" autocomplete="off" spellcheck="false">
<button id="kg-find" type="button">Find</button>
<button id="kg-clear" type="button">Clear</button></span>
<span id="kg-found" aria-live="polite"></span>
<ol id="kg-results" aria-label="Names found"></ol>
</nav>
<div id="kg-network"></div>
<script type="application/json" id="kg-data">{data}</script>
<script>{vis_js}</script>
<script>{app_js}</script>
</body>
</html>
"""


def render_html(graph: nx.MultiDiGraph[str], *, title: str = "Diplomacy network",
                max_nodes: int = DEFAULT_MAX_NODES,
                options: dict[str, Any] | None = None) -> str:
    """The whole page as one string: vis-network, styles, data and script inlined.

    Raises :class:`~kg.errors.KGError` when the graph is empty or above ``max_nodes``.
    """
    check_size(graph, max_nodes)
    vis_js, vis_css = vis_assets()
    csp = ("default-src 'none'; "
           f"script-src {_sha256(vis_js)} {_sha256(_APP_JS)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    parts = {"csp": csp, "title": html.escape(title), "vis_css": vis_css, "css": _CSS,
             "data": script_json(vis_data(graph, title=title, options=options)),
             "vis_js": vis_js, "app_js": _APP_JS}
    return re.sub(r"\{(csp|title|vis_css|css|data|vis_js|app_js)\}",
                  lambda m: parts[m.group(1)], _PAGE)
