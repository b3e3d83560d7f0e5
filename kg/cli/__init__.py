"""The ``kg`` command line: parse options, call the library, print, map errors to one line.

No logic lives here that a notebook would also want: every command is a thin shell
over a library function. Heavy modules are imported inside the commands that use them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from kg import __version__
from kg.errors import CurationErrors, KGError
from kg.formats import EXPORT_FORMATS, GRAPH_FORMATS, SOLUTION_FORMATS

if TYPE_CHECKING:
    from rdflib import Dataset

    from kg.sparql.remote import Credentials

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_GRAPH = Path("build") / "kg.trig"


def fail(message: str) -> None:
    """Print ``Error: ...`` lines on stderr and exit 1."""
    for line in message.splitlines() or [message]:
        click.echo(f"Error: {line}", err=True)
    sys.exit(1)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn library errors into ``Error:`` lines and exit code 1, without a traceback."""
    try:
        yield
    except CurationErrors as exc:
        fail("\n".join(str(e) for e in exc.errors))
    except KGError as exc:
        fail(str(exc))
    except OSError as exc:
        name = exc.filename or ""
        fail(f"{name}: {exc.strerror or exc}" if name else str(exc))


def data_options(func: F) -> F:
    """``--data`` and ``--sources``: where the curation files and the source texts are."""
    func = click.option("--sources", "sources_dir", type=click.Path(path_type=Path),
                        default=None, help="Folder of source texts (default: $KG_SOURCES, "
                        "else ../shared/corpus when present).")(func)
    func = click.option("--data", "data_dir", type=click.Path(path_type=Path),
                        default=Path("data"), show_default=True,
                        help="Folder of curation files.")(func)
    return func


def graph_options(func: F) -> F:
    """``--graph``: the built graph, falling back to building ``--data`` in memory."""
    func = click.option("--graph", "graph_file", type=click.Path(path_type=Path),
                        default=None, help=f"Built graph (TriG). Default: {DEFAULT_GRAPH} "
                        "when present, else the graph is built from --data in memory.")(func)
    return data_options(func)


def output_options(func: F) -> F:
    """``--format`` and ``--output`` for query results."""
    func = click.option("--output", "-o", "output", type=click.Path(path_type=Path),
                        default=None, help="Write the result to FILE instead of stdout.")(func)
    func = click.option("--format", "-f", "fmt",
                        type=click.Choice(SOLUTION_FORMATS + GRAPH_FORMATS), default=None,
                        help="Result format. SELECT/ASK: table (default), csv, tsv, json, "
                        "xml; CONSTRUCT/DESCRIBE: turtle (default), nt, jsonld.")(func)
    return func


def resolve_corpus(sources_dir: Path | None) -> Path | None:
    """The source-text folder given, or the default one."""
    from kg.pipeline import default_corpus_dir
    return sources_dir if sources_dir is not None else default_corpus_dir()


def open_graph(graph_file: Path | None, data_dir: Path, sources_dir: Path | None) -> Dataset:
    """The dataset to query: the given file or store, the default build, or data/ built in
    memory when nothing is built."""
    from kg.store.files import load_trig
    if graph_file is not None:
        if graph_file.is_dir():
            from kg.store.oxigraph import as_dataset, open_store
            return as_dataset(open_store(graph_file))
        return load_trig(graph_file)
    from kg.pipeline import STORE_DIR, read_manifest
    from kg.store.files import DEFAULT_BUILD_DIR
    manifest = read_manifest(DEFAULT_BUILD_DIR)
    if manifest is not None and manifest.get("store") == "oxigraph" and (
            DEFAULT_BUILD_DIR / STORE_DIR).is_dir():
        from kg.store.oxigraph import as_dataset, open_store
        return as_dataset(open_store(DEFAULT_BUILD_DIR / STORE_DIR))
    if DEFAULT_GRAPH.is_file():
        return load_trig(DEFAULT_GRAPH)
    from kg.pipeline import compile_project
    click.echo(f"note: {DEFAULT_GRAPH} not found; building the graph from {data_dir} "
               "in memory (run `kg build` to keep it)", err=True)
    return compile_project(data_dir, resolve_corpus(sources_dir)).dataset


def emit(text: str, output: Path | None) -> None:
    """Print text, or write it to a file atomically."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from kg.store.files import write_atomically
    write_atomically({output: text.encode("utf-8")})
    click.echo(f"Wrote {output}", err=True)


def handle_errors(func: F) -> F:
    """Wrap a command so library errors become one ``Error:`` line and exit 1."""
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with reported_errors():
            return func(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Knowledge graphs of diplomacy curated from news, every fact traceable to its sentence.

    \b
    Start with:  kg build        (data/ -> build/kg.trig and build/kg.ttl)
                 kg ask --list   (the shipped competency questions)
    """


def progress_bar(quiet: bool) -> Callable[[str, int, int], None]:
    """A progress line on stderr when it is a terminal; silent when piped or --quiet."""
    def silent(stage: str, done: int, total: int) -> None:
        return None

    if quiet or not sys.stderr.isatty():
        return silent

    def show(stage: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done >= total else ""
        click.echo(f"\r{stage:<9} [{bar}] {done}/{total}", err=True, nl=False)
        if end:
            click.echo("", err=True)
    return show


@main.command()
@data_options
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the store, kg.trig, kg.ttl and manifest.json.")
@click.option("--store", type=click.Choice(["oxigraph", "memory"]), default="oxigraph",
              show_default=True, help="oxigraph: a persistent store every command opens "
              "without re-parsing; memory: rdflib's memory store, parsed from kg.trig.")
@click.option("--full", is_flag=True, help="Rebuild everything, even what has not changed.")
@click.option("--no-export", "no_export", is_flag=True,
              help="Write only the store and the manifest, not kg.trig and kg.ttl (for quick "
              "rebuilds of large graphs; `kg export` writes them on demand).")
@click.option("--no-wait", "no_wait", is_flag=True,
              help="If another `kg build` is writing the same --out folder, stop at once "
              "instead of waiting for it.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@handle_errors
def build(data_dir: Path, sources_dir: Path | None, out_dir: Path, store: str, full: bool,
          no_export: bool, no_wait: bool, quiet: bool) -> None:
    """Build and validate the graph; write the store, kg.trig (named graphs) and kg.ttl.

    Incremental: only the source files changed since the last build are read, built
    and validated again, and their named graphs replaced; a removed file's graph is
    dropped. A change to the registry, the ontology or the shapes rebuilds everything.
    On any problem, prints one `Error: file:line: ...` line per problem, exits 1 and
    writes nothing. Outputs found damaged (missing, truncated, edited, a store that does
    not open) are rebuilt in full. One build at a time writes a folder: another waits
    for it (or, with --no-wait, stops).

    \b
    Examples:
      kg build
      kg build --data data --sources ../shared/corpus --out build
      kg build --store memory --full
    """
    from kg.pipeline import build_project
    corpus = resolve_corpus(sources_dir)
    if no_export and store == "memory":
        raise KGError("--no-export needs the oxigraph store: the memory store lives in kg.trig")

    def waiting() -> None:
        click.echo(f"Waiting for another `kg build` to finish writing {out_dir} ...", err=True)

    result = build_project(data_dir, out_dir, corpus, store=store, full=full,
                           export=not no_export, progress=progress_bar(quiet),
                           wait=not no_wait, on_wait=waiting)
    for path in result.cleaned:
        click.echo(f"note: removed {path}, left by an interrupted build", err=True)
    for problem in result.repaired:
        click.echo(f"note: {problem}: rebuilt everything", err=True)
    checked = "locators checked against the texts" if result.corpus_checked else \
        "locators NOT checked: no source texts (pass --sources DIR)"
    if result.mode == "unchanged":
        click.echo(f"Up to date: {result.triples} triples from {result.sources} source(s); "
                   "nothing changed since the last build.")
        return
    what = (f"{len(result.rebuilt)} of {result.sources} source(s) rebuilt"
            + (f", {len(result.removed)} removed" if result.removed else "")
            if result.mode == "incremental" else f"{result.sources} source(s)")
    click.echo(f"Built {result.triples} triples from {what}, {result.entities} entities, "
               f"{result.facts} curated facts ({result.mode} build, {result.store} store); "
               f"SHACL: conforms; {checked}.")
    for path in result.outputs:
        click.echo(f"Wrote {path}")


@main.command()
@graph_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@handle_errors
def validate(graph_file: Path | None, data_dir: Path, sources_dir: Path | None,
             quiet: bool) -> None:
    """Check the curation files (or a built graph) and print a readable report.

    Without --graph, reads --data: file checks first (each problem as file:line), then
    SHACL. With --graph FILE (a TriG file or a kg.oxigraph store), runs SHACL on that
    built graph.

    \b
    Example:  kg validate
              kg validate --graph build/kg.trig
    """
    if graph_file is not None:
        from kg.graph.validate import validate as shacl
        report = shacl(open_graph(graph_file, data_dir, sources_dir))
    else:
        from kg.pipeline import validate_project
        report = validate_project(data_dir, resolve_corpus(sources_dir),
                                  progress=progress_bar(quiet))
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


def _run_and_print(dataset: Dataset, query_text: str, fmt: str | None,
                   output: Path | None) -> None:
    from kg.sparql.query import format_result, run_query
    result = run_query(dataset, query_text)
    chosen = fmt or ("turtle" if result.type in ("CONSTRUCT", "DESCRIBE") else "table")
    emit(format_result(result, chosen), output)


@main.command()
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
@handle_errors
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
        from kg.sparql.query import format_result
        from kg.sparql.remote import DEFAULT_TIMEOUT, query_endpoint
        result = query_endpoint(endpoint, text, credentials=_remote_credentials(endpoint, user),
                                timeout=timeout or DEFAULT_TIMEOUT, method=method or "auto")
        chosen = fmt or ("turtle" if result.type in ("CONSTRUCT", "DESCRIBE") else "table")
        emit(format_result(result, chosen), output)
        return
    _run_and_print(open_graph(graph_file, data_dir, sources_dir), text, fmt, output)


@main.command()
@click.argument("name", required=False)
@click.option("--list", "list_only", is_flag=True, help="List the shipped queries.")
@click.option("--all", "run_all", is_flag=True, help="Run every shipped query in turn.")
@click.option("--show", is_flag=True, help="Print the query's SPARQL instead of running it.")
@output_options
@graph_options
@handle_errors
def ask(name: str | None, list_only: bool, run_all: bool, show: bool, fmt: str | None,
        output: Path | None, graph_file: Path | None, data_dir: Path,
        sources_dir: Path | None) -> None:
    """Run a named query shipped with the package (one per competency question).

    \b
    Examples:
      kg ask --list
      kg ask cq2
      kg ask cq6 --format json
      kg ask --all
    """
    from kg.sparql import named as named_queries
    if list_only:
        for each in named_queries.names():
            click.echo(f"{each:<6}{named_queries.question(each)}")
        return
    if show:
        if name is None:
            raise click.UsageError("--show needs a NAME")
        click.echo(named_queries.text(name), nl=False)
        return
    if run_all:
        from kg.sparql.query import format_result, run_query
        dataset = open_graph(graph_file, data_dir, sources_dir)
        parts = []
        for each in named_queries.names():
            result = run_query(dataset, named_queries.text(each))
            parts.append(f"== {each}: {named_queries.question(each)}\n"
                         + format_result(result, fmt or "table"))
        emit("\n".join(parts), output)
        return
    if name is None:
        raise click.UsageError("give a query NAME, or --list, or --all")
    text = named_queries.text(name)
    _run_and_print(open_graph(graph_file, data_dir, sources_dir), text, fmt, output)


@main.command()
@click.option("--format", "-f", "fmt",
              type=click.Choice(EXPORT_FORMATS),
              default="turtle", show_default=True,
              help="RDF format. trig, nquads and jsonld keep one named graph per source.")
@click.option("--output", "-o", "output", type=click.Path(path_type=Path), default=None,
              help="Write to FILE instead of stdout.")
@graph_options
@handle_errors
def export(fmt: str, output: Path | None, graph_file: Path | None, data_dir: Path,
           sources_dir: Path | None) -> None:
    """Export the graph as Turtle, N-Triples, TriG, N-Quads, JSON-LD or RDF/XML.

    \b
    Examples:
      kg export --output kg.ttl
      kg export --format trig --output kg.trig
      kg export --format jsonld > kg.jsonld
    """
    from kg.store.exports import serialize
    show = progress_bar(False)
    show("export", 0, 1)
    data = serialize(open_graph(graph_file, data_dir, sources_dir), fmt)
    show("export", 1, 1)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from kg.store.files import write_atomically
    write_atomically({output: data})
    click.echo(f"Wrote {output}", err=True)


@main.command()
@graph_options
@handle_errors
def stats(graph_file: Path | None, data_dir: Path, sources_dir: Path | None) -> None:
    """Entities by class, facts by source, triples by graph.

    \b
    Example:  kg stats
    """
    from kg.sparql.stats import graph_stats
    click.echo(graph_stats(open_graph(graph_file, data_dir, sources_dir)).text())


@main.command()
@click.argument("entity")
@graph_options
@handle_errors
def evidence(entity: str, graph_file: Path | None, data_dir: Path,
             sources_dir: Path | None) -> None:
    """The facts about ENTITY (a registry id such as qin-gang), each with its source and
    locator, and the sentence itself when the source text is at hand (--sources).

    ENTITY may also be a fact, as fact/SOURCE-ID/FACT-ID.

    \b
    Examples:
      kg evidence qin-gang
      kg evidence sco --sources ../shared/corpus
    """
    from kg.graph.evidence import facts_about
    corpus = resolve_corpus(sources_dir)
    found = facts_about(open_graph(graph_file, data_dir, sources_dir), entity, corpus)
    if not found:
        click.echo(f"No facts about {entity}.")
        return
    for item in found:
        click.echo(f"* {item.description}  [{item.kind}]")
        click.echo(f"  fact:   {item.fact}")
        click.echo(f"  source: {item.source_title} <{item.source_url}>")
        for located in item.evidence:
            quote = f": {located.sentence}" if located.sentence else ""
            click.echo(f"    {located.locator}{quote}")
    if corpus is None:
        click.echo("(source texts not found: pass --sources DIR to see the sentences)", err=True)


@main.command()
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
@handle_errors
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
    from kg.web.server import AccessPolicy, ServerSettings, Serving, is_loopback
    from kg.web.server import serve as run_server
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

    from kg.sparql.remote import PASSWORD_VARIABLE, find_credentials
    if (user is not None and ":" not in user and PASSWORD_VARIABLE not in environ
            and sys.stdin.isatty()):
        password = click.prompt(f"Password for {user}", hide_input=True, err=True)
        user = f"{user}:{password}"
    return find_credentials(url, user)


@main.command()
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
@handle_errors
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
    from kg.sparql.remote import graph_store_url, redact
    from kg.sparql.remote import push as push_graphs
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


# --- the relationship network: kg network, neighbors, path, central, communities, viz ------
# Choices are spelled out here so that `kg --help` does not import networkx;
# tests/test_network.py checks they match kg.network and kg.network.viz.

NETWORK_FORMATS = ("graphml", "gexf", "json")
MEASURES = ("degree", "betweenness", "pagerank", "eigenvector")
COMMUNITY_ALGORITHMS = ("louvain", "greedy", "label-propagation")
VIZ_MAX_NODES = 500
VIZ_OUTPUT = Path("build") / "network.html"


def _one_line_failure(message: str, param: click.Parameter | None,
                      ctx: click.Context | None) -> click.ClickException:
    hint = param.get_error_hint(ctx) if param is not None and ctx is not None else "value"
    return click.ClickException(f"Invalid value for {hint}: {message}")


class StrictChoice(click.Choice):  # type: ignore[type-arg]
    """A choice whose bad value is one ``Error:`` line and exit 1 (not a usage error)."""

    def fail(self, message: str, param: click.Parameter | None = None,
             ctx: click.Context | None = None) -> NoReturn:
        raise _one_line_failure(message, param, ctx)


class StrictIntRange(click.IntRange):
    """An integer range whose bad value is one ``Error:`` line and exit 1."""

    def fail(self, message: str, param: click.Parameter | None = None,
             ctx: click.Context | None = None) -> NoReturn:
        raise _one_line_failure(message, param, ctx)


def network_options(func: F) -> F:
    """``--collapse/--no-collapse`` and the graph options, for the network commands."""
    func = click.option("--collapse/--no-collapse", default=True, show_default=True,
                        help="Draw n-ary facts (post holdings, statements, meetings) as "
                        "direct edges between the entities they connect, or keep them as "
                        "nodes of their own.")(func)
    return graph_options(func)


def _open_network(collapse: bool, graph_file: Path | None, data_dir: Path,
                  sources_dir: Path | None) -> Any:
    from kg.network import project
    return project(open_graph(graph_file, data_dir, sources_dir), collapse=collapse)


@main.command()
@click.option("--format", "-f", "fmt", type=StrictChoice(NETWORK_FORMATS), default="graphml",
              show_default=True, help="GraphML and GEXF flatten lists and per-language "
              "labels into plain attributes (label_zh, locators); JSON keeps them.")
@click.option("--output", "-o", "output", type=click.Path(path_type=Path), default=None,
              help="Write to FILE instead of stdout.")
@network_options
@handle_errors
def network(fmt: str, output: Path | None, collapse: bool, graph_file: Path | None,
            data_dir: Path, sources_dir: Path | None) -> None:
    """Export the relationship network: entities as nodes, relations as edges with their
    kind, date and evidence (source and locators).

    \b
    Examples:
      kg network --output network.graphml
      kg network --format json --no-collapse > network.json
      kg network --format gexf -o network.gexf      (opens in Gephi)
    """
    from kg.network import serialize
    graph = _open_network(collapse, graph_file, data_dir, sources_dir)
    data = serialize(graph, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from kg.store.files import write_atomically
    write_atomically({output: data})
    click.echo(f"Wrote {output}: {graph.number_of_nodes()} nodes, "
               f"{graph.number_of_edges()} edges", err=True)


def _link_line(graph: Any, link: Any) -> str:
    from kg.network import edge_sentence
    where = "registry" if link.data.get("source") == "registry" else \
        ", ".join(link.data.get("locators") or []) or "no locator"
    return f"{edge_sentence(graph, link.source, link.target, link.data, with_source=False)}" \
           f" [{where}]"


@main.command()
@click.argument("entity")
@click.option("--depth", "-d", type=StrictIntRange(min=1), default=1, show_default=True,
              help="How many hops away to look (edges followed in either direction).")
@click.option("--relation", "-r", "relations", multiple=True,
              help="Follow only this relation (repeat for several), e.g. met, holds, "
              "member-of, spoke-about.")
@network_options
@handle_errors
def neighbors(entity: str, depth: int, relations: tuple[str, ...], collapse: bool,
              graph_file: Path | None, data_dir: Path, sources_dir: Path | None) -> None:
    """The entities linked to ENTITY (a registry id such as qin-gang), nearest first,
    each with the facts that link it.

    \b
    Examples:
      kg neighbors qin-gang
      kg neighbors sco --depth 2
      kg neighbors china --relation member-of --relation committed-to
    """
    from kg.network import find_node, neighbours
    graph = _open_network(collapse, graph_file, data_dir, sources_dir)
    found = neighbours(graph, entity, depth=depth, relations=relations or None)
    start = find_node(graph, entity)
    attrs = graph.nodes[start]
    hops = "hop" if depth == 1 else "hops"
    click.echo(f"{attrs.get('label', start)} ({start}, {attrs.get('cls', '')}): "
               f"{len(found)} neighbour{'s' if len(found) != 1 else ''} within {depth} {hops}")
    for item in found:
        via = "" if item.parent == start else f" via {item.parent}"
        click.echo(f"{item.depth}  {item.label} ({item.node}, {item.cls}){via}")
        for link in item.links[:5]:
            click.echo(f"     {_link_line(graph, link)}")
        if len(item.links) > 5:
            click.echo(f"     ... and {len(item.links) - 5} more (kg evidence {item.node})")


@main.command()
@click.argument("start")
@click.argument("end")
@click.option("--all", "all_paths", is_flag=True, help="Every shortest path, not just one.")
@click.option("-k", "k", type=StrictIntRange(min=1), default=None,
              help="The K shortest simple paths (longer ones too).")
@network_options
@handle_errors
def path(start: str, end: str, all_paths: bool, k: int | None, collapse: bool,
         graph_file: Path | None, data_dir: Path, sources_dir: Path | None) -> None:
    """How START and END are connected: the shortest path (edges in either direction),
    each hop as a plain sentence with its relation, date, source and locators.

    \b
    Examples:
      kg path xi-jinping zhang-ming
      kg path xi-jinping zhang-ming --all
      kg path china sco -k 3
    """
    if all_paths and k is not None:
        raise KGError("give --all or -k N, not both")
    from kg.network import edge_sentence, paths
    graph = _open_network(collapse, graph_file, data_dir, sources_dir)
    found = paths(graph, start, end, k=k, all_shortest=all_paths)
    for number, item in enumerate(found, 1):
        names = " -> ".join(str(graph.nodes[n].get("label", n)) for n in item.nodes)
        hops = len(item.hops)
        click.echo(f"Path {number} of {len(found)}, {hops} hop{'s' if hops != 1 else ''}: "
                   f"{names}")
        for index, hop in enumerate(item.hops, 1):
            best = hop.best
            click.echo(f"  {index}. {edge_sentence(graph, best.source, best.target, best.data)}")
            if len(hop.links) > 1:
                more = len(hop.links) - 1
                click.echo(f"     (+{more} more fact{'s' if more != 1 else ''} link "
                           f"{hop.start} and {hop.end}: kg neighbors {hop.start})")


@main.command()
@click.option("--measure", "-m", type=StrictChoice(MEASURES), default="degree",
              show_default=True, help="Centrality measure (networkx), on the undirected "
              "graph; pagerank and eigenvector weigh a link by its number of facts.")
@click.option("--top", "-n", type=StrictIntRange(min=1), default=10, show_default=True,
              help="How many to list.")
@network_options
@handle_errors
def central(measure: str, top: int, collapse: bool, graph_file: Path | None, data_dir: Path,
            sources_dir: Path | None) -> None:
    """The most central entities of the network under a measure.

    \b
    Examples:
      kg central
      kg central --measure betweenness --top 5
      kg central -m pagerank --no-collapse
    """
    from kg.network import centrality
    graph = _open_network(collapse, graph_file, data_dir, sources_dir)
    ranked = centrality(graph, measure, top=top)
    width = max([len(r.node) for r in ranked] + [2])
    label_width = max([len(r.label) for r in ranked] + [5])
    click.echo(f"{'rank':<5} {measure:<12} {'id':<{width}}  {'label':<{label_width}}  class")
    for rank, item in enumerate(ranked, 1):
        click.echo(f"{rank:<5} {item.score:<12.4f} {item.node:<{width}}  "
                   f"{item.label:<{label_width}}  {item.cls}")


@main.command()
@click.option("--algorithm", "-a", type=StrictChoice(COMMUNITY_ALGORITHMS), default="louvain",
              show_default=True, help="networkx community detection (louvain is seeded, so "
              "the result repeats).")
@network_options
@handle_errors
def communities(algorithm: str, collapse: bool, graph_file: Path | None, data_dir: Path,
                sources_dir: Path | None) -> None:
    """Groups of densely linked entities, largest first.

    \b
    Examples:
      kg communities
      kg communities --algorithm greedy
    """
    from kg.network import communities as detect
    graph = _open_network(collapse, graph_file, data_dir, sources_dir)
    for number, group in enumerate(detect(graph, algorithm), 1):
        names = "; ".join(f"{graph.nodes[n].get('label', n)} ({n})" for n in group)
        click.echo(f"Community {number} ({len(group)} node{'s' if len(group) != 1 else ''}): "
                   f"{names}")


@main.command()
@click.option("--output", "-o", "output", type=click.Path(path_type=Path), default=VIZ_OUTPUT,
              show_default=True, help="The HTML file to write.")
@click.option("--focus", default=None, help="Draw only the part around this entity id.")
@click.option("--depth", "-d", type=StrictIntRange(min=0), default=None,
              help="With --focus: how many hops around it (default 2).")
@click.option("--types", "types", multiple=True,
              help="Only these classes (comma-separated or repeated), e.g. "
              "Person,Organization; a class keeps its subclasses.")
@click.option("--since", default=None, help="Drop dated relations before this date "
              "(YYYY, YYYY-MM or YYYY-MM-DD); undated ones stay.")
@click.option("--until", default=None, help="Drop dated relations after this date.")
@click.option("--title", default=None, help="Page title (default: 'Diplomacy network', or "
              "'Around LABEL' with --focus).")
@click.option("--max-nodes", type=StrictIntRange(min=1), default=VIZ_MAX_NODES,
              show_default=True, help="Refuse to draw more nodes than this (measured: the "
              "layout settles in about 2 s at 500 nodes on 2 cores, 9-11 s at 2,000).")
@network_options
@handle_errors
def viz(output: Path, focus: str | None, depth: int | None, types: tuple[str, ...],
        since: str | None, until: str | None, title: str | None, max_nodes: int,
        collapse: bool, graph_file: Path | None, data_dir: Path,
        sources_dir: Path | None) -> None:
    """Draw the network as one self-contained HTML page: it opens from disk and needs no
    network. Colour and shape by class (legend at the top), directed labelled edges,
    tooltips with every label, class, dates and the evidence of each relation.

    \b
    Examples:
      kg viz                                   (-> build/network.html)
      kg viz --focus qin-gang --depth 1 -o qin-gang.html
      kg viz --types Person,Organization --since 2023 --title "2023: people and organizations"
    """
    if depth is not None and focus is None:
        raise KGError("--depth needs --focus ID")
    from kg.network import find_node, select
    from kg.network.viz import render_html
    from kg.store.files import write_atomically
    graph = _open_network(collapse, graph_file, data_dir, sources_dir)
    wanted = [t for each in types for t in each.split(",")] if types else None
    part = select(graph, focus=focus, depth=2 if depth is None else depth, types=wanted,
                  since=since, until=until)
    if title is None:
        title = "Diplomacy network"
        if focus is not None:
            centre = find_node(graph, focus)
            title = f"Around {graph.nodes[centre].get('label', centre)}"
    page = render_html(part, title=title, max_nodes=max_nodes)
    write_atomically({output: page.encode("utf-8")})
    click.echo(f"Wrote {output}: {part.number_of_nodes()} nodes, {part.number_of_edges()} "
               "relations (self-contained: open it from disk, no network needed)")


@main.command()
@click.option("--articles", "-n", type=StrictIntRange(1, 999_999), required=True,
              help="How many articles to write (1 to 999999).")
@click.option("--seed", type=StrictIntRange(), default=0, show_default=True,
              help="Random seed: the same articles and seed give byte-identical files.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Folder for data/entities.yaml, data/sources/ and corpus/.")
@click.option("--force", is_flag=True,
              help="Write into a non-empty folder (replaces the files of an earlier run).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@handle_errors
def synth(articles: int, seed: int, out_dir: Path, force: bool, quiet: bool) -> None:
    """Write a synthetic corpus: a made-up world of diplomacy and ARTICLES news articles
    about it, as curation files and texts that `kg build` accepts.

    \b
    Examples:
      kg synth --articles 25 --seed 1 --out /tmp/synth
      kg build --data /tmp/synth/data --sources /tmp/synth/corpus --out /tmp/synth/build
    """
    from kg.synth import check_arguments, generate
    check_arguments(articles, seed)
    if out_dir.exists() and not out_dir.is_dir():
        raise KGError(f"{out_dir} is a file: give a folder for --out")
    if not force and out_dir.is_dir() and any(out_dir.iterdir()):
        raise KGError(f"{out_dir} is not empty: pass --force to write into it, or give "
                      "another folder")
    bar = progress_bar(quiet)
    step = max(1, articles // 100)

    def progress(done: int, total: int) -> None:
        if done % step == 0 or done == total:
            bar("synth", done, total)

    summary = generate(articles, seed, out_dir, progress=progress)
    click.echo(f"{summary.text()}; build with: kg build --data {out_dir / 'data'} "
               f"--sources {out_dir / 'corpus'}")
