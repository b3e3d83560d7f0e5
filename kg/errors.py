"""One exception tree for the library; the CLI maps each to a one-line ``Error: ...``.

>>> str(CurationError("bad date", file="data/x.yaml", line=3))
'data/x.yaml:3: bad date'
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error the library raises on purpose."""


class CurationError(KGError):
    """A problem in a curation file, located by file and line."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line if self.line is not None else 1}: "
        return f"{where}{self.message}"


class CurationErrors(KGError):
    """Several curation problems found in one pass (each printed on its own line)."""

    def __init__(self, errors: list[CurationError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class ValidationError(KGError):
    """The graph does not conform to the SHACL shapes."""


class QueryError(KGError):
    """A SPARQL query is malformed, refused, or failed."""


class UnknownEntityError(KGError):
    """An entity id is not in the registry."""
