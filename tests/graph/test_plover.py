"""kg export --format plover: one PLOVER record per event report and per visit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from kg.cli import main
from kg.graph.plover import plover_records
from kg.pipeline import compile_project
from tests.conftest import CORPUS_DATA, DATA

FIRST = "xinhua-2023-04-20-chinese-fm-meets-sco-chief"


def _by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"].rsplit("/fact/", 1)[1]: r for r in records}


def test_the_first_articles_events(corpus: Path) -> None:
    records = _by_id(plover_records(compile_project(DATA, corpus).dataset, corpus))
    assert sorted(records) == [f"{FIRST}/meeting", f"{FIRST}/samarkand-summit"]
    meeting = records[f"{FIRST}/meeting"]
    assert {k: meeting[k] for k in ("event_type", "mode", "context", "actor", "recipient",
                                    "date", "location", "event", "source", "locators")} == {
        "event_type": "CONSULT", "mode": "visit", "context": [], "actor": ["zhang-ming"],
        "recipient": ["qin-gang"], "date": "2023-04-19", "location": "beijing",
        "event": "qin-gang-zhang-ming-meeting-2023-04-19", "source": FIRST,
        "locators": ["p3.s1", "p4.s1"]}
    assert meeting["sentences"][1].startswith("BEIJING, April 19 (Xinhua)")
    summit = records[f"{FIRST}/samarkand-summit"]
    assert (summit["mode"], summit["actor"], summit["date"]) == (
        "multilateral", ["xi-jinping"], "2022")


def test_planned_events_carry_the_future_context(corpus: Path) -> None:
    records = plover_records(compile_project(CORPUS_DATA, corpus).dataset, corpus)
    planned = sorted((r["source"], r["actor"][0], r["date"]) for r in records
                     if "future" in r["context"] and r["mode"] == "visit")
    assert ("xinhua-2024-05-16-chinese-fm-to-attend-sco-fms-council", "wang-yi",
            "2024-05-18") in planned
    happened = [r for r in records if r["source"].startswith("xinhua-2023-04-20")]
    assert all("future" not in r["context"] for r in happened)


def test_the_command_writes_json_lines(tmp_path: Path, corpus: Path, built_dir: Path) -> None:
    target = tmp_path / "events.jsonl"
    result = CliRunner().invoke(main, ["export", "--format", "plover", "--graph",
                                       str(built_dir / "kg.trig"), "--sources", str(corpus),
                                       "--output", str(target)])
    assert result.exit_code == 0, result.output
    lines = target.read_text("utf-8").splitlines()
    assert [json.loads(line)["event_type"] for line in lines] == ["CONSULT", "CONSULT"]
