"""Run the edge-tts command line (``edge-tts …``) against ``BRIEFING_EDGE_URL``.

The benchmark's baseline: edge-tts's own CLI, unchanged, except that the
endpoint it connects to is the loopback fake service instead of Microsoft's.
``edge_tts.communicate`` imports ``WSS_URL`` by name, so that is where it is
rebound (the same way briefing's edge backend does it).
"""

from __future__ import annotations

import os
import sys

import edge_tts.communicate
from edge_tts.constants import TRUSTED_CLIENT_TOKEN
from edge_tts.util import main

url = os.environ.get("BRIEFING_EDGE_URL")
if url:
    separator = "&" if "?" in url else "?"
    edge_tts.communicate.WSS_URL = f"{url}{separator}TrustedClientToken={TRUSTED_CLIENT_TOKEN}"

if __name__ == "__main__":
    sys.argv[0] = "edge-tts"
    main()
