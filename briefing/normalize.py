"""Mandarin text normalisation: the written article as a news anchor reads it.

    normalize(text) = WeTextProcessing(our rules(to Simplified(text)))

WeTextProcessing does the heavy lifting (numbers, dates, percentages, money,
units), configured for speech synthesis: erhua, interjections and full-width
punctuation are kept (its bundled grammar is built for ASR and drops them, so
we ship our own, compiled ahead: see tn_grammar). Before it runs, our rules
decide what a figure *is*, which the grammar cannot tell from the digits
alone, and read it (or rewrite it into a form the grammar reads right):

- phone and service numbers, digit by digit with 幺 (+86, 138…, 010-…,
  after 电话/热线/拨打, flights and trains);
- scores (比分, 以7-5领先, 102-98险胜) and ratios (比例为16:10) with 比;
- ranges (3-4级, 15-17日, 6～12℃, 10-15%, 2019—2020赛季) with 至;
- dates (2025.03.15, 2016/03/19, 93年8月, 08月, 07时, 2018年前三季度),
  days named by their date (5·12), times (0:05, 24:00, 10:04pm);
- codes digit by digit (国道107, (600519), 编号…, 211工程, RTX 4090, 95后);
- signs and operators (×, + as 加/正/多, fractions, / as 每 or 或, 1e308),
  Latin units in Chinese (km/h, m², mAh, Mbps, W …), ‰, currencies;
- characters: full-width forms, ①②③, Ⅲ, ½, 萬瓩, 廿/卅, terminal escapes.

How each number is then said, and every convention where usage splits (两/二,
幺/一, 零下/负, 日/号, 至/到), is in briefing/reading.py, in one place.

The grammar is slow (about 0.5 ms a character on kaldifst, whatever the text), so it
only sees short windows around the digits our rules left, each at most
_MAX_WINDOW characters; Traditional Chinese is converted to Simplified first,
for the voice (the transcript keeps what was written). Quality is measured
by bench/tn.py on tests/data/tn-dev.tsv and by bench/tn_external.py on
public test sets.
"""

from __future__ import annotations

import functools
import logging
import re
import string
import unicodedata
from collections.abc import Callable
from fractions import Fraction

from briefing import tn_grammar
from briefing.article import Article
from briefing.reading import (
    read_decimal,
    read_digits,
    read_integer,
    read_number,
    read_small_integer,
)

log = logging.getLogger(__name__)

# Each rule rewrites a pattern WeTextProcessing misreads into text it reads
# right (or into Han characters directly). Order matters: characters and
# symbols first, then what a number *is* (a phone number, a score, a range,
# a date, a time, a code), then how the rest is said (units, signs, 两).
_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ％＋",
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz%+",
)
_FULL_WIDTH_BETWEEN_DIGITS = re.compile(r"(?<=\d)([．／])(?=\d)")
# "15：30" is a time; "iPhone 11：64GB售5499元" is a headline's colon.
_FULL_WIDTH_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-4])：([0-5]\d)(?![\dA-Za-z])")
_HAN_TENS = re.compile(r"([廿卅])(?=[一二三四五六七八九日号號歲岁年分秒時时])")
# Terminal colour codes and other control characters are never meant to be read.
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# One character for a unit and its multiple, from Traditional and Japanese print.
_COMPOUND_UNITS = str.maketrans(
    {"瓩": "千瓦", "粁": "公里", "糎": "厘米", "粍": "毫米", "竏": "千升", "瓲": "吨"}
)
_LONG_DIGITS = re.compile(r"(?<![\d,])\d{17,}")
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3}){1,9})(?:\.(\d+))?(?![\d,])")
_SCIENTIFIC = re.compile(r"(?<![A-Za-z\d.])(\d+(?:\.\d+)?)[eE]([+-]?)(\d{1,4})(?![A-Za-z\d])")
_CURRENCY = re.compile(
    r"(HK\$|US\$|NT\$|A\$|C\$|S\$|[¥￥$€£₩₹₽])\s*(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?"
)
_CURRENCY_NAMES = {
    "¥": "元",
    "￥": "元",
    "$": "美元",
    "US$": "美元",
    "HK$": "港元",
    "NT$": "新台币",
    "A$": "澳元",
    "C$": "加元",
    "S$": "新加坡元",
    "€": "欧元",
    "£": "英镑",
    "₩": "韩元",
    "₹": "卢比",
    "₽": "卢布",
}
# 36.00元: no one says the cents when there are none.
_WHOLE_AMOUNT = re.compile(r"(?<=\d)\.0+(?=\s*(?:万|亿)?(?:元|美元|欧元|英镑|日元|港元|韩元|澳元))")
_PER_MILLE = re.compile(r"(?:(?<![\d.%A-Za-z])([-−])\s*)?(\d+(?:\.\d+)?)‰")
_PERCENT_RANGE = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)%?\s*(?:[-–—~～〜]|至|到)\s*(\d+(?:\.\d+)?)%"
)
_RANGE = re.compile(r"(\d[\d.,]*%?)\s*[～~〜]\s*(?=[\d-])")
_YEAR_SPAN = re.compile(
    r"(?<![\d.])((?:1[5-9]|20)\d\d)\s*(?:[～~〜—–-]|至|到)\s*((?:1[5-9]|20)\d\d)"
    r"(年(?!代)|赛季|财年|年度|学年|季)"
)
_DAY_RANGE = re.compile(r"(?<=\d)([日号])\s*[-–—~～〜]\s*(?=\d{1,2}(?:[日号]|月\d{1,2}[日号]))")
# What a range of this kind of quantity ends with: 15-17日, 3-4级, 3-5天, 10-20km.
_RANGE_UNITS = (
    r"(?:[日号月年级℃度%个天岁倍万亿千百米元人次名家台辆层周斤吨亩]|点(?!\d)|小时|分钟|秒|公里|千米|"
    r"公斤|千克|克|摄氏度|平方|公顷|毫米|厘米|英寸|°C|[kmc]?m|kg|g|km/h)"
)
_HYPHEN_RANGE = re.compile(
    rf"(?<![\d.\-/:A-Za-z])(\d+(?:\.\d+)?)\s*(?:-|(?P<unit>{_RANGE_UNITS})\s*-)\s*"
    rf"(?=\d+(?:\.\d+)?\s*(?(unit)(?P=unit)|{_RANGE_UNITS}))"
)
_NUMBER_DASH_RANGE = re.compile(r"(?<=\d)\s*[—–]\s*(?=\d)")
_MONTH_DAY = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])月(3[01]|[12]\d|0?[1-9])(日|号)")
_DAY_ONLY = re.compile(r"(?<=至|到|-|–|—)(3[01]|[12]\d|0?[1-9])(日|号)")
# 2025.03.15, 2016/03/19, 12/2/2, 2019·2·10: year, month and day.
_SEPARATED_DATE = re.compile(
    r"(?<![\d./\-:·A-Za-z])(\d{4}|\d{2})([./·-])(1[0-2]|0?[1-9])\2(3[01]|[12]\d|0?[1-9])(?![\d./\-·])"
)
# A two-digit year: 86年8月, 05年, 93年底.
_SHORT_YEAR = re.compile(
    r"(?<![\d.])(\d{2})年(?=\d{1,2}月|[初底末中]|上半年|下半年)|(?<![\d.])(0\d)年"
)
# 2018年前三季度, 2020年后半年: the year, not "2018 years ago".
_YEAR_BEFORE_PERIOD = re.compile(
    r"(?<![\d.])((?:19|20)\d\d)年(?=[前后](?:[一二三四五六七八九十两半]|\d))"
)
_LEADING_ZERO = re.compile(r"(?<![\d.:])0(\d)(?=[月日号时分秒]|点(?!\d))")
# 5·12, 9·11, 3·15晚会: a day named by its date, said as its digits.
_NAMED_DAY = re.compile(r"(?<![\d.·])(\d{1,2})\s?[·•・]\s?(\d{1,2})(?![\d·•・])")
_TIME = re.compile(
    r"(?<![\d.:])(2[0-4]|[01]?\d):([0-5]\d)(?::([0-5]\d))?(?![\d:])\s*"
    r"(am|pm|AM|PM|a\.m\.|p\.m\.)?(?![A-Za-z])"
)
# 8:00-18:00, 2023年12月-2024年3月: a dash between two read dates or times.
_READ_RANGE = re.compile(r"(?<=[点分秒日号月年])\s*[-–—~～〜]\s*(?=[零一二三四五六七八九十两\d])")
_SPORT_WORDS = (
    r"战胜|击败|获胜|取胜|胜出|力克|险胜|大胜|完胜|横扫|逆转|赢得|赢下|拿下|领先|落后|战平|打平|"
    r"负于|落败|告负|不敌|惜败|输给|的比分|结束比赛|收官"
)
# After 比分, 战成…, any separator is a score's; after 以, 最终… a hyphen is
# a score's only when a result word or the clause's end follows (以3-5%的速度).
_SCORE = re.compile(
    r"(比分[^\d，。；！？]{0,4}?|比分为?|总比分|大比分|战成|打成|比赛结果|"
    r"(?:以|最终|终场|全场|半场)(?=\s*\d{1,3}\s*(?:[:：]|[-–—]\s*\d{1,3}\s*(?:"
    + _SPORT_WORDS
    + r"|[，。；！？]|$))))\s*(\d{1,3})\s*[:：\-–—]\s*(\d{1,3})(?![\d:.%])"
)
# 16:10 after 比例 is a ratio, not ten past four.
_RATIO = re.compile(
    r"((?:比例|之比|比率|配比|宽高比|长宽比|屏占比)[为是约达]?)\s*(\d+(?:\.\d+)?)\s*[:：]\s*(\d+(?:\.\d+)?)(?![\d.])"
)
_SCORE_AFTER = re.compile(
    r"(?<![\d:.\-])(\d{1,3})\s*[:：\-–—]\s*(\d{1,3})(?![\d:.%])(?=\s*(?:" + _SPORT_WORDS + r"))"
)
# Numbers you dial, read digit by digit with 幺: +86, mobiles, 010-12345678,
# 400-820-8820, and digits after 电话/热线/拨打… or before 热线.
# "+" and a country code, then the number within the country: +86 138 0013
# 8000, +8613800138000, +86-10-12345678.
_INTERNATIONAL = re.compile(r"(?<![\dA-Za-z])\+\s?(\d(?:[\s-]?\d){7,15})(?![\d.])")
# E.164 country codes are prefix-free: 1 and 7 stand alone, these two-digit
# ones stand alone, every other code has three digits.
_TWO_DIGIT_COUNTRY_CODES = frozenset(
    "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 "  # noqa: SIM905
    "60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98".split()
)
_PHONE = re.compile(
    r"(?<![\d\-])(?:1[3-9]\d(?:[\s-]?\d{4}){2}|0\d{2,3}-\d{7,8}|[48]00-?\d{3}-?\d{4})(?![\d\-])"
)


def _digits_after(words: str, digits: str) -> re.Pattern[str]:
    """Digits a few characters after one of ``words`` (电话：…, 编号为…)."""
    return re.compile(rf"({words})([^\d，。；！？]{{0,3}}?)({digits})(?![\d.%])")


_DIAL_CONTEXT = _digits_after(
    "电话|热线|拨打|致电|号码|手机号?|传真|尾号|客服|专线|短号", r"\d[\d\-]{2,}"
)
_BEFORE_HOTLINE = re.compile(
    r"(?<![\d.])(\d{3,})(?=(?:政务服务|服务|客服|投诉|举报)?(?:热线|专线))"
)
# Identifiers read digit by digit with 一.
_ID_CONTEXT = _digits_after("编号|工号|代码|邮编|账号|卡号|学号|国道|省道|县道", r"\d{2,}")
_ID_BEFORE = re.compile(r"(?<![\d.])(\d{2,})(?=国道|省道|县道)")
_STOCK_CODE = re.compile(r"(?<=[（(])(\d{4,6})(?:\.(SH|SZ|HK|BJ|SS))?(?=[)）])")
# A long figure that nothing above took for a phone number or a code is a
# cardinal (the grammar would say it digit by digit with 幺, as if dialled).
_LONG_CARDINAL = re.compile(r"(?<![\d.,\-+])[0-9]{9,16}(?![\d.,])")
_NAMED_NUMBER = re.compile(r"(?<![\d.])(\d{3})(?=工程|计划|高校|院校|工作制|事件|新政)")
_NUMBER_SIGN = re.compile(r"(?<![\d.第])(\d{4,})(?=[”'』」]?号(?!线))")
_FLIGHT = re.compile(r"(?<![A-Za-z\d])([A-Z]{2}|[A-Z]\d|\d[A-Z])(\d{3,4})(?=\s*(?:次)?航班)")
_TRAIN = re.compile(r"(?<![A-Za-z\d])([GDCZTKYLS])(\d{1,4})(?=\s*次)")
# COVID-19, SARS-CoV-2: the number is a name's, read here so the grammar
# cannot take "19 s(ymptoms)" for 19 seconds.
_LATIN_HYPHEN_NUMBER = re.compile(r"(?<=[A-Za-z])-(\d{1,2})(?![\d.])")
_URL = re.compile(
    r"https?://[\w\-.~:/?#\[\]@!$&'()*+,;=%]+?(?=[，。；！？、）」”\s]|[\u4e00-\u9fff]|$)"
)
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
_BARE_DECIMAL = re.compile(r"(?<![\dA-Za-z.])\.(\d+)(?![\d.])")
_EVENT_YEAR = re.compile(
    r"(?<![\d.¥$])((?:19|20)\d\d)(?=(?:[春夏秋冬]季|赛季|年度|财年|[\u4e00-\u9fff]{0,6}"
    r"(?:大会|峰会|论坛|博览会|发布会|奥运会|冬奥会|世界杯|世博会|运动会|春晚|高考|亚运会)))"
)
_FRACTION = re.compile(r"(?<![\d./:])([-−]?)(0|[1-9]\d*)\s?/\s?([1-9]\d*)(?![\d/.])")
_TIMES = re.compile(r"(?<=[\dA-Za-z])\s*[×✕*]\s*(?=\d)")
_PLUS_BETWEEN = re.compile(r"(?<=[\d)）])\s*\+\s*(?=[\d(（])")
_PLUS_SIGNED = re.compile(r"(?<![\dA-Za-z)）+])\+(?=\d+(?:\.\d+)?\s*(?:%|℃|°C|摄氏度|个百分点))")
_PLUS_BEFORE = re.compile(r"(?<![\dA-Za-z+])\+(?=\d)")
_PLUS_AFTER = re.compile(r"(?<=\d)\+(?![\d+])")
_MEASURE_WORDS = (
    r"元|美元|欧元|吨|公斤|千克|克|斤|米|平方米|立方米|公里|千米|厘米|毫米|小时|分钟|分|秒|天|月|年|"
    r"人|人次|次|个|件|台|辆|户|亩|公顷|升|毫升|度|千瓦时|瓦|立方"
)
# 元/吨, 次/分钟: a rate is 每; between other words a slash is 或 (男/女).
_PER = re.compile(rf"({_MEASURE_WORDS})\s?/\s?(?=平方|立方|{_MEASURE_WORDS})")
_SLASH_BETWEEN_WORDS = re.compile(r"(?<=[\u4e00-\u9fff])\s?/\s?(?=[\u4e00-\u9fff])")
# A speed is said the way the grammar and anchors say it: 每小时三百五十公里.
_SPEED = re.compile(r"(\d+(?:\.\d+)?)\s?(km/h|m/s)(?![A-Za-z])")
_SPEED_UNITS = {"km/h": ("小时", "公里"), "m/s": ("秒", "米")}
# Latin units after a number, longest first (km² before km before m).
_LATIN_UNITS = {
    "km²": "平方公里",
    "cm²": "平方厘米",
    "mm²": "平方毫米",
    "m²": "平方米",
    "m³": "立方米",
    "kWh": "千瓦时",
    "mAh": "毫安时",
    "Mbps": "兆比特每秒",
    "Gbps": "吉比特每秒",
    "kbps": "千比特每秒",
    "GHz": "吉赫",
    "MHz": "兆赫",
    "kHz": "千赫",
    "Hz": "赫兹",
    "kcal": "千卡",
    "mmHg": "毫米汞柱",
    "km": "公里",
    "cm": "厘米",
    "mm": "毫米",
    "nm": "纳米",
    "μm": "微米",
    "kg": "公斤",
    "mg": "毫克",
    "ml": "毫升",
    "mL": "毫升",
    "kW": "千瓦",
    "MW": "兆瓦",
    "GW": "吉瓦",
    "kV": "千伏",
    "mA": "毫安",
    "dB": "分贝",
    "ms": "毫秒",
    "min": "分钟",
    "°C": "摄氏度",
    "°F": "华氏度",
    "℉": "华氏度",
    "m": "米",
    "g": "克",
    "L": "升",
    "W": "瓦",
    "V": "伏",
    "h": "小时",
}
_LATIN_UNIT = re.compile(
    r"(?<=\d)\s?(" + "|".join(re.escape(u) for u in _LATIN_UNITS) + r")(?![A-Za-z²³])"
)
_LIANG = re.compile(
    r"(?<![\d.,第])2(?![\d.,:])(?=(?:\s*(?:至|到)\s*\d+)?\s*(?:倍|次|项|年(?!级|代)|点钟|点(?!\d)|个|种|位|名|家|座|条|台|辆|"
    r"架|艘|份|场|轮|批|间|层|所|支|只|头|张|本|件|套|部|句|段|篇|遍|岁|小时|分钟|天|周|星期|人(?!民)|"
    r"公斤|千克|克|公里|千米|吨|斤|公顷|亩|米))"
)
# Below zero, a temperature is 零下 on air (负 is for other quantities).
_BELOW_ZERO = re.compile(
    r"(?<![\d.A-Za-z])[-−](?=\d+(?:\.\d+)?\s*(?:(?:至|到)\s*[-−]?\d+(?:\.\d+)?\s*)?(?:℃|°C|摄氏度))"
)
_NEGATIVE_PERCENT = re.compile(r"(?<![\d.%A-Za-z])[-−]\s*(\d+(?:\.\d+)?%|百分之|千分之)")


def _fix_characters(text: str) -> str:
    text = _CONTROL.sub("", text).translate(_FULL_WIDTH).translate(_COMPOUND_UNITS)
    numerals = {ch for ch in text if not ch.isascii() and _is_numeral(ch)}
    if numerals:
        pattern = "[" + "".join(re.escape(ch) for ch in sorted(numerals)) + "]"
        text = re.sub(pattern, _read_numeral_character, text)
    text = _FULL_WIDTH_BETWEEN_DIGITS.sub(lambda m: {"．": ".", "／": "/"}[m.group(1)], text)
    text = _FULL_WIDTH_TIME.sub(r"\1:\2", text)
    # Taiwanese papers write 廿 and 卅 for 二十 and 三十 (卅二歲, 零時卅五分).
    return _HAN_TENS.sub(lambda m: "二十" if m.group(1) == "廿" else "三十", text)


def _is_numeral(char: str) -> bool:
    """A digit or number sign outside ASCII and outside Han (〇 and 一 are words)."""
    return unicodedata.category(char) in ("Nd", "No", "Nl") and not "\u3000" <= char <= "\u9fff"


def _read_numeral_character(match: re.Match[str]) -> str:
    """①, Ⅲ, ½, ٣ and other digits outside ASCII: said as the number they stand
    for. A superscript after a letter is part of a unit (m², km³) and stays;
    after a digit it is a power (5² → 五的平方)."""
    char, before = match.group(0), match.string[match.start() - 1 : match.start()]
    if unicodedata.category(char) == "Nd":
        return str(unicodedata.digit(char))
    if char in "²³" and before.isalpha() and before.isascii():
        return char
    if char in "²³" and before.isdigit():
        return "的平方" if char == "²" else "的立方"
    fraction = Fraction(unicodedata.numeric(char)).limit_denominator(1000)
    if fraction.denominator == 1:
        return read_integer(fraction.numerator)
    return f"{read_integer(fraction.denominator)}分之{read_integer(fraction.numerator)}"


def _fix_symbols(text: str) -> str:
    # A web address is for the eye: read aloud it is noise, so the voice skips
    # it, or says only its site when the address is all there is.
    without = _URL.sub("", text)
    if without != text and not any(ch.isalnum() for ch in without):
        without = _URL.sub(lambda m: m.group(0).split("/")[2], text)
    text = _LONG_DIGITS.sub(lambda m: read_digits(m.group(0)), without)
    text = _THOUSANDS.sub(_read_thousands, text)
    text = _SCIENTIFIC.sub(_read_scientific, text)
    text = _CURRENCY.sub(
        lambda m: f"{m.group(2)}{m.group(3) or ''}{_CURRENCY_NAMES[m.group(1)]}", text
    )
    text = _WHOLE_AMOUNT.sub("", text)
    return _PER_MILLE.sub(lambda m: ("负" if m.group(1) else "") + "千分之" + m.group(2), text)


def _read_thousands(match: re.Match[str]) -> str:
    whole = read_integer(int(match.group(1).replace(",", "")))
    return whole + ("点" + read_digits(match.group(2)) if match.group(2) else "")


def _read_scientific(match: re.Match[str]) -> str:
    mantissa, sign, exponent = match.groups()
    power = ("负" if sign == "-" else "") + read_number(exponent.lstrip("0") or "0")
    return f"{read_decimal(mantissa)}乘十的{power}次方"


def _read_international(match: re.Match[str]) -> str:
    """加, the country code, then the rest digit by digit with 幺, its groups kept
    apart by spaces (a hyphen between digits would be read as 至 or 减)."""
    written = match.group(1)
    digits = re.sub(r"[\s-]", "", written)
    size = 1 if digits[0] in "17" else 2 if digits[:2] in _TWO_DIGIT_COUNTRY_CODES else 3
    # Where the code's last digit is in what was written (separators included).
    code_end = [index for index, char in enumerate(written) if char.isdigit()][size - 1] + 1
    groups = re.split(r"[\s-]+", written[code_end:])
    national = " ".join(read_digits(group, dialled=True) for group in groups if group)
    return "加" + read_digits(digits[:size], dialled=True) + " " + national


def _fix_dialled(text: str) -> str:
    """Phone and service numbers, digit by digit with 幺."""
    text = _INTERNATIONAL.sub(_read_international, text)
    text = _PHONE.sub(lambda m: read_digits(m.group(0), dialled=True), text)
    text = _DIAL_CONTEXT.sub(
        lambda m: m.group(1) + m.group(2) + read_digits(m.group(3), dialled=True), text
    )
    text = _BEFORE_HOTLINE.sub(lambda m: read_digits(m.group(1), dialled=True), text)
    text = _FLIGHT.sub(lambda m: m.group(1) + read_digits(m.group(2), dialled=True), text)
    return _TRAIN.sub(lambda m: m.group(1) + read_digits(m.group(2), dialled=True), text)


def _fix_scores(text: str) -> str:
    # Read here: a bare 112 next to 比 is a code number to the grammar.
    def score(home: str, away: str) -> str:
        return f"{read_integer(int(home))}比{read_integer(int(away))}"

    text = _RATIO.sub(
        lambda m: f"{m.group(1)}{read_decimal(m.group(2))}比{read_decimal(m.group(3))}", text
    )
    text = _SCORE.sub(lambda m: m.group(1) + score(m.group(2), m.group(3)), text)
    return _SCORE_AFTER.sub(lambda m: score(m.group(1), m.group(2)), text)


def _fix_ranges(text: str) -> str:
    text = _PERCENT_RANGE.sub(r"\1%至\2%", text)
    text = _YEAR_SPAN.sub(
        lambda m: (
            f"{read_digits(m.group(1))}{'年' if m.group(3) == '年' else ''}至"
            f"{read_digits(m.group(2))}{m.group(3)}"
        ),
        text,
    )
    text = _NUMBER_DASH_RANGE.sub("至", text)  # 1—8月份: a dash between numbers is a range
    text = _DAY_RANGE.sub(r"\1至", text)
    text = _HYPHEN_RANGE.sub(lambda m: m.group(1) + (m.group("unit") or "") + "至", text)
    return _RANGE.sub(r"\1至", text)


def _fix_dates(text: str) -> str:
    def date(match: re.Match[str]) -> str:
        year, _, month, day = match.groups()
        return (
            f"{read_digits(year)}年{read_small_integer(int(month))}月"
            f"{read_small_integer(int(day))}日"
        )

    text = _SEPARATED_DATE.sub(date, text)
    text = _SHORT_YEAR.sub(lambda m: read_digits(m.group(1) or m.group(2)) + "年", text)
    text = _YEAR_BEFORE_PERIOD.sub(lambda m: read_digits(m.group(1)) + "年", text)
    text = _NAMED_DAY.sub(lambda m: read_digits(m.group(1) + m.group(2)), text)
    text = _MONTH_DAY.sub(
        lambda m: (
            f"{read_small_integer(int(m.group(1)))}月{read_small_integer(int(m.group(2)))}"
            + m.group(3)
        ),
        text,
    )
    text = _DAY_ONLY.sub(lambda m: read_small_integer(int(m.group(1))) + m.group(2), text)
    text = _LEADING_ZERO.sub(lambda m: read_small_integer(int(m.group(1))), text)
    text = _TIME.sub(_read_time, text)
    return _READ_RANGE.sub("至", text)


def _read_time(match: re.Match[str]) -> str:
    hours, minutes, seconds, half = match.groups()
    spoken = ("两" if int(hours) == 2 else read_small_integer(int(hours))) + "点"  # 两点
    if int(minutes) or seconds:
        # 0:05 is 零点零五分: the 零 tells the listener minutes follow.
        spoken += ("零" if 0 < int(minutes) < 10 else "") + read_small_integer(int(minutes)) + "分"
    if seconds:
        spoken += read_small_integer(int(seconds)) + "秒"
    if half:
        spoken = ("下午" if half[0] in "pP" else "上午") + spoken
    return spoken


def _fix_codes(text: str) -> str:
    """Names with numbers in them: COVID-19, 95后, RTX 4090, v2.1.3, 国道107, 211工程."""
    text = _ID_CONTEXT.sub(lambda m: m.group(1) + m.group(2) + read_digits(m.group(3)), text)
    text = _ID_BEFORE.sub(lambda m: read_digits(m.group(1)), text)
    text = _STOCK_CODE.sub(lambda m: read_digits(m.group(1)) + (m.group(2) or ""), text)
    text = _NAMED_NUMBER.sub(lambda m: read_digits(m.group(1)), text)
    text = _LONG_CARDINAL.sub(lambda m: read_number(m.group(0)), text)
    text = _NUMBER_SIGN.sub(lambda m: read_digits(m.group(1)), text)
    text = _LATIN_HYPHEN_NUMBER.sub(lambda m: " " + read_small_integer(int(m.group(1))), text)
    text = _GENERATION.sub(lambda m: read_digits(m.group(1)) + "后", text)
    text = _SERIAL.sub(lambda m: m.group(1) + m.group(2) + read_digits(m.group(3)), text)
    text = _VERSION.sub(lambda m: "点".join(_read_part(p) for p in m.group(0).split(".")), text)
    return _EVENT_YEAR.sub(lambda m: read_digits(m.group(1)), text)


def _read_part(part: str) -> str:
    return read_small_integer(int(part)) if len(part) <= 2 and part[0] != "0" else read_digits(part)


def _fix_operators(text: str) -> str:
    """Fractions, ×, + and /, and Latin units, said in Chinese."""

    def fraction(match: re.Match[str]) -> str:
        sign, numerator, denominator = match.groups()
        spoken = f"{read_number(denominator)}分之{read_number(numerator)}"
        return ("负" if sign else "") + spoken

    text = _FRACTION.sub(fraction, text)
    text = _TIMES.sub("乘", text)
    text = _PLUS_BETWEEN.sub("加", text)
    text = _PLUS_SIGNED.sub("正", text)
    text = _PLUS_BEFORE.sub("加", text)
    text = _PLUS_AFTER.sub("多", text)
    text = _SPEED.sub(lambda m: "每{0}{2}{1}".format(*_SPEED_UNITS[m.group(2)], m.group(1)), text)
    text = _LATIN_UNIT.sub(lambda m: _LATIN_UNITS[m.group(1)], text)
    text = _PER.sub(r"\1每", text)
    return _SLASH_BETWEEN_WORDS.sub("或", text)


def _fix_decimals(text: str) -> str:
    text = _BARE_DECIMAL.sub(lambda m: "零点" + read_digits(m.group(1)), text)
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
    _fix_dialled,
    _fix_scores,
    _fix_ranges,
    _fix_dates,
    _fix_codes,
    _fix_negatives,
    _fix_operators,
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
    if "\n" in text:  # no rule reaches across a line: one line out for each in
        return "\n".join(normalize(line) for line in text.split("\n"))
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
    # Whatever the grammar left (a window cut inside a list of figures) is
    # still read: the voice must never be left to guess at a digit.
    return _DIGIT_RUN.sub(lambda m: read_number(m.group(0)), "".join(spoken))


_DIGIT_RUN = re.compile(r"[0-9]+")
_WINDOW_BEFORE, _WINDOW_AFTER = 2, 4
# A window grows over a token or merges with its neighbour only up to this
# length: the grammar's time and memory grow with it (a 5,000-character
# window took 8.6 s and 837 MB).
_MAX_WINDOW = 48
# Characters a window never cuts between: one token to the grammar.
_TOKEN_CHARS = frozenset("0123456789.,:/%‰℃°¥￥$€£+×=~～-−·@_#&" + string.ascii_letters)


def _grammar_windows(text: str) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for match in _DIGIT_RUN.finditer(text):
        if windows and match.end() <= windows[-1][1]:
            continue
        start = max(0, match.start() - _WINDOW_BEFORE)
        end = min(len(text), match.end() + _WINDOW_AFTER)
        limit = match.start() - _MAX_WINDOW // 2
        while (
            start > max(0, limit)
            and text[start] in _TOKEN_CHARS
            and text[start - 1] in _TOKEN_CHARS
        ):
            start -= 1
        limit = match.end() + _MAX_WINDOW // 2
        while (
            end < min(len(text), limit)
            and text[end - 1] in _TOKEN_CHARS
            and text[end] in _TOKEN_CHARS
        ):
            end += 1
        # Never cut a number in two where the limits stopped the growth.
        while end < len(text) and text[end - 1].isdigit() and text[end].isdigit():
            end -= 1
        while start > 0 and text[start - 1].isdigit() and text[start].isdigit():
            start += 1
        if windows and start <= windows[-1][1] and end - windows[-1][0] <= _MAX_WINDOW:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((max(start, windows[-1][1]) if windows else start, end))
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
