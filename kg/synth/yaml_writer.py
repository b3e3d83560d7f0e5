"""YAML written by hand for the synthetic corpora (``yaml.dump`` is ten times slower).

>>> print(dump_yaml({"a": 1, "b": ["x y", "z"]}), end="")
a: 1
b: [x y, z]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._'()/-]*")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"})
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def yaml_scalar(value: str | int) -> str:
    """A string (or int) as a YAML scalar that PyYAML reads back as exactly that value.

    Plain when nothing could misread it; double-quoted otherwise (dates, numbers, codes,
    ``yes``, ``: ``, ``#``, leading or trailing blanks, any unusual character).

    >>> [yaml_scalar(v) for v in ["qin-gang", "2023-04-19", "040", "yes", "a: b", 7]]
    ['qin-gang', '"2023-04-19"', '"040"', '"yes"', '"a: b"', '7']
    """
    cached = _SCALARS.get(value)
    if cached is not None:
        return cached
    if type(value) is int:
        return str(value)
    assert isinstance(value, str)
    if _PLAIN.fullmatch(value) and value[-1] != " " and value.lower() not in _YAML_WORDS:
        quoted = value
    elif value.isascii() and value.isprintable():
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    else:
        quoted = '"' + "".join(_escape(ch) for ch in value) + '"'
    if len(value) <= 80 and len(_SCALARS) < 500_000:
        _SCALARS[value] = quoted   # ids, dates, locators and keys repeat
    return quoted


_SCALARS: dict[str | int, str] = {}


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if 0x20 <= code <= 0x7E or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029)) or (
            0xE000 <= code <= 0xFFFD and code != 0xFEFF) or code >= 0x10000:
        return ch
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _flow(value: object) -> str | None:
    """Short lists and small mappings of scalars in flow style: ``[a, b]``, ``{en: X}``."""
    get = _SCALARS.get
    if type(value) is list:
        parts = []
        for item in value:
            if type(item) is not str and type(item) is not int:
                return None
            parts.append(get(item) or yaml_scalar(item))
        return "[" + ", ".join(parts) + "]"
    if type(value) is dict and len(value) <= 3:
        parts = []
        for key, item in value.items():
            if type(item) is not str and type(item) is not int:
                return None
            parts.append(f"{get(key) or yaml_scalar(key)}: {get(item) or yaml_scalar(item)}")
        return "{" + ", ".join(parts) + "}"
    return None


def _emit_mapping(mapping: Mapping[str, Any], indent: str, out: list[str]) -> None:
    append, get = out.append, _SCALARS.get
    for key, value in mapping.items():
        kind = type(value)
        if kind is str:
            append(f"{indent}{get(key) or yaml_scalar(key)}: {get(value) or yaml_scalar(value)}")
        elif value is None:
            continue
        elif kind is int:
            append(f"{indent}{get(key) or yaml_scalar(key)}: {value}")
        elif (flow := _flow(value)) is not None:
            append(f"{indent}{get(key) or yaml_scalar(key)}: {flow}")
        elif kind is dict:
            append(f"{indent}{get(key) or yaml_scalar(key)}:")
            _emit_mapping(value, indent + "  ", out)
        else:
            append(f"{indent}{get(key) or yaml_scalar(key)}:")
            _emit_sequence(value, indent + "  ", out)


def _emit_sequence(items: Sequence[Any], indent: str, out: list[str]) -> None:
    inner = indent + "  "
    for item in items:
        kind = type(item)
        flow = yaml_scalar(item) if kind is str or kind is int else _flow(item)
        if flow is not None:
            out.append(f"{indent}- {flow}")
        elif kind is dict and item:
            start = len(out)
            _emit_mapping(item, inner, out)
            out[start] = f"{indent}- {out[start][len(inner):]}"
        else:
            raise TypeError(f"cannot write {kind.__name__} in a YAML sequence")


def dump_yaml(document: Mapping[str, Any], header: str = "") -> str:
    """A mapping as block YAML in the style of the curation files (keys in given order).

    Values are str, int, None (left out), lists and mappings; ``header`` lines become
    ``#`` comments.

    >>> print(dump_yaml({"id": "x", "date": "2022", "tags": ["a", "no"], "skip": None}), end="")
    id: x
    date: "2022"
    tags: [a, "no"]
    """
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    _emit_mapping(document, "", out)
    return "\n".join(out) + "\n"


# -- small helpers ------------------------------------------------------------------------
