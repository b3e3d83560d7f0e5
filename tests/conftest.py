"""Shared fixtures: the repository's data, the source texts, a built graph.

Most tests are about the first article (its exact facts, triples and network): they read
``DATA``, a copy of the repository's data holding that article alone and the registry
entries it reaches, so that curating further articles does not change what they check.
Tests about the whole corpus read ``CORPUS_DATA``, the repository's ``data/``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from rdflib import Dataset

if TYPE_CHECKING:
    from kg.pipeline import Compiled

REPO = Path(__file__).resolve().parent.parent
CORPUS_DATA = REPO / "data"
FIRST_ARTICLE = "2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml"
_LINKS = ("post_in", "part_of", "series")


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return {s for item in value.values() for s in _strings(item)}
    if isinstance(value, list):
        return {s for item in value for s in _strings(item)}
    return set()


def first_article_data(target: Path) -> Path:
    """A data folder with the first article alone and the registry entries it names
    (with the posts' organizations, parents and series they lead to)."""
    (target / "sources").mkdir(parents=True)
    shutil.copy(CORPUS_DATA / "sources" / FIRST_ARTICLE, target / "sources" / FIRST_ARTICLE)
    source = yaml.safe_load((CORPUS_DATA / "sources" / FIRST_ARTICLE).read_text("utf-8"))
    registry = yaml.safe_load((CORPUS_DATA / "entities.yaml").read_text("utf-8"))
    by_id = {entity["id"]: entity for entity in registry["entities"]}
    wanted = _strings(source) & set(by_id)
    todo = list(wanted)
    while todo:
        entity = by_id[todo.pop()]
        for link in _LINKS:
            linked = entity.get(link)
            if linked in by_id and linked not in wanted:
                wanted.add(linked)
                todo.append(linked)
    # keep the registry's own text (its layout and comments), entry by entry
    text = (CORPUS_DATA / "entities.yaml").read_text("utf-8")
    head, *entries = text.split("\n  - id: ")
    kept = [e for e in entries if e.split("\n", 1)[0].strip() in wanted]
    (target / "entities.yaml").write_text(
        "\n  - id: ".join([head, *kept]).rstrip("\n") + "\n", "utf-8")
    return target


def _first_article() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="kg-first-article-"))
    atexit.register(shutil.rmtree, folder, True)
    return first_article_data(folder / "data")


DATA = _first_article()


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
def compiled() -> Compiled:
    """The repository's data, built with locator checks when the texts are at hand."""
    from kg.pipeline import compile_project

    return compile_project(DATA, find_corpus())


@pytest.fixture(scope="session")
def dataset(compiled: Compiled) -> Dataset:
    return compiled.dataset


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory: pytest.TempPathFactory, compiled: Compiled) -> Path:
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
