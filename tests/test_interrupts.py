"""Ctrl-C, however many times it comes, stops ``briefing make`` at once and
cleanly: exit status 130, one line saying so, no traceback (from us or a
worker process), no output or temporary file, no process left running.

A terminal sends Ctrl-C to the whole foreground process group, so the tests
run make in a session of its own and signal the group, as a terminal would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from edge_server import wait_until

from briefing.cache import ChunkCache

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "jiangsu-duikou-zhiyuan.txt"


def processes_in_session(session: int) -> list[str]:
    """Command lines of the live processes of ``session`` (zombies excluded)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
            cmdline = (status.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        state, sid = fields[0], int(fields[3])
        if sid == session and state != "Z":
            found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


def interrupted_make(
    tmp_path: Path, backend: str, presses: int, gap_s: float
) -> tuple[subprocess.Popen[str], str]:
    """Start make on the seed, press Ctrl-C ``presses`` times ``gap_s`` apart once
    a chunk is in the cache, and return the finished run and its stderr."""
    out = tmp_path / "out"
    out.mkdir()
    env = dict(
        os.environ,
        BRIEFING_CACHE_DIR=str(tmp_path / "cache"),
        PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    )
    command = [sys.executable, "-m", "briefing", "make", str(SEED), "-o", str(out / "b.mp3")]
    run = subprocess.Popen(
        [*command, "--backend", backend, "--jobs", "2"],
        env=env,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        cache = ChunkCache(tmp_path / "cache")
        assert wait_until(lambda: cache.stats()[0] >= 1, timeout_s=120), "nothing was synthesised"
        for press in range(presses):
            if press:
                time.sleep(gap_s)
            os.killpg(run.pid, signal.SIGINT)
        _, stderr = run.communicate(timeout=30)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    return run, stderr


def assert_stopped_cleanly(run: subprocess.Popen[str], stderr: str, tmp_path: Path) -> None:
    assert run.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert "Interrupted; finished chunks are cached" in stderr, stderr
    assert list((tmp_path / "out").iterdir()) == []
    assert wait_until(lambda: not processes_in_session(run.pid), timeout_s=5), processes_in_session(
        run.pid
    )


@pytest.mark.parametrize("gap_s", [0.05, 0.4, 1.2])
def test_ctrl_c_twice_stops_a_baker_make_cleanly(
    baker_weights: Path, tmp_path: Path, gap_s: float
) -> None:
    run, stderr = interrupted_make(tmp_path, "baker", presses=2, gap_s=gap_s)
    assert_stopped_cleanly(run, stderr, tmp_path)


def test_ctrl_c_three_times_stops_an_espeak_make_cleanly(tmp_path: Path) -> None:
    run, stderr = interrupted_make(tmp_path, "espeak", presses=3, gap_s=0.2)
    assert_stopped_cleanly(run, stderr, tmp_path)
