"""The queue, on Dramatiq: an embedded broker by default, Redis for many machines.

Why Dramatiq (docs/service.md has the comparison and the measured recovery
times): its Redis broker keeps each message a worker has taken in that
worker's own set until it is acknowledged, every worker beats a heartbeat
into Redis, and workers requeue the messages of one whose heartbeat stopped.
So a worker killed mid-job (SIGKILL, machine gone) loses nothing, and a slow
job is never handed out twice while its worker lives (Celery's visibility
timeout would). Retries with exponential backoff and a time limit per job
come with it.

The embedded broker is Dramatiq's in-process one; what makes its jobs
survive a restart is the job records on disk: at start the server re-sends
every job not finished (one machine, one server: no other worker can be
making them).
"""

from __future__ import annotations

import logging
from typing import Any

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import CurrentMessage
from dramatiq.rate_limits import ConcurrentRateLimiter
from dramatiq.rate_limits.backends import RedisBackend, StubBackend

from briefing.service import work
from briefing.service.jobs import ACTIVE, JobStore
from briefing.service.root import Root

log = logging.getLogger(__name__)

QUEUE = "briefings"
ACTOR = "make_briefing"
# A dead worker's jobs go back on the queue this long after its last heartbeat
# (a live worker beats about once a second, whatever its jobs are doing).
HEARTBEAT_TIMEOUT_MS = 10_000
# Chance, per million broker commands, of checking for dead workers (a short
# script over the heartbeats): an idle worker sends a command or two a second,
# so one whose heartbeat stopped is noticed within seconds of the timeout.
MAINTENANCE_CHANCE = 200_000
JOB_TIME_LIMIT_MS = 30 * 60 * 1000  # a job still running after this is stopped and retried
# The edge voice service treats ~40 connections from one address as abuse; every
# worker of a newsroom shares one address, so the cap is global.
EDGE_CONNECTION_CAP = 32


def edge_slots(url: str | None, cap: int = EDGE_CONNECTION_CAP) -> ConcurrentRateLimiter:
    """A semaphore, in Redis when there is one, of how many jobs may talk to the edge
    service at once: ``cap`` connections at the edge backend's connections per job. A
    slot of a killed worker frees itself after the job time limit."""
    from briefing.backends.edge import EdgeBackend

    backend = RedisBackend(url=url) if url else StubBackend()
    slots = max(1, cap // EdgeBackend.default_jobs)
    return ConcurrentRateLimiter(backend, "briefing:edge-jobs", limit=slots, ttl=JOB_TIME_LIMIT_MS)


def make_broker(url: str | None) -> dramatiq.Broker:
    broker: dramatiq.Broker
    if url:
        from dramatiq.brokers.redis import RedisBroker

        broker = RedisBroker(
            url=url,
            namespace="briefing",
            heartbeat_timeout=HEARTBEAT_TIMEOUT_MS,
            maintenance_chance=MAINTENANCE_CHANCE,
        )
    else:
        broker = StubBroker()
    broker.add_middleware(CurrentMessage())
    return broker


def declare(
    broker: dramatiq.Broker, root: Root, edge: ConcurrentRateLimiter
) -> dramatiq.Actor[Any, None]:
    """The actor that makes briefings, bound to ``broker``; ``edge`` caps the jobs
    that may use the edge voice service at once."""

    def make_briefing(job_id: str, run: int) -> None:
        message = CurrentMessage.get_current_message()
        retries = int(message.options.get("retries", 0)) if message is not None else 0
        work.run_job(root, job_id, run, retries, edge)

    return dramatiq.Actor(
        make_briefing,
        broker=broker,
        actor_name=ACTOR,
        queue_name=QUEUE,
        priority=0,
        options={
            "max_retries": work.MAX_RETRIES,
            "min_backoff": 2_000,
            "max_backoff": 120_000,
            "time_limit": JOB_TIME_LIMIT_MS,
            # only what run_job marks transient is retried
            "retry_when": lambda retries, exc: (
                isinstance(exc, work.Transient) and retries < work.MAX_RETRIES
            ),
        },
    )


def resend_unfinished(actor: dramatiq.Actor[Any, None], store: JobStore) -> int:
    """Send again every job the records say is queued or running (embedded
    broker after a restart); return how many."""
    count = 0
    for job in store.all():
        if job.status in ACTIVE:
            actor.send(job.id, job.run)
            count += 1
    return count


def start_worker(broker: dramatiq.Broker, threads: int) -> dramatiq.Worker:
    worker = dramatiq.Worker(broker, worker_threads=threads)
    worker.start()
    return worker
