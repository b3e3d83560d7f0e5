"""How long `kg viz` pages take to draw and settle in headless Chromium, by size.

Builds synthetic networks shaped like the projection (scale-free, ~2.5 edges per node,
labelled nodes of the project's classes, dated edges with evidence), renders each with
kg.network.viz.render_html, opens it from file:// in Debian's chromium through Playwright and
reads the page's own timings (ms since navigation start): the first draw and the end of
the layout (vis-network's stabilizationIterationsDone, after which physics is switched
off). The node cap of `kg viz` (kg.network.node_cap.DEFAULT_MAX_NODES) was chosen from
this table.

Usage:
    .venv/bin/python benchmarks/viz_timing.py                 # 100 250 500 1000 2000
    .venv/bin/python benchmarks/viz_timing.py 500 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx
from playwright.sync_api import sync_playwright

from kg.network.vis_data import CLASS_STYLES, VIS_OPTIONS
from kg.network.viz import render_html

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
RELATIONS = ["member-of", "holds", "met", "spoke-about", "head-of", "committed-to"]


def synthetic(nodes: int, seed: int = 1) -> nx.MultiDiGraph[str]:
    """A scale-free multigraph with the projection's attributes."""
    rng = random.Random(seed)
    shape = nx.barabasi_albert_graph(nodes, 2, seed=seed)
    classes = list(CLASS_STYLES)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for n in shape:
        cls = rng.choice(classes)
        graph.add_node(f"n{n}", label=f"Entity {n} of class {cls}", cls=cls, types=[cls],
                       labels={"en": f"Entity {n}", "zh": f"实体{n}"}, kind="entity")
    for u, v in shape.edges():
        for _ in range(rng.choice([1, 1, 1, 2])):
            graph.add_edge(f"n{u}", f"n{v}", relation=rng.choice(RELATIONS),
                           date=f"2023-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                           source="s", source_title="Synthetic source",
                           locators=[f"p{rng.randint(1, 20)}.s1"])
    return graph


def measure(page: object, path: Path, timeout_ms: int) -> dict[str, float]:
    """Open the page and wait until the layout has settled; return its timings."""
    page.goto(path.as_uri())  # type: ignore[attr-defined]
    page.wait_for_selector("body[data-kg-state=stabilized]",  # type: ignore[attr-defined]
                           timeout=timeout_ms, state="attached")
    return dict(page.evaluate("window.kgTimings"))  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 250, 500, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per page")
    parser.add_argument("--solver", default=None, help="vis physics solver to try instead "
                        "of kg.network.vis_data's (barnesHut, forceAtlas2Based, repulsion)")
    parser.add_argument("--iterations", type=int, default=None,
                        help="stabilization iterations to try instead of kg.network.vis_data's")
    options = parser.parse_args()
    vis = copy.deepcopy(VIS_OPTIONS)
    if options.solver:
        vis["physics"]["solver"] = options.solver
    if options.iterations:
        vis["physics"]["stabilization"]["iterations"] = options.iterations
    print(f"solver {vis['physics']['solver']}, "
          f"{vis['physics']['stabilization']['iterations']} stabilization iterations")
    folder = Path(tempfile.mkdtemp(prefix="kg-viz-bench-"))
    print(f"{'nodes':>6} {'edges':>6} {'drawn':>6} {'html MB':>8} {'render s':>9} "
          f"{'first draw s':>13} {'settled s':>10}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for size in options.sizes:
            graph = synthetic(size)
            start = time.perf_counter()
            page_text = render_html(graph, title=f"{size} nodes", max_nodes=10**7,
                                    options=vis)
            rendered = time.perf_counter() - start
            path = folder / f"net-{size}.html"
            path.write_text(page_text, "utf-8")
            drawn = page_text.count('"from":')
            firsts, settled = [], []
            for _ in range(options.repeat):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                timings = measure(page, path, int(options.timeout * 1000))
                firsts.append(timings["firstDraw"] / 1000)
                settled.append(timings["stabilized"] / 1000)
                page.close()
            print(f"{size:>6} {graph.number_of_edges():>6} {drawn:>6} "
                  f"{path.stat().st_size / 1e6:>8.2f} {rendered:>9.2f} "
                  f"{statistics.median(firsts):>13.2f} {statistics.median(settled):>10.2f}",
                  flush=True)
        browser.close()


if __name__ == "__main__":
    main()
