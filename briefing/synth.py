"""Run a backend over an article's chunks: cache first, then synthesise the rest.

Every finished chunk is stored in the cache the moment the backend hands it
over, so a run killed half-way (Ctrl-C, SIGTERM, a crash) resumes where it
stopped, and a re-run of the same article sends nothing. Chunks with nothing
speakable (``……``, ``——``) are never sent: they become silence.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator, Sequence

from briefing.article import Chunk
from briefing.backends.base import Backend, Speech, SpeechRequest, VoiceSettings
from briefing.cache import ChunkCache
from briefing.errors import SynthesisError
from briefing.progress import NoProgress, Progress

log = logging.getLogger(__name__)


def stream(
    chunks: Sequence[Chunk],
    backend: Backend,
    settings: VoiceSettings,
    *,
    jobs: int | None = None,
    cache: ChunkCache | None = None,
    progress: Progress | None = None,
    labels: Sequence[str] | None = None,
) -> Generator[tuple[int, Speech | None], None, None]:
    """Yield ``(index, speech)`` once for every chunk, speech None for a chunk
    with nothing to say.

    What the backend makes is yielded as it comes; cached chunks are read
    only when every chunk before them has been yielded, so that a consumer
    laying chunks out in order never holds more than the backend has in
    flight, however much of a long article an earlier run left in the cache.

    ``jobs``: requests in flight at once; None for the backend's own default.
    """
    cache = cache if cache is not None else ChunkCache()
    progress = progress or NoProgress()
    labels = labels or [f"chunk {index + 1}" for index in range(len(chunks))]
    keys = [
        cache.key(backend.name, backend.format_version, settings, chunk.spoken)
        if chunk.speakable
        else None
        for chunk in chunks
    ]
    # What can be read from the cache; identical spoken texts (a repeated
    # slogan) are synthesised once and read back for their other places.
    readable = {key for key in set(keys) if key is not None and key in cache}
    first_place: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key is not None and key not in readable:
            first_place.setdefault(key, index)
    spoken = [key for key in keys if key is not None]
    found = sum(key in readable for key in spoken)
    log.info("%d of %d chunks found in the cache", found, len(spoken))
    if found:
        progress.note(
            f"{found} of {len(spoken)} chunks are in the cache from an earlier run; "
            f"{len(first_place)} to synthesise"
        )

    yielded = bytearray(len(chunks))
    frontier = 0  # every chunk before it has been yielded

    def catch_up() -> Iterator[tuple[int, Speech | None]]:
        """Yield the chunks from the frontier on that need no backend."""
        nonlocal frontier
        while frontier < len(chunks):
            key = keys[frontier]
            if not yielded[frontier]:
                if key is not None and key not in readable:
                    return
                yielded[frontier] = True
                yield frontier, None if key is None else _read(cache, key, labels[frontier])
            frontier += 1

    yield from catch_up()
    if first_place:
        requests = [
            SpeechRequest(number, chunks[index].spoken, settings, labels[index])
            for number, index in enumerate(first_place.values())
        ]
        places = list(first_place.items())
        progress.start(f"Speaking ({backend.name})", len(requests))
        try:
            for number, speech in backend.synthesize(requests, jobs or backend.default_jobs):
                key, index = places[number]
                cache.put(key, speech)
                readable.add(key)
                progress.advance()
                yielded[index] = True
                yield index, speech
                yield from catch_up()
        finally:
            progress.finish()
    if frontier < len(chunks):
        raise SynthesisError(f"the {backend.name} backend returned no audio for {labels[frontier]}")


def _read(cache: ChunkCache, key: str, label: str) -> Speech:
    speech = cache.get(key)
    if speech is None:  # removed or damaged since it was found (and now deleted)
        raise SynthesisError(
            f"the cached audio of {label} went missing during the run; run the same "
            "command again to synthesise it"
        )
    return speech


def synthesize(
    chunks: Sequence[Chunk],
    backend: Backend,
    settings: VoiceSettings,
    *,
    jobs: int | None = None,
    cache: ChunkCache | None = None,
    progress: Progress | None = None,
    labels: Sequence[str] | None = None,
) -> list[Speech | None]:
    """Speech for each chunk, in order; None where a chunk has nothing to say."""
    results: list[Speech | None] = [None] * len(chunks)
    for index, speech in stream(
        chunks, backend, settings, jobs=jobs, cache=cache, progress=progress, labels=labels
    ):
        results[index] = speech
    return results
