"""The scorer of draft curation files: pairing, categories and shares on small hand-made
documents (invented ids), the table, totals, and every curated file scored against itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.curation.draft_format import DRAFT_KEY, MENTIONS_KEY, PROPOSED_KEY
from kg.errors import KGError, fix_hint
from kg.extract.score import (
    Detail,
    KindScore,
    Ratio,
    SourceScore,
    render_table,
    score_documents,
    score_files,
    total,
)
from kg.kinds import KINDS

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted((REPO / "data" / "sources").glob("*.yaml"))
TYPES = {"ann": "Person", "bob": "Person", "carl": "Person", "ed": "Person", "zoe": "Person",
         "minister": "Post", "envoy": "Post", "land": "State", "isle": "State",
         "capital": "Place", "talks": "Meeting", "summit": "Summit", "plan": "PolicyInitiative"}


def fact(kind: str, fact_id: str, evidence: tuple[str, ...] = ("p1.s1",),
         **fields: Any) -> dict[str, Any]:
    """A fact as loaded from YAML."""
    return {"id": fact_id, "kind": kind, **fields, "evidence": list(evidence)}


def holding(fact_id: str = "h", person: str = "ann", post: str = "minister",
            **fields: Any) -> dict[str, Any]:
    return fact("holding", fact_id, person=person, post=post, **fields)


def document(*facts: dict[str, Any], source: str = "s",
             draft: dict[str, Any] | None = None) -> dict[str, Any]:
    """A source file's document; ``draft`` is its top-level draft block."""
    doc: dict[str, Any] = {"source": {"id": source}, "facts": list(facts)}
    return doc if draft is None else {**doc, DRAFT_KEY: draft}


def score(draft: list[dict[str, Any]], curated: list[dict[str, Any]],
          source: str = "s") -> SourceScore:
    return score_documents(document(*draft), document(*curated, source=source),
                           entity_types=TYPES)


def counts(kind: KindScore) -> tuple[int, int, int, int, int]:
    return kind.matched, kind.partial, kind.wrong, kind.missed, kind.spurious


def test_every_kind_declares_what_identifies_its_facts() -> None:
    for kind in KINDS:
        assert kind.score_key, kind.name
        names = set(kind.score_key + kind.score_fields) - {"evidence"}
        assert names <= set(kind.schema_properties), kind.name


def test_a_holding_with_every_field_right_is_matched() -> None:
    curated = holding(attested="2023-04-19", start="2023-01")
    result = score([holding("d1", attested="2023-04-19", start="2023-01")], [curated])
    assert counts(result.kind("holding")) == (1, 0, 0, 0, 0)
    assert result.details == (Detail("matched", "holding", "d1", "h"),)
    assert result.all.precision == Ratio(1, 1) and result.all.recall == Ratio(1, 1)


def test_a_holding_lacking_its_attested_date_is_partial() -> None:
    result = score([holding("d1")], [holding(attested="2023-04-19")])
    assert counts(result.all) == (0, 1, 0, 0, 0)
    assert result.details[0].lacking == ("attested",)
    assert (result.all.precision.value, result.all.recall.value) == (1.0, 0.0)
    assert result.dates == Ratio(0, 0)  # only the curated fact gives a date


def test_a_holding_with_another_date_is_wrong() -> None:
    result = score([holding("d1", attested="2023-04-18", status="holds")],  # the default
                   [holding(attested="2023-04-19")])
    assert counts(result.all) == (0, 0, 1, 0, 0)
    assert str(result.details[0]) == "wrong holding d1 ~ h: differ attested"
    assert result.dates == Ratio(0, 1)
    assert result.all.precision == Ratio(0, 1)


def test_unpaired_facts_are_spurious_in_the_draft_and_missed_in_the_curated_file() -> None:
    result = score([holding("d1", post="envoy", attested="2023")],
                   [holding(attested="2023"), holding("h2", person="bob", attested="2023")])
    assert counts(result.all) == (0, 0, 0, 2, 1)
    assert [str(d) for d in result.details] == ["missed holding - ~ h", "missed holding - ~ h2",
                                                "spurious holding d1 ~ -"]
    assert result.all.precision == Ratio(0, 1) and result.all.recall == Ratio(0, 2)


def test_a_relation_with_a_list_of_objects_is_one_fact_per_object() -> None:
    draft = fact("relation", "r", subject="land", predicate="member-of", object=["bloc", "isle"])
    curated = fact("relation", "m", subject="land", predicate="member-of",
                   object=["bloc", "club"])
    result = score([draft], [curated])
    assert counts(result.kind("relation")) == (1, 0, 0, 1, 1)
    assert [(d.category, d.draft_id, d.curated_id) for d in result.details] == [
        ("matched", "r/bloc", "m/bloc"), ("missed", None, "m/club"),
        ("spurious", "r/isle", None)]
    assert result.all.drafted == result.all.curated == 2


def test_statements_pair_by_speaker_and_a_shared_locator() -> None:
    said = {"summary": "Backs the plan.", "topics": ["plan"]}
    curated = [fact("statement", "c1", ("p2.s1",), speaker="ann", act="support", **said),
               fact("statement", "c2", ("p3.s1", "p3.s2"), speaker="ann", act="hope", **said),
               fact("statement", "c3", ("p4.s1",), speaker="bob", act="praise", **said)]
    draft = [fact("statement", "d1", ("p3.s2",), speaker="ann", act="hope", **said),
             fact("statement", "d2", ("p4.s1",), speaker="ann", act="praise", **said)]
    result = score(draft, curated)
    assert [(d.category, d.draft_id, d.curated_id) for d in result.details] == [
        ("matched", "d1", "c2"), ("missed", None, "c1"), ("missed", None, "c3"),
        ("spurious", "d2", None)]
    assert result.located == Ratio(1, 1) and result.locator_precision == Ratio(1, 1)


def test_events_pair_by_a_shared_participant_when_the_draft_proposes_another_id() -> None:
    curated = fact("event", "meeting", event="talks", date="2023-04-19",
                   participants=[{"who": "ann", "role": "host"}, {"who": "bob"}])
    draft = fact("event", "d1", event="ann-carl-meeting", date="2023-04",
                 participants=[{"who": "ann"}, {"who": "carl", "role": "guest"}])
    result = score([draft], [curated])
    assert result.details == (Detail("wrong", "event", "d1", "meeting",
                                     differ=("date", "participants")),)
    assert result.dates == Ratio(0, 1)


def test_some_of_the_participants_and_no_other_is_partial() -> None:
    curated = fact("event", "c1", event="talks", date="2023-04-19",
                   participants=[{"who": "ann"}, {"who": "bob"}, {"who": "carl"}])
    fewer = fact("event", "d1", event="talks", date="2023-04-19",
                 participants=[{"who": "ann"}, {"who": "bob"}])
    other = fact("event", "d1", event="talks", date="2023-04-19",
                 participants=[{"who": "ann"}, {"who": "zoe"}])
    assert score([fewer], [curated]).details == (
        Detail("partial", "event", "d1", "c1", lacking=("participants",)),)
    assert score([other], [curated]).details == (
        Detail("wrong", "event", "d1", "c1", differ=("participants",)),)


def test_a_value_the_curated_fact_leaves_empty_is_wrong_in_a_draft() -> None:
    curated = fact("event", "c1", event="talks", date="2023-07-04")
    placed = fact("event", "d1", event="talks", date="2023-07-04", place="capital")
    attended = fact("event", "d1", event="talks", date="2023-07-04",
                    participants=[{"who": "zoe"}])
    assert [score([draft], [curated]).details for draft in (placed, attended)] == [
        (Detail("wrong", "event", "d1", "c1", differ=("place",)),),
        (Detail("wrong", "event", "d1", "c1", differ=("participants",)),)]


def test_a_field_left_out_has_its_kind_s_default() -> None:
    planned = fact("event", "c1", event="talks", date="2023-07-04", status="planned")
    happened = fact("event", "c1", event="talks", date="2023-07-04", status="happened")
    silent = fact("event", "d1", event="talks", date="2023-07-04")
    assert score([silent], [planned]).details == (
        Detail("wrong", "event", "d1", "c1", differ=("status",)),)
    assert score([silent], [happened]).details == (Detail("matched", "event", "d1", "c1"),)


def test_a_date_the_curator_took_from_the_publication_is_not_expected_of_a_draft() -> None:
    curated = fact("event", "c1", event="talks", date="2024-05", date_from="publication",
                   place="capital")
    undated = fact("event", "d1", event="talks", place="capital")
    same = fact("event", "d1", event="talks", date="2024-05", place="capital")
    other = fact("event", "d1", event="talks", date="2024-04", place="capital")
    stated = fact("event", "c1", event="talks", date="2024-05", place="capital")
    assert [score([draft], [curated]).details for draft in (undated, same, other)] == [
        (Detail("matched", "event", "d1", "c1"),), (Detail("matched", "event", "d1", "c1"),),
        (Detail("wrong", "event", "d1", "c1", differ=("date",)),)]
    assert score([undated], [stated]).details == (
        Detail("partial", "event", "d1", "c1", lacking=("date",)),)


def test_events_pair_by_date_and_place_and_not_when_nothing_is_shared() -> None:
    curated = fact("event", "summit", event="summit", date="2023-07-04", place="capital")
    same = fact("event", "d1", event="sco-summit", date="2023-07-04", place="capital")
    other = fact("event", "d2", event="other", date="2023-07-05", place="capital")
    assert score([same], [curated]).details == (Detail("matched", "event", "d1", "summit"),)
    assert counts(score([other], [curated]).all) == (0, 0, 0, 1, 1)


def test_events_pair_by_id_first() -> None:
    ann = [{"who": "ann"}]
    curated = [fact("event", "c1", event="summit", date="2023-07-04", participants=ann),
               fact("event", "c2", event="talks", date="2023-07-04",
                    participants=[*ann, {"who": "bob"}])]
    draft = [fact("event", "d1", event="talks", date="2023-07-04"),
             fact("event", "d2", event="summit-2023", participants=ann)]
    result = score(draft, curated)
    assert [(d.category, d.draft_id, d.curated_id, d.lacking) for d in result.details] == [
        ("partial", "d2", "c1", ("date",)), ("partial", "d1", "c2", ("participants",))]


def test_the_meeting_subset_counts_facts_whose_key_names_a_meeting() -> None:
    talks = fact("event", "talks", event="talks", date="2023-04-19")
    summit = fact("event", "summit", event="summit", date="2023-07-04")
    dinner = fact("event", "d2", ("p9.s1",), event="ann-dinner", format="in-person")
    draft = document(fact("event", "d1", event="talks", date="2023-04-19"), dinner,
                     draft={PROPOSED_KEY: [{"id": "ann-dinner", "type": "Meeting",
                                            "label": "Dinner"}]})
    result = score_documents(draft, document(talks, summit), entity_types=TYPES)
    assert counts(result.meeting) == (1, 0, 0, 0, 1)
    assert counts(result.kind("event")) == (1, 0, 0, 1, 1)
    assert result.meeting.recall == Ratio(1, 1) and result.meeting_fields_right == Ratio(1, 1)


def test_entity_linking_compares_registry_ids_of_both_files() -> None:
    curated = document(holding(attested="2023"),
                       fact("statement", "s1", speaker="bob", summary="On land.",
                            topics=["land"]))
    curated["source"] |= {"editors": {"people": ["ed"], "evidence": ["p9.s1"]},
                          "photos": [{"id": "photo", "creator": "zoe", "evidence": ["p1.s1"]}]}
    draft = document(holding("d1", attested="2023"),
                     fact("statement", "d2", speaker="dave", summary="On land.",
                          topics=["dave-plan"]),
                     draft={MENTIONS_KEY: {"bob": ["p1.s1"], "carl": ["p2.s1"]},
                            PROPOSED_KEY: [{"id": "dave", "type": "Person", "label": "Dave"}]})
    result = score_documents(draft, curated, entity_types=TYPES)
    assert result.linked == Ratio(3, 6)  # ann, minister, bob of ann, minister, bob, land, ed, zoe
    assert result.unconfirmed == 1  # carl; dave is no registry id
    assert score_documents(draft, curated).linked.value is None


def test_yaml_dates_and_strings_compare_equal(tmp_path: Path) -> None:
    draft, curated = tmp_path / "draft.yaml", tmp_path / "curated.yaml"
    lines = "facts:\n  - {id: h, kind: holding, person: ann, post: minister, attested: %s,\n" \
            "     evidence: [p1.s1]}\n"
    draft.write_text(lines % "2023-04-19", encoding="utf-8")
    curated.write_text(lines % "'2023-04-19'", encoding="utf-8")
    result = score_files(draft, curated)
    assert result.source == "curated.yaml"  # no source id: the file's name
    assert counts(result.all) == (1, 0, 0, 0, 0) and result.dates == Ratio(1, 1)


@pytest.mark.parametrize(("text", "message"), [
    ("- a list\n", "not a source file but list"),
    ("facts: {id: h}\n", "facts: not a list"),
    ("facts:\n  - {id: t, kind: trip, evidence: []}\n", "fact 't': unknown fact kind 'trip'"),
    ("facts: [\n", "invalid YAML"),
    ("draft: {proposed: someone}\n", "draft: not a mapping of a proposed list"),
])
def test_what_is_not_a_source_file_is_refused(tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(KGError) as caught:
        score_files(bad, SOURCES[0])
    assert str(caught.value).startswith(f"{bad}") and message in str(caught.value)
    assert fix_hint(str(caught.value)) is not None


def two_sources() -> list[SourceScore]:
    first = score([holding("d1", attested="2023"), holding("d2", post="envoy")],
                  [holding(attested="2023", start="2022"), holding("h2", post="envoy")])
    second = score([fact("event", "d1", event="talks", date="2023-04-19")],
                   [fact("event", "e1", event="talks", date="2023-04-19")], source="t")
    return [first, second]


def test_total_adds_up_the_sources() -> None:
    summed = total(two_sources())
    assert summed.source == "total"
    assert [counts(kind) for kind in summed.kinds] == [(1, 1, 0, 0, 0), (1, 0, 0, 0, 0)]
    assert [kind.kind for kind in summed.kinds] == ["holding", "event"]
    assert counts(summed.meeting) == (1, 0, 0, 0, 0)
    assert summed.located == Ratio(3, 3) and summed.dates == Ratio(2, 2)
    assert len(summed.details) == 3


def test_render_table_gives_a_row_per_source_and_a_total() -> None:
    assert render_table(two_sources()) == "\n".join([
        "| source | facts (draft/curated) | matched | partial | wrong | missed | spurious "
        "| precision | recall | meetings recall | holdings recall | located | dates "
        "| entities linked |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: |",
        "| s | 2/2 | 1 | 1 | 0 | 0 | 0 | 100% | 50% | \u2013 | 50% | 100% | 100% | 100% |",
        "| t | 1/1 | 1 | 0 | 0 | 0 | 0 | 100% | 100% | 100% | \u2013 | 100% | 100% | 100% |",
        "| total | 3/3 | 2 | 1 | 0 | 0 | 0 | 100% | 66% | 100% | 50% | 100% | 100% | 100% |",
    ])
    text = render_table(two_sources(), markdown=False).splitlines()
    assert text[0].split()[:2] == ["source", "facts"]
    assert text[-1].split()[:3] == ["total", "3/3", "2"]


@pytest.mark.parametrize("path", SOURCES, ids=[path.stem for path in SOURCES])
def test_a_curated_file_scored_against_itself_is_all_matched(path: Path) -> None:
    result = score_files(path, path, registry=REPO / "data" / "entities.yaml")
    assert result.all.curated > 0
    assert all(d.category == "matched" and d.draft_id == d.curated_id for d in result.details)
    assert result.all.precision.value == result.all.recall.value == 1.0
    assert result.linked.value == 1.0 and result.unconfirmed == 0
    assert result.located.value == result.locator_precision.value == 1.0
