"""Stitch chunk audio into one programme: pauses, loudness, MP3.

Pauses follow the text's structure (clause < sentence < paragraph < section),
so a listener hears where a thought ends. Samples are gathered in a list and
joined once, so assembly time grows linearly with length. Loudness is
normalised to the podcast norm for mono speech, −19 LUFS integrated (ITU-R
BS.1770-4, measured with pyloudnorm), with true peak at most −1 dBTP.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from briefing import ffmpeg
from briefing.article import Article, Boundary, Chapter, Cue
from briefing.backends.base import Speech
from briefing.errors import AudioError, OutputError

log = logging.getLogger(__name__)

PAUSE_MS = {
    Boundary.CLAUSE: 180,
    Boundary.SENTENCE: 420,
    Boundary.PARAGRAPH: 800,
    Boundary.SECTION: 1500,
}
LEAD_IN_MS = 300
TAIL_MS = 900
TARGET_LUFS_MONO = -19.0
TRUE_PEAK_CEILING_DBTP = -1.0
# MP3 encoding overshoots peaks by a few tenths of a dB; limit below the ceiling.
_LIMITER_CEILING_DBTP = TRUE_PEAK_CEILING_DBTP - 0.7
MP3_BITRATE = "64k"
_SILENCE_THRESHOLD = 10 ** (-45 / 20)  # −45 dBFS: below this a chunk's edge is silence


@dataclass
class Programme:
    """The stitched audio (float32 in −1..1) and where everything sits in it."""

    samples: np.ndarray
    sample_rate_hz: int
    chapters: list[Chapter]
    cues: list[Cue]

    @property
    def duration_ms(self) -> int:
        return _ms(len(self.samples), self.sample_rate_hz)


def _ms(sample_count: int, rate: int) -> int:
    return round(sample_count * 1000 / rate)


def stitch(article: Article, speeches: Sequence[Speech | None]) -> Programme:
    """Lay the chunks' audio end to end with structural pauses; place chapters
    and one subtitle cue per sentence."""
    chunks = article.chunks
    if len(chunks) != len(speeches):
        raise ValueError("one speech (or None) per chunk is required")
    rate = next((s.sample_rate_hz for s in speeches if s is not None), 0)
    if not rate:
        raise AudioError("no chunk produced any audio; the article has nothing speakable")

    parts: list[np.ndarray] = [_silence(LEAD_IN_MS, rate)]
    position = len(parts[0])
    chunk_starts: list[int] = []
    spans: list[tuple[int, int] | None] = []  # voiced extent of each chunk, in samples
    for chunk, speech in zip(chunks, speeches, strict=True):
        chunk_starts.append(position)
        if speech is None:
            spans.append(None)
        else:
            samples = _at_rate(speech, rate)
            first, last = _voiced_extent(speech, samples, rate)
            spans.append((position + first, position + last))
            parts.append(samples)
            position += len(samples)
        pause = _silence(PAUSE_MS[chunk.boundary], rate)
        parts.append(pause)
        position += len(pause)
    # The final section pause is replaced by a short tail.
    position -= len(parts.pop())
    parts.append(_silence(TAIL_MS, rate))
    position += len(parts[-1])
    audio = np.concatenate(parts).astype(np.float32) / 32768.0

    chapters = _chapters(article, chunk_starts, position, rate)
    cues = _cues(article, spans, rate)
    return Programme(audio, rate, chapters, cues)


def _silence(ms: int, rate: int) -> np.ndarray:
    return np.zeros(round(ms * rate / 1000), dtype=np.int16)


def _at_rate(speech: Speech, rate: int) -> np.ndarray:
    if speech.sample_rate_hz == rate:
        return speech.samples
    from math import gcd

    from scipy.signal import resample_poly

    divisor = gcd(rate, speech.sample_rate_hz)
    resampled = resample_poly(
        speech.samples.astype(np.float32), rate // divisor, speech.sample_rate_hz // divisor
    )
    return np.clip(resampled, -32768, 32767).astype(np.int16)


def _voiced_extent(speech: Speech, samples: np.ndarray, rate: int) -> tuple[int, int]:
    """Where speech is heard within a chunk: from the backend's word timings
    when it gives them, else from the first to the last sample above −45 dBFS."""
    if speech.words:
        start = round(speech.words[0].start_ms * rate / 1000)
        end = round((speech.words[-1].start_ms + speech.words[-1].duration_ms) * rate / 1000)
        if 0 <= start < end:
            return start, min(end, len(samples))
    loud = np.flatnonzero(np.abs(samples) > _SILENCE_THRESHOLD * 32768)
    if len(loud) == 0:
        return 0, len(samples)
    return int(loud[0]), int(loud[-1]) + 1


def _chapters(article: Article, chunk_starts: list[int], total: int, rate: int) -> list[Chapter]:
    """Chapters tile the programme: each starts where its first chunk starts
    (the first at 0) and ends where the next begins (the last at the end)."""
    starts = []
    index = 0
    for section in article.sections:
        starts.append(0 if index == 0 else chunk_starts[index])
        index += len(section.chunks)
    ends = starts[1:] + [total]
    return [
        Chapter(section.title, _ms(start, rate), _ms(end, rate))
        for section, start, end in zip(article.sections, starts, ends, strict=True)
    ]


def _cues(article: Article, spans: list[tuple[int, int] | None], rate: int) -> list[Cue]:
    """One cue per sentence: pieces of a split sentence are shown together."""
    cues = []
    text, first, last = "", None, None
    for chunk, span in zip(article.chunks, spans, strict=True):
        text += chunk.text
        if span is not None:
            first = span[0] if first is None else first
            last = span[1]
        if chunk.boundary >= Boundary.SENTENCE:
            if first is not None and last is not None:
                cues.append(Cue(_ms(first, rate), _ms(last, rate), text.strip()))
            text, first, last = "", None, None
    return cues


def normalize_loudness(samples: np.ndarray, rate: int) -> np.ndarray:
    """Gain to −19 LUFS integrated, then a look-ahead limiter keeps true peak ≤ −1 dBTP."""
    import pyloudnorm

    if len(samples) < rate:  # BS.1770 gating needs at least a few 400 ms blocks
        return samples
    loudness = pyloudnorm.Meter(rate).integrated_loudness(samples)
    if not np.isfinite(loudness):
        return samples  # silence stays silence
    gained = samples * np.float32(10 ** ((TARGET_LUFS_MONO - loudness) / 20))
    return _limit_true_peaks(gained, 10 ** (_LIMITER_CEILING_DBTP / 20), rate)


def prepare_in_background() -> None:
    """Import the audio libraries (scipy.signal alone takes about a second) in
    a thread, so that it happens while synthesis waits on its backend."""
    threading.Thread(target=_import_audio_libraries, name="audio-imports", daemon=True).start()


def _import_audio_libraries() -> None:
    import pyloudnorm  # noqa: F401  (imports scipy.signal)
    import scipy.ndimage  # noqa: F401


# Oversampling (for true peak) runs only where the sample peak is within 4 dB
# of the ceiling: speech at 16–48 kHz has far smaller intersample overshoots,
# and skipping quiet blocks makes limiting cost follow the peaks, not the length.
_INTERSAMPLE_HEADROOM = 10 ** (4 / 20)
_BLOCK = 4096
_FILTER_MARGIN = 64  # input samples the 4× interpolation filter reaches


def _oversampled_peaks(samples: np.ndarray) -> np.ndarray:
    """Per sample, the largest magnitude of the signal oversampled 4× (BS.1770-4
    Annex 2) between it and the next sample."""
    from scipy.signal import resample_poly

    upsampled = np.abs(resample_poly(samples.astype(np.float32), 4, 1))
    return upsampled[: 4 * len(samples)].reshape(-1, 4).max(axis=1)


def true_peak(samples: np.ndarray) -> float:
    """The true peak of ``samples`` (linear), computed in blocks so memory stays flat."""
    peak, block = 0.0, 1 << 20
    for start in range(0, len(samples), block):
        lo, hi = max(0, start - _FILTER_MARGIN), min(len(samples), start + block + _FILTER_MARGIN)
        envelope = _oversampled_peaks(samples[lo:hi])[start - lo : start - lo + block]
        peak = max(peak, float(envelope.max(initial=0.0)))
    return peak


def _limit_true_peaks(samples: np.ndarray, ceiling: float, rate: int) -> np.ndarray:
    """Look-ahead limiter on true peaks: around each true peak above the ceiling
    the gain is at most ceiling/peak for every peak within ±5 ms, smoothed over
    2.5 ms, so it is never above what a nearby peak needs and changes without
    clicks. Only the stretches near loud peaks are touched."""
    from scipy.ndimage import maximum_filter1d, uniform_filter1d

    window = max(3, int(rate * 0.005))
    reach = 2 * window + _FILTER_MARGIN
    blocks = len(samples) // _BLOCK + 1
    padded = np.zeros(blocks * _BLOCK, np.float32)
    padded[: len(samples)] = np.abs(samples)
    hot = np.flatnonzero(
        padded.reshape(blocks, _BLOCK).max(axis=1) > ceiling / _INTERSAMPLE_HEADROOM
    )
    if len(hot) == 0:
        return samples
    limited = samples.copy()
    # Runs of consecutive hot blocks become one stretch, widened so the gain is
    # back at 1 where a stretch meets untouched audio.
    breaks = np.flatnonzero(np.diff(hot) > 1)
    for first, last in zip(
        np.concatenate(([hot[0]], hot[breaks + 1])),
        np.concatenate((hot[breaks], [hot[-1]])),
        strict=True,
    ):
        lo = max(0, int(first) * _BLOCK - reach)
        hi = min(len(samples), (int(last) + 1) * _BLOCK + reach)
        stretch = samples[lo:hi]
        envelope = _oversampled_peaks(stretch)
        if envelope.max() <= ceiling:
            continue
        peak_hold = maximum_filter1d(envelope, size=2 * window + 1)
        gain = np.minimum(np.float32(1.0), np.float32(ceiling) / np.maximum(peak_hold, 1e-9))
        limited[lo:hi] = stretch * uniform_filter1d(gain, size=window // 2 * 2 + 1)
    return limited


def encode_mp3(samples: np.ndarray, rate: int, path: Path) -> None:
    """Encode float samples (−1..1) as mono MP3 at ``path`` (an exact path; no tags yet)."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16)
    try:
        ffmpeg.encode_mp3(pcm, rate, path, MP3_BITRATE)
    except OSError as exc:
        raise OutputError.writing(path, exc) from exc
