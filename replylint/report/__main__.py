"""``python -m replylint.report FILES ...``: the report command on its own (same options as
``replylint report``)."""
from __future__ import annotations

import typer

from .cli import report


def main() -> None:
    typer.run(report)


if __name__ == "__main__":
    main()
