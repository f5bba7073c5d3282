"""Rule kinds.  Each module registers its kinds with ``@register``; every module in this
package is imported here, so adding a kind is adding a file (no hand-kept list)."""
from __future__ import annotations

import importlib
import pkgutil

from .base import COMMON, KINDS, RuleKind, register

for _m in pkgutil.iter_modules(__path__):
    if _m.name != "base":
        importlib.import_module(f"{__name__}.{_m.name}")

__all__ = ["COMMON", "KINDS", "RuleKind", "register"]
