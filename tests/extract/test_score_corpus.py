"""The README's table of drafts scored against the corpus is what `kg extract --score`
prints today."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from kg.cli import main
from kg.curation.registry import load_registry
from kg.extract.draft import Extractor
from kg.extract.files import score_curated
from kg.extract.score import render_table
from tests.conftest import CORPUS_DATA, REPO


def test_readme_shows_the_scores_of_today(corpus: Path) -> None:
    registry = load_registry(CORPUS_DATA)
    extractor = Extractor(registry)
    types = {entity_id: entity.type for entity_id, entity in registry.items()}
    files = sorted((CORPUS_DATA / "sources").glob("*.yaml"))
    english = [f for f in files
               if yaml.safe_load(f.read_text(encoding="utf-8"))["source"]["language"] == "en"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert render_table(score_curated(extractor, files, corpus, types)) in readme
    english_total = render_table(score_curated(extractor, english, corpus, types))
    assert english_total.splitlines()[-1] in readme


def test_score_command_prints_the_table(corpus: Path) -> None:
    curated = CORPUS_DATA / "sources" / "2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml"
    result = CliRunner().invoke(main, ["extract", "--score", str(curated), "--markdown",
                                       "--data", str(CORPUS_DATA), "--sources", str(corpus)])
    assert result.exit_code == 0, result.output
    registry = load_registry(CORPUS_DATA)
    expected = render_table(score_curated(
        Extractor(registry), [curated], corpus, {k: e.type for k, e in registry.items()}))
    assert result.output == expected + "\n"
    assert result.output.splitlines()[-1].startswith("| total | 18/23 |")


def test_score_details_list_what_is_not_matched(corpus: Path) -> None:
    curated = CORPUS_DATA / "sources" / "2023-06-19-xinhua-xi-meets-blinken.yaml"
    result = CliRunner().invoke(main, ["extract", "--score", str(curated), "--details",
                                       "--data", str(CORPUS_DATA), "--sources", str(corpus)])
    assert result.exit_code == 0, result.output
    details = result.output.split("\n\n", 1)[1].splitlines()
    assert details[0] == "xinhua-2023-06-19-xi-meets-blinken"
    assert "  missed holding - ~ biden-president" in details
    assert all(line.startswith("  ") and not line.startswith("  matched")
               for line in details[1:])


def test_details_without_score_is_one_error_line(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Li Wei met Ivan Petrov.", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(article), "--details"])
    assert (result.exit_code, result.output) == (
        1, "Error: --markdown and --details print a score: add --score and give curated "
           "files\n")
