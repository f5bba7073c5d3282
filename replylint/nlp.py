"""spaCy pipelines: ``spacy.blank(lang)``, the rule-based tokenizer (no trained model needed).

Only the tokenizer runs per reply; sentence boundaries are found in the same pass that builds
the token table (``engine.Tokens``), with spaCy's sentencizer punctuation plus line breaks.
"""
from __future__ import annotations

_PIPES: dict[str, object] = {}


def get_nlp(lang: str):
    nlp = _PIPES.get(lang)
    if nlp is not None:
        return nlp
    import spacy
    try:
        nlp = spacy.blank(lang)
    except Exception as e:  # unknown language code
        raise ValueError(f"spaCy has no tokenizer for language {lang!r}: {e}") from None
    _PIPES[lang] = nlp
    return nlp
