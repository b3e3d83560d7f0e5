"""A source's metadata read from an article's captured text: the first step of ``kg extract``.

:func:`read_metadata` splits the text as the build will (:func:`paragraph_rule` picks
``blank-line`` or ``line``) and finds, each with the locator a curator cites:

- a capture line ``" date 2021-03-02 Headline words"`` opening the text (its date, and the
  headline after it when the line is one); without one, a first line that reads as a
  headline (a single sentence with no final full stop, at most 20 words);
- an agency line ``Xinhua) 09:15, March 2, 2021`` (its ``(`` often lost in the capture):
  the publication time, with no zone since the text states none;
- a dateline: ``LISBON, March 1 (Xinhua) --``, ``OSLO, Norway, Jan. 2 (Xinhua) --``,
  ``VALLETTA /Malta/, June 9. /TASS/.`` (also right after the capture line) or
  ``新华社里斯本3月1日电``; its year comes from the publication date, the year before when
  the month and day would fall after it;
- photo captions: the sentence before a credit ``(Xinhua/Chen Liwen)``, and a line
  printed twice word for word that does not end as a sentence does (an uncredited caption);
  each photo once, since a caption in a paragraph that repeats an earlier one is left out;
- paragraphs repeating an earlier one word for word (evidence should cite the first);
- an editor line ``(Web editor: A, B)`` or ``Editor: A``;

and says under ``todo`` what the analyst must still supply. The publication time is the
agency line's, else the capture date; a ``published`` the analyst gives fills in only when
the text states none (a different one is kept out and noted under ``todo``). The text
never gives the page's address, so the URL is always asked for.

>>> meta = read_metadata(" date 2021-03-02 Envoys meet in Lisbon\\n\\n"
...                      "Xinhua) 09:15, March 2, 2021\\n\\n"
...                      "LISBON, March 1 (Xinhua) -- Ana Tavora met Bo Lindqvist.")
>>> meta.headline, meta.published, meta.published_locator, meta.agency
('Envoys meet in Lisbon', '2021-03-02T09:15:00', 'p2.s1', 'Xinhua')
>>> meta.dateline
Dateline(locator='p3.s1', place='LISBON', country=None, date='2021-03-01', agency='Xinhua', \
body_start=28)
>>> meta.todo
('the text gives no URL: write the address the text was captured from',)
>>> paragraph_rule("Envoys meet\\nAna Tavora met Bo Lindqvist.\\nThey talked.")
'line'
>>> read_metadata("新华社里斯本3月1日电 安娜会见了博。").dateline.date is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kg.curation.text import SourceText

__all__ = ["Caption", "Dateline", "Metadata", "paragraph_rule", "read_metadata"]

_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")], 1)
    for name in names
}
#: Chinese agencies, as a dateline names them, and the names the sources give them.
_AGENCY_NAMES = {"新华社": "Xinhua", "中新社": "China News Service"}

_CAPTURE = re.compile(r"date (?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:\s+|$)")
_MONTH = r"(?P<month>[A-Z][a-z]{2,8}\.?)"
_NAME = r"[A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)*"
_PLACE = r"(?P<place>[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*)"
_AGENCY_LINE = re.compile(
    rf"\(?(?P<agency>{_NAME})\)\s*(?P<hour>[0-9]{{1,2}}):(?P<minute>[0-9]{{2}}),\s*"
    rf"{_MONTH}\s+(?P<day>[0-9]{{1,2}}),\s*(?P<year>[0-9]{{4}})")
_DATELINE_EN = re.compile(
    rf"{_PLACE}(?:,\s*(?P<country>[A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*)*))?"
    rf"(?:,\s*{_MONTH}\s+(?P<day>[0-9]{{1,2}})(?:,\s*(?P<year>[0-9]{{4}}))?)?"
    rf"\s*\((?P<agency>{_NAME})\)\s*(?:--|[-\u2013\u2014])\s*")
_DATELINE_TASS = re.compile(
    rf"{_PLACE}\s*(?:/(?P<country>[^/\n]+)/)?,\s*{_MONTH}\s+(?P<day>[0-9]{{1,2}})\.\s*"
    r"/(?P<agency>[A-Z][A-Za-z-]*)/\.?\s*")
_DATELINE_ZH = re.compile(
    r"(?P<agency>新华社|中新社)(?P<place>[^\s\d,，。]{1,12}?)"
    r"(?P<month>[0-9]{1,2})月(?P<day>[0-9]{1,2})日电(?:[（(][^）)]*[）)])?\s*")
_CREDIT = re.compile(r"\((?P<agency>[A-Z][^()/]*?)\s*/\s*(?P<photographer>[^()/]+?)\)")
_EDITORS = re.compile(r"\(?\s*(?:web\s+)?editors?\s*:\s*(?P<names>[^():]+?)\s*\)?",
                      re.IGNORECASE)
_NAME_SEPARATOR = re.compile(r"\s*(?:[,;&]|\band\b)\s*")
_FINAL_STOP = re.compile(r"[.\u3002][\"')\]\u201d\u2019\uff09]*$")
_PUBLISHED = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
_GERMAN = frozenset([
    "der", "die", "das", "und", "mit", "hat", "sich", "am", "des", "für", "den", "dem", "ist",
    "nicht", "ein", "eine", "einer", "eines", "sei", "wurde", "auch", "auf", "im", "zum", "zur",
    "von", "bei", "nach", "über",
])
_ENGLISH = frozenset([
    "the", "and", "of", "to", "is", "with", "has", "for", "on", "that", "was", "were", "said",
    "by", "at", "from", "his", "her", "its", "are", "be",
])

_HEADLINE_WORDS = 20
_HEADLINE_CHARS = 150
_NO_HEADLINE = "the text has no headline: write the title the page gives"
_NO_DATE = "the text states no publication date: pass --published or write it"
_NO_PUBLISHER = "the text names no agency: name the publisher"
_NO_URL = "the text gives no URL: write the address the text was captured from"


@dataclass(frozen=True)
class Caption:
    """A photo caption: its sentence and, when credited, the credit sentence and its parts."""

    locator: str
    credit_locator: str | None
    agency: str | None
    photographer: str | None


@dataclass(frozen=True)
class Dateline:
    """A dateline as written (``place``, ``country``), its date resolved to ISO (None when
    it states none or no year is known), its agency, and where the body begins in its
    sentence (``body_start``, an offset into the sentence's text; the sentence's length
    when the body begins with the next sentence, as after TASS's ``/TASS/.``)."""

    locator: str
    place: str | None
    country: str | None
    date: str | None
    agency: str | None
    body_start: int


@dataclass(frozen=True)
class Metadata:
    """What a captured text says of itself, with locators in the split ``paragraphs`` gives,
    and what it leaves to the analyst (``todo``, one line each)."""

    paragraphs: str
    language: str
    headline: str | None
    headline_locator: str | None
    capture_date: str | None
    published: str | None
    published_locator: str | None
    agency: str | None
    dateline: Dateline | None
    captions: tuple[Caption, ...]
    repeated: frozenset[int]
    editors: tuple[str, ...]
    editors_locator: str | None
    todo: tuple[str, ...]


@dataclass(frozen=True)
class _Stated:
    """A value and the sentence stating it (None for a value the analyst gave)."""

    value: str
    locator: str | None


def paragraph_rule(text: str) -> str:
    """``line`` for a text of several lines with no blank line between them (paragraphs
    separated by single newlines), else ``blank-line``.

    >>> paragraph_rule("One.\\n\\nTwo."), paragraph_rule("One.\\nTwo.\\n\\n")
    ('blank-line', 'line')
    """
    return "line" if SourceText(text).rule_problem() is not None else "blank-line"


def _locator(paragraph: int, sentence: int) -> str:
    return f"p{paragraph}.s{sentence}"


def _language(text: str) -> str:
    """``zh`` when CJK ideographs are most of the letters, ``de`` when German function
    words outnumber English ones, else ``en``.

    >>> _language("秦刚会见张明。"), _language("Er hat sich mit ihr getroffen."), _language("")
    ('zh', 'de', 'en')
    """
    ideographs = len(_CJK.findall(text))
    if ideographs * 2 > len(_LETTER.findall(text)):
        return "zh"
    words = [word.lower() for word in _WORD.findall(text)]
    german = sum(word in _GERMAN for word in words)
    english = sum(word in _ENGLISH for word in words)
    return "de" if german > english else "en"


def _month(word: str) -> int | None:
    """The month a name or abbreviation means: ``April``, ``Feb.``, ``Sept.``; else None."""
    return _MONTHS.get(word.rstrip(".").lower())


def _day(year: int, month: int | None, day: int) -> date | None:
    """The day, None when there is no such day."""
    if month is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _capture(doc: SourceText) -> tuple[str, int] | None:
    """The capture line's date and where the text after it begins in the first sentence."""
    if not doc.paragraphs:
        return None
    match = _CAPTURE.match(doc.paragraphs[0].sentences[0].text)
    if match is None:
        return None
    try:
        date.fromisoformat(match["date"])
    except ValueError:
        return None
    return match["date"], match.end()


def _is_dateline(text: str) -> bool:
    """Whether a dateline of any kind opens ``text``."""
    return any(pattern.match(text) for pattern in (_DATELINE_EN, _DATELINE_TASS, _DATELINE_ZH))


def _looks_like_headline(text: str) -> bool:
    """A short sentence with no final full stop that is no agency, credit or editor line
    and no dateline."""
    if not text or "\n" in text or _FINAL_STOP.search(text):
        return False
    if len(text) > _HEADLINE_CHARS or len(text.split()) > _HEADLINE_WORDS:
        return False
    lines = (_AGENCY_LINE, _CREDIT, _EDITORS)
    return not any(pattern.fullmatch(text) for pattern in lines) and not _is_dateline(text)


def _headline(doc: SourceText, capture_end: int) -> _Stated | None:
    """The first paragraph when it is one sentence that reads as a headline (the text after
    the capture date when there is one)."""
    if not doc.paragraphs or len(doc.paragraphs[0].sentences) != 1:
        return None
    text = doc.paragraphs[0].sentences[0].text[capture_end:]
    return _Stated(text, _locator(1, 1)) if _looks_like_headline(text) else None


def _agency_line(doc: SourceText) -> tuple[_Stated, str] | None:
    """The first agency line: its time as ``YYYY-MM-DDTHH:MM:SS`` with its locator, and the
    agency it names."""
    for paragraph in doc.paragraphs:
        for number, sentence in enumerate(paragraph.sentences, 1):
            match = _AGENCY_LINE.fullmatch(sentence.text)
            if match is None:
                continue
            day = _day(int(match["year"]), _month(match["month"]), int(match["day"]))
            if day is None or int(match["hour"]) > 23 or int(match["minute"]) > 59:
                continue
            published = f"{day.isoformat()}T{int(match['hour']):02}:{match['minute']}:00"
            return _Stated(published, _locator(paragraph.number, number)), match["agency"]
    return None


def _agrees(stated: str, given: str) -> bool:
    """Whether two publication times say the same, one perhaps more precisely."""
    return stated.startswith(given) or given.startswith(stated)


def _published(stated: _Stated | None, given: str | None) -> tuple[_Stated | None, list[str]]:
    """The publication time: the text's when it states one, else the one the analyst
    ``given``; with the todo it leaves."""
    if stated is None:
        return (_Stated(given, None) if given else None), ([] if given else [_NO_DATE])
    if given is None or _agrees(stated.value, given):
        return stated, []
    return stated, [f"--published {given} differs from what the text states ({stated.value}, "
                    f"{stated.locator}): the text's is kept; check which is right"]


def _dateline_match(text: str) -> tuple[re.Match[str], int | None] | None:
    """The dateline opening ``text``, with its month number (None when it gives none)."""
    for pattern in (_DATELINE_EN, _DATELINE_TASS):
        match = pattern.match(text)
        if match is not None:
            return match, _month(match["month"]) if match["month"] else None
    match = _DATELINE_ZH.match(text)
    return (match, int(match["month"])) if match is not None else None


def _dateline_day(match: re.Match[str], month: int | None, reference: str | None) -> str | None:
    """The dateline's date: its own year, else the publication date's (the year before when
    the month and day would come after it); None without a day or a year."""
    if month is None or match["day"] is None:
        return None
    day = int(match["day"])
    year = match.groupdict().get("year")
    if year is not None:
        found = _day(int(year), month, day)
        return found.isoformat() if found else None
    if reference is None:
        return None
    known = date.fromisoformat(reference[:10])
    later = (month, day) > (known.month, known.day)
    found = _day(known.year - 1 if later else known.year, month, day)
    return found.isoformat() if found else None


def _dateline(doc: SourceText, capture_end: int, reference: str | None
              ) -> tuple[Dateline | None, list[str]]:
    """The first dateline opening a paragraph (the first one after its capture date), with
    a todo when it gives a day but no year is known for it."""
    for paragraph in doc.paragraphs:
        skip = capture_end if paragraph.number == 1 else 0
        found = _dateline_match(paragraph.sentences[0].text[skip:])
        if found is None:
            continue
        match, month = found
        agency = match["agency"]
        dateline = Dateline(
            locator=_locator(paragraph.number, 1), place=match["place"],
            country=match.groupdict().get("country"),
            date=_dateline_day(match, month, reference),
            agency=_AGENCY_NAMES.get(agency, agency), body_start=skip + match.end())
        yearless = match["day"] is not None and match.groupdict().get("year") is None
        return dateline, ([_undated(dateline.locator)] if yearless and reference is None
                          else [])
    return None, []


def _repeated(doc: SourceText) -> frozenset[int]:
    """The paragraphs that repeat an earlier one word for word (spacing aside)."""
    seen: set[str] = set()
    repeated: set[int] = set()
    for paragraph in doc.paragraphs:
        key = " ".join(paragraph.text.split())
        if key in seen:
            repeated.add(paragraph.number)
        seen.add(key)
    return frozenset(repeated)


def _credited_captions(doc: SourceText) -> list[tuple[int, int, Caption]]:
    """Each credit sentence with the caption before it: in its paragraph, or the last
    sentence of the paragraph before when the credit opens its own."""
    found: list[tuple[int, int, Caption]] = []
    for paragraph in doc.paragraphs:
        for number, sentence in enumerate(paragraph.sentences, 1):
            match = _CREDIT.fullmatch(sentence.text)
            if match is None:
                continue
            if number > 1:
                where = (paragraph.number, number - 1)
            elif paragraph.number > 1:
                where = (paragraph.number - 1, len(doc.paragraphs[paragraph.number - 2].sentences))
            else:
                continue
            found.append((*where, Caption(_locator(*where), _locator(paragraph.number, number),
                                          match["agency"], match["photographer"])))
    return found


def _uncredited_captions(doc: SourceText, repeated: frozenset[int],
                         taken: set[int]) -> list[tuple[int, int, Caption]]:
    """Lines printed again later word for word that do not end as sentences do (photo
    captions without credit), leaving out paragraphs in ``taken``."""
    later = {" ".join(doc.paragraphs[number - 1].text.split()) for number in repeated}
    found: list[tuple[int, int, Caption]] = []
    for paragraph in doc.paragraphs:
        if paragraph.number in repeated or paragraph.number in taken:
            continue
        if (len(paragraph.sentences) == 1 and " ".join(paragraph.text.split()) in later
                and not _FINAL_STOP.search(paragraph.text)):
            found.append((paragraph.number, 1, Caption(_locator(paragraph.number, 1),
                                                       None, None, None)))
    return found


def _captions(doc: SourceText, repeated: frozenset[int], headline: int | None
              ) -> tuple[Caption, ...]:
    """The photo captions in text order, each once: a caption in a paragraph that repeats
    an earlier one is left out (see :attr:`Metadata.repeated`)."""
    credited = [item for item in _credited_captions(doc) if item[0] not in repeated]
    taken = {item[0] for item in credited} | ({headline} if headline else set())
    found = credited + _uncredited_captions(doc, repeated, taken)
    return tuple(caption for *_, caption in sorted(found, key=lambda item: item[:2]))


def _editors(doc: SourceText) -> tuple[tuple[str, ...], str | None]:
    """The names of the last editor line, and its locator."""
    for paragraph in reversed(doc.paragraphs):
        for number in range(len(paragraph.sentences), 0, -1):
            match = _EDITORS.fullmatch(paragraph.sentences[number - 1].text)
            if match is not None:
                names = [name for name in _NAME_SEPARATOR.split(match["names"]) if name]
                return tuple(names), _locator(paragraph.number, number)
    return (), None


def _undated(locator: str) -> str:
    """The todo for a dateline that gives a day when no year is known for it."""
    return (f"the dateline ({locator}) gives no year and the text no publication date: "
            "write the dateline's date (or pass --published to resolve it)")


def _todo(headline: bool, dated: list[str], publisher: str | None) -> list[str]:
    """What the analyst must supply, in the order of a source block: the title, the
    publication date and the dateline's (``dated``: their todo), the publisher (none
    needed when ``publisher`` names the agency or the one given), the URL."""
    todo = ([] if headline else [_NO_HEADLINE]) + dated
    return todo + ([] if publisher else [_NO_PUBLISHER]) + [_NO_URL]


def _check_published(published: str | None) -> None:
    """ValueError unless ``published`` is None or an ISO date or date and time."""
    if published is not None and not _PUBLISHED.fullmatch(published):
        raise ValueError(f"--published {published!r} is not a date: write YYYY-MM-DD or "
                         "YYYY-MM-DDTHH:MM (optionally with seconds and a zone)")


def _published_locator(publication: _Stated | None, dateline: Dateline | None) -> str | None:
    """Where the text states the publication date: the stating sentence; for a date given
    by the analyst, the dateline when it gives the same day, else nowhere."""
    if publication is None:
        return None
    if publication.locator is not None:
        return publication.locator
    if dateline is not None and dateline.date == publication.value[:10]:
        return dateline.locator
    return None


def read_metadata(text: str, *, published: str | None = None,
                  publisher: str | None = None) -> Metadata:
    """Read a captured text's metadata (see the module's description); ``published`` and
    ``publisher`` are what the analyst already knows (``--published``, ``--publisher``).

    >>> meta = read_metadata("Ana Tavora met Bo Lindqvist.", publisher="example-news")
    >>> meta.headline, meta.published, meta.todo[0]
    (None, None, 'the text has no headline: write the title the page gives')
    """
    _check_published(published)
    doc = SourceText(text, paragraphs=paragraph_rule(text))
    capture = _capture(doc)
    capture_end = capture[1] if capture else 0
    headline = _headline(doc, capture_end)
    agency_line = _agency_line(doc)
    stated = agency_line[0] if agency_line else (
        _Stated(capture[0], _locator(1, 1)) if capture else None)
    publication, todo = _published(stated, published)
    dateline, undated = _dateline(doc, capture_end,
                                  publication.value if publication else None)
    agency = agency_line[1] if agency_line else dateline.agency if dateline else None
    repeated = _repeated(doc)
    editors, editors_locator = _editors(doc)
    todo = _todo(headline is not None, todo + undated, agency or publisher)
    return Metadata(
        paragraphs=doc.rule, language=_language(text),
        headline=headline.value if headline else None,
        headline_locator=headline.locator if headline else None,
        capture_date=capture[0] if capture else None,
        published=publication.value if publication else None,
        published_locator=_published_locator(publication, dateline),
        agency=agency, dateline=dateline,
        captions=_captions(doc, repeated, 1 if headline else None), repeated=repeated,
        editors=editors, editors_locator=editors_locator, todo=tuple(todo))
