"""Real Chinese articles, as their publishers put them on the web, read the
way a person would expect: the chapters they would name, the metadata the
page shows, no page chrome read aloud, and no sentence of the story lost.

Pages saved from the web are data from public repositories, which may only
live in the steering repo's shared/ folder, beside this clone (as in CI), or in
BRIEFING_ARTICLES_DIR: tests/data/ARTICLES.md lists them and where each came
from. A page that is not there is skipped, saying so (in CI, CI=true, it fails);
the seed is in examples/.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from article_expectations import (
    Expected,
    articles_dir,
    check_chapters,
    check_metadata,
    check_no_chrome,
    check_spoken_chunks,
    check_story,
    require_page,
)

from briefing.article import Article
from briefing.pipeline import read_article

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = articles_dir("BRIEFING_ARTICLES_DIR", ROOT.parent / "shared" / "articles")
CHUNK_CHARS = 120


CASES = [
    Expected(
        ROOT / "examples" / "jiangsu-duikou-zhiyuan.txt",
        title="【思想周刊·政声】紧扣“关键之年”做好对口支援",
        chapters=[
            "紧扣“关键之年”做好对口支援",
            "提高政治站位，进一步增强使命感责任感紧迫感",
            "咬紧目标任务，以硬措施完成硬任务确保硬成效",
            "拓宽协作空间，走好东西双向互济携手共进新路子",
        ],
        source="中国江苏网",
        published=datetime(2019, 4, 2, 7, 14),
        author="刘浩春",
        editors=["孟涛", "崔欣"],
        tags=["脱贫", "支援", "发展", "合作", "帮扶", "对口", "江苏", "社会", "持续", "产业"],
        opening="贯彻落实全国两会精神大家谈",
        closing="共同攻坚克难。",
        inside=["我省648所学校分别与陕西422所"],
        chrome=["webwxgetmsgimg", "听新闻", "下一篇", "标签", "责编", "作者为"],
    ),
    Expected(
        ARTICLES / "thepaper-xinhua-qiushi.html",
        title="新年伊始，习近平的重要文章谈了啥？",
        chapters=[
            "新年伊始，习近平的重要文章谈了啥",
            "坚定中国特色社会主义制度自信，从三方面论述",
            "贯彻落实十九届四中全会精神，抓好3件事",
        ],
        source="新华社",
        published=datetime(2020, 1, 3, 18, 13),
        editors=["柴敏懿"],
        tags=["习近平"],
        opening="【编前语】2020年1月1日出版的《求是》杂志",
        closing="要加强对全会精神贯彻落实情况的监督检查。",
        inside=["第三，严格遵守和执行制度。", "一是经济快速发展奇迹。"],
        chrome=["字号", "原题为", "本文来自澎湃新闻", "责任编辑", "报料", "关键词", "相关推荐"],
    ),
    Expected(
        ARTICLES / "eastmoney-market-digest.html",
        title="【资讯汇总】9月26日盘中重要资讯汇总 准确把握市场走向",
        chapters=[
            "9月26日盘中重要资讯汇总 准确把握市场走向",
            "收盘播报",
            "国内资讯",
            "国际资讯",
            "基金动向",
            "债券动向",
        ],
        source="天天基金网",
        published=datetime(2019, 9, 26, 15, 10),
        opening="收盘播报",
        closing="债券资金使用情况是良好的。",
        inside=["其中沪指收盘下跌0.89%，收报2929.09点", "新增地方政府债券28951亿元"],
        chrome=["本周热门", "来源：天天基金网"],
    ),
    Expected(
        ARTICLES / "sina-iphone11.html",
        title="苹果发布新iPhone 11：64GB售5499元 256GB售6799元",
        chapters=["苹果发布新iPhone 11"],
        source="新浪科技",
        published=datetime(2019, 9, 11, 1, 53),
        author="李楠",
        tags=["苹果", "新品", "新iPhone"],
        opening="新浪科技讯 北京时间9月11日凌晨消息",
        closing="实现轻松换新iPhone。",
        inside=["售价699美元（约合人民币4971元）", "64GB售5499元，128GB售5999元，256GB售6799元"],
        chrome=["相关新闻", "二维码", "已收藏", "知道了", "我的收藏", "(李楠)"],
    ),
    Expected(
        ARTICLES / "udn-taoyuan-airport.html",
        title="血濺桃機 他把老婆丟下樓再跳樓",
        chapters=[
            "血濺桃機 他把老婆丟下樓再跳樓",
            "樓梯吵架 抱起妻往下拋",
            "她墜十公尺 落在護網上",
            "老公摔她身上 妻重傷",
            "陸裔美籍凶嫌：川普會救我",
        ],
        source="聯合新聞網",
        published=datetime(2019, 3, 18, 23, 59),
        author="陳嘉寧",
        opening="萬姓男子昨天凌晨準備搭機飛往美國前",
        closing="昨天下午確定傷勢無礙押回調查。",
        inside=["卅二歲萬姓男子為陸裔美籍"],
        chrome=["留言", "聯合新聞網"],
    ),
    Expected(
        ARTICLES / "cna-pingzhen-fire.html",
        title="平鎮輪胎行惡火 疏散7人1女命喪",
        chapters=["平鎮輪胎行惡火 疏散7人1女命喪"],
        source="中央社",
        published=datetime(2016, 3, 19, 10, 48),
        author="邱俊欽",
        opening="桃園市平鎮區一家輪胎行今天清晨發生大火",
        closing="命喪火窟。",
        chrome=[
            "消防局提供",
            "傳真",
            "中央社記者",
            "已過查詢時效",
            "隱私",
            "browser",
            "フォーカス",
            "Español",
            "最新更新",
        ],
    ),
    Expected(
        ARTICLES / "ifeng-yuzhou-nvtong.html",
        title="女童眼睛被塞几十片纸，“无法用科学解释”",
        chapters=[
            "女童眼睛被塞几十片纸，“无法用科学解释”",
            "“塞纸”疑云",
            "“无法用科学解释”",
            "“爱打人”的调皮男孩",
        ],
        source="澎湃新闻",
        published=datetime(2019, 11, 25, 16, 4, 30),
        author="段彦超、廖艳",
        tags=["小花", "小刚", "纸片"],
        opening="7岁小花（化名）“眼睛被塞纸”事件，仍有许多疑问。",
        closing="此外，学校还多次组织观看了校园欺凌教育片。",
        inside=[
            "小刚的爷爷称，愿用自己的眼睛做实验。",
            "“往我眼里塞，就塞三十片，看塞进去是啥情况。”",
        ],
        chrome=[
            "小花母亲供图",
            "小花家。",
            "大涧学校。",
            "检查单。",
            "均为澎湃新闻记者段彦超 图",
            "亦有贡献",
            "人参与",
            "评论",
        ],
    ),
    Expected(
        ARTICLES / "toutiao-hailuogou.html",
        title="海螺沟寻子一个月：儿子消失在眼前十几米，搜寻无果母亲不舍离去",
        chapters=[
            "海螺沟寻子一个月：儿子消失在眼前十几米",
            "河流、丛林、野兽与冰川",
            "安慰与质疑",
            "冰洞搜索",
            "一线生机",
            "开学和期待",
        ],
        source=None,
        published=datetime(2019, 9, 9, 16, 1, 46),
        author="林子沛",
        opening="8岁儿子在四川海螺沟景区失联的第32天",
        closing="是我的孩子，他一定会回来的。”",
        chrome=["海螺沟我也去过", "小温。", "搜救现场。", "冰洞。", "小温在景区内的身影。", "采写"],
    ),
    Expected(
        ARTICLES / "thepaper-liuyedao.html",
        title="柳叶刀：味觉嗅觉丧失是新冠感染最强预测指标，优于发烧咳嗽",
        chapters=[
            "柳叶刀：味觉嗅觉丧失是新冠感染最强预测指标",
            "研究者还对76260使用“COVID症状研究”…",
        ],
        source="澎湃新闻",
        published=datetime(2020, 6, 6, 10, 8),
        author="贺梨萍",
        tags=["新型冠状病毒", "新冠病毒", "味觉嗅觉丧失", "预测指标"],
        opening="此前，发烧、咳嗽被认为是新冠病毒感染的最主要症状。",
        closing="因此加入新的症状，对疾控至关重要。",
        chrome=["本文来自澎湃新闻", "字号", "关键词", "相关推荐", "评论(15)", "首页"],
    ),
    Expected(
        ARTICLES / "sxmu-jianchafa.html",
        title="中华人民共和国监察法",
        chapters=[
            "中华人民共和国监察法",
            "第一章总则",
            "第二章 监察机关及其职责",
            "第三章 监察范围和管辖",
            "第四章 监察权限",
            "第五章 监察程序",
            "第六章 反腐败国际合作",
            "第七章 对监察机关和监察人员的监督",
            "第八章 法律责任",
            "第九章附则",
        ],
        source=None,
        published=datetime(2018, 5, 17),
        opening="《中华人民共和国监察法》是为了推进全面依法治国",
        closing="《中华人民共和国行政监察法》同时废止。",
        inside=["（一）对公职人员开展廉政教育", "第六十九条 本法自公布之日起施行。"],
        chrome=["纪检监察室", "版权所有", "邮编", "添加收藏夹", "浏览次数", "■"],
    ),
]


@pytest.fixture(scope="module", params=CASES, ids=lambda case: case.path.stem)
def case(request: pytest.FixtureRequest) -> tuple[Expected, Article]:
    expected: Expected = request.param
    require_page(expected.path, "see tests/data/ARTICLES.md")
    return expected, read_article(str(expected.path), CHUNK_CHARS)


def test_metadata(case: tuple[Expected, Article]) -> None:
    check_metadata(*case)


def test_chapters(case: tuple[Expected, Article]) -> None:
    check_chapters(*case)


def test_the_story_is_read_whole_from_the_headline_on(case: tuple[Expected, Article]) -> None:
    check_story(*case)


def test_no_page_chrome_is_read(case: tuple[Expected, Article]) -> None:
    check_no_chrome(*case)


def test_chunks_fit_and_are_spoken_in_simplified_mandarin(case: tuple[Expected, Article]) -> None:
    check_spoken_chunks(case[1], CHUNK_CHARS)
