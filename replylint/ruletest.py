"""Run the examples every rule carries: each ``fail`` text must produce a finding of that rule,
each ``pass`` text must not.  Used by ``replylint rules test`` and by the test suite."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExampleCase:
    rule_id: str
    lang: str
    text: str
    should_flag: bool

    @property
    def label(self) -> str:
        return f"{self.rule_id} {'fail' if self.should_flag else 'pass'}: {self.text[:60]!r}"


def cases(linter, packs: set[str] | None = None) -> list[ExampleCase]:
    out = []
    for rule in linter.all_rules:
        if packs is not None and rule.pack.name not in packs:
            continue
        lang = rule.pack.language if rule.pack.language != "*" else None
        for text in (rule.examples or {}).get("fail", []) or []:
            out.append(ExampleCase(rule.id, lang, text, True))
        for text in (rule.examples or {}).get("pass", []) or []:
            out.append(ExampleCase(rule.id, lang, text, False))
    return out


def missing_examples(linter, packs: set[str] | None = None) -> list[str]:
    out = []
    for rule in linter.all_rules:
        if packs is not None and rule.pack.name not in packs:
            continue
        ex = rule.examples or {}
        if not ex.get("fail") or not ex.get("pass"):
            out.append(f"{rule.id}: needs at least one 'fail' and one 'pass' example")
    return out


def check_case(linter, case: ExampleCase) -> str | None:
    """None when the case holds, else a message."""
    findings = linter.lint(case.text, case.lang)
    hits = [f for f in findings if f.rule == case.rule_id]
    if case.should_flag and not hits:
        got = ", ".join(sorted({f.rule for f in findings})) or "nothing"
        return f"{case.label} was not flagged (got: {got})"
    if not case.should_flag and hits:
        return f"{case.label} was flagged: {hits[0].match!r}"
    return None


def run_examples(linter, packs: set[str] | None = None) -> tuple[list[str], int, list[str]]:
    all_cases = cases(linter, packs)
    failures = [m for c in all_cases if (m := check_case(linter, c))]
    return failures, len(all_cases), missing_examples(linter, packs)
