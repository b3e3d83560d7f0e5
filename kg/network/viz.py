"""The network as one self-contained HTML page that works offline and never runs its data.

The page inlines vis-network (the build pyvis ships in its package, found without
importing pyvis) and the project's own small script; nothing is fetched, no CDN is named.
pyvis's own template is not used: it links bootstrap from a CDN even "in line", writes
node ids raw into HTML and switches tooltips to ``innerHTML`` when a title contains
"href" (see DESIGN.md). Here every label is data: the graph goes into a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, tooltips
are built as DOM nodes with ``textContent``, and a Content-Security-Policy allows only
the two inline scripts (by hash) and no connection at all. Node ids in the page carry a
prefix (:func:`~kg.network.vis_data.vis_id`), so that no entity id can collide with what
every JavaScript object inherits (``constructor``, ``__proto__``, ``toString``, ...).

The page's own script also keeps a drawing of many articles readable: a date range that
hides the dated relations outside it (by the same interval rule as ``--since/--until``,
from the day spans :func:`~kg.network.vis_data.vis_data` writes for every fact), a search
by label or alias in any language, and a highlight of one entity's neighbourhood that dims
everything else.

The parts live in their own modules: what is drawn, as data (:mod:`kg.network.vis_data`),
the page's script, style and markup (:mod:`kg.network.viz_template`), vis-network's files
(:mod:`kg.network.vis_assets`), the node cap (:mod:`kg.network.node_cap`) and the frame
every offline page of the project shares (:mod:`kg.network.page`).

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

from typing import Any

import networkx as nx

from kg.network.node_cap import DEFAULT_MAX_NODES, check_size
from kg.network.page import offline_page
from kg.network.vis_assets import vis_assets
from kg.network.vis_data import vis_data
from kg.network.viz_template import APP_JS, BODY, CSS

# DEFAULT_MAX_NODES: the cap render_html draws up to when given none.
__all__ = ["DEFAULT_MAX_NODES", "render_html"]


def render_html(graph: nx.MultiDiGraph[str], *, title: str = "Diplomacy network",
                max_nodes: int = DEFAULT_MAX_NODES,
                options: dict[str, Any] | None = None) -> str:
    """The whole page as one string: vis-network, styles, data and script inlined.

    Raises :class:`~kg.errors.KGError` when the graph is empty or above ``max_nodes``
    (:func:`~kg.network.node_cap.check_size`).
    """
    check_size(graph, max_nodes)
    vis_js, vis_css = vis_assets()
    return offline_page(title=title, styles=[vis_css, CSS], body=BODY,
                        data=vis_data(graph, title=title, options=options),
                        scripts=[vis_js, APP_JS], style_attributes=True)
