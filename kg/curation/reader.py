"""Read the curation files of a data folder into checked facts.

The only module that knows the file format: ``entities.yaml`` (the registry shared by
all sources) and ``sources/*.yaml`` (one file per source). Each file is checked against
its JSON Schema (``kg/curation/schemas/``), then for what a schema cannot say: ids that exist,
entity types that fit their role, real dates, unique ids, a text named by a plain file
name, and, when the source texts are at hand, the text's SHA-256 and that every locator
points at a real sentence. All problems are collected and raised together, each with
its file and line and how to fix it (see :func:`kg.errors.fix_hint`).

Before the schema, every string is checked for what would break the exports: a
one-line field (ids, labels, names, titles, dates, urls, language tags: everything but
the free text of :data:`MULTILINE_FIELDS`) holds no line break, no control character
and no white space at either end; free text may hold line feeds and tabs, no other
control character; no string holds what XML 1.0 cannot (U+FFFE, U+FFFF, lone
surrogates).

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
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any, cast

import jsonschema

from kg.curation.located_yaml import LocatedDict, LocatedList, line_of, load_located
from kg.curation.model import (
    EVENT_TYPES,
    ORGANIZATION_TYPES,
    Curation,
    Entity,
    Evidence,
    Photo,
    Source,
    Where,
)
from kg.curation.text import Locator, SourceText, text_name_problem, text_path
from kg.errors import CurationError, CurationErrors
from kg.kinds import kind_named
from kg.kinds.base import Fact
from kg.kinds.schema import with_kinds

REGISTRY_FILE = "entities.yaml"
SOURCES_DIR = "sources"



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
    """A packaged JSON Schema: ``entities`` or ``source`` (whose fact definitions always
    come from the registry of kinds, :mod:`kg.kinds.schema`)."""
    text = resources.files("kg.curation").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return with_kinds(loaded) if name == "source" else loaded


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
        found.append(CurationError(_explain(error, field, name), file=file,
                                   line=line_of(document, path)))
    return _one_per_line(found)


def _one_per_line(errors: list[CurationError]) -> list[CurationError]:
    seen: set[tuple[str | None, int | None]] = set()
    kept = []
    for error in errors:
        if (error.file, error.line) not in seen:
            seen.add((error.file, error.line))
            kept.append(error)
    return kept


#: How to write a value each pattern of the schemas accepts (a test keeps it complete).
PATTERN_FIXES: dict[str, str] = {
    "^[a-z0-9]+(-[a-z0-9]+)*$":
        "write lower-case letters and digits in words joined by single hyphens, e.g. qin-gang",
    "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$":
        "write YYYY-MM-DD, or YYYY-MM or YYYY when the source is no more precise",
    "^(p[1-9][0-9]*\\.s[1-9][0-9]*|chars:[0-9]+-[0-9]+)$":
        "write pN.sM (paragraph N, sentence M, both from 1) or chars:START-END",
    "^https?://[^\\s<>\"{}|\\\\^`]+$":
        "write the full address, from http:// or https://, with spaces percent-encoded (%20)",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?([+-][0-9]{2}:[0-9]{2}|Z)$":
        "write the date and time with its UTC offset, e.g. 2023-04-20T10:34:00+08:00",
    "^[a-z]{2,3}$": "write a two- or three-letter lower-case language code such as en or zh",
    "^[a-z]{2,3}(-[a-z]{3}){0,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?"
    "(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(-[0-9A-WYZa-wyz](-[A-Za-z0-9]{2,8})+)*"
    "(-[xX](-[A-Za-z0-9]{1,8})+)?$":
        "write a language tag such as en, zh or zh-Hans (BCP 47)",
    "^[0-9a-f]{64}$": "write the 64 lower-case hex digits that sha256sum prints for the text",
    "^[0-9]{2,4}$": 'write a CAMEO code of two to four digits in quotes, e.g. "040"',
    "^Q[1-9][0-9]*$": "write a Wikidata id such as Q15031, or leave it out when not verified",
}

_KINDS = {"string": "a text", "array": "a list", "object": "a mapping of fields",
          "integer": "a whole number", "number": "a number", "boolean": "true or false"}
_TYPE_FIXES = {"string": "quote it", "array": "write a list, e.g. [a, b]",
               "object": "write its fields on indented lines below it"}


def _shown(value: Any) -> str:
    """A value as a message shows it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _explain(error: jsonschema.ValidationError, field: str, name: str) -> str:
    """A schema error in words an analyst can act on, ending with how to fix it."""
    kind = error.validator
    value = error.validator_value
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        return f"{field}: the field '{missing}' is missing: add it"
    if kind == "additionalProperties":
        return f"{field}: {error.message}: remove it or fix its spelling"
    if kind == "enum":
        allowed = ", ".join(str(v) for v in cast(list[Any], value))
        return f"{field}: {_shown(error.instance)} is not allowed: use one of {allowed}"
    if kind == "pattern":
        fix = PATTERN_FIXES.get(str(value), f"write a value matching {value}")
        return f"{field}: {_shown(error.instance)} is malformed: {fix}"
    if kind == "minItems":
        return f"{field}: the list is empty: give at least one item"
    if kind == "type":
        wanted = _KINDS.get(str(value), str(value))
        fix = _TYPE_FIXES.get(str(value), f"write {wanted}")
        if value == "string" and isinstance(error.instance, (dict, list)):
            fix = "write a single text in its place"
        return f"{field}: {_shown(error.instance)} should be {wanted}: {fix}"
    if kind == "minLength":
        return f"{field}: the text is empty: write a value"
    if kind == "maxLength":
        return (f"{field}: the text has {len(str(error.instance))} characters, more than "
                f"{value}: shorten it")
    if kind == "oneOf":
        return (f"{field}: {_shown(error.instance)} is neither an id nor a list of ids: write "
                "one id, or a list of ids such as [a, b]")
    if kind == "const":
        return f"{field}: {_shown(error.instance)} is not allowed here: write {value!r}"
    return f"{field}: {error.message}: fix it as kg/curation/schemas/{name}.schema.json describes"


#: Free-text fields that may span lines; every other string of a curation file is one line.
MULTILINE_FIELDS = frozenset({"description", "summary", "unnamed_participants"})

#: Never in any string: control characters other than tab, line feed and carriage return
#: (C0, DEL, C1 with NEL), the line and paragraph separators, and what XML 1.0 cannot hold.
_NEVER = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"
_BAD_IN_LINE = re.compile(f"[{_NEVER}\t\n\r]")
_BAD_IN_TEXT = re.compile(f"[{_NEVER}\r]")
_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_CHAR_NAMES = {0x00: "NUL", 0x09: "tab", 0x0A: "line feed", 0x0D: "carriage return",
               0x1B: "escape", 0x7F: "delete", 0x85: "next line", 0x2028: "line separator",
               0x2029: "paragraph separator", 0xFFFE: "noncharacter", 0xFFFF: "noncharacter"}


def _char(char: str) -> str:
    """A character as messages name it: U+XXXX and what it is.

    >>> _char("\\r"), _char("\\u00a0")
    ('U+000D (carriage return)', 'U+00A0 (no-break space)')
    """
    code = ord(char)
    name = _CHAR_NAMES.get(code)
    if name is None:
        if 0xD800 <= code <= 0xDFFF:
            name = "lone surrogate"
        elif unicodedata.category(char) == "Cc":
            name = "control character"
        else:
            name = unicodedata.name(char, "character").lower()
    return f"U+{code:04X} ({name})"


def text_problem(value: str, multiline: bool = False) -> str | None:
    """What makes a string unfit for the graph, ending with its fix, or None.

    >>> text_problem("Qin Gang") is None
    True
    >>> print(text_problem("2023-04-19\\n"))  # doctest: +ELLIPSIS
    U+000A (line feed) at character 11 breaks the line: write the value on one line, ...
    >>> text_problem("two\\nlines", multiline=True) is None
    True
    """
    if value.isprintable() and (multiline or not (value[:1].isspace() or value[-1:].isspace())):
        return None
    bad = (_BAD_IN_TEXT if multiline else _BAD_IN_LINE).search(value)
    if bad is not None:
        char, at = bad.group(0), f"{_char(bad.group(0))} at character {bad.start() + 1}"
        if char in _BREAKS and not multiline:
            return (f"{at} breaks the line: write the value on one line, plain or quoted (a "
                    "| or > block adds a line break)")
        if char == "\t":
            return f"{at} is not allowed in a one-line value: replace it with a space"
        if char == "\r" or char in _BREAKS:
            return (f"{at} is not allowed: remove it (free text breaks its lines with line "
                    "feeds alone)")
        if char in "\ufffe\uffff" or "\ud800" <= char <= "\udfff":
            return f"{at} cannot be written in XML: remove it"
        return f"{at} is a control character, which the graph does not take: remove it"
    if not multiline and value[:1].isspace():
        return f"{_shown(value)} starts with {_char(value[0])}: remove it"
    if not multiline and value[-1:].isspace():
        return f"{_shown(value)} ends with {_char(value[-1])}: remove it"
    return None


def _text_errors(document: Any, file: str) -> list[CurationError]:
    """Every string of a document, keys included, checked with :func:`text_problem`."""
    found: list[CurationError] = []

    def walk(value: Any, field: str, line: int, multiline: bool) -> None:
        if isinstance(value, str):
            problem = text_problem(value, multiline)
            if problem is not None:
                found.append(CurationError(f"{field}: {problem}", file=file, line=line))
        elif isinstance(value, LocatedDict):
            for key, item in value.items():
                where = f"{field}.{key}" if field else key
                problem = text_problem(key)
                if problem is not None:
                    found.append(CurationError(f"{field or 'the file'}: the key {key!r}: "
                                               f"{problem}", file=file,
                                               line=value.key_lines[key]))
                    continue
                walk(item, where, value.key_lines[key], key in MULTILINE_FIELDS)
        elif isinstance(value, LocatedList):
            for index, item in enumerate(value):
                walk(item, f"{field}.{index}", value.item_lines[index], False)

    walk(document, "", getattr(document, "line", 1), False)
    return _one_per_line(found)


def _read(path: Path, display: str, top: str) -> Any:
    """A curation file's YAML, as located values; ``top`` names its top-level fields."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CurationError(f"the file cannot be read ({exc.strerror or exc}): make it a "
                            "readable file", file=display, line=1) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CurationError(f"the file is not UTF-8 ({exc.reason} at byte {exc.start}): "
                            "save it as UTF-8", file=display,
                            line=raw.count(b"\n", 0, exc.start) + 1) from None
    document = load_located(text, display)
    if not isinstance(document, LocatedDict):
        raise CurationError(f"the file must be a YAML mapping of fields: write {top}",
                            file=display, line=getattr(document, "line", 1))
    return document


def _check_date(value: str | None, field: str, where: Where, errors: list[CurationError]) -> None:
    if value is None:
        return
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        elif len(value) == 7:
            dt.date.fromisoformat(value + "-01")
        elif len(value) == 4:
            dt.date.fromisoformat(value + "-01-01")
    except ValueError as exc:
        errors.append(CurationError(
            f"{field}: {value!r} is not a real date ({exc}): write YYYY-MM-DD, YYYY-MM or YYYY",
            file=where.file, line=where.line))


def _display(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _ItemContext:
    """One curation item as the :class:`~kg.kinds.base.ReadContext` of its kind."""

    def __init__(self, reader: _Reader, item: LocatedDict, where: Where,
                 evidence: tuple[Evidence, ...]):
        self.reader = reader
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
        self.reader.ref(entity_id, allowed, role, where)

    def date(self, key: str) -> str | None:
        value: str | None = self.item.get(key)
        _check_date(value, key, self.at(key), self.reader.errors)
        return value

    def error(self, message: str, where: Where) -> None:
        self.reader.errors.append(CurationError(message, file=where.file, line=where.line))


class _Reader:
    """Reads one data folder; collects every problem instead of stopping at the first."""

    def __init__(self, data_dir: Path, corpus_dir: Path | None):
        self.data_dir = data_dir
        self.corpus_dir = corpus_dir
        self.errors: list[CurationError] = []
        self.entities: dict[str, Entity] = {}

    def display(self, path: Path) -> str:
        return _display(path)

    # -- registry ---------------------------------------------------------------
    def read_registry(self) -> None:
        path = self.data_dir / REGISTRY_FILE
        file = self.display(path)
        if path.is_dir():
            self.errors.append(CurationError(
                f"{REGISTRY_FILE} is a folder: replace it with the entity registry file",
                file=file, line=1))
            return
        if not path.is_file():
            self.errors.append(CurationError(
                f"the entity registry is missing: create {REGISTRY_FILE} in the data folder",
                file=file, line=1))
            return
        if path.is_symlink() and _leads_out(path, self.data_dir):
            self.errors.append(CurationError(
                "this is a symbolic link leading out of the data folder: copy the registry "
                "into the data folder instead", file=file, line=1))
            return
        try:
            document = _read(path, file, "'entities:' and the list of entities below it")
        except CurationError as exc:
            self.errors.append(exc)
            return
        problems = _text_errors(document, file) or _schema_errors(document, "entities", file)
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
                    "ids must be unique; give this entity another id, or merge the two entries",
                    file=file, line=where.line))
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
                        f"post_in is only for entities of type Post, not {entity.type}: remove "
                        "post_in, or change the type to Post", file=file, line=entity.where.line))
                self.ref(entity.post_in, ORGANIZATION_TYPES, "post_in", entity.where)
            elif entity.type == "Post":
                self.errors.append(CurationError(
                    f"the post {entity.id!r} needs post_in: add post_in with the id of the "
                    "organization the post belongs to", file=file, line=entity.where.line))
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
            document = _read(path, file, "'source:' and 'facts:' with their fields below them")
        except CurationError as exc:
            self.errors.append(exc)
            return None
        problems = _text_errors(document, file) or _schema_errors(document, "source", file)
        if problems:
            self.errors.extend(problems)
            return None
        before = len(self.errors)
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
                    self.errors.append(CurationError(f"evidence {text}: {exc}", file=file,
                                                     line=where.line))
            return tuple(found)

        try:
            offset = dt.datetime.fromisoformat(meta["published"]).utcoffset()
        except ValueError as exc:
            self.errors.append(CurationError(
                f"source.published: {meta['published']!r} is not a real date and time ({exc}): "
                "write it like 2023-04-20T10:34:00+08:00", file=file,
                line=at(meta, "published").line))
        else:
            if offset is not None and abs(offset) > dt.timedelta(hours=14):
                self.errors.append(CurationError(
                    f"source.published: the UTC offset of {meta['published']!r} lies beyond "
                    "14 hours: write the offset of the place of publication, e.g. +08:00",
                    file=file, line=at(meta, "published").line))
        name_problem = text_name_problem(meta["text"])
        if name_problem is not None:
            self.errors.append(CurationError(f"source.text: {name_problem}", file=file,
                                             line=at(meta, "text").line))
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
                    "ids must be unique within a source; give this fact another id",
                    file=file, line=where.line))
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
        if name_problem is None:
            self.check_text(source, Where(file, meta.key_lines["text"]),
                            Where(file, meta.key_lines["sha256"]))
        return source if len(self.errors) == before else None

    def read_fact(self, item: LocatedDict, where: Where, evidence: tuple[Evidence, ...],
                  at: Callable[[str], Where]) -> Fact:
        fact: Fact = kind_named(item["kind"]).read(item, _ItemContext(self, item, where,
                                                                      evidence))
        return fact

    def check_text(self, source: Source, text_at: Where, sha_at: Where) -> None:
        """Check the SHA-256 of the source's text and every locator against it."""
        if self.corpus_dir is None:
            return

        def problem(message: str) -> None:
            self.errors.append(CurationError(f"source.text: {message}", file=text_at.file,
                                             line=text_at.line))

        try:
            path = text_path(self.corpus_dir, source.text_file)
        except ValueError as exc:
            problem(str(exc))
            return
        if not path.is_file():
            problem(f"{source.text_file!r} is not in {self.corpus_dir}: fix the file name "
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
            self.errors.append(CurationError(
                f"sha256: the text {source.text_file} has sha256 {digest}, not the one given: "
                "the capture changed; re-check every locator, then update sha256",
                file=sha_at.file, line=sha_at.line))
            return
        try:
            text = SourceText(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            problem(f"the text {source.text_file} is not UTF-8 ({exc.reason} at byte "
                    f"{exc.start}): save it as UTF-8, then update sha256")
            return
        for item in source.all_evidence():
            try:
                text.resolve(item.locator)
            except ValueError as exc:
                where = item.where or source.where
                self.errors.append(CurationError(
                    f"evidence {item.locator}: {exc}: fix the locator",
                    file=where.file, line=where.line))


def _leads_out(path: Path, folder: Path) -> bool:
    """Whether ``path``, a symbolic link (or inside one), leads out of ``folder``."""
    try:
        return not path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return True


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
                f"file: rename it or move it out of {SOURCES_DIR}/", file=_display(path),
                line=1))
        elif (linked or path.is_symlink()) and _leads_out(path, data_dir):
            odd.append(CurationError(
                "this is a symbolic link leading out of the data folder: copy the file into "
                f"{SOURCES_DIR}/ instead", file=_display(path), line=1))
    if odd:
        raise CurationErrors(odd)
    yield from paths


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
