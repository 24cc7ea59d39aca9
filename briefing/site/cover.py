"""A default podcast cover, drawn here so a feed is complete without one.

Apple Podcasts requires a square JPEG or PNG of 1400–3000 px. This one is a
1400 px PNG (a red field with a white sound-wave mark), encoded with zlib
directly: no imaging library is needed for flat shapes.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

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
