"""Bearer tokens for the service's write endpoints.

A token is 32 random bytes, shown once; only its SHA-256 is stored (a token
is random enough that a slow password hash adds nothing).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from briefing.files import write_atomic
from briefing.service.root import Root


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _stored(root: Root) -> list[str]:
    try:
        return list(json.loads(root.tokens.read_text(encoding="utf-8"))["sha256"])
    except FileNotFoundError:
        return []


def create(root: Root) -> str:
    """A new token, its hash added to the root's list; the token itself is not kept."""
    token = secrets.token_urlsafe(32)
    digests = [*_stored(root), _digest(token)]
    write_atomic(root.tokens, (json.dumps({"sha256": digests}, indent=2) + "\n").encode())
    root.tokens.chmod(0o600)
    return token


class TokenChecker:
    """Checks tokens against the stored hashes, re-read when the file changes
    (a token created while the server runs works at once)."""

    def __init__(self, root: Root) -> None:
        self.root = root
        self._seen: tuple[float, list[str]] | None = None

    def valid(self, token: str) -> bool:
        try:
            mtime = self.root.tokens.stat().st_mtime
        except FileNotFoundError:
            return False
        if self._seen is None or self._seen[0] != mtime:
            self._seen = (mtime, _stored(self.root))
        digest = _digest(token)
        return any(hmac.compare_digest(digest, known) for known in self._seen[1])
