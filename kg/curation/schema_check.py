"""The JSON Schemas of the curation files, and their errors in words an analyst can act on.

``entities.yaml`` is checked against ``kg/curation/schemas/entities.schema.json``, each
source file against ``source.schema.json`` (whose fact definitions come from the registry
of kinds, :mod:`kg.kinds.schema`). Each error names its field, what is wrong and how to
fix it; a line of YAML gets one message.

>>> from kg.curation.located_yaml import load_located
>>> document = load_located("entities:\\n  - id: Qin Gang\\n", "entities.yaml")
>>> print(schema_errors(document, "entities", "entities.yaml")[0])  # doctest: +ELLIPSIS
entities.yaml:2: entities.0: the field 'type' is missing: add it
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any, cast

import jsonschema

from kg.curation.located_yaml import line_of
from kg.curation.values import one_per_line, shown
from kg.errors import CurationError
from kg.kinds.schema import with_kinds

__all__ = ["PATTERN_FIXES", "looks_like_date", "schema", "schema_errors"]


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name))


@cache
def _fast_validator(name: str) -> Any:
    """jsonschema-rs: about 300 times faster, used to pass valid files quickly; the
    pure-Python validator then explains what is wrong in a file that fails."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema(name))


@cache
def schema(name: str) -> dict[str, Any]:
    """A packaged JSON Schema: ``entities`` or ``source`` (whose fact definitions always
    come from the registry of kinds, :mod:`kg.kinds.schema`)."""
    text = resources.files("kg.curation").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return with_kinds(loaded) if name == "source" else loaded


def schema_errors(document: Any, name: str, file: str) -> list[CurationError]:
    """What the schema ``name`` finds wrong in ``document``, one error a line."""
    if _fast_validator(name).is_valid(document):
        return []
    validator = _validator(name)
    found: list[CurationError] = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        if error.validator in ("if", "allOf"):
            continue
        path = list(error.absolute_path)
        field = ".".join(str(p) for p in path) or "the file"
        found.append(CurationError(_explain(error, field, name), file=file,
                                   line=line_of(document, path)))
    return one_per_line(found)


#: How to write a value each pattern of the schemas accepts (a test keeps it complete).
PATTERN_FIXES: dict[str, str] = {
    "^[a-z0-9]+(-[a-z0-9]+)*$":
        "write lower-case letters and digits in words joined by single hyphens, e.g. qin-gang",
    "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$":
        "write YYYY-MM-DD, or YYYY-MM or YYYY when the source is no more precise",
    "^(p[1-9][0-9]*\\.s[1-9][0-9]*|chars:[0-9]+-[0-9]+)$":
        "write pN.sM (paragraph N, sentence M, both from 1) or chars:START-END",
    "^https?://[^\\s<>\"{}|\\\\^`]+$":
        "write the full address, from http:// or https://, with spaces percent-encoded (%20)",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?([+-][0-9]{2}:[0-9]{2}|Z)?)?$":
        "write the date and time with its UTC offset (2023-04-20T10:34:00+08:00), the date "
        "and time when the source gives no zone (2023-02-20T11:03), or the date alone",
    "^[a-z]{2,3}$": "write a two- or three-letter lower-case language code such as en or zh",
    "^[a-z]{2,3}(-[a-z]{3}){0,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?"
    "(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(-[0-9A-WYZa-wyz](-[A-Za-z0-9]{2,8})+)*"
    "(-[xX](-[A-Za-z0-9]{1,8})+)?$":
        "write a language tag such as en, zh or zh-Hans (BCP 47)",
    "^[0-9a-f]{64}$": "write the 64 lower-case hex digits that sha256sum prints for the text",
    "^[0-9]{2,4}$": 'write a CAMEO code of two to four digits in quotes, e.g. "040"',
    "^Q[1-9][0-9]*$": "write a Wikidata id such as Q15031, or leave it out when not verified",
}

_KINDS = {"string": "a text", "array": "a list", "object": "a mapping of fields",
          "integer": "a whole number", "number": "a number", "boolean": "true or false"}
_TYPE_FIXES = {"string": "quote it", "array": "write a list, e.g. [a, b]",
               "object": "write its fields on indented lines below it"}

#: A number as YAML reads an unquoted year (2022), month or day (4, 19), or year and
#: month written with a dot (2023.04).
_DATE_LIKE = re.compile(r"[0-9]{1,2}|[0-9]{4}|[0-9]{4}\.[0-9]{1,2}")


def looks_like_date(value: Any) -> bool:
    """Whether a number is what YAML makes of an unquoted year or date part.

    >>> looks_like_date(2022), looks_like_date(19), looks_like_date(2023.04)
    (True, True, True)
    >>> looks_like_date(1.5), looks_like_date(123456), looks_like_date(True)
    (False, False, False)
    """
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and _DATE_LIKE.fullmatch(repr(value)) is not None)


def _explain(error: jsonschema.ValidationError, field: str, name: str) -> str:
    """A schema error in words an analyst can act on, ending with how to fix it."""
    kind = error.validator
    value = error.validator_value
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        return f"{field}: the field '{missing}' is missing: add it"
    if kind == "additionalProperties":
        return f"{field}: {error.message}: remove it or fix its spelling"
    if kind == "enum":
        allowed = ", ".join(str(v) for v in cast(list[Any], value))
        return f"{field}: {shown(error.instance)} is not allowed: use one of {allowed}"
    if kind == "pattern":
        fix = PATTERN_FIXES.get(str(value), f"write a value matching {value}")
        return f"{field}: {shown(error.instance)} is malformed: {fix}"
    if kind == "minItems":
        return f"{field}: the list is empty: give at least one item"
    if kind == "type":
        wanted = _KINDS.get(str(value), str(value))
        if value == "string" and looks_like_date(error.instance):
            number = repr(error.instance)
            return (f"{field}: {number} should be a text, and YAML reads {number} unquoted "
                    f'as a number: quote the value, e.g. "{number}"')
        fix = _TYPE_FIXES.get(str(value), f"write {wanted}")
        if value == "string" and isinstance(error.instance, (dict, list)):
            fix = "write a single text in its place"
        return f"{field}: {shown(error.instance)} should be {wanted}: {fix}"
    if kind == "minLength":
        return f"{field}: the text is empty: write a value"
    if kind == "maxLength":
        return (f"{field}: the text has {len(str(error.instance))} characters, more than "
                f"{value}: shorten it")
    if kind == "oneOf":
        return (f"{field}: {shown(error.instance)} is neither an id nor a list of ids: write "
                "one id, or a list of ids such as [a, b]")
    if kind == "const":
        return f"{field}: {shown(error.instance)} is not allowed here: write {value!r}"
    return f"{field}: {error.message}: fix it as kg/curation/schemas/{name}.schema.json describes"
