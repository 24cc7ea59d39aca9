"""Assembly alone (lay out + loudness + encode) on the seed repeated 1×, 5×, 20×.

Synthesis is done once with espeak (and cached); each size then runs in its
own process so its peak memory is its own. Every chunk is there at once, as
on a cached re-run: ``add`` lays them out, levels them and queues them for
the encoder (which starts working on the other core as soon as the opening
minute is in); ``finish`` waits for the encoder and checks the loudness.
Assembly must grow linearly: the time per audio minute should stay flat as
the article grows.

    .venv/bin/python bench/assemble.py            # prints a table
"""

from __future__ import annotations

import copy
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
SIZES = (1, 5, 20)


def measure(repeat: int, cache_dir: str) -> dict[str, float]:
    from briefing import assemble, pipeline, synth
    from briefing.cache import ChunkCache
    from briefing.presets import select

    selection = select("espeak")
    article = pipeline.read_article(str(SEED), selection.backend.max_chunk_chars)
    speeches = synth.synthesize(
        article.chunks, selection.backend, selection.settings, cache=ChunkCache(cache_dir)
    )
    long_article = copy.deepcopy(article)
    long_article.sections = [copy.deepcopy(s) for _ in range(repeat) for s in article.sections]
    long_speeches = speeches * repeat

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        with assemble.Assembler(long_article, Path(out) / "b.mp3") as assembler:
            for index, speech in enumerate(long_speeches):
                assembler.add(index, speech)
            added = time.perf_counter()
            programme = assembler.finish()
        finished = time.perf_counter()
    return {
        "repeat": repeat,
        "audio_min": programme.duration_ms / 60_000,
        "add_s": added - start,
        "finish_s": finished - added,
        "total_s": finished - start,
        "lufs": programme.loudness_lufs,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(measure(int(sys.argv[2]), os.environ["BRIEFING_CACHE_DIR"])))
        return
    with tempfile.TemporaryDirectory() as cache_dir:
        rows = []
        for repeat in SIZES:
            child = subprocess.run(
                # -P: bench/tn.py would shadow WeTextProcessing's `tn` package.
                [sys.executable, "-P", __file__, "--child", str(repeat)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "BRIEFING_CACHE_DIR": cache_dir},
            )
            rows.append(json.loads(child.stdout.splitlines()[-1]))
    print(
        f"{'seed×':>6} {'audio min':>9} {'add s':>7} {'finish s':>9} {'total s':>8} "
        f"{'s/audio min':>11} {'LUFS':>6} {'peak MB':>8}"
    )
    for r in rows:
        print(
            f"{r['repeat']:>6} {r['audio_min']:>9.1f} {r['add_s']:>7.2f} "
            f"{r['finish_s']:>9.2f} {r['total_s']:>8.2f} "
            f"{r['total_s'] / r['audio_min']:>11.3f} {r['lufs']:>6.1f} "
            f"{r['peak_rss_mb']:>8.0f}"
        )


if __name__ == "__main__":
    main()
