"""A backend for timing arithmetic: each character becomes 100 ms of a 440 Hz
tone, so chunk lengths are known exactly. Real backends have their own tests.

Tests that go through the registry install it like a plugin package would
(the ``register_backends`` fixture in conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from briefing.backends.base import BackendBase, Speech, SpeechRequest, Voice

RATE_HZ = 24_000
MS_PER_CHAR = 100


def tone(ms: int, rate: int = RATE_HZ, level: float = 0.3) -> np.ndarray:
    t = np.arange(round(ms * rate / 1000)) / rate
    return (np.sin(2 * np.pi * 440 * t) * level * 32767).astype(np.int16)


class ToneBackend(BackendBase):
    name = "tone"
    default_voice = "a4"
    max_chunk_chars = 40
    default_jobs = 1
    format_version = "1"

    def __init__(self, fail_after: int | None = None) -> None:
        self.requests: list[str] = []
        self.fail_after = fail_after

    def available(self) -> str | None:
        return None

    def voices(self) -> list[Voice]:
        return [Voice("tone", "a4", "440 Hz")]

    def synthesize(
        self, requests: Sequence[SpeechRequest], jobs: int
    ) -> Iterator[tuple[int, Speech]]:
        from briefing.errors import SynthesisError

        for request in requests:
            if self.fail_after is not None and len(self.requests) >= self.fail_after:
                raise SynthesisError(f"tone backend refused {request.label}")
            self.requests.append(request.text)
            yield request.index, Speech(tone(len(request.text) * MS_PER_CHAR), RATE_HZ)


class FavouriteToneBackend(ToneBackend):
    """The tone voice, ranked above every built-in one for ``auto``."""

    auto_priority = 1_000_000
