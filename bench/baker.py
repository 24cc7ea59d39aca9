"""Whole-run real-time factor of the baker voice on the seed article.

Runs ``briefing make examples/jiangsu-duikou-zhiyuan.txt --backend baker``
with ``--jobs 1`` and with ``--jobs N`` (N = the cores this process may use),
each in a fresh process with a cold chunk cache (a new BRIEFING_CACHE_DIR),
and reports wall time ÷ audio duration (from the .briefing.json). Everything
counts: start-up, text normalisation, loading the graphs, the worker pool,
synthesis, loudness and MP3 encoding. The goal is ≤ 0.15, the aim 0.05.

The voice must be installed (``briefing voices install baker``); if it is
not, it is installed first (not timed). CPU time of the run and its children
is reported too: on a shared machine the wall time also measures the
neighbours, the CPU time does not. A second table times the synthesis stage
alone (``synth.synthesize`` over the seed's chunks, empty cache), which is
what this backend controls; the rest of ``make`` is the pipeline around it.

    .venv/bin/python bench/baker.py              # jobs 1 and all cores
    .venv/bin/python bench/baker.py --jobs 1 2 --repeat 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "jiangsu-duikou-zhiyuan.txt"


def ensure_installed() -> None:
    from briefing.backends.baker import BakerBackend

    with BakerBackend() as baker:
        if not baker.installed():
            print("Installing the baker voice first (not timed)…", file=sys.stderr)
            baker.install(lambda line: print(line, file=sys.stderr))


def briefing_command() -> list[str]:
    """The installed `briefing` script beside this Python, as a user runs it."""
    script = Path(sys.executable).parent / "briefing"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from briefing.cli import main; main()"]


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(jobs: int) -> dict[str, float]:
    """One cold `briefing make` with --jobs ``jobs``: wall and CPU time, audio length."""
    with tempfile.TemporaryDirectory(prefix="baker-bench-") as tmp:
        out = Path(tmp) / "out" / "seed.mp3"
        out.parent.mkdir()
        env = dict(os.environ, BRIEFING_CACHE_DIR=str(Path(tmp) / "cache"))
        command = [
            *briefing_command(), "make", str(SEED), "-o", str(out),
            "--backend", "baker", "--jobs", str(jobs), "--quiet",
        ]  # fmt: skip
        cpu_before = children_cpu_s()
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True)
        wall_s = time.perf_counter() - start
        cpu_s = children_cpu_s() - cpu_before
        meta = json.loads(out.with_suffix(".briefing.json").read_text(encoding="utf-8"))
    audio_s = meta["duration_ms"] / 1000
    return {
        "jobs": jobs,
        "audio_s": audio_s,
        "wall_s": wall_s,
        "rtf": wall_s / audio_s,
        "cpu_s": cpu_s,
        "cpu_rtf": cpu_s / audio_s,
    }


STAGE = """
import json, sys, tempfile, time
from briefing import pipeline, synth
from briefing.cache import ChunkCache
from briefing.presets import select
selection = select("baker")
article = pipeline.read_article(sys.argv[1], selection.backend.max_chunk_chars)
with tempfile.TemporaryDirectory() as cache:
    start = time.perf_counter()
    speeches = synth.synthesize(article.chunks, selection.backend, selection.settings,
                                jobs=int(sys.argv[2]), cache=ChunkCache(cache))
    wall = time.perf_counter() - start
audio = sum(s.duration_ms for s in speeches if s is not None) / 1000
print(json.dumps({"wall_s": wall, "audio_s": audio, "chunks": len(article.chunks)}))
"""


def run_stage(jobs: int) -> dict[str, float]:
    """The synthesis stage alone, in a fresh process (cold graphs, empty cache)."""
    out = subprocess.run(
        [sys.executable, "-c", STAGE, str(SEED), str(jobs)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return {**result, "jobs": jobs, "rtf": result["wall_s"] / result["audio_s"]}


def main() -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=sorted({1, cores or 1}))
    parser.add_argument("--repeat", type=int, default=1, help="runs per setting (best is kept)")
    args = parser.parse_args()
    ensure_installed()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"seed: {SEED.name}, {cores} cores, load average {load:.2f} at start")
    print(f"{'jobs':>4} {'audio s':>8} {'wall s':>7} {'RTF':>6} {'CPU s':>6} {'CPU RTF':>8}")
    for jobs in args.jobs:
        best = min((run(jobs) for _ in range(args.repeat)), key=lambda r: r["wall_s"])
        print(
            f"{best['jobs']:>4} {best['audio_s']:>8.1f} {best['wall_s']:>7.1f} "
            f"{best['rtf']:>6.3f} {best['cpu_s']:>6.1f} {best['cpu_rtf']:>8.3f}",
            flush=True,
        )
    print("\nsynthesis stage alone (synth.synthesize, empty cache)")
    print(f"{'jobs':>4} {'chunks':>6} {'audio s':>8} {'wall s':>7} {'RTF':>6}")
    for jobs in args.jobs:
        best = min((run_stage(jobs) for _ in range(args.repeat)), key=lambda r: r["wall_s"])
        print(
            f"{best['jobs']:>4} {best['chunks']:>6} {best['audio_s']:>8.1f} "
            f"{best['wall_s']:>7.1f} {best['rtf']:>6.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
