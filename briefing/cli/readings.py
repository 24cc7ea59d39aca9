"""``briefing readings``: what the offline voice will say, syllable by syllable."""

from __future__ import annotations

import sys

import click

from briefing import normalize
from briefing.backends import baker_frontend


@click.command()
@click.argument("text", required=False)
def readings(text: str | None) -> None:
    """Print TEXT's spoken form with each character's reading (银(yin2)行(hang2))
    and each Latin word's syllables (Google{gu1 ge1}); without TEXT, one line out
    per stdin line."""
    lines = [text] if text is not None else (line.rstrip("\r\n") for line in sys.stdin)
    for line in lines:
        click.echo(baker_frontend.annotate(normalize.normalize(line)))


def register(cli: click.Group) -> None:
    cli.add_command(readings)
