"""English in the offline voice: words said as words, acronyms spelled."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import english
from briefing.backends import baker_frontend as fe

NEWS_WORDS = Path(__file__).parent / "data" / "english-news-words.txt"


def news_words() -> list[str]:
    lines = NEWS_WORDS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_the_news_word_list_is_said_as_words_the_voice_can_say() -> None:
    words = news_words()
    assert len(words) == len(set(words)) == 200
    said = {word: english.say(word) for word in words}
    assert sum(s is not None for s in said.values()) >= 190
    for word, syllables in said.items():
        for syllable in syllables or ():
            assert fe.split_syllable(syllable[:-1]) is not None, (word, syllable)


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("Google", ("gu1", "ge1")),
        ("Mate", ("mei1", "te5")),
        ("Huawei", ("hua1", "wei1")),  # a brand written in pinyin is read as pinyin
    ],
)
def test_words_are_said_in_mandarin_syllables(word: str, syllables: tuple[str, ...]) -> None:
    assert english.say(word) == syllables


@pytest.mark.parametrize("acronym", ["GDP", "CEO", "NBA", "AI", "IP"])
def test_acronyms_are_spelled(acronym: str) -> None:
    assert english.say(acronym) is None
    words = fe.latin_words(acronym)
    assert [s for w in words for s in w.syllables] == list(english.spell(acronym))


def test_compounds_and_hacker_spelling_are_read_as_their_words() -> None:
    harmony = english.say("Harmony")
    assert harmony is not None
    assert english.say("HarmonyOS") == harmony + english.spell("OS")
    assert english.say("Cyb3rFl00d") == english.say("CyberFlood")
    assert english.say("Cl0p") == english.say("Clop")


def test_a_latin_word_in_a_sentence_is_not_spelled_letter_by_letter() -> None:
    text = "华为发布Mate50系列"
    said = fe.annotate(text)
    assert "Mate{mei1 te5}" in said
    assert "五(wu3)十(shi2)" in said


@settings(deadline=None)  # the first call loads pypinyin's and CMUdict's data
@given(st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,11}", fullmatch=True))
def test_any_latin_token_becomes_syllables_the_voice_has(token: str) -> None:
    words = fe.latin_words(token)
    assert words
    for word in words:
        for syllable in word.syllables:
            assert fe.split_syllable(syllable[:-1]) is not None, (token, syllable)
