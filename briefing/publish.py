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
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefing.episode import BrokenBriefing, Channel, Episode, load_episode
from briefing.errors import InputError, OutputError
from briefing.files import write_atomic
from briefing.sidecars import METADATA_SUFFIX
from briefing.tags import image_kind, read_cover

log = logging.getLogger(__name__)

STATE_FILE = ".publish-state.json"
STATE_FORMAT = 1
# The Podcasting 2.0 namespace for podcast:guid (a UUIDv5 of the feed URL without its scheme).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
MAX_SLUG_CHARS = 60
DEFAULT_TITLE = "听新闻"
DEFAULT_DESCRIPTION = "新闻文章的普通话朗读版，附章节、文字稿与字幕。"
DEFAULT_AUTHOR = "briefing"
# The cover is named by what it is, not by what its file was called.
COVER_NAMES = {"image/png": "cover.png", "image/jpeg": "cover.jpg"}
DEFAULT_COVER = "cover.png"  # the one drawn when none is given is a PNG


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
    from briefing import feed, site

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

    warnings = _write_cover(config.cover, cover_data, folder / channel.cover)
    written = [channel.cover]
    write_atomic(folder / "feed.xml", feed.build_feed(channel, episodes))
    written.append("feed.xml")
    written += site.build_site(channel, episodes, folder)
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


# --- stable identity -------------------------------------------------------------------------


def load_state(folder: Path) -> dict[str, Any]:
    """The folder's publish state; an empty one before the first publish."""
    path = folder / STATE_FILE
    if not path.exists():
        return {"format": STATE_FORMAT, "channel": {}, "episodes": {}}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if state.get("format") != STATE_FORMAT or not isinstance(state.get("episodes"), dict):
            raise ValueError("unknown layout")
        state.setdefault("channel", {})
    except (OSError, ValueError, AttributeError) as exc:
        # Guessing here would silently give every episode a new guid: stop instead.
        raise OutputError(
            f"{path} is damaged ({exc}); restore it, or delete it to start a new feed "
            "(every episode then gets a new guid and podcast apps list them again)"
        ) from exc
    return state


def save_state(folder: Path, state: dict[str, Any]) -> None:
    text = json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomic(folder / STATE_FILE, text.encode("utf-8"))


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


def assign_identities(
    episodes: list[Episode], state: dict[str, Any], channel_guid: str
) -> list[Episode]:
    """Give each episode its guid, slug and pub_date: the stored ones, or new ones recorded now."""
    known: dict[str, dict[str, str]] = state["episodes"]
    taken = {entry["slug"] for entry in known.values()}
    result = []
    for episode in sorted(episodes, key=lambda e: e.key):  # new slugs in a stable order
        entry = known.get(episode.key)
        if entry is None:
            slug = unique_slug(slugify(Path(episode.key).stem), taken)
            taken.add(slug)
            first_date = episode.published or episode.created or _now()
            entry = {
                # deterministic, so even a lost state file gives the same guids back
                "guid": str(uuid.uuid5(uuid.UUID(channel_guid), episode.key)),
                "slug": slug,
                "pub_date": first_date.isoformat(),
            }
            known[episode.key] = entry
        result.append(
            replace(
                episode,
                guid=entry["guid"],
                slug=entry["slug"],
                pub_date=datetime.fromisoformat(entry["pub_date"]),
            )
        )
    return result


def _now() -> datetime:
    # Only for metadata with neither "published" nor "created"; stored, so it does not move.
    return datetime.now(timezone.utc).replace(microsecond=0)


def slugify(stem: str) -> str:
    """An ASCII, URL- and file-safe name: Chinese becomes pinyin, the rest a-z0-9 and dashes."""
    from pypinyin import lazy_pinyin

    words = lazy_pinyin(unicodedata.normalize("NFKC", stem), errors="default")
    ascii_text = unicodedata.normalize("NFKD", "-".join(words)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG_CHARS].rstrip("-") or "briefing"


def unique_slug(slug: str, taken: set[str]) -> str:
    if slug not in taken:
        return slug
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"


# --- files -----------------------------------------------------------------------------------


def _write_cover(source: Path | None, data: bytes | None, target: Path) -> list[str]:
    """Put the cover (``data``, read from ``source``) in place, or the default one if
    none is given and none is there; return warnings about it (Apple's size rules)."""
    if source is None or data is None:
        if not target.exists():
            from briefing.site.cover import default_cover_png

            write_atomic(target, default_cover_png())
        return []
    size = image_size(data)
    if size is None:
        raise InputError(f"cover {source}: its width and height cannot be found; is it whole?")
    if not _holds(target, data):
        write_atomic(target, data)
    width, height = size
    if width != height or not 1400 <= width <= 3000:
        return [
            f"cover {source} is {width}×{height} px; Apple Podcasts wants a square "
            "of 1400 to 3000 px and may refuse the feed"
        ]
    return []


def _holds(target: Path, data: bytes) -> bool:
    """Whether ``target`` already holds ``data`` (then it is left untouched)."""
    try:
        return target.read_bytes() == data
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise OutputError(
            f"cannot read {target} to replace it with the new cover ({exc.strerror or exc}); "
            "remove it and publish again"
        ) from exc


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG or JPEG image; None if it is neither or its size is not found."""
    kind = image_kind(data)
    if kind == "image/png":
        if data[12:16] != b"IHDR":  # the first chunk, by the PNG standard
            return None
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if kind != "image/jpeg":
        return None
    index = 2
    while index + 9 < len(data):  # walk the JPEG segments to the frame header (SOFn)
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        length = int.from_bytes(data[index + 2 : index + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[index + 5 : index + 7], "big")
            width = int.from_bytes(data[index + 7 : index + 9], "big")
            return width, height
        index += 2 + length
    return None
