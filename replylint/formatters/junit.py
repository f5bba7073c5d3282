"""JUnit XML: one ``<testsuite>`` per source file, one ``<testcase>`` per reply
(classname = source, name = reply id).  A reply with findings at or above the fail level gets
one ``<failure>`` listing them; findings below it are listed in the test case's
``<system-out>``.  Input errors become test cases with an ``<error>``.  Stdlib only.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import IO, TYPE_CHECKING

from ..finding import Finding, InputError, Severity
from ._common import STDIN, gc_paused, plural

if TYPE_CHECKING:  # pragma: no cover
    from ..results import ReplyResult, RunResult

# characters XML 1.0 does not allow, even escaped
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _x(s: str) -> str:
    return _INVALID_XML.sub("\ufffd", s)


def _source_name(source: str) -> str:
    return "<stdin>" if source in ("", STDIN) else source


def _finding_line(f: Finding) -> str:
    line = f"{f.source}:{f.line}:{f.column}: {f.severity} {f.category} [{f.rule}] {f.message}".replace("\n", "\n    ")
    if f.match:
        line += f"\n    match: {f.match!r}"
    line += "".join(f"\n    → {s}" for s in f.suggestions)
    return line


def _reply_case(suite: ET.Element, r: "ReplyResult", fail_rank: int) -> tuple[int, int]:
    source = _source_name(r.record.source)
    case = ET.SubElement(suite, "testcase", classname=_x(source), name=_x(r.record.id or source), time="0")
    failing = [f for f in r.findings if f.severity.rank >= fail_rank]
    other = [f for f in r.findings if f.severity.rank < fail_rank]
    if failing:
        worst = max(failing, key=lambda f: f.severity.rank).severity
        rules = sorted({f.rule for f in failing})
        message = f"{plural(len(failing), 'finding')}: {', '.join(rules)}"
        failure = ET.SubElement(case, "failure", message=_x(message), type=worst.value)
        failure.text = _x("\n".join(_finding_line(f) for f in failing))
    if other:
        ET.SubElement(case, "system-out").text = _x("\n".join(_finding_line(f) for f in other))
    return 1, 1 if failing else 0


def _error_case(suite: ET.Element, e: InputError) -> None:
    source = _source_name(e.source)
    pos = "".join(f":{p}" for p in (e.line, e.column) if p is not None)
    case = ET.SubElement(suite, "testcase", classname=_x(source), name=_x(f"input error{pos or ''}"), time="0")
    err = ET.SubElement(case, "error", message=_x(e.message), type="InputError")
    err.text = _x(str(e))


def build(run: "RunResult", fail_level: Severity | None = Severity.WARNING) -> ET.Element:
    """``fail_level`` None: nothing fails (findings go to ``<system-out>``)."""
    fail_rank = fail_level.rank if fail_level is not None else 99
    by_source: dict[str, tuple[list, list]] = {}
    for r in run.results:
        by_source.setdefault(r.record.source, ([], []))[0].append(r)
    for e in run.errors:
        by_source.setdefault(e.source, ([], []))[1].append(e)

    root = ET.Element("testsuites", name="replylint")
    total_tests = total_failures = total_errors = 0
    for source, (replies, errors) in by_source.items():
        suite = ET.SubElement(root, "testsuite", name=_x(_source_name(source)))
        tests = failures = 0
        for r in replies:
            t, fl = _reply_case(suite, r, fail_rank)
            tests += t
            failures += fl
        for e in errors:
            _error_case(suite, e)
        tests += len(errors)
        suite.attrib.update(tests=str(tests), failures=str(failures), errors=str(len(errors)),
                            skipped="0", time="0")
        total_tests += tests
        total_failures += failures
        total_errors += len(errors)
    root.attrib.update(tests=str(total_tests), failures=str(total_failures), errors=str(total_errors),
                       time="0")
    return root


def render(run: "RunResult", *, out: IO[str], fail_level: Severity | None = Severity.WARNING,
           **_: object) -> None:
    with gc_paused():
        root = build(run, fail_level)
        ET.indent(root)
        xml = ET.tostring(root, encoding="unicode")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(xml)
    out.write("\n")
