"""The HTTP API (FastAPI, for the OpenAPI description at /openapi.json and
request validation from the same type hints), plus the feed and site it
publishes, served from the root by the same process.

Writes need ``Authorization: Bearer TOKEN``; reads are public.
"""

# No `from __future__ import annotations`: FastAPI reads the dependency
# annotations of functions defined inside create_app at run time.
import json
import threading
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, model_validator
from starlette.types import Scope

from briefing.backends.base import backend_names
from briefing.service import metrics, site, work
from briefing.service.fetch import BlockedURL, FetchPolicy, canonical_url
from briefing.service.jobs import ACTIVE, DONE, FAILED, QUEUED, Job, JobStore, briefing_id
from briefing.service.root import Root, Settings
from briefing.service.tokens import TokenChecker

RETRY_AFTER_S = 10  # what /listen tells the 听新闻 button to wait before asking again


class Submission(BaseModel):
    """An article to read: exactly one of ``url``, ``text`` or ``html``."""

    url: str | None = Field(None, description="The article's address, on an allowed domain.")
    text: str | None = Field(None, description="Plain text or Markdown.")
    html: str | None = Field(None, description="The article page's HTML.")
    voice: str | None = Field(None, description="A preset from `briefing voices`, or a voice id.")
    backend: str = Field("auto", description="The TTS engine; auto picks the best available.")
    title: str | None = Field(None, description="Title for text without one.")

    @model_validator(mode="after")
    def one_source(self) -> "Submission":
        given = [name for name in ("url", "text", "html") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError("give exactly one of url, text or html")
        if self.backend not in ("auto", *backend_names()):
            raise ValueError(f"backend must be one of auto, {', '.join(backend_names())}")
        return self


class Status(BaseModel):
    id: str
    status: str = Field(description="queued, running, done or failed")
    version: int = Field(description="How many distinct contents this briefing has had.")
    progress: float | None = Field(None, description="0 to 1 while running.")
    stage: str | None = None
    error: str | None = Field(None, description="Why it failed, for the user.")
    draft: bool = Field(False, description="Made, waiting for POST …/publish (review mode).")
    links: dict[str, str]


def _error(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers or None)


class _SiteFiles(StaticFiles):
    """The root as a static site, without its hidden files (service state, publish state)."""

    def lookup_path(self, path: str) -> tuple[str, Any]:
        if any(part.startswith(".") for part in path.replace("\\", "/").split("/")):
            return "", None
        return super().lookup_path(path)

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.setdefault("Cache-Control", "no-cache")  # a new version replaces files
        return response


def create_app(root: Root, settings: Settings, policy: FetchPolicy, actor: Any) -> FastAPI:
    """The API for ``root``; ``actor.send(job_id, run)`` queues a job."""
    store = JobStore(root)
    tokens = TokenChecker(root)
    submitting = threading.Lock()  # check-then-queue is one step: duplicates make one job
    bearer = HTTPBearer(auto_error=False, description="A token from `briefing token create`.")
    app = FastAPI(
        title="briefing newsroom service",
        summary="Spoken Mandarin briefings of news articles, as a queue and a podcast feed.",
        version="1",
    )

    def writer(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> None:
        if credentials is None or not tokens.valid(credentials.credentials):
            raise _Unauthorised

    def existing(briefing_id: str) -> Job:
        job = store.get(briefing_id)
        if job is None:
            raise _NotFound(f"no briefing {briefing_id}")
        return job

    def links(job: Job) -> dict[str, str]:
        base = settings.base_url
        result = {"self": f"{base}/v1/briefings/{job.id}"}
        if job.status != DONE:
            return result
        if job.draft:
            for role in ("audio", "transcript", "vtt", "chapters"):
                result[role] = f"{base}/v1/briefings/{job.id}/draft/{role}"
            return result
        for role, path in site.files_of(root.path, job.id).items():
            if role != "metadata":
                result[role] = f"{base}/{path.name}"
        if job.slug:
            result["page"] = f"{base}/episodes/{job.slug}.html"
            result["embed"] = f"{base}/episodes/{job.slug}.embed.html"
        result["feed"] = f"{base}/feed.xml"
        return result

    def status_of(job: Job) -> dict[str, Any]:
        return Status(
            id=job.id,
            status=job.status,
            version=job.version,
            progress=job.progress if job.status != QUEUED else None,
            stage=job.stage,
            error=job.error if job.status == FAILED else None,
            draft=job.draft,
            links=links(job),
        ).model_dump()

    def submit(submission: Submission) -> tuple[Job, bool]:
        """The job for this submission and whether it was queued now."""
        kind = next(name for name in ("url", "text", "html") if getattr(submission, name))
        content: str = getattr(submission, kind)
        if kind == "url":
            content = canonical_url(content)
            policy.check_url(content)
        job_id = briefing_id(kind, content, submission.voice, submission.backend)
        with submitting:
            job = store.get(job_id)
            if job is not None and (job.status in ACTIVE or (job.status == DONE and kind != "url")):
                return job, False  # a URL is fetched again: the article may have changed
            if job is None:
                job = Job(
                    job_id,
                    kind,
                    url=content if kind == "url" else None,
                    title=submission.title,
                    voice=submission.voice,
                    backend=submission.backend,
                )
                _save_input(root, job, content)
            else:
                job.run += 1
                job.status, job.attempts, job.error, job.cause = QUEUED, 0, None, None
                job.progress = job.stage = None
            store.save(job)
            actor.send(job.id, job.run)
            return job, True

    @app.exception_handler(BlockedURL)
    async def blocked(request: Request, exc: BlockedURL) -> JSONResponse:
        return _error(400, str(exc.reason))

    @app.exception_handler(_NotFound)
    async def not_found(request: Request, exc: Exception) -> JSONResponse:
        return _error(404, str(exc))

    @app.exception_handler(_Unauthorised)
    async def unauthorised(request: Request, exc: Exception) -> JSONResponse:
        return _error(
            401,
            "this needs a token: Authorization: Bearer TOKEN (create one with "
            "`briefing token create --root DIR`)",
            **{"WWW-Authenticate": "Bearer"},
        )

    @app.post(
        "/v1/briefings",
        status_code=202,
        response_model=Status,
        dependencies=[Depends(writer)],
        summary="Queue an article (idempotent: the same content gives the same id)",
    )
    def create_briefing(submission: Submission) -> Any:
        job, _queued = submit(submission)
        return JSONResponse(status_of(job), status_code=200 if job.status == DONE else 202)

    @app.get("/v1/briefings/{briefing_id}", response_model=Status, summary="A briefing's status")
    def get_briefing(briefing_id: str) -> Any:
        job = existing(briefing_id)
        return status_of(job)

    @app.delete(
        "/v1/briefings/{briefing_id}",
        dependencies=[Depends(writer)],
        summary="Take a briefing down: gone from the feed, the site and the files",
    )
    def delete_briefing(briefing_id: str) -> Any:
        job = existing(briefing_id)
        store.delete(briefing_id)  # first: a worker making it stops at its next step
        site.take_down(root, briefing_id, job.slug)
        site.republish(root, settings)
        return {"id": briefing_id, "status": "deleted"}

    @app.post(
        "/v1/briefings/{briefing_id}/publish",
        response_model=Status,
        dependencies=[Depends(writer)],
        summary="Publish a reviewed draft",
    )
    def publish_briefing(briefing_id: str) -> Any:
        job = existing(briefing_id)
        if job.status != DONE or not job.draft:
            return _error(409, f"briefing {briefing_id} is {job.status}, not a draft to publish")
        return status_of(work.publish_draft(root, store, job))

    @app.get(
        "/v1/briefings/{briefing_id}/draft/{role}",
        dependencies=[Depends(writer)],
        summary="A draft's audio or sidecar, for its reviewer",
    )
    def draft_file(briefing_id: str, role: str) -> Any:
        from fastapi.responses import FileResponse

        job = store.get(briefing_id)
        paths = site.files_of(root.drafts, briefing_id)
        if job is None or not job.draft or role not in paths or role == "metadata":
            return _error(404, f"no draft {role} for {briefing_id}")
        return FileResponse(paths[role])

    @app.get("/listen", summary="What the 听新闻 button calls: the player, or 202 and queued")
    def listen(url: Annotated[str, Query(description="The article's address")]) -> Any:
        url = canonical_url(url)
        policy.check_url(url)
        job = store.get(briefing_id("url", url, None, "auto"))
        if job is None:
            job, _ = submit(Submission.model_validate({"url": url}))
        if job.status == FAILED:
            return _error(422, job.error or "this article cannot be read aloud")
        if job.status != DONE or job.draft:
            body = {"id": job.id, "status": "review" if job.draft else job.status}
            return JSONResponse(body, 202, {"Retry-After": str(RETRY_AFTER_S)})
        return _player(root, job, links(job))

    @app.get("/healthz", summary="Liveness")
    def healthz() -> Any:
        return {"status": "ok"}

    @app.get("/metrics", summary="Prometheus metrics", response_class=Response)
    def prometheus() -> Any:
        return Response(metrics.exposition(store), media_type="text/plain; version=0.0.4")

    app.mount("/", _SiteFiles(directory=root.path, html=True, check_dir=False), name="site")
    return app


class _Unauthorised(Exception):
    pass


class _NotFound(Exception):
    pass


def _save_input(root: Root, job: Job, content: str) -> None:
    from briefing.files import write_atomic

    # Text gets a suffix ingest does not know, so that it tells plain text from Markdown itself.
    if job.kind == "html":
        name, text = f"{job.id}.html", content
    elif job.title:
        name, text = f"{job.id}.md", f"# {job.title}\n\n{content}"
    else:
        name, text = f"{job.id}.article", content
    write_atomic(root.inputs / name, text.encode("utf-8"))


def _player(root: Root, job: Job, links: dict[str, str]) -> dict[str, Any]:
    """What the player needs: title, duration, chapters and the files' addresses."""
    metadata = json.loads(site.files_of(root.path, job.id)["metadata"].read_text(encoding="utf-8"))
    return {
        "id": job.id,
        "status": job.status,
        "title": metadata.get("title"),
        "duration_ms": metadata.get("duration_ms"),
        "chapters": metadata.get("chapters", []),
        "links": links,
    }
