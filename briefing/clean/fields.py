"""Metadata lines of a page: datelines, key: value fields, bylines, credits."""

from __future__ import annotations

import email.utils
import re
from datetime import date, datetime

from briefing.clean.document import HAN, Document

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_TIME = r"(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?"
DATETIME = re.compile(rf"{_DATE}\s*(?:{_TIME})?")
_DATELINE = re.compile(
    rf"^(?:(?:发布|更新|最新更新|最后更新|發布|時間|时间|日期)\S{{0,2}}\s*[:：]?\s*)?{_DATE}\s*"
    rf"(?:上午|下午|早上|晚上)?\s*(?:{_TIME})?\s*(?:(?:来源|來源|稿源)\s*[:：]\s*(\S.*?))?$"
)
# "TNW中文站2016年10月14日07:17": the outlet, then the date and time.
_OUTLET_DATELINE = re.compile(rf"^([{HAN}A-Za-z]{{2,12}}?)\s*(?={_DATE}\s*(?:{_TIME})?$)")
# "来源：天天基金网", "作者：医技药剂党支部 | 浏览次数: 2168": a line made only of
# key: value fields is page chrome; the values are the article's metadata.
_FIELD_KEYS = (
    "文章来源|文章來源|信息来源|資訊來源|来源|來源|稿源|出处|发布人|發布人|发布单位|發布單位|发布机构|發布機構|作者|作者署名|文|撰文|采写|採寫|执笔|執筆|摄影|攝影|记者|記者|责任编辑|責任編輯|责编|責編|编辑|編輯|"
    "审核|审校|校对|监制|编审|发布时间|发布日期|發布時間|时间|時間|日期|浏览次数|浏览量|浏览|阅读|"
    "阅读量|点击|点击数|点击量|访问量|字号|字號|标签|標籤|关键词|關鍵詞|关键字|tags?"
)
_FIELD = re.compile(
    rf"({_FIELD_KEYS})\s*(?:[:：]|>>)\s*(.*?)\s*(?=(?:{_FIELD_KEYS})\s*(?:[:：]|>>)|[|｜]|$)", re.I
)
_FIELD_GLUE = re.compile(r"^[\s|｜/【】\[\]大中小]*$")
_AUTHOR_NOTE = re.compile(r"^[（(]\s*(?:作者(?:为|系|是)?|记者|記者)\s*(\S.*?)\s*[)）]?$")
# "澎湃新闻记者 段彦超 廖艳", "记者陈嘉宁／桃园机场报导", "文/观察者网专栏作者 王文"
BYLINE = re.compile(
    rf"^[【\[(（]?(?P<outlet>[{HAN}A-Za-z]{{0,10}}?)(?:记者|記者|通讯员|通訊員|特约记者|专栏作者|作者)"
    rf"\s*[:：]?\s*(?P<names>[{HAN}]{{2,4}}(?:[\s、,，和]+[{HAN}]{{2,4}}){{0,3}})"
    rf"(?:\s*[/／]\s*\S{{0,12}}(?:报道|報導|报导|電|电))?\s*[】\])）]?$"
)
# "（记者 陆一夫）" or "（中央社記者邱俊欽桃園19日電）" inside the first sentence.
_INLINE_BYLINE = re.compile(
    rf"[（(]\s*(?:本报|本報|中央社|新华社|新華社)?(?:记者|記者)[\s/／:：]*(?P<names>[{HAN}]{{2,4}}"
    rf"(?:[\s、,，][{HAN}]{{2,4}})*)(?P<rest>[^）)]{{0,14}})[)）]"
)
# "記者莊友直／台北報導" opening the story, "〔記者林岳甫／台北報導〕" after a subtitle.
_DESK_BYLINE = re.compile(
    rf"[〔【\[（(]?(?:记者|記者)\s*(?P<names>[{HAN}]{{2,4}}(?:[、,，][{HAN}]{{2,4}})*)\s*[／/]"
    rf"(?P<rest>[{HAN}]{{0,8}})(?:報導|报道|报导|電|电)[〕】\]）)]?"
)
_NAME_SLASH_OUTLET = re.compile(
    rf"^([{HAN}]{{2,4}})\s*[/／]\s*([{HAN}]{{2,10}}(?:报|報|网|網|社|台|刊))$"
)
# "(陳思豪/台北報導)" closing a story, on its last line or a line of its own.
CLOSING_DESK = re.compile(
    rf"[（(]([{HAN}]{{2,3}})\s*[/／]\s*[{HAN}]{{0,6}}(?:報導|报道|报导)[)）]$"
)
_DESK_REPORT = re.compile(rf"^[{HAN}]{{2,8}}\s*[/／]\s*(?:綜合報導|综合报道|報導|报道)$")
_AGENCY = re.compile(
    rf"^[{HAN}]{{2,8}}(?:社|网|網|报|報|日报|日報|新闻|新聞|电视台|電視台|客户端)$"
)
LIST_SPLIT = re.compile(r"[;；,，、|｜\s]+")

NOT_NAMES = frozenset(
    {"和", "整合", "综合", "整理", "网络整理", "报道", "摄影", "摄", "实习生", "通讯员"}
    | {"我已授权", "原创", "本站", "小编", "佚名", "未知", "作者", "記者", "记者", "编辑", "編輯"}
)


_NAME_SPLIT = re.compile(r"[;；,，、|｜]+|(?<![A-Za-z])\s+|\s+(?![A-Za-z])")


def name_list(text: str) -> list[str]:
    """Names in a list: 张三、李四 / 张三 李四; "Vicky Xiao" stays one name."""
    return [
        name
        for name in _NAME_SPLIT.split(text)
        if name and name not in NOT_NAMES and not _STAFF_CODE.fullmatch(name)
    ]


# "责任编辑：张恒星 SF142": a desk's internal code for its editor, not a name.
_STAFF_CODE = re.compile(r"[A-Z]{1,4}\d{2,6}")


# "…实现轻松换新iPhone。(李楠)": the writer's name closing the story.
CLOSING_NAME = re.compile(
    rf"\s*[（(](?!化名|下同|待续|完\b|全文完|未完)([{HAN}]{{2,3}}(?:[\s、][{HAN}]{{2,3}})?)[)）]$"
)


# "08-31 06:30 Wind EnRA+A-": a digest's month-day dateline, then its outlet
# and the page's font controls; the year is the one its headline gives.
_YEARLESS_DATELINE = re.compile(
    rf"^(\d{{1,2}})-(\d{{1,2}})\s+{_TIME}(?:\s+[\w+\-]{{1,16}}){{0,2}}$"
)


def _yearless_date(document: Document, text: str) -> bool:
    match = _YEARLESS_DATELINE.match(text)
    if match is None:
        return False
    month, day, hour, minute, second = match.groups()
    headline = DATETIME.search(document.title)
    if headline and (int(headline.group(2)), int(headline.group(3))) == (int(month), int(day)):
        published = _datetime(headline.group(1), month, day, hour, minute, second)
        document.published = document.published or published
    return True


def take_metadata(document: Document, text: str, before_body: bool) -> bool:
    """If ``text`` is a metadata line, record it and return True."""
    if (match := CLOSING_DESK.search(text)) and match.start() == 0:
        document.author = document.author or match.group(1)
        return True
    if before_body and _yearless_date(document, text):
        return True
    dated = _OUTLET_DATELINE.match(text)
    if match := _DATELINE.match(text[dated.end(1) :] if dated else text):
        year, month, day, hour, minute, second, source = match.groups()
        source = source or (dated.group(1) if dated else None)
        published = _datetime(year, month, day, hour, minute, second)
        if published is None:
            return False
        document.published = document.published or published
        if source and not _take_fields(document, "来源：" + source.strip()):
            document.source = document.source or source.strip()
        return True
    if _take_fields(document, text) or _take_credits(document, text):
        return True
    if match := _AUTHOR_NOTE.match(text):
        note = match.group(1).strip("）)")
        if re.match(r"^[（(]\s*(?:记者|記者)", text):
            author = "、".join(name_list(note))  # （记者 张三 李四）
        else:
            author = note.split()[-1]  # 作者为江苏省政府驻西北办事处副主任 刘浩春
        document.author = document.author or author
        return True
    if before_body and len(text) <= 40 and (match := BYLINE.match(text)):
        document.author = document.author or "、".join(name_list(match.group("names")))
        outlet = match.group("outlet")
        if outlet and len(outlet) >= 2:
            document.source = document.source or outlet
        return True
    if before_body and (match := _NAME_SLASH_OUTLET.match(text)):
        document.author = document.author or match.group(1)  # 石佳/中国青年报
        document.source = document.source or match.group(2)
        return True
    if before_body and _DESK_REPORT.match(text):
        return True  # 社會中心／綜合報導: a desk, not a person
    if before_body and document.title and _AGENCY.match(text):
        document.source = document.source or text  # "新华社" under the headline
        return True
    return False


# "编辑 刘晓阳 校对 李铭", "摄影/张艳 编辑/苏芳", "执笔/叨叨姐、胡一刀&李小飞刀":
# credits without colons, closing (or opening) a story.
_CREDIT = re.compile(
    r"(编辑|編輯|校对|校對|责编|責編|审核|摄影|攝影|执笔|執筆|文|图|圖)\s*[/／\s]\s*"
    r"([^\s/／:：|｜]{1,20})\s*"
)
_CREDIT_LINE_MAX_CHARS = 60
_SUPPLIED_BY = re.compile(r"^\S{1,30}(?:供稿|供圖|供图)\s*")


def _take_credits(document: Document, text: str) -> bool:
    if len(text) > _CREDIT_LINE_MAX_CHARS:
        return False
    credits = _SUPPLIED_BY.sub("", text)
    pairs = list(_CREDIT.finditer(credits))
    if not pairs or _CREDIT.sub("", credits).strip():
        return False
    for match in pairs:
        key, value = match.groups()
        if key in ("执笔", "執筆", "文"):
            document.author = document.author or "、".join(name_list(value.replace("&", "、")))
        elif key not in ("摄影", "攝影", "图", "圖"):
            _record_field(document, "编辑", value)
    return True


_PIPED_KEY = re.compile(rf"({_FIELD_KEYS})\s*[|｜︱丨]\s*", re.I)


def _take_fields(document: Document, text: str) -> bool:
    """A line made only of key: value fields (来源: …  作者: …  浏览次数: …)."""
    if len(text) > 120:
        return False
    text = _PIPED_KEY.sub(r"\1：", text)  # 作者 | Lianzi   编辑 | Vicky Xiao
    fields = list(_FIELD.finditer(text))
    if not fields:
        return False
    rest = _FIELD.sub("", text)
    for match in DATETIME.finditer(rest):
        document.published = document.published or _datetime(*match.groups())
    rest = DATETIME.sub("", rest)
    if not _FIELD_GLUE.match(rest):
        return False
    for match in fields:
        _record_field(document, match.group(1).lower(), match.group(2).strip())
    return True


# "特稿痴迷者 （微信帐号：tegaocmz）": the outlet's account handle, not its name.
_ACCOUNT_NOTE = re.compile(r"\s*[（(][^（）()]*(?:帐号|账号|帳號|微信号|公众号|ID)[^（）()]*[)）]$")


def _record_field(document: Document, key: str, value: str) -> None:
    value = value.strip("[]【】〔〕 ")  # [责任编辑:肖春芳]: the field's brackets
    if not value:
        return
    if key in ("来源", "來源", "稿源", "出处", "文章来源", "文章來源", "信息来源", "資訊來源"):
        document.source = document.source or _ACCOUNT_NOTE.sub("", value) or value
    elif key in ("发布人", "發布人", "发布单位", "發布單位", "发布机构", "發布機構"):
        # "发布人：-现代快报": who put the page up, the source when none is named
        document.source = document.source or value.lstrip("-－—_ ") or None
    elif key in ("作者", "作者署名", "文", "撰文", "采写", "採寫", "执笔", "執筆", "记者", "記者"):
        if value not in ("未知", "佚名"):
            document.author = document.author or value.split()[-1]
    elif key in ("标签", "標籤", "关键词", "關鍵詞", "关键字", "tag", "tags"):
        document.tags += [
            tag for tag in LIST_SPLIT.split(value) if tag and tag not in document.tags
        ]
    elif key in ("发布时间", "发布日期", "發布時間", "时间", "時間", "日期"):
        if match := DATETIME.search(value):
            document.published = document.published or _datetime(*match.groups())
    elif key in (
        "责任编辑",
        "責任編輯",
        "责编",
        "責編",
        "编辑",
        "編輯",
        "审核",
        "审校",
        "校对",
        "监制",
        "编审",
    ):
        document.editors += [name for name in name_list(value) if name not in document.editors]


_OUTLET_LEAD = re.compile(rf"^(?P<outlet>[{HAN}]{{2,8}}?)(?:讯|訊)(?=[\s（(]|[{HAN}]{{2}}[\d])")


def take_inline_byline(document: Document, text: str, first: bool) -> str:
    """'新京报讯（记者 陆一夫）11月25日，…': the byline is metadata, not speech;
    the outlet in front (新京报讯, 新浪科技讯) is read, and is the source."""
    if not first:
        return text
    if (lead := _OUTLET_LEAD.match(text)) and not document.source:
        document.source = lead.group("outlet")
    match = _INLINE_BYLINE.search(text[:60]) or _DESK_BYLINE.search(text[:80])
    if not match:
        return text
    if agency := re.match(r"[（(]\s*(中央社|新华社|新華社)", match.group(0)):
        document.source = document.source or agency.group(1)
    names = name_list(match.group("names"))
    if names and len(names[0]) == 4 and match.group("rest"):
        names[0] = names[0][:3]  # 記者邱俊欽桃園19日電: a name is rarely four characters
    document.author = document.author or "、".join(names)
    return (text[: match.start()] + text[match.end() :]).strip()


def _datetime(
    year: str,
    month: str,
    day: str,
    hour: str | None = None,
    minute: str | None = None,
    second: str | None = None,
) -> datetime | None:
    try:
        return datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        return None


_RFC_2822 = re.compile(r"^[A-Za-z]{3},\s*\d{1,2}\s+[A-Za-z]{3}\s+\d{4}")


def parse_date(value: object) -> datetime | None:
    """A date as records write it: ISO 8601 ("2020-05-01T04:46:37+00:00",
    "2018-02-24T00:00:00.000Z"), RFC 2822 ("Mon, 18 Oct 2021 04:55:24 GMT"),
    "2017-06-28 06:11", "2017/11/26", "2024年5月6日". A zone given is kept."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str) or not (text := value.strip()):
        return None
    if _RFC_2822.match(text):
        try:
            return email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    if match := DATETIME.search(text):
        return _datetime(*match.groups())
    return None


_KEY_ONLY = re.compile(rf"^(?:{_FIELD_KEYS}|原标题|原標題|摘要|内容摘要)\s*[:：]$", re.I)
_SPLIT_VALUE_MAX_CHARS = 40


def joined_fields(texts: list[str]) -> list[str]:
    """'来源:' on one line and '南方日报' on the next are one field."""
    joined: list[str] = []
    for text in texts:
        if joined and _KEY_ONLY.match(joined[-1]) and len(text) <= _SPLIT_VALUE_MAX_CHARS:
            joined[-1] += text
        else:
            joined.append(text)
    return joined


# A dataset line fuses the headline with the story: "…复出新浪体育讯北京时间…",
# "…审判新华网北京7月12日电 …", "…套机新低（中关村在线数码影像行情报道）佳能…".
_NEWS_FLASH = re.compile(rf"(?<=[{HAN}])(?:讯|訊)")
_DATELINE_WIRE = re.compile(rf"(?<=[{HAN}])\d{{1,2}}月\d{{1,2}}日(?:电|電)")
_REPORTED_BY = re.compile(
    rf"[（(](?P<outlet>[{HAN}A-Za-z]{{2,8}}?(?:在线|網|网|报|報|社|台|新闻|新聞))[^（）()]{{0,16}}"
    rf"(?:报道|報導|报导)[)）]"
)
_FUSED_TITLE_CHARS = (4, 40)


def fused_title(text: str) -> tuple[str, str, str] | None:
    """(headline, outlet, story) when ``text`` starts with a headline run
    into the story's outlet lead; None when it does not."""
    from briefing.words import cut

    lowest, highest = _FUSED_TITLE_CHARS
    window = text[: highest + 30]
    if match := _REPORTED_BY.search(window):
        title, outlet, story = text[: match.start()], match.group("outlet"), text[match.end() :]
    else:
        anchor = _NEWS_FLASH.search(window) or _DATELINE_WIRE.search(window)
        if anchor is None:
            return None
        words = cut(text[: anchor.start()], hmm=False)
        if anchor.re is _DATELINE_WIRE and words:
            words.pop()  # the place the wire was filed from: 北京
        if not words:
            return None
        outlet = words.pop()
        if len(outlet) <= 2 and words and len(words[-1]) <= 3:
            outlet = words.pop() + outlet  # 新浪 + 体育
        title = "".join(words)
        story = text[len(title) :]
    title = title.strip()
    if not lowest <= len(title) <= highest or re.search("[。！？!?]", title):
        return None
    return title, outlet, story.strip()
