"""Fold text for searching, so letters typed on a UK keyboard find accented names:
"jiri" finds Jiří, "lukasz" Łukasz, "gross" Groß. Display text is never folded."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that Unicode does not decompose into a base letter and an accent.
_PLAIN = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents: compare a folded query with folded text."""
    if text.isascii():  # most names: nothing to decompose (the caseload folds every pupil's)
        return text.lower()
    return _fold_unicode(text)


def _fold_unicode(text: str) -> str:
    """The whole rule: decompose, drop the accents, replace the letters that do not decompose."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_PLAIN)
