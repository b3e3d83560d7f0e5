r"""The terminals of the SPARQL 1.1 grammar (section 19.8) as regular expressions, for the
lexer of :mod:`kg.sparql.guard`.

Lenient where leniency cannot hide code: any escaped character in a string, any unknown
character a token of its own. A comment ends where a reading of the text ends it, so there
is one token pattern for each reading (:data:`COMMENT_ENDS`): rdflib reads on past a CR.

>>> text = "ASK {} # note\rSERVICE"
>>> [m.lastgroup for m in TOKENS["\r\n"].finditer(text)]
['word', 'ws', 'punct', 'punct', 'ws', 'comment', 'ws', 'word']
>>> [m.lastgroup for m in TOKENS["\n"].finditer(text)]
['word', 'ws', 'punct', 'punct', 'ws', 'comment']
"""

from __future__ import annotations

import re

__all__ = ["COMMENT_ENDS", "ESCAPE", "LESS", "SKIPPED", "TOKENS"]

_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
         "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
         "\U00010000-\U000effff")
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_IRI = r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"

#: Where a comment may end, reading by reading: CR or LF (the grammar, Oxigraph), LF
#: only (rdflib), or any line break Unicode knows.
COMMENT_ENDS = ("\r\n", "\n", "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _master(comment_end: str) -> re.Pattern[str]:
    ends = re.escape(comment_end)
    return re.compile("|".join([
        r"(?P<ws>[\x20\t\r\n]+)",
        f"(?P<comment>#[^{ends}]*)",
        r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'''"
        r'|"""(?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*"""'
        r"|'(?:[^'\\\r\n]|\\[^\r\n])*'"
        r'|"(?:[^"\\\r\n]|\\[^\r\n])*")',
        f"(?P<iri>{_IRI})",
        f"(?P<var>[?$]{_VARNAME})",
        f"(?P<bnode>_:(?:{_LOCAL}))",
        f"(?P<pname>(?P<prefix>{_PREFIX})?:(?P<local>{_LOCAL})?)",
        r"(?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)",
        r"(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?)",
        f"(?P<word>[{_U}][{_U}0-9]*)",
        r"(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\].;,=<>!+\-*/|^?$~@])",
        r"(?P<other>[\s\S])",
    ]))


#: The token pattern of each reading, by where its comments end: each token a named group
#: (``ws``, ``comment``, ``string``, ``iri``, ``var``, ``bnode``, ``pname``, ``number``,
#: ``lang``, ``word``, ``punct``), and ``other`` for any character alone.
TOKENS = {end: _master(end) for end in COMMENT_ENDS}
#: The less-than reading of a ``<`` that could also start an IRI.
LESS = re.compile(r"<=?")
#: Tokens that are not code: white space, comments and unknown characters.
SKIPPED = frozenset({"ws", "comment", "other"})
#: A ``\u`` / ``\U`` escape, as rdflib reads it (4 hex digits, even after ``\U``) and as
#: the grammar does (8 after ``\U``).
ESCAPE = re.compile(r"\\([uU])([0-9A-Fa-f]{4})([0-9A-Fa-f]{4})?")
