"""Publish a folder of briefings: a podcast feed and a static site with the player.

``publish(PublishConfig(folder, base_url=…))`` reads every ``*.briefing.json``
in the folder (what ``briefing make`` writes beside each MP3), skips and reports
the broken ones, and writes into the same folder::

    feed.xml                      RSS 2.0 + itunes + Podcasting 2.0
    index.html                    the list of episodes
    episodes/SLUG.html            one page per briefing, with the player
    episodes/SLUG.embed.html      the compact player an embedded 听新闻 button opens
    assets/                       player.css, player.js, embed.js
    cover.png                     generated unless --cover gives one
    .publish-state.json           what must never change: guids, slugs, first dates

The audio and sidecars are served from where ``make`` put them: nothing is
copied, moved or deleted. The state file is what keeps re-publishing stable:
an episode is identified by its audio file name, so a briefing re-made into the
same file keeps its guid, page URL and date (podcast apps see an update, not a
new episode), and a slug once given is never given to another briefing, even
after its briefing is removed. Every file is written to a temporary name and
renamed when whole.

The package, by concern: ``episodes`` (one briefing as read from its metadata,
and the show), ``state`` (stable identity), ``images`` (the cover), ``feed``
(RSS), ``site`` (pages and the player) and ``serve`` (a local web server).
"""

from __future__ import annotations

import logging
import re
import sys
import types
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefing.errors import InputError, OutputError
from briefing.files import write_atomic
from briefing.publish.episodes import BrokenBriefing, Channel, Episode, load_episode
from briefing.publish.images import COVER_NAMES, DEFAULT_COVER, holds, write_cover
from briefing.publish.state import (
    PODCAST_GUID_NAMESPACE,
    STATE_FILE,
    assign_identities,
    foreign_files,
    load_state,
    record_written,
    save_state,
    slugify,
    unique_slug,
)
from briefing.sidecars import METADATA_SUFFIX
from briefing.tags import read_cover

__all__ = [
    "STATE_FILE",
    "PublishConfig",
    "PublishResult",
    "Skipped",
    "publish",
    "scan",
    "slugify",
    "unique_slug",
]

log = logging.getLogger(__name__)

DEFAULT_TITLE = "听新闻"
DEFAULT_DESCRIPTION = "新闻文章的普通话朗读版，附章节、文字稿与字幕。"
DEFAULT_AUTHOR = "briefing"


@dataclass
class PublishConfig:
    """What to publish and how the show presents itself.

    Options left as None come from the previous publish of this folder (kept in
    its state file), else from the defaults; ``base_url`` is required the first time.
    """

    folder: Path
    base_url: str | None = None
    title: str | None = None
    description: str | None = None
    author: str | None = None
    cover: Path | None = None
    email: str | None = None
    force: bool = False  # replace files in the folder that publish did not write


@dataclass
class Skipped:
    """A briefing that was not published, and why (one line for the user)."""

    metadata_file: str
    reason: str


@dataclass
class PublishResult:
    folder: Path
    channel: Channel
    episodes: list[Episode]
    skipped: list[Skipped] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def publish(config: PublishConfig) -> PublishResult:
    """Scan, check, identify, then write feed, site and state (in that order)."""
    from briefing.publish import feed, site

    folder = config.folder
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder; give the folder `briefing make` wrote into")
    state = load_state(folder)
    # option errors first, before any scanning
    cover_data, cover_kind = read_cover(config.cover) if config.cover is not None else (None, None)
    channel = _channel(config, state, cover_kind)
    episodes, skipped = scan(folder)
    if not episodes and not skipped:
        raise InputError(
            f"no briefings in {folder}; make one with: briefing make ARTICLE -o {folder}/NAME.mp3"
        )
    if not episodes:
        first = skipped[0]
        reason = first.reason
        if not reason.startswith(first.metadata_file):
            reason = f"{first.metadata_file}: {reason}"
        raise InputError(f"every briefing in {folder} is broken ({reason}); nothing was published")
    episodes = assign_identities(episodes, state, channel.guid)
    episodes.sort(key=lambda e: (e.pub_date or datetime.min.replace(tzinfo=timezone.utc), e.key))
    episodes.reverse()  # newest first, in the feed and on the index

    targets = ["feed.xml", *site.file_names(episodes)]
    if cover_data is not None and not holds(folder / channel.cover, cover_data):
        targets.append(channel.cover)
    foreign = foreign_files(folder, targets, state)
    if foreign and not config.force:
        named = ", ".join(foreign[:4]) + (
            f" and {len(foreign) - 4} more" if len(foreign) > 4 else ""
        )
        raise OutputError(
            f"{named} in {folder} {'was' if len(foreign) == 1 else 'were'} not written by "
            "briefing publish, or changed since; move them away, or pass --force to replace them"
        )
    warnings = write_cover(config.cover, cover_data, folder / channel.cover)
    written = [channel.cover]
    write_atomic(folder / "feed.xml", feed.build_feed(channel, episodes))
    written.append("feed.xml")
    written += site.build_site(channel, episodes, folder)
    record_written(folder, written, state)
    save_state(folder, state)  # last: a failed run leaves the previous state in force
    return PublishResult(folder, channel, episodes, skipped, written, warnings)


def scan(folder: Path) -> tuple[list[Episode], list[Skipped]]:
    """Every briefing in the folder that can be published, and the ones that cannot."""
    episodes: list[Episode] = []
    skipped: list[Skipped] = []
    seen_audio: dict[str, str] = {}
    for path in sorted(folder.glob(f"*{METADATA_SUFFIX}")):
        if path.name.startswith("."):  # someone's temporary file, not a briefing
            continue
        try:
            episode = load_episode(path)
        except BrokenBriefing as exc:
            log.warning("skipping %s: %s", path.name, exc)
            skipped.append(Skipped(path.name, str(exc)))
            continue
        if episode.key in seen_audio:
            reason = f"names the same audio file as {seen_audio[episode.key]}"
            log.warning("skipping %s: %s", path.name, reason)
            skipped.append(Skipped(path.name, reason))
            continue
        seen_audio[episode.key] = path.name
        episodes.append(episode)
    return episodes, skipped


def _channel(config: PublishConfig, state: dict[str, Any], cover_kind: str | None) -> Channel:
    """The show, from the options given, else the state, else the defaults; ``cover_kind``
    is the MIME type of the cover given, None for none."""
    saved = state["channel"]
    base_url = normalise_base_url(config.base_url or saved.get("base_url") or "")
    if cover_kind is not None:
        cover = COVER_NAMES[cover_kind]
    else:
        cover = saved.get("cover", DEFAULT_COVER)
        if not (config.folder / cover).exists():  # gone: the default, a PNG, takes its place
            cover = DEFAULT_COVER
    if "guid" not in saved:
        feed_url = f"{base_url}/feed.xml".split("://", 1)[1]
        saved["guid"] = str(uuid.uuid5(PODCAST_GUID_NAMESPACE, feed_url))
    for key, value, default in (
        ("title", config.title, DEFAULT_TITLE),
        ("description", config.description, DEFAULT_DESCRIPTION),
        ("author", config.author, DEFAULT_AUTHOR),
        ("email", _checked_email(config.email), ""),
    ):
        saved[key] = value.strip() if value and value.strip() else saved.get(key, default)
    saved["base_url"] = base_url
    saved["cover"] = cover
    return Channel(
        title=saved["title"],
        description=saved["description"],
        author=saved["author"],
        email=saved["email"],
        base_url=base_url,
        guid=saved["guid"],
        cover=cover,
    )


def _checked_email(email: str | None) -> str | None:
    if email is None or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email.strip()):
        return email
    raise InputError(f"--email {email!r} is not an email address")


def normalise_base_url(base_url: str) -> str:
    if not base_url:
        raise InputError("give the address the site will be served from: --base-url https://…")
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"--base-url {base_url!r} must be an http:// or https:// address")
    if parts.query or parts.fragment:
        raise InputError(f"--base-url {base_url!r} must not have a ?query or #fragment")
    return base_url.strip().rstrip("/")


class _PublishPackage(types.ModuleType):
    """``briefing.publish(config)`` is the public function: this package is
    what the name ``briefing.publish`` refers to once imported, so it is
    callable as the function itself."""

    def __call__(self, config: PublishConfig) -> PublishResult:
        return publish(config)


sys.modules[__name__].__class__ = _PublishPackage
