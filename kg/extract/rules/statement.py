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
from kg.extract.lexicon import ADDRESSED_VERBS, SPEECH_ACTS, SPEECH_VERBS, words_pattern
from kg.extract.mentions import is_ideograph
from kg.extract.rules.context import RuleContext, day_of

NAME = "statement"

_PRONOUN = re.compile(r"^(?:He|She|Er|Sie)\b")
_ACCORDING = re.compile(r"(?:According|according) to\s*$")
#: ", he said", "” she added": a pronoun speaking after a quotation or a clause.
_PRONOUN_SAID = re.compile(r"[,\"\u201d]\s*(?:he|she) (?:said|added|noted|stressed)\b")
#: The marks a quotation opens with.
_OPENING_QUOTES = ("\"", "\u201c", "\u201e")
#: German verbs in the subjunctive of reported speech (Konjunktiv I, and "würde(n)").
_SUBJUNCTIVE = re.compile(r"\b(?:sei|seien|habe|werde|solle|sollen|wolle|könne|müsse|dürfe|"
                          r"sehe|gebe|stehe|bleibe|würde|würden)\b")
#: What may stand between a verb of thanks and the name of the one thanked.
_LEAD_IN = re.compile(r"\s*(?:the\s+)?")


def _speaker(context: RuleContext, sentence: Sentence,
             verbs: re.Pattern[str]) -> str | None:
    """The speaker named right before a verb of speech, right after "said", or after
    "according to" (also as "the Chinese president": :meth:`RuleContext.agent_of`)."""
    for index, mention in enumerate(sentence.mentions):
        named = context.agent_of(sentence, index)
        if named is None:
            continue
        agent, end = named
        if context.article.language == "zh":
            end = _past_titles(context, sentence, index)
        if verbs.match(sentence.text, end + _gap(sentence.text, end)) or \
                re.search(r"\bsaid\s*$", sentence.text[:mention.start]) or \
                _ACCORDING.search(sentence.text[:mention.start]):
            return agent
    return None


def _past_titles(context: RuleContext, sentence: Sentence, index: int) -> int:
    """Where a Chinese name's titles after it end ("萨布里外长", "张明秘书长")."""
    end = sentence.mentions[index].end
    for following in sentence.mentions[index + 1:]:
        if following.start != end or not (following.title is not None or context.article
                                          .type_of(following.entity) == "Post"):
            break
        end = following.end
    return end


def _gap(text: str, position: int) -> int:
    """How many characters of blank and "also" stand between a name and its verb."""
    gap = re.match(r"\s*(?:also\s+)?", text[position:])
    return gap.end() if gap else 0


def _act(sentence: Sentence) -> str | None:
    """The speech act when the sentence's words give exactly one ("thanked", "expressed
    the hope"); None when they give none or several."""
    acts = {act for cue, act in SPEECH_ACTS.items()
            if words_pattern([cue], "zh" if is_ideograph(cue[0]) else "",
                             ignore_case=True).search(sentence.text)}
    return acts.pop() if len(acts) == 1 else None


def find(context: RuleContext) -> Iterator[Found]:
    """The statements of an article."""
    language = context.article.language
    verbs = words_pattern(SPEECH_VERBS.get(language, ()), language)
    previous: str | None = None
    spoke_last = False   # whether the sentence before was a statement
    for sentence in context.article.sentences:
        if sentence.repeated:
            continue
        speaker = _speaker(context, sentence, verbs)
        todo: list[str] = []
        if speaker is None:
            if previous is None or not (
                    _opens_with_speech(sentence, verbs, language)
                    or _PRONOUN_SAID.search(sentence.text)
                    or (spoke_last and _goes_on(sentence, language))):
                spoke_last = False
                continue
            speaker = previous
            todo.append(f"the speaker is taken from the sentence before ({previous}): check")
        previous, spoke_last = speaker, True
        yield _statement(context, sentence, speaker, todo)


def _goes_on(sentence: Sentence, language: str) -> bool:
    """Whether a sentence right after a statement goes on with it: a quotation of its own
    ("I hope that ..."), or, in German, reported speech in the subjunctive ("China sehe
    ...", "Die SCO solle ...")."""
    text = sentence.text.lstrip()
    if text[:1] in _OPENING_QUOTES:
        return True
    return language == "de" and _SUBJUNCTIVE.search(text) is not None


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
    """The agent right after the first verb of thanks, congratulation or urging, past the
    titles and posts before its name ("thanked the Kazakh Minister of Foreign Affairs
    Murat Nurtleu" is Nurtleu; "thanked China" China)."""
    language = context.article.language
    verb = words_pattern(ADDRESSED_VERBS.get(language, ()), language).search(sentence.text)
    if verb is None:
        return None
    position = verb.end()
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
