"""How the library reports progress without printing: the CLI draws a bar."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, stage: str, total: int) -> None:
        """A stage begins with ``total`` steps (chunks to say, seconds to encode…)."""

    def advance(self, steps: int = 1) -> None: ...

    def finish(self) -> None: ...

    def note(self, message: str) -> None:
        """Something the user should know (which voice is speaking…)."""


class NoProgress:
    """Reports nothing: the default when the library is used from Python."""

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass

    def note(self, message: str) -> None:
        pass
