"""Meetings: a sentence with a verb of meeting ("met with", "held talks with", "会见",
"getroffen", "held phone talks with", "通电话") and two or more people of the registry is a
meeting of those people (by telephone, ``format: phone``, when it says so), on the day the
sentence gives, in the place it names ("in Beijing", "at the Great Hall of the
People"). The photo caption and the dateline paragraph of one meeting are one meeting with
two pieces of evidence. A sentence that goes on about "the meeting" or "the talks" adds
its evidence, and its place when the first gave none ("The meeting of the Council ..." is
another meeting); "the two ministers met" names the
people of the meeting before. Roles (host, guest) are left out: the text rarely states
them. A meeting told in the future tense is ``planned``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.article import Sentence
from kg.extract.found import Found, merge
from kg.extract.lexicon import MEETING_VERBS, PHONE_WORDS, words_pattern
from kg.extract.rules.context import RuleContext, event_date, place_of

NAME = "meeting"

_GOES_ON = re.compile(r"^(?:The|the) (?:meeting|talks|negotiations)\b(?! of\b)")
_THE_TWO = re.compile(r"\bthe two (?:\w+ )?(?:ministers|sides|leaders|diplomats)\b",
                      re.IGNORECASE)
_UNKNOWN_PLACE = re.compile(r"\b(?:in|at) ([A-Z][a-z]+(?: [A-Z][a-z]+)*)(?=[\s,.])")
_SIDELINES = re.compile(r"on the sidelines of\s*$")


def _has_verb(sentence: Sentence, language: str) -> bool:
    verbs = words_pattern(MEETING_VERBS.get(language, ()), language)
    return verbs.search(sentence.text) is not None


def _by_phone(sentence: Sentence, language: str) -> bool:
    """Whether the sentence says the meeting was held by telephone."""
    return words_pattern(PHONE_WORDS.get(language, ()), language).search(
        sentence.text) is not None


def _sidelines(context: RuleContext, sentence: Sentence) -> str | None:
    for mention in sentence.mentions:
        if context.article.type_of(mention.entity) in ("Meeting", "Summit", "Event") and \
                _SIDELINES.search(sentence.text[:mention.start]):
            return mention.entity
    return None


def find(context: RuleContext) -> Iterator[Found]:
    """The meetings of an article; a finding without a date joins the one dated meeting
    of the same people, when there is one."""
    found = merge(_find(context))
    joined: set[int] = set()
    for item in found:
        if item.fields.get("date") is not None:
            continue
        dated = [f for f in found if f.fields.get("date") is not None
                 and isinstance(f.key, tuple) and isinstance(item.key, tuple)
                 and f.key[0] == item.key[0]]
        if len(dated) == 1:
            item.todo.clear()   # its "no date" todo: the meeting it joins has one
            dated[0].absorb(item)
            joined.add(id(item))
    yield from (f for f in found if id(f) not in joined)


def _find(context: RuleContext) -> Iterator[Found]:
    language = context.article.language
    last: Found | None = None
    for sentence in context.article.sentences:
        if sentence.repeated:
            continue
        if not _has_verb(sentence, language):
            if last is not None and _GOES_ON.match(sentence.text):
                yield _going_on(context, sentence, last)
            continue
        found = _meeting(context, sentence, last)
        if found is not None:
            last = found
            yield found


def _meeting(context: RuleContext, sentence: Sentence, last: Found | None) -> Found | None:
    people = list(dict.fromkeys(m.entity for m in context.people(sentence)))
    todo: list[str] = []
    if len(people) < 2 and last is not None and _THE_TWO.search(sentence.text):
        people = [p["who"] for p in last.fields["participants"]]
        todo.append("the people are those of the meeting before ('the two ...'): check")
    if len(people) < 2:
        return None
    dates = [d for d in sentence.dates if d.value is not None]
    date, notes, first_day = event_date(dates[0]) if dates else (None, [], None)
    todo.extend(notes)
    if date is None:
        todo.append("the sentence gives no date for the meeting: give it if the text does "
                    "elsewhere, or leave it out")
    place, rank = place_of(context, sentence)
    if place is None and (unknown := _UNKNOWN_PLACE.search(sentence.text)) is not None:
        todo.append(f"the text gives the place {unknown.group(1)!r}, which the registry "
                    "lacks: add it and set place")
    fields: dict[str, object] = {
        "date": date, "place": place, "cameo": "040",
        "participants": [{"who": who} for who in people],
        "format": "phone" if _by_phone(sentence, context.article.language) else None}
    if sentence.future:
        fields["status"] = "planned"
    sidelines = _sidelines(context, sentence)
    if sidelines:
        fields["sidelines_of"] = sidelines
    return Found("event", fields, [sentence.locator], "meeting/verb", todo,
                 key=(frozenset(people), date), ranks={"place": rank}, first_day=first_day)


def _going_on(context: RuleContext, sentence: Sentence, last: Found) -> Found:
    place, rank = place_of(context, sentence)
    fields = dict(last.fields)
    if place is not None:
        fields["place"] = place
    sidelines = _sidelines(context, sentence)
    if sidelines:
        fields["sidelines_of"] = sidelines
    ranks = {"place": rank} if place is not None else {}
    return Found("event", fields, [sentence.locator], "meeting/the-meeting-goes-on",
                 key=last.key, ranks=ranks)
