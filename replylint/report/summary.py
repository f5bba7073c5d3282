"""Turn an :class:`~replylint.report.aggregate.Aggregator` into the report summary: one plain dict
(the ``--format json`` output) from which the HTML, Markdown and CSV reports are all rendered, so
every format shows the same figures.

Rounding: percentages, findings per 100 and scores are rounded to one decimal, once, here.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..finding import CATEGORIES, InputError
from . import privacy
from .aggregate import DIMENSIONS, UNKNOWN, Aggregator, Tally, excerpt_text

SCHEMA = "replylint-report/1"
#: Up to this many days between the first and last date the trend is per ISO week, else per month.
WEEKLY_MAX_SPAN_DAYS = 120


def r1(x: float | None) -> float | None:
    return None if x is None else round(x + 0.0, 1)


def tally_figures(t: Tally) -> dict[str, Any]:
    return {
        "replies": t.replies,
        "replies_with_findings": t.flagged,
        "share_with_findings": r1(t.share),
        "findings": t.findings,
        "findings_per_100": r1(t.per_100),
        "score": r1(t.score),
    }


def choose_period(days: Iterable[dt.date]) -> str | None:
    days = list(days)
    if not days:
        return None
    return "week" if (max(days) - min(days)).days <= WEEKLY_MAX_SPAN_DAYS else "month"


def period_of(day: dt.date, period: str) -> tuple[str, dt.date]:
    if period == "week":
        y, w, _ = day.isocalendar()
        return f"{y}-W{w:02d}", day - dt.timedelta(days=day.weekday())
    return f"{day.year}-{day.month:02d}", day.replace(day=1)


def dominant_lang(langs: Mapping[str, int]) -> str:
    nl, en = langs.get("nl", 0), langs.get("en", 0)
    return "en" if en > nl else "nl"


def summarize(agg: Aggregator, *, inputs: Sequence[str] = (), group_by: Sequence[str] = (),
              report_lang: str | None = None, anonymize_key: bytes | None = None,
              filters: Mapping[str, Any] | None = None, input_errors: Sequence[InputError] = (),
              input_error_count: int | None = None, top_rules: int = 15,
              examples_per_category: int = 3, generated: str | None = None) -> dict[str, Any]:
    lang = report_lang or dominant_lang(agg.langs)
    n = agg.total.replies

    # pseudonyms for agents (also replaces their names inside excerpts)
    agent_map: dict[str, str] = {}
    if anonymize_key is not None:
        agent_map = privacy.pseudonyms((k for k in agg.groups["agent"] if k not in (UNKNOWN,)), anonymize_key)

    def agent_name(name: str | None) -> str | None:
        if name is None:
            return None
        return agent_map.get(name, name)

    categories = []
    for c in CATEGORIES:
        f = agg.total.cat_findings.get(c, 0)
        rr = agg.total.cat_replies.get(c, 0)
        categories.append({
            "category": c,
            "findings": f,
            "replies": rr,
            "share": r1(rr * 100.0 / n) if n else None,
            "findings_per_100": r1(f * 100.0 / n) if n else None,
            "weight": agg.weights.get(c, 0.0),
        })
    active = [c["category"] for c in categories if c["findings"]]

    dims = [d for d in (group_by or DIMENSIONS) if d in DIMENSIONS]
    if not group_by:  # default: every dimension the input actually has
        dims = [d for d in dims if agg.known.get(d)]
    groups: dict[str, list[dict[str, Any]]] = {}
    for dim in dims:
        rows = []
        for key, t in agg.groups[dim].items():
            name = agent_name(key) if dim == "agent" and key != UNKNOWN else key
            row = {"group": name, **tally_figures(t),
                   "categories": {c: t.cat_findings[c] for c in active if t.cat_findings.get(c)}}
            rows.append(row)
        rows.sort(key=lambda r: (r["group"] == UNKNOWN, -r["replies"], r["group"]))
        groups[dim] = rows

    # trend
    period = choose_period(agg.days)
    trend: dict[str, Any] = {"period": period, "undated": agg.undated, "points": []}
    if period:
        buckets: dict[str, tuple[dt.date, Tally]] = {}
        for day, t in agg.days.items():
            key, start = period_of(day, period)
            if key not in buckets:
                buckets[key] = (start, Tally())
            buckets[key][1].merge(t)
        # every period between the first and the last, empty ones included (gaps stay visible)
        first, last = min(agg.days), max(agg.days)
        day = period_of(first, period)[1]
        while day <= last:
            key, start = period_of(day, period)
            buckets.setdefault(key, (start, Tally()))
            day = start + dt.timedelta(days=7) if period == "week" else \
                (start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1))
        for key in sorted(buckets):
            start, t = buckets[key]
            trend["points"].append({"period": key, "start": start.isoformat(), **tally_figures(t),
                                    "categories": {c: t.cat_findings[c] for c in active
                                                   if t.cat_findings.get(c)}})
        trend["first_date"] = min(agg.days).isoformat()
        trend["last_date"] = max(agg.days).isoformat()

    rules = []
    for rule, count in sorted(agg.rule_findings.items(), key=lambda kv: (-kv[1], kv[0]))[:top_rules]:
        cat, message = agg.rule_meta.get(rule, ("", ""))
        rules.append({"rule": rule, "category": cat, "message": message, "findings": count,
                      "replies": agg.rule_replies.get(rule, 0)})

    # examples: per category, round-robin over its rules (most frequent rule first)
    examples: dict[str, list[dict[str, Any]]] = {}
    by_cat: dict[str, list[str]] = {}
    for rule in sorted(agg.examples, key=lambda r: (-agg.rule_findings.get(r, 0), r)):
        pool = agg.examples[rule]
        if pool:
            by_cat.setdefault(pool[0][1].category, []).append(rule)
    for cat in CATEGORIES:
        picked = []
        texts: set[str] = set()
        rules_here = by_cat.get(cat, [])
        depth = 0
        while len(picked) < examples_per_category and rules_here:
            progressed = False
            for rule in rules_here:
                pool = agg.examples[rule]
                if depth < len(pool) and len(picked) < examples_per_category:
                    progressed = True
                    ex = pool[depth][1]
                    if excerpt_text(ex) not in texts:   # two rules on one sentence: show it once
                        texts.add(excerpt_text(ex))
                        picked.append(ex)
            if not progressed:
                break
            depth += 1
        if picked:
            examples[cat] = [_example_dict(ex, agent_map) for ex in picked]

    # metadata problems
    issue_fields = [*DIMENSIONS, "date"]
    meta_summary = []
    for fieldname in issue_fields:
        for problem in ("missing", "malformed"):
            count = agg.problems.get((fieldname, problem), 0)
            if not count:
                continue
            absent_everywhere = problem == "missing" and not agg.known.get(fieldname) and \
                agg.problems.get((fieldname, "malformed"), 0) == 0
            locations = [] if absent_everywhere else [
                {"source": i.source, "line": i.line, "value": i.value}
                for i in agg.issues if i.field == fieldname and i.problem == problem]
            meta_summary.append({"field": fieldname, "problem": problem, "replies": count,
                                 "absent_everywhere": absent_everywhere, "locations": locations})

    errors = list(input_errors)
    summary: dict[str, Any] = {
        "schema": SCHEMA,
        "generated": generated or _now(),
        "report_lang": lang,
        "inputs": list(inputs),
        "filters": dict(filters or {}),
        "anonymized_agents": anonymize_key is not None,
        "totals": {
            **tally_figures(agg.total),
            "by_severity": {s: agg.severity.get(s, 0) for s in ("error", "warning", "info")},
            "languages": dict(sorted(agg.langs.items(), key=lambda kv: (-kv[1], kv[0]))),
            "excluded": dict(sorted(agg.excluded.items())),
        },
        "score": {
            "full": 100,
            "formula": "mean over replies of max(0, 100 - sum of the weights of the categories "
                       "with at least one finding in the reply)",
            "weights": {c: agg.weights.get(c, 0.0) for c in CATEGORIES},
        },
        "categories": categories,
        "groups": groups,
        "trend": trend,
        "top_rules": rules,
        "examples": examples,
        "masked": agg.mask,
        "metadata_issues": meta_summary,
        "input_errors": {
            "count": input_error_count if input_error_count is not None else len(errors),
            "shown": [e.to_dict() for e in errors],
        },
    }
    return summary


def _now() -> str:
    """Now, or ``$SOURCE_DATE_EPOCH`` (reproducible reports, e.g. the committed sample)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).isoformat(timespec="seconds")
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _example_dict(ex, agent_map: Mapping[str, str]) -> dict[str, Any]:
    d = {
        "rule": ex.rule, "category": ex.category, "message": ex.message,
        "before": ex.before, "match": ex.match, "after": ex.after,
        "suggestions": list(ex.suggestions),
        "source": ex.source, "line": ex.line, "reply_id": ex.reply_id, "lang": ex.lang,
        "agent": agent_map.get(ex.agent, ex.agent) if ex.agent else None,
        "team": ex.team, "channel": ex.channel, "date": ex.date,
    }
    if agent_map:
        for k in ("before", "match", "after"):
            d[k] = privacy.replace_names(d[k], agent_map)
        d["suggestions"] = [privacy.replace_names(s, agent_map) for s in d["suggestions"]]
        d["reply_id"] = privacy.replace_names(d["reply_id"], agent_map)
    return d
