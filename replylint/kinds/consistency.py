"""``consistency``: a reply keeps to one of several forms (formal "u/uw" or informal
"je/jij/jouw").  With no preference configured, the form the reply uses most (on a tie: the
one it uses first) is the norm and each occurrence of another form is flagged; with
``formality: u`` or ``je`` in the configuration, every occurrence of the other form is."""
from __future__ import annotations

from ..patterns import parse_all
from ..yamlpos import ConfigError, Opt, where
from .base import RuleKind, register


@register
class Consistency(RuleKind):
    name = "consistency"
    OPTIONS = {
        "forms": Opt(dict, required=True,
                     doc="mapping of form name -> list of phrase patterns, e.g. u: ['=u', '=uw']"),
        "setting": Opt(str, default="formality",
                       doc="configuration key that may require one form (value 'either' = none)"),
        "skip_after_number": Opt(bool, default=True, doc="ignore matches right after a number ('24 u')"),
    }

    def __init__(self, rule_id, opts, src, pack):
        super().__init__(rule_id, opts, src, pack)
        forms = opts["forms"]
        if not isinstance(forms, dict) or len(forms) < 2:
            raise ConfigError("forms: needs at least two named forms", **where(src, "forms"))
        self.forms: dict[str, list] = {}
        for name, pats in forms.items():
            if not isinstance(pats, list) or not all(isinstance(p, str) for p in pats):
                raise ConfigError(f"forms.{name}: must be a list of phrase patterns", **where(forms, name))
            try:
                self.forms[str(name)] = [v for p in pats for v in parse_all(p)]
            except ValueError as e:
                raise ConfigError(f"forms.{name}: {e}", **where(forms, name)) from None
        self.setting = opts["setting"]
        self.skip_after_number = opts["skip_after_number"]

    def phrase_slots(self):
        slots = super().phrase_slots()
        for name, pats in self.forms.items():
            slots[f"form:{name}"] = pats
        return slots

    def find(self, reply):
        lo, hi = reply.scope(self.scope)
        hits: dict[str, list[tuple[int, int]]] = {}
        for name in self.forms:
            spans = [(s, e) for s, e in reply.matches(self.index, f"form:{name}")
                     if lo <= s and e <= hi and not (self.skip_after_number and reply.after_number(s))]
            if spans:
                hits[name] = sorted(spans)
        wanted = reply.settings.get(self.setting)
        if wanted and wanted != "either":
            if wanted not in self.forms:
                return
            norm = wanted
        else:
            if len(hits) < 2:
                return
            norm = max(hits, key=lambda n: (len(hits[n]), -hits[n][0][0]))
        for name, spans in hits.items():
            if name == norm:
                continue
            for s, e in spans:
                yield s, e, {"form": name, "norm": norm}
