"""One published briefing (an ``Episode``) and the show they belong to (a ``Channel``).

``load_episode`` reads what ``briefing make`` left in a folder for OUT.mp3 —
``OUT.briefing.json`` and the files it names — and checks all of it, because
everything in it ends up in a feed and in web pages: a file name that leaves the
folder, a missing sidecar or a malformed subtitle file makes the briefing
``BrokenBriefing`` (publish reports it and goes on with the others).
"""

from __future__ import annotations

import functools
import json
import mmap
import os
import re
import struct
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from briefing.article import Chapter, Cue, clock
from briefing.errors import InputError
from briefing.sidecars import (
    METADATA_FORMAT,
    OPTIONAL_SUFFIXES,
    READABLE_METADATA_FORMATS,
    SIDECAR_SUFFIXES,
    cues_by_chapter,
    paragraph_ends,
)

# Chinese news sites give local times without a zone; China keeps UTC+8 all year.
CHINA_TZ = timezone(timedelta(hours=8))
# file roles in the metadata's "files" (what make writes, less the metadata itself);
# audio and vtt (the text alternative) are required
FILE_ROLES = (
    "audio",
    *(role for role in SIDECAR_SUFFIXES if role != "metadata"),
    *OPTIONAL_SUFFIXES,
)
REQUIRED_ROLES = ("audio", "vtt")


class BrokenBriefing(InputError):
    """A briefing in the folder cannot be published as it is; publish skips it."""


@dataclass(frozen=True)
class Channel:
    """The show: what the feed's <channel> and the site's index say about it."""

    title: str
    description: str
    author: str
    base_url: str  # absolute, no trailing slash; every URL in the feed starts with it
    guid: str  # podcast:guid, fixed at the first publish
    cover: str  # file name of the cover image in the site folder
    email: str = ""  # the owner's, for podcast directories to verify the show; may be empty
    language: str = "zh-cn"
    category: str = "News"
    subcategory: str = "Daily News"

    def url(self, relative: str) -> str:
        from urllib.parse import quote

        return f"{self.base_url}/{quote(relative)}"


@dataclass(frozen=True)
class Episode:
    """One briefing as published: its metadata, checked, plus its stable identity.

    ``key`` is the audio file name: a briefing re-made to the same file is the
    same episode and keeps its ``guid``, ``slug`` and ``pub_date``.
    """

    key: str
    title: str
    description: str
    source: str | None
    article_url: str | None
    author: str | None
    published: datetime | None
    created: datetime | None
    language: str
    duration_ms: int
    chapters: tuple[Chapter, ...]
    cues: tuple[Cue, ...]
    files: dict[str, str]  # role -> file name in the folder
    audio_bytes: int
    opus_bytes: int = 0  # of the Ogg Opus variant (make --also-opus), if there is one
    guid: str = ""
    slug: str = ""
    pub_date: datetime | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    paragraph_ends: frozenset[int] = frozenset()  # indexes of cues that end a paragraph

    @property
    def page(self) -> str:
        return f"episodes/{self.slug}.html"

    @property
    def embed_page(self) -> str:
        return f"episodes/{self.slug}.embed.html"

    def transcript(self) -> list[tuple[Chapter | None, list[list[Cue]]]]:
        """The cues by chapter (a cue belongs to the chapter it starts in), then by paragraph."""
        chapters: list[Chapter | None] = list(self.chapters) or [None]
        layout = cues_by_chapter(self.chapters, self.cues, self.paragraph_ends)
        return [
            (chapter, [[self.cues[i] for i in paragraph] for paragraph in paragraphs])
            for chapter, paragraphs in zip(chapters, layout, strict=True)
        ]


def load_episode(metadata_path: Path) -> Episode:
    """Read and check ``NAME.briefing.json`` and the files it names; raise BrokenBriefing."""
    folder = metadata_path.parent
    try:
        raw = json.loads(metadata_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise BrokenBriefing(f"{metadata_path.name} is not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise BrokenBriefing(
            f"{metadata_path.name} is not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from exc
    except OSError as exc:
        raise BrokenBriefing(f"cannot read {metadata_path.name}: {exc.strerror}") from exc
    if not isinstance(raw, dict):
        raise BrokenBriefing(f"{metadata_path.name} is not a JSON object")
    return _episode_from_metadata(raw, folder, metadata_path.name)


def _episode_from_metadata(raw: dict[str, Any], folder: Path, name: str) -> Episode:
    record_format = raw.get("format")
    if record_format not in READABLE_METADATA_FORMATS:
        raise BrokenBriefing(
            f"{name} has format {record_format!r}, this version reads formats up to "
            f"{METADATA_FORMAT}; re-make the briefing with this version of briefing"
        )
    title = _text(raw, "title", name, required=True)
    duration_ms = raw.get("duration_ms")
    if not isinstance(duration_ms, int) or isinstance(duration_ms, bool) or duration_ms <= 0:
        raise BrokenBriefing(f"{name}: duration_ms must be a positive whole number of ms")
    files = _files(raw.get("files"), folder, name)
    audio_bytes = _checked_mp3(folder / files["audio"], name, duration_ms)
    opus_bytes = _checked_opus(folder / files["opus"], name) if "opus" in files else 0
    if record_format == 1:  # no cues in the record: they come from the VTT
        cues, ends = _cues_of_format_1(files, folder, name)
    else:
        cues, ends = _cues(raw.get("cues"), name)
    language = _text(raw, "language", name) or "zh-CN"
    return Episode(
        key=files["audio"],
        title=title or "",
        description=_text(raw, "description", name) or "",
        source=_text(raw, "source", name),
        article_url=_web_url(_text(raw, "url", name)),
        author=_text(raw, "author", name),
        published=_datetime(raw.get("published"), "published", name),
        created=_datetime(raw.get("created"), "created", name),
        language=language,
        duration_ms=duration_ms,
        chapters=_chapters(raw.get("chapters", []), name),
        cues=cues,
        files=files,
        audio_bytes=audio_bytes,
        opus_bytes=opus_bytes,
        tags=tuple(t for t in raw.get("tags") or [] if isinstance(t, str)),
        paragraph_ends=ends,
    )


def _text(raw: dict[str, Any], key: str, name: str, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise BrokenBriefing(f"{name}: {key!r} must be {'a non-empty' if required else 'a'} string")
    return value.strip()


def _web_url(value: str | None) -> str | None:
    # Only http(s) links become hrefs: a "javascript:" URL from a page must not.
    if value and re.match(r"https?://", value, re.IGNORECASE):
        return value
    return None


def _datetime(value: Any, key: str, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BrokenBriefing(f"{name}: {key!r} must be an ISO 8601 date or null")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BrokenBriefing(f"{name}: {key!r} is not an ISO 8601 date: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA_TZ)


def is_safe_file_name(file_name: str) -> bool:
    """A plain name of a file in the folder itself: no path, no parent, not hidden."""
    return (
        bool(file_name)
        and file_name not in (".", "..")
        and not file_name.startswith(".")
        and "/" not in file_name
        and "\\" not in file_name
        and "\0" not in file_name
        and not any(ord(ch) < 32 for ch in file_name)
    )


def _files(value: Any, folder: Path, name: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise BrokenBriefing(f"{name}: 'files' must be an object naming the audio and sidecars")
    files: dict[str, str] = {}
    root = folder.resolve()
    for role in FILE_ROLES:
        file_name = value.get(role)
        if file_name is None:
            if role in REQUIRED_ROLES:
                raise BrokenBriefing(f"{name}: 'files' does not name the {role} file")
            continue
        if not isinstance(file_name, str) or not is_safe_file_name(file_name):
            raise BrokenBriefing(
                f"{name}: the {role} file {file_name!r} is not a plain file name in the folder"
            )
        path = folder / file_name
        if not path.is_file():
            raise BrokenBriefing(f"{name}: its {role} file {file_name} is missing")
        # a symlink may not lead the site (and `briefing serve`) out of the folder
        if not path.resolve().is_relative_to(root):
            raise BrokenBriefing(f"{name}: its {role} file {file_name} points outside the folder")
        files[role] = file_name
    if not files["audio"].lower().endswith(".mp3"):
        raise BrokenBriefing(f"{name}: the audio file {files['audio']} is not an .mp3")
    return files


# MPEG audio Layer III frame headers (ISO/IEC 11172-3, 13818-3): kbit/s by bitrate
# index, for MPEG-1 and for MPEG-2/2.5; sample rates by version bits and rate index
_LAYER3_KBPS = {
    True: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    False: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES_HZ = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_TRAILING_TAGS = (b"TAG", b"APETAGEX", b"LYRICSBEGIN")  # allowed after the last frame
# An MP3 holds a little more than the programme (the encoder's priming and padding),
# never less: shorter by more than this, frames are missing.
_MISSING_AUDIO_MS = 500


def _checked_mp3(path: Path, name: str, duration_ms: int) -> int:
    """The size in bytes of the MP3 file at ``path``, once its frames are checked to
    be whole and to hold the ``duration_ms`` the record says (a file cut short by a
    failed copy or upload would otherwise be listed with its full duration)."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size  # of the very file read
            if size == 0:
                raise BrokenBriefing(f"{name}: {path.name} is empty")
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                audio_ms, end, cut = _layer3_audio(data)
                whole = end == size or data[end : end + 11].startswith(_TRAILING_TAGS)
    except OSError as exc:
        raise _unreadable(path, name, exc) from exc
    if audio_ms == 0:
        raise BrokenBriefing(f"{name}: {path.name} is not an MP3 file (no MPEG audio frames)")
    if not (whole or cut):  # something that is not a frame, before the end
        raise BrokenBriefing(
            f"{name}: {path.name} is damaged at byte {end} of {size} (after "
            f"{clock(audio_ms)} of audio); make the briefing again"
        )
    if cut or audio_ms < duration_ms - _MISSING_AUDIO_MS:
        raise BrokenBriefing(
            f"{name}: {path.name} holds {clock(audio_ms)} of audio but the briefing is "
            f"{clock(duration_ms)} long: the file is truncated; copy it again or re-make it"
        )
    return size


def _layer3_audio(data: mmap.mmap) -> tuple[int, int, bool]:
    """How many ms of Layer III frames follow the ID3v2 tag, the offset where the
    last whole frame ends, and whether the file ends inside a frame."""
    position = 0
    if data[:3] == b"ID3" and len(data) >= 10:  # header, then a size in 7-bit bytes
        tag_size = 0
        for byte in data[6:10]:
            tag_size = tag_size << 7 | byte & 0x7F
        position = 10 + tag_size + (10 if data[5] & 0x10 else 0)  # + a footer if flagged
    while position < len(data) and data[position] == 0:  # padding some taggers leave
        position += 1
    samples, rate = 0, 0
    size = len(data)
    while position + 4 <= size:
        frame = _layer3_frame(_HEADER.unpack_from(data, position)[0])
        if frame is None:
            break
        length, frame_samples, rate = frame
        if position + length > size:
            return samples * 1000 // rate, position, True
        samples += frame_samples
        position += length
    return (samples * 1000 // rate if rate else 0), position, False


_HEADER = struct.Struct(">I")


@functools.lru_cache(maxsize=64)  # a stream repeats a header or two: decode each once
def _layer3_frame(header: int) -> tuple[int, int, int] | None:
    """(bytes, samples, sample rate) of the Layer III frame a header starts; None if
    the four bytes are not such a header."""
    version, layer = (header >> 19) & 3, (header >> 17) & 3
    bitrate_index, rate_index = (header >> 12) & 15, (header >> 10) & 3
    if (
        header >> 21 != 0x7FF
        or version == 1
        or layer != 1  # Layer III
        or bitrate_index in (0, 15)
        or rate_index == 3
    ):
        return None
    mpeg1 = version == 3
    rate = _RATES_HZ[version][rate_index]
    frame_samples = 1152 if mpeg1 else 576
    bits_per_s = _LAYER3_KBPS[mpeg1][bitrate_index] * 1000
    return frame_samples // 8 * bits_per_s // rate + ((header >> 9) & 1), frame_samples, rate


_OGG_OPUS = (b"OggS", b"OpusHead")  # the first page's capture pattern, then its header


def _checked_opus(path: Path, name: str) -> int:
    """The size in bytes of the Ogg Opus file at ``path``, once it is seen to be one."""
    try:
        with path.open("rb") as file:
            first_page = file.read(64)
            size = os.fstat(file.fileno()).st_size
    except OSError as exc:
        raise _unreadable(path, name, exc) from exc
    capture, header = _OGG_OPUS
    if not first_page.startswith(capture) or header not in first_page:
        raise BrokenBriefing(f"{name}: its opus file {path.name} is not Ogg Opus audio")
    return size


def _read_sidecar(path: Path, name: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BrokenBriefing(f"{name}: {path.name} is not UTF-8 text") from exc
    except OSError as exc:
        raise _unreadable(path, name, exc) from exc


def _unreadable(path: Path, name: str, exc: OSError) -> BrokenBriefing:
    # Checked to be a file a moment before: gone since, a permission, or a disk error.
    return BrokenBriefing(f"{name}: cannot read {path.name} ({exc.strerror or exc})")


def _chapters(value: Any, name: str) -> tuple[Chapter, ...]:
    if not isinstance(value, list):
        raise BrokenBriefing(f"{name}: 'chapters' must be a list")
    chapters: list[Chapter] = []
    for number, item in enumerate(value, 1):
        try:
            chapter = Chapter(str(item["title"]), int(item["start_ms"]), int(item["end_ms"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise BrokenBriefing(
                f"{name}: chapter {number} needs a title, start_ms and end_ms ({exc})"
            ) from exc
        if chapters and chapter.start_ms < chapters[-1].start_ms:
            raise BrokenBriefing(f"{name}: chapter {number} starts before chapter {number - 1}")
        chapters.append(chapter)
    return tuple(chapters)


_TIMING = re.compile(
    r"^(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})\s+-->\s+(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})"
)
_VTT_TAG = re.compile(r"</?[a-zA-Z.][^>]*>")  # <v Speaker>, <c.x>, <b>… inside cue text


def _ms(hours: str | None, minutes: str, seconds: str, millis: str) -> int:
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def parse_vtt(text: str, file_name: str = "subtitles.vtt") -> list[Cue]:
    """The cues of a WebVTT file, as plain text (cue markup dropped)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not lines[0].startswith("WEBVTT"):
        raise BrokenBriefing(f"{file_name} is not a WebVTT file (no WEBVTT header)")
    cues: list[Cue] = []
    index = 1
    while index < len(lines):
        match = _TIMING.match(lines[index].strip())
        if not match:
            index += 1
            continue
        start_ms, end_ms = _ms(*match.group(1, 2, 3, 4)), _ms(*match.group(5, 6, 7, 8))
        body = []
        index += 1
        while index < len(lines) and lines[index].strip():
            body.append(lines[index].strip())
            index += 1
        try:
            cue = Cue(start_ms, end_ms, _VTT_TAG.sub("", " ".join(body)).strip())
        except ValueError as exc:
            raise BrokenBriefing(f"{file_name}: {exc}") from exc
        cues.append(_unescape_vtt(cue))
    if not cues:
        raise BrokenBriefing(f"{file_name} has no cues")
    return cues


def _unescape_vtt(cue: Cue) -> Cue:
    import html

    return Cue(cue.start_ms, cue.end_ms, html.unescape(cue.text))


def _cues(value: Any, name: str) -> tuple[tuple[Cue, ...], frozenset[int]]:
    """The record's cues, and the indexes of those that end a paragraph."""
    if not isinstance(value, list) or not value:
        raise BrokenBriefing(f"{name}: 'cues' must be a list of the programme's cues")
    cues: list[Cue] = []
    ends = set()
    for number, item in enumerate(value, 1):
        try:
            start_ms, end_ms, text = item["start_ms"], item["end_ms"], item["text"]
            if not all(type(ms) is int for ms in (start_ms, end_ms)) or not isinstance(text, str):
                raise TypeError("start_ms and end_ms must be whole numbers, text a string")
            cues.append(Cue(start_ms, end_ms, text))
        except (KeyError, TypeError, ValueError) as exc:
            raise BrokenBriefing(
                f"{name}: cue {number} needs start_ms, end_ms and text ({exc})"
            ) from exc
        if item.get("paragraph_end") is True:
            ends.add(number - 1)
    return tuple(cues), frozenset(ends)


_SECTION_HEADING = re.compile(r"^【.*】$")


def _cues_of_format_1(
    files: dict[str, str], folder: Path, name: str
) -> tuple[tuple[Cue, ...], frozenset[int]]:
    """Format 1 kept the cues only in the VTT, and paragraphs only in the transcript
    (blank lines between them, under ``【section title】`` lines): line the two up."""
    cues = tuple(parse_vtt(_read_sidecar(folder / files["vtt"], name), files["vtt"]))
    if "transcript" not in files:
        return cues, frozenset()
    blocks = re.split(r"\n\s*\n", _read_sidecar(folder / files["transcript"], name))
    paragraphs = [b for b in blocks if b.strip() and not _SECTION_HEADING.match(b.strip())]
    return cues, paragraph_ends(paragraphs, [cue.text for cue in cues])
