"""Where the service keeps things under ``--root``.

The root is the published folder itself (MP3s, sidecars, ``feed.xml``, the
site), so ``briefing publish`` and ``serve`` keep working on it. The
service's own state lives in the hidden ``.service/`` folder, which is never
served: job records, submitted texts, drafts awaiting review, token hashes
and the settings every worker reads (a worker on another machine sees the
same root over a shared filesystem).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from briefing.errors import InputError
from briefing.files import write_atomic


@dataclass
class Settings:
    """Fixed by ``briefing server`` and read by every worker."""

    base_url: str
    domains: list[str] = field(default_factory=list)
    review: bool = False


class Root:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.private = path / ".service"

    @property
    def jobs(self) -> Path:
        return self.private / "jobs"

    @property
    def inputs(self) -> Path:
        return self.private / "inputs"

    @property
    def drafts(self) -> Path:
        return self.private / "drafts"

    @property
    def tokens(self) -> Path:
        return self.private / "tokens.json"

    @property
    def settings_file(self) -> Path:
        return self.private / "settings.json"

    @property
    def chunk_cache(self) -> Path:
        """Shared by every worker: a chunk one machine said, no other says again."""
        return self.private / "chunks"

    def create(self) -> None:
        for folder in (self.path, self.jobs, self.inputs, self.drafts):
            folder.mkdir(parents=True, exist_ok=True)

    def save_settings(self, settings: Settings) -> None:
        text = json.dumps(asdict(settings), ensure_ascii=False, indent=2) + "\n"
        write_atomic(self.settings_file, text.encode("utf-8"))

    def load_settings(self) -> Settings:
        try:
            return Settings(**json.loads(self.settings_file.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise InputError(
                f"{self.path} is not a service root yet; start `briefing server --root "
                f"{self.path}` once before starting workers on it"
            ) from None
        except (OSError, ValueError, TypeError) as exc:
            raise InputError(
                f"{self.settings_file} is damaged ({exc}); restart the server"
            ) from exc
