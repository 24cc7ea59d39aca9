"""The podcast feed, read back with feedparser (a real feed reader) and ElementTree."""

from __future__ import annotations

import email.utils
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from publish_helpers import add_briefing, read_metadata

from briefing.publish import PublishConfig, publish

BASE = "https://news.example.com/listen"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = "{https://podcastindex.org/namespace/1.0}"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    add_briefing(tmp_path, "first")
    add_briefing(
        tmp_path,
        "第二篇",
        title="第二篇<script>alert(1)</script>",
        published=None,
        created="2026-11-28T09:00:00+00:00",
    )
    publish(PublishConfig(tmp_path, base_url=BASE + "/", title="江苏·听新闻", author="江苏网"))
    return tmp_path


def _parse(folder: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((folder / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    return parsed


def test_channel_has_every_tag_apple_requires(site: Path) -> None:
    feed = _parse(site).feed
    assert feed.title == "江苏·听新闻"
    assert feed.subtitle  # <description>
    assert feed.language == "zh-cn"
    assert feed.image.href == f"{BASE}/cover.png"
    assert (site / "cover.png").read_bytes().startswith(b"\x89PNG")
    assert {"News", "Daily News"} <= {tag.term for tag in feed.tags}
    assert "itunes_explicit" in feed
    assert feed.author == "江苏网"
    assert feed.link == f"{BASE}/index.html"
    channel = ET.parse(site / "feed.xml").getroot().find("channel")
    assert channel is not None
    assert channel.findtext(f"{ITUNES}explicit") == "false"
    assert channel.find(f"{ITUNES}category").get("text") == "News"  # type: ignore[union-attr]
    assert channel.find(f"{ITUNES}image").get("href") == f"{BASE}/cover.png"  # type: ignore[union-attr]


def test_the_owner_is_in_the_feed_only_when_an_email_is_given(site: Path) -> None:
    channel = ET.parse(site / "feed.xml").getroot().find("channel")
    assert channel is not None and channel.find(f"{ITUNES}owner") is None
    publish(PublishConfig(site, email="listen@js.example.cn"))
    owner = _parse(site).feed.publisher_detail
    assert (owner.name, owner.email) == ("江苏网", "listen@js.example.cn")


def test_channel_podcast_guid_is_uuid5_of_the_feed_url(site: Path) -> None:
    import uuid

    expected = uuid.uuid5(
        uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "news.example.com/listen/feed.xml"
    )
    assert _parse(site).feed.podcast_guid == str(expected)


def test_items_have_required_tags_and_exact_enclosure_lengths(site: Path) -> None:
    entries = _parse(site).entries
    assert len(entries) == 2
    for entry in entries:
        assert entry.title
        assert entry.id and entry.guidislink is False
        assert entry.published_parsed is not None
        # RFC 2822, as email.utils reads it back
        assert email.utils.parsedate_to_datetime(entry.published).tzinfo is not None
        duration_ms = read_metadata(site / "first.briefing.json")["duration_ms"]
        assert int(entry.itunes_duration) == round(duration_ms / 1000)
        enclosure = next(link for link in entry.links if link.rel == "enclosure")
        assert enclosure.type == "audio/mpeg"
        file_name = enclosure.href.rsplit("/", 1)[1]
        from urllib.parse import unquote

        audio = site / unquote(file_name)
        assert int(enclosure.length) == audio.stat().st_size
    titles = [entry.title for entry in entries]
    # newest first: the one with no article date was made in 2026, the other is from 2019
    assert titles[0] == "第二篇<script>alert(1)</script>"


def test_markup_in_a_title_stays_text_in_the_xml(site: Path) -> None:
    raw = (site / "feed.xml").read_text("utf-8")
    assert "<script>" not in raw
    assert "&lt;script&gt;" in raw


def test_chapters_and_transcript_links_point_at_the_sidecars(site: Path) -> None:
    root = ET.parse(site / "feed.xml").getroot()
    for item in root.iter("item"):
        chapters = item.find(f"{PODCAST}chapters")
        assert chapters is not None
        assert chapters.get("type") == "application/json+chapters"
        chapters_file = _local(site, chapters.get("url", ""))
        assert json.loads(chapters_file.read_text("utf-8"))["version"] == "1.2.0"
        transcripts = {t.get("type"): t for t in item.findall(f"{PODCAST}transcript")}
        assert set(transcripts) == {"text/vtt", "application/x-subrip", "text/plain"}
        assert (
            _local(site, transcripts["text/vtt"].get("url", ""))
            .read_text("utf-8")
            .startswith("WEBVTT")
        )
        assert transcripts["text/vtt"].get("rel") == "captions"
        assert transcripts["text/vtt"].get("language") == "zh-cn"
        assert _local(site, transcripts["application/x-subrip"].get("url", "")).suffix == ".srt"
    # feedparser sees them too
    entry = _parse(site).entries[0]
    assert entry.podcast_chapters["url"].endswith(".chapters.json")


def _local(site: Path, url: str) -> Path:
    from urllib.parse import unquote

    assert url.startswith(BASE + "/")
    path = site / unquote(url[len(BASE) + 1 :])
    assert path.is_file(), url
    return path


def test_control_characters_from_an_article_do_not_break_the_xml(tmp_path: Path) -> None:
    add_briefing(tmp_path, "ctl", title="标题\x0b带控制符\x1f", description="a\x00b")
    publish(PublishConfig(tmp_path, base_url=BASE))
    entry = _parse(tmp_path).entries[0]
    assert entry.title == "标题带控制符"
