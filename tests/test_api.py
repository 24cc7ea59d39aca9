"""The public Python API: README's example runs as written, and the names it
promises are there, typed and light to import."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import briefing

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## From Python") :]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "README's From Python section has no python example"
    return match.group(1)


def test_the_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    exec(compile(readme_example(), "README.md", "exec"), {})
    site = tmp_path / "site"
    for name in ("duikou.mp3", "duikou.txt", "duikou.vtt", "duikou.srt", "feed.xml"):
        assert (site / name).stat().st_size > 0, name
    metadata = json.loads((site / "duikou.briefing.json").read_text(encoding="utf-8"))
    assert metadata["backend"] == "espeak"


def test_every_public_name_is_there() -> None:
    for name in briefing.__all__:
        assert getattr(briefing, name) is not None, name
    assert callable(briefing.publish) and callable(briefing.make) and callable(briefing.plan)


def test_importing_briefing_is_light() -> None:
    code = "import sys, briefing; print(sorted({'numpy', 'jieba', 'aiohttp'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_text_is_read_as_an_article_and_a_path_may_be_pathlike(tmp_path: Path) -> None:
    text = "# 标题\n\n江苏做好对口支援工作。\n"
    from_text = briefing.plan(briefing.Text(text), backend="espeak")
    path = tmp_path / "a.md"
    path.write_text(text, encoding="utf-8")
    from_path = briefing.plan(path, backend="espeak")
    assert from_text.title == from_path.title == "标题"
    assert [c.text for c in from_text.chunks] == [c.text for c in from_path.chunks]


def test_a_string_is_a_path_never_text(tmp_path: Path) -> None:
    with pytest.raises(briefing.InputError, match="no such file"):
        briefing.plan("江苏做好对口支援工作。", backend="espeak")


@pytest.mark.parametrize(
    ("kind", "value", "unit"),
    [(briefing.Rate, 101, "%"), (briefing.Rate, -51, "%"), (briefing.Pitch, 51, "Hz"),
     (briefing.Volume, -51, "%")],
)  # fmt: skip
def test_prosody_out_of_range_is_refused_when_made(kind, value, unit) -> None:
    with pytest.raises(briefing.BriefingError, match=f"out of range.*{re.escape(unit)}"):
        kind(value)
    with pytest.raises(briefing.BriefingError, match="out of range"):
        kind.parse(f"{value:+d}{unit}")


def test_prosody_parses_the_command_lines_form() -> None:
    assert briefing.Rate.parse("+10%") == briefing.Rate(10)
    assert briefing.Pitch.parse("-5Hz") == briefing.Pitch(-5)
    assert briefing.Volume.parse(" -10 % ") == briefing.Volume(-10)
    assert str(briefing.Pitch(5)) == "+5Hz"
    with pytest.raises(briefing.BriefingError, match="not an offset"):
        briefing.Pitch.parse("5%")


def test_the_cli_turns_offsets_into_prosody(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text("# 标题\n\n江苏做好对口支援工作。\n", encoding="utf-8")
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(tmp_path / "cache")}
    refused = subprocess.run(
        [sys.executable, "-m", "briefing", "make", str(article), "--backend", "espeak",
         "--rate", "+300%"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert refused.returncode == 1
    assert refused.stderr.strip() == "Error: rate +300% is out of range; use -50% to +100%"
