"""The words the extraction rules know, by language: demonyms, titles of posts, and the
verbs of meetings and speech, and the words of the future tense.

Everything here is language, not facts: which state "Chinese" names, that "Minister of
Foreign Affairs" is the title "Foreign Minister", that "thanked" is the speech act
``thanks``. Facts about entities (who holds which post, which state is in which
organization) come only from the registry and the text.

>>> DEMONYMS["en"]["Chinese"], DEMONYMS["en"]["Brazilian"], DEMONYMS["de"]["chinesisch"]
('China', 'Brazil', 'China')
>>> TITLES["en"]["Minister of Foreign Affairs"]
'Foreign Minister'
>>> SPEECH_ACTS["thanked"]
'thanks'
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

__all__ = ["ADDRESSED_VERBS", "BODIES", "DEMONYMS", "FUTURE_WORDS", "GERMAN_ENDINGS",
           "MEETING_VERBS", "PHONE_WORDS", "SPEECH_ACTS", "SPEECH_VERBS", "TITLES",
           "words_pattern"]

#: The file of demonyms: language, demonym (German: the stem without its ending), and the
#: English name of the state it names; an adjective shared by two states is left out.
DEMONYMS_FILE = Path(__file__).with_name("demonyms.tsv")


def _read_demonyms(path: Path) -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            table.setdefault(row["language"], {})[row["demonym"]] = row["state"]
    return table


#: Demonyms and "side" words, by language, with the English name of the state they name
#: (a registry state is matched by its English label or aliases).
DEMONYMS: dict[str, dict[str, str]] = _read_demonyms(DEMONYMS_FILE)
#: The endings a German adjective takes ("chinesischer Außenminister").
GERMAN_ENDINGS = ("e", "er", "en", "es", "em")

#: Titles as written, by language, with the title of the registry's post labels
#: ("Foreign Minister of China" has the title "Foreign Minister").
TITLES: dict[str, dict[str, str]] = {
    "en": {
        "Foreign Minister": "Foreign Minister", "Minister of Foreign Affairs": "Foreign Minister",
        "Foreign Affairs Minister": "Foreign Minister", "FM": "Foreign Minister",
        "External Affairs Minister": "External Affairs Minister",
        "Minister of External Affairs": "External Affairs Minister",
        "Deputy Prime Minister": "Deputy Prime Minister", "Prime Minister": "Prime Minister",
        "President": "President", "State Councilor": "State Councilor",
        "Secretary-General": "Secretary-General", "Secretary General": "Secretary-General",
        "Secretary of State": "Secretary of State", "Spokesperson": "Spokesperson",
        "spokesperson": "Spokesperson", "Spokesman": "Spokesperson",
        "Spokeswoman": "Spokesperson", "General Secretary": "General Secretary",
        "Director": "Director", "Member": "Member", "Chief Minister": "Chief Minister",
        "Chairman": "Chairman", "Vice President": "Vice President",
    },
    "de": {
        "Außenminister": "Foreign Minister", "Generalsekretär": "Secretary-General",
        "Präsident": "President", "Staatspräsident": "President",
        "Ministerpräsident": "Prime Minister", "Premierminister": "Prime Minister",
        "Staatsrat": "State Councilor", "Mitglied": "Member",
    },
    "zh": {},   # Chinese post names are registry labels as they stand ("外长", "国务委员")
}

#: The kinds of government body, as their registry labels begin ("Ministry of Foreign
#: Affairs of China"), with the ways news writes them before or after the state's name
#: ("Chinese foreign ministry", "the Kazakh MFA").
BODIES: dict[str, tuple[str, ...]] = {
    "Ministry of Foreign Affairs": ("foreign ministry", "Foreign Ministry", "MFA",
                                    "Ministry of Foreign Affairs"),
}

#: Verbs and phrases that report a meeting, by language.
MEETING_VERBS: dict[str, tuple[str, ...]] = {
    "en": ("met with", "met", "meets with", "meets", "meet with", "will meet",
           "held talks with", "holds talks with", "hold talks with",
           "is having a meeting with", "had a meeting with", "held a meeting with",
           "holds a meeting with", "is meeting with", "talked with", "conferred with",
           "had talks with", "held consultations with", "compared notes", "synchronized watches",
           "synchronised watches",
           *(f"{verb} {call} with" for verb in ("held", "holds", "hold", "had", "has")
             for call in ("phone talks", "telephone talks", "a phone call",
                          "a telephone conversation")),
           *(f"{verb} {how} with" for verb in ("spoke", "speaks", "talked", "talks")
             for how in ("by phone", "by telephone", "on the phone", "over the phone"))),
    "de": ("getroffen", "trifft", "traf", "empfangen", "empfing", "Gespräche geführt",
           "telefoniert", "telefonierte"),
    "zh": ("会见", "会谈", "见了", "举行会谈", "通电话", "通话"),
}

#: Words that say a meeting was held by telephone, by language.
PHONE_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("phone", "telephone"), "de": ("telefoniert", "telefonierte", "Telefonat"),
    "zh": ("通电话", "通话"),
}

#: Words that put a sentence in the future: what it tells is planned, not done.
FUTURE_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("will", "to be held", "slated", "scheduled", "is set to", "plans to", "next"),
    "de": ("wird", "werden", "soll", "sollen", "nächste"),
    "zh": ("将", "将于", "即将"),
}

#: Verbs that report speech, by language: "X said", "X sagte", "X表示".
SPEECH_VERBS: dict[str, tuple[str, ...]] = {
    "en": ("said", "says", "added", "stressed", "noted", "told", "stated", "announced",
           "pointed out", "expressed", "urged", "called for", "thanked", "praised",
           "lauded", "welcomed", "congratulated", "hoped", "reaffirmed", "tweeted"),
    "de": ("sagte", "erklärte", "betonte", "fügte hinzu", "sagt"),
    "zh": ("表示", "指出", "强调", "说", "感谢", "介绍", "高度评价", "赞赏"),
}

#: Verbs whose speech act is clear without reading further; any other verb leaves the act
#: for the analyst.
SPEECH_ACTS: dict[str, str] = {
    "thanked": "thanks", "thanks": "thanks", "praised": "praise", "lauded": "praise",
    "welcomed": "welcome", "congratulated": "congratulation", "called for": "call",
    "urged": "call", "hoped": "hope", "expressed the hope": "hope", "expressed his hope": "hope",
    "lauding": "praise", "praising": "praise", "感谢": "thanks", "高度评价": "praise",
    "赞赏": "praise",
    "is ready to": "intent", "are ready to": "intent", "stands ready to": "intent",
    "is willing to": "intent", "are willing to": "intent",
}
#: Verbs whose object is the statement's addressee ("thanked X", "congratulated X"), by
#: language.
ADDRESSED_VERBS: dict[str, tuple[str, ...]] = {
    "en": ("thanked", "thanks", "congratulated", "congratulates", "urged", "urges"),
    "de": ("dankte", "gratulierte"),
    "zh": ("感谢", "祝贺"),
}


def words_pattern(words: Iterable[str], language: str, *, ignore_case: bool = False
                  ) -> re.Pattern[str]:
    """A pattern finding any of ``words`` as whole words, the longest first; Chinese,
    written without spaces, as it stands. Made once for each word list.

    >>> words_pattern(["met", "met with"], "en").search("They met withdrawn").group()
    'met'
    >>> words_pattern(["会见"], "zh").search("秦刚会见张明") is not None
    True
    >>> words_pattern([], "ru").search("any text") is None
    True
    """
    return _pattern(tuple(words), language == "zh", ignore_case)


@cache
def _pattern(words: tuple[str, ...], spaceless: bool, ignore_case: bool) -> re.Pattern[str]:
    if not words:
        return re.compile(r"(?!)")   # no words (a language the lexicon lacks): no match
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    body = f"(?:{alternatives})" if spaceless else rf"(?<!\w)(?:{alternatives})(?!\w)"
    return re.compile(body, re.IGNORECASE if ignore_case else 0)
