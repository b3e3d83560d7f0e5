"""Read YAML into plain Python values that remember the line each value came from.

PyYAML's composer gives every node a start mark; this module keeps those marks beside
the values so that any later check can say ``file:line``. Scalars stay strings except
integers, decimal numbers, booleans and null (dates are checked later, not silently
turned into ``datetime`` objects; YAML 1.1's base-60 numbers such as ``1:20`` stay the
text written, as YAML 1.2 reads them). Duplicate keys are an error instead of a silent
overwrite.

Curation files are small and hand-written, so whatever could make reading them blow up
is refused with its line: aliases (``*name``: a recursive one never ends, and a few
nested ones expand to billions of nodes), nesting deeper than :data:`MAX_DEPTH`,
characters YAML does not allow (NUL, most control characters), ``.inf`` and ``.nan``.

>>> doc = load_located("a: 1\\nb:\\n  - x\\n  - y\\n", "f.yaml")
>>> doc == {"a": 1, "b": ["x", "y"]}
True
>>> line_of(doc, ("b", 1))
4
>>> try:
...     load_located("a: &x [1]\\nb: *x\\n", "f.yaml")
... except CurationError as error:
...     print(error.line, error.message.split(": ")[-1])
2 write the value out in full
"""

from __future__ import annotations

import math
import re
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
_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

#: How deep mappings and lists may nest (curation files need about six levels).
MAX_DEPTH = 32

#: Characters a YAML stream may not hold (YAML 1.1's printable set, inverted).
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _AliasFound(Exception):
    """A node met twice: the document uses an alias."""


def _scalar(node: yaml.ScalarNode, file: str) -> Any:
    value: str = node.value
    if node.tag == _INT_TAG:
        digits = value.replace("_", "")
        if digits.isdigit() and (len(digits) == 1 or not digits.startswith("0")):
            return int(digits)
        return value  # codes such as CAMEO "040" stay strings, never octal numbers
    if node.tag == _BOOL_TAG:
        if value.lower() in _BOOLEANS:
            return _BOOLEANS[value.lower()]
        raise CurationError(f"{value!r} is tagged as a boolean but is not one: write true or "
                            "false, or quote it if it is text",
                            file=file, line=node.start_mark.line + 1)
    if node.tag == _NULL_TAG:
        if value in _NULLS:
            return None
        raise CurationError(f"{value!r} is tagged as null but is not empty: remove the tag, "
                            "or quote it if it is text", file=file, line=node.start_mark.line + 1)
    if node.tag == _FLOAT_TAG:
        if ":" in value:
            return value  # a YAML 1.1 base-60 number such as 1:20.5 stays the text written
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return number
        raise CurationError(f"{value!r} is read by YAML as an infinite or not-a-number value, "
                            "which no field takes: quote it if it is text",
                            file=file, line=node.start_mark.line + 1)
    return value


def _convert(node: yaml.Node, file: str, seen: set[int], depth: int = 0) -> Any:
    if id(node) in seen:
        raise _AliasFound
    seen.add(id(node))
    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise CurationError(f"the YAML nests deeper than {MAX_DEPTH} levels: check the "
                            "indentation (curation files need about six levels)",
                            file=file, line=line)
    if isinstance(node, yaml.MappingNode):
        mapping = LocatedDict()
        mapping.line = line
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, file, seen, depth + 1)
            if not isinstance(key, str):
                raise CurationError(
                    f"the key {_shown(key)} must be a word (a string): quote it",
                    file=file, line=key_node.start_mark.line + 1,
                )
            if key in mapping:
                raise CurationError(
                    f"the key {key!r} appears twice in the same mapping (first at line "
                    f"{mapping.key_lines[key]}): keep one",
                    file=file, line=key_node.start_mark.line + 1,
                )
            mapping[key] = _convert(value_node, file, seen, depth + 1)
            mapping.key_lines[key] = value_node.start_mark.line + 1
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList()
        items.line = line
        items.item_lines = []
        for item in node.value:
            items.append(_convert(item, file, seen, depth + 1))
            items.item_lines.append(item.start_mark.line + 1)
        return items
    assert isinstance(node, yaml.ScalarNode)
    return _scalar(node, file)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _alias_error(text: str, file: str) -> CurationError:
    """The error for the first alias of a document (found again by parsing it)."""
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            return CurationError(
                f"the alias *{event.anchor} repeats what the anchor &{event.anchor} holds, and "
                "curation files take no aliases: write the value out in full",
                file=file, line=line)
    raise AssertionError("a node met twice without an alias")  # pragma: no cover


def _character_error(text: str, file: str) -> CurationError | None:
    """The first character a YAML stream may not hold, with its line, or None."""
    bad = _NOT_YAML.search(text)
    if bad is None:
        return None
    line = text.count("\n", 0, bad.start()) + 1
    column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
    code = ord(bad.group(0))
    name = "NUL" if code == 0 else "a control character" if code < 0xA0 else "a noncharacter"
    return CurationError(
        f"the character U+{code:04X} ({name}) at column {column} cannot appear in a YAML "
        "file: remove it", file=file, line=line)


def load_located(text: str, file: str) -> Any:
    """Parse YAML text; raise CurationError with the line of any syntax error."""
    problem = _character_error(text, file)
    if problem is not None:
        raise problem
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = exc.problem or exc.context or "invalid YAML"
        raise CurationError(
            f"invalid YAML: {reason}; check the indentation and quoting around this line",
            file=file, line=line,
        ) from None
    except yaml.YAMLError as exc:
        raise CurationError(f"invalid YAML: {' '.join(str(exc).split())}; check the file "
                            "around its first lines", file=file, line=1) from None
    except RecursionError:
        raise CurationError("the YAML nests too deeply: check the indentation (curation "
                            "files need about six levels)", file=file, line=1) from None
    if node is None:
        return None
    try:
        return _convert(node, file, set())
    except _AliasFound:
        raise _alias_error(text, file) from None


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
