"""``existence``: flag each occurrence of a phrase pattern or regular expression.
``substitution``: a word list with one plain replacement each ("indien" -> "als").
"""
from __future__ import annotations

from ..patterns import parse_all
from ..yamlpos import ConfigError, Opt, where
from .base import PatternKind, RuleKind, register


@register
class Existence(PatternKind):
    name = "existence"

    def find(self, reply):
        lo, hi = reply.scope(self.scope)
        seen = []
        for s, e in reply.matches(self.index, "patterns"):
            if lo <= s and e <= hi and not any(s < pe and ps < e for ps, pe in seen):
                seen.append((s, e))
        for rx in self.cond.regexes:
            for m in rx.finditer(reply.clean, lo, hi):
                s, e = m.span()
                if e > s and not any(s < pe and ps < e for ps, pe in seen):
                    seen.append((s, e))
                    reply.groups[(self.id, s)] = {k: v for k, v in m.groupdict().items() if v is not None}
        seen.sort()
        for s, e in seen:
            yield s, e, reply.groups.pop((self.id, s), {})


@register
class Substitution(RuleKind):
    name = "substitution"
    OPTIONS = {
        "swap": Opt(dict, required=True,
                    doc="mapping of phrase pattern -> plain replacement; the replacement becomes "
                        "the first suggestion ({replacement} in the message)"),
    }

    def __init__(self, rule_id, opts, src, pack):
        super().__init__(rule_id, opts, src, pack)
        swap = opts["swap"]
        self.replacements: list[str] = []
        self.phrases = []
        for pat, repl in swap.items():
            if not isinstance(pat, str) or not isinstance(repl, str):
                raise ConfigError("swap: keys and values must be strings", **where(swap, pat))
            try:
                self.phrases.append(parse_all(pat))
            except ValueError as e:
                raise ConfigError(f"swap: {e}", **where(swap, pat)) from None
            self.replacements.append(repl)
        if not self.suggestions:
            self.suggestions = ("{replacement}",)

    def phrase_slots(self):
        slots = super().phrase_slots()
        for i, variants in enumerate(self.phrases):
            slots[f"swap{i}"] = variants
        return slots

    def find(self, reply):
        lo, hi = reply.scope(self.scope)
        out = []
        for i, repl in enumerate(self.replacements):
            for s, e in reply.matches(self.index, f"swap{i}"):
                if lo <= s and e <= hi:
                    out.append((s, e, {"replacement": repl}))
        out.sort(key=lambda t: (t[0], -t[1]))
        last = -1
        for s, e, v in out:
            if s >= last:
                last = e
                yield s, e, v
