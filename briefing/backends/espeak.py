"""espeak-ng through ``espeakng-loader``: offline, instant, robotic.

``espeakng-loader`` ships ``libespeak-ng.so`` and its data with the ``cmn``
(Mandarin) voice. We drive the C API with ctypes in synchronous mode: a
callback receives 22 050 Hz int16 samples and word events.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import functools
import threading
from collections.abc import Iterator, Sequence

import numpy as np

from briefing.backends.base import BackendBase, Speech, SpeechRequest, Voice, WordTiming
from briefing.errors import BackendUnavailable, SynthesisError

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_EVENT_WORD = 1
_EVENT_LIST_TERMINATED = 0
_PARAM_RATE = 1
_PARAM_VOLUME = 2  # 0–200, 100 normal
_PARAM_PITCH = 3  # 0–100, 50 normal
_DEFAULT_WORDS_PER_MINUTE = 175


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


class EspeakBackend(BackendBase):
    name = "espeak"
    default_voice = "cmn"
    max_chunk_chars = 400
    default_jobs = 1  # espeak-ng synthesises one text at a time per process
    format_version = "1"
    auto_priority = 100  # robotic: the last resort, but it always works

    def __init__(self) -> None:
        self._sample_rate_hz = 0
        self._pcm: list[bytes] = []
        self._words: list[tuple[int, int]] = []  # (character offset, audio ms)
        self._callback = _SynthCallback(self._on_audio)

    def available(self) -> str | None:
        try:
            self._library()
        except BackendUnavailable as exc:
            return str(exc)
        return None

    def voices(self) -> list[Voice]:
        return [
            Voice(
                "espeak",
                "cmn",
                "espeak-ng Mandarin",
                "zh-CN",
                "male",
                "formant synthesis: robotic but instant, fully offline",
            ),
            Voice(
                "espeak",
                "yue",
                "espeak-ng Cantonese",
                "zh-HK",
                "male",
                "formant synthesis, Cantonese",
            ),
        ]

    def synthesize(
        self, requests: Sequence[SpeechRequest], jobs: int
    ) -> Iterator[tuple[int, Speech]]:
        lib = self._library()
        # espeak-ng calls back into Python for every few ms of audio. Called in
        # the main thread, a callback is where Ctrl-C's KeyboardInterrupt would
        # be raised, and ctypes prints and drops exceptions raised there; in a
        # thread of its own, the interrupt reaches the main thread, waiting.
        with concurrent.futures.ThreadPoolExecutor(1, "espeak") as thread:
            for request in requests:
                yield request.index, thread.submit(self._say_alone, lib, request).result()

    def _say_alone(self, lib: ctypes.CDLL, request: SpeechRequest) -> Speech:
        with _ESPEAK_LOCK:
            return self._say(lib, request)

    def _library(self) -> ctypes.CDLL:
        lib, self._sample_rate_hz = _espeak()
        return lib

    def _on_audio(self, wav, count, events) -> int:  # type: ignore[no-untyped-def]
        if count > 0:
            self._pcm.append(ctypes.string_at(wav, count * 2))
        index = 0
        while events[index].type != _EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == _EVENT_WORD:
                self._words.append((event.text_position - 1, event.audio_position))
            index += 1
        return 0

    def _say(self, lib: ctypes.CDLL, request: SpeechRequest) -> Speech:
        settings = request.settings
        if lib.espeak_SetVoiceByName(settings.voice.encode()) != 0:
            raise SynthesisError(
                f"espeak-ng has no voice {settings.voice!r}; see `briefing voices` for the list"
            )
        words_per_minute = round(_DEFAULT_WORDS_PER_MINUTE * (1 + settings.rate_pct / 100))
        lib.espeak_SetParameter(_PARAM_RATE, words_per_minute, 0)
        lib.espeak_SetParameter(_PARAM_VOLUME, 100 + settings.volume_pct, 0)
        # espeak's pitch is a 0–100 scale, not Hz; one step is roughly a hertz or two.
        lib.espeak_SetParameter(_PARAM_PITCH, 50 + settings.pitch_hz, 0)
        self._pcm, self._words = [], []
        lib.espeak_SetSynthCallback(self._callback)  # this instance's, for this text
        encoded = request.text.encode("utf-8") + b"\0"
        status = lib.espeak_Synth(encoded, len(encoded), 0, 0, 0, _CHARS_UTF8, None, None)
        if status != 0:
            raise SynthesisError(f"espeak-ng failed on {request.label} (status {status})")
        samples = np.frombuffer(b"".join(self._pcm), dtype="<i2").astype(np.int16)
        return Speech(samples, self._sample_rate_hz, self._word_timings(request.text, len(samples)))

    def _word_timings(self, text: str, sample_count: int) -> tuple[WordTiming, ...]:
        # espeak reports character positions (1-based) and audio positions in ms.
        total_ms = 1000.0 * sample_count / self._sample_rate_hz
        timings = []
        for i, (offset, start_ms) in enumerate(self._words):
            end_offset = self._words[i + 1][0] if i + 1 < len(self._words) else len(text)
            end_ms = self._words[i + 1][1] if i + 1 < len(self._words) else total_ms
            word = text[offset:end_offset].strip()
            if word:
                timings.append(WordTiming(word, float(start_ms), max(0.0, end_ms - start_ms)))
        return tuple(timings)


# espeak-ng is one engine per process (its voice, parameters and callback are
# global), so it is loaded once and every instance takes this lock to speak.
_ESPEAK_LOCK = threading.Lock()


@functools.cache
def _espeak() -> tuple[ctypes.CDLL, int]:
    """The loaded, initialised library and its sample rate in Hz."""
    try:
        import espeakng_loader

        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data_path = espeakng_loader.get_data_path()
    except (ImportError, OSError) as exc:
        raise BackendUnavailable(
            f"espeak-ng cannot be loaded ({exc}); install it with: pip install espeakng-loader"
        ) from exc
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.POINTER(ctypes.c_uint),
        ctypes.c_void_p,
    ]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, str(data_path).encode(), 0)
    if rate <= 0:
        raise BackendUnavailable(
            f"espeak-ng failed to start with its data at {data_path}; "
            "reinstall it with: pip install --force-reinstall espeakng-loader"
        )
    return lib, rate
