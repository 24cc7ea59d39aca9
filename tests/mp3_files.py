"""Reading an MP3 file back the way players do, for tests that check what was written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from briefing.ffmpeg import ffmpeg_exe


def read_mp3(path: Path, rate: int | None = None) -> np.ndarray:
    """The file's int16 mono samples (at ``rate`` if given). Read from the file,
    not a pipe: only then does ffmpeg trim LAME's padding, as players do. The
    file must decode without a single complaint."""
    resample = ["-ar", str(rate)] if rate else []
    command = [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1"]
    result = subprocess.run([*command, *resample, "-"], capture_output=True, check=True)
    assert result.stderr == b"", result.stderr.decode()
    return np.frombuffer(result.stdout, "<i2")
