"""The contract every TTS backend keeps, and the registry that finds them.

A backend turns a batch of ``SpeechRequest``s into ``Speech`` (int16 mono
samples at the backend's native rate, plus word timings when it has them). It
yields results as they finish, in any order, so the synthesis stage can cache
each one at once: a run that is killed half-way resumes where it stopped.

Backends register by module name in ``_BUILTIN``; importing one happens only
when it is asked for, so heavy imports (aiohttp, ai-edge-litert) stay inside
the backend module and a missing one raises ``BackendUnavailable``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from briefing.errors import BackendUnavailable, BriefingError


@dataclass(frozen=True)
class Voice:
    """A voice a backend offers. ``license`` notes use restrictions, if any."""

    backend: str
    id: str
    name: str
    language: str = "zh-CN"
    gender: str = ""
    description: str = ""
    license: str = ""


@dataclass(frozen=True)
class VoiceSettings:
    """How to speak: voice id and prosody offsets (percent, Hz, percent)."""

    voice: str
    rate_pct: int = 0
    pitch_hz: int = 0
    volume_pct: int = 0

    def __post_init__(self) -> None:
        if not -50 <= self.rate_pct <= 100:
            raise BriefingError(f"rate {self.rate_pct:+d}% is out of range; use -50% to +100%")
        if not -50 <= self.pitch_hz <= 50:
            raise BriefingError(f"pitch {self.pitch_hz:+d}Hz is out of range; use -50Hz to +50Hz")
        if not -50 <= self.volume_pct <= 50:
            raise BriefingError(f"volume {self.volume_pct:+d}% is out of range; use -50% to +50%")


@dataclass(frozen=True)
class SpeechRequest:
    """One chunk to say. ``index`` identifies it in the caller's list; ``label``
    (e.g. ``section 2, chunk 5: 提高政治站位…``) names it in error messages."""

    index: int
    text: str
    settings: VoiceSettings
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            preview = self.text[:16] + ("…" if len(self.text) > 16 else "")
            object.__setattr__(self, "label", f"chunk {self.index + 1} ({preview})")


@dataclass(frozen=True)
class WordTiming:
    """A word's place in its chunk's audio, in milliseconds from the chunk start."""

    text: str
    start_ms: float
    duration_ms: float


@dataclass(frozen=True)
class Speech:
    """Synthesised audio of one chunk: int16 mono samples at ``sample_rate_hz``."""

    samples: np.ndarray
    sample_rate_hz: int
    words: tuple[WordTiming, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.samples.dtype != np.int16 or self.samples.ndim != 1:
            raise ValueError("Speech.samples must be a 1-D int16 array")
        if self.sample_rate_hz <= 0:
            raise ValueError("Speech.sample_rate_hz must be positive")

    @property
    def duration_ms(self) -> float:
        return 1000.0 * len(self.samples) / self.sample_rate_hz


@runtime_checkable
class Backend(Protocol):
    """What the pipeline needs of a TTS engine.

    ``name``: registry name. ``default_voice``: a voice id of this backend.
    ``max_chunk_chars``: the longest spoken text one request may carry;
    segmentation keeps every chunk under it, but for a single unbreakable
    token (a long number or address) longer than that, which is sent whole.
    ``default_jobs``: requests in flight at once when the user does not say
    (CPU-bound engines: the cores; a network service: what it tolerates).
    ``format_version``: bump when output for the same input changes, so cached
    audio is not reused across versions.
    """

    name: str
    default_voice: str
    max_chunk_chars: int
    default_jobs: int
    format_version: str

    def available(self) -> str | None:
        """None when the backend can synthesise now, else why not and what to do."""

    def voices(self) -> list[Voice]:
        """The voices this backend offers (installed or not)."""

    def synthesize(
        self, requests: Sequence[SpeechRequest], jobs: int
    ) -> Iterator[tuple[int, Speech]]:
        """Yield ``(request.index, speech)`` for every request as each finishes.

        At most ``jobs`` requests are in flight at once. Raises
        ``SynthesisError`` naming the request's label when one fails for good.
        """


# name → module that defines a ``BACKEND`` object. A new backend is one new
# module and one line here (an entry-point group can come later).
_BUILTIN: dict[str, str] = {
    "edge": "briefing.backends.edge",
    "baker": "briefing.backends.baker",
    "espeak": "briefing.backends.espeak",
}

_loaded: dict[str, Backend] = {}


def backend_names() -> list[str]:
    return list(_BUILTIN)


def get_backend(name: str) -> Backend:
    """The backend registered as ``name``; its module is imported on first use."""
    if name not in _BUILTIN:
        known = ", ".join(_BUILTIN)
        raise BriefingError(f"unknown backend {name!r}; choose one of: {known}")
    if name not in _loaded:
        try:
            module = importlib.import_module(_BUILTIN[name])
        except ImportError as exc:
            raise BackendUnavailable(
                f"the {name} backend needs a package that is not installed ({exc.name}); "
                f"reinstall briefing with its dependencies: pip install briefing"
            ) from exc
        _loaded[name] = module.BACKEND
    return _loaded[name]
