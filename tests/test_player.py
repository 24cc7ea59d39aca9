"""The 听新闻 player in a real browser: Debian's headless Chromium driven by Playwright
against `briefing serve`, with an axe-core accessibility scan.

Deselect with ``-m 'not browser'``. Needs /usr/bin/chromium (`.ci/install-browser`);
skipped without it on a developer machine, a failure in CI. Also writes the README's
screenshot, docs/player.png.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from publish_helpers import FIXTURE_STEM, add_briefing, read_metadata, serving

from briefing.publish import PublishConfig, publish
from briefing.publish.site import embed_snippet

CHROMIUM = Path("/usr/bin/chromium")
# The flags this machine's notes give for Chromium: no sandbox as root, and no
# background connections to a network that refuses them.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOT = Path(__file__).parent.parent / "docs" / "player.png"
PAGE = f"/episodes/{FIXTURE_STEM}.html"
# a second, older episode: the index lists it after the fixture (newest first)
OLDER_STEM = "older-briefing"
OLDER_TITLE = "前一天的新闻"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    add_briefing(folder, FIXTURE_STEM)
    add_briefing(folder, OLDER_STEM, title=OLDER_TITLE, published="2019-04-01T07:14:00+08:00")
    publish(PublishConfig(folder, base_url="http://127.0.0.1", title="江苏·听新闻"))
    return folder


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as (_, url):
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):  # CI must not pass by skipping: .ci/run installs it
            pytest.fail("no /usr/bin/chromium: .ci/run must call .ci/install-browser")
        pytest.skip("no /usr/bin/chromium; run .ci/install-browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 820, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors


def _chapters(site: Path) -> list[dict[str, Any]]:
    return read_metadata(site / f"{FIXTURE_STEM}.briefing.json")["chapters"]  # type: ignore[no-any-return]


def _tab_to(page: Any, selector: str, limit: int = 30) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _current_time(page: Any) -> float:
    return float(page.evaluate("document.querySelector('.player-audio').currentTime"))


def test_keyboard_play_chapter_seek_and_transcript_highlight(
    page: Any, base_url: str, site: Path
) -> None:
    page.goto(base_url + PAGE)
    page.wait_for_selector(".player-controls:not([hidden])")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"

    page.wait_for_timeout(500)
    assert page.evaluate("document.querySelector('.player-audio').paused")  # 1.4.2: no autoplay
    _tab_to(page, ".player-play")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")  # 2.4.7: the focus is visible
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => { const a = document.querySelector('.player-audio');"
        " return !a.paused && a.currentTime > 0; }"
    )
    assert page.text_content(".player-play-label") == "暂停"

    third = _chapters(site)[2]
    _tab_to(page, "li:nth-child(3) > .chapter")
    page.keyboard.press("Enter")
    start_s = third["start_ms"] / 1000
    assert start_s - 0.05 <= _current_time(page) < start_s + 1.0

    # the chapter is marked current and the highlight follows into its first sentence
    page.wait_for_function(
        "(start) => { const c = document.querySelector('.cue.is-current');"
        " return c && Number(c.dataset.startMs) >= start; }",
        arg=third["start_ms"],
    )
    assert page.get_attribute("li:nth-child(3) > .chapter", "aria-current") == "true"
    assert page.locator(".chapter[aria-current]").count() == 1
    highlighted = page.text_content(".cue.is-current")
    vtt = (site / f"{FIXTURE_STEM}.vtt").read_text("utf-8")
    assert highlighted and highlighted in vtt
    page.wait_for_timeout(700)  # let the spoken status message land
    assert "第3章" in (page.text_content(".player-status") or "")

    # The README's screenshot, taken paused at a fixed time so that it only changes
    # (and dirties the work tree) when the page itself does.
    page.keyboard.press("k")
    page.wait_for_function("document.querySelector('.player-audio').paused")
    page.evaluate(
        "(s) => new Promise((done) => { const a = document.querySelector('.player-audio');"
        " a.addEventListener('seeked', done, { once: true }); a.currentTime = s; })",
        start_s + 0.5,
    )
    page.evaluate("document.activeElement.blur()")
    page.wait_for_timeout(300)  # the highlight's fade
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True, animations="disabled")


def test_slider_speed_and_skip_from_the_keyboard(page: Any, base_url: str) -> None:
    page.goto(base_url + PAGE)
    page.wait_for_selector(".player-controls:not([hidden])")
    _tab_to(page, ".player-slider")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.player-audio').currentTime >= 2")
    valuetext = page.get_attribute(".player-slider", "aria-valuetext")
    assert valuetext is not None and valuetext.startswith("2秒，共")
    page.keyboard.press("End")
    assert _current_time(page) > 8

    _tab_to(page, ".player-speed")
    page.select_option(".player-speed", "1.5")
    assert page.evaluate("document.querySelector('.player-audio').playbackRate") == 1.5

    page.focus(".player-back")
    page.keyboard.press("Enter")
    assert _current_time(page) == 0


def test_shortcuts_work_only_with_focus_in_the_player(page: Any, base_url: str) -> None:
    page.goto(base_url + PAGE)
    page.wait_for_selector(".player-controls:not([hidden])")
    page.evaluate("document.activeElement.blur()")  # focus on the page, not the player
    page.keyboard.press("k")
    page.wait_for_timeout(200)
    assert page.evaluate("document.querySelector('.player-audio').paused")
    page.focus(".player-forward")
    page.keyboard.press("k")
    page.wait_for_function("!document.querySelector('.player-audio').paused")
    page.keyboard.press("k")
    page.wait_for_function("document.querySelector('.player-audio').paused")


def test_without_javascript_the_browsers_own_controls_remain(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + PAGE)
        assert page.is_visible("audio.player-audio[controls]")
        assert page.is_hidden(".player-controls")
        assert page.locator(".cue").count() == 6  # the transcript is there as text
        page.goto(base_url + "/index.html")  # each episode plays; no switch that cannot work
        assert page.locator("audio.episode-audio[controls]").count() == 2
        assert page.is_hidden(".continuous-play")
    finally:
        context.close()


def test_transcript_click_seeks(page: Any, base_url: str, site: Path) -> None:
    page.goto(base_url + PAGE)
    page.wait_for_selector(".player-controls:not([hidden])")
    page.click(".cue >> nth=4")
    start = page.get_attribute(".cue >> nth=4", "data-start-ms")
    assert start is not None
    assert abs(_current_time(page) - int(start) / 1000) < 0.05
    assert page.get_attribute(".cue >> nth=4", "class") == "cue is-seekable is-current"


def test_transcript_sentences_by_keyboard(page: Any, base_url: str) -> None:
    page.goto(base_url + PAGE)
    page.wait_for_selector(".player-controls:not([hidden])")
    # one tab stop for the whole transcript: Tab lands on a sentence, then leaves it
    _tab_to(page, ".cue")
    assert page.evaluate("document.activeElement.dataset.startMs") == "0"
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    fourth = page.evaluate("document.activeElement.dataset.startMs")
    assert page.evaluate("document.activeElement.textContent") == "增强责任感。"
    page.keyboard.press("Enter")
    assert abs(_current_time(page) - int(fourth) / 1000) < 0.05
    assert page.get_attribute(".cue >> nth=3", "class") == "cue is-seekable is-current"
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.matches('.cue')")
    assert page.locator(".cue[tabindex='0']").count() == 1


def test_the_ai_label_is_visible_and_read_by_screen_readers(page: Any, base_url: str) -> None:
    for path in (PAGE, "/index.html", f"/episodes/{FIXTURE_STEM}.embed.html"):
        page.goto(base_url + path)
        label = page.locator(".ai-label").first
        assert label.is_visible()
        assert label.inner_text() == "AI 合成"
        box = label.bounding_box()
        assert box is not None and box["height"] >= 12  # seen, not shrunk away


def test_the_embed_snippet_opens_the_player(page: Any, base_url: str, site: Path) -> None:
    from briefing.publish.episodes import Channel

    channel = Channel("听新闻", "", "", base_url, "guid", "cover.png")
    episode = publish(PublishConfig(site)).episodes[0]
    host = site / "host.html"
    host.write_text(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>新闻</title>'
        "</head><body><main><h1>一篇新闻</h1>"
        + embed_snippet(channel, episode)
        + "<p>正文。</p></main></body></html>",
        encoding="utf-8",
    )
    page.goto(base_url + "/host.html")
    button = page.locator("button.briefing-embed-button")
    button.wait_for()
    assert button.get_attribute("aria-expanded") == "false"
    _tab_to(page, "button.briefing-embed-button")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    frame = page.frame_locator("iframe.briefing-embed-frame")
    frame.locator(".player-play").wait_for()
    assert page.get_attribute("iframe.briefing-embed-frame", "title", timeout=5000) == (
        f"听新闻：{episode.title}"
    )
    page.keyboard.press("Enter")  # close again
    assert button.get_attribute("aria-expanded") == "false"
    assert page.is_hidden("iframe.briefing-embed-frame")


@pytest.mark.parametrize("path", [PAGE, f"/episodes/{FIXTURE_STEM}.embed.html", "/index.html"])
def test_axe_finds_no_serious_or_critical_violation(page: Any, base_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(base_url + path)
    page.wait_for_load_state("load")
    if path != "/index.html":
        page.wait_for_selector(".player-controls:not([hidden])")
    results = Axe().run(page)
    violations = results.response["violations"]
    summary = [f"{v['impact']}: {v['id']} ({len(v['nodes'])})" for v in violations]
    print(f"axe on {path}: {summary or 'no violations'}")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}" for v in serious
    )


# Records the handlers the page gives the Media Session, as a lock screen would see them.
RECORD_MEDIA_ACTIONS = """
window.mediaActions = {};
const setActionHandler = navigator.mediaSession.setActionHandler.bind(navigator.mediaSession);
navigator.mediaSession.setActionHandler = (action, handler) => {
  window.mediaActions[action] = handler;
  setActionHandler(action, handler);
};
"""


def test_lock_screen_and_headset_controls_through_the_media_session(
    page: Any, base_url: str, site: Path
) -> None:
    page.add_init_script(RECORD_MEDIA_ACTIONS)
    page.goto(base_url + PAGE)
    page.wait_for_selector(".player-controls:not([hidden])")
    record = read_metadata(site / f"{FIXTURE_STEM}.briefing.json")
    metadata = page.evaluate(
        "() => { const m = navigator.mediaSession.metadata;"
        " return { title: m.title, artist: m.artist, album: m.album,"
        " artwork: m.artwork.map((a) => a.src) }; }"
    )
    assert metadata["title"] == record["title"]
    assert metadata["artist"] == record["source"]
    assert metadata["album"] == "江苏·听新闻"
    assert len(metadata["artwork"]) == 1 and metadata["artwork"][0].startswith(base_url)
    actions = page.evaluate("Object.keys(mediaActions).filter((a) => mediaActions[a])")
    assert set(actions) >= {
        "play", "pause", "seekbackward", "seekforward", "seekto", "previoustrack", "nexttrack"
    }  # fmt: skip

    def act(action: str, details: str = "{}") -> None:
        page.evaluate(f"window.mediaActions[{action!r}]({{action: {action!r}, ...{details}}})")

    act("play")
    page.wait_for_function("!document.querySelector('.player-audio').paused")
    assert page.evaluate("navigator.mediaSession.playbackState") == "playing"
    act("pause")
    page.wait_for_function("document.querySelector('.player-audio').paused")
    assert page.evaluate("navigator.mediaSession.playbackState") == "paused"

    starts = [chapter["start_ms"] / 1000 for chapter in _chapters(site)]
    assert len(starts) >= 3

    def near(seconds: float) -> bool:
        return abs(_current_time(page) - seconds) < 0.1

    act("nexttrack")
    assert near(starts[1])
    act("nexttrack")
    assert near(starts[2])
    assert page.get_attribute("li:nth-child(3) > .chapter", "aria-current") == "true"
    act("previoustrack")  # just after a chapter's start: the one before
    assert near(starts[1])
    act("seekto", f"{{seekTime: {starts[2] + 3.1}}}")
    act("previoustrack")  # more than 3 s into a chapter: back to its own start
    assert near(starts[2])
    act("seekforward", "{seekOffset: 1}")
    assert near(starts[2] + 1)
    act("seekbackward", "{seekOffset: 1}")
    assert near(starts[2])
    act("seekbackward")  # no offset given: the player's own 15 s (the fixture is 9.5 s)
    assert near(0)
    act("seekforward")
    assert near(record["duration_ms"] / 1000)
    for _ in starts:  # from the last chapter, "next" stays put
        act("nexttrack")
    assert near(record["duration_ms"] / 1000)


def test_the_audio_can_be_downloaded(page: Any, base_url: str, site: Path) -> None:
    page.goto(base_url + PAGE)
    link = page.locator("a[download]", has_text="MP3")
    assert link.count() == 1
    response = page.request.get(base_url + "/episodes/" + (link.get_attribute("href") or ""))
    assert response.ok and response.headers["content-type"] == "audio/mpeg"
    assert response.body() == (site / f"{FIXTURE_STEM}.mp3").read_bytes()


def test_the_controls_stay_in_view_while_the_transcript_is_read(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 400, "height": 600}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(base_url + PAGE)
        page.wait_for_selector(".player-controls:not([hidden])")
        # as long as a real article's transcript: a screen of text after the first sentence
        page.evaluate(
            "document.querySelector('.cue').insertAdjacentHTML("
            "'afterend', '<span style=\"display: block; height: 2000px\"></span>')"
        )
        last_cue = page.locator(".cue").last
        _tab_to(page, ".player-play")
        _tab_to(page, ".cue[tabindex='0']")
        page.keyboard.press("End")  # to the last sentence, far down the page
        last_is_focused = "document.activeElement === [...document.querySelectorAll('.cue')].pop()"
        assert page.evaluate(last_is_focused)
        assert page.evaluate("window.scrollY") > 0, "the page did not need to scroll"
        controls = page.locator(".player-controls").bounding_box()
        focused = last_cue.bounding_box()
        assert controls is not None and focused is not None
        assert controls["y"] == 0  # the controls stuck at the top of the viewport
        assert focused["y"] >= controls["y"] + controls["height"], "the focus is hidden under them"
        assert focused["y"] + focused["height"] <= 600
        page.keyboard.press("Home")  # back up to the first: scrolled in at the top
        first = page.locator(".cue").first.bounding_box()
        controls = page.locator(".player-controls").bounding_box()
        assert first is not None and controls is not None
        assert first["y"] >= controls["y"] + controls["height"], "the focus is hidden under them"
        # a link into the page lands below the controls too, not beneath them
        page.keyboard.press("End")
        page.evaluate("location.hash = '#transcript-heading'")
        heading = page.locator("#transcript-heading").bounding_box()
        assert heading is not None
        assert heading["y"] >= controls["y"] + controls["height"], "the target is under them"
    finally:
        context.close()


PLAY_NEAR_THE_END = """async (index) => {
  const audio = document.querySelectorAll('.episode-audio')[index];
  await audio.play();
  audio.currentTime = audio.duration - 0.3;
}"""
PLAYING = "(i) => { const a = document.querySelectorAll('.episode-audio')[i]; return !a.paused; }"


def test_continuous_play_on_the_index_goes_on_to_the_next_older_episode(
    page: Any, base_url: str
) -> None:
    page.goto(base_url + "/index.html")
    switch = page.get_by_role("checkbox", name="连续播放")
    switch.wait_for()
    assert not switch.is_checked()  # opt-in
    sources = page.eval_on_selector_all(".episode-audio", "(all) => all.map((a) => a.src)")
    assert [Path(src).name for src in sources] == [f"{FIXTURE_STEM}.mp3", f"{OLDER_STEM}.mp3"]

    # off: the newest episode ends and nothing else starts
    page.evaluate(PLAY_NEAR_THE_END, 0)
    page.wait_for_function("document.querySelectorAll('.episode-audio')[0].ended")
    page.wait_for_timeout(300)
    assert not page.evaluate(PLAYING, 1)

    _tab_to(page, ".continuous-play-switch")
    page.keyboard.press("Space")
    assert switch.is_checked()
    page.evaluate(PLAY_NEAR_THE_END, 0)
    page.wait_for_function(PLAYING, arg=1)
    assert page.evaluate("document.querySelectorAll('.episode-audio')[1].currentSrc") == sources[1]
    assert page.evaluate("navigator.mediaSession.metadata.title") == OLDER_TITLE
    page.wait_for_function(
        "(title) => document.querySelector('.continuous-play-status').textContent.includes(title)",
        arg=OLDER_TITLE,
    )

    page.reload()
    switch.wait_for()
    assert switch.is_checked()  # remembered across visits
    _tab_to(page, ".continuous-play-switch")  # off again, and that is remembered too
    page.keyboard.press("Space")
    page.reload()
    switch.wait_for()
    assert not switch.is_checked()
