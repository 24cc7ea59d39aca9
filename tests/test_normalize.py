"""Text normalisation: what a listener hears for numbers, dates and symbols."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.article import Article, Chunk, Section
from briefing.normalize import normalize, normalize_article, read_integer, to_simplified

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # WeTextProcessing's own misreadings, fixed by our rules
        ("4月2日", "四月二日"),
        ("屏幕为12.9英寸", "屏幕为十二点九英寸"),
        ("比分17:16", "比分十七比十六"),
        ("最终以3:2战胜对手", "最终以三比二战胜对手"),
        ("预计增长10-15%", "预计增长百分之十至百分之十五"),
        ("降温6～12℃", "降温六至十二摄氏度"),
        ("收报2929.09点", "收报两千九百二十九点零九点"),
        ("共12,345人", "共一万两千三百四十五人"),
        ("COVID-19疫情", "COVID 十九疫情"),
        ("95后姑娘", "九五后姑娘"),
        ("重2公斤", "重两公斤"),
        ("下午2点开会", "下午两点开会"),
        ("读2年级", "读二年级"),
        ("人口自然增长率为-2.41‰", "人口自然增长率为负千分之二点四一"),
        ("售价¥2.5亿", "售价二点五亿元"),
        ("7×24小时", "七乘二十四小时"),
        ("4月2日-5日", "四月二日至五日"),
        ("今年1—8月份", "今年一至八月份"),
        ("苹果发布新iPhone 11：64GB售5499元", "苹果发布新iPhone 十一：六十四GB售五千四百九十九元"),
        ("活动于15：30开始", "活动于十五点三十分开始"),
        ("COVID-19 symptoms", "COVID 十九 symptoms"),
        ("SARS-CoV-2检测", "SARS-CoV 二检测"),
        # model and serial numbers: long ones digit by digit, short ones as numbers
        ("RTX 4090显卡", "RTX 四零九零显卡"),
        ("麒麟990芯片", "麒麟九九零芯片"),
        ("新品名为iPhone 11", "新品名为iPhone 十一"),
        ("5G网络", "五G网络"),
        ("苹果2019秋季发布会", "苹果二零一九秋季发布会"),
        ("版本v2.1.3", "版本v二点一点三"),
        # what the grammar already reads right must stay right
        ("2019年", "二零一九年"),
        ("下降0.5个百分点", "下降零点五个百分点"),
        ("2个人", "两个人"),
        ("第1名", "第一名"),
        ("约为1/5", "约为五分之一"),
        ("最低气温-3℃", "最低气温零下三摄氏度"),
        ("同比增长-2.3%", "同比增长负百分之二点三"),
    ],
)
def test_reads_numbers_the_way_an_anchor_does(written: str, spoken: str) -> None:
    assert normalize(written) == spoken


def test_erhua_and_interjections_are_kept_for_speech() -> None:
    # The grammar's ASR defaults would drop 儿 and 啊; a TTS voice needs them.
    assert normalize("我们玩儿啊") == "我们玩儿啊"


def test_traditional_chinese_is_spoken_in_simplified_characters() -> None:
    assert normalize("昨天凌晨零時卅五分，卅二歲萬姓男子將妻子拋摔下樓") == (
        "昨天凌晨零时三十五分，三十二岁万姓男子将妻子抛摔下楼"
    )


def test_simplified_text_is_left_as_written() -> None:
    # OpenCC's phrase table would turn 结束 into 結束 and 显著 into 显着.
    text = "搜救人员决定提前结束行动，具有多方面的显著优势"
    assert to_simplified(text) == text
    assert normalize(text) == text


def test_web_addresses_are_not_read_out() -> None:
    assert normalize("收藏以下链接：http://tech.sina.com.cn/zt_d/apple2019/，锁定微博。") == (
        "收藏以下链接：，锁定微博。"
    )


def test_a_chunk_that_is_only_an_address_says_its_site() -> None:
    assert normalize("https://www.gov.cn/zhengce/content/2019.htm") == "www.gov.cn"


def test_text_without_digits_is_unchanged() -> None:
    text = "打好打赢脱贫攻坚战，是全面建成小康社会的重大任务。"
    assert normalize(text) == text


def test_full_width_digits_are_read() -> None:
    assert normalize("１２月３日") == "十二月三日"


@pytest.mark.parametrize(
    ("value", "spoken"),
    [
        (0, "零"),
        (10, "十"),
        (15, "十五"),
        (101, "一百零一"),
        (1005, "一千零五"),
        (20000, "两万"),
        (100010000, "一亿零一万"),
        (2345678, "两百三十四万五千六百七十八"),
        (1200, "一千二百"),
        (10**12 + 10**8, "一万零一亿"),
        (12345678901234567, "一亿两千三百四十五万六千七百八十九亿零一百二十三万四千五百六十七"),
    ],
)
def test_read_integer(value: int, spoken: str) -> None:
    assert read_integer(value) == spoken


_REFERENCE_DIGITS = "零一二三四五六七八九"


def _reference_below_yi(value: int) -> str:
    """0 ≤ value < 10**8 read place by place from its written digits, then the
    zeros tidied the way the rules of Chinese numerals say (no 零 before a
    section's unit, one 零 for a run of them, none at the end)."""
    written = f"{value:08d}"
    places = ["千", "百", "十", "", "千", "百", "十", ""]
    parts = []
    for index, (digit, place) in enumerate(zip(written, places, strict=True)):
        parts.append("零" if digit == "0" else _REFERENCE_DIGITS[int(digit)] + place)
        if index == 3:
            parts.append("万")
    spoken = "".join(parts).lstrip("零")
    spoken = re.sub("零+", "零", spoken)
    spoken = spoken.replace("零万", "万").rstrip("零")
    if spoken.startswith("万"):  # nothing above 万
        spoken = spoken[1:].lstrip("零")
    # 两 where our policy says it: a 2 opening the number or the part after 万
    # before 千 or 百, and a lone 2 before 万.
    spoken = re.sub(r"^二(?=[千百])", "两", spoken)
    spoken = re.sub(r"(?:(?<=万)|(?<=万零))二(?=[千百])", "两", spoken)
    spoken = re.sub(r"^二万", "两万", spoken)
    return spoken


def _reference_reading(value: int) -> str:
    """Chinese numerals from the written digits, in blocks of eight (亿) from the
    top: a different route from read_integer's arithmetic."""
    written = str(value)
    head = len(written) % 8 or 8
    blocks = [written[:head]] + [written[i : i + 8] for i in range(head, len(written), 8)]
    spoken = ""
    for index, block in enumerate(blocks):
        number = int(block)
        if number:
            if spoken and number < 10**7:
                spoken += "零"
            part = _reference_below_yi(number)
            if index < len(blocks) - 1 and part == "二":
                part = "两"  # 两亿
            spoken += part
        if index < len(blocks) - 1:
            spoken += "亿"
    if value == 0:
        return "零"
    return spoken[1:] if spoken.startswith("一十") else spoken


@settings(max_examples=1000, deadline=None)
@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_read_integer_agrees_with_a_reading_built_from_the_digits(value: int) -> None:
    expected = ("负" if value < 0 else "") + _reference_reading(abs(value))
    assert read_integer(value) == expected


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from("0000000012"), min_size=1, max_size=31))
def test_figures_full_of_zeros_agree_too(digits: list[str]) -> None:
    # Uniform integers seldom have runs of zeros, where the 零 rules live.
    value = int("".join(digits))
    assert read_integer(value) == _reference_reading(value)


def test_normalize_article_fills_every_chunk() -> None:
    article = Article("标题", [Section("一", ["x"], [Chunk("增长5.3%"), Chunk("……")])])
    normalize_article(article)
    assert [chunk.spoken for chunk in article.chunks] == ["增长百分之五点三", "……"]
    assert not article.chunks[1].speakable


def _bench() -> ModuleType:
    """bench/tn.py shares its name with WeTextProcessing's package: load it by path."""
    if "bench_tn" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_tn", ROOT / "bench" / "tn.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_tn"] = module
        spec.loader.exec_module(module)
    return sys.modules["bench_tn"]


DEV_SET = ROOT / "tests" / "data" / "tn-dev.tsv"
SHARED_DEV_SET = ROOT.parent / "shared" / "tn-dev.tsv"
# Dev-set cases we read wrong today, and why. Strict: a fixed case fails the
# suite until it is taken off this list.
KNOWN_MISSES: dict[str, str] = {
    "两队0-0互交白卷": "a bare X-Y with no result word and no unit could be a score, a range or "
    "a subtraction; the grammar says 减",
}


def _dev_case_params() -> list[object]:
    return [
        pytest.param(
            case,
            id=case.written,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[case.written])]
            if case.written in KNOWN_MISSES
            else [],
        )
        for case in _bench().load_cases(DEV_SET)
    ]


@pytest.mark.parametrize("case", _dev_case_params())
def test_dev_set_case_is_read_right(case: object) -> None:
    """Every dev-set line (tests/data/tn-dev.tsv, compared by reading) passes."""
    (outcome,) = _bench().evaluate([case])
    assert outcome.passed, (outcome.spoken, outcome.case.expected)


def test_known_misses_are_dev_set_cases() -> None:
    written = {case.written for case in _bench().load_cases(DEV_SET)}
    assert set(KNOWN_MISSES) <= written


def test_the_shared_dev_set_is_part_of_ours() -> None:
    """../shared/tn-dev.tsv is the set the project started from: ours extends
    it and must hold every one of its cases unchanged."""
    if not SHARED_DEV_SET.exists():
        message = f"{SHARED_DEV_SET} is missing"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    bench = _bench()
    assert set(bench.load_cases(SHARED_DEV_SET)) <= set(bench.load_cases(DEV_SET))


# Strings over digits, units, signs and punctuation, with the words around
# figures that steer a reading.
_FIGURE_TEXT = st.lists(
    st.sampled_from(
        list("0123456789" * 3)
        + list('.,:/-+×*=%‰℃°$¥€£~～—–·e ²³½①Ⅲ，。、：；（）()"“”\n')
        + ["km/h", "kg", "cm", "m²", "mAh", "GB", "Mbps", "W", "ms", "am", "pm", "\x1b[0m"]
        + list("年月日号时分秒点元个第比至到万亿零下负约以比分热线电话国道工程次航班代码")
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_FIGURE_TEXT)
def test_every_figure_is_read_out(text: str) -> None:
    spoken = normalize(text)
    assert not re.search("[0-9]", spoken), spoken
    # `briefing normalize` prints one line for each line it reads.
    assert spoken.count("\n") == text.count("\n")


def test_a_figure_of_thousands_of_digits_is_read_digit_by_digit() -> None:
    # It took 8.6 s and 837 MB inside the grammar (bench/tn.py measures the
    # time now); past 4,300 digits Python will not even turn it into an int.
    assert normalize("编号" + "7" * 5000 + "。") == "编号" + "七" * 5000 + "。"


def test_a_figure_of_seventeen_digits_is_a_cardinal_when_grouped() -> None:
    assert normalize("总额为12,345,678,901,234,567元") == (
        "总额为一亿两千三百四十五万六千七百八十九亿零一百二十三万四千五百六十七元"
    )


def test_reading_comparison_counts_ling_alike_and_unread_digits_as_wrong() -> None:
    bench = _bench()
    assert bench.reading("二〇一九年") == bench.reading("二零一九年")
    assert bench.reading("2019年") != bench.reading("二零一九年")


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("拨打+8613800138000", "拨打加八六 幺三八零零幺三八零零零"),
        ("+86 138 0013 8000", "加八六 幺三八 零零幺三 八零零零"),
        ("电话：+86-10-12345678", "电话：加八六 幺零 幺二三四五六七八"),
        ("+1 212 555 0100", "加幺 二幺二 五五五 零幺零零"),
        ("+44 20 7946 0958", "加四四 二零 七九四六 零九五八"),
    ],
)
def test_an_international_number_is_its_country_code_then_digits_dialled(
    written: str, spoken: str
) -> None:
    # E.164 codes are prefix-free: 86 is China's whatever digits follow it.
    assert normalize(written) == spoken


@given(
    st.sampled_from(["1", "7", "44", "86", "852", "971"]),
    st.text("0123456789", min_size=8, max_size=12),
)
def test_the_country_code_is_never_run_into_the_number(code: str, national: str) -> None:
    assert normalize(f"+{code}{national}").startswith(
        "加" + "".join("零幺二三四五六七八九"[int(d)] for d in code) + " "
    )
