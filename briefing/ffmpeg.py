"""The ffmpeg binary that ships in imageio-ffmpeg, and the two calls we make of it.

No system ffmpeg is assumed. pydub is pointed at the same binary.
"""

from __future__ import annotations

import functools
import subprocess

import numpy as np

from briefing.errors import AudioError


@functools.cache
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as exc:  # no binary for this platform
        raise AudioError(
            f"no ffmpeg binary is available ({exc}); install imageio-ffmpeg for this platform"
        ) from exc


def decode_to_samples(encoded: bytes, sample_rate_hz: int) -> np.ndarray:
    """Decode any audio ffmpeg reads (MP3 from edge, …) to int16 mono at ``sample_rate_hz``."""
    result = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-i",
            "pipe:0",
            "-f",
            "s16le",
            "-acodec",
            "pcm_s16le",
            "-ac",
            "1",
            "-ar",
            str(sample_rate_hz),
            "pipe:1",
        ],
        input=encoded,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AudioError(f"could not decode audio: {message[-1] if message else 'ffmpeg failed'}")
    return np.frombuffer(result.stdout, dtype="<i2").astype(np.int16)
