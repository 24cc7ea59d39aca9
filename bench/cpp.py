"""Polyphone accuracy of the baker front end on CPP's dev split, and its cost.

Each line of ``../shared/cpp/dev.sent`` marks one polyphonic character with
▁ on both sides; the same line of ``dev.lb`` is its reading (ü written u:).
The whole sentence goes through ``baker_frontend.read`` (jieba + pypinyin's
phrase dictionary + g2pM in context) and the marked character's reading is
compared; ``--baseline`` also scores pypinyin on jieba's words alone (the
front end before g2pM). Time is the CPU time of ``read`` per sentence (on a shared machine
wall time also measures the neighbours), after one warm-up sentence
(dictionaries and the model loaded); the whole front end (text → phone
symbols, numbers spelled, sandhi) is timed on the first 1,000 sentences.

    .venv/bin/python bench/cpp.py                # all 9,893 dev sentences
    .venv/bin/python bench/cpp.py --limit 1000 --baseline
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from briefing.backends import baker_frontend

CPP = Path(__file__).resolve().parent.parent.parent / "shared" / "cpp"
MARK = "▁"


def cases(limit: int | None) -> list[tuple[str, int, str]]:
    sentences = (CPP / "dev.sent").read_text(encoding="utf-8").splitlines()
    labels = (CPP / "dev.lb").read_text(encoding="utf-8").splitlines()
    result = []
    for marked, label in list(zip(sentences, labels, strict=True))[:limit]:
        result.append((marked.replace(MARK, ""), marked.index(MARK), label.replace("u:", "v")))
    return result


def dictionary_only(sentence: str, index: int) -> str:
    """pypinyin on jieba's words, as the front end read before g2pM."""
    position = 0
    for word in baker_frontend.cut(sentence):
        if position <= index < position + len(word):
            readings, _ = baker_frontend._dictionary_readings(word)
            return readings[index - position] if len(readings) == len(word) else ""
        position += len(word)
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N sentences")
    parser.add_argument("--baseline", action="store_true", help="also score pypinyin alone")
    parser.add_argument("--errors", type=int, default=0, help="print N misread characters")
    args = parser.parse_args()
    data = cases(args.limit)
    baker_frontend.read(data[0][0])  # load jieba, pypinyin and the model
    right = baseline = 0
    by_source: Counter[str] = Counter()
    wrong: list[str] = []
    started = time.process_time()
    longest = 0.0
    for sentence, index, label in data:
        t = time.process_time()
        reading = baker_frontend.read(sentence)
        longest = max(longest, time.process_time() - t)
        got = reading.syllables[index]
        source = next((c.source for c in reading.choices if c.offset == index), "dictionary")
        by_source[source, got == label] += 1
        right += got == label
        if got != label and len(wrong) < args.errors:
            context = sentence[max(0, index - 8) : index + 8]
            wrong.append(f"{context}  {sentence[index]} {got} ≠ {label}")
    elapsed = time.process_time() - started
    if args.baseline:
        baseline = sum(dictionary_only(s, i) == label for s, i, label in data)
    n = len(data)
    chars = sum(len(s) for s, _, _ in data)
    print(f"CPP dev: {n} sentences, {chars / n:.1f} characters on average")
    print(f"front end: {100 * right / n:.2f}% right")
    if args.baseline:
        print(f"pypinyin on jieba's words alone: {100 * baseline / n:.2f}% right")
    for source in ("phrase", "model", "dictionary"):
        total = by_source[source, True] + by_source[source, False]
        if total:
            share = 100 * by_source[source, True] / total
            print(f"  decided by {source}: {total} ({share:.2f}% right)")
    average_ms, longest_ms = 1000 * elapsed / n, 1000 * longest
    print(f"CPU time: {average_ms:.2f} ms per sentence on average, longest {longest_ms:.1f} ms")
    started = time.process_time()
    sample = data[:1000]
    for sentence, _, _ in sample:
        baker_frontend.utterances(sentence)
    whole_ms = 1000 * (time.process_time() - started) / len(sample)
    print(f"whole front end (text → phones, sandhi included): {whole_ms:.2f} ms CPU per sentence")
    for line in wrong:
        print(line)


if __name__ == "__main__":
    main()
