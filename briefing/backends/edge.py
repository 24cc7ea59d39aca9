"""Microsoft's neural voices through edge-tts (online).

We use the real ``edge_tts.Communicate`` client, one request per chunk, and
add what its own CLI lacks for long Chinese text:

- concurrency: up to ``jobs`` chunks in flight, in one event loop that lives
  only inside ``synthesize()``; results are handed back as each finishes;
- retries per chunk with exponential backoff and jitter on dropped streams,
  stalls, NoAudioReceived, 429 and 5xx, then a ``SynthesisError`` naming the
  chunk and the cause;
- stall detection: aiohttp applies no read timeout to an open WebSocket, so a
  silent server would hang edge-tts for ever; we time every message;
- dropped-stream detection: edge-tts ends quietly, with partial audio, when
  the server closes the socket before ``turn.end``; we compare the audio bytes
  we got with the bytes edge-tts accounted at ``turn.end``.

``EdgeBackend(endpoint=…)``, by default ``BRIEFING_EDGE_URL`` (``ws://`` or
``wss://``), points the client at another endpoint (a relay, or the loopback
test server). edge-tts appends ``&ConnectionId=…&Sec-MS-GEC=…`` to its URL, so
the URL we give it always carries a query string.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import ssl
import types
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import edge_tts
import edge_tts.communicate
import numpy as np
from edge_tts import constants as edge_constants
from edge_tts import exceptions as edge_errors
from edge_tts.drm import DRM

from briefing.article import speakable
from briefing.backends.base import BackendBase, Speech, SpeechRequest, Voice, WordTiming
from briefing.errors import AudioError, BackendUnavailable, BriefingError, SynthesisError
from briefing.ffmpeg import decode_to_samples

log = logging.getLogger(__name__)

ENDPOINT_VARIABLE = "BRIEFING_EDGE_URL"
SAMPLE_RATE_HZ = 24_000  # the service's audio-24khz-48kbitrate-mono-mp3
_TICKS_PER_MS = 10_000  # boundary offsets come in 100 ns ticks
_SERVICE_WSS_URL = edge_constants.WSS_URL
_SERVICE_VOICE_LIST = edge_constants.VOICE_LIST
_LIST_TIMEOUT_S = 4.0


def _voice(short_name: str, gender: str, description: str) -> Voice:
    locale = "-".join(short_name.split("-")[:2])
    name = short_name.rsplit("-", 1)[-1].removesuffix("Neural")
    return Voice("edge", short_name, name, locale, gender, description)


# The Chinese voices of the service, for when its list cannot be fetched.
BUILTIN_VOICES: tuple[Voice, ...] = (
    _voice("zh-CN-XiaoxiaoNeural", "female", "warm; news and novels; the usual default"),
    _voice("zh-CN-YunyangNeural", "male", "professional, reliable; a news-reading voice"),
    _voice("zh-CN-YunxiNeural", "male", "lively, sunny; novels"),
    _voice("zh-CN-YunjianNeural", "male", "passionate; sports commentary, novels"),
    _voice("zh-CN-XiaoyiNeural", "female", "lively; cartoons, novels"),
    _voice("zh-CN-YunxiaNeural", "male", "cute, young; cartoons, novels"),
    _voice("zh-CN-liaoning-XiaobeiNeural", "female", "humorous; Northeastern dialect"),
    _voice("zh-CN-shaanxi-XiaoniNeural", "female", "bright; Shaanxi dialect"),
    _voice("zh-TW-HsiaoChenNeural", "female", "friendly, positive; Taiwanese Mandarin"),
    _voice("zh-TW-HsiaoYuNeural", "female", "friendly, positive; Taiwanese Mandarin"),
    _voice("zh-TW-YunJheNeural", "male", "friendly, positive; Taiwanese Mandarin"),
    _voice("zh-HK-HiuGaaiNeural", "female", "friendly, positive; Cantonese"),
    _voice("zh-HK-HiuMaanNeural", "female", "friendly, positive; Cantonese"),
    _voice("zh-HK-WanLungNeural", "male", "friendly, positive; Cantonese"),
)


def endpoint_url(configured: str) -> str:
    """The WebSocket URL requests go to (``configured``, or Microsoft's service
    when it is empty), ready for edge-tts to append ``&…`` to."""
    configured = configured.strip()
    if not configured:
        return _SERVICE_WSS_URL
    parts = urlsplit(configured)
    if parts.scheme not in ("ws", "wss") or not parts.netloc:
        raise BackendUnavailable(
            f"the edge endpoint {configured!r} ({ENDPOINT_VARIABLE}) is not a WebSocket URL; "
            "set it to a ws:// or wss:// URL, or unset it to use Microsoft's service"
        )
    if "TrustedClientToken=" not in parts.query:
        token = f"TrustedClientToken={edge_constants.TRUSTED_CLIENT_TOKEN}"
        query = f"{parts.query}&{token}" if parts.query else token
        configured = urlunsplit(parts._replace(query=query))
    return configured


def _voice_list_url(wss_url: str) -> str | None:
    """The voice-list URL that goes with ``wss_url``; None when we cannot tell.

    A relay that mirrors the service's paths (``…/readaloud/edge/v1`` for
    speech) serves the list at ``…/readaloud/voices/list``.
    """
    if wss_url == _SERVICE_WSS_URL:
        return _SERVICE_VOICE_LIST
    parts = urlsplit(wss_url)
    if not parts.path.endswith("/edge/v1"):
        return None
    scheme = "https" if parts.scheme == "wss" else "http"
    path = parts.path.removesuffix("/edge/v1") + "/voices/list"
    query = f"trustedclienttoken={edge_constants.TRUSTED_CLIENT_TOKEN}"
    return urlunsplit((scheme, parts.netloc, path, query, ""))


class _Communicate(edge_tts.Communicate):
    """edge-tts's own client, speaking to ``wss_url``.

    edge-tts takes no endpoint: its private stream method reads the module's
    ``WSS_URL``. This instance runs that same method's code against a copy of
    the module's namespace in which ``WSS_URL`` is ours, so edge_tts itself is
    never changed and backends with different endpoints work side by side.
    """

    def __init__(self, text: str, voice: str, *, wss_url: str, **options: Any) -> None:
        super().__init__(text, voice, **options)
        stream = edge_tts.Communicate._Communicate__stream  # type: ignore[attr-defined]
        namespace = {**stream.__globals__, "WSS_URL": wss_url}
        redirected = types.FunctionType(
            stream.__code__, namespace, stream.__name__, stream.__defaults__, stream.__closure__
        )
        self._Communicate__stream = types.MethodType(redirected, self)


def _ssl_context() -> ssl.SSLContext:
    import certifi  # edge-tts depends on it and uses the same bundle

    return ssl.create_default_context(cafile=certifi.where())


# Requests started per slot beyond the oldest one not yet handed over.
_AHEAD = 4
_PICK_A_VOICE = "pick one from `briefing voices`, e.g. zh-CN-XiaoxiaoNeural"
_RETRY_ADVICE = (
    "check the network and run the same command again (finished chunks are cached), "
    "or use --backend baker or espeak"
)


class _Retryable(Exception):
    """A failure worth another attempt; ``cause`` and ``advice`` are said if we give up."""

    def __init__(
        self, cause: str, retry_after_s: float | None = None, advice: str = _RETRY_ADVICE
    ) -> None:
        super().__init__(cause)
        self.cause = cause
        self.retry_after_s = retry_after_s
        self.advice = advice


class _Fatal(Exception):
    """A failure another attempt will not fix; ``advice`` says what will."""

    def __init__(self, cause: str, advice: str) -> None:
        super().__init__(cause)
        self.cause = cause
        self.advice = advice


class EdgeBackend(BackendBase):
    """The ``edge`` backend. ``endpoint``: a ``ws://``/``wss://`` URL, by default
    ``BRIEFING_EDGE_URL`` or else Microsoft's service. Tunables are class
    attributes, each also a keyword argument, so tests can shorten them."""

    name = "edge"
    default_voice = "zh-CN-XiaoxiaoNeural"
    # Short requests: more of them in flight, and a retry redoes little.
    max_chunk_chars = 300
    format_version = "1"
    # Chunks in flight when the user does not say: fast, and far below the
    # 40-odd parallel connections the service treats as abuse.
    default_jobs = 8
    auto_priority = 300  # the most natural voices, when the service answers
    attempts = 5
    backoff_s = 0.5
    backoff_cap_s = 8.0
    stall_timeout_s = 10.0
    connect_timeout_s = 10
    probe_timeout_s = 1.5

    def __init__(
        self,
        *,
        endpoint: str | None = None,
        attempts: int | None = None,
        backoff_s: float | None = None,
        backoff_cap_s: float | None = None,
        stall_timeout_s: float | None = None,
        connect_timeout_s: int | None = None,
        probe_timeout_s: float | None = None,
    ) -> None:
        self.endpoint = os.environ.get(ENDPOINT_VARIABLE, "") if endpoint is None else endpoint
        tunables = {
            "attempts": attempts,
            "backoff_s": backoff_s,
            "backoff_cap_s": backoff_cap_s,
            "stall_timeout_s": stall_timeout_s,
            "connect_timeout_s": connect_timeout_s,
            "probe_timeout_s": probe_timeout_s,
        }
        for tunable, value in tunables.items():
            if value is not None:
                setattr(self, tunable, value)
        self._unreachable = False  # the last availability probe failed

    # ---- availability and voices -------------------------------------------------

    def available(self) -> str | None:
        """None when the endpoint completes a WebSocket handshake within ``probe_timeout_s``."""
        try:
            url = endpoint_url(self.endpoint)
        except BriefingError as exc:
            return str(exc)
        problem = self._probe_problem(url)
        # Remembered so that voices() does not wait on the network again.
        self._unreachable = problem is not None
        return problem

    def _probe_problem(self, url: str) -> str | None:
        where = urlsplit(url).netloc
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(asyncio.wait_for(self._probe(url), self.probe_timeout_s))
        except asyncio.TimeoutError:
            return (
                f"the edge voices did not answer within {self.probe_timeout_s:g} s ({where}); "
                f"check the network or set {ENDPOINT_VARIABLE}"
            )
        except aiohttp.WSServerHandshakeError as exc:
            refused = f"the edge service at {where} refused the connection (HTTP {exc.status})"
            return f"{refused}; {_advice(exc.status)}"
        except (aiohttp.ClientError, OSError) as exc:
            reason = _describe(exc)
            if where not in reason:
                reason = f"{where}: {reason}"
            return (
                f"the edge voices cannot be reached ({reason}); "
                f"check the network or set {ENDPOINT_VARIABLE}"
            )
        finally:
            loop.close()
        return None

    async def _probe(self, url: str) -> None:
        async with (
            aiohttp.ClientSession(trust_env=True) as session,
            session.ws_connect(
                _connection_url(url),
                headers=DRM.headers_with_muid(edge_constants.WSS_HEADERS),
                ssl=_ssl_context(),
            ) as websocket,
        ):
            await websocket.close()

    def voices(self) -> list[Voice]:
        """The service's Chinese voices when its list can be fetched, else the built-in list."""
        listed = self._listed_voices()
        voices = [_voice_from_service(item) for item in listed or () if _is_chinese(item)]
        return voices or list(BUILTIN_VOICES)

    def _listed_voices(self) -> list[Mapping[str, Any]] | None:
        """Every voice the service lists (all languages); None when the list
        cannot be fetched (no network, or a relay that does not serve it)."""
        try:
            url = endpoint_url(self.endpoint)
        except BriefingError:
            return None
        list_url = _voice_list_url(url)
        if list_url is None or self._unreachable:
            return None
        loop = asyncio.new_event_loop()
        try:
            return list(
                loop.run_until_complete(asyncio.wait_for(_list_voices(list_url), _LIST_TIMEOUT_S))
            )
        except (asyncio.TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
            log.info("edge voice list unavailable (%s); using the built-in list", _describe(exc))
            return None
        finally:
            loop.close()

    def _check_voices(self, requests: Sequence[SpeechRequest]) -> None:
        """Refuse, before anything is sent, a voice the service does not have.

        The service answers a request for an unknown voice with silence, which
        after every retry would read as a network fault, minutes into a run.
        When its list cannot be fetched, only the form of the id is checked."""
        wanted = {request.settings.voice for request in requests}
        listed: list[Mapping[str, Any]] | None = None
        for voice in sorted(wanted):
            try:
                edge_tts.Communicate("-", voice)
            except ValueError as exc:
                raise SynthesisError(
                    f"{voice!r} is not an edge voice ({exc}); {_PICK_A_VOICE}"
                ) from exc
            if voice in {known.id for known in BUILTIN_VOICES}:
                continue
            listed = listed if listed is not None else self._listed_voices()
            if listed is not None and voice not in {item["ShortName"] for item in listed}:
                raise SynthesisError(
                    f"{voice!r} is not an edge voice (the service does not list it); "
                    f"{_PICK_A_VOICE}"
                )

    # ---- synthesis ------------------------------------------------------------------

    def synthesize(
        self, requests: Sequence[SpeechRequest], jobs: int
    ) -> Iterator[tuple[int, Speech]]:
        """Yield ``(index, speech)`` as each request finishes; at most ``jobs`` in flight.

        The event loop runs only while we wait for the next result, so the
        rest of the program stays synchronous. When a request fails for good,
        the others are cancelled, audio already received is still decoded and
        handed over (so it is cached), then the error is raised. When the
        caller stops iterating (Ctrl-C included) everything is cancelled. The
        loop is closed before anything leaves here.
        """
        if not requests:
            return
        url = endpoint_url(self.endpoint)
        self._check_voices(requests)
        loop = asyncio.new_event_loop()
        # Any: the two kinds of task are told apart by the set they are in.
        fetching: set[asyncio.Task[Any]] = set()
        decoding: set[asyncio.Task[Any]] = set()
        place: dict[asyncio.Task[Any], int] = {}  # the position of each task's request
        slots = max(1, jobs)
        started = oldest = 0  # requests started; the first not yet handed over
        handed_over: set[int] = set()

        def start_more() -> None:
            # In the article's order, so chunks arrive roughly in order and the
            # caller can encode the programme as it comes in (longest first
            # would end with less idle time, by 1% here); and never far past
            # the oldest one unfinished, so that what the caller has to hold
            # until it comes stays small however long the article.
            nonlocal started
            while (
                started < len(requests)
                and len(fetching) < slots
                and started < oldest + slots * _AHEAD
            ):
                task = loop.create_task(self._fetch(requests[started], url))
                place[task] = started
                fetching.add(task)
                started += 1

        try:
            start_more()
            failure: BaseException | None = None
            while fetching or decoding:
                done, _ = loop.run_until_complete(
                    asyncio.wait(fetching | decoding, return_when=asyncio.FIRST_COMPLETED)
                )
                for task in done:
                    position = place.pop(task)
                    if task in decoding:
                        decoding.discard(task)
                        handed_over.add(position)
                        while oldest in handed_over:
                            handed_over.remove(oldest)
                            oldest += 1
                        yield task.result()
                        continue
                    fetching.discard(task)
                    if task.cancelled():
                        continue
                    if task.exception() is not None:
                        failure = failure or task.exception()
                        for other in fetching:
                            other.cancel()
                        continue
                    decode = loop.create_task(self._decode(*task.result()))
                    place[decode] = position
                    decoding.add(decode)
                if failure is None:
                    start_more()
            if failure is not None:
                raise failure
        finally:
            _shut_down(loop, [*fetching, *decoding])

    async def _fetch(
        self, request: SpeechRequest, url: str
    ) -> tuple[SpeechRequest, bytes, tuple[WordTiming, ...]]:
        """The MP3 bytes and word timings of one request, after retries.

        Its slot is kept through the backoff: when the service is struggling,
        fewer requests reach it, and a chunk's retries are not queued behind
        every other chunk."""
        if not speakable(request.text):
            return request, b"", ()
        audio, words = await self._with_retries(request, url)
        return request, audio, words

    async def _decode(
        self, request: SpeechRequest, audio: bytes, words: tuple[WordTiming, ...]
    ) -> tuple[int, Speech]:
        # Outside the slot: the next request need not wait for ffmpeg.
        if not audio:
            return request.index, Speech(np.zeros(0, dtype=np.int16), SAMPLE_RATE_HZ)
        loop = asyncio.get_running_loop()
        try:
            samples = await loop.run_in_executor(None, decode_to_samples, audio, SAMPLE_RATE_HZ)
        except AudioError as exc:
            raise SynthesisError(
                f"edge sent audio for {request.label} that cannot be read: {exc}"
            ) from exc
        return request.index, Speech(samples, SAMPLE_RATE_HZ, words)

    async def _with_retries(
        self, request: SpeechRequest, url: str
    ) -> tuple[bytes, tuple[WordTiming, ...]]:
        label = request.label
        for attempt in range(1, self.attempts + 1):
            try:
                return await self._attempt(request, url)
            except _Fatal as exc:
                raise SynthesisError(f"edge failed on {label}: {exc.cause}; {exc.advice}") from exc
            except _Retryable as exc:
                if attempt == self.attempts:
                    raise SynthesisError(
                        f"edge failed on {label}: {exc.cause}, {self.attempts} times; {exc.advice}"
                    ) from exc
                delay = self._backoff(attempt, exc.retry_after_s)
                log.info("%s: %s; retry %d in %.2f s", label, exc.cause, attempt, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int, retry_after_s: float | None) -> float:
        ceiling = min(self.backoff_cap_s, self.backoff_s * 2 ** (attempt - 1))
        # "Equal jitter": never less than half the step, so retries stay spaced,
        # and spread over the other half so parallel chunks do not retry in step.
        delay = ceiling / 2 + random.uniform(0, ceiling / 2)
        if retry_after_s is not None:
            delay = max(delay, min(retry_after_s, self.backoff_cap_s))
        return delay

    async def _attempt(
        self, request: SpeechRequest, url: str
    ) -> tuple[bytes, tuple[WordTiming, ...]]:
        """One request: the MP3 bytes and the word timings, whole or an exception."""
        settings = request.settings
        try:
            communicate = _Communicate(
                request.text,
                settings.voice,
                wss_url=url,
                rate=f"{settings.rate_pct:+d}%",
                pitch=f"{settings.pitch_hz:+d}Hz",
                volume=f"{settings.volume_pct:+d}%",
                boundary="WordBoundary",  # 7.x sends word events only when asked
                connect_timeout=self.connect_timeout_s,
            )
        except ValueError as exc:
            raise _Fatal(f"{settings.voice!r} is not an edge voice ({exc})", _PICK_A_VOICE) from exc
        audio = bytearray()
        words: list[WordTiming] = []
        try:
            await self._receive(communicate, audio, words)
        except (_Retryable, _Fatal):
            raise
        except Exception as exc:
            raise _translate(exc) from exc
        # edge-tts ends quietly when the socket closes before turn.end; it counts
        # a request's bytes into cumulative_audio_bytes only at turn.end.
        if communicate.state["cumulative_audio_bytes"] != len(audio):
            raise _Retryable(f"the stream was dropped after {len(audio)} bytes of audio")
        return bytes(audio), tuple(words)

    async def _receive(
        self, communicate: edge_tts.Communicate, audio: bytearray, words: list[WordTiming]
    ) -> None:
        stream = communicate.stream()
        try:
            while True:
                try:
                    message = await asyncio.wait_for(anext(stream), self.stall_timeout_s)
                except StopAsyncIteration:
                    return
                except asyncio.TimeoutError as exc:
                    raise _Retryable(
                        f"the service went silent for {self.stall_timeout_s:g} s"
                    ) from exc
                if message["type"] == "audio":
                    audio += message["data"]
                elif message["type"] in ("WordBoundary", "SentenceBoundary"):
                    words.append(
                        WordTiming(
                            message["text"],
                            message["offset"] / _TICKS_PER_MS,
                            message["duration"] / _TICKS_PER_MS,
                        )
                    )
        finally:
            await stream.aclose()


def _translate(exc: BaseException) -> _Retryable | _Fatal:
    """Sort an aiohttp or edge-tts failure into worth-retrying or not."""
    if isinstance(exc, aiohttp.ClientResponseError):  # includes a refused handshake
        status = exc.status
        if status == 429 or status >= 500:
            return _Retryable(f"the service answered HTTP {status}", _retry_after(exc))
        return _Fatal(f"the service refused the request (HTTP {status})", _advice(status))
    if isinstance(exc, edge_errors.SkewAdjustmentError):
        return _Fatal("the service refused the request (HTTP 403)", _advice(403))
    if isinstance(exc, edge_errors.NoAudioReceived):
        return _Retryable(
            "the service sent no audio",
            advice="if the text has nothing a voice can read, edit it out; "
            "else run the same command again (finished chunks are cached)",
        )
    if isinstance(exc, edge_errors.WebSocketError):
        return _Retryable(f"the connection broke ({exc})")
    if isinstance(exc, (edge_errors.UnexpectedResponse, edge_errors.UnknownResponse)):
        return _Retryable(f"the service sent something unexpected ({exc})")
    if isinstance(exc, (aiohttp.ClientError, OSError, asyncio.TimeoutError)):
        return _Retryable(f"the connection failed ({_describe(exc)})")
    raise exc  # a bug of ours: let it surface with its traceback


def _retry_after(exc: aiohttp.ClientResponseError) -> float | None:
    value = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date: our own backoff will do


def _advice(status: int) -> str:
    if status == 403:
        return (
            "Microsoft changes its token scheme from time to time; update edge-tts "
            "(pip install -U edge-tts), or use --backend baker or espeak"
        )
    return f"check {ENDPOINT_VARIABLE} if you set it, or use --backend baker or espeak"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, aiohttp.ClientConnectorError):
        # Its str() carries the SSL context's repr; say only what a user needs.
        reason = exc.os_error.strerror or str(exc.os_error) or type(exc.os_error).__name__
        return f"cannot connect to {exc.host}:{exc.port}: {reason}"
    return str(exc) or type(exc).__name__


def _connection_url(wss_url: str) -> str:
    # The same query edge-tts sends, so a probe is judged as a request would be.
    return (
        f"{wss_url}&ConnectionId={edge_tts.communicate.connect_id()}"
        f"&Sec-MS-GEC={DRM.generate_sec_ms_gec()}"
        f"&Sec-MS-GEC-Version={edge_constants.SEC_MS_GEC_VERSION}"
    )


def _is_chinese(item: Mapping[str, Any]) -> bool:
    return str(item.get("Locale", "")).startswith("zh-")


async def _list_voices(list_url: str) -> list[dict[str, Any]]:
    """The service's voice list, as edge-tts would fetch it, from ``list_url``."""
    async with (
        aiohttp.ClientSession(trust_env=True) as session,
        session.get(
            f"{list_url}&Sec-MS-GEC={DRM.generate_sec_ms_gec()}"
            f"&Sec-MS-GEC-Version={edge_constants.SEC_MS_GEC_VERSION}",
            headers=DRM.headers_with_muid(edge_constants.VOICE_HEADERS),
            ssl=_ssl_context(),
            raise_for_status=True,
        ) as response,
    ):
        listed: list[dict[str, Any]] = await response.json(content_type=None)
    return listed


def _voice_from_service(item: Mapping[str, Any]) -> Voice:
    tags = item.get("VoiceTag") or {}
    description = "; ".join(
        ", ".join(tags.get(key, [])) for key in ("VoicePersonalities", "ContentCategories")
    ).strip("; ")
    short_name = item["ShortName"]
    return Voice(
        "edge",
        short_name,
        short_name.rsplit("-", 1)[-1].removesuffix("Neural"),
        item["Locale"],
        item.get("Gender", "").lower(),
        description,
    )


def _shut_down(loop: asyncio.AbstractEventLoop, tasks: Sequence[asyncio.Task[Any]]) -> None:
    """Cancel what is still running and close the loop, without ever waiting long."""
    try:
        unfinished = [task for task in tasks if not task.done()]
        for task in unfinished:
            task.cancel()
        if unfinished:
            loop.run_until_complete(asyncio.wait(unfinished, timeout=5))
        for task in tasks:
            # Mark failures of other chunks as seen: the first one is reported.
            if task.done() and not task.cancelled():
                task.exception()
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        loop.close()
