"""vis-network's script and style, as the pyvis package bundles them, for inlining.

pyvis is located, never imported (importing it pulls in IPython), and its own template is
not used (see :mod:`kg.network.viz`): only the two files of vis-network it ships.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

from kg.errors import KGError

__all__ = ["vis_assets"]

_VIS_DIR = "vis-9.1.2"


@cache
def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, from the files bundled in the pyvis package.

    pyvis is located, not imported (importing it pulls in IPython).

    >>> js, css = vis_assets()
    >>> "vis-network" in js[:200] and ".vis-network" in css
    True
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise KGError("pyvis is not installed (it ships the vis-network script): "
                      "pip install pyvis==0.3.2")
    for location in spec.submodule_search_locations:
        folder = Path(location) / "templates" / "lib" / _VIS_DIR
        if not folder.is_dir():
            folder = Path(location) / "lib" / _VIS_DIR
        js, css = folder / "vis-network.min.js", folder / "vis-network.css"
        if js.is_file() and css.is_file():
            script, style = js.read_text("utf-8"), css.read_text("utf-8")
            if re.search(r"</script|<!--", script, re.I) or re.search(r"</style", style, re.I):
                raise KGError(f"{folder}: the bundled vis-network cannot be inlined safely")
            return script, style
    raise KGError(f"pyvis's bundled vis-network ({_VIS_DIR}) was not found: "
                  "reinstall pyvis==0.3.2")
