"""`kg timeline`: exact points for the repository's data and for a made-up post held by
several people over the years, planned and designated points, --since/--until, every
format read back, the HTML page in a real headless Chromium, and bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, sync_playwright
from rdflib import Dataset

from kg.cli import main
from kg.cli.graph_commands import TIMELINE_FORMATS
from kg.errors import KGError, UnknownEntityError
from kg.graph.timeline import (
    FIELDS,
    FORMATS,
    RULES,
    Interval,
    Timeline,
    TimelinePoint,
    render_text,
    timeline,
)
from kg.kinds import KINDS
from kg.network.timeline_page import render_page
from kg.pipeline import compile_project
from tests.conftest import CORPUS_DATA, find_corpus

SOURCE = "xinhua-2023-04-20-chinese-fm-meets-sco-chief"
TITLE = "Chinese FM meets SCO chief"
URL = "http://en.people.cn/n3/2023/0420/c90000-20008483.html"
PUBLISHED = "2023-04-20T10:34:00+08:00"
FACT = f"https://w3id.org/diplomacy-kg/id/fact/{SOURCE}/"

IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "</script><script>window.__pwned=1</script>"
HREF = '<a href="javascript:window.__pwned=1" onmouseover="window.__pwned=1">href</a>'

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def graph_args(built_dir: Path) -> list[str]:
    return ["--graph", str(built_dir / "kg.trig")]


@pytest.fixture(scope="module")
def first(dataset: Dataset) -> Dataset:
    """The first article alone (tests.conftest.DATA): its points stay exact as articles are
    added to data/."""
    return dataset


# --- a made-up world: one post, four people, three sources over six years ----------------


def source(source_id: str, title: str, published: str, facts: list[dict[str, Any]]
           ) -> dict[str, Any]:
    return {"source": {"id": source_id, "title": title, "url": f"https://example.org/{source_id}",
                       "publisher": "ruritanian-news", "published": published,
                       "language": "en", "text": f"{source_id}.txt", "sha256": "0" * 64},
            "facts": facts}


def holding(fact_id: str, person: str, attested: str, evidence: str,
            **more: str) -> dict[str, Any]:
    return {"id": fact_id, "kind": "holding", "person": person, "post": "fm-of-ruritania",
            "attested": attested, **more, "evidence": [evidence]}


def write_world(folder: Path, labels: dict[str, str] | None = None,
                title: str = "Ruritania names its foreign minister",
                summary: str = "Will keep the ministry's course.") -> Path:
    """Curation files of a made-up world; ``labels`` replace English labels by id."""
    names = {"anna": "Anna Berg", "boris": "Boris Lenz", "clara": "Clara Vogel",
             "dmitri": "Dmitri Ostrov", **(labels or {})}
    entities = [
        {"id": "ruritania", "type": "State", "label": {"en": "Ruritania"}},
        {"id": "freedonia", "type": "State", "label": {"en": "Freedonia"}},
        {"id": "league", "type": "IntergovernmentalOrganization",
         "label": {"en": "League of Nations"}},
        {"id": "ruritania-mfa", "type": "GovernmentBody",
         "label": {"en": "Foreign Ministry of Ruritania"}, "part_of": "ruritania"},
        {"id": "fm-of-ruritania", "type": "Post", "label": {"en": "Foreign Minister of Ruritania"},
         "post_in": "ruritania-mfa"},
        {"id": "league-summit-2018", "type": "Summit", "label": {"en": "League Summit 2018"}},
        {"id": "ruritanian-news", "type": "NewsAgency", "label": {"en": "Ruritanian News"}},
        *({"id": key, "type": "Person", "label": {"en": name}} for key, name in names.items()),
    ]
    sources = [
        source("s1", title, "2018-05-02T09:00:00+02:00", [
            holding("anna-fm", "anna", "2018-05-02", "p1.s1", start="2015-01"),
            {"id": "summit", "kind": "event", "event": "league-summit-2018", "date": "2018-09",
             "status": "planned", "announced": "2018-05-02", "place": "freedonia",
             "organizer": "league",
             "participants": [{"who": "ruritania", "role": "host"}, {"who": "anna"}],
             "evidence": ["p2.s1"]},
            {"id": "anna-trip", "kind": "visit", "visitor": "anna", "destination": "freedonia",
             "start": "2018-06-01", "end": "2018-06-03", "status": "planned",
             "evidence": ["p3.s1"]},
        ]),
        source("s2", "A new foreign minister for Ruritania", "2020-01-15", [
            holding("anna-fm", "anna", "2019-11-30", "p1.s1", start="2015-01", end="2019-11"),
            holding("boris-fm", "boris", "2020-01-14", "p1.s2", start="2019-12-01"),
            holding("clara-next", "clara", "2020-01-15", "p2.s1", status="designated"),
            {"id": "anna-trip", "kind": "visit", "visitor": "anna", "destination": "freedonia",
             "start": "2018-06-01", "end": "2018-06-03", "host": "freedonia",
             "evidence": ["p3.s1"]},
            {"id": "boris-course", "kind": "statement", "speaker": "boris",
             "on_behalf_of": "ruritania-mfa", "date": "2020-01-14", "act": "intent",
             "summary": summary, "topics": ["league"], "evidence": ["p4.s1"]},
            {"id": "member", "kind": "relation", "subject": "ruritania",
             "predicate": "member-of", "object": "league", "evidence": ["p5.s1", "p4.s2"]},
        ]),
        source("s3", "Boris Lenz steps down", "2021-04-01", [
            holding("boris-fm", "boris", "2021", "p1.s1", start="2019-12-01", end="2021-03"),
            holding("dmitri-fm", "dmitri", "2021-04-01", "p1.s2", began_by="2021-03"),
        ]),
    ]
    data = folder / "data"
    (data / "sources").mkdir(parents=True)
    (data / "entities.yaml").write_text(
        yaml.safe_dump({"entities": entities}, allow_unicode=True), "utf-8")
    for item in sources:
        name = f"{item['source']['id']}.yaml"
        (data / "sources" / name).write_text(yaml.safe_dump(item, allow_unicode=True), "utf-8")
    return data


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_world(tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="module")
def world_dataset(world: Path) -> Dataset:
    return compile_project(world).dataset


def brief(points: tuple[TimelinePoint, ...]) -> list[tuple[Any, ...]]:
    return [(p.date, p.dated_by, p.kind, p.role, p.status, p.holder, p.source_id, p.locators)
            for p in points]


# --- the repository's data -----------------------------------------------------------------


FM_OF_CHINA = TimelinePoint(
    date="2023-04-19", dated_by="attested", kind="holding", role="post", status="holds",
    what="Qin Gang holds the post Foreign Minister of China (attested 2023-04-19)",
    attested="2023-04-19", holder="qin-gang", holder_label="Qin Gang",
    post="foreign-minister-of-china", post_label="Foreign Minister of China",
    source_id=SOURCE, source_title=TITLE, source_url=URL, source_published=PUBLISHED,
    locators=("p3.s1", "p4.s1"), fact=FACT + "qin-gang-foreign-minister")


def test_the_foreign_minister_of_china(first: Dataset) -> None:
    found = timeline(first, "foreign-minister-of-china")
    assert (found.entity, found.label, found.cls) == (
        "foreign-minister-of-china", "Foreign Minister of China", "Post")
    assert found.points == (FM_OF_CHINA,)


def test_every_source_of_the_repository() -> None:
    """With every article of data/: the first article's point is among the others, each
    from its own source, in date order."""
    corpus = compile_project(CORPUS_DATA, find_corpus()).dataset
    found = timeline(corpus, "foreign-minister-of-china")
    assert FM_OF_CHINA in found.points
    assert {p.kind for p in found.points} == {"holding"}
    assert [p.date for p in found.points] == sorted(p.date or "" for p in found.points)
    assert all(p.fact.startswith(f"https://w3id.org/diplomacy-kg/id/fact/{p.source_id}/")
               for p in found.points)


def test_qin_gang_posts_meeting_and_statements(first: Dataset) -> None:
    found = timeline(first, "Qin Gang")  # the exact label names him too
    assert [(p.date, p.dated_by, p.kind, p.role, p.status, p.locators)
            for p in found.points] == [
        ("2023-04-19", "attested", "holding", "holder", "holds", ("p3.s1", "p4.s1")),
        ("2023-04-19", "attested", "holding", "holder", "holds", ("p3.s1", "p4.s1")),
        ("2023-04-19", "date", "event", "host", "happened", ("p3.s1", "p4.s1")),
        ("2023-04-19", "date", "statement", "speaker", None, ("p5.s1",)),
        ("2023-04-19", "date", "statement", "speaker", None, ("p6.s1",)),
        ("2023-04-19", "date", "statement", "speaker", None, ("p7.s1",)),
        ("2023-04-19", "date", "statement", "speaker", None, ("p8.s1",)),
        ("2023-04-19", "date", "statement", "speaker", None, ("p9.s1",)),
    ]
    assert [p.post for p in found.points[:2]] == ["foreign-minister-of-china",
                                                  "state-councilor-of-china"]
    assert found.points[2].what == ("Meeting of Qin Gang and Zhang Ming, 2023-04-19 on "
                                    "2023-04-19 in Beijing with Qin Gang, Zhang Ming")


def test_china_and_the_sco(first: Dataset) -> None:
    china = timeline(first, "id:china")
    assert [(p.date, p.dated_by, p.role, p.what) for p in china.points] == [
        ("2023-04-19", "attested", "post in a part of it",
         "Qin Gang holds the post Foreign Minister of China (attested 2023-04-19)"),
        ("2023-04-19", "attested", "post in a part of it",
         "Qin Gang holds the post State Councilor of China (attested 2023-04-19)"),
        ("2023-04-19", "attested", "post in it",
         "Xi Jinping holds the post President of China (attested 2023-04-19)"),
        ("2023-04-20", "published", "object", "Beijing is the capital of China"),
        ("2023-04-20", "published", "subject", "China committed to Global Civilization Initiative"),
        ("2023-04-20", "published", "subject", "China committed to Global Development Initiative"),
        ("2023-04-20", "published", "subject", "China committed to Global Security Initiative"),
        ("2023-04-20", "published", "subject",
         "China is a member of Shanghai Cooperation Organization"),
    ]
    sco = timeline(first, "https://w3id.org/diplomacy-kg/id/sco")
    assert [(p.date, p.kind, p.role, p.status) for p in sco.points] == [
        ("2022", "event", "organizer", "happened"),
        ("2023-04-19", "holding", "post in it", "holds"),
        ("2023-04-20", "relation", "object", None),
        ("2023-04-20", "relation", "object", None),
    ]


def test_the_same_points_from_an_oxigraph_store(first: Dataset, world_dataset: Dataset,
                                                tmp_path: Path) -> None:
    from kg.store.oxigraph import as_dataset, open_store, write_new_store

    for name, dataset, entities in (
            ("first", first, ("qin-gang", "china", "foreign-minister-of-china", "sco")),
            ("world", world_dataset, ("fm-of-ruritania", "anna", "ruritania", "freedonia"))):
        write_new_store(tmp_path / name, dataset.serialize(format="nquads", encoding="utf-8"))
        stored = as_dataset(open_store(tmp_path / name))
        for entity in entities:
            assert timeline(stored, entity) == timeline(dataset, entity)


# --- several holders over time, planned and designated points ----------------------------


def test_holders_of_a_post_over_time(world_dataset: Dataset) -> None:
    found = timeline(world_dataset, "fm-of-ruritania")
    assert found.title() == "Holders of Foreign Minister of Ruritania"
    assert brief(found.points) == [
        ("2015-01", "start", "holding", "post", "holds", "anna", "s1", ("p1.s1",)),
        ("2015-01", "start", "holding", "post", "holds", "anna", "s2", ("p1.s1",)),
        ("2019-12-01", "start", "holding", "post", "holds", "boris", "s2", ("p1.s2",)),
        ("2019-12-01", "start", "holding", "post", "holds", "boris", "s3", ("p1.s1",)),
        ("2020-01-15", "attested", "holding", "post", "designated", "clara", "s2", ("p2.s1",)),
        ("2021-04-01", "attested", "holding", "post", "holds", "dmitri", "s3", ("p1.s2",)),
    ]
    assert [(p.start, p.end, p.attested, p.began_by) for p in found.points] == [
        ("2015-01", None, "2018-05-02", None), ("2015-01", "2019-11", "2019-11-30", None),
        ("2019-12-01", None, "2020-01-14", None), ("2019-12-01", "2021-03", "2021", None),
        (None, None, "2020-01-15", None), (None, None, "2021-04-01", "2021-03")]
    assert [p.when() for p in found.points] == [
        "2015-01", "2015-01 to 2019-11", "2019-12-01", "2019-12-01 to 2021-03", "2020-01-15",
        "2021-04-01"]
    assert found.points[4].what == ("Clara Vogel is designated to take up the post Foreign "
                                    "Minister of Ruritania (attested 2020-01-15)")


def test_planned_events_stay_planned(world_dataset: Dataset) -> None:
    found = timeline(world_dataset, "anna")
    assert [(p.when(), p.kind, p.role, p.status, p.source_id) for p in found.points] == [
        ("2015-01", "holding", "holder", "holds", "s1"),
        ("2015-01 to 2019-11", "holding", "holder", "holds", "s2"),
        ("2018-06-01 to 2018-06-03", "visit", "visitor", "happened", "s2"),
        ("2018-06-01 to 2018-06-03", "visit", "visitor", "planned", "s1"),
        ("2018-09", "event", "participant", "planned", "s1"),
    ]
    assert [p.what for p in found.points[2:]] == [
        "Anna Berg visited Freedonia from 2018-06-01 to 2018-06-03, hosted by Freedonia",
        "Anna Berg will visit Freedonia from 2018-06-01 to 2018-06-03 (planned)",
        "League Summit 2018 on 2018-09 in Freedonia with Anna Berg, Ruritania "
        "(planned, announced 2018-05-02)"]
    assert found.points[4].announced == "2018-05-02"


def test_an_organization_its_posts_events_statements_and_relations(
        world_dataset: Dataset) -> None:
    state = timeline(world_dataset, "Ruritania")
    assert [(p.date, p.kind, p.role, p.status) for p in state.points] == [
        ("2015-01", "holding", "post in a part of it", "holds"),
        ("2015-01", "holding", "post in a part of it", "holds"),
        ("2018-09", "event", "host", "planned"),
        ("2019-12-01", "holding", "post in a part of it", "holds"),
        ("2019-12-01", "holding", "post in a part of it", "holds"),
        ("2020-01-15", "holding", "post in a part of it", "designated"),
        ("2020-01-15", "relation", "subject", None),
        ("2021-04-01", "holding", "post in a part of it", "holds"),
    ]
    assert state.points[6].dated_by == "published"
    assert state.points[6].locators == ("p4.s2", "p5.s1")
    ministry = timeline(world_dataset, "ruritania-mfa")
    assert [(p.date, p.kind, p.role) for p in ministry.points if p.kind != "holding"] == [
        ("2020-01-14", "statement", "spoken for")]
    assert {p.role for p in ministry.points if p.kind == "holding"} == {"post in it"}
    league = timeline(world_dataset, "league")
    assert [(p.date, p.kind, p.role, p.status) for p in league.points] == [
        ("2018-09", "event", "organizer", "planned"),
        ("2020-01-15", "relation", "object", None)]
    freedonia = timeline(world_dataset, "freedonia")
    assert [(p.kind, p.role, p.status) for p in freedonia.points] == [
        ("visit", "host, destination", "happened"), ("visit", "destination", "planned")]


@pytest.mark.parametrize(("since", "until", "holders"), [
    ("2020", "2020", [("boris", "s2"), ("boris", "s3"), ("clara", "s2")]),
    ("2021-04", None, [("boris", "s3"), ("dmitri", "s3")]),
    (None, "2015", [("anna", "s1"), ("anna", "s2")]),
    ("2019-11-30", "2019-11-30", [("anna", "s2")]),
    ("2021-03", "2021-03", [("boris", "s3"), ("dmitri", "s3")]),
    ("2022", None, []),
])
def test_since_and_until_keep_the_points_that_meet_the_interval(
        world_dataset: Dataset, since: str | None, until: str | None,
        holders: list[tuple[str, str]]) -> None:
    found = timeline(world_dataset, "fm-of-ruritania", interval=Interval(since, until))
    assert [(p.holder, p.source_id) for p in found.points] == holders


def test_since_and_until_from_the_command_line(world: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no build/ here: the graph is built from --data
    code, out, err = invoke("timeline", "anna", "--since", "2018-06", "--until", "2018-06-02",
                            "--data", str(world), "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["date"], r["end"], r["kind"], r["status"]) for r in rows] == [
        ("2015-01", "2019-11", "holding", "holds"),  # in office until 2019-11
        ("2018-06-01", "2018-06-03", "visit", "happened"),
        ("2018-06-01", "2018-06-03", "visit", "planned")]


# --- formats -------------------------------------------------------------------------------


def test_table(graph_args: list[str]) -> None:
    code, out, err = invoke("timeline", "foreign-minister-of-china", *graph_args)
    assert (code, err) == (0, "")
    assert out == (
        "Foreign Minister of China (foreign-minister-of-china, Post): 1 point\n"
        "date        dated by  status  role  what                                           "
        "                          source                      locators\n"
        "----------  --------  ------  ----  -----------------------------------------------"
        "------------------------  --------------------------  ------------\n"
        "2023-04-19  attested  holds   post  Qin Gang holds the post Foreign Minister of Chin"
        "a (attested 2023-04-19)  Chinese FM meets SCO chief  p3.s1, p4.s1\n")


def test_table_of_no_points_and_hostile_text(world: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("timeline", "anna", "--since", "2030", "--data", str(world))
    assert (code, out) == (0, "Anna Berg (anna, Person): no points from 2030\n")
    # curation files refuse such labels, a graph written elsewhere (--graph) may hold them
    point = TimelinePoint(date="2018-09", dated_by="date", kind="event", role="host",
                          status="planned", what="Talks\u2028\tin Freedonia\r",
                          source_title="News\x1b[31m", locators=("p1.s1",))
    table = render_text(Timeline("anna", "Anna\nBerg", "Person", Interval(), (point,)),
                        "table")
    assert table.splitlines() == [
        "Anna\\nBerg (anna, Person): 1 point",
        "date     dated by  status   role  what                         source        locators",
        "-------  --------  -------  ----  ---------------------------  ------------  --------",
        "2018-09  date      planned  host  Talks\\u2028\\tin Freedonia\\r  News\\x1b[31m  p1.s1"]


def test_csv_parses_back(graph_args: list[str], first: Dataset) -> None:
    code, out, _ = invoke("timeline", "qin-gang", "--format", "csv", *graph_args)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert tuple(rows[0]) == FIELDS
    expected = timeline(first, "qin-gang").points
    assert len(rows) == 1 + len(expected) == 9
    for row, point in zip(rows[1:], expected, strict=True):
        record = dict(zip(FIELDS, row, strict=True))
        assert record["locators"] == " ".join(point.locators)
        for name in FIELDS:
            if name != "locators":
                value = getattr(point, name)
                assert record[name] == ("" if value is None else value), name
    assert rows[1][:6] == ["2023-04-19", "attested", "holding", "holder", "holds",
                           "Qin Gang holds the post Foreign Minister of China (attested "
                           "2023-04-19)"]


def test_json_lists_every_field(graph_args: list[str], first: Dataset) -> None:
    code, out, _ = invoke("timeline", "zhang-ming", "-f", "json", *graph_args)
    assert code == 0
    points = json.loads(out)
    expected = [{**asdict(p), "locators": list(p.locators)}
                for p in timeline(first, "zhang-ming").points]
    assert points == expected
    assert [tuple(point) for point in points] == [FIELDS] * 5
    assert [(p["date"], p["kind"], p["role"], p["locators"]) for p in points] == [
        ("2023-04-19", "holding", "holder", ["p3.s1", "p4.s1"]),
        ("2023-04-19", "event", "guest", ["p3.s1", "p4.s1"]),
        ("2023-04-19", "statement", "speaker", ["p10.s1"]),
        ("2023-04-19", "statement", "speaker", ["p10.s2"]),
        ("2023-04-20", "relation", "subject", ["p10.s1"])]


def test_output_file(graph_args: list[str], tmp_path: Path) -> None:
    target = tmp_path / "fm.json"
    code, out, err = invoke("timeline", "foreign-minister-of-china", "--format", "json",
                            "--output", str(target), *graph_args)
    assert (code, out, err) == (0, "", f"Wrote {target}: 1 point\n")
    assert [p["holder"] for p in json.loads(target.read_text("utf-8"))] == ["qin-gang"]


def test_html_page_is_self_contained(world_dataset: Dataset) -> None:
    page = render_page(timeline(world_dataset, "fm-of-ruritania"))
    assert "connect-src 'none'" in page and "default-src 'none'" in page
    assert "'unsafe-inline'" not in page
    assert page.count("<script") == 2
    assert re.findall(r"<(?:link|img|a|iframe|object)\b|\b(?:src|href|action)=", page) == []
    assert "https://example.org/s1" in page  # as text
    assert page.count('<li class="kg-point') == 6
    assert page.count('<li class="kg-point kg-designated">') == 1
    assert [line for line in page.splitlines() if 'class="kg-year"' in line] == [
        '<li class="kg-year"><h2>2015</h2></li>', '<li class="kg-year"><h2>2019</h2></li>',
        '<li class="kg-year"><h2>2020</h2></li>', '<li class="kg-year"><h2>2021</h2></li>']


# --- the page in a real browser --------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_world(tmp_path_factory.mktemp("hostile"),
                       labels={"anna": SCRIPT, "boris": IMG}, title=SCRIPT + IMG,
                       summary=IMG + HREF)


def html_page(tmp_path: Path, data: Path, entity: str) -> Path:
    target = tmp_path / f"{entity}.html"
    code, _, err = invoke("timeline", entity, "--format", "html", "--output", str(target),
                          "--data", str(data))
    assert code == 0, err
    return target


def texts(page: Page, selector: str) -> list[str]:
    return page.locator(selector).all_inner_texts()


def test_nothing_runs_from_the_data(browser: Browser, hostile: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    target = html_page(tmp_path, hostile, "anna")
    html = target.read_text("utf-8")
    for bad in (IMG, SCRIPT, HREF, "<img", "<a href"):
        assert bad not in html
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(target.as_uri())
    page.wait_for_selector("body[data-kg-state=ready]", state="attached", timeout=10_000)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, svg, a, iframe').length") == 0
    assert page.evaluate("document.scripts.length") == 2
    assert requests == [target.as_uri()] and errors == []
    assert page.title() == f"Timeline of {SCRIPT}"
    assert page.inner_text("#kg-title") == f"Timeline of {SCRIPT}"
    assert texts(page, ".kg-year h2") == ["2015", "2018"]
    assert texts(page, ".kg-date") == ["2015-01", "2015-01 to 2019-11",
                                       "2018-06-01 to 2018-06-03", "2018-06-01 to 2018-06-03",
                                       "2018-09"]
    assert texts(page, ".kg-badge") == ["planned", "planned"]
    assert page.locator("li.kg-planned").count() == 2
    whats = texts(page, ".kg-what")
    assert whats[0] == (f"{SCRIPT} holds the post Foreign Minister of Ruritania "
                        "(attested 2018-05-02)")
    assert whats[3] == f"{SCRIPT} will visit Freedonia from 2018-06-01 to 2018-06-03 (planned)"
    assert texts(page, ".kg-source")[0] == (f"{SCRIPT}{IMG} \u00b7 https://example.org/s1 "
                                            "\u00b7 p1.s1")
    # the filter: by words, then by kind
    page.fill("#kg-search", "will visit")
    assert page.locator("li.kg-point").count() == 1
    assert page.inner_text(".kg-count") == "1 of 5 points shown"
    page.fill("#kg-search", "")
    page.locator("label.kg-kind", has_text="holding").locator("input").uncheck()
    assert page.locator("li.kg-point").count() == 3
    assert page.evaluate("typeof window.__pwned") == "undefined" and errors == []
    page.close()

    boris = html_page(tmp_path, hostile, "boris")
    page = browser.new_page()
    page.goto(boris.as_uri())
    page.wait_for_selector("body[data-kg-state=ready]", state="attached", timeout=10_000)
    assert texts(page, ".kg-what")[2] == f"{IMG} for Foreign Ministry of Ruritania (intent): " \
                                         f"{IMG}{HREF}"
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, svg, a, iframe').length") == 0
    page.close()


def test_the_page_reads_without_javascript(browser: Browser, hostile: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    target = html_page(tmp_path, hostile, "fm-of-ruritania")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(target.as_uri())
    assert page.get_attribute("body", "data-kg-state") == "static"
    assert page.is_hidden("#kg-controls")
    assert texts(page, ".kg-year h2") == ["2015", "2019", "2020", "2021"]
    assert texts(page, ".kg-date") == ["2015-01", "2015-01 to 2019-11", "2019-12-01",
                                       "2019-12-01 to 2021-03", "2020-01-15", "2021-04-01"]
    assert texts(page, ".kg-badge") == ["designated successor"]
    whats = texts(page, ".kg-what")
    assert whats[0].startswith(SCRIPT + " holds the post") and whats[2].startswith(IMG)
    assert page.locator("img, svg, a, iframe").count() == 0
    context.close()


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["qin-gan"], "Error: unknown id 'qin-gan': did you mean qin-gang"),
    (["beijing"], "Error: 'beijing' is a Place: kg timeline shows a post, a person or an "
                  "organization (see kg evidence beijing)"),
    (["qin-gang-zhang-ming-meeting-2023-04-19"], "Error: 'qin-gang-zhang-ming-meeting-"
                                                 "2023-04-19' is a Meeting"),
    (["qin-gang", "--since", "2023-13"],
     "Error: --since: '2023-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    (["qin-gang", "--until", "2023-02-30"], "Error: --until: '2023-02-30' is not a date"),
    (["qin-gang", "--since", "April 2023"], "Error: --since: 'April 2023' is not a date"),
    (["qin-gang", "--since", "2024", "--until", "2023"],
     "Error: --since 2024 is after --until 2023"),
    (["qin-gang", "--format", "xml"], "Error: Invalid value for '--format' / '-f'"),
])
def test_bad_input_is_one_error_line_and_writes_nothing(
        graph_args: list[str], tmp_path: Path, args: list[str], message: str) -> None:
    target = tmp_path / "out.html"
    code, out, err = invoke("timeline", *args, "--output", str(target), *graph_args)
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1 and err.startswith(message), err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_library_errors(first: Dataset) -> None:
    with pytest.raises(UnknownEntityError, match="did you mean qin-gang"):
        timeline(first, "qin-gan")
    with pytest.raises(KGError, match="is a Place"):
        timeline(first, "Beijing")
    with pytest.raises(KGError, match="unknown timeline format 'xml'"):
        render_text(timeline(first, "sco"), "xml")


# --- in step with the rest -------------------------------------------------------------------


def test_every_kind_has_a_rule_and_the_cli_knows_every_format() -> None:
    assert set(RULES) == {kind.name for kind in KINDS}
    assert TIMELINE_FORMATS == FORMATS
