"""Regenerate the hand-made briefing in tests/data/publish/ (run from the repo root).

It stands in for `briefing make` output in the publish/feed/player tests: a few
seconds of real espeak speech encoded as a small MP3, with sidecars written by
hand in the documented formats (three chapters of two sentences each, so the
browser test can press the third chapter's button).

    PYTHONPATH=. .venv/bin/python tests/data/make_publish_fixture.py
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

from briefing.backends.base import SpeechRequest, VoiceSettings
from briefing.backends.espeak import BACKEND
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


def _timestamp(ms: int, comma: bool = False) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    sep = "," if comma else "."
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{sep}{millis:03d}"


def main() -> None:
    settings = VoiceSettings("cmn", rate_pct=40)
    sentences = [s for _, group in CHAPTERS for s in group]
    requests = [SpeechRequest(i, s, settings) for i, s in enumerate(sentences)]
    speeches = dict(BACKEND.synthesize(requests, jobs=1))
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
    vtt = ["WEBVTT", ""]
    srt: list[str] = []
    for number, (start, end, text) in enumerate(cues, 1):
        vtt += [str(number), f"{_timestamp(start)} --> {_timestamp(end)}", text, ""]
        srt += [str(number), f"{_timestamp(start, True)} --> {_timestamp(end, True)}", text, ""]
    (HERE / f"{STEM}.vtt").write_text("\n".join(vtt), encoding="utf-8")
    (HERE / f"{STEM}.srt").write_text("\n".join(srt), encoding="utf-8")
    # as sidecars.transcript writes it: 【section】, then paragraphs, blank lines between
    transcript = [f"【{title}】\n\n{group[0]}\n\n{''.join(group[1:])}" for title, group in CHAPTERS]
    (HERE / f"{STEM}.txt").write_text("\n\n".join(transcript) + "\n", encoding="utf-8")
    podcast_chapters = {
        "version": "1.2.0",
        "chapters": [{"startTime": c["start_ms"] / 1000, "title": c["title"]} for c in chapters],
    }
    (HERE / f"{STEM}.chapters.json").write_text(
        json.dumps(podcast_chapters, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    metadata = {
        "format": 1,
        "title": TITLE,
        "source": "中国江苏网",
        "url": "https://example.com/news/2019-04-02/duikou.html",
        "published": "2019-04-02T07:14:00+08:00",
        "author": "刘浩春",
        "editors": ["孟涛", "崔欣"],
        "tags": ["脱贫", "支援"],
        "description": "今年是新中国成立70周年，是全面建成小康社会的关键之年。",
        "language": "zh-CN",
        "duration_ms": duration_ms,
        "backend": "espeak",
        "voice": "cmn",
        "created": "2026-11-28T08:40:00+00:00",
        "chapters": chapters,
        "files": {
            "audio": f"{STEM}.mp3",
            "transcript": f"{STEM}.txt",
            "vtt": f"{STEM}.vtt",
            "srt": f"{STEM}.srt",
            "chapters": f"{STEM}.chapters.json",
        },
    }
    (HERE / f"{STEM}.briefing.json").write_text(
        json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
