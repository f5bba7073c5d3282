"""Rule packs: YAML, validated field by field against specs declared as data, every error
with ``file:line:col``.

A pack is either a directory with ``pack.yaml`` (metadata) and one YAML file per group of
rules, or a single YAML file with a ``pack:`` mapping and a ``rules:`` mapping::

    # rules/nl/pack.yaml                 # rules/nl/brush-off.yaml
    name: nl                             defaults: {category: brush-off, severity: warning}
    language: nl                         rules:
    version: 1.0.0                         weet-niet:
    description: Nederlandse regels          kind: existence
                                             patterns: ["weten ik|wij|we niet"]
                                             message: ...

Rule ids are derived, never typed: ``<pack>.<file stem>.<key>`` (``nl.brush-off.weet-niet``)
for directory packs and ``<pack>.<key>`` for single-file packs.  A pack may ``extends`` other
packs (by shipped name or path), ``disable`` rules by id prefix or category, and re-level them
with ``severity: {prefix-or-category: level}``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .kinds import COMMON, KINDS, RuleKind
from .yamlpos import ConfigError, Opt, PosDict, key_where, load_yaml, validate, where

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _check_name(v: str) -> str | None:
    return None if _NAME.match(v) else "must be lowercase letters, digits, '-' or '_'"


def _check_defines(v: dict) -> str | None:
    for k, val in v.items():
        if not isinstance(val, str) and not (isinstance(val, list) and all(isinstance(x, str) for x in val)):
            return f"entry {k!r} must be a string or a list of strings"
    return None


def _check_levels(v: dict) -> str | None:
    for k, lvl in v.items():
        if lvl not in ("error", "warning", "info", "off"):
            return f"level for {k!r} must be error, warning, info or off, not {lvl!r}"
    return None


PACK_SPEC: dict[str, Opt] = {
    "name": Opt(str, required=True, check=_check_name, doc="prefix of every rule id in the pack"),
    "language": Opt(str, required=True, doc="language code of the replies it checks ('*' for any)"),
    "version": Opt(str, default="0.0.0"),
    "description": Opt(str, default=""),
    "extends": Opt("list[str]", default=list, doc="packs whose rules this pack includes"),
    "disable": Opt("list[str]", default=list, doc="rule ids, id prefixes or categories to turn off"),
    "severity": Opt(dict, default=dict, check=_check_levels,
                    doc="rule id prefix or category -> error/warning/info/off"),
    "settings": Opt(dict, default=dict, doc="defaults for settings such as formality"),
    "define": Opt(dict, default=dict, check=lambda v: _check_defines(v),
                  doc="named pattern fragments (a string, or a list spliced in where an item is "
                      "exactly $name), used in the patterns of every file"),
}

FILE_SPEC: dict[str, Opt] = {
    "defaults": Opt(dict, default=dict, doc="common fields applied to every rule in the file"),
    "define": Opt(dict, default=dict, check=lambda v: _check_defines(v),
                  doc="named pattern fragments, used as $name"),
    "rules": Opt(dict, required=True, doc="rule key -> rule"),
}

SINGLE_SPEC: dict[str, Opt] = {
    "pack": Opt(dict, required=True, doc="pack metadata (as pack.yaml)"),
    "define": Opt(dict, default=dict, check=lambda v: _check_defines(v),
                  doc="named pattern fragments, used as $name"),
    "rules": Opt(dict, default=dict, doc="rule key -> rule"),
}

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass
class Pack:
    name: str
    language: str
    version: str
    description: str
    path: Path
    extends: list[str]
    disable: list[str]
    severity: dict[str, str]
    settings: dict
    rules: list[RuleKind] = field(default_factory=list)
    src: PosDict | None = None


def shipped_root() -> Path:
    """Where the default packs live: inside the installed package (wheel), or the repository's
    top-level ``rules/`` in a source checkout."""
    here = Path(__file__).resolve().parent
    inside = here / "rules"
    if inside.is_dir():
        return inside
    return here.parent / "rules"


def shipped_packs() -> list[str]:
    root = shipped_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "pack.yaml").is_file())


def resolve(ref: str, base: Path | None = None) -> Path:
    p = Path(ref)
    if base is not None and not p.is_absolute():
        cand = base / p
        if cand.exists():
            return cand
    if p.exists():
        return p
    shipped = shipped_root() / ref
    if (shipped / "pack.yaml").is_file():
        return shipped
    known = ", ".join(shipped_packs()) or "none"
    raise ConfigError(f"no rule pack {ref!r}: not a file or directory, nor a shipped pack ({known})")


_VAR = re.compile(r"\$(\w+)|\$\{(\w+)\}")
_PATTERN_KEYS = ("patterns", "unless", "when", "unless_reply", "regex", "reject", "accept")


def _substitute(raw, defines: dict[str, str], rule_id: str) -> None:
    """Replace $name in pattern lists by the pack's/file's ``define`` entries (in place)."""
    def sub(text: str, container, idx) -> str:
        def repl(m):
            name = m.group(1) or m.group(2)
            if name not in defines:
                known = ", ".join(sorted(defines)) or "none defined"
                raise ConfigError(f"rule {rule_id}: unknown pattern variable ${name} ({known})",
                                  **where(container, idx))
            val = defines[name]
            if isinstance(val, list):
                raise ConfigError(f"rule {rule_id}: ${name} is a list; use it as a whole item",
                                  **where(container, idx))
            return val
        return _VAR.sub(repl, text)

    def walk(seq):
        if not isinstance(seq, list):
            return
        i = 0
        while i < len(seq):
            v = seq[i]
            m = _VAR.fullmatch(v) if isinstance(v, str) else None
            if m and isinstance(defines.get(m.group(1) or m.group(2)), list):
                items = list(defines[m.group(1) or m.group(2)])  # splice a list define
                seq[i:i + 1] = items
                if hasattr(seq, "item_pos") and i < len(seq.item_pos):
                    seq.item_pos[i:i + 1] = [seq.item_pos[i]] * len(items)
                i += len(items)
                continue
            if isinstance(v, str) and "$" in v:
                seq[i] = sub(v, seq, i)
            i += 1
    for key in _PATTERN_KEYS:
        walk(raw.get(key))
    forms = raw.get("forms")
    if isinstance(forms, dict):
        for v in forms.values():
            walk(v)


def _build_rule(rule_id: str, raw, defaults: dict, pack: Pack, defines: dict | None = None) -> RuleKind:
    if not isinstance(raw, dict):
        raise ConfigError(f"rule {rule_id} must be a mapping", **where(raw))
    if defines:
        _substitute(raw, defines, rule_id)
    kind_name = raw.get("kind", defaults.get("kind"))
    if kind_name is None:
        raise ConfigError(f"rule {rule_id} is missing required field 'kind'", **where(raw))
    if kind_name not in KINDS:
        raise ConfigError(f"rule {rule_id}: unknown kind {kind_name!r}; known kinds: "
                          f"{', '.join(sorted(KINDS))}", **where(raw, "kind"))
    cls = KINDS[kind_name]
    spec = {**COMMON, **cls.OPTIONS}
    merged = PosDict(defaults)
    merged.update(raw)
    merged.key_pos.update(getattr(raw, "key_pos", {}))
    merged.val_pos.update(getattr(raw, "val_pos", {}))
    for k in defaults:
        if k not in raw and hasattr(defaults, "val_pos"):
            merged.val_pos[k] = defaults.val_pos.get(k)
            merged.key_pos[k] = defaults.key_pos.get(k)
    merged.pos = getattr(raw, "pos", None)
    merged.path = getattr(raw, "path", None)
    merged["kind"] = kind_name
    opts = validate(merged, spec, f"rule {rule_id}")
    return cls(rule_id, opts, merged, pack)


def _rules_from(mapping, prefix: str, defaults: dict, pack: Pack, defines: dict | None = None) -> list[RuleKind]:
    out = []
    for key, raw in mapping.items():
        if not isinstance(key, str) or not _KEY.match(key):
            raise ConfigError(f"rule key {key!r} must be lowercase letters, digits, '-' or '_'",
                              **key_where(mapping, key))
        out.append(_build_rule(f"{prefix}.{key}", raw, defaults, pack, defines))
    return out


def _check_defaults(defaults, what: str) -> dict:
    if not isinstance(defaults, dict):
        raise ConfigError(f"{what}: 'defaults' must be a mapping", **where(defaults))
    for k in defaults:
        if k not in COMMON:
            raise ConfigError(f"{what}: 'defaults' may only set common rule fields "
                              f"({', '.join(sorted(COMMON))}), not {k!r}", **key_where(defaults, k))
    return defaults


def load_pack(path: Path) -> Pack:
    """Load one pack (without its ``extends``)."""
    if path.is_dir():
        meta_path = path / "pack.yaml"
        if not meta_path.is_file():
            raise ConfigError("a pack directory needs a pack.yaml", str(path))
        raw = load_yaml(meta_path)
        meta = validate(raw if raw is not None else PosDict(), PACK_SPEC, "pack.yaml")
        pack = Pack(meta["name"], meta["language"], meta["version"], meta["description"], path,
                    meta["extends"], meta["disable"], meta["severity"], meta["settings"], src=raw)
        pack_defines = dict(meta["define"] or {})
        for f in sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")):
            if f.name in ("pack.yaml", "pack.yml"):
                continue
            data = load_yaml(f)
            if data is None:
                continue
            what = f.name
            if isinstance(data, dict):  # "x-…" keys hold YAML anchors shared by rules
                for k in [k for k in data if isinstance(k, str) and k.startswith("x-")]:
                    del data[k]
            body = validate(data, FILE_SPEC, what)
            _check_defaults(body["defaults"] if body["defaults"] is not None else {}, what)
            if not isinstance(body["rules"], dict):
                raise ConfigError(f"{what}: 'rules' must be a mapping", **where(data, "rules"))
            defines = {**pack_defines, **(body["define"] or {})}
            pack.rules.extend(_rules_from(data["rules"], f"{pack.name}.{f.stem}", data.get("defaults") or {},
                                          pack, defines))
        return pack
    if not path.is_file():
        raise ConfigError("rule pack not found", str(path))
    data = load_yaml(path)
    body = validate(data if data is not None else PosDict(), SINGLE_SPEC, path.name)
    meta = validate(data["pack"], PACK_SPEC, "pack")
    pack = Pack(meta["name"], meta["language"], meta["version"], meta["description"], path,
                meta["extends"], meta["disable"], meta["severity"], meta["settings"], src=data["pack"])
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise ConfigError("'rules' must be a mapping", **where(data, "rules"))
    defines = {**(meta["define"] or {}), **(body["define"] or {})}
    pack.rules.extend(_rules_from(rules, pack.name, {}, pack, defines))
    return pack


def load_packs(refs: list[str], base: Path | None = None) -> list[Pack]:
    """Load packs and everything they extend, each once, extended packs first."""
    out: list[Pack] = []
    seen: dict[Path, Pack] = {}
    names: dict[str, Path] = {}

    def visit(ref: str, base_dir: Path | None, chain: tuple[Path, ...]):
        path = resolve(ref, base_dir).resolve()
        if path in chain:
            raise ConfigError(f"pack {ref!r} extends itself (cycle: "
                              f"{' -> '.join(str(p) for p in chain + (path,))})")
        if path in seen:
            return
        pack = load_pack(path)
        if pack.name in names and names[pack.name] != path:
            raise ConfigError(f"two different packs are named {pack.name!r}: {names[pack.name]} and {path}")
        pack_dir = path if path.is_dir() else path.parent
        for ext in pack.extends:
            visit(ext, pack_dir, chain + (path,))
        seen[path] = pack
        names[pack.name] = path
        out.append(pack)

    for ref in refs:
        visit(ref, base, ())
    return out


def selector_matches(sel: str, rule_id: str, category: str) -> bool:
    sel = sel.strip()
    if not sel:
        return False
    if sel in ("ALL", "all", "*"):
        return True
    return sel == category or rule_id == sel or rule_id.startswith(sel)
