"""The ``replylint report`` command (registered by ``replylint/cli.py`` with
``app.command("report")(report)``).

Exit codes: 0 the report was written; 2 usage errors (bad option, unreadable weights file), or the
report was written but some input could not be read (each input error is printed on stderr and
listed in the report; it never stops the report).
"""
from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

FORMATS = ("html", "md", "csv", "json")
_SUFFIX_FORMAT = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".csv": "csv",
                  ".json": "json"}


class ReportFormat(str, Enum):
    html = "html"
    md = "md"
    csv = "csv"
    json = "json"


class GroupBy(str, Enum):
    agent = "agent"
    team = "team"
    channel = "channel"


class ReportLang(str, Enum):
    nl = "nl"
    en = "en"


def _iso_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)", param_hint=option) from None


def _err(msg: str) -> None:
    sys.stderr.write(f"replylint report: {msg}\n")


def _load_config(path: Optional[Path]):
    """The replylint config: ``--config``, else the one found from the working directory upwards
    (``.replylint.yaml`` or ``[tool.replylint]``), else defaults — as for ``replylint lint``."""
    from ..config import load_config

    return load_config(path)


def _write(out: Optional[Path], text: str) -> None:
    if out is None or str(out) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ..api import atomic_write
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, text)


def report(
    paths: Annotated[list[str], typer.Argument(
        help="Files or folders with past replies (CSV, JSONL, helpdesk exports; '-' for stdin). "
             "Optional metadata columns: agent, team, channel, date, ticket.", show_default=False)],
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Write the report here (default: stdout). The format follows the file "
                            "extension unless --format is given.")] = None,
    format: Annotated[Optional[ReportFormat], typer.Option(
        "--format", "-f", help="html (one self-contained file), md, csv (one figure per row) or json.",
        case_sensitive=False)] = None,
    group_by: Annotated[Optional[list[GroupBy]], typer.Option(
        "--group-by", "-g", help="Per-group tables (repeatable). Default: every field the input has.",
        case_sensitive=False)] = None,
    since: Annotated[Optional[str], typer.Option(
        help="Only replies dated on or after this ISO date (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(
        help="Only replies dated on or before this ISO date (YYYY-MM-DD).")] = None,
    lang: Annotated[Optional[str], typer.Option(
        help="Only replies in this language (nl or en), as detected or given by the input.")] = None,
    report_lang: Annotated[Optional[ReportLang], typer.Option(
        "--report-lang", help="Language of the report labels. Default: the dominant language of the "
                              "replies.", case_sensitive=False)] = None,
    anonymize_agents: Annotated[bool, typer.Option(
        "--anonymize-agents", help="Replace agent names by stable pseudonyms such as 'Agent 7f3a' "
                                   "(keyed hash; also inside excerpts).")] = False,
    anonymize_key: Annotated[Optional[str], typer.Option(
        "--anonymize-key", envvar="REPLYLINT_ANONYMIZE_KEY",
        help="Secret key for the pseudonyms. Default: a random key kept in "
             "~/.config/replylint/anonymize.key.", show_envvar=True)] = None,
    no_mask: Annotated[bool, typer.Option(
        "--no-mask", help="Do not mask customer data (e-mail, phone, IBAN, postcode, names) in "
                          "excerpts.")] = False,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=0, help="Worker processes (0: one per CPU core).")] = 1,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar and no notes on stderr (input errors are still "
                              "printed).")] = False,
    weights: Annotated[Optional[Path], typer.Option(
        "--weights", help="YAML/JSON with category weights for the quality score (category: weight, "
                          "or under weights: / report: weights:).")] = None,
    config: Annotated[Optional[Path], typer.Option(
        "--config", help="replylint config file (rules, packs, language settings).")] = None,
    input_format: Annotated[Optional[str], typer.Option(
        "--input-format", help="Force the input format instead of guessing from the file name.")] = None,
    text_column: Annotated[Optional[str], typer.Option(
        "--text-column", help="Column/field with the reply text.")] = None,
    id_column: Annotated[Optional[str], typer.Option(
        "--id-column", help="Column/field with the reply id.")] = None,
) -> None:
    """Quality report over many past replies: score, categories, per agent/team/channel, trend,
    top rules and masked example excerpts, as one self-contained HTML file or as Markdown, CSV or
    JSON."""
    from .aggregate import WeightsError, load_weights
    from .formats import render_csv, render_json, render_markdown
    from .html import render_html
    from .privacy import anonymize_key as get_key
    from .runner import RunOptions, run
    from .summary import summarize

    since_d = _iso_date(since, "--since")
    until_d = _iso_date(until, "--until")
    if since_d and until_d and since_d > until_d:
        raise typer.BadParameter("--since is after --until", param_hint="--since")
    if lang is not None and lang not in ("nl", "en"):
        raise typer.BadParameter(f"{lang!r}: expected nl or en", param_hint="--lang")
    fmt = format.value if format else _SUFFIX_FORMAT.get(out.suffix.lower(), "html") if out else "html"
    try:
        weight_map = load_weights(weights)
    except WeightsError as e:
        _err(str(e))
        raise typer.Exit(2)
    from ..yamlpos import ConfigError

    try:
        cfg = _load_config(config)
    except ConfigError as e:
        _err(str(e))
        raise typer.Exit(2)
    key = get_key(anonymize_key) if anonymize_agents else None

    def on_error(e) -> None:
        sys.stderr.write(f"{e}\n")

    opts = RunOptions(paths=paths, input_format=input_format, text_column=text_column,
                      id_column=id_column, config=cfg, weights=weight_map, lang=lang,
                      since=since_d, until=until_d, mask=not no_mask, jobs=jobs)
    show_progress = not quiet and sys.stderr.isatty()
    try:
        result = run(opts, progress=show_progress, on_error=on_error)
    except (ValueError, OSError, ConfigError) as e:  # bad --input-format, packs, unreadable files
        _err(str(e))
        raise typer.Exit(2)
    summary = summarize(
        result.aggregator, inputs=paths, group_by=[g.value for g in group_by or ()],
        report_lang=report_lang.value if report_lang else None, anonymize_key=key,
        filters={"since": since, "until": until, "lang": lang},
        input_errors=result.errors, input_error_count=result.error_count,
    )
    renderer = {"html": render_html, "md": render_markdown, "csv": render_csv, "json": render_json}[fmt]
    _write(out, renderer(summary))

    if not quiet:
        for issue in summary["metadata_issues"]:
            what = f"{issue['field']} {issue['problem']}"
            if issue["absent_everywhere"]:
                if issue["field"] in [g.value for g in group_by or ()] or (issue["field"] == "date"):
                    _err(f"note: no {issue['field']} in the input; counted as unknown")
                continue
            for loc in issue["locations"][:20]:
                v = f" ({loc['value']!r})" if loc["value"] else ""
                sys.stderr.write(f"{loc['source']}:{loc['line']}: {what}{v}; counted as unknown\n")
            more = issue["replies"] - min(20, len(issue["locations"]))
            if more > 0:
                _err(f"… and {more} more replies with {what}")
        if out is not None and str(out) != "-":
            t = summary["totals"]
            _err(f"wrote {out} ({fmt}): {t['replies']} replies, score {t['score']}, "
                 f"{t['findings_per_100']} findings per 100 replies")
    if result.error_count:
        raise typer.Exit(2)
