"""What a build writes besides the store: the manifest, and the TriG and Turtle files.

The manifest records what was built from what (each source file's record, the folder
of source texts read) and what each output holds (the size and SHA-256 of the files, the
build id and quad count of the store), and the length of every part of the exports
(:mod:`kg.store.parts`), by which a later build rewrites only the parts of the sources
that changed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from kg import __version__
from kg.store.files import write_atomically
from kg.store.layout import EXPORT_PARTS, MANIFEST_VERSION, SOURCE_TEXTS, BuildFolder

__all__ = ["has_parts", "manifest_bytes", "write_files"]


def manifest_bytes(key: str, store: str, sources: dict[str, dict[str, Any]],
              outputs: dict[str, Any], texts: Path | None = None,
              registry_parts: dict[str, int] | None = None) -> bytes:
    """The manifest: what was built from what (each source file's record, and the folder of
    source texts read, as an absolute path), what each output holds, and the length of
    the registry's parts of the exports (:mod:`kg.store.parts`) when they were written."""
    document = {"version": MANIFEST_VERSION, "kg": __version__, "store": store, "fingerprint": key,
                SOURCE_TEXTS: str(texts.resolve()) if texts is not None else None,
                "sources": dict(sorted(sources.items())), "outputs": outputs}
    if registry_parts is not None:
        document[EXPORT_PARTS] = registry_parts
    return _json_lines(document).encode("utf-8")


def _json_lines(document: dict[str, Any]) -> str:
    """JSON with a line for each top-level key and each source's record (Python's
    encoder writes compact JSON in C, but indented JSON in Python: ten times slower on
    the manifest of a million-triple build).

    >>> import json
    >>> text = _json_lines({"a": 1, "sources": {"s1": {"x": [1]}, "s2": {}}})
    >>> print(text, end="")
    {
     "a": 1,
     "sources": {
      "s1": {"x": [1]},
      "s2": {}
     }
    }
    >>> json.loads(text) == {"a": 1, "sources": {"s1": {"x": [1]}, "s2": {}}}
    True
    """
    def dumped(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    lines = []
    for key, value in document.items():
        if key == "sources" and isinstance(value, dict) and value:
            records = ",\n".join(f"  {dumped(name)}: {dumped(record)}"
                                 for name, record in value.items())
            lines.append(f" {dumped(key)}: {{\n{records}\n }}")
        else:
            lines.append(f" {dumped(key)}: {dumped(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def write_files(out_dir: Path, key: str, store: str, records: dict[str, dict[str, Any]],
                 exports: tuple[bytes, bytes] | None,
                 stored: dict[str, Any] | None, texts: Path | None = None,
                 registry_parts: dict[str, int] | None = None) -> list[Path]:
    """Write the manifest, and the TriG and Turtle files when given (else remove stale
    ones).

    The manifest records what each output holds: the size and SHA-256 of the files, the
    build id and quad count of the store (``stored``); the folder of source texts the
    build read (``texts``); and the length of the registry's parts of the exports.
    """
    folder = BuildFolder(out_dir)
    outputs: dict[str, Any] = {}
    if stored is not None:
        outputs[folder.store.name] = stored
    files: dict[Path, bytes] = {}
    if exports is not None:
        for path, data in zip(folder.exports, exports, strict=True):
            files[path] = data
            outputs[path.name] = {"size": len(data),
                                  "sha256": hashlib.sha256(data).hexdigest()}
    else:
        registry_parts = None
    files[folder.manifest] = manifest_bytes(key, store, records, outputs, texts, registry_parts)
    write_atomically(files)  # the manifest last: it never names files not yet in place
    if exports is None:
        for stale in folder.exports:
            stale.unlink(missing_ok=True)
        return [folder.store]
    return ([folder.store] if stored is not None else []) + list(folder.exports)


def has_parts(manifest: dict[str, Any]) -> bool:
    """Whether the last build recorded every part of its exports (:mod:`kg.store.parts`),
    so that a change to some sources rewrites only their parts."""
    return (isinstance(manifest.get(EXPORT_PARTS), dict)
            and all(isinstance(record.get(EXPORT_PARTS), dict)
                    for record in manifest["sources"].values()))
