"""A timeline as one self-contained HTML page that works offline and never runs its data.

The page of ``kg timeline --format html``: a vertical timeline, year by year, each point
with its date, status (planned and designated points marked as such), the fact in one
sentence, the source and the locators. It is an offline page like the drawing's
(:mod:`kg.network.page`): no file or address is fetched, the points sit in a
``<script type="application/json">`` block, the page's one script reads it with
``JSON.parse`` and shows every text with ``textContent``, and a Content-Security-Policy
allows only that script and that style (by hash) and no connection at all. News text
never becomes markup: the page holds no link, the source's address is shown as text.

The same timeline is written into the page as plain HTML (every text escaped), so it
reads without JavaScript too; the script rebuilds it from the data and adds a filter
(by words and by kind of fact).

>>> from kg.graph.timeline import Interval, Timeline, TimelinePoint
>>> point = TimelinePoint(date="2023-04-19", dated_by="attested", kind="holding",
...                       role="post", status="designated", what="<img src=x onerror=1>",
...                       source_title="</script><script>alert(1)</script>")
>>> page = render_page(Timeline("fm", "FM", "Post", Interval(), (point,)))
>>> "<img" in page, "&lt;img src=x onerror=1&gt;" in page, "\\\\u003cimg src=x" in page
(False, True, True)
>>> "</script><script>" in page, "designated successor" in page
(False, True)
"""

from __future__ import annotations

import html
from typing import Any

from kg.graph.timeline import Timeline, TimelinePoint
from kg.network.page import offline_page, page_script

__all__ = ["page_data", "render_page"]

#: Words shown beside a point's date for the statuses that are not plain history.
BADGES = {"planned": "planned", "designated": "designated successor"}


def _year(point: TimelinePoint) -> str:
    return point.date[:4] if point.date is not None else "undated"


def _source(point: TimelinePoint) -> str:
    parts = [point.source_title or point.source_id]
    if point.source_url:
        parts.append(point.source_url)
    if point.locators:
        parts.append(", ".join(point.locators))
    return " \u00b7 ".join(parts)


def _classes(point: TimelinePoint) -> str:
    """CSS classes from fixed names only (never from the data's text)."""
    classes = ["kg-point"]
    if point.status in BADGES:
        classes.append(f"kg-{point.status}")
    return " ".join(classes)


def page_data(found: Timeline) -> dict[str, Any]:
    """What the page shows: its title and summary, and each point's texts.

    >>> from kg.graph.timeline import Interval, Timeline
    >>> page_data(Timeline("fm", "FM", "Post", Interval(), ()))["summary"]
    'FM (fm, Post): no points'
    """
    points = []
    for point in found.points:
        by = point.dated_by + (f" \u00b7 {point.role}" if point.role else "")
        points.append({"year": _year(point), "when": point.when(), "by": by,
                       "badge": BADGES.get(point.status or "", ""), "what": point.what,
                       "source": _source(point), "kind": point.kind,
                       "classes": _classes(point)})
    kinds = sorted({point.kind for point in found.points})
    return {"title": found.title(), "summary": found.summary(), "kinds": kinds,
            "points": points}


_APP_JS = page_script(r"""
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  function point(p) {
    var item = el("li", p.classes);
    var when = el("p", "kg-when");
    when.appendChild(el("span", "kg-date", p.when));
    when.appendChild(el("span", "kg-by", p.by));
    if (p.badge) { when.appendChild(el("span", "kg-badge", p.badge)); }
    item.appendChild(when);
    item.appendChild(el("p", "kg-what", p.what));
    item.appendChild(el("p", "kg-source", p.source));
    return item;
  }
  var controls = document.getElementById("kg-controls");
  var search = el("input");
  search.type = "search";
  search.id = "kg-search";
  search.placeholder = "Filter by words";
  search.setAttribute("aria-label", "Filter the points by words");
  controls.appendChild(search);
  var shownKinds = new Set(data.kinds);
  data.kinds.forEach(function (kind) {
    var label = el("label", "kg-kind");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) { shownKinds.add(kind); } else { shownKinds.delete(kind); }
      draw();
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + kind));
    controls.appendChild(label);
  });
  var count = el("span", "kg-count");
  controls.appendChild(count);
  var list = document.getElementById("kg-timeline");
  function draw() {
    var words = search.value.toLowerCase();
    var fresh = el("ol");
    fresh.id = "kg-timeline";
    var year = null, shown = 0;
    data.points.forEach(function (p) {
      if (!shownKinds.has(p.kind)) { return; }
      var text = [p.when, p.by, p.badge, p.what, p.source].join(" ").toLowerCase();
      if (words && text.indexOf(words) < 0) { return; }
      if (p.year !== year) {
        year = p.year;
        var heading = el("li", "kg-year");
        heading.appendChild(el("h2", null, year));
        fresh.appendChild(heading);
      }
      fresh.appendChild(point(p));
      shown += 1;
    });
    if (shown === 0) { fresh.appendChild(el("li", "kg-empty", "No points.")); }
    list.replaceWith(fresh);
    list = fresh;
    count.textContent = shown + " of " + data.points.length + " points shown";
  }
  search.addEventListener("input", draw);
  document.getElementById("kg-title").textContent = data.title;
  document.getElementById("kg-summary").textContent = data.summary;
  draw();
  controls.hidden = false;
  document.body.setAttribute("data-kg-state", "ready");
""")

_CSS = """
body { margin: 0 auto; max-width: 60em; padding: 0 16px 32px; font: 15px/1.45 sans-serif;
       color: #222; }
header { border-bottom: 1px solid #ddd; padding: 8px 0; }
header h1 { font-size: 20px; margin: 4px 0; }
#kg-summary, .kg-count { color: #555; font-size: 13px; }
#kg-controls { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center;
               margin-top: 6px; font-size: 13px; }
#kg-controls[hidden] { display: none; }
#kg-timeline { list-style: none; margin: 12px 0 0 8px; padding: 0 0 0 20px;
               border-left: 3px solid #c8d3dd; }
.kg-year h2 { font-size: 16px; margin: 18px 0 6px -34px; background: #fff;
              display: inline-block; padding: 2px 6px; border: 1px solid #c8d3dd;
              border-radius: 4px; }
.kg-point { position: relative; margin: 0 0 14px; }
.kg-point::before { content: ""; position: absolute; left: -28px; top: 5px; width: 11px;
                    height: 11px; border-radius: 50%; background: #4e79a7;
                    border: 2px solid #4e79a7; }
.kg-planned::before { background: #fff; border-style: dashed; border-color: #e15759; }
.kg-designated::before { background: #fff; border-color: #b07aa1; }
.kg-point p { margin: 0; }
.kg-when { font-size: 13px; color: #444; }
.kg-date { font-weight: bold; margin-right: 8px; }
.kg-by { color: #666; margin-right: 8px; }
.kg-badge { font-size: 12px; padding: 0 6px; border-radius: 8px; color: #fff;
            background: #b07aa1; }
.kg-planned .kg-badge { background: #e15759; }
.kg-planned .kg-what { font-style: italic; }
.kg-source { font-size: 12px; color: #555; overflow-wrap: anywhere; }
.kg-empty { color: #555; }
"""

_BODY = """<header>
<h1 id="kg-title">{title}</h1>
<p id="kg-summary">{summary}</p>
<div id="kg-controls" hidden></div>
</header>
<main>
<ol id="kg-timeline">{points}</ol>
</main>
"""


def _static(data: dict[str, Any]) -> str:
    """The points as plain HTML, every text escaped: the page without JavaScript."""
    esc = html.escape
    items: list[str] = []
    year = None
    for p in data["points"]:
        if p["year"] != year:
            year = p["year"]
            items.append(f'\n<li class="kg-year"><h2>{esc(year)}</h2></li>')
        badge = f'<span class="kg-badge">{esc(p["badge"])}</span>' if p["badge"] else ""
        items.append(
            f'\n<li class="{esc(p["classes"])}"><p class="kg-when">'
            f'<span class="kg-date">{esc(p["when"])}</span>'
            f'<span class="kg-by">{esc(p["by"])}</span>{badge}</p>'
            f'<p class="kg-what">{esc(p["what"])}</p>'
            f'<p class="kg-source">{esc(p["source"])}</p></li>')
    if not items:
        items.append('\n<li class="kg-empty">No points.</li>')
    return "".join(items) + "\n"


def render_page(found: Timeline) -> str:
    """The whole page as one string: styles, data and script inlined."""
    data = page_data(found)
    body = _BODY.format(title=html.escape(data["title"]),
                        summary=html.escape(data["summary"]), points=_static(data))
    return offline_page(title=data["title"], styles=[_CSS], body=body, data=data,
                        scripts=[_APP_JS], body_attributes=' data-kg-state="static"')
