"""Mandarin text normalisation: the written article as a news anchor reads it.

WeTextProcessing does the heavy lifting (numbers, dates, percentages, money,
units), configured for speech synthesis: erhua, interjections and full-width
punctuation are kept (its bundled grammar is built for ASR and drops them, so
we compile our own once into the user cache). Before it runs, our own rules
fix what it reads wrong, e.g. 4月2日 (it says 四月两日), 12.9英寸 (a date to
it), scores such as 17:16 (a time to it) and ranges written with ～.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from briefing.article import Article

log = logging.getLogger(__name__)

_DIGITS = "零一二三四五六七八九"


def read_small_integer(value: int) -> str:
    """1–99 as 一 … 九十九, the way months, days and hours are read (never 两)."""
    if not 0 <= value < 100:
        raise ValueError(f"{value} is out of range 0..99")
    if value < 10:
        return _DIGITS[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def read_digits(digits: str) -> str:
    return "".join(_DIGITS[int(d)] for d in digits)


# Each rule rewrites a pattern WeTextProcessing misreads into text it reads
# right (or into Han characters directly). Order matters: dates before decimals.
_RANGE = re.compile(r"(\d[\d.,]*%?)\s*[～~〜]\s*(?=[\d-])")
_MONTH_DAY = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])月(3[01]|[12]\d|0?[1-9])(日|号)")
_DAY_ONLY = re.compile(r"(?<=至|到|-|–|—)(3[01]|[12]\d|0?[1-9])(日|号)")
_SCORE = re.compile(r"(比分|以|战胜|击败|负于|比赛结果|最终)\s*(\d{1,3})\s*[:：]\s*(\d{1,3})(?!\d|:)")
_DECIMAL_UNIT = re.compile(r"(?<![\d.])(\d+)\.(\d+)(?=\s*[\u4e00-\u9fffA-Za-z℃])")
_YEAR_RANGE = re.compile(r"(?<!\d)((?:1[5-9]|20)\d\d)\s*(?:[～~〜—–-]|至|到)\s*((?:1[5-9]|20)\d\d)年")
_NEGATIVE_PERCENT = re.compile(r"(?<![\d.%A-Za-z])[-−]\s*(\d+(?:\.\d+)?%)")


def _fix_ranges(text: str) -> str:
    text = _YEAR_RANGE.sub(r"\1年至\2年", text)
    return _RANGE.sub(r"\1至", text)


def _fix_month_day(text: str) -> str:
    def month_day(match: re.Match[str]) -> str:
        month, day, unit = match.groups()
        return f"{read_small_integer(int(month))}月{read_small_integer(int(day))}{unit}"

    text = _MONTH_DAY.sub(month_day, text)
    return _DAY_ONLY.sub(lambda m: read_small_integer(int(m.group(1))) + m.group(2), text)


def _fix_scores(text: str) -> str:
    return _SCORE.sub(lambda m: f"{m.group(1)}{m.group(2)}比{m.group(3)}", text)


def _fix_decimals(text: str) -> str:
    # "12.9英寸" is a month.day to the grammar; "12点9" is read as a decimal.
    return _DECIMAL_UNIT.sub(lambda m: f"{m.group(1)}点{read_digits(m.group(2))}", text)


def _fix_negative_percent(text: str) -> str:
    return _NEGATIVE_PERCENT.sub(r"负\1", text)


_RULES: tuple[Callable[[str], str], ...] = (
    _fix_ranges,
    _fix_month_day,
    _fix_scores,
    _fix_negative_percent,
    _fix_decimals,
)


def apply_rules(text: str) -> str:
    for rule in _RULES:
        text = rule(text)
    return text


def normalize(text: str) -> str:
    """The spoken form of ``text``: every digit and symbol read out in Mandarin."""
    if not text.strip():
        return text
    return _normalizer().normalize(apply_rules(text))


def normalize_article(article: Article) -> Article:
    """Give every chunk its spoken form."""
    for chunk in article.chunks:
        chunk.spoken = normalize(chunk.text)
    return article


def grammar_dir() -> Path:
    """Where our compiled grammar lives (``BRIEFING_TN_DIR`` overrides).

    Kept apart from the chunk cache so clearing or redirecting that cache does
    not cost a 15-second recompile.
    """
    import platformdirs
    from importlib.metadata import version

    override = os.environ.get("BRIEFING_TN_DIR")
    base = Path(override) if override else Path(platformdirs.user_cache_dir("briefing")) / "tn"
    return base / f"wetext-{version('WeTextProcessing')}-tts"


@functools.cache
def _normalizer():  # type: ignore[no-untyped-def]
    from tn.chinese.normalizer import Normalizer

    # WeTextProcessing sets its own logger to INFO on import and prints every
    # grammar load to stderr, which is the user's; keep it to warnings.
    logging.getLogger("wetext").setLevel(logging.WARNING)

    options = dict(remove_erhua=False, remove_interjections=False, full_to_half=False,
                   traditional_to_simple=True, remove_puncts=False)
    target = grammar_dir()
    if not (target / "zh_tn_tagger.fst").exists():
        _build_grammar(target, options)
    return Normalizer(cache_dir=str(target), overwrite_cache=False, **options)


def _build_grammar(target: Path, options: dict[str, bool]) -> None:
    """Compile into a temporary folder and rename it into place, so a build
    interrupted (or raced by another process) never leaves half a grammar."""
    from tn.chinese.normalizer import Normalizer

    log.info("compiling the text normalisation grammar once (about 15 s)")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
    try:
        Normalizer(cache_dir=str(staging), overwrite_cache=True, **options)
        try:
            staging.rename(target)
        except OSError:
            if not (target / "zh_tn_tagger.fst").exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
