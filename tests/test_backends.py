"""Every registered backend keeps the contract the pipeline relies on."""

from __future__ import annotations

import pytest

from briefing.backends.base import Backend, backend_names, get_backend
from briefing.errors import BriefingError


@pytest.mark.parametrize("name", backend_names())
def test_backend_keeps_the_protocol(name):
    backend = get_backend(name)
    assert isinstance(backend, Backend)
    assert backend.name == name
    assert backend.max_chunk_chars >= 20 and backend.default_jobs >= 1
    voices = backend.voices()
    assert voices and all(voice.backend == name for voice in voices)
    assert backend.default_voice in {voice.id for voice in voices}
    problem = backend.available()
    assert problem is None or isinstance(problem, str) and problem


def test_unknown_backend_names_the_known_ones():
    with pytest.raises(BriefingError, match="choose one of: baker, edge, espeak"):
        get_backend("festival")
