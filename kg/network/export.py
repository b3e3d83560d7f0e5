"""The network in GraphML, GEXF or node-link JSON."""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx

from kg.errors import KGError

#: Output formats of :func:`serialize` (``kg network --format``).
NETWORK_FORMATS: tuple[str, ...] = ("graphml", "gexf", "json")


def _flat(attrs: dict[str, Any]) -> dict[str, str | int | float | bool]:
    flat: dict[str, str | int | float | bool] = {}
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, dict):
            for sub, item in value.items():
                flat[f"{name}_{sub}"] = "; ".join(item) if isinstance(item, list) else str(item)
        elif isinstance(value, list | tuple | set):
            flat[name] = "; ".join(str(v) for v in value)
        elif isinstance(value, str | int | float | bool):
            flat[name] = value
        else:
            flat[name] = str(value)
    return flat


def flattened(graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """A copy whose attributes are all scalars (dicts become ``name_key``, lists ``a; b``),
    as GraphML and GEXF require."""
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    flat.graph.update(_flat({"collapse": graph.graph.get("collapse", True)}))
    flat.add_nodes_from((n, _flat(a)) for n, a in graph.nodes(data=True))
    for u, v, k, d in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, **_flat(d))
    return flat


def serialize(graph: nx.MultiDiGraph[str], fmt: str) -> bytes:
    """The network as GraphML, GEXF or JSON (networkx node-link data).

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> g.add_node("a", labels={"en": "A", "zh": "甲"})
    >>> b'key="d0"' in serialize(g, "graphml") or b"label_zh" in serialize(g, "graphml")
    True
    >>> json.loads(serialize(g, "json"))["nodes"][0]["labels"]["zh"]
    '甲'
    """
    if fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        return (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode()
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(flattened(graph), buffer, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(flattened(graph), buffer, encoding="utf-8")
    else:
        raise KGError(f"unknown format {fmt!r}: choose one of {', '.join(NETWORK_FORMATS)}")
    return buffer.getvalue()
