"""replylint: lint customer-service replies with YAML rule packs.

    >>> import replylint
    >>> [f.category for f in replylint.lint("Dat weet ik niet.", lang="nl")]  # doctest: +SKIP
    ['greeting', 'acknowledgement', 'reassurance', 'brush-off']

The library API: :func:`lint` for one text, :class:`Linter` for many (packs and NLP load once;
``Linter.lint_records`` streams), :class:`Config` for settings, and the immutable
:class:`Finding` that every formatter consumes.  Heavy modules (spaCy) load lazily.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .config import Config, load_config
from .finding import CATEGORIES, Finding, Fix, InputError, Severity
from .records import Record
from .results import ReplyResult, RuleInfo, RunResult


def __getattr__(name):  # lazy: importing replylint must not import spaCy
    if name in ("Linter", "lint", "default_linter"):
        from . import engine
        return getattr(engine, name)
    raise AttributeError(name)


__all__ = ["lint", "Linter", "Config", "load_config", "Finding", "Fix", "Severity", "InputError",
           "Record", "ReplyResult", "RunResult", "RuleInfo", "CATEGORIES", "__version__"]
