"""Results of a lint run, as handed to formatters and reports."""
from __future__ import annotations

from dataclasses import dataclass, field

from .finding import Finding, InputError, Severity
from .records import Record


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What formatters need to know about a rule (SARIF reportingDescriptor, `rules list`)."""

    id: str
    category: str
    severity: Severity
    message: str
    description: str = ""
    pack: str = ""
    lang: str = ""
    kind: str = ""
    suggestions: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "id": self.id, "category": self.category, "severity": self.severity.value,
            "message": self.message, "description": self.description, "pack": self.pack,
            "lang": self.lang, "kind": self.kind, "suggestions": list(self.suggestions),
        }


@dataclass(slots=True)
class ReplyResult:
    record: Record
    findings: list[Finding]
    lang: str = ""
    #: inline suppressions that matched nothing (reported as unused)
    unused_suppressions: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class RunResult:
    """A whole run: per-reply results, input errors, and the rules that were active."""

    results: list[ReplyResult]
    errors: list[InputError] = field(default_factory=list)
    rules: dict[str, RuleInfo] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]
