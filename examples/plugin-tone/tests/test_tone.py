"""The tone voice keeps briefing's backend contract and hums what it is given."""

from __future__ import annotations

import numpy as np
from briefing_tone import SAMPLE_RATE_HZ, SYLLABLE_MS, ToneBackend

from briefing.backends.base import Backend, SpeechRequest, VoiceSettings, get_backend


def hum(text: str, **prosody: int) -> tuple[int, np.ndarray, list[str]]:
    request = SpeechRequest(0, text, VoiceSettings("hum", **prosody))
    ((index, speech),) = ToneBackend().synthesize([request], jobs=1)
    return index, speech.samples, [word.text for word in speech.words]


def test_is_found_by_name_through_its_entry_point() -> None:
    with get_backend("tone") as backend:
        assert isinstance(backend, ToneBackend) and isinstance(backend, Backend)
        assert backend.default_voice in {voice.id for voice in backend.voices()}


def test_each_syllable_is_a_word_and_a_tone_of_known_length() -> None:
    index, samples, words = hum("江苏，对口支援。")
    assert index == 0
    assert words == list("江苏对口支援")
    syllables_ms = 6 * SYLLABLE_MS
    assert len(samples) >= syllables_ms * SAMPLE_RATE_HZ / 1000
    assert np.abs(samples).max() > 5000  # audible


def test_faster_speech_is_shorter_and_quieter_is_quieter() -> None:
    _, normal, _ = hum("今天天气很好")
    _, fast, _ = hum("今天天气很好", rate_pct=50)
    _, quiet, _ = hum("今天天气很好", volume_pct=-50)
    assert len(fast) < len(normal)
    assert np.abs(quiet).max() < np.abs(normal).max()


def test_text_without_han_characters_is_silence() -> None:
    _, samples, words = hum("—— 2019!")
    assert words == [] and not samples.any()
