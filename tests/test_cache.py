from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from briefing.backends.base import Speech, VoiceSettings, WordTiming
from briefing.cache import ChunkCache, default_cache_dir
from briefing.errors import OutputError

SETTINGS = VoiceSettings("zh-CN-XiaoxiaoNeural", rate_pct=10)


def _speech(length: int = 2400, seed: int = 0) -> Speech:
    rng = np.random.default_rng(seed)
    samples = rng.integers(-20000, 20000, size=length, dtype=np.int16)
    words = (WordTiming("江苏", 50.0, 400.5), WordTiming("对口支援", 450.5, 612.25))
    return Speech(samples, 24000, words)


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


def test_round_trip_keeps_samples_rate_and_words(tmp_path: Path) -> None:
    cache = ChunkCache(tmp_path)
    key = cache.key("edge", "1", SETTINGS, "江苏对口支援")
    speech = _speech()
    assert cache.get(key) is None
    cache.put(key, speech)
    back = cache.get(key)
    assert back is not None
    assert back.sample_rate_hz == 24000
    assert np.array_equal(back.samples, speech.samples)
    assert back.samples.dtype == np.int16
    assert back.words == speech.words
    assert key in cache


def test_empty_speech_round_trips(tmp_path: Path) -> None:
    cache = ChunkCache(tmp_path)
    cache.put("ab" * 32, Speech(np.zeros(0, np.int16), 22050))
    back = cache.get("ab" * 32)
    assert back is not None and len(back.samples) == 0 and back.words == ()


def test_key_changes_with_everything_that_decides_the_audio() -> None:
    base = ChunkCache.key("edge", "1", SETTINGS, "你好")
    assert ChunkCache.key("edge", "1", SETTINGS, "你好") == base
    others = {
        ChunkCache.key("baker", "1", SETTINGS, "你好"),
        ChunkCache.key("edge", "2", SETTINGS, "你好"),
        ChunkCache.key("edge", "1", VoiceSettings("zh-CN-YunyangNeural", rate_pct=10), "你好"),
        ChunkCache.key("edge", "1", VoiceSettings("zh-CN-XiaoxiaoNeural"), "你好"),
        ChunkCache.key("edge", "1", VoiceSettings("zh-CN-XiaoxiaoNeural", 10, 5), "你好"),
        ChunkCache.key("edge", "1", VoiceSettings("zh-CN-XiaoxiaoNeural", 10, 0, 5), "你好"),
        ChunkCache.key("edge", "1", SETTINGS, "你好。"),
    }
    assert base not in others and len(others) == 7
    assert len(base) == 64 and int(base, 16) >= 0


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-1], id="one-byte-short"),
        pytest.param(lambda data: data[:-2] + bytes([data[-2] ^ 0x01]) + data[-1:], id="bit-flip"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"garbage" * 20, id="garbage"),
    ],
)
def test_damaged_entry_is_a_miss_and_is_deleted_then_redone(tmp_path: Path, damage) -> None:
    cache = ChunkCache(tmp_path)
    key = cache.key("edge", "1", SETTINGS, "提高政治站位")
    cache.put(key, _speech())
    path = cache.path(key)
    path.write_bytes(damage(path.read_bytes()))

    assert cache.get(key) is None
    assert not path.exists()

    cache.put(key, _speech(seed=1))
    back = cache.get(key)
    assert back is not None and np.array_equal(back.samples, _speech(seed=1).samples)


def test_put_replaces_atomically_and_leaves_no_temp_files(tmp_path: Path) -> None:
    cache = ChunkCache(tmp_path)
    keys = [cache.key("edge", "1", SETTINGS, f"第{i}段") for i in range(20)]
    for i, key in enumerate(keys):
        cache.put(key, _speech(seed=i))
    cache.put(keys[0], _speech(seed=99))  # overwrite in place
    names = [p.name for p in _files(tmp_path)]
    assert len(names) == 20
    assert all(name.endswith(".chunk") and not name.startswith(".tmp") for name in names)
    assert np.array_equal(cache.get(keys[0]).samples, _speech(seed=99).samples)


def test_interrupted_put_leaves_no_temp_file_and_keeps_the_old_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ChunkCache(tmp_path)
    key = cache.key("edge", "1", SETTINGS, "对口支援")
    cache.put(key, _speech(seed=1))

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.put(key, _speech(seed=2))
    monkeypatch.undo()

    assert [p.name for p in _files(tmp_path)] == [cache.path(key).name]
    assert np.array_equal(cache.get(key).samples, _speech(seed=1).samples)


def test_stats_and_clear(tmp_path: Path) -> None:
    cache = ChunkCache(tmp_path / "chunks")
    assert cache.stats() == (0, 0)
    assert cache.clear() == 0
    for i in range(5):
        cache.put(cache.key("edge", "1", SETTINGS, str(i)), _speech(length=1000 + i))
    (cache.directory / "ab").mkdir(exist_ok=True)
    # what a writer killed mid-put leaves (files.staged names)
    (cache.directory / "ab" / ".0123.chunk.k3j9x2.part").write_bytes(b"half")
    entries, size = cache.stats()
    assert entries == 5
    assert size == sum(p.stat().st_size for p in _files(cache.directory) if p.suffix == ".chunk")
    assert size > 5 * 2000
    assert cache.clear() == 5
    assert cache.stats() == (0, 0)
    assert _files(cache.directory) == []


def test_default_dir_honours_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"
    assert ChunkCache().directory == tmp_path / "mine"
    monkeypatch.delenv("BRIEFING_CACHE_DIR")
    assert default_cache_dir().name == "chunks"
    assert "briefing" in default_cache_dir().parts


def test_unusable_cache_dir_is_an_output_error(tmp_path: Path) -> None:
    # A file where the folder should be fails even for root (mode bits would not).
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    with pytest.raises(OutputError, match="BRIEFING_CACHE_DIR"):
        ChunkCache(blocker).put("cd" * 32, _speech())
