"""Summaries are the curator's own words: a summary that repeats a run of the source's
words is refused.

The repository never holds the sources' sentences; a summary pasted from the article
would put them back. A run of more than :data:`MAX_SHARED_WORDS` words in a row,
compared case-insensitively and without punctuation, counts as copied. Names of the
registry's entities count as one word each, so a summary may name "the 23rd meeting of
the SCO Council of Heads of State" as the text does; shorter runs are set phrases.

>>> copied_run("He said China will firmly support the SCO in playing a bigger role.",
...            "Said China will firmly support the SCO in playing a bigger role there.")
'said china will firmly support the sco in playing a bigger role'
>>> copied_run("Qin Gang met Zhang Ming.", "Met the SCO head in Beijing.") is None
True
>>> copied_run("The talks between Ann Lee and Bo Ma in Kestra went well for trade.",
...            "Hoped the talks between Ann Lee and Bo Ma in Kestra help trade.",
...            names=("Ann Lee", "Bo Ma", "Kestra")) is None
True
"""

from __future__ import annotations

import re

from kg.curation.model import Entity, Source
from kg.curation.registry import Checker
from kg.curation.text import SourceText

__all__ = ["MAX_SHARED_WORDS", "NameIndex", "check_summaries", "copied_run"]

#: The longest run of the source's words a summary may share (names counting as one).
MAX_SHARED_WORDS = 11
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str, names: re.Pattern[str] | None) -> list[str]:
    if names is not None:
        text = names.sub(lambda m: " " + m.group(0).replace(" ", "_") + " ", text)
    return [w.casefold() for w in _WORD.findall(text)]


class NameIndex:
    """The names of several words, found in a text without trying each one.

    A name whose case-folded form occurs in a case-folded text has its first space at a
    space of the text: the index keeps each name under the case-folded words before its
    first space, so a text is searched at its spaces only, whatever the registry's size.

    >>> index = NameIndex(("Ann Lee", "Bo Ma", "Kestra", "Lee Bo"))
    >>> sorted(index.used_in("ANN LEE met bo mann."))
    ['Ann Lee', 'Bo Ma']
    """

    def __init__(self, names: tuple[str, ...]):
        self._by_head: dict[str, list[tuple[str, str]]] = {}
        for name in dict.fromkeys(n for n in names if " " in n):
            folded = name.casefold()
            space = folded.index(" ")
            self._by_head.setdefault(folded[:space], []).append((folded[space:], name))
        self._lengths = sorted({len(head) for head in self._by_head})

    def used_in(self, text: str) -> set[str]:
        """The names of several words whose case-folded form occurs in ``text``'s
        (as ``{n for n in names if " " in n and n.casefold() in text.casefold()}``)."""
        folded = text.casefold()
        found: set[str] = set()
        by_head = self._by_head
        space = folded.find(" ")
        while space >= 0:
            for length in self._lengths:
                if length > space:
                    break
                for tail, name in by_head.get(folded[space - length:space], ()):
                    if folded.startswith(tail, space):
                        found.add(name)
            space = folded.find(" ", space + 1)
        return found


def _names_pattern(names: tuple[str, ...] | NameIndex, summary: str) -> re.Pattern[str] | None:
    """A pattern of the names of several words that the summary uses (only those: a
    pattern of every name of a large registry would be slow on every text)."""
    index = names if isinstance(names, NameIndex) else NameIndex(names)
    usable = sorted(index.used_in(summary), key=len, reverse=True)
    if not usable:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in usable) + r")\b",
                      re.IGNORECASE)


def copied_run(text: str, summary: str, names: tuple[str, ...] | NameIndex = ()) -> str | None:
    """The longest run of more than :data:`MAX_SHARED_WORDS` words that ``summary`` shares
    with ``text`` (each of ``names`` counting as one word), or None."""
    if len(_WORD.findall(summary)) <= MAX_SHARED_WORDS:
        return None  # too short to copy a run, even with no name in it
    pattern = _names_pattern(names, summary)
    source, said = _words(text, pattern), _words(summary, pattern)
    size = MAX_SHARED_WORDS + 1
    if len(said) < size:
        return None
    grams = {tuple(source[i:i + size]) for i in range(len(source) - size + 1)}
    joined = " ".join(source)
    best: tuple[int, int] | None = None
    start = 0
    while start <= len(said) - size:
        if tuple(said[start:start + size]) in grams:
            end = start + size
            while end < len(said) and " ".join(said[start:end + 1]) in joined:
                end += 1
            if best is None or end - start > best[1] - best[0]:
                best = (start, end)
            start = end
        else:
            start += 1
    return " ".join(said[best[0]:best[1]]) if best is not None else None


#: The last registry's names (the registry, its size, the index): every source read
#: against one registry shares them.
_LAST_NAMES: list[tuple[dict[str, Entity], int, NameIndex]] = []


def _registry_names(entities: dict[str, Entity]) -> NameIndex:
    """The labels and aliases of every entity, indexed once per registry."""
    if _LAST_NAMES and _LAST_NAMES[0][0] is entities and _LAST_NAMES[0][1] == len(entities):
        return _LAST_NAMES[0][2]
    names = tuple(name for entity in entities.values()
                  for name in (*entity.labels.values(), *(a for aliases in
                                                          entity.aliases.values()
                                                          for a in aliases)))
    index = NameIndex(names)
    _LAST_NAMES[:] = [(entities, len(entities), index)]
    return index


def check_summaries(source: Source, text: SourceText, checker: Checker) -> None:
    """Refuse every fact of ``source`` whose summary copies a run of the text's words."""
    summaries = [(fact.where, summary) for fact in source.facts
                 if isinstance(summary := getattr(fact, "summary", None), str)
                 and fact.where is not None]
    if not summaries:
        return
    names = _registry_names(checker.entities)
    for where, summary in summaries:
        run = copied_run(text.text, summary, names)
        if run is not None:
            count = len(run.split())
            checker.error(f"summary: {count} words in a row are the source's own "
                          f"(\"{run}\"): write the summary in your own words", where)
