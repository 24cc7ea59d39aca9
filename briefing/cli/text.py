"""``briefing plan`` and ``briefing normalize``: see what will be read, without audio."""

from __future__ import annotations

import json
import sys

import click

from briefing import normalize as normalization
from briefing import pipeline
from briefing.article import Article
from briefing.backends.base import backend_names


def article_json(article: Article) -> dict[str, object]:
    return {
        **article.as_json(),
        "sections": [
            {
                "title": section.title,
                "chunks": [
                    {"text": chunk.text, "spoken": chunk.spoken} for chunk in section.chunks
                ],
            }
            for section in article.sections
        ],
    }


@click.command()
@click.argument("source", metavar="INPUT")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option(
    "--backend",
    type=click.Choice(["auto", *backend_names()]),
    default="auto",
    show_default=True,
    help="Plan chunks for this backend's length limit (auto: the one make would use).",
)
def plan(source: str, as_json: bool, backend: str) -> None:
    """Show the cleaned article: metadata, chapters and every chunk as written and as spoken."""
    article = pipeline.plan(source, backend)
    if as_json:
        click.echo(json.dumps(article_json(article), ensure_ascii=False, indent=2))
        return
    click.echo(article.title)
    for label, value in (
        ("source", article.source),
        ("published", article.published),
        ("author", article.author),
        ("editors", " ".join(article.editors)),
        ("tags", " ".join(article.tags)),
    ):
        if value:
            click.echo(f"  {label}: {value}")
    for number, section in enumerate(article.sections, 1):
        click.echo(f"\n{number}. {section.title}")
        for chunk in section.chunks:
            click.echo(f"   {chunk.text}")
            if chunk.spoken != chunk.text:
                click.echo(f"   → {chunk.spoken}")


class _TextFirst(click.Command):
    """A command whose argument is text, which may start with '-' (``normalize
    -5``): only ``--help`` is read as an option."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in ("-h", "--help", "--"):
            args = ["--", *args]
        return super().parse_args(ctx, args)


@click.command(cls=_TextFirst)
@click.argument("text", required=False)
def normalize(text: str | None) -> None:
    """Print the spoken form of TEXT; without TEXT, one line out per stdin line."""
    if text is not None:
        click.echo(normalization.normalize(text))
        return
    for line in sys.stdin:
        click.echo(normalization.normalize(line.rstrip("\r\n")))


def register(cli: click.Group) -> None:
    cli.add_command(plan)
    cli.add_command(normalize)
