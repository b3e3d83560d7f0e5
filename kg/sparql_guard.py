"""Refuse SPARQL that would reach the network or change the graph, before anything runs.

rdflib will happily evaluate ``SERVICE <url>`` (an HTTP request), fetch the IRIs of
``FROM`` / ``FROM NAMED`` clauses that are not already graphs of the dataset, and run
``LOAD`` and other updates. The guard parses the text with rdflib's own parser and walks
the whole parse tree (and, for :func:`prepare_query`, the algebra too), so a keyword
inside a string literal or a comment is never mistaken for a clause, and a clause nested
in a subquery, ``OPTIONAL``, ``UNION``, ``MINUS`` or ``FILTER EXISTS`` is never missed.

>>> ensure_local("SELECT ?s WHERE { ?s ?p 'SERVICE' }  # SERVICE <http://x>")
>>> ensure_local("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.errors.QueryError: SERVICE <http://x/sparql> is refused: queries never reach the network
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from kg.errors import QueryError

__all__ = ["ensure_local", "prepare_query"]

_NETWORK = "queries never reach the network"
_READ_ONLY = "the graph is read-only"

#: Parse-tree node names of SPARQL 1.1 Update operations, with the keyword they stand for.
_UPDATE_OPERATIONS: dict[str, str] = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


def ensure_local(query_text: str) -> None:
    """Raise :class:`QueryError` unless ``query_text`` is a read-only, network-free query.

    Refused: any ``SERVICE`` (wherever it is nested), ``FROM`` / ``FROM NAMED``, ``LOAD``
    and every other update operation. A syntax error is also a :class:`QueryError`, with
    its line and column. Prefixes need not be declared: only the syntax is checked, so
    the text may come with or without :func:`kg.namespaces.sparql_prologue`.

    >>> ensure_local("ASK { ?s dip:attends ?m }")
    >>> ensure_local("DROP ALL")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: DROP is refused: the graph is read-only
    """
    tree = _parse(query_text)
    _check_tree(tree)


def prepare_query(query_text: str) -> Query:
    """Check ``query_text`` like :func:`ensure_local`, then translate it to rdflib's algebra.

    The translated query is checked a second time, so what is returned (and later
    evaluated) is exactly what was inspected. Every prefix must be declared in the text.

    >>> prepare_query("PREFIX ex: <http://example.org/> ASK { ex:a ?p ?o }").algebra.name
    'AskQuery'
    """
    tree = _parse(query_text)
    _check_tree(tree)
    try:
        query = translateQuery(tree)
    except QueryError:
        raise
    except Exception as exc:
        raise QueryError(f"invalid query: {_one_line(str(exc)) or type(exc).__name__}") from exc
    _check_tree(query.algebra)
    return query


def _parse(text: str) -> ParseResults:
    """Parse as a query; if that fails, as an update, which is refused outright."""
    try:
        try:
            return parseQuery(text)
        except ParseBaseException as query_error:
            try:
                update = parseUpdate(text)
            except ParseBaseException as update_error:
                # Report whichever grammar got further into the text; on a tie, the query's.
                best = update_error if update_error.loc > query_error.loc else query_error
                raise QueryError(_syntax_message(best)) from None
    except RecursionError:
        raise QueryError("query is nested too deeply to parse") from None
    _refuse_update(update)
    raise QueryError("empty query: nothing to run")


def _syntax_message(exc: ParseBaseException) -> str:
    found = _one_line(exc.line)
    if len(found) > 60:
        found = found[:57] + "..."
    return (
        f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: "
        f"{_one_line(exc.msg)} (in: {found!r})"
    )


def _refuse_update(update: CompValue) -> None:
    operations = [n for n in _walk(update) if n.name in _UPDATE_OPERATIONS]
    # The network reason comes first: LOAD would fetch a URL even on a writable graph.
    for node in operations:
        if node.name == "Load":
            iri = _term(_field(node, "iri"))
            raise QueryError(f"LOAD {iri} is refused: {_NETWORK}, and {_READ_ONLY}")
    for node in _walk(update):
        _refuse_network(node)
    if operations:
        raise QueryError(f"{_UPDATE_OPERATIONS[operations[0].name]} is refused: {_READ_ONLY}")


def _check_tree(tree: object) -> None:
    for node in _walk(tree):
        _refuse_network(node)
        if node.name in _UPDATE_OPERATIONS:  # not reachable from a query parse; kept as a net
            raise QueryError(f"{_UPDATE_OPERATIONS[node.name]} is refused: {_READ_ONLY}")


def _refuse_network(node: CompValue) -> None:
    if node.name == "ServiceGraphPattern":
        service = _term(_field(node, "term"))
        raise QueryError(f"SERVICE {service} is refused: {_NETWORK}")
    if node.name == "DatasetClause":
        named = _field(node, "named")
        if named is not None:
            clause = f"FROM NAMED {_term(named)}"
        else:
            clause = f"FROM {_term(_field(node, 'default'))}"
        raise QueryError(
            f"{clause} is refused: rdflib would fetch that IRI over the network; "
            "query the named graphs with GRAPH <iri> { ... } instead"
        )


def _walk(root: object) -> Iterator[CompValue]:
    """Every :class:`CompValue` under ``root``, whatever containers hold them."""
    stack: list[object] = [root]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, str | bytes | Node) or id(item) in seen:
            continue  # rdflib terms are str subclasses: leaves
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
        if isinstance(item, ParseResults):
            stack.extend(item)
            stack.extend(v for _, v in item.items())  # type: ignore[no-untyped-call]
        elif isinstance(item, Mapping):
            # dict.values: CompValue.__getitem__ would resolve variables against a context.
            stack.extend(dict.values(item) if isinstance(item, dict) else item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif isinstance(item, Query):
            stack.append(item.algebra)


def _field(node: CompValue, key: str) -> Any:
    # Not node.get(key): CompValue.get returns the key itself when it is missing.
    return dict.get(node, key)


def _term(value: Any) -> str:
    n3 = getattr(value, "n3", None)
    return str(n3()) if callable(n3) else str(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


#: Words without which a text cannot hold a clause the guard refuses: SERVICE, LOAD,
#: FROM (NAMED), and the update operations.
_GUARDED_WORDS = ("SERVICE", "LOAD", "FROM", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE",
                  "ADD", "MOVE", "COPY", "WITH", "USING")
#: One of them anywhere, in any letter case. Not as a word of its own: Oxigraph reads
#: ``?s ?p 1SERVICE <iri> {...}`` (or ``trueSERVICE``) as a literal then SERVICE, and
#: sends the request, so a word boundary would let that text skip the guard.
_GUARDED = re.compile("|".join(_GUARDED_WORDS), re.IGNORECASE)


def needs_guard(text: str) -> bool:
    """Whether the full guard must parse ``text`` before Oxigraph may run it.

    rdflib's parser (which the guard walks) takes 20-70 ms for a typical query, more
    than Oxigraph takes to answer it. A text in which none of :data:`_GUARDED_WORDS`
    appears, in any letter case, except inside a variable or a prefixed name, and that
    has no ``\\u`` / ``\\U`` escape (SPARQL decodes those before parsing, so they could
    spell a keyword), cannot hold a refused clause: it goes straight to Oxigraph, whose
    parser then reports syntax errors. Any other text, even one where the word is only
    in a string, an IRI or a comment past the first lines, gets the full guard.

    >>> needs_guard("SELECT ?s WHERE { ?s a dip:Meeting }")
    False
    >>> needs_guard("select * { service <http://x/> { ?s ?p ?o } }")
    True
    >>> needs_guard("SELECT * { ?s ?p 'no s\\\\u0065rvice here' }")
    True
    >>> needs_guard("SELECT * WHERE { ?s ?p 1SERVICE <http://x/> { ?a ?b ?c } }")
    True
    >>> needs_guard("# q\\rSELECT * WHERE { SERVICE <http://x/> { ?a ?b ?c } }")
    True
    >>> needs_guard("SELECT * WHERE {}SERVICE<http://x/>{}")
    True
    >>> needs_guard("# who met with whom?\\nSELECT * WHERE { ?s ?p ?o }")
    False
    >>> needs_guard("SELECT * WHERE { ?s ?p <http://x/#> } # with")
    True
    >>> needs_guard("SELECT ?to WHERE { ?f prov:wasDerivedFrom ?a ; dip:addressee ?to }")
    False
    >>> needs_guard("SELECT * WHERE { ?s ?p trueSERVICE <http://x/> { ?a ?b ?c } }")
    True
    >>> needs_guard("SELECT * WHERE { ?s ?p ?x.SERVICE <http://x/> { ?a ?b ?c } }")
    True
    >>> needs_guard("SELECT * WHERE { ?s ?p ex:a.SERVICE <http://x/> { ?a ?b ?c } }")
    True
    """
    if "\\u" in text or "\\U" in text:
        return True
    body = _without_leading_comments(text)
    return any(not _inside_a_name(body, match.start()) for match in _GUARDED.finditer(body))


def _inside_a_name(text: str, start: int) -> bool:
    """Whether the word at ``start`` continues a variable (``?addressee``) or the local
    part of a prefixed name (``prov:wasDerivedFrom``), and so cannot be a keyword.

    Only letters, digits and ``_`` are walked back over: those always continue the
    token they follow (a variable or a local name is read as far as such characters
    go). A ``.`` or ``-`` may end a token (``?x.SERVICE`` is a variable, a full stop,
    then SERVICE), so a word after one counts as a possible keyword.

    >>> _inside_a_name("?s prov:wasDerivedFrom ?o", 18)
    True
    >>> _inside_a_name("?s ?p 1SERVICE <x>", 7)
    False
    >>> _inside_a_name("{ ?x.SERVICE <x> {} }", 5)
    False
    """
    index = start
    while index > 0 and (text[index - 1].isalnum() or text[index - 1] == "_"):
        index -= 1
    return index > 0 and text[index - 1] in "?$:"


def _without_leading_comments(text: str) -> str:
    """The text after its leading comment lines (nothing can be open before them, so
    they are surely comments; a ``#`` further on may sit inside an IRI or a string)."""
    lines = re.split(r"\r\n|\r|\n", text)  # SPARQL ends a comment at CR or LF
    start = 0
    while start < len(lines) and (not lines[start].strip()
                                  or lines[start].lstrip().startswith("#")):
        start += 1
    return "\n".join(lines[start:])
