"""Paragraph and sentence segmentation, and locators."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.curation.text import (
    DeclaredText,
    Locator,
    SourceText,
    declared_text,
    numbered,
    read_text,
    split_sentences,
    text_name_problem,
    text_path,
)
from kg.errors import CurationError, KGError, fix_hint


def test_the_article_segments_as_curated(corpus: Path) -> None:
    text = SourceText((corpus / "000_f693d5a72e5eb8f0.txt").read_text("utf-8"))
    assert [len(p.sentences) for p in text.paragraphs] == [1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 2, 1]
    assert text.sentence(3, 2).text == "(Xinhua/Zhai Jianlan)"
    assert text.sentence(12, 1).text.startswith("(Web editor:")
    assert text.sentence(10, 2).text.startswith("He thanked China")
    for paragraph in text.paragraphs:
        for sentence in paragraph.sentences:
            assert text.text[sentence.start:sentence.end] == sentence.text


@pytest.mark.parametrize(("paragraph", "expected"), [
    ("Mr. Wang met Dr. Li in the U.S. capital. They talked.",
     ["Mr. Wang met Dr. Li in the U.S. capital.", "They talked."]),
    ('He said: "We agree." Then he left.', ['He said: "We agree."', "Then he left."]),
    ("It rose 3.5 percent. Prices fell.", ["It rose 3.5 percent.", "Prices fell."]),
    ("Talks began on Jan. 5 in Geneva. Nothing more.",
     ["Talks began on Jan. 5 in Geneva.", "Nothing more."]),
    ("Why? Because. 2023 was busy.", ["Why?", "Because.", "2023 was busy."]),
    ("no final stop", ["no final stop"]),
])
def test_sentence_rules(paragraph: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(paragraph)] == expected


def test_paragraphs_are_separated_by_blank_lines() -> None:
    text = SourceText("\n first line\nsame paragraph.\n\n\n  second.  \n")
    assert [p.text for p in text.paragraphs] == ["first line\nsame paragraph.", "second."]
    assert text.paragraphs[1].start == text.text.index("second.")


@pytest.mark.parametrize("bad", ["p0.s1", "p1", "p1.s0", "chars:5-5", "chars:9-3", "x", ""])
def test_bad_locators(bad: str) -> None:
    with pytest.raises(ValueError):
        Locator.parse(bad)


def test_locator_round_trip() -> None:
    for text in ("p4.s1", "p12.s3", "chars:0-42"):
        assert str(Locator.parse(text)) == text


def test_resolve_errors_say_what_exists() -> None:
    text = SourceText("One. Two.\n\nThree.")
    with pytest.raises(ValueError, match="the text has 2 paragraphs"):
        text.resolve(Locator.parse("p3.s1"))
    with pytest.raises(ValueError, match="paragraph 1 has 2 sentence"):
        text.resolve(Locator.parse("p1.s3"))
    assert text.resolve(Locator.parse("chars:5-9")).text == "Two."


@pytest.mark.parametrize(("bad", "message"), [
    ("chars:50-10", "the span chars:50-10 ends before it starts: swap START and END"),
    ("chars:10-10", "the span chars:10-10 is empty: make END"),
    ("p1.s1\n", "is not of the form pN.sM"),
    ("chars:1-5\n", "is not of the form pN.sM"),
])
def test_locators_say_how_to_fix(bad: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as raised:
        Locator.parse(bad)
    assert fix_hint(str(raised.value)) is not None


@pytest.mark.parametrize("name", [
    "../x.txt", "../../../../etc/passwd", "/etc/passwd", "..", ".", "", "a/b.txt",
    "a\\b.txt", "C:x.txt", "x\x00.txt", "x\n.txt",
])
def test_text_names_must_be_plain(name: str, tmp_path: Path) -> None:
    assert text_name_problem(name) is not None
    with pytest.raises(ValueError, match="is not a plain file name: write"):
        text_path(tmp_path, name)


def test_text_path_stays_inside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("A.")
    (folder / "inside.txt").symlink_to("a.txt")
    (folder / "outside.txt").symlink_to("/etc/passwd")
    (folder / "loop1.txt").symlink_to("loop2.txt")
    (folder / "loop2.txt").symlink_to("loop1.txt")
    assert text_path(folder, "a.txt") == folder / "a.txt"
    assert text_path(folder, "inside.txt").read_text() == "A."
    assert text_path(folder, "missing.txt") == folder / "missing.txt"
    with pytest.raises(ValueError, match="symbolic link leading out of the sources folder"):
        text_path(folder, "outside.txt")
    with pytest.raises(ValueError, match="cannot be followed to a file"):
        text_path(folder, "loop1.txt")


# --- numbering a text for curators (kg text) -------------------------------------------------

NUMBERED = "Qin met Zhang. They talked.\n\n(Web editor: A, B)\n"


def test_numbered_gives_each_sentence_its_locators() -> None:
    found = [(s.locator, s.span, s.text) for s in numbered(SourceText(NUMBERED))]
    assert found == [("p1.s1", "chars:0-14", "Qin met Zhang."),
                     ("p1.s2", "chars:15-27", "They talked."),
                     ("p2.s1", "chars:29-47", "(Web editor: A, B)")]
    by_line = numbered(SourceText("One line.\nTwo lines.", paragraphs="line"))
    assert [(s.locator, s.span) for s in by_line] == [("p1.s1", "chars:0-9"),
                                                      ("p2.s1", "chars:10-20")]


def test_read_text_counts_characters_as_the_build_does(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"One.\r\n\r\nTwo.")
    assert [(s.locator, s.span) for s in numbered(read_text(path))] == [
        ("p1.s1", "chars:0-4"), ("p2.s1", "chars:8-12")]
    path.write_bytes(b"caf\xe9!")
    with pytest.raises(KGError, match=re.escape(f"{path}: the text is not UTF-8 (invalid "
                                                "continuation byte at byte 3): save it")):
        read_text(path)


def test_declared_text_reads_the_source_file(tmp_path: Path) -> None:
    article = Path(__file__).resolve().parents[2] / "data" / "sources" / \
        "2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml"
    assert declared_text(article) == DeclaredText("000_f693d5a72e5eb8f0.txt", "blank-line")
    lines = tmp_path / "lines.yaml"
    lines.write_text("source:\n  id: x\n  text: t.txt\n  paragraphs: line\nfacts: []\n")
    assert declared_text(lines) == DeclaredText("t.txt", "line")
    lines.write_text("source:\n  id: x\n  text: t.txt\n  paragraphs: lines\nfacts: []\n")
    with pytest.raises(CurationError) as raised:
        declared_text(lines)
    assert str(raised.value) == (f"{lines}:4: paragraphs: 'lines' is not a paragraph rule: "
                                 "write one of blank-line, line")


def run_text(*args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, ["text", *args])
    return result.exit_code, result.stdout, result.stderr


def test_kg_text_prints_locators(tmp_path: Path) -> None:
    path = tmp_path / "capture.txt"
    path.write_text(NUMBERED, "utf-8")
    assert run_text(str(path)) == (0, (
        "capture.txt: 2 paragraph(s), 3 sentence(s) (paragraphs: blank-line)\n"
        "p1.s1  Qin met Zhang.\n"
        "p1.s2  They talked.\n"
        "p2.s1  (Web editor: A, B)\n"), "")
    assert run_text(str(path), "--offsets")[1].splitlines()[1:] == [
        "p1.s1  chars:0-14   Qin met Zhang.",
        "p1.s2  chars:15-27  They talked.",
        "p2.s1  chars:29-47  (Web editor: A, B)"]


def test_kg_text_json_for_tools(tmp_path: Path) -> None:
    import json

    path = tmp_path / "capture.txt"
    path.write_text("Qin met Zhang.\nThey talked.", "utf-8")
    code, out, err = run_text(str(path), "--json", "--paragraphs", "line")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"file": str(path), "paragraphs": "line", "sentences": [
        {"locator": "p1.s1", "paragraph": 1, "sentence": 1, "start": 0, "end": 14,
         "text": "Qin met Zhang."},
        {"locator": "p2.s1", "paragraph": 2, "sentence": 1, "start": 15, "end": 27,
         "text": "They talked."}]}


def test_kg_text_warns_when_the_rule_looks_wrong(tmp_path: Path) -> None:
    path = tmp_path / "capture.txt"
    path.write_text("Headline\nQin met Zhang.\nThey talked.\n", "utf-8")
    code, out, err = run_text(str(path))
    assert code == 0
    assert out.splitlines() == [
        "capture.txt: 1 paragraph(s), 2 sentence(s) (paragraphs: blank-line)",
        "p1.s1  Headline\\nQin met Zhang.",
        "p1.s2  They talked."]
    assert err == (f"warning: {path}: the text has 3 lines but no blank line between them, "
                   "so it reads as one paragraph: set paragraphs: line in the source file\n")
    code, out, err = run_text(str(path), "--paragraphs", "line")
    assert (code, err) == (0, "")
    assert [line.split("  ")[0] for line in out.splitlines()[1:]] == ["p1.s1", "p2.s1",
                                                                     "p3.s1"]


def test_kg_text_takes_the_rule_and_the_text_from_the_source_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "capture.txt").write_text("Headline\nQin met Zhang.\n", "utf-8")
    source = tmp_path / "source.yaml"
    source.write_text("source:\n  id: x\n  text: capture.txt\n  paragraphs: line\n"
                      "facts: []\n", "utf-8")
    assert run_text("--source", str(source), "--sources", str(corpus)) == (0, (
        "capture.txt: 2 paragraph(s), 2 sentence(s) (paragraphs: line)\n"
        "p1.s1  Headline\n"
        "p2.s1  Qin met Zhang.\n"), "")
    code, out, _ = run_text(str(corpus / "capture.txt"), "--source", str(source),
                            "--paragraphs", "blank-line")
    assert code == 0
    assert out.splitlines()[0] == ("capture.txt: 1 paragraph(s), 1 sentence(s) "
                                   "(paragraphs: blank-line)")


def test_kg_text_on_the_first_article(corpus: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "data" / "sources" / \
        "2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml"
    code, out, err = run_text("--source", str(source), "--sources", str(corpus))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == ("000_f693d5a72e5eb8f0.txt: 12 paragraph(s), 15 sentence(s) "
                        "(paragraphs: blank-line)")
    assert lines[4] == "p3.s2   (Xinhua/Zhai Jianlan)"
    assert lines[12].startswith("p10.s2  He thanked China")


@pytest.mark.parametrize(("args", "message"), [
    (["missing.txt"], "Error: missing.txt: No such file or directory\n"),
    (["bad.txt"], "Error: bad.txt: the text is not UTF-8 (invalid start byte at byte "
                  "0): save it as UTF-8\n"),
    (["--source", "bad.yaml"], "Error: bad.yaml:2: paragraphs: 'blank' is not a "
                               "paragraph rule: write one of blank-line, line\n"),
    (["--source", "notext.yaml"], "Error: notext.yaml names no text (source: text:): "
                                  "give the text FILE\n"),
])
def test_kg_text_errors_are_one_line(args: list[str], message: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\xff")
    (tmp_path / "bad.yaml").write_text("source:\n  paragraphs: blank\n", "utf-8")
    (tmp_path / "notext.yaml").write_text("source:\n  id: x\n", "utf-8")
    monkeypatch.chdir(tmp_path)  # messages name the files as given, relative to here
    code, out, err = run_text(*args)
    assert (code, out, err) == (1, "", message)
