"""Benchmark `kg extract` on a synthetic corpus, against the floor of reading the texts.

A script, not a test: it prints times and a ratio. The corpus is written by `kg synth`
(made-up states, people and meetings, so names, titles and dates of every kind); the
baseline, run in the same process on the same texts, reads each text and splits it into
sentences as the build does (what any drafting must do at least); the measure drafts
every text as `kg extract DIR --out DIR` does, writing the drafts.

    .venv/bin/python benchmarks/extract.py                    # 1,000 articles
    .venv/bin/python benchmarks/extract.py --articles 200 --work /tmp/extract-bench
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root

from kg.curation.text import SourceText, numbered
from kg.extract.draft import Extractor
from kg.extract.files import draft_folder, read_article_text, texts_in
from kg.extract.metadata import paragraph_rule
from kg.synth import generate


def _baseline(texts: list[Path]) -> float:
    started = time.perf_counter()
    for path in texts:
        text = read_article_text(path)
        numbered(SourceText(text, paragraph_rule(text)))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None,
                        help="Folder for the corpus and the drafts (default: a temporary one).")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="extract-bench-"))
    if not (work / "corpus").is_dir():
        generate(args.articles, args.seed, work)
    texts = texts_in(work / "corpus")
    started = time.perf_counter()
    extractor = Extractor.from_data(work / "data")
    setup = time.perf_counter() - started
    floor = _baseline(texts)
    started = time.perf_counter()
    drafted = draft_folder(extractor, texts, work / "drafts")
    drafting = time.perf_counter() - started
    facts = sum(d.facts for d in drafted)
    print(f"{len(texts)} articles, {facts} draft facts, registry of "
          f"{len(extractor.entities)} entities ({len(extractor.names)} name patterns)")
    print(f"{'matcher built':<28} {setup:8.2f} s")
    print(f"{'read and split (baseline)':<28} {floor:8.2f} s")
    print(f"{'drafted and written':<28} {drafting:8.2f} s  "
          f"({drafting / max(floor, 1e-9):.1f}x the baseline, "
          f"{1000 * drafting / len(texts):.1f} ms an article)")


if __name__ == "__main__":
    main()
