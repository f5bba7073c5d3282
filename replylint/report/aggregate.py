"""Streaming aggregation of lint results into report figures.

An :class:`Aggregator` consumes :class:`~replylint.results.ReplyResult` objects one at a time and
keeps only counters: an overall tally, one tally per agent/team/channel value, one per day (rolled
up into weeks or months at the end), counts per rule, and a bounded sample of example excerpts per
rule.  Memory does not grow with the number of replies.  Aggregators are mergeable
(:meth:`Aggregator.merge`), so worker processes can each fill one and the parent adds them up;
the result does not depend on how the input was split.

The quality score
-----------------
Every reply starts at 100 points.  For each category in which the reply has at least one finding,
that category's weight is subtracted (several findings in one category count once); a reply cannot
go below 0.  The quality score of a group of replies is the average of their points.  Default
weights: ``default_weights.yaml``; override with ``--weights``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..finding import CATEGORIES, Finding
from ..results import ReplyResult, RuleInfo
from . import privacy

#: Metadata fields a report can group by.
DIMENSIONS: tuple[str, ...] = ("agent", "team", "channel")
UNKNOWN = "unknown"
OTHER = "(other)"

#: A reply's points before deductions.
FULL_SCORE = 100.0


def load_default_weights() -> dict[str, float]:
    import yaml

    text = resources.files(__package__).joinpath("default_weights.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {str(k): float(v) for k, v in data.items()}


DEFAULT_WEIGHTS: dict[str, float] = load_default_weights()


class WeightsError(ValueError):
    pass


def load_weights(path: str | Path | None) -> dict[str, float]:
    """Default weights, overridden by a YAML/JSON file (``category: weight``; also accepted under a
    ``weights:`` or ``report: weights:`` key, so a project config file can be passed)."""
    weights = dict(DEFAULT_WEIGHTS)
    if path is None:
        return weights
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise WeightsError(f"{path}: cannot read weights file: {e.strerror or e}") from None
    except yaml.YAMLError as e:
        raise WeightsError(f"{path}: not valid YAML/JSON: {e}") from None
    if isinstance(data, dict) and isinstance(data.get("report"), dict) and "weights" in data["report"]:
        data = data["report"]["weights"]
    elif isinstance(data, dict) and isinstance(data.get("weights"), dict):
        data = data["weights"]
    if not isinstance(data, dict):
        raise WeightsError(f"{path}: expected a mapping of category -> weight")
    for key, value in data.items():
        if key not in CATEGORIES:
            raise WeightsError(f"{path}: unknown category {key!r} (known: {', '.join(CATEGORIES)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise WeightsError(f"{path}: weight for {key!r} must be a number from 0 to 100, got {value!r}")
        weights[key] = float(value)
    return weights


def reply_score(categories: Iterable[str], weights: Mapping[str, float]) -> float:
    """Points of one reply with findings in ``categories`` (each category counted once)."""
    return max(0.0, FULL_SCORE - sum(weights.get(c, 0.0) for c in set(categories)))


# --- metadata ---------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?$")


def parse_date(value: Any) -> dt.date | None:
    """A date from ISO 8601 (``2024-03-05``, ``2024-03-05T10:22:00Z``, ``2024-03-05 10:22``),
    Dutch day-first (``05-03-2024``) or a date/datetime object; ``None`` when unparseable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    try:
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s).date()
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(s[:10]) if len(s) >= 10 and s[10:11] in ("", " ", "T") else None
    except ValueError:
        pass
    m = _DMY.match(s)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None


def group_value(value: Any) -> tuple[str | None, str | None]:
    """(normalised value, problem) for a group field: ``(None, "missing")`` for absent/empty,
    ``(None, "malformed")`` for a value that is not text or a number."""
    if value is None:
        return None, "missing"
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None, "malformed"
    s = " ".join(str(value).split())
    if not s:
        return None, "missing"
    return s, None


# --- tallies ----------------------------------------------------------------------------------

class Tally:
    """Counts for one set of replies (everything, one agent, one day, ...)."""

    __slots__ = ("replies", "flagged", "findings", "score_sum", "cat_findings", "cat_replies")

    def __init__(self) -> None:
        self.replies = 0
        self.flagged = 0          # replies with at least one finding
        self.findings = 0
        self.score_sum = 0.0
        self.cat_findings: Counter[str] = Counter()
        self.cat_replies: Counter[str] = Counter()

    def add(self, score: float, cats: Mapping[str, int]) -> None:
        self.replies += 1
        self.score_sum += score
        if cats:
            self.flagged += 1
            self.findings += sum(cats.values())
            self.cat_findings.update(cats)
            self.cat_replies.update(cats.keys())

    def merge(self, other: "Tally") -> None:
        self.replies += other.replies
        self.flagged += other.flagged
        self.findings += other.findings
        self.score_sum += other.score_sum
        self.cat_findings.update(other.cat_findings)
        self.cat_replies.update(other.cat_replies)

    def __getstate__(self):
        return (self.replies, self.flagged, self.findings, self.score_sum,
                dict(self.cat_findings), dict(self.cat_replies))

    def __setstate__(self, state):
        (self.replies, self.flagged, self.findings, self.score_sum, cf, cr) = state
        self.cat_findings = Counter(cf)
        self.cat_replies = Counter(cr)

    # figures
    @property
    def score(self) -> float | None:
        return self.score_sum / self.replies if self.replies else None

    @property
    def per_100(self) -> float | None:
        return self.findings * 100.0 / self.replies if self.replies else None

    @property
    def share(self) -> float | None:
        return self.flagged * 100.0 / self.replies if self.replies else None


@dataclass(slots=True)
class Example:
    """One excerpt around a finding, already masked."""

    rule: str
    category: str
    message: str
    before: str
    match: str
    after: str
    suggestions: tuple[str, ...]
    source: str
    line: int
    reply_id: str
    lang: str
    agent: str | None = None
    team: str | None = None
    channel: str | None = None
    date: str | None = None


@dataclass(slots=True, order=True)
class MetaIssue:
    source: str
    line: int
    field: str
    problem: str      # "missing" | "malformed"
    value: str = ""


def _example_key(rec_source: str, rec_id: str, f: Finding) -> tuple[int, int]:
    """Order in which candidate examples are preferred: with a rewrite first, then a stable
    pseudo-random order (so a sample does not depend on the order or split of the input)."""
    h = hashlib.blake2b(f"{rec_source}\0{rec_id}\0{f.start}\0{f.rule}".encode(), digest_size=8).digest()
    return (0 if f.suggestions else 1, int.from_bytes(h, "big"))


_BOUNDARY = re.compile(r"(?<=[.!?])\s+|\n")


def excerpt(text: str, start: int, end: int, max_context: int = 140,
            max_match: int = 240) -> tuple[str, int, int, bool, bool]:
    """The sentence(s) around ``text[start:end]``: (window, start, end relative to the window,
    cut at the left, cut at the right)."""
    n = len(text)
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    lo = max(0, start - max_context)
    left = text[lo:start]
    cuts = [m.end() for m in _BOUNDARY.finditer(left)]
    ws = lo + cuts[-1] if cuts else lo
    hi = min(n, end + max_context)
    m = _BOUNDARY.search(text, end, hi)
    if m:
        we, cut_right = m.start(), False
    else:
        we, cut_right = hi, hi < n
    cut_left = not cuts and lo > 0
    return text[ws:we], start - ws, end - ws, cut_left, cut_right


class Aggregator:
    """Report figures for a stream of lint results (see module docs)."""

    def __init__(self, weights: Mapping[str, float] | None = None, *, mask: bool = True,
                 examples_per_rule: int = 3, max_groups: int = 10_000, max_issues: int = 100,
                 lang: str | None = None, rules: Mapping[str, RuleInfo] | None = None):
        self.weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
        self.mask = mask
        self.examples_per_rule = examples_per_rule
        self.max_groups = max_groups
        self.max_issues = max_issues
        self.lang_filter = lang
        self.rules = rules                      # only used while adding; not merged
        self.total = Tally()
        self.groups: dict[str, dict[str, Tally]] = {d: {} for d in DIMENSIONS}
        self.days: dict[dt.date, Tally] = {}
        self.undated = 0
        self.known: Counter[str] = Counter()    # replies with a usable value, per field
        self.problems: Counter[tuple[str, str]] = Counter()   # (field, problem) -> replies
        self.issues: list[MetaIssue] = []       # the first max_issues per field, by position
        self.rule_findings: Counter[str] = Counter()
        self.rule_replies: Counter[str] = Counter()
        self.rule_meta: dict[str, tuple[str, str]] = {}       # rule -> (category, message)
        self.severity: Counter[str] = Counter()
        self.langs: Counter[str] = Counter()
        self.excluded: Counter[str] = Counter()
        self.examples: dict[str, list[tuple[tuple[int, int], Example]]] = {}

    # -- adding ---------------------------------------------------------------------------------
    def add(self, result: ReplyResult) -> None:
        rec = result.record
        lang = result.lang or rec.lang or ""
        if self.lang_filter and lang != self.lang_filter:
            self.excluded["lang"] += 1
            return
        meta = rec.meta or {}
        findings = result.findings
        cats: Counter[str] = Counter(f.category for f in findings)
        score = reply_score(cats, self.weights)

        self.total.add(score, cats)
        self.langs[lang or UNKNOWN] += 1
        line: int | None = None

        values: dict[str, str | None] = {}
        for dim in DIMENSIONS:
            value, problem = group_value(meta.get(dim))
            if problem:
                if line is None:
                    line = _line(rec)
                self._problem(rec.source, line, dim, problem, meta.get(dim))
                key = UNKNOWN
            else:
                self.known[dim] += 1
                key = value
            values[dim] = value
            groups = self.groups[dim]
            tally = groups.get(key)
            if tally is None:
                if len(groups) >= self.max_groups:
                    key = OTHER
                    tally = groups.get(key)
                if tally is None:
                    tally = groups[key] = Tally()
            tally.add(score, cats)

        raw_date = meta.get("date")
        day = parse_date(raw_date)
        if day is None:
            self.undated += 1
            if line is None:
                line = _line(rec)
            blank = raw_date is None or (isinstance(raw_date, str) and not raw_date.strip())
            self._problem(rec.source, line, "date", "missing" if blank else "malformed", raw_date)
        else:
            self.known["date"] += 1
            tally = self.days.get(day)
            if tally is None:
                tally = self.days[day] = Tally()
            tally.add(score, cats)

        if not findings:
            return
        seen_rules = set()
        for f in findings:
            self.rule_findings[f.rule] += 1
            if f.rule not in seen_rules:
                seen_rules.add(f.rule)
                self.rule_replies[f.rule] += 1
            if f.rule not in self.rule_meta:
                info = self.rules.get(f.rule) if self.rules else None
                self.rule_meta[f.rule] = (f.category, _generic(info.message) if info and info.message
                                          else f.message)
            self.severity[str(f.severity)] += 1
            self._offer_example(rec, f, lang, values, day, line)

    def add_all(self, results: Iterable[ReplyResult]) -> "Aggregator":
        for r in results:
            self.add(r)
        return self

    def _problem(self, source: str, line: int, fieldname: str, problem: str, value: Any) -> None:
        key = (fieldname, problem)
        self.problems[key] += 1
        if self.problems[key] <= self.max_issues:
            self.issues.append(MetaIssue(source, line, fieldname, problem,
                                         "" if value is None else str(value)[:80]))

    def _offer_example(self, rec, f: Finding, lang: str, values: dict, day, line) -> None:
        key = _example_key(rec.source, rec.id, f)
        pool = self.examples.get(f.rule)
        if pool is None:
            pool = self.examples[f.rule] = []
        if len(pool) >= self.examples_per_rule and key >= pool[-1][0]:
            return
        # never two examples from the same reply for one rule
        for _, ex in pool:
            if ex.reply_id == rec.id and ex.source == rec.source:
                return
        ex = self._make_example(rec, f, lang, values, day, line)
        _add_to_pool(pool, key, ex, self.examples_per_rule)

    def _make_example(self, rec, f: Finding, lang: str, values: dict, day, line) -> Example:
        text = rec.text or ""
        window, s, e, cut_l, cut_r = excerpt(text, f.start, f.end)
        mlang = lang if lang in privacy.MASK_LABELS else "nl"
        suggestions = tuple(f.suggestions[:3])
        if self.mask:
            names = privacy.salutation_names(text[:3000])
            spans = privacy.mask_spans(window, mlang, names)
            window, (s, e) = privacy.apply_masks(window, spans, keep=(s, e))
            suggestions = tuple(privacy.mask(x, mlang) for x in suggestions)
        before, match, after = window[:s], window[s:e], window[e:]
        if len(match) > 240:
            match = match[:160] + " … " + match[-60:]
        before, match, after = (" ".join(before.split()) + (" " if before[-1:].isspace() else ""),
                                _squash(match),
                                (" " if after[:1].isspace() else "") + " ".join(after.split()))
        if cut_l:
            before = "… " + before.lstrip()
        if cut_r:
            after = after.rstrip() + " …"
        if line is None:
            line = _line(rec)
        return Example(
            rule=f.rule, category=f.category, message=f.message, before=before, match=match,
            after=after, suggestions=suggestions, source=rec.source, line=f.line if f.source else line,
            reply_id=str(rec.id), lang=lang, agent=values.get("agent"), team=values.get("team"),
            channel=values.get("channel"), date=day.isoformat() if day else None,
        )

    # -- merging --------------------------------------------------------------------------------
    def merge(self, other: "Aggregator") -> "Aggregator":
        self.total.merge(other.total)
        for dim in DIMENSIONS:
            mine = self.groups[dim]
            for key, tally in other.groups[dim].items():
                if key not in mine and len(mine) >= self.max_groups:
                    key = OTHER
                if key in mine:
                    mine[key].merge(tally)
                else:
                    mine[key] = tally
        for day, tally in other.days.items():
            if day in self.days:
                self.days[day].merge(tally)
            else:
                self.days[day] = tally
        self.undated += other.undated
        self.known.update(other.known)
        self.problems.update(other.problems)
        if other.issues:
            merged = sorted(self.issues + other.issues, key=lambda i: (i.field, i.problem, i.source, i.line))
            kept: list[MetaIssue] = []
            per: Counter = Counter()
            for issue in merged:
                per[(issue.field, issue.problem)] += 1
                if per[(issue.field, issue.problem)] <= self.max_issues:
                    kept.append(issue)
            self.issues = kept
        self.rule_findings.update(other.rule_findings)
        self.rule_replies.update(other.rule_replies)
        for rule, meta in other.rule_meta.items():
            self.rule_meta.setdefault(rule, meta)
        self.severity.update(other.severity)
        self.langs.update(other.langs)
        self.excluded.update(other.excluded)
        for rule, pool in other.examples.items():
            mine_pool = self.examples.setdefault(rule, [])
            for key, ex in pool:
                if not any(e.source == ex.source and e.reply_id == ex.reply_id for _, e in mine_pool):
                    _add_to_pool(mine_pool, key, ex, self.examples_per_rule)
        return self

    def __getstate__(self):
        state = {k: getattr(self, k) for k in _STATE}
        state["rules"] = None
        return state

    def __setstate__(self, state):
        for k, v in state.items():
            setattr(self, k, v)


_STATE = ("weights", "mask", "examples_per_rule", "max_groups", "max_issues", "lang_filter", "rules",
          "total", "groups", "days", "undated", "known", "problems", "issues", "rule_findings",
          "rule_replies", "rule_meta", "severity", "langs", "excluded", "examples")


def excerpt_text(ex: Example) -> str:
    return " ".join((ex.before + ex.match + ex.after).split()).casefold()


def _add_to_pool(pool: list, key, ex: Example, size: int) -> None:
    """Keep the ``size`` best-keyed examples, never two with the same excerpt text (canned
    replies repeat a lot; a trainer wants different sentences)."""
    text = excerpt_text(ex)
    for i, (k, e) in enumerate(pool):
        if excerpt_text(e) == text:
            if key < k:
                pool[i] = (key, ex)
                pool.sort(key=lambda kv: kv[0])
            return
    pool.append((key, ex))
    pool.sort(key=lambda kv: kv[0])
    del pool[size:]


_TEMPLATE_FIELD = re.compile(r"(?<!\{)\{[a-z_]+\}(?!\})")


def _generic(message: str) -> str:
    """A rule's message template without its fields ("'{match}' is jargon" -> "'…' is jargon")."""
    return _TEMPLATE_FIELD.sub("…", message)


def _squash(s: str) -> str:
    return " ".join(s.split())


def _line(rec) -> int:
    try:
        return rec.position(0)[0]
    except Exception:  # a reader's locator must never break a report
        return 0


def _json_default(o):
    if isinstance(o, (dt.date, dt.datetime)):
        return o.isoformat()
    raise TypeError(type(o).__name__)


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)
