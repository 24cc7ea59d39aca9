"""The podcast feed: RSS 2.0 with the itunes and Podcasting 2.0 namespaces.

Written with xml.etree rather than feedgen: feedgen (1.0.0) has the itunes
extension but nothing for the Podcasting 2.0 namespace (podcast:guid,
podcast:chapters, podcast:transcript), which would mean writing a feedgen
extension class against its lxml internals anyway, and it adds lxml and
dateutil for some twenty tags. ElementTree escapes every text and attribute,
and the tests read the result back with feedparser, a real feed reader.

Tags, after Apple's podcast RSS requirements: channel title, description,
language, itunes:image, itunes:category, itunes:explicit, itunes:author,
itunes:owner (with --email: how directories verify who owns a show); item
title, enclosure (exact byte length, audio/mpeg), guid (never changes),
pubDate (RFC 2822), itunes:duration. When make wrote an Ogg Opus copy
(``--also-opus``), each file is also a podcast:alternateEnclosure, the MP3 the
default, so apps that offer the choice can save bandwidth.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from email.utils import format_datetime

from briefing import __version__
from briefing.ai_label import VISIBLE as AI_LABEL
from briefing.publish.episodes import Channel, Episode

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"

# Characters XML 1.0 forbids even escaped; a scraped title can hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_TRANSCRIPTS = (  # role in Episode.files -> (MIME type, rel)
    ("vtt", "text/vtt", "captions"),
    ("srt", "application/x-subrip", "captions"),
    ("transcript", "text/plain", None),
)


def build_feed(channel: Channel, episodes: list[Episode]) -> bytes:
    """The feed as UTF-8 bytes; ``episodes`` in the order they should appear."""
    for prefix, uri in (("itunes", ITUNES), ("podcast", PODCAST), ("atom", ATOM)):
        ET.register_namespace(prefix, uri)
    rss = ET.Element("rss", {"version": "2.0"})
    _channel(ET.SubElement(rss, "channel"), channel, episodes)
    ET.indent(rss, space="  ")
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"


def _channel(element: ET.Element, channel: Channel, episodes: list[Episode]) -> None:
    _text(element, "title", channel.title)
    _text(element, "link", channel.url("index.html"))
    _text(element, "description", channel.description)
    _text(element, "language", channel.language)
    _text(element, "generator", f"briefing {__version__}")
    dates = [d for e in episodes if (d := e.created or e.pub_date) is not None]
    if dates:  # the newest change, not "now": re-publishing unchanged input changes nothing
        _text(element, "lastBuildDate", format_datetime(max(dates)))
    ET.SubElement(
        element,
        f"{{{ATOM}}}link",
        {"href": channel.url("feed.xml"), "rel": "self", "type": "application/rss+xml"},
    )
    image = ET.SubElement(element, "image")
    _text(image, "url", channel.url(channel.cover))
    _text(image, "title", channel.title)
    _text(image, "link", channel.url("index.html"))
    _text(element, f"{{{ITUNES}}}author", channel.author)
    if channel.email:
        owner = ET.SubElement(element, f"{{{ITUNES}}}owner")
        _text(owner, f"{{{ITUNES}}}name", channel.author)
        _text(owner, f"{{{ITUNES}}}email", channel.email)
    _text(element, f"{{{ITUNES}}}summary", channel.description)
    _text(element, f"{{{ITUNES}}}type", "episodic")
    ET.SubElement(element, f"{{{ITUNES}}}image", {"href": channel.url(channel.cover)})
    category = ET.SubElement(element, f"{{{ITUNES}}}category", {"text": channel.category})
    ET.SubElement(category, f"{{{ITUNES}}}category", {"text": channel.subcategory})
    _text(element, f"{{{ITUNES}}}explicit", "false")
    _text(element, f"{{{PODCAST}}}guid", channel.guid)
    for episode in episodes:
        _item(ET.SubElement(element, "item"), channel, episode)


def _item(element: ET.Element, channel: Channel, episode: Episode) -> None:
    _text(element, "title", episode.title)
    _text(element, "link", channel.url(episode.page))
    _text(element, "description", f"【{AI_LABEL}】{episode.description or episode.title}")
    _text(element, "guid", episode.guid).set("isPermaLink", "false")
    if episode.pub_date is not None:
        _text(element, "pubDate", format_datetime(episode.pub_date))
    if episode.author:
        _text(element, f"{{{ITUNES}}}author", episode.author)
    ET.SubElement(
        element,
        "enclosure",
        {
            "url": channel.url(episode.files["audio"]),
            "length": str(episode.audio_bytes),
            "type": "audio/mpeg",
        },
    )
    if "opus" in episode.files:
        _alternate_enclosure(element, channel, episode, "audio", episode.audio_bytes)
        _alternate_enclosure(element, channel, episode, "opus", episode.opus_bytes)
    _text(element, f"{{{ITUNES}}}duration", str(round(episode.duration_ms / 1000)))
    _text(element, f"{{{ITUNES}}}episodeType", "full")
    _text(element, f"{{{ITUNES}}}explicit", "false")
    if "chapters" in episode.files:
        ET.SubElement(
            element,
            f"{{{PODCAST}}}chapters",
            {"url": channel.url(episode.files["chapters"]), "type": "application/json+chapters"},
        )
    for role, mime, rel in _TRANSCRIPTS:
        if role not in episode.files:
            continue
        attributes = {
            "url": channel.url(episode.files[role]),
            "type": mime,
            "language": episode.language.lower(),
        }
        if rel:
            attributes["rel"] = rel
        ET.SubElement(element, f"{{{PODCAST}}}transcript", attributes)


_ALTERNATES = {  # role in Episode.files -> (MIME type, codecs, title)
    "audio": ("audio/mpeg", "mp3", "MP3"),
    "opus": ("audio/ogg", "opus", "Opus"),
}


def _alternate_enclosure(
    element: ET.Element, channel: Channel, episode: Episode, role: str, size: int
) -> None:
    mime, codecs, name = _ALTERNATES[role]
    bitrate = round(size * 8000 / episode.duration_ms)  # bits per second, on average
    attributes = {
        "type": mime,
        "length": str(size),
        "bitrate": str(bitrate),
        "codecs": codecs,
        "title": f"{name} {round(bitrate / 1000)} kbit/s",
    }
    if role == "audio":
        attributes["default"] = "true"
    alternate = ET.SubElement(element, f"{{{PODCAST}}}alternateEnclosure", attributes)
    ET.SubElement(alternate, f"{{{PODCAST}}}source", {"uri": channel.url(episode.files[role])})


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _NOT_XML.sub("", text)
    return element
