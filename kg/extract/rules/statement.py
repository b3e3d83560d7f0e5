"""Statements: a sentence in which a person of the registry speaks ("Qin said", ", Qin
said.", "said Xi", "According to Wang,", "秦刚表示", "Wang sagte"). "He added" and a Chinese
sentence that opens with a verb of speech go to the previous speaker, flagged. The speech
act is set only when the verb says it ("thanked" is thanks, "is ready to" intent); the one
thanked, congratulated or urged ("thanked the Kazakh Minister of Foreign Affairs Murat
Nurtleu", "感谢中方") is the addressee; the topics are the entities
the sentence names; the summary is left for the analyst to write in their own words. A
statement is dated by its own sentence's day, else by the meeting the article reports,
else by the dateline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.curation.model import AGENT_TYPES
from kg.extract.article import Sentence
from kg.extract.found import Found
from kg.extract.lexicon import ADDRESSED_VERBS, SPEECH_ACTS, SPEECH_VERBS
from kg.extract.mentions import Mention
from kg.extract.rules.context import RuleContext, day_of

NAME = "statement"

_PRONOUN = re.compile(r"^(?:He|She|Er|Sie)\b")
_ACCORDING = re.compile(r"(?:According|according) to\s*$")
#: A cue in Chinese script, which has no word boundaries.
_IDEOGRAPHS = re.compile("[\u3040-\u9fff]")
#: What may stand between a verb of thanks and the name of the one thanked.
_LEAD_IN = re.compile(r"\s*(?:the\s+)?")


def _verbs(language: str) -> re.Pattern[str]:
    words = sorted(SPEECH_VERBS.get(language, ()), key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    if language == "zh":
        return re.compile(f"(?:{alternatives})")
    return re.compile(rf"\b(?:{alternatives})\b")


def _speaker(context: RuleContext, sentence: Sentence,
             verbs: re.Pattern[str]) -> Mention | None:
    """The speaker named right before a verb of speech, right after "said", or after
    "according to"."""
    for mention in sentence.mentions:
        if context.article.type_of(mention.entity) not in AGENT_TYPES:
            continue
        if verbs.match(sentence.text, mention.end + _gap(sentence.text, mention.end)) or \
                re.search(r"\bsaid\s*$", sentence.text[:mention.start]) or \
                _ACCORDING.search(sentence.text[:mention.start]):
            return mention
    return None


def _gap(text: str, position: int) -> int:
    """How many characters of blank and "also" stand between a name and its verb."""
    gap = re.match(r"\s*(?:also\s+)?", text[position:])
    return gap.end() if gap else 0


def _act(sentence: Sentence) -> str | None:
    """The speech act when the sentence's words give exactly one ("thanked", "expressed
    the hope"); None when they give none or several."""
    acts = {act for cue, act in SPEECH_ACTS.items()
            if re.search(re.escape(cue) if _IDEOGRAPHS.match(cue) else
                         rf"(?<!\w){re.escape(cue)}(?!\w)", sentence.text, re.IGNORECASE)}
    return acts.pop() if len(acts) == 1 else None


def find(context: RuleContext) -> Iterator[Found]:
    """The statements of an article."""
    verbs = _verbs(context.article.language)
    previous: str | None = None
    for sentence in context.article.sentences:
        if sentence.repeated:
            continue
        mention = _speaker(context, sentence, verbs)
        todo: list[str] = []
        speaker = mention.entity if mention is not None else None
        if speaker is None:
            if not _opens_with_speech(sentence, verbs, context.article.language) or \
                    previous is None:
                continue
            speaker = previous
            todo.append(f"the speaker is taken from the sentence before ({previous}): check")
        previous = speaker
        yield _statement(context, sentence, speaker, todo)


def _opens_with_speech(sentence: Sentence, verbs: re.Pattern[str], language: str) -> bool:
    """Whether a sentence speaks without naming its speaker: "He added that", or a Chinese
    sentence that opens with its verb."""
    if language == "zh":
        return verbs.match(sentence.text) is not None
    pronoun = _PRONOUN.match(sentence.text)
    return pronoun is not None and verbs.match(
        sentence.text, pronoun.end() + _gap(sentence.text, pronoun.end())) is not None


def _statement(context: RuleContext, sentence: Sentence, speaker: str,
               todo: list[str]) -> Found:
    topics = [e for e in sentence.entities()
              if e != speaker and context.article.type_of(e) not in ("Post", None)]
    meeting = context.only_meeting()
    date = None if sentence.future else day_of(sentence)
    if date is None and meeting is not None and meeting.fields.get("date"):
        date = str(meeting.fields["date"])
    fields: dict[str, object] = {"speaker": speaker, "date": date or context.anchor_day(),
                                 "act": _act(sentence), "topics": topics,
                                 "addressee": _addressee(context, sentence, speaker)}
    todo.append("write the summary in your own words (never the article's)")
    if not topics:
        todo.append("the sentence names no entity of the registry: give the topics")
    if fields["act"] is None:
        todo.append("choose the speech act (assessment, intent, praise, hope, ...)")
    return Found("statement", fields, [sentence.locator], "statement/speech-verb", todo,
                 key=(speaker, sentence.locator))


def _addressee(context: RuleContext, sentence: Sentence, speaker: str) -> str | None:
    """The agent right after a verb of thanks, congratulation or urging, past the titles
    and posts before its name ("thanked the Kazakh Minister of Foreign Affairs Murat
    Nurtleu" is Nurtleu; "thanked China" China)."""
    language = context.article.language
    for verb in ADDRESSED_VERBS.get(language, ()):
        pattern = verb if language == "zh" else rf"\b{verb}\b"
        found = re.search(pattern, sentence.text)
        if found is None:
            continue
        position = found.end()
        for mention in sentence.mentions:
            if mention.start < position:
                continue
            if not _LEAD_IN.fullmatch(sentence.text[position:mention.start]):
                return None
            kind = context.article.type_of(mention.entity)
            if kind in AGENT_TYPES and mention.entity != speaker:
                return mention.entity
            if kind != "Post" and mention.title is None:
                return None
            position = mention.end
        return None
    return None
