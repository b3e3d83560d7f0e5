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
from kg.network import project
from kg.network.viz import vis_id
from kg.pipeline import compile_project

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
DATA = Path(__file__).resolve().parent.parent / "data"

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
    assert counts == [expected.number_of_nodes(), drawn_edges(expected)] == [19, 40]
    # directed and labelled: every edge has an arrow and a label
    edges = page.evaluate("Object.values(window.kgNetwork.body.edges).map(e => "
                          "[e.options.arrows.to.enabled, e.options.label])")
    assert edges and all(arrow and label for arrow, label in edges)
    met = page.evaluate("window.kgNetwork.body.data.edges.get().filter(e => "
                        "e.from === 'n:qin-gang' && e.to === 'n:zhang-ming' && "
                        "e.label.startsWith('met')).map(e => [e.label, e.title.textContent])")
    assert len(met) == 1 and met[0][0] == "met 2023-04-19"
    assert "Qin Gang met Zhang Ming on 2023-04-19 in Beijing." in met[0][1]
    assert '"Chinese FM meets SCO chief", p3.s1, p4.s1' in met[0][1]
    legend = page.locator("#kg-legend li").all_inner_texts()
    assert any(item.endswith("Person (3)") for item in legend)
    assert page.inner_text("#kg-title") == "Offline test"
    tip = hover_node(page, "qin-gang")
    for text in ("Qin Gang", "Person \u00b7 qin-gang", "en: Qin Gang", "zh: \u79e6\u521a",
                 "dated relations: 2023-04-19"):
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
    [source_file] = (data / "sources").glob("*.yaml")
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
