"""SPARQL: ``kg query`` and ``ask`` (on the local graph or a remote endpoint), ``serve``
(a SPARQL 1.1 endpoint) and ``push`` (to a triple store)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli import command, emit, graph_options, open_graph, output_options
from kg.errors import KGError

if TYPE_CHECKING:
    from rdflib import Dataset
    from rdflib.query import Result

    from kg.sparql.http_auth import Credentials


def _print_result(result: Result, fmt: str | None, output: Path | None) -> None:
    """A result in ``fmt``, by default a table (SELECT, ASK) or Turtle (CONSTRUCT,
    DESCRIBE)."""
    from kg.sparql.query import format_result
    chosen = fmt or ("turtle" if result.type in ("CONSTRUCT", "DESCRIBE") else "table")
    emit(format_result(result, chosen), output)


def _run_and_print(dataset: Dataset, query_text: str, fmt: str | None,
                   output: Path | None) -> None:
    from kg.sparql.query import run_query
    _print_result(run_query(dataset, query_text), fmt, output)


@command()
@click.argument("query", required=False)
@click.option("--file", "query_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Read the query from FILE.")
@click.option("--endpoint", default=None, metavar="URL",
              help="Run the query on this remote SPARQL endpoint instead of the local graph.")
@click.option("--user", default=None, metavar="NAME[:PASSWORD]",
              help="With --endpoint: credentials, sent if the server asks (Digest or Basic); "
              "the password else from $KG_PASSWORD or a prompt. Default: the URL's "
              "user:password@, else $NETRC or ~/.netrc.")
@click.option("--timeout", default=None, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="With --endpoint: seconds to wait to connect and for the answer "
              "[default: 60].")
@click.option("--method", default=None, type=click.Choice(["auto", "get", "form", "direct"]),
              help="With --endpoint: how the query is sent: auto (GET when short, else a "
              "form POST), get, form, or direct (POST application/sparql-query) "
              "[default: auto].")
@output_options
@graph_options
def query(query: str | None, query_file: Path | None, endpoint: str | None,
          user: str | None, timeout: float | None, method: str | None, fmt: str | None,
          output: Path | None, graph_file: Path | None, data_dir: Path,
          sources_dir: Path | None) -> None:
    """Run a SPARQL query (from the argument, --file, or stdin when QUERY is - or absent).

    The project prefixes (dip:, id:, org:, schema:, sem:, prov:, skos:, ...) are
    predeclared. SERVICE, LOAD, FROM / FROM NAMED and updates are refused before
    anything runs.

    \b
    Examples:
      kg query 'SELECT ?p ?post WHERE { ?p org:holds ?post }'
      kg query --file my.rq --format csv --output answers.csv
      echo 'ASK { id:china org:memberOf id:sco }' | kg query
      kg query --endpoint http://localhost:7878/query --file my.rq
      kg query --endpoint http://localhost:8890/sparql-auth --user dba --file my.rq
    """
    if query_file is not None:
        text = query_file.read_text("utf-8")
    elif query is not None and query != "-":
        text = query
    elif not sys.stdin.isatty() or query == "-":
        text = sys.stdin.read()
    else:
        raise click.UsageError("give a query, --file FILE, or pipe one on stdin")
    if not text.strip():
        raise KGError("the query is empty")
    if endpoint is None and (user, timeout, method) != (None, None, None):
        raise KGError("--user, --timeout and --method go with --endpoint URL")
    if endpoint is not None:
        from kg.sparql.http_client import DEFAULT_TIMEOUT
        from kg.sparql.remote import query_endpoint
        result = query_endpoint(endpoint, text, credentials=_remote_credentials(endpoint, user),
                                timeout=timeout or DEFAULT_TIMEOUT, method=method or "auto")
        _print_result(result, fmt, output)
        return
    _run_and_print(open_graph(graph_file, data_dir, sources_dir), text, fmt, output)


@command()
@click.argument("name", required=False)
@click.option("--list", "list_only", is_flag=True,
              help="List the shipped queries, each with its parameters and their defaults.")
@click.option("--all", "run_all", is_flag=True, help="Run every shipped query in turn.")
@click.option("--show", is_flag=True, help="Print the query's SPARQL instead of running it.")
@click.option("--param", "-p", "param_items", multiple=True, metavar="NAME=VALUE",
              help="A value for a parameter of the query (repeatable), e.g. date=2023-05-04; "
              "see --list. With --all, each query takes the parameters it has.")
@output_options
@graph_options
def ask(name: str | None, list_only: bool, run_all: bool, show: bool,
        param_items: tuple[str, ...], fmt: str | None, output: Path | None,
        graph_file: Path | None, data_dir: Path, sources_dir: Path | None) -> None:
    """Run a named query shipped with the package (one per competency question).

    Some take parameters (`kg ask --list` shows them with their defaults), given as
    --param NAME=VALUE: each value is checked and bound as an RDF term (a date, a source
    id), never pasted into the query.

    \b
    Examples:
      kg ask --list
      kg ask cq2
      kg ask cq2 --param date=2023-05-04
      kg ask cq14 --param source=xinhua-2023-04-20-chinese-fm-meets-sco-chief
      kg ask cq6 --format json
      kg ask --all
    """
    from kg.sparql import named as named_queries
    params = named_queries.parse_params(param_items)
    if list_only:
        for each in named_queries.names():
            click.echo(f"{each:<6}{named_queries.question(each)}")
            for param in named_queries.parameters(each):
                click.echo(f"      --param {param.name}=...  {param.what}, default "
                           f"{param.default}")
        return
    if show:
        if name is None:
            raise click.UsageError("--show needs a NAME")
        click.echo(named_queries.text(name, params), nl=False)
        return
    if run_all:
        from kg.sparql.query import format_result, run_query
        own = named_queries.params_of_each(params)
        dataset = open_graph(graph_file, data_dir, sources_dir)
        parts = []
        for each in named_queries.names():
            result = run_query(dataset, named_queries.text(each, own[each]))
            parts.append(f"== {each}: {named_queries.question(each, own[each])}\n"
                         + format_result(result, fmt or "table"))
        emit("\n".join(parts), output)
        return
    if name is None:
        raise click.UsageError("give a query NAME, or --list, or --all")
    text = named_queries.text(name, params)
    _run_and_print(open_graph(graph_file, data_dir, sources_dir), text, fmt, output)


@command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (only this machine by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0: any free port).")
@click.option("--timeout", default=5.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before its worker is killed (503).")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Largest result (rows, or triples) served; larger ones are an error (422).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes, each holding the graph.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let web pages of ORIGIN (scheme://host[:port], e.g. "
              "http://localhost:3000) query the endpoint and read the answers; repeatable. "
              "'*' allows every page. Default: none (pages of other origins are refused).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME[:PORT]",
              help="Also answer requests whose Host header is NAME (any port) or NAME:PORT; "
              "repeatable. By default only the address served is (and localhost on "
              "loopback); other names get 421, against DNS rebinding. '*' turns the "
              "check off.")
@click.option("--header-timeout", default=10.0, show_default=True,
              type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Seconds a client has to send a request's headers, and again its body; "
              "slower connections are closed (408).")
@graph_options
def serve(host: str, port: int, timeout: float, max_rows: int, workers: int,
          cors: tuple[str, ...], allow_hosts: tuple[str, ...], header_timeout: float,
          graph_file: Path | None, data_dir: Path, sources_dir: Path | None) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol, until Ctrl-C.

    The endpoint is /sparql (GET ?query=, POST form or application/sparql-query);
    without a query it returns its service description. / is a page with a query box.
    Updates, SERVICE, LOAD and FROM are refused; each query runs in a worker process
    without network access (where the system allows it) that is killed when it passes
    --timeout.

    Only requests naming this server in their Host header are answered (--allow-host
    adds names), and web pages of other origins are refused unless --cors lists them.
    A client must send its request headers within --header-timeout (and its body
    within as long again); idle connections close after 5 s; at most 256 connections
    are open (64 per client address), the longest waiting ones closed first to let new
    ones in.

    \b
    Examples:
      kg serve
      kg serve --port 3030 --timeout 10 --max-rows 50000
      kg serve --cors http://localhost:5173           # a browser SPARQL tool served there
      kg serve --host 0.0.0.0 --allow-host kg.lan     # the LAN, also by the name kg.lan
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 5' \\
           http://127.0.0.1:8000/sparql
    """
    from kg.web.access import AccessPolicy
    from kg.web.addresses import is_loopback
    from kg.web.server import Serving
    from kg.web.server import serve as run_server
    from kg.web.settings import ServerSettings
    AccessPolicy.from_options(cors, allow_hosts)  # a bad value fails before the graph loads
    dataset = open_graph(graph_file, data_dir, sources_dir)
    if not is_loopback(host):
        click.echo(f"note: listening on {host}: anyone who can reach this machine can query "
                   "the graph", err=True)

    def ready(serving: Serving) -> None:
        page = serving.url.rsplit("/sparql", 1)[0] + "/"
        network = "without network access" if serving.network is None else \
            "WITH network access (isolation unavailable)"
        shared = f"; pages of {', '.join(cors)} may read answers (CORS)" if cors else ""
        click.echo(f"Serving {len(dataset)} triples at {serving.url} (query page: {page}); "
                   f"{workers} worker(s) {network}, timeout {timeout:g} s, max {max_rows} "
                   f"rows{shared}. Ctrl-C to stop.")

    run_server(dataset, host, port,
               ServerSettings(timeout=timeout, max_rows=max_rows, workers=workers,
                              cors=cors, allow_hosts=allow_hosts,
                              header_timeout=header_timeout, body_timeout=header_timeout),
               on_ready=ready)


def _remote_credentials(url: str, user: str | None) -> Credentials | None:
    """Credentials for `kg push` and `kg query --endpoint`: the password of a bare
    --user NAME from $KG_PASSWORD, else prompted on a terminal."""
    from os import environ

    from kg.sparql.http_auth import PASSWORD_VARIABLE, find_credentials
    if (user is not None and ":" not in user and PASSWORD_VARIABLE not in environ
            and sys.stdin.isatty()):
        password = click.prompt(f"Password for {user}", hide_input=True, err=True)
        user = f"{user}:{password}"
    return find_credentials(url, user)


@command()
@click.option("--endpoint", default=None, metavar="URL",
              help="The store's SPARQL query endpoint; the Graph Store URL is derived from it.")
@click.option("--graph-store", "graph_store", default=None, metavar="URL",
              help="The store's SPARQL 1.1 Graph Store Protocol URL (default: derived "
              "from --endpoint: Oxigraph /store, Fuseki /DATASET/data, GraphDB "
              "/repositories/REPO/rdf-graphs/service, Virtuoso /sparql-graph-crud-auth).")
@click.option("--format", "-f", "fmt", type=click.Choice(["nt", "turtle"]), default="nt",
              show_default=True, help="Serialization sent for each graph.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds to wait to connect, and for each read or write of a request.")
@click.option("--user", default=None, metavar="NAME[:PASSWORD]",
              help="Credentials, sent if the store asks (Digest or Basic); the password "
              "else from $KG_PASSWORD or a prompt. Default: the URL's user:password@, "
              "else $NETRC or ~/.netrc.")
@graph_options
def push(endpoint: str | None, graph_store: str | None, fmt: str, timeout: float,
         user: str | None, graph_file: Path | None, data_dir: Path,
         sources_dir: Path | None) -> None:
    """Write every named graph to a triple store (one HTTP PUT per graph).

    PUT replaces each graph, so pushing again leaves the store as pushing once.
    Credentials are sent only when the store asks (HTTP Digest or Basic) and never
    printed.

    \b
    Examples:
      kg push --endpoint http://localhost:7878/query                 (Oxigraph)
      kg push --endpoint http://localhost:3030/kg/sparql             (Fuseki)
      kg push --endpoint http://localhost:7200/repositories/kg       (GraphDB)
      kg push --graph-store http://localhost:8890/sparql-graph-crud-auth --user dba
                                                                     (Virtuoso)
      kg push --graph-store http://localhost:7878/store
    """
    from kg.sparql.http_auth import redact
    from kg.sparql.push import graph_store_url
    from kg.sparql.push import push as push_graphs
    if graph_store is None:
        if endpoint is None:
            raise KGError("give --endpoint URL (the store's SPARQL endpoint) or "
                          "--graph-store URL")
        graph_store = graph_store_url(endpoint)
    dataset = open_graph(graph_file, data_dir, sources_dir)
    bars: list[Any] = []

    def progress(done: int, total: int, graph: str) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label="Pushing", file=sys.stderr))
            bars[0].__enter__()
        bar = bars[0]
        bar.label = f"Pushing {graph}"
        bar.update(done - bar.pos)

    try:
        pushed = push_graphs(dataset, graph_store, fmt=fmt, timeout=timeout,
                             credentials=_remote_credentials(graph_store, user),
                             progress=progress if sys.stderr.isatty() else None)
    finally:
        if bars:
            bars[0].__exit__(None, None, None)
    for item in pushed:
        name = f"<{item.graph}>" if item.graph is not None else "default graph"
        click.echo(f"PUT {name}: {item.triples} triples ({item.status})")
    click.echo(f"Pushed {len(pushed)} graph(s), {sum(p.triples for p in pushed)} triples "
               f"to {redact(graph_store)}")
