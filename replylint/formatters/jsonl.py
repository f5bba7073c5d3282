"""JSON Lines: one finding (``Finding.to_dict()``) per line, written as it goes.

Input errors are not part of this stream (every line is a finding); the CLI reports them
on stderr and through its exit code.
"""
from __future__ import annotations

from typing import IO, TYPE_CHECKING

from ._common import finding_json

if TYPE_CHECKING:  # pragma: no cover
    from ..results import RunResult


def render(run: "RunResult", *, out: IO[str], **_: object) -> None:
    write = out.write
    for r in run.results:
        for f in r.findings:
            write(finding_json(f))
            write("\n")
