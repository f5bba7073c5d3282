"""The linter: loads packs once, compiles each language's rules lazily into one shared spaCy
``Matcher``, and runs replies through them.  It never prints; it returns findings.

    linter = Linter(Config())
    for result in linter.lint_records(records):   # streams; spaCy batches per language
        ...
    linter.lint("Dat weet ik niet.")               # -> list[Finding]
"""
from __future__ import annotations

import re
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from spacy.pipeline.sentencizer import Sentencizer  # the engine needs spaCy anyway

from .config import Config
from .finding import Finding, Severity
from .kinds import RuleKind
from .kinds.base import Sentences
from .packs import Pack, load_packs, selector_matches, shipped_packs
from .records import Record
from .results import ReplyResult, RuleInfo
from .textprep import Prepared, Suppression, prepare


class Tokens:
    """The reply's tokens as flat lists (whitespace tokens dropped), built in one pass over the
    spaCy Doc, with sentence boundaries: after sentence-final punctuation (spaCy's
    sentencizer characters) and at every line break (salutations, list items and sign-offs
    stand on lines of their own without a full stop)."""

    __slots__ = ("texts", "lowers", "starts", "ends", "punct", "num", "url", "ph", "sent_end",
                 "sent_bounds", "clause_start")

    def __init__(self, doc, placeholder_starts: frozenset, text_all: str):
        if len(doc):
            arr = doc.to_array(_attrs_cached())
            arr = arr[arr[:, 4] == 0]  # drop whitespace tokens
        else:
            arr = None
        if arr is None or not len(arr):
            starts = ends = lowers = []
            punct = num = url = []
        else:
            strings = doc.vocab.strings
            lowers = [strings[h] for h in arr[:, 0].tolist()]
            starts = arr[:, 1].tolist()
            ends = (arr[:, 1] + arr[:, 2]).tolist()
            punct = arr[:, 3].astype(bool).tolist()
            numflags = arr[:, 5]
            num = [bool(f) and low not in _ARTICLES for f, low in zip(numflags.tolist(), lowers)] \
                if numflags.any() else [False] * len(lowers)
            url = (arr[:, 6] | arr[:, 7]).astype(bool).tolist()
        n = len(lowers)
        bounds = []
        seen_final = False
        prev_end = 0
        for i in range(n):
            st = starts[i]
            if i == 0 or "\n" in text_all[prev_end:st] or (seen_final and not punct[i]):
                bounds.append(i)
                seen_final = False
            prev_end = ends[i]
            if punct[i] and text_all[prev_end - 1] in _FINAL:
                seen_final = True
        bounds.append(n)
        sent_end = [0] * n
        for k in range(len(bounds) - 1):
            a, b = bounds[k], bounds[k + 1]
            sent_end[a:b] = [b] * (b - a)
        self.texts = texts = [text_all[a:b] for a, b in zip(starts, ends)]
        for i, t in enumerate(texts):  # clock times ("09:15", "8.30") count as numbers
            if not num[i] and t[:1].isdigit() and _CLOCK.match(t):
                num[i] = True
        self.lowers, self.starts, self.ends = lowers, starts, ends
        self.punct, self.num, self.url = punct, num, url
        self.ph = [s in placeholder_starts for s in starts] if placeholder_starts else [False] * n
        # a clause starts a sentence, or follows ":" ";" or a dash ("…: open de app, tik op …")
        cs = [False] * n
        for b in bounds[:-1]:
            cs[b] = True
        for i in range(1, n):
            if lowers[i - 1] in (":", ";", "-", "–", "—", "•", "*"):
                cs[i] = True
        self.clause_start = cs
        self.sent_end = sent_end
        self.sent_bounds = bounds


_FINAL = frozenset("".join(Sentencizer.default_punct_chars) + ".!?…")
_ARTICLES = frozenset({"een", "one", "a", "an"})
_CLAUSE_BREAK = re.compile(
    r"[;:]|,?\s+(?=(?:maar|doch|but|however|dan|then|zodat|so that|en ik|en we|en wij|and i|and we|"
    r"behalve|except|although|hoewel)\b)|,\s*(?=(?:zo niet|if not|otherwise|anders)\b)", re.I)
_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}(?:u|h|uur)?$")
_ATTRS = None


def _attrs_cached():
    global _ATTRS
    if _ATTRS is None:
        _ATTRS = _attrs()
    return _ATTRS


def _attrs():
    from spacy.attrs import (
        IDX,
        IS_PUNCT,
        IS_SPACE,
        LENGTH,
        LIKE_EMAIL,
        LIKE_NUM,
        LIKE_URL,
        LOWER,
    )
    return [LOWER, IDX, LENGTH, IS_PUNCT, IS_SPACE, LIKE_NUM, LIKE_URL, LIKE_EMAIL]


class Reply:
    """What rules see of one reply: the texts, its tokens and sentences, scopes and matches."""

    __slots__ = ("text", "clean", "prep", "lang", "toks", "settings", "dialect", "vocab_accept",
                 "vocab_reject", "_matches", "sentence_spans", "sentence_words", "_sents",
                 "word_count", "groups", "_ph", "_num_ends", "first_line", "_scopes")

    def __init__(self, prep: Prepared, lang: str, doc, settings: dict, dialect, accept, reject):
        self.text = prep.text
        self.clean = prep.clean
        self.prep = prep
        self.lang = lang
        self.settings = settings
        self.dialect = dialect
        self.vocab_accept = accept
        self.vocab_reject = reject
        self._matches: dict[tuple[int, str], list[tuple[int, int]]] = {}
        self.groups: dict = {}
        self._ph = frozenset(s for s, _ in prep.placeholders)
        toks = self.toks = Tokens(doc, self._ph, prep.clean)
        spans, words = [], []
        bounds = toks.sent_bounds
        punct = toks.punct
        for k in range(len(bounds) - 1):
            a, b = bounds[k], bounds[k + 1]
            if a == b:
                continue
            spans.append((toks.starts[a], toks.ends[b - 1]))
            words.append(sum(1 for i in range(a, b) if not punct[i]))
        self.sentence_spans = spans
        self.sentence_words = words
        self.word_count = sum(words)
        self._num_ends = {e for e, isnum in zip(toks.ends, toks.num) if isnum}
        self._sents = Sentences(spans)
        lead = len(self.text) - len(self.text.lstrip())
        nl = self.text.find("\n", lead)
        self.first_line = (lead, len(self.text) if nl == -1 else nl)
        self._scopes: dict[str, tuple[int, int]] = {}

    def matches(self, index: int, slot: str) -> list[tuple[int, int]]:
        return self._matches.get((index, slot), ())

    def sentence_span(self, offset: int) -> tuple[int, int]:
        return self._sents.span(offset)

    def clause_span(self, offset: int, ss: int, se: int) -> tuple[int, int]:
        """The clause of the sentence [ss, se) around ``offset``."""
        text = self.clean
        start, end = ss, se
        for m in _CLAUSE_BREAK.finditer(text, ss, se):
            if m.end() <= offset:
                start = m.end()
            elif m.start() >= offset:
                end = m.start()
                break
        return start, end

    def sentence_start_before(self, offset: int, n: int) -> int:
        return self._sents.start_before(offset, n)

    def sentence_end_after(self, offset: int, n: int) -> int:
        return self._sents.end_after(offset, n)

    def is_placeholder(self, offset: int, end: int | None = None) -> bool:
        """Does [offset, end) touch a template placeholder?"""
        if offset in self._ph:
            return True
        if end is None or not self._ph:
            return False
        return any(s < end and offset < e for s, e in self.prep.placeholders)

    def after_number(self, offset: int) -> bool:
        j = offset
        while j > 0 and self.text[j - 1] in " \t":
            j -= 1
        return j in self._num_ends

    def scope(self, name: str) -> tuple[int, int]:
        hit = self._scopes.get(name)
        if hit is not None:
            return hit
        n = len(self.text)
        if name == "all":
            r = (0, n)
        elif name == "body":
            r = (self.prep.greeting_end, self.prep.signature_start)
        elif name == "opening":
            spans = self.sentence_spans
            end = spans[0][1] if spans else n
            r = (0, max(end, self.prep.greeting_end))
        elif name == "closing":
            body = [s for s in self.sentence_spans
                    if s[0] >= self.prep.greeting_end and s[1] <= self.prep.signature_start]
            start = body[-2][0] if len(body) >= 2 else (body[-1][0] if body else 0)
            r = (start, n)
        else:  # pragma: no cover - validated when packs load
            raise ValueError(name)
        self._scopes[name] = r
        return r


@dataclass
class _LangRules:
    lang: str
    nlp: object
    rules: list[RuleKind]
    always: set[int]  # indices of rules that run on every reply
    by_index: dict[int, RuleKind]
    matcher: object | None  # matcher.TokenMatcher


class Linter:
    """Load packs and NLP once; lint many replies."""

    def __init__(self, config: Config | None = None, *, packs: list[str] | None = None):
        self.config = config or Config()
        refs: list[str] = []
        if self.config.default_packs:
            refs.extend(shipped_packs())
        refs.extend(self.config.packs)
        refs.extend(packs or [])
        self.packs: list[Pack] = load_packs(refs, self.config.base_dir)
        self._all_rules: list[RuleKind] = []
        for pack in self.packs:
            self._all_rules.extend(pack.rules)
        # Pack-level disable/severity apply to everything loaded before and in that pack.
        self._pack_levels: dict[str, str] = {}
        loaded: list[RuleKind] = []
        for pack in self.packs:
            loaded.extend(pack.rules)
            for sel in pack.disable:
                for r in loaded:
                    if selector_matches(sel, r.id, r.category):
                        self._pack_levels[r.id] = "off"
            for sel, lvl in pack.severity.items():
                for r in loaded:
                    if selector_matches(sel, r.id, r.category):
                        self._pack_levels[r.id] = lvl
        self._by_lang: dict[str, _LangRules] = {}
        self._langs = tuple(sorted({p.language for p in self.packs if p.language != "*"})) or ("nl",)
        self._active_cache: dict = {}
        self._base_settings: dict | None = None
        self._rsettings: dict[str, dict] = {}
        vocab = self.config.vocabulary or {}
        self._vocab = (frozenset(w.lower() for w in vocab.get("accept", ())),
                       frozenset(w.lower() for w in vocab.get("reject", ())))

    # -- rule selection ------------------------------------------------------------------------
    def level(self, rule: RuleKind, settings: dict | None = None) -> str:
        """Effective level of a rule: its own, then pack overrides, then configuration."""
        settings = settings or {}
        lvl = rule.severity.value if rule.enabled else "off"
        lvl = self._pack_levels.get(rule.id, lvl)
        for sel, v in (settings.get("severity") or self.config.severity).items():
            if selector_matches(sel, rule.id, rule.category):
                lvl = v
        return lvl

    def is_active(self, rule: RuleKind, settings: dict | None = None) -> bool:
        settings = settings or {}
        if self.level(rule, settings) == "off":
            return False
        select = settings.get("select", self.config.select) or []
        ignore = settings.get("ignore", self.config.ignore) or []
        if select and not any(selector_matches(s, rule.id, rule.category) for s in select):
            return False
        return not any(selector_matches(s, rule.id, rule.category) for s in ignore)

    @property
    def rules(self) -> dict[str, RuleInfo]:
        out = {}
        for r in self._all_rules:
            lvl = self.level(r)
            if not self.is_active(r):
                continue
            out[r.id] = RuleInfo(r.id, r.category, Severity.parse(lvl), r.message, r.description,
                                 r.pack.name, r.pack.language, r.name, r.suggestions)
        return out

    @property
    def all_rules(self) -> list[RuleKind]:
        return list(self._all_rules)

    @property
    def languages(self) -> tuple[str, ...]:
        return self._langs

    # -- compilation -----------------------------------------------------------------------------
    def _lang_rules(self, lang: str) -> _LangRules:
        lr = self._by_lang.get(lang)
        if lr is not None:
            return lr
        from .lexicon import lexicon, save_all
        from .matcher import TokenMatcher, compile_elems
        from .nlp import get_nlp
        nlp = get_nlp(lang)
        lex = lexicon(lang)  # loads lazily: only on a cache miss
        rules = [r for r in self._all_rules if r.pack.language in (lang, "*")]
        matcher = TokenMatcher()
        tok_cache: dict[str, list[str]] = {}

        def tokenize(word: str) -> list[str]:
            hit = tok_cache.get(word)
            if hit is None:
                hit = tok_cache[word] = [t.lower_ for t in nlp.make_doc(word)]
            return hit

        always, by_index = set(), {}
        slots_by_rule = []
        for i, rule in enumerate(rules):
            rule.index = i
            by_index[i] = rule
            slots_by_rule.append(rule.phrase_slots())
            if rule.name not in ("existence", "substitution") or getattr(rule, "cond", None) is not None \
                    and rule.cond.regexes:
                always.add(i)
        digest = _matcher_digest(lang, rules, slots_by_rule)
        cached = _load_matcher(lang, digest)
        if cached is not None:
            matcher = cached
        else:
            for i, (rule, slots) in enumerate(zip(rules, slots_by_rule)):
                for slot, pats in slots.items():
                    try:
                        matcher.add((i, slot), [v for p in pats for v in compile_elems(p, lex, tokenize)])
                    except ValueError as e:
                        from .yamlpos import ConfigError, where
                        raise ConfigError(f"rule {rule.id}: {e}", **where(rule.src)) from None
            save_all()
            _save_matcher(lang, digest, matcher)
        lr = _LangRules(lang, nlp, rules, always, by_index, matcher if matcher.size else None)
        self._by_lang[lang] = lr
        return lr

    # -- linting ---------------------------------------------------------------------------------
    def detect_language(self, text: str) -> str:
        from .langdetect import detect
        default = self.config.default_lang if self.config.default_lang in self._langs else self._langs[0]
        return detect(text, self._langs, default)

    def lint(self, text: str, lang: str | None = None, *, reply_id: str = "-", source: str = "-",
             dialect: str | None = None) -> list[Finding]:
        rec = Record(id=reply_id, text=text, source=source, lang=lang, dialect=dialect)
        return self.lint_record(rec).findings

    def lint_record(self, record: Record) -> ReplyResult:
        return next(iter(self.lint_records([record])))

    #: replies linted before memory zones start (their words stay cached for the whole run)
    WARM_REPLIES = 2_000
    #: replies per spaCy memory zone
    ZONE_REPLIES = 20_000

    def lint_records(self, records: Iterable[Record], batch_size: int = 256) -> Iterator[ReplyResult]:
        """Stream results in input order; spaCy tokenises each batch per language in one pass.

        spaCy interns every new token string in its vocabulary, so over millions of replies
        memory would grow without bound.  After a warm-up (whose common words stay cached),
        batches run inside ``nlp.memory_zone()``s that are closed every ``ZONE_REPLIES``
        replies, dropping the strings of that stretch while the tokenizer's cache stays warm
        within it.  Results never hold spaCy objects, so nothing outlives its zone.
        """
        it = iter(records)
        done = 0
        in_zone = 0
        zone: ExitStack | None = None
        try:
            while True:
                batch = list(islice(it, batch_size))
                if not batch:
                    return
                if done >= self.WARM_REPLIES and (zone is None or in_zone >= self.ZONE_REPLIES):
                    if zone is not None:
                        zone.close()
                    zone = ExitStack()
                    for lr in self._by_lang.values():
                        if hasattr(lr.nlp, "memory_zone"):
                            zone.enter_context(lr.nlp.memory_zone())
                    in_zone = 0
                results = self._lint_batch(batch)
                done += len(batch)
                in_zone += len(batch)
                yield from results
        finally:
            if zone is not None:
                zone.close()

    def _settings_for(self, record: Record) -> dict:
        if self.config.overrides:
            return self.config.for_source(record.source)
        base = self._base_settings
        if base is None:  # without per-glob overrides every reply shares one settings dict
            base = self._base_settings = {
                "select": self.config.select, "ignore": self.config.ignore,
                "severity": self.config.severity, "formality": self.config.formality,
                "dialect": self.config.dialect, "lang": self.config.lang}
        return base

    def _lint_batch(self, batch: list[Record]) -> list[ReplyResult]:
        preps: list[Prepared] = []
        langs: list[str] = []
        settings_list: list[dict] = []
        for rec in batch:
            prep = prepare(rec.text)
            settings = self._settings_for(rec)
            lang = settings.get("lang") or rec.lang or self.detect_language(prep.clean)
            if lang not in self._langs:
                lang = self.detect_language(prep.clean) if not settings.get("lang") else lang
            preps.append(prep)
            langs.append(lang)
            settings_list.append(settings)
        docs: list = [None] * len(batch)
        by_lang: dict[str, list[int]] = defaultdict(list)
        for i, lang in enumerate(langs):
            by_lang[lang].append(i)
        for lang, idxs in by_lang.items():
            lr = self._lang_rules(lang)
            for i, doc in zip(idxs, lr.nlp.tokenizer.pipe(preps[i].clean for i in idxs)):
                docs[i] = doc
        results = [self._lint_one(rec, preps[i], langs[i], docs[i], settings_list[i])
                   for i, rec in enumerate(batch)]
        docs.clear()
        return results

    def _active(self, lr: _LangRules, settings: dict) -> tuple[list[RuleKind], set[int]]:
        if settings is self._base_settings:
            hit = self._active_cache.get(lr.lang)
            if hit is not None:
                return hit
            key = lr.lang
        else:
            key = (lr.lang, tuple(settings.get("select") or ()), tuple(settings.get("ignore") or ()),
                   tuple(sorted((settings.get("severity") or {}).items())))
        hit = self._active_cache.get(key)
        if hit is None:
            active = [(r, Severity.parse(self.level(r, settings))) for r in lr.rules if self.is_active(r, settings)]
            hit = (active, {r.index for r, _ in active})
            self._active_cache[key] = hit
        return hit

    def _lint_one(self, rec: Record, prep: Prepared, lang: str, doc, settings: dict) -> ReplyResult:
        lr = self._by_lang[lang]
        active, active_idx = self._active(lr, settings)
        accept, reject = self._vocab
        dialect = rec.dialect or settings.get("dialect") or self.config.dialect
        formality = settings.get("formality", self.config.formality)
        rsettings = self._rsettings.get(formality)
        if rsettings is None:
            rsettings = self._rsettings[formality] = {"formality": formality,
                                                      "variables": self.config.variables or None}
        reply = Reply(prep, lang, doc, rsettings, dialect, accept, reject)
        matched: set[int] = set()
        if lr.matcher is not None and reply.toks.lowers:
            store = reply._matches
            starts, ends = reply.toks.starts, reply.toks.ends
            for (idx, slot), s, e in lr.matcher(reply.toks):
                if idx not in active_idx:
                    continue
                store.setdefault((idx, slot), []).append((starts[s], ends[e - 1]))
                matched.add(idx)
        findings: list[tuple[str, Finding]] = []
        always = lr.always
        for rule, sev in active:
            if rule.index not in matched and rule.index not in always:
                continue
            for f in rule.check(reply):
                findings.append((rule.name, f, sev))
        findings = _dedupe(findings)
        findings, unused = self._suppress(rec, prep, findings)
        placed = []
        pos_cache: dict[int, tuple[int, int]] = {}  # whole-reply findings share their offsets

        def position(offset: int) -> tuple[int, int]:
            hit = pos_cache.get(offset)
            if hit is None:
                hit = pos_cache[offset] = rec.position(offset)
            return hit

        for f, sev in findings:
            line, col = position(f.start)
            eline, ecol = position(f.end) if f.end > f.start else (line, col)
            placed.append(f.placed(severity=sev, reply_id=rec.id, source=rec.source, line=line,
                                   column=col, end_line=eline, end_column=ecol))
        placed.sort(key=lambda f: (f.start, f.end, f.rule))
        return ReplyResult(rec, placed, lang, unused)

    def _suppress(self, rec: Record, prep: Prepared, findings: list[tuple[Finding, Severity]]):
        sups: list[Suppression] = list(prep.suppressions)
        if rec.suppress:
            sups.append(Suppression(tuple(rec.suppress), "record field", 0, 0))
        if not sups:
            return findings, []
        used = [False] * len(sups)
        kept = []
        for item in findings:
            f = item[0]
            hit = False
            for i, s in enumerate(sups):
                if not s.rules or any(selector_matches(sel, f.rule, f.category) for sel in s.rules):
                    used[i] = True
                    hit = True
            if not hit:
                kept.append(item)
        unused = [s for i, s in enumerate(sups) if not used[i]]
        return kept, unused


def _dedupe(findings: list[tuple[str, Finding, Severity]]) -> list[tuple[Finding, Severity]]:
    """One finding per category per span: two rules of one kind and category on overlapping
    text (two brush-off phrasings of one sentence) report once; a word-level and a
    sentence-level finding of one category both stay."""
    if len(findings) < 2:
        return [(f, sev) for _, f, sev in findings]
    out: list[tuple[str, Finding, Severity]] = []
    for kind, f, sev in findings:
        if not any(k == kind and g.category == f.category and
                   (g.start < f.end and f.start < g.end or (g.start == f.start and g.end == f.end))
                   for k, g, _ in out):
            out.append((kind, f, sev))
    return [(f, sev) for _, f, sev in out]


def _matcher_digest(lang: str, rules, slots_by_rule) -> str:
    """Content hash of everything the compiled matcher depends on."""
    import hashlib

    from . import __version__
    from .lexicon import _FORMAT, _version
    from .matcher import FORMAT
    h = hashlib.sha1()
    h.update(f"{__version__}|{_FORMAT}|{FORMAT}|{_version('simplemma')}|{_version('spacy')}|{lang}".encode())
    for rule, slots in zip(rules, slots_by_rule):
        h.update(rule.id.encode())
        h.update(repr(sorted(slots.items())).encode())
    return h.hexdigest()[:20]


def _matcher_path(lang: str, digest: str):
    from .lexicon import cache_dir
    d = cache_dir()
    return None if d is None else d / f"matcher-{lang}-{digest}.pickle"


def _load_matcher(lang: str, digest: str):
    import pickle
    p = _matcher_path(lang, digest)
    if p is None or not p.exists():
        return None
    try:
        with open(p, "rb") as fh:
            return pickle.load(fh)  # noqa: S301 - our own cache file
    except Exception:
        return None


def _save_matcher(lang: str, digest: str, matcher) -> None:
    from .lexicon import write_pickle
    p = _matcher_path(lang, digest)
    if p is None:
        return
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        for old in p.parent.glob(f"matcher-{lang}-*.pickle"):  # one compiled set per language
            old.unlink(missing_ok=True)
        write_pickle(p, matcher)
    except OSError:
        pass


_DEFAULT: Linter | None = None
_KEYED: dict[tuple, Linter] = {}


def default_linter() -> Linter:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Linter()
    return _DEFAULT


def lint(text: str, lang: str | None = None, *, config: Config | None = None,
         packs: list[str] | None = None, select: list[str] | None = None,
         ignore: list[str] | None = None, reply_id: str = "-") -> list[Finding]:
    """Lint one reply with the default packs (or ``config``/``packs``/``select``/``ignore``)."""
    if config is None and packs is None and select is None and ignore is None:
        return default_linter().lint(text, lang, reply_id=reply_id)
    if config is None:  # keyword-only calls reuse their linter: packs load once per combination
        key = (tuple(packs or ()), tuple(select or ()), tuple(ignore or ()))
        lin = _KEYED.get(key)
        if lin is None:
            cfg = Config(select=list(select or ()), ignore=list(ignore or ()))
            lin = _KEYED[key] = Linter(cfg, packs=packs)
        return lin.lint(text, lang, reply_id=reply_id)
    changes = {k: list(v) for k, v in (("select", select), ("ignore", ignore)) if v is not None}
    cfg = replace(config, **changes) if changes else config  # never mutate the caller's config
    return Linter(cfg, packs=packs).lint(text, lang, reply_id=reply_id)


__all__ = ["Linter", "Reply", "lint", "default_linter", "Path"]
