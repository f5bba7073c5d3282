"""``placeholder``: template placeholders that will reach the customer broken (unbalanced or
malformed delimiters, variables unknown to the helpdesk's dialect, a name without fallback in
the greeting, an empty salutation).  The dialect comes from the record (helpdesk exports), the
configuration (``dialect:``), or is left unset (then unknown-variable checks are skipped)."""
from __future__ import annotations

from ..placeholders import PROBLEM_CODES as CODES
from ..placeholders import check_placeholders
from ..yamlpos import Opt
from .base import RuleKind, register


@register
class Placeholder(RuleKind):
    name = "placeholder"
    default_scope = "all"
    OPTIONS = {
        "checks": Opt("list[str]", default=lambda: list(CODES), choices=CODES,
                      doc="which placeholder problems this rule reports"),
        "messages": Opt("dict[str,str]", default=dict,
                        doc="message per problem code (in the pack's language); {detail} is the "
                            "checker's own English description, {suggestion} the corrected form"),
    }

    def __init__(self, rule_id, opts, src, pack):
        super().__init__(rule_id, opts, src, pack)
        self.checks = frozenset(opts["checks"])
        self.messages = dict(opts["messages"] or {})
        for code in self.messages:
            if code not in CODES:
                from ..yamlpos import ConfigError, where
                raise ConfigError(f"messages: unknown problem code {code!r} (known: {', '.join(CODES)})",
                                  **where(src, "messages"))

    def find(self, reply):
        text = reply.text
        if not any(c in text for c in "{}%#[$,"):
            return
        problems = reply.groups.get("placeholders")
        if problems is None:  # one check per reply, shared by every placeholder rule
            problems = reply.groups["placeholders"] = check_placeholders(
                text, reply.dialect, known_variables=reply.settings.get("variables") or None,
                greeting_end=reply.prep.greeting_end or None)
        for p in problems:
            if p.code in self.checks:
                yield p.start, p.end, {"detail": p.message, "code": p.code,
                                       "suggestion": p.suggestion or ""}

    def finding(self, reply, start, end, variables=None):
        f = super().finding(reply, start, end, variables)
        code = (variables or {}).get("code")
        if code in self.messages:
            from .base import _render
            values = {"match": f.match, **(variables or {})}
            values["suggestion"] = values.get("suggestion") or "?"
            f = f.placed(message=_render(self.messages[code], values))
        sugg = (variables or {}).get("suggestion")
        if sugg and sugg not in f.suggestions:
            f = f.placed(suggestions=(sugg,) + tuple(s for s in f.suggestions if s != sugg))
        return f
