"""Run the user's own pip (so their index, mirrors and proxy apply) for a voice
installer, passing its output on line by line, and stop it when it runs too long.

pip's output is read on a thread: a pip stalled on a dead connection prints
nothing, and a loop blocked on its next line would never reach the deadline.
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO

# The interpreter briefing runs in: what pip installs there, briefing can import.
# (Tests point it at a fake pip.)
PIP_COMMAND: tuple[str, ...] = (sys.executable, "-m", "pip")


class PipTimeout(Exception):
    """pip ran past its deadline and was stopped."""


@dataclass(frozen=True)
class PipResult:
    status: int
    lines: list[str]

    def last_error(self) -> str:
        """The line that best says why pip failed, for a one-line message."""
        errors = [line for line in self.lines if "error" in line.lower()]
        return (errors or self.lines or ["no output"])[-1]


def run_pip(
    arguments: Sequence[str],
    progress: Callable[[str], None],
    timeout_s: float,
) -> PipResult:
    """Run ``pip ARGUMENTS``, each output line to ``progress`` as ``  pip: …``.

    Raises OSError when pip cannot be started and PipTimeout (after killing
    it) when it has not finished within ``timeout_s``."""
    process = subprocess.Popen(
        [*PIP_COMMAND, *arguments, "--disable-pip-version-check", "--progress-bar", "off"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, encoding="utf-8", errors="replace",
    )  # fmt: skip
    assert process.stdout is not None
    output: queue.Queue[str | None] = queue.Queue()

    def read(stream: IO[str]) -> None:
        for raw in stream:
            output.put(raw)
        output.put(None)

    # A daemon: a grandchild of pip still holding the pipe must not keep us alive.
    threading.Thread(target=read, args=(process.stdout,), daemon=True).start()
    deadline = time.monotonic() + timeout_s
    lines: list[str] = []
    try:
        while (raw := output.get(timeout=max(0.0, deadline - time.monotonic()))) is not None:
            line = raw.strip()
            if line:
                lines.append(line)
                progress(f"  pip: {line}")
        status = process.wait(timeout=max(0.0, deadline - time.monotonic()))
    except (queue.Empty, subprocess.TimeoutExpired) as exc:
        process.kill()
        process.wait()
        raise PipTimeout(f"pip did not finish within {timeout_s:g} s") from exc
    except BaseException:
        process.kill()  # Ctrl-C: no pip left running behind us
        process.wait()
        raise
    return PipResult(status, lines)
