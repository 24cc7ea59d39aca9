"""The ``briefing`` command: thin click wrappers over the library.

Each command lives in its own module here and only parses options, calls the
library and prints. One ``except BriefingError`` turns any user error into a
single ``Error: …`` line and exit status 1; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

import click

from briefing import __version__
from briefing.errors import BriefingError


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is so that it unwinds like Ctrl-C
    (a KeyboardInterrupt, because asyncio lets only those and SystemExit
    through its callbacks)."""


def _raise_terminated(signal_number: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not cut the cleanup short
    raise _Terminated


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """On SIGTERM, unwind first (temporary outputs removed, ffmpeg stopped),
    then die of the signal as the sender expects."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


class _BriefingGroup(click.Group):
    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            with _terminate_cleanly():
                return super().invoke(ctx)
        except BriefingError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted; finished chunks are cached and a re-run resumes.", err=True)
            ctx.exit(130)


@click.group(cls=_BriefingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefing")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn a Chinese news article into a spoken Mandarin audio briefing."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def _register_commands() -> None:
    # Imported here so each command module can import ``cli`` without a cycle.
    from briefing.cli import cache, make, publish, service, text, voices

    for module in (make, text, voices, publish, cache, service):
        module.register(cli)


_register_commands()


def main() -> None:
    cli.main(prog_name="briefing")


if __name__ == "__main__":  # pragma: no cover
    main()
