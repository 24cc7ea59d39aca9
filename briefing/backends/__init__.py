"""TTS backends. Each is one module that registers itself in ``base.REGISTRY``."""

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
