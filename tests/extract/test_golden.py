"""One whole draft, exactly: the format a hand-made article becomes, every line of it."""

from __future__ import annotations

from pathlib import Path

from kg.curation.registry import load_registry
from kg.extract.draft import Extractor, render
from tests.extract.test_extract import REGISTRY

ARTICLE = ("Xinhua) 09:15, May 4, 2023\n\n"
           "Chinese Foreign Minister Li Wei meets with Russian Foreign Minister Ivan Petrov in "
           "Harbin, May 3, 2023.\n(Xinhua/Zhou Min)\n\n"
           "HARBIN, May 3 (Xinhua) -- Chinese Foreign Minister Li Wei met with Russian Foreign "
           "Minister Ivan Petrov on Wednesday.\n\n"
           "Li said China values the Green Corridor Initiative proposed by China.\n\n"
           "(Web editor: Zhou Min)\n")

EXPECTED = """\
# Draft made by kg extract from a.txt: check every fact against the text.
# Evidence locators: pN.sM = paragraph N, sentence M (blank-line paragraphs; see kg text).
# Each draft: block says which rule found the fact and what is left to check; kg build
# refuses the file until every draft: block is resolved and deleted. Proposed entities
# belong in entities.yaml (or use the registry id of the same entity instead).
# Summaries are yours to write: never paste the article's sentences here.
source:
  id: xinhua-2023-05-04-untitled
  url: "https://example.org/a"
  publisher: xinhua
  published: "2023-05-04T09:15:00"
  published_evidence: [p1.s1]
  language: en
  text: a.txt
  sha256: "34c0cddf0ac995829cb04a8b2cac751e1f45952e303bb45c965f6d3f69a8313b"
  editors:
    people: [zhou-min]
    evidence: [p5.s1]
  photos:
    - id: photo-1
      creator: zhou-min
      evidence: [p2.s2]
      depicts: li-wei-ivan-petrov-meeting-2023-05-03
      agency: xinhua
  draft:
    todo: ["the text has no headline: write the title the page gives"]
facts:

  - id: li-wei-ivan-petrov-meeting-2023-05-03
    kind: event
    event: li-wei-ivan-petrov-meeting-2023-05-03
    date: "2023-05-03"
    place: harbin
    cameo: "040"
    participants:
      - {who: li-wei}
      - {who: ivan-petrov}
    evidence: [p2.s1, p3.s1]
    draft: {rule: meeting/verb}

  - id: li-wei-fm-china
    kind: holding
    person: li-wei
    post: fm-china
    attested: "2023-05-03"
    evidence: [p2.s1, p3.s1]
    draft: {rule: holding/title-and-name}

  - id: ivan-petrov-fm-russia
    kind: holding
    person: ivan-petrov
    post: fm-russia
    attested: "2023-05-03"
    evidence: [p2.s1, p3.s1]
    draft: {rule: holding/title-and-name}

  - id: li-wei-p4-s1
    kind: statement
    speaker: li-wei
    date: "2023-05-03"
    topics: [china, green-corridor-initiative]
    evidence: [p4.s1]
    draft:
      rule: statement/speech-verb
      todo:
        - write the summary in your own words (never the article's)
        - "choose the speech act (assessment, intent, praise, hope, ...)"

  - id: china-proposed-green-corridor-initiative
    kind: relation
    subject: china
    predicate: proposed
    object: green-corridor-initiative
    evidence: [p4.s1]
    draft: {rule: relation/proposed-by}
draft:
  proposed:
    - id: li-wei-ivan-petrov-meeting-2023-05-03
      type: Meeting
      label: {en: "Meeting of Li Wei and Ivan Petrov in Harbin, 2023-05-03"}
      seen: [p2.s1]
      rule: proposal/meeting
    - id: zhou-min
      type: Person
      label: {en: Zhou Min}
      seen: [p5.s1, p2.s2]
      rule: proposal/credit
  mentions:
    xinhua: [p1.s1, p2.s2]
    fm-china: [p2.s1, p3.s1]
    li-wei: [p2.s1, p3.s1, p4.s1]
    fm-russia: [p2.s1, p3.s1]
    ivan-petrov: [p2.s1, p3.s1]
    harbin: [p2.s1, p3.s1]
    china: [p2.s1, p3.s1, p4.s1]
    russia: [p2.s1, p3.s1]
    green-corridor-initiative: [p4.s1]
"""


def test_the_whole_draft(tmp_path: Path) -> None:
    (tmp_path / "entities.yaml").write_text(REGISTRY, encoding="utf-8")
    extractor = Extractor(load_registry(tmp_path))
    draft = render(extractor.extract(ARTICLE, text_name="a.txt", url="https://example.org/a"))
    assert draft.splitlines() == EXPECTED.splitlines()
