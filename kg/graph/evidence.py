"""Facts about an entity, each with its source, locator and, when at hand, the sentence.

Each fact is read back from its own source's graph (:mod:`kg.graph.readback`) and said in the
words of its kind (:meth:`~kg.kinds.base.FactKind.sentence`), so a sentence never mixes in
what another source says about the same event. What an article says about itself (its
photo credits, editors and publication time) is shown too.

>>> from pathlib import Path
>>> from kg.pipeline import compile_project
>>> dataset = compile_project(Path("data")).dataset
>>> found = facts_about(dataset, "zhang-ming")
>>> any(f.description == "Zhang Ming leads SCO Secretariat" for f in found)
True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS
from rdflib.term import Node

from kg.curation.text import Locator, SourceText, text_path
from kg.graph.lookup import lookup
from kg.graph.namespaces import DIP, ID, SCHEMA, entity_iri
from kg.graph.readback import entity_ids, locator_order, read_fact

__all__ = ["FactEvidence", "Located", "describe_fact", "facts_about", "label",
           "located_sentences"]

#: How what an article says about itself reads (its other facts read as their kind says).
_ABOUT_THE_ARTICLE: dict[URIRef, str] = {
    SCHEMA.editor: "was edited by",
    SCHEMA.datePublished: "was published on",
}


@dataclass(frozen=True)
class Located:
    """One piece of evidence: where, and the sentence when the text is at hand."""

    locator: str
    sentence: str | None


@dataclass(frozen=True)
class FactEvidence:
    """A fact in plain words, with its source and evidence."""

    fact: URIRef
    kind: str
    description: str
    source_title: str
    source_url: str
    evidence: tuple[Located, ...]


def label(dataset: Dataset, node: Node) -> str:
    """The English label of a node, else its IRI's last segment, else its value."""
    if isinstance(node, Literal):
        return str(node)
    found = dataset.value(node, RDFS.label)
    if found is not None:
        return str(found)
    return str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def describe_fact(dataset: Dataset, fact: URIRef,
                  entities: Mapping[Node, str] | None = None) -> str:
    """A fact in one plain sentence, from its own source's graph."""
    read = read_fact(dataset, fact, entities)
    if read is not None:
        return read.kind.sentence(read.fact, lambda e: label(dataset, entity_iri(e)))
    return _describe_the_article(dataset, fact)


def _describe_the_article(dataset: Dataset, fact: URIRef) -> str:
    def name(prop: URIRef) -> str:
        found = dataset.value(fact, prop)
        return label(dataset, found) if found is not None else "?"

    if (fact, RDF.type, DIP.Photograph) in dataset:
        text = f"Photo of {name(FOAF.depicts)} by {name(SCHEMA.creator)}"
        if dataset.value(fact, SCHEMA.sourceOrganization) is not None:
            text += f" ({name(SCHEMA.sourceOrganization)})"
        return text
    predicate = dataset.value(fact, RDF.predicate)
    if isinstance(predicate, URIRef) and predicate in _ABOUT_THE_ARTICLE:
        subject = dataset.value(fact, RDF.subject)
        title = dataset.value(subject, SCHEMA.headline) if subject is not None else None
        return f"{title or name(RDF.subject)} {_ABOUT_THE_ARTICLE[predicate]} {name(RDF.object)}"
    return label(dataset, fact)


def _candidates(dataset: Dataset, node: URIRef) -> Iterator[URIRef]:
    """Fact nodes that may name ``node``: any fact linking to it directly, or through the
    event it reports (place, actors) or a participation."""
    for subject in set(dataset.subjects(None, node)):
        if not isinstance(subject, URIRef):
            continue
        if (subject, RDF.type, DIP.Fact) in dataset:
            yield subject
            continue
        events = {subject} | set(dataset.subjects(DIP.participation, subject))
        for event in events:
            for report in dataset.subjects(DIP.about, event):
                if isinstance(report, URIRef):
                    yield report


def facts_about(dataset: Dataset, entity: str, corpus_dir: Path | None = None
                ) -> list[FactEvidence]:
    """Every fact that names the entity (or the fact itself, given ``fact/SOURCE/ID``).

    With ``corpus_dir``, each locator is resolved to its sentence in the source text.
    """
    ids = entity_ids(dataset)
    if entity.startswith("fact/"):
        node, wanted = ID[entity], None
        facts = {node} if (node, RDF.type, DIP.Fact) in dataset else set()
    else:
        labels = {str(e): label(dataset, iri) for iri, e in ids.items()}
        wanted = lookup(entity, labels)
        node = entity_iri(wanted)
        facts = set(_candidates(dataset, node))
    texts: dict[URIRef, SourceText | None] = {}
    found = []
    for fact in sorted(facts, key=lambda f: _sort_key(dataset, f)):
        source = dataset.value(fact, PROV.wasDerivedFrom)
        if not isinstance(source, URIRef):
            continue
        read = read_fact(dataset, fact, ids)
        if wanted is not None and read is not None and wanted not in read.kind.mentions(
                read.fact):
            continue  # another source's report of the same event
        if source not in texts:
            texts[source] = _load_text(dataset, source, corpus_dir)
        found.append(FactEvidence(
            fact=fact, kind=_kind_label(dataset, fact),
            description=describe_fact(dataset, fact, ids),
            source_title=str(dataset.value(source, SCHEMA.headline) or source),
            source_url=str(dataset.value(source, SCHEMA.url) or ""),
            evidence=_located(dataset, fact, texts[source])))
    return found


def located_sentences(dataset: Dataset, source: URIRef, locators: list[str],
                      corpus_dir: Path | None) -> list[str | None]:
    """The sentence each locator of ``source`` points at, None where the text is not at
    hand or the locator does not resolve."""
    text = _load_text(dataset, source, corpus_dir)
    found: list[str | None] = []
    for locator in locators:
        try:
            found.append(text.resolve(Locator.parse(locator)).text if text else None)
        except ValueError:
            found.append(None)
    return found


def _kind_label(dataset: Dataset, fact: URIRef) -> str:
    kinds = sorted(t for t in dataset.objects(fact, RDF.type)
                   if isinstance(t, URIRef) and str(t).startswith(str(DIP)) and t != DIP.Fact)
    return label(dataset, kinds[0]) if kinds else "Fact"


def _located(dataset: Dataset, fact: URIRef, text: SourceText | None) -> tuple[Located, ...]:
    located = []
    for item in dataset.objects(fact, DIP.evidence):
        locator = str(dataset.value(item, DIP.locator))
        sentence = None
        if text is not None:
            try:
                sentence = text.resolve(Locator.parse(locator)).text
            except ValueError:
                sentence = None
        located.append(Located(locator, sentence))
    return tuple(sorted(set(located), key=lambda item: locator_order(item.locator)))


def _sort_key(dataset: Dataset, fact: URIRef) -> tuple[int, int, str]:
    best = (10**9, 10**9)
    for item in dataset.objects(fact, DIP.evidence):
        locator = dataset.value(item, DIP.locator)
        if locator is not None:
            best = min(best, locator_order(str(locator)))
    return best[0], best[1], str(fact)


def _load_text(dataset: Dataset, source: URIRef, corpus_dir: Path | None) -> SourceText | None:
    if corpus_dir is None:
        return None
    name = dataset.value(source, DIP.textFile)
    if name is None:
        return None
    try:  # a graph from elsewhere may name any file: only plain names inside the folder
        path = text_path(corpus_dir, str(name))
        rule = str(dataset.value(source, DIP.paragraphRule) or "blank-line")
        return SourceText(path.read_text("utf-8"), rule) if path.is_file() else None
    except (ValueError, OSError):
        return None
