"""Every way the registry's entities and posts may be written, as patterns for the matcher.

An entity is written as its labels and aliases in any language; a state also as its
demonyms ("Chinese": the lexicon's, and those the registry gives it). A post is written
as its own labels and aliases, and as its title joined to a name of the body or state it
belongs to, the way news writes it: "Foreign Minister of China", "Chinese Foreign
Minister", "China's FM", "SCO Secretary-General", "chinesischer Außenminister",
"SCO-Generalsekretär". A bare title
("Foreign Minister") is a pattern too, so that a chain of titles ("State Councilor and
Foreign Minister") can take the state of its neighbour (:meth:`Names.post_for`).

>>> from pathlib import Path
>>> from kg.curation.registry import load_registry
>>> names = Names.from_registry(load_registry(Path("data")))
>>> sorted({p.entity for p in names.patterns["chinese foreign minister"]})
['foreign-minister-of-china']
>>> names.post_for("Foreign Minister", "kazakhstan")
'foreign-minister-of-kazakhstan'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from kg.curation.model import Entity
from kg.extract.lexicon import BODIES, DEMONYMS, GERMAN_ENDINGS, TITLES

__all__ = ["Name", "Names", "holders_of"]


@dataclass(frozen=True)
class Name:
    """One way of writing an entity, a post or a title.

    ``how`` is ``label``, ``alias``, ``demonym``, ``post`` (a post written as title and
    holder) or ``title`` (a bare title: ``entity`` is None and ``title`` says which).
    ``exact`` names must match with their case (or in capitals, as datelines write
    places); the others match in any case.
    """

    written: str
    how: str
    entity: str | None = None
    title: str | None = None
    exact: bool = True


def _entity_names(entity: Entity) -> Iterator[Name]:
    for language, label in entity.labels.items():
        yield Name(label, "label", entity.id)
        if language == "de":
            yield from (Name(form, "alias", entity.id) for form in german_genitives(label))
    for language, aliases in entity.aliases.items():
        for alias in aliases:
            yield Name(alias, "alias", entity.id)
            if language == "de":
                yield from (Name(form, "alias", entity.id) for form in german_genitives(alias))


def german_genitives(name: str) -> list[str]:
    """A German name with its head noun in the genitive, as a sentence writes it after
    "des": "Geist von Shanghai" is also "Geists" and "Geistes von Shanghai".

    >>> german_genitives("Politbüro des Zentralkomitees")
    ['Politbüros des Zentralkomitees', 'Politbüroes des Zentralkomitees']
    >>> german_genitives("SCO"), german_genitives("Konferenz")
    ([], [])
    """
    head, _, rest = name.partition(" ")
    if not head[:1].isupper() or head.isupper() or not head[-1:].isalpha() or \
            head[-1] in "szxß":
        return []
    tail = f" {rest}" if rest else ""
    return [f"{head}s{tail}", f"{head}es{tail}"]


def _demonyms(entity: Entity) -> Iterator[Name]:
    """A state's demonyms: the lexicon's for any of its English names, and its own
    (``demonyms`` in the registry); German ones with their endings."""
    english = {entity.labels.get("en"), *entity.aliases.get("en", ())}
    by_language: dict[str, list[str]] = {
        language: [demonym for demonym, state in table.items() if state in english]
        for language, table in DEMONYMS.items()}
    for language, own in entity.demonyms.items():
        by_language.setdefault(language, []).extend(own)
    for language, demonyms in by_language.items():
        for demonym in dict.fromkeys(demonyms):
            if language == "de":
                for ending in GERMAN_ENDINGS:
                    yield Name(demonym + ending, "demonym", entity.id, exact=False)
            else:
                yield Name(demonym, "demonym", entity.id)


#: The titles of registry post labels, the longest first ("Deputy Prime Minister" before
#: "Prime Minister").
_LONGEST_FIRST = sorted(set(TITLES["en"].values()), key=len, reverse=True)


def _split_title(label: str) -> tuple[str, str] | None:
    """A post label as (title, holder as written): "Foreign Minister of China" ->
    ("Foreign Minister", "China"); None when it does not start with a known title."""
    for title in _LONGEST_FIRST:
        if label.startswith(title + " of "):
            holder = label[len(title) + 4:]
            return title, holder.removeprefix("the ")
    return None


class Names:
    """The patterns of a registry: lower-cased text -> the names it may stand for."""

    def __init__(self) -> None:
        self.patterns: dict[str, set[Name]] = defaultdict(set)
        self._posts: dict[tuple[str, str], str] = {}

    @classmethod
    def from_registry(cls, entities: Mapping[str, Entity]) -> Names:
        """The patterns of every entity, state demonym, post and title of a registry."""
        names = cls()
        for entity in entities.values():
            for name in _entity_names(entity):
                names.add(name)
            for written in _names_with_parents(entity, entities)[len(list(
                    _entity_names(entity))):]:
                names.add(Name(written, "alias", entity.id))
            if entity.type == "State":
                for name in _demonyms(entity):
                    names.add(name)
        for entity in entities.values():
            if entity.type == "Post":
                names._add_post(entity, entities)
            elif entity.type == "GovernmentBody":
                names._add_body(entity, entities)
        for language in ("en", "de"):
            for written, title in TITLES[language].items():
                names.add(Name(written, "title", title=title, exact=False))
        return names

    def add(self, name: Name) -> None:
        """Add one pattern."""
        self.patterns[name.written.lower()].add(name)

    def post_for(self, title: str, holder: str) -> str | None:
        """The registry post of ``title`` in ``holder`` (a state or body id), if any."""
        return self._posts.get((title, holder))

    def title_of(self, post: str) -> str | None:
        """The title of a registry post ("Foreign Minister" for foreign-minister-of-china)."""
        return next((title for (title, _), known in self._posts.items() if known == post),
                    None)

    def titles_of(self, title: str) -> list[str]:
        """Every registry post with this title, whatever its holder."""
        return sorted({post for (known, _), post in self._posts.items() if known == title})

    def _add_post(self, post: Entity, entities: Mapping[str, Entity]) -> None:
        split = _split_title(post.labels.get("en", ""))
        holders = list(_holders(post, entities))
        if split is not None:
            title = split[0]
            for holder in holders:
                self._posts.setdefault((title, holder.id), post.id)
            written_titles = [w for language in ("en", "de")
                              for w, t in TITLES[language].items() if t == title]
            for holder in holders:
                for written in _post_forms(written_titles, holder, entities):
                    self.add(Name(written, "post", post.id, exact=False))

    def _add_body(self, body: Entity, entities: Mapping[str, Entity]) -> None:
        label = body.labels.get("en", "")
        for kind, written in BODIES.items():
            state = entities.get(body.part_of or "")
            if not label.startswith(f"{kind} of ") or state is None:
                continue
            states = [n.written for n in _entity_names(state)]
            demonyms = [n.written for n in _demonyms(state)]
            for form in written:
                for prefix in (*demonyms, *states, *(f"{s}'s" for s in states),
                               *(f"{s}\u2019s" for s in states)):
                    self.add(Name(f"{prefix} {form}", "body", body.id, exact=False))

    def __len__(self) -> int:
        return len(self.patterns)


def holders_of(post: str, entities: Mapping[str, Entity]) -> list[str]:
    """The ids of the body a post is in and of the bodies and state that body is part of.

    >>> from pathlib import Path
    >>> from kg.curation.registry import load_registry
    >>> holders_of("foreign-minister-of-china", load_registry(Path("data")))
    ['ministry-of-foreign-affairs-of-china', 'china']
    """
    known = entities.get(post)
    return [] if known is None else [holder.id for holder in _holders(known, entities)]


def _holders(post: Entity, entities: Mapping[str, Entity]) -> Iterator[Entity]:
    """The body a post is in, then the bodies and state that body is part of."""
    current = entities.get(post.post_in or "")
    seen: set[str] = set()
    while current is not None and current.id not in seen:
        seen.add(current.id)
        yield current
        current = entities.get(current.part_of or "")


def _names_with_parents(body: Entity, entities: Mapping[str, Entity]) -> list[str]:
    """A body's names, and each with the name of the body it is part of written in the
    parent's other ways ("Office of ... of the CPC Central Committee" also as "... of the
    Communist Party of China Central Committee")."""
    names = [n.written for n in _entity_names(body)]
    parent = entities.get(body.part_of or "")
    if parent is None:
        return names
    parents = [n.written for n in _entity_names(parent)]
    variants = [name.replace(old, new) for name in names for old in parents if old in name
                for new in parents if new != old]
    return list(dict.fromkeys([*names, *variants]))


def _post_forms(titles: list[str], holder: Entity,
                entities: Mapping[str, Entity]) -> Iterator[str]:
    """The ways news writes a title of a holder: "T of H", "H's T", "H T", "Dem T"..."""
    names = _names_with_parents(holder, entities)
    demonyms = [n.written for n in _demonyms(holder)] if holder.type == "State" else []
    for title in titles:
        for name in names:
            yield from (f"{title} of {name}", f"{title} of the {name}", f"{name} {title}",
                        f"{name}'s {title}", f"{name}\u2019s {title}", f"{name}-{title}",
                        f"{title} der {name}", f"{title} des {name}")
        for demonym in demonyms:
            yield f"{demonym} {title}"

