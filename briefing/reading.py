"""How a news anchor says a number: the reading conventions, in one place.

Conventions where usage splits, and the side we take (normalize.py applies
them; bench/tn_external.py accepts the other side as the same reading):

两 or 二
    A 2 that leads a number or a 万/亿 section before 百, 千, 万 or 亿 is 两
    (两百, 两千, 两万, 一亿两千万); a lone 2 counting things before a measure
    word is 两 (两个, 两倍, 两公斤, 两点, 两至三人). Every other 2 is 二: inside a
    number (十二, 二十, 一千二百), ordinals and labels (第二, 二号线, 二年级,
    二月), digits read one by one, decimals.
幺 or 一
    Digit by digit, 1 is 幺 in what you dial or what radio and aviation spell
    (phone numbers, hotlines and service numbers, flight and train numbers);
    一 everywhere else (stock codes, model numbers, roads, years, named
    numbers such as 211工程).
零下 or 负
    Below zero a temperature is 零下 (零下三摄氏度); any other negative
    quantity is 负 (负百分之二点三, 负三分之一).
日 or 号
    The day of the month is read as written: 日 stays 日, 号 stays 号.
至 or 到
    A range written with a dash or a tilde (3-5天, 6～12℃, 1—8月, 8:00-18:00)
    is 至.
Dates and times
    Years are read digit by digit, also two-digit ones (93年 → 九三年 when a
    month follows or the year has a leading zero); months, days, hours and
    minutes as numbers without leading zeros (07时 → 七时, 08月 → 八月);
    minutes below ten keep their 零 (0:05 → 零点零五分).
"""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
# 幺 for 1 where a listener expects it (see the module's conventions).
_DIAL_DIGITS = "零幺二三四五六七八九"
_YI = 10**8


def read_small_integer(value: int) -> str:
    """1–99 as 一 … 九十九, the way months, days and hours are read (never 两)."""
    if not 0 <= value < 100:
        raise ValueError(f"{value} is out of range 0..99")
    if value < 10:
        return _DIGITS[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def read_digits(digits: str, dialled: bool = False) -> str:
    """Each digit on its own: 2019 → 二零一九; ``dialled`` says 幺 for 1 (110 → 幺幺零)."""
    table = _DIAL_DIGITS if dialled else _DIGITS
    return "".join(table[int(d)] for d in digits if d.isdigit())


def read_number(digits: str) -> str:
    """Digits with nothing to say what they are: a cardinal, or digit by digit
    when they cannot be one (a leading zero) or no listener could take one
    in (more than 16 digits)."""
    if len(digits) > 16 or (len(digits) > 1 and digits[0] == "0"):
        return read_digits(digits)
    return read_integer(int(digits))


def read_decimal(number: str) -> str:
    """12.05 → 十二点零五: the digits after the point one by one."""
    whole, _, fraction = number.partition(".")
    return read_number(whole) + ("点" + read_digits(fraction) if fraction else "")


def read_integer(value: int) -> str:
    """A whole number as a cardinal: 2345678 → 两百三十四万五千六百七十八.

    Any size: past 万亿 the units compound (10**16 is 一亿亿), as in
    Chinese arithmetic, so the reading is always defined."""
    if value < 0:
        return "负" + read_integer(-value)
    if value == 0:
        return "零"
    spoken = _read_positive(value, before_unit=False)
    return spoken[1:] if spoken.startswith("一十") else spoken


def _read_positive(value: int, before_unit: bool) -> str:
    """value > 0, read in sections of 亿 (10**8) from the top, without recursion
    so that a figure of any length costs no stack."""
    sections = []
    while value:
        value, section = divmod(value, _YI)
        sections.append(section)
    sections.reverse()
    spoken = ""
    for index, section in enumerate(sections):
        last = index == len(sections) - 1
        if section:
            if spoken and section < _YI // 10:
                spoken += "零"
            spoken += _read_below_yi(section, before_unit=before_unit or not last)
        if not last:
            spoken += "亿"
    return spoken


def _read_below_yi(value: int, before_unit: bool) -> str:
    """0 < value < 10**8, with 万."""
    high, low = divmod(value, 10_000)
    spoken = ""
    if high:
        spoken = _read_group(high, before_unit=True) + "万"
    if low:
        if high and low < 1000:
            spoken += "零"
        spoken += _read_group(low, before_unit=before_unit and not high)
    return spoken


def _read_group(group: int, before_unit: bool) -> str:
    """0 < group < 10000, with 零 for gaps inside it (1005 → 一千零五). A 2 that
    leads the group before 百 or 千, or stands alone before 万/亿, is 两."""
    if group == 2 and before_unit:
        return "两"
    spoken, gap = "", False
    for digit, unit in zip(f"{group:04d}", ("千", "百", "十", ""), strict=True):
        if digit == "0":
            gap = bool(spoken)
            continue
        if gap:
            spoken += "零"
        says_liang = digit == "2" and unit in ("千", "百") and not spoken
        spoken += ("两" if says_liang else _DIGITS[int(digit)]) + unit
        gap = False
    return spoken
