"""GitHub Actions workflow commands (``::error file=…,line=…::message``), one per finding.

Escaping follows ``escapeData``/``escapeProperty`` in actions/toolkit
(packages/core/src/command.ts): ``%`` → ``%25``, CR → ``%0D``, LF → ``%0A``, and in property
values also ``:`` → ``%3A`` and ``,`` → ``%2C``.  Like the toolkit, properties with an empty
value are left out.  Columns are only sent for single-line findings (GitHub ignores
``col``/``endColumn`` when ``line`` and ``endLine`` differ).  ``endColumn`` is passed on
as the exclusive end column, as in SARIF (GitHub's docs do not say; github/docs#40038 reports
that it is exclusive in practice).
"""
from __future__ import annotations

from typing import IO, TYPE_CHECKING

from ..finding import Finding, Severity
from ._common import is_zero_width_placement, relative_source

if TYPE_CHECKING:  # pragma: no cover
    from ..results import RunResult

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return (s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


def command(name: str, properties: dict[str, object], message: str) -> str:
    """One workflow command line (without the trailing newline)."""
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items()
                     if v is not None and v != "")
    return f"::{name}{' ' if props else ''}{props}::{escape_data(message)}"


def finding_properties(f: Finding, file: str | None) -> dict[str, object]:
    """Annotation properties; ``file`` is ``f.source`` relative to the current directory."""
    if file is None:  # standard input: no position to annotate
        return {"title": f"{f.rule} ({f.category})"}
    props: dict[str, object] = {"file": file, "line": f.line}
    if f.line == f.end_line and not is_zero_width_placement(f):
        props["col"] = f.column
        props["endLine"] = f.end_line
        props["endColumn"] = f.end_column
    else:
        props["endLine"] = f.end_line
    props["title"] = f"{f.rule} ({f.category})"
    return props


def finding_message(f: Finding) -> str:
    lines = [f.message]
    lines.extend(f"→ {s}" for s in f.suggestions)
    return "\n".join(lines)


def render(run: "RunResult", *, out: IO[str], **_: object) -> None:
    write = out.write
    files: dict[str, str | None] = {}
    for r in run.results:
        for f in r.findings:
            file = files.get(f.source, "")
            if file == "":
                file = files[f.source] = relative_source(f.source)
            write(command(COMMAND[f.severity], finding_properties(f, file), finding_message(f)))
            write("\n")
    for e in run.errors:
        file = relative_source(e.source)
        props = {"file": file, "line": e.line, "col": e.column} if file else {}
        props["title"] = "replylint input error"
        write(command("error", props, e.message if file else str(e)))
        write("\n")
