"""Language identification of article text (py3langid: small, offline, fast)."""

from __future__ import annotations

from functools import lru_cache

# Characters of text looked at: enough to be sure, cheap on long articles.
_SAMPLE = 4000


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # from_model_file resolves MODEL_FILE against the package folder
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell."""
    sample = text[:_SAMPLE]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    lang, _prob = _identifier().classify(sample)
    return lang
