"""Lay the chunks' audio out as one programme and stream it into the MP3 encoder.

Pauses follow the text's structure (clause < sentence < paragraph < section),
so a listener hears where a thought ends. Chunks arrive from the backend in
any order; each is laid out as soon as every chunk before it is in, and goes
straight on to the encoder, so encoding runs while the backend is still
speaking and little is left to do once its last chunk arrives.

Loudness is normalised to the podcast norm for mono speech, −19 LUFS
integrated (ITU-R BS.1770-4), with true peak at most −1 dBTP. One gain serves
the whole programme, so the voice keeps its natural rise and fall from
sentence to sentence. It has to be chosen before the first sample is encoded,
so it is set from the opening minute (LoudnessMeter, below), and the MP3 is then
measured whole as a listener hears it (ffmpeg's ebur128 on the MP3, decoded
again as it is written). A synthetic voice is even enough that its opening
minute predicts the whole to a few tenths of a LU (0.35 at most over ten
articles and two voices); when it misses by more than the 0.5 LU EBU R128
allows, the programme is encoded again with the gain set from the whole of it.

Memory does not grow with the programme: audio goes on to the encoder as it
is laid out, and what a second encoding would need is kept in an unnamed
temporary file beside the MP3 (raw PCM, about 160 MB an hour), not in memory.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np

from briefing.article import Article, Boundary, Chapter, Cue
from briefing.backends.base import Speech
from briefing.errors import AudioError
from briefing.ffmpeg import Mp3Encoder, ffmpeg_exe
from briefing.progress import NoProgress, Progress

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
LOUDNESS_TOLERANCE_LU = 0.5
OPENING_S = 60
TRUE_PEAK_CEILING_DBTP = -1.0
# MP3 encoding overshoots peaks by a few tenths of a dB; limit below the ceiling.
_LIMITER_CEILING_DBTP = TRUE_PEAK_CEILING_DBTP - 0.7
_SILENT_LUFS = -70.0  # BS.1770's absolute gate: nothing louder was heard
MP3_BITRATE = "64k"
# LAME scales its input by 0.95 at constant bitrates up to 160 kbit/s (the
# "scale" column of its ABR preset table), so the MP3 plays 0.45 dB quieter
# than the samples it was given; the gain makes up for it.
_ENCODER_SCALE = 0.95
_SILENCE_THRESHOLD = 10 ** (-45 / 20)  # −45 dBFS: below this a chunk's edge is silence
_SPOOL_BLOCK_SAMPLES = 1 << 22  # read back in blocks of ~3 minutes at 22–24 kHz


@dataclass
class Programme:
    """The finished programme: where everything sits in it, and how loud it is."""

    duration_ms: int
    chapters: list[Chapter]
    cues: list[Cue]
    loudness_lufs: float


def _ms(sample_count: int, rate: int) -> int:
    return round(sample_count * 1000 / rate)


class Timeline:
    """The chunks laid end to end in article order, with structural pauses,
    one subtitle cue per chunk and one chapter per section.

    ``add`` takes chunks in any order and returns the pieces of audio (int16)
    that can now be laid out: those of every chunk whose predecessors have
    all arrived. Only chunks that wait for an earlier one are held; what is
    laid out is the caller's to keep or pass on. The sample rate is that of
    the first chunk with audio, in the article's order (a backend's chunks
    share one); others are resampled to it. What is laid out does not depend
    on the order chunks arrive in.
    """

    def __init__(self, article: Article) -> None:
        self._article = article
        self._boundaries = [chunk.boundary for chunk in article.chunks]
        self._waiting: dict[int, Speech | None] = {}
        self._next = 0  # the first chunk not yet laid out
        self.rate = 0
        self.length = 0  # samples laid out so far
        self._chunk_starts: list[int] = []
        self._spans: list[tuple[int, int] | None] = []  # voiced extent of each chunk

    @property
    def complete(self) -> bool:
        return self._next == len(self._boundaries)

    def add(self, index: int, speech: Speech | None) -> list[np.ndarray]:
        if not 0 <= index < len(self._boundaries) or index < self._next or index in self._waiting:
            raise ValueError(f"chunk {index} is not awaited")
        self._waiting[index] = speech
        if not self.rate:
            self.rate = self._first_rate()
        laid_out: list[np.ndarray] = []
        while self.rate and self._next in self._waiting:
            laid_out.append(self._lay_out(self._next, self._waiting.pop(self._next)))
            self._next += 1
        if not self.rate and len(self._waiting) == len(self._boundaries):
            raise AudioError("no chunk produced any audio; the article has nothing speakable")
        return laid_out

    def _first_rate(self) -> int:
        """The rate of the first chunk with audio, once every chunk before it is in; else 0."""
        index = 0
        while index in self._waiting:
            speech = self._waiting[index]
            if speech is not None:
                return speech.sample_rate_hz
            index += 1
        return 0

    def _lay_out(self, index: int, speech: Speech | None) -> np.ndarray:
        """The chunk's audio (after the lead-in, for the first) and the pause
        after it (the tail, for the last)."""
        parts = [_silence(LEAD_IN_MS, self.rate)] if index == 0 else []
        start = self.length + sum(map(len, parts))
        self._chunk_starts.append(start)
        if speech is None:
            self._spans.append(None)
        else:
            samples = _at_rate(speech, self.rate)
            first, last = _voiced_extent(speech, samples, self.rate)
            self._spans.append((start + first, start + last))
            parts.append(samples)
        last_chunk = index == len(self._boundaries) - 1
        parts.append(
            _silence(TAIL_MS if last_chunk else PAUSE_MS[self._boundaries[index]], self.rate)
        )
        piece = np.concatenate(parts)
        self.length += len(piece)
        return piece

    @property
    def duration_ms(self) -> int:
        return _ms(self.length, self.rate)

    def chapters(self) -> list[Chapter]:
        """Chapters tile the programme: each starts where its first chunk starts
        (the first at 0) and ends where the next begins (the last at the end)."""
        starts = []
        index = 0
        for section in self._article.sections:
            starts.append(0 if index == 0 else self._chunk_starts[index])
            index += len(section.chunks)
        ends = starts[1:] + [self.length]
        return [
            Chapter(section.title, _ms(start, self.rate), _ms(end, self.rate))
            for section, start, end in zip(self._article.sections, starts, ends, strict=True)
        ]

    def cues(self) -> list[Cue]:
        """Cues in order, none overlapping: each chunk with a voice is shown
        from where the voice starts to where it stops, so a sentence too long
        for one chunk (a page without full stops) is shown in the pieces it is
        said in, never as one cue of many minutes. A chunk said for longer
        than a subtitle should stay up is shown clause by clause, each clause
        given time in proportion to the characters said in it. A silent chunk
        (``……``) says nothing, so it has no cue: the paragraph it ends ends
        with the cue before it."""
        cues: list[Cue] = []
        for chunk, span in zip(self._article.chunks, self._spans, strict=True):
            ends_paragraph = chunk.boundary >= Boundary.PARAGRAPH
            if span is None:
                if ends_paragraph and cues:
                    cues[-1] = dataclasses.replace(cues[-1], paragraph_end=True)
                continue
            start, end = _ms(span[0], self.rate), _ms(span[1], self.rate)
            pieces = _clauses(chunk.text) if end - start > MAX_CUE_MS else [chunk.text]
            weights = [max(1, sum(ch.isalnum() for ch in piece)) for piece in pieces]
            total, said = sum(weights), 0
            for number, (piece, weight) in enumerate(zip(pieces, weights, strict=True), 1):
                first = start + (end - start) * said // total
                said += weight
                last = ends_paragraph and number == len(pieces)
                cues.append(Cue(first, start + (end - start) * said // total, piece.strip(), last))
        return cues


# A subtitle up longer than this is shown clause by clause instead.
MAX_CUE_MS = 10_000
_CLAUSE_CHARS = 12  # clauses shorter than this join the next one in a cue
_CLAUSE = re.compile(r".+?(?:[，、；：,;:。！？!?…]+[”’」』）)》\]\"']*|$)", re.S)


def _clauses(text: str) -> list[str]:
    """``text`` cut after clause punctuation into pieces of about
    ``_CLAUSE_CHARS`` characters or more; joined, they give it back."""
    pieces: list[str] = []
    current = ""
    for clause in _CLAUSE.findall(text):
        current += clause
        if len(current) >= _CLAUSE_CHARS:
            pieces.append(current)
            current = ""
    if current:  # a short tail joins the piece before it
        if pieces and len(current) < _CLAUSE_CHARS // 2:
            pieces[-1] += current
        else:
            pieces.append(current)
    return [piece for piece in pieces if piece.strip()] or [text]


class Assembler:
    """Streams an article's programme into an MP3 at ``path`` as its chunks
    arrive (``add``), and finishes it (``finish``). Use it as a context
    manager: leaving the block early stops the encoder at once."""

    def __init__(self, article: Article, path: Path) -> None:
        self._timeline = Timeline(article)
        self._path = path
        self._gain = 1.0  # linear; set from the opening before anything is encoded
        self._encoder: Mp3Encoder | None = None
        self._opening: list[np.ndarray] = []  # laid out before the encoder started
        # Unnamed (gone with the process however it ends), and beside the MP3
        # rather than in /tmp, which is often memory (tmpfs). Closed in __exit__.
        self._spool = tempfile.TemporaryFile(  # noqa: SIM115
            prefix=".briefing-pcm-", dir=path.parent
        )

    def __enter__(self) -> Assembler:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if self._encoder is not None:
                self._encoder.abort()
                self._encoder = None
        finally:
            self._spool.close()

    def add(self, index: int, speech: Speech | None) -> None:
        """Chunk ``index``'s speech (None: it has nothing to say), in any order."""
        timeline = self._timeline
        pieces = timeline.add(index, speech)
        for piece in pieces:
            self._spool.write(piece.astype("<i2", copy=False).tobytes())
        if self._encoder is not None:
            self._encode(self._encoder, pieces)
            return
        self._opening += pieces
        opening = OPENING_S * timeline.rate
        if timeline.rate and (timeline.complete or timeline.length >= opening):
            # Exactly the opening minute, however much more has arrived: the
            # gain, and so the MP3, must not depend on the order chunks came in.
            self._start_encoder(np.concatenate(self._opening)[:opening], self._opening)
            self._opening = []

    def finish(self, progress: Progress | None = None) -> Programme:
        """Wait for the encoder and return the programme; every chunk must be in.

        Raises AudioError, or OSError when the disk is full."""
        progress = progress or NoProgress()
        timeline = self._timeline
        if not timeline.complete:
            raise ValueError("finish() before every chunk was added")
        if self._encoder is None:  # only an article without chunks gets here
            raise AudioError("the article has nothing to read aloud")
        progress.start("Finishing the MP3", 1)
        loudness = self._close_encoder()
        progress.advance()
        miss = TARGET_LUFS_MONO - loudness
        gain_was_set_from_whole = timeline.length <= OPENING_S * timeline.rate
        if (
            loudness > _SILENT_LUFS
            and abs(miss) > LOUDNESS_TOLERANCE_LU
            and not gain_was_set_from_whole
        ):
            log.info("the opening set the loudness %+.2f LU off target; encoding again", -miss)
            loudness = self._encode_again(progress)
        return Programme(timeline.duration_ms, timeline.chapters(), timeline.cues(), loudness)

    def _encode_again(self, progress: Progress) -> float:
        """Encode the whole programme again from the spool, with the gain set
        from the whole of it (measured first, in a pass of its own): set, not
        corrected by the miss, because where the limiter worked hard the
        measurement understates how loud the gain made it."""
        rate = self._timeline.rate
        seconds = self._timeline.length // rate
        progress.start("Levelling the whole programme (seconds of audio)", 2 * seconds)
        meter = LoudnessMeter(rate)
        for block in self._spooled():
            meter.add(_as_float(block))
            progress.advance(len(block) // rate)
        self._gain = _gain_for(meter.integrated()) / _ENCODER_SCALE
        self._encoder = Mp3Encoder(self._path, rate, MP3_BITRATE)
        for block in self._spooled():
            self._encode(self._encoder, [block])
            progress.advance(len(block) // rate)
        return self._close_encoder()

    def _spooled(self) -> Iterator[np.ndarray]:
        """Every sample laid out so far, read back in blocks."""
        self._spool.seek(0)
        while block := self._spool.read(2 * _SPOOL_BLOCK_SAMPLES):
            yield np.frombuffer(block, dtype="<i2").astype(np.int16, copy=False)

    def _start_encoder(self, measured: np.ndarray, pieces: list[np.ndarray]) -> None:
        """Set the gain from ``measured`` and start encoding with ``pieces``."""
        rate = self._timeline.rate
        self._gain = gain_to_target(_as_float(measured), rate) / _ENCODER_SCALE
        self._encoder = Mp3Encoder(self._path, rate, MP3_BITRATE)
        self._encode(self._encoder, pieces)

    def _close_encoder(self) -> float:
        # Forgotten only once closed: if closing is interrupted (Ctrl-C),
        # leaving the with-block still kills ffmpeg.
        assert self._encoder is not None
        loudness = self._encoder.close()
        self._encoder = None
        return loudness

    def _encode(self, encoder: Mp3Encoder, pieces: list[np.ndarray]) -> None:
        for piece in pieces:
            encoder.write(level(piece, self._gain, self._timeline.rate))


class LoudnessMeter:
    """Integrated loudness (ITU-R BS.1770-4, K-weighted and gated, as pyloudnorm
    measures it) of mono audio fed piece by piece. It keeps one number per
    100 ms of audio, not the audio: a day of speech costs 7 MB."""

    _BLOCK_S = 0.4  # gating block
    _STEPS_PER_BLOCK = 4  # blocks overlap by 75%: one starts every 100 ms

    def __init__(self, rate: int) -> None:
        self._rate = rate
        self._filter = _KWeighting(rate)
        self._step = round(rate * self._BLOCK_S / self._STEPS_PER_BLOCK)
        self._energies: list[float] = []  # sum of squares of each whole 100 ms step
        self._partial = np.zeros(0)  # filtered samples of the step under way
        self._samples = 0

    def add(self, samples: np.ndarray) -> None:
        """Feed float ``samples`` (−1…1), continuing what was fed before."""
        for start in range(0, len(samples), _KWeighting.BLOCK):
            filtered = self._filter(samples[start : start + _KWeighting.BLOCK])
            self._samples += len(filtered)
            pending = np.concatenate([self._partial, filtered])
            whole = len(pending) // self._step * self._step
            squares = np.square(pending[:whole]).reshape(-1, self._step).sum(axis=1)
            self._energies.extend(squares.tolist())
            self._partial = pending[whole:]

    def integrated(self) -> float:
        """The integrated loudness in LUFS of all that was fed; −inf for silence
        or for less than one gating block."""
        steps = np.array([*self._energies, float(np.square(self._partial).sum())])
        duration = self._samples / self._rate
        if duration < self._BLOCK_S:
            return -math.inf
        blocks = int(np.round((duration - self._BLOCK_S) * self._STEPS_PER_BLOCK / self._BLOCK_S))
        running = np.concatenate([[0.0], np.cumsum(steps)])
        starts = np.arange(blocks + 1)
        ends = np.minimum(starts + self._STEPS_PER_BLOCK, len(steps))
        power = (running[ends] - running[starts]) / (self._BLOCK_S * self._rate)
        with np.errstate(divide="ignore"):
            loudness = -0.691 + 10 * np.log10(power)
        audible = power[loudness >= _SILENT_LUFS]
        if len(audible) == 0:
            return -math.inf
        relative_gate = -0.691 + 10 * np.log10(audible.mean()) - 10
        kept = power[(loudness > relative_gate) & (loudness > _SILENT_LUFS)]
        return float(-0.691 + 10 * np.log10(kept.mean())) if len(kept) else -math.inf


class _KWeighting:
    """BS.1770's K-weighting (a high shelf for the head, then a 38 Hz high
    pass) at any rate, applied block by block and continuing across blocks.

    The two biquads come from the analog prototypes by the bilinear transform
    (the audio-EQ cookbook's shelf and high pass, with pyloudnorm's parameters:
    at 48 kHz within 1.1e-4 of the standard's table). A recursive filter is slow
    sample by sample in numpy, so each block's output is summed from three
    parts, each exact: the block alone through both filters from rest (an FFT
    convolution with their impulse response, which is exact over a block's
    length), and the decay of each filter's state from the block before. The
    filters stay two biquads, never one fourth-order filter: its four poles
    near 1 would cost precision at high rates."""

    BLOCK = 1 << 15  # samples filtered at a time: float64 copies stay small

    def __init__(self, rate: int) -> None:
        self._shelf = _Biquad(*_cookbook_biquad("high_shelf", 4.0, 1 / math.sqrt(2), 1500.0, rate))
        self._high_pass = _Biquad(*_cookbook_biquad("high_pass", 0.0, 0.5, 38.0, rate))
        spectrum = functools.partial(np.fft.rfft, n=2 * self.BLOCK)
        # Through both, the input; through the high pass, the shelf's state.
        self._both = spectrum(
            np.fft.irfft(spectrum(self._shelf.response) * spectrum(self._high_pass.response))[
                : self.BLOCK
            ]
        )
        self._shelf_state_to_output = np.fft.irfft(
            spectrum(self._shelf.decay) * spectrum(self._high_pass.response)
        )[: self.BLOCK]

    def __call__(self, block: np.ndarray) -> np.ndarray:
        """The filtered ``block`` (at most BLOCK samples), as float64."""
        samples = block.astype(np.float64)
        size = len(samples)
        shelf_state, pass_state = self._shelf.state(), self._high_pass.state()
        filtered = np.fft.irfft(np.fft.rfft(samples, 2 * self.BLOCK) * self._both)[:size]
        filtered += np.convolve(shelf_state, self._shelf_state_to_output[:size])[:size]
        filtered += np.convolve(pass_state, self._high_pass.decay[:size])[:size]
        # The shelf's last outputs (the high pass's last inputs), for the next states.
        shelved = np.array(
            [
                samples[: n + 1] @ self._shelf.response[n::-1]
                + shelf_state[: n + 1] @ self._shelf.decay[n::-1][:2]
                for n in range(max(0, size - 2), size)
            ]
        )
        self._shelf.remember(samples[-2:], shelved)
        self._high_pass.remember(shelved, filtered[-2:])
        return filtered


class _Biquad:
    """One second-order section (b, a with a[0] = 1): its impulse responses
    over a block, and its last two inputs and outputs."""

    def __init__(self, b: np.ndarray, a: np.ndarray) -> None:
        self._b, self._a = b, a
        decay = [0.0, 1.0]  # the impulse response of 1/a, by its recursion
        a1, a2 = float(a[1]), float(a[2])
        for _ in range(_KWeighting.BLOCK - 1):
            decay.append(-a1 * decay[-1] - a2 * decay[-2])
        self.decay = np.array(decay[1:])
        self.response = np.convolve(b, self.decay)[: _KWeighting.BLOCK]  # of b/a
        self._inputs, self._outputs = np.zeros(2), np.zeros(2)  # oldest first

    def state(self) -> np.ndarray:
        """What the past adds to the next two outputs before feedback (the
        transposed direct form's state); it then decays through 1/a."""
        b, a, x, y = self._b, self._a, self._inputs, self._outputs
        return np.array(
            [b[1] * x[1] - a[1] * y[1] + b[2] * x[0] - a[2] * y[0], b[2] * x[1] - a[2] * y[1]]
        )

    def remember(self, inputs: np.ndarray, outputs: np.ndarray) -> None:
        self._inputs = np.concatenate([self._inputs, inputs])[-2:]
        self._outputs = np.concatenate([self._outputs, outputs])[-2:]


def _cookbook_biquad(
    kind: str, gain_db: float, q: float, centre_hz: float, rate: int
) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients (b, a), a[0] = 1, of a high shelf or high pass by the
    bilinear transform of its analog prototype (R. Bristow-Johnson's
    "Cookbook formulae for audio EQ biquad filter coefficients")."""
    amplitude = 10 ** (gain_db / 40)
    omega = 2 * math.pi * centre_hz / rate
    cos, alpha = math.cos(omega), math.sin(omega) / (2 * q)
    if kind == "high_shelf":
        root = 2 * math.sqrt(amplitude) * alpha
        plus, minus = amplitude + 1, amplitude - 1
        b = [
            amplitude * (plus + minus * cos + root),
            -2 * amplitude * (minus + plus * cos),
            amplitude * (plus + minus * cos - root),
        ]
        a = [plus - minus * cos + root, 2 * (minus - plus * cos), plus - minus * cos - root]
    else:  # high pass
        b = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2]
        a = [1 + alpha, -2 * cos, 1 - alpha]
    return np.array(b) / a[0], np.array(a) / a[0]


def _silence(ms: int, rate: int) -> np.ndarray:
    return np.zeros(round(ms * rate / 1000), dtype=np.int16)


def _as_float(samples: np.ndarray) -> np.ndarray:
    return samples.astype(np.float32) / 32768.0


def _at_rate(speech: Speech, rate: int) -> np.ndarray:
    if speech.sample_rate_hz == rate:
        return speech.samples
    divisor = math.gcd(rate, speech.sample_rate_hz)
    resampled = resample(
        speech.samples.astype(np.float32), rate // divisor, speech.sample_rate_hz // divisor
    )
    return np.clip(resampled, -32768, 32767).astype(np.int16)


def resample(samples: np.ndarray, up: int, down: int) -> np.ndarray:
    """float32 ``samples`` at ``up``/``down`` times their rate (up and down
    coprime), as scipy's resample_poly does it: zero-stuffed by ``up``, through a
    linear-phase low pass (a Kaiser-windowed sinc, β = 5, ten zero crossings
    each side), then every ``down``-th sample; ⌈n·up/down⌉ samples, aligned
    with the input."""
    half = 10 * max(up, down)
    offsets = np.arange(-half, half + 1)
    cutoff = 1 / max(up, down)
    taps = np.sinc(cutoff * offsets) * np.kaiser(2 * half + 1, 5.0)
    taps *= up / taps.sum()
    # Output m is the sum over j of taps[phase + up·j]·x[last − j], where
    # m·down + half = up·last + phase: one short filter per phase.
    per_phase = -(-len(taps) // up)
    stuffed = np.zeros(per_phase * up, np.float32)
    stuffed[: len(taps)] = taps
    phases = stuffed.reshape(per_phase, up).T
    count = -(-len(samples) * up // down)
    silence = np.zeros(per_phase, np.float32)
    padded = np.concatenate(
        [silence, samples.astype(np.float32), silence, silence[: half // up + 2]]
    )
    windows = np.lib.stride_tricks.sliding_window_view(padded, per_phase)  # no copy
    out = np.empty(count, np.float32)
    for first in range(min(up, count)):  # outputs first, first + up, … share a phase
        phase, last = (first * down + half) % up, (first * down + half) // up
        wanted = len(out[first::up])
        out[first::up] = windows[last + 1 :: down][:wanted] @ phases[phase][::-1]
    return out


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


def gain_to_target(samples: np.ndarray, rate: int) -> float:
    """The linear gain that brings float ``samples`` to −19 LUFS integrated;
    1 for silence, and for less than a second (too short for BS.1770 gating)."""
    if len(samples) < rate:
        return 1.0
    meter = LoudnessMeter(rate)
    meter.add(samples)
    return _gain_for(meter.integrated())


def _gain_for(loudness: float) -> float:
    """The linear gain that brings audio measured at ``loudness`` to −19 LUFS."""
    if not np.isfinite(loudness) or loudness <= _SILENT_LUFS:
        return 1.0  # silence stays silence
    return float(10 ** ((TARGET_LUFS_MONO - loudness) / 20))


def level(samples: np.ndarray, gain: float, rate: int) -> np.ndarray:
    """int16 ``samples`` times ``gain``, with a look-ahead limiter keeping true
    peak ≤ −1 dBTP; int16 again."""
    gained = _as_float(samples) * np.float32(gain)
    limited = _limit_true_peaks(gained, 10 ** (_LIMITER_CEILING_DBTP / 20), rate)
    return (np.clip(limited, -1.0, 1.0) * 32767).astype(np.int16)


def prepare_in_background() -> None:
    """Find the ffmpeg binary (importing imageio_ffmpeg and looking for its
    executable) in a thread, so that it happens while synthesis waits on its
    backend and the encoder starts at once."""
    threading.Thread(target=ffmpeg_exe, name="find-ffmpeg", daemon=True).start()


# Oversampling (for true peak) runs only where the sample peak is within 4 dB
# of the ceiling: speech at 16–48 kHz has far smaller intersample overshoots,
# and skipping quiet blocks makes limiting cost follow the peaks, not the length.
_INTERSAMPLE_HEADROOM = 10 ** (4 / 20)
_BLOCK = 4096
_FILTER_MARGIN = 64  # input samples the 4× interpolation filter reaches


def _oversampled_peaks(samples: np.ndarray) -> np.ndarray:
    """Per sample, the largest magnitude of the signal oversampled 4× (BS.1770-4
    Annex 2) between it and the next sample."""
    upsampled = np.abs(resample(samples, 4, 1))
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
        peak_hold = sliding_max(envelope, 2 * window + 1)
        gain = np.minimum(np.float32(1.0), np.float32(ceiling) / np.maximum(peak_hold, 1e-9))
        limited[lo:hi] = stretch * sliding_mean(gain, window // 2 * 2 + 1)
    return limited


def sliding_max(values: np.ndarray, size: int) -> np.ndarray:
    """The largest of the ``size`` values (odd) centred on each one, the ends
    mirrored (scipy.ndimage's maximum_filter1d). In O(n) whatever the size:
    each window spans the end of one block of ``size`` and the start of the
    next, whose running maxima from either side are computed once."""
    half = size // 2
    mirrored = np.pad(values, half, mode="symmetric")
    blocks = -(-len(mirrored) // size)
    padded = np.full(blocks * size, -np.inf, values.dtype)
    padded[: len(mirrored)] = mirrored
    rows = padded.reshape(blocks, size)
    from_start = np.maximum.accumulate(rows, axis=1).ravel()
    to_end = np.maximum.accumulate(rows[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.maximum(to_end[: len(values)], from_start[size - 1 : size - 1 + len(values)])


def sliding_mean(values: np.ndarray, size: int) -> np.ndarray:
    """The mean of the ``size`` values (odd) centred on each one, the ends
    mirrored (scipy.ndimage's uniform_filter1d)."""
    mirrored = np.pad(values.astype(np.float64), size // 2, mode="symmetric")
    running = np.concatenate([[0.0], np.cumsum(mirrored)])
    return ((running[size:] - running[:-size]) / size).astype(values.dtype)
