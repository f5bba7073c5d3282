"""JSON Lines: one ``{"id": .., "text": .., ...}`` object per line, streamed.

Known keys: ``id``, ``text`` (required, a string), ``lang``, ``dialect`` (template dialect,
e.g. ``zendesk``), ``replylint_disable`` (string or list); everything else goes to
``Record.meta`` (``agent``, ``team``, ``channel``, ``date``, ``ticket``, ``source_repo`` ...).

A bad line (not JSON, not an object, no string ``text``, not UTF-8) becomes an
:class:`InputError` with its line number and reading goes on.  Positions of findings point
at the line *and* column of the character inside the JSON string (escapes, ``\\uXXXX`` and
surrogate pairs accounted for); the map is computed only when ``position()`` is called.
"""
from __future__ import annotations

import json
from typing import Iterable, Iterator

from replylint.finding import InputError
from replylint.readers._common import SUPPRESS_FIELD, parse_suppress, utf8_error
from replylint.readers._positions import JsonDoc, LazyLocator
from replylint.records import Record

_SPECIAL_KEYS = frozenset({"id", "text", "lang", "dialect", SUPPRESS_FIELD})
_TEXT_PATH = ("text",)


def _line_locator(line: str, lineno: int):
    doc = JsonDoc(line, base_line=lineno)
    doc.want(_TEXT_PATH)
    return doc.string_locator(_TEXT_PATH)


def read_jsonl(source: str, lines: Iterable[bytes]) -> Iterator[Record | InputError]:
    """``lines``: the file's raw lines (bytes, with their line endings), lazily."""
    loads = json.loads
    decode_error = json.JSONDecodeError
    special = _SPECIAL_KEYS
    offset = 0
    lineno = 0
    for raw in lines:
        lineno += 1
        start = offset
        offset += len(raw)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield utf8_error(source, raw, e, base_offset=start, base_line=lineno)
            continue
        if lineno == 1 and line.startswith("\ufeff"):
            line = line[1:]
        line = line.rstrip("\r\n")
        if not line or line.isspace():
            continue
        try:
            obj = loads(line)
        except decode_error as e:
            yield InputError(source, f"invalid JSON: {e.msg}", lineno, e.colno)
            continue
        if type(obj) is not dict:
            yield InputError(source, f"expected a JSON object, got {type(obj).__name__}",
                             lineno, 1)
            continue
        text = obj.get("text")
        if type(text) is not str:
            what = "missing" if text is None else f"not a string ({type(text).__name__})"
            yield InputError(source, f"'text' is {what}", lineno, 1)
            continue
        rid = obj.get("id")
        if rid is None or rid == "":
            rid = f"{source}:{lineno}"
        elif type(rid) is not str:
            rid = str(rid)
        lang = obj.get("lang")
        dialect = obj.get("dialect")
        if len(obj) > 2:
            meta = {k: v for k, v in obj.items() if k not in special}
        else:
            meta = {}
        sup = obj.get(SUPPRESS_FIELD)
        yield Record(
            id=rid,
            text=text,
            source=source,
            lang=lang if type(lang) is str else None,
            meta=meta,
            locator=LazyLocator(_line_locator, line, lineno, fallback=lineno),
            suppress=parse_suppress(sup) if sup is not None else (),
            dialect=dialect if type(dialect) is str else None,
        )
