"""The files beside the MP3: transcript, WebVTT and SRT subtitles, Podcasting
2.0 chapters, and a small metadata file that ``publish`` reads."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from briefing.article import Article, Boundary, Briefing, Cue

METADATA_FORMAT = 1
METADATA_SUFFIX = ".briefing.json"
# What make writes beside OUT.mp3, by role; publish reads the same names.
SIDECAR_SUFFIXES = {
    "transcript": ".txt",
    "vtt": ".vtt",
    "srt": ".srt",
    "chapters": ".chapters.json",
    "metadata": METADATA_SUFFIX,
}


def sidecar_paths(audio: Path) -> dict[str, Path]:
    """Every output of one briefing, keyed by role, named after the MP3."""
    # By string, not with_suffix: the stem of news.briefing.mp3 is news.briefing.
    stem = audio.name[: -len(audio.suffix)] if audio.suffix else audio.name
    return {"audio": audio} | {
        role: audio.with_name(f"{stem}{suffix}") for role, suffix in SIDECAR_SUFFIXES.items()
    }


def transcript(article: Article) -> str:
    """What was spoken, as written, by section: each section's title, then its
    paragraphs (the text of every chunk read, in order)."""
    parts = []
    for section in article.sections:
        paragraphs: list[str] = []
        current = ""
        for chunk in section.chunks:
            current += chunk.text
            if chunk.boundary >= Boundary.PARAGRAPH:
                paragraphs.append(current)
                current = ""
        if current:
            paragraphs.append(current)
        parts.append(f"【{section.title}】\n\n" + "\n\n".join(paragraphs))
    return "\n\n".join(parts) + "\n"


def _timestamp(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def webvtt(cues: list[Cue]) -> str:
    return "WEBVTT\n\n" + _cue_blocks(cues, ".")


def srt(cues: list[Cue]) -> str:
    return _cue_blocks(cues, ",")


def _cue_blocks(cues: list[Cue], decimal_mark: str) -> str:
    """Numbered cues; WebVTT and SRT differ only in the mark before milliseconds."""
    blocks = []
    for number, cue in enumerate(cues, 1):
        start, end = _timestamp(cue.start_ms, decimal_mark), _timestamp(cue.end_ms, decimal_mark)
        blocks.append(f"{number}\n{start} --> {end}\n{_one_line(cue.text)}\n")
    return "\n".join(blocks)


def _one_line(text: str) -> str:
    # A blank line ends a cue, and "-->" would be read as timing.
    return " ".join(text.split()).replace("-->", "→")


def chapters_json(briefing: Briefing) -> str:
    """Podcasting 2.0 JSON chapters (version 1.2.0), times in seconds."""
    document = {
        "version": "1.2.0",
        "title": briefing.article.title,
        "chapters": [
            {"startTime": c.start_ms / 1000, "endTime": c.end_ms / 1000, "title": c.title}
            for c in briefing.chapters
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def metadata_json(briefing: Briefing, paths: dict[str, Path]) -> str:
    article = briefing.article
    first_paragraph = next(
        (p for s in article.sections for p in s.paragraphs[1 if s is article.sections[0] else 0 :]),
        "",
    )
    document = {
        "format": METADATA_FORMAT,
        **article.as_json(),
        "description": first_paragraph,
        "language": "zh-CN",
        "duration_ms": briefing.duration_ms,
        "loudness_lufs": (
            None if briefing.loudness_lufs is None else round(briefing.loudness_lufs, 1)
        ),
        "backend": briefing.backend,
        "voice": briefing.voice,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "chapters": [
            {"title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms}
            for c in briefing.chapters
        ],
        "files": {role: path.name for role, path in paths.items() if role != "metadata"},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
