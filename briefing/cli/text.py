"""``briefing plan`` and ``briefing normalize``: see what will be read, without audio."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from briefing import lexicon as lexicons
from briefing import normalize as normalization
from briefing import pipeline
from briefing import proof as proofs
from briefing.article import Article
from briefing.cli.readings import lexicon_option
from briefing.cli.voices import BackendChoice
from briefing.sections import estimated_minutes, section_chars


def article_json(article: Article, show_dropped: bool = False) -> dict[str, object]:
    plan: dict[str, object] = {
        **article.as_json(),
        "titled": article.titled,
        "sections": [
            {
                "title": section.title,
                "chars": section_chars(section),
                "minutes": round(estimated_minutes(section_chars(section)), 1),
                "chunks": [
                    {"text": chunk.text, "spoken": chunk.spoken} for chunk in section.chunks
                ],
            }
            for section in article.sections
        ],
    }
    if show_dropped:
        plan["dropped"] = article.dropped
    return plan


@click.command()
@click.argument("source", metavar="INPUT")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option(
    "--backend",
    type=BackendChoice(),
    default="auto",
    show_default=True,
    help="Plan chunks for this backend's length limit (auto: the one make would use).",
)
@click.option("--proof", is_flag=True, help="Also list every reading decision, to check.")
@click.option(
    "--show-dropped",
    is_flag=True,
    help="Also list what the page said that will not be read (chrome, metadata lines).",
)
@lexicon_option
def plan(
    source: str,
    as_json: bool,
    backend: str,
    proof: bool,
    show_dropped: bool,
    lexicon: Path | None,
) -> None:
    """Show the cleaned article: metadata, chapters (with their length and
    estimated minutes) and every chunk as written and as spoken."""
    article = pipeline.plan(source, backend)
    items = proofs.collect(article, lexicons.load(lexicon)) if proof else []
    if as_json:
        plan_json = article_json(article, show_dropped)
        if proof:
            plan_json["proof"] = [item.as_json() for item in items]
        click.echo(json.dumps(plan_json, ensure_ascii=False, indent=2))
        return
    click.echo(article.title)
    if not article.titled:
        click.echo("  (no title found: the briefing starts with the first sentence, read once)")
    for label, value in (
        ("source", article.source),
        ("published", article.published),
        ("author", article.author),
        ("editors", " ".join(article.editors)),
        ("tags", " ".join(article.tags)),
    ):
        if value:
            click.echo(f"  {label}: {value}")
    total = sum(section_chars(section) for section in article.sections)
    click.echo(f"  length: {total:,} characters, about {estimated_minutes(total):.1f} minutes")
    for number, section in enumerate(article.sections, 1):
        chars = section_chars(section)
        minutes = estimated_minutes(chars)
        click.echo(f"\n{number}. {section.title}  ({chars:,} characters, ~{minutes:.1f} min)")
        for chunk in section.chunks:
            click.echo(f"   {chunk.text}")
            if chunk.spoken != chunk.text:
                click.echo(f"   → {chunk.spoken}")
    if show_dropped:
        click.echo(f"\nDropped, not read ({len(article.dropped)}):")
        for text in article.dropped:
            click.echo(f"   ✗ {text}")
    if proof:
        click.echo(f"\nProof: {len(items)} reading decisions")
        for number, item in enumerate(items, 1):
            click.echo(f"{number:5}. {item.line()}")


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
