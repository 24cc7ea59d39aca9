"""The show's cover: the one given (checked as podcast apps check it), else one drawn here.

Apple Podcasts requires a square JPEG or PNG of 1400–3000 px. The default is a
1400 px PNG (a red field with a white sound-wave mark), encoded with zlib
directly: no imaging library is needed for flat shapes.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

from briefing.errors import InputError, OutputError
from briefing.files import write_atomic
from briefing.tags import image_kind

# The cover is named by what it is, not by what its file was called.
COVER_NAMES = {"image/png": "cover.png", "image/jpeg": "cover.jpg"}
DEFAULT_COVER = "cover.png"  # the one drawn when none is given is a PNG
SIZE_PX = 1400
_BACKGROUND = (179, 38, 30)
_FOREGROUND = (255, 255, 255)
_BAR_HEIGHTS = (0.18, 0.34, 0.55, 0.80, 0.55, 0.34, 0.18)


def default_cover_png(size_px: int = SIZE_PX) -> bytes:
    image = np.empty((size_px, size_px, 3), dtype=np.uint8)
    image[:] = _BACKGROUND
    bar_width = size_px // 16
    gap = bar_width // 2
    total = len(_BAR_HEIGHTS) * bar_width + (len(_BAR_HEIGHTS) - 1) * gap
    left = (size_px - total) // 2
    for index, height in enumerate(_BAR_HEIGHTS):
        bar_px = int(size_px * height * 0.6)
        top = (size_px - bar_px) // 2
        x = left + index * (bar_width + gap)
        image[top : top + bar_px, x : x + bar_width] = _FOREGROUND
    return _encode_png(image)


def _encode_png(image: np.ndarray) -> bytes:
    height, width, _ = image.shape
    # each scanline starts with filter type 0 (none)
    raw = np.hstack([np.zeros((height, 1), dtype=np.uint8), image.reshape(height, width * 3)])
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw.tobytes(), 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def write_cover(source: Path | None, data: bytes | None, target: Path) -> list[str]:
    """Put the cover (``data``, read from ``source``) in place, or the default one if
    none is given and none is there; return warnings about it (Apple's size rules)."""
    if source is None or data is None:
        if not target.exists():
            write_atomic(target, default_cover_png())
        return []
    size = image_size(data)
    if size is None:
        raise InputError(f"cover {source}: its width and height cannot be found; is it whole?")
    if not holds(target, data):
        write_atomic(target, data)
    width, height = size
    if width != height or not 1400 <= width <= 3000:
        return [
            f"cover {source} is {width}×{height} px; Apple Podcasts wants a square "
            "of 1400 to 3000 px and may refuse the feed"
        ]
    return []


def holds(target: Path, data: bytes) -> bool:
    """Whether ``target`` already holds ``data`` (then it is left untouched)."""
    try:
        return target.read_bytes() == data
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise OutputError(
            f"cannot read {target} to replace it with the new cover ({exc.strerror or exc}); "
            "remove it and publish again"
        ) from exc


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG or JPEG image; None if it is neither or its size is not found."""
    kind = image_kind(data)
    if kind == "image/png":
        if data[12:16] != b"IHDR":  # the first chunk, by the PNG standard
            return None
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if kind != "image/jpeg":
        return None
    index = 2
    while index + 9 < len(data):  # walk the JPEG segments to the frame header (SOFn)
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        length = int.from_bytes(data[index + 2 : index + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[index + 5 : index + 7], "big")
            width = int.from_bytes(data[index + 7 : index + 9], "big")
            return width, height
        index += 2 + length
    return None
