"""Read the curation files of a data folder into checked facts.

The only module that knows the file format: ``entities.yaml`` (the registry shared by
all sources) and ``sources/*.yaml`` (one file per source). Each file is checked against
its JSON Schema (``kg/schemas/``), then for what a schema cannot say: ids that exist,
entity types that fit their role, real dates, unique ids, and, when the source texts
are at hand, the text's SHA-256 and that every locator points at a real sentence.
All problems are collected and raised together, each with its file and line.

>>> from pathlib import Path
>>> curation = load_curation(Path("data"))
>>> curation.entities["qin-gang"].labels["en"]
'Qin Gang'
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from collections.abc import Callable, Iterator
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any, cast

import jsonschema

from kg.errors import CurationError, CurationErrors
from kg.located_yaml import LocatedDict, LocatedList, line_of, load_located
from kg.model import (
    AGENT_TYPES,
    CAMEO_CODES,
    ENTITY_TYPES,
    EVENT_TYPES,
    ORGANIZATION_TYPES,
    Curation,
    Entity,
    EventReport,
    Evidence,
    Fact,
    Holding,
    Participant,
    Photo,
    Relation,
    Source,
    Statement,
    Where,
)
from kg.text import Locator, SourceText

REGISTRY_FILE = "entities.yaml"
SOURCES_DIR = "sources"

#: For each relation predicate: the entity types allowed as subject and as object.
RELATION_TYPES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "member-of": (ORGANIZATION_TYPES, ORGANIZATION_TYPES),
    "unit-of": (frozenset({"OrganizationalUnit"}), ORGANIZATION_TYPES),
    "head-of": (frozenset({"Person"}), ORGANIZATION_TYPES),
    "capital-of": (frozenset({"Place"}), frozenset({"State"})),
    "located-in": (frozenset({"Place"}), frozenset({"Place", "State"})),
    "proposed": (AGENT_TYPES, frozenset({"PolicyInitiative", "Agreement"})),
    "committed-to": (AGENT_TYPES, frozenset({"PolicyInitiative", "Agreement"})),
    "supports": (AGENT_TYPES, ENTITY_TYPES),
}

ANY = ENTITY_TYPES


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name))


@cache
def _fast_validator(name: str) -> Any:
    """jsonschema-rs: about 300 times faster, used to pass valid files quickly; the
    pure-Python validator then explains what is wrong in a file that fails."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema(name))


@cache
def schema(name: str) -> dict[str, Any]:
    """A packaged JSON Schema: ``entities`` or ``source``."""
    text = resources.files("kg").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _schema_errors(document: Any, name: str, file: str) -> list[CurationError]:
    if _fast_validator(name).is_valid(document):
        return []
    validator = _validator(name)
    found: list[CurationError] = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        if error.validator in ("if", "allOf"):
            continue
        path = list(error.absolute_path)
        field = ".".join(str(p) for p in path) or "the file"
        found.append(
            CurationError(_explain(error, field), file=file, line=line_of(document, path))
        )
    return _one_per_line(found)


def _one_per_line(errors: list[CurationError]) -> list[CurationError]:
    seen: set[tuple[str | None, int | None]] = set()
    kept = []
    for error in errors:
        if (error.file, error.line) not in seen:
            seen.add((error.file, error.line))
            kept.append(error)
    return kept


def _explain(error: jsonschema.ValidationError, field: str) -> str:
    """A schema error in words an analyst can act on."""
    kind = error.validator
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        return f"{field}: the field '{missing}' is missing: add it"
    if kind == "additionalProperties":
        return f"{field}: {error.message}: remove it or fix its spelling"
    if kind == "enum":
        allowed = ", ".join(str(v) for v in cast(list[Any], error.validator_value))
        return f"{field}: {error.instance!r} is not allowed: use one of {allowed}"
    if kind == "pattern":
        subschema = error.schema if isinstance(error.schema, dict) else {}
        hint = subschema.get("description", f"it must match {error.validator_value}")
        return f"{field}: {error.instance!r} is malformed: {hint}"
    if kind == "minItems":
        return f"{field}: the list is empty: give at least one item"
    if kind == "type":
        return f"{field}: {error.instance!r} should be of type {error.validator_value}"
    return f"{field}: {error.message}"


def _read(path: Path, display: str) -> Any:
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise CurationError(f"the file is not UTF-8 ({exc.reason}): save it as UTF-8",
                            file=display, line=1) from None
    document = load_located(text, display)
    if not isinstance(document, LocatedDict):
        raise CurationError("the file must be a YAML mapping (key: value lines)",
                            file=display, line=1)
    return document


def _check_date(value: str | None, field: str, where: Where, errors: list[CurationError]) -> None:
    if value is None:
        return
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        elif len(value) == 7:
            dt.date.fromisoformat(value + "-01")
    except ValueError as exc:
        errors.append(CurationError(
            f"{field}: {value!r} is not a real date ({exc}): write YYYY-MM-DD, YYYY-MM or YYYY",
            file=where.file, line=where.line))


class _Reader:
    """Reads one data folder; collects every problem instead of stopping at the first."""

    def __init__(self, data_dir: Path, corpus_dir: Path | None):
        self.data_dir = data_dir
        self.corpus_dir = corpus_dir
        self.errors: list[CurationError] = []
        self.entities: dict[str, Entity] = {}

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    # -- registry ---------------------------------------------------------------
    def read_registry(self) -> None:
        path = self.data_dir / REGISTRY_FILE
        file = self.display(path)
        if not path.is_file():
            self.errors.append(CurationError(
                f"the entity registry is missing: create {REGISTRY_FILE} in the data folder",
                file=file, line=1))
            return
        try:
            document = _read(path, file)
        except CurationError as exc:
            self.errors.append(exc)
            return
        problems = _schema_errors(document, "entities", file)
        if problems:
            self.errors.extend(problems)
            return
        items: LocatedList = document["entities"]
        for index, item in enumerate(items):
            where = Where(file, items.item_lines[index])
            entity_id = item["id"]
            if entity_id in self.entities:
                first = self.entities[entity_id].where.line
                self.errors.append(CurationError(
                    f"the entity id {entity_id!r} is already used at line {first}: "
                    "ids must be unique", file=file, line=where.line))
                continue
            self.entities[entity_id] = Entity(
                id=entity_id, type=item["type"], labels=dict(item["label"]), where=where,
                aliases={k: tuple(v) for k, v in item.get("aliases", {}).items()},
                description=item.get("description"), wikidata=item.get("wikidata"),
                post_in=item.get("post_in"), part_of=item.get("part_of"))
        for entity in self.entities.values():
            if entity.post_in is not None:
                if entity.type != "Post":
                    self.errors.append(CurationError(
                        f"post_in is only for entities of type Post, not {entity.type}",
                        file=file, line=entity.where.line))
                self.ref(entity.post_in, ORGANIZATION_TYPES, "post_in", entity.where)
            elif entity.type == "Post":
                self.errors.append(CurationError(
                    f"the post {entity.id!r} needs post_in: the organization it belongs to",
                    file=file, line=entity.where.line))
            if entity.part_of is not None:
                self.ref(entity.part_of, ORGANIZATION_TYPES, "part_of", entity.where)

    def ref(self, entity_id: str, allowed: frozenset[str], role: str, where: Where) -> None:
        """Check that an id names a registry entity of an allowed type."""
        entity = self.entities.get(entity_id)
        if entity is None:
            close = difflib.get_close_matches(entity_id, list(self.entities), n=3)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            self.errors.append(CurationError(
                f"{role}: unknown entity {entity_id!r}{hint}: fix the id or add the entity "
                f"to {REGISTRY_FILE}", file=where.file, line=where.line))
        elif entity.type not in allowed:
            wanted = " or ".join(sorted(allowed)) if len(allowed) < 5 else "another type"
            self.errors.append(CurationError(
                f"{role}: {entity_id!r} is a {entity.type}, but {role} must be a {wanted}: "
                "fix the id or the entity's type", file=where.file, line=where.line))

    # -- sources ----------------------------------------------------------------
    def read_source(self, path: Path) -> Source | None:
        file = self.display(path)
        try:
            document = _read(path, file)
        except CurationError as exc:
            self.errors.append(exc)
            return None
        problems = _schema_errors(document, "source", file)
        if problems:
            self.errors.extend(problems)
            return None
        before = len(self.errors)
        meta: LocatedDict = document["source"]

        def at(container: LocatedDict, key: str) -> Where:
            return Where(file, container.key_lines.get(key, container.line))

        def evidence(container: LocatedDict, key: str = "evidence") -> tuple[Evidence, ...]:
            items: LocatedList = container.get(key, LocatedList())
            return tuple(Evidence(Locator.parse(text), Where(file, items.item_lines[i]))
                         for i, text in enumerate(items))

        try:
            dt.datetime.fromisoformat(meta["published"])
        except ValueError as exc:
            self.errors.append(CurationError(
                f"source.published: {meta['published']!r} is not a real date and time ({exc})",
                file=file, line=at(meta, "published").line))
        self.ref(meta["publisher"], ORGANIZATION_TYPES, "source.publisher", at(meta, "publisher"))
        editors = meta.get("editors", LocatedDict())
        for index, person in enumerate(editors.get("people", [])):
            self.ref(person, frozenset({"Person"}), "source.editors",
                     Where(file, editors["people"].item_lines[index]))
        photos = []
        for index, item in enumerate(meta.get("photos", [])):
            where = Where(file, meta["photos"].item_lines[index])
            self.ref(item["depicts"], EVENT_TYPES, "photo depicts", at(item, "depicts"))
            self.ref(item["creator"], frozenset({"Person"}), "photo creator", at(item, "creator"))
            if "agency" in item:
                self.ref(item["agency"], ORGANIZATION_TYPES, "photo agency", at(item, "agency"))
            photos.append(Photo(id=item["id"], depicts=item["depicts"], creator=item["creator"],
                                agency=item.get("agency"), evidence=evidence(item), where=where))

        facts: list[Fact] = []
        ids: dict[str, int] = {photo.id: photo.where.line for photo in photos}
        items: LocatedList = document["facts"]
        for index, item in enumerate(items):
            where = Where(file, items.item_lines[index])
            if item["id"] in ids:
                self.errors.append(CurationError(
                    f"the fact id {item['id']!r} is already used at line {ids[item['id']]}: "
                    "ids must be unique within a source", file=file, line=where.line))
                continue
            ids[item["id"]] = where.line
            facts.append(self.read_fact(item, where, evidence(item), partial(at, item)))

        source = Source(
            id=meta["id"], title=meta["title"], url=meta["url"], publisher=meta["publisher"],
            published=meta["published"], language=meta["language"], text_file=meta["text"],
            sha256=meta["sha256"], where=Where(file, document.key_lines["source"]),
            website=meta.get("website"),
            published_evidence=evidence(meta, "published_evidence"),
            editors=tuple(editors.get("people", ())),
            editors_evidence=evidence(editors) if editors else (),
            photos=tuple(photos), facts=tuple(facts))
        self.check_text(source, Where(file, meta.key_lines["text"]),
                        Where(file, meta.key_lines["sha256"]))
        return source if len(self.errors) == before else None

    def read_fact(self, item: LocatedDict, where: Where, evidence: tuple[Evidence, ...],
                  at: Callable[[str], Where]) -> Fact:
        kind = item["kind"]
        fact: Fact
        if kind == "holding":
            self.ref(item["person"], frozenset({"Person"}), "person", at("person"))
            self.ref(item["post"], frozenset({"Post"}), "post", at("post"))
            for key in ("attested", "start", "end"):
                _check_date(item.get(key), key, at(key), self.errors)
            if "start" in item and "end" in item and item["end"] < item["start"]:
                self.errors.append(CurationError(
                    f"end {item['end']} is before start {item['start']}: swap or fix them",
                    file=where.file, line=at("end").line))
            fact = Holding(id=item["id"], person=item["person"], post=item["post"],
                           attested=item["attested"], start=item.get("start"),
                           end=item.get("end"), evidence=evidence, where=where)
        elif kind == "relation":
            subject_types, object_types = RELATION_TYPES[item["predicate"]]
            objects = item["object"] if isinstance(item["object"], list) else [item["object"]]
            self.ref(item["subject"], subject_types, f"subject of {item['predicate']}",
                     at("subject"))
            for obj in objects:
                self.ref(obj, object_types, f"object of {item['predicate']}", at("object"))
            if len(set(objects)) != len(objects):
                self.errors.append(CurationError("object: an id is listed twice: keep one",
                                                 file=where.file, line=at("object").line))
            fact = Relation(id=item["id"], subject=item["subject"], predicate=item["predicate"],
                            objects=tuple(objects), evidence=evidence, where=where)
        elif kind == "event":
            self.ref(item["event"], EVENT_TYPES, "event", at("event"))
            _check_date(item.get("date"), "date", at("date"), self.errors)
            if "place" in item:
                self.ref(item["place"], frozenset({"Place"}), "place", at("place"))
            if "organizer" in item:
                self.ref(item["organizer"], AGENT_TYPES, "organizer", at("organizer"))
            if "outcome" in item:
                self.ref(item["outcome"], frozenset({"Agreement"}), "outcome", at("outcome"))
            if "cameo" in item and item["cameo"] not in CAMEO_CODES:
                self.errors.append(CurationError(
                    f"cameo: {item['cameo']!r} is not a CAMEO code of the ontology: use one of "
                    f"{', '.join(sorted(CAMEO_CODES))} (or add it to ontology/diplomacy.ttl)",
                    file=where.file, line=at("cameo").line))
            participants = []
            plist = item.get("participants", LocatedList())
            for index, part in enumerate(plist):
                self.ref(part["who"], AGENT_TYPES, "participant",
                         Where(where.file, plist.item_lines[index]))
                participants.append(Participant(part["who"], part.get("role", "participant")))
            fact = EventReport(
                id=item["id"], event=item["event"], date=item.get("date"),
                place=item.get("place"), cameo=item.get("cameo"),
                organizer=item.get("organizer"), outcome=item.get("outcome"),
                participants=tuple(participants),
                unnamed_participants=item.get("unnamed_participants"),
                evidence=evidence, where=where)
        else:
            self.ref(item["speaker"], AGENT_TYPES, "speaker", at("speaker"))
            if "at" in item:
                self.ref(item["at"], EVENT_TYPES, "at", at("at"))
            if "addressee" in item:
                self.ref(item["addressee"], AGENT_TYPES, "addressee", at("addressee"))
            _check_date(item.get("date"), "date", at("date"), self.errors)
            topics = item["topics"]
            for index, topic in enumerate(topics):
                self.ref(topic, ANY, "topic", Where(where.file, topics.item_lines[index]))
            fact = Statement(id=item["id"], speaker=item["speaker"], at=item.get("at"),
                             date=item.get("date"), act=item.get("act"),
                             addressee=item.get("addressee"), summary=item["summary"],
                             topics=tuple(topics), evidence=evidence, where=where)
        return fact

    def check_text(self, source: Source, text_at: Where, sha_at: Where) -> None:
        if self.corpus_dir is None:
            return
        path = self.corpus_dir / source.text_file
        if not path.is_file():
            self.errors.append(CurationError(
                f"text: {source.text_file!r} is not in {self.corpus_dir}: fix the file name "
                "or point --sources at the folder holding the texts",
                file=text_at.file, line=text_at.line))
            return
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != source.sha256:
            self.errors.append(CurationError(
                f"sha256: the text {source.text_file} has sha256 {digest}, not the one given: "
                "the capture changed; re-check every locator, then update sha256",
                file=sha_at.file, line=sha_at.line))
            return
        text = SourceText(raw.decode("utf-8"))
        for item in source.all_evidence():
            try:
                text.resolve(item.locator)
            except ValueError as exc:
                self.errors.append(CurationError(
                    f"evidence {item.locator}: {exc}: fix the locator",
                    file=item.where.file, line=item.where.line))


def iter_source_files(data_dir: Path) -> Iterator[Path]:
    """The source files of a data folder, in build order."""
    folder = data_dir / SOURCES_DIR
    yield from sorted(folder.glob("*.yaml"))
    yield from sorted(folder.glob("*.yml"))


def load_registry(data_dir: Path) -> dict[str, Entity]:
    """Read and check the entity registry alone; raise CurationErrors on problems."""
    reader = _Reader(data_dir, None)
    reader.read_registry()
    if reader.errors:
        raise CurationErrors(reader.errors)
    return reader.entities


def load_sources(data_dir: Path, paths: list[Path], entities: dict[str, Entity],
                 corpus_dir: Path | None = None) -> list[Source]:
    """Read and check some source files against a registry; raise CurationErrors on problems.

    Source ids must be unique among the files read.
    """
    reader = _Reader(data_dir, corpus_dir)
    reader.entities = entities
    sources: list[Source] = []
    seen: dict[str, Where] = {}
    for path in paths:
        source = reader.read_source(path)
        if source is None:
            continue
        if source.id in seen:
            reader.errors.append(CurationError(
                f"the source id {source.id!r} is already used in {seen[source.id].file}: "
                "give each source its own id", file=source.where.file, line=source.where.line))
            continue
        seen[source.id] = source.where
        sources.append(source)
    if reader.errors:
        raise CurationErrors(reader.errors)
    return sources


def load_curation(data_dir: Path, corpus_dir: Path | None = None) -> Curation:
    """Read and check a data folder; raise CurationErrors listing every problem.

    ``corpus_dir`` is the folder of source texts: when given, each source's SHA-256 and
    every locator are checked against its text.
    """
    if not data_dir.is_dir():
        raise CurationErrors([CurationError(
            f"the data folder {data_dir} does not exist: pass --data DIR", file=str(data_dir),
            line=1)])
    entities = load_registry(data_dir)
    sources = load_sources(data_dir, list(iter_source_files(data_dir)), entities, corpus_dir)
    return Curation(entities=entities, sources=tuple(sources))
