"""Relations the text states in a fixed form:

- ``capital-of``: "Beijing, capital of China";
- ``located-in``: "India's Goa", "Goa's Benaulim", a dateline's "MUNICH, Germany";
- ``proposed``: "the Global Security Initiative proposed by Chinese President Xi Jinping",
  "Xi proposed the Global Civilization Initiative": the proposer exactly as written
  ("proposed by China" is China, not its president; "The Chinese president also proposed"
  is the one person the article says holds that post);
- ``member-of``: "SCO member states - China, Russia and ...";
- ``observer-of``: "Iran, Belarus and Mongolia ... as observer states", of the organization
  the sentence names before, or whose member states the sentence before listed;
- ``member-of`` again: "China is ready to work with other member states" ("中方愿同其他成员国"),
  of the organization the sentence names before, else the one named last (flagged);
- ``unit-of``: a unit named with the body it belongs to ("SCO Secretariat", "Executive
  Committee of the SCO RATS", also inside a post's name: "Director of the Executive
  Committee of the SCO RATS" gives the committee in RATS and RATS in the SCO).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.curation.model import ORGANIZATION_TYPES
from kg.extract.article import Sentence
from kg.extract.found import Found
from kg.extract.mentions import Mention
from kg.extract.rules.context import RuleContext

NAME = "relation"

_CAPITAL = re.compile(r",?\s*(?:the\s+)?capital of\s+(?:the\s+)?")
_POSSESSIVE = ("'s ", "\u2019s ")
_PROPOSED_BY = re.compile(r"\b(?:was |were |had been |)(?:proposed|put forward|initiated) by\s+"
                          r"(?:\w+\s+)?$")
_PROPOSED = re.compile(r"^\s+(?:also\s+|had\s+|has\s+)*(?:proposed|put forward)\s+(?:the\s+)?$")
_MEMBERS = re.compile(r"\bmember (?:states|countries)\b")
_PLACES = ("Place", "State", "Region")
_INITIATIVES = ("PolicyInitiative", "Concept")


def _relation(subject: str, predicate: str, objects: list[str], sentence: Sentence,
              rule: str, todo: list[str] | None = None) -> Found:
    value: object = objects[0] if len(objects) == 1 else objects
    return Found("relation", {"subject": subject, "predicate": predicate, "object": value},
                 [sentence.locator], f"relation/{rule}", todo or [],
                 key=(subject, predicate, tuple(objects)))


def find(context: RuleContext) -> Iterator[Found]:
    """The relations an article states in a fixed form."""
    last_members: str | None = None   # the organization whose members the sentence before named
    last_organization: str | None = None   # the organization named last
    for sentence in context.article.sentences:
        if sentence.repeated:
            continue
        pairs = list(zip(sentence.mentions, sentence.mentions[1:], strict=False))
        yield from _capitals(context, sentence, pairs)
        yield from _located(context, sentence, pairs)
        yield from _proposed(context, sentence)
        members = list(_members(context, sentence))
        yield from members
        yield from _observers(context, sentence, last_members)
        yield from _other_members(context, sentence, last_organization)
        last_members = str(members[0].fields["object"]) if members else None
        named = [m.entity for m in sentence.mentions if m.entity
                 and _typed(context, m, ("IntergovernmentalOrganization",))]
        last_organization = named[-1] if named else last_organization
        for mention in sentence.mentions:
            yield from _units(context, sentence, mention)


def _typed(context: RuleContext, mention: Mention, types: tuple[str, ...]) -> bool:
    return context.article.type_of(mention.entity) in types


def _capitals(context: RuleContext, sentence: Sentence,
              pairs: list[tuple[Mention, Mention]]) -> Iterator[Found]:
    for city, state in pairs:
        if _typed(context, city, ("Place",)) and _typed(context, state, ("State",)) and \
                _CAPITAL.fullmatch(sentence.between(city, state)):
            assert city.entity and state.entity
            yield _relation(city.entity, "capital-of", [state.entity], sentence, "capital-of")


def _located(context: RuleContext, sentence: Sentence,
             pairs: list[tuple[Mention, Mention]]) -> Iterator[Found]:
    dateline = context.article.metadata.dateline
    for outer, inner in pairs:
        if not (_typed(context, outer, _PLACES) and _typed(context, inner, ("Place",))):
            continue
        assert outer.entity and inner.entity
        if sentence.between(outer, inner) in _POSSESSIVE:
            yield _relation(inner.entity, "located-in", [outer.entity], sentence, "possessive")
    if dateline is not None and dateline.locator == sentence.locator and \
            len(sentence.mentions) >= 2:
        place, country = sentence.mentions[0], sentence.mentions[1]
        if _typed(context, place, ("Place",)) and _typed(context, country, ("State",)) and \
                sentence.between(place, country).strip() in (",", "/"):
            assert place.entity and country.entity
            yield _relation(place.entity, "located-in", [country.entity], sentence, "dateline")


def _proposed(context: RuleContext, sentence: Sentence) -> Iterator[Found]:
    mentions = sentence.mentions
    initiatives = [m for m in mentions if _typed(context, m, _INITIATIVES)]
    if not initiatives:
        return
    for index, mention in enumerate(mentions):
        found = context.agent_of(sentence, index)
        if found is None:
            continue
        agent = found[0]
        before = sentence.text[:mention.start]
        if _PROPOSED_BY.search(_after_titles(context, sentence, index, before)):
            named = [m.entity for m in initiatives if m.end <= mention.start and m.entity]
            if named:
                yield _relation(agent, "proposed", named, sentence, "proposed-by")
        elif index + 1 < len(mentions) and _PROPOSED.fullmatch(
                sentence.between(mention, mentions[index + 1])):
            named = [m.entity for m in initiatives if m.start > mention.end and m.entity]
            yield _relation(agent, "proposed", named, sentence, "proposed")


def _after_titles(context: RuleContext, sentence: Sentence, index: int, before: str) -> str:
    """The text before a name with the titles right before it left out ("proposed by
    Chinese President Xi" reads as "proposed by Xi")."""
    position = index
    while position > 0 and (sentence.mentions[position - 1].title is not None or _typed(
            context, sentence.mentions[position - 1], ("Post",))) and not sentence.between(
            sentence.mentions[position - 1], sentence.mentions[position]).strip():
        position -= 1
    return before[:sentence.mentions[position].start] if position != index else before


def _members(context: RuleContext, sentence: Sentence) -> Iterator[Found]:
    match = _MEMBERS.search(sentence.text)
    if match is None:
        return
    organizations = [m for m in sentence.mentions if m.end <= match.start() and _typed(
        context, m, ("IntergovernmentalOrganization",))]
    states = [m.entity for m in sentence.mentions
              if m.start >= match.end() and _typed(context, m, ("State",)) and m.entity]
    if organizations and states and organizations[-1].entity:
        for state in dict.fromkeys(states):
            yield _relation(state, "member-of", [organizations[-1].entity], sentence,
                            "member-states")


def _units(context: RuleContext, sentence: Sentence, mention: Mention) -> Iterator[Found]:
    """``unit-of`` for a unit whose name holds the organization it belongs to (the
    longest one named within it), and again within that organization's name; a post's
    name is searched for units the same way."""
    if mention.entity is None or not _typed(context, mention, ("OrganizationalUnit", "Post")):
        return
    inner = [m for m in context.matcher.nested(mention)
             if _typed(context, m, tuple(ORGANIZATION_TYPES))]
    if not inner:
        return
    if _typed(context, mention, ("OrganizationalUnit",)):
        parent = max(inner, key=lambda m: m.end - m.start)
        assert parent.entity is not None
        yield _relation(mention.entity, "unit-of", [parent.entity], sentence, "unit-name")
        inner = [parent]
    for organization in inner:
        yield from _units(context, sentence, organization)


_OBSERVERS = re.compile(r"\bas (?:an )?observers?(?: states?| countr(?:y|ies))?\b"
                        r"|\bobserver (?:states|countries)\b")


def _observers(context: RuleContext, sentence: Sentence,
               last_members: str | None) -> Iterator[Found]:
    match = _OBSERVERS.search(sentence.text)
    if match is None:
        return
    organizations = [m.entity for m in sentence.mentions if m.end <= match.start() and m.entity
                     and _typed(context, m, ("IntergovernmentalOrganization",))]
    organization = organizations[-1] if organizations else last_members
    states = [m.entity for m in sentence.mentions if m.entity and _typed(context, m, ("State",))
              and (m.end <= match.start() if match.group().startswith("as ")
                   else m.start >= match.end())]
    if organization is not None:
        for state in dict.fromkeys(states):
            yield _relation(state, "observer-of", [organization], sentence, "observer-states")


_OTHER_MEMBERS = re.compile(r"\bother member (?:states|countries)\b|其他成员国")


def _other_members(context: RuleContext, sentence: Sentence,
                   last_organization: str | None) -> Iterator[Found]:
    """A state that works "with other member states" is a member itself."""
    match = _OTHER_MEMBERS.search(sentence.text)
    if match is None:
        return
    before = [m for m in sentence.mentions if m.end <= match.start() and m.entity]
    organizations = [m.entity for m in before
                     if _typed(context, m, ("IntergovernmentalOrganization",)) and m.entity]
    states = [m.entity for m in before if _typed(context, m, ("State",)) and m.entity]
    organization = organizations[-1] if organizations else last_organization
    if organization is None or len(set(states)) != 1:
        return
    todo = [] if organizations else [
        f"the organization is the one the article named last ({organization}): check"]
    yield _relation(states[0], "member-of", [organization], sentence, "other-members", todo)
