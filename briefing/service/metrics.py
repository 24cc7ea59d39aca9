"""Prometheus metrics, computed from the job records at each scrape.

Workers may run on other machines, so counting in the API process would miss
their work; the records on the shared root are the one place every job's
state, durations and failure cause are written. Reading them all costs one
small file per job per scrape: fine for a day's articles, and the reason old
records would be archived before the millions of a backfill.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from prometheus_client.core import (
    CollectorRegistry,
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector

from briefing.service.jobs import DONE, FAILED, QUEUED, STATES, JobStore

JOB_BUCKETS = (1, 2, 5, 10, 30, 60, 120, 300, 600, 1800)


def _histogram(name: str, help_text: str, values: list[float]) -> HistogramMetricFamily:
    buckets = [(str(float(bound)), sum(v <= bound for v in values)) for bound in JOB_BUCKETS]
    buckets.append(("+Inf", len(values)))
    return HistogramMetricFamily(name, help_text, buckets=buckets, sum_value=sum(values))


class JobCollector(Collector):
    def __init__(self, store: JobStore) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        jobs = list(self.store.all())
        by_state = Counter(job.status for job in jobs)
        depth = GaugeMetricFamily("briefing_queue_depth", "Jobs waiting for a worker.")
        depth.add_metric([], by_state[QUEUED])
        yield depth
        states = GaugeMetricFamily("briefing_jobs", "Jobs by state.", labels=["state"])
        for state in STATES:
            states.add_metric([state], by_state[state])
        yield states
        yield _histogram(
            "briefing_job_seconds",
            "Time from a worker starting a job to its briefing being published.",
            [j.finished - j.started for j in jobs if j.finished and j.started and j.status == DONE],
        )
        yield _histogram(
            "briefing_synthesis_seconds",
            "Time spent synthesising speech, per job.",
            [j.synthesis_seconds for j in jobs if j.synthesis_seconds is not None],
        )
        failures = CounterMetricFamily(
            "briefing_job_failures", "Jobs failed for good, by cause.", labels=["cause"]
        )
        for cause, count in Counter(j.cause for j in jobs if j.status == FAILED).items():
            failures.add_metric([cause or "unknown"], count)
        yield failures


def exposition(store: JobStore) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(JobCollector(store))
    return generate_latest(registry)
