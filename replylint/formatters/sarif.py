"""SARIF 2.1.0 (OASIS) output: one run, rules as reportingDescriptors, results with
physical locations, fixes and partial fingerprints, input errors as tool execution
notifications.  Stdlib only.

Columns are Unicode code points (``run.columnKind = "unicodeCodePoints"``); end columns are
exclusive, as in SARIF.  Paths below the current directory are written relative to the
``%SRCROOT%`` base id (which ``originalUriBaseIds`` maps to the current directory).

Snippets and fixes are only emitted when the reply text is a verbatim slice of the source
file (a :class:`~replylint.records.TextLocator`): for a JSONL record or HTML the file holds
escaped text, so a region-level replacement would corrupt it.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import quote

from .. import __version__
from ..finding import Finding, Severity
from ..records import Record, TextLocator
from ._common import gc_paused, is_zero_width_placement, relative_source

if TYPE_CHECKING:  # pragma: no cover
    from ..results import RuleInfo, RunResult

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "replylint/v1"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def rule_name(rule_id: str) -> str:
    """A PascalCase name for a rule id (``nl.brush-off.weet-niet`` -> ``NlBrushOffWeetNiet``)."""
    parts = "".join(c if c.isalnum() else " " for c in rule_id).split()
    return "".join(p[:1].upper() + p[1:] for p in parts) or rule_id


def _descriptor(rule_id: str, category: str, severity: Severity, message: str, description: str = "",
                suggestions: tuple[str, ...] = (), extra: dict | None = None) -> dict:
    full = description or message
    help_text = full
    help_md = full
    if suggestions:
        help_text += "\n\nSuggestions:\n" + "\n".join(f"- {s}" for s in suggestions)
        help_md += "\n\n**Suggestions:**\n\n" + "\n".join(f"- {s}" for s in suggestions)
    props = {"category": category, "tags": [category]}
    for key, value in (extra or {}).items():
        if value:
            props[key] = value
    return {
        "id": rule_id,
        "name": rule_name(rule_id),
        "shortDescription": {"text": message or rule_id},
        "fullDescription": {"text": full or rule_id},
        "help": {"text": help_text or rule_id, "markdown": help_md or rule_id},
        "defaultConfiguration": {"level": LEVEL[severity]},
        "properties": props,
    }


def descriptor_from_info(info: "RuleInfo") -> dict:
    return _descriptor(info.id, info.category, info.severity, info.message, info.description,
                       info.suggestions, {"pack": info.pack, "lang": info.lang, "kind": info.kind})


def descriptor_from_finding(f: Finding) -> dict:
    """For a finding whose rule is not in ``run.rules`` (should not happen, but stay valid)."""
    return _descriptor(f.rule, f.category, f.severity, f.message)


class _Artifacts:
    """Caches artifactLocation objects per source."""

    def __init__(self, cwd: Path):
        self.cwd = cwd
        self._cache: dict[str, dict] = {}
        self.uses_srcroot = False

    def location(self, source: str) -> dict:
        loc = self._cache.get(source)
        if loc is None:
            rel = relative_source(source, self.cwd)
            if rel is None:
                loc = {"description": {"text": "standard input"}}
            elif Path(rel).is_absolute():
                loc = {"uri": Path(rel).as_uri()}
            else:
                loc = {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}
                self.uses_srcroot = True
            self._cache[source] = loc
        return loc


def _verbatim(record: Record | None) -> bool:
    return record is not None and (record.locator is None or isinstance(record.locator, TextLocator))


def _region(f: Finding, verbatim: bool) -> dict:
    if is_zero_width_placement(f):
        # a record placed on one line (JSONL/CSV): the whole line is the best we can say
        return {"startLine": f.line, "endLine": f.end_line}
    region = {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column}
    if verbatim:
        region["snippet"] = {"text": f.match}
    return region


def _fix(f: Finding, record: Record, artifact: dict) -> dict:
    fx = f.fix
    assert fx is not None
    sl, sc = record.position(fx.start)
    el, ec = record.position(fx.end)
    old = record.text[fx.start:fx.end]
    return {
        "description": {"text": f"Replace {old!r} with {fx.replacement!r}" if old else
                        f"Insert {fx.replacement!r}"},
        "artifactChanges": [{
            "artifactLocation": artifact,
            "replacements": [{
                "deletedRegion": {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec},
                "insertedContent": {"text": fx.replacement},
            }],
        }],
        "properties": {"safe": fx.safe},
    }


def fingerprint(f: Finding) -> str:
    """Stable over line moves: depends on the reply id, the rule and the matched text only."""
    key = "\x00".join((f.reply_id, f.rule, f.match))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def build(run: "RunResult", cwd: Path | None = None) -> dict:
    """The SARIF log as a dict."""
    cwd = cwd or Path.cwd()
    artifacts = _Artifacts(cwd)
    rules: list[dict] = []
    index: dict[str, int] = {}
    for rule_id, info in run.rules.items():
        index[info.id] = len(rules)
        rules.append(descriptor_from_info(info))

    results: list[dict] = []
    seen: dict[str, int] = {}
    for r in run.results:
        verbatim = _verbatim(r.record)
        for f in r.findings:
            idx = index.get(f.rule)
            if idx is None:
                idx = index[f.rule] = len(rules)
                rules.append(descriptor_from_finding(f))
            artifact = artifacts.location(f.source)
            text = f.message
            if f.suggestions:
                text += "".join(f"\n→ {s}" for s in f.suggestions)
            fp = fingerprint(f)
            n = seen[fp] = seen.get(fp, 0) + 1
            result = {
                "ruleId": f.rule,
                "ruleIndex": idx,
                "level": LEVEL[f.severity],
                "message": {"text": text},
                "locations": [{"physicalLocation": {"artifactLocation": artifact,
                                                    "region": _region(f, verbatim)}}],
                "partialFingerprints": {FINGERPRINT_KEY: f"{fp}:{n}"},
                "properties": {"category": f.category, "replyId": f.reply_id, "match": f.match,
                               "suggestions": list(f.suggestions)},
            }
            if f.fix is not None and verbatim and "uri" in artifact:
                result["fixes"] = [_fix(f, r.record, artifact)]
            results.append(result)

    notifications = []
    for e in run.errors:
        phys: dict = {"artifactLocation": artifacts.location(e.source)}
        if e.line is not None:
            phys["region"] = {"startLine": e.line}
            if e.column is not None:
                phys["region"]["startColumn"] = e.column
        notifications.append({
            "level": "error",
            "message": {"text": e.message},
            "locations": [{"physicalLocation": phys}],
            "descriptor": {"id": "input-error"},
        })
    invocation: dict = {"executionSuccessful": not run.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    sarif_run: dict = {
        "tool": {"driver": {
            "name": "replylint",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": rules,
        }},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if artifacts.uses_srcroot:
        sarif_run["originalUriBaseIds"] = {SRCROOT: {"uri": cwd.as_uri().rstrip("/") + "/"}}
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [sarif_run]}


def render(run: "RunResult", *, out: IO[str], **_: object) -> None:
    # compact: the C encoder is ~4x faster than indent=2, and SARIF is read by tools
    with gc_paused():
        out.write(json.dumps(build(run), ensure_ascii=False, separators=(",", ":")))
    out.write("\n")
