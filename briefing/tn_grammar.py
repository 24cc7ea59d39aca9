"""WeTextProcessing's Chinese text-normalisation grammar, configured for speech
synthesis, compiled ahead of time and run with kaldifst.

WeTextProcessing writes its grammar in pynini, which is some 700 MB installed;
running a compiled grammar needs only an FST runtime (kaldifst, 4 MB). So the
grammar is compiled once, here in the repository, from ``OPTIONS``, and its
two FSTs ship in ``briefing/grammar/`` beside the list of Traditional
characters its table knows. After changing ``OPTIONS`` or upgrading
WeTextProcessing, regenerate them (tests/test_tn_grammar.py fails until then):

    pip install -e '.[test]' && python -m briefing.tn_grammar

A text is read as WeTextProcessing reads it: the tagger marks each span
(``cardinal { value: "12" }``), the fields of each mark are put in the order
the verbalizer expects, and the verbalizer writes the spoken form; both take
the lowest-cost path.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import sys
import tempfile
from importlib.resources import files
from pathlib import Path
from typing import Any

# Erhua, interjections and full-width punctuation are kept (WeTextProcessing's
# defaults drop them, for speech recognition); Traditional characters are read.
OPTIONS = {
    "remove_erhua": False,
    "remove_interjections": False,
    "full_to_half": False,
    "traditional_to_simple": True,
    "remove_puncts": False,
}

TAGGER, VERBALIZER = "zh_tn_tagger.fst", "zh_tn_verbalizer.fst"
TRADITIONAL_CHARS = "traditional_chars.txt"
# Each mark's fields in the order the verbalizer reads them (as WeTextProcessing
# orders them for TN); other marks keep the tagger's order.
_FIELD_ORDER = {
    "date": ("year", "month", "day"),
    "fraction": ("denominator", "numerator"),
    "measure": ("denominator", "numerator", "value"),
    "money": ("value", "currency"),
    "time": ("noon", "hour", "minute", "second"),
}
_MARK = re.compile(r'([A-Za-z_]+) \{((?: [A-Za-z_]+: "(?:[^"\\]|\\.)*")*) \}')
_FIELD = re.compile(r' ([A-Za-z_]+): ("(?:[^"\\]|\\.)*")')


def folder() -> Path:
    """Where the compiled grammar ships, inside the installed package."""
    return Path(str(files("briefing") / "grammar"))


def normalize(text: str) -> str:
    """``text`` with its numbers, dates, units … written as they are read."""
    tagger, verbalizer = _runtime()
    tagged = tagger(text)
    return verbalizer(reorder(tagged)) if tagged else ""


def reorder(tagged: str) -> str:
    """The tagger's marks with their fields in the verbalizer's order."""
    marks = []
    for mark in _MARK.finditer(tagged):
        name = mark.group(1)
        fields = _FIELD.findall(mark.group(2))
        values = dict(fields)
        order = [key for key, _ in fields]
        if name in _FIELD_ORDER and values.get("preserve_order") != '"true"':
            order = [key for key in _FIELD_ORDER[name] if key in values]
        marks.append(name + " {" + "".join(f" {key}: {values[key]}" for key in order) + " }")
    return " ".join(marks)


@functools.cache
def traditional_chars() -> frozenset[str]:
    """Characters WeTextProcessing's table simplifies that the national standard
    of Simplified characters (通用规范汉字表, 8105) does not hold."""
    return frozenset((folder() / TRADITIONAL_CHARS).read_text(encoding="utf-8").split())


@functools.cache
def _runtime() -> tuple[Any, Any]:
    import kaldifst

    return (
        kaldifst.TextNormalizer(str(folder() / TAGGER)),
        kaldifst.TextNormalizer(str(folder() / VERBALIZER)),
    )


def build(target: Path) -> None:
    """Compile the grammar from ``OPTIONS`` into ``target`` (needs
    WeTextProcessing, and so pynini: the test extra has both)."""
    from tn.chinese.normalizer import Normalizer

    # WeTextProcessing logs every step of the build at INFO.
    logging.getLogger("wetext").setLevel(logging.WARNING)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as staging:
        Normalizer(cache_dir=staging, overwrite_cache=True, **OPTIONS)
        for name in (TAGGER, VERBALIZER):
            shutil.copyfile(Path(staging) / name, target / name)
    (target / TRADITIONAL_CHARS).write_text(
        "\n".join(sorted(_traditional_chars_of_wetext())) + "\n", encoding="utf-8"
    )


def _traditional_chars_of_wetext() -> set[str]:
    data = files("tn") / "chinese" / "data" / "char"
    standard = set((data / "charset_national_standard_2013_8105.tsv").read_text("utf-8").split())
    table = (data / "traditional_to_simple.tsv").read_text(encoding="utf-8").splitlines()
    traditional = {line.split("\t")[0] for line in table if "\t" in line}
    return {ch for ch in traditional if len(ch) == 1 and ch not in standard}


if __name__ == "__main__":
    destination = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "grammar"
    build(destination)
    print(f"compiled the text normalisation grammar into {destination}")
