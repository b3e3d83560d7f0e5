"""The ``kg`` command line: parse options, call the library, print, map errors to one line.

No logic lives here that a notebook would also want: every command is a thin shell
over a library function. This module holds the ``main`` group, the error handling (every
command is registered with it by :func:`command`) and the options the commands share; the
commands live in one module per group:
:mod:`kg.cli.graph_commands` (build, validate, stats, export, evidence, text, synth),
:mod:`kg.cli.sparql_commands` (query, ask, serve, push) and
:mod:`kg.cli.network_commands` (network, neighbors, path, central, communities, viz) and
:mod:`kg.cli.extract_commands` (extract).
Heavy modules are imported inside the commands that use them, so ``kg --help`` is quick.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from kg import __version__
from kg.errors import CurationErrors, KGError
from kg.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from kg.store.layout import BuildFolder

if TYPE_CHECKING:
    from rdflib import Dataset

F = TypeVar("F", bound=Callable[..., Any])

#: The build folder commands open when given no --graph.
BUILD = BuildFolder()


# --- errors ----------------------------------------------------------------------------------

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


def handle_errors(func: F) -> F:
    """Wrap a command so library errors become one ``Error:`` line and exit 1."""
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with reported_errors():
            return func(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


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


# --- shared options --------------------------------------------------------------------------

def data_options(func: F) -> F:
    """``--data`` and ``--sources``: where the curation files and the source texts are."""
    func = click.option("--sources", "sources_dir", type=click.Path(path_type=Path),
                        default=None, metavar="DIR", help="Folder of source texts (default: "
                        "$KG_SOURCES, else ../shared/corpus when present).")(func)
    func = click.option("--data", "data_dir", type=click.Path(path_type=Path),
                        default=Path("data"), show_default=True, metavar="DIR",
                        help="Folder of curation files.")(func)
    return func


def graph_options(func: F) -> F:
    """``--graph``: the built graph, falling back to the last build, then to building
    ``--data`` in memory."""
    func = click.option("--graph", "graph_file", type=click.Path(path_type=Path),
                        default=None, metavar="PATH", help="A built graph: a TriG file or "
                        "an Oxigraph store folder. Default: what `kg build` wrote (the store "
                        f"{BUILD.store}, or {BUILD.trig} after `kg build --store memory`); "
                        "when nothing is built, the graph is built from --data in memory."
                        )(func)
    return data_options(func)


def output_option(func: F) -> F:
    """``--output``/``-o FILE``: where :func:`emit` and :func:`emit_bytes` write, instead
    of stdout."""
    return click.option("--output", "-o", "output", type=click.Path(path_type=Path),
                        default=None, metavar="FILE",
                        help="Write to FILE instead of stdout.")(func)


def choice_option(*names: str, choices: Sequence[str], default: str,
                  help: str) -> Callable[[F], F]:
    """An option of fixed ``choices`` with its default shown; a bad value is one
    ``Error:`` line and exit 1 (:class:`StrictChoice`)."""
    def decorate(func: F) -> F:
        return click.option(*names, type=StrictChoice(choices), default=default,
                            show_default=True, help=help)(func)
    return decorate


def output_options(func: F) -> F:
    """``--format`` and ``--output`` for query results."""
    func = output_option(func)
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
    """The dataset a command works on (:func:`kg.pipeline.open_graph`), saying so on
    stderr when it is built in memory."""
    from kg.pipeline import open_graph as open_dataset

    def note() -> None:
        click.echo(f"note: nothing is built in {BUILD.root}; building the graph from "
                   f"{data_dir} in memory (run `kg build` to keep it)", err=True)

    return open_dataset(graph_file, data_dir, resolve_corpus(sources_dir), folder=BUILD,
                        on_memory_build=note)


# --- output ----------------------------------------------------------------------------------

def emit(text: str, output: Path | None) -> None:
    """Print text, or write it to a file atomically."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from kg.store.files import write_atomically
    write_atomically({output: text.encode("utf-8")})
    click.echo(f"Wrote {output}", err=True)


def emit_bytes(data: bytes, output: Path | None, detail: str = "") -> None:
    """Write bytes to stdout, or to a file atomically (then ``Wrote FILE`` and the detail
    on stderr)."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from kg.store.files import write_atomically
    write_atomically({output: data})
    click.echo(f"Wrote {output}{detail}", err=True)


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


# --- the group -------------------------------------------------------------------------------

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Knowledge graphs of diplomacy curated from news, every fact traceable to its sentence.

    \b
    Start with:  kg build        (data/ -> build/: the kg.oxigraph store, kg.trig, kg.ttl)
                 kg ask --list   (the shipped competency questions)
    """


def command(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], click.Command]:
    """Register a command of ``kg`` (the arguments of :meth:`click.Group.command`) whose
    library errors become one ``Error:`` line and exit 1 (:func:`handle_errors`)."""
    def register(func: Callable[..., Any]) -> click.Command:
        registered: click.Command = main.command(*args, **kwargs)(handle_errors(func))
        return registered
    return register


# The commands register themselves on `main` as their modules load; they import the
# helpers above, so they come last.
from kg.cli import (  # noqa: E402
    extract_commands,
    graph_commands,
    network_commands,
    sparql_commands,
)

__all__ = ["extract_commands", "graph_commands", "main", "network_commands", "sparql_commands"]
