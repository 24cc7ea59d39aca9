"""The whole product on one screen: article in, briefing files out.

    read → clean → sections → segment → normalise → synthesise ⇢ lay out →
    loudness → encode (while synthesis goes on) → tag → sidecars → rename
    into place

Each stage is a plain function of the module named after it; this module only
runs them in order and owns the all-or-nothing write of the outputs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing import (
    assemble,
    clean,
    epub,
    ffmpeg,
    files,
    ingest,
    lexicon,
    normalize,
    sections,
    segment,
    sidecars,
    synth,
    tags,
)
from briefing.ai_label import AiLabel, aigc_json
from briefing.article import Article, Briefing
from briefing.backends.base import get_backend
from briefing.cache import ChunkCache
from briefing.errors import OutputError
from briefing.ingest import Source
from briefing.presets import planned_backend, select
from briefing.progress import NoProgress, Progress
from briefing.prosody import Pitch, Rate, Volume
from briefing.sidecars import OutputFiles

log = logging.getLogger(__name__)


@dataclass
class MakeConfig:
    """What ``briefing make`` was asked to do.

    ``source``: a path, an http(s) URL, ``"-"`` (stdin) or ``Text(...)``.
    ``output``: the MP3 (sidecars go beside it); None names it after the source.
    ``voice``: a preset or a backend's voice id; prosody left as None comes
    from the preset, else is the voice's own.
    """

    source: Source
    output: Path | None = None
    backend: str = "auto"
    voice: str | None = None
    rate: Rate | None = None
    pitch: Pitch | None = None
    volume: Volume | None = None
    jobs: int | None = None  # None: the backend's own default
    cover: Path | None = None
    force: bool = False
    cache_dir: Path | None = None
    ai_label: AiLabel = AiLabel()  # spoken first, and in the tags (briefing.ai_label)
    lexicon: Path | None = None  # read after the default and the user's own
    epub: bool = False  # also an EPUB 3 talking book (briefing.epub)
    opus: bool = False  # also an Ogg Opus copy of the audio, for low bandwidth


@dataclass(frozen=True)
class MakeResult:
    """What ``make`` made: the briefing (article, chapters, cues, duration) and its files."""

    briefing: Briefing
    files: OutputFiles


def read_article(source: Source, max_chunk_chars: int) -> Article:
    """Read, clean, section, segment and normalise: everything before audio."""
    return shape(clean.parse(ingest.read(source)), max_chunk_chars)


def shape(
    document: clean.Document,
    max_chunk_chars: int,
    spoken_label: str | None = None,
    progress: Progress | None = None,
) -> Article:
    """Sections, chunks within the backend's limit, and their spoken forms;
    ``spoken_label`` is read first, as the opening chapter's first paragraph."""
    progress = progress or NoProgress()
    article = sections.build(document)
    if spoken_label:
        article.sections[0].paragraphs.insert(0, spoken_label)
    segment.segment(article, max_chunk_chars)
    # Chunk by chunk, so that a long article shows progress; the first run
    # also compiles the number-reading grammar here.
    progress.start("Preparing the text (number reading)", len(article.chunks))
    try:
        for chunk in article.chunks:
            chunk.spoken = normalize.normalize(chunk.text)
            progress.advance()
    finally:
        progress.finish()
    return segment.refit(article, max_chunk_chars, normalize.normalize)


def plan(source: Source, backend: str = "auto") -> Article:
    """The article as it will be read, without making audio or connecting
    anywhere. A named backend need not work here (only its chunk limit is
    used); ``auto`` plans for the best installed one (``planned_backend``)."""
    with planned_backend() if backend == "auto" else get_backend(backend) as chosen:
        return read_article(source, chosen.max_chunk_chars)


def default_output(raw: ingest.RawDocument) -> Path:
    """``article.md`` → ``article.mp3`` beside it; ``article.txt`` would have its
    transcript overwrite the input, so it becomes ``article.briefing.mp3``.
    Stdin and URLs go to the current folder, named after the page."""
    if raw.path is None:
        return Path.cwd() / f"{raw.name}.mp3"
    if raw.path.suffix.lower() == ".txt":
        return raw.path.with_name(f"{raw.path.stem}.briefing.mp3")
    return raw.path.with_suffix(".mp3")


# A suffix that names a file format (.wav, .m4a, .txt), unlike the end of
# "news.2019" or "江苏.对口", which are names still waiting for theirs.
_FORMAT_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}")


def mp3_path(output: Path) -> Path:
    """``output``, or ``output`` + ``.mp3`` when it has no file format in its name;
    another format is refused rather than written as MP3 under a false name."""
    if output.suffix.lower() == ".mp3":
        return output
    if _FORMAT_SUFFIX.fullmatch(output.suffix):
        raise OutputError(
            f"{output.name}: briefing writes MP3 audio only; "
            f"name the output {output.stem}.mp3 (or give no suffix)"
        )
    return output.with_name(output.name + ".mp3")


def make(config: MakeConfig, progress: Progress | None = None) -> MakeResult:
    """Make the briefing's MP3 and sidecars; return it and the files written."""
    progress = progress or NoProgress()
    # Everything that can be refused is checked before minutes of synthesis.
    raw = ingest.read(config.source)
    document = clean.parse(raw)
    output = mp3_path(Path(config.output or default_output(raw))).resolve()
    optional = [role for role, wanted in (("epub", config.epub), ("opus", config.opus)) if wanted]
    paths = sidecars.sidecar_paths(output, optional)
    _check_outputs(raw.path, paths, config.force)
    cover = tags.read_cover(config.cover) if config.cover is not None else None
    selection = select(config.backend, config.voice, config.rate, config.pitch, config.volume)
    backend = selection.backend
    words = lexicon.load(config.lexicon)
    progress.note(f"Voice: {backend.name} / {selection.settings.voice} ({selection.reason})")

    article = shape(document, backend.max_chunk_chars, config.ai_label.spoken, progress)
    assemble.prepare_in_background()
    speeches = synth.stream(
        words.for_backend(article.chunks, backend.name),
        backend,
        selection.settings,
        jobs=config.jobs,
        cache=ChunkCache(config.cache_dir),
        progress=progress,
        labels=_chunk_labels(article),
    )
    # The MP3 is encoded while the backend speaks, into a temporary file that
    # becomes the output only when everything else is written too.
    with (
        backend,
        contextlib.closing(speeches),
        _staged(paths) as staged,
        assemble.Assembler(article, staged["audio"]) as assembler,
    ):
        for index, speech in speeches:
            assembler.add(index, speech)
        try:
            programme = assembler.finish(progress)
            progress.start("Writing tags and sidecars", 1)
            briefing = Briefing(
                article,
                programme.duration_ms,
                programme.chapters,
                programme.cues,
                backend.name,
                selection.settings.voice,
                programme.loudness_lufs,
            )
            _write_tags_and_sidecars(briefing, staged, paths, cover, config.ai_label)
            progress.advance()
        finally:
            progress.finish()  # an error message must not land on a half-drawn bar
    return MakeResult(briefing, OutputFiles.beside(paths["audio"]))


def _write_tags_and_sidecars(
    briefing: Briefing,
    staged: dict[str, Path],
    paths: dict[str, Path],
    cover: tuple[bytes, str] | None,
    ai_label: AiLabel,
) -> None:
    text = sidecars.transcript(briefing.article)
    aigc = ai_label.implicit(f"{text}\n{briefing.backend}\n{briefing.voice}")
    tags.write_tags(
        staged["audio"],
        briefing.article,
        briefing.chapters,
        text,
        comment=f"Read by {briefing.backend} ({briefing.voice})",
        cover=cover,
        aigc=aigc_json(aigc),
        cues=briefing.cues,
    )
    _write_text(staged["transcript"], text)
    _write_text(staged["vtt"], sidecars.webvtt(briefing.cues))
    _write_text(staged["srt"], sidecars.srt(briefing.cues))
    _write_text(staged["chapters"], sidecars.chapters_json(briefing))
    _write_text(staged["metadata"], sidecars.metadata_json(briefing, paths, ai_label.spoken, aigc))
    if "opus" in staged:
        ffmpeg.encode_opus(staged["audio"], staged["opus"])
        tags.write_opus_tags(
            staged["opus"], briefing.article, briefing.chapters, aigc=aigc_json(aigc)
        )
    if "epub" in staged:
        epub.write_epub(staged["epub"], briefing, staged["audio"], aigc, ai_label.spoken, cover)


def _chunk_labels(article: Article) -> list[str]:
    labels = []
    for number, section in enumerate(article.sections, 1):
        for index, chunk in enumerate(section.chunks, 1):
            preview = chunk.text[:12] + ("…" if len(chunk.text) > 12 else "")
            labels.append(f"section {number}, chunk {index} ({preview})")
    return labels


def _check_outputs(source: Path | None, paths: dict[str, Path], force: bool) -> None:
    """Fail before any work if an output cannot be written or would clobber something."""
    folder = paths["audio"].parent
    if not folder.is_dir():
        raise OutputError(f"output folder {folder} does not exist; create it or choose another -o")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"output folder {folder} is not writable; choose another -o")
    if source is not None and source.resolve() in paths.values():
        raise OutputError(f"{source} would be overwritten by an output; choose another -o")
    existing = [p.name for p in paths.values() if p.exists()]
    if existing and not force:
        raise OutputError(
            f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; "
            "pass --force to replace, or choose another -o"
        )


@contextlib.contextmanager
def _staged(paths: dict[str, Path]) -> Iterator[dict[str, Path]]:
    """Temporary names beside the final ones, renamed into place only when all
    were written and removed if anything failed: no output is ever half-made,
    and an existing file is replaced only by a complete one."""
    try:
        with contextlib.ExitStack() as stack:
            yield {role: stack.enter_context(files.staged(path)) for role, path in paths.items()}
    except OSError as exc:
        raise OutputError.writing(paths["audio"], exc) from exc


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
