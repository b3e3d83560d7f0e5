"""The node cap of ``kg viz``: how many nodes a page may draw before it gets too slow.

>>> check_size(nx.MultiDiGraph(), DEFAULT_MAX_NODES)
Traceback (most recent call last):
...
kg.errors.KGError: nothing to draw: no node is left after the filters
"""

from __future__ import annotations

import networkx as nx

from kg.errors import KGError

__all__ = ["DEFAULT_MAX_NODES", "check_size"]

#: The default node cap of ``kg viz``. Measured in headless Chromium on 2 cores
#: (benchmarks/viz_timing.py, docs/network.md): at 500 nodes and ~1,250 edges the page is
#: drawn and its layout settled in about 2 s; 4-5 s at 1,000 nodes, 9-11 s at 2,000.
DEFAULT_MAX_NODES = 500


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
