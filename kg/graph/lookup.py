"""Find an entity named by the user: registry id, ``id:...``, full IRI or exact label.

The one lookup every command uses (``kg evidence``, ``kg neighbors``, ``kg path``, ...),
so an id is understood, and a typo answered, the same way everywhere.

>>> lookup("id:qin-gang", {"qin-gang": "Qin Gang", "sco": "SCO"})
'qin-gang'
>>> lookup("qin gang", {"qin-gang": "Qin Gang"})
'qin-gang'
>>> lookup("qin-gan", {"qin-gang": "Qin Gang"})
Traceback (most recent call last):
...
kg.errors.UnknownEntityError: unknown id 'qin-gan': did you mean qin-gang?
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping

from kg.errors import UnknownEntityError
from kg.graph.namespaces import ID

__all__ = ["local_id", "lookup"]


def local_id(text: str) -> str:
    """The registry id in ``id:x``, a full entity IRI, or ``x`` itself.

    >>> local_id("https://w3id.org/diplomacy-kg/id/sco"), local_id("id:sco")
    ('sco', 'sco')
    """
    return text[len(str(ID)):] if text.startswith(str(ID)) else text.removeprefix("id:")


def lookup(text: str, labels: Mapping[str, str], *,
           explain: Callable[[str], str | None] | None = None) -> str:
    """The id among ``labels`` (id -> display name) that ``text`` names.

    ``explain`` may say why an id that exists elsewhere is missing here (it is then the
    error). Otherwise the error suggests the closest ids, or the closest labels.
    """
    local = local_id(text)
    if local in labels:
        return local
    folded = text.casefold()
    for node, label in labels.items():
        if label.casefold() == folded:
            return node
    reason = explain(local) if explain is not None else None
    if reason is not None:
        raise UnknownEntityError(reason)
    close = difflib.get_close_matches(local, sorted(labels), n=3, cutoff=0.5)
    if not close:
        by_label = {label.casefold(): node for node, label in labels.items()}
        close = [by_label[m] for m in difflib.get_close_matches(folded, list(by_label), n=3,
                                                                 cutoff=0.5)]
    hint = f": did you mean {', '.join(close)}?" if close else ": see `kg stats` for the ids"
    raise UnknownEntityError(f"unknown id {text!r}{hint}")
