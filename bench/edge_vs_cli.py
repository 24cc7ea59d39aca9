"""briefing's edge backend against the edge-tts CLI, on the same loopback service.

    .venv/bin/python bench/edge_vs_cli.py [--jobs 8] [--delay 0.3] [--speed 15]

One fake edge service (tests/edge_server.py: real MP3 frames, ``--delay``
seconds to the first byte, audio streamed at ``--speed`` times real time)
serves, one after the other:

1. the edge-tts CLI (``edge-tts --file … --write-media …``, via
   bench/edge_tts_cli.py which only points it at the loopback URL), given the
   same spoken text briefing sends;
2. ``briefing make --backend edge`` on the seed article, with an empty cache;
3. the same command again (``--force``): everything comes from the cache;
4. the synthesis stage alone (``synth.synthesize`` with the edge backend and an
   empty cache, in a process of its own): the part of ``make`` that talks to
   the service; the rest is text processing, loudness, MP3 encoding and tags.

Each round runs all four; it prints the median walls (and the minimum), the
ratios to the CLI's median, and how many requests each run sent.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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

from briefing import pipeline  # noqa: E402
from briefing.backends.edge import EdgeBackend  # noqa: E402
from briefing.ffmpeg import decode_to_samples  # noqa: E402

SEED = ROOT / "examples" / "jiangsu-duikou-zhiyuan.txt"
VOICE = "zh-CN-XiaoxiaoNeural"
BRIEFING = [sys.executable, "-c", "from briefing.cli import main; main()"]


# The synthesis stage alone, timed in a process of its own (in this one the
# fake service's thread would compete with the client for the GIL).
STAGE = """
import json, sys, time
from briefing import pipeline, synth
from briefing.backends.base import VoiceSettings
from briefing.backends.edge import EdgeBackend
from briefing.cache import ChunkCache
seed, voice, jobs, cache = sys.argv[1:5]
article = pipeline.read_article(seed, EdgeBackend.max_chunk_chars)
chunks = [chunk for chunk in article.chunks if chunk.speakable]
started = time.perf_counter()
speeches = synth.synthesize(chunks, EdgeBackend(), VoiceSettings(voice), jobs=int(jobs),
                            cache=ChunkCache(cache))
audio_s = sum(s.duration_ms for s in speeches if s is not None) / 1000
print(json.dumps({"wall": time.perf_counter() - started, "audio_s": audio_s}))
"""


def run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{command[:4]} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return elapsed, result.stdout


def summary(walls: list[float]) -> str:
    return f"{statistics.median(walls):6.2f} s (min {min(walls):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.3, help="seconds to the first byte")
    parser.add_argument("--speed", type=float, default=15.0, help="streaming, x real time")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    args = parser.parse_args()

    article = pipeline.read_article(str(SEED), EdgeBackend.max_chunk_chars)
    chunks = [chunk for chunk in article.chunks if chunk.speakable]
    spoken = "\n".join(chunk.spoken for chunk in chunks)
    walls: dict[str, list[float]] = {"cli": [], "make": [], "cached": [], "stage": []}
    sent: dict[str, int] = {}

    with (
        EdgeServer(first_byte_delay_s=args.delay, speed=args.speed) as server,
        tempfile.TemporaryDirectory() as work,
    ):
        folder = Path(work)
        text_file = folder / "spoken.txt"
        text_file.write_text(spoken, encoding="utf-8")
        cli_mp3 = folder / "cli.mp3"
        cli = [
            sys.executable,
            str(ROOT / "bench" / "edge_tts_cli.py"),
            "--file",
            str(text_file),
            "--voice",
            VOICE,
            "--write-media",
            str(cli_mp3),
            "--no-progress",
        ]
        for round_number in range(args.repeat):
            cache = folder / f"cache-{round_number}"
            env = dict(
                os.environ,
                BRIEFING_EDGE_URL=server.url,
                BRIEFING_CACHE_DIR=str(cache),
                PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            )
            make = [
                *BRIEFING,
                "make",
                str(SEED),
                "-o",
                str(folder / f"b{round_number}.mp3"),
                "--backend",
                "edge",
                "--voice",
                VOICE,
                "--jobs",
                str(args.jobs),
                "-q",
            ]
            stage = [
                sys.executable,
                "-c",
                STAGE,
                str(SEED),
                VOICE,
                str(args.jobs),
                str(folder / f"stage-cache-{round_number}"),
            ]

            server.reset_counts()
            walls["cli"].append(run(cli, env)[0])
            sent["cli"] = len(server.requests)

            server.reset_counts()
            walls["make"].append(run(make, env)[0])
            sent["make"], sent["in_flight"] = len(server.requests), server.max_in_flight

            server.reset_counts()
            walls["cached"].append(run([*make, "--force"], env)[0])
            sent["cached"] = len(server.requests)

            _, output = run(stage, env)
            walls["stage"].append(json.loads(output.splitlines()[-1])["wall"])
        cli_audio_s = len(decode_to_samples(cli_mp3.read_bytes(), 24_000)) / 24_000

    cli_median = statistics.median(walls["cli"])
    ratio = {key: statistics.median(values) / cli_median for key, values in walls.items()}
    print(
        f"seed: {SEED.name}, {len(chunks)} chunks, {len(spoken)} spoken characters, "
        f"{cli_audio_s:.0f} s of audio"
    )
    print(
        f"service: {args.delay:g} s to first byte, audio at {args.speed:g}x real time; "
        f"median of {args.repeat} rounds; load average now {os.getloadavg()[0]:.1f}"
    )
    print(f"edge-tts CLI:                {summary(walls['cli'])}  {sent['cli']} requests")
    print(
        f"briefing make --jobs {args.jobs}:     {summary(walls['make'])}  {sent['make']} "
        f"requests, at most {sent['in_flight']} at once; ratio {ratio['make']:.2f}"
    )
    print(
        f"briefing make, cached:       {summary(walls['cached'])}  {sent['cached']} requests; "
        f"ratio {ratio['cached']:.2f}"
    )
    print(f"edge synthesis stage alone:  {summary(walls['stage'])}  ratio {ratio['stage']:.2f}")


if __name__ == "__main__":
    main()
