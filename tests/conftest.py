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
