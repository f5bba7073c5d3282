"""The self-contained HTML report: one file with inline CSS, inline Chart.js (vendored, see
``vendor/README.md``), inline data and script.  A Content-Security-Policy forbids every network
request, so the report behaves the same offline, in a mail attachment, or on a file share.

All figures are also rendered server-side into plain HTML tables, so the numbers are there even
where scripts are blocked; the script only adds the charts and column sorting.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from html import escape
from importlib import resources
from string import Template
from typing import Any

from ..finding import CATEGORIES
from .formats import fmt_num, fmt_weight
from .labels import category_label, labels


def _join(base, parts):
    for p in parts:
        base = base.joinpath(p)
    return base


@lru_cache(maxsize=None)
def _asset(*parts: str) -> str:
    return _join(resources.files(__package__), parts).read_text(encoding="utf-8")


def chartjs_source() -> str:
    src = _asset("vendor", "chart.umd.min.js")
    # the source map is not shipped; drop the pointer so no tool tries to fetch it
    return re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", src)


def _e(x: Any) -> str:
    return escape("" if x is None else str(x), quote=True)


def _num_td(x: Any, cls: str = "") -> str:
    v = "" if x is None else x
    zero = " zero" if x == 0 else ""
    return f'<td class="num{zero}{(" " + cls) if cls else ""}" data-value="{_e(v)}">{_e(fmt_num(x))}</td>'


def _score_cls(score: float | None) -> str:
    if score is None:
        return ""
    return "score-good" if score >= 85 else "score-bad" if score < 70 else ""


def _json_for_script(data: Any) -> str:
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_html(summary: dict) -> str:
    lang = summary["report_lang"]
    L = labels(lang)
    t = summary["totals"]
    trend = summary["trend"]

    meta = [f"{_e(L['generated'])}: {_e(summary['generated'])}"]
    if summary["inputs"]:
        meta.append(f"{_e(L['inputs'])}: " + ", ".join(f"<code>{_e(p)}</code>" for p in summary["inputs"]))
    if trend.get("first_date"):
        meta.append(f"{_e(L['period'])}: {_e(trend['first_date'])} – {_e(trend['last_date'])}")
    if t["languages"]:
        meta.append(f"{_e(L['languages'])}: " + ", ".join(f"{_e(k)} {v}" for k, v in t["languages"].items()))

    def figure(fid: str, label: str, value: Any, shown: str, sub: str = "", cls: str = "") -> str:
        return (f'<div class="figure" id="figure-{fid}" data-value="{_e(value)}"><span class="value {cls}">'
                f'{_e(shown)}</span><span class="label">{_e(label)}</span>'
                + (f'<br><span class="sub">{_e(sub)}</span>' if sub else "") + "</div>")

    headline = "\n".join([
        figure("replies", L["replies_checked"], t["replies"], str(t["replies"])),
        figure("share", L["share_flagged"], t["share_with_findings"], f"{fmt_num(t['share_with_findings'])}%",
               f"{t['replies_with_findings']} / {t['replies']}"),
        figure("score", L["score"], t["score"], fmt_num(t["score"]), "0–100", _score_cls(t["score"])),
        figure("per100", L["per_100"], t["findings_per_100"], fmt_num(t["findings_per_100"]),
               f"{L['findings']}: {t['findings']}"),
    ])

    excluded = ""
    if t.get("excluded"):
        names = {"lang": L["excluded_lang"], "date": L["excluded_date"], "undated": L["excluded_undated"]}
        excluded = (f'<p class="note" id="excluded">{_e(L["excluded"])}: '
                    + ", ".join(f"{n} {_e(names.get(k, k))}" for k, n in t["excluded"].items()) + "</p>")

    # categories
    cats = [c for c in summary["categories"] if c["findings"]]
    if cats:
        rows = "".join(
            f'<tr data-category="{_e(c["category"])}"><td><code>{_e(c["category"])}</code></td>'
            f'<td>{_e(category_label(c["category"], lang))}</td>'
            + _num_td(c["findings"]) + _num_td(c["replies"]) + _num_td(c["share"]) + _num_td(c["findings_per_100"])
            + "</tr>" for c in cats)
        categories_table = (
            '<div class="table-wrap"><table id="table-categories" class="sortable"><thead><tr>'
            f'<th>{_e(L["category"])}</th><th></th><th class="num">{_e(L["findings"])}</th>'
            f'<th class="num">{_e(L["replies"])}</th><th class="num">{_e(L["share"])} (%)</th>'
            f'<th class="num">{_e(L["per_100_short"])}</th></tr></thead><tbody>{rows}</tbody></table></div>')
    else:
        categories_table = f'<p id="table-categories" class="note">{_e(L["none"])}</p>'

    active = [c["category"] for c in cats]

    # groups
    group_sections = []
    for dim, grows in summary["groups"].items():
        head = (f'<th>{_e(L["group"])}</th><th class="num">{_e(L["replies"])}</th>'
                f'<th class="num">{_e(L["flagged_pct"])}</th><th class="num">{_e(L["findings"])}</th>'
                f'<th class="num">{_e(L["per_100_short"])}</th><th class="num">{_e(L["score_short"])}</th>'
                + "".join(f'<th class="num" title="{_e(category_label(c, lang))}"><code>{_e(c)}</code></th>'
                          for c in active))
        body = "".join(
            f'<tr data-group="{_e(r["group"])}"><td>{_e(r["group"])}</td>' + _num_td(r["replies"])
            + _num_td(r["share_with_findings"]) + _num_td(r["findings"]) + _num_td(r["findings_per_100"])
            + _num_td(r["score"], _score_cls(r["score"]))
            + "".join(_num_td(r["categories"].get(c, 0)) for c in active) + "</tr>"
            for r in grows)
        group_sections.append(
            f'<section id="group-{_e(dim)}"><h2>{_e(L["by"])} {_e(L[dim])}</h2>'
            f'<p class="note">{_e(L["sort_hint"])}</p><div class="table-wrap">'
            f'<table id="table-group-{_e(dim)}" class="sortable" data-dimension="{_e(dim)}"><thead><tr>{head}'
            f'</tr></thead><tbody>{body}</tbody></table></div></section>')

    # trend
    trend_html = ""
    if trend["points"]:
        pl = L[trend["period"]]
        body = "".join(
            f'<tr data-period="{_e(p["period"])}"><td>{_e(p["period"])}</td>' + _num_td(p["replies"])
            + _num_td(p["share_with_findings"]) + _num_td(p["findings"]) + _num_td(p["findings_per_100"])
            + _num_td(p["score"], _score_cls(p["score"])) + "</tr>" for p in trend["points"])
        undated = (f'<p class="note">{trend["undated"]} {_e(L["undated"])}.</p>' if trend["undated"] else "")
        trend_html = (
            f'<section id="trend"><h2>{_e(L["trend"])} ({_e(pl)})</h2>'
            f'<div class="chart-box chart-trend"><canvas id="chart-trend" role="img" aria-label="{_e(L["trend"])}">'
            f'</canvas></div><div class="table-wrap"><table id="table-trend" class="sortable"><thead><tr>'
            f'<th>{_e(pl)}</th><th class="num">{_e(L["replies"])}</th><th class="num">{_e(L["flagged_pct"])}</th>'
            f'<th class="num">{_e(L["findings"])}</th><th class="num">{_e(L["per_100_short"])}</th>'
            f'<th class="num">{_e(L["score_short"])}</th></tr></thead><tbody>{body}</tbody></table></div>{undated}</section>')

    # top rules
    rules_html = ""
    if summary["top_rules"]:
        body = "".join(
            f'<tr data-rule="{_e(r["rule"])}"><td><code>{_e(r["rule"])}</code></td><td><code>{_e(r["category"])}'
            f'</code></td><td>{_e(r["message"])}</td>' + _num_td(r["findings"]) + _num_td(r["replies"]) + "</tr>"
            for r in summary["top_rules"])
        rules_html = (
            f'<section id="rules"><h2>{_e(L["top_rules"])}</h2><div class="table-wrap">'
            f'<table id="table-rules" class="sortable"><thead><tr><th>{_e(L["rule"])}</th>'
            f'<th>{_e(L["category"])}</th><th>{_e(L["message"])}</th><th class="num">{_e(L["findings"])}</th>'
            f'<th class="num">{_e(L["replies"])}</th></tr></thead><tbody>{body}</tbody></table></div></section>')

    # examples
    examples_html = ""
    if summary["examples"]:
        parts = [f'<section id="examples"><h2>{_e(L["examples"])}</h2><p class="note">'
                 f'{_e(L["examples_intro"] if summary.get("masked", True) else L["examples_intro_nomask"])}</p>']
        for cat in CATEGORIES:
            exs = summary["examples"].get(cat)
            if not exs:
                continue
            parts.append(f'<h3 id="examples-{_e(cat)}"><code>{_e(cat)}</code> — {_e(category_label(cat, lang))}</h3>')
            for ex in exs:
                where = " · ".join(_e(x) for x in (f"{ex['source']}:{ex['line']}", ex.get("agent"),
                                                   ex.get("channel"), ex.get("date")) if x)
                sugg = "".join(f"<div>{_e(s)}</div>" for s in ex["suggestions"]) or _e(L["no_suggestion"])
                match = f"<mark>{_e(ex['match'])}</mark>" if ex["match"] else ""
                parts.append(
                    f'<div class="example" data-category="{_e(cat)}" data-rule="{_e(ex["rule"])}">'
                    f'<div><div class="excerpt">{_e(ex["before"])}{match}{_e(ex["after"])}</div>'
                    f'<div class="message"><code>{_e(ex["rule"])}</code> — {_e(ex["message"])}</div>'
                    f'<div class="where">{where}</div></div>'
                    f'<div class="suggestion"><b>{_e(L["suggestion"])}</b>{sugg}</div></div>')
        parts.append("</section>")
        examples_html = "".join(parts)

    weights_table = (
        '<div class="table-wrap"><table id="table-weights" class="sortable"><thead><tr>'
        f'<th>{_e(L["category"])}</th><th></th><th class="num">{_e(L["weight"])}</th></tr></thead><tbody>'
        + "".join(f'<tr><td><code>{_e(c)}</code></td><td>{_e(category_label(c, lang))}</td>'
                  f'<td class="num" data-value="{w}">{_e(fmt_weight(w))}</td></tr>'
                  for c, w in summary["score"]["weights"].items())
        + "</tbody></table></div>")

    metadata_html = ""
    if summary["metadata_issues"]:
        items = []
        for issue in summary["metadata_issues"]:
            text = (f'<b>{_e(issue["field"])}</b>: {_e(L[issue["problem"]])} — {issue["replies"]} '
                    f'{_e(L["replies"].lower())}')
            if issue["absent_everywhere"]:
                text += f' ({_e(L["absent_everywhere"])})'
            locs = issue["locations"]
            sub = "".join(f"<li><code>{_e(loc['source'])}:{loc['line']}</code>"
                          + (f" — <code>{_e(loc['value'])}</code>" if loc["value"] else "") + "</li>"
                          for loc in locs[:20])
            more = issue["replies"] - min(len(locs), 20)
            if locs and more > 0:
                sub += f"<li>… {_e(L['and_more'].format(n=more))}</li>"
            items.append(f'<li data-field="{_e(issue["field"])}" data-problem="{_e(issue["problem"])}" '
                         f'data-replies="{issue["replies"]}">{text}' + (f"<ul>{sub}</ul>" if sub else "") + "</li>")
        metadata_html = (f'<section id="metadata"><h2>{_e(L["metadata"])}</h2><p class="note">'
                         f'{_e(L["metadata_intro"])}</p><ul class="issues">{"".join(items)}</ul></section>')

    errors_html = ""
    errs = summary["input_errors"]
    if errs["count"]:
        lis = "".join(
            "<li><code>" + _e(e["source"] + "".join(f":{p}" for p in (e.get("line"), e.get("column"))
                                                    if p is not None)) + "</code> " + _e(e["message"]) + "</li>"
            for e in errs["shown"][:50])
        if errs["count"] > min(50, len(errs["shown"])):
            lis += f"<li>… {_e(L['and_more'].format(n=errs['count'] - min(50, len(errs['shown']))))}</li>"
        errors_html = (f'<section id="input-errors" data-count="{errs["count"]}"><h2>{_e(L["input_errors"])}'
                       f' ({errs["count"]})</h2><ul class="issues">{lis}</ul></section>')

    # what the script needs
    data = {
        "labels": {k: L[k] for k in ("per_100", "score", "findings", "replies")},
        "categories": [{"category": c["category"], "label": category_label(c["category"], lang),
                        "findings": c["findings"], "replies": c["replies"],
                        "findings_per_100": c["findings_per_100"]} for c in summary["categories"]],
        "trend": {"period": trend["period"],
                  "points": [{k: p[k] for k in ("period", "score", "findings_per_100", "replies")}
                             for p in trend["points"]]},
    }

    return Template(_asset("templates", "report.html")).substitute(
        lang=_e(lang),
        title=_e(L["title"]),
        css=_asset("templates", "report.css"),
        meta=" · ".join(meta),
        headline=headline,
        excluded=excluded,
        h_categories=_e(L["categories"]),
        categories_table=categories_table,
        groups="\n".join(group_sections),
        trend=trend_html,
        rules=rules_html,
        examples=examples_html,
        h_score=_e(L["how_score"]),
        score_formula=_e(L["score_formula"]),
        weights_table=weights_table,
        metadata=metadata_html,
        input_errors=errors_html,
        footer=_e(L["footer"]),
        data=_json_for_script(data),
        chartjs=chartjs_source(),
        appjs=_asset("templates", "report.js"),
    )
