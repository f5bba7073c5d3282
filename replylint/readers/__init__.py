"""Input readers: files, directories and stdin to a stream of :class:`Record` (or
:class:`InputError` for what could not be read -- reported, never fatal).

``read_inputs(paths, ...)`` is a generator all the way down: JSONL and CSV are read line by
line, so a 1,000,000-line file is never in memory at once, and positions of findings are
computed lazily (only when ``record.position()`` is called).

Formats (``input_format`` forces one; otherwise by extension, and for ``.json``/``.yaml``
by the document's shape):

=============  ==========================================================================
``text``       ``.txt``/``.md``: the whole file is one reply, id = the path as given
``jsonl``      ``.jsonl``/``.ndjson``: one ``{"id", "text", ...}`` object per line
``csv``        ``.csv`` (``.tsv`` = ``tsv``): a reply table, see :mod:`.csvfile`
``json``       ``.json``: generic reply list or a helpdesk export (shape-detected)
``yaml``       ``.yaml``/``.yml``: same as json
platform       ``zendesk``, ``freshdesk``, ``intercom``, ``helpscout``, ``gorgias``,
               ``front``, ``zammad``: a JSON/YAML (or, for zammad, CSV) export of that
               platform; ``Record.dialect`` is set to the platform name
=============  ==========================================================================

``"-"`` reads stdin: one reply (``text``), or any forced format (``jsonl`` streams).
Directories are walked recursively in sorted order, skipping hidden entries; only files with
a known extension are read, filtered by ``include``/``exclude`` globs (matched against the
path relative to the directory and against the file name; ``**/`` prefixes allowed; an
excluded directory is not entered).  Files named explicitly are always read (an unknown
extension is read as text).  Readers never write anywhere.
"""
from __future__ import annotations

import fnmatch
import io
import os
import sys
from typing import Iterable, Iterator

from replylint.finding import InputError
from replylint.readers._common import decode_utf8
from replylint.readers.csvfile import read_csv
from replylint.readers.exports import PLATFORMS
from replylint.readers.jsonl import read_jsonl
from replylint.readers.structured import read_document
from replylint.records import Record, TextLocator

__all__ = ["read_inputs", "detect_format", "FORMATS", "EXTENSIONS", "PLATFORMS"]

EXTENSIONS = {
    ".txt": "text", ".md": "text", ".markdown": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "tsv",
    ".json": "json",
    ".yaml": "yaml", ".yml": "yaml",
}
FORMATS = ("text", "jsonl", "csv", "tsv", "json", "yaml") + PLATFORMS


def detect_format(path: str) -> str | None:
    """Format from the file extension (``None``: not a known reply file)."""
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


def read_inputs(paths: Iterable[str], *, input_format: str | None = None,
                text_column: str | None = None, id_column: str | None = None,
                include: Iterable[str] = (), exclude: Iterable[str] = (),
                stdin=None) -> Iterator[Record | InputError]:
    """Stream the records of ``paths`` (files, directories, ``-`` for stdin).

    Raises ``ValueError`` at once for an unknown ``input_format``; everything else that goes
    wrong is yielded as an :class:`InputError` and reading goes on with the rest.
    """
    if input_format is not None:
        input_format = input_format.strip().lower().replace("-", "").replace("_", "")
        if input_format == "ndjson":
            input_format = "jsonl"
        if input_format == "yml":
            input_format = "yaml"
        if input_format not in FORMATS:
            raise ValueError(f"unknown input format {input_format!r} "
                             f"(expected one of {', '.join(FORMATS)})")
    if isinstance(include, str):
        include = (include,)
    if isinstance(exclude, str):
        exclude = (exclude,)
    opts = _Options(input_format, text_column, id_column, tuple(include), tuple(exclude))
    return _read_all(list(paths), opts, stdin)


class _Options:
    __slots__ = ("fmt", "text_column", "id_column", "include", "exclude")

    def __init__(self, fmt, text_column, id_column, include, exclude):
        self.fmt = fmt
        self.text_column = text_column
        self.id_column = id_column
        self.include = include
        self.exclude = exclude


def _read_all(paths: list[str], opts: _Options, stdin) -> Iterator[Record | InputError]:
    for p in paths:
        if p == "-":
            yield from _read_stdin(opts, stdin if stdin is not None else sys.stdin)
        elif os.path.isdir(p):
            for f in _walk(p, opts.include, opts.exclude):
                yield from _read_file(f, opts)
        else:
            yield from _read_file(p, opts)


# ------------------------------------------------------------------------------ walking

def _match(rel: str, name: str, pattern: str) -> bool:
    pattern = pattern.replace(os.sep, "/")
    if pattern.endswith("/"):
        pattern = pattern[:-1]
    cands = [pattern]
    while cands[-1].startswith("**/"):
        cands.append(cands[-1][3:])
    if pattern.endswith("/**"):
        cands.append(pattern[:-3])
    for pat in cands:
        if fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(name, pat):
            return True
        if pat.endswith("/**") and rel.startswith(pat[:-3] + "/"):
            return True
    return False


def _walk(root: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root):
        keep = []
        for d in sorted(dirnames):
            if d.startswith(".") or d == "__pycache__":
                continue
            rel = os.path.relpath(os.path.join(dirpath, d), root).replace(os.sep, "/")
            if exclude and any(_match(rel, d, g) for g in exclude):
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            if name.startswith(".") or detect_format(name) is None:
                continue
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            if include and not any(_match(rel, name, g) for g in include):
                continue
            if exclude and any(_match(rel, name, g) for g in exclude):
                continue
            yield full


# ------------------------------------------------------------------------------ reading

def _file_lines(path: str) -> Iterator[bytes]:
    with open(path, "rb") as f:
        yield from f


def _read_file(path: str, opts: _Options) -> Iterator[Record | InputError]:
    fmt = opts.fmt or detect_format(path) or "text"
    try:
        if fmt in ("jsonl", "csv", "tsv") or (fmt == "zammad" and _is_csv(path)):
            # Open now so that a missing/unreadable file is reported here, then stream.
            f = open(path, "rb")
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as e:
        yield InputError(path, f"cannot read: {e.strerror or e}")
        return
    if fmt in ("jsonl", "csv", "tsv") or (fmt == "zammad" and _is_csv(path)):
        with f:
            yield from _read_stream(path, fmt, f, opts)
        return
    yield from _read_bytes(path, fmt, data, opts)


def _is_csv(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in (".csv", ".tsv")


def _read_stream(path: str, fmt: str, lines: Iterable[bytes], opts: _Options
                 ) -> Iterator[Record | InputError]:
    try:
        if fmt == "jsonl":
            yield from read_jsonl(path, lines)
        else:
            yield from read_csv(path, lines, tsv=fmt == "tsv" or path.lower().endswith(".tsv"),
                                text_column=opts.text_column, id_column=opts.id_column,
                                dialect="zammad" if fmt == "zammad" else None)
    except OSError as e:  # e.g. a read error half-way
        yield InputError(path, f"cannot read: {e.strerror or e}")


def _read_bytes(path: str, fmt: str, data: bytes, opts: _Options
                ) -> Iterator[Record | InputError]:
    if fmt == "text":
        text = decode_utf8(path, data)
        if isinstance(text, InputError):
            yield text
            return
        yield Record(id=path, text=text, source=path, locator=TextLocator(text))
        return
    if fmt in ("jsonl", "csv", "tsv") or (fmt == "zammad" and _is_csv(path)):
        yield from _read_stream(path, fmt, io.BytesIO(data), opts)
        return
    kind = fmt if fmt in ("json", "yaml") else _structured_kind(path, data)
    platform = fmt if fmt in PLATFORMS else None
    yield from read_document(path, data, kind, platform)


def _structured_kind(path: str, data: bytes) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext in (".yaml", ".yml"):
        return "yaml"
    if ext == ".json":
        return "json"
    head = data.lstrip()[:1]
    return "json" if head in (b"{", b"[") else "yaml"


def _read_stdin(opts: _Options, stream) -> Iterator[Record | InputError]:
    fmt = opts.fmt or "text"
    binary = getattr(stream, "buffer", None)
    if binary is not None:
        stream = binary
    if fmt == "jsonl":
        yield from read_jsonl("-", _as_bytes_lines(stream))
        return
    if fmt in ("csv", "tsv"):
        yield from _read_stream("-", fmt, _as_bytes_lines(stream), opts)
        return
    data = stream.read()
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if fmt == "text":
        text = decode_utf8("-", data)
        if isinstance(text, InputError):
            yield text
            return
        yield Record(id="-", text=text, source="-", locator=TextLocator(text))
        return
    yield from _read_bytes("-", fmt, data, opts)


def _as_bytes_lines(stream) -> Iterator[bytes]:
    for line in stream:
        yield line.encode("utf-8", "surrogatepass") if isinstance(line, str) else line
