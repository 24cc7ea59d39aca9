from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest
from tone_backend import MS_PER_CHAR, RATE_HZ, tone

from briefing import assemble
from briefing.article import Article, Boundary, Chunk, Section
from briefing.assemble import LEAD_IN_MS, PAUSE_MS, TAIL_MS
from briefing.backends.base import Speech


def speech_for(text: str, rate: int = RATE_HZ) -> Speech:
    return Speech(tone(len(text) * MS_PER_CHAR, rate), rate)


def article() -> Article:
    """Two sections: a sentence split in two pieces, then two paragraphs."""
    first = Section(
        "甲",
        ["一二三，四五。"],
        [
            Chunk("一二三，", "一二三，", Boundary.CLAUSE),
            Chunk("四五。", "四五。", Boundary.SECTION),
        ],
    )
    second = Section(
        "乙",
        ["六七。", "八。"],
        [
            Chunk("六七。", "六七。", Boundary.PARAGRAPH),
            Chunk("八。", "八。", Boundary.SECTION, paragraph=1),
        ],
    )
    return Article("标题", [first, second])


def test_pauses_follow_structure_and_chapters_tile_the_programme():
    art = article()
    programme = assemble.stitch(art, [speech_for(c.text) for c in art.chunks])
    second_start = LEAD_IN_MS + 400 + PAUSE_MS[Boundary.CLAUSE] + 300 + PAUSE_MS[Boundary.SECTION]
    total = second_start + 300 + PAUSE_MS[Boundary.PARAGRAPH] + 200 + TAIL_MS
    assert programme.duration_ms == total
    assert [(c.title, c.start_ms, c.end_ms) for c in programme.chapters] == [
        ("甲", 0, second_start),
        ("乙", second_start, total),
    ]
    assert (
        PAUSE_MS[Boundary.CLAUSE]
        < PAUSE_MS[Boundary.SENTENCE]
        < PAUSE_MS[Boundary.PARAGRAPH]
        < PAUSE_MS[Boundary.SECTION]
    )


def test_one_cue_per_sentence_spanning_its_pieces():
    art = article()
    programme = assemble.stitch(art, [speech_for(c.text) for c in art.chunks])
    cues = [(c.text, c.start_ms, c.end_ms) for c in programme.cues]
    split_end = LEAD_IN_MS + 400 + PAUSE_MS[Boundary.CLAUSE] + 300
    assert cues[0] == ("一二三，四五。", LEAD_IN_MS, split_end)
    assert [c[0] for c in cues] == ["一二三，四五。", "六七。", "八。"]
    assert all(a[2] <= b[1] for a, b in zip(cues, cues[1:], strict=False)), "cues overlap"


def test_silent_chunk_keeps_its_pause_but_gets_no_cue():
    art = Article(
        "t",
        [
            Section(
                "s",
                ["好。……"],
                [
                    Chunk("好。", "好。", Boundary.SENTENCE),
                    Chunk("……", "……", Boundary.SECTION),
                ],
            )
        ],
    )
    programme = assemble.stitch(art, [speech_for("好。"), None])
    assert [c.text for c in programme.cues] == ["好。"]
    assert programme.duration_ms == LEAD_IN_MS + 200 + PAUSE_MS[Boundary.SENTENCE] + TAIL_MS


def test_cue_starts_where_the_voice_starts_not_at_leading_silence():
    art = Article("t", [Section("s", ["好。"], [Chunk("好。", "好。", Boundary.SECTION)])])
    padded = np.concatenate([np.zeros(RATE_HZ // 4, np.int16), tone(500)])
    programme = assemble.stitch(art, [Speech(padded, RATE_HZ)])
    assert programme.cues[0].start_ms == LEAD_IN_MS + 250


def test_chunks_at_another_rate_are_resampled():
    art = article()
    speeches = [speech_for(c.text, 48_000 if i == 1 else RATE_HZ) for i, c in enumerate(art.chunks)]
    programme = assemble.stitch(art, speeches)
    assert programme.sample_rate_hz == RATE_HZ
    expected = assemble.stitch(art, [speech_for(c.text) for c in art.chunks]).duration_ms
    assert abs(programme.duration_ms - expected) <= 1


def test_no_audio_at_all_is_an_error():
    from briefing.errors import AudioError

    art = Article("t", [Section("s", ["……"], [Chunk("……", "……", Boundary.SECTION)])])
    with pytest.raises(AudioError, match="nothing speakable"):
        assemble.stitch(art, [None])


def speech_like(seconds: float, level: float, rate: int = RATE_HZ) -> np.ndarray:
    """Tone bursts with gaps, plus a few sharp peaks, like syllables."""
    rng = np.random.default_rng(7)
    t = np.arange(int(seconds * rate)) / rate
    envelope = (np.sin(2 * np.pi * 3 * t) > 0).astype(np.float32)
    signal = np.sin(2 * np.pi * 220 * t) * envelope * level
    spikes = rng.choice(len(signal), size=20, replace=False)
    signal[spikes] = np.sign(signal[spikes] + 1e-3) * min(1.0, level * 6)
    return signal.astype(np.float32)


@pytest.mark.parametrize("level", [0.01, 0.1, 0.5])
def test_loudness_reaches_the_mono_podcast_norm_with_true_peak_below_ceiling(level):
    normalised = assemble.normalize_loudness(speech_like(20, level), RATE_HZ)
    loudness = pyloudnorm.Meter(RATE_HZ).integrated_loudness(normalised)
    assert loudness == pytest.approx(assemble.TARGET_LUFS_MONO, abs=0.7)
    assert 20 * np.log10(assemble.true_peak(normalised)) <= assemble.TRUE_PEAK_CEILING_DBTP


def test_silence_stays_silent():
    silence = np.zeros(RATE_HZ * 5, np.float32)
    assert not assemble.normalize_loudness(silence, RATE_HZ).any()


def test_encoded_mp3_decodes_to_the_same_length(tmp_path):
    from briefing.ffmpeg import decode_to_samples

    samples = speech_like(3, 0.2)
    path = tmp_path / "a.mp3"
    assemble.encode_mp3(samples, RATE_HZ, path)
    decoded = decode_to_samples(path.read_bytes(), RATE_HZ)
    # The encoder's delay and padding are trimmed on decode (gapless info).
    assert abs(len(decoded) - len(samples)) <= RATE_HZ // 100
