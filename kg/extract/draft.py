"""A draft curation file from an article's text: the rules' findings written as a source
file, every fact with its ``draft:`` block (:mod:`kg.curation.draft_format`).

:func:`extract` reads the text (:mod:`kg.extract.article`), runs the rules
(:mod:`kg.extract.rules`), links each meeting to the registry's event when the registry
already has it (its id names the same people and day), proposes the rest, and
:func:`render` writes the YAML.

>>> from pathlib import Path
>>> extractor = Extractor.from_data(Path("data"))
>>> draft = extractor.extract("Chinese Foreign Minister Qin Gang met Zhang Ming on 19 April 2023.",
...                           text_name="a.txt")
>>> [(f.kind, f.fields.get("post") or f.fields.get("date")) for f in draft.facts]
[('event', '2023-04-19'), ('holding', 'foreign-minister-of-china')]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg.curation.draft_format import (
    DRAFT_KEY,
    MENTIONS_KEY,
    PROPOSED_KEY,
    RULE_KEY,
    TODO_KEY,
)
from kg.curation.model import Entity
from kg.curation.registry import load_registry
from kg.errors import KGError
from kg.extract.article import Article, read_article
from kg.extract.found import Found, Proposal
from kg.extract.mentions import Matcher
from kg.extract.names import Names
from kg.extract.proposals import slug
from kg.extract.rules import run_rules
from kg.kinds import kind_named
from kg.synth.yaml_writer import dump_yaml, yaml_scalar

__all__ = ["Draft", "Extractor", "render"]

_EVENT_TYPES = ("Meeting", "Summit", "Event")


@dataclass
class Draft:
    """What the assistant drafted from one text."""

    article: Article
    facts: list[Found]
    ids: list[str]
    source: dict[str, Any]
    proposals: list[Proposal]
    mentions: dict[str, list[str]]


@dataclass(frozen=True)
class _Lookup:
    """The registry's entities by what a draft looks them up by: people by label, other
    entities by label or alias (the first in registry order), events with the parts of
    their ids (which name their people and day)."""

    people: Mapping[str, str]
    others: Mapping[str, str]
    #: The registry's events, in order, by each part of their ids.
    events: tuple[str, ...]
    events_by_part: Mapping[str, frozenset[str]]

    def events_naming(self, people: list[str]) -> list[str]:
        """The registry's events whose ids name two of the people (the one, when one is
        given): a part of a person's id of three letters or more is a part of the
        event's id."""
        named = Counter(event for person in people for event in set().union(
            *(self.events_by_part.get(part, ()) for part in person.split("-")
              if len(part) >= 3)))
        enough = min(len(people), 2)
        return [event for event in self.events if named[event] >= enough]

    @classmethod
    def of(cls, entities: Mapping[str, Entity]) -> _Lookup:
        people: dict[str, str] = {}
        others: dict[str, str] = {}
        for entity in entities.values():
            if entity.type == "Person":
                for label in entity.labels.values():
                    people.setdefault(label, entity.id)
            else:
                for name in (*entity.labels.values(),
                             *(a for v in entity.aliases.values() for a in v)):
                    others.setdefault(name, entity.id)
        events = tuple(e.id for e in entities.values() if e.type in _EVENT_TYPES)
        by_part: dict[str, set[str]] = {}
        for event in events:
            for part in event.split("-"):
                by_part.setdefault(part, set()).add(event)
        return cls(people, others, events, {k: frozenset(v) for k, v in by_part.items()})


class Extractor:
    """The registry's names in one matcher, ready for any number of texts."""

    def __init__(self, entities: Mapping[str, Entity]):
        self.entities = entities
        self.names = Names.from_registry(entities)
        self.matcher = Matcher(self.names)
        self._lookup = _Lookup.of(entities)

    @classmethod
    def from_data(cls, data_dir: Path) -> Extractor:
        """An extractor for the registry of a data folder."""
        return cls(load_registry(data_dir))

    def extract(self, text: str, *, text_name: str, url: str | None = None,
                published: str | None = None, publisher: str | None = None) -> Draft:
        """Draft a curation file for ``text`` (named ``text_name`` in the sources folder).
        KGError when ``published`` is no date or ``publisher`` no registry id."""
        _check_options(self.entities, published, publisher)
        article = read_article(text, self.entities, self.matcher, published=published,
                               publisher=publisher)
        context = run_rules(article, self.names, self.matcher)
        facts = context.found
        for fact in facts:
            if fact.kind == "event" and not fact.fields.get("event"):
                fact.fields["event"] = _event_id(article, fact, self._lookup)
        facts = _one_report_per_event(facts)
        source = _source_block(article, facts, text, text_name, url, published, publisher,
                               self._lookup)
        return Draft(article, facts, _fact_ids(facts), source, article.proposals,
                     _mentions(article))


_PUBLISHED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?"
                        r"(?:Z|[+-][0-9]{2}:[0-9]{2})?)?")


def _check_options(entities: Mapping[str, Entity], published: str | None,
                   publisher: str | None) -> None:
    if published is not None:
        problem = None if _PUBLISHED.fullmatch(published) else "not of that form"
        if problem is None:
            try:
                dt.datetime.fromisoformat(published.replace("Z", "+00:00"))
            except ValueError as exc:
                problem = str(exc)
        if problem is not None:
            raise KGError(f"--published {published}: {problem}: write YYYY-MM-DD or "
                          "YYYY-MM-DDTHH:MM (seconds and a zone optional)")
    if publisher is not None and publisher not in entities:
        raise KGError(f"--publisher {publisher}: no such id in the registry: give the id of "
                      "the publisher in entities.yaml (add it there first if it is new)")


def _event_id(article: Article, fact: Found, lookup: _Lookup) -> str:
    """The registry's event this meeting is (its id names the same people and day), or a
    proposal for it, with the registry's events of the same people as suggestions."""
    people = [str(p["who"]) for p in fact.fields["participants"]]
    date, place = fact.fields.get("date"), fact.fields.get("place")
    same_people = lookup.events_naming(people)
    for event in same_people:
        if date and event.endswith(str(date)):
            fact.rule += ", meeting/registry-id"
            return event
    names = "-".join(person for person in people[:3])
    key = f"{names}-meeting-{date}" if date else f"{names}-meeting"
    label = " and ".join(_label(article, p) for p in people)
    if place:
        label += f" in {_label(article, str(place))}"
    key = article.proposer.propose(f"Meeting of {label}" + (f", {date}" if date else ""),
                                   "Meeting", fact.evidence[0], "proposal/meeting", key=key)
    suggestions = article.proposer.proposals[key].suggestions
    suggestions.extend(e for e in same_people if e not in suggestions)
    return key


def _label(article: Article, entity: str) -> str:
    known = article.entities.get(entity)
    return known.labels.get("en", entity) if known is not None else entity


def _one_report_per_event(facts: list[Found]) -> list[Found]:
    """A meeting found by its verb and the same event found by its name are one report."""
    first: dict[str, Found] = {}
    kept = []
    for fact in facts:
        event = fact.fields.get("event") if fact.kind == "event" else None
        if isinstance(event, str) and event in first:
            first[event].absorb(fact)
            continue
        if isinstance(event, str):
            first[event] = fact
        kept.append(fact)
    return kept


def _fact_ids(facts: list[Found]) -> list[str]:
    """An id for each fact made of the fields that say which fact it is (its kind's
    ``score_key``: a holding's person and post); the first locator tells apart two
    facts of one key."""
    ids: list[str] = []
    for fact in facts:
        key = [f for f in kind_named(fact.kind).score_key
               if f in fact.fields or f == "evidence"]
        base = re.sub(r"[^a-z0-9-]+", "-", "-".join(
            _first(fact.fields[f] if f != "evidence" else fact.evidence) for f in key)
        ) or fact.kind
        candidate = base
        if candidate in ids:
            candidate = f"{base}-{fact.evidence[0].replace('.', '-')}"
        number = 2
        while candidate in ids:
            candidate, number = f"{base}-{number}", number + 1
        ids.append(candidate)
    return ids


def _first(value: Any) -> str:
    return str(value[0] if isinstance(value, list) else value)


def _caption_photos(article: Article, facts: list[Found],
                    lookup: _Lookup) -> list[dict[str, Any]]:
    photos = []
    for number, caption in enumerate(article.metadata.captions, 1):
        if caption.photographer is None:
            continue
        meeting = next((f for f in facts if f.kind == "event" and caption.locator in f.evidence),
                       None)
        creator = _person_id(article, lookup, caption.photographer,
                             caption.credit_locator or "")
        photo: dict[str, Any] = {"id": f"photo-{number}", "creator": creator,
                                 "evidence": [caption.credit_locator or caption.locator]}
        if meeting is not None:
            photo["depicts"] = meeting.fields["event"]
        if caption.agency:
            photo["agency"] = lookup.others.get(caption.agency)
        photos.append(photo)
    return photos


def _person_id(article: Article, lookup: _Lookup, name: str, locator: str) -> str:
    known = lookup.people.get(name)
    return known if known is not None else article.proposer.propose(
        name, "Person", locator, "proposal/credit")


def _source_block(article: Article, facts: list[Found], text: str, text_name: str,
                  url: str | None, published: str | None, publisher: str | None,
                  lookup: _Lookup) -> dict[str, Any]:
    meta = article.metadata
    todo = [t for t in meta.todo if not (url and "url" in t.lower())]
    agency = lookup.others.get(meta.agency) if meta.agency else None
    day = (meta.published or published or "undated")[:10]
    title = meta.headline or "untitled"
    block: dict[str, Any] = {
        "id": f"{publisher or agency or 'source'}-{day}-{slug(title)[:60]}".strip("-"),
        "title": meta.headline, "url": url, "publisher": publisher or agency,
        "published": meta.published or published,
        "published_evidence": [meta.published_locator] if meta.published_locator else None,
        "language": meta.language, "text": text_name,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "paragraphs": "line" if meta.paragraphs == "line" else None,
    }
    if meta.editors:
        block["editors"] = {"people": [_person_id(article, lookup, name, meta.editors_locator or "")
                                       for name in meta.editors],
                            "evidence": [meta.editors_locator]}
    photos = _caption_photos(article, facts, lookup)
    if photos:
        block["photos"] = photos
    if publisher is None and agency is None:
        todo.append("give the publisher's registry id (--publisher ID)")
    if todo:
        block[DRAFT_KEY] = {TODO_KEY: todo}
    return block


def _mentions(article: Article) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for sentence in article.sentences:
        if sentence.repeated:
            continue
        for entity in [*sentence.entities(), *sentence.nested]:
            if entity in article.proposer.proposals:
                continue
            seen = found.setdefault(entity, [])
            if sentence.locator not in seen:
                seen.append(sentence.locator)
    return found


def _clean(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v not in (None, [], ())}


def document(draft: Draft) -> dict[str, Any]:
    """The draft as the mapping its YAML holds."""
    facts = []
    for fact, fact_id in zip(draft.facts, draft.ids, strict=True):
        order = list(kind_named(fact.kind).schema_properties)
        fields = sorted(_clean(fact.fields).items(), key=lambda kv: order.index(kv[0])
                        if kv[0] in order else len(order))
        item = {"id": fact_id, "kind": fact.kind, **dict(fields), "evidence": fact.evidence}
        note: dict[str, Any] = {RULE_KEY: fact.rule}
        if fact.todo:
            note[TODO_KEY] = fact.todo
        item[DRAFT_KEY] = note
        facts.append(item)
    top: dict[str, Any] = {
        PROPOSED_KEY: [_clean({"id": p.id, "type": p.type, "label": {p.language: p.label},
                               "aliases": {p.language: p.aliases} if p.aliases else None,
                               "post_in": p.post_in, "seen": p.seen, "rule": p.rule,
                               "suggestions": p.suggestions}) for p in draft.proposals],
        MENTIONS_KEY: draft.mentions,
        TODO_KEY: [f"{sentence.locator}: {note}" for sentence in draft.article.sentences
                   for note in sentence.notes],
    }
    return {"source": _clean(draft.source), "facts": facts, DRAFT_KEY: _clean(top)}


_HEADER = """Draft made by kg extract from {text}: check every fact against the text.
Evidence locators: pN.sM = paragraph N, sentence M ({rule} paragraphs; see kg text).
Each draft: block says which rule found the fact and what is left to check; kg build
refuses the file until every draft: block is resolved and deleted. Proposed entities
belong in entities.yaml (or use the registry id of the same entity instead).
Summaries are yours to write: never paste the article's sentences here."""


#: A line longer than this that holds a list is written one item a line.
WIDTH = 100
_FLOW_LIST = re.compile(r"^(?P<indent> *)(?P<key>[\w-]+): (?P<items>\[.*\])$")


def _unfold(line: str) -> list[str]:
    """A long ``key: [a, b]`` line as a block list, so that a draft stays readable."""
    match = _FLOW_LIST.match(line)
    if len(line) <= WIDTH or match is None:
        return [line]
    items = yaml.safe_load(match["items"])
    indent = match["indent"]
    return [f"{indent}{match['key']}:", *(f"{indent}  - {yaml_scalar(item)}" for item in items)]


def render(draft: Draft) -> str:
    """The draft's YAML text."""
    header = _HEADER.format(text=draft.source["text"], rule=draft.article.metadata.paragraphs)
    lines = dump_yaml(document(draft), header=header).splitlines()
    text = "\n".join(part for line in lines for part in _unfold(line)) + "\n"
    return re.sub(r"\n(  - id: )", r"\n\n\1", text)
