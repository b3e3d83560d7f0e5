"""Summaries are the curator's own words: a summary that repeats a run of the source's
words is refused.

The repository never holds the sources' sentences; a summary pasted from the article
would put them back. A run of :data:`MAX_SHARED_WORDS` or more words in a row, compared
case-insensitively and without punctuation, counts as copied; shorter runs are names and
set phrases ("the Shanghai Cooperation Organization").

>>> copied_run("He said China supports the SCO in playing a bigger role.",
...            "Said China supports the SCO in playing a bigger role in the region.")
'said china supports the sco in playing a bigger role'
>>> copied_run("Qin Gang met Zhang Ming.", "Met the SCO head in Beijing.") is None
True
"""

from __future__ import annotations

import re

from kg.curation.model import Source
from kg.curation.registry import Checker
from kg.curation.text import SourceText

__all__ = ["MAX_SHARED_WORDS", "check_summaries", "copied_run"]

#: The longest run of the source's words a summary may share.
MAX_SHARED_WORDS = 7
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def copied_run(text: str, summary: str) -> str | None:
    """The longest run of more than :data:`MAX_SHARED_WORDS` words that ``summary`` shares
    with ``text``, or None."""
    source, said = _words(text), _words(summary)
    size = MAX_SHARED_WORDS + 1
    if len(said) < size:
        return None
    grams = {tuple(source[i:i + size]) for i in range(len(source) - size + 1)}
    best: tuple[int, int] | None = None
    start = 0
    while start <= len(said) - size:
        if tuple(said[start:start + size]) in grams:
            end = start + size
            while end < len(said) and " ".join(said[start:end + 1]) in " ".join(source):
                end += 1
            if best is None or end - start > best[1] - best[0]:
                best = (start, end)
            start = end
        else:
            start += 1
    return " ".join(said[best[0]:best[1]]) if best is not None else None


def check_summaries(source: Source, text: SourceText, checker: Checker) -> None:
    """Refuse every fact of ``source`` whose summary copies a run of the text's words."""
    for fact in source.facts:
        summary = getattr(fact, "summary", None)
        if not isinstance(summary, str) or fact.where is None:
            continue
        run = copied_run(text.text, summary)
        if run is not None:
            count = len(run.split())
            checker.error(f"summary: {count} words in a row are the source's own "
                          f"(\"{run}\"): write the summary in your own words", fact.where)
