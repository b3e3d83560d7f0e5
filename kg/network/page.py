"""One HTML page that works offline and never runs its data: the frame both pages share.

The drawing (:mod:`kg.network.viz`) and the timeline page (:mod:`kg.network.timeline_page`)
are written alike: every text they show sits in a ``<script type="application/json">``
block (:func:`script_json`, so no text can close the element), their own scripts read it
with ``JSON.parse`` and show it with ``textContent``, and a Content-Security-Policy allows
those scripts (by hash) and no connection, frame, font or plug-in at all. Each page's own
script is written as :func:`page_script`, where ``el`` makes the elements it shows.

>>> page = offline_page(title="<b>", styles=["p { color: red; }"], body="<p></p>\\n",
...                     data={"x": "</script>"}, scripts=["var a = 1;"])
>>> "<title>&lt;b&gt;</title>" in page, "connect-src 'none'" in page
(True, True)
>>> page.count("<script"), "\\\\u003c/script\\\\u003e" in page
(2, True)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["offline_page", "page_script", "script_json", "source_hash"]


def script_json(data: Any) -> str:
    """JSON safe inside an HTML ``<script>`` element: ``<``, ``>``, ``&`` and the JS line
    separators are written as ``\\uXXXX`` escapes, so no text can close the element.

    >>> script_json({"label": "</script><b>&"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def source_hash(text: str) -> str:
    """The Content-Security-Policy source that allows one inline script or style.

    >>> source_hash("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


_SCRIPT_START = """
(function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
"""


def page_script(body: str) -> str:
    """A page's own script: the JavaScript ``body`` run in strict mode in a scope of its
    own, where ``el(tag, cls, text)`` makes an element of a class whose text is set with
    ``textContent`` (never read as markup).

    >>> page_script("  go();\\n").splitlines()[-2:]
    ['  go();', '})();']
    """
    return _SCRIPT_START + body.lstrip("\n") + "})();\n"


_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
"""


def offline_page(*, title: str, styles: Sequence[str], body: str, data: Any,
                 scripts: Sequence[str], body_attributes: str = "",
                 style_attributes: bool = False) -> str:
    """The whole page as one string: the head (its policy, the escaped ``title``, each
    style inlined), ``<body>`` with ``body_attributes``, the markup ``body`` (HTML, ending
    in a line break), ``data`` as the JSON block ``kg-data``, and each script inlined.

    The policy allows the scripts and the styles by hash, nothing else; with
    ``style_attributes`` (vis-network sets the style of its elements and draws its buttons
    from ``data:`` images) any style and ``data:`` images instead.
    """
    if style_attributes:
        style_src, img_src = "'unsafe-inline'", "data:"
    else:
        style_src, img_src = " ".join(map(source_hash, styles)), "'none'"
    csp = (f"default-src 'none'; script-src {' '.join(map(source_hash, scripts))}; "
           f"style-src {style_src}; img-src {img_src}; font-src 'none'; connect-src 'none'; "
           "media-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; "
           "form-action 'none'")
    return "".join([
        _HEAD.format(csp=csp, title=html.escape(title)),
        *(f"<style>{style}</style>\n" for style in styles),
        f"</head>\n<body{body_attributes}>\n", body,
        f'<script type="application/json" id="kg-data">{script_json(data)}</script>\n',
        *(f"<script>{script}</script>\n" for script in scripts),
        "</body>\n</html>\n",
    ])
