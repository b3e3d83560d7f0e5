"""Events as PLOVER records (JSON lines), to compare the graph with event datasets coded
in PLOVER, such as POLECAT.

PLOVER (the Political Language Ontology for Verifiable Event Records, the successor of
CAMEO) codes an event as *event type*, *mode* and *context*, with lists of *actors* and
*recipients*. Each meeting report and each visit of the graph becomes one record:

- event type ``CONSULT`` for meetings and visits (CAMEO 04x), ``SUPPORT`` for CAMEO 057
  (sign a formal agreement), as the ontology maps CAMEO to PLOVER (after PLOVER's
  CAMEO2PLOVER table; :func:`kg.graph.ontology.plover_mapping`);
- mode ``visit`` when one side hosts and the other visits (the visitor is the actor, the
  host the recipient, as the PLOVER manual says), ``multilateral`` for meetings of more than
  two or of a series (an IGO's councils), ``phone`` for meetings by video link; none
  otherwise, and then every participant is an actor;
- context ``future`` for what a source announces but had not happened (PLOVER's auxiliary
  mode), ``diplomatic`` for negotiations (CAMEO 046);
- the date and location as the source gives them (empty when it does not), the source, its
  locators and, when the texts are at hand, the sentences themselves.

>>> from pathlib import Path
>>> from kg.pipeline import compile_project
>>> record = next(r for r in plover_records(compile_project(Path("data")).dataset)
...               if r["id"].endswith("chinese-fm-meets-sco-chief/meeting"))
>>> record["event_type"], record["mode"], record["actor"], record["recipient"]
('CONSULT', 'visit', ['zhang-ming'], ['qin-gang'])
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Dataset

from kg.graph.ontology import plover_mapping
from kg.graph.readback import ReadFact, read_facts
from kg.kinds.event import EventReport
from kg.kinds.visit import Visit

__all__ = ["plover_jsonl", "plover_records"]

#: PLOVER's CONSULT modes; what else a CAMEO code implies is a context.
_MODES = frozenset({"visit", "third-party", "multilateral", "phone"})

def _event_record(item: ReadFact, fact: EventReport, series: set[str]) -> dict[str, Any]:
    event_type, implied = plover_mapping().get(fact.cameo or "04", ("CONSULT", None))
    mode = implied if implied in _MODES else None
    context = implied if implied is not None and mode is None else None
    hosts = sorted(p.who for p in fact.participants if p.role == "host")
    guests = sorted(p.who for p in fact.participants if p.role == "guest")
    others = sorted(p.who for p in fact.participants if p.role == "participant")
    if hosts and guests:
        actor, recipient, mode = guests + others, hosts, mode or "visit"
    else:
        actor, recipient = sorted(hosts + guests + others), []
        if mode is None and (len(actor) > 2 or fact.event in series):
            mode = "multilateral"
    if mode is None and fact.format in ("video", "virtual"):
        mode = "phone"
    contexts = [c for c in (context, "future" if fact.status == "planned" else None) if c]
    return {"event_type": event_type, "mode": mode, "context": contexts, "actor": actor,
            "recipient": recipient, "date": fact.date, "location": fact.place,
            "event": fact.event}


def _visit_record(fact: Visit) -> dict[str, Any]:
    recipient = [e for e in (fact.host, fact.invited_by) if e is not None] or [fact.destination]
    return {"event_type": "CONSULT", "mode": "visit",
            "context": ["future"] if fact.status == "planned" else [],
            "actor": [fact.visitor], "recipient": sorted(set(recipient)),
            "date": fact.start, "location": fact.destination, "event": fact.purpose}


def plover_records(dataset: Dataset, corpus_dir: Path | None = None) -> list[dict[str, Any]]:
    """One PLOVER record per event report and per visit, source by source."""
    from kg.graph.evidence import located_sentences

    facts = read_facts(dataset)
    series = {str(s) for s in _series_events(dataset)}
    records = []
    for item in facts:
        fact = item.fact
        if isinstance(fact, EventReport):
            record = _event_record(item, fact, series)
        elif isinstance(fact, Visit):
            record = _visit_record(fact)
        else:
            continue
        locators = [str(e.locator) for e in fact.evidence]
        records.append({
            "id": str(item.node), **record, "source": item.source.id,
            "source_url": item.source.url, "published": item.source.published,
            "locators": locators,
            "sentences": located_sentences(dataset, item.source.iri, locators, corpus_dir),
        })
    return records


def _series_events(dataset: Dataset) -> set[str]:
    from kg.graph.namespaces import DIP
    from kg.graph.readback import entity_ids

    ids = entity_ids(dataset)
    return {ids[e] for e in dataset.subjects(DIP.inSeries, None) if e in ids}


def plover_jsonl(dataset: Dataset, corpus_dir: Path | None = None) -> bytes:
    """The records as JSON lines (UTF-8, one record a line, keys in a fixed order)."""
    lines = [json.dumps(r, ensure_ascii=False) for r in plover_records(dataset, corpus_dir)]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
