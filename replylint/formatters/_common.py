"""Helpers shared by the formatters (stdlib only)."""
from __future__ import annotations

import gc
import json as _json
import os
from collections import Counter
from contextlib import contextmanager
from json.encoder import (
    encode_basestring as _s,  # C-accelerated; leaves non-ASCII as is
)
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Iterable

from ..finding import CATEGORIES, Finding, Fix, Severity

if TYPE_CHECKING:  # pragma: no cover
    from ..results import RunResult

STDIN = "-"
_CAT_ORDER = {c: i for i, c in enumerate(CATEGORIES)}
SEVERITIES: tuple[Severity, ...] = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def relative_source(source: str, cwd: Path | None = None) -> str | None:
    """``source`` as a POSIX path relative to ``cwd`` when it lies below it, else absolute.

    Returns None for standard input (``-``) and empty sources.
    """
    if not source or source == STDIN:
        return None
    p = Path(source)
    if not p.is_absolute():
        # already relative: normalise separators, drop a leading "./"
        return PurePosixPath(*p.parts).as_posix() if p.parts else source
    base = cwd or Path.cwd()
    try:
        return p.relative_to(base).as_posix()
    except ValueError:
        return p.as_posix()


def is_zero_width_placement(f: Finding) -> bool:
    """True when a non-empty match was placed on a single point (a JSONL/CSV record whose
    locator maps every offset to one line, column 1): the columns carry no information."""
    return f.line == f.end_line and f.column == f.end_column and f.end > f.start


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    c = Counter(f.severity for f in findings)
    return {s.value: c.get(s, 0) for s in SEVERITIES}


def compute_statistics(run: "RunResult") -> dict:
    """Counts per severity, category and rule (the ``"statistics"`` object of the JSON report)."""
    by_rule: dict[str, list] = {}  # rule -> [count, fixable, category, severity]
    cats: Counter[str] = Counter()
    sev: Counter[Severity] = Counter()
    with_findings = 0
    total = fixable = 0
    for r in run.results:
        if r.findings:
            with_findings += 1
        for f in r.findings:
            total += 1
            sev[f.severity] += 1
            cats[f.category] += 1
            entry = by_rule.get(f.rule)
            if entry is None:
                entry = by_rule[f.rule] = [0, 0, f.category, f.severity]
            entry[0] += 1
            if f.fix is not None and f.fix.safe:
                entry[1] += 1
                fixable += 1
            if f.severity.rank > entry[3].rank:
                entry[3] = f.severity
    rules = [
        {"rule": rule, "category": cat, "severity": s.value, "count": n, "fixable": fx}
        for rule, (n, fx, cat, s) in by_rule.items()
    ]
    rules.sort(key=lambda d: (-d["count"], d["rule"]))
    categories = dict(sorted(cats.items(), key=lambda kv: (-kv[1], _CAT_ORDER.get(kv[0], 99), kv[0])))
    return {
        "replies": len(run.results),
        "replies_with_findings": with_findings,
        "findings": total,
        "fixable": fixable,
        "errors": len(run.errors),
        "by_severity": {s.value: sev.get(s, 0) for s in SEVERITIES},
        "by_category": categories,
        "by_rule": rules,
    }


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building a large tree of fresh dicts/elements
    (none of which form cycles): it would otherwise rescan them over and over."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def env_flag(name: str) -> bool:
    return os.environ.get(name, "") != ""


# ---------------------------------------------------------------------------- fast JSON
# ``Finding.to_dict()`` + ``json.dumps`` costs ~8 µs a finding (dataclasses.asdict deep-copies
# the fix).  ``finding_json`` writes the same JSON directly.  It is checked against
# ``to_dict()`` at import time; if ``to_dict`` ever changes shape the generic path is used.
_generic = _json.JSONEncoder(ensure_ascii=False).encode


# Line/paragraph separators are legal raw inside JSON strings, but str.splitlines() and some
# JSONL readers split on them: escape them so that one finding is one line for every reader.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _one_line(s: str) -> str:
    if "\u2028" in s or "\u2029" in s or "\x85" in s:
        return s.translate(_LINE_BREAKS)
    return s


def _fast_finding_json(f: Finding) -> str:
    fx = f.fix
    fix = "null" if fx is None else (
        f'{{"start": {fx.start:d}, "end": {fx.end:d}, "replacement": {_s(fx.replacement)}, '
        f'"safe": {"true" if fx.safe else "false"}}}')
    sugg = ", ".join(map(_s, f.suggestions))
    return _one_line(
        f'{{"reply_id": {_s(f.reply_id)}, "source": {_s(f.source)}, "line": {f.line:d}, '
        f'"column": {f.column:d}, "end_line": {f.end_line:d}, "end_column": {f.end_column:d}, '
        f'"start": {f.start:d}, "end": {f.end:d}, "rule": {_s(f.rule)}, "category": {_s(f.category)}, '
        f'"severity": {_s(f.severity.value)}, "message": {_s(f.message)}, "match": {_s(f.match)}, '
        f'"suggestions": [{sugg}], "fix": {fix}}}')


def _generic_finding_json(f: Finding) -> str:
    return _one_line(_generic(f.to_dict()))


def _fast_path_agrees() -> bool:
    samples = [
        Finding("r", "jargon", Severity.INFO, 'a "q"\n\\ é 日', 0, 3, "x\ty", ("s1", "s2\u2028"),
                Fix(0, 3, "z\x00", True), "id", "src", 2, 3, 4, 5),
        Finding("r", "policy", Severity.ERROR, "", 0, 0, ""),
    ]
    try:
        for f in samples:
            fast = _fast_finding_json(f)
            if _json.loads(fast) != f.to_dict() or list(_json.loads(fast)) != list(f.to_dict()):
                return False
    except Exception:  # pragma: no cover - any mismatch means: do not use the fast path
        return False
    return True


#: ``Finding`` -> its ``to_dict()`` as compact JSON (``", "``/``": "`` separators, unicode kept).
finding_json = _fast_finding_json if _fast_path_agrees() else _generic_finding_json
