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
                id_column=None, skip: Iterable[Path | None] = ()) -> Iterator[Record | InputError]:
    """Records of ``paths``; files in ``skip`` (replylint's own baseline or report file, when
    it sits inside the linted folder) are left out."""
    from .readers import read_inputs
    items = read_inputs(paths, input_format=input_format, text_column=text_column,
                        id_column=id_column, include=cfg.include, exclude=cfg.exclude)
    skip_abs = {os.path.abspath(p) for p in skip if p is not None}
    if not skip_abs:
        return items
    return _skipping(items, skip_abs)


def _skipping(items, skip_abs: set[str]):
    seen: dict[str, bool] = {}
    for item in items:
        src = item.source
        hit = seen.get(src)
        if hit is None:
            hit = seen[src] = src not in ("-", "") and os.path.abspath(src) in skip_abs
        if not hit:
            yield item


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
#
# A baseline entry identifies a finding by where it lives (the source file, relative to the
# baseline file's folder, and the reply id inside it), the rule, and the matched text
# (whitespace-collapsed, lower-cased) -- never by line or column, so edits elsewhere in a
# library do not resurrect old findings.  Whole-reply findings (a missing greeting) have no
# text of their own: their "match" is empty, so editing the reply's first line keeps them
# baselined too.  Counts allow the same phrase twice in one reply.

BASELINE_VERSION = 2


def _source_key(source: str, root: Path | None) -> str:
    if not source or source == "-":
        return "-"
    if root is None:
        return Path(source).as_posix()
    try:
        rel = os.path.relpath(os.path.abspath(source), root)
    except ValueError:  # pragma: no cover - another drive on Windows
        rel = os.path.abspath(source)
    return Path(rel).as_posix()


class _Keyer:
    """Fingerprints of findings for one baseline (file paths relative to its folder)."""

    def __init__(self, linter, baseline_path: Path):
        self.root = Path(os.path.abspath(baseline_path)).parent
        self.whole = {r.id for r in linter.all_rules if r.name == "required"}
        self._src: dict[str, str] = {}

    def entry(self, f: Finding) -> tuple[str, str, str, str]:
        src = self._src.get(f.source)
        if src is None:
            src = self._src[f.source] = _source_key(f.source, self.root)
        reply = "" if f.reply_id == f.source else f.reply_id  # a .txt reply is its file
        match = "" if f.rule in self.whole else " ".join(f.match.split()).lower()
        return src, reply, f.rule, match


def create_baseline(paths, cfg: Config, output: Path, **kw) -> tuple[int, list[InputError]]:
    from .engine import Linter
    linter = Linter(cfg)
    keyer = _Keyer(linter, output)
    errors: list[InputError] = []
    counts: Counter = Counter()
    for res in lint_inputs(linter, iter_inputs(paths, cfg, skip=[output], **kw), errors):
        for f in res.findings:
            counts[keyer.entry(f)] += 1
    for e in errors:
        sys.stderr.write(f"{e}\n")
    entries = [{"source": src, "reply_id": reply, "rule": rule, "match": match, "count": n}
               for (src, reply, rule, match), n in sorted(counts.items())]
    data = {"version": BASELINE_VERSION, "tool": "replylint", "findings": entries}
    atomic_write(output, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return sum(counts.values()), errors


def load_baseline(path: Path) -> Counter:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("baseline is not valid UTF-8", str(path)) from None
    except OSError as e:
        raise ConfigError(f"cannot read baseline: {e.strerror or e}", str(path)) from None
    except json.JSONDecodeError as e:
        raise ConfigError(f"baseline is not valid JSON: {e.msg}", str(path), e.lineno, e.colno) from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ConfigError("not a replylint baseline (expected an object with 'findings')", str(path))
    if data.get("version") != BASELINE_VERSION:
        raise ConfigError(f"baseline version {data.get('version')!r} is not supported (expected "
                          f"{BASELINE_VERSION}); recreate it with `replylint baseline create`", str(path))
    out: Counter = Counter()
    for i, e in enumerate(data["findings"]):
        try:
            key = (str(e["source"]), str(e["reply_id"]), str(e["rule"]), str(e["match"]))
            out[key] += int(e.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise ConfigError(f"baseline entry {i} needs source, reply_id, rule and match",
                              str(path)) from None
    return out


def apply_baseline(result: ReplyResult, remaining: Counter, keyer: "_Keyer") -> None:
    kept = []
    for f in result.findings:
        key = keyer.entry(f)
        if remaining.get(key, 0) > 0:
            remaining[key] -= 1
        else:
            kept.append(f)
    result.findings = kept


# ---------------------------------------------------------------------------------- fixes

def atomic_write(path: Path, text: str, *, prefix: str = "") -> None:
    """Write via a temporary file in the same directory and rename: all or nothing.  An
    existing file keeps its permission bits; a new one gets the ordinary umask-based mode
    (mkstemp alone would make it private).  Newlines are written exactly as in ``text``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(prefix)
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


FIXABLE_SUFFIXES = (".txt", ".md", ".markdown")


def fixable(record: Record) -> bool:
    """Fixes are written only to plain-text replies (one file = one reply), never to JSONL,
    CSV or helpdesk exports, whose text is escaped or embedded."""
    return (record.source not in ("-", "") and record.id == record.source
            and Path(record.source).suffix.lower() in FIXABLE_SUFFIXES)


def _decoded(raw: bytes) -> tuple[str, bytes] | None:
    """Decode like the text reader does (a leading BOM is kept aside)."""
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    try:
        return raw[len(bom):].decode("utf-8"), bom
    except UnicodeDecodeError:
        return None


def write_fix(path: Path, old: str, new: str) -> str | None:
    """Replace ``old`` by ``new`` in ``path`` atomically, unless the file no longer holds
    ``old`` (changed while linting).  Returns a problem message, or None when written."""
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        return f"cannot read for fixing: {e.strerror or e}"
    dec = _decoded(raw)
    if dec is None or dec[0] != old:
        return "changed while linting; not fixed"
    bom = dec[1]
    try:
        atomic_write(Path(path), new, prefix=bom.decode("utf-8"))
    except OSError as e:
        return f"cannot write fix: {e.strerror or e}; file left unchanged"
    return None


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


# ---------------------------------------------------------------------------------- checks

def check_selectors(linter, cfg: Config) -> None:
    """Every select/ignore/severity selector must name a loaded rule (by id or id prefix) or a
    category: a typo would otherwise silently switch rules off (or everything, for select)."""
    ids = [r.id for r in linter.all_rules]
    cats = {r.category for r in linter.all_rules}

    def known(sel: str) -> bool:
        sel = sel.strip()
        return sel in ("ALL", "all", "*") or sel in cats or any(i.startswith(sel) for i in ids)

    groups = [(k, getattr(cfg, k), cfg.origin(k)) for k in ("select", "ignore")]
    groups.append(("severity", list(cfg.severity), cfg.origin("severity")))
    for i, ov in enumerate(cfg.overrides):
        for k in ("select", "ignore", "severity"):
            if k in ov.values:
                groups.append((f"overrides[{i}].{k}", list(ov.values[k]), cfg.origin("overrides")))
    for key, sels, origin in groups:
        for sel in sels:
            if not known(sel):
                import difflib
                close = difflib.get_close_matches(sel, sorted(cats) + ids, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ConfigError(f"{key}: {sel!r} matches no rule id, id prefix or category{hint}",
                                  origin if origin != "default" else None)


def unused_suppression_notices(res: ReplyResult, linter, settings: dict | None = None) -> list[tuple]:
    """``(line, column, message)`` for each suppression in ``res`` that suppressed nothing.

    A suppression naming only rules that are not active in this run (``--select`` left them
    out) is not reported: it may well be needed in a full run.  A selector that names no rule
    at all is reported as such (a typo never suppresses anything)."""
    out = []
    if not res.unused_suppressions:
        return out
    all_rules = linter.all_rules
    active = [r for r in all_rules if linter.is_active(r, settings)]
    from .packs import selector_matches
    for s in res.unused_suppressions:
        line, col = res.record.position(s.start)
        what = ",".join(s.rules) or "all rules"
        field = s.reason == "record field" and s.start == s.end == 0  # engine's per-record entry
        label = f"replylint_disable={what}" if field else f"disable={what}"
        reason = "" if field else s.reason
        unknown = [sel for sel in s.rules
                   if not any(selector_matches(sel, r.id, r.category) for r in all_rules)]
        if unknown:
            msg = f"suppression names no known rule: {', '.join(unknown)}"
        elif s.rules and not any(selector_matches(sel, r.id, r.category)
                                 for sel in s.rules for r in active):
            continue
        else:
            msg = f"unused suppression: {label} suppresses nothing in this reply"
        if reason:
            msg += f" (reason: {reason})"
        out.append((line, col, msg))
    return out


def _report_notice(fmt: str, source: str, reply_id: str, line: int, col: int, msg: str) -> None:
    where = f"{source}:{line}:{col}" if source != "-" else f"-:{line}:{col}"
    if reply_id != source:
        msg += f" [reply {reply_id}]"
    if fmt == "github" and source not in ("-", ""):
        from .formatters._common import relative_source
        from .formatters.github import command
        sys.stderr.write(command("notice", {"file": relative_source(source), "line": line, "col": col,
                                            "title": "replylint: unused suppression"}, msg) + "\n")
    else:
        sys.stderr.write(f"{where}: {msg}\n")


def run_check(paths: list[str], cfg: Config, *, fmt: str = "text", statistics: bool = False,
              input_format=None, text_column=None, id_column=None, baseline: Path | None = None,
              fix: bool = False, unsafe_fixes: bool = False, diff: bool = False,
              color: bool | None = None, show_source: bool = True, output: Path | None = None,
              out: IO[str] | None = None) -> int:
    """Lint ``paths`` and render the report; returns the exit code (0, 1 or 2).

    Configuration problems (bad packs, unknown selectors, an unreadable baseline) raise
    :class:`ConfigError` before anything is linted.  Input errors are collected, reported
    after the findings, and make the exit code 2.  ``fix``/``unsafe_fixes`` rewrite
    ``.txt``/``.md`` replies atomically; ``diff`` prints the fixes and writes nothing.
    """
    from .engine import Linter
    from .formatters import FORMATS, render
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    linter = Linter(cfg)
    check_selectors(linter, cfg)
    if cfg.lang and cfg.lang not in linter.languages:
        raise ConfigError(f"lang {cfg.lang!r} has no rule pack (loaded: {', '.join(linter.languages)})",
                          cfg.origin("lang") if cfg.origin("lang") != "default" else None)
    remaining = load_baseline(baseline) if baseline else None
    keyer = _Keyer(linter, baseline) if baseline else None
    errors: list[InputError] = []
    results: list[ReplyResult] = []
    fix_texts: dict[str, tuple[str, str]] = {}
    want_fixes = fix or unsafe_fixes or diff
    inputs = iter_inputs(paths, cfg, input_format=input_format, text_column=text_column,
                         id_column=id_column, skip=[baseline, output])
    for res in lint_inputs(linter, inputs, errors):
        if want_fixes and fixable(res.record):
            new, applied = apply_fixes(res.record.text, res.findings, unsafe_fixes)
            if applied:
                fix_texts[res.record.source] = (res.record.text, new)
                if not diff:  # re-linted after writing; the baseline applies then
                    results.append(res)
                    continue
        if remaining is not None:
            apply_baseline(res, remaining, keyer)
        results.append(res)
    for res in results:
        settings = linter._settings_for(res.record) if cfg.overrides else None
        for line, col, msg in unused_suppression_notices(res, linter, settings):
            _report_notice(fmt, res.record.source, res.record.id, line, col, msg)
    if diff:
        stream = out or sys.stdout
        for src, (old, new) in fix_texts.items():
            stream.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                   f"a/{src}", f"b/{src}"))
        for e in errors:
            sys.stderr.write(f"{e}\n")
        if errors:
            return 2
        return 1 if fix_texts else 0
    if fix or unsafe_fixes:
        fixed = 0
        for i, res in enumerate(results):
            src = res.record.source
            if src not in fix_texts:
                continue
            old, new = fix_texts[src]
            problem = write_fix(Path(src), old, new)
            if problem is not None:
                errors.append(InputError(src, problem))
                if remaining is not None:
                    apply_baseline(res, remaining, keyer)
                continue
            fixed += 1
            # Report what is left, placed in the new text.
            from .records import Record, TextLocator
            rec = res.record
            again = linter.lint_record(Record(id=rec.id, text=new, source=rec.source, lang=rec.lang,
                                              meta=rec.meta, locator=TextLocator(new),
                                              suppress=rec.suppress, dialect=rec.dialect))
            if remaining is not None:
                apply_baseline(again, remaining, keyer)
            results[i] = again
        if fixed:
            sys.stderr.write(f"replylint: fixed {fixed} file(s)\n")
    run = RunResult(results, errors, linter.rules)
    fail_level = cfg.fail_on if cfg.fail_on != "never" else None
    if output is not None:
        import io
        buf = io.StringIO()
        render(fmt, run, out=buf, color=False, statistics=statistics, show_source=show_source,
               fail_level=fail_level)
        atomic_write(output, buf.getvalue())
    else:
        render(fmt, run, out=out or sys.stdout, color=color, statistics=statistics,
               show_source=show_source, fail_level=fail_level)
    if fmt not in ("text", "github") or output is not None:
        # text and github output list input errors themselves; elsewhere say it on stderr too
        for e in errors:
            sys.stderr.write(f"{e}\n")
    if errors:
        return 2
    return 1 if fails(run.findings, cfg.fail_on) else 0


def sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]
