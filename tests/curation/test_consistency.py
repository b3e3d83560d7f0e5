"""Checks across the curation files (kg.curation.consistency), run by `kg validate` and
`kg build`: two holders of a one-holder post, a planned event used as a happened one, the
same name on two entities, names close enough to be one person. Each on a copy of data/
with hand-made entities and sources added, with the exact lines printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import main
from kg.curation.consistency import (
    SIMILAR,
    CurationWarning,
    check_curation,
    similarity,
)
from kg.curation.reader import load_curation
from kg.errors import CurationErrors, fix_hint
from kg.pipeline import build_project

DATA = Path(__file__).resolve().parents[2] / "data"
REGISTRY = "data/entities.yaml"
#: A full-width S, which NFKC makes a plain one.
WIDE_S = "\uff33"

#: Appended to the registry: a post, its would-be holders, events (none close in name to
#: another entity).
ENTITIES = """
  - id: special-envoy-of-china
    type: Post
    label: {en: Special Envoy of China}
    post_in: china
  - id: tomas-weber
    type: Person
    label: {en: Tomas Weber}
  - id: aiko-tanaka
    type: Person
    label: {en: Aiko Tanaka}
  - id: test-summit
    type: Summit
    label: {en: Test Summit 2031}
  - id: test-talks
    type: Meeting
    label: {en: Test Talks 2031}
"""


def source(name: str, facts: str, photos: str = "") -> str:
    """A source file: its metadata (no text is at hand in these tests), photos, facts."""
    return (f"source:\n  id: test-{name}\n  title: Test {name}\n  url: https://example.org/"
            f"{name}\n  publisher: xinhua\n  published: 2031-05-02T10:00:00+08:00\n"
            f"  language: en\n  text: {name}.txt\n  sha256: {'0' * 64}\n{photos}"
            f"facts:\n{facts}")


def holding(fact_id: str, person: str, attested: str, *more: str) -> str:
    lines = [f"  - id: {fact_id}", "    kind: holding", f"    person: {person}",
             "    post: special-envoy-of-china", f"    attested: \"{attested}\"", *more,
             "    evidence: [p1.s1]"]
    return "\n".join(lines) + "\n"


def line_of(path: Path, needle: str) -> int:
    """The line of ``path`` that holds ``needle`` (which must occur once)."""
    text = path.read_text("utf-8")
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture()
def data(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ with the hand-made entities, read from its parent folder (so that
    messages name data/...) with no source texts at hand."""
    monkeypatch.chdir(data_copy.parent)
    monkeypatch.delenv("KG_SOURCES", raising=False)
    registry = data_copy / "entities.yaml"
    registry.write_text(registry.read_text("utf-8").rstrip("\n") + "\n" + ENTITIES, "utf-8")
    return data_copy


def write(data: Path, name: str, text: str) -> Path:
    path = data / "sources" / f"{name}.yaml"
    path.write_text(text, "utf-8")
    return path


def add_entities(data: Path, text: str) -> None:
    registry = data / "entities.yaml"
    registry.write_text(registry.read_text("utf-8") + text, "utf-8")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


# -- 1. two holders of a one-holder post ------------------------------------------------------

def test_two_holders_on_the_same_day_is_an_error(data: Path, tmp_path: Path) -> None:
    first = write(data, "2031-a", source("a", holding("weber-envoy", "tomas-weber",
                                                      "2031-05-01")))
    write(data, "2031-b", source("b", holding("tanaka-envoy", "aiko-tanaka", "2031-05-01")))
    line = line_of(first, "- id: weber-envoy")
    expected = (
        "Error: data/sources/2031-b.yaml:11: holding 'tanaka-envoy': 'aiko-tanaka' holds the "
        "single-holder post 'special-envoy-of-china' on 2031-05-01, the same day as "
        f"'tomas-weber' at data/sources/2031-a.yaml:{line}: fix the person or the date of one "
        "of the two, or set the post's holders to many in entities.yaml\n")
    assert line == 11

    validated = run("validate", "--data", "data")
    assert (validated.exit_code, validated.stdout, validated.stderr) == (1, "", expected)
    assert fix_hint(expected.strip()) == ("fix the person or the date of one of the two, or "
                                         "set the post's holders to many in entities.yaml")

    out = tmp_path / "out"
    built = run("build", "--data", "data", "--out", str(out))
    assert (built.exit_code, built.stdout, built.stderr) == (1, "", expected)
    assert not out.exists() or not any(out.glob("kg.*"))


def test_a_post_of_many_holders_has_no_conflict(data: Path) -> None:
    registry = data / "entities.yaml"
    text = registry.read_text("utf-8")
    registry.write_text(text.replace("    label: {en: Special Envoy of China}\n",
                                     "    label: {en: Special Envoy of China}\n"
                                     "    holders: many\n"), "utf-8")
    write(data, "2031-a", source("a", holding("weber-envoy", "tomas-weber", "2031-05-01")))
    write(data, "2031-b", source("b", holding("tanaka-envoy", "aiko-tanaka", "2031-05-01")))
    validated = run("validate", "--data", "data")
    assert (validated.exit_code, validated.stderr) == (0, "")
    assert load_curation(data).entities["special-envoy-of-china"].holders == "many"


@pytest.mark.parametrize(("field", "message"), [
    ("holders: many", "holders is only for entities of type Post, not Place: remove holders, "
                      "or change the type to Post"),
    ("post_in: china", "post_in is only for entities of type Post, not Place: remove post_in, "
                       "or change the type to Post"),
    ("demonyms: {en: [Testplacian]}", "demonyms are only for entities of type State, not "
                                      "Place: remove demonyms, or write the names as aliases"),
])
def test_a_field_only_one_type_may_have(data: Path, field: str, message: str) -> None:
    add_entities(data, "  - id: test-place\n    type: Place\n    label: {en: Testplace}\n"
                       f"    {field}\n")
    line = line_of(data / "entities.yaml", "- id: test-place")
    validated = run("validate", "--data", "data")
    assert (validated.exit_code, validated.stderr) == (1, f"Error: {REGISTRY}:{line}: {message}\n")


def test_a_day_within_a_year_is_a_warning(data: Path) -> None:
    write(data, "2031-a", source("a", holding("weber-envoy", "tomas-weber", "2031")))
    write(data, "2031-b", source("b", holding("tanaka-envoy", "aiko-tanaka", "2031-05-01")
                                 + holding("tanaka-envoy-june", "aiko-tanaka", "2031-06")))
    validated = run("validate", "--data", "data")
    assert validated.exit_code == 0
    assert validated.stdout.endswith("Conforms: the graph satisfies every shape.\n")
    tail = ("with no start or end of a term recorded in 2031: check that the post changed "
            "hands then and add the start or end of a term, or set the post's holders to many "
            "in entities.yaml")
    assert validated.stderr.splitlines() == [
        "Warning: data/sources/2031-b.yaml:11: holding 'tanaka-envoy': 'aiko-tanaka' holds "
        "the single-holder post 'special-envoy-of-china' on 2031-05-01, and 'tomas-weber' on "
        f"2031 at data/sources/2031-a.yaml:11, {tail}",
        "Warning: data/sources/2031-b.yaml:17: holding 'tanaka-envoy-june': 'aiko-tanaka' "
        "holds the single-holder post 'special-envoy-of-china' on 2031-06, and 'tomas-weber' "
        f"on 2031 at data/sources/2031-a.yaml:11, {tail}",
    ]


@pytest.mark.parametrize(("first", "second"), [
    # Different days, months, years: no overlap.
    (("2031-05-01",), ("2031-05-02",)),
    (("2031-04",), ("2031-05-02",)),
    (("2030",), ("2031",)),
    # A handover recorded: an end or start overlapping the wider date.
    (("2031-05-01", "    end: 2031-05-01"), ("2031-05-01",)),
    (("2031-05-01",), ("2031-05-01", "    start: 2031-05-01")),
    (("2031", "    start: 2025-01-01", "    end: 2031-03"), ("2031-05-01",)),
    (("2031",), ("2031-05-01", "    began_by: 2031-05-01")),
    # A designated successor does not hold the post yet.
    (("2031-05-01",), ("2031-05-01", "    status: designated")),
], ids=["days", "month-and-day", "years", "end-that-day", "start-that-day",
        "end-in-the-year", "began-by", "designated"])
def test_no_conflict(data: Path, first: tuple[str, ...], second: tuple[str, ...]) -> None:
    write(data, "2031-a", source("a", holding("weber-envoy", "tomas-weber", *first)))
    write(data, "2031-b", source("b", holding("tanaka-envoy", "aiko-tanaka", *second)))
    found = check_curation(load_curation(data))
    assert (found.errors, found.warnings) == ([], [])


def test_the_same_person_twice_is_no_conflict(data: Path) -> None:
    write(data, "2031-a", source("a", holding("weber-envoy", "tomas-weber", "2031-05-01")
                                 + holding("weber-envoy-2", "tomas-weber", "2031-05-01")))
    found = check_curation(load_curation(data))
    assert (found.errors, found.warnings) == ([], [])


def test_incremental_builds_compare_with_the_sources_not_read_again(data: Path,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    warnings: list[CurationWarning] = []
    write(data, "2031-a", source("a", holding("weber-envoy", "tomas-weber", "2031-05-01")))
    assert build_project(data, out, warn=warnings.append).mode == "full"
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["sources"]["sources/2031-a.yaml"]["holdings"] == [
        ["weber-envoy", "tomas-weber", "special-envoy-of-china", "2031-05-01", None, None,
         None, "holds", 11]]

    write(data, "2031-b", source("b", holding("tanaka-envoy", "aiko-tanaka", "2031-05-01")))
    with pytest.raises(CurationErrors) as raised:
        build_project(data, out, warn=warnings.append)
    assert [str(e) for e in raised.value.errors] == [
        "data/sources/2031-b.yaml:11: holding 'tanaka-envoy': 'aiko-tanaka' holds the "
        "single-holder post 'special-envoy-of-china' on 2031-05-01, the same day as "
        "'tomas-weber' at data/sources/2031-a.yaml:11: fix the person or the date of one of "
        "the two, or set the post's holders to many in entities.yaml"]

    write(data, "2031-b", source("b", holding("tanaka-envoy", "aiko-tanaka", "2031-05")))
    result = build_project(data, out, warn=warnings.append)
    assert (result.mode, result.rebuilt) == ("incremental", ["test-b"])
    assert [str(w) for w in warnings] == [
        "data/sources/2031-b.yaml:11: holding 'tanaka-envoy': 'aiko-tanaka' holds the "
        "single-holder post 'special-envoy-of-china' on 2031-05, and 'tomas-weber' on "
        "2031-05-01 at data/sources/2031-a.yaml:11, with no start or end of a term recorded "
        "in 2031-05: check that the post changed hands then and add the start or end of a "
        "term, or set the post's holders to many in entities.yaml"]


def test_a_manifest_without_holdings_means_a_full_build(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_project(data, out)
    path = out / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    for record in manifest["sources"].values():
        del record["holdings"]
    path.write_text(json.dumps(manifest), "utf-8")
    assert build_project(data, out).mode == "full"
    assert build_project(data, out).mode == "unchanged"


# -- 2. a planned event used as a happened one -----------------------------------------------

PHOTOS = """  photos:
    - id: summit-photo
      depicts: test-summit
      creator: zhai-jianlan
      evidence: [p1.s2]
"""

PLANNED = """  - id: summit-announced
    kind: event
    event: test-summit
    status: planned
    date: 2031-06-01
    evidence: [p1.s1]
  - id: talks-on-the-sidelines
    kind: event
    event: test-talks
    sidelines_of: test-summit
    evidence: [p1.s1]
  - id: talks-planned-too
    kind: event
    event: test-talks
    status: planned
    sidelines_of: test-summit
    evidence: [p1.s1]
  - id: weber-at-the-summit
    kind: statement
    speaker: tomas-weber
    at: test-summit
    summary: Said what he expects of the summit.
    topics: [test-summit]
    evidence: [p2.s1]
"""


def test_a_planned_event_used_as_a_happened_one(data: Path, tmp_path: Path) -> None:
    path = write(data, "2031-c", source("c", PLANNED, PHOTOS))
    planned = line_of(path, "- id: summit-announced")
    fix = "set the report's status to happened if the event took place, or"
    expected = [
        f"Error: data/sources/2031-c.yaml:{line_of(path, '- id: summit-photo')}: photo "
        "'summit-photo' depicts 'test-summit', which this source reports only as planned "
        f"(line {planned}): {fix} fix depicts",
        f"Error: data/sources/2031-c.yaml:{line_of(path, '- id: talks-on-the-sidelines')}: "
        "event report 'talks-on-the-sidelines' puts 'test-talks' on the sidelines of "
        f"'test-summit', which this source reports only as planned (line {planned}): {fix} "
        "mark this report planned too",
        f"Error: data/sources/2031-c.yaml:{line_of(path, '- id: weber-at-the-summit')}: "
        "statement 'weber-at-the-summit' is made at 'test-summit', which this source reports "
        f"only as planned (line {planned}): {fix} remove at",
    ]
    assert [line_of(path, "- id: summit-photo"), planned] == [11, 16]
    validated = run("validate", "--data", "data")
    assert (validated.exit_code, validated.stderr.splitlines()) == (1, expected)
    built = run("build", "--data", "data", "--out", str(tmp_path / "out"))
    assert (built.exit_code, built.stderr.splitlines()) == (1, expected)


def test_a_report_that_it_happened_in_the_same_source_clears_it(data: Path) -> None:
    happened = ("  - id: summit-held\n    kind: event\n    event: test-summit\n"
                "    evidence: [p3.s1]\n")
    write(data, "2031-c", source("c", PLANNED + happened, PHOTOS))
    found = check_curation(load_curation(data))
    assert (found.errors, found.warnings) == ([], [])


def test_a_report_in_another_source_does_not(data: Path) -> None:
    path = write(data, "2031-c", source("c", PLANNED))
    write(data, "2031-d", source("d", "  - id: summit-held\n    kind: event\n"
                                      "    event: test-summit\n    evidence: [p3.s1]\n"))
    found = check_curation(load_curation(data))
    assert [(e.file, e.line) for e in found.errors] == [
        ("data/sources/2031-c.yaml", line_of(path, "- id: talks-on-the-sidelines")),
        ("data/sources/2031-c.yaml", line_of(path, "- id: weber-at-the-summit"))]


def test_visits_neither_establish_nor_presuppose_a_status(data: Path) -> None:
    visit = ("  - id: weber-arrives\n    kind: visit\n    visitor: tomas-weber\n"
             "    destination: china\n    purpose: test-summit\n    evidence: [p1.s1]\n")
    write(data, "2031-c", source("c", PLANNED.split("  - id: talks-on")[0] + visit))
    found = check_curation(load_curation(data))
    assert (found.errors, found.warnings) == ([], [])


# -- 3 and 4. names in the registry ------------------------------------------------------------

def test_the_same_name_on_two_entities(data: Path) -> None:
    # NFKC makes the full-width letters plain ones; case is folded.
    add_entities(data, "  - id: sco-again\n    type: IntergovernmentalOrganization\n"
                       f"    label: {{en: {WIDE_S}hanghai cooperation ORGANIZATION}}\n")
    line = line_of(data / "entities.yaml", "- id: sco-again")
    sco = line_of(data / "entities.yaml", "- id: sco\n")
    validated = run("validate", "--data", "data")
    assert validated.exit_code == 0
    assert validated.stderr == (
        f"Warning: {REGISTRY}:{line}: 'sco-again' has the en label '{WIDE_S}hanghai cooperation "
        f"ORGANIZATION', as 'sco' at line {sco} has (en label 'Shanghai Cooperation "
        "Organization'), likely the same entity: merge the two entries (keeping the "
        "published id), or change one of the names\n")


def test_names_close_enough_to_be_one_person(data: Path, tmp_path: Path) -> None:
    add_entities(data, "  - id: nurlan-yermekbayev\n    type: Person\n"
                       "    label: {en: Nurlan Yermekbayev}\n"
                       "  - id: yelmekbayev\n    type: Person\n    label: {en: Yelmekbayev}\n"
                       "    aliases: {en: [Nurlan Yelmekbayev]}\n"
                       "  - id: li-qiang\n    type: Person\n    label: {en: Li Qiang}\n"
                       "  - id: li-keqiang\n    type: Person\n    label: {en: Li Keqiang}\n")
    registry = data / "entities.yaml"
    first, second = line_of(registry, "- id: nurlan-"), line_of(registry, "- id: yelmek")
    expected = (
        f"Warning: {REGISTRY}:{second}: 'yelmekbayev' has the en alias 'Nurlan Yelmekbayev', "
        f"close to 'Nurlan Yermekbayev' (en label) of 'nurlan-yermekbayev' at line {first} "
        "(similarity 0.94), perhaps the same person spelled two ways: check the two, and "
        "merge the entries only if they are one person\n")
    validated = run("validate", "--data", "data")
    assert (validated.exit_code, validated.stderr) == (0, expected)
    # kg build prints the warning and builds.
    built = run("build", "--data", "data", "--out", str(tmp_path / "out"))
    assert (built.exit_code, built.stderr) == (0, expected)
    assert built.stdout.startswith("Built ")


@pytest.mark.parametrize(("first", "second", "ratio"), [
    ("Yermekbayev", "Yelmekbayev", 0.909),
    ("Sergey Lavrov", "Sergei Lavrov", 0.923),
    ("Kassym-Jomart Tokayev", "Kassym-Zhomart Tokayev", 0.930),
    ("Mohammed bin Salman", "Mohammad bin Salman", 0.947),
    ("Volodymyr Zelensky", "Volodymyr Zelenskyy", 0.973),
    ("Recep Tayyip Erdoğan", "RECEP TAYYIP ERDOGAN", 1.0),
])
def test_one_person_spelled_two_ways_is_close(first: str, second: str, ratio: float) -> None:
    assert round(similarity(first, second), 3) == ratio
    assert similarity(first, second) >= SIMILAR


@pytest.mark.parametrize(("first", "second", "ratio"), [
    ("Li Qiang", "Li Keqiang", 0.889),
    ("George Bush", "George W. Bush", 0.880),
    ("Wang Yi", "Wang Yu", 0.857),
    ("Kim Jong-un", "Kim Jong-il", 0.818),
    ("Zhang Ming", "Zhang Kaiwei", 0.636),
])
def test_two_people_are_not(first: str, second: str, ratio: float) -> None:
    assert round(similarity(first, second), 3) == ratio
    assert similarity(first, second) < SIMILAR


# -- the repository's data -------------------------------------------------------------------

def test_the_repository_data_has_no_error() -> None:
    found = check_curation(load_curation(DATA))
    assert found.errors == []


def test_kg_validate_passes_on_the_repository_data() -> None:
    result = run("validate", "--data", str(DATA))
    assert result.exit_code == 0, result.output
    assert "Error" not in result.output
