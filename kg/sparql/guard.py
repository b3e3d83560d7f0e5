r"""Refuse SPARQL that would reach the network, change the graph, or crash a parser.

Two engines read the queries of this project: Oxigraph (``kg query``, ``kg serve``) and
rdflib (``kg query --store memory``, and the syntax messages); ``kg query --endpoint``
sends them to a third. They do not read every text alike: Oxigraph ends a comment at CR,
rdflib only at LF; rdflib decodes ``\u`` escapes before parsing, Oxigraph only inside
strings and IRIs; Oxigraph's parser backtracks, so ``trueSERVICE:x`` is ``true`` then
``SERVICE :x`` to it. A guard that asks one parser what a text means is wrong about the
others, so :func:`screen` decides with a lexer of its own that follows the terminals
of the SPARQL 1.1 grammar (:mod:`kg.sparql.terminals`), and is conservative wherever
engines may differ:

* every reading a real engine may make is lexed, and the text is refused if any of them
  has a refused word outside strings, IRIs and comments: comments ended at CR or LF, at
  LF only, or at any Unicode line break; ``\u`` escapes decoded first or not; and a
  ``<`` that could be a less-than sign as well as an IRI taken both ways;
* a refused word is SERVICE, LOAD, FROM, or an update keyword (INSERT, DELETE, CLEAR,
  DROP, CREATE, ADD, MOVE, COPY, WITH, USING), in any letter case, anywhere in a bare
  word or a prefix (``1SERVICE``, ``trueSERVICE``, ``?x.SERVICE``, ``service:x`` are
  refused), in the local part of a prefixed name split at ``.``, ``%`` or ``\``
  (``ex:a.b.SERVICE``), but never in a variable (``?from``), a plain local name
  (``prov:wasDerivedFrom``, ``ex:from``), a string, an IRI or a comment;
* a ``\u`` escape that stands for an ASCII character, a control or a space is refused
  (decoded or not, it would change where a comment, string or IRI ends); so is a
  ``PREFIX`` or ``BASE`` IRI with an authority but no path (``<http://x:80>``: names
  under it are not IRIs, and Oxigraph then reads ``ex:SERVICE`` as ``ex:`` SERVICE).

:func:`screen` also refuses texts that would crash a parser: too long, nested too
deeply, or with too many chained operators (see :data:`MAX_DEPTH`). It is fast (no
parse); :func:`ensure_local` adds rdflib's parse for syntax errors, and
:func:`prepare_query` the translation to rdflib's algebra.

>>> screen("SELECT ?s WHERE { ?s ?p 'SERVICE' }  # SERVICE <http://x>")
>>> screen("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.errors.QueryError: SERVICE <http://x/sparql> is refused: queries never reach the network
>>> screen("SELECT * WHERE { # note\rSERVICE <http://x/> { ?a ?b ?c }\n}")
Traceback (most recent call last):
...
kg.errors.QueryError: SERVICE <http://x/> is refused: queries never reach the network
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from kg.errors import QueryError
from kg.sparql.terminals import COMMENT_ENDS, ESCAPE, LESS, SKIPPED, TOKENS

__all__ = ["MAX_CHAIN", "MAX_CHARS", "MAX_DEPTH", "ensure_local", "prepare_query", "screen"]

_NETWORK = "queries never reach the network"
_READ_ONLY = "the graph is read-only"
_FROM_REASON = ("it names a graph to fetch over the network; query the named graphs with "
                "GRAPH <iri> { ... } instead")

# --- limits ----------------------------------------------------------------------------------
#
# Measured with pyoxigraph 0.5.13 and rdflib 7.6 on Python 3.11, 8 MiB main-thread stack
# (each text run alone in a subprocess, depth bisected). Oxigraph dies of a segmentation
# fault at: nested FILTER NOT EXISTS 848, function calls ABS(ABS(...)) 960, BIND chain
# 2,624, MINUS chain 2,624, nested subqueries 2,560, nested groups { } 2,208, GRAPH ?g { }
# 2,944, parentheses 4,672, UNION chain 6,656, + - * chains 6,912, || && chains 9,344,
# FILTER chain 9,344, path | chain 11,008, path ( ) 13,824. A path / chain, an OPTIONAL
# chain, nested [ ] and ( ) lists and a few hundred triple patterns get slow (512 steps of
# / take 37 s) before they crash. rdflib raises RecursionError (caught) on all of them.
# Flat lists (VALUES, IN, CONCAT arguments: 131,072 items) crash neither.

#: Most characters a query text may have.
MAX_CHARS = 500_000
#: Deepest nesting of brackets ``( { [`` (13 times below the shallowest crash, NOT EXISTS).
MAX_DEPTH = 64
#: Most chaining operators and group elements in a text: ``|| && + - * / | ^`` and
#: UNION, OPTIONAL, MINUS, FILTER, BIND, GRAPH, SERVICE, VALUES (5 times below the BIND
#: and MINUS chains; with :data:`MAX_DEPTH` at its worst, a third of the stack).
MAX_CHAIN = 512

_CHAIN_PUNCT = frozenset({"||", "&&", "+", "-", "*", "/", "|", "^"})
_CHAIN_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE",
                          "VALUES"})

# --- the refused words -----------------------------------------------------------------------

#: Refused words, most important reason first: LOAD would fetch a URL even on a writable
#: graph, then the network clauses, then the updates.
_REFUSED = ("LOAD", "SERVICE", "FROM", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD",
            "MOVE", "COPY", "WITH", "USING")
_RANK = {word: rank for rank, word in enumerate(_REFUSED)}
#: One of them, as str.upper() spells it: rdflib compares keywords that way, so SERVICE
#: written with a long s (U+017F) is SERVICE to it.
_REFUSED_IN = re.compile("|".join(_REFUSED))

# --- the lexer -------------------------------------------------------------------------------

_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")

#: What the previous token allows a ``<`` to be. After a term or ``)`` / ``}`` (a value
#: may end there), inside ``( )``, it may be a less-than sign; anywhere else an IRI.
_START, _VALUE, _PREFIX_KW, _DECLARED = range(4)
#: Words after which nothing can be an operand of ``<``.
_NOT_VALUES = frozenset({"A", "BASE", "GRAPH", "SERVICE", "SILENT", "FROM", "NAMED"})
_VALUE_PUNCT = frozenset({")", "}"})

#: An IRI with an authority and nothing after it: ``http://x:80``, ``//x``, ``http://[::1]``.
_NO_PATH = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//[^/?#]*$")


@dataclass
class _Hit:
    """A refused word in code position, found in one reading of the text."""

    word: str  # the refused word: SERVICE, FROM, ...
    token: str  # the token it was found in, as written
    end: int  # where the token ends, in the text of its reading
    text: str  # the text of that reading

    @property
    def rank(self) -> tuple[int, bool]:
        return _RANK[self.word], self.token.upper() != self.word


@dataclass
class _Findings:
    """What the lexer saw in every reading of a text."""

    hits: list[_Hit] = field(default_factory=list)
    depth: int = 0
    chain: int = 0
    problem: str | None = None  # a refusal that is not a word: a PREFIX IRI, ...


#: Texts up to this many characters have their verdict remembered (:func:`screen`).
_CACHED_CHARS = 16_384


def screen(text: str) -> None:
    r"""Raise :class:`QueryError` if ``text`` may reach the network, change the graph, or
    crash a parser, in the reading of any SPARQL engine. Syntax is not checked.

    A text that passed is remembered (the last 512 texts of up to 16 KiB): the same text
    again, as a shipped query or a page's query run twice, is not lexed again. A refused
    text is lexed every time, so its message is always the one it gets.

    >>> screen("SELECT ?to WHERE { ?f prov:wasDerivedFrom ?a ; dip:addressee ?to }")
    >>> hidden = "SELECT * WHERE { ?s ?p ?o # \\u000A FILTER(?o != '''\n SERVICE <x:> {} ''')\n}"
    >>> screen(hidden)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: the escape \u000A is refused: it stands for '\n', ...
    >>> screen("SELECT * WHERE { ?s ?p trueSERVICE:x { ?a ?b ?c } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: SERVICE is refused (in 'trueSERVICE:x', which a SPARQL engine may ...
    >>> screen("ASK { FILTER(" + "(" * 100 + "1" + ")" * 100 + ") }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: the query nests brackets ( { [ more than 64 deep, the limit: ...
    """
    if len(text) <= _CACHED_CHARS:
        _screened(text)  # raises as _screen does; only a text that passed is remembered
    else:
        _screen(text)


@functools.lru_cache(maxsize=512)
def _screened(text: str) -> None:
    _screen(text)


def _screen(text: str) -> None:
    if len(text) > MAX_CHARS:
        raise QueryError(f"the query is {len(text):,} characters long, more than the "
                         f"limit of {MAX_CHARS:,}")
    if _plainly_safe(text):
        return
    readings = [text]
    if "\\" in text:
        decoded = _decode_escapes(text)  # raises on an escape that could change the structure
        if decoded != text:
            readings.append(decoded)
    ends: tuple[str, ...] = COMMENT_ENDS[:1]
    if "#" in text:
        ends = tuple(end for end in COMMENT_ENDS if _differs(text, end))
    findings = _Findings()
    for reading in readings:
        for end in ends:
            _lex(reading, TOKENS[end], findings)
            if findings.depth > MAX_DEPTH:
                raise QueryError(f"the query nests brackets ( {{ [ more than {MAX_DEPTH} "
                                 "deep, the limit: deeper texts can crash a SPARQL parser")
    if findings.chain > MAX_CHAIN:
        raise QueryError(f"the query chains {findings.chain} operators and group elements "
                         "(|| && + - * / | ^ UNION OPTIONAL MINUS FILTER BIND GRAPH SERVICE "
                         f"VALUES), more than the limit of {MAX_CHAIN}: longer chains can "
                         "crash a SPARQL parser")
    if findings.hits:
        raise QueryError(_message(min(findings.hits, key=lambda hit: hit.rank)))
    if findings.problem:
        raise QueryError(findings.problem)


def _plainly_safe(text: str) -> bool:
    """Whether ``text`` passes without lexing: no refused word anywhere in it (code,
    string or comment), no escape, and fewer brackets and operator characters in all than
    the limits allow."""
    upper = text.upper()
    if "\\" in text or _REFUSED_IN.search(upper):
        return False
    if sum(text.count(bracket) for bracket in _OPENING) > MAX_DEPTH:
        return False
    operators = sum(text.count(char) for char in "|&+-*/^")
    return operators + sum(upper.count(word) for word in _CHAIN_WORDS) <= MAX_CHAIN


def _differs(text: str, comment_end: str) -> bool:
    """Whether comments ended at ``comment_end`` may differ from the grammar's (CR or LF)."""
    if comment_end == COMMENT_ENDS[0]:
        return True
    if comment_end == "\n":
        return "\r" in text
    return any(char in text for char in comment_end[2:])


def _decode_escapes(text: str) -> str:
    """``text`` with its ``\\u`` escapes decoded as rdflib does; refused if one could
    change where a comment, string or IRI ends, decoded or not."""
    def decode(match: re.Match[str]) -> str:
        candidates = [chr(int(match.group(2), 16))]
        if match.group(1) == "U" and match.group(3):
            code = int(match.group(2) + match.group(3), 16)
            candidates.append(chr(code) if code <= 0x10FFFF else "\x00")
        for char in candidates:
            if ord(char) < 0xA0 or char.isspace() or 0xD800 <= ord(char) <= 0xDFFF:
                raise QueryError(
                    f"the escape {match.group(0)} is refused: it stands for {char!r}, and "
                    "engines disagree on decoding it before parsing; write the character "
                    "itself (in a string, \\n \\t \\\" \\' \\\\ are read alike)")
        return candidates[0]

    return ESCAPE.sub(decode, text)


def _lex(text: str, master: re.Pattern[str], findings: _Findings) -> None:
    """Lex ``text`` every way its ``<`` allow, adding to ``findings``.

    A state is where the lexer stands: position, what the previous token allows a ``<``
    to be, and the open brackets. The reading that takes every IRI as an IRI is lexed
    first; if some ``<`` could also be a less-than sign, the text is lexed again, each
    such ``<`` starting another reading that is followed until it meets a state already
    lexed. States are few (brackets are at most :data:`MAX_DEPTH` deep), so a text is
    lexed a small number of times at worst.
    """
    words = _REFUSED_IN.search(text.upper()) is not None
    if _Lexer(text, master, findings, words, None).run():
        _Lexer(text, master, findings, words, set()).run()


class _Lexer:
    """One pass over a text: the IRI reading, and with ``seen``, every other one too."""

    def __init__(self, text: str, master: re.Pattern[str], findings: _Findings, words: bool,
                 seen: set[tuple[int, int, str]] | None):
        self.text, self.master, self.findings = text, master, findings
        self.words = words  # whether a refused word is anywhere in the text
        self.seen = seen
        self.budget = 8 * len(text) + 1000

    def run(self) -> bool:
        """Lex; whether some ``<`` could also have been a less-than sign."""
        forked = False
        chain = 0
        pending: list[tuple[int, int, str, bool]] = [(0, _START, "", False)]
        text, master, findings, seen = self.text, self.master, self.findings, self.seen
        while pending:
            pos, context, brackets, less = pending.pop()
            while pos < len(text):
                if less:
                    match = LESS.match(text, pos)
                    assert match is not None
                    kind, less = "punct", False
                else:
                    if seen is not None:
                        state = (pos, context, brackets)
                        if state in seen:
                            break
                        seen.add(state)
                        self.budget -= 1
                        if self.budget < 0:
                            raise QueryError("the query has too many ways to read its '<' "
                                             "signs to check; put spaces around less-than")
                    match = master.match(text, pos)
                    assert match is not None  # the last alternative takes any character
                    kind = match.lastgroup or "other"
                    if kind == "iri" and context == _VALUE and brackets.endswith("("):
                        forked = True
                        if seen is not None:  # a less-than sign too
                            pending.append((pos, context, brackets, True))
                pos = match.end()
                if kind in SKIPPED:
                    continue
                token = match.group(0)
                if kind == "punct":
                    if token in _OPENING:
                        brackets += token
                        if len(brackets) > findings.depth:
                            findings.depth = len(brackets)
                            if len(brackets) > MAX_DEPTH:
                                return False  # refused: no need to read further
                    elif token in _CLOSING:
                        brackets = brackets[:-1]
                    elif token in _CHAIN_PUNCT:
                        chain += 1
                    context = _VALUE if token in _VALUE_PUNCT else _START
                    continue
                if kind == "word":
                    upper = token.upper()
                    if upper in _CHAIN_WORDS:
                        chain += 1
                    if self.words:
                        _check(findings, token, upper, pos, text)
                    context = (_PREFIX_KW if upper == "PREFIX" else _DECLARED
                               if upper == "BASE" else _START if upper in _NOT_VALUES
                               else _VALUE)
                    continue
                if kind == "iri":
                    if context == _DECLARED and _NO_PATH.match(token[1:-1]):
                        findings.problem = (
                            f"the prefix or base IRI {token} is refused: it has no path, so "
                            f"a name under it is not an IRI; write {token[:-1]}/>")
                elif self.words and kind in ("pname", "bnode"):
                    _check_name(findings, token, pos, text)
                elif self.words and kind == "lang":
                    _check(findings, token, token.upper(), pos, text)
                context = _DECLARED if context == _PREFIX_KW and kind == "pname" else _VALUE
        findings.chain = max(findings.chain, chain)
        return forked


def _check_name(findings: _Findings, token: str, end: int, text: str) -> None:
    """Refused words in a prefixed name: in its prefix, and in its local part when that
    has a ``.``, ``%`` or ``\\`` an engine may cut it at."""
    prefix, _, local = token.partition(":")
    _check(findings, token, prefix.upper(), end, text)
    if any(mark in local for mark in ".%\\"):
        _check(findings, token, local.upper(), end, text)


def _check(findings: _Findings, token: str, upper: str, end: int, text: str) -> None:
    for found in _REFUSED_IN.finditer(upper):
        findings.hits.append(_Hit(found.group(0), token, end, text))


def _message(hit: _Hit) -> str:
    """The refusal of a hit, naming the clause as the user wrote it."""
    after = _next_tokens(hit.text, hit.end, 2)
    word = hit.word
    if word in ("SERVICE", "LOAD") and after[:1] == ["SILENT"]:
        after = after[1:]
    target = after[0] if after else ""
    if word == "SERVICE":
        clause, reason = f"SERVICE {target}".strip(), _NETWORK
    elif word == "LOAD":
        clause, reason = f"LOAD {target}".strip(), f"{_NETWORK}, and {_READ_ONLY}"
    elif word == "FROM":
        named = target.upper() == "NAMED"
        target = after[1] if named and len(after) > 1 else target
        clause = f"FROM NAMED {target}" if named else f"FROM {target}"
        reason = _FROM_REASON
    elif word in ("INSERT", "DELETE") and target.upper() in ("DATA", "WHERE"):
        clause, reason = f"{word} {target.upper()}", _READ_ONLY
    elif word in ("INSERT", "DELETE", "WITH", "USING"):
        clause, reason = "DELETE/INSERT", _READ_ONLY
    else:
        clause, reason = word, _READ_ONLY
    if hit.token.upper() != word:
        return (f"{word} is refused (in {hit.token!r}, which a SPARQL engine may read as "
                f"{word}): {reason}")
    return f"{clause.strip()} is refused: {reason}"


def _next_tokens(text: str, pos: int, count: int) -> list[str]:
    tokens: list[str] = []
    master = TOKENS[COMMENT_ENDS[0]]
    while pos < len(text) and len(tokens) < count:
        found = master.match(text, pos)
        assert found is not None
        pos = found.end()
        if found.lastgroup not in SKIPPED:
            tokens.append(found.group(0))
    return tokens


# --- rdflib's parse: syntax errors, and the algebra ----------------------------------------------

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
    """:func:`screen` the text, then parse it with rdflib: syntax errors are a
    :class:`QueryError` too, with their line and column.

    Prefixes need not be declared (only the syntax is checked), so the text may come with
    or without :func:`kg.graph.namespaces.sparql_prologue`. rdflib's parse tree is walked for
    SERVICE, FROM and updates as well: a second net, never the first.

    >>> ensure_local("ASK { ?s dip:attends ?m }")
    >>> ensure_local("DROP ALL")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: DROP is refused: the graph is read-only
    >>> ensure_local("ASK { ?s ?p }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: SPARQL syntax error at line 1, column 7: Expected AskQuery ...
    """
    screen(query_text)
    _check_tree(_parse(query_text))


def prepare_query(query_text: str) -> Query:
    """Check ``query_text`` like :func:`ensure_local`, then translate it to rdflib's algebra.

    The translated query is checked a second time, so what is returned (and later
    evaluated) is exactly what was inspected. Every prefix must be declared in the text.

    >>> prepare_query("PREFIX ex: <http://example.org/> ASK { ex:a ?p ?o }").algebra.name
    'AskQuery'
    """
    screen(query_text)
    tree = _parse(query_text)
    _check_tree(tree)
    try:
        query = translateQuery(tree)
    except QueryError:
        raise
    except RecursionError:
        raise QueryError("the query is nested too deeply to translate") from None
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
        raise QueryError("the query is nested too deeply to parse") from None
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
        raise QueryError(f"{clause} is refused: {_FROM_REASON}")


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
