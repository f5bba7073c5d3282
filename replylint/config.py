"""Configuration: defaults < ``.replylint.yaml`` or ``[tool.replylint]`` in ``pyproject.toml``
(found from the working directory upwards, or ``--config``) < command-line options.

Every key is declared once, as data, in :data:`SPEC`; unknown keys and wrong types are errors
with ``file:line`` (exit 2).  :class:`Config` remembers where each value came from, for
``replylint config show``.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .yamlpos import ConfigError, Opt, PosDict, load_yaml, validate, where

FAIL_LEVELS = ("error", "warning", "info", "never")


def _check_levels(v: dict) -> str | None:
    for k, lvl in v.items():
        if lvl not in ("error", "warning", "info", "off"):
            return f"level for {k!r} must be error, warning, info or off, not {lvl!r}"
    return None


def _check_vocab(v: dict) -> str | None:
    for k, words in v.items():
        if k not in ("accept", "reject"):
            return f"has unknown key {k!r} (expected accept, reject)"
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            return f"{k!r} must be a list of strings"
    return None


def _check_variables(v: dict) -> str | None:
    for k, words in v.items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            return f"{k!r} must be a list of variable names"
    return None


OVERRIDE_KEYS = ("select", "ignore", "severity", "formality", "dialect", "lang")

SPEC: dict[str, Opt] = {
    "packs": Opt("list[str]", default=list, doc="extra rule packs (paths or shipped names)"),
    "default_packs": Opt(bool, default=True, doc="load the shipped packs (nl, en)"),
    "select": Opt("list[str]", default=list, doc="only these rule-id prefixes or categories"),
    "ignore": Opt("list[str]", default=list, doc="never these rule-id prefixes or categories"),
    "severity": Opt(dict, default=dict, check=_check_levels,
                    doc="rule-id prefix or category -> error/warning/info/off"),
    "formality": Opt(str, default="either", choices=("u", "je", "either"),
                     doc="require formal 'u', informal 'je', or either (but not both mixed)"),
    "vocabulary": Opt(dict, default=dict, check=_check_vocab,
                      doc="accept: words never flagged as jargon (brand names); reject: always jargon"),
    "dialect": Opt(str, default=None, doc="placeholder dialect: zendesk, freshdesk, intercom, "
                                          "helpscout, gorgias, front, zammad, osticket, magento, prestashop"),
    "variables": Opt(dict, default=dict, check=_check_variables,
                     doc="extra known placeholder variables per dialect"),
    "fail_on": Opt(str, default="warning", choices=FAIL_LEVELS, doc="lowest severity that fails the run"),
    "lang": Opt(str, default=None, doc="force the language of every reply"),
    "default_lang": Opt(str, default="nl", doc="language when detection has no evidence"),
    "include": Opt("list[str]", default=list, doc="globs of files to lint in directories"),
    "exclude": Opt("list[str]", default=list, doc="globs of files to skip"),
    "overrides": Opt(list, default=list, doc="per-glob settings: [{files: [globs], <key>: value}]"),
}

OVERRIDE_SPEC: dict[str, Opt] = {"files": Opt("str|list[str]", required=True)}
OVERRIDE_SPEC.update({k: SPEC[k] for k in OVERRIDE_KEYS})


@dataclass
class Override:
    files: list[str]
    values: dict

    def applies(self, source: str) -> bool:
        p = source.replace("\\", "/")
        name = p.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatch(p, g) or fnmatch.fnmatch(name, g) for g in self.files)


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

    def for_source(self, source: str) -> dict:
        """Settings that per-glob overrides may change, for one input file."""
        out = {k: getattr(self, k) for k in OVERRIDE_KEYS}
        for ov in self.overrides:
            if ov.applies(source):
                out.update(ov.values)
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


def _toml_line(path: Path, key: str) -> int | None:
    """Best-effort line of ``key`` inside [tool.replylint] (tomllib keeps no positions)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    inside = False
    for n, line in enumerate(lines, 1):
        s = line.strip()
        if s.startswith("["):
            inside = s.startswith("[tool.replylint")
            continue
        if inside and (s.startswith(f"{key} ") or s.startswith(f"{key}=")):
            return n
    return None


def load_config(path: Path | None = None, *, search: bool = True) -> Config:
    cfg = Config()
    if path is None and search:
        path = find_config()
    if path is None:
        return cfg
    path = Path(path)
    if path.name == "pyproject.toml":
        section = _pyproject_section(path)
        if section is None:
            return cfg
        data = PosDict(section)
        data.path = str(path)
        for k in section:
            line = _toml_line(path, k)
            data.key_pos[k] = data.val_pos[k] = (line, 1) if line else None
        data.pos = (_toml_line(path, "") or 1, 1)
    else:
        data = load_yaml(path)
        if data is None:
            data = PosDict()
            data.path = str(path)
    values = validate(data, SPEC, "configuration")
    cfg.base_dir = path.parent
    for key, value in values.items():
        if key not in data:
            continue
        pos = data.val_pos.get(key) if isinstance(data, PosDict) else None
        origin = f"{path}:{pos[0]}" if pos else str(path)
        if key == "overrides":
            value = _overrides(value, data)
        setattr(cfg, key, value)
        cfg.origins[key] = origin
    return cfg


def _overrides(items: list, data) -> list[Override]:
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
        out.append(Override([files] if isinstance(files, str) else list(files),
                            {k: v for k, v in vals.items() if k in item}))
    return out
