"""TTS backends: one module each, found by name through ``base.get_backend``."""

from __future__ import annotations

from briefing.backends.base import (
    Backend,
    Speech,
    SpeechRequest,
    Voice,
    VoiceSettings,
    WordTiming,
    backend_names,
    get_backend,
)

__all__ = [
    "Backend",
    "Speech",
    "SpeechRequest",
    "Voice",
    "VoiceSettings",
    "WordTiming",
    "backend_names",
    "get_backend",
]
