"""One synthetic article: its text, written sentence by sentence, and the curation file
whose locators point at those sentences."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from random import Random
from typing import Any

from kg.synth.world import (
    _FIELDS,
    _Agency,
    _Agent,
    _Attendee,
    _Event,
    _iso,
    _long_date,
    _Org,
    _short_date,
    _weekday,
    _when,
    _World,
    _year,
    slugify,
)
from kg.synth.yaml_writer import dump_yaml


@dataclass(frozen=True)
class SynthArticle:
    """One composed article: the contents of its two files and what they were made from."""

    number: int
    stem: str                                   # file name of the curation file, less .yaml
    curation: str                               # the curation file (YAML)
    text: str                                   # the article's text
    document: dict[str, Any]                    # what the curation file says, as values
    paragraphs: tuple[tuple[str, ...], ...]     # the text's sentences, paragraph by paragraph
    facts: int

    @property
    def text_file(self) -> str:
        """The text's file name in the corpus folder."""
        return f"{self.number:06d}.txt"


class _Article:
    """One article: its text (paragraphs of sentences) and the facts each sentence states."""

    def __init__(self, world: _World, rng: Random, event: _Event, agency: _Agency,
                 number: int, published: int):
        self.world, self.rng, self.event, self.agency = world, rng, event, agency
        self.number, self.published = number, published
        self.paragraphs: list[list[str]] = []
        self.facts: list[dict[str, Any]] = []
        self.fact_ids: set[str] = set()
        self.said: set[tuple[str, ...]] = set()
        self.holdings: dict[tuple[str, str], dict[str, Any]] = {}
        self.day = event.date
        self.states = [a.state for a in event.attendees if a.state is not None]
        self.orgs: list[_Org] = []
        for state in self.states:
            for org in state.orgs:
                if org not in self.orgs:
                    self.orgs.append(org)
        for attendee in event.attendees:
            if attendee.org is not None and attendee.org not in self.orgs:
                self.orgs.append(attendee.org)
        if event.organizer is not None and event.organizer not in self.orgs:
            self.orgs.insert(0, event.organizer)

    # text
    def paragraph(self, *sentences: str) -> list[str]:
        """Start a paragraph with these sentences; return their locators."""
        self.paragraphs.append(list(sentences))
        n = len(self.paragraphs)
        return [f"p{n}.s{i}" for i in range(1, len(sentences) + 1)]

    def sentence(self, text: str) -> str:
        """Add a sentence to the current paragraph (a new one now and then); its locator."""
        if len(self.paragraphs[-1]) >= 3 or self.rng.random() < 0.4:
            self.paragraphs.append([])
        self.paragraphs[-1].append(text)
        return f"p{len(self.paragraphs)}.s{len(self.paragraphs[-1])}"

    def text(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs) + "\n"

    # facts
    def fact(self, base: str, kind: str, fields: dict[str, Any], evidence: list[str]) -> str:
        fact_id, n = base, 1
        while fact_id in self.fact_ids:
            n += 1
            fact_id = f"{base}-{n}"
        self.fact_ids.add(fact_id)
        self.facts.append({"id": fact_id, "kind": kind, **fields, "evidence": evidence})
        return fact_id

    def holding(self, attendee: _Attendee, evidence: list[str]) -> None:
        key = (attendee.person.id, attendee.post.id)
        if key in self.holdings:
            self.holdings[key]["evidence"].extend(evidence)
            return
        item = {"person": attendee.person.id, "post": attendee.post.id,
                "attested": _iso(self.day)}
        self.fact(f"{attendee.person.id}-{attendee.post.kind}", "holding", item, evidence)
        self.holdings[key] = self.facts[-1]

    def relation(self, subject: _Agent | str, predicate: str, objects: list[str],
                 text: str = "", at: str = "") -> bool:
        """A relation fact stated by a new sentence ``text`` (or the sentence ``at``),
        unless this article states it already."""
        subject_id = subject if isinstance(subject, str) else subject.id
        key = (subject_id, predicate, *objects)
        if key in self.said or not objects:
            return False
        self.said.add(key)
        self.fact(f"{subject_id}-{predicate}-{objects[0]}", "relation",
                  {"subject": subject_id, "predicate": predicate,
                   "object": objects[0] if len(objects) == 1 else objects},
                  [at or self.sentence(text)])
        return True

    def once(self, *key: str) -> bool:
        if key in self.said:
            return False
        self.said.add(key)
        return True

    # the article
    def write(self) -> SynthArticle:
        """Compose the article: its text and its curation file."""
        rng, event, agency = self.rng, self.event, self.agency
        target = int(rng.triangular(5, 41, 10))
        title = self.headline()
        slug = "-".join(slugify(title).split("-")[:7])
        stamp = f"{rng.randint(6, 22):02d}:{rng.randrange(60):02d}"
        self.paragraph(title)
        published_at = self.paragraph(
            f"Source: {agency.agent.name} | {_long_date(self.published)} {stamp} "
            f"(UTC{agency.timezone})")
        photo: dict[str, Any] | None = None
        caption: list[str] = []
        if rng.random() < 0.7:
            photographer = rng.choice(agency.photographers)
            caption_at = self.paragraph(self.caption(),
                                        f"({agency.short}/{photographer.name})")
            caption = caption_at[:1]
            photo = {"id": "photo", "depicts": event.id, "creator": photographer.id,
                     "agency": agency.agent.id, "evidence": caption_at[1:]}
        lead = self.paragraph(self.lead())
        self.event_fact(caption + lead)
        for attendee in event.attendees:
            self.holding(attendee, caption + lead)
        makers: list[tuple[float, Callable[[], object]]] = [
            (3.0, self.statement), (1.0, self.place_fact), (1.0, self.membership),
            (0.8, self.capital), (0.8, self.secretariat), (0.8, self.term_start),
            (0.8, self.predecessor), (0.6, self.head_of), (1.0, self.initiative),
            (0.5, self.recall_summit), (0.6, self.outcome), (0.6, self.visit),
        ]
        cumulative = list(accumulate(w for w, _ in makers))
        total, random = cumulative[-1], rng.random
        tries = 0
        while len(self.facts) < target and tries < 4 * target:
            makers[bisect_right(cumulative, random() * total)][1]()
            tries += 1
        editors_at: list[str] = []
        editors: list[str] = []
        if rng.random() < 0.8:
            chosen = rng.sample(agency.editors, rng.randint(1, 2))
            editors = [e.id for e in chosen]
            editors_at = self.paragraph(f"(Web editor: {', '.join(e.name for e in chosen)})")
        source_id = f"synth-{self.number:06d}-{slug}"
        hour = f"{_iso(self.published)}T{stamp}:00"
        meta: dict[str, Any] = {
            "id": source_id, "title": title,
            "url": f"https://{agency.domain}/{_iso(self.published).replace('-', '/')}/"
                   f"{slug}-{self.number}.html",
            "publisher": agency.agent.id, "website": agency.website,
            "published": hour + agency.timezone, "published_evidence": published_at,
            "language": "en", "text": f"{self.number:06d}.txt", "sha256": "",
        }
        if editors:
            meta["editors"] = {"people": editors, "evidence": editors_at}
        if photo is not None:
            meta["photos"] = [photo]
        text = self.text()
        meta["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        header = (f"Synthetic article {self.number} written by `kg synth`: a made-up world, "
                  "not real news.\nLocators pN.sM point into the text named below.")
        document = {"source": meta, "facts": self.facts}
        return SynthArticle(
            number=self.number, stem=f"{self.number:06d}-{slug}",
            curation=dump_yaml(document, header=header), text=text, document=document,
            paragraphs=tuple(tuple(p) for p in self.paragraphs), facts=len(self.facts))

    # the fixed parts
    def headline(self) -> str:
        event = self.event
        first = event.attendees[0]
        if event.kind == "summit":
            assert event.organizer is not None
            return f"{event.organizer.acronym} leaders meet in {event.place.name}"
        if event.kind == "briefing":
            return f"{first.post.short} briefs the press"
        second = event.attendees[1]
        verb = "holds talks with" if len(event.attendees) > 2 else "meets"
        return f"{first.post.short} {verb} {second.post.short}"

    def mention(self, attendee: _Attendee) -> str:
        return f"{attendee.post.title} {attendee.person.name}"

    def caption(self) -> str:
        event = self.event
        where = f"{event.place.name}, {event.place.state.agent.name}, {_long_date(event.date)}"
        if event.kind == "summit":
            return f"Leaders pose for a group photo at {event.phrase} in {where}."
        if event.kind == "briefing":
            return f"{self.mention(event.attendees[0])} speaks at a press conference in {where}."
        names = [self.mention(a) for a in event.attendees]
        return f"{names[0]} meets with {' and '.join(names[1:])} in {where}."

    def lead(self) -> str:
        event = self.event
        dateline = (f"{event.place.name.upper()}, {_short_date(event.date)} "
                    f"({self.agency.short}) -- ")
        weekday = _weekday(event.date)
        names = [self.mention(a) for a in event.attendees]
        if event.kind == "summit":
            assert event.organizer is not None
            guests = ", ".join(names[1:])
            return (f"{dateline}{names[0]} hosted {event.phrase} on {weekday}, attended by "
                    f"{guests}.")
        if event.kind == "briefing":
            return (f"{dateline}{names[0]} took questions at a regular press conference "
                    f"on {weekday}.")
        if event.attendees[0].role == "participant":
            return (f"{dateline}{', '.join(names[:-1])} and {names[-1]} held talks in "
                    f"{event.place.name} on {weekday}.")
        return f"{dateline}{names[0]} met with {' and '.join(names[1:])} here on {weekday}."

    def event_fact(self, evidence: list[str]) -> str:
        event = self.event
        item: dict[str, Any] = {"event": event.id, "date": _iso(event.date),
                                "place": event.place.id, "cameo": event.cameo}
        if event.organizer is not None:
            item["organizer"] = event.organizer.agent.id
        if event.outcome is not None and event.kind == "summit":
            item["outcome"] = event.outcome.id
        item["participants"] = [{"who": a.person.id, "role": a.role} for a in event.attendees]
        if event.unnamed is not None:
            item["unnamed_participants"] = event.unnamed
        return self.fact(event.kind, "event", item, evidence)

    # the facts a body sentence may state
    def speaker(self) -> _Attendee:
        return self.rng.choice(self.event.attendees)

    def statement(self) -> None:
        rng, event = self.rng, self.event
        who = self.speaker()
        home = who.state.agent if who.state is not None else who.org.agent  # type: ignore[union-attr]
        act = rng.choice(list(_STATEMENTS))
        topic = self.agent(home.id) if act == "intent" else self.topic(home.id)
        sentence, summary, about = _STATEMENTS[act]
        other = self.agent(exclude=home.id) if about == "addressee" else topic
        words = {"name": who.person.name, "home": home.name, "Home": _cap(home.name),
                 "topic": topic.name, "other": other.name, "field": rng.choice(_FIELDS)}
        topics = {"topic": [topic.id], "home": [home.id, topic.id],
                  "addressee": [other.id] if topic.id == other.id else [other.id, topic.id]}
        item: dict[str, Any] = {"speaker": who.person.id, "at": event.id,
                                "date": _iso(event.date), "act": act}
        if about == "addressee":
            item["addressee"] = other.id
        item["summary"] = summary.format(**words)
        item["topics"] = topics[about]
        self.fact(f"{who.person.id}-{act}", "statement", item,
                  [self.sentence(sentence.format(**words))])

    def agent(self, exclude: str) -> _Agent:
        """A state or organization of the article other than ``exclude``."""
        pool = [s.agent for s in self.states] + [o.agent for o in self.orgs]
        choices = [a for a in pool if a.id != exclude] or [self.rng.choice(self.world.states).agent]
        return self.rng.choice(choices)

    def topic(self, exclude: str) -> _Agent:
        """Something a statement is about: a state, organization, initiative, event or deal."""
        rng, world = self.rng, self.world
        draw = rng.random()
        if draw < 0.2:
            known = bisect_right(world.initiative_dates, self.day)
            if known:
                initiative = world.initiatives[rng.randrange(known)]
                return _Agent(initiative.id, f"the {initiative.name}", "PolicyInitiative")
        elif draw < 0.35:
            earlier = bisect_right(world.event_dates, self.day - 1)
            if earlier:
                past = world.events[rng.randrange(max(0, earlier - 30), earlier)]
                if past.kind != "briefing":
                    return _Agent(past.id, past.phrase, "Event")
        elif draw < 0.45 and self.event.outcome is not None:
            return self.event.outcome
        return self.agent(exclude)

    def visit(self) -> None:
        """A guest's trip to the host state: made for the event, or announced for later."""
        event, rng = self.event, self.rng
        state = event.place.state
        guests = [a for a in event.attendees if a.state is not None and a.state is not state]
        hosts = [a for a in event.attendees if a.state is state]
        if not guests:
            return
        guest = rng.choice(guests)
        if not self.once("visit", guest.person.id):
            return
        item: dict[str, Any] = {"visitor": guest.person.id, "destination": state.agent.id}
        if rng.random() < 0.4:  # announced: starts after publication
            start = self.published + rng.randint(3, 40)
            end = start + rng.randint(1, 4)
            text = _visit_sentence(guest.person.name, state.agent.name, start, end,
                                   planned=True)
            item.update(start=_iso(start), end=_iso(end), status="planned")
            if hosts:
                item["invited_by"] = hosts[0].person.id
                text += f" at the invitation of {hosts[0].person.name}"
        else:
            text = _visit_sentence(guest.person.name, state.agent.name, event.date, None,
                                   planned=False)
            item.update(start=_iso(event.date), host=state.agent.id, purpose=event.id)
            text += f" to attend {event.phrase}"
        self.fact(f"{guest.person.id}-visit", "visit", item, [self.sentence(text + ".")])

    def place_fact(self) -> None:
        place = self.event.place
        if not self.once("place", place.id):
            return
        state = place.state.agent
        what = {"summit": "The summit", "briefing": "The press conference"}.get(
            self.event.kind, "The talks")
        if place.capital:
            sentence = f"{what} took place in {place.name}, the capital of {state.name}."
            self.relation(place.id, "capital-of", [state.id], sentence)
        else:
            sentence = f"{place.name} is a city in {state.name}."
            self.relation(place.id, "located-in", [state.id], sentence)

    def capital(self) -> None:
        state = self.rng.choice(self.states) if self.states else self.event.place.state
        capital = state.capital
        if self.once("capital", capital.id):
            self.relation(capital.id, "capital-of", [state.agent.id],
                          f"{capital.name} is the capital of {state.agent.name}.")

    def membership(self) -> None:
        if not self.states:
            return
        state = self.rng.choice(self.states)
        if not state.orgs or not self.once("member", state.agent.id):
            return
        names = [o.agent.name for o in state.orgs]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        sentence = f"{state.agent.name} is a member of {listed}."
        self.relation(state.agent, "member-of", [o.agent.id for o in state.orgs], sentence)
        others = [o for o in self.world.orgs if o not in state.orgs]
        if others and self.rng.random() < 0.4:
            org = self.rng.choice(others)
            self.relation(state.agent, "observer-of", [org.agent.id],
                          f"{state.agent.name} takes part in {org.agent.name} as an observer.")

    def secretariat(self) -> None:
        if not self.orgs:
            return
        org = self.rng.choice(self.orgs)
        if not self.once("secretariat", org.agent.id):
            return
        term = org.sg.terms[org.sg.term_at(self.day)]
        at = self.sentence(f"{_cap(org.secretariat.name)}, the permanent body of "
                           f"{org.agent.name}, is headed by Secretary-General "
                           f"{term.person.name}.")
        self.relation(org.secretariat, "unit-of", [org.agent.id], at=at)
        self.relation(term.person, "head-of", [org.secretariat.id], at=at)
        self.holding(_Attendee(term.person, org.sg, None, org, "participant"), [at])

    def term_start(self) -> None:
        who = self.speaker()
        if not self.once("start", who.person.id):
            return
        term = who.post.terms[who.post.term_at(self.day)]
        precision = self.rng.choice((7, 10))
        start = _iso(term.start)[:precision]
        when = _when(term.start, precision)
        at = self.sentence(f"{who.person.name} has served as {who.post.label} since {when}.")
        fact = self.holdings[(who.person.id, who.post.id)]
        evidence = fact.pop("evidence")
        fact["start"] = start
        fact["evidence"] = [*evidence, at]

    def predecessor(self) -> None:
        who = self.speaker()
        index = who.post.term_at(self.day)
        if index < 1 or not self.once("predecessor", who.post.id):
            return
        before = who.post.terms[index - 1]
        assert before.end is not None
        precision = self.rng.choice((4, 7, 10))
        start, end = _iso(before.start)[:precision], _iso(before.end)[:precision]
        span = f"from {_when(before.start, precision)} to {_when(before.end, precision)}"
        at = self.sentence(f"{who.person.name} succeeded {before.person.name}, who was "
                           f"{who.post.label} {span}.")
        self.fact(f"{before.person.id}-{who.post.kind}", "holding",
                  {"person": before.person.id, "post": who.post.id, "attested": end,
                   "start": start, "end": end}, [at])

    def head_of(self) -> None:
        who = self.speaker()
        body = who.post.heads
        if body is None or not self.once("head", who.person.id):
            return
        verb = "heads" if body.kind != "State" else "is the head of state of"
        self.relation(who.person, "head-of", [body.id],
                      f"As {who.post.label}, {who.person.name} {verb} {body.name}.")

    def initiative(self) -> None:
        rng, world = self.rng, self.world
        known = bisect_right(world.initiative_dates, self.day)
        if not known:
            return
        initiative = world.initiatives[rng.randrange(known)]
        draw = rng.random()
        if draw < 0.4:
            if self.once("proposed", initiative.id):
                stated = self.relation(initiative.proposer, "proposed", [initiative.id],
                                       f"The {initiative.name} was put forward by "
                                       f"{initiative.proposer_post.title} "
                                       f"{initiative.proposer.name} in {_year(initiative.date)}.")
                post = initiative.proposer_post
                if stated and post.terms[post.term_at(self.day)].person is initiative.proposer:
                    # a title is read as of the article's day: true only while the term runs
                    self.holding(_Attendee(initiative.proposer, post, None, None,
                                           "participant"), [self.facts[-1]["evidence"][0]])
            return
        states = initiative.committers if draw < 0.7 else initiative.supporters
        predicate = "committed-to" if draw < 0.7 else "supports"
        state = rng.choice(states)
        if self.once(predicate, state.agent.id, initiative.id):
            phrase = ("has pledged to implement" if predicate == "committed-to"
                      else "has voiced support for")
            self.relation(state.agent, predicate, [initiative.id],
                          f"{state.agent.name} {phrase} the {initiative.name}.")

    def recall_summit(self) -> None:
        if not self.orgs:
            return
        org = self.rng.choice(self.orgs)
        held = [s for s in org.summits if s.date < self.day]
        if not held:
            return
        summit = held[-1]
        if not self.once("recall", summit.id):
            return
        who = self.speaker()
        assert summit.outcome is not None
        at = self.sentence(f"{who.person.name} recalled {summit.phrase}, held in "
                           f"{summit.place.name} in {_year(summit.date)}, where leaders adopted "
                           f"{summit.outcome.name}.")
        self.fact(f"recalled-{summit.id}", "event",
                  {"event": summit.id, "date": _year(summit.date), "place": summit.place.id,
                   "organizer": org.agent.id, "outcome": summit.outcome.id}, [at])

    def outcome(self) -> None:
        event = self.event
        if event.outcome is None or not self.states:
            return
        state = self.rng.choice(self.states)
        if self.once("outcome", state.agent.id):
            self.relation(state.agent, "committed-to", [event.outcome.id],
                          f"{state.agent.name} pledged to carry out {event.outcome.name}.")


#: What a speaker says for each speech act: the sentence of the article, the curator's
#: summary, and what it is about (the topic; the speaker's home and the topic; or an
#: addressee, who is also a topic).
_STATEMENTS: dict[str, tuple[str, str, str]] = {
    "assessment": ("{name} said {topic} has played an important role in promoting {field} "
                   "in the region.", "Called {topic} important for regional {field}.", "topic"),
    "intent": ("{name} said {home} is ready to work with {topic} to deepen cooperation in "
               "{field}.", "{Home} is willing to expand {field} cooperation with {topic}.",
               "home"),
    "praise": ("{name} spoke highly of {topic} and its contribution to {field}.",
               "Praised {topic} for its work on {field}.", "topic"),
    "hope": ("{name} expressed the hope that {topic} will bring results in {field}.",
             "Hoped for concrete results in {field} from {topic}.", "topic"),
    "support": ("{name} said {home} firmly supports {topic}.", "{Home} backs {topic}.", "home"),
    "thanks": ("{name} thanked {other} for its support in {field}.",
               "Thanked {other} for supporting cooperation in {field}.", "addressee"),
    "concern": ("{name} expressed concern about the state of {field} in {topic}.",
                "Worried about {field} in {topic}.", "topic"),
    "congratulation": ("{name} congratulated {other} on its achievements in {field}.",
                       "Hailed what {other} has done for {field}.", "addressee"),
    "welcome": ("{name} welcomed the progress made by {topic} in {field}.",
                "Glad of what {topic} achieved in {field}.", "topic"),
    "opposition": ("{name} said {home} opposes any interference in the {field} of {topic}.",
                   "{Home} rejects outside meddling in {topic}'s {field}.", "home"),
    "call": ("{name} called on {topic} to step up cooperation in {field}.",
             "Urged {topic} to do more on {field}.", "topic"),
    "pledge": ("{name} pledged that {home} will help {topic} in {field}.",
               "Promised {home}'s help to {topic} on {field}.", "home"),
}


def _visit_sentence(visitor: str, state: str, start: int, end: int | None, *,
                    planned: bool) -> str:
    """How an article says a visit: when it will be or was, from the first to the last day."""
    verb = "will visit" if planned else "visited"
    if end is None:
        return f"{visitor} {verb} {state} on {_long_date(start)}"
    return f"{visitor} {verb} {state} from {_long_date(start)} to {_long_date(end)}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- the corpus ---------------------------------------------------------------------------
