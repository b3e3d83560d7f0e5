"""How close a draft curation file is to the curated file of the same source.

Both files are read as plain YAML (``source:`` and ``facts:``); the draft's ``draft:``
blocks are ignored except the top-level one's ``proposed`` and ``mentions``. Facts are
paired kind by kind through what each kind declares
(:attr:`~kg.kinds.base.FactKind.score_key`, the fields that say which fact it is;
:attr:`~kg.kinds.base.FactKind.score_fields`, the fields checked once paired), and every
fact of either file falls in one category:

- ``matched``: paired, and every score field the curated fact gives is equal in the draft;
- ``partial``: paired, nothing wrong, but the draft leaves some of those fields empty;
- ``wrong``: paired, and some score field has another value in the draft, or a value the
  curated fact leaves empty (a place the text does not give);
- ``spurious``: a draft fact paired with none;
- ``missed``: a curated fact paired with none.

Precision is (matched + partial) / draft facts, recall matched / curated facts.

>>> fact = {"id": "h", "kind": "holding", "person": "ann", "post": "minister",
...         "attested": "2023-04-19", "evidence": ["p1.s1"]}
>>> draft = {"facts": [{"id": "d1", "kind": "holding", "person": "ann", "post": "minister",
...                     "evidence": ["p1.s1"], "draft": {"rule": "title"}}]}
>>> score = score_documents(draft, {"source": {"id": "s"}, "facts": [fact]})
>>> score.all.partial, score.all.precision.percent(), score.all.recall.percent()
(1, '100%', '0%')
>>> print(score.details[0])
partial holding d1 ~ h: lacking attested

Pairing. A field holding a list in a kind's key (a relation's ``object``) first makes one
fact per element, with the id ``ID/ELEMENT``. A draft fact and a curated fact of one kind
pair when every key field is equal (``evidence`` in a key: the two share a locator), or,
when they differ (a draft proposes its own id for an event the registry lacks), when they
share a participant and their dates are compatible (equal, one a prefix of the other, or
one missing), or give the same date and the same place. Pairs are taken greedily, best
first: equal keys, then most equal score fields, then most shared locators; each fact is
used once. Lists compare as sets, a list of ``{who: ...}`` as the set of who (a draft
list holding some of the curated items and no other is left short: partial, not wrong);
dates and every other scalar compare as strings. A value the curator marked as taken from
outside the text (:attr:`~kg.kinds.base.FactKind.score_unstated`: an event's ``date`` with
``date_from: publication``) is not expected of a draft, which reads only the text: left
empty, it is not lacking; given, it must be equal.

Besides the categories, for one source (each share a :class:`Ratio`):

- ``located``: of paired facts, those whose draft evidence has a locator of the curated
  fact's; ``locator_precision``: of the draft locators of paired facts, those in the
  curated fact's evidence;
- ``dates``: of paired facts that both give a date-like field (``date``, ``attested``,
  ``start``), those that agree on all they both give;
- ``meeting``: the categories again for the facts whose key names an entity of type
  ``Meeting`` (the curated fact's, else the draft's, whose type may come from the draft's
  proposed entities);
- ``linked``: of the registry ids the curated file refers to (in any field of a fact, the
  editors and the photos), those the draft refers to or lists under ``mentions``;
  ``unconfirmed`` counts the draft's registry ids the curated file never refers to (not
  wrong: the curator may have left them out).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import product
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml

from kg.curation.draft_format import DRAFT_KEY, MENTIONS_KEY, PROPOSED_KEY
from kg.curation.registry import REGISTRY_FILE, load_registry
from kg.errors import KGError, UnknownKindError
from kg.kinds import KINDS, kind_named
from kg.kinds.base import FactKind
from kg.text_table import aligned

__all__ = ["Category", "Detail", "KindScore", "Ratio", "SourceScore", "render_details",
           "render_table",
           "score_documents", "score_files", "total"]

#: What became of one fact.
Category = Literal["matched", "partial", "wrong", "missed", "spurious"]
#: A field value as compared: a string, a set of strings (lists), or None when empty.
Value = str | frozenset[str] | None

_EVIDENCE = "evidence"
_PARTICIPANTS = "participants"
_PLACE = "place"
_DATE_FIELDS = ("date", "attested", "start")
#: Keys that are not facts' values: never compared, never taken for entity ids.
_NOT_VALUES = frozenset({"id", "kind", _EVIDENCE, DRAFT_KEY})
_MEETING = "Meeting"
_DASH = "\u2013"
_NO_TYPES: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Ratio:
    """A share: ``hits`` out of ``out_of``.

    >>> Ratio(949, 1000).percent(), Ratio(1, 3).value, Ratio(0, 0).value
    ('94%', 0.3333333333333333, None)
    """

    hits: int = 0
    out_of: int = 0

    @property
    def value(self) -> float | None:
        """The share, None when there is nothing to share out."""
        return self.hits / self.out_of if self.out_of else None

    def percent(self) -> str:
        """The share as a whole percentage, rounded down, or a dash."""
        return f"{self.hits * 100 // self.out_of}%" if self.out_of else _DASH

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.hits + other.hits, self.out_of + other.out_of)


@dataclass(frozen=True)
class KindScore:
    """How many facts of one kind (or of a subset, or of all kinds) fell in each category."""

    kind: str
    matched: int = 0
    partial: int = 0
    wrong: int = 0
    missed: int = 0
    spurious: int = 0

    @classmethod
    def count(cls, kind: str, details: Iterable[Detail]) -> KindScore:
        """The categories of ``details``, counted."""
        counts: Counter[str] = Counter(detail.category for detail in details)
        return cls(kind, **counts)

    @classmethod
    def summed(cls, kind: str, scores: Iterable[KindScore]) -> KindScore:
        """The counts of ``scores`` added up."""
        listed = list(scores)
        return cls(kind, *(sum(getattr(score, f.name) for score in listed)
                           for f in fields(cls)[1:]))

    @property
    def paired(self) -> int:
        """Draft facts paired with a curated one."""
        return self.matched + self.partial + self.wrong

    @property
    def drafted(self) -> int:
        """Facts of the draft."""
        return self.paired + self.spurious

    @property
    def curated(self) -> int:
        """Facts of the curated file."""
        return self.paired + self.missed

    @property
    def precision(self) -> Ratio:
        """Draft facts paired with nothing wrong, of all draft facts."""
        return Ratio(self.matched + self.partial, self.drafted)

    @property
    def recall(self) -> Ratio:
        """Curated facts matched, of all curated facts."""
        return Ratio(self.matched, self.curated)


@dataclass(frozen=True)
class Detail:
    """One fact's outcome: for a pair, the fields the draft gives another value
    (``differ``) and those it leaves empty (``lacking``)."""

    category: Category
    kind: str
    draft_id: str | None
    curated_id: str | None
    differ: tuple[str, ...] = ()
    lacking: tuple[str, ...] = ()

    def __str__(self) -> str:
        line = f"{self.category} {self.kind} {self.draft_id or '-'} ~ {self.curated_id or '-'}"
        notes = "; ".join(f"{what} {', '.join(names)}" for what, names in
                          (("differ", self.differ), ("lacking", self.lacking)) if names)
        return f"{line}: {notes}" if notes else line


@dataclass(frozen=True)
class SourceScore:
    """A draft scored against the curated file of one source (or a total of sources); the
    shares are those the module's docstring defines."""

    source: str
    #: One score per kind found in either file, in the order of :data:`kg.kinds.KINDS`.
    kinds: tuple[KindScore, ...]
    #: The facts whose key names a Meeting.
    meeting: KindScore
    located: Ratio
    locator_precision: Ratio
    dates: Ratio
    linked: Ratio
    unconfirmed: int
    details: tuple[Detail, ...] = field(default=(), repr=False)

    @property
    def all(self) -> KindScore:
        """Every kind together."""
        return KindScore.summed("all", self.kinds)

    def kind(self, name: str) -> KindScore:
        """The score of one kind (all zero when neither file has such facts)."""
        return next((score for score in self.kinds if score.kind == name), KindScore(name))

    @property
    def meeting_fields_right(self) -> Ratio:
        """Of the paired meeting facts, those matched."""
        return Ratio(self.meeting.matched, self.meeting.paired)


@dataclass(frozen=True)
class _Fact:
    kind: FactKind[Any]
    id: str
    values: Mapping[str, Value]
    evidence: frozenset[str]

    def get(self, name: str) -> Value:
        return self.values.get(name)

    def dates(self) -> dict[str, str]:
        return {name: value for name in _DATE_FIELDS
                if isinstance(value := self.get(name), str)}

    @property
    def date(self) -> str | None:
        return next(iter(self.dates().values()), None)


def scalar_text(value: Any) -> str:
    """A YAML scalar as written: dates and date-times (PyYAML reads them as objects) in
    ISO form.

    >>> scalar_text(datetime.date(2023, 4, 19)), scalar_text(7)
    ('2023-04-19', '7')
    """
    if isinstance(value, datetime.date):  # a datetime too
        return value.isoformat()
    return str(value)


def _scalar(value: Any) -> str:
    if isinstance(value, Mapping):  # a participant, {who: ..., role: ...}
        return _scalar(value["who"]) if "who" in value else repr(sorted(value.items()))
    return scalar_text(value)


def _value(raw: Any) -> Value:
    if isinstance(raw, list):
        return frozenset(map(_scalar, raw)) or None
    return None if raw is None or raw == "" else _scalar(raw)


def _defaults(kind: FactKind[Any]) -> dict[str, Value]:
    """The values a fact of the kind has when its file leaves them out (an event's status
    is ``happened``), for its score fields."""
    return {f.name: f.default for f in fields(kind.fact_type)
            if f.name in kind.score_fields and isinstance(f.default, str)}


def _expand(item: Mapping[str, Any], kind: FactKind[Any]) -> list[_Fact]:
    """One fact per combination of the elements of list-valued key fields."""
    listed = [name for name in kind.score_key
              if name != _EVIDENCE and isinstance(item.get(name), list)]
    evidence = frozenset(map(_scalar, item.get(_EVIDENCE) or ()))
    facts = []
    for chosen in product(*(item[name] for name in listed)):
        one = {**item, **dict(zip(listed, chosen, strict=True))}
        suffix = "".join(f"/{_scalar(element)}" for element in chosen)
        values = {**_defaults(kind), **{k: _value(v) for k, v in one.items()
                                        if k not in _NOT_VALUES}}
        facts.append(_Fact(kind, f"{item['id']}{suffix}", values, evidence))
    return facts


def _facts(document: Any, name: str) -> list[_Fact]:
    """A source file's facts, expanded; KGError when it is not a source file."""
    if not isinstance(document, Mapping):
        raise KGError(f"{name}: not a source file but {type(document).__name__}: make it a "
                      "mapping of source and facts")
    items = document.get("facts") or []
    if not isinstance(items, list):
        raise KGError(f"{name}: facts: not a list: write the facts as a list of mappings")
    facts: list[_Fact] = []
    for index, item in enumerate(items, 1):
        if not isinstance(item, Mapping) or not {"id", "kind"} <= item.keys():
            raise KGError(f"{name}: fact {index}: not a mapping with id and kind: give "
                          "every fact an id and a kind")
        try:
            kind = kind_named(str(item["kind"]))
        except UnknownKindError as error:
            raise KGError(f"{name}: fact {item['id']!r}: {error}") from None
        facts.extend(_expand(item, kind))
    return facts


def _compatible(first: str | None, second: str | None) -> bool:
    return (first is None or second is None or first.startswith(second)
            or second.startswith(first))


def _same_key(draft: _Fact, curated: _Fact) -> bool:
    return all(bool(draft.evidence & curated.evidence) if name == _EVIDENCE
               else draft.get(name) is not None and draft.get(name) == curated.get(name)
               for name in curated.kind.score_key)


def _alike(draft: _Fact, curated: _Fact) -> bool:
    """Pairable though the keys differ: a shared participant and compatible dates, or the
    same date and place."""
    ours, theirs = draft.get(_PARTICIPANTS), curated.get(_PARTICIPANTS)
    if isinstance(ours, frozenset) and isinstance(theirs, frozenset) and ours & theirs:
        return _compatible(draft.date, curated.date)
    where = (curated.date, curated.get(_PLACE))
    return None not in where and (draft.date, draft.get(_PLACE)) == where


def _fewer(draft: _Fact, curated: _Fact, name: str) -> bool:
    """Whether a list field of the draft names some of the curated items and no other
    (two of an event's four participants): left short, not wrong."""
    ours, theirs = draft.get(name), curated.get(name)
    return isinstance(ours, frozenset) and isinstance(theirs, frozenset) and ours < theirs


def _fields(draft: _Fact, curated: _Fact) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """The score fields the draft gives another value (or a value the curated fact leaves
    empty), those it lacks, and those equal."""
    given = [name for name in curated.kind.score_fields if curated.get(name) is not None
             and not (draft.get(name) is None and _unstated(curated, name))]
    differ = tuple(name for name in curated.kind.score_fields if draft.get(name) is not None
                   and draft.get(name) != curated.get(name) and not _fewer(draft, curated, name))
    lacking = tuple(name for name in given
                    if draft.get(name) is None or _fewer(draft, curated, name))
    return differ, lacking, sum(draft.get(name) == curated.get(name) for name in given)


def _unstated(curated: _Fact, name: str) -> bool:
    """Whether the curator marked a field's value as taken from outside the text (an event
    dated from the publication): a draft that leaves it empty is right to."""
    marker = curated.kind.score_unstated.get(name)
    return marker is not None and curated.get(marker) is not None


def _pairs(drafts: list[_Fact], curated: list[_Fact]) -> list[tuple[int, int]]:
    """Greedy pairing, best agreement first; indexes into ``drafts`` and ``curated``."""
    ranked = []
    for i, draft in enumerate(drafts):
        for j, fact in enumerate(curated):
            if draft.kind is not fact.kind:
                continue
            keyed = _same_key(draft, fact)
            if keyed or _alike(draft, fact):
                agree = (keyed, _fields(draft, fact)[2], len(draft.evidence & fact.evidence))
                ranked.append((tuple(-int(x) for x in agree), i, j))
    pairs: list[tuple[int, int]] = []
    used_drafts: set[int] = set()
    used_curated: set[int] = set()
    for _, i, j in sorted(ranked):
        if i not in used_drafts and j not in used_curated:
            pairs.append((i, j))
            used_drafts.add(i)
            used_curated.add(j)
    return pairs


@dataclass(frozen=True)
class _Outcome:
    detail: Detail
    draft: _Fact | None
    curated: _Fact | None

    @property
    def deciding(self) -> _Fact:
        """The fact whose key decides the subsets: the curated one of a pair."""
        fact = self.curated or self.draft
        assert fact is not None
        return fact


def _outcomes(drafts: list[_Fact], curated: list[_Fact]) -> list[_Outcome]:
    """Every fact's outcome, kind by kind: pairs and missed facts in curated order, then
    spurious ones."""
    pairs = sorted(_pairs(drafts, curated), key=lambda pair: pair[1])
    outcomes = []
    for i, j in pairs:
        draft, fact = drafts[i], curated[j]
        differ, lacking, _ = _fields(draft, fact)
        category: Category = "wrong" if differ else "partial" if lacking else "matched"
        outcomes.append(_Outcome(Detail(category, fact.kind.name, draft.id, fact.id, differ,
                                        lacking), draft, fact))
    paired_drafts, paired_curated = {i for i, _ in pairs}, {j for _, j in pairs}
    outcomes += [_Outcome(Detail("missed", fact.kind.name, None, fact.id), None, fact)
                 for j, fact in enumerate(curated) if j not in paired_curated]
    outcomes += [_Outcome(Detail("spurious", draft.kind.name, draft.id, None), draft, None)
                 for i, draft in enumerate(drafts) if i not in paired_drafts]
    order = {kind.name: index for index, kind in enumerate(KINDS)}
    return sorted(outcomes, key=lambda outcome: order[outcome.detail.kind])


def _evidence_shares(pairs: list[tuple[_Fact, _Fact]]) -> tuple[Ratio, Ratio, Ratio]:
    """``located``, ``locator_precision`` and ``dates`` of paired (draft, curated) facts."""
    located = Ratio(sum(bool(d.evidence & c.evidence) for d, c in pairs), len(pairs))
    precise = Ratio(sum(len(d.evidence & c.evidence) for d, c in pairs),
                    sum(len(d.evidence) for d, _ in pairs))
    both = [(ours, theirs, ours.keys() & theirs.keys())
            for ours, theirs in ((d.dates(), c.dates()) for d, c in pairs)]
    dated = [all(ours[name] == theirs[name] for name in common)
             for ours, theirs, common in both if common]
    return located, precise, Ratio(sum(dated), len(dated))


def _strings(value: Any) -> Iterable[str]:
    """Every string in a fact or a block of metadata, but ids, kinds, evidence and drafts."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in _NOT_VALUES:
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _referenced(document: Mapping[str, Any], types: Mapping[str, str]) -> set[str]:
    """The registry ids a source file refers to: in its facts, editors and photos."""
    source = document.get("source")
    about = source if isinstance(source, Mapping) else {}
    found = _strings([document.get("facts"), about.get("editors"), about.get("photos")])
    return {string for string in found if string in types}


def _draft_block(document: Mapping[str, Any], name: str) -> tuple[dict[str, str], set[str]]:
    """The types of the draft's proposed entities, and the ids under its mentions."""
    block = document.get(DRAFT_KEY) or {}
    proposed = (block.get(PROPOSED_KEY) or []) if isinstance(block, Mapping) else None
    mentions = (block.get(MENTIONS_KEY) or {}) if isinstance(block, Mapping) else None
    if not isinstance(proposed, list) or not isinstance(mentions, Mapping):
        raise KGError(f"{name}: {DRAFT_KEY}: not a mapping of a {PROPOSED_KEY} list and a "
                      f"{MENTIONS_KEY} mapping: fix the {DRAFT_KEY} block")
    types = {str(entity["id"]): str(entity["type"]) for entity in proposed
             if isinstance(entity, Mapping) and {"id", "type"} <= entity.keys()}
    return types, set(map(str, mentions))


def _source_id(document: Mapping[str, Any]) -> str:
    source = document.get("source")
    return str(source.get("id") or "") if isinstance(source, Mapping) else ""


def _score(draft: Any, curated: Any, types: Mapping[str, str],
           names: tuple[str, str]) -> SourceScore:
    outcomes = _outcomes(_facts(draft, names[0]), _facts(curated, names[1]))
    proposed, mentions = _draft_block(draft, names[0])
    every_type = {**proposed, **types}
    details = [outcome.detail for outcome in outcomes]
    meetings = [outcome.detail for outcome in outcomes
                if any(every_type.get(str(outcome.deciding.get(key))) == _MEETING
                       for key in outcome.deciding.kind.score_key)]
    located, locator_precision, dates = _evidence_shares(
        [(o.draft, o.curated) for o in outcomes if o.draft and o.curated])
    ours = _referenced(draft, types) | (mentions & types.keys())
    theirs = _referenced(curated, types)
    return SourceScore(
        source=_source_id(curated) or _source_id(draft),
        kinds=tuple(KindScore.count(kind.name, [d for d in details if d.kind == kind.name])
                    for kind in KINDS if any(d.kind == kind.name for d in details)),
        meeting=KindScore.count(_MEETING.lower(), meetings), located=located,
        locator_precision=locator_precision, dates=dates,
        linked=Ratio(len(ours & theirs), len(theirs)), unconfirmed=len(ours - theirs),
        details=tuple(details))


def load_document(path: Path) -> Any:
    """A draft or curation file's YAML, or KGError with the file (and line) and the fix."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise KGError(f"{path}: cannot be read ({error.strerror}): check the path") from None
    except UnicodeDecodeError:
        raise KGError(f"{path}: not UTF-8 text: save the file as UTF-8") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise KGError(f"{path}{line}: invalid YAML ({getattr(error, 'problem', None)}): fix "
                      "the YAML syntax") from None


def _registry_types(registry: Path) -> dict[str, str]:
    folder = registry.parent if registry.name == REGISTRY_FILE else registry
    return {entity_id: entity.type for entity_id, entity in load_registry(folder).items()}


def score_files(draft: Path, curated: Path, *, registry: Path | None = None) -> SourceScore:
    """Score a draft file against a curated file; ``registry`` is the registry file
    (``entities.yaml``) or the data folder holding it, for the meeting subset and the
    entity linking (without it, neither has anything to count)."""
    types = _registry_types(registry) if registry is not None else {}
    score = _score(load_document(draft), load_document(curated), types, (str(draft), str(curated)))
    return score if score.source else replace(score, source=curated.name)


def score_documents(draft: Mapping[str, Any], curated: Mapping[str, Any], *,
                    entity_types: Mapping[str, str] = _NO_TYPES) -> SourceScore:
    """Score a draft document against a curated one (both as loaded from YAML);
    ``entity_types`` maps registry ids to their types."""
    return _score(draft, curated, entity_types, ("draft", "curated"))


def total(scores: Sequence[SourceScore]) -> SourceScore:
    """The scores of several sources added up (their details one after another)."""
    names = [kind.name for kind in KINDS
             if any(score.kind == kind.name for s in scores for score in s.kinds)]
    return SourceScore(
        source="total",
        kinds=tuple(KindScore.summed(name, (s.kind(name) for s in scores)) for name in names),
        meeting=KindScore.summed(_MEETING.lower(), (s.meeting for s in scores)),
        located=sum((s.located for s in scores), Ratio()),
        locator_precision=sum((s.locator_precision for s in scores), Ratio()),
        dates=sum((s.dates for s in scores), Ratio()),
        linked=sum((s.linked for s in scores), Ratio()),
        unconfirmed=sum(s.unconfirmed for s in scores),
        details=tuple(detail for s in scores for detail in s.details))


_COLUMNS = ("source", "facts (draft/curated)", "matched", "partial", "wrong", "missed",
           "spurious", "precision", "recall", "meetings recall", "holdings recall", "located",
           "dates", "entities linked")
_HOLDING = "holding"


def _row(score: SourceScore) -> list[str]:
    facts = score.all
    counts = (facts.matched, facts.partial, facts.wrong, facts.missed, facts.spurious)
    shares = (facts.precision, facts.recall, score.meeting.recall,
              score.kind(_HOLDING).recall, score.located, score.dates, score.linked)
    return [score.source, f"{facts.drafted}/{facts.curated}", *map(str, counts),
            *(share.percent() for share in shares)]


def render_table(scores: Sequence[SourceScore], *, markdown: bool = True) -> str:
    """One row per source and a total row: a Markdown table, or an aligned text table."""
    rows = [_row(score) for score in [*scores, total(scores)]]
    if not markdown:
        return "\n".join(aligned(_COLUMNS, rows))
    rule = ["---"] + ["---:"] * (len(_COLUMNS) - 1)
    return "\n".join(f"| {' | '.join(cells)} |" for cells in [list(_COLUMNS), rule, *rows])


def render_details(scores: Sequence[SourceScore]) -> str:
    """What to look at: per source, every fact not matched (partial, wrong, missed,
    spurious) with the fields that differ or are lacking.

    >>> fact = {"id": "h", "kind": "holding", "person": "ann", "post": "minister",
    ...         "attested": "2023-04-19", "evidence": ["p1.s1"]}
    >>> draft = {"facts": [{**fact, "id": "d1", "attested": "2023-04-18"}]}
    >>> print(render_details([score_documents(draft, {"source": {"id": "s"}, "facts": [fact]})]))
    s
      wrong holding d1 ~ h: differ attested
    """
    lines: list[str] = []
    for score in scores:
        unmatched = [detail for detail in score.details if detail.category != "matched"]
        lines.append(score.source if unmatched else f"{score.source}: every fact matched")
        lines.extend(f"  {detail}" for detail in unmatched)
    return "\n".join(lines)
