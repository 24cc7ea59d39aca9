"""``briefing cache`` and ``briefing cache clear``."""

from __future__ import annotations

import numpy as np
from click.testing import CliRunner

from briefing.backends.base import Speech, VoiceSettings
from briefing.cache import ChunkCache
from briefing.cli import cli
from briefing.cli.cache import human_size


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cache_shows_where_how_many_and_how_big(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "chunks"))
    result = run("cache")
    assert result.exit_code == 0
    assert result.output.splitlines() == [str(tmp_path / "chunks"), "0 chunks, 0 bytes"]

    store = ChunkCache(tmp_path / "chunks")
    for i in range(3):
        key = store.key("edge", "1", VoiceSettings("zh-CN-XiaoxiaoNeural"), f"第{i}句")
        store.put(key, Speech(np.zeros(24_000, np.int16), 24_000))
    _, size = store.stats()
    result = run("cache")
    assert result.output.splitlines()[1] == f"3 chunks, {human_size(size)}"
    assert "KB" in result.output


def test_cache_clear_empties_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    store = ChunkCache(tmp_path)
    store.put("ab" * 32, Speech(np.zeros(100, np.int16), 24_000))
    result = run("cache", "clear")
    assert result.exit_code == 0
    assert result.output.startswith("Removed 1 chunk (")
    assert store.stats() == (0, 0)
    assert run("cache").output.splitlines()[1] == "0 chunks, 0 bytes"


def test_human_size() -> None:
    assert human_size(0) == "0 bytes"
    assert human_size(1023) == "1023 bytes"
    assert human_size(1536) == "1.5 KB"
    assert human_size(20 * 1024 * 1024) == "20.0 MB"
    assert human_size(3 * 1024**4) == "3072.0 GB"
