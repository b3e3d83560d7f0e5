"""The drawing's own script, style and markup (:mod:`kg.network.viz` puts them together).

The script reads the page's data (:func:`kg.network.vis_data.vis_data`) from its JSON
block and builds everything it shows as DOM nodes with ``textContent``: the title, the
legend, the tooltips and the names found; then it keeps the date range, the search and the
highlight the page offers.
"""

from __future__ import annotations

from kg.network.page import page_script

__all__ = ["APP_JS", "BODY", "CSS"]

#: The script: draws the network, then keeps the date range, the search and the highlight.
APP_JS = page_script(r"""
  var timings = window.kgTimings = {script: performance.now()};
  var status = document.getElementById("kg-status");
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
""")

#: The page's style (vis-network's own comes first).
CSS = """
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

#: The markup between ``<body>`` and the data: heading, legend, controls, drawing.
BODY = """<header>
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
"""
