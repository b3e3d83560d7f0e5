"""The SPARQL queries shipped with the package, one per competency question.

Each ``kg/sparql/queries/NAME.rq`` starts with ``# question: ...`` and declares its own
prefixes, so it also runs unchanged on any other SPARQL endpoint.

A query may take parameters. Each is declared in the header, ``# param NAME: DEFAULT``, and
bound in the query by one ``VALUES ?NAME { TERM }`` block that holds the default, so the
file runs as it is. What a value is (a date, a source id, an entity id) is what the
default term is: ``"2023-04-19"^^xsd:date``, ``<https://w3id.org/diplomacy-kg/id/source/ID>``
or ``<https://w3id.org/diplomacy-kg/id/ID>`` (``id:ID``). :func:`text` binds other values:
each is checked, made an RDF term, and written by rdflib in place of the default term of
its VALUES block; a value is never pasted into a query as it was given. A question may
name a parameter as ``{NAME}``.

>>> names()[:3]
['cq1', 'cq2', 'cq3']
>>> question("cq9")
'Which organizations is China a member of?'
>>> [(p.name, p.default, p.kind) for p in parameters("cq2")]
[('date', '2023-04-19', 'date')]
>>> question("cq2", {"date": "2023-05-04"})
'Which posts did Qin Gang hold on 2023-05-04, and of which organization?'
>>> print(values_block(text("cq2", {"date": "2023-05-04"}), "date"))
VALUES ?date { "2023-05-04"^^<http://www.w3.org/2001/XMLSchema#date> }
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError
from kg.graph.namespaces import ID, entity_iri, source_iri

__all__ = ["Parameter", "names", "parameters", "params_of_each", "parse_params", "question",
           "text", "values_block"]

_QUESTION = re.compile(r"^#\s*question:\s*(.+)$", re.MULTILINE)
_PARAM = re.compile(r"^#\s*param\s+(?P<name>[a-z_][a-z0-9_]*)\s*:\s*(?P<default>\S+)\s*$",
                    re.MULTILINE)
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: The kinds of value, each with the default terms that say a parameter is of that kind.
_KINDS: dict[str, tuple[re.Pattern[str], ...]] = {
    "date": (re.compile(r'"(?P<value>[^"]*)"\^\^(?:xsd:date|<' + re.escape(str(XSD.date))
                        + ">)"),),
    "source id": (re.compile("<" + re.escape(str(ID)) + r"source/(?P<value>[^>/]*)>"),),
    "entity id": (re.compile("<" + re.escape(str(ID)) + r"(?P<value>[^>/]*)>"),
                  re.compile(r"id:(?P<value>[a-z0-9-]+)")),
}
_EXAMPLES = {"date": "2023-04-19", "source id": "xinhua-2023-04-20-chinese-fm-meets-sco-chief",
             "entity id": "qin-gang"}
_WHAT = {"date": "a date (YYYY-MM-DD)", "source id": "a source id", "entity id": "an entity id"}


@dataclass(frozen=True)
class Parameter:
    """A parameter of a shipped query: its name, its default and what its values are
    (``date``, ``source id`` or ``entity id``)."""

    name: str
    default: str
    kind: str

    @property
    def what(self) -> str:
        """What a value is, in words.

        >>> Parameter("date", "2023-04-19", "date").what
        'a date (YYYY-MM-DD)'
        """
        return _WHAT[self.kind]


def _files() -> dict[str, str]:
    folder = resources.files("kg.sparql").joinpath("queries")
    return {item.name[:-3]: item.read_text("utf-8") for item in folder.iterdir()
            if item.name.endswith(".rq")}


def _natural(name: str) -> tuple[str, int]:
    match = re.match(r"(\D*)(\d*)", name)
    assert match is not None
    return match.group(1), int(match.group(2) or 0)


def names() -> list[str]:
    """The names of the shipped queries, in natural order (cq2 before cq10)."""
    return sorted(_files(), key=_natural)


def _source(name: str) -> str:
    files = _files()
    if name not in files:
        close = difflib.get_close_matches(name, list(files), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise QueryError(f"no shipped query named {name!r}{hint}: see `kg ask --list`")
    return files[name]


def _block(query: str, name: str) -> re.Match[str]:
    """The one ``VALUES ?name { TERM }`` block of a query; QueryError when there is none
    or more than one."""
    found = list(re.finditer(r"VALUES\s+\?" + re.escape(name)
                             + r"\s*\{\s*(?P<term>[^{}\s]+)\s*\}", query))
    if len(found) != 1:
        raise QueryError(f"the parameter {name} needs one VALUES ?{name} {{ DEFAULT }} block "
                         f"in the query, not {len(found)}: write one where ?{name} is used")
    return found[0]


def values_block(query: str, name: str) -> str:
    """The ``VALUES ?name { TERM }`` block that binds a parameter in a query's text.

    >>> values_block("SELECT * { VALUES ?p { id:china } ?p ?q ?r }", "p")
    'VALUES ?p { id:china }'
    """
    return _block(query, name).group(0)


def parameters(name: str) -> tuple[Parameter, ...]:
    """The parameters a shipped query declares, in the order of its header; QueryError when
    a declaration does not agree with the query's VALUES block."""
    query = _source(name)
    found = []
    for match in _PARAM.finditer(query):
        param, default = match["name"], match["default"]
        term = _block(query, param)["term"]
        kinds = [kind for kind, patterns in _KINDS.items()
                 for pattern in patterns if (hit := pattern.fullmatch(term)) is not None
                 and hit["value"] == default]
        if not kinds:
            raise QueryError(f"{name}.rq: the VALUES block of {param} holds {term}, not the "
                             f"default {default}: write the default as a date literal "
                             "or a source or entity IRI")
        found.append(Parameter(param, default, kinds[0]))
    return tuple(found)


def _term(param: Parameter, value: str) -> Literal | URIRef:
    """A value of a parameter as an RDF term; QueryError when it is no value of its kind."""
    example = _EXAMPLES[param.kind]
    if param.kind == "date":
        try:
            if not _DATE.fullmatch(value):
                raise ValueError(value)
            dt.date.fromisoformat(value)
        except ValueError:
            raise QueryError(f"--param {param.name}: {value!r} is not a date: write "
                             f"YYYY-MM-DD, such as {example}") from None
        return Literal(value, datatype=XSD.date)
    if not _ID.fullmatch(value):
        raise QueryError(f"--param {param.name}: {value!r} is not a {param.kind}: write "
                         f"lower-case letters, digits and hyphens, such as {example}")
    return source_iri(value) if param.kind == "source id" else entity_iri(value)


def _values(name: str, params: Mapping[str, str] | None) -> dict[str, str]:
    """Every parameter of a query with its value: the one given, else its default."""
    declared = parameters(name)
    known = {p.name for p in declared}
    for given in params or {}:
        if given not in known:
            fix = (f"use {', '.join(sorted(known))}" if known
                   else f"remove --param {given}")
            raise QueryError(f"{name} has no parameter {given!r}: {fix} (see `kg ask --list`)")
    return {p.name: (params or {}).get(p.name, p.default) for p in declared}


def text(name: str, params: Mapping[str, str] | None = None) -> str:
    """The SPARQL text of a shipped query, its parameters bound to ``params`` (the others
    to their defaults); QueryError with close names when the query is unknown, and when a
    parameter is unknown or a value is not of its kind.

    >>> values_block(text("cq14", {"source": "tass-2023-05-04-lavrov"}), "source")
    'VALUES ?source { <https://w3id.org/diplomacy-kg/id/source/tass-2023-05-04-lavrov> }'
    >>> text("cq2", {"date": "2023-02-30"})
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: --param date: '2023-02-30' is not a date: write YYYY-MM-DD, such \
as 2023-04-19
    """
    query = _source(name)
    values = _values(name, params)
    for param in parameters(name):
        term = _term(param, values[param.name])
        block = _block(query, param.name)
        query = query[:block.start("term")] + term.n3() + query[block.end("term"):]
    return query


def question(name: str, params: Mapping[str, str] | None = None) -> str:
    """The competency question a shipped query answers, its ``{NAME}`` parameters written
    as given in ``params`` (else as their defaults)."""
    match = _QUESTION.search(_source(name))
    if match is None:
        return ""
    values = _values(name, params)
    return re.sub(r"\{([a-z_][a-z0-9_]*)\}",
                  lambda m: values.get(m.group(1), m.group(0)), match.group(1).strip())


def parse_params(items: Iterable[str]) -> dict[str, str]:
    """``NAME=VALUE`` strings (from ``--param``) as a mapping; QueryError when one has no
    ``=`` or a name comes twice.

    >>> parse_params(["date=2023-05-04", "source=tass-2023-05-04-lavrov"])
    {'date': '2023-05-04', 'source': 'tass-2023-05-04-lavrov'}
    >>> parse_params(["date"])
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: --param 'date' has no value: write NAME=VALUE, such as date=2023-04-19
    """
    found: dict[str, str] = {}
    for item in items:
        key, equals, value = item.partition("=")
        key = key.strip()
        if not equals or not key:
            raise QueryError(f"--param {item!r} has no value: write NAME=VALUE, such as "
                             "date=2023-04-19")
        if key in found:
            raise QueryError(f"--param {key} is given twice: give it once")
        found[key] = value.strip()
    return found


def params_of_each(params: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Values given for every shipped query at once (``kg ask --all``): each query's own,
    by query name; QueryError when no query has one of the parameters.

    >>> params_of_each({"date": "2023-05-04"})["cq3"], params_of_each({"date": "2023-05-04"})["cq9"]
    ({'date': '2023-05-04'}, {})
    """
    own = {name: {p.name for p in parameters(name)} for name in names()}
    declared = set().union(*own.values())
    for given in params:
        if given not in declared:
            raise QueryError(f"no shipped query has a parameter {given!r}: use one of "
                             f"{', '.join(sorted(declared))} (see `kg ask --list`)")
    return {name: {k: v for k, v in params.items() if k in mine} for name, mine in own.items()}
