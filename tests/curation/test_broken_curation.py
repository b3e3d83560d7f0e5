"""Broken curation files: one clear `Error: file:line: ...` each, ending with how to fix the
problem, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.curation.reader import load_curation
from kg.errors import fix_hint

SOURCE = "sources/2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml"
REGISTRY = "entities.yaml"

# (id, file, text to replace, replacement, expected message part, text on the expected line)
CASES = [
    ("bad-yaml", SOURCE, "facts:\n", "facts: [\n", "invalid YAML", None),
    ("duplicate-key", SOURCE, "  title: Chinese FM meets SCO chief\n",
     "  title: Chinese FM meets SCO chief\n  title: again\n",
     "the key 'title' appears twice", "  title: again"),
    ("unknown-entity", SOURCE, "    person: qin-gang\n    post: foreign-minister-of-china",
     "    person: qin-gnag\n    post: foreign-minister-of-china",
     "person: unknown entity 'qin-gnag' (did you mean 'qin-gang'?)", "person: qin-gnag"),
    ("bad-date", SOURCE, "post: president-of-china\n    attested: 2023-04-19",
     "post: president-of-china\n    attested: 2023-02-30",
     "attested: '2023-02-30' is not a real date", "attested: 2023-02-30"),
    ("missing-evidence", SOURCE, "    object: china\n    evidence: [p3.s1]\n",
     "    object: china\n", "the field 'evidence' is missing", "- id: beijing-capital-of-china"),
    ("paragraph-beyond-text", SOURCE, "evidence: [p6.s1]\n\n  # The SCO",
     "evidence: [p40.s1]\n\n  # The SCO", "paragraph 40 does not exist: the text has 12",
     "evidence: [p40.s1]"),
    ("sentence-beyond-paragraph", SOURCE, "evidence: [p9.s1]", "evidence: [p9.s3]",
     "sentence 3 does not exist: paragraph 9 has 1", "evidence: [p9.s3]"),
    ("offsets-beyond-text", SOURCE, "evidence: [p9.s1]", "evidence: [chars:2000-2300]",
     "lie beyond the end of the text (2191 characters)", "evidence: [chars:2000-2300]"),
    ("bad-locator", SOURCE, "evidence: [p9.s1]", "evidence: [para9]",
     "'para9' is malformed", "evidence: [para9]"),
    ("duplicate-fact-id", SOURCE, "  - id: qin-gang-foreign-minister\n",
     "  - id: qin-gang-state-councilor\n", "the fact id 'qin-gang-state-councilor' is already "
     "used", "- id: qin-gang-state-councilor\n    kind: holding\n    person: qin-gang\n    "
     "post: foreign-minister"),
    ("duplicate-entity-id", REGISTRY, "  - id: zhang-ming\n", "  - id: qin-gang\n",
     "the entity id 'qin-gang' is already used at line", "- id: qin-gang\n    type: Person\n"
     "    label: {en: Zhang Ming"),
    ("wrong-type-in-role", SOURCE, "    person: qin-gang\n    post: foreign-minister-of-china",
     "    person: beijing\n    post: foreign-minister-of-china",
     "person: 'beijing' is a Place, but person must be a Person", "person: beijing"),
    ("statement-at-a-place", SOURCE,
     "at: qin-gang-zhang-ming-meeting-2023-04-19\n    date: 2023-04-19\n    act: thanks",
     "at: beijing\n    date: 2023-04-19\n    act: thanks", "at: 'beijing' is a Place",
     "at: beijing"),
    ("unknown-kind", SOURCE, "kind: holding\n    person: xi-jinping",
     "kind: rumour\n    person: xi-jinping", "'rumour' is not allowed", "kind: rumour"),
    ("unknown-field", SOURCE, "zhang-thanks-china\n    kind: statement\n    speaker:",
     "zhang-thanks-china\n    kind: statement\n    speeker:", "'speeker' was unexpected",
     "- id: zhang-thanks-china"),
    ("sha256-mismatch", SOURCE, "sha256: 0456b48da", "sha256: 1456b48da",
     "the capture changed", "sha256: 1456b48da"),
    ("bad-wikidata", REGISTRY, "wikidata: Q15031", "wikidata: '15031'",
     "'15031' is malformed", "wikidata: '15031'"),
    ("end-before-start", SOURCE, "post: president-of-china\n    attested: 2023-04-19",
     "post: president-of-china\n    attested: 2023-04-19\n    start: 2013-03-14\n"
     "    end: 2013-03-01", "end 2013-03-01 is before start 2013-03-14", "end: 2013-03-01"),
    ("post-without-organization", REGISTRY, "    post_in: sco\n", "\n",
     "the post 'secretary-general-of-the-sco' needs post_in", "- id: secretary-general-of-the-sco"),
    ("unknown-cameo", SOURCE, 'cameo: "040"', 'cameo: "999"',
     "'999' is not a CAMEO code of the ontology", 'cameo: "999"'),
    ("bad-published", SOURCE, "published: 2023-04-20T10:34:00+08:00",
     "published: 2023-04-20T25:34:00+08:00", "is not a real date and time",
     "published: 2023-04-20T25"),
    # Allowed types in words, however many there are.
    ("speaker-a-post", SOURCE, "speaker: qin-gang\n    at: qin-gang-zhang-ming-meeting-2023-04-19"
     "\n    date: 2023-04-19\n    act: assessment\n    summary: Called",
     "speaker: foreign-minister-of-china\n    at: qin-gang-zhang-ming-meeting-2023-04-19"
     "\n    date: 2023-04-19\n    act: assessment\n    summary: Called",
     "speaker: 'foreign-minister-of-china' is a Post, but speaker must be a person or an "
     "organization: fix the id or the entity's type", "speaker: foreign-minister-of-china"),
    ("publisher-a-person", SOURCE, "  publisher: xinhua\n", "  publisher: qin-gang\n",
     "source.publisher: 'qin-gang' is a Person, but source.publisher must be an "
     "organization: fix the id", "publisher: qin-gang"),
    ("photo-depicts-a-place", SOURCE, "depicts: qin-gang-zhang-ming-meeting-2023-04-19",
     "depicts: beijing", "photo depicts: 'beijing' is a Place, but photo depicts must be an "
     "Event, a Meeting or a Summit: fix the id", "depicts: beijing"),
    # Dates compared as the intervals of days they cover.
    ("end-the-day-before-start", SOURCE, "post: president-of-china\n    attested: 2023-04-19",
     "post: president-of-china\n    attested: 2023-04-19\n    start: 2023-04-19\n"
     "    end: 2023-04-18", "end 2023-04-18 is before start 2023-04-19: swap or fix them",
     "end: 2023-04-18"),
    ("object-listed-twice", SOURCE,
     "object: [global-development-initiative, global-security-initiative, "
     "global-civilization-initiative]\n    evidence: [p7.s1]\n\n  - id: china-committed",
     "object: [global-development-initiative, global-development-initiative]\n"
     "    evidence: [p7.s1]\n\n  - id: china-committed", "an id is listed twice",
     "object: [global-development-initiative, global-development-initiative]"),
    # A date taken from the publication needs the date.
    ("date-from-without-date", SOURCE,
     'event: sco-samarkand-summit-2022\n    date: "2022"\n',
     "event: sco-samarkand-summit-2022\n    date_from: publication\n",
     "date_from: 'publication' says where the date came from, but the report has no date: "
     "add the date taken from the publication (its day or month), or remove date_from",
     "date_from: publication"),
    ("date-from-not-publication", SOURCE,
     "event: qin-gang-zhang-ming-meeting-2023-04-19\n    date: 2023-04-19\n",
     "event: qin-gang-zhang-ming-meeting-2023-04-19\n    date: 2023-04-19\n"
     "    date_from: dateline\n", "date_from: 'dateline' is not allowed: use one of publication",
     "date_from: dateline"),
]


def line_number(text: str, needle: str) -> int:
    position = text.index(needle)
    return text.count("\n", 0, position) + needle[: len(needle) - len(needle.lstrip())].count(
        "\n") + 1


@pytest.fixture()
def out_dir(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "kg.ttl").write_text("OLD TURTLE")
    (out / "kg.trig").write_text("OLD TRIG")
    return out


def run_build(data: Path, corpus: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--data", str(data), "--sources", str(corpus),
                                       "--out", str(out)])
    return result.exit_code, result.output


def assert_untouched(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == ["kg.trig", "kg.ttl"]
    assert (out / "kg.ttl").read_text() == "OLD TURTLE"
    assert (out / "kg.trig").read_text() == "OLD TRIG"


@pytest.mark.parametrize(("case", "file", "old", "new", "message", "needle"), CASES,
                         ids=[c[0] for c in CASES])
def test_broken_file_gives_one_clear_error(case: str, file: str, old: str, new: str,
                                           message: str, needle: str | None, data_copy: Path,
                                           corpus: Path, out_dir: Path) -> None:
    path = data_copy / file
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{case}: the text to replace must occur once"
    broken = text.replace(old, new)
    path.write_text(broken, "utf-8")

    code, output = run_build(data_copy, corpus, out_dir)

    assert code == 1, output
    assert "Traceback" not in output
    lines = output.splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith(f"Error: {path}:"), output
    assert message in lines[0], output
    assert fix_hint(lines[0]) is not None, f"no fix in: {lines[0]}"
    if needle is not None:
        assert lines[0].startswith(f"Error: {path}:{line_number(broken, needle)}: "), output
    assert_untouched(out_dir)


def test_not_utf8(data_copy: Path, corpus: Path, out_dir: Path) -> None:
    path = data_copy / SOURCE
    path.write_bytes(path.read_bytes().replace(b"Chinese FM", b"Chinese \xff FM"))
    code, output = run_build(data_copy, corpus, out_dir)
    assert code == 1
    assert output.startswith(f"Error: {path}:3: the file is not UTF-8"), output
    assert fix_hint(output.strip()) == "save it as UTF-8"
    assert_untouched(out_dir)


def test_missing_registry(data_copy: Path, corpus: Path, out_dir: Path) -> None:
    (data_copy / REGISTRY).unlink()
    code, output = run_build(data_copy, corpus, out_dir)
    assert code == 1
    assert output == f"Error: {data_copy / REGISTRY}:1: the entity registry is missing: " \
                     f"create entities.yaml in the data folder\n"
    assert_untouched(out_dir)


def test_several_problems_are_all_reported(data_copy: Path, corpus: Path, out_dir: Path) -> None:
    path = data_copy / SOURCE
    text = path.read_text("utf-8")
    text = text.replace("evidence: [p9.s1]", "evidence: [p9.s4]").replace(
        "addressee: china", "addressee: chian")
    path.write_text(text, "utf-8")
    code, output = run_build(data_copy, corpus, out_dir)
    assert code == 1
    lines = output.splitlines()
    assert len(lines) == 2, output
    assert all(line.startswith(f"Error: {path}:") for line in lines)
    assert "addressee: unknown entity 'chian'" in output
    assert "sentence 4 does not exist" in output
    assert all(fix_hint(line) is not None for line in lines)
    assert_untouched(out_dir)


def test_an_end_in_the_month_of_its_start_is_not_before_it(data_copy: Path) -> None:
    """``end: 2023-04`` covers all of April: it does not end before a start on the 19th."""
    path = data_copy / SOURCE
    text = path.read_text("utf-8")
    old = "post: president-of-china\n    attested: 2023-04-19"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old + "\n    start: 2023-04-19\n    end: 2023-04"),
                    "utf-8")
    curation = load_curation(data_copy)
    holding = next(fact for source in curation.sources for fact in source.facts
                   if source.where.file.endswith(SOURCE)
                   and getattr(fact, "post", None) == "president-of-china")
    assert (getattr(holding, "start", None), getattr(holding, "end", None)) == \
        ("2023-04-19", "2023-04")


def test_valid_data_writes_both_files(data_copy: Path, corpus: Path, out_dir: Path) -> None:
    code, output = run_build(data_copy, corpus, out_dir)
    assert code == 0, output
    assert output.splitlines()[0].startswith("Built 655 triples from 1 source(s), 25 entities")
    assert (out_dir / "kg.ttl").read_text().startswith("@prefix")
    assert "graph:registry {" in (out_dir / "kg.trig").read_text()
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "kg.oxigraph", "kg.trig", "kg.ttl", "manifest.json"]
