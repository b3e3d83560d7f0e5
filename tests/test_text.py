"""Paragraph and sentence segmentation, and locators."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.curation.text import Locator, SourceText, split_sentences, text_name_problem, text_path
from kg.errors import fix_hint


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
