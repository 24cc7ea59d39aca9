"""The typed data that flows through the pipeline.

An ``Article`` is what ingest and clean produce: metadata plus ``Section``s of
paragraphs. ``segment`` fills each section with ``Chunk``s (the unit sent to a
backend) and ``normalize`` gives every chunk its ``spoken`` form. After
synthesis and assembly a ``Briefing`` records where everything landed in the
audio, in milliseconds.
"""

from __future__ import annotations

import enum
from dataclasses import KW_ONLY, dataclass, field, fields
from datetime import datetime


class Boundary(enum.IntEnum):
    """What ends a chunk; larger boundaries get longer pauses after them."""

    CLAUSE = 1  # a long sentence was split here; the sentence goes on
    SENTENCE = 2
    PARAGRAPH = 3
    SECTION = 4


@dataclass
class Chunk:
    """One piece of text sent to a backend in one request.

    ``text`` is as written (for transcripts and subtitles); ``spoken`` is the
    normalised form the voice reads; ``boundary`` says what ends with it (a
    clause, sentence, paragraph or section), which sets the pause after it.
    """

    text: str
    spoken: str = ""
    boundary: Boundary = Boundary.SENTENCE

    @property
    def speakable(self) -> bool:
        return speakable(self.spoken or self.text)


def speakable(text: str) -> bool:
    """False for text with nothing a voice can say (``……``, ``——``): backends
    answer it with silence or an error (edge: NoAudioReceived)."""
    return any(ch.isalnum() for ch in text)


@dataclass
class Section:
    """A chapter of the briefing: a title and its paragraphs of body text."""

    title: str
    paragraphs: list[str]
    chunks: list[Chunk] = field(default_factory=list)


@dataclass
class Metadata:
    """What an article says about itself; kept, never read aloud."""

    title: str
    _: KW_ONLY
    source: str | None = None
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    editors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The metadata as JSON values, ``published`` in ISO 8601."""
        values = {f.name: getattr(self, f.name) for f in fields(Metadata)}
        values["published"] = self.published.isoformat() if self.published else None
        return values


@dataclass
class Article(Metadata):
    """A cleaned article: what will be read (its sections), and its metadata.
    ``dropped``: the page's lines that are not read (chrome, metadata lines);
    ``titled``: False when the input had no title (``title`` is then its
    first sentence, read once as the story's start)."""

    sections: list[Section]
    dropped: list[str] = field(default_factory=list)
    titled: bool = True

    @property
    def chunks(self) -> list[Chunk]:
        return [chunk for section in self.sections for chunk in section.chunks]


@dataclass(frozen=True)
class Cue:
    """A subtitle cue: one sentence as written, placed in the final audio."""

    start_ms: int
    end_ms: int
    text: str
    paragraph_end: bool = False  # the last cue of a paragraph as read

    def __post_init__(self) -> None:
        if not 0 <= self.start_ms <= self.end_ms:
            raise ValueError(f"cue times out of order: {self.start_ms}..{self.end_ms}")


@dataclass(frozen=True)
class Chapter:
    """One section's place in the final audio; chapters tile it end to end."""

    title: str
    start_ms: int
    end_ms: int

    def __post_init__(self) -> None:
        if not 0 <= self.start_ms <= self.end_ms:
            raise ValueError(f"chapter times out of order: {self.start_ms}..{self.end_ms}")


@dataclass
class Briefing:
    """The assembled result: the article and where each part sits in the audio."""

    article: Article
    duration_ms: int
    chapters: list[Chapter]
    cues: list[Cue]
    backend: str
    voice: str
    loudness_lufs: float | None = None  # integrated, of the MP3 as written


def clock(ms: int) -> str:
    """``1:05`` or ``1:02:05``, in whole seconds: how players show a time
    (a 22-hour briefing is 21:59:32, never 1319:32)."""
    minutes, seconds = divmod(max(0, int(ms)) // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
