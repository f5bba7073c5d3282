"""The base of every rule kind: common options declared as data, pattern bookkeeping for the
shared spaCy Matcher, and the one way a kind turns a match into a :class:`Finding`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterator

from ..finding import CATEGORIES, Finding, Fix, Severity
from ..patterns import Elem
from ..yamlpos import ConfigError, Opt, where

KINDS: dict[str, type["RuleKind"]] = {}


def register(cls: type["RuleKind"]) -> type["RuleKind"]:
    KINDS[cls.name] = cls
    return cls


def _check_examples(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be a mapping with 'fail' and 'pass' lists"
    for k in value:
        if k not in ("fail", "pass"):
            return f"has unknown key {k!r} (expected 'fail' and 'pass')"
        items = value[k]
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            return f"{k!r} must be a list of strings"
    return None


SCOPES = ("body", "all", "opening", "closing")

COMMON: dict[str, Opt] = {
    "kind": Opt(str, required=True, doc="existence, substitution, required, consistency, jargon, "
                                       "sentence-length or placeholder"),
    "category": Opt(str, required=True, choices=CATEGORIES, doc="one of the categories of CATEGORIES.md"),
    "severity": Opt(str, default="warning", choices=("error", "warning", "info")),
    "message": Opt(str, required=True, doc="shown per finding; may use {match}"),
    "description": Opt(str, default="", doc="why this matters; shown by `rules explain`"),
    "suggestions": Opt("list[str]", default=list, doc="positive rewrites; may use {match} and regex groups"),
    "fix": Opt(str, default="none", choices=("none", "safe", "unsafe"),
               doc="apply the first suggestion as a replacement with --fix (safe) or --unsafe-fixes"),
    "examples": Opt(dict, default=dict, check=_check_examples, doc="texts that must flag (fail) and pass"),
    "scope": Opt(str, default=None, choices=SCOPES,
                 doc="where the rule looks: body (between salutation and sign-off), all, opening, closing"),
    "unless": Opt("list[str]", default=list,
                  doc="patterns that cancel a match in the same sentence ('re:' prefix for a regex)"),
    "unless_window": Opt(int, default=0,
                         doc="also look for 'unless' patterns in this many following sentences"),
    "unless_before": Opt(int, default=0,
                         doc="also look for 'unless' patterns in this many preceding sentences"),
    "unless_scope": Opt(str, default="sentence", choices=("sentence", "clause"),
                        doc="where 'unless' cancels a match: its whole sentence, or only its clause "
                            "(clauses split at ; : and at ', maar/dan/but/then …')"),
    "when": Opt("list[str]", default=list,
                doc="a match only counts if its sentence also contains one of these patterns"),
    "unless_reply": Opt("list[str]", default=list,
                        doc="patterns that cancel the rule for the whole reply ('re:' prefix for a regex)"),
    "enabled": Opt(bool, default=True),
}


def compile_regex(pattern: str, container, key, idx: int | None, case_sensitive: bool = False):
    """RE2: linear time, so a user's pattern can never hang the linter."""
    import re2
    opts = re2.Options()
    opts.log_errors = False
    opts.case_sensitive = case_sensitive
    try:
        return re2.compile(pattern, opts)
    except Exception as e:  # re2.error
        msg = e.args[0].decode() if e.args and isinstance(e.args[0], bytes) else str(e)
        seq = container.get(key) if isinstance(container, dict) else None
        loc = where(seq, idx) if seq is not None and idx is not None else where(container, key)
        raise ConfigError(f"{key}: regular expression {pattern!r} does not compile: {msg}", **loc) from None


@dataclass(slots=True)
class Cond:
    """A list of patterns: phrase patterns go to the shared Matcher, 're:' ones are RE2."""

    phrases: list[tuple[Elem, ...]] = field(default_factory=list)
    regexes: list[Any] = field(default_factory=list)

    @classmethod
    def parse(cls, items: list[str], container, key: str, case_sensitive: bool = False) -> "Cond":
        from ..patterns import parse_all
        c = cls()
        seq = container.get(key) if isinstance(container, dict) else None
        for i, item in enumerate(items):
            if item.startswith("re:"):
                c.regexes.append(compile_regex(item[3:], container, key, i, case_sensitive))
                continue
            try:
                c.phrases.extend(parse_all(item))
            except ValueError as e:
                loc = where(seq, i) if seq is not None else where(container, key)
                raise ConfigError(f"{key}[{i}]: {e}", **loc) from None
        return c

    def __bool__(self) -> bool:
        return bool(self.phrases or self.regexes)


class RuleKind:
    """A compiled rule.  Subclasses declare ``name``, ``OPTIONS`` and implement ``find``."""

    name: ClassVar[str] = ""
    OPTIONS: ClassVar[dict[str, Opt]] = {}
    default_scope: ClassVar[str] = "body"

    def __init__(self, rule_id: str, opts: dict, src: dict, pack):
        self.id = rule_id
        self.pack = pack
        self.category: str = opts["category"]
        self.severity = Severity.parse(opts["severity"])
        self.message: str = opts["message"]
        self.description: str = opts["description"] or ""
        self.suggestions: tuple[str, ...] = tuple(opts["suggestions"] or ())
        self.fix_mode: str = opts["fix"]
        self.examples: dict = opts["examples"] or {}
        self.scope: str = opts["scope"] or self.default_scope
        self.enabled: bool = opts["enabled"]
        self.opts = opts
        self.src = src
        self.unless = Cond.parse(opts["unless"], src, "unless")
        self.unless_reply = Cond.parse(opts["unless_reply"], src, "unless_reply")
        self.unless_window: int = opts["unless_window"]
        self.unless_before: int = opts["unless_before"]
        self.unless_clause: bool = opts["unless_scope"] == "clause"
        self.when = Cond.parse(opts["when"], src, "when")
        self.index = -1  # set by the linter: slot in the shared matcher

    # -- phrase patterns for the shared matcher ----------------------------------------------
    def phrase_slots(self) -> dict[str, list[tuple[Elem, ...]]]:
        """Named lists of parsed phrase patterns this rule wants matched."""
        slots = {}
        if self.unless.phrases:
            slots["unless"] = self.unless.phrases
        if self.unless_reply.phrases:
            slots["unless_reply"] = self.unless_reply.phrases
        if self.when.phrases:
            slots["when"] = self.when.phrases
        return slots

    def keep(self, reply, start: int) -> bool:
        """Apply ``when`` and ``unless`` (with its window) to a match starting at ``start``."""
        if not (self.when or self.unless):
            return True
        ss, se = reply.sentence_span(start)
        if self.when and not self.cond_in(self.when, reply, "when", ss, se):
            return False
        if self.unless:
            if self.unless_clause:
                ss, se = reply.clause_span(start, ss, se)
            if self.unless_window:
                se = reply.sentence_end_after(start, self.unless_window)
            if self.unless_before:
                ss = reply.sentence_start_before(start, self.unless_before)
            if self.cond_in(self.unless, reply, "unless", ss, se):
                return False
        return True

    # -- running -----------------------------------------------------------------------------
    def find(self, reply) -> Iterator[tuple[int, int, dict]]:
        """Yield (start, end, template variables) for each problem in ``reply``."""
        raise NotImplementedError

    def cond_in(self, cond: Cond, reply, slot: str, start: int, end: int) -> bool:
        for s, e in reply.matches(self.index, slot):
            if s < end and start < e:
                return True
        if cond.regexes:
            for rx in cond.regexes:
                if rx.search(reply.clean, start, end):
                    return True
        return False

    def check(self, reply) -> Iterator[Finding]:
        if self.unless_reply and self.cond_in(self.unless_reply, reply, "unless_reply", 0, len(reply.text)):
            return
        for start, end, variables in self.find(reply):
            if self.keep(reply, start):
                yield self.finding(reply, start, end, variables)

    def finding(self, reply, start: int, end: int, variables: dict | None = None) -> Finding:
        match = reply.text[start:end]
        variables = {"match": match, **(variables or {})}
        message = _render(self.message, variables)
        suggestions = tuple(_render(s, variables, match) for s in self.suggestions)
        fix = None
        if self.fix_mode != "none" and suggestions and end > start:
            fix = Fix(start, end, suggestions[0], safe=self.fix_mode == "safe")
        return Finding(self.id, self.category, self.severity, message, start, end, match,
                       suggestions, fix)


class PatternKind(RuleKind):
    """A kind driven by ``patterns`` (phrase patterns, 're:' for RE2) and ``regex``."""

    OPTIONS: ClassVar[dict[str, Opt]] = {
        "patterns": Opt("list[str]", default=list,
                        doc="phrase patterns (see README: pattern language); 're:' prefix for RE2"),
        "regex": Opt("list[str]", default=list, doc="RE2 regular expressions over the text"),
        "case_sensitive": Opt(bool, default=False, doc="regexes are case-insensitive unless set"),
    }

    def __init__(self, rule_id, opts, src, pack):
        super().__init__(rule_id, opts, src, pack)
        self.cond = Cond.parse(opts["patterns"], src, "patterns", opts["case_sensitive"])
        extra = Cond.parse([f"re:{r}" for r in opts["regex"]], src, "regex", opts["case_sensitive"])
        self.cond.regexes.extend(extra.regexes)
        if not self.cond:
            raise ConfigError(f"rule {rule_id}: a {self.name} rule needs 'patterns' or 'regex'", **where(src))

    def phrase_slots(self):
        slots = super().phrase_slots()
        if self.cond.phrases:
            slots["patterns"] = self.cond.phrases
        return slots


_FIELD = re.compile(r"\{(\w+)\}")


def _render(template: str, variables: dict, match: str | None = None) -> str:
    out = _FIELD.sub(lambda m: str(variables.get(m.group(1), m.group(0))), template) \
        if "{" in template else template
    if match and out and match[:1].isupper() and out[:1].islower():
        out = out[0].upper() + out[1:]
    elif match and out and match[:1].islower() and out[:1].isupper() and not template.startswith("{"):
        # mid-sentence match: keep the rewrite lowercase unless it starts with a proper noun/acronym
        if len(out) > 1 and not out[1].isupper():
            pass
    return out


class Sentences:
    """Sentence start offsets for quick lookup."""

    __slots__ = ("starts", "ends")

    def __init__(self, spans: list[tuple[int, int]]):
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def start_before(self, offset: int, n: int) -> int:
        i = max(bisect.bisect_right(self.starts, offset) - 1 - n, 0)
        return self.starts[i] if self.starts else 0

    def end_after(self, offset: int, n: int) -> int:
        i = bisect.bisect_right(self.starts, offset) - 1 + n
        i = min(max(i, 0), len(self.ends) - 1)
        return self.ends[i] if self.ends else offset

    def span(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return (0, self.ends[0] if self.ends else offset)
        return self.starts[i], self.ends[i]
