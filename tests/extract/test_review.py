"""From an article's text to the answers: kg extract drafts the first article, an analyst's
review is played (summaries written, draft blocks deleted), and the built graph answers the
first competency questions as the curated file does."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Dataset

from kg.curation.draft_format import DRAFT_KEY
from kg.curation.registry import load_registry
from kg.errors import CurationErrors
from kg.extract.draft import Extractor, render
from kg.extract.files import read_article_text
from kg.pipeline import compile_project
from tests.conftest import DATA
from tests.sparql.test_competency import rows, split

TEXT = "000_f693d5a72e5eb8f0.txt"
URL = "http://en.people.cn/n3/2023/0420/c90000-20008483.html"


def review(draft: dict[str, Any]) -> dict[str, Any]:
    """What the analyst does with the draft: delete the draft blocks, write each
    statement's summary in their own words, leave out what they cannot settle."""
    draft.pop(DRAFT_KEY)
    draft["source"].pop(DRAFT_KEY, None)
    kept = []
    for fact in draft["facts"]:
        fact.pop(DRAFT_KEY)
        if fact["kind"] == "statement":
            if not fact.get("topics"):
                continue
            fact["summary"] = "The analyst's summary of what was said."
        kept.append(fact)
    draft["facts"] = kept
    return draft


def data_folder(folder: Path, sources: dict[str, str]) -> Path:
    (folder / "sources").mkdir(parents=True)
    shutil.copy(DATA / "entities.yaml", folder / "entities.yaml")
    for name, text in sources.items():
        (folder / "sources" / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def drafted(corpus: Path) -> str:
    extractor = Extractor(load_registry(DATA))
    return render(extractor.extract(read_article_text(corpus / TEXT), text_name=TEXT, url=URL))


@pytest.fixture(scope="module")
def reviewed(drafted: str, corpus: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    text = yaml.safe_dump(review(yaml.safe_load(drafted)), allow_unicode=True, sort_keys=False)
    folder = data_folder(tmp_path_factory.mktemp("reviewed"), {"draft.yaml": text})
    return compile_project(folder, corpus).dataset


def test_the_draft_itself_is_refused(drafted: str, corpus: Path, tmp_path: Path) -> None:
    folder = data_folder(tmp_path, {"draft.yaml": drafted})
    with pytest.raises(CurationErrors) as raised:
        compile_project(folder, corpus)
    messages = [error.message for error in raised.value.errors]
    assert messages and all("draft block" in message for message in messages)


def test_cq1_the_meeting(reviewed: Dataset) -> None:
    (row,) = rows(reviewed, "cq1")
    assert (row["meeting"].rsplit("/", 1)[-1], row["date"], row["place"],
            split(row["participants"]), row["evidence_count"]) == (
        "qin-gang-zhang-ming-meeting-2023-04-19", "2023-04-19", "Beijing",
        {"Qin Gang", "Zhang Ming"}, "2")


def test_cq2_and_cq3_the_posts(reviewed: Dataset) -> None:
    assert {(r["post"], r["organization"]) for r in rows(reviewed, "cq2")} == {
        ("State Councilor of China", "State Council of China"),
        ("Foreign Minister of China", "Ministry of Foreign Affairs of China")}
    assert [r["person"] for r in rows(reviewed, "cq3")] == ["Zhang Ming"]


def test_cq4_the_initiatives(reviewed: Dataset) -> None:
    assert [r["initiative"] for r in rows(reviewed, "cq4")] == [
        "Global Civilization Initiative", "Global Development Initiative",
        "Global Security Initiative"]


def test_cq12_photographer_and_editors(reviewed: Dataset) -> None:
    assert [(r["role"], r["person"], r["organization"]) for r in rows(reviewed, "cq12")] == [
        ("photographer", "Zhai Jianlan", "Xinhua News Agency"),
        ("web editor", "Wu Chaolan", None), ("web editor", "Zhang Kaiwei", None)]
