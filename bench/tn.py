"""Text normalisation: accuracy on the dev set and time per sentence.

    .venv/bin/python bench/tn.py [--show-all] [tests/data/tn-dev.tsv]

Each dev-set line is ``written<TAB>spoken|alternative|…``. A case passes when
the spoken form we produce *reads* like one of the expected ones: both are
compared as pinyin with tones (so 〇 and 零 count alike, as do 二 spelled in
Traditional or Simplified), ignoring punctuation and spaces; Latin letters
must match as written (case aside).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path and its name
# would shadow WeTextProcessing's own ``tn`` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
DEV_SET = ROOT / "tests" / "data" / "tn-dev.tsv"
# A typical news sentence with figures, for the time per sentence.
TYPICAL_SENTENCE = (
    "A股三大股指9月26日集体回调，其中沪指收盘下跌0.89%，收报2929.09点；"
    "1-10月全县固定资产投资完成246.79亿元，同比增长15.3%。"
)


@dataclass(frozen=True)
class Case:
    written: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    case: Case
    spoken: str
    passed: bool


def load_cases(path: Path = DEV_SET) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        written, _, expected = line.partition("\t")
        cases.append(Case(written, tuple(expected.split("|"))))
    return cases


def reading(text: str) -> tuple[str, ...]:
    """What a listener hears: pinyin with tones for Han, lowercase Latin words,
    digits as digits (an unread digit must not pass), punctuation dropped."""
    from pypinyin import Style, lazy_pinyin

    kept = "".join(
        ch
        for ch in text
        if not unicodedata.category(ch).startswith(("P", "Z", "S")) and not ch.isspace()
    )
    return tuple(
        syllable.lower()
        for syllable in lazy_pinyin(kept, style=Style.TONE3, errors=lambda chars: list(chars))
    )


def evaluate(cases: list[Case]) -> list[Outcome]:
    from briefing.normalize import normalize

    outcomes = []
    for case in cases:
        spoken = normalize(case.written)
        heard = reading(spoken)
        outcomes.append(Outcome(case, spoken, any(heard == reading(e) for e in case.expected)))
    return outcomes


def accuracy(outcomes: list[Outcome]) -> float:
    return sum(o.passed for o in outcomes) / len(outcomes)


def time_per_sentence_ms(repeats: int = 200, rules_only: bool = False) -> float:
    """Median time for the typical sentence: the whole normalisation, or our
    rules alone (what runs before the grammar)."""
    from briefing.normalize import apply_rules, normalize

    step = apply_rules if rules_only else normalize
    normalize(TYPICAL_SENTENCE)  # load the grammar outside the timing
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        step(TYPICAL_SENTENCE)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def article_sentences() -> list[str]:
    """Every sentence of the seed and of the real articles in ../shared/articles
    (or BRIEFING_ARTICLES_DIR; see tests/data/ARTICLES.md)."""
    from briefing import clean, ingest, sections, segment

    articles = Path(os.environ.get("BRIEFING_ARTICLES_DIR", ROOT.parent / "shared" / "articles"))
    sources = sorted(articles.glob("*.html"))
    sources.append(ROOT / "examples" / "jiangsu-duikou-zhiyuan.txt")
    sentences = []
    for source in sources:
        article = sections.build(clean.parse(ingest.read(str(source))))
        for section in article.sections:
            for paragraph in section.paragraphs:
                sentences += segment.split_sentences(paragraph)
    return sentences


def time_article_sentences_ms() -> list[float]:
    from briefing.normalize import normalize

    sentences = article_sentences()
    normalize(sentences[0])
    times = []
    for sentence in sentences:
        start = time.perf_counter()
        normalize(sentence)
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev_set", nargs="?", type=Path, default=DEV_SET)
    parser.add_argument("--show-all", action="store_true", help="print passing cases too")
    args = parser.parse_args(argv)

    outcomes = evaluate(load_cases(args.dev_set))
    for outcome in outcomes:
        if args.show_all or not outcome.passed:
            mark = "ok  " if outcome.passed else "FAIL"
            print(
                f"{mark} {outcome.case.written}\n     got      {outcome.spoken}\n"
                f"     expected {' | '.join(outcome.case.expected)}"
            )
    passed = sum(o.passed for o in outcomes)
    print(f"dev set: {passed}/{len(outcomes)} correct ({accuracy(outcomes):.1%})")
    print(
        f"time per sentence: {time_per_sentence_ms():.2f} ms (median, "
        f"{len(TYPICAL_SENTENCE)}-character sentence dense with figures; "
        f"our rules alone {time_per_sentence_ms(rules_only=True):.2f} ms)"
    )
    times = time_article_sentences_ms()
    print(
        f"time per sentence of the real articles ({len(times)} sentences): "
        f"median {statistics.median(times):.2f} ms, 90th percentile "
        f"{times[int(len(times) * 0.9)]:.2f} ms, slowest {times[-1]:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
