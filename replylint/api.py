"""Runs behind the CLI commands, usable from Python too: read inputs, lint, filter by baseline,
apply fixes, render.  Nothing here prints except through the formatter's output stream and
one-line notices on stderr."""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import IO, Iterable, Iterator

from .config import Config
from .finding import Finding, InputError, Severity
from .records import Record
from .results import ReplyResult, RunResult
from .yamlpos import ConfigError


def iter_inputs(paths: list[str], cfg: Config, *, input_format=None, text_column=None,
                id_column=None) -> Iterator[Record | InputError]:
    from .readers import read_inputs
    return read_inputs(paths, input_format=input_format, text_column=text_column,
                       id_column=id_column, include=cfg.include, exclude=cfg.exclude)


def lint_inputs(linter, items: Iterable[Record | InputError], errors: list[InputError]) -> Iterator[ReplyResult]:
    """Lint records, diverting InputErrors into ``errors`` as they stream past."""
    def records():
        for item in items:
            if isinstance(item, InputError):
                errors.append(item)
            else:
                yield item
    return linter.lint_records(records())


def fails(findings: Iterable[Finding], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    floor = Severity.parse(fail_on).rank
    return any(f.severity.rank >= floor for f in findings)


# ---------------------------------------------------------------------------------- baseline

def _fingerprint(f: Finding) -> str:
    """Identity of a finding that survives edits elsewhere: reply, rule and matched text."""
    return f"{f.reply_id}\x1f{f.rule}\x1f{' '.join(f.match.split()).lower()}"


def create_baseline(paths, cfg: Config, output: Path, **kw) -> tuple[int, list[InputError]]:
    from .engine import Linter
    linter = Linter(cfg)
    errors: list[InputError] = []
    counts: Counter = Counter()
    for res in lint_inputs(linter, iter_inputs(paths, cfg, **kw), errors):
        for f in res.findings:
            counts[_fingerprint(f)] += 1
    for e in errors:
        sys.stderr.write(f"{e}\n")
    entries = []
    for key, n in sorted(counts.items()):
        reply_id, rule, match = key.split("\x1f")
        entries.append({"reply_id": reply_id, "rule": rule, "match": match, "count": n})
    data = {"version": 1, "tool": "replylint", "findings": entries}
    atomic_write(output, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return sum(counts.values()), errors


def load_baseline(path: Path) -> Counter:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"cannot read baseline: {e.strerror or e}", str(path)) from None
    except json.JSONDecodeError as e:
        raise ConfigError(f"baseline is not valid JSON: {e.msg}", str(path), e.lineno, e.colno) from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ConfigError("not a replylint baseline (expected an object with 'findings')", str(path))
    out: Counter = Counter()
    for i, e in enumerate(data["findings"]):
        try:
            out[f"{e['reply_id']}\x1f{e['rule']}\x1f{e['match']}"] += int(e.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise ConfigError(f"baseline entry {i} needs reply_id, rule and match", str(path)) from None
    return out


def apply_baseline(result: ReplyResult, remaining: Counter) -> None:
    kept = []
    for f in result.findings:
        key = _fingerprint(f)
        if remaining.get(key, 0) > 0:
            remaining[key] -= 1
        else:
            kept.append(f)
    result.findings = kept


# ---------------------------------------------------------------------------------- fixes

def atomic_write(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory and rename: all or nothing."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        try:
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        except FileNotFoundError:
            pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def apply_fixes(text: str, findings: list[Finding], unsafe: bool) -> tuple[str, list[Finding]]:
    """Apply non-overlapping fixes right to left; returns the new text and the applied ones."""
    fixes = sorted((f for f in findings if f.fix and (f.fix.safe or unsafe)),
                   key=lambda f: f.fix.start, reverse=True)
    applied = []
    last = len(text) + 1
    for f in fixes:
        fx = f.fix
        if fx.end > last or text[fx.start:fx.end] != f.match:
            continue
        text = text[:fx.start] + fx.replacement + text[fx.end:]
        last = fx.start
        applied.append(f)
    return text, applied


# ---------------------------------------------------------------------------------- check

def run_check(paths: list[str], cfg: Config, *, fmt: str = "text", statistics: bool = False,
              input_format=None, text_column=None, id_column=None, baseline: Path | None = None,
              fix: bool = False, unsafe_fixes: bool = False, diff: bool = False,
              color: bool | None = None, show_source: bool = True, output: Path | None = None,
              out: IO[str] | None = None) -> int:
    from .engine import Linter
    from .formatters import render
    linter = Linter(cfg)
    remaining = load_baseline(baseline) if baseline else None
    errors: list[InputError] = []
    results: list[ReplyResult] = []
    fix_texts: dict[str, tuple[str, str]] = {}
    for res in lint_inputs(linter, iter_inputs(paths, cfg, input_format=input_format,
                                               text_column=text_column, id_column=id_column), errors):
        if remaining is not None:
            apply_baseline(res, remaining)
        if (fix or diff) and res.record.source not in ("-", "") and res.record.id == res.record.source \
                and Path(res.record.source).suffix.lower() in (".txt", ".md", ".markdown"):
            new, applied = apply_fixes(res.record.text, res.findings, unsafe_fixes)
            if applied:
                fix_texts[res.record.source] = (res.record.text, new)
                if fix and not diff:
                    res.findings = [f for f in res.findings if f not in applied]
        results.append(res)
    run = RunResult(results, errors, linter.rules)
    for res in results:
        for s in res.unused_suppressions:
            line, col = res.record.position(s.start)
            which = ",".join(s.rules) or "all"
            sys.stderr.write(f"{res.record.source}:{line}:{col}: unused suppression "
                             f"(disable={which}) in reply {res.record.id}\n")
    if diff:
        stream = out or sys.stdout
        for src, (old, new) in fix_texts.items():
            stream.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                   f"a/{src}", f"b/{src}"))
        return 1 if fix_texts else 0
    if fix:
        for src, (old, new) in fix_texts.items():
            try:
                if Path(src).read_text(encoding="utf-8") != old:
                    sys.stderr.write(f"replylint: {src} changed while linting; not fixed\n")
                    continue
                atomic_write(Path(src), new)
            except OSError as e:
                errors.append(InputError(src, f"cannot write fix: {e.strerror or e}"))
        if fix_texts:
            sys.stderr.write(f"replylint: fixed {len(fix_texts)} file(s)\n")
    if output is not None:
        import io
        buf = io.StringIO()
        render(fmt, run, out=buf, color=False, statistics=statistics, show_source=show_source,
               fail_level=cfg.fail_on if cfg.fail_on != "never" else "error")
        atomic_write(output, buf.getvalue())
    else:
        render(fmt, run, out=out or sys.stdout, color=color, statistics=statistics,
               show_source=show_source, fail_level=cfg.fail_on if cfg.fail_on != "never" else "error")
    if fmt != "text":  # text output lists input errors itself
        for e in errors:
            sys.stderr.write(f"{e}\n")
    if errors:
        return 2
    return 1 if fails(run.findings, cfg.fail_on) else 0


def sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]
