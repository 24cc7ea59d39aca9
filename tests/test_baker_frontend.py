"""The baker front end: text → the phone symbols the voice was trained on.

Pure and needs no weights: these run everywhere. The phone table itself is
checked against the installed ``baker_mapper.json`` in test_baker.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing import english
from briefing.backends import baker_frontend as fe

SEED = Path(__file__).parent.parent / "examples" / "jiangsu-duikou-zhiyuan.txt"


def phones(text: str) -> str:
    """All utterances' phones, joined by `|` between utterances."""
    return " | ".join(" ".join(u.phones) for u in fe.utterances(text))


def syllables_of(text: str) -> list[str]:
    """The tone-numbered finals with their initials, e.g. ['h ang2', ...]."""
    result = []
    for utterance in fe.utterances(text):
        ps = utterance.phones
        for i, p in enumerate(ps):
            if p[-1].isdigit() and not p.startswith("#") and p != "er5":
                result.append(f"{ps[i - 1]} {p}")
    return result


# --- the phone table -------------------------------------------------------------


def test_symbol_table_has_the_voices_layout() -> None:
    assert len(fe.SYMBOLS) == 219
    assert fe.SYMBOLS[:7] == ("pad", "sil", "#0", "#1", "#2", "#3", "^")
    assert fe.SYMBOLS[-1] == "eos"
    assert len(set(fe.SYMBOLS)) == len(fe.SYMBOLS)


@pytest.mark.parametrize(
    ("syllable", "expected"),
    [
        ("zhi", ("zh", "iii")), ("chi", ("ch", "iii")), ("shi", ("sh", "iii")),
        ("ri", ("r", "iii")), ("zi", ("z", "ii")), ("ci", ("c", "ii")), ("si", ("s", "ii")),
        ("ju", ("j", "v")), ("qu", ("q", "v")), ("xu", ("x", "v")), ("lv", ("l", "v")),
        ("nv", ("n", "v")), ("jue", ("j", "ve")), ("lve", ("l", "ve")), ("lue", ("l", "ve")),
        ("nue", ("n", "ve")), ("juan", ("j", "van")), ("xun", ("x", "vn")),
        ("liu", ("l", "iou")), ("gui", ("g", "uei")), ("lun", ("l", "uen")),
        ("yi", ("^", "i")), ("ya", ("^", "ia")), ("you", ("^", "iou")), ("yu", ("^", "v")),
        ("yue", ("^", "ve")), ("yuan", ("^", "van")), ("yun", ("^", "vn")),
        ("wu", ("^", "u")), ("wei", ("^", "uei")), ("wen", ("^", "uen")),
        ("weng", ("^", "ueng")), ("er", ("^", "er")), ("a", ("^", "a")), ("ou", ("^", "ou")),
        ("n", ("^", "en")), ("ng", ("^", "en")), ("zhuang", ("zh", "uang")),
        ("xiong", ("x", "iong")), ("bo", ("b", "o")), ("nü", ("n", "v")),
    ],
)  # fmt: skip
def test_split_syllable(syllable: str, expected: tuple[str, str]) -> None:
    assert fe.split_syllable(syllable) == expected


@pytest.mark.parametrize("syllable", ["xyz", "zhv", "yi3", "qa", ""])
def test_split_syllable_refuses_what_is_not_pinyin(syllable: str) -> None:
    assert fe.split_syllable(syllable) is None


# --- polyphones, at the phone level ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("银行", "sil ^ in2 #0 h ang2 sil"),
        ("行动", "sil x ing2 #0 d ong4 sil"),
        ("重庆", "sil ch ong2 #0 q ing4 sil"),
        ("重要", "sil zh ong4 #0 ^ iao4 sil"),
        ("长大", "sil zh ang3 #0 d a4 sil"),
        ("长江", "sil ch ang2 #0 j iang1 sil"),
    ],
)
def test_polyphones_alone(text: str, expected: str) -> None:
    assert phones(text) == expected


@pytest.mark.parametrize(
    ("text", "char", "expected"),
    [
        ("他在银行工作了十年。", "行", "h ang2"),
        ("我们要立即采取行动。", "行", "x ing2"),
        ("银行行长马上行动。", "行", ["h ang2", "h ang2", "x ing2"]),
        ("她从重庆来。", "重", "ch ong2"),
        ("这件事非常重要。", "重", "zh ong4"),
        ("孩子们都长大了。", "长", "zh ang3"),
        ("长江是中国最长的河。", "长", ["ch ang2", "ch ang2"]),
    ],
)
def test_polyphones_in_sentences(text: str, char: str, expected: str | list[str]) -> None:
    readings = dict(zip(range(len(text)), syllables_of(text), strict=False))
    spoken = [readings[i] for i, ch in enumerate(text) if ch == char]
    assert spoken == (expected if isinstance(expected, list) else [expected])


@pytest.mark.parametrize(
    ("text", "char", "expected"),
    [
        # Outside pypinyin's phrase dictionary the sentence decides (g2pM).
        ("他长得很高。", "长", "zhang3"),
        ("这条路很长。", "长", "chang2"),
        ("他还在北京。", "还", "hai2"),
        ("他把钱还给了银行。", "还", "huan2"),
        ("他们组了一支乐队。", "乐", "yue4"),
        ("大家都很快乐。", "乐", "le4"),
        ("他们都觉得很好。", "觉", "jue2"),
        ("他睡了一觉。", "觉", "jiao4"),
        # A common word of the phrase dictionary keeps its reading (the model says wei2).
        ("他们是为了人民。", "为", "wei4"),
    ],
)
def test_polyphones_read_from_the_sentence(text: str, char: str, expected: str) -> None:
    reading = fe.read(text)
    assert reading.syllables[text.index(char)] == expected
    assert any(c.offset == text.index(char) for c in reading.choices)


def test_readings_align_with_characters_and_skip_what_is_not_han() -> None:
    text = "GDP增长了5%，银行行长说。"
    reading = fe.read(text)
    assert len(reading.syllables) == len(text)
    for syllable, char in zip(reading.syllables, text, strict=True):
        assert bool(syllable) == bool(fe._HAN.match(char)), char
    bank_president = reading.syllables[text.index("银") : text.index("说")]
    assert bank_president == ("yin2", "hang2", "hang2", "zhang3")


CPP = Path(__file__).resolve().parent.parent.parent / "shared" / "cpp"


def test_most_of_cpps_marked_polyphones_are_read_right() -> None:
    """The first 1,000 sentences of CPP's dev split (bench/cpp.py runs all)."""
    if not (CPP / "dev.sent").exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CPP} is missing: CI must have the shared data")
        pytest.skip(f"{CPP} is missing")
    sentences = (CPP / "dev.sent").read_text(encoding="utf-8").splitlines()[:1000]
    labels = (CPP / "dev.lb").read_text(encoding="utf-8").splitlines()[:1000]
    right = 0
    for marked, label in zip(sentences, labels, strict=True):
        index = marked.index("▁")
        right += fe.read(marked.replace("▁", "")).syllables[index] == label.replace("u:", "v")
    assert right / len(sentences) >= 0.975


# --- tone sandhi ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你好", ["n i2", "h ao3"]),
        ("展览馆", ["zh an2", "l an2", "g uan3"]),
        ("我很好", ["^ uo2", "h en2", "h ao3"]),
        ("不是", ["b u2", "sh iii4"]),
        ("不好", ["b u4", "h ao3"]),
        ("好不好", ["h ao3", "b u5", "h ao3"]),
        ("一样", ["^ i2", "^ iang4"]),
        ("一天", ["^ i4", "t ian1"]),
        ("一年", ["^ i4", "n ian2"]),
        ("一个", ["^ i2", "g e4"]),
        ("第一", ["d i4", "^ i1"]),
        ("统一", ["t ong3", "^ i1"]),
        ("十一", ["sh iii2", "^ i1"]),
        ("一月", ["^ i1", "^ ve4"]),
        ("看一看", ["k an4", "^ i5", "k an4"]),
        ("一九四九", ["^ i1", "j iou3", "s ii4", "j iou3"]),
    ],
)
def test_tone_sandhi(text: str, expected: list[str]) -> None:
    assert syllables_of(text) == expected


def test_third_tone_keeps_between_two_long_words() -> None:
    # 展览馆 | 我很好: a speaker may pause there, so 馆 keeps tone 3.
    assert syllables_of("展览馆我很好")[2] == "g uan3"


# --- what the voice cannot say directly ---------------------------------------------


def test_latin_letters_are_spelled() -> None:
    assert phones("GDP") == "sil j i4 #0 d i4 #0 p i4 sil"
    assert syllables_of("5G") == ["^ u3", "j i4"]
    assert syllables_of("ABC") == ["^ ei1", "b i4", "x i1"]


def test_common_latin_words_are_said_as_words() -> None:
    assert syllables_of("iPhone11") == ["^ ai4", "f eng1", "sh iii2", "^ i1"]
    assert syllables_of("COVID-19") == ["k ou1", "^ uei2", "d e2", "sh iii2", "j iou3"]
    for syllables in english.CUSTOM.values():
        assert all(fe.split_syllable(s[:-1]) is not None for s in syllables)


def test_every_letter_has_a_spelling_the_voice_can_say() -> None:
    for letter, syllables in english.LETTERS.items():
        for syllable in syllables:
            assert fe.split_syllable(syllable[:-1]) is not None, (letter, syllable)
            assert syllable[-1] in "12345"


@pytest.mark.parametrize(
    ("digits", "reading"),
    [
        ("0", "零"), ("7", "七"), ("12", "十二"), ("70", "七十"), ("101", "一百零一"),
        ("1010", "一千零一十"), ("2020", "两千零二十"), ("10001", "一万零一"),
        ("20000", "两万"), ("120000", "十二万"), ("007", "零零七"),
        ("123456789", "一二三四五六七八九"),
    ],
)  # fmt: skip
def test_read_number(digits: str, reading: str) -> None:
    assert fe.read_number(digits) == reading


def test_stray_numbers_symbols_and_percent_are_read() -> None:
    assert syllables_of("50%") == syllables_of("百分之五十")
    assert syllables_of("3.5") == syllables_of("三点五")
    assert syllables_of("1+1") == syllables_of("一加一")
    assert syllables_of("８０") == syllables_of("八十")  # full-width digits


def test_unspeakable_text_gives_no_utterance() -> None:
    assert fe.utterances("“”《》——") == []
    assert fe.utterances("") == []


def test_erhua() -> None:
    assert phones("玩儿") == "sil ^ uan2 er5 sil"
    assert phones("女儿") == "sil n v3 #0 ^ er2 sil"


# --- prosody and utterances ---------------------------------------------------------


def test_comma_is_a_clause_break_and_full_stop_ends_the_utterance() -> None:
    utterances = fe.utterances("今天下雨,我们不去了。明天再说!")
    assert len(utterances) == 2
    first = utterances[0].phones
    assert first[0] == "sil" and first[-1] == "sil"
    assert first.count("#3") == 1
    assert utterances[0].pause_after_ms == fe.SENTENCE_PAUSE_MS


def test_full_width_and_ascii_punctuation_are_the_same() -> None:
    assert phones("今天下雨，我们不去了。") == phones("今天下雨,我们不去了.")


def test_long_sentence_is_cut_into_utterances_the_model_can_say() -> None:
    text = (
        "在谈到脱贫攻坚时,他强调,现在距离二零二零年完成脱贫攻坚目标任务只有两年时间,"
        "正是最吃劲的时候,必须坚持不懈做好工作,不获全胜,决不收兵。"
    )
    utterances = fe.utterances(text)
    assert len(utterances) > 1
    assert all(u.syllable_count <= fe.MAX_UTTERANCE_SYLLABLES for u in utterances)
    assert [u.pause_after_ms for u in utterances[:-1]] == [fe.CLAUSE_PAUSE_MS] * (
        len(utterances) - 1
    )
    assert utterances[-1].pause_after_ms == fe.SENTENCE_PAUSE_MS
    assert sum(u.syllable_count for u in utterances) == len(text) - text.count(",") - 1


def test_a_long_run_without_punctuation_is_halved_at_a_word_boundary() -> None:
    text = "中华人民共和国国务院新闻办公室" * 4
    utterances = fe.utterances(text)
    assert len(utterances) >= 2
    assert all(u.syllable_count <= fe.MAX_UTTERANCE_SYLLABLES for u in utterances)
    assert sum(u.syllable_count for u in utterances) == len(text)


def test_word_spans_cover_the_words_in_order() -> None:
    (utterance,) = fe.utterances("我们要立即采取行动。")
    assert "".join(text for text, _, _ in utterance.words) == "我们要立即采取行动"
    previous_end = 0
    for _, start, end in utterance.words:
        assert previous_end <= start < end <= len(utterance.phones)
        assert not utterance.phones[start].startswith("#")
        previous_end = end


def _check_structure(phones: tuple[str, ...]) -> None:
    assert phones[0] == "sil" and phones[-1] == "sil"
    body = phones[1:-1]
    assert body, "an utterance says something"
    for i, p in enumerate(body):
        assert p in fe.SYMBOLS and p not in ("pad", "eos", "sil")
        if p.startswith("#"):
            # A mark sits between two syllables, never next to another mark.
            assert 0 < i < len(body) - 1
            assert not body[i - 1].startswith("#") and not body[i + 1].startswith("#")
        elif p in fe.INITIALS or p == "^":
            assert body[i + 1][:-1] in fe.FINALS and body[i + 1][-1] in "12345"


def test_the_whole_seed_article_becomes_well_formed_utterances() -> None:
    text = SEED.read_text(encoding="utf-8")
    utterances = fe.utterances(text)
    assert len(utterances) > 50
    for utterance in utterances:
        _check_structure(utterance.phones)
        assert utterance.syllable_count <= fe.MAX_UTTERANCE_SYLLABLES
    ids = fe.phone_ids(utterances[0], {s: i for i, s in enumerate(fe.SYMBOLS)})
    assert ids[0] == 1 and ids[-1] == 218


@pytest.mark.parametrize(
    "text",
    ["A股", "©2024 Ω", "iPhone 15 Pro Max发布", "温度为-5℃~3℃", "嗯……", "U.S.", "\n\t  ", "·"],
)
def test_odd_text_never_breaks_the_structure(text: str) -> None:
    for utterance in fe.utterances(text):
        _check_structure(utterance.phones)


def test_the_front_end_is_deterministic() -> None:
    text = SEED.read_text(encoding="utf-8")[:600]
    assert fe.utterances(text) == fe.utterances(text)


def test_a_smaller_limit_gives_shorter_utterances() -> None:
    text = SEED.read_text(encoding="utf-8")[:800]
    short = fe.utterances(text, max_syllables=16)
    assert all(u.syllable_count <= 16 for u in short)
    assert len(short) > len(fe.utterances(text))
    assert sum(u.syllable_count for u in short) == sum(
        u.syllable_count for u in fe.utterances(text)
    )
