"""``briefing server``, ``briefing worker`` and ``briefing token create``: the newsroom service."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from briefing.errors import InputError

# Tests serve their articles on 127.0.0.1; nothing else may lift the loopback ban.
_TEST_LOOPBACK = "BRIEFING_SERVICE_TEST_ALLOW_LOOPBACK"

root_option = click.option(
    "--root",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder of briefings, feed and site (shared by every worker).",
)


def register(cli: click.Group) -> None:
    cli.add_command(server)
    cli.add_command(worker)
    cli.add_command(token)


def _policy(domains: list[str]):  # type: ignore[no-untyped-def]
    from briefing.service.fetch import FetchPolicy

    return FetchPolicy(frozenset(domains), allow_loopback=os.environ.get(_TEST_LOOPBACK) == "1")


@click.command()
@root_option
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--broker", metavar="URL", help="redis://… to share the queue with workers.")
@click.option(
    "--allow-domain",
    "domains",
    multiple=True,
    metavar="DOMAIN",
    help="A domain whose articles may be fetched, with its subdomains (repeat; remembered).",
)
@click.option("--base-url", help="Public address of the service [default: http://HOST:PORT].")
@click.option("--review", is_flag=True, help="Jobs finish as drafts until …/publish is called.")
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    help="Jobs made at once in this process [default: 1; 0 with --broker].",
)
def server(
    root: Path,
    port: int,
    host: str,
    broker: str | None,
    domains: tuple[str, ...],
    base_url: str | None,
    review: bool,
    workers: int | None,
) -> None:
    """Run the HTTP API, the feed and site, and (by default) a worker, on ROOT."""
    from briefing import service

    service.require(broker)
    import uvicorn

    from briefing.service import fetch, queue
    from briefing.service.api import create_app
    from briefing.service.jobs import JobStore
    from briefing.service.root import Root, Settings

    place = Root(root)
    place.create()
    stored = place.load_settings() if place.settings_file.exists() else None
    settings = Settings(
        base_url=(base_url or f"http://{host}:{port}").rstrip("/"),
        domains=[fetch.normalise_domain(d) for d in domains] or (stored.domains if stored else []),
        review=review,
    )
    place.save_settings(settings)
    policy = _policy(settings.domains)
    dramatiq_broker = queue.make_broker(broker)
    actor = queue.declare(dramatiq_broker, place, queue.edge_slots(broker))
    running = None
    if workers is None:
        workers = 0 if broker else 1
    if workers:
        fetch.install(policy)
        running = queue.start_worker(dramatiq_broker, workers)
    if broker is None:
        resent = queue.resend_unfinished(actor, JobStore(place))
        if resent:
            click.echo(f"Queued again {resent} unfinished job{'s' if resent != 1 else ''}.")
    if not settings.domains:
        click.echo("No --allow-domain given: only text and HTML can be submitted.", err=True)
    click.echo(f"Serving {root} at http://{host}:{port}/ (API under /v1, Ctrl-C stops)")
    try:
        uvicorn.run(
            create_app(place, settings, policy, actor), host=host, port=port, log_level="warning"
        )
    finally:
        if running is not None:
            running.stop(timeout=5_000)


@click.command()
@root_option
@click.option("--broker", metavar="URL", required=True, help="The server's redis://… broker.")
@click.option(
    "--threads", type=click.IntRange(1, 64), default=1, show_default=True, help="Jobs at once."
)
def worker(root: Path, broker: str, threads: int) -> None:
    """Make the briefings queued on BROKER, into ROOT (a folder shared with the server)."""
    from briefing import service

    service.require(broker)
    from briefing.service import fetch, queue
    from briefing.service.root import Root

    place = Root(root)
    settings = place.load_settings()
    fetch.install(_policy(settings.domains))
    dramatiq_broker = queue.make_broker(broker)
    queue.declare(dramatiq_broker, place, queue.edge_slots(broker))
    running = queue.start_worker(dramatiq_broker, threads)
    click.echo(f"Worker on {broker} for {root} ({threads} at once; Ctrl-C stops)")
    try:
        while True:
            time.sleep(3600)
    finally:
        running.stop(timeout=5_000)


@click.group()
def token() -> None:
    """Tokens for the service's write endpoints."""


@token.command("create")
@root_option
def token_create(root: Path) -> None:
    """Print a new token (shown once: only its hash is stored)."""
    from briefing.service import tokens
    from briefing.service.root import Root

    if not root.is_dir():
        raise InputError(f"{root} does not exist; create it or start `briefing server` on it")
    place = Root(root)
    place.private.mkdir(exist_ok=True)
    click.echo("New token for Authorization: Bearer … (only its hash is stored):", err=True)
    click.echo(tokens.create(place))
