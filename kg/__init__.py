"""diplomacy-kg: knowledge graphs of diplomacy curated from news.

Every fact is curated from a source article and keeps its evidence (paragraph and
sentence, or character offsets), so any answer can be traced to the sentence stating it.

>>> from kg import __version__
>>> isinstance(__version__, str)
True
"""

__version__ = "0.1.0"
