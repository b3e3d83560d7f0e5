"""Split a source text into paragraphs and sentences, and resolve evidence locators.

Paragraphs are numbered from 1 and follow one of two rules, which each source states:
``blank-line`` (the default: blocks of non-blank lines separated by blank lines) or
``line`` (every non-blank line is a paragraph, for captures that separate paragraphs with
single newlines). Sentences are split with a small rule set: a sentence ends at ``.``,
``!`` or ``?`` (optionally followed by closing quotes or brackets) when whitespace and an
upper-case letter, a digit, a quote or an opening bracket follow, except after common
English and German abbreviations ("Mr.", "U.S.", "Jan.", "z. B.", "bzw." ...); and at the
full-width ``。``, ``！`` and ``？`` of Chinese and Japanese text, where no space follows.
It is hand-written on purpose: the
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

A source names its text by a plain file name in the folder of source texts, and
:func:`text_path` is the one way to turn that name into a path: it refuses folders,
``..``, absolute paths and symbolic links that lead out of the folder.

:func:`numbered` lists a text's sentences with their locators (what ``kg text`` prints, so
that a curator can write evidence), :func:`read_text` reads a text file as the build does,
and :func:`declared_text` reads which text, split by which rule, a source file names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from kg.errors import CurationError, KGError

_ABBREVIATIONS = frozenset(
    [
        "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "st", "jr", "sr", "no",
        "vol", "fig", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul",
        "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.u", "etc", "vs",
        "i.e", "e.g",
        # German
        "bzw", "usw", "vgl", "ca", "hr", "fr", "nr", "abs", "str", "bspw", "ggf", "inkl",
        "evtl", "sog", "z.b", "u.a", "d.h", "s.o", "u.s.w",
    ]
)
_CLOSERS = "\"')]\u201d\u2019"  # straight and curly closing quotes, brackets
_OPENERS = "\"'([\u201c\u2018"
_UPPER = "A-Z0-9\u00c0-\u00de\u0391-\u03a9\u0400-\u042f"  # Latin, Greek, Cyrillic capitals
_FULL_WIDTH_CLOSERS = "\u201d\u2019\u300d\u300f\uff09\u3011"  # ” ’ 」 』 ） 】
_BOUNDARY = re.compile(
    f"[.!?][{re.escape(_CLOSERS)}]*\\s+(?=[{re.escape(_OPENERS)}]?[{_UPPER}])"
    f"|[\u3002\uff01\uff1f][{_FULL_WIDTH_CLOSERS}]*\\s*(?=\\S)")
#: How paragraphs are told apart, by the name a source file gives.
PARAGRAPH_RULES: dict[str, str] = {
    "blank-line": r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*",
    "line": r"[^\n]*\S[^\n]*",
}
_LOCATOR = re.compile(r"p(?P<para>[1-9][0-9]*)\.s(?P<sent>[1-9][0-9]*)"
                      r"|chars:(?P<start>[0-9]+)-(?P<end>[0-9]+)")


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
        """Parse ``pN.sM`` or ``chars:START-END``; raise ValueError otherwise.

        A span must hold at least one character: its end comes after its start.

        >>> Locator.parse("chars:50-10")
        Traceback (most recent call last):
        ValueError: the span chars:50-10 ends before it starts: swap START and END
        """
        match = _LOCATOR.fullmatch(text)
        if match is None:
            raise ValueError(
                f"locator {text!r} is not of the form pN.sM (paragraph N, sentence M) "
                "or chars:START-END: write one of those"
            )
        if match["para"]:
            return cls(paragraph=int(match["para"]), sentence=int(match["sent"]))
        start, end = int(match["start"]), int(match["end"])
        if end < start:
            raise ValueError(f"the span {text} ends before it starts: swap START and END")
        if end == start:
            raise ValueError(f"the span {text} is empty: make END the offset just after the "
                             "last character, greater than START")
        return cls(start=start, end=end)

    def __str__(self) -> str:
        if self.paragraph is not None:
            return f"p{self.paragraph}.s{self.sentence}"
        return f"chars:{self.start}-{self.end}"


def split_sentences(text: str, offset: int = 0) -> tuple[Span, ...]:
    """Split one paragraph into sentence spans (offsets relative to the whole text).

    >>> [s.text for s in split_sentences("Mr. Li left. He said so (Xinhua). Done.")]
    ['Mr. Li left.', 'He said so (Xinhua).', 'Done.']
    >>> [s.text for s in split_sentences("王毅会见张明。双方交换意见！好吗？")]
    ['王毅会见张明。', '双方交换意见！', '好吗？']
    >>> [s.text for s in split_sentences("Er traf z. B. Dr. Wang. Über Ziele sprach er.")]
    ['Er traf z. B. Dr. Wang.', 'Über Ziele sprach er.']
    """
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group(0)[0] in "\u3002\uff01\uff1f":  # full-width: no abbreviations
            end = match.end()
            piece = text[start:end].rstrip()
            spans.append(Span(offset + start, offset + start + len(piece), piece))
            start = end
            continue
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
    """A source document's text, segmented into paragraphs and sentences.

    ``paragraphs`` names the rule of :data:`PARAGRAPH_RULES`:

    >>> [p.text for p in SourceText("One.\\nTwo.", paragraphs="line").paragraphs]
    ['One.', 'Two.']
    >>> SourceText("One.\\nTwo.").paragraphs[0].text
    'One.\\nTwo.'
    """

    def __init__(self, text: str, paragraphs: str = "blank-line"):
        if paragraphs not in PARAGRAPH_RULES:
            raise ValueError(f"unknown paragraph rule {paragraphs!r}: use one of "
                             f"{', '.join(PARAGRAPH_RULES)}")
        self.text = text
        self.rule = paragraphs
        found: list[Paragraph] = []
        for match in re.finditer(PARAGRAPH_RULES[paragraphs], text):
            raw = match.group(0)
            lead = len(raw) - len(raw.lstrip())
            body = raw.strip()
            start = match.start() + lead
            found.append(Paragraph(start, start + len(body), body, len(found) + 1,
                                   split_sentences(body, start)))
        self.paragraphs: tuple[Paragraph, ...] = tuple(found)

    def rule_problem(self) -> str | None:
        """Why the paragraph rule looks wrong for this text, None when it fits: a text
        read by blank lines that has none, yet several lines, is one paragraph by mistake.

        >>> print(SourceText("Headline\\nBody one.\\nBody two.").rule_problem())
        the text has 3 lines but no blank line between them, so it reads as one paragraph: \
set paragraphs: line in the source file
        """
        lines = [line for line in self.text.splitlines() if line.strip()]
        if self.rule == "blank-line" and len(self.paragraphs) == 1 and len(lines) > 1:
            return (f"the text has {len(lines)} lines but no blank line between them, so it "
                    "reads as one paragraph: set paragraphs: line in the source file")
        return None

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


def text_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be the file name of a source text, or None when it can.

    A source text is named by a plain file name in the folder of source texts: no
    folder, no ``..``, no absolute path, no control character.

    >>> text_name_problem("000_f693d5a72e5eb8f0.txt") is None
    True
    >>> print(text_name_problem("../../etc/passwd"))  # doctest: +ELLIPSIS
    '../../etc/passwd' is not a plain file name: write the name of a file ...
    """
    plain = (
        name not in ("", ".", "..")
        and "/" not in name and "\\" not in name
        and not PurePosixPath(name).is_absolute() and not PureWindowsPath(name).anchor
        and name.isprintable()
    )
    if plain:
        return None
    return (f"{name!r} is not a plain file name: write the name of a file in the sources "
            "folder, without folders, '..' or a leading '/'")


def text_path(corpus_dir: Path, name: str) -> Path:
    """The path of the source text ``name`` in ``corpus_dir``; ValueError when ``name`` is
    not a plain file name (see :func:`text_name_problem`) or is a symbolic link that leads
    out of the folder. The file itself may be missing.

    >>> text_path(Path("corpus"), "a.txt")
    PosixPath('corpus/a.txt')
    >>> text_path(Path("corpus"), "/etc/passwd")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: '/etc/passwd' is not a plain file name: write the name of a file ...
    """
    problem = text_name_problem(name)
    if problem is not None:
        raise ValueError(problem)
    path = corpus_dir / name
    try:
        inside = path.resolve().is_relative_to(corpus_dir.resolve())
    except (OSError, RuntimeError) as exc:  # a loop of symbolic links, an unreadable folder
        raise ValueError(f"{name!r} cannot be followed to a file ({exc}): replace it with "
                         "the text itself") from None
    if not inside:
        raise ValueError(f"{name!r} is a symbolic link leading out of the sources folder: "
                         "copy the text into the folder instead of linking to it")
    return path


@dataclass(frozen=True)
class NumberedSentence(Span):
    """A sentence with its place in the text: paragraph and sentence numbers (its ``pN.sM``
    locator) and character offsets (its ``chars:START-END`` locator).

    >>> item = numbered(SourceText("Qin met Zhang. They talked."))[1]
    >>> item.locator, item.span, item.text
    ('p1.s2', 'chars:15-27', 'They talked.')
    """

    paragraph: int
    sentence: int

    @property
    def locator(self) -> str:
        """``pN.sM``: paragraph N, sentence M."""
        return f"p{self.paragraph}.s{self.sentence}"

    @property
    def span(self) -> str:
        """``chars:START-END``: the character offsets, END just after the last character."""
        return f"chars:{self.start}-{self.end}"


def numbered(text: SourceText) -> list[NumberedSentence]:
    """Every sentence of ``text`` in order, with its locators: what a curator writes as a
    fact's evidence.

    >>> [(s.locator, s.text) for s in numbered(SourceText("Qin left.\\n\\nHe met. We ate."))]
    [('p1.s1', 'Qin left.'), ('p2.s1', 'He met.'), ('p2.s2', 'We ate.')]
    >>> [s.locator for s in numbered(SourceText("Qin left.\\nHe met.", paragraphs="line"))]
    ['p1.s1', 'p2.s1']
    """
    return [NumberedSentence(span.start, span.end, span.text, paragraph.number, number)
            for paragraph in text.paragraphs
            for number, span in enumerate(paragraph.sentences, 1)]


def read_text(path: Path, paragraphs: str = "blank-line") -> SourceText:
    """A source text file read as the build reads it (UTF-8, line ends kept as they are, so
    offsets count the characters the build counts), split by the paragraph rule
    ``paragraphs``. KGError when the file is not UTF-8; OSError when it cannot be read.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.txt"
    >>> _ = path.write_bytes("One.\\r\\n\\r\\nTwo.".encode())
    >>> [s.span for s in numbered(read_text(path))]
    ['chars:0-4', 'chars:8-12']
    """
    raw = path.read_bytes()
    try:
        return SourceText(raw.decode("utf-8"), paragraphs=paragraphs)
    except UnicodeDecodeError as exc:
        raise KGError(f"{path}: the text is not UTF-8 ({exc.reason} at byte {exc.start}): "
                      "save it as UTF-8") from None


@dataclass(frozen=True)
class DeclaredText:
    """What a source's curation file says of its text: the file name (``source.text``) and
    the paragraph rule (``source.paragraphs``; ``blank-line`` when absent)."""

    name: str | None
    paragraphs: str


def declared_text(source_file: Path) -> DeclaredText:
    """The text a source curation file names, and the paragraph rule it states.

    CurationError (with the file and line) when the file is no source file or names an
    unknown rule.

    >>> declared_text(Path("data/sources/2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml"))
    DeclaredText(name='000_f693d5a72e5eb8f0.txt', paragraphs='blank-line')
    """
    from kg.curation.document import display, read_yaml
    from kg.curation.located_yaml import line_of

    file = display(source_file)
    document = read_yaml(source_file, file, "'source:' and 'facts:' with their fields below them")
    source = document.get("source")
    if not isinstance(source, dict):
        raise CurationError("the file has no 'source:' mapping: give a source curation file "
                            "(data/sources/NAME.yaml)", file=file, line=1)
    rule = source.get("paragraphs", "blank-line")
    if not isinstance(rule, str) or rule not in PARAGRAPH_RULES:
        raise CurationError(f"paragraphs: {rule!r} is not a paragraph rule: write one of "
                            f"{', '.join(PARAGRAPH_RULES)}", file=file,
                            line=line_of(document, ["source", "paragraphs"]))
    name = source.get("text")
    return DeclaredText(name if isinstance(name, str) else None, rule)
