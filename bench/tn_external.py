"""Text normalisation on public test sets, by category.

    .venv/bin/python bench/tn_external.py [--show-misses CATEGORY] [FOLDER]

FOLDER (default ../shared/tn-external, see its SOURCES.md) holds the test data
of NeMo (``written~spoken``), PaddleSpeech (``written|spoken``) and
WeTextProcessing (``written => spoken``). A case passes when our spoken form
equals the expected one after both are put in canonical form: spaces and
punctuation dropped, Latin letters lower-cased, and the readings our policy
(briefing/normalize.py, "Conventions") treats as the same word said two ways
made equal (``EQUIVALENCES`` below, each with its reason).

NeMo and WeTextProcessing file their cases by category; PaddleSpeech's are
sentences, filed here by the first shape a sentence contains (``category``).
WeTextProcessing's postprocessor, tag_oov, whitelist and normalizer files
test what its ASR mode removes (interjections, erhua, punctuation): out of
scope for speech synthesis, reported apart and left out of the total.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path: bench/tn.py
# would shadow WeTextProcessing's own ``tn`` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
EXTERNAL = ROOT.parent / "shared" / "tn-external"
OUT_OF_SCOPE = {
    ("wetextprocessing", "postprocessor"): "ASR: drops interjections and punctuation",
    ("wetextprocessing", "normalizer_tag_oov"): "ASR: tags characters outside its vocabulary",
    ("wetextprocessing", "normalizer"): "ASR: drops interjections (呃, 啊) and erhua",
    ("wetextprocessing", "whitelist"): "ASR: drops erhua (儿 → nothing)",
}

# (pattern, replacement, why we accept it). Applied to both sides.
EQUIVALENCES: tuple[tuple[str, str, str], ...] = (
    ("〇", "零", "the same syllable, two characters"),
    (
        "两",
        "二",
        "两百/二百, 两点/二点: our policy says 两 before measure words and as the "
        "leading digit of 百/千/万/亿; other sets say 二; a listener hears the same number",
    ),
    ("幺", "一", "幺 is how a listener expects 1 in phone and emergency numbers; sets differ"),
    ("零下", "负", "below zero a temperature is 零下 on air; sets say 负"),
    ("号", "日", "a day of the month: our policy writes what the article writes; sets normalise"),
    ("至", "到", "a range: our policy says 至 for a dash or tilde; 到 is the same range"),
    ("摄氏度", "度", "°C: said 摄氏度 in full by us, 度 by PaddleSpeech"),
    ("千克", "公斤", "kg: news says 公斤, NeMo says 千克; the same unit"),
    ("千米", "公里", "km: news says 公里, NeMo says 千米; the same unit"),
    (r"(?<=点)零(?=[一二三四五六七八九]分)", "", "03:04 is 三点零四分 on air; NeMo drops the 零"),
)
_EQUIVALENCES = tuple((re.compile(p), r) for p, r, _ in EQUIVALENCES)


@dataclass(frozen=True)
class Case:
    source: str
    category: str
    written: str
    expected: str


def canonical(text: str) -> str:
    kept = "".join(
        ch for ch in text if not unicodedata.category(ch).startswith(("P", "Z")) and ch.strip()
    ).lower()
    for pattern, replacement in _EQUIVALENCES:
        kept = pattern.sub(replacement, kept)
    return kept


# PaddleSpeech's sentences, filed by the first shape found (order matters).
_SHAPES: tuple[tuple[str, str], ...] = (
    ("phone/code", r"\+86|\d{3,4}-\d{7,8}|(?<![\d.])\d{5,}(?![\d.%])(?![\u4e00-\u9fff]*[元米])"),
    ("score", r"比分|\d:\d+(?!\d*[:点])"),
    ("date", r"\d+年|\d+月\d+[日号]|\d{4}/\d\d?/\d\d?|\d+月"),
    ("time", r"\d[:：]\d\d|\d+点\d+分"),
    ("fraction/percent", r"\d+/\d+|\d%"),
    ("money", r"\d(?:\.\d+)?(?:元|块|美元)|[$￥¥]"),
    ("measure", r"\d\s*(?:[a-zA-Z²°]+|米|克|毫米|公分|度)"),
    ("range", r"\d[~～-]\d"),
    ("decimal", r"\d\.\d"),
    ("cardinal", r"\d"),
)


def category(written: str) -> str:
    for name, pattern in _SHAPES:
        if re.search(pattern, written):
            return name
    return "no digits"


def _read(path: Path, separator: str) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if separator in line:
            written, _, spoken = line.partition(separator)
            pairs.append((written.strip(), spoken.strip()))
    return pairs


def load_cases(folder: Path = EXTERNAL) -> list[Case]:
    if not folder.is_dir():
        raise SystemExit(f"Error: {folder} is missing (the public TN test sets)")
    cases = []
    for path in sorted((folder / "nemo-zh").glob("test_cases_*.txt")):
        name = path.stem.removeprefix("test_cases_")
        cases += [Case("nemo-zh", name, w, s) for w, s in _read(path, "~")]
    for path in sorted((folder / "paddlespeech").glob("*.txt")):
        cases += [Case("paddlespeech", category(w), w, s) for w, s in _read(path, "|")]
    for path in sorted((folder / "wetextprocessing").glob("*.txt")):
        cases += [Case("wetextprocessing", path.stem, w, s) for w, s in _read(path, " => ")]
    return cases


def score(
    cases: list[Case], normalize: Callable[[str], str]
) -> dict[tuple[str, str], list[tuple[Case, str, bool]]]:
    results: dict[tuple[str, str], list[tuple[Case, str, bool]]] = defaultdict(list)
    for case in cases:
        spoken = normalize(case.written)
        results[case.source, case.category].append(
            (case, spoken, canonical(spoken) == canonical(case.expected))
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=EXTERNAL)
    parser.add_argument(
        "--show-misses",
        metavar="CATEGORY",
        default=None,
        help="print the misses of this category ('all' for every one)",
    )
    args = parser.parse_args(argv)
    from briefing.normalize import normalize

    results = score(load_cases(args.folder), normalize)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    print("| set | category | exact | cases |\n|---|---|---|---|")
    for (source, name), outcomes in sorted(results.items()):
        passed = sum(ok for _, _, ok in outcomes)
        note = OUT_OF_SCOPE.get((source, name))
        print(
            f"| {source} | {name}{' (out of scope)' if note else ''} | "
            f"{passed / len(outcomes):.0%} | {passed}/{len(outcomes)} |"
        )
        if not note:
            totals[source][0] += passed
            totals[source][1] += len(outcomes)
        if args.show_misses in (name, "all"):
            for case, spoken, ok in outcomes:
                if not ok:
                    print(
                        f"    {case.written}\n      got      {spoken}\n"
                        f"      expected {case.expected}",
                        file=sys.stderr,
                    )
    for source, (passed, total) in sorted(totals.items()):
        print(f"| {source} | **all in scope** | **{passed / total:.1%}** | {passed}/{total} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
