"""One curation file from disk to checked YAML: readable, UTF-8, a mapping of fields, every
string fit for the graph (:mod:`kg.curation.values`) and the file valid against its JSON
Schema (:mod:`kg.curation.schema_check`).

>>> from pathlib import Path
>>> errors: list[CurationError] = []
>>> document = read_checked(Path("data/entities.yaml"), "data/entities.yaml", "entities",
...                         errors)
>>> "qin-gang" in [entity["id"] for entity in document["entities"]], errors
(True, [])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.curation.draft_format import draft_marks
from kg.curation.located_yaml import LocatedDict, load_located
from kg.curation.schema_check import schema_errors
from kg.curation.values import text_errors
from kg.errors import CurationError

__all__ = ["display", "leads_out", "read_checked", "read_yaml"]

#: What the top of each kind of file holds, as the message for a file that is no mapping
#: says it.
_TOPS = {"entities": "'entities:' and the list of entities below it",
         "source": "'source:' and 'facts:' with their fields below them"}


def display(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it.

    >>> display(Path.cwd() / "data" / "entities.yaml")
    'data/entities.yaml'
    """
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def leads_out(path: Path, folder: Path) -> bool:
    """Whether ``path``, a symbolic link (or inside one), leads out of ``folder``.

    >>> leads_out(Path("data/entities.yaml"), Path("data"))
    False
    """
    try:
        return not path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return True


def read_yaml(path: Path, file: str, top: str) -> Any:
    """A curation file's YAML, as located values; ``top`` names its top-level fields.
    ``file`` is the path as messages show it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CurationError(f"the file cannot be read ({exc.strerror or exc}): make it a "
                            "readable file", file=file, line=1) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CurationError(f"the file is not UTF-8 ({exc.reason} at byte {exc.start}): "
                            "save it as UTF-8", file=file,
                            line=raw.count(b"\n", 0, exc.start) + 1) from None
    document = load_located(text, file)
    if not isinstance(document, LocatedDict):
        raise CurationError(f"the file must be a YAML mapping of fields: write {top}",
                            file=file, line=getattr(document, "line", 1))
    return document


def read_checked(path: Path, file: str, name: str,
                 errors: list[CurationError]) -> LocatedDict | None:
    """The YAML of a curation file checked against the schema ``name`` (``entities`` or
    ``source``), or None, its problems added to ``errors``: the file's own (unreadable,
    not UTF-8, not YAML), else those of its strings, else those of the schema."""
    try:
        document: LocatedDict = read_yaml(path, file, _TOPS[name])
    except CurationError as exc:
        errors.append(exc)
        return None
    problems = (_draft_errors(document, file) if name == "source" else []) or \
        text_errors(document, file) or schema_errors(document, name, file)
    if problems:
        errors.extend(problems)
        return None
    return document


def _draft_errors(document: LocatedDict, file: str) -> list[CurationError]:
    """One error per ``draft:`` block left in a source file (a draft of ``kg extract``)."""
    errors = []
    for mark in draft_marks(document):
        left = f" ({len(mark.todo)} todo: {mark.todo[0]})" if mark.todo else ""
        errors.append(CurationError(
            f"the draft block of the {mark.what} is not resolved{left}: check it against "
            "the text, settle each todo and delete the draft: block", file=file,
            line=mark.line))
    return errors
