"""Mandarin text normalisation: the written article as a news anchor reads it.

    normalize(text) = WeTextProcessing(our rules(to Simplified(text)))

WeTextProcessing does the heavy lifting (numbers, dates, percentages, money,
units), configured for speech synthesis: erhua, interjections and full-width
punctuation are kept (its bundled grammar is built for ASR and drops them, so
we ship our own, compiled ahead: see tn_grammar). Before it runs, our own rules
fix what it reads wrong: 4月2日 (it says 四月两日), 12.9英寸 and 2929.09点
(dates to it), scores such as 17:16 (a time), ranges written with ～, — or
10-15%, 12,345, ¥2.5亿, ‰, COVID-19, serial numbers (RTX 4090 → 四零九零),
95后, 两 before measure words it misses, 零下 temperatures, 廿/卅.

The grammar is slow (about 1.5 ms a character, whatever the text), so it
only sees short windows around digits; Traditional Chinese is converted to
Simplified first, for the voice (the transcript keeps what was written).
Quality is measured by bench/tn.py on tests/data/tn-dev.tsv.
"""

from __future__ import annotations

import functools
import logging
import re
import string
from collections.abc import Callable

from briefing import tn_grammar
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


def read_integer(value: int) -> str:
    """A whole number as a cardinal: 2345678 → 二百三十四万五千六百七十八."""
    if value < 0:
        return "负" + read_integer(-value)
    if value == 0:
        return "零"
    groups = []
    while value:
        value, group = divmod(value, 10_000)
        groups.append(group)
    spoken, gap = "", False
    for power in range(len(groups) - 1, -1, -1):
        group = groups[power]
        if group == 0:
            gap = bool(spoken)
            continue
        if spoken and (gap or group < 1000):
            spoken += "零"
        # 两万, 两亿: a lone 2 before a large unit is 两, as anchors say it.
        head = "两" if group == 2 and power else _read_group(group)
        spoken += head + _GROUP_UNITS[power]
        gap = False
    return spoken[1:] if spoken.startswith("一十") else spoken


_GROUP_UNITS = ("", "万", "亿", "万亿")


def _read_group(group: int) -> str:
    """0 < group < 10000, with 零 for gaps inside it (1005 → 一千零五)."""
    spoken, gap = "", False
    for digit, unit in zip(f"{group:04d}", ("千", "百", "十", ""), strict=True):
        if digit == "0":
            gap = bool(spoken)
            continue
        if gap:
            spoken += "零"
        spoken += ("两" if digit == "2" and unit == "千" else _DIGITS[int(digit)]) + unit
        gap = False
    return spoken


# Each rule rewrites a pattern WeTextProcessing misreads into text it reads
# right (or into Han characters directly). Order matters: symbols and ranges
# first, then dates, then the number shapes that would otherwise look like
# dates or times to the grammar.
_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ％",
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz%",
)
_FULL_WIDTH_BETWEEN_DIGITS = re.compile(r"(?<=\d)([．／])(?=\d)")
# "15：30" is a time; "iPhone 11：64GB售5499元" is a headline's colon.
_FULL_WIDTH_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-4])：([0-5]\d)(?![\dA-Za-z])")
_HAN_TENS = re.compile(r"([廿卅])(?=[一二三四五六七八九日号號歲岁年分秒時时])")
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?(?![\d,])")
_CURRENCY = re.compile(r"(HK\$|US\$|[¥￥$€£])\s*(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?")
_CURRENCY_NAMES = {
    "¥": "元",
    "￥": "元",
    "$": "美元",
    "US$": "美元",
    "HK$": "港元",
    "€": "欧元",
    "£": "英镑",
}
_PER_MILLE = re.compile(r"(?:(?<![\d.%A-Za-z])([-−])\s*)?(\d+(?:\.\d+)?)‰")
_PERCENT_RANGE = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)%?\s*(?:[-–—~～〜]|至|到)\s*(\d+(?:\.\d+)?)%"
)
_RANGE = re.compile(r"(\d[\d.,]*%?)\s*[～~〜]\s*(?=[\d-])")
_YEAR_RANGE = re.compile(
    r"(?<!\d)((?:1[5-9]|20)\d\d)\s*(?:[～~〜—–-]|至|到)\s*((?:1[5-9]|20)\d\d)年"
)
_DAY_RANGE = re.compile(r"(?<=\d)([日号])\s*[-–—~～〜]\s*(?=\d{1,2}(?:[日号]|月\d{1,2}[日号]))")
_MONTH_DAY = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])月(3[01]|[12]\d|0?[1-9])(日|号)")
_DAY_ONLY = re.compile(r"(?<=至|到|-|–|—)(3[01]|[12]\d|0?[1-9])(日|号)")
_SCORE = re.compile(
    r"(比分为?|总比分|以|战成|打成|比赛结果|最终|大比分)\s*(\d{1,3})\s*[:：]\s*(\d{1,3})(?![\d:])"
)
_SCORE_AFTER = re.compile(
    r"(?<![\d:])(\d{1,3})\s*[:：]\s*(\d{1,3})(?![\d:])(?=\s*(?:战胜|击败|获胜|取胜|胜出|力克|险胜|"
    r"负于|落败|告负|不敌|的比分|逆转|赢得|完胜|横扫))"
)
# COVID-19, SARS-CoV-2: the number is a name's, read here so the grammar
# cannot take "19 s(ymptoms)" for 19 seconds.
_LATIN_HYPHEN_NUMBER = re.compile(r"(?<=[A-Za-z])-(\d{1,2})(?![\d.])")
_URL = re.compile(
    r"https?://[\w\-.~:/?#\[\]@!$&'()*+,;=%]+?(?=[，。；！？、）」”\s]|[\u4e00-\u9fff]|$)"
)
_NUMBER_DASH_RANGE = re.compile(r"(?<=\d)\s*[—–]\s*(?=\d)")
_GENERATION = re.compile(r"(?<![\d.第])(\d{2})后(?!\d)")
# A model or serial number of three or more digits after Latin letters (RTX
# 4090, CZ3101, K123) or a chip brand is read digit by digit; short ones
# (iPhone 15, Mate 30, A13) as plain numbers, the way people say them.
_SERIAL = re.compile(
    r"(?<![A-Za-z0-9.])((?!TOP|Top|top|No)[A-Za-z]{1,8}|麒麟|骁龙|天玑|锐龙|酷睿)(\s?)(\d{3,})(?![\d.,%])"
)
_VERSION = re.compile(r"(?<![\d.])(\d+)\.(\d+)\.(\d+)((?:\.\d+)*)(?![\d.])")
# Before a word, the grammar takes "12.9英寸" for a month.day and "2929.09点"
# for a year.month: say the decimal point ourselves. Before %, ℃ and other
# symbols it reads decimals right.
_DECIMAL_BEFORE_WORD = re.compile(r"(?<![\d.])(\d+)\.(\d+)(?![\d.%℃‰])(?=\s*[\u4e00-\u9fffA-Za-z])")
_EVENT_YEAR = re.compile(
    r"(?<![\d.¥$])((?:19|20)\d\d)(?=(?:[春夏秋冬]季|赛季|年度|财年|[\u4e00-\u9fff]{0,6}"
    r"(?:大会|峰会|论坛|博览会|发布会|奥运会|冬奥会|世界杯|世博会|运动会|春晚|高考|亚运会)))"
)
_TIMES = re.compile(r"(?<=\d)\s*×\s*(?=\d)")
_LIANG = re.compile(
    r"(?<![\d.,第])2(?![\d.,:])(?=\s*(?:倍|次|项|年(?!级|代)|点钟|点(?!\d)|个|种|位|名|家|座|条|台|辆|"
    r"架|艘|份|场|轮|批|间|层|所|支|只|头|张|本|件|套|部|句|段|篇|遍|岁|小时|分钟|天|周|星期|"
    r"公斤|千克|克|公里|千米|吨|斤|公顷|亩|米))"
)
# Below zero, a temperature is 零下 on air (负 is for other quantities).
_BELOW_ZERO = re.compile(
    r"(?<![\d.A-Za-z])[-−](?=\d+(?:\.\d+)?\s*(?:(?:至|到)\s*[-−]?\d+(?:\.\d+)?\s*)?(?:℃|°C|摄氏度))"
)
_NEGATIVE_PERCENT = re.compile(r"(?<![\d.%A-Za-z])[-−]\s*(\d+(?:\.\d+)?%)")


def _fix_characters(text: str) -> str:
    text = text.translate(_FULL_WIDTH)
    text = _FULL_WIDTH_BETWEEN_DIGITS.sub(lambda m: {"．": ".", "／": "/"}[m.group(1)], text)
    text = _FULL_WIDTH_TIME.sub(r"\1:\2", text)
    # Taiwanese papers write 廿 and 卅 for 二十 and 三十 (卅二歲, 零時卅五分).
    return _HAN_TENS.sub(lambda m: "二十" if m.group(1) == "廿" else "三十", text)


def _fix_symbols(text: str) -> str:
    # A web address is for the eye: read aloud it is noise, so the voice skips
    # it, or says only its site when the address is all there is.
    without = _URL.sub("", text)
    if without != text and not any(ch.isalnum() for ch in without):
        without = _URL.sub(lambda m: m.group(0).split("/")[2], text)
    text = without
    text = _THOUSANDS.sub(_read_thousands, text)
    text = _CURRENCY.sub(
        lambda m: f"{m.group(2)}{m.group(3) or ''}{_CURRENCY_NAMES[m.group(1)]}", text
    )
    text = _PER_MILLE.sub(lambda m: ("负" if m.group(1) else "") + "千分之" + m.group(2), text)
    return _TIMES.sub("乘", text)


def _read_thousands(match: re.Match[str]) -> str:
    whole = read_integer(int(match.group(1).replace(",", "")))
    return whole + ("点" + read_digits(match.group(2)) if match.group(2) else "")


def _fix_ranges(text: str) -> str:
    text = _PERCENT_RANGE.sub(r"\1%至\2%", text)
    text = _NUMBER_DASH_RANGE.sub("至", text)  # 1—8月份: a dash between numbers is a range
    text = _YEAR_RANGE.sub(r"\1年至\2年", text)
    text = _DAY_RANGE.sub(r"\1至", text)
    return _RANGE.sub(r"\1至", text)


def _fix_month_day(text: str) -> str:
    def month_day(match: re.Match[str]) -> str:
        month, day, unit = match.groups()
        return f"{read_small_integer(int(month))}月{read_small_integer(int(day))}{unit}"

    text = _MONTH_DAY.sub(month_day, text)
    return _DAY_ONLY.sub(lambda m: read_small_integer(int(m.group(1))) + m.group(2), text)


def _fix_scores(text: str) -> str:
    # Read here: a bare 112 next to 比 is a code number to the grammar.
    def score(home: str, away: str) -> str:
        return f"{read_integer(int(home))}比{read_integer(int(away))}"

    text = _SCORE.sub(lambda m: m.group(1) + score(m.group(2), m.group(3)), text)
    return _SCORE_AFTER.sub(lambda m: score(m.group(1), m.group(2)), text)


def _fix_codes(text: str) -> str:
    """Names with numbers in them: COVID-19, 95后, RTX 4090, v2.1.3, 2019秋季发布会."""
    text = _LATIN_HYPHEN_NUMBER.sub(lambda m: " " + read_small_integer(int(m.group(1))), text)
    text = _GENERATION.sub(lambda m: read_digits(m.group(1)) + "后", text)
    text = _SERIAL.sub(lambda m: m.group(1) + m.group(2) + read_digits(m.group(3)), text)
    text = _VERSION.sub(lambda m: "点".join(_read_part(p) for p in m.group(0).split(".")), text)
    return _EVENT_YEAR.sub(lambda m: read_digits(m.group(1)), text)


def _read_part(part: str) -> str:
    return read_small_integer(int(part)) if len(part) <= 2 and part[0] != "0" else read_digits(part)


def _fix_decimals(text: str) -> str:
    return _DECIMAL_BEFORE_WORD.sub(lambda m: f"{m.group(1)}点{read_digits(m.group(2))}", text)


def _fix_liang(text: str) -> str:
    # The grammar says 两 before 个/米/元 but 二 before 公斤, 倍, 次, 年, 点钟…
    return _LIANG.sub("两", text)


def _fix_negatives(text: str) -> str:
    text = _BELOW_ZERO.sub("零下", text)
    return _NEGATIVE_PERCENT.sub(r"负\1", text)


_RULES: tuple[Callable[[str], str], ...] = (
    _fix_characters,
    _fix_symbols,
    _fix_ranges,
    _fix_month_day,
    _fix_scores,
    _fix_codes,
    _fix_negatives,
    _fix_liang,
    _fix_decimals,
)


def apply_rules(text: str) -> str:
    for rule in _RULES:
        text = rule(text)
    return text


def normalize(text: str) -> str:
    """The spoken form of ``text``: every digit and symbol read out in Mandarin,
    Traditional characters converted to Simplified for the voice."""
    if not text.strip():
        return text
    text = apply_rules(to_simplified(text))
    # The grammar costs about 1.5 ms per character however plain the text, so
    # it only sees windows around digits, wide enough for the words that
    # decide a reading (第, 零下 before; 年, 个, 平方公里, 摄氏度 after).
    spoken, position = [], 0
    for start, end in _grammar_windows(text):
        spoken.append(text[position:start])
        spoken.append(tn_grammar.normalize(text[start:end]))
        position = end
    spoken.append(text[position:])
    return "".join(spoken)


_DIGIT_RUN = re.compile(r"\d+")
_WINDOW_BEFORE, _WINDOW_AFTER = 2, 4
# Characters a window never cuts between: one token to the grammar.
_TOKEN_CHARS = frozenset("0123456789.,:/%‰℃°¥￥$€£+×=~～-−·@_#&" + string.ascii_letters)


def _grammar_windows(text: str) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for match in _DIGIT_RUN.finditer(text):
        start = max(0, match.start() - _WINDOW_BEFORE)
        end = min(len(text), match.end() + _WINDOW_AFTER)
        while start > 0 and text[start] in _TOKEN_CHARS and text[start - 1] in _TOKEN_CHARS:
            start -= 1
        while end < len(text) and text[end - 1] in _TOKEN_CHARS and text[end] in _TOKEN_CHARS:
            end += 1
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def normalize_article(article: Article) -> Article:
    """Give every chunk its spoken form."""
    for chunk in article.chunks:
        chunk.spoken = normalize(chunk.text)
    return article


def to_simplified(text: str) -> str:
    """Traditional Chinese to Simplified, phrase by phrase (頭髮 → 头发 but
    乾隆 stays), for the voice; the transcript keeps what was written.

    Only text with a character outside the Simplified standard set is
    converted: OpenCC's phrase table turns some Simplified phrases into
    Traditional ones (结束 → 結束, 显著 → 显着)."""
    if text.isascii() or tn_grammar.traditional_chars().isdisjoint(text):
        return text
    return _opencc().convert(text)


@functools.cache
def _opencc():  # type: ignore[no-untyped-def]
    from opencc_purepy import OpenCC

    return OpenCC("t2s")
