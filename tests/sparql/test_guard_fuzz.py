"""Differential fuzzing of the SPARQL guard: what it lets through never opens a connection.

Thousands of query texts (a seeded :class:`random.Random`, so every run makes the same
ones) hide SERVICE, FROM or LOAD the ways engines read differently: comments ended by CR,
LF, CRLF or a ``\\u000A`` escape, keywords or quotes spelled with escapes, strings of the
four quote forms opened and closed around the clause, ``<`` as an IRI or a less-than
sign, glued tokens (``1SERVICE``, ``trueSERVICE:x``), prefix tricks, letter case, and
nesting in OPTIONAL, UNION, subqueries, MINUS, FILTER EXISTS and GRAPH. Every variant the
guard accepts is run by Oxigraph (and a sample by rdflib) with the IRIs pointing at a
listener on 127.0.0.1, which must see no connection. As a control, the refused variants
are run unguarded too: a good share of them do connect, so the harness would see a hole.

The suite runs 2,000 variants; ``KG_FUZZ_VARIANTS=200000`` runs more (and
``KG_FUZZ_SEED`` picks other ones).
"""

from __future__ import annotations

import contextlib
import os
import random
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef

from kg.errors import QueryError
from kg.graph.namespaces import sparql_prologue
from kg.sparql.guard import screen

VARIANTS = int(os.environ.get("KG_FUZZ_VARIANTS", "2000"))
SEED = int(os.environ.get("KG_FUZZ_SEED", "1"))
#: Accepted variants also evaluated by rdflib (its parser takes 20-70 ms a text).
RDFLIB_SAMPLE = max(100, VARIANTS // 40)
#: Refused variants run unguarded on Oxigraph, to show the harness sees connections.
CONTROL_SAMPLE = max(400, VARIANTS // 5)

S_IRI, P_IRI, O_IRI = ("http://fuzz.example/s", "http://fuzz.example/p",
                       "http://fuzz.example/o")


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections and closes each one at once
    (a client that sent a request then gets an error, not a wait)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = int(self.sock.getsockname()[1])
        self.count = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.count += 1  # before the close: the client's error comes after this
            with contextlib.suppress(OSError):  # a reset, not an orderly close
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the thread
        self.sock.close()
        self._thread.join(timeout=5)


# --- the variants -------------------------------------------------------------------------------

#: SERVICE, spelled in ways some engine reads as the keyword (or none does).
SERVICE_SPELLINGS = ["SERVICE"] * 16 + ["service", "Service", "\\u0053ERVICE", "SERVI\\u0043E",
                                        "\u017fERVICE", "\\u017FERVICE", "\\U00000053ERVICE"]
FROM_SPELLINGS = ["FROM"] * 8 + ["from", "From", "\\u0046ROM", "FR\\u004FM"]
LOAD_SPELLINGS = ["LOAD", "load", "\\u004COAD"]
#: What comes right before SERVICE in a group: a triple ended in ways that glue to the
#: keyword or not (every one matches the data, so what follows is evaluated).
LEADS = ["?s ?p ?o "] * 12 + [
    "?s ?p ?o .", "?s ?p ?o.", "?s ?p ?o\t", "?s ?p ?o\r", "?s ?p ?o\n", "?s ?p ?o\r\n",
    "?s ?p 1", "?s ?p 1.", "?s ?p 1 ", "?s ?p true", "?s ?p TRUE ", "?s ?p 'c'", '?s ?p "c"',
    f"?s ?p <{O_IRI}>", "{ ?s ?p ?o }", "FILTER(true)", "BIND(1 AS ?x)", "VALUES ?z {1}",
    "?s ?p ?o\\u0020", "?s ?p ?o\u00a0", "?s ?p ?o\x0c", "?s ?p ?o\\u000A"]
#: What stands between the keyword and its IRI.
GAPS = [" "] * 16 + ["", "\t", "\r", "\n", " SILENT ", " silent\t", "#c\r", "#c\n", "\\u0020"]
#: Ways to end a comment: some end it for every engine, some for a few, some for none.
COMMENT_ENDS = ["\r", "\n", "\r\n"] * 3 + ["\\u000A", "\\u000D", "\\U0000000A", "\\u000a",
                "\u2028", "\u0085", "\x0c", "\x0b", "", " ", " still a comment "]
QUOTES = ["'", '"', "'''", '"""']
ESCAPED_QUOTES = ["\\u0027", "\\u0022", "\\u0027\\u0027\\u0027", "\\u0022\\u0022\\u0022"]
#: Graph patterns a clause may sit in; each opens and closes.
NESTS = [("", "")] * 4 + [
    ("OPTIONAL { ", " }"), ("{ ?s ?p ?o } UNION { ", " }"), ("{ ", " } UNION { ?s ?p ?o }"),
    ("{ SELECT * WHERE { ", " } }"), ("MINUS { ", " }"), ("FILTER EXISTS { ", " }"),
    ("FILTER NOT EXISTS { ", " }"), ("GRAPH ?g { ", " }"), ("OPTIONAL { OPTIONAL { ", " } }"),
    ("{ SELECT * WHERE { ?s ?p ?o OPTIONAL { ", " } } }")]


@dataclass
class Variant:
    text: str
    clause: str  # SERVICE, FROM or LOAD
    verdict: str | None = None  # the guard's refusal, None when accepted


def generate(rng: random.Random, url: str) -> Variant:
    """One query text holding a SERVICE, FROM or LOAD clause, hidden or not."""
    roll = rng.random()
    if roll < 0.75:
        return Variant(_service_variant(rng, url), "SERVICE")
    if roll < 0.93:
        return Variant(_from_variant(rng, url), "FROM")
    return Variant(_load_variant(rng, url), "LOAD")


def _trick(rng: random.Random, url: str) -> tuple[str, str, str]:
    """A prologue, a glue right before the keyword and the clause's IRI: plain, or a
    prefix trick (``SERVICE:x``; ``ex:SERVICE`` under a prefix IRI without a path, which
    Oxigraph then reads as ``ex:`` SERVICE; a local name with two dots)."""
    choice = rng.randrange(16)
    if choice == 0:
        return f"PREFIX : <{url}/>\n", "", ":x"
    if choice == 1:
        return "PREFIX ex: <http://fuzz.example:80>\n", "ex:", f"<{url}>"
    if choice == 2:
        return "PREFIX ex: <http://fuzz.example/>\n", "ex:a.b.", f"<{url}>"
    if choice == 3:
        return "", "", f"\\u003C{url}>"
    if choice == 4:
        return "", "", f"<{url}>".replace("/sparql", "/sp%61rql")
    return "", "", f"<{url}>"


def _hide(rng: random.Random) -> tuple[str, str, str | None]:
    """Text before and after a clause that hides it from some reader (or from none, or
    from all), and the gap to use between keyword and IRI, if it matters."""
    kind = rng.randrange(12)
    if kind <= 2:
        return "", "", None
    if kind <= 4:  # a comment, ended one way or another
        return f"# note{rng.choice(COMMENT_ENDS)}", f"{rng.choice(COMMENT_ENDS)}\n", None
    if kind <= 6:  # a string around it, closed well or not
        quote = rng.choice(QUOTES + ESCAPED_QUOTES[:1])
        close = quote if rng.random() < 0.7 else rng.choice(QUOTES + ESCAPED_QUOTES)
        sep = rng.choice(["", " ", " ", "\n", "\r", "\\u000A", "# \\u000A "])
        return f"FILTER(?o != {quote}{sep}", f"{sep}{close})", None
    if kind == 7:  # '<' as a less-than sign, or as an IRI that swallows the clause
        return (rng.choice(["FILTER(1<2)", "FILTER(0<1 || ?o<?b)", "FILTER(true||?o<?b)",
                            "FILTER(?o < 2 || true)"]),
                "", rng.choice(["#>\n", " #>\n", "#>\r", "#>\r\n", "#>"]))
    if kind == 8:  # a comment after an escaped line break, or an escaped '#'
        return rng.choice(["# \\u000A ", "# \\u000D", "\\u0023 note\n", "# \\u0085 "]), "\n", None
    if kind == 9:  # a long string opened in a comment for one reader, in code for another
        quote = rng.choice(['"""', "'''"])
        end = rng.choice(["\\u000A", "\r", "\n", "\r\n", "\u2028"])
        return f"# {end} FILTER(?o != {quote}\n", f" # {end} {quote})\n", None
    if kind == 10:  # inside an IRI, for everyone or only for some
        return f"FILTER(?o != <x:{rng.choice(['', '#', ' '])}", ">)", rng.choice(["", " "])
    return rng.choice(["# ", "#", "FILTER(?o != 'x') # "]), "\n", None


def _case(rng: random.Random, word: str) -> str:
    if "\\" in word or rng.random() < 0.85:
        return word
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)


def _service_variant(rng: random.Random, url: str) -> str:
    prologue, glue, target = _trick(rng, url)
    keyword = _case(rng, rng.choice(SERVICE_SPELLINGS))
    before, after, gap = _hide(rng)
    lead = "" if gap is not None else "?s ?p " if glue else rng.choice(LEADS)
    gap = rng.choice(GAPS) if gap is None else gap
    body = rng.choice([" ", "", "\n"]) + "{ ?a ?b ?c }"
    opened, closed = rng.choice(NESTS)
    clause = f"{lead}{glue}{keyword}{gap}{target}{body}"
    return f"{prologue}SELECT * WHERE {{ ?s ?p ?o . {opened}{before}{clause}{after}{closed} }}"


def _from_variant(rng: random.Random, url: str) -> str:
    prologue, _, target = _trick(rng, url)
    keyword = _case(rng, rng.choice(FROM_SPELLINGS))
    named = rng.choice(["", "", " NAMED", " named"])
    gap = rng.choice(GAPS)
    before, after = "", ""
    if rng.random() < 0.5:
        before, after = f"# note{rng.choice(COMMENT_ENDS)}", f"{rng.choice(COMMENT_ENDS)}\n"
    return (f"{prologue}SELECT * {before}{keyword}{named}{gap}{target}{after} "
            "WHERE { ?s ?p ?o }")


def _load_variant(rng: random.Random, url: str) -> str:
    prologue, _, target = _trick(rng, url)
    keyword = _case(rng, rng.choice(LOAD_SPELLINGS))
    before = rng.choice(["", f"# note{rng.choice(COMMENT_ENDS)}", "CLEAR DEFAULT ;\n"])
    return f"{prologue}{before}{keyword}{rng.choice(GAPS)}{target}"


def variants(url: str, count: int = VARIANTS, seed: int = SEED) -> list[Variant]:
    rng = random.Random(seed)
    return [generate(rng, url) for _ in range(count)]


# --- engines ------------------------------------------------------------------------------------


def oxigraph_store() -> ox.Store:
    """A few triples in the default graph and a named graph: every pattern has a match, so
    a SERVICE after it is evaluated."""
    store = ox.Store()
    s, p = ox.NamedNode(S_IRI), ox.NamedNode(P_IRI)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    objects: list[ox.NamedNode | ox.Literal] = [
        ox.NamedNode(O_IRI), ox.Literal("c"),
        ox.Literal("1", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean"))]
    for o in objects:
        store.add(ox.Quad(s, p, o, ox.DefaultGraph()))
        store.add(ox.Quad(s, p, o, ox.NamedNode("http://fuzz.example/g")))
    return store


def run_oxigraph(store: ox.Store, text: str, union: bool) -> None:
    """Run a text the way ``kg query`` does (prologue, union default graph) or plainly."""
    try:
        if union:
            answer = store.query(sparql_prologue() + text, use_default_graph_as_union=True)
        else:
            answer = store.query(text)
        if isinstance(answer, ox.QuerySolutions | ox.QueryTriples):
            for _ in answer:
                pass
    except (SyntaxError, ValueError, OSError, RuntimeError):
        pass


def rdflib_dataset() -> Dataset:
    dataset = Dataset(default_union=True)
    graph = dataset.graph(URIRef("http://fuzz.example/g"))
    graph.add((URIRef(S_IRI), URIRef(P_IRI), URIRef(O_IRI)))
    graph.add((URIRef(S_IRI), URIRef(P_IRI), Literal("c")))
    return dataset


def run_rdflib(dataset: Dataset, text: str) -> None:
    with contextlib.suppress(Exception):
        result = dataset.query(sparql_prologue() + text)
        if result.type == "SELECT":
            len(result)


def connects(listener: Listener, run: Callable[..., None], *args: object) -> bool:
    """Whether ``run(*args)`` opened a connection to the listener."""
    before = listener.count
    run(*args)
    return listener.count != before


# --- the tests ----------------------------------------------------------------------------------


@dataclass
class Fuzz:
    listener: Listener
    variants: list[Variant]

    @property
    def accepted(self) -> list[Variant]:
        return [v for v in self.variants if v.verdict is None]

    @property
    def refused(self) -> list[Variant]:
        return [v for v in self.variants if v.verdict is not None]


@pytest.fixture(scope="module")
def fuzz() -> Iterator[Fuzz]:
    listener = Listener()
    made = variants(listener.url)
    for variant in made:
        try:
            screen(variant.text)
        except QueryError as exc:
            variant.verdict = str(exc)
    try:
        yield Fuzz(listener, made)
    finally:
        listener.close()


def _show(found: list[Variant]) -> str:
    return "\n".join(repr(v.text) for v in found[:10])


def test_variants_are_reproducible() -> None:
    assert [v.text for v in variants("http://h:1/x", 50)] == \
        [v.text for v in variants("http://h:1/x", 50)]


def test_verdicts_are_one_line_and_both_kinds_are_many(fuzz: Fuzz) -> None:
    assert all("\n" not in (v.verdict or "") for v in fuzz.variants)
    # neither everything refused (a guard that refuses all would pass vacuously) nor nothing
    assert len(fuzz.accepted) >= len(fuzz.variants) // 20
    assert len(fuzz.refused) >= len(fuzz.variants) // 3


def test_accepted_variants_never_connect_from_oxigraph(fuzz: Fuzz) -> None:
    store = oxigraph_store()
    leaked = [v for v in fuzz.accepted
              if connects(fuzz.listener, run_oxigraph, store, v.text, True)
              or connects(fuzz.listener, run_oxigraph, store, v.text, False)]
    assert not leaked, f"{len(leaked)} accepted variants connected:\n{_show(leaked)}"


def test_accepted_variants_never_connect_from_rdflib(fuzz: Fuzz) -> None:
    dataset = rdflib_dataset()
    sample = random.Random(SEED).sample(fuzz.accepted, min(RDFLIB_SAMPLE, len(fuzz.accepted)))
    leaked = [v for v in sample if connects(fuzz.listener, run_rdflib, dataset, v.text)]
    assert not leaked, f"{len(leaked)} accepted variants connected:\n{_show(leaked)}"


def test_control_refused_variants_do_connect_unguarded(fuzz: Fuzz) -> None:
    """The harness sees connections: many refused SERVICE variants connect when run
    without the guard (only against the listener)."""
    store = oxigraph_store()
    refused = [v for v in fuzz.refused if v.clause == "SERVICE"]
    sample = random.Random(SEED).sample(refused, min(CONTROL_SAMPLE, len(refused)))
    connected = sum(connects(fuzz.listener, run_oxigraph, store, v.text, True) for v in sample)
    assert connected >= len(sample) // 8, f"{connected} of {len(sample)} connected"


def test_control_rdflib_connects_for_refused_variants(fuzz: Fuzz) -> None:
    """rdflib too: it fetches a refused FROM and calls a refused SERVICE."""
    dataset = rdflib_dataset()
    for clause in ("FROM", "SERVICE"):
        refused = [v for v in fuzz.refused if v.clause == clause and "\\" not in v.text]
        assert any(connects(fuzz.listener, run_rdflib, dataset, v.text)
                   for v in refused[:40]), clause
