"""``briefing publish`` (feed + site with the player) and ``briefing serve`` (local, with Range)."""

from __future__ import annotations

from pathlib import Path

import click


def register(cli: click.Group) -> None:
    cli.add_command(publish_command)
    cli.add_command(serve_command)


@click.command("publish")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--base-url",
    help="Address the folder will be served from, e.g. https://example.com/listen "
    "(remembered after the first publish).",
)
@click.option("--title", help="Podcast title (default 听新闻; remembered).")
@click.option("--description", help="Podcast description (remembered).")
@click.option("--author", help="Podcast author / publisher (remembered).")
@click.option(
    "--email",
    help="Owner's contact address, which podcast directories use to verify the show "
    "(itunes:owner; remembered).",
)
@click.option(
    "--cover",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Square PNG or JPEG, 1400–3000 px (default: a generated cover).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace files in FOLDER that publish did not write (your own index.html, feed.xml).",
)
def publish_command(
    folder: Path,
    base_url: str | None,
    title: str | None,
    description: str | None,
    author: str | None,
    email: str | None,
    cover: Path | None,
    force: bool,
) -> None:
    """Write feed.xml and a static site with the 听新闻 player for the briefings in FOLDER.

    FOLDER holds what `briefing make … -o FOLDER/NAME.mp3` wrote. Broken briefings are
    reported and skipped. Re-publishing keeps every episode's guid and URL.
    """
    from briefing.publish import PublishConfig, publish

    result = publish(
        PublishConfig(folder, base_url, title, description, author, cover, email, force)
    )
    for skipped in result.skipped:
        named = skipped.reason.startswith(skipped.metadata_file)
        where = "" if named else f" {skipped.metadata_file}"
        click.echo(f"Skipped{where}: {skipped.reason}", err=True)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    count = len(result.episodes)
    click.echo(
        f"Published {count} briefing{'s' if count != 1 else ''} in {folder}: "
        f"{result.channel.url('feed.xml')} and {result.channel.url('index.html')}"
    )


@click.command("serve")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0 picks a free one).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
def serve_command(folder: Path, port: int, host: str) -> None:
    """Serve a published FOLDER locally, with the Range requests audio seeking needs."""
    from briefing.publish.serve import is_loopback, make_server

    server = make_server(folder, host, port)
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    if not is_loopback(bound_host):
        click.echo(
            f"Warning: listening on {bound_host}, not only on this machine: anyone who can "
            f"reach it can read every file in {folder} (but hidden ones); "
            "use --host 127.0.0.1 unless you mean to share it",
            err=True,
        )
    click.echo(f"Serving {folder} at http://{bound_host}:{bound_port}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()
