"""The made-up world of the synthetic corpora: states, organizations, officials whose
posts change hands, agencies, initiatives and events, all drawn from one seeded random
generator."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from random import Random
from typing import Any

from kg.curation.text import _ABBREVIATIONS
from kg.synth.yaml_writer import dump_yaml

#: Most articles a corpus may hold (file names carry six digits).
MAX_ARTICLES = 999_999

_FIRST_TERM = dt.date(2013, 1, 1).toordinal()   # the first terms run on this date
_WORLD_END = dt.date(2025, 1, 1).toordinal()    # the last term runs past this date
_EVENTS_FROM = dt.date(2016, 1, 1).toordinal()  # events (and articles) fall in 2016-2024
_EVENTS_TO = dt.date(2024, 12, 28).toordinal()

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_FIELDS = ("trade", "energy", "infrastructure", "education", "public health", "agriculture",
           "security", "tourism", "culture", "science and technology", "finance",
           "climate change", "the digital economy", "transport", "water management")
_THEMES = ("Development", "Security", "Connectivity", "Green Energy", "Digital Economy",
           "Maritime Cooperation", "Food Security", "Public Health", "Water Security",
           "Clean Air", "Youth Exchange", "Space Cooperation", "Cultural Heritage",
           "Disaster Relief", "Ocean Governance", "Poverty Reduction", "Climate Resilience",
           "Trade Facilitation", "Scientific Exchange", "Civilization")
_SCOPES = ("Global", "Regional", "Continental", "Southern", "Northern", "Eastern", "Western")
_ORG_FORMS = ("Cooperation Organization", "Economic Community", "Security Council",
              "Development Forum", "Partnership Council", "Union")
_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr",
           "kr", "st", "tr", "sh", "th", "ch", "h", "j", "w")
_VOWELS = ("a", "e", "i", "o", "u", "a", "o", "e")
_CODAS = ("", "", "", "", "n", "r", "l", "s", "m", "k")
_COUNTRY_ENDINGS = ("ia", "land", "stan", "ora", "ania", "esh", "mar", "avia", "", "")
_CITY_ENDINGS = ("", "", "", "burg", "grad", "port", "abad", "pur", "holm", "mouth")
#: Words a generated name must not be: abbreviations that would hide a sentence end
#: from kg.curation.text's splitter, and words YAML would read as something else.
_RESERVED_WORDS = _ABBREVIATIONS | {"yes", "no", "on", "off", "true", "false", "null", "none"}
_TIMEZONES = ("+08:00", "+03:00", "+01:00", "+00:00", "-05:00", "+05:30", "+09:00", "-03:00")



@cache
def _iso(day: int) -> str:
    return dt.date.fromordinal(day).isoformat()


@cache
def _long_date(day: int) -> str:
    date = dt.date.fromordinal(day)
    return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"


@cache
def _short_date(day: int) -> str:
    date = dt.date.fromordinal(day)
    return f"{_MONTHS[date.month - 1]} {date.day}"


def _weekday(day: int) -> str:
    return _WEEKDAYS[dt.date.fromordinal(day).weekday()]


def _year(day: int) -> str:
    return _iso(day)[:4]


def _when(day: int, precision: int) -> str:
    """A date in words, as precisely as its curated form (10: day, 7: month, 4: year)."""
    if precision == 10:
        return _long_date(day)
    if precision == 7:
        return f"{_MONTHS[int(_iso(day)[5:7]) - 1]} {_year(day)}"
    return _year(day)


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens, as registry ids are.

    >>> slugify("Meeting of Ana Borel and Kim Tas, 2021-05-04")
    'meeting-of-ana-borel-and-kim-tas-2021-05-04'
    """
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


# -- the world ----------------------------------------------------------------------------

@dataclass(slots=True, eq=False)
class _Entity:
    """A registry entry as written to entities.yaml."""

    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    post_in: str | None = None
    part_of: str | None = None
    demonyms: tuple[str, ...] = ()

    def document(self) -> dict[str, Any]:
        item: dict[str, Any] = {"id": self.id, "type": self.type, "label": {"en": self.label}}
        if self.aliases:
            item["aliases"] = {"en": list(self.aliases)}
        if self.demonyms:
            item["demonyms"] = {"en": list(self.demonyms)}
        for key, value in (("description", self.description), ("post_in", self.post_in),
                           ("part_of", self.part_of)):
            if value is not None:
                item[key] = value
        return item


@dataclass(slots=True, eq=False)
class _Agent:
    """Anything that can act: a person, a state, an organization or one of its parts."""

    id: str
    name: str        # as written in running text ("the Kestran Union", "Valdoria", "Ana Borel")
    kind: str


@dataclass(slots=True, eq=False)
class _Term:
    person: _Agent
    start: int
    end: int | None    # None: still in office at the end of the world


@dataclass(slots=True, eq=False)
class _Post:
    id: str
    label: str
    title: str          # before a name in text: "Valdorian Foreign Minister"
    short: str          # in headlines: "Valdorian FM"
    kind: str           # president, prime-minister, foreign-minister, spokesperson, ...
    heads: _Agent | None    # the body its holder leads, if any
    terms: list[_Term] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    def term_at(self, day: int) -> int:
        """The index of the term running on ``day``."""
        return bisect_right(self.starts, day) - 1


@dataclass(slots=True, eq=False)
class _Place:
    id: str
    name: str
    state: _State
    capital: bool


@dataclass(slots=True, eq=False)
class _State:
    agent: _Agent
    adjective: str
    capital: _Place = field(init=False)
    cities: list[_Place] = field(default_factory=list)
    ministry: _Agent = field(init=False)
    cabinet: _Agent = field(init=False)
    posts: dict[str, _Post] = field(default_factory=dict)
    orgs: list[_Org] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _Org:
    agent: _Agent
    acronym: str
    secretariat: _Agent
    sg: _Post
    members: list[_State] = field(default_factory=list)
    summits: list[_Event] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _Agency:
    agent: _Agent
    short: str
    domain: str
    website: str
    timezone: str
    photographers: list[_Agent] = field(default_factory=list)
    editors: list[_Agent] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _Initiative:
    id: str
    name: str
    proposer: _Agent
    proposer_post: _Post
    state: _State
    date: int
    supporters: list[_State]
    committers: list[_State]


@dataclass(slots=True, eq=False)
class _Attendee:
    person: _Agent
    post: _Post
    state: _State | None
    org: _Org | None
    role: str


@dataclass(slots=True, eq=False)
class _Event:
    id: str
    kind: str             # meeting, summit, briefing
    label: str
    phrase: str           # in running text
    date: int
    place: _Place
    cameo: str
    attendees: list[_Attendee]
    organizer: _Org | None = None
    outcome: _Agent | None = None
    unnamed: str | None = None
    sector: str = "trade"


class _World:
    """States, organizations, officials, agencies, initiatives and events for one seed."""

    def __init__(self, rng: Random, articles: int):
        self.rng = rng
        self.entities: list[_Entity] = []
        self.ids: set[str] = set()
        self.names: set[str] = set()
        root = articles ** 0.5
        self.states = [self._state() for _ in range(4 + round(1.2 * root))]
        self.orgs = [self._org() for _ in range(2 + round(root / 3))]
        for state in self.states:
            if not state.orgs:
                org = rng.choice(self.orgs)
                org.members.append(state)
                state.orgs.append(org)
        for org in self.orgs:
            org.members.sort(key=lambda s: s.agent.id)
        for state in self.states:
            state.orgs.sort(key=lambda o: o.agent.id)
        self.agencies = [self._agency() for _ in range(2 + round(articles ** 0.25))]
        self.initiatives = sorted((self._initiative() for _ in range(2 + round(root / 2))),
                                  key=lambda i: (i.date, i.id))
        self.initiative_dates = [i.date for i in self.initiatives]
        self.events = sorted((self._event() for _ in range(5 + round(3 * articles ** 0.8))),
                             key=lambda e: (e.date, e.id))
        self.event_dates = [e.date for e in self.events]
        for event in self.events:
            if event.organizer is not None:
                event.organizer.summits.append(event)

    # names and ids
    def _word(self, syllables: int) -> str:
        rng = self.rng
        return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                       for _ in range(syllables)).capitalize()

    def _fresh(self, make: Callable[[], str]) -> str:
        while True:
            name = make()
            words = name.lower().split()
            if name not in self.names and slugify(name) not in self.ids and not any(
                    w in _RESERVED_WORDS for w in words):
                self.names.add(name)
                return name

    def _id(self, base: str) -> str:
        candidate, n = slugify(base), 1
        while candidate in self.ids:
            n += 1
            candidate = f"{slugify(base)}-{n}"
        self.ids.add(candidate)
        return candidate

    def _entity(self, type_: str, label: str, base: str | None = None, **extra: Any) -> str:
        entity_id = self._id(base or label)
        self.entities.append(_Entity(entity_id, type_, label, **extra))
        return entity_id

    def _person(self, description: str | None = None) -> _Agent:
        rng = self.rng
        name = self._fresh(lambda: f"{self._word(rng.choice((1, 2, 2)))} "
                                   f"{self._word(rng.choice((2, 2, 3)))}")
        return _Agent(self._entity("Person", name, description=description), name, "Person")

    def _place(self, state: _State, capital: bool) -> _Place:
        rng = self.rng
        name = self._fresh(lambda: self._word(rng.choice((2, 2, 3))) + rng.choice(_CITY_ENDINGS))
        return _Place(self._entity("Place", name), name, state, capital)

    def _post(self, label: str, title: str, short: str, kind: str, post_in: str,
              heads: _Agent | None, term_days: tuple[int, int]) -> _Post:
        post = _Post(self._entity("Post", label, post_in=post_in), label, title, short, kind,
                     heads)
        day = _FIRST_TERM - self.rng.randint(0, term_days[1])
        while day <= _WORLD_END:
            length = self.rng.randint(*term_days)
            end = day + length if day + length <= _WORLD_END else None
            post.terms.append(_Term(self._person(), day, end))
            post.starts.append(day)
            if end is None:
                break
            day = end
        return post

    def _state(self) -> _State:
        rng = self.rng
        name = self._fresh(lambda: self._word(rng.choice((1, 2, 2))) + rng.choice(_COUNTRY_ENDINGS))
        if name.endswith("ia"):
            adjective = name + "n"
        elif name.endswith(("stan", "esh")):
            adjective = name + "i"
        elif name.endswith("land"):
            adjective = name + "ic"
        elif name[-1] in "aeiou":
            adjective = name[:-1] + "ian"
        else:
            adjective = name + "ese"
        state = _State(_Agent(self._entity("State", name, demonyms=(adjective,)), name, "State"),
                       adjective)
        state.capital = self._place(state, capital=True)
        state.cities = [self._place(state, capital=False) for _ in range(rng.randint(1, 3))]
        ministry = f"Ministry of Foreign Affairs of {name}"
        state.ministry = _Agent(self._entity("GovernmentBody", ministry,
                                             part_of=state.agent.id), f"the {ministry}",
                                "GovernmentBody")
        cabinet = f"Cabinet of {name}"
        state.cabinet = _Agent(self._entity("GovernmentBody", cabinet, part_of=state.agent.id),
                               f"the {cabinet}", "GovernmentBody")
        sid = state.agent.id
        state.posts["president"] = self._post(
            f"President of {name}", f"{adjective} President", f"{adjective} president",
            "president", sid, state.agent, (1500, 2600))
        state.posts["prime-minister"] = self._post(
            f"Prime Minister of {name}", f"{adjective} Prime Minister", f"{adjective} PM",
            "prime-minister", state.cabinet.id, state.cabinet, (800, 2000))
        state.posts["foreign-minister"] = self._post(
            f"Foreign Minister of {name}", f"{adjective} Foreign Minister", f"{adjective} FM",
            "foreign-minister", state.ministry.id, state.ministry, (700, 1800))
        state.posts["spokesperson"] = self._post(
            f"Spokesperson of the Ministry of Foreign Affairs of {name}",
            f"{adjective} Foreign Ministry spokesperson", f"{adjective} spokesperson",
            "spokesperson", state.ministry.id, None, (500, 1400))
        return state

    def _org(self) -> _Org:
        rng = self.rng

        def make() -> str:
            return f"{self._word(rng.choice((2, 3)))} {rng.choice(_ORG_FORMS)}"

        name = self._fresh(make)
        acronym = "".join(w[0] for w in name.split()) + rng.choice(("", "", "O", "C"))
        while acronym in self.names or acronym.lower() in _RESERVED_WORDS:
            acronym += rng.choice("ABCDEFGHKLMNPRSTUVWZ")
        self.names.add(acronym)
        oid = self._entity("IntergovernmentalOrganization", name, aliases=(acronym,))
        agent = _Agent(oid, f"the {name}", "IntergovernmentalOrganization")
        secretariat_name = f"{acronym} Secretariat"
        secretariat = _Agent(self._entity("OrganizationalUnit", secretariat_name,
                                          aliases=(f"Secretariat of the {name}",)),
                             f"the {secretariat_name}", "OrganizationalUnit")
        sg = self._post(f"Secretary-General of the {acronym}", f"{acronym} Secretary-General",
                        f"{acronym} chief", "secretary-general", oid, secretariat, (1100, 2200))
        org = _Org(agent, acronym, secretariat, sg)
        count = min(len(self.states), rng.randint(3, 10))
        for state in rng.sample(self.states, count):
            org.members.append(state)
            state.orgs.append(org)
        return org

    def _agency(self) -> _Agency:
        rng = self.rng
        name = self._fresh(lambda: f"{self._word(2)} News Agency")
        short = name.split()[0]
        aid = self._entity("NewsAgency", name, aliases=(short,))
        domain = f"{slugify(short)}.example"
        agency = _Agency(_Agent(aid, name, "NewsAgency"), short, domain,
                         f"{short} English ({domain})", rng.choice(_TIMEZONES))
        agency.photographers = [self._person(f"Photographer credited by {name}.")
                                for _ in range(rng.randint(2, 4))]
        agency.editors = [self._person(f"Web editor at {name}.")
                          for _ in range(rng.randint(2, 4))]
        return agency

    def _initiative(self) -> _Initiative:
        rng = self.rng
        state = rng.choice(self.states)
        day = rng.randint(dt.date(2013, 1, 1).toordinal(), dt.date(2023, 6, 1).toordinal())
        post = state.posts["president"]
        proposer = post.terms[post.term_at(day)].person

        def make() -> str:
            scope = rng.choice((*_SCOPES, state.adjective, state.adjective))
            return f"{scope} {rng.choice(_THEMES)} Initiative"

        name = self._fresh(make)
        others = [s for s in self.states if s is not state]
        supporters = rng.sample(others, min(len(others), rng.randint(2, 6)))
        supporters.sort(key=lambda s: s.agent.id)
        committers = [state] + [s for s in supporters if rng.random() < 0.5]
        return _Initiative(self._entity("PolicyInitiative", name), name, proposer, post, state,
                           day, supporters, committers)

    def _attendee(self, state: _State, day: int, role: str, kinds: Sequence[str]) -> _Attendee:
        post = state.posts[self.rng.choice(kinds)]
        return _Attendee(post.terms[post.term_at(day)].person, post, state, None, role)

    def _event(self) -> _Event:
        rng = self.rng
        day = rng.randint(_EVENTS_FROM, _EVENTS_TO)
        draw = rng.random()
        if draw < 0.6:
            return self._meeting(day)
        if draw < 0.78:
            return self._summit(day)
        return self._briefing(day)

    def _meeting(self, day: int) -> _Event:
        rng = self.rng
        size = min(len(self.states), rng.choice((2, 2, 2, 2, 3, 3, 4)))
        states = rng.sample(self.states, size)
        kinds = ("foreign-minister", "foreign-minister", "president", "prime-minister")
        third = size > 2 and rng.random() < 0.4 and len(self.states) > size
        attendees = [self._attendee(s, day, "participant" if third else
                                    ("host" if i == 0 else "guest"), kinds)
                     for i, s in enumerate(states)]
        if rng.random() < 0.15:
            org = rng.choice(states[0].orgs)
            post = org.sg
            attendees[-1] = _Attendee(post.terms[post.term_at(day)].person, post, None, org,
                                      attendees[-1].role)
        if third:
            host_state = rng.choice([s for s in self.states if s not in states])
            cameo = "044"
        else:
            host_state = states[0]
            cameo = rng.choice(("040", "040", "042", "043", "046", "057", "04", "03", "05"))
        place = host_state.capital if rng.random() < 0.7 else rng.choice(host_state.cities)
        names = [a.person.name for a in attendees]
        listed = " and ".join(names) if size == 2 else ", ".join(names[:-1]) + " and " + names[-1]
        label = (f"Meeting of {listed}, {_iso(day)}" if size == 2
                 else f"Talks of {listed} in {place.name}, {_iso(day)}")
        families = "-".join(n.split()[-1] for n in names[:2])
        # the articles' name for the talks is an alias, so a summary may name them as well
        phrase = f"talks between {listed} in {place.name}"
        eid = self._entity("Meeting", label, base=f"meeting-{families}-{_iso(day)}",
                           aliases=(phrase,))
        event = _Event(eid, "meeting", label, f"the {phrase}", day, place, cameo, attendees,
                       sector=rng.choice(_FIELDS))
        if cameo == "057":
            parties = [a.state.agent.name if a.state else a.org.acronym  # type: ignore[union-attr]
                       for a in attendees]
            between = (" and ".join(parties) if len(parties) == 2 else
                       ", ".join(parties[:-1]) + " and " + parties[-1])
            word = "between" if len(parties) == 2 else "among"
            label = f"Memorandum of understanding on {event.sector} cooperation {word} {between}"
            aid = self._entity("Agreement", label, base=f"mou-{eid}")
            event.outcome = _Agent(aid, f"the memorandum of understanding on {event.sector} "
                                        f"cooperation {word} {between}", "Agreement")
        return event

    def _summit(self, day: int) -> _Event:
        rng = self.rng
        org = rng.choice(self.orgs)
        host = rng.choice(org.members)
        others = [s for s in org.members if s is not host]
        named = rng.sample(others, min(len(others), rng.randint(1, 3)))
        attendees = [self._attendee(host, day, "host", ("president",))]
        attendees += [self._attendee(s, day, "participant", ("president",)) for s in named]
        if rng.random() < 0.5:
            post = org.sg
            attendees.append(_Attendee(post.terms[post.term_at(day)].person, post, None, org,
                                       "participant"))
        place = host.capital
        label = f"{org.acronym} {place.name} Summit {_year(day)}"
        eid = self._entity("Summit", label)
        declaration = f"{place.name} Declaration of the {org.acronym} Summit {_year(day)}"
        aid = self._entity("Agreement", declaration)
        unnamed = (f"leaders of the other {org.acronym} member states"
                   if len(org.members) > len(named) + 1 else None)
        return _Event(eid, "summit", label, f"the {label}", day, place,
                      rng.choice(("057", "05")), attendees, organizer=org,
                      outcome=_Agent(aid, f"the {declaration}", "Agreement"), unnamed=unnamed,
                      sector=rng.choice(_FIELDS))

    def _briefing(self, day: int) -> _Event:
        state = self.rng.choice(self.states)
        attendee = self._attendee(state, day, "host", ("spokesperson",))
        label = f"Press conference of the {state.agent.name} foreign ministry, {_iso(day)}"
        eid = self._entity("Event", label, base=f"press-conference-{state.agent.id}-{_iso(day)}")
        return _Event(eid, "briefing", label, f"the press conference of {_iso(day)}", day,
                      state.capital, "01", [attendee], sector=self.rng.choice(_FIELDS))

    def registry(self) -> str:
        """entities.yaml: every entity, grouped by type, sorted by id."""
        order = ("Person", "State", "IntergovernmentalOrganization", "OrganizationalUnit",
                 "GovernmentBody", "NewsAgency", "Post", "Place", "Meeting", "Summit", "Event",
                 "PolicyInitiative", "Agreement")
        rank = {name: i for i, name in enumerate(order)}
        entities = sorted(self.entities, key=lambda e: (rank[e.type], e.id))
        return dump_yaml({"entities": [e.document() for e in entities]},
                         header="Synthetic entity registry written by `kg synth`: "
                                "a made-up world, not real news.")


# -- articles -----------------------------------------------------------------------------
