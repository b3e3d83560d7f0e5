"""Visits: "X will pay official visits to Kazakhstan and Tajikistan from May 18 to 21"
(each state a visit, with the stay's first and last day, ``planned`` in the future tense),
and "meets with visiting X in Beijing, capital of China" (a visit of X to the state of the
meeting's place, when the text names that state); "at the invitation of Kazakhstan's
Foreign Minister X" makes X the one who invited to the visit of Kazakhstan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.article import Sentence
from kg.extract.found import Found, merge
from kg.extract.rules.context import RuleContext

NAME = "visit"

_VISITS_TO = re.compile(r"\b(?:pay|paid|pays|make|made)\s+(?:an?\s+)?(?:official\s+|state\s+)?"
                        r"visits?\s+to\b|\bwill visit\b")
_VISITING = re.compile(r"\bvisiting\s+$")


def find(context: RuleContext) -> Iterator[Found]:
    """The visits of an article; each takes as ``invited_by`` the one at whose invitation
    the text says the visits are paid, when that person holds a post of the destination."""
    visits = merge(found for sentence in context.article.sentences if not sentence.repeated
                   for found in (*_visits_to(context, sentence), *_visiting(context, sentence)))
    for sentence in context.article.sentences:
        if not sentence.repeated:
            _invitations(context, sentence, visits)
    yield from visits


_INVITATION = re.compile(r"\bat the invitation of\b")


def _invitations(context: RuleContext, sentence: Sentence, visits: list[Found]) -> None:
    """For "at the invitation of Kazakhstan's Foreign Minister Murat Nurtleu and
    Tajikistan's ...": each person invites to the visit of the state they hold a post of."""
    match = _INVITATION.search(sentence.text)
    if match is None:
        return
    for person in (m.entity for m in context.people(sentence)
                   if m.start > match.end() and m.entity):
        bodies = context.bodies_of(person)
        for visit in visits:
            if visit.fields["destination"] in bodies and not visit.fields.get("invited_by"):
                visit.fields["invited_by"] = person
                if sentence.locator not in visit.evidence:
                    visit.evidence.append(sentence.locator)


def _range(sentence: Sentence) -> tuple[str | None, str | None]:
    for date in sentence.dates:
        if date.value is not None and len(date.value) == 10:
            return date.value, date.end_value or date.value
    return None, None


def _visits_to(context: RuleContext, sentence: Sentence) -> Iterator[Found]:
    match = _VISITS_TO.search(sentence.text)
    if match is None:
        return
    visitors = [m for m in context.people(sentence) if m.end <= match.start()]
    states = [m.entity for m in sentence.mentions if m.start >= match.end()
              and context.article.type_of(m.entity) == "State" and m.entity]
    if not visitors or not states:
        return
    start, end = _range(sentence)
    for state in dict.fromkeys(states):
        fields: dict[str, object] = {"visitor": visitors[0].entity, "destination": state,
                                     "start": start, "end": end}
        if sentence.future:
            fields["status"] = "planned"
        yield Found("visit", fields, [sentence.locator], "visit/visits-to",
                    key=(visitors[0].entity, state))


def _visiting(context: RuleContext, sentence: Sentence) -> Iterator[Found]:
    people = context.people(sentence)
    visitors = [m for m in people if _VISITING.search(_before_titles(sentence, m.start))]
    if not visitors:
        return
    capitals = [f for f in context.of_kind("relation")
                if sentence.locator in f.evidence and f.fields["predicate"] == "capital-of"]
    states = [str(f.fields["object"]) for f in capitals]
    if len(set(states)) != 1:
        return
    yield Found("visit", {"visitor": visitors[0].entity, "destination": states[0]},
                [sentence.locator], "visit/visiting", key=(visitors[0].entity, states[0]))


def _before_titles(sentence: Sentence, start: int) -> str:
    """The text before a name, titles and demonyms right before it left out."""
    position = start
    for mention in reversed([m for m in sentence.mentions if m.end <= start]):
        if sentence.text[mention.end:position].strip():
            break
        if mention.title is None and mention.how not in ("post", "demonym", "label", "alias"):
            break
        position = mention.start
    return sentence.text[:position]
