"""Ctrl-C on the command line: the program stops once and cleanly, however
many times it is pressed.

The first press raises KeyboardInterrupt, and the program unwinds (outputs
removed, encoder and workers stopped). Later presses are ignored: landing
in the middle of that cleanup, they could hang a process pool. Python can
lose the first press, though: raised inside a C callback (espeak's audio
callback, run by ctypes) it is printed and dropped. ``check`` raises it again
where the program reports progress, so a lost press still stops the run.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

_pressed = False


def _on_ctrl_c(signal_number: int, frame: FrameType | None) -> None:
    global _pressed
    if not _pressed:
        _pressed = True
        raise KeyboardInterrupt


def check() -> None:
    """Raise KeyboardInterrupt if Ctrl-C was pressed (and perhaps lost)."""
    if _pressed:
        raise KeyboardInterrupt


@contextlib.contextmanager
def stop_once() -> Iterator[None]:
    """Handle Ctrl-C as above inside the block (from the main thread only)."""
    global _pressed
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _pressed = False
    previous = signal.signal(signal.SIGINT, _on_ctrl_c)
    try:
        yield
    finally:
        # Once pressed, Ctrl-C stays ignored (SIG_IGN, which the interpreter
        # keeps while it exits: a handler of ours it would reset to the
        # default, and a press then would kill it half-way through its exit).
        signal.signal(signal.SIGINT, signal.SIG_IGN if _pressed else previous)
