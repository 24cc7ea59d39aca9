"""What make shows while it works: a bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from briefing.article import clock
from briefing.cli import cli, progressbar
from briefing.cli.progressbar import TerminalProgress


def test_durations_read_as_players_show_them():
    assert clock(59_999) == "0:59"  # whole seconds, as players show them
    assert clock((8 * 60 + 48) * 1000) == "8:48"
    assert clock(3_600_000) == "1:00:00"
    assert clock((1319 * 60 + 32) * 1000) == "21:59:32"  # once printed as 1319:32


@given(st.integers(0, 10**7))
def test_a_clock_reads_back_to_its_seconds(seconds):
    parts = [int(part) for part in clock(seconds * 1000).split(":")]
    assert all(part < 60 for part in parts[1:])
    assert len(parts) == (3 if seconds >= 3600 else 2)
    total = 0
    for part in parts:
        total = total * 60 + part
    assert total == seconds


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_without_a_terminal_progress_is_plain_lines_with_an_eta(monkeypatch, capsys):
    fake = FakeClock()
    monkeypatch.setattr(progressbar.time, "monotonic", fake)
    progress = TerminalProgress(quiet=False)
    progress.start("Speaking (espeak)", 10)
    fake.now += 1
    progress.advance()
    fake.now += 5
    progress.advance(2)
    fake.now += 1
    progress.advance()  # too soon after the last line
    progress.finish()
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["Speaking (espeak)…", "Speaking (espeak): 30% (3 of 10), about 0:14 left"]


def test_quiet_says_nothing(capsys):
    progress = TerminalProgress(quiet=True)
    progress.note("Voice: espeak")
    progress.start("Speaking", 3)
    progress.advance(3)
    progress.finish()
    assert capsys.readouterr().err == ""


@pytest.fixture
def article(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "news.txt"
    path.write_text("对口支援\n\n今年是关键之年。江苏扎实开展工作。\n\n坚持目标不变。\n", "utf-8")
    return path


def test_make_says_what_it_does_and_what_came_from_the_cache(article):
    command = ["make", str(article), "-o", str(article.parent / "out.mp3"), "--backend", "espeak"]
    first = CliRunner().invoke(cli, command)
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert lines[0] == "Voice: espeak / cmn (asked for)"
    assert lines[1:3] == ["Preparing the text (number reading)…", "Speaking (espeak)…"]
    assert lines[-1].startswith("Wrote ") and "(0:" in lines[-1]
    assert not any("in the cache" in line for line in lines)

    again = CliRunner().invoke(cli, [*command, "--force"])
    assert again.exit_code == 0, again.output
    # the AI label, the title and the three sentences
    assert "5 of 5 chunks are in the cache from an earlier run; 0 to synthesise" in again.output
    assert "Speaking" not in again.output
