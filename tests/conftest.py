"""Shared fixtures: the repository's data, the source texts, a built graph."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


def find_corpus() -> Path | None:
    """The folder of source texts: $KG_SOURCES when set, else ../shared/corpus beside the
    repository; None when the texts are not there (a fresh clone on its own)."""
    configured = os.environ.get("KG_SOURCES")
    candidate = Path(configured) if configured else REPO.parent / "shared" / "corpus"
    return candidate if (candidate / "000_f693d5a72e5eb8f0.txt").is_file() else None


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The source texts; tests that need them skip when they are missing."""
    found = find_corpus()
    if found is None:
        pytest.skip("needs the source texts: put them in ../shared/corpus or set KG_SOURCES")
    return found


@pytest.fixture(scope="session")
def compiled():  # type: ignore[no-untyped-def]
    """The repository's data, built with locator checks when the texts are at hand."""
    from kg.pipeline import compile_project

    return compile_project(DATA, find_corpus())


@pytest.fixture(scope="session")
def dataset(compiled) -> Dataset:  # type: ignore[no-untyped-def]
    return compiled.dataset  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory: pytest.TempPathFactory, compiled) -> Path:  # type: ignore[no-untyped-def]
    """kg.trig and kg.ttl written once for the session."""
    from kg.pipeline import write_outputs

    out = tmp_path_factory.mktemp("build")
    write_outputs(compiled, out)
    return out


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
