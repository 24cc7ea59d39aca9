"""The edge backend: the real edge-tts client against the loopback fake service."""

from __future__ import annotations

import socket
import threading
import time

import numpy as np
import pytest
from edge_server import (
    CHAR_MS,
    FRAME_MS,
    LEAD_FRAMES,
    EdgeServer,
    expected_duration_ms,
    words_of,
)

from briefing.backends.base import Backend, SpeechRequest, VoiceSettings, get_backend
from briefing.backends.edge import BUILTIN_VOICES, EdgeBackend, endpoint_url
from briefing.errors import BackendUnavailable, SynthesisError

XIAOXIAO = VoiceSettings("zh-CN-XiaoxiaoNeural")
TEXTS = [
    "江苏对口支援，提高政治站位。",
    "今年是新中国成立70周年。",
    "打好打赢脱贫攻坚战，是全面建成小康社会的重大任务。",
]


def _backend(**overrides: object) -> EdgeBackend:
    quick = {"attempts": 4, "backoff_s": 0.01, "backoff_cap_s": 0.05, "stall_timeout_s": 0.6}
    quick.update(overrides)
    return EdgeBackend(**quick)  # type: ignore[arg-type]


def _requests(texts: list[str], settings: VoiceSettings = XIAOXIAO) -> list[SpeechRequest]:
    return [
        SpeechRequest(i, text, settings, f"section 1, chunk {i + 1}: {text[:6]}")
        for i, text in enumerate(texts)
    ]


def _rms(samples: np.ndarray, start_ms: float, end_ms: float, rate: int = 24_000) -> float:
    window = samples[int(start_ms * rate / 1000) : int(end_ms * rate / 1000)]
    return float(np.sqrt(np.mean(window.astype(np.float64) ** 2)))


def test_is_a_registered_backend() -> None:
    backend = get_backend("edge")
    assert isinstance(backend, Backend)
    assert backend.name == "edge" and backend.default_voice == "zh-CN-XiaoxiaoNeural"


def test_synthesizes_every_chunk_as_24khz_samples_with_word_timings(edge_server) -> None:
    results = dict(_backend().synthesize(_requests(TEXTS), jobs=4))

    assert sorted(results) == [0, 1, 2]
    for index, text in enumerate(TEXTS):
        speech = results[index]
        assert speech.sample_rate_hz == 24_000
        assert speech.samples.dtype == np.int16
        assert abs(speech.duration_ms - expected_duration_ms(text)) <= FRAME_MS
        assert [w.text for w in speech.words] == [word for _, word in words_of(text)]
        first = speech.words[0]
        assert first.start_ms == LEAD_FRAMES * FRAME_MS
        assert first.duration_ms == 2 * CHAR_MS
        starts = [w.start_ms for w in speech.words]
        assert starts == sorted(starts) and speech.words[-1].start_ms < speech.duration_ms
    assert sorted(edge_server.served) == sorted(TEXTS)


def test_word_timings_line_up_with_what_is_heard(edge_server) -> None:
    text = "江苏对口支援，提高政治站位。对口帮扶。"
    [(_, speech)] = list(_backend().synthesize(_requests([text]), jobs=1))
    loud = [
        _rms(speech.samples, w.start_ms + 40, w.start_ms + w.duration_ms - 40) for w in speech.words
    ]
    # The gaps between words that a comma or full stop separates are silent.
    gaps = [
        _rms(speech.samples, a.start_ms + a.duration_ms + 30, b.start_ms - 30)
        for a, b in zip(speech.words, speech.words[1:], strict=False)
        if b.start_ms - (a.start_ms + a.duration_ms) > 100
    ]
    assert len(gaps) == 2
    assert min(loud) > 2000
    assert max(gaps) < min(loud) / 10  # 20 dB down: MP3 frames smear edges a little


def test_prosody_and_voice_reach_the_service(edge_server) -> None:
    settings = VoiceSettings("zh-CN-YunyangNeural", rate_pct=10, pitch_hz=-5, volume_pct=20)
    list(_backend().synthesize(_requests(["新闻联播。"], settings), jobs=1))
    [request] = edge_server.requests
    assert request.voice == "Microsoft Server Speech Text to Speech Voice (zh-CN, YunyangNeural)"
    assert (request.rate, request.pitch, request.volume) == ("+10%", "-5Hz", "+20%")
    assert request.boundary == "WordBoundary"
    assert request.text == "新闻联播。"


def test_xml_special_characters_survive_the_round_trip(edge_server) -> None:
    list(_backend().synthesize(_requests(["A&B公司<中国>的产品"]), jobs=1))
    assert edge_server.served == ["A&B公司<中国>的产品"]


def test_results_come_back_as_each_finishes_not_all_at_the_end(edge_server) -> None:
    edge_server.speed = 8.0  # 8x real time: the long chunk streams for about 1 s
    texts = ["江苏对口支援工作扎实推进，确保受援地与全国一起脱贫致富奔小康。", "好。"]
    started = time.monotonic()
    arrivals = [
        (index, time.monotonic() - started)
        for index, _ in _backend().synthesize(_requests(texts), jobs=2)
    ]
    assert [index for index, _ in arrivals] == [1, 0]
    assert arrivals[0][1] < 0.5 < arrivals[1][1]


def test_chunks_are_sent_in_the_article_order(edge_server) -> None:
    # So that they arrive roughly in order and the MP3 is encoded as they come.
    texts = ["短句。", "这是一个长一些的句子，有好几个词。", "中等长度的句子。"]
    list(_backend().synthesize(_requests(texts), jobs=1))
    assert [request.text for request in edge_server.requests] == texts


@pytest.mark.parametrize("jobs", [1, 3, 8])
def test_no_more_than_jobs_requests_are_in_flight(edge_server, jobs: int) -> None:
    # Slow first bytes keep every slot busy long enough to be seen, even on a loaded machine.
    edge_server.first_byte_delay_s = 0.2
    texts = [f"第{i}段，对口支援。" for i in range(2 * jobs)]
    results = dict(_backend().synthesize(_requests(texts), jobs=jobs))
    assert len(results) == 2 * jobs
    assert edge_server.max_in_flight == jobs


@pytest.mark.parametrize(
    "fault", ["drop", "abort", "stall", "stall-first", "no-audio", "503", "429"]
)
def test_retries_recover_from_transient_failures(edge_server, fault: str) -> None:
    edge_server.stall_s = 3.0
    edge_server.fail_next(fault, times=2)
    text = TEXTS[0]
    [(index, speech)] = list(_backend().synthesize(_requests([text]), jobs=1))
    assert index == 0
    assert abs(speech.duration_ms - expected_duration_ms(text)) <= FRAME_MS
    assert len(speech.words) == len(words_of(text))
    assert edge_server.connections == 3
    assert edge_server.served == [text]


def test_a_dropped_stream_is_not_mistaken_for_a_short_one(edge_server) -> None:
    # edge-tts on its own returns the first half and no error: check we did not.
    edge_server.fail_next("drop")
    [(_, speech)] = list(_backend().synthesize(_requests([TEXTS[2]]), jobs=1))
    assert abs(speech.duration_ms - expected_duration_ms(TEXTS[2])) <= FRAME_MS


def test_one_403_is_recovered_by_edge_tts_own_clock_skew_retry(edge_server) -> None:
    edge_server.fail_next("403")
    results = list(_backend().synthesize(_requests([TEXTS[0]]), jobs=1))
    assert len(results) == 1 and edge_server.connections == 2


def test_a_persistent_403_fails_at_once_with_advice(edge_server) -> None:
    edge_server.fail_always("403")
    with pytest.raises(SynthesisError) as caught:
        list(_backend().synthesize(_requests([TEXTS[0]]), jobs=1))
    message = str(caught.value)
    assert "section 1, chunk 1: 江苏对口支援" in message
    assert "HTTP 403" in message and "pip install -U edge-tts" in message
    assert edge_server.connections == 2  # edge-tts's own retry, none of ours


def test_exhausted_retries_name_the_chunk_the_cause_and_what_to_do(edge_server) -> None:
    edge_server.fail_always("503")
    with pytest.raises(SynthesisError) as caught:
        list(_backend(attempts=3).synthesize(_requests(TEXTS), jobs=1))
    message = str(caught.value)
    assert "section 1, chunk 1" in message  # the first chunk is sent first
    assert "HTTP 503, 3 times" in message
    assert "run the same command again" in message
    assert edge_server.connections == 3  # the first chunk gave up; the rest were cancelled


def test_a_stall_that_persists_gives_up_instead_of_hanging(edge_server) -> None:
    edge_server.stall_s = 5.0
    edge_server.fail_always("stall")
    started = time.monotonic()
    with pytest.raises(SynthesisError, match="went silent for 0.3 s, 2 times"):
        list(_backend(attempts=2, stall_timeout_s=0.3).synthesize(_requests(TEXTS), jobs=3))
    assert time.monotonic() - started < 3


def test_stopping_early_cancels_the_rest_and_leaves_nothing_running(edge_server) -> None:
    edge_server.speed = 2.0
    threads_before = threading.active_count()
    texts = ["好。"] + [f"第{i}段，江苏对口支援工作扎实推进。" for i in range(6)]
    results = _backend().synthesize(_requests(texts), jobs=4)
    next(results)
    results.close()
    time.sleep(0.3)
    assert edge_server.in_flight == 0
    assert threading.active_count() <= threads_before


def test_unspeakable_chunks_are_never_sent(edge_server) -> None:
    results = dict(_backend().synthesize(_requests(["……", "——", TEXTS[0]]), jobs=2))
    assert len(results[0].samples) == 0 and len(results[1].samples) == 0
    assert results[0].sample_rate_hz == 24_000
    assert edge_server.served == [TEXTS[0]] and edge_server.connections == 1


def test_an_unknown_voice_is_a_clear_error_without_a_request(edge_server) -> None:
    with pytest.raises(SynthesisError, match="not an edge voice.*briefing voices"):
        list(_backend().synthesize(_requests(["你好"], VoiceSettings("xiaoxiao")), jobs=1))
    assert edge_server.connections == 0


def test_endpoint_adds_the_token_and_refuses_what_is_not_a_websocket() -> None:
    assert endpoint_url("").startswith("wss://speech.platform.bing.com/")
    assert endpoint_url("ws://127.0.0.1:9/relay/edge/v1").startswith(
        "ws://127.0.0.1:9/relay/edge/v1?TrustedClientToken="
    )
    assert endpoint_url("wss://relay.example/tts?key=1").startswith(
        "wss://relay.example/tts?key=1&TrustedClientToken="
    )
    with pytest.raises(BackendUnavailable, match="ws:// or wss://"):
        endpoint_url("https://relay.example/tts")


def test_the_endpoint_is_a_setting_and_the_environment_its_default(monkeypatch) -> None:
    monkeypatch.setenv("BRIEFING_EDGE_URL", "ws://127.0.0.1:9/relay/edge/v1")
    assert EdgeBackend().endpoint == "ws://127.0.0.1:9/relay/edge/v1"
    assert EdgeBackend(endpoint="wss://other.example/e").endpoint == "wss://other.example/e"
    monkeypatch.delenv("BRIEFING_EDGE_URL")
    assert EdgeBackend().endpoint == ""  # Microsoft's service


def test_two_backends_speak_to_their_own_endpoints(edge_server, monkeypatch) -> None:
    import edge_tts.communicate

    service_url = edge_tts.communicate.WSS_URL
    monkeypatch.delenv("BRIEFING_EDGE_URL")
    to_server = _backend(endpoint=edge_server.url)
    to_nowhere = _backend(endpoint="ws://127.0.0.1:9/e", attempts=1)
    assert sorted(dict(to_server.synthesize(_requests(TEXTS[:1]), jobs=1))) == [0]
    with pytest.raises(SynthesisError, match="127.0.0.1:9"):
        list(to_nowhere.synthesize(_requests(TEXTS[:1]), jobs=1))
    assert edge_server.connections == 1
    assert service_url == edge_tts.communicate.WSS_URL  # edge-tts itself is left alone


def test_available_when_the_endpoint_answers(edge_server) -> None:
    assert _backend().available() is None
    assert edge_server.connections == 1 and edge_server.requests == []


def test_unavailable_when_nothing_listens(monkeypatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("BRIEFING_EDGE_URL", f"ws://127.0.0.1:{port}/edge/v1")
    reason = _backend().available()
    assert reason is not None and f"127.0.0.1:{port}" in reason


def test_unavailable_within_the_probe_time_when_the_endpoint_is_silent(monkeypatch) -> None:
    with socket.socket() as silent:  # accepts connections (backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        monkeypatch.setenv("BRIEFING_EDGE_URL", f"ws://127.0.0.1:{silent.getsockname()[1]}/e")
        started = time.monotonic()
        reason = _backend(probe_timeout_s=0.5).available()
        elapsed = time.monotonic() - started
    assert reason is not None and "did not answer within 0.5 s" in reason
    assert elapsed < 1.5


def test_unavailable_when_refused(edge_server) -> None:
    edge_server.fail_always("403")
    reason = _backend().available()
    assert reason is not None and "HTTP 403" in reason


def test_voices_come_from_the_service_list_filtered_to_chinese(edge_server) -> None:
    voices = _backend().voices()
    ids = [voice.id for voice in voices]
    assert "zh-CN-TestOnlyNeural" in ids  # only the fake service knows this one
    assert "en-US-EmmaMultilingualNeural" not in ids
    yunyang = next(voice for voice in voices if voice.id == "zh-CN-YunyangNeural")
    assert yunyang.gender == "male" and "News" in yunyang.description
    assert yunyang.language == "zh-CN" and yunyang.backend == "edge"


def test_voices_fall_back_to_the_built_in_list(monkeypatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("BRIEFING_EDGE_URL", f"ws://127.0.0.1:{port}/readaloud/edge/v1")
    voices = _backend().voices()
    assert voices == list(BUILTIN_VOICES)
    ids = {voice.id for voice in voices}
    assert {
        "zh-CN-XiaoxiaoNeural",
        "zh-CN-YunyangNeural",
        "zh-TW-HsiaoChenNeural",
        "zh-HK-HiuGaaiNeural",
    } <= ids
    assert all(voice.language.startswith("zh-") and voice.gender for voice in voices)


def test_server_counts_are_per_test(edge_server: EdgeServer) -> None:
    # A fresh server per test keeps request counts meaningful in other tests.
    assert edge_server.connections == 0 and edge_server.served == []


def test_every_edge_preset_names_a_known_voice() -> None:
    from briefing.presets import load_presets

    known = {voice.id for voice in BUILTIN_VOICES}
    edge_presets = [p for p in load_presets().values() if p.backend == "edge"]
    names = {preset.name for preset in edge_presets}
    assert {"xiaoxiao", "yunyang", "yunxi", "hsiaochen", "hiugaai"} <= names
    for preset in edge_presets:
        assert preset.voice in known, preset.name
        assert preset.description


def test_a_service_that_never_sends_audio_gets_its_own_advice(edge_server) -> None:
    edge_server.fail_always("no-audio")
    with pytest.raises(SynthesisError, match="sent no audio, 2 times; if the text has nothing"):
        list(_backend(attempts=2).synthesize(_requests(["Ⅳ号"]), jobs=1))


def test_audio_received_before_a_failure_is_still_handed_over(edge_server) -> None:
    # The first chunk's audio arrives whole; the refusal of the next one comes
    # while it is being decoded. It must still be yielded (and so cached).
    edge_server.fail_next("ok")
    edge_server.fail_always("403")
    received = []
    with pytest.raises(SynthesisError, match="HTTP 403"):
        for index, speech in _backend().synthesize(_requests(TEXTS), jobs=1):
            received.append((index, len(speech.samples)))
    assert [index for index, _ in received] == [0]
    assert received[0][1] > 0
