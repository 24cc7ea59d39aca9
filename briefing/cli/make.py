"""``briefing make``: an article in, a chaptered MP3 and its sidecars out."""

from __future__ import annotations

from pathlib import Path

import click

from briefing import pipeline
from briefing.ai_label import DEFAULT_PRODUCER, DEFAULT_SPOKEN, AiLabel
from briefing.article import clock
from briefing.cli.progressbar import TerminalProgress
from briefing.cli.readings import lexicon_option
from briefing.cli.voices import BackendChoice
from briefing.prosody import Pitch, Rate, Volume


def voice_options(command):  # type: ignore[no-untyped-def]
    """--backend/--voice/--rate/--pitch/--volume, shared by commands that speak."""
    options = [
        click.option(
            "--backend",
            type=BackendChoice(),
            default="auto",
            show_default=True,
            help="TTS engine; auto picks the best that works here.",
        ),
        click.option("--voice", help="A preset from `briefing voices` or a backend voice id."),
        click.option("--rate", help="Speaking rate offset, e.g. +10% or -5%."),
        click.option("--pitch", help="Pitch offset, e.g. +5Hz."),
        click.option("--volume", help="Volume offset, e.g. -10%."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command()
@click.argument("source", metavar="INPUT")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The MP3 to write; sidecars go beside it. Default: named after INPUT.",
)
@voice_options
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 32),
    help="Chunks synthesised at once [default: the backend's own].",
)
@click.option(
    "--cover",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Cover art (JPEG or PNG) embedded in the MP3.",
)
@click.option("-f", "--force", is_flag=True, help="Replace existing output files.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@click.option(
    "--ai-label",
    "ai_label",
    default=DEFAULT_SPOKEN,
    show_default=True,
    help="The AI disclosure read first, as China's AI labelling rules require.",
)
@click.option(
    "--no-ai-label",
    is_flag=True,
    help="Do not read an AI disclosure (you then take on labelling the audio yourself).",
)
@click.option(
    "--ai-producer",
    default=DEFAULT_PRODUCER,
    show_default=True,
    help="Producer's name or code in the MP3's AIGC label (GB 45438-2025).",
)
@lexicon_option
@click.option(
    "--epub",
    is_flag=True,
    help="Also write OUT.epub: a talking book (EPUB 3, text synchronised with the audio).",
)
@click.option(
    "--also-opus",
    "opus",
    is_flag=True,
    help="Also write OUT.opus: the same audio as Ogg Opus (24 kbit/s mono), with chapters.",
)
def make(
    source: str,
    output: Path | None,
    backend: str,
    voice: str | None,
    rate: str | None,
    pitch: str | None,
    volume: str | None,
    jobs: int | None,
    cover: Path | None,
    force: bool,
    quiet: bool,
    ai_label: str,
    no_ai_label: bool,
    ai_producer: str,
    lexicon: Path | None,
    epub: bool,
    opus: bool,
) -> None:
    """Read INPUT (a .txt, .md or .html file, a URL, or - for stdin) aloud into an MP3
    with a chapter per section, plus transcript (.txt), subtitles (.vtt, .srt),
    chapters (.chapters.json) and metadata (.briefing.json) beside it."""
    config = pipeline.MakeConfig(
        source=source,
        output=output,
        backend=backend,
        voice=voice,
        rate=None if rate is None else Rate.parse(rate),
        pitch=None if pitch is None else Pitch.parse(pitch),
        volume=None if volume is None else Volume.parse(volume),
        jobs=jobs,
        cover=cover,
        force=force,
        ai_label=AiLabel(None if no_ai_label else ai_label, ai_producer),
        lexicon=lexicon,
        epub=epub,
        opus=opus,
    )
    if no_ai_label:
        click.echo(
            "Warning: no spoken AI label; the MP3 is still tagged as AI-made, but where the law "
            "asks listeners to be told (China: GB 45438-2025), telling them is now up to you",
            err=True,
        )
    result = pipeline.make(config, TerminalProgress(quiet))
    briefing = result.briefing
    if not quiet:
        loudness = "" if briefing.loudness_lufs is None else f", {briefing.loudness_lufs:.1f} LUFS"
        chapters = len(briefing.chapters)
        click.echo(
            f"Wrote {result.files.mp3} ({clock(briefing.duration_ms)}, "
            f"{chapters} chapter{'' if chapters == 1 else 's'}{loudness})",
            err=True,
        )


def register(cli: click.Group) -> None:
    cli.add_command(make)
