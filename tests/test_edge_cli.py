"""``briefing make --backend edge`` end to end, against the loopback fake service."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from edge_server import wait_until
from mp3_files import read_mp3

from briefing.backends.edge import EdgeBackend
from briefing.cache import ChunkCache
from briefing.cli import cli

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = """江苏对口支援新进展

今年是全面建成小康社会的关键之年。江苏扎实开展对口支援工作！

提高政治站位，增强使命感。确保受援地与全国一起脱贫致富。

坚持目标不变，把任务完成好。
"""
SENTENCES = 7  # the spoken AI label, the title and five sentences: one chunk each


@pytest.fixture
def article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    # Quick retries: the behaviour is the same, the tests just do not wait.
    monkeypatch.setattr(EdgeBackend, "backoff_s", 0.01)
    monkeypatch.setattr(EdgeBackend, "stall_timeout_s", 1.0)
    (tmp_path / "out").mkdir()
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def make(article: Path, *extra: str):
    out = article.parent / "out" / "briefing.mp3"
    return CliRunner().invoke(
        cli,
        ["make", str(article), "-o", str(out), "--backend", "edge", "-q", *extra],
        catch_exceptions=False,
    )


def _cues(vtt: str) -> list[tuple[int, int, str]]:
    def ms(stamp: str) -> int:
        hours, minutes, seconds = stamp.split(":")
        return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)

    found = re.findall(r"([\d:.]+) --> ([\d:.]+)\n(.+)", vtt)
    return [(ms(start), ms(end), text) for start, end, text in found]


def _rms(samples: np.ndarray, start_ms: float, end_ms: float) -> float:
    window = samples[max(0, int(start_ms * 24)) : int(end_ms * 24)]
    return float(np.sqrt(np.mean(window**2))) if len(window) else 0.0


def test_make_with_edge_writes_every_file(edge_server, article: Path) -> None:
    result = make(article)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (article.parent / "out").iterdir())
    assert names == [
        "briefing.briefing.json",
        "briefing.chapters.json",
        "briefing.mp3",
        "briefing.srt",
        "briefing.txt",
        "briefing.vtt",
    ]
    assert len(edge_server.requests) == SENTENCES
    assert {r.voice for r in edge_server.requests} == {
        "Microsoft Server Speech Text to Speech Voice (zh-CN, XiaoxiaoNeural)"
    }


def test_a_preset_voice_and_rate_reach_the_service(edge_server, article: Path) -> None:
    assert make(article, "--voice", "yunyang", "--rate", "+20%").exit_code == 0
    assert {(r.voice, r.rate) for r in edge_server.requests} == {
        ("Microsoft Server Speech Text to Speech Voice (zh-CN, YunyangNeural)", "+20%")
    }


def test_cues_line_up_with_the_audio(edge_server, article: Path) -> None:
    assert make(article).exit_code == 0
    out = article.parent / "out"
    audio = read_mp3(out / "briefing.mp3", 24_000).astype(np.float64)
    cues = _cues((out / "briefing.vtt").read_text(encoding="utf-8"))
    assert [text for _, _, text in cues][-2:] == [
        "确保受援地与全国一起脱贫致富。",
        "坚持目标不变，把任务完成好。",
    ]
    loud = min(_rms(audio, start + 20, end - 20) for start, end, _ in cues)
    for start, end, text in cues:
        # The fake voice is silent between sentences and sounds a tone while
        # speaking: each cue must begin where the sound begins and end where it ends.
        before, first = _rms(audio, start - 120, start - 30), _rms(audio, start + 30, start + 120)
        last, after = _rms(audio, end - 120, end - 30), _rms(audio, end + 30, end + 120)
        assert before < loud / 10 < first, (text, start)
        assert after < loud / 10 < last, (text, end)
    assert cues[-1][1] <= len(audio) / 24


def test_a_rerun_sends_nothing(edge_server, article: Path) -> None:
    assert make(article).exit_code == 0
    first_vtt = (article.parent / "out" / "briefing.vtt").read_text(encoding="utf-8")
    edge_server.reset_counts()
    assert make(article, "--force").exit_code == 0
    assert edge_server.requests == []
    assert (article.parent / "out" / "briefing.vtt").read_text(encoding="utf-8") == first_vtt


def test_editing_one_paragraph_resends_only_that_paragraph(edge_server, article: Path) -> None:
    assert make(article).exit_code == 0
    edited = ARTICLE.replace(
        "提高政治站位，增强使命感。确保受援地与全国一起脱贫致富。",
        "提高站位，增强责任感。确保各地一起致富。",
    )
    article.write_text(edited, encoding="utf-8")
    edge_server.reset_counts()
    assert make(article, "--force").exit_code == 0
    assert sorted(r.text for r in edge_server.requests) == sorted(
        ["提高站位，增强责任感。", "确保各地一起致富。"]
    )


def test_a_refusal_is_one_error_line_and_writes_nothing(edge_server, article: Path) -> None:
    edge_server.fail_always("403")
    result = make(article)
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: ") and "HTTP 403" in line
    assert list((article.parent / "out").iterdir()) == []


def test_a_refusal_mid_run_leaves_the_old_briefing_untouched_and_resumes(
    edge_server, article: Path
) -> None:
    out = article.parent / "out"
    (out / "briefing.mp3").write_bytes(b"the old briefing")
    edge_server.fail_next("ok", 1 + 2)  # the availability probe and two chunks get through
    edge_server.fail_always("403")
    result = make(article, "--force", "--jobs", "1")
    assert result.exit_code == 1
    assert re.fullmatch(r"Error: edge failed on section 1, chunk \d .*HTTP 403.*\n", result.output)
    assert sorted(p.name for p in out.iterdir()) == ["briefing.mp3"]  # no temp files either
    assert (out / "briefing.mp3").read_bytes() == b"the old briefing"
    assert ChunkCache().stats()[0] == 2

    edge_server.fail_always(None)
    edge_server.reset_counts()
    assert make(article, "--force").exit_code == 0
    assert len(edge_server.requests) == SENTENCES - 2
    assert (out / "briefing.mp3").read_bytes()[:3] == b"ID3"


def test_a_voice_the_service_does_not_have_is_refused_before_anything_is_sent(
    edge_server, article: Path
) -> None:
    result = make(article, "--voice", "zh-CN-NoSuchVoiceNeural")
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: 'zh-CN-NoSuchVoiceNeural' is not an edge voice"), line
    assert "briefing voices" in line
    assert edge_server.requests == []
    assert list((article.parent / "out").iterdir()) == []


def test_a_voice_only_the_service_lists_is_accepted(edge_server, article: Path) -> None:
    result = make(article, "--voice", "zh-CN-TestOnlyNeural")
    assert result.exit_code == 0, result.output
    assert len(edge_server.requests) == SENTENCES


def test_retries_are_invisible_to_the_user(edge_server, article: Path) -> None:
    for fault in ("drop", "503", "429", "abort", "no-audio"):
        edge_server.fail_next(fault)
    result = make(article, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert len(edge_server.served) == SENTENCES


def encoders_writing_to(folder: Path) -> list[str]:
    """Command lines of running ffmpeg processes that name a file in ``folder``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue  # the process ended while we looked
        is_ffmpeg = Path(os.fsdecode(args[0])).name.startswith("ffmpeg")
        if is_ffmpeg and any(arg.startswith(os.fsencode(f"{folder}/")) for arg in args):
            found.append(b" ".join(args).decode(errors="replace"))
    return found


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_killed_run_resumes_where_it_stopped(
    edge_server, article: Path, signal_number: int
) -> None:
    # Each sentence streams for about three seconds: the run is still under way
    # when the test, on a loaded machine, has looked for its encoder.
    edge_server.speed = 1.0
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    out = article.parent / "out"
    # The encoder starts after a second of audio, not a minute: it is running
    # when the signal comes, and must be stopped too.
    start = "import briefing.assemble as a; a.OPENING_S = 1; from briefing.cli import main; main()"
    command = [
        sys.executable,
        "-c",
        start,
        "make",
        str(article),
        "-o",
        str(out / "b.mp3"),
        "--backend",
        "edge",
        "--jobs",
        "1",
        "-q",
    ]
    run = subprocess.Popen(
        command, env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True
    )

    def fail(why: str) -> None:
        run.kill()
        pytest.fail(f"{why}; the program said:\n{run.communicate()[1]}")

    try:
        # Killed once two chunks are in the cache and the third is on its way.
        if not wait_until(lambda: ChunkCache().stats()[0] >= 2, timeout_s=30):
            fail("two chunks were not in the cache after 30 s")
        if not encoders_writing_to(out):
            fail("the encoder should be running by now")
        if signal_number == signal.SIGINT:
            # As a terminal does, to the whole group: our ffmpeg has a group
            # of its own, so that briefing alone decides how it stops.
            os.killpg(run.pid, signal_number)
        else:
            run.send_signal(signal_number)  # `kill PID` reaches only briefing
        _, stderr = run.communicate(timeout=10)
    finally:
        run.kill()
    # What the program said is shown when the exit status is not the expected one.
    if signal_number == signal.SIGINT:
        assert run.returncode == 130, stderr
        assert "Interrupted; finished chunks are cached" in stderr
    else:
        assert run.returncode == -signal.SIGTERM, stderr
    assert "Traceback" not in stderr
    # Nothing is left behind: no output, no temporary file, no encoder.
    assert list(out.iterdir()) == []
    assert wait_until(lambda: not encoders_writing_to(out), timeout_s=5)
    finished = ChunkCache().stats()[0]
    assert 2 <= finished < SENTENCES

    edge_server.reset_counts()
    edge_server.speed = 0
    assert make(article).exit_code == 0
    assert len(edge_server.requests) == SENTENCES - finished


def test_auto_uses_edge_when_it_answers_and_says_so(edge_server, article: Path) -> None:
    out = article.parent / "out" / "auto.mp3"
    result = CliRunner().invoke(cli, ["make", str(article), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Voice: edge / zh-CN-XiaoxiaoNeural (auto)" in result.output
    assert len(edge_server.requests) == SENTENCES


def test_auto_passes_over_edge_when_it_refuses(edge_server, article: Path) -> None:
    edge_server.fail_always("403")
    out = article.parent / "out" / "auto.mp3"
    result = CliRunner().invoke(cli, ["make", str(article), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Voice: edge" not in result.output
    assert "edge" in result.output.splitlines()[0]  # it says why edge was passed over
    assert edge_server.requests == []
