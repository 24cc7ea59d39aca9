"""examples/plugin-tone installs like any third-party voice and speaks: pip
installs it into a new virtual environment that sees briefing, and briefing
makes a briefing with ``--backend tone``. Its own tests run there too."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "examples" / "plugin-tone"


@pytest.fixture(scope="module")
def plugin_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python of a new venv with briefing's environment on its path and the
    plugin pip-installed from its folder (built by its own build backend)."""
    venv = tmp_path_factory.mktemp("plugin") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    briefing_env = sysconfig.get_paths()["purelib"]
    (Path(site_packages) / "briefing_env.pth").write_text(
        f"import site; site.addsitedir({briefing_env!r})\n"
    )
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(PLUGIN)],
        check=True, capture_output=True,
    )  # fmt: skip
    return python


def test_the_installed_plugin_makes_a_briefing(plugin_python: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.md"
    article.write_text(
        "# 对口支援\n\n江苏做好对口支援。\n\n## 携手\n\n共同发展。\n", encoding="utf-8"
    )
    env = {"BRIEFING_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    voices = subprocess.run(
        [str(plugin_python), "-m", "briefing", "voices"], capture_output=True, text=True, env=env
    )
    assert "tone (works now)" in voices.stdout, voices.stderr

    made = subprocess.run(
        [str(plugin_python), "-m", "briefing", "make", str(article), "--backend", "tone"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "Voice: tone / hum (asked for)" in made.stderr
    metadata = json.loads(article.with_suffix(".briefing.json").read_text(encoding="utf-8"))
    assert metadata["backend"] == "tone"
    assert article.with_suffix(".mp3").stat().st_size > 1000


def test_the_plugins_own_tests_pass_where_it_is_installed(plugin_python: Path) -> None:
    result = subprocess.run(
        [str(plugin_python), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=PLUGIN, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "skipped" not in result.stdout
