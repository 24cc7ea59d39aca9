"""The ``briefing`` command: thin click wrappers over the library.

Each command lives in its own module here and only parses options, calls the
library and prints. One ``except BriefingError`` turns any user error into a
single ``Error: …`` line and exit status 1; any other exception is a bug, told
in one line too, with exit status 70 (EX_SOFTWARE); ``--debug`` shows the
traceback.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

import click

from briefing import __version__
from briefing.cli import interrupts
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
            with _terminate_cleanly(), interrupts.stop_once():
                return super().invoke(ctx)
        except BriefingError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted; finished chunks are cached and a re-run resumes.", err=True)
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own: usage errors and exits it reports itself
        except Exception as exc:
            if (ctx.obj and ctx.obj.get("debug")) or _is_closed_pipe(exc):
                raise  # a closed pipe (briefing plan … | head) is click's to quiet
            click.echo(
                f"Error: internal error ({_summary(exc)}); run with --debug for the traceback",
                err=True,
            )
            ctx.exit(_EXIT_INTERNAL_ERROR)


_EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE in sysexits.h


def _is_closed_pipe(exc: Exception) -> bool:
    return isinstance(exc, OSError) and exc.errno == errno.EPIPE


def _summary(exc: Exception) -> str:
    """The exception's type and the first line of its message, kept short."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if len(message) > 120:
        message = message[:119] + "…"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


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
    from briefing.cli import cache, make, publish, readings, service, text, voices

    for module in (make, text, voices, publish, cache, readings, service):
        module.register(cli)


_register_commands()


def main() -> None:
    cli.main(prog_name="briefing")


if __name__ == "__main__":  # pragma: no cover
    main()
