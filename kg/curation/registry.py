"""The entity registry, ``entities.yaml``: read and checked, and the check of every id that
names one of its entities (:meth:`Checker.ref`).

Beyond its JSON Schema, the registry needs unique ids, ``post_in`` on posts and only on
posts (``holders`` only on posts too), and ``post_in`` and ``part_of`` naming
organizations of the registry.

>>> entities = load_registry(Path("data"))
>>> entities["qin-gang"].labels["en"]
'Qin Gang'
>>> checker = Checker(entities)
>>> checker.ref("beijing", frozenset({"Person"}), "person", Where("f.yaml", 7))
>>> print(checker.errors[0])  # doctest: +ELLIPSIS
f.yaml:7: person: 'beijing' is a Place, but person must be a Person: fix the id or ...
"""

from __future__ import annotations

import difflib
from pathlib import Path

from kg.curation.document import display, leads_out, read_checked
from kg.curation.located_yaml import LocatedList
from kg.curation.model import EVENT_TYPES, ORGANIZATION_TYPES, Entity, Where, types_text
from kg.errors import CurationError, CurationErrors

__all__ = ["REGISTRY_FILE", "Checker", "load_registry", "read_registry"]

REGISTRY_FILE = "entities.yaml"


class Checker:
    """The problems found so far in a data folder (every one is collected; reading never
    stops at the first), and the registry that ids are checked against."""

    def __init__(self, entities: dict[str, Entity] | None = None):
        self.errors: list[CurationError] = []
        self.entities: dict[str, Entity] = {} if entities is None else entities

    def error(self, message: str, where: Where) -> None:
        """Add a problem at ``where``."""
        self.errors.append(CurationError(message, file=where.file, line=where.line))

    def ref(self, entity_id: str, allowed: frozenset[str], role: str, where: Where) -> None:
        """Check that an id names a registry entity of an allowed type."""
        entity = self.entities.get(entity_id)
        if entity is None:
            close = difflib.get_close_matches(entity_id, list(self.entities), n=3)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            self.error(f"{role}: unknown entity {entity_id!r}{hint}: fix the id or add the "
                       f"entity to {REGISTRY_FILE}", where)
        elif entity.type not in allowed:
            self.error(f"{role}: {entity_id!r} is a {entity.type}, but {role} must be "
                       f"{types_text(allowed)}: fix the id or the entity's type", where)


#: Registry fields that only one type of entity may have: the type, the verb of the message
#: and what else the curator may do.
_ONLY_FOR = {
    "post_in": ("Post", "is", "change the type to Post"),
    "holders": ("Post", "is", "change the type to Post"),
    "demonyms": ("State", "are", "write the names as aliases"),
}


def read_registry(data_dir: Path, checker: Checker) -> None:
    """Read ``entities.yaml`` of ``data_dir`` into ``checker.entities``; its problems go
    to ``checker.errors``."""
    path = data_dir / REGISTRY_FILE
    file = display(path)
    at_top = Where(file, 1)
    if path.is_dir():
        checker.error(f"{REGISTRY_FILE} is a folder: replace it with the entity registry "
                      "file", at_top)
        return
    if not path.is_file():
        checker.error(f"the entity registry is missing: create {REGISTRY_FILE} in the data "
                      "folder", at_top)
        return
    if path.is_symlink() and leads_out(path, data_dir):
        checker.error("this is a symbolic link leading out of the data folder: copy the "
                      "registry into the data folder instead", at_top)
        return
    document = read_checked(path, file, "entities", checker.errors)
    if document is None:
        return
    entities = checker.entities
    items: LocatedList = document["entities"]
    for index, item in enumerate(items):
        where = Where(file, items.item_lines[index])
        entity_id = item["id"]
        if entity_id in entities:
            checker.error(
                f"the entity id {entity_id!r} is already used at line "
                f"{entities[entity_id].where.line}: ids must be unique; give this entity "
                "another id, or merge the two entries", where)
            continue
        entities[entity_id] = Entity(
            id=entity_id, type=item["type"], labels=dict(item["label"]), where=where,
            aliases={k: tuple(v) for k, v in item.get("aliases", {}).items()},
            demonyms={k: tuple(v) for k, v in item.get("demonyms", {}).items()},
            description=item.get("description"), wikidata=item.get("wikidata"),
            post_in=item.get("post_in"), part_of=item.get("part_of"),
            series=item.get("series"), ordinal=item.get("ordinal"),
            holders=item.get("holders"))
    for entity in entities.values():
        for name, (only_for, verb, fix) in _ONLY_FOR.items():
            if getattr(entity, name) and entity.type != only_for:
                checker.error(f"{name} {verb} only for entities of type {only_for}, not "
                              f"{entity.type}: remove {name}, or {fix}", entity.where)
        if entity.post_in is not None:
            checker.ref(entity.post_in, ORGANIZATION_TYPES, "post_in", entity.where)
        elif entity.type == "Post":
            checker.error(f"the post {entity.id!r} needs post_in: add post_in with the id of "
                          "the organization the post belongs to", entity.where)
        if entity.part_of is not None:
            checker.ref(entity.part_of, ORGANIZATION_TYPES, "part_of", entity.where)
        if entity.series is not None:
            if entity.type not in EVENT_TYPES:
                checker.error(f"series is only for events, not {entity.type}: remove series, "
                              "or change the type to Meeting, Summit or Event", entity.where)
            checker.ref(entity.series, frozenset({"EventSeries"}), "series", entity.where)
        elif entity.ordinal is not None:
            checker.error("ordinal numbers an event within its series: add series, or remove "
                          "ordinal", entity.where)


def load_registry(data_dir: Path) -> dict[str, Entity]:
    """Read and check the entity registry alone; raise CurationErrors on problems."""
    checker = Checker()
    read_registry(data_dir, checker)
    if checker.errors:
        raise CurationErrors(checker.errors)
    return checker.entities
