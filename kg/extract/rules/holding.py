"""Posts held: titles written right before a name ("Chinese State Councilor and Foreign
Minister Qin Gang", "国务委员兼外长秦刚") or right after it ("Zhang Ming, Secretary
General of the SCO"; "Wang, also a member of ..."). A chain of titles shares its state or
body ("State Councilor and Foreign Minister" of China). A bare title with no state or body
("External Affairs Minister S Jaishankar") is taken only when the registry has one post of
that title, and flagged. A holding is attested on the day its sentence gives, else on the
(first) day of the meeting the sentence reports, else on the article's dateline day;
"designated" before the titles makes it a designated successor.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.curation.model import ORGANIZATION_TYPES
from kg.extract.article import Sentence
from kg.extract.found import Found
from kg.extract.mentions import Mention
from kg.extract.rules.context import RuleContext, day_of

NAME = "holding"

#: What may stand between two titles of a chain, or between the titles and the name.
_JOINS = re.compile(r"\s*(?:and|und|-|\u2013|\u517c|,)?\s*|\s*")
_BEFORE_NAME = re.compile(r"\s*|\u00b7|,\s+")
_APPOSITION = re.compile(r",\s*(?:also\s+)?(?:(?:a|an|the)\s+)?")
_OF_THE = re.compile(r"\s+of\s+(?:the\s+)?")
_COUNTERPART = re.compile(r"\s+counterparts?\s+$")
_DESIGNATED = re.compile(r"(?:designated|designierten?|incoming)\s+$", re.IGNORECASE)


def _is_title(context: RuleContext, mention: Mention) -> bool:
    return mention.title is not None or context.article.type_of(mention.entity) == "Post"


def _chain_before(context: RuleContext, sentence: Sentence, index: int) -> list[Mention]:
    chain: list[Mention] = []
    position = index
    while position > 0:
        candidate = sentence.mentions[position - 1]
        gap = sentence.between(candidate, sentence.mentions[position])
        fits = _BEFORE_NAME.fullmatch(gap) if not chain else _JOINS.fullmatch(gap)
        if not _is_title(context, candidate) or not fits:
            break
        chain.insert(0, candidate)
        position -= 1
    return chain


def _chain_after(context: RuleContext, sentence: Sentence, index: int) -> list[Mention]:
    mentions = sentence.mentions
    if index + 1 >= len(mentions) or not _APPOSITION.fullmatch(
            sentence.between(mentions[index], mentions[index + 1])):
        return []
    chain = [mentions[index + 1]]
    for candidate in mentions[index + 2:]:
        if not _is_title(context, candidate) or not _JOINS.fullmatch(
                sentence.between(chain[-1], candidate)):
            break
        chain.append(candidate)
    return chain if all(_is_title(context, m) for m in chain) else []


def _posts(context: RuleContext, chain: list[Mention]) -> Iterator[tuple[str, list[str]]]:
    """The registry posts a chain of titles names, each with what to check."""
    holders = [h for m in chain if m.entity is not None
               for h in _holder_ids(context, m.entity)]
    names = context.names
    for mention in chain:
        if mention.entity is not None:
            yield mention.entity, []
            continue
        assert mention.title is not None
        post = next((p for h in holders if (p := names.post_for(mention.title, h))), None)
        if post is not None:
            yield post, []
            continue
        candidates = names.titles_of(mention.title)
        if len(candidates) == 1:
            yield candidates[0], [f"the text says {mention.text!r} without a state or body; "
                                  "the registry has one such post: check it is meant"]


def _holder_ids(context: RuleContext, post: str) -> list[str]:
    entities = context.article.entities
    found = []
    current = entities.get(entities[post].post_in or "") if post in entities else None
    while current is not None and current.id not in found:
        found.append(current.id)
        current = entities.get(current.part_of or "")
    return found


def _attested(context: RuleContext, sentence: Sentence) -> str | None:
    if not sentence.future and (day := day_of(sentence)) is not None:
        return day
    meeting = context.meeting_at(sentence.locator)
    if meeting is not None and meeting.first_day is not None and \
            meeting.fields.get("status") != "planned":
        return meeting.first_day
    return context.anchor_day()


def find(context: RuleContext) -> Iterator[Found]:
    """The posts held in an article."""
    for sentence in context.article.sentences:
        if sentence.repeated:
            continue
        for index, person in enumerate(sentence.mentions):
            if person.entity is None or context.article.type_of(person.entity) != "Person":
                continue
            before = _chain_before(context, sentence, index)
            chain = before or _chain_after(context, sentence, index)
            if not chain:
                yield from _counterpart(context, sentence, index)
                yield from _title_of_body(context, sentence, index)
                continue
            designated = bool(before) and bool(_DESIGNATED.search(
                sentence.text[:before[0].start]))
            yield from _holdings(context, sentence, person.entity, chain, designated)


def _title_of_body(context: RuleContext, sentence: Sentence, index: int) -> Iterator[Found]:
    """"Secretary-General of the Andean Water Council (AWC) Maria Quispe": the post of that
    title in that body, proposed when the registry lacks it."""
    if index < 2:
        return
    title, body, person = sentence.mentions[index - 2:index + 1]
    written = title.title or context.names.title_of(title.entity or "")
    if written is None or body.entity is None or person.entity is None or \
            context.article.type_of(body.entity) not in ORGANIZATION_TYPES or \
            sentence.between(body, person).strip() or \
            not _OF_THE.fullmatch(sentence.between(title, body)):
        return
    post = context.names.post_for(written, body.entity)
    if post is None:
        label = context.article.entities[body.entity].labels.get("en", body.entity)
        post = context.propose(f"{written} of {label}", "Post", sentence.locator,
                               "proposal/title-of-body", post_in=body.entity)
    yield Found("holding", {"person": person.entity, "post": post,
                            "attested": _attested(context, sentence)}, [sentence.locator],
                "holding/title-of-body", key=(person.entity, post))


def _counterpart(context: RuleContext, sentence: Sentence, index: int) -> Iterator[Found]:
    """"his Chinese counterpart Qin Gang": the post of the same title as the one named
    before in the sentence, in the state of the demonym."""
    if index == 0:
        return
    state, person = sentence.mentions[index - 1], sentence.mentions[index]
    if state.how != "demonym" or not _COUNTERPART.fullmatch(sentence.between(state, person)):
        return
    titles = [context.names.title_of(m.entity) for m in sentence.mentions[:index - 1]
              if m.entity is not None and context.article.type_of(m.entity) == "Post"]
    posts = {context.names.post_for(t, state.entity or "") for t in titles if t}
    posts.discard(None)
    if len(posts) == 1 and person.entity is not None:
        post = posts.pop()
        yield Found("holding", {"person": person.entity, "post": post,
                                "attested": _attested(context, sentence)}, [sentence.locator],
                    "holding/counterpart", key=(person.entity, post))


def _holdings(context: RuleContext, sentence: Sentence, person: str, chain: list[Mention],
              designated: bool) -> Iterator[Found]:
    attested = _attested(context, sentence)
    for post, todo in _posts(context, chain):
        fields: dict[str, object] = {"person": person, "post": post, "attested": attested}
        notes = list(todo)
        if attested is None:
            notes.append("no day to attest the post on: give the day the text ties it to")
        if designated:
            fields["status"] = "designated"
        yield Found("holding", fields, [sentence.locator], "holding/title-and-name", notes,
                    key=(person, post))
