"""``placeholder``: template placeholders that will reach the customer broken (unbalanced or
malformed delimiters, variables unknown to the helpdesk's dialect, a name without fallback in
the greeting, an empty salutation).  The dialect comes from the record (helpdesk exports), the
configuration (``dialect:``), or is left unset (then unknown-variable checks are skipped)."""
from __future__ import annotations

from ..placeholders import check_placeholders
from ..yamlpos import Opt
from .base import RuleKind, register

from ..placeholders import PROBLEM_CODES as CODES


@register
class Placeholder(RuleKind):
    name = "placeholder"
    default_scope = "all"
    OPTIONS = {
        "checks": Opt("list[str]", default=lambda: list(CODES), choices=CODES,
                      doc="which placeholder problems this rule reports"),
    }

    def __init__(self, rule_id, opts, src, pack):
        super().__init__(rule_id, opts, src, pack)
        self.checks = frozenset(opts["checks"])

    def find(self, reply):
        text = reply.text
        if not any(c in text for c in "{}%#[$,"):
            return
        dialect = reply.dialect
        known = reply.settings.get("variables") or None
        for p in check_placeholders(text, dialect, known_variables=known,
                                    greeting_end=reply.prep.greeting_end or None):
            if p.code in self.checks:
                yield p.start, p.end, {"detail": p.message, "code": p.code,
                                       "suggestion": p.suggestion or ""}

    def finding(self, reply, start, end, variables=None):
        f = super().finding(reply, start, end, variables)
        sugg = (variables or {}).get("suggestion")
        if sugg and sugg not in f.suggestions:
            f = f.placed(suggestions=(sugg,) + tuple(s for s in f.suggestions if s != sugg))
        return f
