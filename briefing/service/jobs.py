"""Job records: one JSON file per briefing under ``.service/jobs/``.

A briefing's id is a hash of what identifies it: for a URL, the URL and the
voice asked for (a corrected article at the same URL is a new *version* of the
same briefing); for a text or HTML, its content and voice (the same content
always gets the same id). Each time a briefing is queued its ``run`` goes up;
a queue message names the run it is for, so a message delivered twice (a
worker died after finishing) finds its run done and does nothing.

Records are written whole through a temporary file, so a reader on any
machine sees the previous record or the next one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from briefing.files import write_atomic
from briefing.service.root import Root

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)
STATES = (QUEUED, RUNNING, DONE, FAILED)
KINDS = ("url", "text", "html")


def briefing_id(kind: str, content: str, voice: str | None, backend: str) -> str:
    identity = json.dumps([kind, content, voice, backend], ensure_ascii=False)
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]


@dataclass
class Job:
    id: str
    kind: str
    url: str | None = None
    title: str | None = None
    voice: str | None = None
    backend: str = "auto"
    status: str = QUEUED
    run: int = 1
    attempts: int = 0  # starts of this run; a run that kills its workers is given up
    worker: str | None = None  # host:pid of the worker that last started it
    stage: str | None = None
    progress: float | None = None
    error: str | None = None
    cause: str | None = None  # the failure's kind, for metrics
    version: int = 0  # distinct contents made so far
    content_hash: str | None = None
    slug: str | None = None
    draft: bool = False  # made, waiting for POST …/publish
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    synthesis_seconds: float | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Job:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


class JobStore:
    def __init__(self, root: Root) -> None:
        self.root = root

    def _path(self, job_id: str) -> Any:
        return self.root.jobs / f"{job_id}.json"

    def get(self, job_id: str) -> Job | None:
        if not job_id.isalnum():
            return None
        try:
            return Job.from_json(json.loads(self._path(job_id).read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None

    def save(self, job: Job) -> None:
        text = json.dumps(asdict(job), ensure_ascii=False, indent=1)
        write_atomic(self._path(job.id), text.encode("utf-8"))

    def delete(self, job_id: str) -> None:
        self._path(job_id).unlink(missing_ok=True)
        for path in self.root.inputs.glob(f"{job_id}.*"):
            path.unlink(missing_ok=True)

    def all(self) -> Iterator[Job]:
        for path in self.root.jobs.glob("*.json"):
            with contextlib.suppress(FileNotFoundError, ValueError):
                yield Job.from_json(json.loads(path.read_text(encoding="utf-8")))
