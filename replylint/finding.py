"""The one problem type that flows from rules through the linter to every formatter.

A :class:`Finding` is immutable.  Rules produce findings with character offsets into the
reply text (``start``/``end``); the linter then places them (``reply_id``, ``source``,
``line``/``column``) with :meth:`Finding.placed`.  Formatters only read findings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

#: The public category contract (../shared/CATEGORIES.md).  Order is the documented order.
CATEGORIES: tuple[str, ...] = (
    "greeting", "acknowledgement", "reassurance", "blame", "brush-off", "policy", "jargon",
    "condescension", "deflection", "channel-switch", "transfer", "vague-timing",
    "hollow-apology", "negative-language", "formality", "internal-talk",
    "readability", "placeholder", "closing",
)

#: Categories whose findings must carry at least one positive rewrite.
REWRITE_CATEGORIES: frozenset[str] = frozenset({
    "brush-off", "policy", "blame", "negative-language", "vague-timing",
    "hollow-apology", "condescension", "deflection",
})


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        try:
            return cls(str(value).lower() if not isinstance(value, Severity) else value)
        except ValueError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None

    def __str__(self) -> str:  # so f-strings print "warning", not "Severity.WARNING"
        return self.value


_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}


@dataclass(frozen=True, slots=True)
class Fix:
    """A straight replacement of ``text[start:end]`` by ``replacement``.

    ``safe`` fixes keep the meaning (officialese -> plain word) and are applied by ``--fix``;
    unsafe ones (rewording an attitude) only with ``--unsafe-fixes``.
    """

    start: int
    end: int
    replacement: str
    safe: bool = False


class Finding(NamedTuple):
    """One finding.  Immutable (a NamedTuple: as safe as a frozen dataclass and several times
    cheaper to build, which matters at thousands of replies a second)."""

    rule: str
    category: str
    severity: Severity
    message: str
    start: int
    end: int
    match: str
    suggestions: tuple[str, ...] = ()
    fix: Fix | None = None
    # placement, filled in by the linter
    reply_id: str = ""
    source: str = ""
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1

    def placed(self, **kw) -> "Finding":
        """A copy with some fields changed."""
        return self._replace(**kw)

    def to_dict(self) -> dict:
        """The JSON report shape (see README and replylint/data/report.schema.json)."""
        fx = self.fix
        return {
            "reply_id": self.reply_id,
            "source": self.source,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.value,
            "message": self.message,
            "match": self.match,
            "suggestions": list(self.suggestions),
            "fix": None if fx is None else {"start": fx.start, "end": fx.end,
                                            "replacement": fx.replacement, "safe": fx.safe},
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Finding":
        fix = d.get("fix")
        return cls(
            rule=d["rule"], category=d["category"], severity=Severity.parse(d["severity"]),
            message=d["message"], start=d["start"], end=d["end"], match=d.get("match", ""),
            suggestions=tuple(d.get("suggestions", ())), fix=Fix(**fix) if fix else None,
            reply_id=d.get("reply_id", ""), source=d.get("source", ""),
            line=d.get("line", 1), column=d.get("column", 1),
            end_line=d.get("end_line", 1), end_column=d.get("end_column", 1),
        )


@dataclass(frozen=True, slots=True)
class InputError:
    """A problem with the input (unreadable file, bad JSONL line, malformed export).

    Reported, never fatal for the rest of the run; the CLI exits 2 at the end.
    """

    source: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        pos = "".join(f":{p}" for p in (self.line, self.column) if p is not None)
        return f"{self.source}{pos}: {self.message}"

    def to_dict(self) -> dict:
        return {"source": self.source, "line": self.line, "column": self.column, "message": self.message}


__all__ = ["CATEGORIES", "REWRITE_CATEGORIES", "Severity", "Fix", "Finding", "InputError", "field"]
