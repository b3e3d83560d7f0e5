"""The demonym table: one state per adjective, and an adjective for the corpus's states."""

from __future__ import annotations

import csv
from collections import defaultdict

from kg.curation.registry import load_registry
from kg.extract.lexicon import DEMONYMS, DEMONYMS_FILE
from tests.conftest import CORPUS_DATA


def test_an_adjective_names_one_state_whatever_its_case() -> None:
    with DEMONYMS_FILE.open(encoding="utf-8", newline="") as rows:
        table = list(csv.DictReader(rows, delimiter="\t"))
    states: dict[str, set[str]] = defaultdict(set)
    for row in table:
        assert all(value and value == value.strip() for value in row.values()), row
        states[row["demonym"].casefold()].add(row["state"])
    assert {demonym: named for demonym, named in states.items() if len(named) > 1} == {}
    assert table == sorted(table, key=lambda r: (r["state"], r["language"], r["demonym"]))
    assert sum(len(by_language) for by_language in DEMONYMS.values()) == len(table)


def test_every_state_of_the_corpus_has_an_english_demonym() -> None:
    named = set(DEMONYMS["en"].values())
    states = [e for e in load_registry(CORPUS_DATA).values() if e.type == "State"]
    assert states
    assert [s.id for s in states if s.labels["en"] not in named] == []
