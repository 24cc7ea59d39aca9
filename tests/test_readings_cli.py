"""``briefing readings``: what the offline voice will say, for an editor."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli


@pytest.fixture(autouse=True)
def _no_user_lexicon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(tmp_path))


def test_readings_of_an_argument_show_each_characters_reading_in_context() -> None:
    result = CliRunner().invoke(cli, ["readings", "银行行长说GDP增长了。"], catch_exceptions=False)
    assert result.exit_code == 0
    line = result.output.strip()
    assert line.startswith("银(yin2)行(hang2)行(hang2)长(zhang3)说(shuo1)")
    assert "GDP{ji4 di4 pi4}" in line
    assert "增(zeng1)长(zhang3)" in line


def test_readings_read_stdin_one_line_out_per_line_after_normalisation() -> None:
    lines = "他长得很高。\n价格上涨了5%\nGoogle发布新品\n"
    result = CliRunner().invoke(cli, ["readings"], input=lines, catch_exceptions=False)
    out = result.output.splitlines()
    assert len(out) == 3
    assert out[0].startswith("他(ta1)长(zhang3)")
    assert "百(bai3)分(fen1)之(zhi1)五(wu3)" in out[1]  # the spoken form, not the digits
    assert out[2].startswith("Google{gu1 ge1}")


def test_readings_show_the_lexicons_choice(tmp_path: Path) -> None:
    own = tmp_path / "own.toml"
    own.write_text('[[word]]\ntext = "银行"\npinyin = "yin2 xing2"\n', encoding="utf-8")
    args = ["readings", "--lexicon", str(own), "银行和蚌埠"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.output.strip() == "银(yin2)行(xing2)和(he2)蚌(beng4)埠(bu4)"


def test_readings_keep_chinese_punctuation_as_written() -> None:
    result = CliRunner().invoke(cli, ["readings", "他说：好，走！"], catch_exceptions=False)
    assert result.output.strip() == "他(ta1)说(shuo1)：好(hao3)，走(zou3)！"
