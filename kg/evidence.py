"""Facts about an entity, each with its source, locator and, when at hand, the sentence.

>>> from pathlib import Path
>>> from kg.project import compile_project
>>> dataset = compile_project(Path("data")).dataset
>>> found = facts_about(dataset, "zhang-ming")
>>> any(f.description == "Zhang Ming leads SCO Secretariat" for f in found)
True
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS
from rdflib.term import Node

from kg.errors import UnknownEntityError
from kg.namespaces import DIP, ID, ORG, SCHEMA, SEM, entity_iri
from kg.text import Locator, SourceText

#: How a relation reads in a sentence.
PREDICATE_PHRASES: dict[URIRef, str] = {
    ORG.memberOf: "is a member of",
    ORG.unitOf: "is a unit of",
    ORG.headOf: "leads",
    ORG.holds: "holds",
    ORG.postIn: "is a post in",
    DIP.capitalOf: "is the capital of",
    DIP.proposedBy: "was proposed by",
    DIP.committedTo: "committed to",
    DIP.supports: "supports",
    SCHEMA.editor: "was edited by",
    SCHEMA.datePublished: "was published on",
    SCHEMA.containedInPlace: "is in",
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


def describe_fact(dataset: Dataset, fact: URIRef) -> str:
    """A fact in one plain sentence built from the graph."""

    def val(prop: URIRef) -> Node | None:
        return dataset.value(fact, prop)

    def name(prop: URIRef) -> str:
        found = val(prop)
        return label(dataset, found) if found is not None else "?"

    types = set(dataset.objects(fact, RDF.type))
    if DIP.PostHolding in types:
        text = f"{name(DIP.holder)} holds the post {name(DIP.post)}"
        if val(DIP.attestedOn) is not None:
            text += f" (attested {val(DIP.attestedOn)})"
        return text
    if DIP.RelationFact in types:
        predicate = val(RDF.predicate)
        phrase = PREDICATE_PHRASES.get(predicate, label(dataset, predicate)) if isinstance(
            predicate, URIRef) else "?"
        subject = val(RDF.subject)
        subject_name = (dataset.value(subject, SCHEMA.headline) if subject is not None else None)
        return (f"{subject_name or name(RDF.subject)} {phrase} {name(RDF.object)}")
    if DIP.EventReport in types:
        event = val(DIP.about)
        parts = [label(dataset, event) if event is not None else "?"]
        if event is not None:
            date = dataset.value(event, SEM.hasTimeStamp)
            place = dataset.value(event, SEM.hasPlace)
            actors = sorted(label(dataset, a) for a in dataset.objects(event, SEM.hasActor))
            if date is not None:
                parts.append(f"on {date}")
            if place is not None:
                parts.append(f"in {label(dataset, place)}")
            if actors:
                parts.append("with " + ", ".join(actors))
        return " ".join(parts)
    if DIP.ReportedStatement in types:
        act = val(DIP.speechAct)
        act_text = f" ({label(dataset, act)})" if act is not None else ""
        return f"{name(DIP.speaker)}{act_text}: {val(DIP.summary)}"
    if DIP.Photograph in types:
        text = f"Photo of {name(FOAF.depicts)} by {name(SCHEMA.creator)}"
        if val(SCHEMA.sourceOrganization) is not None:
            text += f" ({name(SCHEMA.sourceOrganization)})"
        return text
    return label(dataset, fact)


def resolve_entity(dataset: Dataset, text: str) -> URIRef:
    """The IRI of an entity given by registry id, prefixed name ``id:...`` or full IRI.

    Raises UnknownEntityError with the closest ids when nothing matches.
    """
    local = text.removeprefix("id:")
    candidate = URIRef(text) if text.startswith(("http://", "https://")) else entity_iri(local)
    if (candidate, None, None) in dataset or (None, None, candidate) in dataset:
        return candidate
    known = sorted({str(o) for o in dataset.objects(None, DIP.registryId)})
    close = difflib.get_close_matches(local, known, n=3, cutoff=0.5)
    hint = f": did you mean {', '.join(close)}?" if close else ": see `kg stats` for the ids"
    raise UnknownEntityError(f"unknown id {text!r}{hint}")


_FACT_LINKS = (DIP.holder, DIP.post, RDF.subject, RDF.object, DIP.about, DIP.speaker,
               DIP.topic, DIP.addressee, DIP.madeAt, SCHEMA.creator, SCHEMA.sourceOrganization)


def _facts_touching(dataset: Dataset, node: URIRef) -> set[URIRef]:
    facts: set[URIRef] = set()
    if (node, RDF.type, DIP.Fact) in dataset:
        return {node}
    for prop in _FACT_LINKS:
        for fact in dataset.subjects(prop, node):
            if isinstance(fact, URIRef) and (fact, RDF.type, DIP.Fact) in dataset:
                facts.add(fact)
    # event reports name the place and the participants through the event itself
    for event in set(dataset.subjects(SEM.hasActor, node)) | set(
            dataset.subjects(SEM.hasPlace, node)):
        for report in dataset.subjects(DIP.about, event):
            if isinstance(report, URIRef):
                facts.add(report)
    for photo in dataset.subjects(FOAF.depicts, node):
        if isinstance(photo, URIRef):
            facts.add(photo)
    return facts


def _sort_key(dataset: Dataset, fact: URIRef) -> tuple[int, int, str]:
    best = (10**9, 10**9)
    for item in dataset.objects(fact, DIP.evidence):
        locator = dataset.value(item, DIP.locator)
        if locator is not None:
            best = min(best, _locator_order(str(locator)))
    return best[0], best[1], str(fact)


def facts_about(dataset: Dataset, entity: str, corpus_dir: Path | None = None
                ) -> list[FactEvidence]:
    """Every fact that names the entity (or the fact itself, given a fact IRI).

    With ``corpus_dir``, each locator is resolved to its sentence in the source text.
    """
    node = resolve_entity(dataset, entity) if not entity.startswith("fact/") else ID[entity]
    texts: dict[URIRef, SourceText | None] = {}
    found = []
    for fact in sorted(_facts_touching(dataset, node), key=lambda f: _sort_key(dataset, f)):
        source = dataset.value(fact, PROV.wasDerivedFrom)
        if not isinstance(source, URIRef):
            continue
        if source not in texts:
            texts[source] = _load_text(dataset, source, corpus_dir)
        text = texts[source]
        located = []
        for item in sorted(dataset.objects(fact, DIP.evidence), key=str):
            locator = str(dataset.value(item, DIP.locator))
            sentence = None
            if text is not None:
                try:
                    sentence = text.resolve(Locator.parse(locator)).text
                except ValueError:
                    sentence = None
            located.append(Located(locator, sentence))
        located.sort(key=lambda item: _locator_order(item.locator))
        kinds = [t for t in dataset.objects(fact, RDF.type)
                 if isinstance(t, URIRef) and str(t).startswith(str(DIP)) and t != DIP.Fact]
        found.append(FactEvidence(
            fact=fact, kind=label(dataset, kinds[0]) if kinds else "Fact",
            description=describe_fact(dataset, fact),
            source_title=str(dataset.value(source, SCHEMA.headline) or source),
            source_url=str(dataset.value(source, SCHEMA.url) or ""),
            evidence=tuple(located)))
    return found


def _locator_order(text: str) -> tuple[int, int]:
    locator = Locator.parse(text)
    if locator.paragraph is not None and locator.sentence is not None:
        return locator.paragraph, locator.sentence
    return 0, locator.start or 0


def _load_text(dataset: Dataset, source: URIRef, corpus_dir: Path | None) -> SourceText | None:
    if corpus_dir is None:
        return None
    name = dataset.value(source, DIP.textFile)
    if name is None:
        return None
    path = corpus_dir / str(name)
    if not path.is_file():
        return None
    return SourceText(path.read_text("utf-8"))

