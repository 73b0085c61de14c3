"""Fold a personal name written in any script to lowercase ASCII, keeping its sound.

Library choice, tested on the scripts recount meets (see tests/names): ``anyascii`` turns
Cyrillic, Armenian, Georgian, Greek and Arabic into readable Latin and Azerbaijani ``ə`` into
``e`` (``unidecode`` gives ``@``; ICU's Latin-ASCII leaves ``ə`` as is and needs a C build).
What no library does is applied here first:

* Case folding for Turkic letters: ``"İ".lower()`` is ``i`` + U+0307 (a combining dot); we fold
  İ and I to i, and ı to i, before anything else.
* Latin letters with diacritics that stand for a sound, not an accent: ş/š → sh, ç/č/ć → ch,
  ž → zh, đ → dj, and Azerbaijani ğ → gh, x → kh, c → dj, q → g (only in Azerbaijani-looking
  words, i.e. words with ə, ğ, ı, ş, ç, ö or ü).
* Greek ου → u (anyascii gives "oy").
* Apostrophes, soft and hard signs, Arabic ʿayn: dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_TURKIC_CASE = str.maketrans({"İ": "i", "I": "i", "ı": "i"})
_SOUND_LETTERS = str.maketrans(
    {
        "ş": "sh",
        "š": "sh",
        "ç": "ch",
        "č": "ch",
        "ć": "ch",
        "ž": "zh",
        "đ": "dj",
        "ğ": "gh",
        "ə": "e",
    }
)
_AZERBAIJANI = re.compile(r"[əğışçöü]")
# Azerbaijani c is the sound of Russian дж: written dj, which keys read like dzh (a plain j
# between vowels is a semivowel to them, as in Alijev).
_AZ_CONSONANTS = str.maketrans({"c": "dj", "x": "kh", "q": "g"})
_DROP = re.compile(r"['`ʼʻ’‘ʿʾ\u0301\u0307ъь]")
_NON_LETTERS = re.compile(r"[^a-z]+")


def fold_case(text: str) -> str:
    """NFKC, then case folding that is right for Turkic dotted and dotless i."""
    text = unicodedata.normalize("NFKC", text).translate(_TURKIC_CASE)
    return unicodedata.normalize("NFC", text.casefold()).replace("\u0307", "")


@lru_cache(maxsize=1 << 16)
def to_ascii(word: str) -> str:
    """One word (any script) as lowercase ASCII letters, e.g. Məmmədov → memmedov."""
    text = fold_case(word)
    text = text.replace("ου", "u").replace("ού", "u")
    if _AZERBAIJANI.search(text):
        text = text.translate(_AZ_CONSONANTS)
    text = _DROP.sub("", text.translate(_SOUND_LETTERS))
    # Only letters and their marks: anyascii would spell symbols out (☃ → "snowman").
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LM")
    return _NON_LETTERS.sub("", anyascii(text).lower())


def words(text: str) -> list[str]:
    """The words of a name field: split on spaces, hyphens, commas and dots; empty parts go."""
    return [w for w in re.split(r"[\s,.;/()\-–—]+", text) if w]
