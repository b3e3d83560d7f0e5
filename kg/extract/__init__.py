"""Draft curation files from an article's text: ``kg extract``.

The assistant reads a source text with the project's own splitter, links the names it
finds to the registry, proposes the entities it does not know, and writes the facts its
rules find as a normal source file in which every fact still carries a ``draft:`` block
(the rule that produced it, what the analyst must check). ``kg build`` refuses a file
while any ``draft:`` block is left, so nothing reaches the graph unreviewed.

Modules: :mod:`~kg.curation.draft_format` (what a draft holds beyond a source file),
:mod:`~kg.extract.dates` (date expressions), :mod:`~kg.extract.metadata` (headline,
agency line, dateline, captions, editors), :mod:`~kg.extract.score` (a draft against a
curated file).
"""
