"""CSV/TSV reply tables, streamed row by row.

* Delimiter: ``.tsv`` is tab; otherwise sniffed from the first 64 KiB among ``, ; TAB |``
  (Dutch Excel exports use ``;``), falling back to the most frequent one in the header.
* A UTF-8 BOM (Excel's "CSV UTF-8") is dropped; quoted cells may span lines.
* Columns (case-insensitive): ``--text-column`` or the first of text/body/message/reply/
  content/...; ``--id-column`` or the first of id/ticket_id/...; ``lang``/``language`` ->
  ``Record.lang``; ``replylint_disable`` (comma-separated) -> ``Record.suppress``; every
  other non-empty cell -> ``Record.meta`` (agent, team, channel, date, ticket, ...).
* Zammad text-module CSV (``name;keywords;content;note;active``, content is HTML) is read
  with dialect ``zammad``.
* Locator: the line on which the row starts.
"""
from __future__ import annotations

import csv
from typing import Iterable, Iterator

from replylint.finding import InputError
from replylint.readers._common import SUPPRESS_FIELD, parse_suppress, utf8_error
from replylint.records import LineLocator, Record

TEXT_COLUMNS = ("text", "body", "message", "reply", "content", "response", "answer",
                "tekst", "bericht", "antwoord")
ID_COLUMNS = ("id", "ticket_id", "reply_id", "message_id", "macro_id", "uuid", "key",
              "nr", "nummer")
_LANG_COLUMNS = ("lang", "language", "taal")
_SNIFF_BYTES = 65536
_DELIMS = ",;\t|"


class _Lines:
    """Decodes raw byte lines lazily; remembers the first UTF-8 error instead of raising."""

    def __init__(self, source: str, lines: Iterable[bytes]):
        self.source = source
        self.it = iter(lines)
        self.offset = 0
        self.lineno = 0
        self.error: InputError | None = None
        self.head: list[str] = []

    def _next(self) -> str | None:
        if self.error is not None:
            return None
        raw = next(self.it, None)
        if raw is None:
            return None
        self.lineno += 1
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self.error = utf8_error(self.source, raw, e, base_offset=self.offset,
                                    base_line=self.lineno)
            return None
        self.offset += len(raw)
        if self.lineno == 1 and line.startswith("\ufeff"):
            line = line[1:]
        return line

    def peek(self, nbytes: int) -> str:
        size = 0
        while size < nbytes:
            line = self._next()
            if line is None:
                break
            self.head.append(line)
            size += len(line)
        return "".join(self.head)

    def __iter__(self):
        head, self.head = self.head, []
        yield from head
        while True:
            line = self._next()
            if line is None:
                return
            yield line


def _sniff(sample: str, tsv: bool) -> str:
    if tsv:
        return "\t"
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in _DELIMS}
    best = max(_DELIMS, key=lambda d: counts[d])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=_DELIMS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed and counts.get(sniffed, 0) > 0:
        return sniffed
    return best if counts[best] > 0 else ","


def _pick(header: list[str], wanted: str | None, defaults: tuple[str, ...]) -> int | None:
    norm = [h.strip().lower() for h in header]
    if wanted is not None:
        w = wanted.strip().lower()
        return norm.index(w) if w in norm else None
    for name in defaults:
        if name in norm:
            return norm.index(name)
    return None


def read_csv(source: str, lines: Iterable[bytes], *, tsv: bool = False,
             text_column: str | None = None, id_column: str | None = None,
             dialect: str | None = None) -> Iterator[Record | InputError]:
    src = _Lines(source, lines)
    sample = src.peek(_SNIFF_BYTES)
    if src.error is not None and not sample:
        yield src.error
        return
    delim = _sniff(sample, tsv)
    reader = csv.reader(iter(src), delimiter=delim, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        yield InputError(source, f"broken CSV header: {e}", 1, None)
        return
    if header is None:
        if src.error is not None:
            yield src.error
        return  # empty file: nothing to lint
    norm = [h.strip().lower() for h in header]
    is_zammad = dialect == "zammad" or (
        dialect is None and {"name", "keywords", "content"} <= set(norm))
    if is_zammad:
        dialect = "zammad"
    ti = _pick(header, text_column, ("content",) + TEXT_COLUMNS if is_zammad else TEXT_COLUMNS)
    if ti is None:
        if text_column is not None:
            msg = f"no column named {text_column!r} (columns: {', '.join(header)})"
        else:
            msg = ("no text column found: name one with --text-column "
                   f"(looked for {', '.join(TEXT_COLUMNS)}; columns: {', '.join(header)})")
        yield InputError(source, msg, 1, None)
        return
    ii = _pick(header, id_column, ID_COLUMNS)
    if id_column is not None and ii is None:
        yield InputError(source, f"no column named {id_column!r} (columns: {', '.join(header)})",
                         1, None)
        return
    name_i = _pick(header, None, ("name", "title")) if is_zammad else None
    lang_i = _pick(header, None, _LANG_COLUMNS)
    sup_i = _pick(header, None, (SUPPRESS_FIELD,))
    special = {ti, ii, lang_i, sup_i}
    meta_cols = [(k, header[k].strip()) for k in range(len(header))
                 if k not in special and header[k].strip()]
    # Zammad's own sample ends the header with ';' -> a trailing empty column name.
    width = len(header) - (1 if header and not header[-1].strip() else 0)
    html_to_text = None
    if is_zammad:
        from replylint.readers.htmltext import html_to_text

    prev = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:  # report the row, go on with the next one
            yield InputError(source, f"broken CSV: {e}; row skipped", prev + 1, None)
            if reader.line_num == prev:
                break  # nothing consumed: do not loop
            prev = reader.line_num
            continue
        start = prev + 1
        prev = reader.line_num
        if not row or not any(c.strip() for c in row):
            continue
        n = len(row)
        if n > len(header) and any(c.strip() for c in row[len(header):]):
            yield InputError(
                source, f"row has {n} fields but the header has {width} "
                        f"(an unquoted {delim!r} in a cell?); row skipped", start, None)
            continue
        text = row[ti] if ti < n else ""
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        loc = LineLocator(start)
        if html_to_text is not None:
            conv = html_to_text(text)
            for _, msg in conv.errors:
                yield InputError(source, f"malformed HTML in {header[ti]!r}: {msg}", start, None)
            text = conv.text
        rid = row[ii].strip() if ii is not None and ii < n else ""
        if not rid and name_i is not None and name_i < n:
            rid = row[name_i].strip()
        if not rid:
            rid = f"{source}:{start}"
        meta = {name: row[k] for k, name in meta_cols if k < n and row[k].strip()}
        if is_zammad and "name" in meta:
            meta["title"] = meta["name"]
        lang = row[lang_i].strip() if lang_i is not None and lang_i < n else ""
        sup = row[sup_i] if sup_i is not None and sup_i < n else ""
        yield Record(id=rid, text=text, source=source, lang=lang or None, meta=meta,
                     locator=loc, suppress=parse_suppress(sup) if sup else (),
                     dialect=dialect)
    if src.error is not None:
        yield src.error
