"""Read the curation files of a data folder into checked facts.

The entry point of the curation format: ``entities.yaml`` (the registry shared by all
sources, :mod:`kg.curation.registry`) and ``sources/*.yaml`` (one file per source,
:mod:`kg.curation.sources`). Each file is read as YAML with lines
(:mod:`kg.curation.located_yaml`); its strings are checked for what would break the
exports (:mod:`kg.curation.values`), then the file against its JSON Schema
(:mod:`kg.curation.schema_check`), then for what a schema cannot say: ids that exist,
entity types that fit their role, real dates, unique ids, a text named by a plain file
name, and, when the source texts are at hand, the text's SHA-256 and that every locator
points at a real sentence. All problems are collected and raised together, each with its
file and line and how to fix it (see :func:`kg.errors.fix_hint`).

>>> curation = load_curation(Path("data"))
>>> curation.entities["qin-gang"].labels["en"]
'Qin Gang'
"""

from __future__ import annotations

from pathlib import Path

from kg.curation.model import Curation
from kg.curation.registry import REGISTRY_FILE, load_registry
from kg.curation.sources import SOURCES_DIR, iter_source_files, load_sources
from kg.errors import CurationError, CurationErrors

__all__ = ["REGISTRY_FILE", "SOURCES_DIR", "iter_source_files", "load_curation",
           "load_registry", "load_sources"]


def load_curation(data_dir: Path, corpus_dir: Path | None = None) -> Curation:
    """Read and check a data folder; raise CurationErrors listing every problem.

    ``corpus_dir`` is the folder of source texts: when given, each source's SHA-256 and
    every locator are checked against its text.
    """
    if not data_dir.is_dir():
        raise CurationErrors([CurationError(
            f"the data folder {data_dir} does not exist: pass --data DIR", file=str(data_dir),
            line=1)])
    entities = load_registry(data_dir)
    sources = load_sources(data_dir, list(iter_source_files(data_dir)), entities, corpus_dir)
    return Curation(entities=entities, sources=tuple(sources))
