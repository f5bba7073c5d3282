"""Small helpers shared by the readers."""
from __future__ import annotations

from replylint.finding import InputError

#: Record fields that go to ``Record.meta`` under these names when a source has them.
META_FIELDS = ("agent", "team", "channel", "date", "ticket")
SUPPRESS_FIELD = "replylint_disable"


def parse_suppress(value) -> tuple[str, ...]:
    """``replylint_disable``: a string (comma-separated) or a list of strings."""
    if value is None or value is False:
        return ()
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, (list, tuple)):
        parts = []
        for v in value:
            if v is not None:
                parts.extend(str(v).split(","))
    else:
        parts = [str(value)]
    return tuple(p for p in (x.strip() for x in parts) if p)


def utf8_error(source: str, data: bytes, err: UnicodeDecodeError, base_offset: int = 0,
               base_line: int = 1) -> InputError:
    """InputError for bytes that are not UTF-8, naming the byte offset in the file."""
    pos = err.start
    line_start = data.rfind(b"\n", 0, pos) + 1
    line = base_line + data.count(b"\n", 0, pos)
    column = len(data[line_start:pos].decode("utf-8", "replace")) + 1
    bad = data[pos:pos + 1].hex()
    return InputError(
        source,
        f"not valid UTF-8: byte 0x{bad} at byte offset {base_offset + pos} "
        f"(save the file as UTF-8)",
        line, column,
    )


def decode_utf8(source: str, data: bytes) -> str | InputError:
    """Whole-file decode; a leading BOM is dropped (editors do not count it as a column)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return utf8_error(source, data, e)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def str_id(value) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return str(value).lower()
    s = str(value).strip()
    return s or None
