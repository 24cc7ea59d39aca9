"""Time ``plan`` (read, clean, sections, segment, normalise: everything before
audio) on the development corpus's long government reports.

    .venv/bin/python bench/plan.py [--repeat N] [FILE ...]

Without FILEs it times every ``*govreport*`` page of ../shared/articles-dev
(about 26,000 characters each). Each file is planned once to warm the caches
a first run pays for (jieba's dictionary, the normalisation grammar), then N
times; the median is reported. The goal is under 2 s per report.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path, and bench/tn.py would
# shadow WeTextProcessing's own ``tn`` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from briefing.backends.base import get_backend  # noqa: E402
from briefing.pipeline import read_article  # noqa: E402

DEV_CORPUS = ROOT.parent / "shared" / "articles-dev"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = args.files or sorted(DEV_CORPUS.glob("*govreport*"))
    if not files:
        raise SystemExit(f"no government reports in {DEV_CORPUS}; give files to time")
    # The chunk limit of the voice make picks offline, without probing the network.
    max_chunk_chars = get_backend("espeak").max_chunk_chars
    started = time.perf_counter()
    read_article(str(files[0]), max_chunk_chars)
    print(f"first plan (loads jieba and the grammar): {time.perf_counter() - started:.2f} s")
    for path in files:
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            article = read_article(str(path), max_chunk_chars)
            times.append(time.perf_counter() - started)
        chars = sum(len(p) for section in article.sections for p in section.paragraphs)
        print(
            f"{path.name}: {chars:,} characters, {len(article.sections)} chapters, "
            f"plan {statistics.median(times):.2f} s (median of {args.repeat})"
        )


if __name__ == "__main__":
    main()
