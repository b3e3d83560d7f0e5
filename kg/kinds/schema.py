"""The JSON Schema of the facts of a source file, generated from the registry of kinds.

The packaged ``source.schema.json`` carries the same definitions for editors and other
tools; the curation reader always validates with the generated ones, and a test keeps the
file in step (``python -m kg.kinds.schema`` rewrites it).

>>> fact_definitions()["fact"]["properties"]["kind"]["enum"]
['holding', 'relation', 'event', 'statement', 'visit']
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from kg.kinds import KINDS

__all__ = ["fact_definitions", "with_kinds"]

_SCHEMA_FILE = Path(__file__).parent.parent / "curation" / "schemas" / "source.schema.json"


def fact_definitions() -> dict[str, Any]:
    """``$defs`` entries for a fact: the dispatch on ``kind``, then one per kind."""
    dispatch = {
        "type": "object",
        "required": ["id", "kind", "evidence"],
        "properties": {"kind": {"enum": [kind.name for kind in KINDS]}},
        "allOf": [{"if": {"properties": {"kind": {"const": kind.name}}, "required": ["kind"]},
                   "then": {"$ref": f"#/$defs/{kind.name}"}} for kind in KINDS],
    }
    return {"fact": dispatch, **{kind.name: kind.schema() for kind in KINDS}}


def with_kinds(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of a source schema whose fact definitions are the registry's."""
    combined = copy.deepcopy(schema)
    combined.setdefault("$defs", {}).update(fact_definitions())
    return combined


def main() -> None:
    """Rewrite the packaged source schema with the registry's fact definitions."""
    schema = json.loads(_SCHEMA_FILE.read_text("utf-8"))
    _SCHEMA_FILE.write_text(json.dumps(with_kinds(schema), indent=2, ensure_ascii=False)
                            + "\n", "utf-8")
    sys.stdout.write(f"Wrote {_SCHEMA_FILE}\n")


if __name__ == "__main__":
    main()
