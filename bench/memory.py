"""Peak memory of ``briefing make --backend espeak`` as the article grows.

The seed (examples/jiangsu-duikou-zhiyuan.txt, 8.8 minutes read by espeak)
is repeated 1×, 20× and 150× (0.93 MB of text, about 22 hours of audio) and
made into a briefing, each size in its own process with an empty chunk cache.
Peak memory must stay flat: audio streams through to the encoder instead of
being held. Reported per size: the peak resident memory of briefing's own
process (from wait4, as /usr/bin/time -v reports it), the highest total
resident memory of briefing and its ffmpeg sampled every 0.2 s, wall time,
and the length make reports.

    .venv/bin/python bench/memory.py                 # 1, 20 and 150
    .venv/bin/python bench/memory.py --sizes 1 20    # a quicker check
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "jiangsu-duikou-zhiyuan.txt"
BRIEFING = ROOT / ".venv" / "bin" / "briefing"


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in kB (0 once gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        total += int(match.group(1)) if match else 0
        pending += [int(child) for child in children]
    return total


def measure(repeat: int) -> dict[str, str | float]:
    with tempfile.TemporaryDirectory(prefix="briefing-memory-") as folder:
        work = Path(folder)
        article = work / f"seed-{repeat}x.txt"
        article.write_text(SEED.read_text(encoding="utf-8") * repeat, encoding="utf-8")
        env = dict(os.environ, BRIEFING_CACHE_DIR=str(work / "cache"))
        command = [str(BRIEFING), "make", str(article), "-o", str(work / "out.mp3")]
        started = time.monotonic()
        process = subprocess.Popen(
            [*command, "--backend", "espeak"], env=env, stderr=subprocess.PIPE, text=True
        )
        highest = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal highest
            while not done.wait(0.2):
                highest = max(highest, _tree_rss_kb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        stderr = process.stderr.read() if process.stderr else ""
        _, status, usage = os.wait4(process.pid, 0)
        done.set()
        sampler.join()
        elapsed = time.monotonic() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"make failed at {repeat}×:\n{stderr}")
        length = re.search(r"Wrote .*? \(([\d:]+),", stderr)
        return {
            "repeat": repeat,
            "text_kb": article.stat().st_size / 1000,
            "length": length.group(1) if length else "?",
            "wall_s": elapsed,
            # ru_maxrss of a waited-for child: its own peak (kB on Linux).
            "peak_mb": usage.ru_maxrss / 1024,
            "tree_mb": highest / 1024,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 20, 150])
    sizes = parser.parse_args().sizes
    print("| seed × | text kB | length | wall s | peak MB (briefing) | peak MB (with ffmpeg) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for repeat in sizes:
        row = measure(repeat)
        print(
            f"| {row['repeat']} | {row['text_kb']:.0f} | {row['length']} | {row['wall_s']:.0f} "
            f"| {row['peak_mb']:.0f} | {row['tree_mb']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
