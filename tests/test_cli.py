"""The whole command line on the seed article, with the real espeak voice."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from mp3_files import read_mp3
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3

from briefing.cli import cli
from briefing.ffmpeg import ffmpeg_exe

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "jiangsu-duikou-zhiyuan.txt"
CHROME = ["webwxgetmsgimg", "听新闻", "下一篇", "责编", "标签", "来源", "2019-04-02", "(作者为"]


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "chunk-cache"))


@pytest.fixture(scope="module")
def seed_briefing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "seed.mp3"
    result = CliRunner().invoke(
        cli,
        ["make", str(SEED), "-o", str(out), "--backend", "espeak", "--quiet"],
        catch_exceptions=False,
        env={"BRIEFING_CACHE_DIR": str(out.parent / "cache")},
    )
    assert result.exit_code == 0, result.output
    return out


def test_make_writes_the_mp3_and_every_sidecar(seed_briefing):
    names = {p.name for p in seed_briefing.parent.iterdir() if p.is_file()}
    assert names == {
        "seed.mp3",
        "seed.txt",
        "seed.vtt",
        "seed.srt",
        "seed.chapters.json",
        "seed.briefing.json",
    }


def test_mp3_decodes_cleanly_to_the_briefing_length(seed_briefing):
    metadata = json.loads(seed_briefing.with_suffix(".briefing.json").read_text())
    decoded = read_mp3(seed_briefing)  # without a complaint from ffmpeg
    rate = MP3(seed_briefing).info.sample_rate
    decoded_ms = len(decoded) / rate * 1000
    assert abs(decoded_ms - metadata["duration_ms"]) <= 30
    assert metadata["duration_ms"] > 60_000


def test_chapters_tile_the_audio_exactly(seed_briefing):
    id3 = ID3(seed_briefing)
    (toc,) = [t for t in id3.getall("CTOC") if t.flags & CTOCFlags.TOP_LEVEL]
    chaps = {c.element_id: c for c in id3.getall("CHAP")}
    ordered = [chaps[i] for i in toc.child_element_ids]
    duration_ms = json.loads(seed_briefing.with_suffix(".briefing.json").read_text())["duration_ms"]
    assert ordered[0].start_time == 0
    assert all(a.end_time == b.start_time for a, b in zip(ordered, ordered[1:], strict=False))
    assert ordered[-1].end_time == duration_ms
    # mutagen's length counts the encoder's padding frames; within two frames.
    assert abs(MP3(seed_briefing).info.length * 1000 - duration_ms) < 2 * 1152 / 22.05
    titles = [c.sub_frames["TIT2"].text[0] for c in ordered]
    assert titles[0] == "紧扣“关键之年”做好对口支援"
    assert [t[:6] for t in titles[1:]] == ["提高政治站位", "咬紧目标任务", "拓宽协作空间"]
    assert all(len(t) <= 24 for t in titles)


def test_tags_carry_the_articles_metadata(seed_briefing):
    id3 = ID3(seed_briefing)
    assert id3.version == (2, 3, 0)
    assert str(id3["TIT2"]) == "【思想周刊·政声】紧扣“关键之年”做好对口支援"
    assert str(id3["TPE1"]) == "刘浩春"
    assert str(id3["TPUB"]) == "中国江苏网"
    assert str(id3["TDRC"]).startswith("2019-04-02")
    transcript = seed_briefing.with_suffix(".txt").read_text(encoding="utf-8")
    assert id3.getall("USLT")[0].text == transcript


def test_the_mp3_carries_each_cue_as_synchronised_text(seed_briefing):
    cues = json.loads(seed_briefing.with_suffix(".briefing.json").read_text())["cues"]
    (synced,) = ID3(seed_briefing).getall("SYLT")
    assert len(synced.text) == len(cues) > 30
    assert [start for _, start in synced.text] == [cue["start_ms"] for cue in cues]
    assert [text for text, _ in synced.text] == [" ".join(cue["text"].split()) for cue in cues]


def test_transcript_holds_the_whole_body_and_no_chrome(seed_briefing):
    transcript = seed_briefing.with_suffix(".txt").read_text(encoding="utf-8")
    flat = re.sub(r"\s", "", transcript)
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"\s", "", line)
        if "。" in line:  # every body paragraph of the seed ends its sentences with 。
            assert line in flat, f"body paragraph missing: {line[:20]}"
    for chrome in CHROME:
        assert chrome not in transcript


def test_sidecars_agree_with_the_chapters(seed_briefing):
    chapters = json.loads(seed_briefing.with_suffix(".chapters.json").read_text())["chapters"]
    chaps = sorted(ID3(seed_briefing).getall("CHAP"), key=lambda c: c.start_time)
    assert [(round(c["startTime"] * 1000), round(c["endTime"] * 1000)) for c in chapters] == [
        (c.start_time, c.end_time) for c in chaps
    ]
    vtt = seed_briefing.with_suffix(".vtt").read_text(encoding="utf-8")
    srt = seed_briefing.with_suffix(".srt").read_text(encoding="utf-8")
    times = re.findall(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})", vtt)
    spans = [(_ms(t[:4]), _ms(t[4:])) for t in times]
    assert len(spans) == srt.count(" --> ") > 30
    assert all(start < end for start, end in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), "cues overlap"
    assert spans[-1][1] <= chaps[-1].end_time
    # Each chapter starts before its first cue: no sentence straddles a chapter start.
    for chap in chaps[1:]:
        assert not any(start < chap.start_time < end for start, end in spans)


def _ms(parts) -> int:
    h, m, s, ms = map(int, parts)
    return ((h * 60 + m) * 60 + s) * 1000 + ms


def test_loudness_meets_the_podcast_norm(seed_briefing):
    result = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-nostats",
            "-i",
            str(seed_briefing),
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        errors="replace",
    )
    summary = result.stderr[result.stderr.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    assert integrated == pytest.approx(-19, abs=0.5)
    assert peak <= -1.0
    # What make says it wrote is what was written.
    metadata = json.loads(seed_briefing.with_suffix(".briefing.json").read_text())
    assert metadata["loudness_lufs"] == pytest.approx(integrated, abs=0.15)


def test_plan_json_shows_metadata_sections_and_spoken_forms():
    result = run("plan", str(SEED), "--json")
    assert result.exit_code == 0
    plan = json.loads(result.output)
    assert plan["title"] == "【思想周刊·政声】紧扣“关键之年”做好对口支援"
    assert plan["published"] == "2019-04-02T07:14:00"
    assert (plan["source"], plan["author"], plan["editors"]) == (
        "中国江苏网",
        "刘浩春",
        ["孟涛", "崔欣"],
    )
    assert len(plan["tags"]) == 10
    assert len(plan["sections"]) == 4
    chunks = [c for s in plan["sections"] for c in s["chunks"]]
    seventy = next(c for c in chunks if "70周年" in c["text"])
    assert "七十周年" in seventy["spoken"]


def test_normalize_reads_text_and_each_stdin_line():
    assert run("normalize", "增长5.3%").output == "增长百分之五点三\n"
    result = run("normalize", input="4月2日\n\n1999年\n")
    assert result.output.splitlines() == ["四月二日", "", "一九九九年"]


def test_voices_lists_espeak_as_working():
    output = run("voices").output
    assert re.search(r"^espeak \(works now\)", output, re.M)
    assert "cmn" in output


def test_stdin_input_makes_a_briefing(tmp_path):
    out = tmp_path / "stdin.mp3"
    result = run(
        "make",
        "-",
        "-o",
        str(out),
        "--backend",
        "espeak",
        "-q",
        input="测试标题\n\n这是第一段，很短。\n".encode(),
    )
    assert result.exit_code == 0, result.output
    assert out.exists() and out.with_suffix(".vtt").exists()


def test_default_output_never_overwrites_a_txt_input(tmp_path):
    article = tmp_path / "news.txt"
    article.write_text("标题\n\n正文第一段。\n", encoding="utf-8")
    result = run("make", str(article), "--backend", "espeak", "-q")
    assert result.exit_code == 0, result.output
    assert article.read_text(encoding="utf-8") == "标题\n\n正文第一段。\n"
    assert (tmp_path / "news.briefing.mp3").exists()
    assert (tmp_path / "news.briefing.txt").exists()


# Bad input: one line `Error: …`, exit 1, no traceback, nothing half-written.


def assert_user_error(result, pattern: str) -> None:
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert re.search(pattern, lines[0]), lines[0]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name, data, pattern",
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\t\n\xe3\x80\x80\n", "white space|empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("latin1.txt", "Café crème brûlée ÿ".encode("latin-1") * 3, "encoding|no Chinese text"),
        ("english.txt", b"Hello world.\n\nThis is English.\n", "has no Chinese text to read"),
        ("chrome.txt", "听新闻\n下一篇\n".encode(), "no article text"),
    ],
)
def test_bad_input_files_get_one_line_errors(tmp_path, name, data, pattern):
    out = tmp_path / "out.mp3"
    result = run("make", str(write(tmp_path / name, data)), "-o", str(out), "--backend", "espeak")
    assert_user_error(result, pattern)
    assert not out.exists()


def test_missing_file(tmp_path):
    assert_user_error(
        run("make", str(tmp_path / "nope.txt"), "--backend", "espeak"), "no such file"
    )


def test_missing_or_unwritable_output_folder(tmp_path):
    assert_user_error(
        run("make", str(SEED), "-o", str(tmp_path / "no" / "x.mp3")), "does not exist"
    )
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        import os

        if os.geteuid() == 0:
            pytest.skip("root can write to any folder")
        assert_user_error(run("make", str(SEED), "-o", str(locked / "x.mp3")), "not writable")
    finally:
        locked.chmod(0o700)


def test_existing_output_is_kept_unless_forced(tmp_path):
    out = write(tmp_path / "old.mp3", b"precious")
    assert_user_error(
        run("make", str(SEED), "-o", str(out), "--backend", "espeak"), "already exist"
    )
    assert out.read_bytes() == b"precious"


def test_a_failed_run_leaves_existing_outputs_intact_and_no_temp_files(tmp_path):
    out = write(tmp_path / "old.mp3", b"precious")
    result = run(
        "make",
        str(SEED),
        "-o",
        str(out),
        "--backend",
        "espeak",
        "--voice",
        "zz-none",
        "--force",
        "-q",
    )
    assert_user_error(result, "no voice 'zz-none'")
    assert out.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.mp3"]


def test_debug_shows_the_traceback(tmp_path):
    from briefing.errors import InputError

    with pytest.raises(InputError):
        run("--debug", "make", str(tmp_path / "nope.txt"))


@pytest.fixture
def small_disk(tmp_path):
    """A 300 kB filesystem: too small for the seed's MP3. Needs mount rights."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_is_reported_and_leaves_nothing_behind(small_disk):
    result = run("make", str(SEED), "-o", str(small_disk / "x.mp3"), "--backend", "espeak", "-q")
    assert_user_error(result, "disk is full.*free some space")
    assert list(small_disk.iterdir()) == []


def test_an_output_that_is_the_input_is_refused_even_with_force(tmp_path):
    article = tmp_path / "news.txt"
    article.write_text("标题\n\n正文第一段。\n", encoding="utf-8")
    result = run("make", str(article), "-o", str(tmp_path / "news.mp3"), "--force", "-q")
    assert_user_error(result, "would be overwritten by an output")
    assert article.read_text(encoding="utf-8") == "标题\n\n正文第一段。\n"


def test_an_unexpected_exception_is_one_line_with_exit_70(monkeypatch):
    from briefing import pipeline

    def broken_plan(source: str, backend: str) -> None:
        raise IndexError("tuple index out of range")

    monkeypatch.setattr(pipeline, "plan", broken_plan)
    result = run("plan", str(SEED))
    assert result.exit_code == 70
    assert result.output.splitlines() == [
        "Error: internal error (IndexError: tuple index out of range); "
        "run with --debug for the traceback"
    ]
    with pytest.raises(IndexError):
        run("--debug", "plan", str(SEED))


def test_an_internal_error_from_a_real_process_shows_no_traceback(tmp_path):
    # A stage broken (by a sitecustomize module) in a real process: stderr
    # holds the one line, nothing else.
    (tmp_path / "sitecustomize.py").write_text(
        "import briefing.pipeline as p\n"
        "def plan(*args, **kwargs):\n"
        "    raise RuntimeError('stage broke\\nsecond line')\n"
        "p.plan = plan\n"
    )
    import os
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "briefing", "plan", str(SEED)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 70
    assert result.stderr == (
        "Error: internal error (RuntimeError: stage broke); run with --debug for the traceback\n"
    )


@pytest.mark.parametrize(("text", "spoken"), [("-5", "负五"), ("-3.5度", "负三点五度")])
def test_normalize_reads_text_that_starts_with_a_minus(text, spoken):
    result = run("normalize", text)
    assert (result.exit_code, result.output) == (0, spoken + "\n")
    assert "Usage" in run("normalize", "--help").output


def test_plan_accepts_a_path_object():
    from briefing.pipeline import plan

    article = plan(SEED, "espeak")
    assert article.title == plan(str(SEED), "espeak").title
    assert article.chunks


@pytest.mark.parametrize("name", ["out.wav", "out.M4A", "out.ogg"])
def test_an_output_in_another_format_is_refused_not_renamed(tmp_path, name):
    result = run("make", str(SEED), "-o", str(tmp_path / name), "--backend", "espeak", "-q")
    assert_user_error(result, f"{re.escape(name)}: briefing writes MP3 audio only.*out.mp3")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("given", "written"),
    [("out", "out.mp3"), ("out.MP3", "out.MP3"), ("news.2019", "news.2019.mp3")],
)
def test_an_output_without_a_format_becomes_mp3(given, written):
    from briefing.pipeline import mp3_path

    assert mp3_path(Path(given)) == Path(written)
