"""The extraction rules, one module each, run in order over an article.

A rule is a module with ``NAME`` and ``find(context)``, yielding
:class:`~kg.extract.found.Found` facts; later rules see what earlier ones found (holdings
take the date of the meeting their sentence reports, statements the date of the meeting
they were made at). Adding a rule is one module plus its line in :data:`RULES`.

>>> [rule.NAME for rule in RULES]
['meeting', 'named-event', 'holding', 'statement', 'recalled', 'relation', 'visit']
"""

from __future__ import annotations

from types import ModuleType

from kg.extract.article import Article
from kg.extract.found import Found, merge
from kg.extract.mentions import Matcher
from kg.extract.names import Names
from kg.extract.rules import (
    holding,
    meeting,
    named_event,
    recalled,
    relation,
    statement,
    visit,
)
from kg.extract.rules.context import RuleContext

__all__ = ["RULES", "RuleContext", "run_rules"]

#: Every rule, in the order they run.
RULES: tuple[ModuleType, ...] = (meeting, named_event, holding, statement, recalled, relation,
                                 visit)


def run_rules(article: Article, names: Names, matcher: Matcher) -> RuleContext:
    """Run every rule over an article; the context holds the merged findings."""
    context = RuleContext(article, names, matcher)
    for rule in RULES:
        found: list[Found] = merge(rule.find(context))
        context.found.extend(found)
    return context
