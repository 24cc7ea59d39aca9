"""Voices from other packages: found through the ``briefing.backends`` entry
points like the built-in ones, listed, picked by ``auto`` by their priority, and
a broken one reported without breaking the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from mp3_files import read_mp3
from tone_backend import MS_PER_CHAR

from briefing import pipeline, presets
from briefing.backends.base import Backend, backend_names, get_backend
from briefing.cli import cli

ARTICLE = "# 标题\n\n江苏对口支援。\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "article.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_the_built_in_voices_are_entry_points_too() -> None:
    assert {"edge", "baker", "espeak"} <= set(backend_names())


def test_a_plugin_is_listed_and_speaks(register_backends, article: Path) -> None:
    register_backends(tone="tone_backend:ToneBackend")
    with get_backend("tone") as backend:
        assert isinstance(backend, Backend) and backend.auto_priority is None
    assert "tone (works now)" in run("voices").output
    assert "[auto|baker|edge|espeak|tone]" in run("make", "--help").output

    result = run("make", str(article), "--backend", "tone", "--no-ai-label")
    assert result.exit_code == 0, result.output
    assert "Voice: tone / a4 (asked for)" in result.output
    samples = read_mp3(article.with_suffix(".mp3"), rate=24_000)
    spoken = len("标题") + len("江苏对口支援。")
    assert len(samples) / 24 >= spoken * MS_PER_CHAR  # every character said as a tone


def test_auto_takes_the_highest_priority_that_works(register_backends, article: Path) -> None:
    register_backends(tone="tone_backend:FavouriteToneBackend")
    result = run("make", str(article), "--no-ai-label")
    assert result.exit_code == 0, result.output
    assert "Voice: tone / a4 (auto)" in result.output


def test_a_backend_without_priority_is_never_auto(register_backends) -> None:
    register_backends(tone="tone_backend:ToneBackend")
    chosen = [backend.name for backend in presets.auto_candidates()[0]]
    assert "tone" not in chosen and chosen[0] == "edge"


def test_a_broken_plugin_is_one_warning_line(register_backends, article: Path) -> None:
    register_backends(broken="briefing_no_such_voice:Backend")
    result = CliRunner().invoke(cli, ["voices"], catch_exceptions=False)
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1
    assert "broken backend (briefing_no_such_voice:Backend)" in warnings[0]
    assert "espeak (works now)" in result.output

    made = run("make", str(article), "--backend", "espeak", "--no-ai-label", "-q")
    assert made.exit_code == 0, made.output
    refused = run("make", str(article), "--backend", "broken", "-f")
    assert refused.exit_code == 1
    assert refused.output.count("\n") <= 2 and "Error: the broken backend" in refused.output


def test_plan_never_connects(edge_server) -> None:
    article = pipeline.plan("examples/jiangsu-duikou-zhiyuan.txt")
    assert edge_server.connections == 0
    with get_backend("edge") as edge:
        assert max(len(chunk.text) for chunk in article.chunks) <= edge.max_chunk_chars


def test_only_an_installable_voice_can_be_installed(register_backends) -> None:
    register_backends(tone="tone_backend:ToneBackend")
    result = run("voices", "install", "tone")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: the tone backend has nothing to install"
