"""Deterministic synthetic corpora: a made-up world of diplomacy and news articles about it.

``generate(articles, seed, out)`` invents a world (states with capitals, cities, a
foreign ministry and a cabinet; intergovernmental organizations with secretariats;
officials whose posts change hands over the years; news agencies with photographers and
web editors; policy initiatives; meetings, summits and press conferences) and writes
articles about it in the project's curation format::

    OUT/data/entities.yaml                 the registry of the world
    OUT/data/sources/NNNNNN-<slug>.yaml    one curation file per article
    OUT/corpus/NNNNNN.txt                  the article's text, which the locators point into

Every fact carries evidence: each locator ``pN.sM`` names a sentence written for that
fact, and the text is composed paragraph by paragraph so that :mod:`kg.text` splits it
into exactly those sentences. ``kg build --data OUT/data --sources OUT/corpus`` therefore
conforms on any generated corpus. The same ``(articles, seed)`` always gives
byte-identical files (one ``random.Random(seed)``; no clock, no set iteration).

The world grows sublinearly with the number of articles (about ``4 + 1.2 * sqrt(N)``
states, ``5 + 3 * N ** 0.8`` events; 400 entities for 25 articles, 2,283 for 1,000), and
each article states 5 to 40 facts (mostly 10 to 20). Measured on a 2-core machine:
``kg synth --articles 25 --seed 1 --out /tmp/s`` then
``kg build --data /tmp/s/data --sources /tmp/s/corpus --out /tmp/s/build`` built 11,601
triples, 464 per article (registry included); 1,000 articles built 414,053, 414 per
article. Generation (files written) takes about 0.3 ms of CPU per article: some 3,000
articles per second, 10,000 articles in 3.5 s.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     summary = generate(3, seed=7, out=Path(tmp))
...     names = sorted(p.name for p in (Path(tmp) / "corpus").iterdir())
>>> names
['000001.txt', '000002.txt', '000003.txt']
>>> summary.sources, summary.files
(3, 7)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from pathlib import Path
from random import Random
from typing import Any

from kg.errors import KGError
from kg.text import _ABBREVIATIONS

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
#: from kg.text's splitter, and words YAML would read as something else.
_RESERVED_WORDS = _ABBREVIATIONS | {"yes", "no", "on", "off", "true", "false", "null", "none"}
_TIMEZONES = ("+08:00", "+03:00", "+01:00", "+00:00", "-05:00", "+05:30", "+09:00", "-03:00")


# -- YAML written by hand (yaml.dump is ten times slower) ----------------------------------

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._'()/-]*")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"})
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def yaml_scalar(value: str | int) -> str:
    """A string (or int) as a YAML scalar that PyYAML reads back as exactly that value.

    Plain when nothing could misread it; double-quoted otherwise (dates, numbers, codes,
    ``yes``, ``: ``, ``#``, leading or trailing blanks, any unusual character).

    >>> [yaml_scalar(v) for v in ["qin-gang", "2023-04-19", "040", "yes", "a: b", 7]]
    ['qin-gang', '"2023-04-19"', '"040"', '"yes"', '"a: b"', '7']
    """
    cached = _SCALARS.get(value)
    if cached is not None:
        return cached
    if type(value) is int:
        return str(value)
    assert isinstance(value, str)
    if _PLAIN.fullmatch(value) and value[-1] != " " and value.lower() not in _YAML_WORDS:
        quoted = value
    elif value.isascii() and value.isprintable():
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    else:
        quoted = '"' + "".join(_escape(ch) for ch in value) + '"'
    if len(value) <= 80 and len(_SCALARS) < 500_000:
        _SCALARS[value] = quoted   # ids, dates, locators and keys repeat
    return quoted


_SCALARS: dict[str | int, str] = {}


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if 0x20 <= code <= 0x7E or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029)) or (
            0xE000 <= code <= 0xFFFD and code != 0xFEFF) or code >= 0x10000:
        return ch
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _flow(value: object) -> str | None:
    """Short lists and small mappings of scalars in flow style: ``[a, b]``, ``{en: X}``."""
    get = _SCALARS.get
    if type(value) is list:
        parts = []
        for item in value:
            if type(item) is not str and type(item) is not int:
                return None
            parts.append(get(item) or yaml_scalar(item))
        return "[" + ", ".join(parts) + "]"
    if type(value) is dict and len(value) <= 3:
        parts = []
        for key, item in value.items():
            if type(item) is not str and type(item) is not int:
                return None
            parts.append(f"{get(key) or yaml_scalar(key)}: {get(item) or yaml_scalar(item)}")
        return "{" + ", ".join(parts) + "}"
    return None


def _emit_mapping(mapping: Mapping[str, Any], indent: str, out: list[str]) -> None:
    append, get = out.append, _SCALARS.get
    for key, value in mapping.items():
        kind = type(value)
        if kind is str:
            append(f"{indent}{get(key) or yaml_scalar(key)}: {get(value) or yaml_scalar(value)}")
        elif value is None:
            continue
        elif kind is int:
            append(f"{indent}{get(key) or yaml_scalar(key)}: {value}")
        elif (flow := _flow(value)) is not None:
            append(f"{indent}{get(key) or yaml_scalar(key)}: {flow}")
        elif kind is dict:
            append(f"{indent}{get(key) or yaml_scalar(key)}:")
            _emit_mapping(value, indent + "  ", out)
        else:
            append(f"{indent}{get(key) or yaml_scalar(key)}:")
            _emit_sequence(value, indent + "  ", out)


def _emit_sequence(items: Sequence[Any], indent: str, out: list[str]) -> None:
    inner = indent + "  "
    for item in items:
        kind = type(item)
        flow = yaml_scalar(item) if kind is str or kind is int else _flow(item)
        if flow is not None:
            out.append(f"{indent}- {flow}")
        elif kind is dict and item:
            start = len(out)
            _emit_mapping(item, inner, out)
            out[start] = f"{indent}- {out[start][len(inner):]}"
        else:
            raise TypeError(f"cannot write {kind.__name__} in a YAML sequence")


def dump_yaml(document: Mapping[str, Any], header: str = "") -> str:
    """A mapping as block YAML in the style of the curation files (keys in given order).

    Values are str, int, None (left out), lists and mappings; ``header`` lines become
    ``#`` comments.

    >>> print(dump_yaml({"id": "x", "date": "2022", "tags": ["a", "no"], "skip": None}), end="")
    id: x
    date: "2022"
    tags: [a, "no"]
    """
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    _emit_mapping(document, "", out)
    return "\n".join(out) + "\n"


# -- small helpers ------------------------------------------------------------------------

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

    def document(self) -> dict[str, Any]:
        item: dict[str, Any] = {"id": self.id, "type": self.type, "label": {"en": self.label}}
        if self.aliases:
            item["aliases"] = {"en": list(self.aliases)}
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
        state = _State(_Agent(self._entity("State", name), name, "State"), adjective)
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
        eid = self._entity("Meeting", label, base=f"meeting-{families}-{_iso(day)}")
        event = _Event(eid, "meeting", label, f"the talks between {listed} in {place.name}", day,
                       place, cameo, attendees, sector=rng.choice(_FIELDS))
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
            (0.5, self.recall_summit), (0.6, self.outcome),
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
        name = who.person.name
        home = who.state.agent if who.state is not None else who.org.agent  # type: ignore[union-attr]
        act = rng.choice(("assessment", "intent", "praise", "hope", "support", "thanks"))
        topic = self.agent(home.id) if act == "intent" else self.topic(home.id)
        fld = rng.choice(_FIELDS)
        addressee: str | None = None
        topics = [topic.id]
        if act == "assessment":
            sentence = (f"{name} said {topic.name} has played an important role in promoting "
                        f"{fld} in the region.")
            summary = f"Called {topic.name} important for regional {fld}."
        elif act == "intent":
            sentence = (f"{name} said {home.name} is ready to work with {topic.name} to deepen "
                        f"cooperation in {fld}.")
            summary = f"{_cap(home.name)} is willing to expand {fld} cooperation with {topic.name}."
            topics = [home.id, topic.id]
        elif act == "praise":
            sentence = f"{name} spoke highly of {topic.name} and its contribution to {fld}."
            summary = f"Praised {topic.name} for its work on {fld}."
        elif act == "hope":
            sentence = f"{name} expressed the hope that {topic.name} will bring results in {fld}."
            summary = f"Hoped for concrete results in {fld} from {topic.name}."
        elif act == "support":
            sentence = f"{name} said {home.name} firmly supports {topic.name}."
            summary = f"{_cap(home.name)} backs {topic.name}."
            topics = [home.id, topic.id]
        else:
            other = self.agent(exclude=home.id)
            addressee = other.id
            sentence = f"{name} thanked {other.name} for its support in {fld}."
            summary = f"Thanked {other.name} for supporting cooperation in {fld}."
            topics = [other.id] if topic.id == other.id else [other.id, topic.id]
        item: dict[str, Any] = {"speaker": who.person.id, "at": event.id,
                                "date": _iso(event.date), "act": act}
        if addressee is not None:
            item["addressee"] = addressee
        item["summary"] = summary
        item["topics"] = topics
        self.fact(f"{who.person.id}-{act}", "statement", item, [self.sentence(sentence)])

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
                self.relation(initiative.proposer, "proposed", [initiative.id],
                              f"The {initiative.name} was put forward by "
                              f"{initiative.proposer_post.title} {initiative.proposer.name} "
                              f"in {_year(initiative.date)}.")
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


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- the corpus ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SynthSummary:
    """What :func:`generate` wrote."""

    out: Path
    sources: int
    entities: int
    facts: int
    files: int

    def text(self) -> str:
        """One line for the command line."""
        return (f"Generated {self.sources} article(s) with {self.facts} facts about "
                f"{self.entities} entities: {self.files} files in {self.out}")


def check_arguments(articles: int, seed: int) -> None:
    """Raise KGError unless ``articles`` is 1..MAX_ARTICLES and ``seed`` an int.

    >>> check_arguments(0, 1)
    Traceback (most recent call last):
    kg.errors.KGError: the number of articles must be between 1 and 999999, not 0
    """
    if isinstance(articles, bool) or not isinstance(articles, int) or not (
            1 <= articles <= MAX_ARTICLES):
        raise KGError(f"the number of articles must be between 1 and {MAX_ARTICLES}, "
                      f"not {articles}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise KGError(f"the seed must be an integer, not {seed!r}")


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


class SynthCorpus:
    """A synthetic corpus composed in memory: the world's registry and its articles.

    Each article has its own random stream (derived from the seed and its number), so
    articles can be composed in any order, any number of times, with the same result.

    >>> corpus = SynthCorpus(articles=2, seed=5)
    >>> [a.text_file for a in corpus.articles()]
    ['000001.txt', '000002.txt']
    >>> corpus.article(2).curation == SynthCorpus(2, 5).article(2).curation
    True
    """

    def __init__(self, articles: int, seed: int):
        check_arguments(articles, seed)
        self.seed = seed
        rng = Random(seed)
        self.world = _World(rng, articles)
        plans = []
        for index in range(articles):
            event = rng.choice(self.world.events)
            plans.append((event.date + rng.choice((0, 0, 1)), index, event,
                          rng.choice(self.world.agencies)))
        plans.sort(key=lambda p: (p[0], p[1]))
        self._plans = [(published, event, agency) for published, _, event, agency in plans]

    def __len__(self) -> int:
        return len(self._plans)

    @property
    def entities(self) -> int:
        """How many entities the registry holds."""
        return len(self.world.entities)

    def registry(self) -> str:
        """The text of entities.yaml."""
        return self.world.registry()

    def article(self, number: int) -> SynthArticle:
        """Article ``number`` (1-based)."""
        published, event, agency = self._plans[number - 1]
        rng = Random(self.seed * 2**20 + number)
        return _Article(self.world, rng, event, agency, number, published).write()

    def articles(self) -> Iterator[SynthArticle]:
        """Every article, in order of publication."""
        for number in range(1, len(self._plans) + 1):
            yield self.article(number)


_GENERATED = (re.compile(r"[0-9]{6}-[a-z0-9-]+\.yaml"), re.compile(r"[0-9]{6}\.txt"))


def generate(articles: int, seed: int, out: Path,
             progress: Callable[[int, int], None] | None = None) -> SynthSummary:
    """Write a synthetic corpus of ``articles`` articles into ``out``; deterministic per seed.

    Files from an earlier run in ``out`` (``data/entities.yaml``,
    ``data/sources/NNNNNN-*.yaml``, ``corpus/NNNNNN.txt``) are replaced; nothing else
    there is touched. ``progress(done, total)`` is called after each article.
    """
    corpus = SynthCorpus(articles, seed)
    sources_dir, corpus_dir = out / "data" / "sources", out / "corpus"
    sources_dir.mkdir(parents=True, exist_ok=True)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    for folder, pattern in zip((sources_dir, corpus_dir), _GENERATED, strict=True):
        for stale in sorted(folder.iterdir()):
            if pattern.fullmatch(stale.name) and stale.is_file():
                stale.unlink()
    (out / "data" / "entities.yaml").write_bytes(corpus.registry().encode("utf-8"))
    facts = 0
    for article in corpus.articles():
        (sources_dir / f"{article.stem}.yaml").write_bytes(article.curation.encode("utf-8"))
        (corpus_dir / article.text_file).write_bytes(article.text.encode("utf-8"))
        facts += article.facts
        if progress is not None:
            progress(article.number, articles)
    return SynthSummary(out=out, sources=articles, entities=corpus.entities, facts=facts,
                        files=1 + 2 * articles)
