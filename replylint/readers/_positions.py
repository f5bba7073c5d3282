"""Mapping reply-text offsets back to line/column in the source file.

Everything here is *lazy*: a reader only stores what it needs to compute a position later
(the source text and a path to the value) and the per-character offset maps are built the
first time ``position()`` is called.  Reading a 1,000,000-line JSONL file or a 10,000-macro
export therefore costs nothing for positions unless a finding actually needs one.
"""
from __future__ import annotations

import bisect
import json
import re
from typing import Callable

from replylint.records import LineLocator, OffsetMapLocator, line_starts

__all__ = [
    "LazyLocator", "ShiftedLocator", "LineIndex", "JsonDoc", "json_string_offsets",
    "mapped_locator",
]


class ShiftedLocator:
    """Wraps a locator whose line numbers are relative to a slice of the file."""

    __slots__ = ("inner", "line_shift")

    def __init__(self, inner, line_shift: int):
        self.inner = inner
        self.line_shift = line_shift

    def position(self, offset: int) -> tuple[int, int]:
        line, col = self.inner.position(offset)
        return line + self.line_shift, col


class LazyLocator:
    """Calls ``factory(*args)`` on the first ``position()`` and delegates to its result.

    If building the real locator fails for any reason the record still gets a usable
    position: ``fallback`` (a line number) or line 1.
    """

    __slots__ = ("_factory", "_args", "_loc", "_fallback")

    def __init__(self, factory: Callable, *args, fallback: int = 1):
        self._factory = factory
        self._args = args
        self._loc = None
        self._fallback = fallback

    def __reduce__(self):
        # Records travel to worker processes (``replylint report --jobs``).  A factory bound
        # to a whole-document index would drag the document along with every record: build
        # the real (small) locator first and ship that.  Module-level factories (JSONL: the
        # line and its number) stay lazy.
        if self._loc is None and getattr(self._factory, "__self__", None) is not None:
            self.position(0)
        if self._loc is not None:
            return (_built, (self._loc,))
        return (_lazy, (self._factory, self._args, self._fallback))

    def position(self, offset: int) -> tuple[int, int]:
        loc = self._loc
        if loc is None:
            try:
                loc = self._factory(*self._args)
            except Exception:  # noqa: BLE001 - a position is a nicety, never fatal
                loc = None
            if loc is None:
                loc = LineLocator(self._fallback)
            self._loc = loc
            self._factory = self._args = None
        return loc.position(offset)


def _built(loc):
    return loc


def _lazy(factory, args, fallback):
    return LazyLocator(factory, *args, fallback=fallback)


class LineIndex:
    """Line starts of a text, for offset -> (line, column) without scanning per record."""

    __slots__ = ("starts",)

    def __init__(self, text: str):
        self.starts = line_starts(text)

    def line_of(self, offset: int) -> int:
        """0-based line index of ``offset``."""
        return bisect.bisect_right(self.starts, offset) - 1

    def position(self, offset: int) -> tuple[int, int]:
        idx = self.line_of(offset)
        return idx + 1, offset - self.starts[idx] + 1


def mapped_locator(source: str, offsets: list[int], index: LineIndex, base_line: int = 1):
    """An :class:`OffsetMapLocator` for absolute ``offsets`` into ``source``.

    OffsetMapLocator indexes the newlines of the text it is given, so it is handed only the
    slice of the file from the start of the first line involved to the last offset; the line
    shift is added back.  ``base_line`` is the file line on which ``source`` starts (JSONL).
    """
    if not offsets:
        return LineLocator(base_line)
    lo = min(offsets[0], offsets[-1])
    hi = max(offsets[0], offsets[-1])
    line_idx = index.line_of(lo)
    start = index.starts[line_idx]
    piece = source[start:hi + 1]
    rel = [o - start for o in offsets]
    return ShiftedLocator(OffsetMapLocator(rel, piece), base_line - 1 + line_idx)


# --------------------------------------------------------------------------- JSON strings

_SPECIAL = re.compile(r'["\\]')


def json_string_offsets(source: str, quote: int) -> list[int]:
    """Source offsets of every character of the JSON string literal opening at ``quote``.

    One entry per character of the *decoded* string (as ``json.loads`` produces it) plus a
    final entry for the closing quote, so ``offsets[len(value)]`` is "just past the end".
    Escapes (``\\n``, ``\\"``, ``\\u00e9``) map to their backslash; a surrogate pair
    ``\\ud83d\\ude00`` decodes to one character and maps to its first backslash.
    """
    offsets: list[int] = []
    extend = offsets.extend
    append = offsets.append
    search = _SPECIAL.search
    i = quote + 1
    while True:
        m = search(source, i)
        if m is None:  # unterminated: map the rest
            extend(range(i, len(source)))
            append(len(source))
            return offsets
        j = m.start()
        if j > i:
            extend(range(i, j))
        if source[j] == '"':
            append(j)
            return offsets
        esc = source[j + 1:j + 2]
        if esc == "u":
            try:
                cp = int(source[j + 2:j + 6], 16)
            except ValueError:
                cp = 0
            if 0xD800 <= cp < 0xDC00 and source.startswith("\\u", j + 6):
                try:
                    low = int(source[j + 8:j + 12], 16)
                except ValueError:
                    low = 0
                if 0xDC00 <= low < 0xE000:
                    append(j)
                    i = j + 12
                    continue
            append(j)
            i = j + 6
        else:
            append(j)
            i = j + 2


# Tokens of a JSON text: strings (unrolled-loop pattern), punctuation, bare scalars.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+', re.S)
_END = object()  # marks "this path itself is wanted" in the trie


class JsonDoc:
    """A parsed JSON text that can tell, lazily, where a value stands in it.

    Readers register the paths (tuples of keys and list indices) they will need with
    :meth:`want` while extracting records; the first lookup scans the text once with a
    regex tokenizer, descending only into wanted subtrees, and records the start offset of
    each wanted value.  ``base_line`` is the file line the text starts on (JSONL lines).
    """

    __slots__ = ("source", "base_line", "_wanted", "_found", "_index")

    def __init__(self, source: str, base_line: int = 1):
        self.source = source
        self.base_line = base_line
        self._wanted: set = set()
        self._found: dict | None = None
        self._index: LineIndex | None = None

    # -- registration / lookup
    def want(self, path: tuple) -> tuple:
        self._wanted.add(path)
        if self._found is not None and path not in self._found:
            self._found = None  # registered after a scan: rescan on next lookup
        return path

    def _trie(self) -> dict:
        trie: dict = {}
        for path in self._wanted:
            node = trie
            for key in path:
                node = node.setdefault(key, {})
            node[_END] = True
        return trie

    def offset(self, path: tuple) -> int | None:
        if self._found is None:
            self._found = self._scan()
        return self._found.get(path)

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.source)
        return self._index

    def position(self, path: tuple) -> tuple[int, int] | None:
        """(line, column) of the value at ``path`` (which must have been wanted)."""
        off = self.offset(path)
        if off is None:
            return None
        line, col = self.index.position(off)
        return line + self.base_line - 1, col

    def value_offsets(self, path: tuple) -> list[int] | None:
        """Per-character source offsets of the string value at ``path`` (see above)."""
        off = self.offset(path)
        if off is None or self.source[off] != '"':
            return None
        return json_string_offsets(self.source, off)

    def string_locator(self, path: tuple, html: bool = False):
        """Locator for the string at ``path``; with ``html`` the value is HTML and the reply
        text is its extracted text (see :mod:`replylint.readers.htmltext`)."""
        offsets = self.value_offsets(path)
        if offsets is None:
            return None
        if html:
            from replylint.readers.htmltext import html_to_text

            value, _ = json.decoder.scanstring(self.source, self.offset(path) + 1)
            conv = html_to_text(value, track=True)
            offsets = [offsets[h] for h in conv.offsets]
        return mapped_locator(self.source, offsets, self.index, self.base_line)

    # -- the scan
    def _scan(self) -> dict:
        src = self.source
        it = _TOKEN.finditer(src)
        found: dict = {}
        loads = json.loads

        def skip(m) -> None:
            c = src[m.start()]
            if c != "{" and c != "[":
                return
            depth = 1
            for m in it:
                c = src[m.start()]
                if c == "{" or c == "[":
                    depth += 1
                elif c == "}" or c == "]":
                    depth -= 1
                    if depth == 0:
                        return

        def walk(m, node: dict, path: tuple) -> None:
            start = m.start()
            if _END in node:
                found[path] = start
            c = src[start]
            if c == "{":
                m = next(it)
                if src[m.start()] == "}":
                    return
                while True:
                    key = loads(m.group())
                    next(it)  # ':'
                    vm = next(it)
                    child = node.get(key)
                    if child is None:
                        skip(vm)
                    else:
                        walk(vm, child, path + (key,))
                    m = next(it)
                    if src[m.start()] != ",":
                        return
                    m = next(it)
            elif c == "[":
                m = next(it)
                if src[m.start()] == "]":
                    return
                i = 0
                while True:
                    child = node.get(i)
                    if child is None:
                        skip(m)
                    else:
                        walk(m, child, path + (i,))
                    m = next(it)
                    if src[m.start()] != ",":
                        return
                    m = next(it)
                    i += 1

        try:
            first = next(it)
            walk(first, self._trie(), ())
        except (StopIteration, ValueError):  # truncated/odd text: keep what was found
            pass
        return found

