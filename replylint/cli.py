"""The command line: a thin typer layer over :mod:`replylint.engine`.

Exit codes (as ruff): 0 nothing at or above the fail level, 1 findings, 2 usage,
configuration or input error.
"""
from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .yamlpos import ConfigError

app = typer.Typer(
    name="replylint",
    help="Lint customer-service replies: greeting, acknowledgement, reassurance, blame, "
         "brush-offs, jargon, policy talk and more. Dutch first, English second.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(help="List, explain and test rules.", no_args_is_help=True)
config_app = typer.Typer(help="Inspect the effective configuration.", no_args_is_help=True)
baseline_app = typer.Typer(help="Adopt replylint on an existing library: record today's findings.",
                           no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(config_app, name="config")
app.add_typer(baseline_app, name="baseline")


class Fmt(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    github = "github"
    junit = "junit"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _die(msg: str, code: int = 2) -> "typer.Exit":
    sys.stderr.write(f"replylint: {msg}\n")
    return typer.Exit(code)


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _build_config(config: Path | None, isolated: bool, *, select=None, ignore=None, packs=None,
                  fail_on=None, lang=None, formality=None, dialect=None, extend_select=None):
    """Defaults < configuration file (``--config``, else found from the working directory up,
    unless ``--isolated``) < command-line options, each value remembering its origin."""
    from .config import DIALECTS, load_config
    cfg = load_config(config, search=False) if config is not None else load_config(None, search=not isolated)
    cli = "command line"
    if select:
        cfg.set("select", _split(select), cli)
    if extend_select:
        cfg.extend("select", _split(extend_select), cli)
    if ignore:
        cfg.extend("ignore", _split(ignore), cli)
    if packs:
        # paths on the command line are relative to the working directory, not to the config
        cfg.extend("packs", [str(Path(p).resolve()) if Path(p).exists() else p for p in packs], cli)
    if fail_on:
        cfg.set("fail_on", fail_on, cli)
    if lang:
        cfg.set("lang", lang.strip().lower(), cli)
    if formality:
        if formality not in ("u", "je", "either"):
            raise typer.BadParameter(f"must be u, je or either, not {formality!r}",
                                     param_hint="'--formality'")
        cfg.set("formality", formality, cli)
    if dialect:
        d = dialect.strip().lower()
        if d not in DIALECTS:
            raise typer.BadParameter(f"unknown dialect {dialect!r}; known: {', '.join(DIALECTS)}",
                                     param_hint="'--dialect'")
        cfg.set("dialect", d, cli)
    return cfg


# Common options -------------------------------------------------------------------------------
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="Configuration file "
                      "(.replylint.yaml or pyproject.toml); default: found from the working directory up.")]
NoConfigOpt = Annotated[bool, typer.Option("--isolated", help="Ignore configuration files.")]
PackOpt = Annotated[Optional[list[str]], typer.Option("--pack", help="Extra rule pack (directory or "
                    "YAML file); repeatable.")]
SelectOpt = Annotated[Optional[list[str]], typer.Option("--select", help="Only rules whose id starts "
                      "with this prefix, or of this category; comma-separated or repeatable.")]
IgnoreOpt = Annotated[Optional[list[str]], typer.Option("--ignore", help="Skip rules by id prefix or "
                      "category.")]
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="Force the reply language (nl, en); "
                    "default: detected per reply.")]


@app.command()
def check(
    paths: Annotated[list[str], typer.Argument(help="Files or directories to lint; '-' reads stdin.")],
    fmt: Annotated[Optional[Fmt], typer.Option("--format", "-f", help="Output format; default text "
                   "(github when GITHUB_ACTIONS=true).")] = None,
    lang: LangOpt = None,
    select: SelectOpt = None,
    extend_select: Annotated[Optional[list[str]], typer.Option("--extend-select", hidden=True)] = None,
    ignore: IgnoreOpt = None,
    pack: PackOpt = None,
    fail_on: Annotated[Optional[FailOn], typer.Option("--fail-on", help="Lowest severity that makes "
                       "the exit code 1 (default warning).")] = None,
    config: ConfigOpt = None,
    isolated: NoConfigOpt = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="Counts per rule and category.")] = False,
    input_format: Annotated[Optional[str], typer.Option("--input-format", help="Force the input "
                            "format (text, jsonl, csv, tsv, json, yaml, zendesk, freshdesk, intercom, "
                            "helpscout, gorgias, front, zammad).")] = None,
    text_column: Annotated[Optional[str], typer.Option("--text-column", help="CSV column with the reply.")] = None,
    id_column: Annotated[Optional[str], typer.Option("--id-column", help="CSV column with the id.")] = None,
    formality: Annotated[Optional[str], typer.Option("--formality", help="Require u, je, or either.")] = None,
    dialect: Annotated[Optional[str], typer.Option("--dialect", help="Placeholder dialect of the "
                       "library (zendesk, freshdesk, ...).")] = None,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="Only report findings not in "
                        "this baseline file.")] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply safe fixes to .txt/.md files (atomically).")] = False,
    unsafe_fixes: Annotated[bool, typer.Option("--unsafe-fixes", help="Also apply unsafe fixes.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Show the fixes as a unified diff; write nothing.")] = False,
    color: Annotated[Optional[bool], typer.Option("--color/--no-color", help="Force colour on or off.")] = None,
    show_source: Annotated[bool, typer.Option("--show-source/--no-show-source",
                           help="Show the offending line with the span underlined.")] = True,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this "
                      "file (atomically) instead of stdout.")] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even with findings.")] = False,
) -> None:
    """Lint replies and report findings."""
    from .api import run_check
    try:
        cfg = _build_config(config, isolated, select=select, ignore=ignore, packs=pack,
                            fail_on=fail_on.value if fail_on else None, lang=lang,
                            formality=formality, dialect=dialect, extend_select=extend_select)
        if fmt is None:
            fmt = Fmt.github if os.environ.get("GITHUB_ACTIONS") == "true" else Fmt.text
        code = run_check(paths, cfg, fmt=fmt.value, statistics=statistics, input_format=input_format,
                         text_column=text_column, id_column=id_column, baseline=baseline,
                         fix=fix or unsafe_fixes, unsafe_fixes=unsafe_fixes, diff=diff, color=color,
                         show_source=show_source, output=output)
    except (ConfigError, ValueError) as e:
        raise _die(str(e))
    except OSError as e:  # e.g. --output in a folder that does not exist
        raise _die(f"{getattr(e, 'filename', None) or ''}: {e.strerror or e}".lstrip(": "))
    raise typer.Exit(0 if exit_zero and code == 1 else code)


# rules ----------------------------------------------------------------------------------------
@rules_app.command("list")
def rules_list(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
    lang: LangOpt = None,
    pack: PackOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    config: ConfigOpt = None,
    isolated: NoConfigOpt = False,
) -> None:
    """List the active rules."""
    from .engine import Linter
    try:
        cfg = _build_config(config, isolated, select=select, ignore=ignore, packs=pack)
        linter = Linter(cfg)
    except (ConfigError, ValueError) as e:
        raise _die(str(e))
    infos = [r for r in linter.rules.values() if not lang or r.lang in (lang, "*")]
    if fmt == "json":
        import json
        sys.stdout.write(json.dumps([r.to_dict() for r in infos], ensure_ascii=False, indent=2) + "\n")
        return
    if fmt != "text":
        raise _die(f"--format must be text or json, not {fmt!r}")
    from rich.console import Console
    from rich.table import Table
    table = Table(show_header=True, header_style="bold", box=None)
    for col in ("rule", "category", "severity", "kind", "message"):
        table.add_column(col, overflow="fold")
    for r in infos:
        table.add_row(r.id, r.category, r.severity.value, r.kind, r.message)
    # off a terminal (piped, redirected) there is no width to respect: do not wrap rows
    Console(width=None if sys.stdout.isatty() else 240).print(table)
    sys.stdout.write(f"{len(infos)} rules\n")


@rules_app.command("explain")
def rules_explain(
    rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. nl.brush-off.weet-niet")],
    pack: PackOpt = None,
    config: ConfigOpt = None,
    isolated: NoConfigOpt = False,
) -> None:
    """Explain one rule: what it catches, why, rewrites and examples."""
    from .engine import Linter
    try:
        linter = Linter(_build_config(config, isolated, packs=pack))
    except (ConfigError, ValueError) as e:
        raise _die(str(e))
    rules = {r.id: r for r in linter.all_rules}
    rule = rules.get(rule_id)
    if rule is None:
        import difflib
        close = difflib.get_close_matches(rule_id, list(rules), n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise _die(f"no rule {rule_id!r}.{hint}")
    out = [f"{rule.id}  ({rule.category}, {linter.level(rule)}, kind {rule.name}, pack {rule.pack.name} "
           f"{rule.pack.version}, language {rule.pack.language})", "", rule.message]
    if rule.description:
        out += ["", rule.description.strip()]
    if rule.suggestions:
        out += ["", "Suggested rewrites:"] + [f"  -> {s}" for s in rule.suggestions]
    ex = rule.examples or {}
    if ex.get("fail"):
        out += ["", "Flags:"] + [f"  x {t!r}" for t in ex["fail"]]
    if ex.get("pass"):
        out += ["", "Does not flag:"] + [f"  v {t!r}" for t in ex["pass"]]
    if rule.fix_mode != "none":
        out += ["", f"Fix: {rule.fix_mode} (--fix{' --unsafe-fixes' if rule.fix_mode == 'unsafe' else ''})"]
    sys.stdout.write("\n".join(out) + "\n")


@rules_app.command("test")
def rules_test(
    packs: Annotated[Optional[list[str]], typer.Argument(help="Packs to test (default: all loaded).")] = None,
    isolated: NoConfigOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Run every rule's examples: each 'fail' example must flag the rule, each 'pass' must not."""
    from .engine import Linter
    from .packs import shipped_packs
    from .ruletest import run_examples
    shipped = set(shipped_packs())
    extra = [p for p in packs or [] if p not in shipped]
    try:
        cfg = _build_config(config, isolated, packs=extra)
        linter = Linter(cfg)
    except (ConfigError, ValueError) as e:
        raise _die(str(e))
    wanted = None
    if packs:
        paths = {str(Path(x).resolve()) for x in extra}
        wanted = {p.name for p in linter.packs if str(p.path) in paths or p.name in packs}
    try:
        failures, total, missing = run_examples(linter, wanted)
    except (ConfigError, ValueError) as e:
        raise _die(str(e))
    for line in missing:
        sys.stdout.write(f"MISSING {line}\n")
    for line in failures:
        sys.stdout.write(f"FAIL {line}\n")
    sys.stdout.write(f"{total - len(failures)} passed, {len(failures)} failed\n")
    raise typer.Exit(1 if failures or missing else 0)


def _shipped() -> list[str]:
    from .packs import shipped_packs
    return shipped_packs()


# config ---------------------------------------------------------------------------------------
@config_app.command("show")
def config_show(
    config: ConfigOpt = None,
    isolated: NoConfigOpt = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    pack: PackOpt = None,
    fail_on: Annotated[Optional[FailOn], typer.Option("--fail-on", help="As for check.")] = None,
    lang: LangOpt = None,
    formality: Annotated[Optional[str], typer.Option("--formality", help="u, je or either.")] = None,
    dialect: Annotated[Optional[str], typer.Option("--dialect", help="Placeholder dialect.")] = None,
) -> None:
    """Print the effective configuration and where each value came from (default, file:line
    or command line).  Takes the same options as `check`, to see what they change."""
    import json

    from .config import SPEC
    if fmt not in ("text", "json"):
        raise _die(f"--format must be text or json, not {fmt!r}")
    try:
        cfg = _build_config(config, isolated, select=select, ignore=ignore, packs=pack,
                            fail_on=fail_on.value if fail_on else None, lang=lang,
                            formality=formality, dialect=dialect)
    except ConfigError as e:
        raise _die(str(e))
    data = cfg.to_dict()
    if fmt == "json":
        sys.stdout.write(json.dumps({k: {"value": data[k], "origin": cfg.origin(k)} for k in SPEC},
                                    ensure_ascii=False, indent=2, default=str) + "\n")
        return
    width = max(len(k) for k in SPEC)
    for k in SPEC:
        value = json.dumps(data[k], ensure_ascii=False, default=str)
        sys.stdout.write(f"{k:<{width}}  {value:<40}  # {cfg.origin(k)}\n")


# baseline -------------------------------------------------------------------------------------
@baseline_app.command("create")
def baseline_create(
    paths: Annotated[list[str], typer.Argument(help="Files or directories of the library.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Baseline file to write.")] = Path(
        ".replylint-baseline.json"),
    config: ConfigOpt = None,
    isolated: NoConfigOpt = False,
    pack: PackOpt = None,
    input_format: Annotated[Optional[str], typer.Option("--input-format")] = None,
    text_column: Annotated[Optional[str], typer.Option("--text-column")] = None,
    id_column: Annotated[Optional[str], typer.Option("--id-column")] = None,
    lang: LangOpt = None,
) -> None:
    """Record the current findings so `check --baseline` fails only on new ones."""
    from .api import create_baseline
    try:
        cfg = _build_config(config, isolated, packs=pack, lang=lang)
        n, errors = create_baseline(paths, cfg, output, input_format=input_format,
                                    text_column=text_column, id_column=id_column)
    except (ConfigError, ValueError) as e:
        raise _die(str(e))
    sys.stderr.write(f"replylint: wrote {n} findings to {output}\n")
    raise typer.Exit(2 if errors else 0)


def _register_report() -> None:
    try:
        from .report.cli import report
    except ImportError:  # pragma: no cover - report package not installed
        return
    app.command("report", help="Quality report for trainers over many replies (HTML, md, csv, json).")(report)


_register_report()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.stderr.write("replylint: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:  # pragma: no cover - `replylint check ... | head`
        sys.stderr.close()
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
