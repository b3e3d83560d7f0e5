"""Events the registry names (a summit, a conference, a council's meeting, or the meeting
of a series held that year or numbered as the text says): each sentence
that names one reports it, with the date the sentence gives when it gives exactly one
("last year's Samarkand Summit" is 2022), the place it names, and the people it says
attend ("was attended by", "will attend", "participated in"); told in the future tense,
the event is ``planned`` (when its own verb is: "will attend", "to be held", "slated").
In an article that reports no meeting of its own, a sentence
about "the meeting" or "the summit" goes on about the event named last.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.curation.model import EVENT_TYPES
from kg.extract.article import Sentence
from kg.extract.found import Found
from kg.extract.mentions import Mention
from kg.extract.rules.context import RuleContext, event_date, place_of

NAME = "named-event"

_ATTEND = re.compile(r"\b(?:attend(?:ed|s)?|participated in|took part in|take part in)\b")
_ATTENDED_BY = re.compile(r"\b(?:was|were) attended by\b")
_FORMATS = ((re.compile(r"\b(?:via|by) video(?: link| conference)?\b"), "video"),
            (re.compile(r"\bvirtual(?:ly| format)\b"), "virtual"))
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th) (?:meeting|session|summit) of (?:the )?$")
#: "the meeting", "the summit": which registry types each word may stand for.
_THE_EVENT = re.compile(r"\bthe (meeting|summit|conference)\b", re.IGNORECASE)
#: Words that put the event itself in the future ("will attend", "to be held", "slated");
#: a future elsewhere in the sentence ("will help the talks") does not.
_WILL_HAPPEN = re.compile(r"\b(?:will (?:attend|host|hold|chair|join|take part in|be held|"
                          r"take place)|to be (?:held|hosted|chaired)|slated|scheduled|"
                          r"will be (?:held|hosted|chaired))\b")
_STANDS_FOR = {"meeting": ("Meeting",), "summit": ("Summit",),
               "conference": ("Meeting", "Event")}
#: A date right after a verb of speech is the day of the speaking, not of the event.
_SPOKEN = re.compile(r"\b(?:said|says|announced|told|added|stated|tweeted)\s+(?:on\s+)?$")


def find(context: RuleContext) -> Iterator[Found]:
    """The reports of events the registry names."""
    own_meetings = any(True for _ in context.of_kind("event"))
    current: str | None = None
    for sentence in context.article.sentences:
        if sentence.repeated:
            continue
        named = {event: m.start for m in reversed(sentence.mentions) if m.entity is not None
                 and (event := _event_of(context, sentence, m)) is not None}
        for event, at in sorted(named.items(), key=lambda item: item[1]):
            report = _report(context, sentence, event, "named-event/name", at, _named_place(
                context, sentence, event))
            if report is not None:
                yield report
            current = event
        the_event = _THE_EVENT.search(sentence.text)
        if not named and current is not None and not own_meetings and the_event and \
                context.article.type_of(current) in _STANDS_FOR[the_event.group(1).lower()]:
            report = _report(context, sentence, current, "named-event/the-meeting",
                             the_event.start())
            if report is not None:
                yield report


def _attendees(context: RuleContext, sentence: Sentence) -> list[str]:
    """The people a sentence says attend: after "was attended by", else before "attended"
    ("A and B also attended the meeting")."""
    people = context.people(sentence)
    by = _ATTENDED_BY.search(sentence.text)
    if by is not None:
        return [m.entity for m in people if m.start > by.end() and m.entity]
    verb = _ATTEND.search(sentence.text)
    if verb is None:
        return []
    return [m.entity for m in people if m.end < verb.start() and m.entity]


def _event_of(context: RuleContext, sentence: Sentence, mention: Mention) -> str | None:
    """The registry event a mention names: the event itself, or, for a series ("the
    Council of Ministers of Foreign Affairs"), its one event numbered as the text says
    ("the 23rd meeting of") or held in the year of the sentence's date or dateline."""
    kind = context.article.type_of(mention.entity)
    if kind in EVENT_TYPES:
        return mention.entity
    if kind != "EventSeries":
        return None
    events = [e for e in context.article.entities.values() if e.series == mention.entity]
    ordinal = _ORDINAL.search(sentence.text[:mention.start])
    if ordinal is not None:
        events = [e for e in events if e.ordinal == int(ordinal.group(1))]
    else:
        dated = [d.value for d in sentence.dates if d.value]
        year = (dated[0] if dated else context.anchor_day() or "")[:4]
        events = [e for e in events if year and year in e.id]
    return events[0].id if len(events) == 1 else None


def _named_place(context: RuleContext, sentence: Sentence, event: str) -> str | None:
    """The place written inside the event's own name ("... meeting in Goa")."""
    for mention in sentence.mentions:
        if mention.entity in (event, context.article.entities[event].series) and \
                " in " in mention.text:
            inside = [e for e in context.matcher.inside(mention)
                      if context.article.type_of(e) == "Place"]
            return inside[-1] if inside else None
    return None


def _report(context: RuleContext, sentence: Sentence, event: str, rule: str, at: int,
            named_place: str | None = None) -> Found | None:
    """A report of ``event`` named at offset ``at`` of the sentence; a date told as the
    day of speaking after the name ("..., X said on Sunday") is not the event's."""
    dates = [d for d in sentence.dates if d.value is not None
             and not (at < d.start and _SPOKEN.search(sentence.text[:d.start]))]
    date, todo, first_day = event_date(dates[0]) if len(dates) == 1 else (None, [], None)
    place, rank = place_of(context, sentence)
    if place is None and named_place is not None:
        place, rank = named_place, 1
    people = _attendees(context, sentence)
    fields: dict[str, object] = {"event": event, "date": date, "place": place,
                                 "participants": [{"who": p} for p in dict.fromkeys(people)]}
    if rule == "named-event/the-meeting":   # it goes on about the event: no new status
        if sentence.future:
            fields["date"], todo, first_day = None, [], None
    elif _WILL_HAPPEN.search(sentence.text):
        fields["status"] = "planned"
    fields["format"] = next((name for pattern, name in _FORMATS
                             if pattern.search(sentence.text)), None)
    if rule == "named-event/name" and not (date or place or people):
        return None   # named in passing: the sentence says nothing of the event
    return Found("event", fields, [sentence.locator], rule, todo, key=("named", event),
                 ranks={"place": rank}, first_day=first_day)
