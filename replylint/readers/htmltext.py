"""HTML reply bodies (helpdesk exports) to plain text, with a map back into the HTML.

Why the standard library's :mod:`html.parser` and not BeautifulSoup/lxml/html5lib: those
build a repaired tree and throw away *where* each piece of text stood, and we need exactly
that: every character of the extracted text must map back to the offset of the character
(or entity, or tag, for inserted newlines) it came from, so a finding points at the right
line/column of the export file.  ``HTMLParser`` is an event parser that reports the source
position of each event (``getpos()``) and, with ``convert_charrefs=False``, hands us entity
references separately, so the map is exact.  It is also lenient (never raises), which lets
us lint what was extracted from malformed HTML while reporting the problem.

Rules: block elements start/end a line (``<p>``, headings, lists, tables, quotes leave a
blank line between paragraphs), ``<br>`` is a newline (never more than one blank line in a row), runs of HTML whitespace collapse to
one space (not inside ``<pre>``), entities are decoded, ``<script>``/``<style>``/
``<template>``/``<head>`` content is dropped.  Intercom's ``<attribute key=".." default=".."/>``
placeholder is written back in Intercom's text form ``{{key|fallback:"default"}}``.
"""
from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["HtmlText", "html_to_text", "looks_like_html"]

_PARAGRAPH = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl",
    "table", "hr", "figure",
})
_BLOCK = frozenset({
    "div", "li", "tr", "section", "article", "header", "footer", "nav", "aside", "dt", "dd",
    "form", "fieldset", "figcaption", "address", "main", "center", "details", "summary",
    "caption", "thead", "tbody", "tfoot", "body", "html",
})
_CELL = frozenset({"td", "th"})
_SKIP = frozenset({"script", "style", "template", "head", "title", "noscript"})
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "param", "keygen", "attribute",
})
# Elements whose end tag HTML lets you omit: not reported when left open.
_OPTIONAL_END = frozenset({
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody",
    "tfoot", "colgroup", "rt", "rp", "html", "head", "body", "caption",
})
_WSRUN = re.compile(r"[ \t\n\r\f]+")
_WS = re.compile(r"[ \t\n\r\f]+|[^ \t\n\r\f]+")
_HTMLISH = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9-]*[\s/>]|/[a-zA-Z]|!--)|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")


def looks_like_html(text: str) -> bool:
    return _HTMLISH.search(text) is not None


@dataclass
class HtmlText:
    text: str
    #: ``offsets[i]`` = offset in the HTML of text character ``i``; one extra final entry
    #: (just past the last source character used).  Empty unless ``track=True``.
    offsets: list[int] = field(default_factory=list)
    #: ``(html_offset, message)`` for malformed markup.
    errors: list[tuple[int, str]] = field(default_factory=list)


class _Extractor(HTMLParser):
    def __init__(self, source: str, track: bool):
        super().__init__(convert_charrefs=False)
        self.src = source
        self.track = track
        self.parts: list[str] = []
        self.offs: list[int] = []
        self.errors: list[tuple[int, str]] = []
        self.stack: list[tuple[str, int]] = []
        self.skip = 0
        self.pre = 0
        self.pending: int | None = None  # offset of a collapsed whitespace run not yet written
        self.nl = 2  # trailing newlines in output (2 at start: no leading breaks/spaces)
        self.empty = True
        self._starts: list[int] | None = None

    # -- positions
    def _here(self) -> int:
        line, col = self.getpos()
        if line == 1:
            return col
        starts = self._starts
        if starts is None:
            starts = [0]
            find = self.src.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._starts = starts
        return starts[line - 1] + col

    # -- output
    def _emit(self, s: str, pos: int, per_char: bool) -> None:
        if self.pending is not None:
            self.parts.append(" ")
            if self.track:
                self.offs.append(self.pending)
            self.pending = None
        self.parts.append(s)
        if self.track:
            if per_char:
                self.offs.extend(range(pos, pos + len(s)))
            else:
                self.offs.extend([pos] * len(s))
        self.nl = len(s) - len(s.rstrip("\n")) if s.endswith("\n") else 0
        self.empty = False

    def _break(self, n: int, pos: int) -> None:
        self.pending = None
        if self.empty or self.nl >= n:
            return
        add = n - self.nl
        self.parts.append("\n" * add)
        if self.track:
            self.offs.extend([pos] * add)
        self.nl = n

    # -- events
    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        pos = self._here()
        if data.startswith("<") and len(data) > 1 and (data[1].isalpha() or data[1] in "/!"):
            self.errors.append((pos, f"unterminated markup {data[:20]!r}"))
        if self.pre:
            self._emit(data, pos, True)
            return
        if not self.track:  # same result as the loop below, without per-token work
            collapsed = _WSRUN.sub(" ", data)
            core = collapsed.strip(" ")
            if collapsed[:1] == " " and self.nl == 0 and not self.empty and self.pending is None:
                self.pending = pos
            if core:
                self._emit(core, pos, True)
                if collapsed[-1:] == " ":
                    self.pending = pos
            return
        for m in _WS.finditer(data):
            s = m.group()
            c = s[0]
            if c in " \t\n\r\f":
                if self.nl == 0 and not self.empty and self.pending is None:
                    self.pending = pos + m.start()
            else:
                self._emit(s, pos + m.start(), True)

    def _ref(self, raw: str) -> None:
        if self.skip:
            return
        pos = self._here()
        s = _html.unescape(raw).replace("\xa0", " ")
        if s == raw:  # not a known entity: literal text
            self._emit(s, pos, True)
        else:
            self._emit(s, pos, False)

    def handle_entityref(self, name: str) -> None:
        self._ref(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._ref(f"&#{name};")

    def handle_starttag(self, tag: str, attrs) -> None:
        pos = self._here()
        if tag in _SKIP:
            self.skip += 1
            self.stack.append((tag, pos))
            return
        if self.skip:
            return
        if tag == "br":  # a newline; at most one blank line in a row
            self.pending = None
            if self.nl < 2:
                self.parts.append("\n")
                if self.track:
                    self.offs.append(pos)
                self.nl += 1
                self.empty = False
            return
        if tag == "attribute":  # Intercom placeholder
            a = dict(attrs)
            key = a.get("key") or ""
            if key:
                dflt = a.get("default")
                ph = "{{" + key + (f'|fallback:"{dflt}"' if dflt else "") + "}}"
                self._emit(ph, pos, False)
            return
        if tag in _PARAGRAPH:
            self._break(2, pos)
        elif tag in _BLOCK:
            self._break(1, pos)
        elif tag in _CELL:
            if not self.empty and self.nl == 0 and self.pending is None:
                self.pending = pos
        if tag == "pre":
            self.pre += 1
        if tag not in _VOID:
            self.stack.append((tag, pos))

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1][0] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        pos = self._here()
        if tag in _VOID:
            if tag == "br":
                self.handle_starttag("br", [])
            return
        stack = self.stack
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == tag:
                break
        else:
            if not self.skip:
                self.errors.append((pos, f"unexpected end tag </{tag}>"))
            return
        for open_tag, open_pos in stack[k + 1:]:
            if open_tag not in _OPTIONAL_END:
                self.errors.append((open_pos, f"<{open_tag}> is not closed"))
            self._closed(open_tag, pos)
        del stack[k:]
        self._closed(tag, pos)

    def _closed(self, tag: str, pos: int) -> None:
        if tag in _SKIP:
            self.skip -= 1
            return
        if self.skip:
            return
        if tag == "pre":
            self.pre -= 1
        if tag in _PARAGRAPH:
            self._break(2, pos)
        elif tag in _BLOCK:
            self._break(1, pos)

    def handle_comment(self, data: str) -> None:
        pass

    def finish(self) -> HtmlText:
        self.close()
        for tag, pos in self.stack:
            if tag not in _OPTIONAL_END:
                self.errors.append((pos, f"<{tag}> is not closed"))
        text = "".join(self.parts)
        stripped = text.rstrip()
        offs = self.offs
        if self.track:
            n = len(stripped)
            end = offs[n - 1] + 1 if n else 0
            if len(text) > n:
                end = offs[n]  # just past the last kept character: the next source char used
            offs = offs[:n]
            offs.append(end)
        self.errors.sort()
        return HtmlText(stripped, offs, self.errors)


def html_to_text(source: str, track: bool = False) -> HtmlText:
    """Extract the text of an HTML fragment.  ``track=True`` also builds the offset map."""
    p = _Extractor(source, track)
    p.feed(source)
    return p.finish()
