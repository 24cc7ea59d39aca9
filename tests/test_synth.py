from __future__ import annotations

import pytest
from tone_backend import ToneBackend

from briefing.article import Chunk
from briefing.backends.base import VoiceSettings
from briefing.cache import ChunkCache
from briefing.errors import SynthesisError
from briefing.progress import NoProgress
from briefing.synth import stream, synthesize

SETTINGS = VoiceSettings("a4")


def chunks(*texts: str) -> list[Chunk]:
    return [Chunk(text, spoken=text) for text in texts]


def test_every_chunk_gets_speech_in_order(tmp_path):
    backend = ToneBackend()
    speeches = synthesize(chunks("一二", "三四五"), backend, SETTINGS, cache=ChunkCache(tmp_path))
    assert [s.duration_ms for s in speeches] == [200, 300]


def test_unspeakable_chunks_are_never_sent(tmp_path):
    backend = ToneBackend()
    speeches = synthesize(chunks("好", "……", "——"), backend, SETTINGS, cache=ChunkCache(tmp_path))
    assert backend.requests == ["好"]
    assert speeches[1] is None and speeches[2] is None


def test_identical_texts_are_synthesised_once(tmp_path):
    backend = ToneBackend()
    synthesize(
        chunks("不获全胜", "决不收兵", "不获全胜"), backend, SETTINGS, cache=ChunkCache(tmp_path)
    )
    assert backend.requests == ["不获全胜", "决不收兵"]


def test_a_rerun_sends_nothing(tmp_path):
    cache = ChunkCache(tmp_path)
    synthesize(chunks("一", "二"), ToneBackend(), SETTINGS, cache=cache)
    again = ToneBackend()
    speeches = synthesize(chunks("一", "二"), again, SETTINGS, cache=cache)
    assert again.requests == []
    assert [s.duration_ms for s in speeches] == [100, 100]


def test_other_voice_settings_miss_the_cache(tmp_path):
    cache = ChunkCache(tmp_path)
    synthesize(chunks("一"), ToneBackend(), SETTINGS, cache=cache)
    faster = ToneBackend()
    synthesize(chunks("一"), faster, VoiceSettings("a4", rate_pct=10), cache=cache)
    assert faster.requests == ["一"]


def test_a_failed_run_keeps_what_it_finished(tmp_path):
    cache = ChunkCache(tmp_path)
    with pytest.raises(SynthesisError, match="refused"):
        synthesize(chunks("一", "二", "三"), ToneBackend(fail_after=2), SETTINGS, cache=cache)
    resumed = ToneBackend()
    synthesize(chunks("一", "二", "三"), resumed, SETTINGS, cache=cache)
    assert resumed.requests == ["三"]


class Notes(NoProgress):
    """A Progress that remembers its notes."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def note(self, message: str) -> None:
        self.notes.append(message)


def test_a_resumed_run_reads_cached_chunks_in_turn_not_all_first(tmp_path):
    # An earlier run left every chunk but the first in the cache. Read first,
    # they would all wait in memory for the first one: for a long article,
    # the whole programme.
    cache = ChunkCache(tmp_path)
    texts = ["一", "二二", "三三三", "二二", "四"]
    synthesize(chunks(*texts[1:]), ToneBackend(), SETTINGS, cache=cache)
    progress = Notes()
    order = [
        index
        for index, _ in stream(
            chunks(*texts), ToneBackend(), SETTINGS, cache=cache, progress=progress
        )
    ]
    assert order == [0, 1, 2, 3, 4]
    assert progress.notes == ["4 of 5 chunks are in the cache from an earlier run; 1 to synthesise"]


def test_repeated_texts_are_read_back_in_turn(tmp_path):
    backend = ToneBackend()
    texts = ["甲", "乙乙", "甲", "乙乙", "甲"]
    progress = Notes()
    results = list(
        stream(chunks(*texts), backend, SETTINGS, cache=ChunkCache(tmp_path), progress=progress)
    )
    assert [index for index, _ in results] == [0, 1, 2, 3, 4]
    assert [speech.duration_ms for _, speech in results if speech] == [100, 200, 100, 200, 100]
    assert backend.requests == ["甲", "乙乙"]
    assert progress.notes == []  # nothing came from an earlier run
