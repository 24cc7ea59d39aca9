from __future__ import annotations

import json
from pathlib import Path

from briefing import sidecars
from briefing.article import Article, Boundary, Briefing, Chapter, Chunk, Cue, Section


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
    assert "第二段。 →" in vtt, "a cue text must not contain the timing arrow"
    srt = sidecars.srt(b.cues)
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
    assert document["format"] == 1
    assert document["duration_ms"] == 3_723_456
    assert document["loudness_lufs"] == -19.0
    assert document["description"] == "第一段。"
    assert document["files"]["audio"] == "n.mp3" and "metadata" not in document["files"]
    assert document["chapters"][1] == {"title": "二", "start_ms": 1_500, "end_ms": 3_723_456}
