"""The files beside the MP3: transcript, WebVTT and SRT subtitles, Podcasting
2.0 chapters, and the metadata record ``publish`` reads.

The record (``OUT.briefing.json``, format 2) holds everything make knows about
the programme: the article's metadata, the chapters and every cue with where
paragraphs end. VTT, SRT and chapters JSON are written from the same
``Briefing`` and never read back; ``publish`` reads only the record (format 1
records, which had no cues, are read with their VTT and transcript).
"""

from __future__ import annotations

import bisect
import html
import json
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from briefing.article import Article, Boundary, Briefing, Chapter, Chunk, Cue
from briefing.sections import short_title

METADATA_FORMAT = 2
READABLE_METADATA_FORMATS = (1, 2)
METADATA_SUFFIX = ".briefing.json"
# What make writes beside OUT.mp3, by role; publish reads the same names.
SIDECAR_SUFFIXES = {
    "transcript": ".txt",
    "vtt": ".vtt",
    "srt": ".srt",
    "chapters": ".chapters.json",
    "metadata": METADATA_SUFFIX,
}

# Written only when asked for (make --epub, --also-opus), by role.
OPTIONAL_SUFFIXES = {"epub": ".epub", "opus": ".opus"}


def sidecar_paths(audio: Path, optional: Collection[str] = ()) -> dict[str, Path]:
    """Every output of one briefing, keyed by role, named after the MP3;
    ``optional`` names the roles of ``OPTIONAL_SUFFIXES`` asked for."""
    # By string, not with_suffix: the stem of news.briefing.mp3 is news.briefing.
    stem = audio.name[: -len(audio.suffix)] if audio.suffix else audio.name
    suffixes = SIDECAR_SUFFIXES | {role: OPTIONAL_SUFFIXES[role] for role in optional}
    return {"audio": audio} | {
        role: audio.with_name(f"{stem}{suffix}") for role, suffix in suffixes.items()
    }


@dataclass(frozen=True)
class OutputFiles:
    """Where one briefing's files are: the MP3 and each sidecar beside it."""

    mp3: Path
    transcript: Path  # what was read, by section (.txt)
    vtt: Path  # subtitles, WebVTT
    srt: Path  # subtitles, SubRip
    chapters: Path  # chapter list (.chapters.json)
    metadata: Path  # everything about the briefing (.briefing.json)

    @classmethod
    def beside(cls, audio: Path) -> OutputFiles:
        paths = sidecar_paths(audio)
        return cls(mp3=paths.pop("audio"), **paths)


def transcript(article: Article) -> str:
    """What was spoken, as written, by section: each section's title, then its
    paragraphs (the text of every chunk read, in order)."""
    parts = [
        f"【{section.title}】\n\n" + "\n\n".join(_spoken_paragraphs(section.chunks))
        for section in article.sections
    ]
    return "\n\n".join(parts) + "\n"


def _spoken_paragraphs(chunks: Sequence[Chunk]) -> list[str]:
    """The paragraphs as read: the text of the chunks, joined up to each paragraph end."""
    paragraphs: list[str] = []
    current = ""
    for chunk in chunks:
        current += chunk.text
        if chunk.boundary >= Boundary.PARAGRAPH:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


_SPACE = re.compile(r"\s+")


def paragraph_ends(paragraphs: Sequence[str], cue_texts: Sequence[str]) -> frozenset[int]:
    """Which cues end a paragraph: the last cue before each paragraph's end.

    Cues hold the text of consecutive chunks, and a chunk with nothing to say
    (``……``) has no cue, so each cue is found in the paragraphs' text in turn
    (whitespace aside). If one is not found (a hand-made or older file), no
    breaks are claimed rather than wrong ones.
    """
    text = ""
    ends: list[int] = []
    for paragraph in paragraphs:
        text += _SPACE.sub("", paragraph)
        ends.append(len(text))
    cue_ends: list[int] = []
    offset = 0
    for cue_text in cue_texts:
        wanted = _SPACE.sub("", cue_text)
        found = text.find(wanted, offset)
        if found < 0:
            return frozenset()
        offset = found + len(wanted)
        cue_ends.append(offset)
    result = set()
    last_before = -1  # both lists ascend: walk them together
    for end in ends:
        while last_before + 1 < len(cue_ends) and cue_ends[last_before + 1] <= end:
            last_before += 1
        if last_before >= 0:
            result.add(last_before)
    return frozenset(result)


def timestamp(ms: int, separator: str) -> str:
    """hh:mm:ss and milliseconds after ``separator`` (WebVTT and SMIL: '.', SRT: ',')."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def webvtt(cues: Sequence[Cue]) -> str:
    # WebVTT cue text is markup: & and < start escapes and tags, and > is escaped
    # so that "-->" cannot appear in it either.
    return "WEBVTT\n\n" + _cue_blocks(cues, ".", lambda text: html.escape(text, quote=False))


def srt(cues: Sequence[Cue]) -> str:
    # SRT has no escapes; "-->" alone would be read as timing.
    return _cue_blocks(cues, ",", lambda text: text.replace("-->", "→"))


def _cue_blocks(cues: Sequence[Cue], decimal_mark: str, escape: Callable[[str], str]) -> str:
    """Numbered cues, each on one line (a blank line would end a cue early)."""
    blocks = []
    for number, cue in enumerate(cues, 1):
        start, end = timestamp(cue.start_ms, decimal_mark), timestamp(cue.end_ms, decimal_mark)
        blocks.append(f"{number}\n{start} --> {end}\n{escape(one_line(cue.text))}\n")
    return "\n".join(blocks)


def one_line(text: str) -> str:
    """Cue text as subtitles show it: every run of whitespace one space."""
    return " ".join(text.split())


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


_SENTENCE_END = re.compile(r"[。！？!?…]")


def description(article: Article, skip: Sequence[str] = ()) -> str:
    """The first paragraph of body text, for feeds and pages.

    Not one of ``skip``, nor a heading read as its chapter's first line (the
    headline among them: the first paragraph of a section, one sentence at most,
    that the section is titled after); a paragraph that ends a sentence is
    preferred to a line without one (a subheading under a heading).
    """
    body = []
    for section in article.sections:
        paragraphs = [p for p in section.paragraphs if p not in skip]
        if paragraphs and _is_heading(paragraphs[0], section.title):
            paragraphs = paragraphs[1:]
        body += paragraphs
    return next((p for p in body if _SENTENCE_END.search(p[-2:])), body[0] if body else "")


def _is_heading(paragraph: str, section_title: str) -> bool:
    one_sentence = not _SENTENCE_END.search(paragraph.rstrip()[:-1])
    return one_sentence and short_title(paragraph) == section_title


def cues_ending_paragraphs(briefing: Briefing) -> frozenset[int]:
    """Which of the briefing's cues end a paragraph, by index."""
    return frozenset(index for index, cue in enumerate(briefing.cues) if cue.paragraph_end)


def cues_by_chapter(
    chapters: Sequence[Chapter], cues: Sequence[Cue], paragraph_ends: Collection[int]
) -> list[list[list[int]]]:
    """The cues' indexes by chapter, then by paragraph: a cue belongs to the chapter
    it starts in (with no chapters, all to one), and a paragraph ends after each
    cue in ``paragraph_ends``."""
    starts = [chapter.start_ms for chapter in chapters]
    layout: list[list[list[int]]] = [[[]] for _ in range(max(len(chapters), 1))]
    for index, cue in enumerate(cues):
        paragraphs = layout[max(bisect.bisect_right(starts, cue.start_ms) - 1, 0)]
        paragraphs[-1].append(index)
        if index in paragraph_ends:
            paragraphs.append([])
    return [[paragraph for paragraph in paragraphs if paragraph] for paragraphs in layout]


def cue_records(briefing: Briefing) -> list[dict[str, object]]:
    """The cues as the record keeps them, with where paragraphs end."""
    return [
        {
            "start_ms": cue.start_ms,
            "end_ms": cue.end_ms,
            "text": cue.text,
            "paragraph_end": cue.paragraph_end,
        }
        for cue in briefing.cues
    ]


def metadata_json(
    briefing: Briefing,
    paths: dict[str, Path],
    spoken_label: str | None = None,
    aigc: dict[str, str] | None = None,
) -> str:
    """The record ``publish`` reads (format 2). ``spoken_label`` is the AI label read
    first (None: none was), ``aigc`` the implicit label written into the MP3."""
    article = briefing.article
    document = {
        "format": METADATA_FORMAT,
        **article.as_json(),
        "description": description(article, skip=[spoken_label] if spoken_label else []),
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
        "cues": cue_records(briefing),
        "ai_label": {"spoken": spoken_label, "AIGC": aigc},
        "files": {role: path.name for role, path in paths.items() if role != "metadata"},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
