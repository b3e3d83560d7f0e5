"""What the rules share: the article, the facts found so far, and small readings of a
sentence that several rules make (its people, its day, the place it names).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from kg.curation.model import AGENT_TYPES
from kg.extract.article import Article, Sentence
from kg.extract.dates import DateMention
from kg.extract.found import Found
from kg.extract.mentions import Matcher, Mention
from kg.extract.names import Names, holders_of

__all__ = ["RuleContext", "day_of", "event_date", "place_of"]

#: Types that may be the place of an event, from the most specific.
_PLACE_RANK = {"Place": 2, "State": 1, "Region": 1}
_THE = re.compile(r"(?:^|\s)(?:the|The)\s+$")
#: "the Kazakhstani official": what a demonym with "the" may describe.
_OFFICIAL = re.compile(r"\s+(?:official|minister|diplomat|leader|envoy|top diplomat)\b")
_BEFORE_PLACE = re.compile(r"(?:\b(?:in|at|im)(?: the)?|在)\s*$")


@dataclass
class RuleContext:
    """An article and the facts the rules have found in it so far."""

    article: Article
    names: Names
    matcher: Matcher
    found: list[Found] = field(default_factory=list)

    def of_kind(self, kind: str) -> Iterator[Found]:
        """The facts of one kind found so far."""
        return (f for f in self.found if f.kind == kind)

    def meeting_at(self, locator: str) -> Found | None:
        """The meeting a sentence reports, if a rule found one there."""
        return next((f for f in self.of_kind("event") if locator in f.evidence), None)

    def only_meeting(self) -> Found | None:
        """The article's meeting when it reports exactly one that happened."""
        done = [f for f in self.of_kind("event") if f.fields.get("status") != "planned"
                and f.rule.startswith("meeting/")]
        return done[0] if len(done) == 1 else None

    def people(self, sentence: Sentence) -> list[Mention]:
        """The mentions of people of the registry, in order."""
        return [m for m in sentence.mentions
                if m.entity is not None and self.article.type_of(m.entity) == "Person"]

    def holder(self, post: str) -> str | None:
        """The one person the article's holdings found so far give for a post."""
        return self._one_holder(lambda held: held == post)

    def agent_of(self, sentence: Sentence, index: int) -> tuple[str, int] | None:
        """The agent a mention names, and where the words naming it end: an agent of the
        registry; for a post written with "the" and no name after it ("The Chinese
        president also proposed ..."), the one person the article says holds it; for "the
        Kazakhstani official", the one person the article says holds a post of that
        state."""
        mention = sentence.mentions[index]
        kind = self.article.type_of(mention.entity)
        definite = _THE.search(sentence.text[:mention.start]) is not None
        if mention.how == "demonym" and definite and mention.entity is not None and \
                (noun := _OFFICIAL.match(sentence.text, mention.end)) is not None:
            person = self._one_of_state(mention.entity)
            return (person, noun.end()) if person is not None else None
        if kind in AGENT_TYPES and mention.entity is not None:
            return mention.entity, mention.end
        if kind != "Post" or mention.entity is None or not definite:
            return None
        following = sentence.mentions[index + 1] if index + 1 < len(sentence.mentions) else None
        if following is not None and not sentence.between(mention, following).strip():
            return None   # "the Chinese President Xi Jinping": the name is there
        holder = self.holder(mention.entity)
        return (holder, mention.end) if holder is not None else None

    def _one_of_state(self, state: str) -> str | None:
        """The one person the article's holdings give a post of ``state``."""
        return self._one_holder(lambda held: state in holders_of(held, self.article.entities))

    def _one_holder(self, of: Callable[[str], bool]) -> str | None:
        """The one person the article's holdings (not designations) give a post ``of``
        accepts; None when they give none or several."""
        people = {str(f.fields["person"]) for f in self.of_kind("holding")
                  if f.fields.get("status") != "designated" and of(str(f.fields.get("post")))}
        return people.pop() if len(people) == 1 else None

    def bodies_of(self, person: str) -> set[str]:
        """The bodies and states of the posts the article's holdings give a person."""
        return {body for f in self.of_kind("holding") if f.fields.get("person") == person
                for body in holders_of(str(f.fields.get("post")), self.article.entities)}

    def propose(self, name: str, kind: str, locator: str, rule: str,
                post_in: str | None = None) -> str:
        """Propose an entity the registry lacks, known to the rules from now on."""
        proposer = self.article.proposer
        key = proposer.propose(name, kind, locator, rule, post_in)
        self.article.entities[key] = proposer.entity(proposer.proposals[key])
        return key

    def anchor_day(self) -> str | None:
        """The article's dateline (or capture or publication) day, ISO."""
        anchor = self.article.anchor
        return anchor.isoformat() if anchor is not None else None


def day_of(sentence: Sentence) -> str | None:
    """The first full day the sentence gives (not a range's month), None when none."""
    for date in sentence.dates:
        if date.value is not None and len(date.value) == 10:
            return date.value
    return None


def event_date(date: DateMention) -> tuple[str | None, list[str], str | None]:
    """An event's date from a date of the text, what to check, and its first day: a
    stay of several days is dated by its month (an event has one date)."""
    if date.end_value is not None and date.end_value != date.value and date.value:
        return date.value[:7], [f"the text gives {date.text!r}: an event has one date, so the "
                                "month is written; give the day if one is meant"], date.value
    return date.value, [], date.value if date.value and len(date.value) == 10 else None


def place_of(context: RuleContext, sentence: Sentence) -> tuple[str | None, int]:
    """The place a sentence puts its event in ("in Beijing", "at the Great Hall of the
    People", "在北京"), with its rank (a building or city over a state); a place after
    "X's" ("India's Goa") is taken over X."""
    best: tuple[str | None, int] = (None, 0)
    mentions = sentence.mentions
    for index, mention in enumerate(mentions):
        kind = context.article.type_of(mention.entity)
        if kind not in _PLACE_RANK or not _BEFORE_PLACE.search(
                sentence.text[:mention.start]):
            continue
        chosen, rank = mention, _PLACE_RANK[kind]
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if following is not None and sentence.between(mention, following) in (
                "'s ", "\u2019s ") and context.article.type_of(following.entity) == "Place":
            chosen, rank = following, 2
        if sentence.text[:mention.start].rstrip().endswith("at the") or \
                sentence.text[:mention.start].rstrip().endswith("at"):
            rank += 1
        if rank > best[1]:
            best = (chosen.entity, rank)
    return best
