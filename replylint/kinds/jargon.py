"""``jargon``: words a customer is unlikely to know.  A fixed list cannot do (every company has
its own), so a token is jargon when, outside placeholders, the salutation and the signature:

1. it is in the rule's ``reject`` vocabulary (phrase patterns: "ticket gemerged", "3rd line")
   or the configuration's ``vocabulary.reject``;
2. it looks like an internal code or acronym: two or more capitals in a short word ("SSO",
   "IdP", "KYC"), a priority/tier code ("P1", "L2"), or a hyphenated word with such a part
   ("API-token", "MX-record");
3. it is a camelCase identifier ("NameID", "userId") that is not a common word;
4. it is rare in the reply's language (below ``min_zipf`` in wordfreq) but common in a
   ``foreign`` language (English tech words in a Dutch reply: "deploy", "caching");
5. it is rare in every language considered, at least ``min_length`` letters long, and not a
   compound of common words (Dutch writes compounds as one word: "voorschotnota" is
   voorschot + nota and perfectly clear).

Capitalised words inside a sentence are treated as names and skipped; the rule's ``accept``
vocabulary and the configuration's ``vocabulary.accept`` (brand and product names) always win.
"""
from __future__ import annotations

import re

from ..lexicon import lexicon
from ..patterns import parse_all
from ..yamlpos import ConfigError, Opt, where
from .base import RuleKind, register

_ACRONYM = re.compile(r"^(?:[A-Z][A-Za-z0-9&]{1,5}|[a-z][A-Z][A-Za-z0-9]{1,4})$")
_TIER = re.compile(r"^(?:[PL][0-5]|SEV[0-5]?|Tier[0-4])$", re.I)  # ordinals ("2e lijn") via reject lists
_CAMEL = re.compile(r"^[A-Za-z]*[a-z][A-Z][A-Za-z]*$")
_LETTERS = re.compile(r"^[^\W\d_]+$")
_BRAND = re.compile(r"^(?:[A-Z][a-z]+){2,3}$|^[A-Z][a-z]+[A-Z]{2,3}$|^i[A-Z][a-z]+$|^e[A-Z][a-z]+$")
_LINKERS = ("s", "en", "e", "er")


_MISS = object()
_CACHE_MAX = 50_000
_SEPARABLE = ("terug", "door", "over", "mee", "aan", "af", "bij", "in", "na", "om", "op", "toe",
              "uit", "vast", "weg", "voor", "langs", "tegen")


@register
class Jargon(RuleKind):
    name = "jargon"
    OPTIONS = {
        "accept": Opt("list[str]", default=list, doc="everyday words and acronyms that are never jargon"),
        "reject": Opt("list[str]", default=list, doc="phrase patterns that are always jargon"),
        "acronyms": Opt(bool, default=True, doc="flag unknown acronyms and tier codes"),
        "min_zipf": Opt(float, default=2.5, doc="a word below this Zipf frequency is rare"),
        "foreign": Opt("list[str]", default=list, doc="languages whose common words are jargon here"),
        "foreign_zipf": Opt(float, default=3.0, doc="'common' in a foreign language"),
        "min_length": Opt(int, default=7, doc="shortest rare word to flag (rule 5)"),
        "rare_zipf": Opt(float, default=1.0, doc="below this Zipf frequency a word is unknown (rule 5)"),
        "min_acronym": Opt(int, default=3, doc="shortest acronym to flag (two-letter ones such as "
                                                "TV, DM, GB are mostly everyday)"),
        "compounds": Opt(bool, default=True, doc="accept compounds of common words (rule 5)"),
    }

    def __init__(self, rule_id, opts, src, pack):
        super().__init__(rule_id, opts, src, pack)
        self.accept = frozenset(w.lower() for w in opts["accept"])
        self.reject = []
        for i, p in enumerate(opts["reject"]):
            try:
                self.reject.extend(parse_all(p))
            except ValueError as e:
                raise ConfigError(f"reject[{i}]: {e}", **where(src.get("reject"), i)) from None
        self.acronyms = opts["acronyms"]
        self.min_zipf = float(opts["min_zipf"])
        self.foreign = tuple(opts["foreign"])
        self.foreign_zipf = float(opts["foreign_zipf"])
        self.min_length = opts["min_length"]
        self.rare_zipf = float(opts["rare_zipf"])
        self.min_acronym = opts["min_acronym"]
        self.compounds = opts["compounds"]
        self._common: frozenset[str] | None = None
        self._foreign: frozenset[str] | None = None
        self._lang = None
        self._cache: dict = {}

    def phrase_slots(self):
        slots = super().phrase_slots()
        if self.reject:
            slots["reject"] = self.reject
        return slots

    def _load(self, lang: str) -> None:
        if self._lang == lang:
            return
        self._lang = lang
        self._cache = {}
        self._common = lexicon(lang).common_words(self.min_zipf)
        self._known = None  # the large "any known word" set loads on first need
        foreign: set[str] = set()
        for fl in self.foreign:
            foreign |= lexicon(fl).common_words(self.foreign_zipf)
        self._foreign = frozenset(foreign)
        self._compound_cache: dict[str, bool] = {}

    def _is_compound(self, word: str, depth: int = 0) -> bool:
        """Is ``word`` made of known words ("aanmaning" + s + "kosten")?"""
        hit = self._compound_cache.get(word)
        if hit is not None:
            return hit
        common = self._known_words()
        ok = False
        n = len(word)
        for p in _SEPARABLE:  # Dutch separable verbs: "navraagt" = na + vraagt
            if word.startswith(p) and len(word) - len(p) >= 3 and word[len(p):] in common:
                self._compound_cache[word] = True
                return True
        for i in range(3, n - 2):
            right = word[i:]
            if right not in common and not (depth == 0 and len(right) >= 6 and self._is_compound(right, 1)):
                continue
            left = word[:i]
            if left in common:
                ok = True
                break
            for link in _LINKERS:
                if left.endswith(link) and len(left) - len(link) >= 3 and left[: -len(link)] in common:
                    ok = True
                    break
            if ok:
                break
        if len(self._compound_cache) >= _CACHE_MAX:
            self._compound_cache.clear()
        self._compound_cache[word] = ok
        return ok

    def _judge(self, word: str, sentence_start: bool, accept, reject) -> str | None:
        """Why ``word`` is jargon, or None."""
        low = word.lower()
        if low in accept:
            return None
        if low in reject:
            return "reject"
        if any(c.isdigit() for c in word) and not _TIER.match(word):
            return None  # reference codes, order numbers, licence keys: INV-2291, ZD-88123, 4G
        if "-" in word:
            parts = [p for p in word.split("-") if p]
            if low.replace("-", "") in accept:
                return None
            for p in parts:
                pl = p.lower()
                if pl in reject:
                    return "reject"
                if self.acronyms and len(p) >= self.min_acronym and pl not in accept and (
                        _ACRONYM.match(p) and sum(c.isupper() for c in p) >= 2) or _TIER.match(p):
                    return "acronym"
            whole = low.replace("-", "")
            if whole in self._common or all(len(p) < 2 or self._judge(p, True, accept, reject) is None
                                            for p in parts):
                return None
            return "rare"
        if self.acronyms:
            if _TIER.match(word) and not word.isdigit():
                return "acronym"
            uppers = sum(c.isupper() for c in word)
            if uppers >= 2 and len(word) >= self.min_acronym and _ACRONYM.match(word) and (
                    uppers / len(word) >= 0.6 or len(word) <= 3):
                if word.isupper() and len(word) >= 4 and (low in self._common or low in self._foreign):
                    return None  # an ordinary word in capitals: "STORE", "BANK", "GRATIS"
                return "acronym"
        if not _LETTERS.match(word):
            return None
        if _CAMEL.match(word):
            if _BRAND.match(word) or low in self._foreign or low in self._known_words():
                return None  # "PostNL", "SkyHop", "WhatsApp": names
            return "code"
        if word[:1].isupper() and not sentence_start:
            return None  # a name
        if word.isupper() and len(word) > 6:
            return None  # shouting, not jargon
        if low in self._common:
            return None
        if self.foreign and low in self._foreign:
            return "foreign"
        if len(low) < self.min_length:
            return None
        if (self.compounds and self._is_compound(low)) or low in self._known_words():
            return None
        return "rare"

    def _known_words(self) -> frozenset[str]:
        if self._known is None:
            self._known = lexicon(self._lang).common_words(self.rare_zipf)
        return self._known

    def find(self, reply):
        self._load(reply.lang)
        lo, hi = reply.scope(self.scope)
        accept = self.accept | reply.vocab_accept if reply.vocab_accept else self.accept
        reject = reply.vocab_reject
        cache = self._cache if not (reply.vocab_accept or reject) else {}
        flagged: list[tuple[int, int]] = []
        for s, e in reply.matches(self.index, "reject"):
            if lo <= s and e <= hi:
                flagged.append((s, e))
                yield s, e, {"reason": "reject"}
        toks = reply.toks
        texts, starts, ends = toks.texts, toks.starts, toks.ends
        punct, num, url, sent_end = toks.punct, toks.num, toks.url, toks.sent_end
        n = len(texts)
        for i in range(n):
            s = starts[i]
            sentence_start = i == 0 or sent_end[i - 1] == i
            if s < lo or s >= hi or punct[i] or url[i] or num[i]:
                continue
            text = texts[i]
            e = ends[i]
            if len(text) < 2 or reply.is_placeholder(s, e):
                continue
            if flagged and any(fs <= s < fe for fs, fe in flagged):
                continue
            if text.isupper() and len(text) <= 4 and (
                    (i > 0 and any(c.isdigit() for c in texts[i - 1])) or
                    (i + 1 < n and any(c.isdigit() for c in texts[i + 1]))):
                continue  # "NL12 BANK 0123", "1234 AB"
            key = (text, sentence_start)
            why = cache.get(key, _MISS)
            if why is _MISS:
                why = self._judge(text, sentence_start, accept, reject)
                if len(cache) >= _CACHE_MAX:  # bounded: names and numbers never repeat
                    cache.clear()
                cache[key] = why
            if why:
                yield s, e, {"reason": why}
