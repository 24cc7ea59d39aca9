"""The service as it runs: `briefing server` and `briefing worker` processes,
a real redis-server, workers killed with SIGKILL, a server restarted mid-queue,
and a bounded load on loopback."""

from __future__ import annotations

import asyncio
import json
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import feedparser
from service_helpers import (
    ArticleSite,
    article_text,
    briefing_process,
    free_port,
    redis_server,
    request,
    stop,
    wait_until,
)


def _records(root: Path) -> dict[str, dict[str, Any]]:
    records = {}
    for path in (root / ".service" / "jobs").glob("*.json"):
        try:
            records[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue  # being replaced; the next look sees it whole
    return records


def _token(root: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "token", "create", "--root", str(root)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def _started(base: str) -> bool:
    try:
        return request("GET", f"{base}/healthz")[0] == 200
    except OSError:
        return False


def _feed_titles(root: Path) -> list[str]:
    return [entry.title for entry in feedparser.parse(str(root / "feed.xml")).entries]


def test_a_worker_killed_mid_job_loses_nothing(tmp_path: Path) -> None:
    root, port = tmp_path / "root", free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "processes.log"
    with redis_server(tmp_path) as broker:
        server = briefing_process(
            "server", "--root", str(root), "--port", str(port), "--broker", broker, log=log
        )
        workers: list[subprocess.Popen[bytes]] = []
        try:
            wait_until(lambda: _started(base), 60, "the server")
            token = _token(root)
            workers = [
                briefing_process("worker", "--root", str(root), "--broker", broker, log=log)
                for _ in range(2)
            ]
            ids = [
                request(
                    "POST",
                    f"{base}/v1/briefings",
                    {"text": article_text(n), "backend": "espeak"},
                    token,
                )[1]["id"]
                for n in range(1, 7)
            ]
            by_pid = {process.pid: process for process in workers}

            def running_on_a_worker() -> tuple[str, int] | None:
                for job_id, record in _records(root).items():
                    pid = int((record.get("worker") or ":0").rsplit(":", 1)[1])
                    if record["status"] == "running" and pid in by_pid:
                        return job_id, pid
                return None

            victim_job, victim_pid = wait_until(running_on_a_worker, 90, "a job to start")
            by_pid[victim_pid].send_signal(signal.SIGKILL)
            killed_at = time.time()

            def all_done() -> bool:
                records = _records(root)
                return all(records.get(i, {}).get("status") in ("done", "failed") for i in ids)

            wait_until(all_done, 150, "every job to finish on the surviving worker")
            records = _records(root)
            assert [records[i]["status"] for i in ids] == ["done"] * 6, log.read_text()
            victim = records[victim_job]
            assert victim["attempts"] == 2 and victim["worker"] != f":{victim_pid}"
            print(f"\nrecovered the killed job in {victim['started'] - killed_at:.1f} s")
            titles = _feed_titles(root)
            assert sorted(titles) == sorted(f"第{n}号快讯" for n in range(1, 7))
            assert not list(root.glob(".*.part"))  # no half-written output left behind
        finally:
            for process in [*workers, server]:
                stop(process)


async def _load(
    urls: list[str], count: int, concurrency: int, method: str = "GET", **kwargs: Any
) -> tuple[list[float], list[int], list[Any]]:
    latencies: list[float] = []
    statuses: list[int] = []
    bodies: list[Any] = []
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        gate = asyncio.Semaphore(concurrency)

        async def one(index: int) -> None:
            async with gate:
                started = time.perf_counter()
                async with session.request(method, urls[index % len(urls)], **kwargs) as response:
                    bodies.append(await response.json())
                    statuses.append(response.status)
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(one(i) for i in range(count)))
    return latencies, statuses, bodies


def test_the_embedded_server_survives_a_restart_and_a_load(tmp_path: Path) -> None:
    root, port = tmp_path / "root", free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    arguments = ("server", "--root", str(root), "--port", str(port), "--allow-domain", "127.0.0.1")
    with ArticleSite() as site:
        articles = [site.url(f"/news/{n}.html") for n in range(1, 5)]
        listen = [f"{base}/listen?url={url}" for url in articles]
        server = briefing_process(*arguments, log=log)
        try:
            wait_until(lambda: _started(base), 60, "the server")
            for url in listen:
                status, body, headers = request("GET", url)
                assert status == 202 and int(headers["retry-after"]) > 0, body
            wait_until(
                lambda: any(r["status"] == "running" for r in _records(root).values()),
                90,
                "a job to start",
            )
            server.send_signal(signal.SIGKILL)  # mid-queue, mid-job
            server.wait()
            server = briefing_process(*arguments, log=log)
            wait_until(lambda: _started(base), 60, "the restarted server")
            assert "Queued again" in log.read_text()
            wait_until(
                lambda: all(request("GET", url)[0] == 200 for url in listen),
                150,
                "every article to be ready after the restart",
            )
            assert sorted(_feed_titles(root)) == sorted(f"第{n}号快讯" for n in range(1, 5))

            latencies, statuses, bodies = asyncio.run(_load(listen, 1000, 50))
            assert statuses == [200] * 1000 and all(body["links"]["audio"] for body in bodies)
            cuts = statistics.quantiles(latencies, n=100)
            print(
                f"\n1000 GET /listen at 50 concurrent: p50 {cuts[49] * 1000:.0f} ms, "
                f"p99 {cuts[98] * 1000:.0f} ms"
            )

            token = _token(root)
            body = {"text": article_text(9), "backend": "espeak"}
            headers = {"Authorization": f"Bearer {token}"}
            _, statuses, bodies = asyncio.run(
                _load([f"{base}/v1/briefings"], 200, 50, "POST", json=body, headers=headers)
            )
            assert set(statuses) <= {200, 202} and len({b["id"] for b in bodies}) == 1
            records = _records(root)
            assert len(records) == 5 and records[bodies[0]["id"]]["run"] == 1
        finally:
            stop(server)
