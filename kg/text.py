"""Split a source text into paragraphs and sentences, and resolve evidence locators.

Paragraphs are blocks of non-blank lines separated by blank lines, numbered from 1.
Sentences are split with a small rule set: a sentence ends at ``.``, ``!`` or ``?``
(optionally followed by closing quotes or brackets) when whitespace and an upper-case
letter, a digit, a quote or an opening bracket follow, except after common
abbreviations ("Mr.", "U.S.", "Jan." ...). It is hand-written on purpose: the
well-known splitters either download models at run time (NLTK punkt) or are
unmaintained, and the rules must stay stable so that stored locators keep
pointing at the same sentence.

>>> doc = SourceText("Qin met Zhang. They talked.\\n\\n(Web editor: A, B)")
>>> [p.number for p in doc.paragraphs]
[1, 2]
>>> doc.sentence(1, 2).text
'They talked.'
>>> doc.resolve(Locator.parse("p2.s1")).text
'(Web editor: A, B)'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    [
        "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "st", "jr", "sr", "no",
        "vol", "fig", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul",
        "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.u", "etc", "vs",
        "i.e", "e.g",
    ]
)
_CLOSERS = "\"')]\u201d\u2019"  # straight and curly closing quotes, brackets
_OPENERS = "\"'([\u201c\u2018"
_BOUNDARY = re.compile(f"[.!?][{re.escape(_CLOSERS)}]*\\s+(?=[{re.escape(_OPENERS)}]?[A-Z0-9])")
_LOCATOR = re.compile(r"^(?:p(?P<para>[1-9][0-9]*)\.s(?P<sent>[1-9][0-9]*)"
                      r"|chars:(?P<start>[0-9]+)-(?P<end>[0-9]+))$")


@dataclass(frozen=True)
class Span:
    """A stretch of the text: its character offsets and the text itself."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Paragraph(Span):
    """A paragraph with its 1-based number and its sentences."""

    number: int
    sentences: tuple[Span, ...]


@dataclass(frozen=True)
class Locator:
    """Where a fact is stated: paragraph and sentence (``p4.s1``) or offsets (``chars:10-42``).

    >>> Locator.parse("p4.s1")
    Locator(paragraph=4, sentence=1, start=None, end=None)
    >>> str(Locator.parse("chars:10-42"))
    'chars:10-42'
    """

    paragraph: int | None = None
    sentence: int | None = None
    start: int | None = None
    end: int | None = None

    @classmethod
    def parse(cls, text: str) -> Locator:
        """Parse ``pN.sM`` or ``chars:START-END``; raise ValueError otherwise."""
        match = _LOCATOR.match(text)
        if match is None:
            raise ValueError(
                f"locator {text!r} is not of the form pN.sM (paragraph N, sentence M) "
                "or chars:START-END"
            )
        if match["para"]:
            return cls(paragraph=int(match["para"]), sentence=int(match["sent"]))
        start, end = int(match["start"]), int(match["end"])
        if end <= start:
            raise ValueError(f"locator {text!r}: the end offset must be after the start")
        return cls(start=start, end=end)

    def __str__(self) -> str:
        if self.paragraph is not None:
            return f"p{self.paragraph}.s{self.sentence}"
        return f"chars:{self.start}-{self.end}"


def split_sentences(text: str, offset: int = 0) -> tuple[Span, ...]:
    """Split one paragraph into sentence spans (offsets relative to the whole text).

    >>> [s.text for s in split_sentences("Mr. Li left. He said so (Xinhua). Done.")]
    ['Mr. Li left.', 'He said so (Xinhua).', 'Done.']
    """
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        head = text[start : match.start() + 1]
        last_word = re.split(r"\s", head.strip())[-1].rstrip(".").lstrip("(\"'").lower()
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        end = match.end()
        piece = text[start:end].rstrip()
        spans.append(Span(offset + start, offset + start + len(piece), piece))
        start = end
    piece = text[start:].rstrip()
    if piece:
        spans.append(Span(offset + start, offset + start + len(piece), piece))
    return tuple(spans)


class SourceText:
    """A source document's text, segmented into paragraphs and sentences."""

    def __init__(self, text: str):
        self.text = text
        paragraphs: list[Paragraph] = []
        for match in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", text):
            raw = match.group(0)
            lead = len(raw) - len(raw.lstrip())
            body = raw.strip()
            start = match.start() + lead
            paragraphs.append(
                Paragraph(start, start + len(body), body, len(paragraphs) + 1,
                          split_sentences(body, start))
            )
        self.paragraphs: tuple[Paragraph, ...] = tuple(paragraphs)

    def sentence(self, paragraph: int, sentence: int) -> Span:
        """The sentence at a 1-based paragraph and sentence number; ValueError when absent."""
        if not 1 <= paragraph <= len(self.paragraphs):
            raise ValueError(
                f"paragraph {paragraph} does not exist: the text has "
                f"{len(self.paragraphs)} paragraphs"
            )
        para = self.paragraphs[paragraph - 1]
        if not 1 <= sentence <= len(para.sentences):
            raise ValueError(
                f"sentence {sentence} does not exist: paragraph {paragraph} has "
                f"{len(para.sentences)} sentence(s)"
            )
        return para.sentences[sentence - 1]

    def resolve(self, locator: Locator) -> Span:
        """The span a locator points at; ValueError when it lies outside the text."""
        if locator.paragraph is not None and locator.sentence is not None:
            return self.sentence(locator.paragraph, locator.sentence)
        assert locator.start is not None and locator.end is not None
        if locator.end > len(self.text):
            raise ValueError(
                f"offsets {locator.start}-{locator.end} lie beyond the end of the text "
                f"({len(self.text)} characters)"
            )
        return Span(locator.start, locator.end, self.text[locator.start : locator.end])
