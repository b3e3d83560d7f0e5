"""Find the registry's names in a sentence: one pass of a multi-pattern matcher
(Aho-Corasick, from pyahocorasick) over the lower-cased text, kept where the match stands
on word boundaries (in scripts written with spaces) and, for names, in the case the
registry writes them (or in capitals, as datelines write places); the longest match wins.

An abbreviation in brackets right after the name it abbreviates ("Shanghai Cooperation
Organization (SCO) Zhang Ming") is read past, so that a title, its organization and a name
around it still match as one post.

>>> from pathlib import Path
>>> from kg.curation.registry import load_registry
>>> matcher = Matcher(Names.from_registry(load_registry(Path("data"))))
>>> [(m.text, m.entity) for m in matcher.find("Chinese Foreign Minister Qin Gang met Zhang Ming.")]
[('Chinese Foreign Minister', 'foreign-minister-of-china'), ('Qin Gang', 'qin-gang'), \
('Zhang Ming', 'zhang-ming')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from kg.extract.names import Name, Names

__all__ = ["Matcher", "Mention"]

#: An abbreviation in brackets: " (SCO)", " (CPC)", " (GSI)".
_ABBREVIATION = re.compile(r"\s\((?:[A-Z][A-Za-z.]*)(?:\s[A-Z][A-Za-z.]*)*\)(?=[\s,.;:])")


@dataclass(frozen=True)
class Mention:
    """A name found in a sentence: its offsets in the sentence, the text, and what it
    names. ``entity`` is None for a bare title (then ``title`` says which) and for a
    name several entities share (then ``candidates`` lists them)."""

    start: int
    end: int
    text: str
    how: str
    entity: str | None = None
    title: str | None = None
    candidates: tuple[str, ...] = ()


def _is_word(char: str) -> bool:
    return char.isalnum() and not is_ideograph(char)


def is_ideograph(char: str) -> bool:
    """Whether a character is of a script written without spaces (Chinese, Japanese)."""
    return "\u3040" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _lower(text: str) -> str:
    """Lower case of the same length (a character whose lower case is longer stays)."""
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


def _reduce(text: str) -> tuple[str, list[int]]:
    """The text without bracketed abbreviations, and each kept character's offset."""
    kept: list[int] = []
    pieces: list[str] = []
    last = 0
    for match in _ABBREVIATION.finditer(text):
        pieces.append(text[last:match.start()])
        kept.extend(range(last, match.start()))
        last = match.end()
    pieces.append(text[last:])
    kept.extend(range(last, len(text)))
    return "".join(pieces), kept


class Matcher:
    """Every pattern of a :class:`~kg.extract.names.Names`, in one automaton."""

    def __init__(self, names: Names):
        self._automaton = ahocorasick.Automaton()
        for key, found in names.patterns.items():
            self._automaton.add_word(key, (len(key), tuple(sorted(
                found, key=lambda n: (n.how, n.entity or "", n.written)))))
        if len(names):
            self._automaton.make_automaton()
        self._empty = not len(names)

    def _candidates(self, text: str) -> list[tuple[int, int, tuple[Name, ...]]]:
        """Every pattern that fits in ``text``, overlapping ones included."""
        if self._empty:
            return []
        candidates = []
        for end, (length, names) in self._automaton.iter(_lower(text)):
            start = end + 1 - length
            fitting = tuple(n for n in names if _fits(text, start, end + 1, n))
            if fitting:
                candidates.append((start, end + 1, fitting))
        return candidates

    def inside(self, mention: Mention) -> list[str]:
        """The entities named within a longer name: the state in "Chinese Foreign
        Minister", the city in "Samarkand Summit".

        >>> from pathlib import Path
        >>> from kg.curation.registry import load_registry
        >>> matcher = Matcher(Names.from_registry(load_registry(Path("data"))))
        >>> [matcher.inside(m) for m in matcher.find("The Samarkand Summit ended.")]
        [['samarkand']]
        """
        reduced, _ = _reduce(mention.text)
        found = [n.entity for start, end, names in self._candidates(reduced)
                 if (start, end) != (0, len(reduced)) for n in names
                 if n.entity is not None and n.entity != mention.entity]
        return list(dict.fromkeys(found))

    def nested(self, mention: Mention) -> list[Mention]:
        """The names within a longer name, as mentions of its own text: in "Executive
        Committee of the SCO RATS", "SCO RATS" (and not "SCO" inside it).

        >>> from pathlib import Path
        >>> from kg.curation.registry import load_registry
        >>> matcher = Matcher(Names.from_registry(load_registry(Path("data"))))
        >>> [[m.text for m in matcher.nested(m)] for m in matcher.find("SCO Secretariat")]
        [['SCO']]
        """
        return [m for m in self.find(mention.text, whole=False) if m.entity != mention.entity]

    def find(self, sentence: str, *, whole: bool = True) -> list[Mention]:
        """The names in ``sentence``, in order, none overlapping, the longest first;
        ``whole=False`` leaves out a name of the whole text."""
        reduced, offsets = _reduce(sentence)
        candidates = [c for c in self._candidates(reduced)
                      if whole or (c[0], c[1]) != (0, len(reduced))]
        chosen: list[tuple[int, int, tuple[Name, ...]]] = []
        taken = [False] * len(reduced)
        for start, end, names in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                chosen.append((start, end, names))
        return [_mention(sentence, offsets[s], offsets[e - 1] + 1, names)
                for s, e, names in sorted(chosen)]


def _fits(text: str, start: int, end: int, name: Name) -> bool:
    first, last = name.written[0], name.written[-1]
    if _is_word(first) and start > 0 and _is_word(text[start - 1]):
        return False
    if _is_word(last) and end < len(text) and _is_word(text[end]):
        return False
    if not name.exact:
        return True
    written = text[start:end]
    return written == name.written or (len(written) > 3 and written == name.written.upper())


def _mention(sentence: str, start: int, end: int, names: tuple[Name, ...]) -> Mention:
    text = sentence[start:end]
    entities = sorted({n.entity for n in names if n.entity is not None})
    best = sorted(names, key=lambda n: (n.entity is None, n.how))[0]
    if len(entities) > 1:
        return Mention(start, end, text, "ambiguous", candidates=tuple(entities))
    if not entities:
        return Mention(start, end, text, "title", title=best.title)
    return Mention(start, end, text, best.how, entities[0])
