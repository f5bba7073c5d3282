"""The human (and agent) view.

Per finding::

    source:line:col: severity category [rule-id] message
       │ the context line of the reply, with the match highlighted
       │                                         ^~~~~
       → a suggested rewrite
       fix: 'old' → 'new'

Findings are grouped by reply (a header per reply when the input holds more than one);
input errors come after the findings, then one summary line.  Plain output is built without
``rich``; with colour the same lines are styled with ``rich`` styles (imported lazily).
"""
from __future__ import annotations

import unicodedata
from typing import IO, TYPE_CHECKING, Iterable, Sequence, Union

from ..finding import Finding, Severity
from ._common import compute_statistics, env_flag, plural, severity_counts

if TYPE_CHECKING:  # pragma: no cover
    from ..results import ReplyResult, RunResult

#: a piece of a line: plain text, or (text, rich style)
Part = Union[str, tuple[str, str]]
Line = Sequence[Part]

SEV_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold cyan"}
SPAN_STYLE = {Severity.ERROR: "bold red underline", Severity.WARNING: "bold yellow underline",
              Severity.INFO: "bold cyan underline"}
GUTTER = ("   │ ", "blue")
INDENT = "   "
MAX_CONTEXT = 100  # characters of a context line shown around the match
CONTEXT_BEFORE = 30


def use_color(color: bool | None, out: IO[str]) -> bool:
    """``color`` if given; otherwise colour when ``out`` is a terminal, unless NO_COLOR is set
    (FORCE_COLOR turns it on)."""
    if color is not None:
        return color
    if env_flag("NO_COLOR"):
        return False
    if env_flag("FORCE_COLOR"):
        return True
    isatty = getattr(out, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # closed or odd stream
        return False


# ---------------------------------------------------------------------------- text helpers

def cells(s: str) -> int:
    """Terminal cell width: wide East Asian characters count 2, combining marks 0."""
    if s.isascii():
        return len(s)
    n = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


# control characters (tabs, CR, ...) become one space each so that columns stay aligned
_CONTROL = {i: " " for i in (*range(0x00, 0x20), 0x7F)}


def _clean(s: str) -> str:
    return s if s.isprintable() else s.translate(_CONTROL)


def context(text: str, start: int, end: int) -> tuple[str, str, str, bool, bool, bool]:
    """The reply-text line around ``text[start:end]``, split as (before, match, after) and
    clipped to about MAX_CONTEXT characters; flags: clipped left, clipped right, match goes
    on past the end of the line."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", start)
    if le == -1:
        le = len(text)
    if le > ls and text[le - 1] == "\r":
        le -= 1
    continues = end > le
    me = min(end, le)
    ws, we = ls, le
    if le - ls > MAX_CONTEXT:
        ws = max(ls, start - CONTEXT_BEFORE)
        we = min(le, max(me + CONTEXT_BEFORE, ws + MAX_CONTEXT))
        if me > we:  # a very long match: show its beginning
            me = we
    return (_clean(text[ws:start]), _clean(text[start:me]), _clean(text[me:we]),
            ws > ls, we < le, continues)


# ---------------------------------------------------------------------------- writer

class _Writer:
    """Writes lines of parts.  With colour, each rich style is rendered once to its ANSI
    start/end codes (``rich.style.Style.render``); going through ``Console.print`` per line
    costs ~50x more and matters for thousands of findings."""

    def __init__(self, out: IO[str], color: bool):
        self.out = out
        self.color = color
        self._codes: dict[str, tuple[str, str]] = {}
        if color:
            from rich.color import ColorSystem
            from rich.style import Style

            self._style, self._system = Style, ColorSystem.STANDARD

    def _ansi(self, style: str) -> tuple[str, str]:
        codes = self._codes.get(style)
        if codes is None:
            pre, _, post = self._style.parse(style).render("\0", color_system=self._system).partition("\0")
            codes = self._codes[style] = (pre, post)
        return codes

    def lines(self, lines: Iterable[Line]) -> None:
        if not self.color:
            self.out.write("".join("".join(p if isinstance(p, str) else p[0] for p in line) + "\n"
                                   for line in lines))
            return
        parts = []
        for line in lines:
            for p in line:
                if isinstance(p, str):
                    parts.append(p)
                elif p[0]:
                    pre, post = self._ansi(p[1])
                    parts.append(pre + p[0] + post)
            parts.append("\n")
        self.out.write("".join(parts))


# ---------------------------------------------------------------------------- blocks

def _header(r: "ReplyResult") -> Line:
    source = r.record.source or "-"
    label = source if r.record.id in ("", source) else f"{source} · {r.record.id}"
    lang = r.lang or r.record.lang
    if lang:
        label += f" ({lang})"
    return [("── ", "dim"), (label, "bold"), (" ──", "dim")]


def _finding_lines(f: Finding, r: "ReplyResult", show_source: bool) -> list[Line]:
    loc = f"{f.source or '-'}:{f.line}:{f.column}:"
    msg_lines = f.message.split("\n")
    first: list[Part] = [(loc, "bold"), " ", (str(f.severity), SEV_STYLE[f.severity]), " ",
                         (f.category, "magenta"), " ", (f"[{f.rule}]", "cyan"), " ", msg_lines[0]]
    if f.fix is not None and f.fix.safe:
        first.append((" [*]", "green"))
    out: list[Line] = [first]
    out.extend([INDENT + " " + m] for m in msg_lines[1:])
    if show_source:
        text = r.record.text
        before, match, after, left, right, continues = context(text, f.start, f.end)
        pre = "…" if left else ""
        post = "…" if right else ""
        out.append([GUTTER, pre, before, (match, SPAN_STYLE[f.severity]), after, post])
        marker = "^" + "~" * max(0, cells(match) - 1)
        if continues:
            marker += "…"
        out.append([GUTTER, " " * (cells(pre) + cells(before)), (marker, SEV_STYLE[f.severity])])
    for s in f.suggestions:
        s_lines = s.split("\n")
        out.append([INDENT, ("→ ", "green"), s_lines[0]])
        out.extend([INDENT + "  " + x] for x in s_lines[1:])
    if f.fix is not None:
        old = r.record.text[f.fix.start:f.fix.end]
        label = "fix" if f.fix.safe else "fix (unsafe)"
        out.append([INDENT, (f"{label}: ", "green"), f"{old!r} → {f.fix.replacement!r}"])
    return out


def _summary(run: "RunResult") -> list[Line]:
    n_replies = len(run.results)
    findings = run.findings
    lines: list[Line] = []
    if not findings:
        text = "No replies to lint." if not n_replies else f"No findings in {plural(n_replies, 'reply', 'replies')}."
        line: list[Part] = [(text, "bold green" if not run.errors else "bold")]
    else:
        counts = severity_counts(findings)
        words = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("info", "info")}
        parts = ", ".join(plural(n, *words[s]) for s, n in counts.items() if n)
        hit = sum(1 for r in run.results if r.findings)
        line = [(f"{plural(len(findings), 'finding')} ({parts}) in {hit} of "
                 f"{plural(n_replies, 'reply', 'replies')}.", "bold")]
    if run.errors:
        line.append((f" {plural(len(run.errors), 'input error')}.", "bold red"))
    lines.append(line)
    safe = sum(1 for f in findings if f.fix is not None and f.fix.safe)
    unsafe = sum(1 for f in findings if f.fix is not None and not f.fix.safe)
    if safe or unsafe:
        fix_line: list[Part] = []
        if safe:
            fix_line.append(("[*] ", "green"))
            fix_line.append(f"{safe} fixable with --fix")
        if unsafe:
            fix_line.append(f"{' (' if safe else ''}{unsafe} {'more ' if safe else ''}fixable with --unsafe-fixes"
                            f"{')' if safe else ''}")
        fix_line.append(".")
        lines.append(fix_line)
    return lines


def _statistics(run: "RunResult") -> list[Line]:
    stats = compute_statistics(run)
    if not stats["by_rule"]:
        return []
    rules = stats["by_rule"]
    cw = max(5, *(len(str(d["count"])) for d in rules))
    rw = max(4, *(len(d["rule"]) for d in rules))
    kw = max(8, *(len(d["category"]) for d in rules))
    lines: list[Line] = [[(f"{'count':>{cw}}  {'rule':<{rw}}  {'category':<{kw}}  {'severity':<8}  fixable", "bold")]]
    for d in rules:
        sev = Severity(d["severity"])
        lines.append([f"{d['count']:>{cw}}  ", (f"{d['rule']:<{rw}}", "cyan"), "  ",
                      (f"{d['category']:<{kw}}", "magenta"), "  ",
                      (f"{d['severity']:<8}", SEV_STYLE[sev]), "  ", str(d["fixable"]) if d["fixable"] else ""])
    lines.append([])
    cats = stats["by_category"]
    lines.append([(f"{'count':>{cw}}  category", "bold")])
    for cat, n in cats.items():
        lines.append([f"{n:>{cw}}  ", (cat, "magenta")])
    lines.append([])
    return lines


def _errors(run: "RunResult") -> list[Line]:
    return [[(f"{e.source or '-'}{''.join(f':{p}' for p in (e.line, e.column) if p is not None)}: ", "bold red"),
             ("input error: ", "red"), (e.message, "red")] for e in run.errors]


def render(run: "RunResult", *, out: IO[str], color: bool | None = None, statistics: bool = False,
           show_source: bool = True, **_: object) -> None:
    w = _Writer(out, use_color(color, out))
    if statistics:
        w.lines(_statistics(run))
    else:
        multi = len(run.results) > 1
        for r in run.results:
            if not r.findings:
                continue
            block: list[Line] = []
            if multi:
                block.append(_header(r))
            for f in sorted(r.findings, key=lambda f: (f.start, f.end)):
                block.extend(_finding_lines(f, r, show_source))
                if show_source:
                    block.append([])
            if multi and not show_source:
                block.append([])
            w.lines(block)
    if run.errors:
        w.lines(_errors(run))
    w.lines(_summary(run))
