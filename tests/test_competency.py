"""Each shipped competency query returns exactly the answer the article supports."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Dataset

from kg.sparql import named as named_queries
from kg.sparql.query import run_query

SOURCE = "https://w3id.org/diplomacy-kg/id/fact/xinhua-2023-04-20-chinese-fm-meets-sco-chief/"


def rows(dataset: Dataset, name: str) -> list[dict[str, Any]]:
    result = run_query(dataset, named_queries.text(name))
    names = [str(v) for v in result.vars or []]
    return [{n: (str(row[n]) if row[n] is not None else None) for n in names}  # type: ignore[index]
            for row in result]


def split(value: str | None) -> set[str]:
    return set((value or "").split(", ")) - {""}


def test_every_competency_question_has_a_query() -> None:
    expected = [f"cq{i}" for i in range(1, 13)] + ["cq14"]
    assert named_queries.names() == expected
    for name in expected:
        assert named_queries.question(name).endswith("?")


def test_cq1_one_meeting_two_pieces_of_evidence(dataset: Dataset) -> None:
    (row,) = rows(dataset, "cq1")
    assert row["meeting"].endswith("/qin-gang-zhang-ming-meeting-2023-04-19")
    assert row["date"] == "2023-04-19"
    assert row["place"] == "Beijing"
    assert split(row["participants"]) == {"Qin Gang", "Zhang Ming"}
    assert row["evidence_count"] == "2"


def test_cq2_qin_gang_two_posts(dataset: Dataset) -> None:
    got = {(r["post"], r["organization"], r["part_of"]) for r in rows(dataset, "cq2")}
    assert got == {
        ("State Councilor of China", "State Council of China", "China"),
        ("Foreign Minister of China", "Ministry of Foreign Affairs of China", "China"),
    }


def test_cq3_secretary_general(dataset: Dataset) -> None:
    assert [r["person"] for r in rows(dataset, "cq3")] == ["Zhang Ming"]


def test_cq4_initiatives_proposed_by_xi(dataset: Dataset) -> None:
    assert [r["initiative"] for r in rows(dataset, "cq4")] == [
        "Global Civilization Initiative", "Global Development Initiative",
        "Global Security Initiative"]


def test_cq5_china_committed_to_all_three(dataset: Dataset) -> None:
    assert {(r["agent"], r["initiative"]) for r in rows(dataset, "cq5")} == {
        ("China", "Global Civilization Initiative"), ("China", "Global Development Initiative"),
        ("China", "Global Security Initiative")}


def test_cq6_what_qin_said_and_about_what(dataset: Dataset) -> None:
    got = [(r["statement"].removeprefix(SOURCE), r["act"].rsplit("#", 1)[-1],
            split(r["topics"])) for r in rows(dataset, "cq6")]
    assert got == [
        ("qin-on-sco-role", "assessment", {"Shanghai Cooperation Organization"}),
        ("qin-on-samarkand-consensus", "assessment",
         {"Xi Jinping", "SCO Samarkand Summit 2022", "Shanghai Cooperation Organization",
          "Samarkand Summit consensus on expanding cooperation"}),
        ("qin-on-china-readiness", "intent",
         {"China", "Shanghai Cooperation Organization", "Global Development Initiative",
          "Global Security Initiative", "Global Civilization Initiative"}),
        ("qin-praises-secretariat", "praise", {"Zhang Ming", "SCO Secretariat"}),
        ("qin-on-china-support", "support", {"China", "Zhang Ming", "SCO Secretariat"}),
    ]


def test_cq7_zhang_thanks_china(dataset: Dataset) -> None:
    got = [(r["statement"].removeprefix(SOURCE), r["act"].rsplit("#", 1)[-1], r["addressee"],
            split(r["topics"])) for r in rows(dataset, "cq7")]
    assert got == [
        ("zhang-on-implementing-consensus", "intent", None,
         {"SCO Secretariat", "Samarkand Summit consensus on expanding cooperation",
          "Shanghai Cooperation Organization"}),
        ("zhang-thanks-china", "thanks", "China", {"China", "SCO Secretariat"}),
    ]


def test_cq8_samarkand_summit(dataset: Dataset) -> None:
    (row,) = rows(dataset, "cq8")
    assert row["event"].endswith("/sco-samarkand-summit-2022")
    assert row["date"] == "2022"
    assert row["participants"] == "Xi Jinping"
    assert row["unnamed_participants"] == "leaders of the other SCO member states"
    assert row["outcome"] == "Samarkand Summit consensus on expanding cooperation"


def test_cq9_china_member_of_sco_only(dataset: Dataset) -> None:
    assert [r["organization"] for r in rows(dataset, "cq9")] == [
        "Shanghai Cooperation Organization"]


def test_cq10_unit_led_by_zhang(dataset: Dataset) -> None:
    assert [(r["unit"], r["part_of"]) for r in rows(dataset, "cq10")] == [
        ("SCO Secretariat", "Shanghai Cooperation Organization")]


def test_cq11_caption_and_dateline(dataset: Dataset) -> None:
    got = rows(dataset, "cq11")
    assert [r["locator"] for r in got] == ["p3.s1", "p4.s1"]
    for r in got:
        assert r["source"] == "Chinese FM meets SCO chief"
        assert r["publisher"] == "Xinhua News Agency"
        assert r["published"] == "2023-04-20T10:34:00+08:00"
        assert r["url"] == "http://en.people.cn/n3/2023/0420/c90000-20008483.html"


def test_cq12_photographer_and_editors(dataset: Dataset) -> None:
    assert [(r["role"], r["person"], r["organization"]) for r in rows(dataset, "cq12")] == [
        ("photographer", "Zhai Jianlan", "Xinhua News Agency"),
        ("web editor", "Wu Chaolan", None),
        ("web editor", "Zhang Kaiwei", None),
    ]


def test_cq14_entities_by_type(dataset: Dataset) -> None:
    by_type: dict[str, set[str]] = {}
    for r in rows(dataset, "cq14"):
        by_type.setdefault(r["type"], set()).add(r["entity"])
    assert by_type == {
        "person": {"Qin Gang", "Zhang Ming", "Xi Jinping", "Zhai Jianlan", "Zhang Kaiwei",
                   "Wu Chaolan"},
        "organization": {"Shanghai Cooperation Organization", "SCO Secretariat",
                         "Xinhua News Agency", "China"},
        "place": {"Beijing", "Samarkand"},
        "initiative": {"Global Development Initiative", "Global Security Initiative",
                       "Global Civilization Initiative"},
        "event": {"Meeting of Qin Gang and Zhang Ming, 2023-04-19", "SCO Samarkand Summit 2022"},
    }


@pytest.mark.parametrize("name", named_queries.names())
def test_queries_give_the_same_answers_on_the_built_file(name: str, dataset: Dataset,
                                                         built_dir) -> None:  # type: ignore[no-untyped-def]
    from kg.store.files import load_trig

    def normal(found: list[dict[str, Any]]) -> list[str]:
        # GROUP_CONCAT order is unspecified: compare the concatenated parts as sets
        return sorted(str({k: sorted(split(v)) for k, v in row.items()}) for row in found)

    reloaded = load_trig(built_dir / "kg.trig")
    assert normal(rows(reloaded, name)) == normal(rows(dataset, name))
