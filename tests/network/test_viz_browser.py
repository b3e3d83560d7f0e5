"""`kg viz` pages in a real headless Chromium (Debian's, driven by Playwright), from file://.

The page must work with no network at all (zero requests but the file itself, none
failed), log no console error, hold the expected nodes and edges in its vis network,
show a tooltip on hover, draw something (a screenshot with many colours), and never run
text from the data: labels, aliases, titles and summaries carrying script stay text, and
entity ids that are names every JavaScript object inherits (``constructor``,
``__proto__``, ...) are drawn like any other.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

from kg.cli import main
from kg.network import project, select
from kg.network.vis_data import vis_id
from kg.network.viz import render_html
from kg.pipeline import compile_project

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
DATA = Path(__file__).resolve().parents[2] / "data"
#: The first article curated, whose dates the date-range tests know.
FIRST = "xinhua-2023-04-20-chinese-fm-meets-sco-chief"
FIRST_FILE = "2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml"
SUMMIT = "sco-samarkand-summit-2022"

IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "</script><script>window.__pwned=1</script>"
HREF = '<a href="javascript:window.__pwned=1" onmouseover="window.__pwned=1">href</a>'
SVG = "<svg onload=window.__pwned=1>"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@dataclass
class Opened:
    """A page opened from disk, with everything it asked for and complained about."""

    page: Page
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_page(browser: Browser, path: Path) -> Opened:
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    opened = Opened(page)
    page.on("request", lambda r: opened.requests.append(r.url))
    page.on("requestfailed", lambda r: opened.failed.append(r.url))
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-kg-state=stabilized]", state="attached", timeout=30_000)
    return opened


def hover_node(page: Page, node: str) -> str:
    """Move the mouse onto a node (by its entity id) and return the tooltip's text."""
    spot = page.evaluate("id => window.kgNetwork.canvasToDOM("
                         "window.kgNetwork.getPosition(id))", vis_id(node))
    box = page.locator("#kg-network").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    text = tip.inner_text()
    page.mouse.move(1, 1)
    return text


#: What the page shows: entity ids of the shown and of the dimmed nodes, (from, to,
#: relation) of the shown and of the dimmed edges, and the line that counts them.
VIEW = """() => {
  const data = window.kgNetwork.body.data;
  const entity = visId => visId.slice(2);
  const key = e => [entity(e.from), entity(e.to),
                    e.title.querySelector('.kg-k').textContent.split(' \\u00b7 ').pop()];
  return {nodes: data.nodes.get().filter(n => !n.hidden).map(n => entity(n.id)),
          dimNodes: data.nodes.get().filter(n => n.kgDim).map(n => entity(n.id)),
          edges: data.edges.get().filter(e => !e.hidden).map(key),
          dimEdges: data.edges.get().filter(e => e.kgDim).map(key),
          shown: document.getElementById('kg-shown').textContent};
}"""

Key = tuple[str, str, str]


@dataclass
class View:
    """What the page shows, read from its vis data sets."""

    nodes: set[str]
    edges: set[Key]
    dim_nodes: set[str]
    dim_edges: set[Key]
    shown: str


def view(page: Page) -> View:
    seen = page.evaluate(VIEW)
    return View(set(seen["nodes"]), {tuple(e) for e in seen["edges"]},
                set(seen["dimNodes"]), {tuple(e) for e in seen["dimEdges"]},
                seen["shown"])


def set_range(page: Page, since: str, until: str) -> None:
    page.fill("#kg-since", since)
    page.fill("#kg-until", until)


def search(page: Page, text: str) -> tuple[str, list[str]]:
    """Type a name into the search box, press Enter; the count line and the names listed."""
    page.fill("#kg-search", text)
    page.press("#kg-search", "Enter")
    return (page.inner_text("#kg-found"),
            page.locator("#kg-results li button").all_inner_texts())


def names_of(attrs: dict[str, Any]) -> list[str]:
    return [str(attrs["label"]), *attrs.get("labels", {}).values(),
            *(a for names in attrs.get("aliases", {}).values() for a in names)]


def matching(graph: nx.MultiDiGraph[str], text: str) -> int:
    """How many nodes have a name that holds the text, whatever its case."""
    return sum(1 for _, d in graph.nodes(data=True)
               if any(text.lower() in name.lower() for name in names_of(d)))


def keys(graph: nx.MultiDiGraph[str]) -> set[Key]:
    return {(u, v, d["relation"]) for u, v, d in graph.edges(data=True)}


def click_node(page: Page, node: str) -> None:
    """Click on a node (by its entity id), the whole drawing in view."""
    page.evaluate("window.kgNetwork.fit({animation: false})")
    spot = page.evaluate("id => window.kgNetwork.canvasToDOM("
                         "window.kgNetwork.getPosition(id))", vis_id(node))
    box = page.locator("#kg-network").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    page.mouse.move(1, 1)


def focused_on(page: Page, node: str) -> None:
    """Wait until the view is centred on a node (the search moves it there)."""
    page.wait_for_function("id => { const n = window.kgNetwork; const c = n.getViewPosition(),"
                           " p = n.getPosition(id);"
                           " return Math.abs(c.x - p.x) < 1 && Math.abs(c.y - p.y) < 1; }",
                           arg=vis_id(node), timeout=5_000)


def drawn_edges(graph: nx.MultiDiGraph[str]) -> int:
    return len({(u, v, d["relation"]) for u, v, d in graph.edges(data=True)})


def distinct_colours(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return len(image.getcolors(maxcolors=1 << 24) or [])


def viz(tmp_path: Path, *args: str) -> Path:
    target = tmp_path / "network.html"
    result = CliRunner().invoke(main, ["viz", "--output", str(target), *args])
    assert result.exit_code == 0, result.output
    return target


def test_the_page_works_offline_from_file(browser: Browser, tmp_path: Path, built_dir: Path,
                                          dataset: Any) -> None:
    page_file = viz(tmp_path, "--graph", str(built_dir / "kg.trig"), "--title", "Offline test")
    expected = project(dataset)
    opened = open_page(browser, page_file)
    page = opened.page
    assert opened.requests == [page_file.as_uri()]
    assert opened.failed == []
    assert opened.errors == []
    counts = page.evaluate("[window.kgNetwork.body.data.nodes.length, "
                           "window.kgNetwork.body.data.edges.length]")
    assert counts == [expected.number_of_nodes(), drawn_edges(expected)]
    # directed and labelled: every edge has an arrow and a label
    edges = page.evaluate("Object.values(window.kgNetwork.body.edges).map(e => "
                          "[e.options.arrows.to.enabled, e.options.label])")
    assert edges and all(arrow and label for arrow, label in edges)
    met = page.evaluate("window.kgNetwork.body.data.edges.get().filter(e => "
                        "e.from === 'n:qin-gang' && e.to === 'n:zhang-ming' && "
                        "e.label.startsWith('met')).map(e => [e.label, e.title.textContent])")
    facts = [d for _, v, d in expected.out_edges("qin-gang", data=True)
             if v == "zhang-ming" and d["relation"] == "met"]
    days = sorted({d["date"] for d in facts})
    assert "2023-04-19" in days
    times = f" \u00d7{len(facts)}" if len(facts) > 1 else ""
    when = days[0] if len(days) == 1 else f"{days[0]}\u2013{days[-1]}"
    assert len(met) == 1 and met[0][0] == f"met{times} {when}"
    assert "Qin Gang met Zhang Ming on 2023-04-19 in Beijing." in met[0][1]
    assert '"Chinese FM meets SCO chief", p3.s1, p4.s1' in met[0][1]
    legend = page.locator("#kg-legend li").all_inner_texts()
    people = sum(1 for _, d in expected.nodes(data=True) if d["cls"] == "Person")
    assert any(item.endswith(f"Person ({people})") for item in legend)
    assert page.inner_text("#kg-title") == "Offline test"
    dates = sorted({str(d["date"]) for _, _, d in [*expected.in_edges("qin-gang", data=True),
                                                   *expected.out_edges("qin-gang", data=True)]
                    if d.get("date")})
    assert "2023-04-19" in dates
    span = dates[0] if len(dates) == 1 else f"{dates[0]} \u2026 {dates[-1]}"
    tip = hover_node(page, "qin-gang")
    for text in ("Qin Gang", "Person \u00b7 qin-gang", "en: Qin Gang", "zh: \u79e6\u521a",
                 f"dated relations: {span}"):
        assert text in tip
    tip = hover_node(page, "sco-samarkand-summit-2022")
    assert "date: 2022" in tip and "Summit" in tip
    shot = page.screenshot()
    assert distinct_colours(shot) > 200
    assert distinct_colours(page.locator("#kg-network").screenshot()) > 100
    assert opened.requests == [page_file.as_uri()] and opened.errors == []
    page.close()


def test_nothing_runs_from_the_data(browser: Browser, tmp_path: Path, corpus: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no build/ here: `kg viz --data` builds the data given
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    registry = yaml.safe_load((data / "entities.yaml").read_text("utf-8"))
    for entity in registry["entities"]:
        if entity["id"] == "qin-gang":
            entity["label"] = {"en": IMG, "zh": SCRIPT}
            entity["aliases"] = {"en": [SVG]}
        if entity["id"] == "zhang-ming":
            entity["label"] = {"en": HREF}
        if entity["id"] == "sco":
            entity["description"] = SCRIPT + IMG
    (data / "entities.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), "utf-8")
    source_file = data / "sources" / FIRST_FILE
    text = source_file.read_text("utf-8")
    title = "  title: Chinese FM meets SCO chief\n"
    summary = "    summary: Called the SCO a key platform"
    assert text.count(title) == 1 and text.count(summary) == 1
    text = text.replace(title, f"  title: {json.dumps(SCRIPT)}\n")
    lines = [f"    summary: {json.dumps(IMG + HREF)}" if line.startswith(summary) else line
             for line in text.splitlines()]
    text = "\n".join(lines) + "\n"
    source_file.write_text(text, "utf-8")
    dataset = compile_project(data, corpus).dataset

    for collapse in ("--collapse", "--no-collapse"):
        target = viz(tmp_path, "--data", str(data), "--sources", str(corpus), collapse,
                     "--title", SCRIPT)
        html = target.read_text("utf-8")
        for bad in (IMG, SCRIPT, HREF, SVG, "<img", "<svg", "<a href"):
            assert bad not in html
        opened = open_page(browser, target)
        page = opened.page
        expected = project(dataset, collapse=collapse == "--collapse")
        assert page.evaluate("window.kgNetwork.body.data.nodes.length") == \
            expected.number_of_nodes()
        tip = hover_node(page, "qin-gang")
        assert IMG in tip and SCRIPT in tip and SVG in tip  # shown as text
        assert HREF in hover_node(page, "zhang-ming")
        assert SCRIPT + IMG in hover_node(page, "sco")
        if collapse == "--no-collapse":
            statement = "fact/xinhua-2023-04-20-chinese-fm-meets-sco-chief/qin-on-sco-role"
            assert IMG + HREF in hover_node(page, statement)
        titles = page.evaluate("window.kgNetwork.body.data.edges.get()"
                               ".map(e => e.title.textContent).join(' ')")
        assert SCRIPT in titles  # the source title, as text
        # found names are text too, in the list and in the line that counts them
        pwned = sorted((str(d["label"]).lower(), vis_id(n), str(d["label"]))
                       for n, d in expected.nodes(data=True)
                       if any("__pwned" in name.lower() for name in names_of(d)))
        assert search(page, "__PWNED") == (f"{len(pwned)} found:", [p[2] for p in pwned])
        if collapse == "--collapse":
            assert [p[2] for p in pwned] == [HREF, IMG]
        assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [pwned[0][1]]
        assert search(page, "svg onload") == ("1 found:", [IMG])
        assert page.locator("#kg-results .kg-alias").all_inner_texts() == [SVG]
        assert search(page, "<b>none</b>") == \
            ("No shown name contains \u201c<b>none</b>\u201d.", [])
        assert page.evaluate("document.querySelectorAll('b').length") == 0
        assert page.inner_text("#kg-title") == SCRIPT
        assert page.title() == SCRIPT
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("document.querySelectorAll('img, svg, a, iframe').length") == 0
        assert page.evaluate("document.scripts.length") == 3
        assert opened.requests == [target.as_uri()] and opened.failed == []
        assert opened.errors == []
        page.close()


#: Entity ids that name what every JavaScript object inherits, for entities of the shipped
#: graph (registry id -> hostile id).
PROTOTYPE_IDS = {"qin-gang": "constructor", "zhang-ming": "__proto__", "sco": "toString",
                 "china": "hasOwnProperty", "beijing": "valueOf",
                 "xi-jinping": "__defineGetter__", "samarkand": "isPrototypeOf"}


@pytest.mark.parametrize("collapse", ["--collapse", "--no-collapse"])
def test_ids_named_like_object_properties(browser: Browser, tmp_path: Path, built_dir: Path,
                                          collapse: str) -> None:
    trig = (built_dir / "kg.trig").read_text("utf-8")
    for old, new in PROTOTYPE_IDS.items():
        assert trig.count(f'dip:registryId "{old}"') == 1
        trig = trig.replace(f'dip:registryId "{old}"', f'dip:registryId "{new}"')
    foreign = tmp_path / "prototype-ids.trig"
    foreign.write_text(trig, "utf-8")
    page_file = viz(tmp_path, "--graph", str(foreign), collapse)
    from kg.store.files import load_trig

    expected = project(load_trig(foreign), collapse=collapse == "--collapse")
    assert set(PROTOTYPE_IDS.values()) <= set(expected.nodes)
    opened = open_page(browser, page_file)
    page = opened.page
    assert opened.errors == []
    assert page.evaluate("[window.kgNetwork.body.data.nodes.length, "
                         "window.kgNetwork.body.data.edges.length]") == \
        [expected.number_of_nodes(), drawn_edges(expected)]
    assert page.evaluate("Object.keys(window.kgNetwork.body.nodes).length") == \
        expected.number_of_nodes()
    for hostile in PROTOTYPE_IDS.values():
        assert f"\u00b7 {hostile}" in hover_node(page, hostile)
    assert distinct_colours(page.locator("#kg-network").screenshot()) > 100
    assert opened.errors == [] and opened.failed == []
    page.close()


# --- the controls: a date range, search by name, one entity's neighbourhood ----------------

#: Ranges typed into the page (from, to), each compared with `kg viz --since/--until`.
RANGES = [("2023", ""), ("", "2022"), ("2023-04-19", "2023-04-19"), ("2022-09", "2022-09"),
          ("2023-04", "2023-04-18"), ("2023-04-20", "")]


def date_note(graph: nx.MultiDiGraph[str]) -> str:
    """The line the page prints under the range: the dates present, the undated edges."""
    dated = [d for _, d in graph.nodes(data=True) if d.get("date") or d.get("start")]
    dated += [d for _, _, d in graph.edges(data=True) if d.get("date") or d.get("start")]
    dates = sorted({str(d[k]) for d in dated for k in ("date", "start", "end") if d.get(k)})
    undated = len({(u, v, d["relation"]) for u, v, d in graph.edges(data=True)
                   if not (d.get("date") or d.get("start"))})
    return (f"Dates in the data: {dates[0]} \u2026 {dates[-1]}. {undated} undated edges "
            "(memberships, registry links, relations without a date) always stay visible.")


@pytest.mark.parametrize("collapse", ["--collapse", "--no-collapse"])
def test_date_range_on_the_repository_data(browser: Browser, tmp_path: Path, built_dir: Path,
                                           dataset: Any, collapse: str) -> None:
    page_file = viz(tmp_path, "--graph", str(built_dir / "kg.trig"), collapse)
    expected = project(dataset, collapse=collapse == "--collapse")
    everything = keys(expected)
    opened = open_page(browser, page_file)
    page = opened.page
    assert page.inner_text("#kg-date-note") == date_note(expected)
    assert view(page).shown == (f"Showing {len(expected)} of {len(expected)} nodes and "
                                f"{len(everything)} of {len(everything)} edges.")
    # The first article's relations are dated 2023-04-19 (the meeting, the statements, the
    # posts attested), 2022 (the Samarkand summit) or not at all; none has a start or end.
    first = [d for _, _, d in expected.edges(data=True) if d.get("source") == FIRST]
    assert not any(d.get("start") or d.get("end") for d in first)
    facts = Counter(d.get("date") for d in first)
    by_date = {when: {(u, v, d["relation"]) for u, v, d in expected.edges(data=True)
                      if d.get("source") == FIRST and d.get("date") == when}
               for when in facts}
    if collapse == "--collapse":
        assert facts == {"2023-04-19": 26, None: 10, "2022": 4}
        assert {when: len(drawn) for when, drawn in by_date.items()} == \
            {"2023-04-19": 20, None: 10, "2022": 4}
    else:
        assert facts == {"2023-04-19": 46, None: 10, "2022": 4}
        assert {when: len(drawn) for when, drawn in by_date.items()} == \
            {"2023-04-19": 46, None: 10, "2022": 4}
    for since, until in RANGES:
        set_range(page, since, until)
        part = select(expected, since=since or None, until=until or None)
        seen = view(page)
        assert seen.nodes == set(part)
        assert seen.edges == keys(part)
        assert seen.shown == (f"Showing {len(part)} of {len(expected)} nodes and "
                              f"{len(keys(part))} of {len(everything)} edges.")
        assert seen.dim_nodes == set() and seen.dim_edges == set()
        if (since, until) == ("2023-04-19", "2023-04-19"):
            # the first article's day: its undated and same-day relations stay, but the
            # Samarkand summit is an event of 2022 and goes with every relation it has, also
            # what was said about it that day (as with kg viz --since/--until)
            at_summit = {k for drawn in by_date.values() for k in drawn if SUMMIT in k[:2]}
            assert at_summit == {
                *by_date["2022"],
                ("qin-gang", SUMMIT, "spoke-about") if collapse == "--collapse" else
                (f"fact/{FIRST}/qin-on-samarkand-consensus", SUMMIT, "about")}
            assert (by_date["2023-04-19"] | by_date[None]) - at_summit <= seen.edges
            assert not at_summit & seen.edges
            assert "qin-gang" in seen.nodes and SUMMIT not in seen.nodes
    set_range(page, "", "")
    assert view(page).nodes == set(expected) and view(page).edges == everything
    assert page.inner_text("#kg-date-note") == date_note(expected)
    assert opened.requests == [page_file.as_uri()] and opened.failed == []
    assert opened.errors == []
    page.close()


def hand_made() -> nx.MultiDiGraph[str]:
    """Six entities and ten relations: every date precision, a span with an end, an open
    one, one drawn edge of two facts (a month and a day in it), undated links, an event
    with its own date and an undated link to it, names in three languages."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()

    def entity(node: str, label: str, cls: str, **attrs: Any) -> None:
        attrs.setdefault("labels", {"en": label})
        attrs.setdefault("aliases", {})
        graph.add_node(node, label=label, cls=cls, types=[cls], kind="entity", **attrs)

    entity("qin-gang", "Qin Gang", "Person", aliases={"zh": ["\u79e6\u521a"]})
    entity("wang-yi", "Wang Yi", "Person", labels={"en": "Wang Yi", "zh": "\u738b\u6bc5"},
           aliases={"en": ["Minister Wang"]})
    entity("un", "United Nations", "IntergovernmentalOrganization",
           aliases={"en": ["UN"], "fr": ["Nations unies"]})
    entity("china", "China", "State")
    entity("foreign-minister", "Foreign Minister of China", "Post")
    entity("summit-2021", "Summit 2021", "Summit", date="2021")
    graph.add_edge("qin-gang", "foreign-minister", relation="holds", start="2022-12-30",
                   end="2023-07")
    graph.add_edge("wang-yi", "foreign-minister", relation="holds", start="2023-07-25")
    graph.add_edge("qin-gang", "wang-yi", relation="met", date="2023-03")
    graph.add_edge("qin-gang", "wang-yi", relation="met", date="2023-03-15")
    graph.add_edge("wang-yi", "un", relation="spoke-about", date="2022")
    graph.add_edge("china", "un", relation="member-of")
    graph.add_edge("foreign-minister", "china", relation="post-in")
    graph.add_edge("wang-yi", "summit-2021", relation="took-part-in", date="2021-06")
    graph.add_edge("un", "summit-2021", relation="organized")
    graph.add_edge("qin-gang", "un", relation="addressed", date="2023-04-19")
    return graph


QIN_HOLDS = ("qin-gang", "foreign-minister", "holds")
WANG_HOLDS = ("wang-yi", "foreign-minister", "holds")
MET = ("qin-gang", "wang-yi", "met")
SPOKE = ("wang-yi", "un", "spoke-about")
MEMBER = ("china", "un", "member-of")
POST = ("foreign-minister", "china", "post-in")
TOOK_PART = ("wang-yi", "summit-2021", "took-part-in")
ORGANIZED = ("un", "summit-2021", "organized")
ADDRESSED = ("qin-gang", "un", "addressed")

#: (from, to) typed -> the entities and relations shown.
HAND_RANGES: dict[tuple[str, str], tuple[set[str], set[Key]]] = {
    # a span of days: the holding that covers it, the month of the meeting
    ("2023-03-10", "2023-03-20"): ({"qin-gang", "wang-yi", "foreign-minister", "china", "un"},
                                   {QIN_HOLDS, MET, MEMBER, POST}),
    # up to 2021: the summit of 2021 and its undated link; Qin Gang has nothing then
    ("", "2021"): ({"wang-yi", "summit-2021", "un", "china", "foreign-minister"},
                   {TOOK_PART, ORGANIZED, MEMBER, POST}),
    # a holding that ends in 2023-07 covers its last day, not the day after
    ("2023-07-31", ""): ({"qin-gang", "wang-yi", "foreign-minister", "china", "un"},
                         {QIN_HOLDS, WANG_HOLDS, MEMBER, POST}),
    ("2023-08", ""): ({"wang-yi", "foreign-minister", "china", "un"},
                      {WANG_HOLDS, MEMBER, POST}),
    # a year: the holding begun on its 30 December, the statement dated by the year
    ("2022", "2022"): ({"qin-gang", "wang-yi", "foreign-minister", "china", "un"},
                       {QIN_HOLDS, SPOKE, MEMBER, POST}),
}


def test_date_range_on_a_hand_made_network(browser: Browser, tmp_path: Path) -> None:
    graph = hand_made()
    page_file = tmp_path / "hand-made.html"
    page_file.write_text(render_html(graph, title="Hand-made"), "utf-8")
    opened = open_page(browser, page_file)
    page = opened.page
    everything = keys(graph)
    assert len(everything) == 9 and graph.number_of_edges() == 10
    assert page.inner_text("#kg-date-note") == (
        "Dates in the data: 2021 \u2026 2023-07-25. 3 undated edges (memberships, registry "
        "links, relations without a date) always stay visible.")
    assert page.evaluate("Array.from(document.querySelectorAll('#kg-dates option'), "
                         "o => o.value)") == \
        ["2021", "2021-06", "2022", "2022-12-30", "2023-03", "2023-03-15", "2023-04-19",
         "2023-07", "2023-07-25"]
    assert view(page).shown == "Showing 6 of 6 nodes and 9 of 9 edges."
    for (since, until), (nodes, edges) in HAND_RANGES.items():
        set_range(page, since, until)
        seen = view(page)
        assert (seen.nodes, seen.edges) == (nodes, edges), (since, until)
        assert seen.shown == f"Showing {len(nodes)} of 6 nodes and {len(edges)} of 9 edges."
        part = select(graph, since=since or None, until=until or None)  # as kg viz does
        assert (set(part), keys(part)) == (nodes, edges)
    # from after to: no dated relation is in the range, the undated ones stay
    set_range(page, "2024", "2023")
    assert (view(page).nodes, view(page).edges) == ({"china", "un", "foreign-minister"},
                                                    {MEMBER, POST})
    assert page.inner_text("#kg-date-note") == \
        "From is after to: no dated relation is in the range."
    # a date that does not exist is not applied: the range keeps its last start, and says so
    set_range(page, "2023-02-30", "")
    assert (view(page).nodes, view(page).edges) == \
        ({"china", "un", "foreign-minister", "wang-yi"}, {MEMBER, POST, WANG_HOLDS})
    assert page.inner_text("#kg-date-note") == ("From \u201c2023-02-30\u201d is not a date "
                                                "(YYYY, YYYY-MM or YYYY-MM-DD); still from 2024.")
    assert page.get_attribute("#kg-since", "aria-invalid") == "true"
    set_range(page, "", "")
    assert page.get_attribute("#kg-since", "aria-invalid") is None
    assert view(page).shown == "Showing 6 of 6 nodes and 9 of 9 edges."
    # typed key by key, the range moves only when the text is a date
    page.type("#kg-until", "2021-13")
    assert page.inner_text("#kg-date-note") == ("To \u201c2021-13\u201d is not a date "
                                                "(YYYY, YYYY-MM or YYYY-MM-DD); still to 2021.")
    assert (view(page).nodes, view(page).edges) == HAND_RANGES[("", "2021")]
    page.fill("#kg-until", "")
    page.type("#kg-since", "2023-0")
    assert page.inner_text("#kg-date-note") == ("From \u201c2023-0\u201d is not a date "
                                                "(YYYY, YYYY-MM or YYYY-MM-DD); still from 2023.")
    page.type("#kg-since", "8")
    assert (view(page).nodes, view(page).edges) == HAND_RANGES[("2023-08", "")]
    page.fill("#kg-since", "")
    page.type("#kg-since", "20x")
    assert page.inner_text("#kg-date-note").endswith("; still no start.")
    assert view(page).shown == "Showing 6 of 6 nodes and 9 of 9 edges."
    page.fill("#kg-since", "")
    assert opened.requests == [page_file.as_uri()] and opened.failed == []
    assert opened.errors == []
    page.close()


def test_search_by_any_name(browser: Browser, tmp_path: Path, built_dir: Path,
                            dataset: Any) -> None:
    page_file = viz(tmp_path, "--graph", str(built_dir / "kg.trig"))
    expected = project(dataset)
    opened = open_page(browser, page_file)
    page = opened.page
    # Qin Gang's Chinese name: found, selected, centred and highlighted
    found, listed = search(page, "\u79e6\u521a")
    assert found == f"{matching(expected, chr(0x79e6) + chr(0x521a))} found:"
    assert listed[0] == "Qin Gang"
    assert page.locator("#kg-results li:nth-child(1) .kg-alias").inner_text() == \
        "\u79e6\u521a"
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [vis_id("qin-gang")]
    focused_on(page, "qin-gang")
    near = {"qin-gang", *nx.all_neighbors(expected, "qin-gang")}
    assert view(page).dim_nodes == set(expected) - near
    # a Chinese alias, and any case
    found, listed = search(page, "\u4e0a\u5408\u7ec4\u7ec7")
    assert found == f"{matching(expected, chr(0x4e0a) + chr(0x5408) + chr(0x7ec4) + chr(0x7ec7))}" \
        " found:"
    assert listed[0] == "Shanghai Cooperation Organization"
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [vis_id("sco")]
    focused_on(page, "sco")
    found, listed = search(page, "qIN gANG")
    assert found == f"{matching(expected, 'qin gang')} found:" and listed[0] == "Qin Gang"
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [vis_id("qin-gang")]
    page.click("#kg-clear")
    assert page.input_value("#kg-search") == "" and page.inner_text("#kg-found") == ""
    assert page.locator("#kg-results li").count() == 0
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == []
    assert view(page).dim_nodes == set()
    assert opened.requests == [page_file.as_uri()] and opened.errors == []
    page.close()

    page_file = tmp_path / "hand-made.html"
    page_file.write_text(render_html(hand_made()), "utf-8")
    opened = open_page(browser, page_file)
    page = opened.page
    assert search(page, "\u79e6\u521a") == ("1 found:", ["Qin Gang"])  # an alias only
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [vis_id("qin-gang")]
    assert search(page, "nations UNIES") == ("1 found:", ["United Nations"])
    assert page.locator("#kg-results .kg-alias").all_inner_texts() == ["Nations unies"]
    # an exact name first, then names that begin with the text, then names that hold it
    assert search(page, "china") == ("2 found:", ["China", "Foreign Minister of China"])
    assert search(page, "minister") == ("2 found:", ["Wang Yi", "Foreign Minister of China"])
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [vis_id("wang-yi")]
    assert page.get_attribute("#kg-results li:nth-child(1) button", "aria-current") == "true"
    page.click("#kg-results li:nth-child(2) button")  # another name found
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [vis_id("foreign-minister")]
    focused_on(page, "foreign-minister")
    assert page.get_attribute("#kg-results li:nth-child(1) button", "aria-current") is None
    assert page.get_attribute("#kg-results li:nth-child(2) button", "aria-current") == "true"
    assert view(page).dim_nodes == {"un", "summit-2021"}
    # a range that leaves Wang Yi out: his name can no longer be chosen; the minister's post
    # keeps the neighbours it has in the range
    set_range(page, "2023-04", "2023-07-24")
    assert page.is_disabled("#kg-results li:nth-child(1) button")
    assert page.is_enabled("#kg-results li:nth-child(2) button")
    assert view(page).nodes == {"qin-gang", "foreign-minister", "china", "un"}
    assert view(page).dim_nodes == {"un"}
    set_range(page, "", "")
    assert page.is_enabled("#kg-results li:nth-child(1) button")
    assert search(page, "zzz") == ("No shown name contains \u201czzz\u201d.", [])
    search(page, "Wang")
    assert view(page).dim_nodes == {"china"}
    page.press("#kg-search", "Escape")  # as Clear
    assert view(page).dim_nodes == set() and page.input_value("#kg-search") == ""
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == []
    # names outside the date range are counted, not listed
    set_range(page, "2023-08", "")
    assert search(page, "\u79e6\u521a") == \
        ("No shown name contains \u201c\u79e6\u521a\u201d (1 more outside the dates).", [])
    assert opened.requests == [page_file.as_uri()] and opened.errors == []
    page.close()


def test_highlight_dims_everything_but_the_neighbourhood(browser: Browser, tmp_path: Path,
                                                         built_dir: Path, dataset: Any) -> None:
    page_file = viz(tmp_path, "--graph", str(built_dir / "kg.trig"))
    expected = project(dataset)
    opened = open_page(browser, page_file)
    page = opened.page
    colours = ("JSON.stringify([Object.values(window.kgNetwork.body.nodes).map(n => [n.id, "
               "n.options.color.background, n.options.color.border, n.options.font.color]), "
               "Object.values(window.kgNetwork.body.edges).map(e => [e.id, "
               "e.options.color.color, e.options.color.highlight, e.options.font.color])])")
    before = page.evaluate(colours)
    click_node(page, "zhang-ming")
    near = {"zhang-ming", *nx.all_neighbors(expected, "zhang-ming")}
    seen = view(page)
    assert seen.dim_nodes == set(expected) - near and seen.dim_nodes
    assert seen.dim_edges == {k for k in keys(expected) if "zhang-ming" not in k[:2]}
    assert seen.nodes == set(expected) and seen.edges == keys(expected)  # dimmed, not hidden
    drawn = page.evaluate("ids => ids.map(id => window.kgNetwork.body.nodes[id].options"
                          ".color.background)",
                          [vis_id(n) for n in ("zhang-ming", sorted(seen.dim_nodes)[0])])
    assert drawn == ["#4e79a7", "#eeeeee"]
    click_node(page, "qin-gang")  # another node: its own neighbourhood
    near = {"qin-gang", *nx.all_neighbors(expected, "qin-gang")}
    assert view(page).dim_nodes == set(expected) - near
    page.click("#kg-clear")
    seen = view(page)
    assert seen.dim_nodes == set() and seen.dim_edges == set()
    assert page.evaluate(colours) == before  # every colour restored
    assert opened.requests == [page_file.as_uri()] and opened.errors == []
    page.close()

    # with a date range: neighbours through the relations shown only
    page_file = tmp_path / "hand-made.html"
    page_file.write_text(render_html(hand_made()), "utf-8")
    opened = open_page(browser, page_file)
    page = opened.page
    search(page, "\u738b\u6bc5")  # Wang Yi
    seen = view(page)
    assert seen.dim_nodes == {"china"}
    assert seen.dim_edges == {QIN_HOLDS, MEMBER, POST, ORGANIZED, ADDRESSED}
    set_range(page, "2023-08", "")
    seen = view(page)
    assert seen.nodes == {"wang-yi", "foreign-minister", "china", "un"}
    assert (seen.dim_nodes, seen.dim_edges) == ({"china", "un"}, {MEMBER, POST})
    set_range(page, "", "2021")
    assert view(page).dim_nodes == {"un", "china", "foreign-minister"}
    set_range(page, "", "")
    click_node(page, "qin-gang")
    assert view(page).dim_nodes == {"china", "summit-2021"}
    # a click on an empty spot restores the drawing, as the Clear button does
    box = page.locator("#kg-network").bounding_box()
    assert box is not None
    assert page.evaluate("[window.kgNetwork.getNodeAt({x: 3, y: 3}), "
                         "window.kgNetwork.getEdgeAt({x: 3, y: 3})]") == [None, None]
    page.mouse.click(box["x"] + 3, box["y"] + 3)
    assert (view(page).dim_nodes, view(page).dim_edges) == (set(), set())
    click_node(page, "qin-gang")
    assert view(page).dim_nodes == {"china", "summit-2021"}
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [vis_id("qin-gang")]
    set_range(page, "2023-08", "")
    assert "qin-gang" not in view(page).nodes
    assert (view(page).dim_nodes, view(page).dim_edges) == (set(), set())
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == []
    assert opened.requests == [page_file.as_uri()] and opened.errors == []
    page.close()
