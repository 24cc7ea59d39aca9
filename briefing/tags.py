"""ID3 tags and chapters for the MP3, written with mutagen.

Tags are written as ID3v2.3: Apple Podcasts mishandles long ID3v2.4 chapter
titles. Chapters are a top-level, ordered CTOC listing one titled CHAP per
section; a CTOC holds at most 255 entries, so longer lists are nested under
child CTOCs.

The transcript is there twice: whole, as USLT, and sentence by sentence as
SYLT (synchronised text, millisecond timestamps), so a player that shows
lyrics shows each sentence as it is read, for listeners who cannot hear it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    SYLT,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TPUB,
    TXXX,
    USLT,
    WXXX,
    CTOCFlags,
    ID3NoHeaderError,
)

from briefing.ai_label import AIGC_KEY
from briefing.article import Article, Chapter, Cue
from briefing.errors import InputError, OutputError
from briefing.sidecars import one_line, timestamp

_LANGUAGE = "chi"  # ISO 639-2 (bibliographic), as ID3 expects
_CTOC_LIMIT = 255
_NO_OFFSET = 0xFFFFFFFF  # "byte offsets not given" in CHAP frames
_MILLISECONDS = 2  # SYLT time stamp format: absolute time in milliseconds
_TRANSCRIPTION = 2  # SYLT content type: text transcription (not song lyrics)
GENRE = "Speech"
JPEG_SIGNATURE = b"\xff\xd8\xff"  # start of image, then the first marker
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def write_tags(
    path: Path,
    article: Article,
    chapters: Sequence[Chapter],
    transcript: str,
    *,
    comment: str = "",
    cover: tuple[bytes, str] | None = None,
    aigc: str | None = None,
    cues: Sequence[Cue] = (),
) -> None:
    """``cover``: image bytes and MIME type, as ``read_cover`` returns them; ``aigc``:
    the implicit AI label (GB 45438-2025) as JSON, written as a TXXX frame named AIGC;
    ``cues``: the sentences as placed in the audio, written as SYLT (none: no SYLT)."""

    try:
        tags = ID3(str(path))
    except ID3NoHeaderError:
        tags = ID3()
    tags.add(TIT2(encoding=3, text=article.title))
    tags.add(TPE1(encoding=3, text=article.author or article.source or "briefing"))
    if article.source:
        tags.add(TPUB(encoding=3, text=article.source))
        tags.add(TALB(encoding=3, text=article.source))
    if article.published:
        tags.add(TDRC(encoding=3, text=article.published.strftime("%Y-%m-%dT%H:%M")))
    tags.add(TCON(encoding=3, text=GENRE))
    tags.add(TLAN(encoding=3, text=_LANGUAGE))
    if comment:
        tags.add(COMM(encoding=3, lang=_LANGUAGE, desc="", text=comment))
    tags.add(USLT(encoding=3, lang=_LANGUAGE, desc="transcript", text=transcript))
    if cues:
        tags.add(
            SYLT(
                encoding=3,
                lang=_LANGUAGE,
                format=_MILLISECONDS,
                type=_TRANSCRIPTION,
                desc="transcript",
                text=[(one_line(cue.text), cue.start_ms) for cue in cues],
            )
        )
    if article.url:
        tags.add(WXXX(encoding=3, desc="source", url=article.url))
    if aigc is not None:
        tags.add(TXXX(encoding=3, desc=AIGC_KEY, text=aigc))
    if cover is not None:
        data, mime = cover
        tags.add(APIC(encoding=3, mime=mime, type=3, desc="cover", data=data))

    chapter_ids = [f"chp{i}" for i in range(len(chapters))]
    for element_id, chapter in zip(chapter_ids, chapters, strict=True):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=chapter.start_ms,
                end_time=chapter.end_ms,
                start_offset=_NO_OFFSET,
                end_offset=_NO_OFFSET,
                sub_frames=[TIT2(encoding=3, text=chapter.title)],
            )
        )
    if len(chapter_ids) <= _CTOC_LIMIT:
        top_children = chapter_ids
    else:
        groups = [chapter_ids[i : i + _CTOC_LIMIT] for i in range(0, len(chapter_ids), _CTOC_LIMIT)]
        top_children = [f"toc{i}" for i in range(len(groups))]
        for group_id, group in zip(top_children, groups, strict=True):
            tags.add(_ctoc(group_id, group, f"{article.title} ({group_id})", top_level=False))
    tags.add(_ctoc("toc", top_children, article.title, top_level=True))
    try:
        tags.save(str(path), v2_version=3)
    except OSError as exc:
        raise OutputError.writing(path, exc) from exc


def write_opus_tags(
    path: Path, article: Article, chapters: Sequence[Chapter], *, aigc: str | None = None
) -> None:
    """Vorbis comments for the Ogg Opus variant: the article's metadata and its
    chapters as ``CHAPTER001=00:00:00.000`` / ``CHAPTER001NAME=title`` pairs (the
    convention Ogg players read, numbered from 001), and the AIGC label."""
    from mutagen.oggopus import OggOpus

    try:
        opus = OggOpus(str(path))
    except OSError as exc:
        raise OutputError.writing(path, exc) from exc
    comments = opus.tags
    assert comments is not None  # an Ogg Opus stream always has its comment header
    comments["TITLE"] = article.title
    comments["ARTIST"] = article.author or article.source or "briefing"
    if article.source:
        comments["ALBUM"] = article.source
        comments["ORGANIZATION"] = article.source
    if article.published:
        comments["DATE"] = article.published.strftime("%Y-%m-%d")
    comments["GENRE"] = GENRE
    comments["LANGUAGE"] = "zh-CN"
    if article.url:
        comments["CONTACT"] = article.url
    if aigc is not None:
        comments[AIGC_KEY] = aigc
    for number, chapter in enumerate(chapters, 1):
        comments[f"CHAPTER{number:03d}"] = timestamp(chapter.start_ms, ".")
        comments[f"CHAPTER{number:03d}NAME"] = chapter.title
    try:
        opus.save()
    except OSError as exc:
        raise OutputError.writing(path, exc) from exc


def _ctoc(element_id: str, children: list[str], title: str, *, top_level: bool) -> CTOC:
    flags = CTOCFlags.ORDERED | (CTOCFlags.TOP_LEVEL if top_level else 0)
    return CTOC(
        element_id=element_id,
        flags=flags,
        child_element_ids=children,
        sub_frames=[TIT2(encoding=3, text=title)],
    )


def read_cover(cover: Path) -> tuple[bytes, str]:
    """The cover's bytes and MIME type; only JPEG and PNG are allowed by podcast apps."""
    try:
        data = cover.read_bytes()
    except OSError as exc:
        raise InputError(f"cover {cover}: cannot be read ({exc.strerror or exc})") from exc
    mime = image_kind(data)
    if mime is None:
        raise InputError(f"cover {cover}: not a JPEG or PNG image; give a .jpg or .png file")
    return data, mime


def image_kind(data: bytes) -> str | None:
    """The image's MIME type, image/jpeg or image/png, by its first bytes (whatever
    its file is called); None for anything else."""
    if data.startswith(JPEG_SIGNATURE):
        return "image/jpeg"
    if data.startswith(PNG_SIGNATURE):
        return "image/png"
    return None
