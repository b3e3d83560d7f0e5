"""Names the registry lacks, proposed as new entities with a type guessed from the words
around them, never merged with a registry entity on likeness alone: a registry name close
to the proposal is offered as a suggestion for the analyst to take or leave.

- a person: capitalised words right after a title ("Foreign Minister Ana Lopez"), or
  before ", the <title>" / ", <title> of" ("Ana Lopez, the Foreign Minister of ...");
- an organization: capitalised words followed by their abbreviation in brackets
  ("the Andean Water Council (AWC)").

Scripts without capital letters (Chinese) get no proposals: the analyst adds their new
names by hand.

>>> slug("Ana María López")
'ana-maria-lopez'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

from kg.curation.model import Entity, Where
from kg.extract.found import Proposal
from kg.extract.mentions import Mention

__all__ = ["Proposer", "slug"]

_WORD = r"(?:[A-Z][a-z\u00e0-\u00ff]+(?:-[A-Z]?[a-z\u00e0-\u00ff]+)?)"
_PERSON = re.compile(rf"{_WORD}(?:\s+{_WORD}){{1,3}}")
_APPOSITION = re.compile(r",\s+(?:the\s+|a\s+|also\s+)?[A-Za-z -]*?(?:Minister|Secretary|"
                         r"President|Director|Ambassador|Spokesperson|spokesperson|Chairman|"
                         r"minister|secretary|president|director|ambassador|chairman)\b")
#: "Secretary-General of the Andean Water Council (AWC) " before a name.
_AFTER_BODY = re.compile(r"\b(?:Secretary-General|Secretary General|Director|Chairman|"
                         r"President|Head|Chair) of (?:the )?(?:[A-Z][\w-]*\s+(?:of\s+|for\s+|"
                         r"and\s+|the\s+)*)+\([A-Z]{2,8}\)\s+")
_ORGANIZATION = re.compile(rf"(?:{_WORD}|of|for|and|the)(?:\s+(?:{_WORD}|of|for|and|the))*"
                           r"\s+\((?P<abbr>[A-Z]{2,8})\)")
_NOT_NAMES = frozenset({"January", "February", "March", "April", "May", "June", "July",
                        "August", "September", "October", "November", "December", "Monday",
                        "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
                        "The", "He", "She", "It", "They", "On", "In", "At"})
#: A name found: its offsets, the name, the type guessed and the rule.
_Candidate = tuple[int, int, str, str, str]
#: How close a registry name must be to be offered as a suggestion (difflib's ratio).
SUGGESTION_CUTOFF = 0.75


def slug(name: str) -> str:
    """An id made of a name: ASCII, lower case, words joined by hyphens."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "entity"


class Proposer:
    """Collects the proposals of one article; each name is proposed once."""

    def __init__(self, entities: Mapping[str, Entity], language: str):
        self.entities = entities
        self.language = language
        self.proposals: dict[str, Proposal] = {}
        self._abbreviations: dict[str, str] = {}
        self._labels = {label: entity.id for entity in entities.values()
                        for label in entity.labels.values()}

    def in_sentence(self, text: str, locator: str, mentions: list[Mention]) -> list[Mention]:
        """Mentions of proposed entities in one sentence (none overlapping ``mentions``)."""
        found = [*self._people(text, mentions), *self._organizations(text, mentions)]
        taken = [(m.start, m.end) for m in mentions]
        kept = []
        for start, end, name, kind, rule in sorted(found):
            if name in self._labels or name.split()[0] in _NOT_NAMES:
                continue
            if all(end <= s or start >= e for s, e in taken):
                key = self.propose(name, kind, locator, rule)
                kept.append(Mention(start, end, name, "proposed", key))
                taken.append((start, end))
        return kept

    def propose(self, name: str, kind: str, locator: str, rule: str,
                post_in: str | None = None, key: str | None = None) -> str:
        """The id of the proposal for a name (made when new): ``key``, else the name's
        slug."""
        key = key or slug(name)
        while key in self.entities and self.proposals.get(key) is None:
            key += "-new"
        known = self.proposals.get(key)
        if known is None:
            abbreviation = self._abbreviations.get(name)
            known = Proposal(key, kind, name, self.language, [], rule, self._suggest(name),
                             post_in, [abbreviation] if abbreviation else [])
            self.proposals[key] = known
        if locator not in known.seen:
            known.seen.append(locator)
        return key

    def entity(self, proposal: Proposal) -> Entity:
        """A proposal as a registry entity, for the rules to use like the others."""
        return Entity(proposal.id, proposal.type, {"en": proposal.label}, Where("draft", 0),
                      post_in=proposal.post_in)

    def _suggest(self, name: str) -> list[str]:
        close = difflib.get_close_matches(name, list(self._labels), n=3,
                                          cutoff=SUGGESTION_CUTOFF)
        return [self._labels[label] for label in close]

    def _people(self, text: str, mentions: Iterable[Mention]) -> list[_Candidate]:
        found = []
        for mention in mentions:
            if (mention.title is not None or mention.how == "post") and \
                    text[mention.end:mention.end + 1] == " ":
                match = _PERSON.match(text, mention.end + 1)
                if match is not None:
                    found.append((match.start(), match.end(), match.group(0), "Person",
                                  "proposal/title-before"))
        for match in _AFTER_BODY.finditer(text):
            person = _PERSON.match(text, match.end())
            if person is not None:
                found.append((person.start(), person.end(), person.group(0), "Person",
                              "proposal/title-of-body-before"))
        for match in _PERSON.finditer(text):
            if _APPOSITION.match(text, match.end()):
                found.append((match.start(), match.end(), match.group(0), "Person",
                              "proposal/apposition"))
        return found

    def _organizations(self, text: str, mentions: Iterable[Mention]) -> list[_Candidate]:
        found = []
        for match in _ORGANIZATION.finditer(text):
            start, end = match.start(), match.start("abbr") - 2
            for mention in mentions:   # "Secretary-General of the ..." starts with a title
                if mention.start <= start < mention.end:
                    start = mention.end
            lead = re.match(r"(?:\s|\b(?:the|of|for|and)\b)+", text[start:end])
            start += lead.end() if lead else 0
            name = text[start:end].strip()
            if len(name.split()) >= 2 and name[0].isupper():
                self._abbreviations[name] = match.group("abbr")
                found.append((start, start + len(name), name, "Organization",
                              "proposal/abbreviation"))
        return found
