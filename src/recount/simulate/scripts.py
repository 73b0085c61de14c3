"""How a list-maker writes a name they heard or copied: script, transliteration habits, typos.

These are the simulator's generators of realistic variation, not recount's name matching
(that lives in ``recount.names`` and must not share code with this, or the simulated truth
would be easy for it by construction).

Conventions rendered:

* ``latin``: a romanisation to plain ASCII, with a list-specific habit for the sounds
  romanisations disagree on (kh/h/x, ya/ia/ja, yu/iu/ju, zh/j, ə → a or e, -yev/-ev, doubled
  consonants kept or dropped).
* ``cyrillic``: the Russian-style rendering a Soviet-era registry would write
  (Məmmədov → Мамедов, Həsən → Гасан, Petrosyan → Петросян).
* ``native``: the name in the person's own script, untouched.
"""

from __future__ import annotations

import random
import re

from anyascii import anyascii

# Azerbaijani Latin letters as a Russian-trained clerk hears them, before Cyrillic spelling.
_AZ_TO_RUSSIAN_LATIN = str.maketrans(
    {
        "ə": "a",
        "Ə": "A",
        "ğ": "g",
        "Ğ": "G",
        "ş": "š",
        "Ş": "Š",
        "ç": "č",
        "Ç": "Č",
        "ı": "ы",
        "I": "Ы",
        "İ": "I",
        "ö": "o",
        "Ö": "O",
        "ü": "u",
        "Ü": "U",
        "x": "x",
        "X": "X",
        "c": "dž",
        "C": "Dž",
        "q": "g",
        "Q": "G",
        "j": "ž",
        "J": "Ž",
        "h": "g",
        "H": "G",
    }
)

# Latin (with háčeks for the sibilants) to Russian Cyrillic, longest sequences first.
_LATIN_TO_CYRILLIC = [
    ("shch", "щ"),
    ("dž", "дж"),
    ("kh", "х"),
    ("zh", "ж"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "ё"),
    ("ye", "е"),
    ("ia", "ия"),
    ("š", "ш"),
    ("č", "ч"),
    ("ž", "ж"),
    ("ć", "ч"),
    ("đ", "дж"),
    ("x", "х"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("w", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("y", "й"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("h", "х"),
    ("c", "ц"),
    ("q", "к"),
    ("j", "й"),
    ("'", ""),
    ("`", ""),
]
_CYRILLIC_PATTERN = re.compile("|".join(re.escape(k) for k, _ in _LATIN_TO_CYRILLIC))
_CYRILLIC_MAP = dict(_LATIN_TO_CYRILLIC)

# Habits that distinguish one romaniser from another: (pattern, choices).
LATIN_HABITS = {
    "kh": (r"kh", ["kh", "h", "x"]),
    "ya": (r"ya", ["ya", "ia", "ja"]),
    "yu": (r"yu", ["yu", "iu", "ju"]),
    "zh": (r"zh", ["zh", "j"]),
    "ev": (r"yev\b", ["yev", "ev", "iev"]),
    "double": (r"([bcdfgklmnprstvz])\1", [r"\1\1", r"\1"]),
}


def to_latin(name: str, locale: str, habits: dict[str, int]) -> str:
    """ASCII romanisation; ``habits`` picks, per habit, which spelling this list-maker uses."""
    if locale == "az_AZ":
        text = name.translate(str.maketrans({"ə": "a", "Ə": "A"})) if habits.get("schwa") else name
        text = anyascii(text)
    else:
        text = anyascii(name)
    if locale == "ar_AA":  # romanised Arabic loses its vowels; a writer still capitalises
        text = " ".join(word[:1].upper() + word[1:] for word in text.split(" "))
    for habit, (pattern, choices) in LATIN_HABITS.items():
        choice = choices[habits.get(habit, 0) % len(choices)]
        text = re.sub(pattern, choice, text)
        text = re.sub(
            pattern.capitalize() if pattern[0].isalpha() else pattern, choice.capitalize(), text
        )
    return text


def to_cyrillic(name: str, locale: str) -> str:
    """The Russian-style Cyrillic spelling of a name."""
    if locale in ("ru_RU", "uk_UA"):
        return name
    if locale == "az_AZ":
        latin = _simplify_doubles(name.translate(_AZ_TO_RUSSIAN_LATIN))
    else:
        latin = anyascii(name)
    words = []
    for word in latin.split(" "):
        spelled = _CYRILLIC_PATTERN.sub(lambda m: _CYRILLIC_MAP[m.group(0)], word.lower())
        words.append(spelled[:1].upper() + spelled[1:])
    return " ".join(words)


def _simplify_doubles(text: str) -> str:
    return re.sub(r"([bdfgklmnprstvz])\1", r"\1", text)


def typo(text: str, rng: random.Random) -> str:
    """One keyboard or copying slip: a dropped, doubled, swapped or replaced letter."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2 and text[i + 1 : i + 2].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    neighbour = text[rng.choice(letters)]
    return (
        text[:i] + (neighbour.lower() if text[i].islower() else neighbour.upper()) + text[i + 1 :]
    )
