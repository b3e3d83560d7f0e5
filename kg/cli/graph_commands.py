"""The graph itself: ``kg build``, ``validate``, ``stats``, ``export``, ``evidence``,
``timeline`` (an entity's dated facts), ``text`` (a source text's numbered sentences) and
``synth`` (a corpus to build)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli import (
    BUILD,
    StrictChoice,
    StrictIntRange,
    choice_option,
    command,
    data_options,
    emit_bytes,
    graph_options,
    open_graph,
    output_option,
    progress_bar,
    resolve_corpus,
)
from kg.errors import KGError
from kg.formats import EXPORT_FORMATS
from kg.store.layout import BuildFolder, build_folder_of


def print_warning(warning: object) -> None:
    """Print a warning of the checks across the curation files on stderr, as
    ``Warning: file:line: ...``; warnings never change the exit code."""
    click.echo(f"Warning: {warning}", err=True)


#: How `kg stats` heads the count of each source's fact nodes: more than its curated facts.
FACT_NODES_HEADING = ("Fact nodes by source (curated facts, a relation once per object, "
                      "plus the article's editors, photos and publication time):")


@command()
@data_options
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=BUILD.root,
              show_default=True, metavar="DIR",
              help="Folder for the store, kg.trig, kg.ttl and manifest.json.")
@click.option("--store", type=click.Choice(["oxigraph", "memory"]), default="oxigraph",
              show_default=True, help="oxigraph: write a persistent store (kg.oxigraph) that "
              "every command opens without re-parsing; memory: build and validate in "
              "rdflib's memory store and write no store (commands then parse kg.trig).")
@click.option("--full", is_flag=True, help="Rebuild everything, even what has not changed.")
@click.option("--no-export", "no_export", is_flag=True,
              help="Write only the store and the manifest, not kg.trig and kg.ttl (for quick "
              "rebuilds of large graphs; `kg export` writes them on demand).")
@click.option("--no-wait", "no_wait", is_flag=True,
              help="If another `kg build` is writing the same --out folder, stop at once "
              "instead of waiting for it.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
def build(data_dir: Path, sources_dir: Path | None, out_dir: Path, store: str, full: bool,
          no_export: bool, no_wait: bool, quiet: bool) -> None:
    """Build and validate the graph; write the store, kg.trig (named graphs) and kg.ttl.

    Incremental: only the source files changed since the last build are read, built
    and validated again, and their named graphs replaced; a removed file's graph is
    dropped. A change to the registry, the ontology or the shapes rebuilds everything.
    On any problem, prints one `Error: file:line: ...` line per problem, exits 1 and
    writes nothing; what the checks across files find likely wrong (two entities of the
    same name, say) is printed as `Warning: file:line: ...` on stderr and builds anyway.
    Outputs found damaged (missing, truncated, edited, a store that does not open) are
    rebuilt in full. One build at a time writes a folder: another waits for it (or, with
    --no-wait, stops).

    \b
    Examples:
      kg build
      kg build --data data --sources ../shared/corpus --out build
      kg build --store memory --full
    """
    from kg.pipeline import build_project

    def waiting() -> None:
        click.echo(f"Waiting for another `kg build` to finish writing {out_dir} ...", err=True)

    result = build_project(data_dir, out_dir, resolve_corpus(sources_dir), store=store,
                           full=full, export=not no_export, progress=progress_bar(quiet),
                           wait=not no_wait, on_wait=waiting, warn=print_warning)
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
    nodes = BuildFolder(out_dir).fact_nodes()
    in_graph = (f"{nodes} fact nodes (a relation once per object, plus each article's "
                "editors, photos and publication time); " if nodes is not None else "")
    click.echo(f"Built {result.triples} triples from {what}, {result.entities} entities, "
               f"{result.facts} curated facts ({result.mode} build, {result.store} store); "
               f"{in_graph}SHACL: conforms; {checked}.")
    for path in result.outputs:
        click.echo(f"Wrote {path}")


@command()
@data_options
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), default=None,
              metavar="PATH", help="Run SHACL on this built graph (a TriG file, or an "
              f"Oxigraph store folder such as {BUILD.store}) instead of reading --data.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
def validate(graph_file: Path | None, data_dir: Path, sources_dir: Path | None,
             quiet: bool) -> None:
    """Check the curation files (or a built graph) and print a readable report.

    Without --graph, reads --data: file checks first (each problem as file:line), then
    the checks across files (two holders of a one-holder post on the same day, a planned
    event used as a happened one: errors; the same or close names on two entities:
    warnings, on stderr, which keep the exit code 0), then SHACL. With --graph FILE (a
    TriG file or a kg.oxigraph store), runs SHACL on that built graph.

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
                                  progress=progress_bar(quiet), warn=print_warning)
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


@command()
@click.option("--format", "-f", "fmt",
              type=click.Choice(EXPORT_FORMATS),
              default="turtle", show_default=True,
              help="RDF format (trig, nquads and jsonld keep one named graph per source), "
              "or plover: one PLOVER event record per line (JSON), with the sentences when "
              "the texts are at hand.")
@output_option
@graph_options
def export(fmt: str, output: Path | None, graph_file: Path | None, data_dir: Path,
           sources_dir: Path | None) -> None:
    """Export the graph as Turtle, N-Triples, TriG, N-Quads, JSON-LD or RDF/XML, or its
    events as PLOVER records.

    \b
    Examples:
      kg export --output kg.ttl
      kg export --format trig --output kg.trig
      kg export --format jsonld > kg.jsonld
      kg export --format plover --output events.jsonl
    """
    show = progress_bar(False)
    show("export", 0, 1)
    dataset = open_graph(graph_file, data_dir, sources_dir)
    if fmt == "plover":
        from kg.graph.plover import plover_jsonl
        data = plover_jsonl(dataset, resolve_corpus(sources_dir))
    else:
        from kg.store.exports import serialize
        data = serialize(dataset, fmt)
    show("export", 1, 1)
    emit_bytes(data, output)


@command()
@graph_options
def stats(graph_file: Path | None, data_dir: Path, sources_dir: Path | None) -> None:
    """Entities by class, fact nodes by source, triples by graph.

    \b
    Example:  kg stats
    """
    from kg.sparql.stats import graph_stats
    text = graph_stats(open_graph(graph_file, data_dir, sources_dir)).text()
    # what `kg build` counts as fact nodes, beside its curated facts
    click.echo(text.replace("\nFacts by source:\n", f"\n{FACT_NODES_HEADING}\n"))


@command()
@click.argument("entity")
@graph_options
def evidence(entity: str, graph_file: Path | None, data_dir: Path,
             sources_dir: Path | None) -> None:
    """The facts about ENTITY (a registry id such as qin-gang), each with its source and
    locator, and the sentence itself when the source text is at hand: in --sources, else
    in the folder of texts the build read (when the graph is the build's).

    ENTITY may also be a fact, as fact/SOURCE-ID/FACT-ID.

    \b
    Examples:
      kg evidence qin-gang
      kg evidence sco --sources ../shared/corpus
    """
    from kg.graph.evidence import facts_about
    corpus = sources_dir
    if corpus is None:  # the texts the build read, when the graph is the build's
        folder = build_folder_of(graph_file, BUILD)
        corpus = folder.source_texts() if folder is not None else None
    corpus = corpus or resolve_corpus(None)
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


#: Formats of ``kg timeline``, spelled out so that ``kg --help`` imports no graph code
#: (tests/graph/test_timeline.py checks they match :data:`kg.graph.timeline.FORMATS`).
TIMELINE_FORMATS = ("table", "csv", "json", "html")


@command()
@click.argument("entity")
@click.option("--since", default=None, metavar="DATE", help="Keep the points whose dates "
              "reach this day or later (YYYY, YYYY-MM or YYYY-MM-DD: from its first day).")
@click.option("--until", default=None, metavar="DATE", help="Keep the points whose dates "
              "reach this day or earlier (to the last day of a year or a month).")
@choice_option("--format", "-f", "fmt", choices=TIMELINE_FORMATS, default="table",
               help="table (aligned text), csv, json (a list of points with every field) "
               "or html (one page that works offline).")
@output_option
@graph_options
def timeline(entity: str, since: str | None, until: str | None, fmt: str,
             output: Path | None, graph_file: Path | None, data_dir: Path,
             sources_dir: Path | None) -> None:
    """The timeline of ENTITY, a post, a person or an organization (an id, id:ID, its IRI
    or its exact label), sorted by date, each point with its source and locators.

    A post: its holders over time (a designated successor marked as such). A person:
    the posts they hold, the events they take part in (or organize, host, chair), the
    visits they make (or host, invite), the statements they make and the relations
    stated about them. An organization or a state: the same, and the holders of its
    posts and of its parts' posts. Planned events and visits are shown as planned.

    \b
    Examples:
      kg timeline foreign-minister-of-china
      kg timeline qin-gang --since 2023-04 --until 2023
      kg timeline China --format html --output china.html
    """
    from kg.graph.timeline import Interval, render_text
    from kg.graph.timeline import timeline as find
    interval = Interval(since, until)  # a bad date is refused before the graph is opened
    found = find(open_graph(graph_file, data_dir, sources_dir), entity, interval=interval)
    if fmt == "html":
        from kg.network.timeline_page import render_page
        text = render_page(found)
    else:
        text = render_text(found, fmt)
    count = len(found.points)
    emit_bytes(text.encode("utf-8"), output, f": {count} point{'s' if count != 1 else ''}")


@command("text")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--source", "source_file", type=click.Path(path_type=Path, dir_okay=False),
              default=None, metavar="SOURCE.yaml", help="The curation file that names the "
              "text: its paragraph rule is the default, and FILE may be left out (the text "
              "it names is read from --sources).")
@click.option("--paragraphs", type=StrictChoice(["blank-line", "line"]), default=None,
              help="How paragraphs are told apart: blank-line (blocks separated by blank "
              "lines) or line (every line). Default: the --source file's rule, else "
              "blank-line.")
@click.option("--offsets", is_flag=True, help="Also print each sentence's character "
              "offsets (chars:START-END).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools (offsets "
              "included).")
@click.option("--sources", "sources_dir", type=click.Path(path_type=Path), default=None,
              metavar="DIR", help="Folder of source texts, for --source without FILE "
              "(default: $KG_SOURCES, else ../shared/corpus when present).")
def text_command(file: Path | None, source_file: Path | None, paragraphs: str | None,
                 offsets: bool, as_json: bool, sources_dir: Path | None) -> None:
    """Number a source text's sentences: each with its locator pN.sM (paragraph N,
    sentence M), the way the build reads the text, to write a fact's evidence.

    A text whose paragraph rule looks wrong (many lines, no blank line, read by blank
    lines) gets a warning on stderr.

    \b
    Examples:
      kg text ../shared/corpus/000_f693d5a72e5eb8f0.txt
      kg text --source data/sources/2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml
      kg text capture.txt --paragraphs line --offsets
      kg text capture.txt --json
    """
    import json

    from kg.curation.text import declared_text, numbered, read_text, text_path
    declared = declared_text(source_file) if source_file is not None else None
    if file is None:
        if declared is None:
            raise click.UsageError("give a text FILE, or --source SOURCE.yaml")
        if declared.name is None:
            raise KGError(f"{source_file} names no text (source: text:): give the text FILE")
        corpus = resolve_corpus(sources_dir)
        if corpus is None:
            raise KGError(f"the folder of source texts is unknown: pass --sources DIR (the "
                          f"folder holding {declared.name}) or the text FILE")
        try:
            file = text_path(corpus, declared.name)
        except ValueError as exc:
            raise KGError(f"{source_file}: {exc}") from None
    rule = paragraphs or (declared.paragraphs if declared is not None else "blank-line")
    source_text = read_text(file, rule)
    problem = source_text.rule_problem()
    if problem is not None:
        click.echo(f"warning: {file}: {problem}", err=True)
    sentences = numbered(source_text)
    if as_json:
        click.echo(json.dumps({
            "file": str(file), "paragraphs": rule,
            "sentences": [{"locator": s.locator, "paragraph": s.paragraph,
                           "sentence": s.sentence, "start": s.start, "end": s.end,
                           "text": s.text} for s in sentences]},
            ensure_ascii=False, indent=1))
        return
    from kg.errors import one_line
    click.echo(f"{file.name}: {len(source_text.paragraphs)} paragraph(s), "
               f"{len(sentences)} sentence(s) (paragraphs: {rule})")
    width = max([len(s.locator) for s in sentences] + [0])
    span_width = max([len(s.span) for s in sentences] + [0])
    for sentence in sentences:
        where = f"{sentence.locator:<{width}}"
        if offsets:
            where += f"  {sentence.span:<{span_width}}"
        click.echo(f"{where}  {one_line(sentence.text)}")


@command()
@click.option("--articles", "-n", type=StrictIntRange(1, 999_999), required=True,
              help="How many articles to write (1 to 999999).")
@click.option("--seed", type=StrictIntRange(), default=0, show_default=True,
              help="Random seed: the same articles and seed give byte-identical files.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              metavar="DIR", help="Folder for data/entities.yaml, data/sources/ and corpus/.")
@click.option("--force", is_flag=True,
              help="Write into a non-empty folder (replaces the files of an earlier run).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
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
