"""YAML loading that remembers where every key and value stood, and generic validation of
mappings against option specs declared as data.

Rule packs and configuration files are user input: every error names ``file:line:col``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

try:  # the C loader is ~10x faster; positions still come from its marks
    _Base = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


class ConfigError(Exception):
    """A user-facing error in a pack or configuration file (exit code 2)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: int | None = None):
        self.message, self.path, self.line, self.column = message, path, line, column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or "<config>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class PosDict(dict):
    """A dict that knows the (line, column) of each key and of each value (1-based)."""

    __slots__ = ("key_pos", "val_pos", "pos", "path")

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.key_pos: dict = {}
        self.val_pos: dict = {}
        self.pos: tuple[int, int] | None = None
        self.path: str | None = None


class PosList(list):
    __slots__ = ("item_pos", "pos", "path")

    def __init__(self, *a):
        super().__init__(*a)
        self.item_pos: list[tuple[int, int]] = []
        self.pos: tuple[int, int] | None = None
        self.path: str | None = None


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Loader(_Base):  # type: ignore[misc,valid-type]
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    out = PosDict()
    out.pos = _mark(node)
    for knode, vnode in node.value:
        key = loader.construct_object(knode, deep=True)
        try:
            hash(key)
        except TypeError:
            raise ConfigError("mapping keys must be plain values", None, *_mark(knode)) from None
        if key in out:
            raise ConfigError(f"duplicate key {key!r}", None, *_mark(knode))
        out[key] = loader.construct_object(vnode, deep=True)
        out.key_pos[key] = _mark(knode)
        out.val_pos[key] = _mark(vnode)
    return out


def _construct_seq(loader, node):
    out = PosList(loader.construct_object(n, deep=True) for n in node.value)
    out.item_pos = [_mark(n) for n in node.value]
    out.pos = _mark(node)
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def _stamp(obj, path: str):
    if isinstance(obj, PosDict):
        obj.path = path
        for v in obj.values():
            _stamp(v, path)
    elif isinstance(obj, PosList):
        obj.path = path
        for v in obj:
            _stamp(v, path)
    return obj


def load_yaml_text(text: str, path: str) -> Any:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except ConfigError as e:
        e.path = path
        raise
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        msg = e.problem or e.context or "invalid YAML"
        cm = e.context_mark
        if e.context and cm is not None and (cm.line, cm.column) != (mark.line, mark.column):
            msg += f" ({e.context} that started at line {cm.line + 1}, column {cm.column + 1})"
        raise ConfigError(f"YAML syntax error: {msg}", path, line, col) from None
    except yaml.YAMLError as e:
        raise ConfigError(f"YAML error: {e}", path) from None
    return _stamp(data, path)


def load_yaml(path: str | Path) -> Any:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(f"not valid UTF-8 (byte {e.start})", str(p)) from None
    except OSError as e:
        raise ConfigError(f"cannot read: {e.strerror or e}", str(p)) from None
    return load_yaml_text(text, str(p))


# --------------------------------------------------------------------------- validation

def where(container: Any, key: Any = None) -> dict:
    """Position keyword arguments for ConfigError, for a key of a PosDict or an item of a PosList."""
    path = getattr(container, "path", None)
    pos = None
    if isinstance(container, PosDict) and key is not None:
        pos = container.val_pos.get(key) or container.key_pos.get(key)
    elif isinstance(container, PosList) and isinstance(key, int) and key < len(container.item_pos):
        pos = container.item_pos[key]
    pos = pos or getattr(container, "pos", None)
    return {"path": path, "line": pos[0] if pos else None, "column": pos[1] if pos else None}


def key_where(container: Any, key: Any) -> dict:
    path = getattr(container, "path", None)
    pos = container.key_pos.get(key) if isinstance(container, PosDict) else None
    pos = pos or getattr(container, "pos", None)
    return {"path": path, "line": pos[0] if pos else None, "column": pos[1] if pos else None}


@dataclass(frozen=True)
class Opt:
    """One option declared as data: its type, whether it is required, its default, choices."""

    type: Any  # a type, a tuple of types, or "list[str]" / "dict[str,str]" / "str|list[str]"
    required: bool = False
    default: Any = None
    choices: tuple | None = None
    doc: str = ""
    check: Callable[[Any], str | None] | None = field(default=None, compare=False)


_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
               dict: "a mapping", list: "a list"}


def _type_ok(value: Any, typ: Any) -> bool:
    if typ == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if typ == "str|list[str]":
        return isinstance(value, str) or _type_ok(value, "list[str]")
    if typ == "dict[str,str]":
        return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str)
                                               for k, v in value.items())
    if typ is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if typ is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(typ, tuple):
        return any(_type_ok(value, t) for t in typ)
    return isinstance(value, typ)


def _type_name(typ: Any) -> str:
    if isinstance(typ, tuple):
        return " or ".join(_type_name(t) for t in typ)
    if isinstance(typ, str):
        return {"list[str]": "a list of strings", "str|list[str]": "a string or a list of strings",
                "dict[str,str]": "a mapping of strings to strings"}[typ]
    return _TYPE_NAMES.get(typ, getattr(typ, "__name__", str(typ)))


def _describe(value: Any) -> str:
    if isinstance(value, list):
        inner = next((v for v in value if not isinstance(v, str)), None)
        return f"a list containing {_describe(inner)}" if inner is not None else "a list"
    if isinstance(value, dict):
        return "a mapping (hint: quote text that contains ': ')"
    if value is None:
        return "empty"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def validate(data: Any, spec: dict[str, Opt], what: str) -> dict:
    """Check ``data`` (a PosDict) against ``spec``; return a plain dict with defaults filled in."""
    if not isinstance(data, dict):
        raise ConfigError(f"{what} must be a mapping", **where(data))
    out = {}
    for key in data:
        if key not in spec:
            import difflib
            close = difflib.get_close_matches(str(key), list(spec), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            known = ", ".join(sorted(spec))
            raise ConfigError(f"unknown field {key!r} in {what}{hint}; known fields: {known}",
                              **key_where(data, key))
    for name, opt in spec.items():
        if name not in data:
            if opt.required:
                raise ConfigError(f"{what} is missing required field {name!r}", **where(data))
            out[name] = opt.default() if callable(opt.default) else opt.default
            continue
        value = data[name]
        if not _type_ok(value, opt.type):
            if isinstance(value, list) and opt.type in ("list[str]", "str|list[str]"):
                bad = next((i for i, v in enumerate(value) if not isinstance(v, str)), None)
                if bad is not None:
                    raise ConfigError(f"{what}: {name!r}[{bad}] must be a string, not "
                                      f"{_describe(value[bad])}", **where(value, bad))
            raise ConfigError(f"{what}: {name!r} must be {_type_name(opt.type)}, not {_describe(value)}",
                              **where(data, name))
        if opt.choices is not None:
            bad = [v for v in (value if isinstance(value, list) else [value]) if v not in opt.choices]
            if bad:
                raise ConfigError(f"{what}: {name!r} must be one of {', '.join(map(str, opt.choices))}; "
                                  f"got {bad[0]!r}", **where(data, name))
        if opt.check is not None:
            problem = opt.check(value)
            if problem:
                raise ConfigError(f"{what}: {name!r} {problem}", **where(data, name))
        out[name] = value
    return out
