"""Progress on stderr, unless --quiet: a bar with an ETA on a terminal, and
plain lines (one when a stage starts, then one every few seconds with its
percentage and ETA) when stderr is a file or a pipe, as in a log or CI."""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from briefing.article import clock
from briefing.cli import interrupts

PLAIN_INTERVAL_S = 5.0  # at most one plain line this often per stage


class TerminalProgress:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.terminal = sys.stderr.isatty()
        self._bar: Any = None
        self._stage = ""
        self._total = 0
        self._done = 0
        self._started = 0.0
        self._last_line = 0.0

    def note(self, message: str) -> None:
        if not self.quiet:
            self.finish()  # a note must not land on a half-drawn bar
            click.echo(message, err=True)

    def start(self, stage: str, total: int) -> None:
        interrupts.check()
        self.finish()
        if self.quiet:
            return
        self._stage, self._total, self._done = stage, total, 0
        self._started = self._last_line = time.monotonic()
        if self.terminal:
            self._bar = click.progressbar(
                length=total,
                label=stage,
                file=sys.stderr,
                show_eta=True,
                show_percent=True,
                show_pos=True,
            )
            self._bar.render_progress()
        else:
            click.echo(f"{stage}…", err=True)

    def advance(self, steps: int = 1) -> None:
        interrupts.check()
        if self.quiet or not self._stage:
            return
        self._done += steps
        if self._bar is not None:
            self._bar.update(steps)
            return
        now = time.monotonic()
        if now - self._last_line >= PLAIN_INTERVAL_S and self._done < self._total:
            self._last_line = now
            click.echo(f"{self._stage}: {self._status(now)}", err=True)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.render_finish()
            self._bar = None
        self._stage = ""

    def _status(self, now: float) -> str:
        """``42% (120 of 285), 1:20 left`` once the rate can be told."""
        percent = 100 * self._done // max(1, self._total)
        status = f"{percent}% ({self._done} of {self._total})"
        elapsed = now - self._started
        if self._done and elapsed > 0:
            left = elapsed * (self._total - self._done) / self._done
            status += f", about {clock(round(left * 1000))} left"
        return status
