"""Output formatters: turn a :class:`~replylint.results.RunResult` into text, JSON, JSONL,
SARIF 2.1.0, GitHub Actions workflow commands or JUnit XML.

Every formatter writes to the ``out`` stream it is given; none prints directly or exits.
Format modules are imported lazily so that ``--format json`` never pays for ``rich``.
"""
from __future__ import annotations

from importlib import import_module
from typing import IO, TYPE_CHECKING

from ..finding import Severity

if TYPE_CHECKING:  # pragma: no cover
    from ..results import RunResult

FORMATS: tuple[str, ...] = ("text", "json", "jsonl", "sarif", "github", "junit")

_MODULES = {
    "text": "text",
    "json": "json_report",
    "jsonl": "jsonl",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
}


def render(
    fmt: str,
    run: "RunResult",
    *,
    out: IO[str],
    color: bool | None = None,
    statistics: bool = False,
    show_source: bool = True,
    fail_level: "str | Severity | None" = Severity.WARNING,
) -> None:
    """Write ``run`` to ``out`` in format ``fmt`` (one of :data:`FORMATS`).

    - ``color``: text only; True/False force it, None = colour when ``out`` is a TTY and
      ``NO_COLOR`` is not set.
    - ``statistics``: text shows a per-rule/per-category count table instead of the findings;
      json adds a ``"statistics"`` object.  Other formats ignore it.
    - ``show_source``: text only; False leaves out the context line and underline.
    - ``fail_level``: junit only; replies with a finding at or above it get a ``<failure>``
      (``"never"`` or None: no failures, findings are listed in ``<system-out>``).

    Raises :class:`ValueError` for an unknown format.
    """
    try:
        module_name = _MODULES[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r} (expected one of: {', '.join(FORMATS)})") from None
    level = None if fail_level is None or fail_level == "never" else Severity.parse(fail_level)
    module = import_module(f"{__name__}.{module_name}")
    module.render(run, out=out, color=color, statistics=statistics, show_source=show_source, fail_level=level)


__all__ = ["FORMATS", "render"]
