"""What a worker does with one job: make the briefing, publish it, record the outcome.

Every step is safe to repeat, which is what makes a redelivered job (its
worker died) finish exactly once: ``make`` writes each output through a
temporary name (a re-run finds its chunks in the shared cache), publishing
identifies an episode by its audio file name (one briefing, one episode, however
often it is published), and the record says which run is done.

Failures are sorted into permanent ones (nothing to read, a refused URL, a
page that is gone: failed at once, with the message for the user) and
transient ones (network, voice service, disk: retried with backoff by the
queue, then failed with the last message).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import socket
import time
import urllib.error
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dramatiq.rate_limits import ConcurrentRateLimiter

from briefing import pipeline
from briefing.errors import (
    AudioError,
    BackendUnavailable,
    BriefingError,
    InputError,
    OutputError,
    SynthesisError,
)
from briefing.service import site
from briefing.service.fetch import BlockedURL
from briefing.service.jobs import DONE, FAILED, RUNNING, Job, JobStore
from briefing.service.root import Root, Settings

log = logging.getLogger(__name__)

MAX_RETRIES = 4
# Starts of one run, counting those whose worker died (which the queue does not
# count as retries): past this the job is what kills workers, and is given up.
MAX_ATTEMPTS = MAX_RETRIES + 3
_PROGRESS_INTERVAL_S = 0.5
_EDGE_SLOT_POLL_S = 0.5


class JobGone(Exception):
    """The briefing was taken down while it was being made."""


class Transient(Exception):
    """A failure worth retrying; the queue does, with backoff."""


@dataclass(frozen=True)
class Failure:
    cause: str
    message: str
    permanent: bool


def classify(exc: BaseException) -> Failure:
    """The failure's cause (a metrics label), its message for the user, and whether retrying is
    pointless."""
    origin = exc.__cause__
    # urllib wraps what a connection raises (the address check) in another URLError
    while isinstance(origin, urllib.error.URLError) and isinstance(origin.reason, BaseException):
        if isinstance(origin, BlockedURL):
            break
        origin = origin.reason
    if isinstance(origin, BlockedURL):
        return Failure("blocked", str(origin.reason), True)
    if isinstance(exc, InputError):
        if isinstance(origin, urllib.error.HTTPError):
            transient = origin.code >= 500 or origin.code in (408, 429)
            return Failure("fetch", str(exc), not transient)
        if isinstance(origin, urllib.error.URLError | OSError):
            return Failure("fetch", str(exc), False)
        return Failure("input", str(exc), True)
    if isinstance(exc, AudioError):
        return Failure("audio", str(exc), True)
    for kind, cause in (
        (BackendUnavailable, "backend"),
        (SynthesisError, "synthesis"),
        (OutputError, "output"),
    ):
        if isinstance(exc, kind):
            return Failure(cause, str(exc), False)
    if isinstance(exc, BriefingError):
        return Failure("input", str(exc), True)
    name = type(exc).__name__
    return Failure("internal", f"internal error ({name}); see the worker's log", False)


class JobProgress:
    """The pipeline's progress, written into the job record (at most twice a second)."""

    def __init__(self, store: JobStore, job: Job) -> None:
        self.store = store
        self.job = job
        self.total = 0
        self.done = 0
        self.saved_at = 0.0
        self.synthesis_started: float | None = None

    def start(self, stage: str, total: int) -> None:
        # Synthesis is synth's "Speaking (backend)" stage, up to the stage after it.
        if self.synthesis_started is not None:
            self.job.synthesis_seconds = time.monotonic() - self.synthesis_started
            self.synthesis_started = None
        if stage.startswith("Speaking"):
            self.synthesis_started = time.monotonic()
        self.job.stage, self.total, self.done = stage, total, 0
        self._save(force=True)

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        self._save()

    def finish(self) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def _save(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.saved_at < _PROGRESS_INTERVAL_S:
            return
        self.job.progress = round(self.done / self.total, 3) if self.total else 0.0
        save_unless_gone(self.store, self.job)
        self.saved_at = now


def save_unless_gone(store: JobStore, job: Job) -> None:
    """Save the record, unless it was deleted meanwhile (a takedown). A job is
    never re-queued while it runs, so its run cannot have changed."""
    if store.get(job.id) is None:
        raise JobGone(job.id)
    store.save(job)


def run_job(
    root: Root, job_id: str, run: int, retries: int, edge: ConcurrentRateLimiter | None = None
) -> None:
    """Run ``run`` of job ``job_id`` (``retries`` earlier tries of it failed transiently).

    Returns when the run is done, failed for good, or was not this message's
    to do; raises Transient for the queue to retry it later.
    """
    store = JobStore(root)
    job = store.get(job_id)
    if job is None or job.run != run or job.status in (DONE, FAILED):
        return  # taken down, superseded, or finished by another worker already
    job.status, job.error, job.progress = RUNNING, None, 0.0
    job.attempts += 1
    job.worker = f"{socket.gethostname()}:{os.getpid()}"
    job.started = time.time()
    if job.attempts > MAX_ATTEMPTS:
        _fail(store, job, Failure("worker_lost", "gave up: workers stopped while making it", True))
        return
    try:
        save_unless_gone(store, job)
        with _edge_slot(edge, job):
            _make_and_publish(root, root.load_settings(), store, job)
    except JobGone:
        _taken_down(root, job)
        return
    except Exception as exc:
        if store.get(job_id) is None:  # the takedown surfaced as another error on its way up
            _taken_down(root, job)
            return
        failure = classify(exc)
        log.warning("job %s run %d: %s (%s)", job_id, run, failure.message, failure.cause)
        if failure.permanent or retries >= MAX_RETRIES:
            _fail(store, job, failure)
            return
        job.error = f"{failure.message} (will retry)"
        job.cause = failure.cause
        try:
            save_unless_gone(store, job)
        except JobGone:
            _taken_down(root, job)
            return
        raise Transient(failure.message) from exc


@contextlib.contextmanager
def _edge_slot(edge: ConcurrentRateLimiter | None, job: Job) -> Iterator[None]:
    """Wait for a slot when the job may use the edge voice service (``auto`` picks it
    when it is reachable); offline voices need none."""
    if edge is None or job.backend not in ("auto", "edge"):
        yield
        return
    while True:
        with edge.acquire(raise_on_failure=False) as acquired:
            if acquired:
                yield
                return
        time.sleep(_EDGE_SLOT_POLL_S)


def _taken_down(root: Root, job: Job) -> None:
    """Taken down while being made: remove what this run wrote (and published) since."""
    site.take_down(root, job.id, job.slug)
    site.republish(root, root.load_settings())


def _fail(store: JobStore, job: Job, failure: Failure) -> None:
    job.status, job.error, job.cause = FAILED, failure.message, failure.cause
    job.finished = time.time()
    with contextlib.suppress(JobGone):
        save_unless_gone(store, job)


def _make_and_publish(root: Root, settings: Settings, store: JobStore, job: Job) -> None:
    folder = root.drafts if settings.review else root.path
    config = pipeline.MakeConfig(
        source=job.url or str(_input_file(root, job)),
        output=site.audio_path(folder, job.id),
        backend=job.backend,
        voice=job.voice,
        force=True,  # a new version replaces the old files only once it is complete
        cache_dir=root.chunk_cache,
    )
    # A run of this job killed outright (SIGKILL, a machine gone) could not
    # remove its temporary files, and no other run writes these names.
    for stale in folder.glob(f".{job.id}.*.part"):
        stale.unlink(missing_ok=True)
    made = pipeline.make(config, JobProgress(store, job))
    content_hash = hashlib.sha256(made.files.transcript.read_bytes()).hexdigest()
    if content_hash != job.content_hash:
        job.version += 1
        job.content_hash = content_hash
    job.draft = settings.review
    if not settings.review:
        slugs = site.republish(root, settings)
        job.slug = slugs.get(site.audio_path(root.path, job.id).name, job.slug)
    job.status, job.stage, job.progress, job.finished = DONE, None, 1.0, time.time()
    save_unless_gone(store, job)


def _input_file(root: Root, job: Job) -> Path:
    matches = sorted(root.inputs.glob(f"{job.id}.*"))
    if not matches:
        raise InputError("the submitted text is missing from the service's folder; submit it again")
    return matches[0]


def publish_draft(root: Root, store: JobStore, job: Job) -> Job:
    """Make a reviewed draft live."""
    site.promote(root, job.id)
    slugs = site.republish(root, root.load_settings())
    job.slug = slugs.get(site.audio_path(root.path, job.id).name, job.slug)
    job.draft = False
    store.save(job)
    return job
