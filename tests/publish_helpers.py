"""Shared by the publish, feed, serve and player tests: copies of the hand-made
briefing in tests/data/publish/ (see tests/data/make_publish_fixture.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).parent / "data" / "publish"
FIXTURE_STEM = "duikou-zhiyuan"
ROLES_SUFFIXES = {
    "audio": ".mp3",
    "transcript": ".txt",
    "vtt": ".vtt",
    "srt": ".srt",
    "chapters": ".chapters.json",
}


def add_briefing(folder: Path, stem: str = FIXTURE_STEM, **changes: Any) -> Path:
    """Copy the fixture briefing into ``folder`` as ``stem.*``; ``changes`` update its
    metadata. Returns the path of its ``stem.briefing.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    metadata = json.loads((FIXTURE / f"{FIXTURE_STEM}.briefing.json").read_text("utf-8"))
    for role, suffix in ROLES_SUFFIXES.items():
        shutil.copyfile(FIXTURE / f"{FIXTURE_STEM}{suffix}", folder / f"{stem}{suffix}")
        metadata["files"][role] = f"{stem}{suffix}"
    metadata.update(changes)
    path = folder / f"{stem}.briefing.json"
    path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def read_metadata(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))


def write_metadata(path: Path, metadata: dict[str, Any]) -> None:
    path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
