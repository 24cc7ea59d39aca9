"""The service's HTTP API in one process: the app, the embedded queue and a
worker thread making real briefings with the offline espeak voice."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from service_helpers import ArticleSite, article_text, wait_until

from briefing.service import fetch, queue, tokens, work
from briefing.service.api import create_app
from briefing.service.fetch import FetchPolicy
from briefing.service.jobs import DONE, FAILED, Job, JobStore
from briefing.service.root import Root, Settings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@dataclass
class Service:
    client: TestClient
    root: Root
    store: JobStore
    site: ArticleSite
    auth: dict[str, str]

    def submit(self, **body: Any) -> dict[str, Any]:
        response = self.client.post("/v1/briefings", json=body, headers=self.auth)
        assert response.status_code in (200, 202), response.text
        return dict(response.json())

    def finished(self, briefing_id: str) -> dict[str, Any]:
        def state() -> dict[str, Any] | None:
            status = self.client.get(f"/v1/briefings/{briefing_id}").json()
            return status if status["status"] in (DONE, FAILED) else None

        return dict(wait_until(state, 120, f"briefing {briefing_id}"))

    def feed_titles(self) -> list[str]:
        response = self.client.get("/feed.xml")
        if response.status_code == 404:
            return []
        return [entry.title for entry in feedparser.parse(response.content).entries]


def _service(
    tmp_path: Path, review: bool, threads: int = 1, edge_cap: int = queue.EDGE_CONNECTION_CAP
) -> Iterator[Service]:
    root = Root(tmp_path / "root")
    root.create()
    settings = Settings(base_url="http://testserver", domains=["127.0.0.1"], review=review)
    root.save_settings(settings)
    policy = FetchPolicy(frozenset(settings.domains), allow_loopback=True)
    broker = queue.make_broker(None)
    actor = queue.declare(broker, root, queue.edge_slots(None, edge_cap))
    fetch.install(policy)
    worker = queue.start_worker(broker, threads)
    token = tokens.create(root)
    try:
        with ArticleSite() as site:
            client = TestClient(create_app(root, settings, policy, actor))
            yield Service(client, root, JobStore(root), site, {"Authorization": f"Bearer {token}"})
    finally:
        worker.stop(timeout=10_000)
        urllib.request.install_opener(None)  # type: ignore[arg-type]


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    yield from _service(tmp_path, review=False)


@pytest.fixture
def reviewed(tmp_path: Path) -> Iterator[Service]:
    yield from _service(tmp_path, review=True)


def test_writes_need_a_token_and_reads_do_not(service: Service) -> None:
    body = {"text": article_text(1), "backend": "espeak"}
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        response = service.client.post("/v1/briefings", json=body, headers=headers)
        assert response.status_code == 401
        assert "briefing token create" in response.json()["error"]
    assert service.store.get("x") is None and not list(service.store.all())
    assert service.client.get("/healthz").json() == {"status": "ok"}
    assert "/v1/briefings" in service.client.get("/openapi.json").json()["paths"]


def test_bad_submissions_are_refused_with_a_reason(service: Service) -> None:
    post = service.client.post
    assert post("/v1/briefings", json={}, headers=service.auth).status_code == 422
    both = {"text": "你好", "html": "<p>你好</p>"}
    assert post("/v1/briefings", json=both, headers=service.auth).status_code == 422
    elsewhere = {"url": "https://elsewhere.example/a"}
    off_list = post("/v1/briefings", json=elsewhere, headers=service.auth)
    assert off_list.status_code == 400
    assert "elsewhere.example is not on the service's list" in off_list.json()["error"]


def test_a_text_is_published_and_a_takedown_removes_it_everywhere(service: Service) -> None:
    queued = service.submit(text=article_text(2), backend="espeak")
    assert queued["status"] in ("queued", "running")
    done = service.finished(queued["id"])
    assert done["status"] == DONE and done["version"] == 1
    links = done["links"]
    assert set(links) >= {"audio", "page", "transcript", "vtt", "chapters", "feed"}
    local = {role: url.removeprefix("http://testserver") for role, url in links.items()}
    audio = service.client.get(local["audio"], headers={"Range": "bytes=0-99"})
    assert audio.status_code == 206 and audio.headers["content-type"] == "audio/mpeg"
    assert "第2条地铁线路" in service.client.get(local["transcript"]).text
    assert service.client.get(local["page"]).status_code == 200
    assert service.feed_titles() == ["第2号快讯"]
    assert service.client.get("/.service/tokens.json").status_code == 404

    assert service.client.delete(f"/v1/briefings/{queued['id']}").status_code == 401
    gone = service.client.delete(f"/v1/briefings/{queued['id']}", headers=service.auth)
    assert gone.json() == {"id": queued["id"], "status": "deleted"}
    for role in ("audio", "page", "transcript", "vtt", "chapters"):
        assert service.client.get(local[role]).status_code == 404, role
    assert service.feed_titles() == []
    assert service.client.get(f"/v1/briefings/{queued['id']}").status_code == 404


def test_the_same_text_is_one_briefing_and_another_voice_another(service: Service) -> None:
    first = service.submit(text=article_text(3), backend="espeak")
    again = service.submit(text=article_text(3), backend="espeak")
    assert again["id"] == first["id"]
    service.finished(first["id"])
    after = service.client.post(
        "/v1/briefings", json={"text": article_text(3), "backend": "espeak"}, headers=service.auth
    )
    assert after.status_code == 200 and after.json()["status"] == DONE
    job = service.store.get(first["id"])
    assert job is not None and job.run == 1 and job.attempts == 1
    other = service.submit(text=article_text(3), backend="espeak", voice="zh")
    assert other["id"] != first["id"]


def test_listen_queues_an_article_then_gives_the_player(service: Service) -> None:
    url = service.site.url("/news/5.html")
    first = service.client.get("/listen", params={"url": url})
    assert first.status_code == 202 and int(first.headers["retry-after"]) > 0
    same_page = service.client.get("/listen", params={"url": url + "#comments"})
    assert same_page.json()["id"] == first.json()["id"]
    service.finished(first.json()["id"])
    player = service.client.get("/listen", params={"url": url})
    assert player.status_code == 200
    data = player.json()
    assert data["title"] == "第5号快讯" and data["duration_ms"] > 1000
    assert data["links"]["audio"].endswith(".mp3") and "embed" in data["links"]
    blocked = service.client.get("/listen", params={"url": "http://10.0.0.1/news/1.html"})
    assert blocked.status_code == 400


def test_a_changed_article_is_a_new_version_of_the_same_episode(service: Service) -> None:
    url = service.site.url("/news/8.html")
    service.site.titles[8] = "地铁八号线开通"
    first = service.finished(service.submit(url=url, backend="espeak")["id"])
    cached = set(service.root.chunk_cache.rglob("*.chunk"))
    service.site.titles[8] = "地铁八号线延期开通"
    again = service.submit(url=url, backend="espeak")
    assert again["id"] == first["id"]
    while_remaking = service.client.get(first["links"]["audio"].removeprefix("http://testserver"))
    assert while_remaking.status_code == 200  # the old version stays live meanwhile
    second = service.finished(first["id"])
    assert second["version"] == 2 and second["links"]["audio"] == first["links"]["audio"]
    assert service.feed_titles() == ["地铁八号线延期开通"]
    new_chunks = set(service.root.chunk_cache.rglob("*.chunk")) - cached
    assert 0 < len(new_chunks) < len(cached)  # only the changed title was said again


def test_review_mode_keeps_drafts_off_the_feed_until_published(reviewed: Service) -> None:
    done = reviewed.finished(reviewed.submit(text=article_text(4), backend="espeak")["id"])
    assert done["draft"] and reviewed.feed_titles() == []
    draft_audio = done["links"]["audio"].removeprefix("http://testserver")
    assert reviewed.client.get(draft_audio).status_code == 401
    assert reviewed.client.get(draft_audio, headers=reviewed.auth).status_code == 200
    published = reviewed.client.post(f"/v1/briefings/{done['id']}/publish", headers=reviewed.auth)
    assert published.status_code == 200 and not published.json()["draft"]
    assert reviewed.feed_titles() == ["第4号快讯"]


def test_nothing_to_read_fails_once_with_the_reason(service: Service) -> None:
    failed = service.finished(service.submit(text="……！！", backend="espeak")["id"])
    assert failed["status"] == FAILED and "nothing" in failed["error"]
    job = service.store.get(failed["id"])
    assert job is not None and job.attempts == 1 and job.cause == "input"
    metrics = {
        (sample.name, tuple(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(service.client.get("/metrics").text)
        for sample in family.samples
    }
    assert metrics[("briefing_job_failures_total", (("cause", "input"),))] == 1
    assert metrics[("briefing_jobs", (("state", "failed"),))] == 1
    assert metrics[("briefing_queue_depth", ())] == 0


def test_an_unavailable_site_is_retried_then_failed_with_its_message(service: Service) -> None:
    job = Job("broken0", "url", url=service.site.url("/broken"), backend="espeak")
    service.store.save(job)
    with pytest.raises(work.Transient):
        work.run_job(service.root, job.id, 1, retries=0)
    waiting = service.store.get(job.id)
    assert waiting is not None and waiting.status == "running"
    assert waiting.error is not None and "503" in waiting.error and "will retry" in waiting.error
    work.run_job(service.root, job.id, 1, retries=work.MAX_RETRIES)
    failed = service.store.get(job.id)
    assert failed is not None and failed.status == FAILED and failed.cause == "fetch"
    assert "503" in (failed.error or "") and "will retry" not in (failed.error or "")
    assert service.site.requests.count("/broken") == 2


def test_jobs_share_one_cap_on_edge_connections(tmp_path: Path, edge_server: Any) -> None:
    from briefing.backends.edge import EdgeBackend

    edge_server.first_byte_delay_s = 0.2
    per_job = EdgeBackend.default_jobs
    # a cap of one job's connections: two worker threads must take turns
    running = _service(tmp_path, review=False, threads=2, edge_cap=per_job)
    service = next(running)
    try:
        ids = []
        for n in (1, 2):
            sentences = (f"第{n}篇第{i}句，市政府介绍了城市交通建设的最新进展。" for i in range(80))
            ids.append(service.submit(text="".join(sentences), backend="edge")["id"])
        assert [service.finished(i)["status"] for i in ids] == [DONE, DONE]
    finally:
        running.close()
    assert edge_server.max_in_flight <= per_job
    assert len(edge_server.served) >= 2 * per_job  # both jobs spoke all their chunks


def test_token_create_prints_a_token_and_keeps_only_its_hash(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from briefing.cli import cli
    from briefing.service.tokens import TokenChecker

    runner = CliRunner()
    missing = runner.invoke(cli, ["token", "create", "--root", str(tmp_path / "nowhere")])
    assert (
        missing.exit_code == 1 and "Error: " in missing.output and "Traceback" not in missing.output
    )
    created = [
        runner.invoke(cli, ["token", "create", "--root", str(tmp_path)]).stdout.splitlines()[-1]
        for _ in range(2)
    ]
    stored = Root(tmp_path).tokens.read_text()
    checker = TokenChecker(Root(tmp_path))
    for token in created:
        assert len(token) >= 40 and token not in stored
        assert checker.valid(token)
    assert not checker.valid(created[0][:-1] + "x")


def test_server_says_what_to_install_when_the_extra_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from click.testing import CliRunner

    from briefing.cli import cli

    monkeypatch.setitem(sys.modules, "dramatiq", None)  # as if it were not installed
    result = CliRunner().invoke(cli, ["server", "--root", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "needs dramatiq" in result.output and "pip install 'briefing[server]'" in result.output
    assert not (tmp_path / ".service").exists()  # refused before touching the root


@pytest.mark.xfail(
    strict=False,
    reason="known defect (issue 14, open): about 1 run in 5 the worker's make does not stop "
    "after a takedown mid-synthesis and its .mp3/.txt temporaries stay over 60 s; not yet found",
)
def test_a_takedown_while_it_is_being_made_leaves_nothing(service: Service) -> None:
    text = "".join(f"第{i}段：市政府介绍了城市交通建设的最新进展。" for i in range(40))
    briefing_id = service.submit(text=text, backend="espeak")["id"]

    def running() -> bool:
        job = service.store.get(briefing_id)
        return job is not None and job.status == "running"

    wait_until(running, 60, "the job to start")
    assert service.client.delete(f"/v1/briefings/{briefing_id}", headers=service.auth).is_success
    # the worker stops at its next step and removes what it wrote
    wait_until(lambda: not _leftovers(service, briefing_id), 60, "the files to go")
    time.sleep(2)  # and nothing comes back
    assert not _leftovers(service, briefing_id)
    assert not list(service.root.drafts.glob(f"{briefing_id}*"))
    assert service.feed_titles() == []
    assert service.store.get(briefing_id) is None


def _leftovers(service: Service, briefing_id: str) -> list[Path]:
    """The briefing's files, and temporary outputs of a make in progress."""
    return [*service.root.path.glob(f"{briefing_id}*"), *service.root.path.glob(".*.part")]
