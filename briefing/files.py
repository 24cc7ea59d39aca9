"""Writing files so that none is ever half-written.

Every file briefing writes goes to a temporary name in the same folder and is
renamed over its final name only when complete: a reader (or a user after a
crash, a full disk or Ctrl-C) sees the old file or the new one, never a part.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from briefing.errors import OutputError


def user_folder(override: str, kind: str, default: str) -> Path:
    """A folder of ours: the environment variable ``override`` when set, else
    ``default`` inside the platform's user ``kind`` ("cache" or "data") dir."""
    if value := os.environ.get(override):
        return Path(value).expanduser()
    import platformdirs

    base = platformdirs.user_cache_dir if kind == "cache" else platformdirs.user_data_dir
    return Path(base("briefing")) / default


def _read_umask() -> int:
    # The only way to read the umask is to set it; done once, at import, before
    # any thread of ours exists.
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_FILE_MODE = 0o666 & ~_read_umask()  # what open() would give a new file


@contextlib.contextmanager
def staged(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed onto it when the block ends
    without error and removed otherwise. Raises OSError as it comes."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _FILE_MODE)  # mkstemp makes 0600
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file; OSError becomes OutputError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with staged(path) as temporary:
            temporary.write_bytes(data)
    except OSError as exc:
        raise OutputError.writing(path, exc) from exc
