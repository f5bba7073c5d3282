"""Word knowledge, computed once and cached on disk.

Two questions are asked of the language here:

* *Which surface forms belong to this word?*  Phrase patterns are written with any form of a
  word ("weet ik niet") and must also match its inflections ("wist ik niet", "weten wij niet").
  Rather than lemmatising every token of every reply at run time, we expand each pattern word
  into all the forms that simplemma's form->lemma dictionary maps to the same lemma, once, at
  pack-compile time.  Matching is then a cheap lowercase lookup in spaCy's ``Matcher``.
  simplemma is used because it ships its dictionaries inside the wheel (no model download),
  covers Dutch well, and is pure Python.

* *Is this word common?*  The jargon rule needs word frequencies: wordfreq (Speer et al.)
  aggregates subtitles, Wikipedia, news, web text and more per language, ships its data in the
  wheel and gives Zipf frequencies.  We cache the set of words at or above a Zipf threshold.

Loading simplemma's Dutch dictionary takes ~0.5 s and wordfreq ~0.3 s, far too much for a
per-draft cold start, so results are cached in ``$REPLYLINT_CACHE_DIR`` (default
``$XDG_CACHE_HOME/replylint`` or ``~/.cache/replylint``) keyed by the library versions.  The
cache is an optimisation only: if it cannot be read or written, everything still works.
"""
from __future__ import annotations

import os
import pickle
import tempfile
from importlib import metadata
from pathlib import Path

_FORMAT = 8


def cache_dir() -> Path | None:
    if os.environ.get("REPLYLINT_NO_CACHE"):
        return None
    env = os.environ.get("REPLYLINT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "replylint"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "0"


def write_pickle(path: Path, data) -> None:
    """Write a cache file atomically (temporary file + rename): readers never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class Lexicon:
    """Per-language cached word knowledge.  Each piece (the form table, each frequency set)
    is its own cache file, loaded only when a rule first needs it."""

    def __init__(self, lang: str):
        self.lang = lang
        self._forms: dict[str, tuple[str, ...]] | None = None
        self._forms_dirty = False
        self._common: dict[float, frozenset[str]] = {}
        self._inverse: dict[str, list[str]] | None = None

    # -- persistence -------------------------------------------------------------------------
    def _path(self, what: str) -> Path | None:
        d = cache_dir()
        if d is None:
            return None
        tag = f"{_FORMAT}-{_version('simplemma')}-{_version('wordfreq')}"
        return d / f"{what}-{self.lang}-{tag}.pickle"

    def _read(self, what: str):
        p = self._path(what)
        if p is None or not p.exists():
            return None
        try:
            with open(p, "rb") as fh:
                return pickle.load(fh)  # noqa: S301 - our own cache file
        except Exception:  # a corrupt cache is simply rebuilt
            return None

    def _write(self, what: str, data) -> None:
        p = self._path(what)
        if p is None:
            return
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            prefix = f"{what}-{self.lang}-"
            for old in p.parent.glob(f"{prefix}*.pickle"):  # drop caches of older versions
                if old != p and old.name[len(prefix):].split("-", 1)[0] != what:
                    old.unlink(missing_ok=True)
            write_pickle(p, data)
        except OSError:
            pass

    def save(self) -> None:
        if self._forms_dirty and self._forms is not None:
            self._write("forms", self._forms)
            self._forms_dirty = False

    # -- forms -------------------------------------------------------------------------------
    def _inverse_map(self) -> dict[str, list[str]]:
        if self._inverse is None:
            from simplemma.strategies.dictionaries import DefaultDictionaryFactory
            d = DefaultDictionaryFactory().get_dictionary(self.lang)
            inv: dict[str, list[str]] = {}
            for form, lemma in d.items():
                lemma = lemma.decode() if isinstance(lemma, bytes) else lemma
                form = form.decode() if isinstance(form, bytes) else form
                inv.setdefault(lemma.lower(), []).append(form.lower())
            self._inverse = inv
        return self._inverse

    def forms(self, word: str) -> tuple[str, ...]:
        """All lowercase surface forms sharing ``word``'s lemma (``word`` itself included)."""
        word = word.lower()
        if self._forms is None:
            self._forms = self._read("forms") or {}
        hit = self._forms.get(word)
        if hit is not None:
            return hit
        import simplemma
        try:
            lemma = simplemma.lemmatize(word, lang=self.lang).lower()
        except ValueError:  # language unsupported by simplemma: exact form only
            lemma = word
        inv = self._inverse_map() if lemma else {}
        out = {word, lemma}
        out.update(inv.get(lemma, ()))
        # A verb that is also a noun ("bellen" -> "bel") keeps its verb forms too: every form
        # whose lemma is the pattern word itself belongs to it as well.
        if lemma != word:
            out.update(inv.get(word, ()))
        if self.lang == "nl":
            out.update(_separable_participles(word, inv, lemma))
        elif self.lang == "en" and word.isalpha():
            out.update(_english_forms(lemma if lemma in inv else word))
        # The form's own lemma group can be very large for function words; keep what matters.
        forms = tuple(sorted(f for f in out if f and " " not in f))
        self._forms[word] = forms
        self._forms_dirty = True
        return forms

    # -- frequencies -------------------------------------------------------------------------
    def common_words(self, min_zipf: float) -> frozenset[str]:
        """Lowercase words whose Zipf frequency in this language is at least ``min_zipf``."""
        hit = self._common.get(min_zipf)
        if hit is not None:
            return hit
        name = f"common{min_zipf:g}"
        words = self._read(name)
        if words is None:
            try:
                import wordfreq
                freqs = wordfreq.get_frequency_dict(self.lang, wordlist="best")
            except (ImportError, LookupError, ValueError):
                freqs = {}
            # zipf = log10(freq * 1e9)  =>  freq >= 10**(zipf - 9)
            floor = 10 ** (min_zipf - 9)
            words = frozenset(w for w, f in freqs.items() if f >= floor)
            self._write(name, words)
        self._common[min_zipf] = words
        return words


#: Dutch separable-verb particles: "aanpassen" -> "aangepast", "terugbellen" -> "teruggebeld".
_PARTICLES = ("terug", "door", "over", "langs", "mee", "aan", "af", "bij", "in", "na", "om", "op",
              "toe", "uit", "vast", "weg", "voor", "klaar", "thuis", "tegen", "rond", "neer", "los")


def _regular_participle(inf: str) -> str | None:
    """Weak-verb participle by the spelling rules ('t kofschip): passen -> gepast."""
    if not inf.endswith("en") or len(inf) < 5:
        return None
    stem = inf[:-2]
    if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
        stem = stem[:-1]
    if stem[-1] in "td":
        end = ""
    else:
        end = "t" if stem[-1] in "kfsp" or stem.endswith("ch") else "d"
    prefix = "" if inf.startswith(("be", "ver", "ont", "her", "ge", "er")) else "ge"
    return prefix + stem + end


_VOWELS = "aeiou"


def _english_forms(base: str) -> set[str]:
    """Regular inflections the dictionary may lack: fix -> fixes, fixed, fixing;
    follow -> following; stop -> stopped."""
    if len(base) < 3:
        return set()
    out = set()
    if base.endswith(("s", "x", "z", "ch", "sh")):
        out.add(base + "es")
    elif base.endswith("y") and base[-2] not in _VOWELS:
        out.add(base[:-1] + "ies")
    else:
        out.add(base + "s")
    stem = base
    if base.endswith("e"):
        stem = base[:-1]
    elif (len(base) <= 4 and base[-1] not in _VOWELS + "wxy" and base[-2] in _VOWELS
          and base[-3] not in _VOWELS):
        stem = base + base[-1]
    if base.endswith("y") and base[-2] not in _VOWELS:
        out.add(base[:-1] + "ied")
    else:
        out.add(stem + "ed")
    out.add(stem + "ing")
    return out


def _regular_forms(inf: str) -> set[str]:
    """Present and weak past forms by the spelling rules: staan -> sta, staat; maken -> maak,
    maakt, maakte; bellen -> bel, belt, belde; leven -> leef, leeft."""
    if len(inf) < 4 or not inf.endswith("n"):
        return set()
    if inf.endswith(("aan", "oen", "ien", "ean")) and not inf.endswith("ten"):
        stem = inf[:-1]
        if stem.endswith("aa"):
            stem = stem[:-1]
        return {stem, stem + ("at" if stem.endswith("a") else "t")} if stem.endswith("a") else {stem, stem + "t"}
    if not inf.endswith("en"):
        return set()
    stem = inf[:-2]
    if len(stem) < 2:
        return set()
    if stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        stem = stem[:-1]
    elif len(stem) >= 3 and stem[-1] not in _VOWELS and stem[-2] in _VOWELS and stem[-3] not in _VOWELS \
            and not stem.endswith(("ij", "ei")):
        stem = stem[:-1] + stem[-2] + stem[-1]
    past = stem
    if stem.endswith("z"):
        stem = stem[:-1] + "s"
    elif stem.endswith("v"):
        stem = stem[:-1] + "f"
    forms = {stem, stem if stem.endswith("t") else stem + "t"}
    suffix = "te" if stem[-1] in "kfsp" or stem.endswith("ch") or stem[-1] in "tx" else "de"
    forms.update({past + suffix, past + suffix + "n"})
    return forms


def _separable_participles(word: str, inv: dict[str, list[str]], lemma: str) -> set[str]:
    out: set[str] = set()
    for verb in {word, lemma}:
        if verb in inv and verb.endswith("n"):
            out.update(_regular_forms(verb))
    for verb in {word, lemma}:
        reg = _regular_participle(verb)
        for p in _PARTICLES:
            if verb.startswith(p) and len(verb) > len(p) + 3:
                base = verb[len(p):]
                for form in inv.get(base, ()):
                    if form.startswith("ge") and len(form) > 4:
                        out.add(p + form)
                breg = _regular_participle(base)
                if breg:
                    out.add(p + breg)
                reg = None
                break
        if reg and verb in inv:
            out.add(reg)
    return out


_LEXICA: dict[str, Lexicon] = {}


def lexicon(lang: str) -> Lexicon:
    lx = _LEXICA.get(lang)
    if lx is None:
        lx = _LEXICA[lang] = Lexicon(lang)
    return lx


def save_all() -> None:
    for lx in _LEXICA.values():
        lx.save()
