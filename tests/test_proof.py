"""plan --proof: the normaliser's decisions, written → spoken, for an editor to check."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from briefing.cli import cli
from briefing.normalize import normalize
from briefing.proof import normalisation_items


def test_each_figure_is_one_decision_with_its_reading_and_context():
    written = "2019年4月2日，增长5.3%。"
    items = normalisation_items(written, normalize(written))
    assert [(i.written, i.spoken) for i in items] == [
        ("2019年4月2", "二零一九年四月二"),
        ("5.3%", "百分之五点三"),
    ]
    assert items[1].context.endswith("增长【5.3%】。") and items[1].flags == ("number",)


def test_traditional_script_made_simplified_is_not_a_reading_decision():
    written = "萬姓男子卅二歲。"
    items = normalisation_items(written, normalize(written))
    assert [(i.written, i.spoken) for i in items] == [("卅", "三十")]


@given(st.text(alphabet="0123456789年月日%，。增长元亿-～:比", max_size=40))
def test_every_change_the_normaliser_made_is_listed(written: str) -> None:
    spoken = normalize(written)
    items = normalisation_items(written, spoken)
    assert bool(items) == (spoken != written)
    for item in items:
        assert item.written in written and item.spoken in spoken


def test_plan_proof_lists_normalisation_decisions(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("标题\n\n今年是新中国成立70周年。\n", "utf-8")
    result = CliRunner().invoke(cli, ["plan", str(article), "--proof", "--backend", "espeak"])
    assert result.exit_code == 0, result.output
    assert "70 → 七十  normalise [number]  今年是新中国成立【70】周年。" in result.output
