"""``kg extract`` on files: read an article text safely, draft one file or a folder of
them, explain a drafted fact, and score drafts against curated files.

A text must be UTF-8, not empty, not binary and at most :data:`MAX_CHARACTERS` long
(a news article is far shorter); anything else is one :class:`~kg.errors.KGError` naming
the file and line, and nothing is written. Drafts are written whole or not at all.

>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "empty.txt"
>>> _ = path.write_bytes(b"")
>>> try:
...     read_article_text(path)
... except KGError as error:
...     print(str(error).split(": ", 1)[1])
the file is empty: give the article's text
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.curation.draft_format import DRAFT_KEY, RULE_KEY, TODO_KEY
from kg.curation.text import Locator, SourceText, text_path
from kg.errors import KGError
from kg.extract.draft import Extractor, render
from kg.extract.draft import document as draft_document
from kg.extract.score import SourceScore, load_document, scalar_text, score_documents
from kg.store.files import write_atomically

__all__ = ["MAX_CHARACTERS", "DraftedFile", "draft_file", "draft_folder", "explain",
           "read_article_text", "score_curated"]

#: The longest text read, in characters: a hundred times a long news article.
MAX_CHARACTERS = 1_000_000


def read_article_text(path: Path) -> str:
    """An article's text, or KGError with ``file:line`` saying what is wrong."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise KGError(f"{path}:1: this is a folder: give a text file, or use --out DIR to "
                      "draft every .txt file of a folder") from None
    except OSError as exc:
        raise KGError(f"{path}:1: the file cannot be read ({exc.strerror or exc}): give a "
                      "readable text file") from None
    if b"\0" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\0")) + 1
        raise KGError(f"{path}:{line}: the file is binary (a NUL byte): give the article as "
                      "plain UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise KGError(f"{path}:{line}: the file is not UTF-8 ({exc.reason} at byte "
                      f"{exc.start}): save it as UTF-8") from None
    if not text.strip():
        raise KGError(f"{path}:1: the file is empty: give the article's text")
    if len(text) > MAX_CHARACTERS:
        raise KGError(f"{path}:1: the text has {len(text):,} characters, more than "
                      f"{MAX_CHARACTERS:,}: give one article per file")
    return text


@dataclass(frozen=True)
class DraftedFile:
    """One draft written: its text file, its draft file, and how many facts it holds."""

    text: Path
    draft: Path
    facts: int


def draft_file(extractor: Extractor, path: Path, *, url: str | None = None,
               published: str | None = None, publisher: str | None = None) -> str:
    """The draft YAML of one article text."""
    text = read_article_text(path)
    return render(extractor.extract(text, text_name=path.name, url=url, published=published,
                                    publisher=publisher))


def draft_folder(extractor: Extractor, texts: Sequence[Path], out_dir: Path,
                 progress: Callable[[Path], None] | None = None) -> list[DraftedFile]:
    """Draft every text into ``out_dir`` (``NAME.txt`` -> ``NAME.yaml``). Every text is
    read and drafted before anything is written; then all drafts are written at once."""
    contents: dict[Path, bytes] = {}
    written = []
    for path in texts:
        text = read_article_text(path)
        draft = extractor.extract(text, text_name=path.name)
        target = out_dir / f"{path.stem}.yaml"
        contents[target] = render(draft).encode("utf-8")
        written.append(DraftedFile(path, target, len(draft.facts)))
        if progress is not None:
            progress(path)
    write_atomically(contents)
    return written


def texts_in(folder: Path) -> list[Path]:
    """The ``.txt`` files of a folder, by name."""
    return sorted(p for p in folder.iterdir() if p.suffix == ".txt" and p.is_file())


def _load(path: Path) -> dict[str, object]:
    document = load_document(path)
    if not isinstance(document, dict) or not isinstance(document.get("facts"), list):
        raise KGError(f"{path}:1: this is not a draft or source file (no facts: list): give "
                      "a file written by kg extract")
    return document


def explain(draft: Path, fact_id: str, corpus: Path | None) -> Iterator[str]:
    """Lines telling which rule found a drafted fact, what is left to check, and the
    sentences its evidence points at."""
    document = _load(draft)
    facts = [f for f in document["facts"] if isinstance(f, dict)]  # type: ignore[attr-defined]
    fact = next((f for f in facts if f.get("id") == fact_id), None)
    if fact is None:
        known = ", ".join(str(f.get("id")) for f in facts)
        raise KGError(f"{draft}:1: no fact {fact_id!r} in the draft: give one of {known}")
    note = fact.get(DRAFT_KEY) or {}
    yield f"{fact_id} ({fact.get('kind')}), found by {note.get(RULE_KEY, 'hand (no rule)')}"
    for item in note.get(TODO_KEY, []):
        yield f"  todo: {item}"
    source = document.get("source") or {}
    assert isinstance(source, dict)
    text = _source_text(source, corpus, draft)
    for locator in fact.get("evidence", []):
        sentence = text.resolve(Locator.parse(str(locator))).text if text else "(text not found)"
        yield f"  {locator}  {sentence}"


def _source_text(source: dict[str, object], corpus: Path | None,
                 draft: Path) -> SourceText | None:
    name = str(source.get("text", ""))
    for folder in (corpus, draft.parent):
        if folder is None:
            continue
        try:
            path = text_path(folder, name)
        except KGError:
            continue
        if path.is_file():
            return SourceText(read_article_text(path), str(source.get("paragraphs",
                                                                       "blank-line")))
    return None


def score_curated(extractor: Extractor, curated: Sequence[Path], corpus: Path,
                  entity_types: dict[str, str]) -> list[SourceScore]:
    """Draft the text of each curated file (with the URL, publication date and publisher
    the curated file gives, as an analyst passes them for what a text lacks) and score
    the draft against the curated file."""
    scores = []
    for path in curated:
        document = _load(path)
        source = document.get("source")
        if not isinstance(source, dict):
            raise KGError(f"{path}:1: no source: block: give a curated source file")
        text_file = text_path(corpus, str(source.get("text")))
        draft = extractor.extract(
            read_article_text(text_file), text_name=text_file.name, url=source.get("url"),
            published=None if source.get("published") is None
            else scalar_text(source["published"]),
            publisher=source.get("publisher"))
        scores.append(score_documents(draft_document(draft), document,
                                      entity_types=entity_types))
    return scores

