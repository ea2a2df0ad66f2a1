"""Language identification of article text (py3langid: small, offline, fast)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Characters of text looked at: enough to be sure, cheap on long articles.
_SAMPLE = 1500
# The languages of the world's news outlets. py3langid knows 97, including pidgins and
# regional languages whose models claim short English texts full of foreign names
# ("President William Ruto met … in Nairobi" comes out as Nigerian Pidgin without this).
NEWS_LANGUAGES = (
    "af ar az bg bn bs ca cs cy da de el en es et eu fa fi fr ga gl he hi hr hu hy id is it ja ka kk "
    "ko lt lv mk ml mr ms mt nb nl nn no pl pt ro ru si sk sl sq sr sv sw ta te th tl tr uk ur vi zh"
).split()


@lru_cache(maxsize=1)
def _identifier() -> Any:  # py3langid's LanguageIdentifier (untyped)
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # from_model_file resolves MODEL_FILE against the package folder
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in NEWS_LANGUAGES if code in identifier.nb_classes])
    return identifier


# English function words: a text where they make up a fifth of the words is English, and the
# statistical model (a millisecond an article) need not be asked. Other languages share few
# of them ("a", "in"), never at that rate.
_ENGLISH = frozenset("the and of to in is that for on with was as by at from are it be has have said "
                     "will an were this which his its not but their after who".split())
_WORD = re.compile(r"[a-z]+")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell."""
    sample = text[:_SAMPLE]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    words = _WORD.findall(sample[:800].lower())
    if len(words) >= 40 and sum(w in _ENGLISH for w in words) >= 0.2 * len(words):
        return "en"
    lang, _prob = _identifier().classify(sample)
    return str(lang)
