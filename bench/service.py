"""Throughput of the newsroom service against running ``briefing make`` one after another.

    .venv/bin/python bench/service.py [--articles 100] [--baseline 10] [--delay 0.3] [--speed 15]

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
"""

from __future__ import annotations

import argparse
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


def service_run(count: int, workers: int, workdir: Path, env: dict[str, str]) -> float:
    """Seconds per article through the service with ``workers`` worker processes."""
    root, port = workdir / f"root-{workers}", free_port()
    base = f"http://127.0.0.1:{port}"
    log = (workdir / f"service-{workers}.log").open("ab")
    with redis_server(workdir) as broker:
        server = subprocess.Popen(
            [*BRIEFING, "server", "--root", str(root), "--port", str(port), "--broker", broker],
            stdout=log,
            stderr=log,
            env=env,
        )
        running: list[subprocess.Popen[bytes]] = []
        try:
            wait_until(lambda: _up(base), 60, "the server")
            token = subprocess.run(
                [*BRIEFING, "token", "create", "--root", str(root)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()[-1]
            running = [
                subprocess.Popen(
                    [*BRIEFING, "worker", "--root", str(root), "--broker", broker],
                    stdout=log,
                    stderr=log,
                    env=env,
                )
                for _ in range(workers)
            ]
            time.sleep(5)  # let the workers import the pipeline before the clock starts
            started = time.perf_counter()
            ids = [
                request(
                    "POST",
                    f"{base}/v1/briefings",
                    {"text": article(n), "backend": "edge"},
                    token,
                )[1]["id"]
                for n in range(count)
            ]
            wait_until(lambda: _all_done(base, ids), 3600, "every article")
            return (time.perf_counter() - started) / count
        finally:
            for process in [*running, server]:
                stop(process)


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
    options = parser.parse_args()
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
