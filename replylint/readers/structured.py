"""JSON and YAML documents: generic reply lists and helpdesk exports.

Generic shape: a list of ``{id, text, ...}`` objects, or ``{"replies": [...]}``, or one such
object.  Helpdesk exports are recognised from their shape (see :mod:`.exports`) or forced
with ``input_format=<platform>``.

Both formats are parsed whole (a JSON/YAML document cannot be streamed), but positions are
lazy: for JSON a :class:`~._positions.JsonDoc` finds the wanted string literals with one
regex scan the first time a position is asked for; for YAML the composed node tree keeps
the marks.
"""
from __future__ import annotations

import json
from typing import Iterator

import yaml

from replylint.finding import InputError
from replylint.readers._common import decode_utf8
from replylint.readers._positions import (
    JsonDoc,
    LazyLocator,
    LineIndex,
    json_string_offsets,
    mapped_locator,
)
from replylint.records import Record

__all__ = ["read_document", "parse_document", "Extraction", "YamlDoc"]

try:  # libyaml is much faster; its marks carry the same line/column
    _YamlLoader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover
    _YamlLoader = yaml.SafeLoader


class YamlDoc:
    """Position lookups in a composed YAML node tree (same interface as JsonDoc)."""

    def __init__(self, source: str, root):
        self.source = source
        self.root = root
        self._index: LineIndex | None = None

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.source)
        return self._index

    def want(self, path: tuple) -> tuple:
        return path

    def _node(self, path: tuple):
        node = self.root
        for key in path:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                        node = v
                        break
                else:
                    return None
            elif isinstance(node, yaml.SequenceNode):
                if not isinstance(key, int) or key >= len(node.value):
                    return None
                node = node.value[key]
            else:
                return None
        return node

    def position(self, path: tuple) -> tuple[int, int] | None:
        node = self._node(path)
        if node is None:
            return None
        return node.start_mark.line + 1, node.start_mark.column + 1

    def value_offsets(self, path: tuple) -> list[int] | None:
        node = self._node(path)
        if not isinstance(node, yaml.ScalarNode):
            return None
        value = node.value
        starts = self.index.starts
        sm, em = node.start_mark, node.end_mark
        style = node.style or None
        if style in ("|", ">"):
            # Block scalar: content starts on the next line at the block's indentation.
            first = sm.line + 1
            if first >= len(starts):
                return None
            src = self.source
            indent = None
            for ln in range(first, min(em.line + 1, len(starts))):
                end = starts[ln + 1] - 1 if ln + 1 < len(starts) else len(src)
                raw = src[starts[ln]:end]
                if raw.strip():
                    indent = len(raw) - len(raw.lstrip(" "))
                    break
            if indent is None:
                return None
            if style == "|":
                offsets: list[int] = []
                ln = first
                for piece in value.split("\n"):
                    if ln < len(starts):
                        line_end = starts[ln + 1] - 1 if ln + 1 < len(starts) else len(src)
                        base = min(starts[ln] + indent, line_end)  # blank lines are short
                    else:
                        base = len(src)
                    offsets.extend(range(base, base + len(piece)))
                    offsets.append(base + len(piece))  # the newline (or end)
                    ln += 1
                return offsets[:len(value) + 1]
            base = starts[first] + indent
            return [base] * (len(value) + 1)
        base = starts[sm.line] + sm.column
        if sm.line == em.line and "\n" not in value:
            q = 1 if style in ('"', "'") else 0
            if style == '"':
                offs = json_string_offsets(self.source, base)
                if len(offs) == len(value) + 1:
                    return offs
            return list(range(base + q, base + q + len(value) + 1))
        return [base] * (len(value) + 1)

    def string_locator(self, path: tuple, html: bool = False):
        offsets = self.value_offsets(path)
        if offsets is None:
            return None
        if html:
            from replylint.readers.htmltext import html_to_text

            node = self._node(path)
            conv = html_to_text(node.value, track=True)
            offsets = [offsets[min(h, len(offsets) - 1)] for h in conv.offsets]
        return mapped_locator(self.source, offsets, self.index)


def parse_document(source: str, data: bytes, kind: str):
    """Returns ``(data, doc)`` or an InputError.  ``kind``: ``json`` or ``yaml``."""
    text = decode_utf8(source, data)
    if isinstance(text, InputError):
        return text
    if kind == "json":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as e:
            return InputError(source, f"invalid JSON: {e.msg}", e.lineno, e.colno)
        return value, JsonDoc(text)
    try:
        loader = _YamlLoader(text)
        try:
            node = loader.get_single_node()
            value = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = " ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
        if mark is not None:
            return InputError(source, f"invalid YAML: {msg}", mark.line + 1, mark.column + 1)
        return InputError(source, f"invalid YAML: {msg}")
    except yaml.YAMLError as e:
        return InputError(source, f"invalid YAML: {e}")
    return value, YamlDoc(text, node)


class Extraction:
    """What extractors use to build records.

    Positions needed while reading (error locations, ``<path>:<line>`` ids, malformed-HTML
    locations) are resolved in :meth:`finish`, after every wanted path is registered, so a
    JSON document is scanned once however many of them there are.  Reply positions stay lazy.
    """

    def __init__(self, source: str, doc, dialect: str | None):
        self.source = source
        self.doc = doc
        self.dialect = dialect
        self._pending: list[tuple] = []

    def error(self, path: tuple, message: str) -> None:
        self.doc.want(path)
        self._pending.append(("err", path, message))

    def record(self, *, rid, value: str, path: tuple, html: bool = False, lang=None,
               meta: dict | None = None, suppress: tuple[str, ...] = (), item_path: tuple = (),
               dialect: str | None = None, field: str = "") -> None:
        """Add a record whose text is the string ``value`` found at ``path``."""
        doc = self.doc
        doc.want(path)
        errors = ()
        if html:
            from replylint.readers.htmltext import html_to_text, looks_like_html

            html = looks_like_html(value)
        if html:
            conv = html_to_text(value)
            text = conv.text
            errors = conv.errors
        else:
            text = value
        if rid is None:
            doc.want(item_path)
        rec = Record(
            id=rid, text=text, source=self.source, lang=lang, meta=meta or {},
            locator=LazyLocator(doc.string_locator, path, html),
            suppress=suppress, dialect=dialect if dialect is not None else self.dialect,
        )
        for hoff, msg in errors:
            self._pending.append(("html", path, hoff, f"malformed HTML in {field or path[-1]!r}: {msg}"))
        self._pending.append(("rec", rec, item_path))

    def _pos(self, path: tuple) -> tuple[int | None, int | None]:
        pos = self.doc.position(path)
        return pos if pos is not None else (None, None)

    def finish(self) -> list[Record | InputError]:
        out: list[Record | InputError] = []
        doc = self.doc
        for entry in self._pending:
            kind = entry[0]
            if kind == "rec":
                rec = entry[1]
                if rec.id is None:
                    line, _ = self._pos(entry[2])
                    rec.id = f"{self.source}:{line or 1}"
                out.append(rec)
            elif kind == "err":
                line, col = self._pos(entry[1])
                out.append(InputError(self.source, entry[2], line, col))
            else:
                _, path, hoff, msg = entry
                line = col = None
                full = doc.value_offsets(path)
                if full is not None:
                    off = full[min(hoff, len(full) - 1)]
                    line, col = doc.index.position(off)
                    line += getattr(doc, "base_line", 1) - 1
                out.append(InputError(self.source, msg, line, col))
        self._pending = []
        return out


def read_document(source: str, data: bytes, kind: str, platform: str | None = None
                  ) -> Iterator[Record | InputError]:
    from replylint.readers import exports

    parsed = parse_document(source, data, kind)
    if isinstance(parsed, InputError):
        if kind == "json" and parsed.message == "invalid JSON: Extra data" and platform is None \
                and parsed.column == 1 and data.lstrip()[:1] == b"{":
            # one object per line in a .json file: it is JSON Lines
            import io

            from replylint.readers.jsonl import read_jsonl

            yield from read_jsonl(source, io.BytesIO(data))
            return
        yield parsed
        return
    value, doc = parsed
    if platform is None:
        platform = exports.detect(value)
        if platform is None:
            if value is None:
                return  # empty YAML document: nothing to lint
            yield InputError(
                source,
                "unrecognised shape: expected a list of {id, text} objects, "
                '{"replies": [...]}, or a Zendesk/Freshdesk/Intercom/Help Scout/Gorgias/'
                "Front/Zammad export", 1, 1)
            return
    ex = Extraction(source, doc, None if platform == "generic" else platform)
    exports.EXTRACTORS[platform](value, ex)
    yield from ex.finish()

