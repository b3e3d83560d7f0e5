"""Earlier meetings an article recalls by what was agreed there: "the common understandings
President Biden and I reached in Bali", "the consensus reached by the two presidents in
San Francisco". The people named before "reached" (or after "reached by") met, in the
place named right after it; "I" inside a quotation is the quotation's speaker (found by
the statement rule), "we" is no one in particular. The meeting happened (the agreement
was reached); its date is left empty and flagged unless the same words give one.

>>> _REACHED.search("the consensus Ivan Petrov and I reached in Kazan").group("who")
'Ivan Petrov and I'
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.curation.model import LOCATION_TYPES
from kg.extract.article import Sentence
from kg.extract.found import Found
from kg.extract.rules.context import RuleContext, event_date

NAME = "recalled"

#: An agreement, who reached it, and "in"/"at" before its place.
_REACHED = re.compile(
    r"\b(?:common understandings?|understandings?|(?:important )?consensus|agreements?)\s+"
    r"(?:that\s+|which\s+)?(?P<who>[^,;.\"\u201c\u201d]{0,80}?)\s*\breached\s+"
    r"(?:by\s+(?P<by>[^,;.\"\u201c\u201d]{0,80}?)\s+)?(?P<where>in|at)\s+")
#: "I" as a word.
_I = re.compile(r"\bI\b")
#: Quotation marks, straight or curly.
_QUOTES = re.compile("[\"\u201c\u201d]")
#: What a recalled meeting without a date is flagged with.
NO_DATE = ("the text recalls this meeting without its date: give it if the text does "
           "elsewhere, or leave it out")


def find(context: RuleContext) -> Iterator[Found]:
    """The earlier meetings an article recalls by their agreements."""
    for sentence in context.article.sentences:
        if sentence.repeated or context.article.language != "en":
            continue
        for match in _REACHED.finditer(sentence.text):
            found = _recalled(context, sentence, match)
            if found is not None:
                yield found


def _recalled(context: RuleContext, sentence: Sentence, match: re.Match[str]) -> Found | None:
    group = "by" if match.group("by") is not None else "who"
    start, end = match.span(group)
    people = [m.entity for m in context.people(sentence)
              if m.entity and start <= m.start < end]
    if _I.search(match.group(group)) and _quoted(sentence.text, start):
        speaker = _speaker(context, sentence)
        if speaker is None:
            return None
        people.append(speaker)
    people = list(dict.fromkeys(people))
    place = next((m.entity for m in sentence.mentions if m.start == match.end()
                  and context.article.type_of(m.entity) in LOCATION_TYPES), None)
    if len(people) < 2 or place is None:
        return None
    dates = [d for d in sentence.dates if d.value is not None and d.start >= match.start()
             and d.start <= match.end() + 40]
    date, todo, first_day = event_date(dates[0]) if dates else (None, [NO_DATE], None)
    fields: dict[str, object] = {"date": date, "place": place,
                                 "participants": [{"who": who} for who in people]}
    return Found("event", fields, [sentence.locator], "recalled/agreement-reached", todo,
                 key=("recalled", frozenset(people), place), first_day=first_day)


def _quoted(text: str, position: int) -> bool:
    """Whether a position of the text is inside a quotation (an odd number of quotation
    marks before it)."""
    return len(_QUOTES.findall(text[:position])) % 2 == 1


def _speaker(context: RuleContext, sentence: Sentence) -> str | None:
    """The speaker the statement rule found for the sentence."""
    return next((str(f.fields["speaker"]) for f in context.of_kind("statement")
                 if sentence.locator in f.evidence), None)
