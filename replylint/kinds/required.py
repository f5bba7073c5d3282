"""``required``: something from a set must be present (a greeting in the opening, an
acknowledgement, a next step, a closing line); one whole-reply finding when it is not."""
from __future__ import annotations

from ..yamlpos import Opt
from .base import PatternKind, register


@register
class Required(PatternKind):
    name = "required"
    default_scope = "all"
    OPTIONS = {
        **PatternKind.OPTIONS,
        "min_words": Opt(int, default=0, doc="replies with fewer words are not checked"),
    }

    def __init__(self, rule_id, opts, src, pack):
        super().__init__(rule_id, opts, src, pack)
        self.min_words = opts["min_words"]

    def find(self, reply):
        if self.min_words and reply.word_count < self.min_words:
            return
        if not reply.clean.strip():
            return
        lo, hi = reply.scope(self.scope)
        for s, e in reply.matches(self.index, "patterns"):
            if lo <= s and e <= hi and self.keep(reply, s):
                return
        for rx in self.cond.regexes:
            for m in rx.finditer(reply.clean, lo, hi):
                if self.keep(reply, m.start()):
                    return
        s, e = reply.first_line
        yield s, e, {}

    def check(self, reply):
        # For a required rule, `when`/`unless` qualify the matches that satisfy it (a next step
        # in a negated sentence is no next step); `unless_reply` makes the rule not apply.
        if self.unless_reply and self.cond_in(self.unless_reply, reply, "unless_reply", 0, len(reply.text)):
            return
        for start, end, variables in self.find(reply):
            f = self.finding(reply, start, end, variables)
            # whole-reply finding: no replacement fix, the "match" is the opening line
            yield f.placed(fix=None)
