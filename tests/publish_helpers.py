"""Shared by the publish, feed, serve and player tests: copies of the hand-made
briefing in tests/data/publish/ (see tests/data/make_publish_fixture.py)."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefing.sidecars import METADATA_SUFFIX, SIDECAR_SUFFIXES

FIXTURE = Path(__file__).parent / "data" / "publish"
FIXTURE_STEM = "duikou-zhiyuan"
# the files the metadata names, by role, as make names them
ROLES_SUFFIXES = {"audio": ".mp3"} | {
    role: suffix for role, suffix in SIDECAR_SUFFIXES.items() if role != "metadata"
}


def add_briefing(folder: Path, stem: str = FIXTURE_STEM, **changes: Any) -> Path:
    """Copy the fixture briefing into ``folder`` as ``stem.*``; ``changes`` update its
    metadata. Returns the path of its ``stem.briefing.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    metadata = json.loads((FIXTURE / f"{FIXTURE_STEM}{METADATA_SUFFIX}").read_text("utf-8"))
    for role, suffix in ROLES_SUFFIXES.items():
        shutil.copyfile(FIXTURE / f"{FIXTURE_STEM}{suffix}", folder / f"{stem}{suffix}")
        metadata["files"][role] = f"{stem}{suffix}"
    metadata.update(changes)
    path = folder / f"{stem}{METADATA_SUFFIX}"
    path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def read_metadata(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))


def write_metadata(path: Path, metadata: dict[str, Any]) -> None:
    path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[tuple[str, str]]:
    """``briefing serve FOLDER --port 0`` in a subprocess, as a user starts it: yields
    the line it prints first and the base URL in it (no trailing slash)."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from briefing.cli import main; main()", "serve", str(folder),
         "--port", "0"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert " at http://127.0.0.1:" in line, line
        yield line, line.split(" at ", 1)[1].split()[0].rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=10)
