"""``briefing cache``: where synthesised chunks are kept, how many, how big;
``briefing cache clear`` deletes them (the next run synthesises afresh)."""

from __future__ import annotations

import click

from briefing.cache import ChunkCache


def human_size(size_bytes: int) -> str:
    """1536 → '1.5 KB' (powers of 1024, one decimal above bytes)."""
    size = float(size_bytes)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size_bytes} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


@click.group(invoke_without_command=True)
@click.pass_context
def cache(ctx: click.Context) -> None:
    """Show the cache of synthesised chunks (BRIEFING_CACHE_DIR moves it)."""
    if ctx.invoked_subcommand is not None:
        return
    store = ChunkCache()
    entries, size = store.stats()
    click.echo(f"{store.directory}")
    click.echo(f"{entries} chunk{'' if entries == 1 else 's'}, {human_size(size)}")


@cache.command()
def clear() -> None:
    """Delete every cached chunk."""
    store = ChunkCache()
    _, size = store.stats()
    removed = store.clear()
    click.echo(
        f"Removed {removed} chunk{'' if removed == 1 else 's'} ({human_size(size)}) "
        f"from {store.directory}"
    )


def register(cli: click.Group) -> None:
    cli.add_command(cache)
