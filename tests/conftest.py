"""Shared fixtures: the repository's data, the source texts, a built graph."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


def find_corpus() -> Path:
    """The folder of source texts: $KG_SOURCES, else ../shared/corpus beside the repo."""
    configured = os.environ.get("KG_SOURCES")
    candidates = [Path(configured)] if configured else []
    candidates.append(REPO.parent / "shared" / "corpus")
    for candidate in candidates:
        if (candidate / "000_f693d5a72e5eb8f0.txt").is_file():
            return candidate
    pytest.fail("source texts not found: set KG_SOURCES to the corpus folder")


@pytest.fixture(scope="session")
def corpus() -> Path:
    return find_corpus()


@pytest.fixture(scope="session")
def compiled(corpus: Path):  # type: ignore[no-untyped-def]
    from kg.project import compile_project

    return compile_project(DATA, corpus)


@pytest.fixture(scope="session")
def dataset(compiled) -> Dataset:  # type: ignore[no-untyped-def]
    return compiled.dataset  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory: pytest.TempPathFactory, compiled) -> Path:  # type: ignore[no-untyped-def]
    """kg.trig and kg.ttl written once for the session."""
    from kg.project import write_outputs

    out = tmp_path_factory.mktemp("build")
    write_outputs(compiled, out)
    return out


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
