from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from briefing import sidecars
from briefing.article import Article, Boundary, Briefing, Chapter, Chunk, Cue, Section
from briefing.publish.episodes import parse_vtt


def briefing() -> Briefing:
    sections = [
        Section(
            "开篇",
            ["标题", "第一段。"],
            [
                Chunk("标题", boundary=Boundary.PARAGRAPH),
                Chunk("第一段，", boundary=Boundary.CLAUSE),
                Chunk("还有。", boundary=Boundary.SECTION),
            ],
        ),
        Section("二", ["第二段。"], [Chunk("第二段。", boundary=Boundary.SECTION)]),
    ]
    return Briefing(
        Article("标题", sections),
        3_723_456,
        [Chapter("开篇", 0, 1_500), Chapter("二", 1_500, 3_723_456)],
        [Cue(300, 1_200, "标题"), Cue(1_800, 3_723_000, "第二段。 -->")],
        "espeak",
        "cmn",
        -19.04,
    )


def test_paths_are_named_after_the_mp3():
    paths = sidecars.sidecar_paths(Path("/x/news.mp3"))
    assert {k: p.name for k, p in paths.items()} == {
        "audio": "news.mp3",
        "transcript": "news.txt",
        "vtt": "news.vtt",
        "srt": "news.srt",
        "chapters": "news.chapters.json",
        "metadata": "news.briefing.json",
    }


def test_transcript_has_sections_and_paragraphs_as_written():
    text = sidecars.transcript(briefing().article)
    assert text == "【开篇】\n\n标题\n\n第一段，还有。\n\n【二】\n\n第二段。\n"


def test_webvtt_and_srt_timestamps():
    b = briefing()
    vtt = sidecars.webvtt(b.cues)
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.300 --> 00:00:01.200\n标题\n")
    assert "01:02:03.000" in vtt
    assert "第二段。 --&gt;" in vtt, "a cue text must not contain the timing arrow"
    srt = sidecars.srt(b.cues)
    assert "第二段。 →" in srt
    assert srt.startswith(
        "1\n00:00:00,300 --> 00:00:01,200\n标题\n\n2\n00:00:01,800 --> 01:02:03,000"
    )


def test_chapters_json_is_podcasting_2_0():
    document = json.loads(sidecars.chapters_json(briefing()))
    assert document["version"] == "1.2.0"
    assert document["chapters"] == [
        {"startTime": 0.0, "endTime": 1.5, "title": "开篇"},
        {"startTime": 1.5, "endTime": 3723.456, "title": "二"},
    ]


def test_metadata_lists_files_and_chapters():
    b = briefing()
    document = json.loads(sidecars.metadata_json(b, sidecars.sidecar_paths(Path("/x/n.mp3"))))
    assert document["format"] == 2
    assert document["duration_ms"] == 3_723_456
    assert document["loudness_lufs"] == -19.0
    assert document["description"] == "第一段。"
    assert document["files"]["audio"] == "n.mp3" and "metadata" not in document["files"]
    assert document["chapters"][1] == {"title": "二", "start_ms": 1_500, "end_ms": 3_723_456}
    # the second cue's text is not the article's ("-->" was added): no breaks are guessed
    assert document["cues"] == [
        {"start_ms": 300, "end_ms": 1_200, "text": "标题", "paragraph_end": False},
        {"start_ms": 1_800, "end_ms": 3_723_000, "text": "第二段。 -->", "paragraph_end": False},
    ]


def test_the_record_keeps_where_paragraphs_end_as_make_knew_it() -> None:
    chunks = [
        Chunk("第一句。", boundary=Boundary.PARAGRAPH),
        Chunk("新段落。", boundary=Boundary.SECTION),
    ]
    article = Article("题", [Section("题", ["第一句。", "新段落。"], chunks)])
    cues = [Cue(0, 1, "第一句。", paragraph_end=True), Cue(2, 3, "新段落。", paragraph_end=True)]
    briefing = Briefing(article, 4, [Chapter("题", 0, 4)], cues, "espeak", "cmn")
    records = sidecars.cue_records(briefing)
    assert [record["paragraph_end"] for record in records] == [True, True]
    assert [record["text"] for record in records] == ["第一句。", "新段落。"]


def test_format_1_alignment_finds_paragraph_ends_whatever_the_cue_size() -> None:
    paragraphs = ["第一句，还没完。……第二句。", "新段落。……"]
    per_sentence = ["第一句，还没完。", "第二句。", "新段落。"]
    per_chunk = ["第一句，", "还没完。", *per_sentence[1:]]
    assert sidecars.paragraph_ends(paragraphs, per_sentence) == {1, 2}
    assert sidecars.paragraph_ends(paragraphs, per_chunk) == {2, 3}


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_webvtt_written_then_read_gives_back_the_text(texts: list[str]) -> None:
    cues = [Cue(i * 1000, i * 1000 + 500, text) for i, text in enumerate(texts)]
    read = parse_vtt(sidecars.webvtt(cues))
    assert [cue.text for cue in read] == [sidecars.one_line(text) for text in texts]
    assert [(c.start_ms, c.end_ms) for c in read] == [(c.start_ms, c.end_ms) for c in cues]


def test_webvtt_escapes_markup_in_cue_text() -> None:
    vtt = sidecars.webvtt([Cue(0, 1, "A&B <b>粗</b> 1<2 -->")])
    assert "A&amp;B &lt;b&gt;粗&lt;/b&gt; 1&lt;2 --&gt;" in vtt
    assert parse_vtt(vtt)[0].text == "A&B <b>粗</b> 1<2 -->"


def test_the_description_is_body_text_not_a_heading() -> None:
    def article(*sections: tuple[str, list[str]]) -> Article:
        return Article("标题", [Section(title, paragraphs) for title, paragraphs in sections])

    under_headings = article(
        ("标题", ["标题"]), ("第一部分", ["第一部分", "正文第一段。"]), ("二", ["二", "再说。"])
    )
    assert sidecars.description(under_headings) == "正文第一段。"
    lede = article(("标题", ["标题", "导语说了什么。"]), ("小标题", ["小标题", "正文。"]))
    assert sidecars.description(lede) == "导语说了什么。"
    subheading = article(("标题", ["标题"]), ("一、总体", ["一、总体", "（一）目标", "目标是……"]))
    assert sidecars.description(subheading) == "目标是……"
    leading_sentence = article(("标题", ["标题"]), ("提高站位", ["提高站位。增强使命感。"]))
    assert sidecars.description(leading_sentence) == "提高站位。增强使命感。"
    assert sidecars.description(article(("标题", ["标题"]))) == ""


@given(
    st.lists(st.integers(0, 10_000), min_size=1, max_size=5),
    st.lists(st.integers(0, 12_000), max_size=20),
    st.sets(st.integers(0, 19)),
)
def test_cues_by_chapter_keep_every_cue_in_order_in_the_chapter_it_starts_in(
    chapter_starts: list[int], cue_starts: list[int], ends: set[int]
) -> None:
    starts = sorted({0, *chapter_starts})
    chapters = [Chapter(str(i), s, s + 1) for i, s in enumerate(starts)]
    cues = [Cue(s, s, str(i)) for i, s in enumerate(sorted(cue_starts))]
    layout = sidecars.cues_by_chapter(chapters, cues, ends)
    assert len(layout) == len(chapters)
    assert [i for paragraphs in layout for p in paragraphs for i in p] == list(range(len(cues)))
    for chapter, paragraphs in zip(chapters, layout, strict=True):
        following = [c.start_ms for c in chapters if c.start_ms > chapter.start_ms]
        for index in (i for p in paragraphs for i in p):
            assert chapter.start_ms <= cues[index].start_ms < min(following, default=10**9)
        # a paragraph ends exactly where a cue ends one (or where the chapter does)
        assert all(p[-1] in ends for p in paragraphs[:-1])
        assert all(i not in ends for p in paragraphs for i in p[:-1])
