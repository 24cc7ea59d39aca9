"""Run a backend over an article's chunks: cache first, then synthesise the rest.

Every finished chunk is stored in the cache the moment the backend hands it
over, so a run killed half-way (Ctrl-C, SIGTERM, a crash) resumes where it
stopped, and a re-run of the same article sends nothing. Chunks with nothing
speakable (``……``, ``——``) are never sent: they become silence.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Sequence

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
    """Yield ``(index, speech)`` once for every chunk, as soon as it is ready:
    cached and unspeakable ones (None) first, then the rest as the backend
    finishes them.

    ``jobs``: requests in flight at once; None for the backend's own default.
    """
    cache = cache if cache is not None else ChunkCache()
    progress = progress or NoProgress()
    labels = labels or [f"chunk {index + 1}" for index in range(len(chunks))]
    # Identical spoken texts (a repeated slogan) are synthesised once.
    pending: dict[str, list[int]] = {}
    hits = 0
    for index, chunk in enumerate(chunks):
        if not chunk.speakable:
            yield index, None
            continue
        key = cache.key(backend.name, backend.format_version, settings, chunk.spoken)
        cached = cache.get(key)
        if cached is not None:
            hits += 1
            yield index, cached
        else:
            pending.setdefault(key, []).append(index)
    log.info("%d chunks found in the cache, %d texts to synthesise", hits, len(pending))
    if not pending:
        return

    keys = list(pending)
    requests = [
        SpeechRequest(number, chunks[pending[key][0]].spoken, settings, labels[pending[key][0]])
        for number, key in enumerate(keys)
    ]
    progress.start(f"Speaking ({backend.name})", len(requests))
    try:
        for number, speech in backend.synthesize(requests, jobs or backend.default_jobs):
            key = keys[number]
            cache.put(key, speech)
            progress.advance()
            for index in pending.pop(key):
                yield index, speech
    finally:
        progress.finish()
    if pending:
        first = next(iter(pending.values()))[0]
        raise SynthesisError(f"the {backend.name} backend returned no audio for {labels[first]}")


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
