"""Regenerate the hand-made briefing in tests/data/publish/ (run from the repo root).

It stands in for `briefing make` output in the publish/feed/player tests: a few
seconds of real espeak speech encoded as a small MP3, with the sidecars and the
metadata record written by briefing.sidecars, as make writes them (three
chapters of two sentences each, so the browser test can press the third
chapter's button).

    PYTHONPATH=. .venv/bin/python tests/data/make_publish_fixture.py
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

import numpy as np

from briefing import sidecars
from briefing.article import Article, Boundary, Briefing, Chapter, Chunk, Cue, Section
from briefing.backends.base import SpeechRequest, VoiceSettings
from briefing.backends.espeak import EspeakBackend
from briefing.ffmpeg import ffmpeg_exe

HERE = Path(__file__).parent / "publish"
STEM = "duikou-zhiyuan"
TITLE = "紧扣“关键之年”做好对口支援"
CHAPTERS = [
    ("导语", ["今年是关键之年。", "江苏做好对口支援。"]),
    ("提高政治站位", ["增强使命感。", "增强责任感。"]),
    ("拓宽协作空间", ["走好双向互济新路子。", "携手共进。"]),
]
PAUSE_MS = 300


def main() -> None:
    settings = VoiceSettings("cmn", rate_pct=40)
    sentences = [s for _, group in CHAPTERS for s in group]
    requests = [SpeechRequest(i, s, settings) for i, s in enumerate(sentences)]
    with EspeakBackend() as espeak:
        speeches = dict(espeak.synthesize(requests, jobs=1))
    rate = speeches[0].sample_rate_hz
    pause = np.zeros(rate * PAUSE_MS // 1000, dtype=np.int16)

    pieces: list[np.ndarray] = []
    cues: list[tuple[int, int, str]] = []
    chapters: list[dict[str, object]] = []
    position_ms = 0
    index = 0
    for title, group in CHAPTERS:
        chapter_start = position_ms
        for sentence in group:
            samples = speeches[index].samples
            index += 1
            length_ms = len(samples) * 1000 // rate
            cues.append((position_ms, position_ms + length_ms, sentence))
            pieces += [samples, pause]
            position_ms += length_ms + PAUSE_MS
        chapters.append({"title": title, "start_ms": chapter_start, "end_ms": position_ms})
    audio = np.concatenate(pieces)
    duration_ms = len(audio) * 1000 // rate
    chapters[-1]["end_ms"] = duration_ms

    subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "s16le",
            "-ar",
            str(rate),
            "-ac",
            "1",
            "-i",
            "pipe:0",
            "-ar",
            "22050",
            "-b:a",
            "24k",
            "-id3v2_version",
            "3",
            str(HERE / f"{STEM}.mp3"),
        ],
        input=audio.tobytes(),
        check=True,
    )
    sections = [
        Section(
            title,
            [group[0], "".join(group[1:])],
            [Chunk(group[0], boundary=Boundary.PARAGRAPH)]
            + [Chunk(text, boundary=Boundary.PARAGRAPH) for text in group[1:]],
        )
        for title, group in CHAPTERS
    ]
    article = Article(
        TITLE,
        sections,
        source="中国江苏网",
        url="https://example.com/news/2019-04-02/duikou.html",
        published=datetime.fromisoformat("2019-04-02T07:14:00+08:00"),
        author="刘浩春",
        editors=["孟涛", "崔欣"],
        tags=["脱贫", "支援"],
    )
    briefing = Briefing(
        article,
        duration_ms,
        [Chapter(c["title"], c["start_ms"], c["end_ms"]) for c in chapters],
        [Cue(*cue) for cue in cues],
        "espeak",
        "cmn",
    )
    paths = sidecars.sidecar_paths(HERE / f"{STEM}.mp3")
    (HERE / f"{STEM}.vtt").write_text(sidecars.webvtt(briefing.cues), encoding="utf-8")
    (HERE / f"{STEM}.srt").write_text(sidecars.srt(briefing.cues), encoding="utf-8")
    (HERE / f"{STEM}.txt").write_text(sidecars.transcript(article), encoding="utf-8")
    (HERE / f"{STEM}.chapters.json").write_text(sidecars.chapters_json(briefing), encoding="utf-8")
    metadata = json.loads(sidecars.metadata_json(briefing, paths))
    metadata["description"] = "今年是新中国成立70周年，是全面建成小康社会的关键之年。"
    metadata["created"] = "2026-11-28T08:40:00+00:00"  # fixed, so the fixture does not change
    (HERE / f"{STEM}.briefing.json").write_text(
        json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
