"""Checked facts: what the curation files say, as plain typed values.

The curation reader (:mod:`kg.curation.reader`) produces these; the builder (:mod:`kg.graph.build`)
turns them into triples. Every value keeps ``where`` (file and line) so later checks,
SHACL among them, can point back at the line to fix.

>>> Where("data/entities.yaml", 12)
Where(file='data/entities.yaml', line=12)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.curation.text import Locator

if TYPE_CHECKING:
    from kg.kinds.base import Fact

#: Entity types of the registry, by name, with the ontology class each maps to (dip:<name>).
ORGANIZATION_TYPES = frozenset(
    {"State", "IntergovernmentalOrganization", "GovernmentBody", "OrganizationalUnit",
     "NewsAgency", "Organization"}
)
AGENT_TYPES = ORGANIZATION_TYPES | {"Person"}
EVENT_TYPES = frozenset({"Meeting", "Summit", "Event"})
#: Where something can be: a place, a state ("a visit to China") or a region ("the Caribbean").
LOCATION_TYPES = frozenset({"Place", "State", "Region"})
ENTITY_TYPES = AGENT_TYPES | EVENT_TYPES | LOCATION_TYPES | {
    "Post", "PolicyInitiative", "Agreement", "Concept", "EventSeries"}

#: The sets of types that have a name: (in a sentence, in a table).
_TYPE_GROUPS = {
    ENTITY_TYPES: ("any entity", "any entity"),
    AGENT_TYPES: ("a person or an organization", "any agent (person or organization)"),
    ORGANIZATION_TYPES: ("an organization", "any organization"),
}


def types_text(types: frozenset[str], *, table: bool = False) -> str:
    """Entity types in words: as a sentence ends ("... must be a person or an
    organization"), or, with ``table``, as a cell of a table of relations.

    >>> types_text(AGENT_TYPES), types_text(AGENT_TYPES, table=True)
    ('a person or an organization', 'any agent (person or organization)')
    >>> types_text(EVENT_TYPES), types_text(frozenset({"Place", "State"}), table=True)
    ('an Event, a Meeting or a Summit', 'Place, State')
    """
    group = _TYPE_GROUPS.get(types)
    if group is not None:
        return group[1 if table else 0]
    names = sorted(types)
    if table:
        return ", ".join(names)
    named = [f"{'an' if name[0] in 'AEIOU' else 'a'} {name}" for name in names]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"


@dataclass(frozen=True)
class Where:
    """A place in a curation file."""

    file: str
    line: int


@dataclass(frozen=True)
class Entity:
    """A registry entry: identity and names, no facts."""

    id: str
    type: str
    labels: dict[str, str]
    where: Where
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: For a state: the adjectives news writes before a title ("Brazilian"), by language.
    demonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    description: str | None = None
    wikidata: str | None = None
    post_in: str | None = None
    part_of: str | None = None
    #: For an event: the series it belongs to, and its number in the series.
    series: str | None = None
    ordinal: int | None = None
    #: For a post: ``one`` holder at a time (also when None), or ``many`` (a member of a
    #: politburo); checked by :mod:`kg.curation.consistency`.
    holders: str | None = None


@dataclass(frozen=True)
class Evidence:
    """Where in the source a fact is stated."""

    locator: Locator
    #: The curation line naming it; None when read back from a graph.
    where: Where | None


@dataclass(frozen=True)
class Photo:
    """A photograph of the source, with its credit."""

    id: str
    depicts: str
    creator: str
    evidence: tuple[Evidence, ...]
    where: Where
    agency: str | None = None


@dataclass(frozen=True)
class Source:
    """A source document, its metadata and the facts it states."""

    id: str
    title: str
    url: str
    publisher: str
    published: str
    language: str
    text_file: str
    sha256: str
    where: Where
    website: str | None = None
    published_evidence: tuple[Evidence, ...] = ()
    editors: tuple[str, ...] = ()
    editors_evidence: tuple[Evidence, ...] = ()
    photos: tuple[Photo, ...] = ()
    facts: tuple[Fact, ...] = ()
    #: How the text's paragraphs are told apart (kg.curation.text.PARAGRAPH_RULES).
    paragraphs: str = "blank-line"

    def all_evidence(self) -> list[Evidence]:
        """Every piece of evidence the file names, in file order."""
        found = list(self.published_evidence) + list(self.editors_evidence)
        for photo in self.photos:
            found.extend(photo.evidence)
        for fact in self.facts:
            found.extend(fact.evidence)
        return found


@dataclass(frozen=True)
class Curation:
    """Everything read from a data folder: the registry and the sources."""

    entities: dict[str, Entity]
    sources: tuple[Source, ...]

#: CAMEO codes in the ontology's cameo:scheme (a test keeps the two in step).
CAMEO_CODES = frozenset({"01", "03", "04", "040", "042", "043", "044", "046", "05", "057"})
