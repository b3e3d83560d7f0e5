"""Whether a build folder holds what its manifest says, and clearing what an interrupted
build left behind.

``kg build`` records in ``manifest.json`` what each output holds (the size and SHA-256 of
``kg.trig`` and ``kg.ttl``, the build id and quad count of the store); a build that finds
any output differing rebuilds in full instead of reporting it up to date.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     output_problems(Path(tmp), {})  # doctest: +ELLIPSIS
['.../manifest.json does not describe the outputs (an older build)']
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from kg.store.files import file_problem, stray_temp_files
from kg.store.layout import BuildFolder

__all__ = ["output_problems", "remove_strays", "store_problem"]


def output_problems(out_dir: Path, manifest: dict[str, Any]) -> list[str]:
    """What is wrong with the outputs the manifest describes, one "path problem" each.

    The TriG and Turtle files must have the size and SHA-256 recorded; the store must be
    the one recorded (its marker names the same build), open, and hold the number of
    quads recorded. Empty when all is as written.
    """
    folder = BuildFolder(out_dir)
    outputs = manifest.get("outputs")
    if not isinstance(outputs, dict):
        return [f"{folder.manifest} does not describe the outputs (an older build)"]
    problems = []
    wrong = store_problem(folder.store, outputs.get(folder.store.name))
    if wrong is not None:
        problems.append(f"{folder.store} {wrong}")
    for path in folder.exports:
        if path.name in outputs:
            problem = file_problem(path, outputs[path.name])
            if problem is not None:
                problems.append(f"{path} {problem}")
    return problems


def store_problem(path: Path, record: object) -> str | None:
    import pyoxigraph as ox

    from kg.store.oxigraph import read_marker

    if not isinstance(record, dict) or not {"build", "quads"} <= set(record):
        return "is not recorded in the manifest"
    if not (path / "CURRENT").is_file():
        return "is missing" if not path.exists() else "is not a complete store"
    if read_marker(path) != record["build"]:
        return "is not the store the manifest describes"
    try:
        count = len(ox.Store.read_only(str(path)))
    except (OSError, RuntimeError) as exc:
        return f"does not open ({' '.join(str(exc).split())})"
    if count != record["quads"]:
        return f"holds {count} quads, not the {record['quads']} written"
    return None


def remove_strays(out_dir: Path) -> list[Path]:
    """Remove what an interrupted build left: temporary files and store folders."""
    layout = BuildFolder(out_dir)
    found = stray_temp_files(out_dir, tuple(path.name for path in layout.atomic_files))
    for path in found:
        path.unlink()
    for folder in layout.leftover_stores:
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder)
            found.append(folder)
    return found
