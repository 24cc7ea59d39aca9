"""A voice plugin for briefing that hums: each Chinese syllable becomes a short
sine tone whose pitch follows its Mandarin tone (1 high and level, 2 rising,
3 dipping, 4 falling, neutral short and low). Everything else is a pause.

It keeps briefing's backend contract (``briefing.backends.base.Backend``) and is
found through the ``briefing.backends`` entry point in this package's
pyproject.toml: ``briefing make article.txt --backend tone``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from pypinyin import Style, lazy_pinyin

from briefing.backends.base import BackendBase, Speech, SpeechRequest, Voice, WordTiming

SAMPLE_RATE_HZ = 16_000
SYLLABLE_MS = 180  # at rate +0%
PAUSE_MS = 60  # for punctuation and anything that is not a Han character
BASE_PITCH_HZ = 220.0

# Each tone as (start, end) pitch, in semitones above the voice's base.
_CONTOURS = {"1": (7.0, 7.0), "2": (2.0, 7.0), "3": (1.0, -2.0), "4": (8.0, 0.0), "5": (2.0, 1.0)}


class ToneBackend(BackendBase):
    """The ``tone`` voice. ``base_pitch_hz`` sets how high it hums."""

    name = "tone"
    default_voice = "hum"
    max_chunk_chars = 200
    default_jobs = 1
    format_version = "1"
    auto_priority = None  # a demonstration: only when asked for by name

    def __init__(self, base_pitch_hz: float = BASE_PITCH_HZ) -> None:
        if base_pitch_hz <= 0:
            raise ValueError("base_pitch_hz must be positive")
        self.base_pitch_hz = base_pitch_hz

    def available(self) -> str | None:
        return None  # numpy and pypinyin are all it needs, and they are installed with it

    def voices(self) -> list[Voice]:
        return [Voice("tone", "hum", "Tone hum", "zh-CN", description="a sine tone per syllable")]

    def synthesize(
        self, requests: Sequence[SpeechRequest], jobs: int
    ) -> Iterator[tuple[int, Speech]]:
        for request in requests:
            yield request.index, self._hum(request)

    def _hum(self, request: SpeechRequest) -> Speech:
        settings = request.settings
        syllable_ms = SYLLABLE_MS / (1 + settings.rate_pct / 100)
        level = 0.3 * (1 + settings.volume_pct / 100)
        base = self.base_pitch_hz + settings.pitch_hz
        pieces, words, at_ms = [], [], 0.0
        for character in request.text:
            reading = _reading(character)
            if not reading:
                pieces.append(np.zeros(round(PAUSE_MS * SAMPLE_RATE_HZ / 1000)))
                at_ms += PAUSE_MS
                continue
            start, end = _CONTOURS[reading[-1]]
            pieces.append(_glide(base, start, end, syllable_ms, level))
            words.append(WordTiming(character, at_ms, syllable_ms))
            at_ms += syllable_ms
        samples = np.concatenate(pieces) if pieces else np.zeros(0)
        return Speech((samples * 32767).astype(np.int16), SAMPLE_RATE_HZ, tuple(words))


def _reading(character: str) -> str:
    """``zhong1``-style pinyin of a Han character; empty for anything else."""
    readings = lazy_pinyin(
        character, style=Style.TONE3, neutral_tone_with_five=True, errors="ignore"
    )
    reading = readings[0] if readings else ""
    return reading if reading[-1:].isdigit() else ""


def _glide(base_hz: float, start: float, end: float, ms: float, level: float) -> np.ndarray:
    """A sine gliding from ``start`` to ``end`` semitones above ``base_hz``,
    faded in and out so syllables do not click."""
    count = round(ms * SAMPLE_RATE_HZ / 1000)
    pitch_hz = base_hz * 2 ** (np.linspace(start, end, count) / 12)
    phase = 2 * np.pi * np.cumsum(pitch_hz) / SAMPLE_RATE_HZ
    from_edge = np.minimum(np.arange(count), np.arange(count)[::-1])
    fade = np.minimum(1.0, from_edge / (0.01 * SAMPLE_RATE_HZ))  # 10 ms ramps
    return level * np.sin(phase) * fade
