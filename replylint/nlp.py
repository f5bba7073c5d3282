"""spaCy pipelines: ``spacy.blank(lang)`` (rule-based tokenizer, no trained model needed) with
spaCy's ``sentencizer`` plus one rule of our own: a line break ends a sentence, because replies
put salutations, list items and sign-offs on lines of their own without final punctuation.
"""
from __future__ import annotations

_PIPES: dict[str, object] = {}
_ARTICLES = frozenset({"een", "one", "a", "an"})


def _setup_extensions() -> None:
    from spacy.tokens import Token
    if not Token.has_extension("rl_ph"):
        Token.set_extension("rl_ph", getter=lambda t: t.idx in t.doc.user_data.get("rl_ph", ()))
    if not Token.has_extension("rl_num"):
        # like_num, minus the article "een"/"one" that spaCy's Dutch and English count as numbers
        Token.set_extension("rl_num", getter=lambda t: t.like_num and t.lower_ not in _ARTICLES)
    if not Token.has_extension("rl_url"):
        Token.set_extension("rl_url", getter=lambda t: t.like_url or t.like_email)


def get_nlp(lang: str):
    nlp = _PIPES.get(lang)
    if nlp is not None:
        return nlp
    import spacy
    from spacy.language import Language

    if not Language.has_factory("rl_linebreaks"):
        @Language.component("rl_linebreaks")
        def rl_linebreaks(doc):
            prev_nl = False
            for tok in doc:
                if prev_nl and not tok.is_space:
                    tok.is_sent_start = True
                    prev_nl = False
                if "\n" in tok.text or "\n" in tok.whitespace_:
                    prev_nl = True
            return doc

    _setup_extensions()
    try:
        nlp = spacy.blank(lang)
    except Exception as e:  # unknown language code
        raise ValueError(f"spaCy has no tokenizer for language {lang!r}: {e}") from None
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("rl_linebreaks")
    _PIPES[lang] = nlp
    return nlp
