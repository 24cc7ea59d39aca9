"""A loopback stand-in for Microsoft's read-aloud WebSocket service.

It speaks the protocol the real ``edge_tts.Communicate`` client speaks (see
``edge_tts/communicate.py``): the client sends a ``Path:speech.config`` text
frame and a ``Path:ssml`` text frame; we answer ``Path:turn.start``, then
``Path:audio.metadata`` frames with word (or sentence) boundaries in 100 ns
ticks interleaved with binary ``Path:audio`` frames (2-byte big-endian header
length, headers, MP3 bytes), an empty audio frame and ``Path:turn.end``.

The audio is real MP3 (MPEG-2 layer III, 24 kHz mono 48 kbit/s CBR, so every
frame is 144 bytes = 24 ms, as edge-tts's byte-based timing assumes), encoded
once with our ffmpeg without the bit reservoir so frames can be cut and
joined. Each speakable character becomes a tone of ``CHAR_MS`` and every
punctuation mark a silence, so durations are proportional to the text and a
word's reported offset is exactly where its tone sits: tests can check that
timings line up with what is heard.

Misbehaviour on demand, for the next N connections or for all of them:
refuse the handshake (403/429/503), drop the stream half-way (clean close or
TCP abort), stall (before the first byte or half-way), or answer with no audio.

Used by tests (``conftest.py`` fixture ``edge_server``) and by
``bench/edge_vs_cli.py``. Not a test module itself.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import json
import re
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from xml.sax.saxutils import unescape

from aiohttp import WSMsgType, web

FRAME_BYTES = 144  # 72 * 48_000 / 24_000: no padding slots at this rate
FRAME_MS = 24  # 576 samples at 24 kHz
CHAR_FRAMES = 9  # a spoken character lasts 216 ms (about 4.6 characters a second)
PAUSE_FRAMES = 6  # a punctuation mark is 144 ms of silence
LEAD_FRAMES = 2  # the service starts with a little silence too
CHAR_MS = CHAR_FRAMES * FRAME_MS
TICKS_PER_MS = 10_000
PATH = "/consumer/speech/synthesize/readaloud/edge/v1"

REFUSALS = ("403", "429", "503")
# "ok" behaves: ``fail_next("ok")`` lets one connection through before later faults.
FAULTS = REFUSALS + ("drop", "abort", "stall", "stall-first", "no-audio", "ok")


# A slice of the service's voice list, in its shape (edge_tts.typing.Voice).
VOICE_LIST = [
    {
        "Name": f"Microsoft Server Speech Text to Speech Voice ({locale}, {name})",
        "ShortName": f"{locale}-{name}",
        "Gender": gender,
        "Locale": locale,
        "SuggestedCodec": "audio-24khz-48kbitrate-mono-mp3",
        "FriendlyName": f"Microsoft {name}",
        "Status": "GA",
        "VoiceTag": {"ContentCategories": categories, "VoicePersonalities": personalities},
    }
    for locale, name, gender, categories, personalities in [
        ("zh-CN", "XiaoxiaoNeural", "Female", ["News", "Novel"], ["Warm"]),
        ("zh-CN", "YunyangNeural", "Male", ["News"], ["Professional", "Reliable"]),
        ("zh-TW", "HsiaoChenNeural", "Female", ["General"], ["Friendly", "Positive"]),
        ("en-US", "EmmaMultilingualNeural", "Female", ["Conversation"], ["Cheerful"]),
        ("zh-CN", "TestOnlyNeural", "Male", ["News"], ["Loopback"]),
    ]
]


@functools.cache
def _frames(source: str) -> tuple[bytes, ...]:
    """Real MP3 frames encoded from an ffmpeg lavfi ``source`` (CBR, no reservoir)."""
    from briefing.ffmpeg import ffmpeg_exe

    result = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            source,
            "-ac",
            "1",
            "-ar",
            "24000",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "48k",
            "-reservoir",
            "0",
            "-write_xing",
            "0",
            "-id3v2_version",
            "0",
            "-f",
            "mp3",
            "pipe:1",
        ],
        capture_output=True,
        check=True,
    )
    data = result.stdout
    frames = tuple(data[i : i + FRAME_BYTES] for i in range(0, len(data), FRAME_BYTES))
    assert all(len(f) == FRAME_BYTES and f[0] == 0xFF and f[1] & 0xE0 == 0xE0 for f in frames)
    # Drop the encoder's ramp-up and tail so every frame we serve is steady.
    return frames[4:-4]


def tone_frames() -> tuple[bytes, ...]:
    return _frames("sine=frequency=330:sample_rate=24000:duration=3")


def silence_frames() -> tuple[bytes, ...]:
    return _frames("anullsrc=r=24000:cl=mono:d=1")


def is_speakable(char: str) -> bool:
    return char.isalnum()


def words_of(text: str) -> list[tuple[int, str]]:
    """Split ``text`` the way our fake voice reads it: runs of up to two speakable
    characters are a word (a rough stand-in for Chinese words), other characters
    pauses. Returns (index of the word's first character, word)."""
    words: list[tuple[int, str]] = []
    run_start = None
    for i, char in enumerate(text + "\0"):
        if is_speakable(char):
            if run_start is None:
                run_start = i
            if i - run_start == 1:
                words.append((run_start, text[run_start : i + 1]))
                run_start = None
        elif run_start is not None:
            words.append((run_start, text[run_start:i]))
            run_start = None
    return words


@dataclass
class Utterance:
    """The audio and boundary events the fake voice produces for one text."""

    frames: list[bytes]
    events: list[tuple[int, str, int, int]]  # (frame index, text, offset ticks, duration ticks)

    @property
    def duration_ms(self) -> int:
        return len(self.frames) * FRAME_MS


def render(text: str, boundary: str = "WordBoundary") -> Utterance:
    tone, silence = tone_frames(), silence_frames()
    frames: list[bytes] = [silence[0]] * LEAD_FRAMES
    events: list[tuple[int, str, int, int]] = []
    word_starts = dict(words_of(text))
    sentence_start: int | None = None
    sentence_text = ""
    for i, char in enumerate(text):
        if i in word_starts and boundary == "WordBoundary":
            word = word_starts[i]
            duration = sum(CHAR_FRAMES for c in word if is_speakable(c)) * FRAME_MS
            events.append(
                (len(frames), word, len(frames) * FRAME_MS * TICKS_PER_MS, duration * TICKS_PER_MS)
            )
        if is_speakable(char):
            if sentence_start is None:
                sentence_start = len(frames)
            start = len(frames) % (len(tone) - CHAR_FRAMES)
            frames.extend(tone[start : start + CHAR_FRAMES])
        else:
            frames.extend([silence[0]] * PAUSE_FRAMES)
        if sentence_start is not None:
            sentence_text += char
        if (
            boundary == "SentenceBoundary"
            and sentence_start is not None
            and (char in "。！？!?；;" or i == len(text) - 1)
        ):
            events.append(
                (
                    sentence_start,
                    sentence_text.strip(),
                    sentence_start * FRAME_MS * TICKS_PER_MS,
                    (len(frames) - sentence_start) * FRAME_MS * TICKS_PER_MS,
                )
            )
            sentence_start, sentence_text = None, ""
    frames.extend([silence[0]] * LEAD_FRAMES)
    return Utterance(frames, events)


@dataclass
class Request:
    """What one synthesis request asked for."""

    text: str
    voice: str
    rate: str
    pitch: str
    volume: str
    boundary: str


@dataclass
class EdgeServer:
    """The fake service. ``start()`` runs it on 127.0.0.1 in a thread of its own.

    ``first_byte_delay_s``: wait before the first audio frame (the real service
    takes a few hundred ms). ``speed``: audio is streamed at this multiple of
    real time (0 = as fast as the socket goes). ``stall_s``: how long a stall
    lasts (longer than the client's patience).
    """

    first_byte_delay_s: float = 0.0
    speed: float = 0.0
    stall_s: float = 30.0
    frames_per_message: int = 20
    connections: int = 0  # handshakes seen, refused ones included
    requests: list[Request] = field(default_factory=list)  # every SSML request received
    served: list[str] = field(default_factory=list)  # texts answered in full
    in_flight: int = 0
    max_in_flight: int = 0
    _faults: collections.deque[str] = field(default_factory=collections.deque)
    _always: str | None = None
    _port: int = 0

    # ---- control, from the test's thread -------------------------------------

    def fail_next(self, fault: str, times: int = 1) -> None:
        """Misbehave on the next ``times`` connections (after earlier queued faults)."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
        self._faults.extend([fault] * times)

    def fail_always(self, fault: str | None) -> None:
        """Misbehave on every connection from now on (None: behave again)."""
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
        self._always = fault

    def reset_counts(self) -> None:
        self.connections = 0
        self.requests.clear()
        self.served.clear()
        self.max_in_flight = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._port}{PATH}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    # ---- lifecycle -------------------------------------------------------------

    def start(self) -> EdgeServer:
        tone_frames(), silence_frames()  # encode before timing anything
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake edge server did not start")
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(10)

    def __enter__(self) -> EdgeServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(self._main(ready))
        self._loop.close()

    async def _main(self, ready: threading.Event) -> None:
        self._stopping = asyncio.Event()
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._handle)
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        ready.set()
        await self._stopping.wait()
        await runner.cleanup()
        # Handlers still stalling (their client gave up long ago) end here.
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    # ---- the protocol ------------------------------------------------------------

    def _next_fault(self) -> str | None:
        if self._faults:
            return self._faults.popleft()
        return self._always

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path.endswith("/voices/list"):
            return web.json_response(VOICE_LIST)
        self.connections += 1
        fault = self._next_fault()
        if fault in REFUSALS:
            headers = {"Retry-After": "0"} if fault == "429" else {}
            return web.Response(status=int(fault), text=f"refused ({fault})", headers=headers)
        if "TrustedClientToken" not in request.query or "ConnectionId" not in request.query:
            return web.Response(status=400, text="missing TrustedClientToken or ConnectionId")

        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await self._converse(request, ws, fault)
        finally:
            self.in_flight -= 1
        return ws

    async def _converse(
        self, http: web.Request, ws: web.WebSocketResponse, fault: str | None
    ) -> None:
        boundary = "SentenceBoundary"
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            headers, body = _split_text_frame(message.data)
            path = headers.get("Path")
            if path == "speech.config":
                options = json.loads(body)["context"]["synthesis"]["audio"]["metadataoptions"]
                if options.get("wordBoundaryEnabled") == "true":
                    boundary = "WordBoundary"
            elif path == "ssml":
                request = _parse_ssml(body, boundary)
                self.requests.append(request)
                request_id = headers.get("X-RequestId", uuid.uuid4().hex)
                await self._answer(http, ws, request_id, request, fault)
                return

    async def _answer(
        self,
        http: web.Request,
        ws: web.WebSocketResponse,
        request_id: str,
        request: Request,
        fault: str | None,
    ) -> None:
        utterance = render(request.text, request.boundary)
        await ws.send_str(_text_frame(request_id, "turn.start", {"context": {"serviceTag": "x"}}))
        if fault == "no-audio":
            await ws.send_str(_text_frame(request_id, "turn.end", {}))
            return
        if fault == "stall-first":
            await asyncio.sleep(self.stall_s)
        if self.first_byte_delay_s:
            await asyncio.sleep(self.first_byte_delay_s)

        half = len(utterance.frames) // 2
        events = collections.deque(utterance.events)
        step = self.frames_per_message
        for start in range(0, len(utterance.frames), step):
            if start >= half and fault in ("drop", "abort", "stall"):
                await self._misbehave(http, ws, fault)
                return
            while events and events[0][0] < start + step:
                _, text, offset, duration = events.popleft()
                await ws.send_str(
                    _metadata_frame(request_id, request.boundary, text, offset, duration)
                )
            piece = b"".join(utterance.frames[start : start + step])
            await ws.send_bytes(_audio_frame(request_id, piece))
            if self.speed:
                await asyncio.sleep(len(piece) / FRAME_BYTES * FRAME_MS / 1000 / self.speed)
        await ws.send_bytes(_audio_frame(request_id, b""))
        await ws.send_str(_text_frame(request_id, "turn.end", {}))
        self.served.append(request.text)

    async def _misbehave(self, http: web.Request, ws: web.WebSocketResponse, fault: str) -> None:
        if fault == "drop":
            await ws.close()
        elif fault == "abort":
            if http.transport is not None:
                http.transport.abort()
        elif fault == "stall":
            await asyncio.sleep(self.stall_s)


def _split_text_frame(data: str) -> tuple[dict[str, str], str]:
    head, _, body = data.partition("\r\n\r\n")
    headers = {}
    for line in head.split("\r\n"):
        key, _, value = line.partition(":")
        headers[key] = value
    return headers, body


def _parse_ssml(ssml: str, boundary: str) -> Request:
    voice = re.search(r"<voice name='([^']*)'>", ssml)
    prosody = re.search(
        r"<prosody pitch='([^']*)' rate='([^']*)' volume='([^']*)'>(.*)</prosody>", ssml, re.S
    )
    if voice is None or prosody is None:
        raise ValueError(f"unexpected SSML: {ssml[:200]}")
    pitch, rate, volume, text = prosody.groups()
    return Request(unescape(text), voice.group(1), rate, pitch, volume, boundary)


def _text_frame(request_id: str, path: str, body: object) -> str:
    return (
        f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
        f"Path:{path}\r\n\r\n{json.dumps(body, ensure_ascii=False)}"
    )


def _metadata_frame(request_id: str, kind: str, text: str, offset: int, duration: int) -> str:
    item = {
        "Type": kind,
        "Data": {
            "Offset": offset,
            "Duration": duration,
            "text": {"Text": text, "Length": len(text), "BoundaryType": kind},
        },
    }
    return _text_frame(request_id, "audio.metadata", {"Metadata": [item]})


def _audio_frame(request_id: str, audio: bytes) -> bytes:
    content_type = "Content-Type:audio/mpeg\r\n" if audio else ""
    headers = (
        f"X-RequestId:{request_id}\r\n{content_type}"
        f"X-StreamId:{request_id[:8].upper()}\r\nPath:audio\r\n"
    ).encode()
    # edge-tts splits the header block on CRLF, the two length bytes included:
    # a length whose low byte is CR or LF would corrupt its first header line.
    assert len(headers) & 0xFF not in (0x0A, 0x0D, 0x3A), len(headers)
    return len(headers).to_bytes(2, "big") + headers + audio


def char_weight(char: str) -> int:
    """Frames a character takes in the fake voice (for tests that predict durations)."""
    return CHAR_FRAMES if is_speakable(char) else PAUSE_FRAMES


def expected_duration_ms(text: str) -> int:
    return (2 * LEAD_FRAMES + sum(char_weight(c) for c in text)) * FRAME_MS


def wait_until(predicate, timeout_s: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
