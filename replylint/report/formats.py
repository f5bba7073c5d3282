"""Markdown, CSV and JSON renderings of a report summary (see :mod:`replylint.report.summary`).

CSV is "long" (tidy): one figure per row with the columns
``section, dimension, group, category, metric, value`` — it pivots in a spreadsheet or BI tool
without knowing the categories in advance.
"""
from __future__ import annotations

import csv
import io
from typing import Any

from ..finding import CATEGORIES
from .aggregate import dumps
from .labels import category_label, labels

TALLY_METRICS = ("replies", "replies_with_findings", "share_with_findings", "findings",
                 "findings_per_100", "score")


def fmt_num(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.1f}"
    return str(x)


def fmt_weight(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def render_json(summary: dict) -> str:
    return dumps(summary) + "\n"


def render_csv(summary: dict) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "dimension", "group", "category", "metric", "value"])

    def val(x):
        return "" if x is None else (f"{x:.1f}" if isinstance(x, float) else x)

    t = summary["totals"]
    for m in TALLY_METRICS:
        w.writerow(["totals", "", "", "", m, val(t[m])])
    for c in summary["categories"]:
        for m in ("findings", "replies", "share", "findings_per_100", "weight"):
            w.writerow(["category", "", "", c["category"], m, val(c[m])])
    for dim, rows in summary["groups"].items():
        for r in rows:
            for m in TALLY_METRICS:
                w.writerow(["group", dim, r["group"], "", m, val(r[m])])
            for cat, n in r["categories"].items():
                w.writerow(["group", dim, r["group"], cat, "findings", n])
    trend = summary["trend"]
    for p in trend["points"]:
        for m in TALLY_METRICS:
            w.writerow(["trend", trend["period"], p["period"], "", m, val(p[m])])
    for r in summary["top_rules"]:
        for m in ("findings", "replies"):
            w.writerow(["rule", "", r["rule"], r["category"], m, r[m]])
    for issue in summary["metadata_issues"]:
        w.writerow(["metadata", issue["field"], issue["problem"], "", "replies", issue["replies"]])
    return out.getvalue()


def _md_cell(s: Any) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: list[list[Any]], right_from: int = 1) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in head) + " |",
             "|" + "|".join("---" if i < right_from else "---:" for i in range(len(head))) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(_md_cell(fmt_num(x)) for x in r) + " |")
    return lines


def render_markdown(summary: dict) -> str:
    lang = summary["report_lang"]
    L = labels(lang)
    t = summary["totals"]
    md: list[str] = [f"# {L['title']}", ""]
    meta = [f"{L['generated']}: {summary['generated']}"]
    if summary["inputs"]:
        meta.append(f"{L['inputs']}: " + ", ".join(f"`{p}`" for p in summary["inputs"]))
    trend = summary["trend"]
    if trend.get("first_date"):
        meta.append(f"{L['period']}: {trend['first_date']} – {trend['last_date']}")
    md += [" · ".join(meta), ""]

    md += _table(["", ""], [
        [L["replies_checked"], t["replies"]],
        [L["share_flagged"], f"{fmt_num(t['share_with_findings'])}% ({t['replies_with_findings']})"],
        [L["score"], t["score"]],
        [L["per_100"], t["findings_per_100"]],
        [L["findings"], t["findings"]],
    ])
    if t.get("excluded"):
        names = {"lang": L["excluded_lang"], "date": L["excluded_date"], "undated": L["excluded_undated"]}
        md += ["", f"{L['excluded']}: " + ", ".join(f"{n} {names.get(k, k)}" for k, n in t["excluded"].items())]
    md.append("")

    md += [f"## {L['categories']}", ""]
    cats = [c for c in summary["categories"] if c["findings"]]
    if cats:
        md += _table([L["category"], "", L["findings"], L["replies"], L["share"] + " (%)", L["per_100"]],
                     [[f"`{c['category']}`", category_label(c["category"], lang), c["findings"], c["replies"],
                       c["share"], c["findings_per_100"]] for c in cats], right_from=2)
    else:
        md.append(L["none"])
    md.append("")

    active = [c["category"] for c in cats]
    for dim, rows in summary["groups"].items():
        md += [f"## {L['by']} {L[dim]}", ""]
        md += _table([L["group"], L["replies"], L["flagged"] + " (%)", L["findings"], L["per_100"], L["score"],
                      *active],
                     [[r["group"], r["replies"], r["share_with_findings"], r["findings"], r["findings_per_100"],
                       r["score"], *[r["categories"].get(c, 0) for c in active]] for r in rows])
        md.append("")

    if trend["points"]:
        md += [f"## {L['trend']} ({L[trend['period']]})", ""]
        md += _table([L[trend["period"]], L["replies"], L["flagged"] + " (%)", L["findings"], L["per_100"],
                      L["score"]],
                     [[p["period"], p["replies"], p["share_with_findings"], p["findings"], p["findings_per_100"],
                       p["score"]] for p in trend["points"]])
        if trend["undated"]:
            md += ["", f"{trend['undated']} {L['undated']}."]
        md.append("")

    if summary["top_rules"]:
        md += [f"## {L['top_rules']}", ""]
        md += _table([L["rule"], L["category"], L["message"], L["findings"], L["replies"]],
                     [[f"`{r['rule']}`", r["category"], r["message"], r["findings"], r["replies"]]
                      for r in summary["top_rules"]], right_from=3)
        md.append("")

    if summary["examples"]:
        md += [f"## {L['examples']}", "",
               L["examples_intro"] if summary.get("masked", True) else L["examples_intro_nomask"], ""]
        for cat in CATEGORIES:
            exs = summary["examples"].get(cat)
            if not exs:
                continue
            md += [f"### `{cat}` — {category_label(cat, lang)}", ""]
            for ex in exs:
                where = f"{ex['source']}:{ex['line']}"
                extra = " · ".join(x for x in (ex.get("agent"), ex.get("channel"), ex.get("date")) if x)
                text = (_md_inline(ex["before"]) + "**" + _md_inline(ex["match"]).strip() + "**"
                        + _md_inline(ex["after"])) if ex["match"].strip() else _md_inline(
                            ex["before"] + ex["after"])
                md.append(f"- `{ex['rule']}` ({where}{' · ' + extra if extra else ''}): {text}")
                for s in ex["suggestions"] or []:
                    md.append(f"  - {L['suggestion']}: {_md_inline(s)}")
            md.append("")

    md += [f"## {L['how_score']}", "", L["score_formula"], ""]
    md += _table([L["category"], L["weight"]],
                 [[f"`{c}`", fmt_weight(w)] for c, w in summary["score"]["weights"].items()])
    md.append("")

    if summary["metadata_issues"]:
        md += [f"## {L['metadata']}", "", L["metadata_intro"], ""]
        for issue in summary["metadata_issues"]:
            head = f"- {issue['field']}: {L[issue['problem']]} — {issue['replies']} {L['replies'].lower()}"
            if issue["absent_everywhere"]:
                head += f" ({L['absent_everywhere']})"
            md.append(head)
            locs = issue["locations"]
            for loc in locs[:10]:
                v = f" (`{_md_inline(loc['value'])}`)" if loc["value"] else ""
                md.append(f"  - {loc['source']}:{loc['line']}{v}")
            more = issue["replies"] - min(len(locs), 10)
            if locs and more > 0:
                md.append(f"  - … {L['and_more'].format(n=more)}")
        md.append("")

    errs = summary["input_errors"]
    if errs["count"]:
        md += [f"## {L['input_errors']}", ""]
        for e in errs["shown"][:20]:
            pos = "".join(f":{p}" for p in (e.get("line"), e.get("column")) if p is not None)
            md.append(f"- {e['source']}{pos}: {_md_inline(e['message'])}")
        if errs["count"] > min(20, len(errs["shown"])):
            md.append(f"- … {L['and_more'].format(n=errs['count'] - min(20, len(errs['shown'])))}")
        md.append("")
    md += ["---", L["footer"], ""]
    return "\n".join(md)


def _md_inline(s: str) -> str:
    out = s.replace("\\", "\\\\")
    for ch in "*_`[]<>|":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " ")
