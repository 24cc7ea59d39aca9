"""The newsroom service: an HTTP API over a queue of ``briefing make`` jobs.

    api        FastAPI app: submit, status, takedown, /listen, feed and site, metrics
    queue      the Dramatiq broker (embedded or Redis) and the one actor
    work       what a worker does with a job: fetch, make, publish, record
    jobs       job records on disk, under the root (shared by every worker)
    site       the feed and site, rewritten atomically after each job
    fetch      the allow-listed, SSRF-safe URL fetching workers install
    tokens     bearer tokens, stored as hashes
    metrics    Prometheus metrics computed from the job records
    root       where everything lives under ``--root``

Its third-party packages come with the ``server`` extra; ``require()`` says
how to install them when they are missing.
"""

from __future__ import annotations

import importlib.util

from briefing.errors import BriefingError

_SERVER_PACKAGES = ("fastapi", "uvicorn", "dramatiq", "prometheus_client")


def require(broker_url: str | None = None) -> None:
    """Raise a BriefingError naming what to install when a package the service needs is missing."""
    needed = [*_SERVER_PACKAGES, *(["redis"] if broker_url else [])]
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        raise BriefingError(
            f"the newsroom service needs {', '.join(missing)}; "
            "install them with: pip install 'briefing[server]'"
        )
