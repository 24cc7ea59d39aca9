from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
import scipy.ndimage
import scipy.signal
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mp3_files import read_mp3
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
            Chunk("八。", "八。", Boundary.SECTION),
        ],
    )
    return Article("标题", [first, second])


def laid_out(art: Article, speeches: list[Speech | None]) -> assemble.Timeline:
    timeline = assemble.Timeline(art)
    for index, speech in enumerate(speeches):
        timeline.add(index, speech)
    assert timeline.complete
    return timeline


def test_pauses_follow_structure_and_chapters_tile_the_programme():
    art = article()
    programme = laid_out(art, [speech_for(c.text) for c in art.chunks])
    second_start = LEAD_IN_MS + 400 + PAUSE_MS[Boundary.CLAUSE] + 300 + PAUSE_MS[Boundary.SECTION]
    total = second_start + 300 + PAUSE_MS[Boundary.PARAGRAPH] + 200 + TAIL_MS
    assert programme.duration_ms == total
    assert [(c.title, c.start_ms, c.end_ms) for c in programme.chapters()] == [
        ("甲", 0, second_start),
        ("乙", second_start, total),
    ]
    assert (
        PAUSE_MS[Boundary.CLAUSE]
        < PAUSE_MS[Boundary.SENTENCE]
        < PAUSE_MS[Boundary.PARAGRAPH]
        < PAUSE_MS[Boundary.SECTION]
    )


def test_one_cue_per_chunk_so_a_long_sentence_is_shown_in_its_pieces():
    art = article()
    programme = laid_out(art, [speech_for(c.text) for c in art.chunks])
    cues = [(c.text, c.start_ms, c.end_ms) for c in programme.cues()]
    second_start = LEAD_IN_MS + 400 + PAUSE_MS[Boundary.CLAUSE]
    assert cues[:2] == [
        ("一二三，", LEAD_IN_MS, LEAD_IN_MS + 400),
        ("四五。", second_start, second_start + 300),
    ]
    assert [c[0] for c in cues] == ["一二三，", "四五。", "六七。", "八。"]
    assert all(a[2] <= b[1] for a, b in zip(cues, cues[1:], strict=False)), "cues overlap"
    # Each cue knows whether a paragraph ends with it, for the record and the player.
    assert [c.paragraph_end for c in programme.cues()] == [False, True, True, True]


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
    programme = laid_out(art, [speech_for("好。"), None])
    assert [c.text for c in programme.cues()] == ["好。"]
    # the paragraph that the silent chunk ends ends with the cue before it
    assert programme.cues()[0].paragraph_end
    assert programme.duration_ms == LEAD_IN_MS + 200 + PAUSE_MS[Boundary.SENTENCE] + TAIL_MS


def test_cue_starts_where_the_voice_starts_not_at_leading_silence():
    art = Article("t", [Section("s", ["好。"], [Chunk("好。", "好。", Boundary.SECTION)])])
    padded = np.concatenate([np.zeros(RATE_HZ // 4, np.int16), tone(500)])
    programme = laid_out(art, [Speech(padded, RATE_HZ)])
    assert programme.cues()[0].start_ms == LEAD_IN_MS + 250


def test_chunks_at_another_rate_are_resampled_to_that_of_the_first_chunk():
    art = article()
    speeches = [speech_for(c.text, 48_000 if i == 1 else RATE_HZ) for i, c in enumerate(art.chunks)]
    programme = assemble.Timeline(art)
    for index in (1, 3, 2, 0):  # the 48 kHz chunk arrives first
        programme.add(index, speeches[index])
    assert programme.rate == RATE_HZ
    expected = laid_out(art, [speech_for(c.text) for c in art.chunks]).duration_ms
    assert abs(programme.duration_ms - expected) <= 1


def test_no_audio_at_all_is_an_error():
    from briefing.errors import AudioError

    art = Article("t", [Section("s", ["……"], [Chunk("……", "……", Boundary.SECTION)])])
    with pytest.raises(AudioError, match="nothing speakable"):
        laid_out(art, [None])


def test_chunks_in_any_order_are_laid_out_as_soon_as_all_before_them_are_in():
    art = article()
    speeches = [speech_for(c.text) for c in art.chunks]
    timeline = assemble.Timeline(art)
    assert timeline.add(2, speeches[2]) == []
    assert timeline.add(1, speeches[1]) == []
    released = timeline.add(0, speeches[0])
    assert len(released) == 3
    released += timeline.add(3, speeches[3])
    assert len(released) == 4
    in_order = assemble.Timeline(art)
    pieces = [piece for index in range(4) for piece in in_order.add(index, speeches[index])]
    assert np.array_equal(np.concatenate(released), np.concatenate(pieces))
    assert timeline.cues() == in_order.cues() and timeline.chapters() == in_order.chapters()


def test_a_chunk_cannot_be_added_twice():
    art = article()
    timeline = assemble.Timeline(art)
    timeline.add(0, speech_for("一二三，"))
    with pytest.raises(ValueError):
        timeline.add(0, speech_for("一二三，"))


def speech_like(seconds: float, level: float, rate: int = RATE_HZ) -> np.ndarray:
    """Tone bursts with gaps, plus a few sharp peaks, like syllables."""
    rng = np.random.default_rng(7)
    t = np.arange(int(seconds * rate)) / rate
    envelope = (np.sin(2 * np.pi * 3 * t) > 0).astype(np.float32)
    signal = np.sin(2 * np.pi * 220 * t) * envelope * level
    spikes = rng.choice(len(signal), size=20, replace=False)
    signal[spikes] = np.sign(signal[spikes] + 1e-3) * min(1.0, level * 6)
    return signal.astype(np.float32)


def as_pcm(samples: np.ndarray) -> np.ndarray:
    return (samples * 32767).astype(np.int16)


@pytest.mark.parametrize("level", [0.01, 0.1, 0.5])
def test_loudness_reaches_the_mono_podcast_norm_with_true_peak_below_ceiling(level):
    signal = speech_like(20, level)
    gain = assemble.gain_to_target(signal, RATE_HZ)
    levelled = assemble.level(as_pcm(signal), gain, RATE_HZ).astype(np.float32) / 32768
    loudness = pyloudnorm.Meter(RATE_HZ).integrated_loudness(levelled)
    assert loudness == pytest.approx(assemble.TARGET_LUFS_MONO, abs=0.7)
    assert 20 * np.log10(assemble.true_peak(levelled)) <= assemble.TRUE_PEAK_CEILING_DBTP


def test_silence_stays_silent():
    silence = np.zeros(RATE_HZ * 5, np.float32)
    gain = assemble.gain_to_target(silence, RATE_HZ)
    assert not assemble.level(as_pcm(silence), gain, RATE_HZ).any()


def long_article(sentences: int) -> Article:
    chunks = [Chunk(f"第{i}句。", f"第{i}句。", Boundary.SENTENCE) for i in range(sentences)]
    return Article("t", [Section("s", ["…"], chunks)])


def assemble_mp3(path: Path, art: Article, speeches: list[Speech], order) -> assemble.Programme:
    with assemble.Assembler(art, path) as assembler:
        for index in order:
            assembler.add(index, speeches[index])
        return assembler.finish()


def measured(path: Path) -> tuple[float, float, int]:
    """Integrated loudness (LUFS), true peak (dBTP) and length (samples) of an MP3."""
    decoded = read_mp3(path).astype(np.float32) / 32768
    loudness = pyloudnorm.Meter(RATE_HZ).integrated_loudness(decoded)
    return loudness, 20 * np.log10(assemble.true_peak(decoded)), len(decoded)


def test_the_streamed_mp3_is_the_same_whatever_order_chunks_arrive_in(tmp_path):
    art = long_article(12)  # 12 × 10 s: the opening minute is heard before the end
    # The second minute is a little louder, so a gain set from more than the
    # opening minute (whatever happened to have arrived) would show.
    speeches = [
        Speech(as_pcm(speech_like(10, 0.09 if index < 6 else 0.1)), RATE_HZ)
        for index in range(len(art.chunks))
    ]
    forward = assemble_mp3(tmp_path / "a.mp3", art, speeches, range(12))
    orders = {
        "late first chunk": [*range(1, 12), 0],
        "interleaved": [*range(1, 12, 2), *range(0, 12, 2)],
    }
    for name, order in orders.items():
        other = assemble_mp3(tmp_path / f"{name}.mp3", art, speeches, order)
        assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / f"{name}.mp3").read_bytes(), name
        assert forward == other
    loudness, peak, length = measured(tmp_path / "a.mp3")
    assert loudness == pytest.approx(assemble.TARGET_LUFS_MONO, abs=assemble.LOUDNESS_TOLERANCE_LU)
    assert forward.loudness_lufs == pytest.approx(loudness, abs=0.2)
    assert peak <= assemble.TRUE_PEAK_CEILING_DBTP
    # The encoder's delay and padding are trimmed on decode (gapless info).
    assert abs(length * 1000 / RATE_HZ - forward.duration_ms) <= 1


def test_an_opening_quieter_than_the_rest_is_corrected_by_encoding_again(tmp_path):
    art = long_article(14)  # the first 70 s whisper, the last 70 s are loud
    speeches = [
        Speech(as_pcm(speech_like(10, 0.02 if index < 7 else 0.3)), RATE_HZ)
        for index in range(len(art.chunks))
    ]
    programme = assemble_mp3(tmp_path / "a.mp3", art, speeches, range(14))
    loudness, peak, _ = measured(tmp_path / "a.mp3")
    assert loudness == pytest.approx(assemble.TARGET_LUFS_MONO, abs=assemble.LOUDNESS_TOLERANCE_LU)
    assert programme.loudness_lufs == pytest.approx(loudness, abs=0.2)
    assert peak <= assemble.TRUE_PEAK_CEILING_DBTP


def test_finishing_before_every_chunk_is_in_is_refused(tmp_path):
    art = long_article(2)
    with assemble.Assembler(art, tmp_path / "a.mp3") as assembler:
        assembler.add(1, Speech(as_pcm(speech_like(2, 0.1)), RATE_HZ))
        with pytest.raises(ValueError):
            assembler.finish()


@settings(max_examples=25, deadline=None)
@given(
    seconds=st.floats(0.3, 12.0),
    level=st.floats(0.001, 0.9),
    cuts=st.lists(st.floats(0, 1), max_size=6),
    rate=st.sampled_from([16_000, 22_050, 24_000]),
)
def test_the_streaming_meter_agrees_with_pyloudnorm_however_the_audio_is_cut(
    seconds, level, cuts, rate
):
    signal = speech_like(seconds, level, rate).astype(np.float64)
    meter = assemble.LoudnessMeter(rate)
    bounds = sorted({0, len(signal), *(round(cut * len(signal)) for cut in cuts)})
    for start, end in zip(bounds, bounds[1:], strict=False):
        meter.add(signal[start:end])
    expected = pyloudnorm.Meter(rate).integrated_loudness(signal) if seconds >= 0.4 else -np.inf
    if np.isfinite(expected):
        assert meter.integrated() == pytest.approx(expected, abs=0.01)
    else:
        assert meter.integrated() == -np.inf


# The DSP is numpy's own; scipy (installed for the tests only) is the reference.
# Tolerances: float32 arithmetic on signals within ±1.


@settings(max_examples=40, deadline=None)
@given(
    seconds=st.floats(0.01, 0.5),
    rates=st.sampled_from(
        [(24_000, 48_000), (48_000, 24_000), (22_050, 24_000), (16_000, 24_000), (44_100, 22_050)]
    ),
    level=st.floats(0.001, 1.0),
)
def test_resampling_agrees_with_scipy(seconds, rates, level):
    source, target = rates
    signal = speech_like(seconds, level, source)
    divisor = np.gcd(source, target)
    up, down = target // divisor, source // divisor
    ours = assemble.resample(signal, up, down)
    reference = scipy.signal.resample_poly(signal, up, down)
    assert len(ours) == len(reference)
    np.testing.assert_allclose(ours, reference, atol=1e-5)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(0, 2, width=32), min_size=1, max_size=3000),
    half=st.integers(0, 300),
)
def test_the_limiters_sliding_windows_agree_with_scipy(values, half):
    envelope = np.array(values, np.float32)
    size = 2 * half + 1
    np.testing.assert_array_equal(
        assemble.sliding_max(envelope, size), scipy.ndimage.maximum_filter1d(envelope, size)
    )
    np.testing.assert_allclose(
        assemble.sliding_mean(envelope, size),
        scipy.ndimage.uniform_filter1d(envelope, size),
        atol=1e-6,
    )


def test_true_peak_finds_the_overshoot_between_samples_as_scipy_does():
    # A full-scale tone at a quarter of the rate, sampled 45° off its crests:
    # every sample is at ±0.707, the wave between them reaches 1 (+3 dB).
    samples = np.sin(np.pi / 2 * np.arange(RATE_HZ) + np.pi / 4).astype(np.float32)
    reference = np.abs(scipy.signal.resample_poly(samples, 4, 1)).max()
    assert assemble.true_peak(samples) == pytest.approx(reference, abs=1e-5)
    overshoot_db = 20 * np.log10(assemble.true_peak(samples) / np.abs(samples).max())
    assert overshoot_db == pytest.approx(3.0, abs=0.2)


def test_memory_does_not_grow_with_the_programme(tmp_path):
    """Twenty minutes of audio (58 MB of samples) go through the assembler
    while it holds a fraction of that: the audio streams on to the encoder."""
    chunks = 120  # 10 s each
    art = long_article(chunks)
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        with assemble.Assembler(art, tmp_path / "a.mp3") as assembler:
            for index in range(chunks):
                assembler.add(index, Speech(as_pcm(speech_like(10, 0.1)), RATE_HZ))
            programme = assembler.finish()
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()
    assert programme.duration_ms > 20 * 60_000
    programme_bytes = 2 * RATE_HZ * programme.duration_ms // 1000
    assert peak < programme_bytes / 3, f"peak {peak / 1e6:.0f} MB"


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(
        st.text("甲乙丙丁，。、；！ ", min_size=1, max_size=120), min_size=1, max_size=6
    ),
    seconds=st.lists(st.integers(0, 40), min_size=6, max_size=6),
    order=st.permutations(range(6)),
)
def test_cues_are_in_order_never_overlap_and_keep_every_word(texts, seconds, order):
    voiced = [any(map(str.isalnum, t)) and s > 0 for t, s in zip(texts, seconds, strict=False)]
    assume(any(voiced))
    chunks = [Chunk(text, text, Boundary.SENTENCE) for text in texts]
    chunks[-1].boundary = Boundary.SECTION
    art = Article("t", [Section("s", texts, chunks)])
    timeline = assemble.Timeline(art)
    for index in (i for i in order if i < len(texts)):
        timeline.add(index, speech_for("字" * seconds[index] * 10) if voiced[index] else None)
    cues = timeline.cues()
    assert all(a.end_ms <= b.start_ms for a, b in zip(cues, cues[1:], strict=False))
    assert not cues or cues[-1].end_ms <= timeline.duration_ms
    said = "".join(text for text, heard in zip(texts, voiced, strict=True) if heard)
    assert "".join("".join(c.text for c in cues).split()) == "".join(said.split())


def test_a_chunk_said_for_long_is_shown_clause_by_clause():
    clauses = [
        "今年江苏扎实开展对口支援工作，",
        "各地提高政治站位增强使命感责任感，",
        "确保受援地与全国一起脱贫致富奔小康。",
    ]
    text = "".join(clauses)
    art = Article("t", [Section("s", [text], [Chunk(text, text, Boundary.SECTION)])])
    timeline = laid_out(art, [Speech(tone(24_000), RATE_HZ)])
    cues = timeline.cues()
    assert [c.text for c in cues] == clauses
    assert cues[0].start_ms == LEAD_IN_MS and cues[-1].end_ms == LEAD_IN_MS + 24_000
    assert all(a.end_ms == b.start_ms for a, b in zip(cues, cues[1:], strict=False))
    assert all(c.end_ms - c.start_ms <= assemble.MAX_CUE_MS for c in cues)
