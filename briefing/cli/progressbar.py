"""A progress bar on stderr, only when stderr is a terminal and not --quiet."""

from __future__ import annotations

import sys
from typing import Any

import click


class TerminalProgress:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.enabled = not quiet and sys.stderr.isatty()
        self._bar: Any = None

    def note(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)

    def start(self, stage: str, total: int) -> None:
        self.finish()
        if self.enabled:
            self._bar = click.progressbar(
                length=total, label=stage, file=sys.stderr, show_eta=True, show_percent=True
            )
            self._bar.render_progress()

    def advance(self, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(steps)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.render_finish()
            self._bar = None
