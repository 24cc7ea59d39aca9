"""The contract every TTS backend keeps, and the registry that finds them.

A backend turns a batch of ``SpeechRequest``s into ``Speech`` (int16 mono
samples at the backend's native rate, plus word timings when it has them). It
yields results as they finish, in any order, so the synthesis stage can cache
each one at once: a run that is killed half-way resumes where it stopped.

Backends are found through the ``briefing.backends`` entry-point group, the
built-in ones exactly like a third party's (see pyproject.toml)::

    [project.entry-points."briefing.backends"]
    tone = "briefing_tone:ToneBackend"

An entry point names a class (or any callable) that makes the backend; its
settings are keyword arguments. Its module is imported only when the backend
is asked for, so heavy imports (aiohttp, ai-edge-litert) stay inside it, and a
plugin that fails to import is reported by name (``BackendUnavailable``)
instead of breaking the others.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from types import TracebackType
from typing import Any, Protocol, runtime_checkable

import numpy as np

from briefing.errors import BackendUnavailable, BriefingError
from briefing.prosody import Pitch, Rate, Volume


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
        # The ranges are the prosody types' (briefing.prosody): made to be checked.
        Rate(self.rate_pct), Pitch(self.pitch_hz), Volume(self.volume_pct)


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
    It is a plain attribute, known without connecting anywhere.
    ``default_jobs``: requests in flight at once when the user does not say
    (CPU-bound engines: the cores; a network service: what it tolerates).
    ``format_version``: bump when output for the same input changes, so cached
    audio is not reused across versions.
    ``auto_priority``: ``auto`` tries backends from the highest priority down;
    None keeps a backend out of ``auto`` (it is used only when named).

    The caller owns a backend: ``with get_backend("edge") as backend: …``
    releases what it holds (a process pool, a loaded graph) on ``close()``.
    ``BackendBase`` gives a backend that holds nothing these for free.
    """

    name: str
    default_voice: str
    max_chunk_chars: int
    default_jobs: int
    format_version: str
    auto_priority: int | None

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

    def close(self) -> None:
        """Release what the backend holds; it is not used afterwards."""

    def __enter__(self) -> Backend: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


@runtime_checkable
class Installable(Protocol):
    """A backend whose voice is fetched once (``briefing voices install NAME``)."""

    def installed(self) -> bool:
        """Whether the voice is on this machine, checked locally (no network)."""

    def install(self, progress: Callable[[str], None]) -> None:
        """Fetch and install the voice, reporting each step to ``progress``."""


class BackendBase:
    """Lifecycle for a backend that holds nothing between calls: ``close()``
    does nothing and ``with`` works. Out of ``auto`` unless it sets a priority."""

    auto_priority: int | None = None

    def close(self) -> None:
        return None

    def __enter__(self) -> BackendBase:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


ENTRY_POINT_GROUP = "briefing.backends"


@functools.cache
def _entry_points() -> dict[str, metadata.EntryPoint]:
    """Every installed backend by name, without importing any of them."""
    return {entry.name: entry for entry in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def refresh() -> None:
    """Forget what was found, so backends installed since are seen."""
    _entry_points.cache_clear()


def backend_names() -> list[str]:
    """The names of the installed backends, plugins included (nothing is imported)."""
    return sorted(_entry_points())


def get_backend(name: str, **settings: Any) -> Backend:
    """A new backend registered as ``name``, made with ``settings``; its module
    is imported now. Raises ``BackendUnavailable`` naming a plugin that
    cannot be imported."""
    entry = _entry_points().get(name)
    if entry is None:
        known = ", ".join(backend_names()) or "none are installed (reinstall briefing)"
        raise BriefingError(f"unknown backend {name!r}; choose one of: {known}")
    try:
        factory = entry.load()
    except ImportError as exc:
        raise BackendUnavailable(
            f"the {name} backend ({entry.value}) cannot be imported: {exc}; "
            f"reinstall the package that provides it, or uninstall it"
        ) from exc
    except Exception as exc:  # a plugin's own bug must not take the others down
        raise BackendUnavailable(
            f"the {name} backend ({entry.value}) failed to load: {type(exc).__name__}: {exc}"
        ) from exc
    backend: Backend = factory(**settings)
    return backend
