"""Page chrome: never read aloud, its metadata kept, no body text lost."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from briefing.clean import Document, page_title, parse
from briefing.errors import InputError
from briefing.ingest import Kind, RawDocument


def text_document(text: str) -> Document:
    return parse(RawDocument(text, Kind.TEXT, "article"))


def body(document: Document) -> list[str]:
    return [block.text for block in document.blocks if not block.heading_level]


BODY = "今年是新中国成立70周年，是全面建成小康社会、实现第一个百年奋斗目标的关键之年。"
SECOND = "我省648所学校分别与陕西422所学校结对，共同攻坚克难。"
THIRD = "要加强对全会精神贯彻落实情况的监督检查。"
FOURTH = "中国男足凭借张玉宁、武磊的进球在下半场一度取得2:0领先。"


@pytest.mark.parametrize(
    "chrome",
    [
        "webwxgetmsgimg_副本.jpg",
        "1",
        "听新闻",
        "下一篇",
        "上一篇：某某文章",
        "分享到：",
        "扫一扫",
        "打印",
        "关闭窗口",
        "字号",
        "【大 中 小】",
        "（完）",
        "相关新闻：",
        "推荐阅读：",
        "（原标题：国务院联防联控机制印发通知）",
        "(本文来自澎湃新闻，更多原创资讯请下载“澎湃新闻”APP)",
        "澎湃新闻报料：4009-20-4009 澎湃新闻，未经授权不得转载",
        "（实习生王金茹对此文亦有贡献）",
        "当前位置：首页 > 新闻",
        "首页",
        "技术支持：北京智联软件技术有限公司",
        "相关热门文章",
        "免责声明：本文来自腾讯新闻客户端自媒体，不代表腾讯网的观点和立场。",
        "本文为政务等机构在澎湃新闻上传并发布，仅代表该机构观点，不代表澎湃新闻的观点或立场。",
        "看更多！請加入自由時報粉絲團",
        "人 民 网 版 权 所 有 ，未 经 书 面 授 权 禁 止 使 用",
        "聚焦香港局势新浪新闻公众号",
        "安装新浪财经客户端第一时间接收最全面的市场资讯→【下载地址】",
        "首页 > 科技湃",
        "已收藏!",
        "知道了",
        "扫描下方二维码关注苹果汇官方微信(或微信中搜：appleinc2012)。",
        "小花母亲说，女儿的左眼被塞了不止几十块小纸片。 小花母亲供图",
        "（消防局提供）",
        "▲图片来自视频截图。",
        "共享充电宝。视觉中国 资料",
        "浏览次数：2168",
        "主办单位：山西医科大学纪检监察室 版权所有 地址：太原市新建南路56号",
        "本網站使用相關技術提供更好的閱讀體驗，同時尊重使用者隱私，點這裡瞭解中央社隱私聲明。",
        "Your browser does not appear to support Traditional Chinese. "
        "Would you like to go to CNA's English website?",
        "こちらのページは繁体字版です。日本語版「フォーカス台湾」に移動しますか。",
        "收藏到云笔记",
        "风险提示：市场有风险，投资需谨慎。本文内容仅供参考。",
        "如发现违法或不良信息，请拨打电话010-1234567，我们将及时处理。",
    ],
)
def test_chrome_is_not_read(chrome: str) -> None:
    document = text_document(f"标题在这里\n{BODY}\n{chrome}\n")
    assert body(document) == [BODY]


def test_seed_page_metadata_is_kept() -> None:
    document = text_document(
        "webwxgetmsgimg_副本.jpg\n【思想周刊·政声】紧扣“关键之年”做好对口支援\n"
        "2019-04-02 07:14:00  来源:中国江苏网  \n1\n听新闻\n\n" + BODY + "\n\n"
        "  (作者为江苏省政府驻西北办事处副主任 刘浩春\n\n"
        "标签:脱贫;支援;发展\n责编:孟涛 崔欣\n下一篇"
    )
    assert document.title == "【思想周刊·政声】紧扣“关键之年”做好对口支援"
    assert document.published == datetime(2019, 4, 2, 7, 14)
    assert document.source == "中国江苏网"
    assert document.author == "刘浩春"
    assert document.editors == ["孟涛", "崔欣"]
    assert document.tags == ["脱贫", "支援", "发展"]
    assert body(document) == [BODY]


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("来源：天天基金网", "source", "天天基金网"),
        ("作者：医技药剂党支部", "author", "医技药剂党支部"),
        ("采写：南都见习记者 林子沛", "author", "林子沛"),
        ("责任编辑：柴敏懿", "editors", ["柴敏懿"]),
        ("编辑：张三 李四", "editors", ["张三", "李四"]),
        ("关键词 >> 习近平", "tags", ["习近平"]),
        ("关键词：脱贫，支援", "tags", ["脱贫", "支援"]),
        ("来源: | 发布时间: 2018-05-17 | 浏览次数: 2168", "published", datetime(2018, 5, 17)),
        ("时间：2019年10月31日 23:00  浏览：", "published", datetime(2019, 10, 31, 23, 0)),
        ("最新更新：2016/03/19 10:48", "published", datetime(2016, 3, 19, 10, 48)),
        ("澎湃新闻记者 段彦超 廖艳", "author", "段彦超、廖艳"),
        ("记者陈嘉宁／桃园机场报导", "author", "陈嘉宁"),
        ("（记者 张三 李四）", "author", "张三、李四"),
        ("编辑 刘晓阳 校对 李铭", "editors", ["刘晓阳", "李铭"]),
        ("石佳/中国青年报", "author", "石佳"),
        ("石佳/中国青年报", "source", "中国青年报"),
        ("社會中心／綜合報導", "author", None),
        ("医技药剂党支部、药剂科供稿 摄影/张艳 编辑/苏芳", "editors", ["苏芳"]),
        ("执笔/叨叨姐、胡一刀&李小飞刀", "author", "叨叨姐、胡一刀、李小飞刀"),
        ("（作者为江苏省政府驻西北办事处副主任 刘浩春）", "author", "刘浩春"),
        ("责任编辑：王小明 SF142", "editors", ["王小明"]),
        ("[责任编辑:赵丽]", "editors", ["赵丽"]),
        ("作者︱春春", "author", "春春"),
        ("文章来源：某市植物保护总站", "source", "某市植物保护总站"),
        ("发布时间：2011-07-12 发布人：-大洋网-广州日报", "source", "大洋网-广州日报"),
        ("来源：深夜读书会 （微信帐号：shenyedushu）", "source", "深夜读书会"),
    ],
)
def test_metadata_lines(line: str, field: str, value: object) -> None:
    document = text_document(f"标题在这里\n{line}\n{BODY}\n")
    assert getattr(document, field) == value
    assert body(document) == [BODY]


def test_a_month_day_dateline_takes_the_year_of_the_headline() -> None:
    document = text_document(f"财经早餐2024年8月31日星期六\n08-31 06:30 Wind EnRA+A-\n{BODY}\n")
    assert document.published == datetime(2024, 8, 31, 6, 30)
    assert body(document) == [BODY]


def test_agency_under_the_headline_is_the_source() -> None:
    document = text_document(f"标题在这里\n新华社\n{BODY}\n")
    assert document.source == "新华社"
    assert body(document) == [BODY]


def test_inline_byline_is_metadata_and_the_rest_of_the_sentence_stays() -> None:
    document = text_document(
        "标题在这里\n新京报讯（记者 陆一夫）11月25日，新京报记者登录拼多多全球购页面。\n"
    )
    assert document.author == "陆一夫"
    assert document.source == "新京报"
    assert body(document) == ["新京报讯11月25日，新京报记者登录拼多多全球购页面。"]


def test_cna_dateline_gives_author_and_source() -> None:
    document = text_document(
        "標題在這裡\n（中央社記者邱俊欽桃園19日電）桃園市平鎮區一家輪胎行今天清晨發生大火。\n"
    )
    assert (document.author, document.source) == ("邱俊欽", "中央社")
    assert body(document) == ["桃園市平鎮區一家輪胎行今天清晨發生大火。"]


def test_closing_name_in_brackets_is_the_author() -> None:
    document = text_document(f"标题在这里\n{BODY}\n实现轻松换新iPhone。(李楠)\n")
    assert document.author == "李楠"
    assert body(document)[-1] == "实现轻松换新iPhone。"
    kept = text_document(f"标题在这里\n{BODY}\n7岁的小花（化名）\n")
    assert body(kept)[-1] == "7岁的小花（化名）"


def test_a_page_link_fused_onto_the_last_words_is_not_read() -> None:
    document = text_document(f"标题在这里\n{BODY}双方首发：吉林：卢伟、李涛技术统计(王鹏)\n")
    assert body(document) == [f"{BODY}双方首发：吉林：卢伟、李涛"]
    assert document.author == "王鹏"


def test_everything_after_related_news_is_page_furniture() -> None:
    document = text_document(
        f"标题在这里\n{BODY}\n相关推荐\n另一篇新闻的标题很长很长。\n责任编辑：王五\n"
    )
    assert body(document) == [BODY]
    assert document.editors == ["王五"]


def test_body_sentences_that_mention_chrome_words_stay() -> None:
    lines = [
        "会议时间：2019年9月26日，地点在北京。",
        "他说，下载APP的用户越来越多，今年已经超过一亿人，这一数字仍在增长，行业人士认为这与疫情有关，"
        "许多人第一次用手机办理业务，从此离不开了，而企业也借机推出了更多的服务，包括扫码付款、线上挂号等等，"
        "这些变化在一两年前还难以想象，如今已是日常。",
        "小刚的爷爷称，愿用自己的眼睛做实验。",
    ]
    document = text_document("标题在这里\n" + "\n".join(lines) + "\n")
    assert body(document) == lines


def test_markdown_headings_bold_lines_and_menus() -> None:
    markdown = (
        "# 标题\n\n" + BODY + "\n\n**坚定制度自信，从三方面论述**\n\n" + SECOND + "\n\n"
        "- 推荐\n- 娱乐\n- 体育\n\n## 第二部分\n\n" + THIRD + "\n"
    )
    document = parse(RawDocument(markdown, Kind.MARKDOWN, "a"))
    assert document.title == "标题"
    assert [(b.text, b.heading_level) for b in document.blocks if b.heading_level] == [
        ("坚定制度自信，从三方面论述", 3),
        ("第二部分", 2),
    ]
    assert body(document) == [BODY, SECOND, THIRD]


def test_hard_wrapped_lines_join_without_losing_latin_spaces() -> None:
    markdown = (
        "# 标题\n\n桃園市平鎮區一家輪胎行19日清晨發生大火，7人從火\n"
        "場中疏散。Apple\nWatch 也在場。\n"
    )
    document = parse(RawDocument(markdown, Kind.MARKDOWN, "a"))
    assert body(document) == [
        "桃園市平鎮區一家輪胎行19日清晨發生大火，7人從火場中疏散。Apple Watch 也在場。"
    ]


@pytest.mark.parametrize(
    ("page", "heading", "title"),
    [
        ("平鎮輪胎行惡火 疏散7人1女命喪 | 社會 | 中央社 CNA", "", "平鎮輪胎行惡火 疏散7人1女命喪"),
        ("法国全国大罢工再次严重影响交通-新华网", "", "法国全国大罢工再次严重影响交通"),
        (
            "天宫一号与神舟九号交会对接新闻发布会_中国载人航天官方网站",
            "",
            "天宫一号与神舟九号交会对接新闻发布会",
        ),
        (
            "血濺桃機 他把老婆丟下樓再跳樓 | 聯合新聞網",
            "血濺桃機 他把老婆丟下樓再跳樓",
            "血濺桃機 他把老婆丟下樓再跳樓",
        ),
        ("【资讯汇总】9月26日盘中重要资讯汇总", "", "【资讯汇总】9月26日盘中重要资讯汇总"),
    ],
)
def test_page_titles_lose_the_site_name(page: str, heading: str, title: str) -> None:
    assert page_title(page, heading) == title


def test_a_page_of_only_chrome_is_an_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        text_document("听新闻\n下一篇\n责编:孟涛\n")


HTML = """<html><head><title>女童眼睛被塞几十片纸_凤凰网</title>
<meta name="keywords" content="小花,纸片,基金决策宝"></head><body>
<div class="nav"><a href="/">首页</a></div>
<article><h1>女童眼睛被塞几十片纸</h1>
<p>7岁小花（化名）“眼睛被塞纸”事件，仍有许多疑问。11月22日，河南许昌禹州市官方人士向记者表示，调查组仍在紧锣密鼓工作中。</p>
<p><img src="a.jpg"></p><p>小花家。</p>
<p>禹州市教体局曾通报称，学生小刚（化名）向小花眼睛里塞了纸片。面对记者，小刚家说，据小刚讲是拿纸往小花眼睛上“蹭了蹭”。</p>
<p><img src="b.jpg"></p><p>小刚的爷爷称，愿用自己的眼睛做实验。</p>
<p>学生小丽（化名）称，事发当天，她看到老师帮小花“弄眼睛”，她到讲台交作业时，看到讲桌上放着一些小纸片。</p>
</article>
<div class="detail-comment"><p>网友甲：这事太离奇了，必须查清楚，给孩子一个交代。</p></div>
</body></html>"""


def test_html_page_body_metadata_captions_and_comments() -> None:
    document = parse(RawDocument(HTML, Kind.HTML, "page"))
    assert document.title == "女童眼睛被塞几十片纸"
    assert document.tags == ["小花", "纸片"]  # the site-wide SEO word is not in the story
    texts = body(document)
    assert texts[0].startswith("7岁小花")
    assert "小花家。" not in texts  # a photo caption
    assert "小刚的爷爷称，愿用自己的眼睛做实验。" in texts  # could be the story: kept
    assert not any("网友甲" in text for text in texts)
    assert texts[-1].startswith("学生小丽")


def test_a_page_that_closes_html_early_and_defeats_the_extractor() -> None:
    # gov.cn's 国务院公报 pages: a header include ends with </html>, and the
    # only story text is one <p> after it.
    page = (
        "<html><head><title>关于批准发行特别国债的决议_中国政府网</title></head><body>"
        "<ul><li><a href='/'>首页</a></li><li>简</li><li>繁</li><li>EN</li></ul></html>"
        "<div class='content'><p>（2007年6月29日第十届全国人大常委会第二十八次会议通过）</p>"
        "<p>第十届全国人民代表大会常务委员会第二十八次会议，听取了财政部部长代表国务院所作的说明，"
        "决定批准财政部发行特别国债，购买外汇，作为组建国家外汇投资公司的资本金来源。</p>"
        "</div></body></html>"
    )
    document = parse(RawDocument(page, Kind.HTML, "gov"))
    assert document.title == "关于批准发行特别国债的决议"
    assert body(document)[-1].startswith("第十届全国人民代表大会常务委员会第二十八次会议")


def test_dateline_with_source_and_author_run_together() -> None:
    document = text_document(f"标题在这里\n2019-09-26 12:11来源：证券时报网作者：李在山\n{BODY}\n")
    assert (document.source, document.author) == ("证券时报网", "李在山")
    assert document.published == datetime(2019, 9, 26, 12, 11)


def test_bracketed_desk_byline_in_front_of_the_story_is_not_read() -> None:
    document = text_document(
        "標題在這裡\n〔即時新聞／綜合報導〕2008年，台北市萬華區發生父親殺子的人倫悲劇。\n"
    )
    assert body(document) == ["2008年，台北市萬華區發生父親殺子的人倫悲劇。"]


def test_a_heading_repeating_the_front_matter_title_is_read_once():
    markdown = (
        "---\ntitle: 上海发布经济数据\n---\n\n# 上海发布经济数据\n\n全年生产总值增长百分之五。\n"
    )
    document = parse(RawDocument(markdown, Kind.MARKDOWN, "a"))
    assert document.title == "上海发布经济数据"
    assert [block.text for block in document.blocks] == ["全年生产总值增长百分之五。"]


def markdown_document(text: str) -> Document:
    return parse(RawDocument(text, Kind.MARKDOWN, "20231018"))


@pytest.mark.parametrize(
    ("front", "published"),
    [
        (
            "\n---\ntitle: '国足补时绝杀越南'\ncategories: \n - 新媒体\n - 头条\nauthor: 观察者网\n"
            "date: Mon, 18 Oct 2021 04:55:24 GMT\n---\n",
            datetime(2021, 10, 18, 4, 55, 24, tzinfo=timezone.utc),
        ),
        (
            '---\ndate: 2020-05-01T04:46:37.557789+00:00\ntitle: "国足补时绝杀越南"\n'
            'author: "观察者网"\ntags: [新媒体,头条]\n---\n',
            datetime(2020, 5, 1, 4, 46, 37, 557789, tzinfo=timezone.utc),
        ),
        (
            '+++\ntitle = "国足补时绝杀越南"\nauthor = "观察者网"\ndate = "2021-10-18 12:30"\n'
            'tags = ["新媒体", "头条"]\n+++\n',
            datetime(2021, 10, 18, 12, 30),
        ),
    ],
)
def test_front_matter_is_metadata_and_never_read(front: str, published: datetime) -> None:
    document = markdown_document(front + "\n" + BODY + "\n")
    assert document.title == "国足补时绝杀越南"
    assert document.author == "观察者网"
    assert document.published == published
    assert document.tags[:2] == ["新媒体", "头条"]
    assert body(document) == [BODY]


def test_a_markdown_body_written_in_html_keeps_its_paragraphs_and_subheadings() -> None:
    markdown = (
        "---\ntitle: 标题\n---\n\n<div>\n<p>\n" + BODY + "\n</p>\n"
        '<p class="x"><font class="strong-Bold">“券茅”上半年净利大增37%</font></p>\n'
        "<p>" + SECOND + "<br>" + THIRD + "</p>\n<h3><strong>新的篇章</strong></h3>\n"
        "<p>" + FOURTH + '</p>\n{% include imgdesc.html url="a.jpg" %}\n</div>\n'
    )
    document = markdown_document(markdown)
    assert [(b.text, b.heading_level) for b in document.blocks] == [
        (BODY, 0),
        ("“券茅”上半年净利大增37%", 3),
        (SECOND, 0),
        (THIRD, 0),
        ("新的篇章", 3),
        (FOURTH, 0),
    ]


def test_markdown_tables_setext_headings_and_blockquote_fields() -> None:
    markdown = (
        "> 来源：特稿痴迷者\n>\n> 2014年4月29日 上午 11:59\n\n" + BODY + "\n\n"
        "第一部分\n--------\n\n| 指数 | 收盘 |\n|---|---|\n| 沪指 | 2929.09点 |\n\n" + SECOND + "\n"
    )
    document = markdown_document(markdown)
    assert document.source == "特稿痴迷者"
    assert document.published == datetime(2014, 4, 29, 11, 59)
    assert [(b.text, b.heading_level) for b in document.blocks] == [
        (BODY, 0),
        ("第一部分", 2),
        ("指数，收盘", 0),
        ("沪指，2929.09点", 0),
        (SECOND, 0),
    ]


def test_menus_toolbars_and_split_fields_are_dropped_and_listed() -> None:
    menu = "\n".join(["主站", "分类", "云安全", "AI安全", "开发安全"])
    text = (
        "下载\n全屏\n【字号：加大 还原 减小】\n政府工作报告\n来源:\n西藏日报\n"
        + menu
        + "\n"
        + BODY
        + "\n扫一扫在手机打开当前页\n【阅读原文】\n"
        + "e9d1f0b2c3a4d5e6f7a8b9c0d1e2f3a4\n"
    )
    document = text_document(text)
    assert document.title == "政府工作报告"
    assert document.source == "西藏日报"
    assert body(document) == [BODY]
    for dropped in ("下载", "全屏", "主站", "云安全", "【阅读原文】", "来源:西藏日报"):
        assert dropped in document.dropped


def test_a_document_without_a_title_starts_with_its_first_sentence_read_once() -> None:
    document = text_document(BODY + SECOND)
    assert not document.titled
    assert document.title == BODY
    assert body(document) == [BODY + SECOND]


def test_a_headline_fused_with_its_story_is_split_from_it() -> None:
    document = text_document("湖人消息比赢球开心10倍 小拜膝伤无碍季后赛复出新浪体育讯" + BODY)
    assert (document.title, document.source) == (
        "湖人消息比赢球开心10倍 小拜膝伤无碍季后赛复出",
        "新浪体育",
    )
    assert body(document) == ["新浪体育讯" + BODY]


def test_a_json_article_record_is_read_by_the_meaning_of_its_keys() -> None:
    record = {
        "website": "自由時報",
        "url": "http://sports.ltn.com.tw/news/paper/1114549",
        "date": "2017-06-29",
        "content": "〔記者林岳甫／台北報導〕" + BODY + "\r\n" + SECOND,
        "title": "周天成連莊路 差點毀在不專注字級：",
        "category": "體育",
    }
    document = parse(RawDocument(json.dumps(record, ensure_ascii=False), Kind.JSON, "21"))
    assert document.title == "周天成連莊路 差點毀在不專注"
    assert (document.source, document.author) == ("自由時報", "林岳甫")
    assert document.published == datetime(2017, 6, 29)
    assert document.url == record["url"]
    assert document.tags == ["體育"]
    assert body(document) == [BODY, SECOND]


def test_json_without_an_article_is_an_error() -> None:
    with pytest.raises(InputError, match="no article"):
        parse(RawDocument('{"items": [1, 2]}', Kind.JSON, "x"))


def test_a_record_scraped_as_one_line_keeps_its_paragraphs_and_loses_glued_promos() -> None:
    story = [BODY + SECOND, THIRD + FOURTH, BODY + THIRD]
    content = " ".join(story) + "(王小明/台北報導) 新聞送上來！ 下載APP加LINE好友"
    record = {"title": "一則新聞的標題", "content": content}
    document = parse(RawDocument(json.dumps(record, ensure_ascii=False), Kind.JSON, "x"))
    assert body(document) == story
    assert document.author == "王小明"


def test_a_page_titled_only_by_its_site_takes_the_element_marked_as_title() -> None:
    page = (
        "<html><head><title>最新资讯</title></head><body>"
        '<div><p class="title">七月份蔬菜病虫发生预报</p>'
        f"<p>{BODY}</p><p>{SECOND}</p><p>{THIRD}</p></div></body></html>"
    )
    document = parse(RawDocument(page, Kind.HTML, "page"))
    assert document.title == "七月份蔬菜病虫发生预报"
    assert body(document)[0] == BODY
