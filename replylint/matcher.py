"""Token matching for phrase patterns.

Why not spaCy's ``Matcher``?  It advances every partial match of every pattern at every token.
The default packs compile to ~1,500 pattern variants, most starting with very common words
("ik", "u", "dat") and holding bounded wildcards, so the Matcher spent ~15 ms per reply
(about 120 replies/s, measured with bench/lint_bench.py) -- far from the 2,000 replies/s CI
libraries need.  Here every variant is indexed by the surface forms its first element can
take; each token costs one dict lookup, and only the few candidate patterns that start there
are verified, left to right, by a small bounded backtracking matcher that never crosses a
sentence boundary.  spaCy still does the tokenisation, which is where its rules matter.

A compiled element is a tuple:
``("w", frozenset_of_lowercase_forms, optional)``, ``("a", min, max)`` (any tokens), or
``("s", name, optional)`` for the specials ``num``, ``url``, ``ph``.
"""
from __future__ import annotations

from collections import defaultdict

from .patterns import Elem

#: bump when the compiled representation changes (it is part of the on-disk cache key)
FORMAT = 2


def compile_elems(elems: tuple[Elem, ...], lex, tokenize) -> list[tuple]:
    """Compile one parsed pattern into matcher variants (multi-token alternatives, e.g.
    "cannot" -> "can" + "not", become variants of their own)."""
    variants: list[list[tuple]] = [[]]
    anchored = bool(elems) and elems[0].kind == "start"
    if anchored:
        elems = elems[1:]
    for e in elems:
        if e.kind == "any":
            variants = [v + [("a", e.min, e.max)] for v in variants]
            continue
        if e.kind == "special":
            variants = [v + [("s", e.special[1:], e.optional)] for v in variants]
            continue
        forms: set[str] = set()
        multi: list[list[str]] = []
        for word, exact in e.words:
            pieces = tokenize(word)
            if len(pieces) > 1:
                multi.append(pieces)
            elif exact:
                forms.add(pieces[0] if pieces else word)
            else:
                forms.update(lex.forms(word))
        options: list[list[tuple]] = []
        if forms:
            options.append([("w", frozenset(forms), False)])
        for pieces in multi:
            options.append([("w", frozenset([p]), False) for p in pieces])
        if e.optional:
            options.append([])
        variants = [v + opt for v in variants for opt in options]
        if len(variants) > 256:
            raise ValueError("pattern expands to too many variants")
    out = []
    for v in variants:
        while v and v[0][0] == "a":  # (parse() forbids this; defensive)
            v = v[1:]
        if v:
            out.append((("^",),) + tuple(v) if anchored else tuple(v))
    return out


class TokenMatcher:
    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple]] = defaultdict(list)
        # variants whose second element is a required word: indexed by both tokens
        self._by_pair: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        self._by_special: dict[str, list[tuple]] = defaultdict(list)
        self.size = 0

    def add(self, key, variants: list[tuple]) -> None:
        for elems in variants:
            self._add(key, elems)

    def _add(self, key, elems: tuple, anchored: bool = False) -> None:
        if elems[0][0] == "^":  # anchored: may only start where a sentence starts
            anchored = True
            elems = elems[1:]
        first = elems[0]
        if first[0] == "w" and first[2]:  # optional first word: with and without it
            self._add(key, (("w", first[1], False),) + elems[1:], anchored)
            if len(elems) > 1:
                self._add(key, elems[1:], anchored)
            return
        if first[0] == "s" and first[2]:
            self._add(key, (("s", first[1], False),) + elems[1:], anchored)
            if len(elems) > 1:
                self._add(key, elems[1:], anchored)
            return
        self.size += 1
        if first[0] == "w":
            second = elems[1] if len(elems) > 1 else None
            if second is not None and second[0] == "w" and not second[2] \
                    and len(first[1]) * len(second[1]) <= 4096:
                entry = (key, elems, anchored)
                for f1 in first[1]:
                    for f2 in second[1]:
                        self._by_pair[(f1, f2)].append(entry)
            else:
                entry = (key, elems, anchored)
                for form in first[1]:
                    self._by_first[form].append(entry)
        else:
            self._by_special[first[1]].append((key, elems[1:], anchored))

    def __call__(self, toks) -> list[tuple[object, int, int]]:
        """``toks`` is a :class:`Tokens`; returns (key, first token, end token) per match:
        the shortest match of each pattern variant at each start."""
        lowers = toks.lowers
        sent_end = toks.sent_end
        clause_start = toks.clause_start
        single = self._by_first
        pair = self._by_pair
        out: list = []
        seen: set = set()
        # Which tokens can start anything at all is decided by set intersections in C; the
        # Python loop below only visits those positions.
        starts: set[int] = set()
        hit_words = single.keys() & set(lowers)
        if hit_words:
            starts.update(i for i, low in enumerate(lowers) if low in hit_words)
        pairs = list(zip(lowers, lowers[1:]))
        hit_pairs = pair.keys() & set(pairs)
        if hit_pairs:
            starts.update(i for i, p in enumerate(pairs) if p in hit_pairs)
        special = [(getattr(toks, name), pats) for name, pats in self._by_special.items()]
        for flags, _ in special:
            starts.update(i for i, f in enumerate(flags) if f)
        for i in sorted(starts):
            low = lowers[i]
            limit = sent_end[i]
            at_start = clause_start[i]
            cands = single.get(low) if low in hit_words else None
            if cands is not None:
                for key, elems, anchored in cands:
                    if anchored and not at_start:
                        continue
                    end = _match(elems, 1, i + 1, limit, toks)
                    if end is not None and (key, i) not in seen:
                        seen.add((key, i))
                        out.append((key, i, end))
            if i + 1 < limit:
                cands = pair.get(pairs[i])
                if cands is not None:
                    for key, elems, anchored in cands:
                        if anchored and not at_start:
                            continue
                        end = _match(elems, 2, i + 2, limit, toks)
                        if end is not None and (key, i) not in seen:
                            seen.add((key, i))
                            out.append((key, i, end))
            for flags, pats in special:
                if flags[i]:
                    for key, rest, anchored in pats:
                        if anchored and not at_start:
                            continue
                        end = _match(rest, 0, i + 1, limit, toks) if rest else i + 1
                        if end is not None and (key, i) not in seen:
                            seen.add((key, i))
                            out.append((key, i, end))
        return out


def _special(name: str, j: int, toks) -> bool:
    if name == "num":
        return toks.num[j]
    if name == "url":
        return toks.url[j]
    return toks.ph[j]


def _match(elems: tuple, k: int, j: int, limit: int, toks) -> int | None:
    """End (exclusive) of the shortest match of elems[k:] from token j, within [.., limit)."""
    n = len(elems)
    while k < n:
        el = elems[k]
        kind = el[0]
        if kind == "a":
            lo, hi = el[1], el[2]
            if k + 1 == n:
                return j + lo if j + lo <= limit else None
            nxt = elems[k + 1]
            stop = min(j + hi, limit - 1)
            if nxt[0] == "w" and not nxt[2]:
                # the usual case: scan for the next required word, recurse only on a hit
                forms = nxt[1]
                lowers = toks.lowers
                for pos in range(j + lo, stop + 1):
                    if lowers[pos] in forms:
                        r = _match(elems, k + 2, pos + 1, limit, toks)
                        if r is not None:
                            return r
                return None
            for step in range(lo, hi + 1):
                if j + step > limit:
                    break
                r = _match(elems, k + 1, j + step, limit, toks)
                if r is not None:
                    return r
            return None
        if kind == "w":
            ok = j < limit and toks.lowers[j] in el[1]
        else:
            ok = j < limit and _special(el[1], j, toks)
        if el[2]:  # optional: try with, then without
            if ok:
                r = _match(elems, k + 1, j + 1, limit, toks)
                if r is not None:
                    return r
            k += 1
            continue
        if not ok:
            return None
        k += 1
        j += 1
    return j
