"""Source files, ``sources/*.yaml``: each read and checked against the registry, and, when
the source texts are at hand, against its text.

Beyond its JSON Schema, a source needs a real publication time, a text named by a plain
file name, ids of the registry in every role (of a type the role allows), unique fact ids,
and each fact what its kind checks (:meth:`kg.kinds.base.FactKind.read`). With the texts:
the text's SHA-256 and every locator pointing at a real sentence.

>>> from kg.curation.registry import load_registry
>>> paths = list(iter_source_files(Path("data")))
>>> sources = load_sources(Path("data"), paths, load_registry(Path("data")))
>>> len(sources) == len(paths), "xinhua" in {source.publisher for source in sources}
(True, True)
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

from kg.curation.document import display, leads_out, read_checked
from kg.curation.located_yaml import LocatedDict, LocatedList
from kg.curation.model import (
    EVENT_TYPES,
    ORGANIZATION_TYPES,
    Entity,
    Evidence,
    Photo,
    Source,
    Where,
)
from kg.curation.registry import Checker
from kg.curation.text import Locator, SourceText, text_name_problem, text_path
from kg.curation.values import check_date
from kg.curation.verbatim import check_summaries
from kg.errors import CurationError, CurationErrors
from kg.kinds import kind_named
from kg.kinds.base import Fact

__all__ = ["SOURCES_DIR", "iter_source_files", "load_sources", "read_source"]

SOURCES_DIR = "sources"


class _ItemContext:
    """One curation item as the :class:`~kg.kinds.base.ReadContext` of its kind."""

    def __init__(self, checker: Checker, item: LocatedDict, where: Where,
                 evidence: tuple[Evidence, ...]):
        self.checker = checker
        self.item = item
        self._where = where
        self._evidence = evidence

    @property
    def where(self) -> Where:
        return self._where

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return self._evidence

    def at(self, key: str) -> Where:
        return Where(self._where.file, self.item.key_lines.get(key, self.item.line))

    def item_at(self, key: str, index: int) -> Where:
        items = self.item.get(key)
        line = items.item_lines[index] if isinstance(items, LocatedList) else self.item.line
        return Where(self._where.file, line)

    def ref(self, entity_id: str, allowed: frozenset[str], role: str, where: Where) -> None:
        self.checker.ref(entity_id, allowed, role, where)

    def date(self, key: str) -> str | None:
        value: str | None = self.item.get(key)
        check_date(value, key, self.at(key), self.checker.errors)
        return value

    def error(self, message: str, where: Where) -> None:
        self.checker.error(message, where)


def read_source(path: Path, checker: Checker, corpus_dir: Path | None = None) -> Source | None:
    """Read one source file against ``checker.entities``; None when it has problems (added
    to ``checker.errors``). ``corpus_dir``: the folder of source texts, when at hand."""
    file = display(path)
    document = read_checked(path, file, "source", checker.errors)
    if document is None:
        return None
    before = len(checker.errors)
    meta: LocatedDict = document["source"]

    def at(container: LocatedDict, key: str) -> Where:
        return Where(file, container.key_lines.get(key, container.line))

    def evidence(container: LocatedDict, key: str = "evidence") -> tuple[Evidence, ...]:
        items: LocatedList = container.get(key, LocatedList())
        found = []
        for index, text in enumerate(items):
            where = Where(file, items.item_lines[index])
            try:
                found.append(Evidence(Locator.parse(text), where))
            except ValueError as exc:
                checker.error(f"evidence {text}: {exc}", where)
        return tuple(found)

    _check_published(meta["published"], at(meta, "published"), checker)
    name_problem = text_name_problem(meta["text"])
    if name_problem is not None:
        checker.error(f"source.text: {name_problem}", at(meta, "text"))
    checker.ref(meta["publisher"], ORGANIZATION_TYPES, "source.publisher", at(meta, "publisher"))
    editors = meta.get("editors", LocatedDict())
    for index, person in enumerate(editors.get("people", [])):
        checker.ref(person, frozenset({"Person"}), "source.editors",
                    Where(file, editors["people"].item_lines[index]))
    photos = []
    for index, item in enumerate(meta.get("photos", [])):
        where = Where(file, meta["photos"].item_lines[index])
        checker.ref(item["depicts"], EVENT_TYPES, "photo depicts", at(item, "depicts"))
        checker.ref(item["creator"], frozenset({"Person"}), "photo creator", at(item, "creator"))
        if "agency" in item:
            checker.ref(item["agency"], ORGANIZATION_TYPES, "photo agency", at(item, "agency"))
        photos.append(Photo(id=item["id"], depicts=item["depicts"], creator=item["creator"],
                            agency=item.get("agency"), evidence=evidence(item), where=where))

    facts: list[Fact] = []
    ids: dict[str, int] = {photo.id: photo.where.line for photo in photos}
    items: LocatedList = document["facts"]
    for index, item in enumerate(items):
        where = Where(file, items.item_lines[index])
        if item["id"] in ids:
            checker.error(f"the fact id {item['id']!r} is already used at line "
                          f"{ids[item['id']]}: ids must be unique within a source; give this "
                          "fact another id", where)
            continue
        ids[item["id"]] = where.line
        context = _ItemContext(checker, item, where, evidence(item))
        facts.append(kind_named(item["kind"]).read(item, context))

    source = Source(
        id=meta["id"], title=meta["title"], url=meta["url"], publisher=meta["publisher"],
        published=meta["published"], language=meta["language"], text_file=meta["text"],
        sha256=meta["sha256"], where=Where(file, document.key_lines["source"]),
        paragraphs=meta.get("paragraphs", "blank-line"),
        website=meta.get("website"),
        published_evidence=evidence(meta, "published_evidence"),
        editors=tuple(editors.get("people", ())),
        editors_evidence=evidence(editors) if editors else (),
        photos=tuple(photos), facts=tuple(facts))
    if name_problem is None and corpus_dir is not None:
        check_text(source, corpus_dir, checker, Where(file, meta.key_lines["text"]),
                   Where(file, meta.key_lines["sha256"]))
    return source if len(checker.errors) == before else None


def _check_published(published: str, where: Where, checker: Checker) -> None:
    """A real date and time, with an offset the world uses."""
    try:
        offset = dt.datetime.fromisoformat(published).utcoffset()
    except ValueError as exc:
        checker.error(f"source.published: {published!r} is not a real date and time ({exc}): "
                      "write it like 2023-04-20T10:34:00+08:00", where)
        return
    if offset is not None and abs(offset) > dt.timedelta(hours=14):
        checker.error(f"source.published: the UTC offset of {published!r} lies beyond 14 "
                      "hours: write the offset of the place of publication, e.g. +08:00", where)


def check_text(source: Source, corpus_dir: Path, checker: Checker, text_at: Where,
               sha_at: Where) -> None:
    """Check the SHA-256 of the source's text and every locator against it."""
    def problem(message: str) -> None:
        checker.error(f"source.text: {message}", text_at)

    try:
        path = text_path(corpus_dir, source.text_file)
    except ValueError as exc:
        problem(str(exc))
        return
    if not path.is_file():
        problem(f"{source.text_file!r} is not in {corpus_dir}: fix the file name "
                "or point --sources at the folder holding the texts")
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problem(f"{source.text_file!r} cannot be read ({exc.strerror or exc}): make it a "
                "readable file")
        return
    digest = hashlib.sha256(raw).hexdigest()
    if digest != source.sha256:
        checker.error(f"sha256: the text {source.text_file} has sha256 {digest}, not the one "
                      "given: the capture changed; re-check every locator, then update sha256",
                      sha_at)
        return
    try:
        text = SourceText(raw.decode("utf-8"), source.paragraphs)
    except UnicodeDecodeError as exc:
        problem(f"the text {source.text_file} is not UTF-8 ({exc.reason} at byte "
                f"{exc.start}): save it as UTF-8, then update sha256")
        return
    rule_problem = text.rule_problem()
    if rule_problem is not None:
        problem(rule_problem)
        return
    check_summaries(source, text, checker)
    for item in source.all_evidence():
        try:
            text.resolve(item.locator)
        except ValueError as exc:
            checker.error(f"evidence {item.locator}: {exc}: fix the locator",
                          item.where or source.where)


def iter_source_files(data_dir: Path) -> Iterator[Path]:
    """The source files of a data folder, in build order.

    Raise CurationErrors, before yielding any, when a name ending in .yaml or .yml is
    not a file (a folder, a broken link) or is a symbolic link leading out of the data
    folder (whose content a message could otherwise show).
    """
    folder = data_dir / SOURCES_DIR
    paths = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    linked = folder.is_symlink()
    odd = []
    for path in paths:
        if not path.is_file():
            odd.append(CurationError(
                f"this is {'a folder' if path.is_dir() else 'not a file'}, not a source "
                f"file: rename it or move it out of {SOURCES_DIR}/", file=display(path),
                line=1))
        elif (linked or path.is_symlink()) and leads_out(path, data_dir):
            odd.append(CurationError(
                "this is a symbolic link leading out of the data folder: copy the file into "
                f"{SOURCES_DIR}/ instead", file=display(path), line=1))
    if odd:
        raise CurationErrors(odd)
    yield from paths


def load_sources(data_dir: Path, paths: list[Path], entities: dict[str, Entity],
                 corpus_dir: Path | None = None) -> list[Source]:
    """Read and check some source files against a registry; raise CurationErrors on problems.

    Source ids must be unique among the files read. (``data_dir`` is the data folder the
    files belong to.)
    """
    checker = Checker(entities)
    sources: list[Source] = []
    seen: dict[str, Where] = {}
    for path in paths:
        source = read_source(path, checker, corpus_dir)
        if source is None:
            continue
        if source.id in seen:
            checker.error(f"the source id {source.id!r} is already used in "
                          f"{seen[source.id].file}: give each source its own id", source.where)
            continue
        seen[source.id] = source.where
        sources.append(source)
    if checker.errors:
        raise CurationErrors(checker.errors)
    return sources
