"""A published folder's identity: what must never change once published, and
which files in it publish wrote.

``.publish-state.json`` keeps, per episode (keyed by its audio file name), the
guid, the slug of its page and its first publication date, and the show's own
settings and podcast:guid. Podcast apps identify episodes by guid: a briefing
re-made into the same file must keep it, and a slug once given is never given
to another briefing, even after its briefing is removed. It also keeps a digest
of every file publish wrote, so that a file it did not write (a user's own
index.html), or one changed since, is never replaced without ``--force``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import uuid
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from briefing.errors import OutputError
from briefing.files import write_atomic
from briefing.publish.episodes import Episode

STATE_FILE = ".publish-state.json"
STATE_FORMAT = 1
# The Podcasting 2.0 namespace for podcast:guid (a UUIDv5 of the feed URL without its scheme).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
MAX_SLUG_CHARS = 60


def load_state(folder: Path) -> dict[str, Any]:
    """The folder's publish state; an empty one before the first publish."""
    path = folder / STATE_FILE
    if not path.exists():
        return {"format": STATE_FORMAT, "channel": {}, "episodes": {}, "written": {}}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if state.get("format") != STATE_FORMAT or not isinstance(state.get("episodes"), dict):
            raise ValueError("unknown layout")
        state.setdefault("channel", {})
        # None: published before digests were kept; the files there are publish's own
        state.setdefault("written", None)
    except (OSError, ValueError, AttributeError) as exc:
        # Guessing here would silently give every episode a new guid: stop instead.
        raise OutputError(
            f"{path} is damaged ({exc}); restore it, or delete it to start a new feed "
            "(every episode then gets a new guid and podcast apps list them again)"
        ) from exc
    return state


def foreign_files(folder: Path, names: list[str], state: dict[str, Any]) -> list[str]:
    """Those of ``names`` that exist in ``folder`` but are not as publish last wrote them."""
    written: dict[str, str] | None = state["written"]
    if written is None:
        return []
    return [
        name
        for name in names
        if (folder / name).exists() or (folder / name).is_symlink()
        if written.get(name) != _digest(folder / name)
    ]


def record_written(folder: Path, names: list[str], state: dict[str, Any]) -> None:
    written = state["written"] or {}
    written.update({name: _digest(folder / name) for name in names})
    state["written"] = written


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:  # a folder, a dangling link, unreadable: not publish's file
        return None


def save_state(folder: Path, state: dict[str, Any]) -> None:
    text = json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomic(folder / STATE_FILE, text.encode("utf-8"))


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
