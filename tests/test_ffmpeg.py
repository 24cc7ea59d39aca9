from __future__ import annotations

import errno
import time
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from mp3_files import read_mp3

from briefing.errors import AudioError
from briefing.ffmpeg import Mp3Encoder, decode_to_samples

RATE = 24_000


def tone_bursts(seconds: float, level: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    on = np.sin(2 * np.pi * 2 * t) > 0
    return (np.sin(2 * np.pi * 440 * t) * on * level * 32767).astype(np.int16)


def test_pieces_written_one_by_one_make_one_gapless_mp3(tmp_path):
    pieces = [tone_bursts(seconds, 0.2) for seconds in (1.3, 0.01, 4.7, 2)]
    encoder = Mp3Encoder(tmp_path / "a.mp3", RATE, "64k")
    for piece in pieces:
        encoder.write(piece)
    encoder.close()
    assert len(read_mp3(tmp_path / "a.mp3")) == sum(map(len, pieces))


def test_the_loudness_reported_is_that_of_the_mp3_as_heard(tmp_path):
    encoder = Mp3Encoder(tmp_path / "a.mp3", RATE, "64k")
    encoder.write(tone_bursts(20, 0.1))
    reported = encoder.close()
    heard = pyloudnorm.Meter(RATE).integrated_loudness(read_mp3(tmp_path / "a.mp3") / 32768)
    assert reported == pytest.approx(heard, abs=0.1)


def test_silence_is_reported_at_or_below_the_absolute_gate(tmp_path):
    encoder = Mp3Encoder(tmp_path / "a.mp3", RATE, "64k")
    encoder.write(np.zeros(5 * RATE, np.int16))
    assert encoder.close() <= -70


def test_an_encoder_that_failed_says_so_at_the_next_write(tmp_path):
    encoder = Mp3Encoder(tmp_path / "missing" / "a.mp3", RATE, "64k")
    deadline = time.monotonic() + 10
    with pytest.raises(AudioError, match="could not encode a.mp3"):
        while time.monotonic() < deadline:
            encoder.write(np.zeros(RATE, np.int16))
            time.sleep(0.02)
    encoder.abort()


def test_a_disk_that_fills_up_while_encoding_is_an_enospc_error():
    encoder = Mp3Encoder(Path("/dev/full"), RATE, "64k")  # every write fails: disk full
    deadline = time.monotonic() + 10
    with pytest.raises(OSError) as caught:
        while time.monotonic() < deadline:
            encoder.write(tone_bursts(1, 0.1))
            time.sleep(0.02)
        encoder.close()
    assert caught.value.errno == errno.ENOSPC
    encoder.abort()


def test_audio_that_is_not_audio_is_an_audio_error():
    with pytest.raises(AudioError, match="could not decode audio"):
        decode_to_samples(b"not an mp3 at all", RATE)
