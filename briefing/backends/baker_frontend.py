"""Text → the phone symbols the Baker FastSpeech2 voice was trained on.

The voice's input is a sequence from ``baker_mapper.json``: ``sil``, prosody
marks ``#0``–``#3``, initials (``^`` for none), finals carrying tones 1–5, and
``eos``. In the Baker corpus labels an utterance reads::

    sil zh ong1 #0 ^ uen2 #1 h e2 #0 ch eng2 #3 ... sil eos

``#0`` joins syllables inside a prosodic word, ``#1`` separates prosodic
words, ``#2`` prosodic phrases and ``#3`` clauses (where a comma stands); a
sentence is one utterance with ``sil`` at both ends. The labels record tones
as spoken, so third-tone, 一 and 不 sandhi are applied here.

Pure and deterministic: jieba gives word boundaries, pypinyin (with its phrase
dictionary) the readings of polyphones; no I/O beyond their dictionaries.
Latin words are said as English words in Mandarin syllables and acronyms
spelled (``briefing.english``), stray digits read as numbers, symbols as words.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing import english, normalize
from briefing.backends import baker_g2p
from briefing.words import cut, frequency

if TYPE_CHECKING:
    from briefing.proof import ProofItem

log = logging.getLogger(__name__)

INITIALS = (
    "b", "c", "ch", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "q", "r",
    "s", "sh", "t", "x", "z", "zh",
)  # fmt: skip
FINALS = (
    "a", "ai", "an", "ang", "ao", "e", "ei", "en", "eng", "er", "i", "ia", "ian",
    "iang", "iao", "ie", "ii", "iii", "in", "ing", "iong", "iou", "o", "ong", "ou",
    "u", "ua", "uai", "uan", "uang", "uei", "uen", "ueng", "uo", "v", "van", "ve", "vn",
)  # fmt: skip
PAUSES = ("sil", "#0", "#1", "#2", "#3")
# The voice's symbol table, in id order (pad = 0 … eos = 218), as in baker_mapper.json.
SYMBOLS = (
    ("pad", *PAUSES, "^", *INITIALS)
    + tuple(f"{final}{tone}" for final in FINALS for tone in "12345")
    + ("eos",)
)

# Longest utterance, in syllables, sent to the model in one pass. Baker
# sentences are short (about 17 characters on average); past ~40 syllables
# the decoder drifts (mels that never fall back to silence) and past ~115 it
# overflows its 2048-frame position table. Longer sentences are cut at
# clause punctuation, else at the word boundary nearest the middle.
MAX_UTTERANCE_SYLLABLES = 32

# Pauses between utterances of one chunk, in milliseconds.
SENTENCE_PAUSE_MS = 300
CLAUSE_PAUSE_MS = 120

_SENTENCE_END = set("。！？!?…")
_CLAUSE_END = set("，,、；;：:—")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3007]")

# Symbols read as words (after NFKC, so full-width forms are covered too).
SYMBOL_WORDS: dict[str, str] = {
    "+": "加", "=": "等于", "&": "和", "@": "艾特", "#": "井号", "*": "星",
    "×": "乘", "÷": "除以", "°": "度", "℃": "摄氏度", "~": "到", "/": "斜杠",
    "$": "美元", "¥": "元", "€": "欧元", "£": "英镑",
}  # fmt: skip

# Words pypinyin reads wrongly out of context (长 in 最长 is chang2, not zhang3).
WORD_READINGS: dict[str, tuple[str, ...]] = {
    "最长": ("zui4", "chang2"), "更长": ("geng4", "chang2"), "较长": ("jiao4", "chang2"),
    "很长": ("hen3", "chang2"), "太长": ("tai4", "chang2"), "还款": ("huan2", "kuan3"),
    "还贷": ("huan2", "dai4"), "还债": ("huan2", "zhai4"),
}  # fmt: skip

_NUMERALS = set("〇零一二三四五六七八九十百千万亿两")
_DIGIT_CHARS = set("〇零一二三四五六七八九")
# Function words spoken as part of the word before them (的 in 我们的).
_CLITICS = set("的地得了着过们吗呢吧啊呀嘛")
# Words ending in 儿 that are not erhua (儿 is its own syllable there).
_NOT_ERHUA = {
    "女儿", "儿子", "婴儿", "幼儿", "孤儿", "健儿", "胎儿", "宠儿", "男儿", "患儿", "妻儿",
    "少儿", "新生儿", "儿儿", "托儿", "混血儿", "孩儿", "养儿", "育儿", "小儿",
}  # fmt: skip


# --- pinyin syllables -------------------------------------------------------

_Y_W = {
    "yi": "i", "ya": "ia", "yan": "ian", "yang": "iang", "yao": "iao", "ye": "ie",
    "yin": "in", "ying": "ing", "yo": "iou", "you": "iou", "yong": "iong",
    "yu": "v", "yue": "ve", "yuan": "van", "yun": "vn",
    "wu": "u", "wa": "ua", "wo": "uo", "wai": "uai", "wei": "uei", "wan": "uan",
    "wen": "uen", "wang": "uang", "weng": "ueng",
}  # fmt: skip
_SPECIAL = {"n": ("^", "en"), "ng": ("^", "en"), "m": ("^", "en"), "hm": ("h", "en"),
            "hng": ("h", "en"), "ê": ("^", "ei"), "ea": ("^", "ei")}  # fmt: skip


@functools.cache
def split_syllable(syllable: str) -> tuple[str, str] | None:
    """A toneless pinyin syllable as (initial, final) in the voice's phone set.

    ``zhi`` → (zh, iii), ``si`` → (s, ii), ``ju`` → (j, v), ``liu`` → (l, iou),
    ``wen`` → (^, uen). None when the syllable has no place in the phone set.
    """
    syllable = syllable.replace("ü", "v")
    if syllable in _SPECIAL:
        return _SPECIAL[syllable]
    if syllable in _Y_W:
        return "^", _Y_W[syllable]
    if syllable[:2] in ("zh", "ch", "sh"):
        initial, rest = syllable[:2], syllable[2:]
    elif syllable[:1] in INITIALS:
        initial, rest = syllable[:1], syllable[1:]
    else:
        initial, rest = "^", syllable
    if initial in ("j", "q", "x") and rest.startswith("u"):
        rest = "v" + rest[1:]
    final = {"iu": "iou", "ui": "uei", "un": "uen", "ue": "ve"}.get(rest, rest)
    if rest == "i" and initial in ("zh", "ch", "sh", "r"):
        final = "iii"
    elif rest == "i" and initial in ("z", "c", "s"):
        final = "ii"
    if final not in FINALS or not _combines(initial, final):
        return None
    return initial, final


def _combines(initial: str, final: str) -> bool:
    """Whether pinyin has this initial with this final (j/q/x only before i
    and ü, ü only after j/q/x/n/l, -i after z/c/s as ii and zh/ch/sh/r as iii)."""
    if final == "ii":
        return initial in ("z", "c", "s")
    if final == "iii":
        return initial in ("zh", "ch", "sh", "r")
    if initial in ("j", "q", "x"):
        return final[0] in "iv"
    if final[0] == "v":
        return initial in ("n", "l", "^")
    if final[0] == "i":
        return initial not in ("g", "k", "h", "zh", "ch", "sh", "r", "z", "c", "s", "f")
    return True


# --- text → tokens -----------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A word as written and its syllables (pinyin with tone digit, e.g. ``hang2``).

    ``erhua``: the last syllable carries an 儿 suffix (spoken ``… er5``).
    ``fixed``: spelled-out letters; their tones are not subject to sandhi.
    """

    text: str
    syllables: tuple[str, ...]
    erhua: bool = False
    fixed: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words between two pauses, and the pause that ends them (``#3`` or ``sil``)."""

    words: tuple[Word, ...]
    end: str


@dataclass(frozen=True)
class Utterance:
    """One pass through the model: phone symbols from ``sil`` to ``sil``
    (``eos`` is added with the ids), the words with the half-open range of
    phone positions that say each, and the silence to put after it."""

    phones: tuple[str, ...]
    words: tuple[tuple[str, int, int], ...]
    pause_after_ms: int

    @property
    def syllable_count(self) -> int:
        return sum(1 for p in self.phones if p[-1].isdigit() and not p.startswith("#"))


def read_number(digits: str) -> str:
    """Stray digits as Mandarin: a cardinal up to 8 digits (``70`` → 七十),
    digit by digit when longer or with a leading zero (``007`` → 零零七)."""
    if len(digits) > 8 or (len(digits) > 1 and digits[0] == "0"):
        return normalize.read_digits(digits)
    return normalize.read_integer(int(digits))


_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?(%?)")


def _spell_numbers(text: str) -> str:
    def spoken(match: re.Match[str]) -> str:
        if _inside_latin_word(text, match.start(), match.end()):
            return match.group(0)  # letters spelled with digits: Cl0p, Cyb3r
        whole, fraction, percent = match.groups()
        reading = read_number(whole)
        if fraction:
            reading += "点" + normalize.read_digits(fraction)
        return ("百分之" + reading) if percent else reading

    return _NUMBER.sub(spoken, text)


def _inside_latin_word(text: str, start: int, end: int) -> bool:
    def latin(i: int) -> bool:
        return 0 <= i < len(text) and text[i].isascii() and text[i].isalpha()

    return latin(start - 1) and latin(end)


def phrases(text: str) -> list[Phrase]:
    """Split text into phrases of words with readings, ends marked ``#3``/``sil``."""
    text, fixed = marked_readings(spoken_text(text))
    syllables = read(text, fixed).syllables
    result: list[Phrase] = []
    for start, piece, end in _pieces(text):
        words = _words(piece, syllables[start : start + len(piece)])
        if words:
            result.append(Phrase(tuple(words), end))
        elif end == "sil" and result and result[-1].end != "sil":
            result[-1] = Phrase(result[-1].words, "sil")
    if result:
        result[-1] = Phrase(result[-1].words, "sil")
    return result


def spoken_text(text: str) -> str:
    """The text as the voice reads it: compatibility forms folded, stray digits
    spelled in Han (not the tone digits of readings marked ``单{shan4}``)."""
    text = _compatibility_forms(text)
    out: list[str] = []
    last = 0
    for mark in _MARKED.finditer(text):
        out += [_spell_numbers(text[last : mark.start()]), mark.group(0)]
        last = mark.end()
    out.append(_spell_numbers(text[last:]))
    return "".join(out)


# Full-width pause punctuation the front end reads as it is: it keeps its
# Chinese form, so that what ``annotate`` shows is the text.
_FULL_WIDTH_PAUSES = set("，！？；：（）")


def _compatibility_forms(text: str) -> str:
    """NFKC (full-width letters, digits and ％, ㎡ …) but for Chinese pauses."""
    return "".join(
        ch if ch in _FULL_WIDTH_PAUSES else unicodedata.normalize("NFKC", ch) for ch in text
    )


# A reading fixed by the lexicon (``briefing.lexicon``): 单{shan4}, 六安{lu4 an1}.
_MARKED = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff]+)\{([a-zv]+[1-5](?: [a-zv]+[1-5])*)\}")


def marked_readings(text: str) -> tuple[str, dict[int, str]]:
    """The text without its ``字{zi4}`` marks, and the readings they fix, by offset."""
    out: list[str] = []
    fixed: dict[int, str] = {}
    last = length = 0
    for mark in _MARKED.finditer(text):
        before = text[last : mark.start()]
        word, syllables = mark.group(1), mark.group(2).split()
        length += len(before)
        # The reading belongs to the last characters before the braces.
        for k, syllable in enumerate(reversed(syllables)):
            if k < len(word):
                fixed[length + len(word) - 1 - k] = syllable
        out += [before, word]
        length += len(word)
        last = mark.end()
    out.append(text[last:])
    return "".join(out), fixed


def _pieces(text: str) -> Iterable[tuple[int, str, str]]:
    """Text between pause punctuation (with its offset), and the pause that follows it."""
    start = 0
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END or (ch == "." and not _between_alnum(text, i)):
            yield start, text[start:i], "sil"
            start = i + 1
        elif ch in _CLAUSE_END:
            yield start, text[start:i], "#3"
            start = i + 1
    yield start, text[start:], "sil"


def _between_alnum(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


# A Latin token may hold digits between letters (Cl0p, Cyb3rFl00d).
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3007]+|[A-Za-z]+(?:\d+[A-Za-z]+)*|.", re.DOTALL)


def _words(piece: str, syllables: Sequence[str]) -> list[Word]:
    """The words of a piece; ``syllables`` holds each of its characters' readings."""
    words: list[Word] = []
    for match in _TOKEN.finditer(piece):
        token = match.group(0)
        if _HAN.match(token):
            words.extend(_han_words(token, syllables[match.start() : match.end()]))
        elif token.isascii() and token.isalpha():
            words.extend(latin_words(token))
        elif token in SYMBOL_WORDS:
            spoken = SYMBOL_WORDS[token]
            words.extend(_han_words(spoken, read(spoken).syllables))
        # Anything else (quotes, brackets, spaces, unknown symbols) is not spoken.
    return words


def latin_words(token: str) -> list[Word]:
    """How the voice says a Latin token (letters, perhaps with digits inside)."""
    said = english.say(token)
    if said is not None:
        return [Word(token, said, fixed=True)]
    words: list[Word] = []
    for part in re.findall(r"[A-Za-z]+|\d+", token):
        if part.isdigit():
            spoken = normalize.read_digits(part)
            words.extend(_han_words(spoken, read(spoken).syllables))
        elif len(part) <= english.ACRONYM_LETTERS:
            # An acronym (GDP) is one prosodic word; a longer run is spelled
            # letter by letter, so an utterance can still be cut inside it.
            words.append(Word(part, english.spell(part), fixed=True))
        else:
            words.extend(Word(letter, english.spell(letter), fixed=True) for letter in part)
    return words


def _han_words(run: str, syllables: Sequence[str]) -> list[Word]:
    """Jieba's words of a run of Han characters, with the run's readings."""
    words: list[Word] = []
    position = 0
    for text in (w for w in cut(run, hmm=True) if w):
        readings = syllables[position : position + len(text)]
        position += len(text)
        erhua = (
            len(text) > 1 and text.endswith("儿") and text not in _NOT_ERHUA
            and not any(text.endswith(w) for w in _NOT_ERHUA)
        )  # fmt: skip
        if erhua:
            readings = readings[:-1]
        kept = tuple(s for s in readings if s)
        if kept:
            words.append(Word(text, kept, erhua=erhua))
    return words


# --- readings of characters --------------------------------------------------

# The model's reading overrides pypinyin's phrase dictionary only when it is
# all but certain, and only in words that are not common: the entries of
# common words (为了 wei4, which the model reads wei2 with certainty) have been
# checked by many users, those of rare ones (黄陂 pi2, 吡咯 ge1) less so. On
# CPP's dev split the mix reads 97.4% right with the dictionary always
# winning, 97.8% with these limits (97.7-97.9% from 0.99 to 0.999999 and from
# 3,000 to any count: the figures are not fitted to one point).
MODEL_OVERRIDES_PHRASE = 0.9999
COMMON_WORD_COUNT = 5000  # in jieba's dictionary corpus (为了 21,073; 黄陂 1,318)


@dataclass(frozen=True)
class Choice:
    """How a polyphonic character was read: its offset in the spoken text,
    the reading, and what decided it (``phrase``: a word of pypinyin's phrase
    dictionary; ``model``: g2pM in the sentence's context; ``lexicon``: the
    pronunciation lexicon)."""

    offset: int
    char: str
    reading: str
    source: str


@dataclass(frozen=True)
class Reading:
    """Each character's reading (pinyin with tone digit, dictionary tones
    before sandhi; "" for characters that are not Han), and the choices made
    for polyphones."""

    syllables: tuple[str, ...]
    choices: tuple[Choice, ...]


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3007]+")
_SENTENCE = re.compile(r"[^。！？!?…]+[。！？!?…]*")


def read(text: str, fixed: Mapping[int, str] | None = None) -> Reading:
    """The readings of the Han characters of ``text`` in context.

    Jieba's words are read by pypinyin, whose phrase dictionary settles a
    polyphone inside a word it knows (银行行长 → hang2 … zhang3); g2pM reads
    every other polyphone from its whole sentence (他长得高 → zhang3).
    ``fixed`` readings (by offset: the lexicon's) are taken as they are.
    """
    fixed = fixed or {}
    syllables = [""] * len(text)
    settled = [_OPEN] * len(text)  # how firmly the phrase dictionary reads each
    for run in _HAN_RUN.finditer(text):
        position = run.start()
        for word in (w for w in cut(run.group(0), hmm=True) if w):
            readings, firmness = _dictionary_readings(word)
            syllables[position : position + len(word)] = readings
            settled[position : position + len(word)] = firmness
            position += len(word)
    choices: list[Choice] = []
    for sentence in _SENTENCE.finditer(text):
        for index, guess in baker_g2p.polyphone_readings(sentence.group(0)).items():
            offset = sentence.start() + index
            if not syllables[offset] or offset in fixed:
                continue
            firm = settled[offset] == _COMMON_PHRASE or (
                settled[offset] == _RARE_PHRASE and guess.probability < MODEL_OVERRIDES_PHRASE
            )
            if firm:
                choices.append(Choice(offset, text[offset], syllables[offset], "phrase"))
            else:
                syllables[offset] = guess.reading
                choices.append(Choice(offset, text[offset], guess.reading, "model"))
    for offset, syllable in sorted(fixed.items()):
        syllables[offset] = syllable
        choices.append(Choice(offset, text[offset], syllable, "lexicon"))
    choices.sort(key=lambda choice: choice.offset)
    return Reading(tuple(syllables), tuple(choices))


# How firmly pypinyin's phrase dictionary has read a character.
_OPEN, _RARE_PHRASE, _COMMON_PHRASE = 0, 1, 2


def _dictionary_readings(word: str) -> tuple[list[str], list[int]]:
    """One syllable per character of a jieba word ("" where there is none), and
    for each how firmly it is read: inside a common word of the phrase
    dictionary (or ``WORD_READINGS``), a rare one, or not by a phrase at all.

    pypinyin reads the word on its own: its phrase dictionary then resolves
    polyphones inside the word (银行行长 → hang2 hang2) without pairing
    characters across jieba's boundaries (从|重庆 is not 从重 cong2 zhong4).
    """
    if word in WORD_READINGS:
        return list(WORD_READINGS[word]), [_COMMON_PHRASE] * len(word)
    lazy_pinyin, Style, phrases_dict, mmseg = _pypinyin()
    options = {"style": Style.TONE3, "neutral_tone_with_five": True, "errors": "ignore"}
    readings = lazy_pinyin(word, **options)
    if len(readings) != len(word):  # a character pypinyin cannot read: go one by one
        readings = [(lazy_pinyin(ch, **options) or [""])[0] for ch in word]
    firmness: list[int] = []
    for part in mmseg.cut(word):
        if len(part) < 2 or part not in phrases_dict:
            firmness += [_OPEN] * len(part)
        elif frequency(part) >= COMMON_WORD_COUNT:
            firmness += [_COMMON_PHRASE] * len(part)
        else:
            firmness += [_RARE_PHRASE] * len(part)
    return readings, firmness


@functools.cache
def _pypinyin():  # type: ignore[no-untyped-def]
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg.mmseg import seg

    return lazy_pinyin, Style, PHRASES_DICT, seg


# --- tone sandhi ---------------------------------------------------------------


def apply_sandhi(words: Sequence[Word]) -> list[Word]:
    """Tones as spoken within one phrase: 一 and 不 first, then third tones.

    一 keeps tone 1 in numbers, ordinals, dates and at the end of a word
    (十一, 第一, 一月, 统一); before tone 4 it is yi2, before others yi4; in
    看一看 it is neutral. 不 before tone 4 is bu2 (不是), in 好不好 neutral.
    Third tones before a third tone become tone 2 inside a prosodic word
    (展览馆 zhan2 lan2 guan3), and across a prosodic-word boundary when one
    side is a single syllable (我很好 wo2 hen2 hao3); between two longer
    words a speaker can pause, and the first keeps its tone (展览馆 | 我很好).
    """
    chars: list[str] = []
    tones: list[str] = []
    bases: list[str] = []
    fixed: list[bool] = []
    ends_word: list[bool] = []  # the last syllable of a word of two or more
    for word in words:
        # Erhua drops the 儿's own syllable: characters align with syllables from
        # the start. Spelled letters have no characters for the rules to see.
        texts = [] if word.fixed else list(word.text[: len(word.syllables)])
        for k, syllable in enumerate(word.syllables):
            chars.append(texts[k] if k < len(texts) else "")
            bases.append(syllable[:-1])
            tones.append(syllable[-1])
            fixed.append(word.fixed)
            ends_word.append(k == len(word.syllables) - 1 and k > 0)
    count = len(chars)
    for i in range(count):
        if fixed[i]:
            continue
        before = chars[i - 1] if i > 0 else ""
        after = chars[i + 1] if i + 1 < count else ""
        after_tone = tones[i + 1] if i + 1 < count else ""
        if chars[i] == "一" and bases[i] == "yi":
            tones[i] = _yi_tone(before, after, after_tone, ends_word[i])
        elif chars[i] == "不" and bases[i] == "bu":
            if before and before == after:
                tones[i] = "5"
            elif after_tone == "4" and after:
                tones[i] = "2"
            else:
                tones[i] = "4"
    group_of, group_size = _syllable_groups(words)
    for i in range(count - 1):
        if tones[i] != "3" or tones[i + 1] != "3" or fixed[i] or fixed[i + 1]:
            continue
        same_group = group_of[i] == group_of[i + 1]
        short_neighbour = group_size[group_of[i]] == 1 or group_size[group_of[i + 1]] == 1
        if same_group or short_neighbour:
            tones[i] = "2"
    # Rebuild the words with their new tones.
    result: list[Word] = []
    position = 0
    for word in words:
        n = len(word.syllables)
        syllables = tuple(bases[position + k] + tones[position + k] for k in range(n))
        position += n
        result.append(Word(word.text, syllables, word.erhua, word.fixed))
    return result


def _syllable_groups(words: Sequence[Word]) -> tuple[list[int], list[int]]:
    """For each syllable, the index of its prosodic word; and each group's size."""
    group_of: list[int] = []
    sizes: list[int] = []
    for number, group in enumerate(prosodic_words(words)):
        size = _syllables(group)
        sizes.append(size)
        group_of.extend([number] * size)
    return group_of, sizes


def _yi_tone(before: str, after: str, after_tone: str, ends_word: bool) -> str:
    # 统一, 唯一, 之一: a word ending on 一 keeps its tone, as do 一 in numbers
    # (十一, 一九), ordinals (第一), dates (一月, 一日) and at a pause.
    if ends_word or not after or before in _NUMERALS or before == "第":
        return "1"
    if after in _DIGIT_CHARS or after in "月号日":
        return "1"
    if before and before == after:
        return "5"  # 看一看
    return "2" if after_tone == "4" or after == "个" else "4"


# --- prosody and phones ----------------------------------------------------------


def prosodic_words(words: Sequence[Word]) -> list[list[Word]]:
    """Group lexical words into prosodic words: a clitic (的, 了, 们) joins the
    word before it; a single-syllable word joins a short word after it (陪外孙)."""
    groups: list[list[Word]] = []
    for word in words:
        if groups and word.text in _CLITICS and not word.fixed:
            groups[-1].append(word)
        elif (
            groups and len(groups[-1]) == 1 and _syllables(groups[-1]) == 1
            and not groups[-1][0].fixed and not word.fixed and len(word.syllables) <= 2
            and groups[-1][0].text not in _CLITICS
        ):  # fmt: skip
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def _syllables(group: Sequence[Word]) -> int:
    return sum(len(w.syllables) for w in group)


# A prosodic phrase (#2) is closed once it holds this many syllables.
_PHRASE_SYLLABLES = 7


def utterances(text: str, max_syllables: int = MAX_UTTERANCE_SYLLABLES) -> list[Utterance]:
    """The whole front end: text → utterances of phone symbols, each of at
    most ``max_syllables`` (fewer when speaking slowly: it is the number of
    frames that the model cannot stretch), with the pause to leave after each."""
    result: list[Utterance] = []
    for sentence in _sentences(phrases(text)):
        for part, pause in _fit(sentence, max_syllables):
            result.append(_phones(part, pause))
    return result


def _sentences(all_phrases: list[Phrase]) -> list[list[Phrase]]:
    sentences: list[list[Phrase]] = [[]]
    for phrase in all_phrases:
        sentences[-1].append(Phrase(tuple(apply_sandhi(phrase.words)), phrase.end))
        if phrase.end == "sil":
            sentences.append([])
    return [s for s in sentences if s]


def _fit(sentence: list[Phrase], limit: int) -> list[tuple[list[Phrase], int]]:
    """Pack a sentence's phrases into utterances of at most ``limit`` syllables."""
    pieces: list[Phrase] = []
    for phrase in sentence:
        pieces.extend(_split_phrase(phrase, limit))
    parts: list[list[Phrase]] = [[]]
    size = 0
    for phrase in pieces:
        n = sum(len(w.syllables) for w in phrase.words)
        if parts[-1] and size + n > limit:
            parts.append([])
            size = 0
        parts[-1].append(phrase)
        size += n
    fitted = []
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        fitted.append((part, SENTENCE_PAUSE_MS if last else CLAUSE_PAUSE_MS))
    return fitted


def _split_phrase(phrase: Phrase, limit: int) -> list[Phrase]:
    """A phrase longer than the model takes, halved at word boundaries."""
    total = sum(len(w.syllables) for w in phrase.words)
    if total <= limit or len(phrase.words) < 2:
        return [phrase]
    running, best, best_gap = 0, 1, float(total)
    for i, word in enumerate(phrase.words[:-1], start=1):
        running += len(word.syllables)
        gap = abs(total / 2 - running)
        if gap < best_gap:
            best, best_gap = i, gap
    head = Phrase(phrase.words[:best], "#3")
    tail = Phrase(phrase.words[best:], phrase.end)
    return _split_phrase(head, limit) + _split_phrase(tail, limit)


def _phones(part: Sequence[Phrase], pause_after_ms: int) -> Utterance:
    phones: list[str] = ["sil"]
    spans: list[tuple[str, int, int]] = []
    for p, phrase in enumerate(part):
        since_break = 0
        for g, group in enumerate(prosodic_words(phrase.words)):
            if g > 0:
                phones.append("#2" if since_break >= _PHRASE_SYLLABLES else "#1")
                if since_break >= _PHRASE_SYLLABLES:
                    since_break = 0
            for w, word in enumerate(group):
                if w > 0:
                    phones.append("#0")
                start = len(phones)
                phones.extend(_word_phones(word))
                spans.append((word.text, start, len(phones)))
            since_break += _syllables(group)
        if p < len(part) - 1:
            phones.append("#3")
    phones.append("sil")
    return Utterance(tuple(phones), tuple(spans), pause_after_ms)


def _word_phones(word: Word) -> list[str]:
    phones: list[str] = []
    for k, syllable in enumerate(word.syllables):
        split = split_syllable(syllable[:-1])
        if split is None:
            log.debug("no phones for %r in %r; skipped", syllable, word.text)
            continue
        if phones:
            phones.append("#0")
        initial, final = split
        phones += [initial, final + syllable[-1]]
        if word.erhua and k == len(word.syllables) - 1:
            phones.append("er5")
    return phones


def phone_ids(utterance: Utterance, symbol_to_id: dict[str, int]) -> list[int]:
    """The model's input ids for an utterance, ``eos`` appended."""
    return [symbol_to_id[p] for p in utterance.phones] + [symbol_to_id["eos"]]


# --- what the voice will say, for people ------------------------------------------


def annotate(text: str) -> str:
    """The spoken form of ``text`` with what the voice says: each Han character
    followed by its reading before sandhi (``银(yin2)行(hang2)``), each Latin
    token by its syllables in braces (``Google{gu1 ge1}``); read by the same
    functions as synthesis."""
    text, fixed = marked_readings(spoken_text(text))
    syllables = read(text, fixed).syllables
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if _HAN.match(token):
            for offset, char in enumerate(token, match.start()):
                out.append(f"{char}({syllables[offset]})" if syllables[offset] else char)
        elif token.isascii() and token[0].isalpha():
            said = " ".join(s for word in latin_words(token) for s in word.syllables)
            out.append(f"{token}{{{said}}}")
        elif token in SYMBOL_WORDS:
            said = " ".join(read(SYMBOL_WORDS[token]).syllables)
            out.append(f"{token}{{{said}}}")
        else:
            out.append(token)
    return "".join(out)


def proof_items(text: str) -> list[ProofItem]:
    """Polyphones read by the dictionary or the model, and Latin tokens, for
    the proof (readings the lexicon fixed are its own items)."""
    from briefing.proof import ProofItem, context

    text, fixed = marked_readings(spoken_text(text))
    reading = read(text, fixed)
    items: list[ProofItem] = []
    latin = {m.start(): m for m in _TOKEN.finditer(text) if m.group(0)[0].isascii()}
    choices = {c.offset: c for c in reading.choices if c.source != "lexicon"}
    for offset in sorted(set(latin) | set(choices)):
        if offset in choices:
            choice = choices[offset]
            where = context(text, offset, offset + 1)
            flags = ("model",) if choice.source == "model" else ()
            items.append(ProofItem("polyphone", choice.char, choice.reading, where, flags))
        else:
            token = latin[offset].group(0)
            if not token[0].isalpha():
                continue
            said = english.say(token)
            kind = "acronym" if english.is_acronym(token) else "word" if said else "spelled"
            syllables = " ".join(s for w in latin_words(token) for s in w.syllables)
            where = context(text, offset, offset + len(token))
            items.append(ProofItem("latin", token, syllables, where, ("latin", kind)))
    return items
