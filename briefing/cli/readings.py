"""``briefing readings``: what the offline voice will say, syllable by syllable."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from briefing import lexicon as lexicons
from briefing import normalize
from briefing.backends import baker_frontend

lexicon_option = click.option(
    "--lexicon",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A pronunciation lexicon (TOML) used after the default and your own.",
)


@click.command()
@click.argument("text", required=False)
@lexicon_option
def readings(text: str | None, lexicon: Path | None) -> None:
    """Print TEXT's spoken form with each character's reading (银(yin2)行(hang2))
    and each Latin word's syllables (Google{gu1 ge1}); without TEXT, one line out
    per stdin line."""
    words = lexicons.load(lexicon)
    lines = [text] if text is not None else (line.rstrip("\r\n") for line in sys.stdin)
    for line in lines:
        spoken = words.respell(normalize.normalize(line), pinyin=True)
        click.echo(baker_frontend.annotate(spoken))


def register(cli: click.Group) -> None:
    cli.add_command(readings)
