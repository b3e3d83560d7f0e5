"""An article as the rules see it: its metadata, and each sentence with its locator, the
registry names found in it (:mod:`kg.extract.mentions`), its dates
(:mod:`kg.extract.dates`) and whether it tells of the future.

Sentences are those of the project's splitter (:class:`kg.curation.text.SourceText`) under
the paragraph rule that fits the text, so every locator is one ``kg build`` accepts. A
paragraph that repeats an earlier one word for word (a photo caption printed twice) is
marked, so that evidence cites the first.

A person named in full may later be named by one part of the name ("Qin" after "Qin
Gang"): :func:`read_article` links such a part when exactly one person named so far has
it, and marks it ambiguous when several have ("Wang" after Wang Yi and Wang Wenbin).
"The secretariat" is the SCO Secretariat in an article that names the SCO (the one unit
whose name is an organization the article names and that word).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.curation.model import Entity
from kg.curation.text import SourceText, numbered
from kg.dates import iso_date
from kg.extract.dates import DateMention, find_dates
from kg.extract.found import Proposal
from kg.extract.lexicon import FUTURE_WORDS, words_pattern
from kg.extract.mentions import Matcher, Mention, is_ideograph
from kg.extract.metadata import Metadata, read_metadata
from kg.extract.proposals import Proposer

__all__ = ["Article", "Sentence", "read_article"]

#: A capture line's head (" date 2023-04-20 "): its date is the capture's, no event's.
_CAPTURE = re.compile(r"\s*date \d{4}-\d{2}-\d{2}\s")
_BRACKETED = re.compile(r"\s*\([A-Z][A-Za-z.]*\)")
_CAPITALISED = re.compile(r"(?<![\w\u00b7])[A-Z\u0400-\u042f][\w\u00b7'-]+")


@dataclass
class Sentence:
    """One sentence of the article and what was found in it."""

    locator: str
    paragraph: int
    text: str
    mentions: list[Mention]
    dates: list[DateMention]
    future: bool
    repeated: bool = False
    #: Entities named inside longer names ("China" in "Chinese Foreign Minister").
    nested: list[str] = field(default_factory=list)
    #: Problems found while reading it, for the analyst.
    notes: list[str] = field(default_factory=list)

    def entities(self) -> list[str]:
        """The ids of the entities named, in order, once each."""
        return list(dict.fromkeys(m.entity for m in self.mentions if m.entity is not None))

    def between(self, first: Mention, second: Mention) -> str:
        """The text between two mentions of this sentence, an abbreviation in brackets
        read past (as the matcher reads past it)."""
        return _BRACKETED.sub("", self.text[first.end:second.start])


@dataclass
class Article:
    """A source text read for extraction."""

    text: SourceText
    metadata: Metadata
    anchor: dt.date | None
    sentences: list[Sentence]
    #: The registry's entities and the article's proposed ones.
    entities: dict[str, Entity]
    proposer: Proposer

    @property
    def proposals(self) -> list[Proposal]:
        """The entities proposed for the registry, in the order first seen."""
        return list(self.proposer.proposals.values())

    @property
    def language(self) -> str:
        """The language of the text: ``en``, ``zh`` or ``de``."""
        return self.metadata.language

    def type_of(self, entity: str | None) -> str | None:
        """The registry type of an entity, None when unknown."""
        known = self.entities.get(entity or "")
        return known.type if known is not None else None


def _is_future(sentence: str, language: str) -> bool:
    return words_pattern(FUTURE_WORDS.get(language, ()), language).search(sentence) is not None


def _name_parts(entity: Entity) -> set[str]:
    """The parts of a person's names that may stand for the whole later on."""
    parts: set[str] = set()
    names = [*entity.labels.values(), *(a for aliases in entity.aliases.values() for a in aliases)]
    for name in names:
        pieces = re.split(r"[\s\u00b7]+", name.strip())
        if len(pieces) >= 2:
            parts.update(p for p in (pieces[0], pieces[-1]) if len(p) >= 2)
    return parts


def _back_references(sentences: list[Sentence], entities: Mapping[str, Entity]) -> None:
    """Link parts of names to the people named in full before them."""
    seen: dict[str, set[str]] = {}
    for sentence in sentences:
        for mention in sentence.mentions:
            entity = entities.get(mention.entity or "")
            if entity is not None and entity.type == "Person":
                for part in _name_parts(entity):
                    seen.setdefault(part, set()).add(entity.id)
        added = [_back_reference(sentence, match, seen)
                 for match in _CAPITALISED.finditer(sentence.text)
                 if not any(m.start <= match.start() < m.end for m in sentence.mentions)]
        added.extend(_ideograph_references(sentence, seen))
        sentence.mentions = sorted([*sentence.mentions, *(m for m in added if m)],
                                   key=lambda m: m.start)


def _unit_nouns(entities: Mapping[str, Entity], named: set[str]) -> dict[str, set[str]]:
    """The last word of each unit whose name is an organization of the article and that
    word ("SCO Secretariat" -> "secretariat", when the SCO is named), lower-cased."""
    names_of = {name: entity.id for entity in entities.values() if entity.id in named
                for name in (*entity.labels.values(),
                             *(a for aliases in entity.aliases.values() for a in aliases))}
    nouns: dict[str, set[str]] = {}
    for unit in entities.values():
        if unit.type != "OrganizationalUnit":
            continue
        for label in unit.labels.values():
            head, _, noun = label.rpartition(" ")
            if head in names_of and noun.isalpha():
                nouns.setdefault(noun.lower(), set()).add(unit.id)
            for name in names_of:   # scripts without spaces: 上海合作组织 + 秘书处
                if _is_ideographic(label) and label.startswith(name) and label != name:
                    nouns.setdefault(label[len(name):], set()).add(unit.id)
    return nouns


def _is_ideographic(text: str) -> bool:
    return all(map(is_ideograph, text))


def _definite_units(sentences: list[Sentence], entities: Mapping[str, Entity]) -> None:
    """Link "the secretariat" to the SCO Secretariat when the article names the SCO and no
    other organization of the registry has a secretariat the article could mean."""
    named = {m.entity for s in sentences for m in s.mentions if m.entity}
    for noun, units in _unit_nouns(entities, named).items():
        if len(units) != 1:
            continue
        pattern = re.compile(re.escape(noun) if _is_ideographic(noun)
                             else rf"(?<=\b[Tt]he ){noun}\b")
        for sentence in sentences:
            found = [Mention(m.start(), m.end(), m.group(0), "the-unit", next(iter(units)))
                     for m in pattern.finditer(sentence.text)
                     if not any(x.start <= m.start() < x.end for x in sentence.mentions)]
            sentence.mentions = sorted([*sentence.mentions, *found], key=lambda m: m.start)


def _back_reference(sentence: Sentence, match: re.Match[str],
                    seen: dict[str, set[str]]) -> Mention | None:
    people = seen.get(match.group(0))
    if not people:
        return None
    if len(people) == 1:
        return Mention(match.start(), match.end(), match.group(0), "surname", next(iter(people)))
    sentence.notes.append(f"{match.group(0)!r} may be any of {', '.join(sorted(people))}: "
                          "name the one meant")
    return Mention(match.start(), match.end(), match.group(0), "ambiguous",
                   candidates=tuple(sorted(people)))


def _ideograph_references(sentence: Sentence, seen: dict[str, set[str]]) -> list[Mention]:
    found = []
    for part, people in seen.items():
        if len(people) != 1 or not all("\u4e00" <= c <= "\u9fff" for c in part):
            continue
        for match in re.finditer(re.escape(part), sentence.text):
            if not any(m.start <= match.start() < m.end for m in sentence.mentions):
                found.append(Mention(match.start(), match.end(), part, "surname",
                                     next(iter(people))))
    return found


def _anchor(metadata: Metadata) -> dt.date | None:
    """The day the article's relative dates count from: its dateline, else its capture or
    publication day."""
    for value in (metadata.dateline.date if metadata.dateline else None,
                  metadata.capture_date, (metadata.published or "")[:10]):
        day = iso_date(value) if value else None
        if day is not None:
            return day
    return None


def read_article(text: str, entities: Mapping[str, Entity], matcher: Matcher, *,
                 published: str | None = None, publisher: str | None = None) -> Article:
    """Read an article's text: metadata, sentences, names, dates and back-references."""
    metadata = read_metadata(text, published=published, publisher=publisher)
    source = SourceText(text, paragraphs=metadata.paragraphs)
    anchor = _anchor(metadata)
    proposer = Proposer(entities, metadata.language)
    sentences = []
    for item in numbered(source):
        body = item.text
        mentions = matcher.find(body)
        if metadata.language != "zh":
            mentions = sorted([*mentions, *proposer.in_sentence(body, item.locator, mentions)],
                              key=lambda m: m.start)
        dateline = metadata.dateline
        skip = dateline.body_start if dateline and dateline.locator == item.locator else 0
        capture = _CAPTURE.match(body) if item.locator == "p1.s1" else None
        skip = max(skip, capture.end() if capture else 0)
        sentences.append(Sentence(
            item.locator, item.paragraph, body, mentions,
            [d for d in find_dates(body, anchor=anchor, language=metadata.language)
             if d.start >= skip],
            _is_future(body, metadata.language), item.paragraph in metadata.repeated,
            nested=[e for m in mentions if m.entity for e in matcher.inside(m)]))
    known = {**entities, **{p.id: proposer.entity(p) for p in proposer.proposals.values()}}
    _back_references(sentences, known)
    _definite_units(sentences, known)
    return Article(source, metadata, anchor, sentences, known, proposer)
