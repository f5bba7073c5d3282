"""``sentence-length``: sentences longer than ``max_words`` words (B1 plain-language guidance
puts comfortable reading at 15-20 words a sentence)."""
from __future__ import annotations

from ..yamlpos import Opt
from .base import RuleKind, register


@register
class SentenceLength(RuleKind):
    name = "sentence-length"
    OPTIONS = {"max_words": Opt(int, default=25, doc="longest acceptable sentence, in words")}

    def __init__(self, rule_id, opts, src, pack):
        super().__init__(rule_id, opts, src, pack)
        self.max_words = opts["max_words"]

    def find(self, reply):
        lo, hi = reply.scope(self.scope)
        for (s, e), n in zip(reply.sentence_spans, reply.sentence_words):
            if n > self.max_words and lo <= s and e <= hi:
                yield s, e, {"words": n, "max_words": self.max_words}
