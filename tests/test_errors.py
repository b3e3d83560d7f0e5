"""The exception tree: every error class of the library is declared in kg.errors, drawn
in its docstring, and raised somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import kg.errors
from kg.errors import KGError

KG = Path(kg.errors.__file__).resolve().parent


def _tree() -> list[type[KGError]]:
    return [cls for cls in vars(kg.errors).values()
            if isinstance(cls, type) and issubclass(cls, KGError)]


def test_every_error_class_is_declared_in_kg_errors() -> None:
    declared = re.compile(r"^class (\w+)\((\w+)\)", re.M)
    names = {cls.__name__ for cls in _tree()}
    for path in KG.rglob("*.py"):
        if path.name == "errors.py" and path.parent == KG:
            continue
        for name, base in declared.findall(path.read_text("utf-8")):
            assert base not in names, f"{path}: {name} belongs in kg/errors.py"


def test_the_docstring_draws_the_whole_tree() -> None:
    doc = kg.errors.__doc__ or ""
    for cls in _tree():
        assert re.search(rf"(──|^)\s*{cls.__name__}\s", doc, re.M), cls.__name__


def test_every_error_class_is_raised_somewhere() -> None:
    sources = "\n".join(path.read_text("utf-8") for path in KG.rglob("*.py")
                        if path != KG / "errors.py")
    for cls in _tree():
        if cls is KGError:
            continue
        assert re.search(rf"\b{cls.__name__}\(", sources), f"{cls.__name__} is never raised"
