"""Configuration: defaults < ``.replylint.yaml`` or ``[tool.replylint]`` in ``pyproject.toml``
(found from the working directory upwards, or ``--config``) < command-line options.

Every key is declared once, as data, in :data:`SPEC`; unknown keys and wrong types are errors
with ``file:line`` (exit 2).  :class:`Config` remembers where each value came from, for
``replylint config show``.
"""
from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .yamlpos import ConfigError, Opt, PosDict, PosList, load_yaml, validate, where

FAIL_LEVELS = ("error", "warning", "info", "never")
LEVELS = ("error", "warning", "info", "off")
#: Placeholder dialects shipped under replylint/data/dialects (kept equal to
#: ``replylint.placeholders.DIALECTS`` by a test; not imported to keep start-up light).
DIALECTS = ("zendesk", "freshdesk", "intercom", "helpscout", "gorgias", "front",
            "zammad", "osticket", "magento", "prestashop")


VOCAB_SPEC: dict[str, Opt] = {
    "accept": Opt("list[str]", default=list, doc="words never flagged as jargon"),
    "reject": Opt("list[str]", default=list, doc="words always flagged as jargon"),
}


def _check_nested(key: str, value: Any, what: str) -> Any:
    """Validate the inside of the mapping-valued keys, with the position of the bad entry."""
    if key == "severity":
        for k, lvl in value.items():
            if not isinstance(k, str) or lvl not in LEVELS:
                raise ConfigError(f"{what}: severity of {k!r} must be one of {', '.join(LEVELS)}, "
                                  f"not {lvl!r}", **where(value, k))
        return dict(value)
    if key == "vocabulary":
        vals = validate(value, VOCAB_SPEC, f"{what}: vocabulary")
        return {k: list(v) for k, v in vals.items() if k in value}
    if key == "variables":
        for k, names in value.items():
            if k not in DIALECTS:
                raise ConfigError(f"{what}: variables: unknown dialect {k!r}; known dialects: "
                                  f"{', '.join(DIALECTS)}", **_key_where(value, k))
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ConfigError(f"{what}: variables: {k!r} must be a list of variable names",
                                  **where(value, k))
        return {k: list(v) for k, v in value.items()}
    return value


def _key_where(container: Any, key: Any) -> dict:
    pos = container.key_pos.get(key) if isinstance(container, PosDict) else None
    pos = pos or getattr(container, "pos", None)
    return {"path": getattr(container, "path", None), "line": pos[0] if pos else None,
            "column": pos[1] if pos else None}


OVERRIDE_KEYS = ("select", "ignore", "severity", "formality", "dialect", "lang")

SPEC: dict[str, Opt] = {
    "packs": Opt("list[str]", default=list, doc="extra rule packs (paths or shipped names)"),
    "default_packs": Opt(bool, default=True, doc="load the shipped packs (nl, en)"),
    "select": Opt("list[str]", default=list, doc="only these rule-id prefixes or categories"),
    "ignore": Opt("list[str]", default=list, doc="never these rule-id prefixes or categories"),
    "severity": Opt(dict, default=dict, doc="rule-id prefix or category -> error/warning/info/off"),
    "formality": Opt(str, default="either", choices=("u", "je", "either"),
                     doc="require formal 'u', informal 'je', or either (but not both mixed)"),
    "vocabulary": Opt(dict, default=dict,
                      doc="accept: words never flagged as jargon (brand names); reject: always jargon"),
    "dialect": Opt(str, default=None, choices=DIALECTS, doc="placeholder dialect of the library: "
                   + ", ".join(DIALECTS)),
    "variables": Opt(dict, default=dict, doc="extra known placeholder variables per dialect"),
    "fail_on": Opt(str, default="warning", choices=FAIL_LEVELS, doc="lowest severity that fails the run"),
    "lang": Opt(str, default=None, doc="force the language of every reply (nl, en)"),
    "default_lang": Opt(str, default="nl", doc="language when detection has no evidence"),
    "include": Opt("list[str]", default=list, doc="globs of files to lint in directories"),
    "exclude": Opt("list[str]", default=list, doc="globs of files to skip"),
    "overrides": Opt(list, default=list, doc="per-glob settings: [{files: [globs], <key>: value}]"),
}

OVERRIDE_SPEC: dict[str, Opt] = {"files": Opt("str|list[str]", required=True)}
OVERRIDE_SPEC.update({k: SPEC[k] for k in OVERRIDE_KEYS})


@lru_cache(maxsize=256)
def _glob_re(pattern: str) -> re.Pattern:
    """A path glob: ``*`` and ``?`` stay inside one path segment, ``**`` spans segments."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                out.append(fnmatch.translate(pattern[i:j + 1])[4:-3])
                i = j + 1
                continue
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def _norm(path: str) -> str:
    p = path.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


@dataclass
class Override:
    """Settings for the files matching ``files``: globs relative to the configuration file's
    directory (``*`` within a folder, ``**`` across folders); a glob without ``/`` matches the
    file name anywhere."""

    files: list[str]
    values: dict
    base_dir: Path | None = None

    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def applies(self, source: str) -> bool:
        hit = self._memo.get(source)
        if hit is None:
            hit = self._memo[source] = self._applies(source)
        return hit

    def _applies(self, source: str) -> bool:
        if source in ("-", ""):
            return False
        given = _norm(source)
        cands = {given}
        if self.base_dir is not None:
            try:
                rel = os.path.relpath(os.path.abspath(source), self.base_dir)
                if not rel.startswith(".."):
                    cands.add(_norm(rel))
            except ValueError:  # pragma: no cover - other drive on Windows
                pass
        name = given.rsplit("/", 1)[-1]
        for g in self.files:
            g = _norm(g)
            if "/" not in g:
                if fnmatch.fnmatchcase(name, g):
                    return True
                continue
            rx = _glob_re(g.rstrip("/") + ("/**" if g.endswith("/") else ""))
            if any(rx.match(c) for c in cands):
                return True
        return False


@dataclass
class Config:
    packs: list[str] = field(default_factory=list)
    default_packs: bool = True
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    formality: str = "either"
    vocabulary: dict[str, list[str]] = field(default_factory=dict)
    dialect: str | None = None
    variables: dict[str, list[str]] = field(default_factory=dict)
    fail_on: str = "warning"
    lang: str | None = None
    default_lang: str = "nl"
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    #: where each value came from ("default", a file path with line, or "command line")
    origins: dict[str, str] = field(default_factory=dict)
    #: directory relative pack paths are resolved against
    base_dir: Path | None = None

    def origin(self, key: str) -> str:
        return self.origins.get(key, "default")

    def set(self, key: str, value: Any, origin: str) -> None:
        if key not in SPEC:
            raise ConfigError(f"unknown configuration key {key!r}")
        setattr(self, key, value)
        self.origins[key] = origin

    def extend(self, key: str, values: list, origin: str) -> None:
        """Append to a list-valued key; the origin names both sources."""
        before = self.origin(key)
        setattr(self, key, list(getattr(self, key)) + list(values))
        self.origins[key] = origin if before == "default" else f"{before} + {origin}"

    def for_source(self, source: str) -> dict:
        """Settings that per-glob overrides may change, for one input file."""
        out = {k: getattr(self, k) for k in OVERRIDE_KEYS}
        for ov in self.overrides:
            if ov.applies(source):
                for k, v in ov.values.items():
                    if k == "severity":  # per-rule levels add to the global ones
                        out[k] = {**(out.get(k) or {}), **v}
                    elif k == "ignore":  # ignore more; `select` replaces
                        out[k] = list(out.get(k) or []) + list(v)
                    else:
                        out[k] = v
        return out

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in SPEC if k != "overrides"}
        d["overrides"] = [{"files": o.files, **o.values} for o in self.overrides]
        return d


CONFIG_NAMES = (".replylint.yaml", ".replylint.yml", "replylint.yaml")


def find_config(start: Path | None = None) -> Path | None:
    d = (start or Path.cwd()).resolve()
    for folder in (d, *d.parents):
        for name in CONFIG_NAMES:
            p = folder / name
            if p.is_file():
                return p
        pp = folder / "pyproject.toml"
        if pp.is_file() and _pyproject_section(pp) is not None:
            return pp
    return None


def _pyproject_section(path: Path):
    import tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"TOML syntax error: {e}", str(path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read: {e}", str(path)) from None
    return data.get("tool", {}).get("replylint")


_TOML_KEY = re.compile(r'\s*((?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\'))*)\s*=')
_TOML_PART = re.compile(r'[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\'')


def _toml_keys(text: str) -> tuple:
    return tuple(p.strip("\"'") for p in _TOML_PART.findall(text))


def _toml_positions(text: str) -> dict[tuple, tuple[int, int]]:
    """(line, column) of every key and table header, by key path (array-of-tables entries get
    their index).  tomllib keeps no positions; this scanner knows enough TOML for config files:
    tables, arrays of tables, dotted keys, and values (strings, arrays) spanning lines."""
    pos: dict[tuple, tuple[int, int]] = {}
    table: tuple = ()
    counts: dict[tuple, int] = {}
    depth = 0          # open [ / { of a value continuing over lines
    in_ml: str | None = None  # inside a multi-line string (its delimiter)
    for n, line in enumerate(text.splitlines(), 1):
        i = 0
        if in_ml is None and depth == 0:
            s = line.strip()
            col = len(line) - len(line.lstrip()) + 1
            if s.startswith("[["):
                path = _toml_keys(s[2:s.find("]]")] if "]]" in s else s[2:])
                counts[path] = counts.get(path, -1) + 1
                table = path + (counts[path],)
                pos.setdefault(path, (n, col))
                pos[table] = (n, col)
                continue
            if s.startswith("["):
                table = _toml_keys(s[1:s.find("]")] if "]" in s else s[1:])
                pos[table] = (n, col)
                continue
            m = _TOML_KEY.match(line)
            if m is None:
                continue
            keys = _toml_keys(m.group(1))
            for k in range(1, len(keys) + 1):
                pos.setdefault(table + keys[:k], (n, m.start(1) + 1))
            i = m.end()
        # scan the value for brackets and multi-line strings
        while i < len(line):
            if in_ml is not None:
                j = line.find(in_ml, i)
                if j == -1:
                    break
                i, in_ml = j + 3, None
                continue
            c = line[i]
            if c == "#":
                break
            if line.startswith(('"""', "'''"), i):
                in_ml = line[i:i + 3]
                i += 3
                continue
            if c in "\"'":
                j = i + 1
                while j < len(line) and line[j] != c:
                    j += 2 if c == '"' and line[j] == "\\" else 1
                i = j + 1
                continue
            if c in "[{":
                depth += 1
            elif c in "]}":
                depth = max(0, depth - 1)
            i += 1
    return pos


def _positioned(value: Any, path: tuple, positions: dict, file: str) -> Any:
    """tomllib data -> PosDict/PosList carrying the scanned positions."""
    if isinstance(value, dict):
        out = PosDict()
        out.path = file
        out.pos = positions.get(path)
        for k, v in value.items():
            kp = path + (k,)
            p = positions.get(kp) or out.pos
            out[k] = _positioned(v, kp, positions, file)
            out.key_pos[k] = out.val_pos[k] = p
        return out
    if isinstance(value, list):
        out = PosList()
        out.path = file
        out.pos = positions.get(path)
        for i, v in enumerate(value):
            ip = path + (i,)
            out.append(_positioned(v, ip, positions, file))
            out.item_pos.append(positions.get(ip) or out.pos)
        return out
    return value


def load_config(path: Path | None = None, *, search: bool = True) -> Config:
    cfg = Config()
    if path is None and search:
        path = find_config()
    if path is None:
        return cfg
    path = Path(path)
    if not path.is_file():
        raise ConfigError("configuration file not found" if not path.exists()
                          else "configuration path is not a file", str(path))
    if path.suffix == ".toml":
        section = _pyproject_section(path)
        if section is None:
            raise ConfigError("no [tool.replylint] table in this file", str(path))
        if not isinstance(section, dict):
            raise ConfigError("tool.replylint must be a table", str(path))
        positions = _toml_positions(path.read_text(encoding="utf-8"))
        data = _positioned(section, ("tool", "replylint"), positions, str(path))
        data.pos = data.pos or (1, 1)
    else:
        data = load_yaml(path)
        if data is None:
            data = PosDict()
            data.path = str(path)
    values = validate(data, SPEC, "configuration")
    cfg.base_dir = path.resolve().parent
    for key, value in values.items():
        if key not in data:
            continue
        pos = data.val_pos.get(key) if isinstance(data, PosDict) else None
        origin = f"{path}:{pos[0]}" if pos else str(path)
        if key == "overrides":
            value = _overrides(data[key], data, cfg.base_dir)
        else:
            value = _check_nested(key, data[key], "configuration")
        setattr(cfg, key, value)
        cfg.origins[key] = origin
    return cfg


def _overrides(items: list, data, base_dir: Path | None = None) -> list[Override]:
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ConfigError("overrides: each entry must be a mapping with 'files'",
                              **where(data.get("overrides"), i))
        if not isinstance(item, PosDict):
            item = PosDict(item)
            item.path = getattr(data, "path", None)
        vals = validate(item, OVERRIDE_SPEC, f"overrides[{i}]")
        files = vals.pop("files")
        values = {k: _check_nested(k, item[k], f"overrides[{i}]") for k in vals if k in item}
        out.append(Override([files] if isinstance(files, str) else list(files), values, base_dir))
    return out
