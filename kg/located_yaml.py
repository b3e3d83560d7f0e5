"""Read YAML into plain Python values that remember the line each value came from.

PyYAML's composer gives every node a start mark; this module keeps those marks beside
the values so that any later check can say ``file:line``. Scalars stay strings except
integers, booleans and null (dates are checked later, not silently turned into
``datetime`` objects). Duplicate keys are an error instead of a silent overwrite.

>>> doc = load_located("a: 1\\nb:\\n  - x\\n  - y\\n", "f.yaml")
>>> doc == {"a": 1, "b": ["x", "y"]}
True
>>> line_of(doc, ("b", 1))
4
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from kg.errors import CurationError


class LocatedDict(dict[str, Any]):
    """A mapping that knows its own line and the line of each of its values."""

    line: int
    key_lines: dict[str, int]


class LocatedList(list[Any]):
    """A sequence that knows its own line and the line of each of its items."""

    line: int
    item_lines: list[int]


#: libyaml's parser when PyYAML was built with it (several times faster), else pure Python.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT_TAG = "tag:yaml.org,2002:int"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_FLOAT_TAG = "tag:yaml.org,2002:float"


def _convert(node: yaml.Node, file: str) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping = LocatedDict()
        mapping.line = line
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, file)
            if not isinstance(key, str):
                raise CurationError(
                    f"the key {key!r} must be a word (a string)",
                    file=file, line=key_node.start_mark.line + 1,
                )
            if key in mapping:
                raise CurationError(
                    f"the key {key!r} appears twice in the same mapping (first at line "
                    f"{mapping.key_lines[key]}): keep one",
                    file=file, line=key_node.start_mark.line + 1,
                )
            mapping[key] = _convert(value_node, file)
            mapping.key_lines[key] = value_node.start_mark.line + 1
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList()
        items.line = line
        items.item_lines = []
        for item in node.value:
            items.append(_convert(item, file))
            items.item_lines.append(item.start_mark.line + 1)
        return items
    assert isinstance(node, yaml.ScalarNode)
    if node.tag == _INT_TAG:
        digits = node.value.replace("_", "")
        if digits.isdigit() and (len(digits) == 1 or not digits.startswith("0")):
            return int(digits)
        return node.value  # codes such as CAMEO "040" stay strings, never octal numbers
    if node.tag == _BOOL_TAG:
        return node.value.lower() in ("true", "yes", "on")
    if node.tag == _NULL_TAG:
        return None
    if node.tag == _FLOAT_TAG:
        return float(node.value)
    return node.value


def load_located(text: str, file: str) -> Any:
    """Parse YAML text; raise CurationError with the line of any syntax error."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise CurationError(
            f"invalid YAML: {problem}; check the indentation and quoting around this line",
            file=file, line=line,
        ) from None
    except yaml.YAMLError as exc:
        raise CurationError(f"invalid YAML: {exc}", file=file, line=1) from None
    if node is None:
        return None
    return _convert(node, file)


def line_of(document: Any, path: Sequence[str | int]) -> int:
    """The line of the value at ``path``, or of its deepest located ancestor."""
    line = getattr(document, "line", 1)
    current = document
    for step in path:
        if isinstance(current, LocatedDict) and isinstance(step, str) and step in current:
            line = current.key_lines[step]
            current = current[step]
        elif isinstance(current, LocatedList) and isinstance(step, int) and 0 <= step < len(
                current):
            line = current.item_lines[step]
            current = current[step]
        else:
            break
    return line
