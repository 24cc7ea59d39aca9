"""Strip page chrome from an article and keep the metadata hidden in it.

Text copied from a Chinese news page carries the page around the story: an
image's file name and caption, a date and ``来源:`` line, a view counter,
``听新闻``, ``【大 中 小】``, ``（作者为…）``, ``（记者 …）``, ``标签:``,
``责编:``, ``下一篇``, related-news lists, share and QR-code prompts,
copyright notices. None of it is read aloud; what it says about the article
(source, date, author, editors, tags) becomes metadata.

HTML: readers' comments and photo captions are removed from the page, then
trafilatura extracts the body as Markdown (falling back to the page's prose
paragraphs when it finds only menus) and the page's <head> metadata, which
is trusted less than the page's own lines (SEO keywords, site names in
titles). The Markdown then goes through the same rules as pasted text.
Rules err on the side of keeping text: a notice glued to a story sentence
loses only its own sentence.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from briefing.article import Metadata
from briefing.errors import InputError
from briefing.ingest import Kind, RawDocument

log = logging.getLogger(__name__)


@dataclass
class Block:
    """A paragraph, or a heading when ``heading_level`` is 1–6. A ``guessed``
    heading is only a bold line: sections keeps it when it heads enough text."""

    text: str
    heading_level: int = 0
    guessed: bool = False


@dataclass
class Document(Metadata):
    """A cleaned article before it is cut into sections."""

    blocks: list[Block]


_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_SENTENCE_END = '。！？!?…；;”」』"）)'
_HAN = r"\u4e00-\u9fff"
_IMAGE_NAME = re.compile(r"^[^\s/\\]{1,80}\.(?:jpe?g|png|gif|webp|bmp|tiff?)$", re.I)
_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_TIME = r"(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?"
_DATETIME = re.compile(rf"{_DATE}\s*(?:{_TIME})?")
_DATELINE = re.compile(
    rf"^(?:(?:发布|更新|最新更新|最后更新|發布|時間|时间|日期)\S{{0,2}}\s*[:：]?\s*)?{_DATE}\s*"
    rf"(?:{_TIME})?\s*(?:(?:来源|來源|稿源)\s*[:：]\s*(\S.*?))?$"
)
# "来源：天天基金网", "作者：医技药剂党支部 | 浏览次数: 2168": a line made only of
# key: value fields is page chrome; the values are the article's metadata.
_FIELD_KEYS = (
    "来源|來源|稿源|出处|作者|作者署名|文|撰文|采写|採寫|执笔|執筆|摄影|攝影|记者|記者|责任编辑|責任編輯|责编|責編|编辑|編輯|"
    "审核|审校|校对|监制|编审|发布时间|发布日期|發布時間|时间|時間|日期|浏览次数|浏览量|浏览|阅读|"
    "阅读量|点击|点击数|点击量|访问量|字号|字號|标签|標籤|关键词|關鍵詞|关键字|tags?"
)
_FIELD = re.compile(
    rf"({_FIELD_KEYS})\s*(?:[:：]|>>)\s*(.*?)\s*(?=(?:{_FIELD_KEYS})\s*(?:[:：]|>>)|[|｜]|$)", re.I
)
_FIELD_GLUE = re.compile(r"^[\s|｜/【】\[\]大中小]*$")
_AUTHOR_NOTE = re.compile(r"^[（(]\s*(?:作者(?:为|系|是)?|记者|記者)\s*(\S.*?)\s*[)）]?$")
# "澎湃新闻记者 段彦超 廖艳", "记者陈嘉宁／桃园机场报导", "文/观察者网专栏作者 王文"
_BYLINE = re.compile(
    rf"^[【\[(（]?(?P<outlet>[{_HAN}A-Za-z]{{0,10}}?)(?:记者|記者|通讯员|通訊員|特约记者|专栏作者|作者)"
    rf"\s*[:：]?\s*(?P<names>[{_HAN}]{{2,4}}(?:[\s、,，和]+[{_HAN}]{{2,4}}){{0,3}})"
    rf"(?:\s*[/／]\s*\S{{0,12}}(?:报道|報導|报导|電|电))?\s*[】\])）]?$"
)
# "（记者 陆一夫）" or "（中央社記者邱俊欽桃園19日電）" inside the first sentence.
_INLINE_BYLINE = re.compile(
    rf"[（(]\s*(?:本报|本報|中央社|新华社|新華社)?(?:记者|記者)\s*(?P<names>[{_HAN}]{{2,4}}"
    rf"(?:[\s、,，][{_HAN}]{{2,4}})*)(?P<rest>[^）)]{{0,14}})[)）]"
)
_NAME_SLASH_OUTLET = re.compile(
    rf"^([{_HAN}]{{2,4}})\s*[/／]\s*([{_HAN}]{{2,10}}(?:报|報|网|網|社|台|刊))$"
)
_DESK_REPORT = re.compile(rf"^[{_HAN}]{{2,8}}\s*[/／]\s*(?:綜合報導|综合报道|報導|报道)$")
_AGENCY = re.compile(
    rf"^[{_HAN}]{{2,8}}(?:社|网|網|报|報|日报|日報|新闻|新聞|电视台|電視台|客户端)$"
)
_LIST_SPLIT = re.compile(r"[;；,，、|｜\s]+")
_NAVIGATION = re.compile(
    r"^(?:听新闻|聽新聞|收听|朗读|下一篇|上一篇|下一页|上一页|返回顶部|返回首页|返回列表|打印|打印本页|关闭|关闭窗口|"
    r"分享|分享到.*|扫一扫.*|字号.*|字號.*|【?\s*大\s*中\s*小\s*】?|\d{1,7}|[（(]\s*完\s*[)）]|"
    r"(?:上|下)一篇\s*[:：].*|相关(?:新闻|阅读|文章|链接|報導|报道)\s*[:：]|推荐阅读\s*[:：]|"
    r"已收藏!?|收藏|知道了|点赞|赞|评论|我要评论|加载更多.*|\*\+\*加载更多.*|查看更多.*|"
    r"[（(](?:原标题|原題|原题为|原標題)\s*[:：]?.*[)）]|原标题\s*[:：].*|本文原标题\s*[:：].*|"
    r"[（(]?本文来自.*[)）]?|[（(].{0,12}(?:亦有贡献|亦有貢獻|参与采写|參與採寫|对本文有贡献)[)）]|"
    r".{0,20}报料\s*[:：].*|您可通过.{0,30}收藏.*|.{0,10}已过查询时效.*|.{0,10}已過查詢時效.*|"
    r"(?:当前位置|您的位置|现在位置|位置)\s*[:：].*|[■□◆●]\s*\S{1,12}|"
    r"(?:首页|首頁)\s*(?:[>＞»/]\s*\S{1,10}\s*)*|技术支持\s*[:：].*|感谢您的反馈.*|"
    r"(?:免责声明|版权声明|免責聲明|版權聲明)\s*[:：].*)$"
)
# Paragraphs that mark the end of the story: what follows is the page.
_TAIL_MARKER = re.compile(
    r"^(?:相关\S{0,2}(?:新闻|阅读|文章|推荐|链接|報導|报道|资讯)(?:请关注.*)?|推荐阅读|推荐新闻|热点新闻|热门推荐|热门新闻|"
    r"态度原创|本周热门|猜你喜欢|为您推荐|新媒体实验室|延伸阅读|更多新闻|精彩推荐|小编最近文章|"
    r"作者最近文章|网友评论.*|我要评论.*|评论\s*[（(]?\d*[)）]?|\d+\s*人参与\s*\d*\s*评论|留言|"
    r"版权声明|免责声明|跟贴广场.*)\s*[:：]?$"
)
# Prompts and notices of the page. Strong marks (a QR code, a copyright or
# privacy notice) make a paragraph of up to 150 characters chrome; weak ones
# (download our app, scan) only a short one, as stories mention them too.
_PROMOTION = re.compile(
    r"二维码|二維碼|未经授权不得转载|未經授權不得轉載|版权所有|版權所有|All rights reserved|"
    r"Copyright\s*©|隐私(?:声明|政策)|隱私(?:聲明|權)|cookies?|更多原创资讯|"
    r"(?:仅|僅)代表.{0,12}(?:观点|觀點)|不代表.{0,12}(?:观点|觀點|立场|立場)",
    re.I,
)
_WEAK_PROMOTION = re.compile(
    r"扫一扫|扫码|掃碼|(?:下载|安装).{0,8}(?:APP|App|app|客户端)|公众号|公眾號|粉丝团|粉絲團",
    re.I,
)
_WEAK_PROMOTION_MAX_CHARS = 50
_PROMOTION_MAX_CHARS = 150
# Photo captions end with a credit: "（消防局提供）", "小花母亲供图", "（刘通摄）",
# "视觉中国 资料", "中央社記者邱俊欽桃園傳真 105年3月19日".
_CAPTION_CREDIT = re.compile(
    rf"(?:[（(][^（）()]{{1,20}}(?:提供|供图|供圖|摄|攝|资料图|資料照|翻摄|翻攝)[)）]|"
    rf"[{_HAN}A-Za-z]{{1,12}}(?:供图|供圖|摄|攝)|视觉中国\s*资料|視覺中國|图片来源.{{0,20}}|"
    rf"(?:中央社)?(?:记者|記者)\S{{2,10}}(?:传真|傳真|摄|攝)\s*\d{{2,4}}年\d{{1,2}}月\d{{1,2}}日|"
    rf"[（(]图[/／][^）)]{{1,20}}[)）]|(?:记者|記者)[{_HAN}]{{2,4}}\s*[图圖])$"
)
_CAPTION_MAX_CHARS = 120
_CAPTION_START = re.compile(r"^(?:▲|△|图为|圖為|图：|圖：|图/|圖/|图片：|图片为|上图|下图)")


def parse(raw: RawDocument) -> Document:
    """Turn decoded input into a Document, whatever its kind."""
    if raw.kind is Kind.HTML:
        document = _from_html(raw.text)
    elif raw.kind is Kind.MARKDOWN:
        document = _from_lines(_markdown_blocks(raw.text))
    else:
        document = _from_lines(_text_blocks(raw.text))
    document.url = document.url or raw.url
    if not any(block.heading_level == 0 for block in document.blocks):
        raise InputError(f"{raw.name}: no article text was found after removing page chrome")
    if not document.title:
        document.title = _fallback_title(document, raw.name)
    return document


def _text_blocks(text: str) -> list[Block]:
    """Paragraphs of plain text: one per line, except in hard-wrapped files,
    where lines that stop mid-sentence are joined to the next."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    wrapped = _is_hard_wrapped(lines)
    blocks: list[Block] = []
    pending = ""
    for line in lines:
        if not line:
            if pending:
                blocks.append(Block(pending))
                pending = ""
            continue
        pending = _join_lines(pending, line) if pending else line
        if not wrapped or len(line) < 20 or line.endswith(tuple(_SENTENCE_END)):
            blocks.append(Block(pending))
            pending = ""
    if pending:
        blocks.append(Block(pending))
    return blocks


def _join_lines(first: str, second: str) -> str:
    """Chinese lines join without a space; Latin words need one."""
    if (
        first[-1:].isascii()
        and first[-1:].isalnum()
        and second[:1].isascii()
        and second[:1].isalnum()
    ):
        return f"{first} {second}"
    return first + second


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True when most long lines share one width, as in text wrapped at N columns."""
    widths = [len(line) for line in lines if len(line) >= 20]
    if len(widths) < 4:
        return False
    common = max(set(widths), key=widths.count)
    return sum(abs(width - common) <= 2 for width in widths) >= 0.6 * len(widths)


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"(\*\*|__|`+|~~|<[^>]+>)")
_MD_EMPHASIS = re.compile(r"(?<![\w*])[*_]([^*_\n]+)[*_](?![\w*])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_MD_LIST = re.compile(r"^(?:[-*+]\s+|>\s*)")
_MD_RULE = re.compile(r"^(?:[-*_]\s*){3,}$|^\|?[\s:|-]+\|[\s:|-]*$")
_MD_BOLD_LINE = re.compile(r"^\*\*([^*]+)\*\*$")
_BOLD_HEADING_MAX_CHARS = 40
_LIST_ITEM = re.compile(r"^[-*+]\s+")
_NAV_ITEM_MAX_CHARS = 6


def _markdown_blocks(text: str) -> list[Block]:
    lines = text.splitlines()
    if (
        lines and lines[0].strip() == "---"
    ):  # YAML front matter: title/date/author kept as chrome lines
        try:
            end = lines.index("---", 1)
        except ValueError:
            end = 0
        front = [_front_matter_line(line) for line in lines[1:end]]
        lines = [line for line in front if line] + lines[end + 1 :]
    blocks: list[Block] = []
    paragraph: list[str] = []
    list_items: list[str] = []

    def flush() -> None:
        if paragraph:
            joined = ""
            for line in paragraph:
                joined = _join_lines(joined, line) if joined else line
            blocks.append(Block(joined))
            paragraph.clear()
        if list_items:
            # A list of one-word items (推荐 / 娱乐 / 体育 …) is a menu, not prose.
            if any(len(item) > _NAV_ITEM_MAX_CHARS for item in list_items):
                blocks.extend(Block(item) for item in list_items)
            list_items.clear()

    for line in lines:
        stripped = _SPACES.sub(" ", line).strip()
        heading = _MD_HEADING.match(stripped)
        bold = _MD_BOLD_LINE.match(stripped)
        if heading:
            flush()
            blocks.append(Block(_strip_markdown(heading.group(2)), len(heading.group(1))))
        elif bold and _is_bold_heading(_strip_markdown(bold.group(1))):
            flush()
            blocks.append(Block(_strip_markdown(bold.group(1)), 3, guessed=True))
        elif not stripped or _MD_RULE.match(stripped):
            flush()
        elif _LIST_ITEM.match(stripped):
            if paragraph:
                flush()
            content = _strip_markdown(_LIST_ITEM.sub("", stripped))
            if content:
                list_items.append(content)
        else:
            content = _strip_markdown(_MD_LIST.sub("", stripped))
            if list_items:
                flush()
            if content and _is_caption(content):
                # A caption or photo credit on its own line ends its paragraph.
                paragraph.append(content)
                blocks.append(Block("".join(paragraph)))
                paragraph.clear()
            elif content:
                paragraph.append(content)
    flush()
    return blocks


def _is_bold_heading(text: str) -> bool:
    return (
        0 < len(text) <= _BOLD_HEADING_MAX_CHARS
        and not text.endswith(tuple("。！？!?；;：:，,…"))
        and "。" not in text
        and not text.isdigit()
    )


def _front_matter_line(line: str) -> str:
    key, _, value = line.partition(":")
    value = value.strip().strip("\"'")
    names = {"title": "# ", "date": "", "author": "作者:", "source": "来源:", "tags": "标签:"}
    prefix = names.get(key.strip().lower())
    if prefix is None or not value:
        return ""
    return prefix + value.strip("[]")


def _strip_markdown(text: str) -> str:
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKUP.sub("", text)
    text = _MD_EMPHASIS.sub(r"\1", text)
    return _MD_ESCAPE.sub(r"\1", text).strip()


def _from_html(html: str) -> Document:
    import trafilatura

    html = _prepare_html(html)
    extracted = trafilatura.extract(
        html,
        output_format="markdown",
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_recall=True,
    )
    fallback = _paragraphs_of(html)
    if len(_story_chars(extracted or "")) * 2 < len(_story_chars(fallback)):
        log.debug("trafilatura found little text; reading the page's paragraphs instead")
        extracted = fallback
    if not extracted:
        raise InputError("no article text was found in the HTML page")
    metadata = trafilatura.extract_metadata(html)
    document = _from_lines(_markdown_blocks(extracted), guess_title=False)
    _merge_byline_metadata(document, html)
    if metadata is not None:
        _merge_page_metadata(document, metadata)
    # Pages repeat the headline as a heading above the text: read it once.
    title = _SPACES.sub("", document.title)
    head = [b for b in document.blocks[:3] if _SPACES.sub("", b.text) != title]
    document.blocks = head + document.blocks[3:]
    return document


_HTML_CAPTION_MAX_CHARS = 40
_EARLY_CLOSE = re.compile(r"(?i)</(?:html|body)\s*>")
_COMMENTS = re.compile(r"comment|跟贴|pinglun", re.I)


def _prepare_html(html: str) -> str:
    """Remove what trafilatura keeps but a listener must not hear: readers'
    comments (toutiao, 163 and guancha mark them only by class names) and the
    caption paragraph portals put right under a photo."""
    import lxml.etree
    import lxml.html

    # A header template that closes </html> early (gov.cn's) makes the parser
    # drop the whole article after it; the closing tags are implied anyway.
    html = _EARLY_CLOSE.sub("", html)
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return html
    changed = _drop_comment_sections(tree) + _drop_image_captions(tree)
    return lxml.html.tostring(tree, encoding="unicode") if changed else html


def _drop_comment_sections(tree: object) -> int:
    body_chars = len(tree.text_content())  # type: ignore[attr-defined]
    doomed = []
    for element in tree.iter("div", "section", "ul", "ol", "aside"):  # type: ignore[attr-defined]
        marks = f"{element.get('class', '')} {element.get('id', '')}"
        if not _COMMENTS.search(marks) or element.find(".//h1") is not None:
            continue
        if len(element.text_content()) < body_chars / 2:
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    return len(doomed)


def _drop_image_captions(tree: object) -> int:
    """<p><img></p><p>小花家。</p>: the second paragraph is the photo's
    caption when it is short and one clause, or ends with a credit. Text that
    could be a short sentence of the story (it has a comma) stays."""
    dropped = 0
    for image in list(tree.iter("img")):  # type: ignore[attr-defined]
        holder = image.getparent()
        while holder is not None and holder.tag not in ("p", "div", "figure", "center"):
            holder = holder.getparent()
        if holder is None:
            continue
        if not holder.text_content().strip():
            caption = holder.getnext()
        elif holder.tag != "p":
            caption = image.getnext()  # <img> among the article's paragraphs
        else:
            continue
        if caption is None or caption.tag not in ("p", "div", "span", "center"):
            continue
        text = _SPACES.sub(" ", caption.text_content()).strip()
        if text and (
            _is_caption(text)
            or (
                len(text) <= _HTML_CAPTION_MAX_CHARS
                and not re.search(r"[，,；;：:！？!?]", text)
                and text.count("。") <= 1
            )
        ):
            caption.drop_tree()
            dropped += 1
    return dropped


_PROSE_MIN_HAN = 20


def _paragraphs_of(html: str) -> str:
    """The page's prose paragraphs, for pages trafilatura reads as all menu
    (gov.cn's 国务院公报 pages): every <p> with a sentence of Chinese in it."""
    import lxml.etree
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return ""
    paragraphs = []
    for element in tree.iter("p"):
        text = _SPACES.sub(" ", element.text_content()).strip()
        if len(_story_chars(text)) >= _PROSE_MIN_HAN and re.search("[。！？]", text):
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _story_chars(text: str) -> str:
    """The Han characters of ``text`` in sentences (menus have none)."""
    sentences = re.findall(r"[^。！？\n]*[。！？]", text)
    return "".join(ch for s in sentences for ch in s if "\u4e00" <= ch <= "\u9fff")


_SHORT_SUFFIX = re.compile(rf"^(.{{6,}}?)[-_－][{_HAN}A-Za-z]{{1,6}}$")
_TITLE_SUFFIX = re.compile(r"\s*(?:\s\|\s|｜|\s?_\s?|\s-\s|\s—\s|--)\s*")


_BYLINE_MAX_CHARS = 100


def _merge_byline_metadata(document: Document, html: str) -> None:
    """trafilatura drops a page's byline ("2023-08-01 09:30 来源：浙江日报
    作者：李四") along with the chrome; read the short lines above the story
    with the explicit metadata rules, filling only what is still missing.
    Lines below the story start are related-news lists and footers: not read."""
    import lxml.etree
    import lxml.html

    story = next((b.text for b in document.blocks if not b.heading_level), "")[:12]
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return
    found = Document(title="", blocks=[])
    for element in tree.iter("p", "div", "span", "li", "td", "small", "em", "time"):
        if story and story in _SPACES.sub("", element.text or ""):
            break
        line = _SPACES.sub(" ", element.text_content()).strip()
        if 6 <= len(line) <= _BYLINE_MAX_CHARS:
            _take_metadata(found, line, before_body=False)
    document.source = document.source or found.source
    document.author = document.author or found.author
    if found.published and (
        document.published is None
        or (document.published.date() == found.published.date() and not document.published.time())
    ):
        document.published = found.published  # the byline's time of day as well


def _merge_page_metadata(document: Document, metadata: object) -> None:
    """Fill what the page's own lines did not say from its <head> metadata,
    distrusting the SEO noise found there (site names in titles, keyword
    lists, 'Name; Email' authors, URLs as site names)."""
    title = page_title(getattr(metadata, "title", None) or "", document.title)
    document.title = title or document.title
    if not document.source:
        document.source = _site_name(getattr(metadata, "sitename", None))
    if not document.author:
        document.author = _author_from(getattr(metadata, "author", None) or "", document)
    document.url = document.url or getattr(metadata, "url", None)
    if not document.tags:
        document.tags = _page_tags(getattr(metadata, "tags", None) or [], document)
    date = getattr(metadata, "date", None)
    if date and not document.published:
        document.published = _parse_iso_date(date)


def page_title(page: str, heading: str) -> str:
    """The article's title from a page <title> and the body's first heading:
    '平鎮輪胎行惡火 疏散7人1女命喪 | 社會 | 中央社 CNA' → the headline alone."""
    page = _SPACES.sub(" ", page).strip()
    if heading and page.startswith(heading):
        return heading
    parts = [part for part in _TITLE_SUFFIX.split(page) if part]
    if len(parts) > 1 and len(parts[0]) >= 6:
        page = parts[0]
    elif match := _SHORT_SUFFIX.match(page):
        page = match.group(1)  # 中华人民共和国监察法-纪检: the site's section name
    return heading if heading and len(heading) >= len(page) else page or heading


def _site_name(name: str | None) -> str | None:
    if not name:
        return None
    name = re.sub(r"(?:版权所有|版權所有|\s*\|.*)$", "", name.strip()).strip()
    if not name or "/" in name or re.fullmatch(r"[\w.-]+\.[a-z]{2,}", name):
        return None  # a URL or a bare host name says nothing a listener wants
    return name


def _author_from(text: str, document: Document) -> str | None:
    text = _SPACES.sub(" ", text).strip()
    if not text or len(text) > 30 or re.search(r"[;@]|网友|網友|版权|Email|Name|\bIp\b", text):
        return None
    if match := _EDITOR_FIELD.match(text):
        document.editors += _names(match.group(1))
        return None
    if match := _BYLINE.match(text):
        return "、".join(_names(match.group("names")))
    if text not in _NOT_NAMES and _PLAIN_NAME.fullmatch(text):
        return text
    return None


_PLAIN_NAME = re.compile(rf"[{_HAN}]{{2,4}}|[A-Za-z][A-Za-z .'-]{{1,30}}")
_EDITOR_FIELD = re.compile(r"^(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：]\s*(\S.*)$")


def _page_tags(raw_tags: list[str], document: Document) -> list[str]:
    """Keywords from <meta>, kept only when the article itself uses them: many
    portals put the same site-wide SEO list on every page."""
    body = document.title + "".join(block.text for block in document.blocks)
    tags: list[str] = []
    for entry in raw_tags:
        # Some pages start their keywords with the headline itself.
        entry = entry.replace(document.title, " ") if document.title else entry
        for tag in _LIST_SPLIT.split(entry):
            if tag and len(tag) <= 12 and tag in body and tag not in tags:
                tags.append(tag)
    return tags[:12]


# Words that fill a byline's name slot without being anyone's name.
_NOT_NAMES = frozenset(
    {"和", "整合", "综合", "整理", "网络整理", "报道", "摄影", "摄", "实习生", "通讯员"}
    | {"我已授权", "原创", "本站", "小编", "佚名", "未知"}
)


def _names(text: str) -> list[str]:
    return [name for name in _LIST_SPLIT.split(text) if name and name not in _NOT_NAMES]


def _from_lines(blocks: list[Block], guess_title: bool = True) -> Document:
    """Apply the chrome rules block by block, collecting metadata. Pasted text
    has no marked title: ``guess_title`` takes its first short line."""
    document = Document(title="", blocks=[])
    body_chars = 0
    ended = False  # after "相关新闻" and the like, only metadata is taken
    for block in blocks:
        text = _without_chrome_sentences(block.text.strip())
        if not text:
            continue
        if block.heading_level == 1 and not document.title:
            document.title = text
            continue
        if block.heading_level and text == document.title:
            continue  # the title again (front matter, then an H1): read it once
        if _take_metadata(document, text, before_body=body_chars == 0):
            continue
        if _TAIL_MARKER.match(text):
            ended = ended or body_chars > 0
            continue
        if ended or _is_chrome(text):
            log.debug("chrome dropped: %s", text[:40])
            continue
        if (
            guess_title
            and not document.title
            and body_chars == 0
            and block.heading_level == 0
            and _is_title_like(text)
        ):
            document.title = text
            continue
        if block.heading_level == 0:
            text = _take_inline_byline(document, text, first=body_chars == 0)
            if not text:
                continue
            body_chars += len(text)
        document.blocks.append(Block(text, block.heading_level, block.guessed))
    # Headings left with no text after them (a trailing "留言") are page furniture.
    while document.blocks and document.blocks[-1].heading_level:
        document.blocks.pop()
    if document.blocks and (match := _CLOSING_NAME.search(document.blocks[-1].text)):
        document.author = document.author or match.group(1)
        document.blocks[-1].text = document.blocks[-1].text[: match.start()]
    return document


_FOOTER_FIELDS = re.compile(
    r"主办单位|主辦單位|版权所有|版權所有|地址[:：]|邮编[:：]|郵編|电话[:：]|電話[:：]|ICP备|ICP證|"
    r"技术支持[:：]|联系我们|聯絡我們|网站地图"
)
_FOOTER_MAX_CHARS = 300
# "…实现轻松换新iPhone。(李楠)": the writer's name closing the story.
_CLOSING_NAME = re.compile(
    rf"\s*[（(](?!化名|下同|待续|完\b|全文完|未完)([{_HAN}]{{2,3}}(?:[\s、][{_HAN}]{{2,3}})?)[)）]$"
)


def _is_chrome(text: str) -> bool:
    if _NAVIGATION.match(text) or _IMAGE_NAME.match(text) or _is_caption(text):
        return True
    if len(text) <= _FOOTER_MAX_CHARS and len(_FOOTER_FIELDS.findall(text)) >= 2:
        return True
    if len(text) <= _WEAK_PROMOTION_MAX_CHARS and _WEAK_PROMOTION.search(text):
        return True
    return _is_foreign(text)


_INLINE_CHROME = re.compile(
    r"^[〔【\[][^〕】\]]{0,12}(?:報導|报道|報導)[〕】\]]\s*|"  # 〔即時新聞／綜合報導〕
    r"[（(]\s*(?:本文来自|本文來自|原标题|原題|原题为|原標題|本文原标题)[^（）()]*[)）]|"
    r"[（(][^（）()]{0,12}(?:亦有贡献|亦有貢獻|参与采写|參與採寫)[)）]"
)
_CLAUSE_OR_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”」』）)]*|$)")


def _without_chrome_sentences(text: str) -> str:
    """Remove the page's own sentences from a paragraph, keeping the story's:
    '…对疾控至关重要。(本文来自澎湃新闻，更多原创资讯请下载APP)' keeps its
    first sentence; a paragraph that is only a notice disappears."""
    text = _INLINE_CHROME.sub("", text).strip()
    if len(text) > _PROMOTION_MAX_CHARS * 4 or not _is_notice(text):
        return text
    sentences = [s for s in _CLAUSE_OR_SENTENCE.findall(text) if s.strip()]
    kept = "".join(s for s in sentences if not _is_notice(s)).strip()
    # Mostly notice: the rest is its lead-in ("专注苹果新闻报道。扫描二维码…").
    return kept if len(kept) > len(text) / 2 else ""


_SPREAD_HAN = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff，,])")


def _is_notice(text: str) -> bool:
    """A copyright, privacy or QR-code notice, even spread out 版 权 所 有."""
    return bool(_PROMOTION.search(_SPREAD_HAN.sub("", text)))


def _is_caption(text: str) -> bool:
    if len(text) > _CAPTION_MAX_CHARS:
        return False
    return bool(_CAPTION_CREDIT.search(text) or _CAPTION_START.match(text))


def _is_foreign(text: str) -> bool:
    """A paragraph in another language (a 'go to our English site' banner)."""
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    kana = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return kana >= 3 or (latin >= 20 and han < latin * 0.2)


def _take_metadata(document: Document, text: str, before_body: bool) -> bool:
    """If ``text`` is a metadata line, record it and return True."""
    if match := _DATELINE.match(text):
        year, month, day, hour, minute, second, source = match.groups()
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
            author = "、".join(_names(note))  # （记者 张三 李四）
        else:
            author = note.split()[-1]  # 作者为江苏省政府驻西北办事处副主任 刘浩春
        document.author = document.author or author
        return True
    if before_body and len(text) <= 40 and (match := _BYLINE.match(text)):
        document.author = document.author or "、".join(_names(match.group("names")))
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
            document.author = document.author or "、".join(_names(value.replace("&", "、")))
        elif key not in ("摄影", "攝影", "图", "圖"):
            _record_field(document, "编辑", value)
    return True


def _take_fields(document: Document, text: str) -> bool:
    """A line made only of key: value fields (来源: …  作者: …  浏览次数: …)."""
    if len(text) > 120:
        return False
    fields = list(_FIELD.finditer(text))
    if not fields:
        return False
    rest = _FIELD.sub("", text)
    for match in _DATETIME.finditer(rest):
        document.published = document.published or _datetime(*match.groups())
    rest = _DATETIME.sub("", rest)
    if not _FIELD_GLUE.match(rest):
        return False
    for match in fields:
        _record_field(document, match.group(1).lower(), match.group(2).strip())
    return True


def _record_field(document: Document, key: str, value: str) -> None:
    if not value:
        return
    if key in ("来源", "來源", "稿源", "出处"):
        document.source = document.source or value
    elif key in ("作者", "作者署名", "文", "撰文", "采写", "採寫", "执笔", "執筆", "记者", "記者"):
        if value not in ("未知", "佚名"):
            document.author = document.author or value.split()[-1]
    elif key in ("标签", "標籤", "关键词", "關鍵詞", "关键字", "tag", "tags"):
        document.tags += [
            tag for tag in _LIST_SPLIT.split(value) if tag and tag not in document.tags
        ]
    elif key in ("发布时间", "发布日期", "發布時間", "时间", "時間", "日期"):
        if match := _DATETIME.search(value):
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
        document.editors += [name for name in _names(value) if name not in document.editors]


_OUTLET_LEAD = re.compile(rf"^(?P<outlet>[{_HAN}]{{2,8}}?)(?:讯|訊)(?=[\s（(]|[{_HAN}]{{2}}[\d])")


def _take_inline_byline(document: Document, text: str, first: bool) -> str:
    """'新京报讯（记者 陆一夫）11月25日，…': the byline is metadata, not speech;
    the outlet in front (新京报讯, 新浪科技讯) is read, and is the source."""
    if not first:
        return text
    if (lead := _OUTLET_LEAD.match(text)) and not document.source:
        document.source = lead.group("outlet")
    match = _INLINE_BYLINE.search(text[:60])
    if not match:
        return text
    if agency := re.match(r"[（(]\s*(中央社|新华社|新華社)", match.group(0)):
        document.source = document.source or agency.group(1)
    names = _names(match.group("names"))
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


def _is_title_like(text: str) -> bool:
    return len(text) <= 60 and not text.endswith(tuple("。！？!?；;，,："))


def _fallback_title(document: Document, name: str) -> str:
    first = next(block.text for block in document.blocks if block.heading_level == 0)
    sentence = re.split(r"(?<=[。！？!?])", first)[0]
    return sentence if len(sentence) <= 40 else name


def _parse_iso_date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
