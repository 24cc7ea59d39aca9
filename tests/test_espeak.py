"""The real espeak-ng engine, through our ctypes binding."""

from __future__ import annotations

import numpy as np
import pytest

from briefing.backends import SpeechRequest, VoiceSettings, get_backend
from briefing.errors import SynthesisError


def say(text: str, **settings) -> object:
    backend = get_backend("espeak")
    request = SpeechRequest(0, text, VoiceSettings(settings.pop("voice", "cmn"), **settings))
    ((index, speech),) = list(backend.synthesize([request], jobs=1))
    assert index == 0
    return speech


def test_espeak_is_available_offline():
    assert get_backend("espeak").available() is None


def test_speech_is_audible_and_scales_with_text():
    short = say("你好。")
    long = say("今年是新中国成立七十周年，是全面建成小康社会的关键之年。")
    assert short.sample_rate_hz == 22_050
    assert np.abs(long.samples).max() > 3000
    assert long.duration_ms > 4 * short.duration_ms


def test_word_timings_are_in_order_within_the_audio():
    speech = say("提高政治站位，增强责任感。")
    starts = [w.start_ms for w in speech.words]
    assert starts == sorted(starts) and starts
    assert speech.words[-1].start_ms < speech.duration_ms
    assert "".join(w.text for w in speech.words).startswith("提高")


def test_rate_makes_speech_faster():
    text = "江苏对口支援和帮扶西藏、新疆、陕西、青海、贵州等省区。"
    assert say(text, rate_pct=50).duration_ms < 0.8 * say(text).duration_ms


def test_unknown_voice_is_a_clear_error():
    with pytest.raises(SynthesisError, match="no voice 'zz-none'"):
        say("你好", voice="zz-none")


def test_pitch_and_volume_change_the_sound():
    text = "江苏对口支援。"
    plain = say(text)
    louder = say(text, volume_pct=40)
    assert (
        np.abs(louder.samples).astype(float).mean()
        > 1.2 * np.abs(plain.samples).astype(float).mean()
    )
    higher = say(text, pitch_hz=30)
    assert not np.array_equal(
        higher.samples[: len(plain.samples)], plain.samples[: len(higher.samples)]
    )
