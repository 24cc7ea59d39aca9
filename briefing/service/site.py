"""The feed and site under the root, rewritten after every change.

This module is the service's only door to ``briefing publish``. Publishing
reads every briefing in the root and writes each file through a temporary
name, so readers always see a whole feed; a lock file serialises publishers
(workers on several machines share the root), since each reads and rewrites
the publish state that keeps guids and slugs stable.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from briefing.publish import PublishConfig, publish
from briefing.service.root import Root, Settings
from briefing.sidecars import METADATA_SUFFIX, sidecar_paths


@contextlib.contextmanager
def _locked(root: Root) -> Iterator[None]:
    root.private.mkdir(parents=True, exist_ok=True)
    fd = os.open(root.private / "publish.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def audio_path(folder: Path, briefing_id: str) -> Path:
    return folder / f"{briefing_id}.mp3"


def files_of(folder: Path, briefing_id: str) -> dict[str, Path]:
    """The audio and sidecars of one briefing in ``folder``, by role."""
    return sidecar_paths(audio_path(folder, briefing_id))


def republish(root: Root, settings: Settings) -> dict[str, str]:
    """Rewrite feed and site for what is in the root; return each audio file's page slug."""
    with _locked(root):
        if not any(root.path.glob(f"*{METADATA_SUFFIX}")):
            # the last briefing was taken down: no feed rather than a stale one
            for name in ("feed.xml", "index.html"):
                (root.path / name).unlink(missing_ok=True)
            return {}
        result = publish(PublishConfig(root.path, base_url=settings.base_url))
    return {episode.key: episode.slug or "" for episode in result.episodes}


def promote(root: Root, briefing_id: str) -> None:
    """Move a reviewed draft into the published root, metadata last (publish
    looks for the metadata, so it never finds a briefing without its audio)."""
    drafts = files_of(root.drafts, briefing_id)
    live = files_of(root.path, briefing_id)
    for role in sorted(drafts, key=lambda role: role == "metadata"):
        if drafts[role].exists():
            shutil.move(drafts[role], live[role])


def take_down(root: Root, briefing_id: str, slug: str | None) -> None:
    """Remove a briefing's files, drafts and pages (metadata first: from then on
    publish no longer sees it)."""
    for folder in (root.path, root.drafts):
        paths = files_of(folder, briefing_id)
        for role in sorted(paths, key=lambda role: role != "metadata"):
            paths[role].unlink(missing_ok=True)
    if slug:
        for page in (f"{slug}.html", f"{slug}.embed.html"):
            (root.path / "episodes" / page).unlink(missing_ok=True)
