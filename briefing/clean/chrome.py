"""What a page says that is not the story: menus, prompts, notices, captions."""

from __future__ import annotations

import html
import re

from briefing.clean.document import HAN

_IMAGE_NAME = re.compile(r"^[^\s/\\]{1,80}\.(?:jpe?g|png|gif|webp|bmp|tiff?)$", re.I)

_NAVIGATION = re.compile(
    r"^(?:听新闻|聽新聞|收听|朗读|下一篇|上一篇|下一页|上一页|返回顶部|返回首页|返回列表|打印|打印本页|关闭|关闭窗口|"
    r"分享|分享到.*|收藏到.{0,20}|扫一扫.*|字号.*|字號.*|【?\s*大\s*中\s*小\s*】?|\d{1,7}|[（(]\s*完\s*[)）]|"
    r"(?:上|下)一篇\s*[:：].*|相关(?:新闻|阅读|文章|链接|報導|报道)\s*[:：]|推荐阅读\s*[:：]|"
    r"已收藏!?|收藏|知道了|点赞|赞|评论|我要评论|加载更多.*|\*\+\*加载更多.*|查看更多.*|"
    r"[（(](?:原标题|原題|原题为|原標題)\s*[:：]?.*[)）]|原标题\s*[:：].*|本文原标题\s*[:：].*|"
    r"[（(]?本文来自.*[)）]?|[（(].{0,12}(?:亦有贡献|亦有貢獻|参与采写|參與採寫|对本文有贡献)[)）]|"
    r".{0,20}报料\s*[:：].*|您可通过.{0,30}收藏.*|.{0,10}已过查询时效.*|.{0,10}已過查詢時效.*|"
    r"(?:当前位置|您的位置|现在位置|位置)\s*[:：].*|[■□◆●]\s*\S{1,12}|"
    r"(?:首页|首頁)\s*(?:[>＞»/]\s*\S{1,10}\s*)*|技术支持\s*[:：].*|感谢您的反馈.*|"
    r"(?:免责声明|版权声明|免責聲明|版權聲明|风险提示|風險提示)\s*[:：].*|"
    r"【?阅读原文】?|【?閱讀原文】?|轻触阅读原文|原文链接\s*[:：]?.*|原文鏈接\s*[:：]?.*|"
    r"(?:点击|點擊)(?:上方|下方|蓝字|藍字).{0,20}(?:关注|關注|订阅|訂閱).*|关注我们\s*[:：~～!！]?|"
    r"(?:长按|長按).{0,12}(?:识别|識別|关注|關注).*|(?:继续|向上)滑动看下一个|预览时标签不可点|"
    r"取消允许|[×x]\s*分析|在看|听过|展开更多|(?:相关附件|相关链接|附件下载)\s*(?:>>|》|[:：]).*|"
    r"阅读量\s*[:：]?\s*\d+|本文已被查看\s*\d+\s*次|喜欢这篇文章[？?]|发表评论|"
    r"您还未登录.*|(?:登录|登錄)\s*(?:注册|註冊)?|(?:注册|註冊)|[（(][A-Z]{2,6}\d{2,8}[)）]|"
    r"(?:[^>＞»\s][^>＞»]{0,15}\s*[>＞»]\s*){2,}[^>＞»]{1,16}|"  # 科技 > 要闻 > 正文: a breadcrumb
    rf"\S{{0,10}}(?:摄影|攝影|图片|圖片|图|圖|视频|視頻)\s*[:：/／]\s*[{HAN}A-Za-z]{{2,12}})$"
)
# Toolbar and font-size controls: a line made only of these words is the page's.
_TOOLBAR_WORDS = frozenset(
    [
        "下载",
        "打印",
        "全屏",
        "收藏",
        "分享",
        "字号",
        "字號",
        "字体",
        "字體",
        "加大",
        "还原",
        "減小",
        "减小",
        "默认",
        "大",
        "中",
        "小",
        "关闭",
        "返回",
        "顶部",
        "打印本页",
        "关闭窗口",
        "收藏本页",
        "纠错",
        "评论",
        "点赞",
        "复制链接",
        "微信",
        "微博",
        "QQ空间",
        "朋友圈",
    ]
)
_TOOLBAR_SPLIT = re.compile(r"[\s【】\[\]|｜:：/、,，>＞»]+")
# Paragraphs that mark the end of the story: what follows is the page.
TAIL_MARKER = re.compile(
    r"^(?:相关\S{0,2}(?:新闻|阅读|文章|推荐|链接|報導|报道|资讯)(?:请关注.*)?|推荐阅读|推荐新闻|热点新闻|热门推荐|热门新闻|"
    r"态度原创|本周热门|猜你喜欢|为您推荐|新媒体实验室|延伸阅读|更多新闻|精彩推荐|小编最近文章|"
    r"作者最近文章|网友评论.*|我要评论.*|评论\s*[（(]?\d*[)）]?|\d+\s*人参与\s*\d*\s*评论|留言|"
    r"版权声明|免责声明|跟贴广场.*|前情回顾|往期回顾|往期推荐|往期精选|推荐文章|"
    r"被以下专辑收录.*|跟贴热词|参考来源|参考资料|参考链接|TA的文章|相关阅读推荐)\s*[:：]?$"
)
# Prompts and notices of the page. Strong marks (a QR code, a copyright or
# privacy notice) make a paragraph of up to 150 characters chrome; weak ones
# (download our app, scan) only a short one, as stories mention them too.
_PROMOTION = re.compile(
    r"二维码|二維碼|未[经經].{0,12}(?:授权|授權|许可|許可|同意).{0,8}(?:不得|禁止|严禁|嚴禁|请勿|請勿)"
    r".{0,4}(?:转载|轉載|使用|复制|複製|摘编|摘編)|转载请注明|轉載請註明|如需转载|独家稿件|獨家稿件|"
    r"版权归.{0,20}所有|版权所有|版權所有|All rights reserved|"
    r"Copyright\s*©|隐私(?:声明|政策)|隱私(?:聲明|權)|cookies?|更多原创资讯|"
    r"(?:仅|僅)代表.{0,12}(?:观点|觀點)|不代表.{0,12}(?:观点|觀點|立场|立場)|"
    r"如(?:发现|發現).{0,12}(?:违法|違法|不良|侵权|侵權).{0,20}(?:请|請)",  # a site's report line
    re.I,
)
_WEAK_PROMOTION = re.compile(
    r"扫一扫|扫码|掃碼|(?:下载|下載|安装|安裝).{0,8}(?:APP|App|app|客户端|客戶端)|公众号|公眾號|"
    r"粉丝团|粉絲團|征订|徵訂|订阅|訂閱|邮发代号|郵發代號|关注.{0,8}(?:微信|公众号|我们)|(?:尽|盡)在.{0,8}APP|"
    r"(?:点击|點擊)查看\s*>>|开户|開戶",
    re.I,
)
_WEAK_PROMOTION_MAX_CHARS = 50
_PROMOTION_MAX_CHARS = 150
# Photo captions end with a credit: "（消防局提供）", "小花母亲供图", "（刘通摄）",
# "视觉中国 资料", "中央社記者邱俊欽桃園傳真 105年3月19日".
_CAPTION_CREDIT = re.compile(
    rf"(?:[（(][^（）()]{{1,20}}(?:提供|供图|供圖|摄|攝|资料图|資料照|翻摄|翻攝)[)）]|"
    rf"[{HAN}A-Za-z]{{1,12}}\s?(?:供图|供圖|摄|攝|攝影|摄影)|视觉中国\s*资料|視覺中國|"
    rf"(?:图片来源|圖片來源|图源|圖源|图片|圖片)\s*[:：/／].{{0,30}}|"
    rf"[{HAN}]{{2,8}}(?:社|網|网|报|報)(?:记者|記者)?[{HAN}]{{0,4}}\s*(?:发|發)|"
    rf"(?:中央社)?(?:记者|記者)\S{{2,10}}(?:传真|傳真|摄|攝)\s*\d{{2,4}}年\d{{1,2}}月\d{{1,2}}日|"
    rf"[（(]图[/／][^）)]{{1,20}}[)）]|(?:记者|記者)[{HAN}]{{2,4}}\s*[图圖])$"
)
_CAPTION_MAX_CHARS = 120
_CAPTION_START = re.compile(r"^(?:▲|△|图为|圖為|图：|圖：|图/|圖/|图片：|图片为|上图|下图)")

_FOOTER_FIELDS = re.compile(
    r"主办单位|主辦單位|版权所有|版權所有|地址[:：]|邮编[:：]|郵編|电话[:：]|電話[:：]|ICP备|ICP證|"
    r"技术支持[:：]|联系我们|聯絡我們|网站地图"
)
_FOOTER_MAX_CHARS = 300


def is_chrome(text: str) -> bool:
    if _NAVIGATION.match(text) or _IMAGE_NAME.match(text) or is_caption(text):
        return True
    if not any(ch.isalnum() for ch in text) or is_toolbar(text):
        return True
    if len(text) <= _FOOTER_MAX_CHARS and len(_FOOTER_FIELDS.findall(text)) >= 2:
        return True
    if len(text) <= _WEAK_PROMOTION_MAX_CHARS and _WEAK_PROMOTION.search(text):
        return True
    return _is_foreign(text)


_INLINE_CHROME = re.compile(
    r"^(?:内容)?(?:摘要|提要)\s*[:：]\s*|"  # the label goes, the summary is read
    # 〔即時新聞／綜合報導〕 (a reporter's 〔記者…／台北報導〕 is a byline, read as one)
    r"^[〔【\[](?![^〕】\]]*(?:记者|記者))[^〕】\]]{0,12}(?:報導|报道|報導)[〕】\]]\s*|"
    r"[（(]\s*(?:本文来自|本文來自|原标题|原題|原题为|原標題|本文原标题)[^（）()]*[)）]|"
    r"[（(][^（）()]{0,12}(?:亦有贡献|亦有貢獻|参与采写|參與採寫)[)）]|"
    # a photo credit and share widget run into the text (資料照／記者…攝影 分享 facebook)
    rf"[{HAN}]{{0,8}}(?:資料照|资料照|資料圖|资料图)[／/][^\s，。]{{0,12}}(?:攝影|摄影|攝|摄)|"
    r"\s(?:分享|share)(?:\s+(?:facebook|twitter|line|微信|微博|plurk|email))+\s*"
)
_CLAUSE_OR_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”」』）)]*|$)")


def without_chrome_sentences(text: str) -> tuple[str, list[str]]:
    """Remove the page's own sentences from a paragraph, keeping the story's:
    '…对疾控至关重要。(本文来自澎湃新闻，更多原创资讯请下载APP)' keeps its
    first sentence; a paragraph that is only a notice disappears. Returns the
    text kept and the notices removed."""
    removed = [match.group(0).strip() for match in _INLINE_CHROME.finditer(text)]
    text = _INLINE_CHROME.sub("", text).strip()
    if len(text) > _PROMOTION_MAX_CHARS * 4 or not _is_notice(text):
        return text, removed
    sentences = [s for s in _CLAUSE_OR_SENTENCE.findall(text) if s.strip()]
    kept = "".join(s for s in sentences if not _is_notice(s)).strip()
    # Mostly notice: the rest is its lead-in ("专注苹果新闻报道。扫描二维码…").
    if len(kept) > len(text) / 2:
        return kept, removed + [s.strip() for s in sentences if _is_notice(s)]
    return "", [*removed, text]


_SPREAD_HAN = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff，,])")


def _is_notice(text: str) -> bool:
    """A copyright, privacy or QR-code notice, even spread out 版 权 所 有."""
    return bool(_PROMOTION.search(_SPREAD_HAN.sub("", text)))


def is_caption(text: str) -> bool:
    if len(text) > _CAPTION_MAX_CHARS:
        return False
    return bool(_CAPTION_CREDIT.search(text) or _CAPTION_START.match(text))


def _is_foreign(text: str) -> bool:
    """A paragraph in another language (a 'go to our English site' banner)."""
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    kana = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return kana >= 3 or (latin >= 20 and han < latin * 0.2)


def is_toolbar(text: str) -> bool:
    """下载 打印 全屏 收藏, 【字号：加大 还原 减小】, 分享: — the page's controls."""
    words = [word for word in _TOOLBAR_SPLIT.split(text) if word]
    return bool(words) and all(word in _TOOLBAR_WORDS for word in words)


_MENU_ITEM_MAX_CHARS = 10
_MENU_RUN = 4
_LEAD_IN_RUN = 2
_MENU_ITEM = re.compile(rf"^[{HAN}A-Za-z0-9 ·|｜/()（）+&-]{{1,{_MENU_ITEM_MAX_CHARS}}}$")
_NO_WORDS = re.compile(r"^[^\w]*$")


def is_menu_item(text: str) -> bool:
    """A menu entry (分类, 云安全, 安全KER季刊(8)) or a breadcrumb's '>'."""
    return bool(text) and bool(_MENU_ITEM.match(text) or _NO_WORDS.match(text))


def is_prose(text: str) -> bool:
    """A paragraph of the story: some twenty characters and a sentence end."""
    return len(text) >= 20 and bool(re.search("[。！？!?]", text))


def menu_runs(texts: list[str], story_started: list[bool]) -> set[int]:
    """Indexes of menu entries: runs of at least four short items (a portal's
    category list), or, before the story starts, of two, where a slogan or a
    follow prompt counts as an item too (an account's name, its slogan and
    关注我们; a magazine's subscription lines)."""
    found: set[int] = set()
    start = 0
    for i in range(len(texts) + 1):
        if i < len(texts) and (
            is_menu_item(texts[i]) or (not story_started[i] and _is_lead_in_line(texts[i]))
        ):
            continue
        run = range(start, i)
        lead_in = not any(story_started[j] for j in run)
        if len(run) >= (_LEAD_IN_RUN if lead_in else _MENU_RUN):
            last = texts[run[-1]] if run else ""
            if lead_in and not is_menu_item(last) and not is_chrome(last):
                run = range(start, i - 1)  # a kicker right above the story is read
            found.update(run)
        start = i + 1
    return found


_LEAD_IN_LINE_MAX_CHARS = 24


def _is_lead_in_line(text: str) -> bool:
    """A short line above the story that says nothing of it: no sentence, no
    field (a dateline or '各位代表：' has a colon), or a line of chrome."""
    if not text:
        return False
    short = len(text) <= _LEAD_IN_LINE_MAX_CHARS and not re.search("[。！？!?：:]", text)
    return short or is_chrome(text)


_ENTITY_WITHOUT_SEMICOLON = re.compile(r"&(nbsp|ensp|emsp|amp|lt|gt|quot)(?![;\w])", re.I)
_BULLET = re.compile(r"^[■□◆◇●○★☆▶►•※]+\s*")  # ▲ starts a caption: kept for is_caption
_AFTER_NAME = re.compile(r"[（(](?:微博|微博认证|微博號)[)）]")
_HEX_ID = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{16,}(?![0-9A-Za-z])", re.I)


def tidy(text: str) -> str:
    """What no paragraph should read aloud: HTML entities, even without their
    semicolon ('&nbsp'); a bullet in front ('■ 本报记者…'); '(微博)' after a
    name; long hexadecimal IDs."""
    text = _ENTITY_WITHOUT_SEMICOLON.sub(r"&\1;", text)
    text = html.unescape(text).replace("\u00a0", " ")
    text = _AFTER_NAME.sub("", text)
    text = _HEX_ID.sub("", text)
    text = text.strip()
    # A bullet before a short label ("■ 纪检监察") marks the page's menu: kept
    # for is_chrome to see; before a byline or a sentence it only goes.
    unbulleted = without_bullet(text)
    return unbulleted if len(unbulleted) > _MENU_ITEM_MAX_CHARS + 2 else text


def without_bullet(text: str) -> str:
    return _BULLET.sub("", text).strip()
