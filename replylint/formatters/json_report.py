"""The JSON report: ``{"version": 1, "replies": N, "findings": [...], "errors": [...]}``.

Its JSON Schema is ``replylint/data/report.schema.json`` (:func:`report_schema`).
The report is written as it goes, one finding per line, so that it stays fast, streamable
and diff-friendly while remaining a single JSON document.
"""
from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING

from ._common import _one_line, compute_statistics, finding_json

if TYPE_CHECKING:  # pragma: no cover
    from ..results import RunResult

REPORT_VERSION = 1
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def report_schema() -> dict:
    """The JSON Schema (draft 2020-12) of the report this module writes."""
    from importlib.resources import files

    return json.loads(files("replylint").joinpath("data/report.schema.json").read_text(encoding="utf-8"))


def _write_array(out: IO[str], encoded) -> None:
    write = out.write
    first = True
    for item in encoded:
        write("\n  " if first else ",\n  ")
        write(item)
        first = False
    write("]" if first else "\n]")


def render(run: "RunResult", *, out: IO[str], statistics: bool = False, **_: object) -> None:
    write = out.write
    write(f'{{"version": {REPORT_VERSION}, "replies": {len(run.results)},\n"findings": [')
    _write_array(out, (finding_json(f) for r in run.results for f in r.findings))
    write(',\n"errors": [')
    _write_array(out, (_one_line(_dumps(e.to_dict())) for e in run.errors))
    if statistics:
        write(',\n"statistics": ')
        write(json.dumps(compute_statistics(run), ensure_ascii=False, indent=2))
    write("}\n")
