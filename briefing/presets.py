"""Voice presets and the choice of backend.

A preset is one small TOML file in ``voices/`` (backend, voice id, rate,
pitch, volume, description); ``--voice NAME`` takes a preset's name or a
backend's own voice id. ``auto`` tries the installed backends from the
highest ``auto_priority`` down and takes the first that works here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import tomllib

from briefing.backends.base import (
    Backend,
    Installable,
    VoiceSettings,
    backend_names,
    get_backend,
)
from briefing.errors import BackendUnavailable, BriefingError
from briefing.prosody import Pitch, Rate, Volume

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Preset:
    name: str
    backend: str
    voice: str
    rate_pct: int = 0
    pitch_hz: int = 0
    volume_pct: int = 0
    description: str = ""


def presets_dir() -> Path:
    # Installed wheels carry the presets inside the package; a source checkout
    # (editable install) reads them from the top-level voices/ folder.
    packaged = Path(__file__).parent / "_voices"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "voices"


def load_presets() -> dict[str, Preset]:
    presets = {}
    for path in sorted(p for p in presets_dir().glob("*.toml") if p.name != "lexicon.toml"):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        presets[path.stem] = Preset(
            name=path.stem,
            backend=data["backend"],
            voice=data["voice"],
            rate_pct=Rate.parse(data.get("rate", 0)).percent,
            pitch_hz=Pitch.parse(data.get("pitch", 0)).hertz,
            volume_pct=Volume.parse(data.get("volume", 0)).percent,
            description=data.get("description", ""),
        )
    return presets


@dataclass(frozen=True)
class Selection:
    backend: Backend
    settings: VoiceSettings
    reason: str  # why this backend, for the user


def select(
    backend: str = "auto",
    voice: str | None = None,
    rate: Rate | None = None,
    pitch: Pitch | None = None,
    volume: Volume | None = None,
) -> Selection:
    """Resolve ``--backend``/``--voice``/prosody options into a backend and
    settings; prosody left as None comes from the preset, else is +0."""
    preset = load_presets().get(voice) if voice else None
    if preset and backend not in ("auto", preset.backend):
        raise BriefingError(
            f"voice preset {voice!r} belongs to the {preset.backend} backend, not {backend}"
        )
    if preset:
        chosen, reason = _require(preset.backend), f"voice preset {preset.name}"
    elif backend == "auto":
        chosen, reason = _auto()
    elif backend in backend_names():
        chosen, reason = _require(backend), "asked for"
    else:
        raise BriefingError(
            f"unknown backend {backend!r}; choose auto, {', '.join(backend_names())}"
        )
    settings = VoiceSettings(
        voice=preset.voice if preset else (voice or chosen.default_voice),
        rate_pct=rate.percent if rate is not None else (preset.rate_pct if preset else 0),
        pitch_hz=pitch.hertz if pitch is not None else (preset.pitch_hz if preset else 0),
        volume_pct=volume.percent if volume is not None else (preset.volume_pct if preset else 0),
    )
    return Selection(chosen, settings, reason)


def _require(name: str) -> Backend:
    backend = get_backend(name)
    problem = backend.available()
    if problem:
        backend.close()
        raise BackendUnavailable(problem)
    return backend


def auto_candidates() -> tuple[list[Backend], list[tuple[str, str]]]:
    """The backends ``auto`` may pick, best first, and those that cannot even
    be loaded (name, why). Nothing here connects anywhere; the caller owns
    (closes) the backends."""
    candidates, broken = [], []
    for name in backend_names():
        try:
            backend = get_backend(name)
        except BackendUnavailable as exc:
            broken.append((name, str(exc)))
            continue
        if backend.auto_priority is None:
            backend.close()
        else:
            candidates.append(backend)
    candidates.sort(key=lambda backend: -(backend.auto_priority or 0))
    return candidates, broken


def planned_backend() -> Backend:
    """The backend ``auto`` would pick, judged without connecting: the best one
    whose voice is installed. A network voice counts as there; when it cannot
    be reached, make falls back to the next, whose chunks are shorter."""
    candidates, _ = auto_candidates()
    chosen = next((b for b in candidates if not isinstance(b, Installable) or b.installed()), None)
    for backend in candidates:
        if backend is not chosen:
            backend.close()
    if chosen is None:
        raise BackendUnavailable("no voice is installed here; see `briefing voices`")
    return chosen


def _auto() -> tuple[Backend, str]:
    candidates, broken = auto_candidates()
    for name, why in broken:
        log.warning("the %s backend is skipped: %s", name, why)
    skipped = []
    chosen = None
    for backend in candidates:
        problem = backend.available()
        if problem is None:
            chosen = backend
            break
        skipped.append((backend.name, problem))
    for backend in candidates:
        if backend is not chosen:
            backend.close()
    if chosen is None:
        raise BackendUnavailable(
            "no voice works here: "
            + "; ".join(f"{name}: {why}" for name, why in [*broken, *skipped])
        )
    for name, why in skipped:
        log.info("auto: %s skipped: %s", name, why)
    if not skipped:
        return chosen, "auto"
    names = ", ".join(name for name, _ in skipped)
    return chosen, f"auto; {names} not available here, see `briefing voices`"
