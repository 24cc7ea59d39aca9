"""Voice presets and the choice of backend.

A preset is one small TOML file in ``voices/`` (backend, voice id, rate,
pitch, volume, description); ``--voice NAME`` takes a preset's name or a
backend's own voice id. ``auto`` picks the best backend that works here.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import tomllib

from briefing.backends.base import Backend, VoiceSettings, backend_names, get_backend
from briefing.errors import BackendUnavailable, BriefingError

log = logging.getLogger(__name__)

AUTO_ORDER = ("edge", "baker", "espeak")


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
            rate_pct=parse_offset(data.get("rate", "+0%"), "%"),
            pitch_hz=parse_offset(data.get("pitch", "+0Hz"), "Hz"),
            volume_pct=parse_offset(data.get("volume", "+0%"), "%"),
            description=data.get("description", ""),
        )
    return presets


def parse_offset(value: str | int, unit: str) -> int:
    """'+10%' → 10, '-5Hz' → -5, 0 → 0; a clear error otherwise."""
    if isinstance(value, int):
        return value
    match = re.fullmatch(rf"\s*([+-]?\d+)\s*(?:{re.escape(unit)})?\s*", value, re.I)
    if not match:
        raise BriefingError(f"{value!r} is not an offset like +10{unit} or -5{unit}")
    return int(match.group(1))


@dataclass(frozen=True)
class Selection:
    backend: Backend
    settings: VoiceSettings
    reason: str  # why this backend, for the user


def select(
    backend: str = "auto",
    voice: str | None = None,
    rate: str | None = None,
    pitch: str | None = None,
    volume: str | None = None,
) -> Selection:
    """Resolve ``--backend``/``--voice``/prosody options into a backend and settings."""
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
        rate_pct=parse_offset(rate, "%")
        if rate is not None
        else (preset.rate_pct if preset else 0),
        pitch_hz=parse_offset(pitch, "Hz")
        if pitch is not None
        else (preset.pitch_hz if preset else 0),
        volume_pct=(
            parse_offset(volume, "%")
            if volume is not None
            else (preset.volume_pct if preset else 0)
        ),
    )
    return Selection(chosen, settings, reason)


def _require(name: str) -> Backend:
    backend = get_backend(name)
    problem = backend.available()
    if problem:
        raise BackendUnavailable(problem)
    return backend


def _auto() -> tuple[Backend, str]:
    skipped = []
    for name in AUTO_ORDER:
        try:
            backend = get_backend(name)
        except BackendUnavailable as exc:
            skipped.append((name, str(exc)))
            continue
        problem = backend.available()
        if problem is None:
            for skipped_name, why in skipped:
                log.info("auto: %s skipped: %s", skipped_name, why)
            if not skipped:
                return backend, "auto"
            names = ", ".join(skipped_name for skipped_name, _ in skipped)
            return backend, f"auto; {names} not available here, see `briefing voices`"
        skipped.append((name, problem))
    raise BackendUnavailable(
        "no voice works here: " + "; ".join(f"{name}: {why}" for name, why in skipped)
    )
