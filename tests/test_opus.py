"""make --also-opus: the low-bandwidth Ogg Opus copy, and how publish offers it.

A short two-chapter article is made with the real espeak voice; the Opus file
is read back with mutagen and ffmpeg, then published, and the feed is read
back with feedparser and ElementTree.
"""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import numpy as np
import pytest
from click.testing import CliRunner
from mutagen.oggopus import OggOpus
from publish_helpers import add_briefing, read_metadata, write_metadata

from briefing.cli import cli
from briefing.ffmpeg import ffmpeg_exe
from briefing.publish import PublishConfig, publish

BASE = "https://news.example.com/listen"
PODCAST = "{https://podcastindex.org/namespace/1.0}"
ARTICLE = """\
# 城市慢行系统建设提速

## 一、步道连成网

今年以来，全市新建步道一百二十公里。沿河步道和公园绿道已经连成一张网。

## 二、骑行更安全

主要路口增设了非机动车等候区。市民说，骑车上班比过去安心多了。
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("opus")
    (folder / "article.md").write_text(ARTICLE, encoding="utf-8")
    out = folder / "site" / "slow.mp3"
    out.parent.mkdir()
    result = CliRunner().invoke(
        cli,
        ["make", str(folder / "article.md"), "-o", str(out), "--backend", "espeak"]
        + ["--quiet", "--also-opus"],
        catch_exceptions=False,
        env={"BRIEFING_CACHE_DIR": str(folder / "cache")},
    )
    assert result.exit_code == 0, result.output
    return out


def decoded(path: Path, rate: int = 16_000) -> np.ndarray:
    command = [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1"]
    result = subprocess.run([*command, "-ar", str(rate), "-"], capture_output=True, check=True)
    assert result.stderr == b"", result.stderr.decode()
    return np.frombuffer(result.stdout, "<i2").astype(np.float64)


def test_the_opus_copy_is_low_bitrate_mono_and_as_long_as_the_programme(made):
    record = json.loads(made.with_suffix(".briefing.json").read_text())
    opus_path = made.with_suffix(".opus")
    assert record["files"]["opus"] == "slow.opus"
    info = OggOpus(opus_path).info
    assert info.channels == 1
    assert abs(info.length * 1000 - record["duration_ms"]) <= 30
    kbps = opus_path.stat().st_size * 8 / record["duration_ms"]
    assert 12 <= kbps <= 32, kbps  # about 24 kbit/s, with Ogg's overhead on a short file
    assert opus_path.stat().st_size < made.stat().st_size / 2


def test_the_opus_copy_plays_in_step_with_the_mp3(made):
    mp3, opus = decoded(made), decoded(made.with_suffix(".opus"))
    assert abs(len(mp3) - len(opus)) <= 16 * 30  # 30 ms at 16 kHz
    # the same speech at the same moments: the loudness envelopes (20 ms frames) agree
    frames = min(len(mp3), len(opus)) // 320
    envelopes = [
        np.sqrt((signal[: frames * 320].reshape(frames, 320) ** 2).mean(axis=1))
        for signal in (mp3, opus)
    ]
    assert np.corrcoef(*envelopes)[0, 1] > 0.95
    lag = np.argmax(np.correlate(envelopes[0], envelopes[1], mode="full")) - (frames - 1)
    assert lag == 0


def test_its_comments_carry_the_chapters_and_the_labels(made):
    record = json.loads(made.with_suffix(".briefing.json").read_text())
    tags = OggOpus(made.with_suffix(".opus")).tags
    assert tags is not None
    assert tags["TITLE"] == [record["title"]]
    assert json.loads(tags["AIGC"][0]) == record["ai_label"]["AIGC"]
    chapters = record["chapters"]
    assert [chapter["title"] for chapter in chapters[-2:]] == ["一、步道连成网", "二、骑行更安全"]
    for number, chapter in enumerate(chapters, 1):
        assert tags[f"CHAPTER{number:03d}NAME"] == [chapter["title"]]
        hours, minutes, seconds = tags[f"CHAPTER{number:03d}"][0].split(":")
        start_ms = round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)
        assert start_ms == chapter["start_ms"]
    assert f"CHAPTER{len(chapters) + 1:03d}" not in tags


def test_the_feed_offers_the_opus_copy_beside_the_mp3(made):
    site = made.parent
    publish(PublishConfig(site, base_url=BASE))
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    (entry,) = parsed.entries
    assert [e.href for e in entry.enclosures] == [f"{BASE}/slow.mp3"]  # the one enclosure
    (item,) = ET.parse(site / "feed.xml").getroot().iter("item")
    alternates = item.findall(f"{PODCAST}alternateEnclosure")
    by_type = {alternate.get("type"): alternate for alternate in alternates}
    assert set(by_type) == {"audio/mpeg", "audio/ogg"}
    assert by_type["audio/mpeg"].get("default") == "true"
    opus = by_type["audio/ogg"]
    assert opus.get("codecs") == "opus" and opus.get("default") is None
    assert opus.get("length") == str(made.with_suffix(".opus").stat().st_size)
    assert 12_000 <= int(opus.get("bitrate", "0")) <= 32_000
    sources = [source.get("uri") for source in opus.findall(f"{PODCAST}source")]
    assert sources == [f"{BASE}/slow.opus"]
    (mp3_source,) = by_type["audio/mpeg"].findall(f"{PODCAST}source")
    assert mp3_source.get("uri") == entry.enclosures[0].href


def test_the_episode_page_offers_the_opus_copy_for_download(made):
    site = made.parent
    result = publish(PublishConfig(site, base_url=BASE))
    (episode,) = result.episodes
    page = (site / episode.page).read_text("utf-8")
    assert re.search(r'<a href="\.\./slow\.opus" download>[^<]*Opus', page)
    assert re.search(r'<a href="\.\./slow\.mp3" download>', page)


def test_without_an_opus_copy_the_feed_has_no_alternates(tmp_path):
    add_briefing(tmp_path, "plain")
    publish(PublishConfig(tmp_path, base_url=BASE))
    (item,) = ET.parse(tmp_path / "feed.xml").getroot().iter("item")
    assert item.findall(f"{PODCAST}alternateEnclosure") == []


def test_a_file_named_as_opus_that_is_not_is_skipped(tmp_path):
    good = add_briefing(tmp_path, "good")
    metadata_path = add_briefing(tmp_path, "bad")
    (tmp_path / "bad.opus").write_bytes(b"ID3" + b"\0" * 100)
    metadata = read_metadata(metadata_path)
    metadata["files"]["opus"] = "bad.opus"
    write_metadata(metadata_path, metadata)
    result = publish(PublishConfig(tmp_path, base_url=BASE))
    assert [episode.files["audio"] for episode in result.episodes] == ["good.mp3"]
    assert "not Ogg Opus" in result.skipped[0].reason
    assert good.exists()
