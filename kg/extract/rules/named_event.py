"""Events the registry names (a summit, a conference, a council's meeting, or the meeting
of a series held that year or numbered as the text says): each sentence
that names one reports it, with the date the sentence gives when it gives exactly one
("last year's Samarkand Summit" is 2022), the place it names, and the people it says
attend ("was attended by", "will attend", "participated in", "summed up the results of"),
its hosts ("thanked X for holding it", "hosted by Prime Minister X"), where an attendee
joined from ("via video conference in Beijing" is not the venue) and its format (its own,
"in virtual format", over an attendee's "via video"); told in the future tense, or being
prepared, the event is ``planned`` (when its own verb is: "will attend", "to be held",
"slated"; "preparations for"). A sentence
about "the meeting", "the summit" or "the SCO ministerial meeting" goes on about the event
named last, unless a meeting of the article's own came in between. An event no sentence
dates is left undated and flagged: a date is never taken from the publication.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.curation.model import EVENT_TYPES, ORGANIZATION_TYPES
from kg.extract.article import Sentence
from kg.extract.found import Found, merge
from kg.extract.mentions import Mention
from kg.extract.rules.context import RuleContext, event_date, place_of

NAME = "named-event"

_ATTEND = re.compile(r"\b(?:attend(?:ed|s)?|participated in|took part in|take part in|"
                     r"summed up (?:the )?(?:results|outcomes?) of|chaired|addressed)\b")
#: "thanked A and B for holding the meeting": the people thanked hosted it.
_THANKED_FOR_HOLDING = re.compile(r"\bthanked\b(.*?)\bfor (?:holding|hosting|organi[sz]ing)\b")
_ATTENDED_BY = re.compile(r"\b(?:was|were) attended by\b")
#: "hosted by Prime Minister Narendra Modi": the person named right after hosts it.
_HOSTED_BY = re.compile(r"\bhosted by\b")
#: What may stand between "hosted by" and the host's name: a title of a few words.
_TITLE_ONLY = re.compile(r"\s*(?:[A-Z][\w'\u2019-]*\s+){0,4}")
#: Formats, with how sure each is of the event's own format: "in virtual format" says the
#: event's, "will attend via video" first of all how one attendee joins.
_FORMATS = ((re.compile(r"\bvirtual(?:ly| format)\b"), "virtual", 2),
            (re.compile(r"\b(?:via|by) video(?: link| conference)?\b"), "video", 1))
#: "attend via video conference in Beijing": where the attendee joined from, not the venue.
_JOINED_FROM = re.compile(r"\b(?:via|by) video(?: link| conference)? (?:in|from)\s*$")
#: "preparations for the meeting of the Heads of State Council": the event is to come.
_PREPARED = re.compile(r"\b(?:preparations? for|run-up to|ahead of)\s+(?:the\s+)?"
                       r"(?:(?:meeting|session|summit)\s+of\s+(?:the\s+)?)?$")
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th) (?:meeting|session|summit) of (?:the )?$")
#: "the meeting", "the ministerial meeting", "the SCO summit": the words before the noun
#: are checked by :func:`_the_event`.
_THE_EVENT = re.compile(r"\bthe ((?:[\w'\u2019-]+ ){0,3}?)(meeting|summit|conference)\b",
                        re.IGNORECASE)
#: Words that may stand between "the" and "meeting" without naming another event.
_PLAIN_MODIFIERS = frozenset({"ministerial", "foreign", "ministers'", "ministers\u2019",
                              "high-level", "extended", "plenary", "annual", "two-day",
                              "one-day"})
#: Words that put the event itself in the future ("will attend", "to be held", "slated");
#: a future elsewhere in the sentence ("will help the talks") does not.
_WILL_HAPPEN = re.compile(r"\b(?:will (?:attend|host|hold|chair|join|take part in|be held|"
                          r"take place)|to be (?:held|hosted|chaired)|slated|scheduled|"
                          r"will be (?:held|hosted|chaired))\b")
_STANDS_FOR = {"meeting": ("Meeting",), "summit": ("Summit",),
               "conference": ("Meeting", "Event")}
#: A date right after a verb of speech is the day of the speaking, not of the event.
_SPOKEN = re.compile(r"\b(?:said|says|announced|told|added|stated|tweeted)\s+(?:on\s+)?$")


#: What an event no sentence dates is flagged with.
NO_DATE = ("no sentence gives the event's date: give it if the text does, or leave it out; "
           "if you date it from the publication, write date_from: publication")


def find(context: RuleContext) -> Iterator[Found]:
    """The reports of events the registry names; one no sentence dates is flagged."""
    for report in merge(_find(context)):
        report.fields["participants"] = _one_entry_each(report.fields["participants"])
        if report.fields.get("date") is None:
            report.todo.append(NO_DATE)
        yield report


def _find(context: RuleContext) -> Iterator[Found]:
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
        if named or current is None:
            continue
        if context.meeting_at(sentence.locator) is not None:
            current = None   # "the meeting" from here on is the article's own meeting
            continue
        the_event = _the_event(context, sentence)
        if the_event and context.article.type_of(current) in _STANDS_FOR[
                the_event.group(2).lower()]:
            report = _report(context, sentence, current, "named-event/the-meeting",
                             the_event.start())
            if report is not None:
                yield report


def _the_event(context: RuleContext, sentence: Sentence) -> re.Match[str] | None:
    """ "the meeting", or "the SCO ministerial meeting": the words between are plain
    modifiers or inside the name of an organization; "the Harbin meeting" is another
    event."""
    organizations = [m for m in sentence.mentions
                     if context.article.type_of(m.entity) in ORGANIZATION_TYPES]
    for the in re.finditer(r"\bthe\b", sentence.text, re.IGNORECASE):
        match = _THE_EVENT.match(sentence.text, the.start())
        if match is None:
            continue
        words = re.finditer(r"\S+", match.group(1))
        if all(word.group().lower() in _PLAIN_MODIFIERS or any(
                m.start <= match.start(1) + word.start() < m.end for m in organizations)
               for word in words):
            return match
    return None


def _attendees(context: RuleContext, sentence: Sentence) -> dict[str, str | None]:
    """The people a sentence says attend, with their role when it says one: after "was
    attended by", else before "attended" ("A and B also attended the meeting"); the
    people thanked "for holding" it are its hosts."""
    people = context.people(sentence)
    found: dict[str, str | None] = {}
    by = _ATTENDED_BY.search(sentence.text)
    verb = _ATTEND.search(sentence.text)
    if by is not None:
        found.update((m.entity, None) for m in people if m.start > by.end() and m.entity)
    elif verb is not None:
        found.update((m.entity, None) for m in people if m.end < verb.start() and m.entity)
    thanked = _THANKED_FOR_HOLDING.search(sentence.text)
    if thanked is not None:
        found.update((m.entity, "host") for m in people if m.entity
                     and thanked.start(1) <= m.start < thanked.end(1))
    hosted = _HOSTED_BY.search(sentence.text)
    host = next((m for m in people if hosted is not None and m.start >= hosted.end()), None)
    if hosted is not None and host is not None and host.entity and \
            _TITLE_ONLY.fullmatch(sentence.text[hosted.end():host.start]):
        found[host.entity] = "host"
    return found


def _one_entry_each(participants: list[dict[str, str]]) -> list[dict[str, str]]:
    """One entry a person, with what every sentence gave of them (a role, where they
    joined from)."""
    chosen: dict[str, dict[str, str]] = {}
    for entry in participants:
        chosen[entry["who"]] = {**chosen.get(entry["who"], {}), **entry}
    return list(chosen.values())


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
    participants = [{"who": p, "role": role} if role else {"who": p}
                    for p, role in people.items()]
    joined_from = _joined_from(context, sentence)
    if joined_from is not None and participants:
        participants[-1]["from"] = joined_from   # the attendee named last
        place = None if place == joined_from else place
    fields: dict[str, object] = {"event": event, "date": date, "place": place,
                                 "participants": participants}
    if rule == "named-event/the-meeting":   # it goes on about the event: no new status
        if sentence.future:
            fields["date"], todo, first_day = None, [], None
    elif _WILL_HAPPEN.search(sentence.text) or _PREPARED.search(sentence.text[:at]):
        fields["status"] = "planned"
    fields["format"], format_rank = next(((name, sure) for pattern, name, sure in _FORMATS
                                          if pattern.search(sentence.text)), (None, 0))
    if rule == "named-event/name" and not (date or place or people or "status" in fields):
        return None   # named in passing: the sentence says nothing of the event
    return Found("event", fields, [sentence.locator], rule, todo, key=("named", event),
                 ranks={"place": rank, "format": format_rank}, first_day=first_day)


def _joined_from(context: RuleContext, sentence: Sentence) -> str | None:
    """The place the sentence says someone joined by video from ("via video conference in
    Beijing"): not the event's venue."""
    return next((m.entity for m in sentence.mentions if m.entity is not None
                 and context.article.type_of(m.entity) in ("Place", "State")
                 and _JOINED_FROM.search(sentence.text[:m.start])), None)
