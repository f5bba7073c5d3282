"""The phrase-pattern language of rule packs, compiled to spaCy ``Matcher`` token patterns.

A pattern is a whitespace-separated sequence of elements, matched token by token within one
sentence, case-insensitively:

``weten``        any inflection of the word: weet, weten, wist, wisten, ... (via the lexicon)
``=wist``        exactly this form
``kan|kunnen``   alternatives (each expanded as above; ``=`` may prefix each)
``niet?``        an optional element
``*`` / ``*5``   up to 3 (or 5) arbitrary tokens
``_``            exactly one arbitrary token
``#num``         a number-like token (``24``, ``twee``);  ``#url`` a URL or e-mail address;
``#ph``          a template placeholder (``{{ticket.id}}``)
``^``            (first element only) the match must start a sentence or a clause after
                 ``:`` ``;`` or a dash: ``^ =bel|=mail``
``(a b|c)``      a group of alternative word sequences: ``(per post|telefonisch)``; groups may
                 be optional ``(…)?`` and nest.  A pattern with groups expands into several.

Note that ``a|b`` alternates single words; ``telefonisch|per post`` would be read as the two
elements ``telefonisch|per`` and ``post`` -- write ``(telefonisch|per post)`` instead.

Parsing is pure Python (done when packs load, so syntax errors are reported before linting);
expansion to forms needs the lexicon and happens lazily per language.
"""
from __future__ import annotations

from dataclasses import dataclass

from .yamlpos import ConfigError

SPECIALS = {"#num", "#url", "#ph"}


@dataclass(frozen=True, slots=True)
class Elem:
    kind: str  # "words" | "any" | "special"
    words: tuple[tuple[str, bool], ...] = ()  # (word, exact)
    optional: bool = False
    min: int = 1
    max: int = 1
    special: str = ""


MAX_VARIANTS = 256


def expand(pattern: str) -> list[str]:
    """Expand ``(…|…)`` groups into plain patterns (cartesian product)."""
    out = [pattern]
    done: list[str] = []
    while out:
        p = out.pop()
        close = p.find(")")
        if close == -1:
            if "(" in p:
                raise ValueError(f"unbalanced '(' in pattern {pattern!r}")
            done.append(p)
            continue
        open_ = p.rfind("(", 0, close)
        if open_ == -1:
            raise ValueError(f"unbalanced ')' in pattern {pattern!r}")
        optional = p[close + 1: close + 2] == "?"
        tail = p[close + 2:] if optional else p[close + 1:]
        options = p[open_ + 1: close].split("|")
        if optional:
            options.append("")
        for opt in options:
            out.append(f"{p[:open_]} {opt} {tail}")
        if len(out) + len(done) > MAX_VARIANTS:
            raise ValueError(f"pattern {pattern!r} expands to more than {MAX_VARIANTS} variants")
    return [" ".join(d.split()) for d in reversed(done)]


def parse_all(pattern: str) -> list[tuple[Elem, ...]]:
    """Parse a pattern that may contain groups into its plain variants."""
    return [parse(p) for p in dict.fromkeys(expand(pattern))]


def parse(pattern: str) -> tuple[Elem, ...]:
    """Parse one pattern without groups; raises ValueError with a human message."""
    elems: list[Elem] = []
    for n, raw in enumerate(pattern.split()):
        tok = raw
        if tok == "^":
            if n:
                raise ValueError(f"'^' may only start a pattern: {pattern!r}")
            elems.append(Elem("start"))
            continue
        optional = tok.endswith("?") and len(tok) > 1
        if optional:
            tok = tok[:-1]
        if tok == "_":
            elems.append(Elem("any", optional=optional, min=0 if optional else 1, max=1))
            continue
        if tok.startswith("*"):
            rest = tok[1:]
            if rest and not rest.isdigit():
                raise ValueError(f"bad wildcard {raw!r}: use * or *N with a number")
            elems.append(Elem("any", min=0, max=int(rest) if rest else 3))
            continue
        if tok.lower() in SPECIALS:
            elems.append(Elem("special", special=tok.lower(), optional=optional))
            continue
        alts = []
        for alt in tok.split("|"):
            exact = alt.startswith("=")
            word = alt[1:] if exact else alt
            if not word:
                raise ValueError(f"empty alternative in {raw!r}")
            if word.startswith("#") and len(tok.split("|")) > 1:
                raise ValueError(f"{word!r} cannot be an alternative in {raw!r}; use a group: "
                                 f"(a|b) with {word} as its own pattern")
            alts.append((word.lower(), exact))
        elems.append(Elem("words", words=tuple(alts), optional=optional))
    body = elems[1:] if elems and elems[0].kind == "start" else elems
    if not body:
        raise ValueError("empty pattern")
    if all(e.kind == "any" or e.optional for e in body):
        raise ValueError(f"pattern {pattern!r} would match anything")
    if body[0].kind == "any" or elems[-1].kind == "any":
        raise ValueError(f"pattern {pattern!r} may not start or end with a wildcard")
    return tuple(elems)


def parse_list(patterns: list[str], container, key: str) -> list[tuple[Elem, ...]]:
    from .yamlpos import where
    out = []
    for i, p in enumerate(patterns):
        try:
            out.extend(parse_all(p))
        except ValueError as e:
            seq = container.get(key) if isinstance(container, dict) else None
            raise ConfigError(f"{key}[{i}]: {e}", **where(seq if seq is not None else container, i)) from None
    return out
