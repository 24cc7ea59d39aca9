"""Throughput of the newsroom service against running ``briefing make`` one after another.

    .venv/bin/python bench/service.py [--articles 100] [--baseline 10] [--delay 0.3] [--speed 15]
    .venv/bin/python bench/service.py --recovery [--rounds 3]

Everything runs on loopback: the fake edge voice service (tests/edge_server.py,
``--delay`` s to the first byte, audio at ``--speed`` times real time), a real
redis-server, ``briefing server --broker`` and 1, then 2, ``briefing worker``
processes, each run on a fresh root (so an empty chunk cache). ``--articles``
distinct synthetic articles (every sentence differs, so no chunk is shared) are
POSTed at once; the clock runs from the first POST to the last one done.

The baseline is ``briefing make --backend edge`` run on the first
``--baseline`` of the same articles one after another, each a new process with
its empty cache, as a newsroom's script would; its articles per minute are
compared with the service's.

``--recovery`` measures instead how long a job whose worker is killed with
SIGKILL waits before an idle second worker starts it again, over ``--rounds``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ itself comes off the path: bench/tn.py would shadow WeTextProcessing's tn.
sys.path[:] = [str(ROOT), str(ROOT / "tests")] + [
    p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"
]

from edge_server import EdgeServer  # noqa: E402
from service_helpers import (  # noqa: E402
    free_port,
    redis_server,
    request,
    stop,
    wait_until,
)

BRIEFING = [sys.executable, "-m", "briefing"]
PLACES = ["北京", "上海", "广州", "深圳", "成都", "武汉", "西安", "南京", "杭州", "重庆"]


def article(number: int) -> str:
    place = PLACES[number % len(PLACES)]
    return (
        f"# {place}第{number}号快讯\n\n"
        f"{place}市政府今天召开第{number}场新闻发布会。"
        f"发言人说，全市第{number}批重点工程已经开工。"
        f"其中第{number + 1}号地铁线路预计在{2030 + number % 7}年通车。"
        f"市民可以通过第{number + 2}号热线电话查询进展。"
    )


def baseline(texts: list[Path], workdir: Path, env: dict[str, str]) -> float:
    """Seconds per article for ``briefing make`` run one after another."""
    started = time.perf_counter()
    for index, text in enumerate(texts):
        cache = workdir / f"cache-{index}"
        subprocess.run(
            [*BRIEFING, "make", str(text), "-o", str(workdir / f"{index}.mp3")]
            + ["--backend", "edge", "-q", "-f"],
            check=True,
            env={**env, "BRIEFING_CACHE_DIR": str(cache)},
        )
    return (time.perf_counter() - started) / len(texts)


class Service:
    """redis-server, ``briefing server --broker`` on a fresh root, and workers added on demand."""

    def __init__(self, workdir: Path, name: str, env: dict[str, str]) -> None:
        self.root, self.env = workdir / f"root-{name}", env
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.log = (workdir / f"{name}.log").open("ab")
        self.redis = redis_server(workdir)
        self.broker = self.redis.__enter__()
        self.workers: list[subprocess.Popen[bytes]] = []
        self.server = self._start("server", "--port", str(port))
        wait_until(lambda: _up(self.base), 60, "the server")
        self.token = subprocess.run(
            [*BRIEFING, "token", "create", "--root", str(self.root)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-1]

    def _start(self, command: str, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [*BRIEFING, command, "--root", str(self.root), "--broker", self.broker, *args],
            stdout=self.log,
            stderr=self.log,
            env=self.env,
        )

    def add_worker(self) -> None:
        self.workers.append(self._start("worker"))

    def submit(self, text: str, backend: str) -> str:
        body = {"text": text, "backend": backend}
        return str(request("POST", f"{self.base}/v1/briefings", body, self.token)[1]["id"])

    def close(self) -> None:
        for process in [*self.workers, self.server]:
            stop(process)
        self.redis.__exit__(None, None, None)


def service_run(count: int, workers: int, workdir: Path, env: dict[str, str]) -> float:
    """Seconds per article through the service with ``workers`` worker processes."""
    service = Service(workdir, f"workers-{workers}", env)
    try:
        for _ in range(workers):
            service.add_worker()
        time.sleep(5)  # let the workers import the pipeline before the clock starts
        started = time.perf_counter()
        ids = [service.submit(article(n), "edge") for n in range(count)]
        wait_until(lambda: _all_done(service.base, ids), 3600, "every article")
        return (time.perf_counter() - started) / count
    finally:
        service.close()


def recovery(rounds: int, workdir: Path, env: dict[str, str]) -> list[float]:
    """Seconds from SIGKILL of a job's worker to an idle worker starting it again."""
    service = Service(workdir, "recovery", env)
    waits = []
    try:
        for n in range(rounds):
            service.workers = [w for w in service.workers if w.poll() is None]
            while len(service.workers) < 2:
                service.add_worker()
            time.sleep(8)  # both workers up and idle
            job_id = service.submit(article(1000 + n) * 6, "espeak")
            record = service.root / ".service" / "jobs" / f"{job_id}.json"
            first = wait_until(lambda r=record: _running_on(r), 120, "the job to start")
            next(w for w in service.workers if w.pid == first).kill()
            killed = time.time()
            restarted = lambda r=record, f=first: _running_on(r) not in (None, f)  # noqa: E731
            wait_until(restarted, 300, "recovery")
            waits.append(json.loads(record.read_text())["started"] - killed)
            done = lambda r=record: json.loads(r.read_text())["status"] == "done"  # noqa: E731
            wait_until(done, 300, "the job to finish")
    finally:
        service.close()
    return waits


def _running_on(record: Path) -> int | None:
    try:
        data = json.loads(record.read_text())
    except (OSError, ValueError):
        return None
    return int(data["worker"].rsplit(":", 1)[1]) if data.get("worker") else None


def _up(base: str) -> bool:
    try:
        return request("GET", f"{base}/healthz")[0] == 200
    except OSError:
        return False


def _all_done(base: str, ids: list[str]) -> bool:
    states = [request("GET", f"{base}/v1/briefings/{i}")[1]["status"] for i in ids]
    if "failed" in states:
        raise SystemExit(f"{states.count('failed')} jobs failed; see the service log")
    return all(state == "done" for state in states)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--baseline", type=int, default=10)
    parser.add_argument("--delay", type=float, default=0.3)
    parser.add_argument("--speed", type=float, default=15.0)
    parser.add_argument("--recovery", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    if options.recovery:
        with tempfile.TemporaryDirectory() as folder:
            waits = recovery(options.rounds, Path(folder), dict(os.environ))
        print(
            "killed worker's job restarted on an idle worker after "
            + ", ".join(f"{w:.1f}" for w in waits)
            + " s"
        )
        return
    with EdgeServer(first_byte_delay_s=options.delay, speed=options.speed) as edge:
        env = {**os.environ, "BRIEFING_EDGE_URL": edge.url}
        with tempfile.TemporaryDirectory() as folder:
            workdir = Path(folder)
            texts = []
            for n in range(options.baseline):
                texts.append(workdir / f"article-{n}.md")
                texts[-1].write_text(article(n), encoding="utf-8")
            make_s = baseline(texts, workdir, env)
            print(
                f"briefing make, one after another: {60 / make_s:.1f} articles/min "
                f"({make_s:.1f} s each, {options.baseline} articles)"
            )
            for workers in (1, 2):
                each = service_run(options.articles, workers, workdir, env)
                print(
                    f"service, {workers} worker{'s' if workers > 1 else ''}: "
                    f"{60 / each:.1f} articles/min ({options.articles} articles), "
                    f"{make_s / each:.2f}× briefing make"
                )


if __name__ == "__main__":
    main()
