"""What readers produce and the linter consumes: one reply with its metadata and a way back
from a character offset in the reply text to a line/column in the source file.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Protocol


class Locator(Protocol):
    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the source file for a character offset in the reply text."""


def line_starts(text: str) -> list[int]:
    """Offsets at which the lines of ``text`` start."""
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


class TextLocator:
    """The reply text *is* (a slice of) the source file: offsets map through its newlines.

    ``base_line``/``base_column`` give where the reply text starts in the file (1-based).
    """

    __slots__ = ("_starts", "base_line", "base_column")

    def __init__(self, text: str, base_line: int = 1, base_column: int = 1):
        self._starts = line_starts(text)
        self.base_line = base_line
        self.base_column = base_column

    def position(self, offset: int) -> tuple[int, int]:
        idx = bisect.bisect_right(self._starts, offset) - 1
        col = offset - self._starts[idx] + 1
        if idx == 0:
            col += self.base_column - 1
        return self.base_line + idx, col


class LineLocator:
    """Every offset maps to one fixed line (a JSONL record, a CSV row): column = 1."""

    __slots__ = ("line", "column")

    def __init__(self, line: int, column: int = 1):
        self.line = line
        self.column = column

    def position(self, offset: int) -> tuple[int, int]:
        return self.line, self.column


class OffsetMapLocator:
    """For text extracted from markup (HTML, JSON strings with escapes): ``offsets[i]`` is the
    character offset in the *source file* of reply-text character ``i``; ``source_text`` is the
    whole source file, used to turn file offsets into line/column."""

    __slots__ = ("_offsets", "_file")

    def __init__(self, offsets: list[int], source_text: str):
        self._offsets = offsets
        self._file = TextLocator(source_text)

    def position(self, offset: int) -> tuple[int, int]:
        if not self._offsets:
            return 1, 1
        offset = min(max(offset, 0), len(self._offsets) - 1)
        return self._file.position(self._offsets[offset])


@dataclass(slots=True)
class Record:
    """One reply to lint.

    ``id`` is the record's id (JSONL/CSV/export) or the file path (``-`` for stdin);
    ``source`` is the file it came from; ``meta`` holds optional metadata such as
    ``agent``, ``team``, ``channel``, ``date``, ``ticket``, ``title``.
    ``suppress`` lists rule ids/prefixes/categories disabled for this record by a per-record
    field (``replylint_disable`` in JSON/YAML/CSV libraries).
    """

    id: str
    text: str
    source: str = "-"
    lang: str | None = None
    meta: dict = field(default_factory=dict)
    locator: Locator | None = None
    suppress: tuple[str, ...] = ()
    dialect: str | None = None

    def position(self, offset: int) -> tuple[int, int]:
        if self.locator is None:
            self.locator = TextLocator(self.text)
        return self.locator.position(offset)
