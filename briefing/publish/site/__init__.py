"""The static site: an index of episodes, a page per briefing with the player, and its embed.

Templates are jinja2 with autoescaping on for every one of them: whatever came
from an article (a title holding ``<script>``) is text. Pages link to the audio
and sidecars relatively (``../NAME.mp3``), so the site also works from another
host or a plain folder; the embed snippet, meant for someone else's page, uses
absolute URLs under the channel's base URL.
"""

from __future__ import annotations

import functools
from datetime import datetime
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from briefing import ai_label
from briefing.article import clock
from briefing.files import write_atomic
from briefing.publish.episodes import Channel, Episode

ASSETS = ("player.css", "player.js", "embed.js")
SPEEDS = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)


def build_site(channel: Channel, episodes: list[Episode], folder: Path) -> list[str]:
    """Write index, episode pages and assets into ``folder``; return the names written."""
    written = []
    static = resources.files(__package__) / "static"
    for name in ASSETS:
        write_atomic(folder / "assets" / name, (static / name).read_bytes())
        written.append(f"assets/{name}")
    env = _environment()
    pages = {
        "index.html": env.get_template("index.html").render(
            channel=channel, episodes=episodes, root=".", **_helpers()
        )
    }
    for episode in episodes:
        common = dict(
            channel=channel,
            episode=episode,
            root="..",
            speeds=SPEEDS,
            snippet=embed_snippet(channel, episode),
            **_helpers(),
        )
        pages[episode.page] = env.get_template("episode.html").render(embed=False, **common)
        pages[episode.embed_page] = env.get_template("episode.html").render(embed=True, **common)
    for name, html in pages.items():
        write_atomic(folder / name, html.encode("utf-8"))
        written.append(name)
    return written


def file_names(episodes: list[Episode]) -> list[str]:
    """What ``build_site`` writes, by name in the folder."""
    pages = [name for episode in episodes for name in (episode.page, episode.embed_page)]
    return ["index.html", *(f"assets/{name}" for name in ASSETS), *pages]


def embed_snippet(channel: Channel, episode: Episode) -> str:
    """The HTML a newsroom pastes into its article page: a 听新闻 link that embed.js
    turns into a button opening the player; without JavaScript it is a plain link."""
    env = _environment()
    return (
        env.get_template("snippet.html")
        .render(channel=channel, episode=episode, **_helpers())
        .strip()
    )


@functools.cache  # one environment: its templates are compiled once, not once an episode
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("briefing.publish.site", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def _helpers() -> dict[str, object]:
    return {
        "ai_label": ai_label.VISIBLE,
        "ai_disclosure": ai_label.DEFAULT_SPOKEN,
        "clock": clock,
        "spoken_duration": spoken_duration,
        "href": lambda name: quote(name),
        "date_zh": date_zh,
        "Markup": Markup,
    }


def spoken_duration(ms: int) -> str:
    """``3分20秒``: how a time is read aloud (also used in aria-valuetext)."""
    seconds = int(ms // 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}小时"] if hours else []
    if minutes or hours:
        parts.append(f"{minutes}分")
    parts.append(f"{seconds}秒")
    return "".join(parts)


def date_zh(value: datetime | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
