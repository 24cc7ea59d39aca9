"""The ffmpeg binary that ships in imageio-ffmpeg, and the jobs we give it.

No system ffmpeg is assumed. PCM goes through pipes, never temporary files
(pydub's export leaves two in $TMPDIR when encoding fails, and reads the
whole MP3 back into memory, so we call ffmpeg directly).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import math
import queue
import subprocess
import threading
from pathlib import Path
from typing import IO

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
    command = [
        ffmpeg_exe(),
        *_QUIET,
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
    ]
    try:
        result = subprocess.run(
            command, input=encoded, capture_output=True, check=False, process_group=0
        )
    except OSError as exc:
        raise _cannot_run("could not decode audio", exc) from exc
    _check(result.returncode, result.stderr, "could not decode audio")
    return np.frombuffer(result.stdout, dtype="<i2").astype(np.int16)


_QUIET = ["-hide_banner", "-nostdin", "-loglevel", "error"]
OPUS_BITRATE = "24k"  # mono speech: clear at 24 kbit/s, a third of the MP3's size


def encode_opus(source: Path, path: Path, bitrate: str = OPUS_BITRATE) -> None:
    """Encode the audio of ``source`` (the finished MP3, read from its file so that
    its encoder delay and padding are trimmed) as mono Ogg Opus at ``path``, tuned
    for speech, with none of the source's tags. Raises AudioError, or OSError for a
    full disk."""
    command = [
        ffmpeg_exe(),
        *_QUIET,
        "-i",
        str(source),
        "-map",
        "0:a",
        "-map_metadata",
        "-1",
        "-map_chapters",
        "-1",
        "-c:a",
        "libopus",
        "-b:a",
        bitrate,
        "-ac",
        "1",
        "-application",
        "voip",
        "-f",
        "ogg",
        "-y",
        str(path),
    ]
    failure = f"could not encode {path.name}"
    try:
        result = subprocess.run(command, capture_output=True, check=False, process_group=0)
    except OSError as exc:
        raise _cannot_run(failure, exc) from exc
    _check(result.returncode, result.stderr, failure)


# Every ffmpeg runs in a process group of its own (process_group=0): Ctrl-C in
# a terminal goes to the whole foreground group, and an ffmpeg stopped by it
# would fail the run with an encoding error before Python has seen the
# interrupt. We stop our ffmpegs ourselves; if we die, their stdin closes
# and they end too.
# The MP3 is decoded again as it is written (a loopback decoder, ffmpeg 7+)
# and ebur128 tags every 100 ms of it with the integrated loudness so far;
# ametadata prints that tag to stdout, so the last value printed is the
# loudness of the whole MP3 as a listener hears it.
_MEASURE_DECODED_MP3 = [
    "-dec",
    "0:0",
    "-filter_complex",
    "[dec:0]ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.I:file=-[measured]",
    "-map",
    "[measured]",
    "-f",
    "null",
    "-",
]
_LOUDNESS_LINE = b"lavfi.r128.I="
# Pieces (a chunk's audio, or a few minutes read back) waiting for ffmpeg:
# enough to keep it busy, a few tens of MB at most.
_QUEUED_PIECES = 4


class Mp3Encoder:
    """One ffmpeg process encoding int16 mono PCM, handed over piece by piece,
    into an MP3 at ``path`` (no ID3 tag: ours comes later), and measuring the
    integrated loudness (ITU-R BS.1770, ffmpeg's ebur128) of that MP3.

    ``write`` queues pieces that a thread of ours feeds to ffmpeg, so the
    caller (synthesis, waiting on its backend) is not held up while the
    encoder works on the other core; it blocks only when ``_QUEUED_PIECES``
    are waiting, so that a backend faster than the encoder (espeak) does not
    pile the whole programme up in memory. The Xing/LAME header carries
    the encoder delay and padding, so decoders that honour it (browsers,
    ffmpeg, podcast apps) play exactly our samples. LAME quality 5 of 0–9:
    indistinguishable on speech at 64 kbit/s, and about a third faster than
    its default.
    """

    def __init__(self, path: Path, sample_rate_hz: int, bitrate: str) -> None:
        self._failure = f"could not encode {path.name}"
        command = [
            ffmpeg_exe(),
            *_QUIET,
            "-f",
            "s16le",
            "-ac",
            "1",
            "-ar",
            str(sample_rate_hz),
            "-i",
            "pipe:0",
            "-map",
            "0:a",
            "-c:a",
            "libmp3lame",
            "-b:a",
            bitrate,
            "-compression_level",
            "5",
            "-write_xing",
            "1",
            "-id3v2_version",
            "0",
            "-f",
            "mp3",
            "-y",
            str(path),
            *_MEASURE_DECODED_MP3,
        ]
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                process_group=0,
            )
        except OSError as exc:
            raise _cannot_run(self._failure, exc) from exc
        self._pieces: queue.Queue[bytes | None] = queue.Queue(_QUEUED_PIECES)
        self._loudness_lufs = -math.inf
        self._errors = b""
        self._threads = [
            threading.Thread(target=target, name=f"mp3-{target.__name__}", daemon=True)
            for target in (self._feed, self._read_loudness, self._read_errors)
        ]
        for thread in self._threads:
            thread.start()

    def write(self, samples: np.ndarray) -> None:
        """Queue int16 mono ``samples`` for encoding. If ffmpeg has already
        failed (a full disk), raise its error now rather than at ``close``,
        so the caller can stop before more work is spent on this MP3."""
        if self._process.poll() is not None:
            self.close()
            raise AudioError(f"{self._failure}: ffmpeg stopped before the end")
        self._pieces.put(samples.astype("<i2", copy=False).tobytes())

    def close(self) -> float:
        """Finish the MP3 and return its integrated loudness in LUFS (−70 or
        below for silence). Raises AudioError, or OSError for a full disk."""
        self._pieces.put(None)
        for thread in self._threads:
            thread.join()
        _check(self._process.wait(), self._errors, self._failure)
        return self._loudness_lufs

    def abort(self) -> None:
        """Stop encoding at once; what was written is left for the caller to remove."""
        self._process.kill()
        self._pieces.put(None)
        for thread in self._threads:
            thread.join()
        self._process.wait()

    def _feed(self) -> None:
        stdin = _pipe(self._process.stdin)
        try:
            while (piece := self._pieces.get()) is not None:
                stdin.write(piece)
        except OSError:
            # ffmpeg is gone; its exit status and stderr say why. Whatever is
            # still queued is dropped, so that no write() waits for ever.
            while self._pieces.get() is not None:
                pass
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def _read_loudness(self) -> None:
        # Reads to the end whatever it meets: ffmpeg must never block on a full pipe.
        for line in _pipe(self._process.stdout):
            if line.startswith(_LOUDNESS_LINE):
                with contextlib.suppress(ValueError):
                    self._loudness_lufs = float(line[len(_LOUDNESS_LINE) :])

    def _read_errors(self) -> None:
        self._errors = _pipe(self._process.stderr).read()


def _pipe(stream: IO[bytes] | None) -> IO[bytes]:
    if stream is None:  # pragma: no cover - Popen was asked for all three pipes
        raise AssertionError("ffmpeg was started without its pipes")
    return stream


def _cannot_run(failure: str, exc: OSError) -> AudioError:
    return AudioError(f"{failure}: ffmpeg cannot run ({exc.strerror or exc})")


def _check(returncode: int, stderr: bytes, failure: str) -> None:
    """AudioError with ffmpeg's last word when it failed; OSError for a full disk."""
    if returncode == 0:
        return
    message = stderr.decode("utf-8", "replace").strip().splitlines()
    reason = message[-1] if message else f"ffmpeg exited with {returncode}"
    if any("No space left" in line for line in message):
        raise OSError(errno.ENOSPC, reason)
    raise AudioError(f"{failure}: {reason}")
