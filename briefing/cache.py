"""A content-addressed store of synthesised chunks.

The key of a chunk is the SHA-256 of a canonical JSON of everything that
decides its audio: backend name, the backend's ``format_version``, the voice
settings and the spoken text. A re-run of the same article therefore finds
every chunk; editing one paragraph misses only that paragraph's chunks; a run
killed half-way finds what it finished.

One entry is one file, ``<key[:2]>/<key>.chunk``::

    MAGIC (8 bytes) | SHA-256 of BODY (32 bytes) | BODY
    BODY = header length (u32, big-endian) | header JSON | int16 LE samples

The digest covers the whole body, so a truncated or damaged entry (a killed
writer on a crashed machine, a bad disk) is detected on read, deleted and
reported as a miss: the chunk is synthesised again. Entries are written to a
temporary file in the same folder and renamed into place, so a reader never
sees half of one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import struct
from pathlib import Path

import numpy as np

from briefing import files
from briefing.backends.base import Speech, VoiceSettings, WordTiming
from briefing.errors import OutputError

log = logging.getLogger(__name__)

_MAGIC = b"BRFCHK1\n"
_DIGEST_BYTES = 32
_HEADER_LENGTH = struct.Struct(">I")
_SUFFIX = ".chunk"
_STRAY_TEMPORARY = ".*.part"  # what files.staged leaves if its process is killed


def default_cache_dir() -> Path:
    """``BRIEFING_CACHE_DIR`` when set, else the user cache dir's ``chunks`` folder."""
    return files.user_folder("BRIEFING_CACHE_DIR", "cache", "chunks")


class ChunkCache:
    """Synthesised ``Speech`` by content key, in one folder on disk."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()

    @staticmethod
    def key(
        backend_name: str, format_version: str, settings: VoiceSettings, spoken_text: str
    ) -> str:
        """The content key: SHA-256 (hex) of a canonical JSON of what decides the audio."""
        canonical = json.dumps(
            {
                "backend": backend_name,
                "format_version": format_version,
                "settings": dataclasses.asdict(settings),
                "text": spoken_text,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}{_SUFFIX}"

    def get(self, key: str) -> Speech | None:
        """The cached speech for ``key``; None when absent or damaged (then it is deleted)."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("cannot read cache entry %s (%s); synthesising again", path, exc)
            return None
        try:
            return _decode(data)
        except ValueError as exc:
            log.warning("damaged cache entry %s (%s); deleting it", path, exc)
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, speech: Speech) -> None:
        """Store ``speech`` under ``key`` atomically (temp file in the same folder, rename)."""
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with files.staged(path) as temporary:
                temporary.write_bytes(_encode(speech))
        except OSError as exc:
            raise OutputError(
                f"cannot write the chunk cache at {self.directory} ({exc.strerror or exc}); "
                "set BRIEFING_CACHE_DIR to a writable folder"
            ) from exc

    def __contains__(self, key: str) -> bool:
        return self.path(key).is_file()

    def stats(self) -> tuple[int, int]:
        """(number of entries, their total size in bytes)."""
        entries = total = 0
        for path in self._entries():
            try:
                total += path.stat().st_size
            except FileNotFoundError:  # removed by a concurrent clear
                continue
            entries += 1
        return entries, total

    def clear(self) -> int:
        """Delete every entry (and stray temp files); return how many entries went."""
        removed = 0
        if not self.directory.is_dir():
            return 0
        for path in list(self.directory.glob(f"*/{_STRAY_TEMPORARY}")):
            path.unlink(missing_ok=True)
        for path in list(self._entries()):
            path.unlink(missing_ok=True)
            removed += 1
        for folder in self.directory.iterdir():
            if folder.is_dir():
                # Not empty means something else lives there: keep it.
                with contextlib.suppress(OSError):
                    folder.rmdir()
        return removed

    def _entries(self):  # type: ignore[no-untyped-def]
        if not self.directory.is_dir():
            return iter(())
        return self.directory.glob(f"??/*{_SUFFIX}")


def _encode(speech: Speech) -> bytes:
    payload = speech.samples.astype("<i2", copy=False).tobytes()
    header = json.dumps(
        {
            "sample_rate_hz": speech.sample_rate_hz,
            "samples": len(speech.samples),
            "words": [[w.text, w.start_ms, w.duration_ms] for w in speech.words],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    body = _HEADER_LENGTH.pack(len(header)) + header + payload
    return _MAGIC + hashlib.sha256(body).digest() + body


def _decode(data: bytes) -> Speech:
    """Parse one entry; ``ValueError`` when it is not whole and intact."""
    prefix = len(_MAGIC) + _DIGEST_BYTES
    if len(data) < prefix + _HEADER_LENGTH.size or not data.startswith(_MAGIC):
        raise ValueError("not a chunk entry, or truncated")
    body = data[prefix:]
    if hashlib.sha256(body).digest() != data[len(_MAGIC) : prefix]:
        raise ValueError("checksum mismatch")
    (header_length,) = _HEADER_LENGTH.unpack_from(body)
    header_end = _HEADER_LENGTH.size + header_length
    try:
        header = json.loads(body[_HEADER_LENGTH.size : header_end].decode("utf-8"))
        rate = int(header["sample_rate_hz"])
        count = int(header["samples"])
        words = tuple(WordTiming(str(t), float(s), float(d)) for t, s, d in header["words"])
    except (UnicodeDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"bad header ({exc})") from exc
    payload = body[header_end:]
    if len(payload) != 2 * count:
        raise ValueError(f"expected {count} samples, found {len(payload) // 2}")
    samples = np.frombuffer(payload, dtype="<i2").astype(np.int16)
    return Speech(samples, rate, words)
