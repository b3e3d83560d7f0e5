"""notebooks/tour.ipynb runs top to bottom in a fresh kernel and shows what it promises."""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from kg.sparql import named as named_queries

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "tour.ipynb"


def texts(notebook: nbformat.NotebookNode) -> list[str]:
    """Every output of every cell as text (streams, plain text and HTML)."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                found.append(output["text"])
            for kind in ("text/plain", "text/html"):
                if kind in output.get("data", {}):
                    found.append(output["data"][kind])
            assert output.get("output_type") != "error", output
    return found


def test_the_notebook_is_stored_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_the_notebook_runs_and_shows_answers_path_ranking_and_drawing() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    out = "\n".join(texts(notebook))
    assert "SHACL: conforms; opened build/kg.oxigraph" in out  # built as `kg build` does
    assert "from 13 source(s), 129 entities (" in out  # the whole corpus
    # competency questions as tables, and the ranking
    assert out.count("<table>") == len(named_queries.names()) + 1
    assert "cq3: Who held the post of Secretary-General of the SCO on 2023-04-19?" in out
    assert "<td>Zhang Ming</td>" in out
    assert "<td>Global Security Initiative</td>" in out
    # the network, a path whose hops carry their evidence (CQ13), a ranking
    assert "102 nodes, 320 relations" in out
    assert "Xi Jinping -> Qin Gang -> Zhang Ming" in out
    assert ('2. Qin Gang met Zhang Ming in 2023-05 in Benaulim. Source: "SCO delegates '
            'impressed by Goan cuisine, culture, says EAM", p1.s1, p2.s1, p3.s1, p4.s1, '
            'p5.s1.') in out
    assert ('   also: Qin Gang met Zhang Ming on 2023-04-19 in Beijing. Source: "Chinese FM '
            'meets SCO chief", p3.s1, p4.s1.') in out
    # a path across three articles, in three languages
    assert "Antony Blinken -> China -> Zhang Ming -> Nurlan Yermekbayev" in out
    assert ('1. Antony Blinken visited China. Source: "Xi meets Blinken in Beijing", p3.s1, '
            'p7.s2.') in out
    assert ('3. Nurlan Yermekbayev met Zhang Ming on 2024-12-13 in Beijing. Source: "Wang Yi '
            'trifft SCO-Generalsekretär und dessen Nachfolger", p1.s1, p2.s1.') in out
    assert "<tr><td>1</td><td>Zhang Ming</td><td>zhang-ming</td>" in out
    assert "Community 1:" in out
    # the drawing, inline and self-contained
    assert '<iframe srcdoc="' in out and 'sandbox="allow-scripts"' in out
    assert html.escape('<script type="application/json" id="kg-data">') in out
    assert "http://" not in out.split("<iframe", 1)[1].split("kg-data", 1)[0]
