"""Script-free keys: one spelling for the many ways lists romanise the same name.

After ``to_ascii``, a word still carries its writer's conventions. ``name_key`` removes the ones
that differ between romanisation systems and clerks, so these share a key:

    Məmmədov, Mamedov, Мамедов, Mammadov, Memmedov      → mamadov
    Hasan, Həsən, Гасан, Gasan                          → hasan
    Petrosyan, Petrosian, Petrosjan, Петросян            → patrosan
    Aliyev, Aliev, Əliyev, Алиев, Alijev                 → aliav
    Cəvad, Cavad, Javad, Джавад                          → cavad

Rules, in order (each a convention that differs between systems, not between names):

1. Consonant digraphs to one class: shch/sch/sh → s; kh/gh/x/g/q/h → h (Russian writes
   Azerbaijani h as г, Azerbaijani x is Russian х = kh); ch/tch/ts/tz/c and dzh/dj/zh and a
   word-initial j before a vowel → c; ph → f; th → t; w → v.
   sh joins s and ch joins c on purpose: lists that drop diacritics write Şükür as Sukur.
   The affricates are one class because Azerbaijani c is the sound of дж and j: a list that
   drops diacritics writes Cəvad as Cavad, an English one Javad, a Russian one Джавад. A
   separate dzh/zh class kept 70 true pairs apart on the simulated lists (Cavad / Джавад)
   and joined 2 more different people (the other words of a name still have to agree).
2. Semivowels y, i, j next to a vowel go (ya/ia/ja, yu/iu/ju, -yev/-iev/-ev, -yan/-ian/-jan).
3. Vowels to three classes: a/e (ə) → a; o/u → o; i/y → i.
4. Doubled letters collapse (Məmmədov → mamadov).

The key is for blocking and for a comparison level; Jaro–Winkler on the plain ASCII form keeps
the finer distinctions. Keys are lossy by design: two different names can share one (Kasim and
Qasim do not; Gasym and Qasym do), which is why linkage weighs them with other fields.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish

# Order matters: digraphs that contain h are taken before h joins the guttural class.
_DIGRAPHS = [
    (re.compile(r"shch|sch|sh"), "S"),
    (re.compile(r"dzh|dj|zh"), "C"),  # the affricates are one class: see the docstring
    (re.compile(r"tch|ch"), "C"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"kh|gh|x|g|q|h"), "h"),
    (re.compile(r"ts|tz|c"), "C"),
    (re.compile(r"w"), "v"),
    (re.compile(r"^j(?=[aeiouy])"), "C"),
]
_SEMIVOWEL = re.compile(r"(?<=[aeiou])[yij]|[yij](?=[aeiou])")
_VOWEL_CLASSES = str.maketrans({"e": "a", "u": "o", "y": "i"})
_REPEATS = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aoi]")


@lru_cache(maxsize=1 << 16)
def name_key(ascii_word: str) -> str:
    """The convention-free key of one lowercase ASCII word (see the module docstring)."""
    word = ascii_word
    for pattern, replacement in _DIGRAPHS:
        word = pattern.sub(replacement, word)
    for _ in range(3):  # -iyev needs two passes: y between vowels, then i before e
        stripped = _SEMIVOWEL.sub("", word)
        if stripped == word:
            break
        word = stripped
    word = word.translate(_VOWEL_CLASSES)
    return _REPEATS.sub(r"\1", word).lower()


def consonant_key(key: str) -> str:
    """The key without vowels: what an Arabic-script name and its romanisation share
    (محمد → mhmd, Mohammad → mhmd; علي → l, Ali → l)."""
    return _REPEATS.sub(r"\1", _VOWELS.sub("", key))


@lru_cache(maxsize=1 << 16)
def phonetic(ascii_word: str) -> str:
    """Metaphone of the ASCII form: an English-tuned code, used only as a blocking aid."""
    return jellyfish.metaphone(ascii_word) if ascii_word else ""
