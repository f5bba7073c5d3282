"""Language identification for short replies, among the languages that have packs loaded.

General-purpose detectors (lingua, fastText, langid) are built to tell 75+ languages apart
and cost 100 MB of models or 0.3 s of start-up; replylint only has to choose between the
languages it has packs for (Dutch and English by default), on texts as short as "Geen idee."
For that, a vote of function words is both more reliable and nearly free: spaCy ships a
curated stop-word list per language, to which we add the words of greetings, thanks and
sign-offs that dominate very short replies.  Words shared by both lists count for neither.
Ties (no evidence: "OK!", a lone placeholder) fall back to the configured default language.
"""
from __future__ import annotations

import importlib
import re

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.U)

_EXTRA = {
    "nl": "hoi hallo beste geachte bedankt dank groet groeten groetjes vriendelijke hartelijk "
          "excuses sorry graag alvast helaas mevrouw meneer heer goedemorgen goedemiddag goedenavond "
          "fijne dag idee weet mogelijk klant bestelling pakket rekening afdeling vraag bericht "
          "hoogachtend mvg oké prima gelukt lukt niet wij jullie uw jouw",
    "en": "hi hello dear thanks thank regards best cheers sincerely apologies sorry please "
          "unfortunately order account team support customer idea know possible issue "
          "question message the you your we our it's don't can't won't i'm i've we're",
}

_cache: dict[tuple[str, ...], dict[str, frozenset[str]]] = {}


def _vocab(langs: tuple[str, ...]) -> dict[str, frozenset[str]]:
    hit = _cache.get(langs)
    if hit is not None:
        return hit
    words: dict[str, set[str]] = {}
    for lang in langs:
        s: set[str] = set()
        try:
            mod = importlib.import_module(f"spacy.lang.{lang}.stop_words")
            s.update(w.lower() for w in mod.STOP_WORDS)
        except ImportError:
            pass
        s.update(_EXTRA.get(lang, "").split())
        words[lang] = s
    out = {}
    for lang in langs:
        others = set().union(*(words[o] for o in langs if o != lang)) if len(langs) > 1 else set()
        out[lang] = frozenset(words[lang] - others)
    _cache[langs] = out
    return out


def detect(text: str, langs: tuple[str, ...], default: str) -> str:
    """Pick the most likely of ``langs`` for ``text`` (``default`` when there is no evidence)."""
    if len(langs) == 1:
        return langs[0]
    vocab = _vocab(langs)
    scores = dict.fromkeys(langs, 0)
    for w in _WORD.findall(text[:4000].lower()):
        for lang in langs:
            if w in vocab[lang]:
                scores[lang] += 1
    best = max(scores.values())
    if best == 0:
        return default
    winners = [lang for lang in langs if scores[lang] == best]
    return default if default in winners else winners[0]
