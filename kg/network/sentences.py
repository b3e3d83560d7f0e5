"""Edges in plain words: relation, date and place, with their source and locators."""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.kinds.base import EdgeRelation
from kg.network.projection import RELATIONS

#: Edges from a fact node whose date belongs to the fact, not to the link: not repeated.


def edge_sentence(graph: nx.MultiDiGraph[str], u: str, v: str, attrs: dict[str, Any],
                  *, with_source: bool = True) -> str:
    """One edge as a plain sentence: relation, date, and its source and locators.

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> g.add_node("q", label="Qin Gang"); g.add_node("z", label="Zhang Ming")
    >>> edge_sentence(g, "q", "z", {"relation": "met", "date": "2023-04-19",
    ...     "place": "Beijing", "source_title": "FM meets SCO chief", "locators": ["p3.s1"]})
    'Qin Gang met Zhang Ming on 2023-04-19 in Beijing. Source: "FM meets SCO chief", p3.s1.'
    """
    relation = str(attrs.get("relation", ""))
    term = RELATIONS.get(relation, EdgeRelation(relation, relation, relation.replace("-", " ")))
    phrase = term.phrase
    if relation == "attended-with" and attrs.get("event_label"):
        phrase = f"attended {attrs['event_label']} with"
    text = f"{_name(graph, u)} {phrase} {_name(graph, v)}"
    if attrs.get("act"):
        text += f" ({attrs['act']})"
    if attrs.get("start") or attrs.get("end"):
        text += f" from {attrs.get('start') or '?'} to {attrs.get('end') or 'now'}"
    elif attrs.get("date") and term.dated:
        when = str(attrs["date"])
        if term.attested:
            text += f" (attested {when})"
        else:
            text += f" {'on' if len(when) == 10 else 'in'} {when}"
    if attrs.get("place"):
        text += f" in {attrs['place']}"
    text = text[:1].upper() + text[1:] + "."
    if with_source:
        text += " " + evidence_text(attrs)
    return text


def evidence_text(attrs: dict[str, Any]) -> str:
    """Where an edge comes from: source title and locators, or the entity registry.

    >>> evidence_text({"source": "registry", "source_title": "entity registry"})
    'Source: entity registry (no locator).'
    """
    if attrs.get("source") == "registry":
        return "Source: entity registry (no locator)."
    locators = ", ".join(attrs.get("locators") or []) or "no locator"
    return f'Source: "{attrs.get("source_title", "?")}", {locators}.'


def _name(graph: nx.MultiDiGraph[str], node: str) -> str:
    attrs = graph.nodes[node] if node in graph else {}
    label = str(attrs.get("label", node))
    if attrs.get("kind") == "fact":
        return f"the {'statement' if attrs.get('cls') == 'ReportedStatement' else 'holding'}" \
               f" «{label}»"
    return label
