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
ENTITY_TYPES = AGENT_TYPES | EVENT_TYPES | {"Post", "Place", "PolicyInitiative", "Agreement"}


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
    description: str | None = None
    wikidata: str | None = None
    post_in: str | None = None
    part_of: str | None = None


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
