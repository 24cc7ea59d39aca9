"""Errors a user can act on.

Every failure the user can do something about is a ``BriefingError`` whose
message says what went wrong, on what, and what to do. The CLI prints it as
one ``Error: …`` line and exits 1. Errors of the libraries we call (aiohttp,
edge-tts, ffmpeg, mutagen…) are translated into these at the boundary, in the
module that calls them.

    BriefingError
    ├── InputError            the article cannot be read or has nothing to say
    ├── OutputError           an output file cannot be written
    ├── BackendUnavailable    a voice is not installed or cannot be reached
    ├── SynthesisError        a backend failed on a chunk, after its retries
    └── AudioError            decoding, loudness or encoding failed
"""

from __future__ import annotations

import errno
from pathlib import Path


class BriefingError(Exception):
    """Base of every error meant for the user."""


class InputError(BriefingError):
    """The input article cannot be read, decoded or has no speakable text."""


class OutputError(BriefingError):
    """An output file or folder cannot be written."""

    @classmethod
    def writing(cls, path: Path, exc: OSError) -> OutputError:
        """The user's words for an OSError met while writing ``path`` (often a
        temporary name, so the message names its folder)."""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return cls(
                f"the disk is full while writing to {path.parent}; free some space and run again"
            )
        return cls(f"cannot write to {path.parent}: {exc.strerror or exc}")


class BackendUnavailable(BriefingError):
    """A TTS backend cannot be used here: missing package, weights or network."""


class SynthesisError(BriefingError):
    """A backend failed to synthesise a chunk, after retrying where it makes sense."""


class AudioError(BriefingError):
    """Decoding, processing or encoding audio failed."""
