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
4. the synthesis stage alone, in-process, with an empty cache (the part of
   ``make`` that talks to the service; the rest is text processing, loudness,
   MP3 encoding and tags).

It prints the walls, the ratio and how many requests each run sent.
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

from briefing import pipeline, synth  # noqa: E402
from briefing.backends.base import VoiceSettings  # noqa: E402
from briefing.backends.edge import BACKEND  # noqa: E402
from briefing.cache import ChunkCache  # noqa: E402
from briefing.ffmpeg import decode_to_samples  # noqa: E402

SEED = ROOT / "examples" / "jiangsu-duikou-zhiyuan.txt"
VOICE = "zh-CN-XiaoxiaoNeural"
BRIEFING = [sys.executable, "-c", "from briefing.cli import main; main()"]


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{command[:4]} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.3, help="seconds to the first byte")
    parser.add_argument("--speed", type=float, default=15.0, help="streaming, x real time")
    args = parser.parse_args()

    article = pipeline.read_article(str(SEED), BACKEND.max_chunk_chars)
    chunks = [chunk for chunk in article.chunks if chunk.speakable]
    spoken = "\n".join(chunk.spoken for chunk in chunks)

    with (
        EdgeServer(first_byte_delay_s=args.delay, speed=args.speed) as server,
        tempfile.TemporaryDirectory() as work,
    ):
        folder = Path(work)
        env = dict(
            os.environ,
            BRIEFING_EDGE_URL=server.url,
            BRIEFING_CACHE_DIR=str(folder / "cache"),
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        text_file = folder / "spoken.txt"
        text_file.write_text(spoken, encoding="utf-8")

        server.reset_counts()
        cli_mp3 = folder / "cli.mp3"
        cli_wall = timed(
            [
                sys.executable,
                str(ROOT / "bench" / "edge_tts_cli.py"),
                "--file",
                str(text_file),
                "--voice",
                VOICE,
                "--write-media",
                str(cli_mp3),
                "--no-progress",
            ],
            env,
        )
        cli_requests = len(server.requests)
        cli_audio_s = len(decode_to_samples(cli_mp3.read_bytes(), 24_000)) / 24_000

        make = [
            *BRIEFING,
            "make",
            str(SEED),
            "-o",
            str(folder / "briefing.mp3"),
            "--backend",
            "edge",
            "--voice",
            VOICE,
            "--jobs",
            str(args.jobs),
            "-q",
        ]
        server.reset_counts()
        make_wall = timed(make, env)
        make_requests, make_in_flight = len(server.requests), server.max_in_flight

        server.reset_counts()
        cached_wall = timed([*make, "--force"], env)
        cached_requests = len(server.requests)

        os.environ["BRIEFING_EDGE_URL"] = server.url
        server.reset_counts()
        started = time.perf_counter()
        speeches = synth.synthesize(
            chunks,
            BACKEND,
            VoiceSettings(VOICE),
            jobs=args.jobs,
            cache=ChunkCache(folder / "stage-cache"),
        )
        stage_wall = time.perf_counter() - started
        stage_audio_s = sum(s.duration_ms for s in speeches if s is not None) / 1000

    print(f"seed: {SEED.name}, {len(chunks)} chunks, {len(spoken)} spoken characters")
    print(f"service: {args.delay:g} s to first byte, audio at {args.speed:g}x real time")
    print(
        f"edge-tts CLI:            {cli_wall:6.2f} s  ({cli_requests} requests, "
        f"{cli_audio_s:.0f} s of audio)"
    )
    print(
        f"briefing make (jobs={args.jobs}):  {make_wall:6.2f} s  ({make_requests} requests, "
        f"at most {make_in_flight} at once)  ratio {make_wall / cli_wall:.2f}"
    )
    print(f"briefing make, cached:   {cached_wall:6.2f} s  ({cached_requests} requests)")
    print(
        f"synthesis stage alone:   {stage_wall:6.2f} s  ({stage_audio_s:.0f} s of audio)  "
        f"ratio {stage_wall / cli_wall:.2f}"
    )


if __name__ == "__main__":
    main()
