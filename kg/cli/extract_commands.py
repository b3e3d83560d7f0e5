"""``kg extract``: draft curation files from article texts, explain a drafted fact, score
drafts against curated files. The library is :mod:`kg.extract`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli import command, data_options, emit, output_option, progress_bar, resolve_corpus
from kg.errors import KGError

if TYPE_CHECKING:
    from kg.extract.draft import Extractor


@command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, metavar="DIR",
              help="Draft every text given (or every .txt file of a folder given) into DIR "
              "as NAME.yaml.")
@click.option("--url", default=None, help="The article's URL (a captured text has none).")
@click.option("--published", default=None, metavar="DATE",
              help="Publication date (YYYY-MM-DD or YYYY-MM-DDTHH:MM), when the text has none.")
@click.option("--publisher", default=None, metavar="ID",
              help="The publisher's registry id, when the text names no agency.")
@click.option("--explain", "explain_fact", default=None, metavar="FACT",
              help="Show which rule found FACT of the draft file given, what is left to "
              "check, and the sentences of its evidence.")
@click.option("--score", "score", is_flag=True,
              help="Draft the text of each curated source file given and compare the draft "
              "with it: per source, facts matched, partial, wrong, missed, spurious, "
              "precision and recall, meetings and holdings recall, locators, dates, entities.")
@click.option("--markdown", is_flag=True, help="With --score: print a Markdown table.")
@click.option("--details", is_flag=True,
              help="With --score: after the table, every fact not matched, per source, with "
              "the fields that differ or are lacking.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@output_option
@data_options
def extract(paths: tuple[Path, ...], out_dir: Path | None, url: str | None,
            published: str | None, publisher: str | None, explain_fact: str | None,
            score: bool, markdown: bool, details: bool, quiet: bool, output: Path | None,
            data_dir: Path,
            sources_dir: Path | None) -> None:
    """Draft a curation file from an article's text, for the analyst to check.

    Every fact of the draft carries a draft: block (the rule that found it, what is left
    to check); kg build refuses the file until each is resolved and deleted. Entities the
    registry lacks are proposed under the top-level draft: block.

    \b
    Examples:
      kg extract ../shared/corpus/000_f693d5a72e5eb8f0.txt -o draft.yaml
      kg extract article.txt --url https://example.org/a --published 2024-05-16
      kg extract --explain qin-gang-foreign-minister-of-china draft.yaml
      kg extract ../shared/corpus --out drafts/
      kg extract --score data/sources/*.yaml
      kg extract --score data/sources/2023-06-19-xinhua-xi-meets-blinken.yaml --details
    """
    from kg.curation.registry import load_registry
    from kg.extract.draft import Extractor
    if not paths:
        raise KGError("give an article text, a folder of texts (with --out), a draft file "
                      "(with --explain) or curated files (with --score)")
    if (markdown or details) and not score:
        raise KGError("--markdown and --details print a score: add --score and give "
                      "curated files")
    if explain_fact is not None:
        _explain(explain_fact, paths, sources_dir)
        return
    registry = load_registry(data_dir)
    extractor = Extractor(registry)
    if score:
        _score(extractor, paths, sources_dir, {k: e.type for k, e in registry.items()},
               markdown, details, output)
    elif out_dir is not None:
        _draft_many(extractor, paths, out_dir, quiet)
    else:
        from kg.extract.files import draft_file
        if len(paths) > 1:
            raise KGError("several texts given: pass --out DIR to draft them all")
        emit(draft_file(extractor, paths[0], url=url, published=published,
                        publisher=publisher), output)


def _explain(fact: str, paths: tuple[Path, ...], sources_dir: Path | None) -> None:
    from kg.extract.files import explain
    if len(paths) != 1:
        raise KGError("--explain FACT takes one draft file")
    for line in explain(paths[0], fact, resolve_corpus(sources_dir)):
        click.echo(line)


def _draft_many(extractor: Extractor, paths: tuple[Path, ...], out_dir: Path,
                quiet: bool) -> None:
    from kg.extract.files import draft_folder, texts_in
    texts = [t for p in paths for t in (texts_in(p) if p.is_dir() else [p])]
    if not texts:
        raise KGError(f"no .txt files in {', '.join(map(str, paths))}: give article texts")
    bar = progress_bar(quiet)
    done = [0]

    def progress(_: Path) -> None:
        done[0] += 1
        bar("extract", done[0], len(texts))

    drafted = draft_folder(extractor, texts, out_dir, progress=progress)
    facts = sum(d.facts for d in drafted)
    click.echo(f"Drafted {len(drafted)} file(s), {facts} fact(s), into {out_dir}", err=True)


def _score(extractor: Extractor, paths: tuple[Path, ...], sources_dir: Path | None,
           entity_types: dict[str, str], markdown: bool, details: bool,
           output: Path | None) -> None:
    from kg.extract.files import score_curated
    from kg.extract.score import render_details, render_table
    corpus = resolve_corpus(sources_dir)
    if corpus is None:
        raise KGError("the source texts are not found: pass --sources DIR")
    scores = score_curated(extractor, list(paths), corpus, entity_types)
    table = render_table(scores, markdown=markdown)
    emit(f"{table}\n\n{render_details(scores)}" if details else table, output)
