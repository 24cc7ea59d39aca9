"""Segmentation: sentences and chunks a backend can say in one request."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.article import Article, Boundary, Section
from briefing.segment import segment, split_long, split_sentences


@pytest.mark.parametrize(
    ("paragraph", "sentences"),
    [
        ("他说：“走吧。我们去。”然后离开了。", ["他说：“走吧。我们去。”", "然后离开了。"]),
        ("这是……真的吗？！是的；不是。", ["这是……", "真的吗？！", "是的；", "不是。"]),
        ("他说：“好。”她说：“行。”", ["他说：“好。”", "她说：“行。”"]),
        ("（完）他来了。", ["（完）他来了。"]),
        (
            "比分3:2，气温6.4度。访问www.example.com了解。",
            ["比分3:2，气温6.4度。", "访问www.example.com了解。"],
        ),
        ("他说“Hello world. This is fine.”对吧？", ["他说“Hello world. This is fine.”", "对吧？"]),
        ("Dr. Smith 来了。美国U.S. Steel公司。", ["Dr. Smith 来了。", "美国U.S. Steel公司。"]),
        ("第一句话。……", ["第一句话。……"]),
        ("价格为1,234.5元。下一句!", ["价格为1,234.5元。", "下一句!"]),
    ],
)
def test_sentences(paragraph: str, sentences: list[str]) -> None:
    assert split_sentences(paragraph) == sentences


def test_sentences_lose_no_text() -> None:
    paragraph = "“一所学校最重要的学生是老师。” 他用“雷霆手段”唤醒老师们的责任心。显然……不够！"
    assert "".join(split_sentences(paragraph)).replace(" ", "") == paragraph.replace(" ", "")


LONG = (
    "他强调，现在距离2020年完成脱贫攻坚目标任务只有两年时间，正是最吃劲的时候，"
    "必须坚持不懈做好工作，不获全胜，决不收兵。"
)


def test_long_sentences_split_at_clauses_within_the_limit() -> None:
    pieces = split_long(LONG, 24)
    assert "".join(pieces) == LONG
    assert all(len(piece) <= 24 for piece in pieces)
    assert pieces[0] == "他强调，"
    assert all(piece.endswith(("，", "。")) or len(piece) > 12 for piece in pieces)


def test_a_clause_too_long_is_cut_at_word_boundaries_never_inside_numbers_or_words() -> None:
    clause = "由中国人民银行常德市中心支行和iPhone 11的12,345.67元以及www.example.com共同主办的活动"
    pieces = split_long(clause, 12)
    assert "".join(pieces) == clause
    for whole in ("12,345.67", "www.example.com", "iPhone 11", "中国人民银行"):
        assert any(whole in piece for piece in pieces), whole
    # The one piece over the limit is the URL, alone: better long than cut.
    assert [piece for piece in pieces if len(piece) > 12] == ["www.example.com"]


def test_segment_marks_boundaries_and_respects_the_backend_limit() -> None:
    article = Article(
        "t", [Section("一", ["第一句。" + LONG, "第二段。"]), Section("二", ["完了。"])]
    )
    segment(article, 30)
    first, second = article.sections
    assert all(len(chunk.text) <= 30 for chunk in article.chunks)
    assert first.chunks[0].text == "第一句。"
    assert first.chunks[0].boundary is Boundary.SENTENCE
    assert first.chunks[1].boundary is Boundary.CLAUSE
    assert first.chunks[-2].boundary is Boundary.PARAGRAPH
    assert first.chunks[-1].boundary is Boundary.SECTION
    assert second.chunks[0].boundary is Boundary.SECTION


def test_edge_sized_limit_splits_a_chinese_paragraph_without_spaces() -> None:
    # edge-tts splits only at spaces and newlines: our chunks must be the limit.
    paragraph = "江苏和对口省份经济发展互补性强、情感纽带越来越深、合作期待越来越高。" * 20
    article = segment(Article("t", [Section("一", [paragraph])]), 100)
    assert len(article.chunks) >= 14
    assert all(len(chunk.text) <= 100 for chunk in article.chunks)
    assert "".join(chunk.text for chunk in article.chunks) == paragraph


def test_nothing_speakable_is_marked_so() -> None:
    article = segment(Article("t", [Section("一", ["……", "——"])]), 50)
    assert [chunk.speakable for chunk in article.chunks] == [False, False]


def test_refit_splits_chunks_whose_spoken_form_outgrew_the_limit():
    from briefing.article import Article, Section
    from briefing.normalize import normalize
    from briefing.segment import refit

    text = "全省2019年共有1526所中小学和12345名教师比2018年增加了5.3%。"
    article = Article("t", [Section("s", [text])])
    segment(article, 40)
    for chunk in article.chunks:
        chunk.spoken = normalize(chunk.text)
    assert any(len(c.spoken) > 40 for c in article.chunks), "the case must exercise refit"
    refit(article, 40, normalize)
    assert all(len(c.spoken) <= 40 for c in article.chunks)
    assert "".join(c.text for c in article.chunks) == text
    assert [c.boundary for c in article.chunks][-1] == Boundary.SECTION
    assert all(c.boundary == Boundary.CLAUSE for c in article.chunks[:-1])


# A clause longer than the limit, opening a quotation with an ellipsis, and a
# long quotation with a comma inside: the two shapes the old splitter broke.
OPENING_QUOTE = (
    "他在发布会上表示“……这样的事情在过去几十年里从来没有发生过，"
    "我们必须认真对待这个问题并且尽快拿出解决方案”。"
)
LONG_QUOTATION = (
    "他说：“这是一个从来没有人想象过的世界，"
    "我们每个人都应该为此感到骄傲和自豪并且继续努力奋斗下去”。"
)


@pytest.mark.parametrize("max_chars", range(8, 40))
def test_punctuation_never_moves_across_an_opening_quote(max_chars: int) -> None:
    pieces = split_long(OPENING_QUOTE, max_chars)
    assert "".join(pieces) == OPENING_QUOTE
    assert not any(piece.endswith(("“", "…")) for piece in pieces)  # the quote leads in


def test_a_long_quotation_is_cut_at_its_comma_not_mid_word() -> None:
    assert split_long(LONG_QUOTATION, 20) == [
        "他说：",
        "“这是一个从来没有人想象过的世界，",
        "我们每个人都应该为此感到骄傲和",
        "自豪并且继续努力奋斗下去”。",
    ]


def test_a_clause_too_long_is_cut_evenly_not_into_a_stub_before_its_comma() -> None:
    pieces = split_long(OPENING_QUOTE, 15)
    assert "过，" not in pieces
    assert min(len(piece) for piece in pieces) >= 8


# Properties. Text of real words, numbers and Latin words, with clause
# punctuation and quotations in any arrangement: every unit of it fits any
# limit tried, so the limit holds strictly.
WORDS = st.sampled_from(
    ["中国", "经济", "发展", "我们", "的", "了", "人民", "银行", "今天", "北京", "世界", "问题"]
    + ["一个", "可以", "工作", "学校", "老师", "学生", "说", "是"]
    + ["2019年", "3.5亿", "12,345元", "iPhone手机"]
)
PHRASES = st.lists(WORDS, min_size=1, max_size=6).map("".join)
CLAUSES = st.lists(
    st.tuples(PHRASES, st.sampled_from(["", "，", "、", "："])).map("".join), min_size=1, max_size=5
).map("".join)
QUOTED = CLAUSES.map(lambda clause: f"“{clause.rstrip('，、：')}”")
SENTENCES = st.lists(
    st.tuples(st.one_of(PHRASES, QUOTED), st.sampled_from(["", "，", "；"])).map("".join),
    min_size=1,
    max_size=12,
).map(lambda parts: "".join(parts).rstrip("，；") + "。")
LIMITS = st.integers(min_value=12, max_value=60)


def _strengths(sentence: str) -> dict[int, int]:
    """The test's own reading of where the sentences above may be cut: 2 after
    punctuation outside quotation marks, 1 after a comma inside them, 0 elsewhere
    (a comma between digits is part of a number)."""
    strengths = {}
    depth = 0
    for i, ch in enumerate(sentence[:-1], 1):
        depth += {"“": 1, "”": -1}.get(ch, 0)
        in_number = sentence[i - 2].isdigit() and sentence[i].isdigit()
        if ch in "，、：；" and not in_number:
            strengths[i] = 2 if depth == 0 else 1
        elif sentence[i] not in "，、：；。”" and ch != "“":
            strengths[i] = 0
    return strengths


@settings(max_examples=200, deadline=None)
@given(st.text(), st.integers(min_value=8, max_value=60))
def test_splitting_any_text_is_lossless_and_bounded(text: str, max_chars: int) -> None:
    pieces = split_long(text, max_chars)
    assert "".join(pieces) == text
    assert all(len(piece) <= 3 * max_chars for piece in pieces)
    assert all(pieces) or pieces == [""] == [text]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_sentences_of_any_text_lose_nothing_and_keep_their_order(paragraph: str) -> None:
    def letters(text: str) -> str:
        return "".join(text.split())

    sentences = split_sentences(paragraph)
    assert letters("".join(sentences)) == letters(paragraph)
    assert all(sentence.strip() for sentence in sentences)


@settings(max_examples=200, deadline=None)
@given(SENTENCES, LIMITS)
def test_pieces_fit_and_end_at_the_strongest_break_in_reach(sentence: str, max_chars: int) -> None:
    pieces = split_long(sentence, max_chars)
    assert "".join(pieces) == sentence
    assert all(len(piece) <= max_chars for piece in pieces)
    strengths = _strengths(sentence)
    start = 0
    for piece in pieces[:-1]:
        end = start + len(piece)
        in_reach = [s for p, s in strengths.items() if start < p <= start + max_chars]
        assert strengths.get(end) == max(in_reach), (piece, sentence[end:])
        start = end


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(SENTENCES, min_size=1, max_size=3).map("".join), max_size=4), LIMITS)
def test_segment_keeps_every_paragraph_whole_in_order_within_the_limit(
    paragraphs: list[str], max_chars: int
) -> None:
    article = segment(Article("t", [Section("一", paragraphs)]), max_chars)
    assert "".join(chunk.text for chunk in article.chunks) == "".join(paragraphs)
    assert all(len(chunk.text) <= max_chars for chunk in article.chunks)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(), max_size=4), st.integers(min_value=8, max_value=60))
def test_segment_loses_no_character_of_any_text(paragraphs: list[str], max_chars: int) -> None:
    article = segment(Article("t", [Section("一", paragraphs)]), max_chars)
    chunks = "".join(chunk.text for chunk in article.chunks)
    assert "".join(chunks.split()) == "".join("".join(paragraphs).split())
