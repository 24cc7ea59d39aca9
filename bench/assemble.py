"""Assembly alone (stitch + loudness + encode) on the seed repeated 1×, 5×, 20×.

Synthesis is done once with espeak (and cached); each size then runs in its
own process so its peak memory is its own. Assembly must grow linearly: the
time per audio minute should stay flat as the article grows.

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
        programme = assemble.stitch(long_article, long_speeches)
        stitched = time.perf_counter()
        audio = assemble.normalize_loudness(programme.samples, programme.sample_rate_hz)
        levelled = time.perf_counter()
        assemble.encode_mp3(audio, programme.sample_rate_hz, Path(out) / "b.mp3")
        encoded = time.perf_counter()
    return {
        "repeat": repeat,
        "audio_min": programme.duration_ms / 60_000,
        "stitch_s": stitched - start,
        "loudness_s": levelled - stitched,
        "encode_s": encoded - levelled,
        "total_s": encoded - start,
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
        f"{'seed×':>6} {'audio min':>9} {'stitch s':>9} {'loudness s':>10} {'encode s':>9} "
        f"{'total s':>8} {'s/audio min':>11} {'peak MB':>8}"
    )
    for r in rows:
        print(
            f"{r['repeat']:>6} {r['audio_min']:>9.1f} {r['stitch_s']:>9.2f} "
            f"{r['loudness_s']:>10.2f} {r['encode_s']:>9.2f} {r['total_s']:>8.2f} "
            f"{r['total_s'] / r['audio_min']:>11.3f} "
            f"{r['peak_rss_mb']:>8.0f}"
        )


if __name__ == "__main__":
    main()
