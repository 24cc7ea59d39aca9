"""One published briefing (an ``Episode``) and the show they belong to (a ``Channel``).

``load_episode`` reads what ``briefing make`` left in a folder for OUT.mp3 —
``OUT.briefing.json`` and the files it names — and checks all of it, because
everything in it ends up in a feed and in web pages: a file name that leaves the
folder, a missing sidecar or a malformed subtitle file makes the briefing
``BrokenBriefing`` (publish reports it and goes on with the others).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from briefing.article import Chapter, Cue
from briefing.errors import InputError
from briefing.sidecars import METADATA_FORMAT, SIDECAR_SUFFIXES

# Chinese news sites give local times without a zone; China keeps UTC+8 all year.
CHINA_TZ = timezone(timedelta(hours=8))
# file roles in the metadata's "files" (what make writes, less the metadata itself);
# audio and vtt (the text alternative) are required
FILE_ROLES = ("audio", *(role for role in SIDECAR_SUFFIXES if role != "metadata"))
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
        groups: list[tuple[Chapter | None, list[list[Cue]]]] = [(c, [[]]) for c in chapters]
        for number, cue in enumerate(self.cues):
            index = 0
            for i, chapter in enumerate(self.chapters):
                if chapter.start_ms <= cue.start_ms:
                    index = i
            paragraphs = groups[index][1]
            paragraphs[-1].append(cue)
            if number in self.paragraph_ends:
                paragraphs.append([])
        return [(chapter, [p for p in paragraphs if p]) for chapter, paragraphs in groups]


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
    if raw.get("format") != METADATA_FORMAT:
        raise BrokenBriefing(
            f"{name} has format {raw.get('format')!r}, this version reads format "
            f"{METADATA_FORMAT}; re-make the briefing with this version of briefing"
        )
    title = _text(raw, "title", name, required=True)
    duration_ms = raw.get("duration_ms")
    if not isinstance(duration_ms, int) or isinstance(duration_ms, bool) or duration_ms <= 0:
        raise BrokenBriefing(f"{name}: duration_ms must be a positive whole number of ms")
    files = _files(raw.get("files"), folder, name)
    audio_bytes = _mp3_size(folder / files["audio"], name)
    cues = tuple(parse_vtt(_read_sidecar(folder / files["vtt"], name), files["vtt"]))
    paragraph_ends: frozenset[int] = frozenset()
    if "transcript" in files:
        paragraph_ends = paragraph_breaks(cues, _read_sidecar(folder / files["transcript"], name))
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
        tags=tuple(t for t in raw.get("tags") or [] if isinstance(t, str)),
        paragraph_ends=paragraph_ends,
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


def _mp3_size(path: Path, name: str) -> int:
    """The size in bytes of the MP3 file at ``path``, checked to look like one."""
    try:
        with path.open("rb") as handle:
            head = handle.read(3)
            size = os.fstat(handle.fileno()).st_size  # of the very file read
    except OSError as exc:
        raise _unreadable(path, name, exc) from exc
    # ID3v2 tag first (make writes one), or a bare MPEG audio frame sync
    if head[:3] != b"ID3" and not (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        raise BrokenBriefing(f"{name}: {path.name} is empty or not an MP3 file")
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


_SPACE = re.compile(r"\s+")
_SECTION_HEADING = re.compile(r"^【.*】$")


def paragraph_breaks(cues: tuple[Cue, ...], transcript: str) -> frozenset[int]:
    """Which cues end a paragraph, found by lining the cues up with the transcript.

    The transcript (OUT.txt) has the paragraphs, separated by blank lines, under
    ``【section title】`` lines; the VTT has the timings. When the two do not hold
    the same text (an older or hand-made transcript), no breaks are claimed.
    """
    blocks = [_SPACE.sub("", block) for block in re.split(r"\n\s*\n", transcript)]
    paragraphs = [b for b in blocks if b and not _SECTION_HEADING.match(b)]
    cue_texts = [_SPACE.sub("", cue.text) for cue in cues]
    if "".join(paragraphs) != "".join(cue_texts):
        return frozenset()
    paragraph_end_offsets: set[int] = set()
    offset = 0
    for paragraph in paragraphs:
        offset += len(paragraph)
        paragraph_end_offsets.add(offset)
    ends = set()
    offset = 0
    for index, text in enumerate(cue_texts):
        offset += len(text)
        if offset in paragraph_end_offsets:
            ends.add(index)
    return frozenset(ends)
