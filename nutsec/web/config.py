"""What `nutsec web` was started with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WebConfig:
    data_dir: Path
    offline: bool = False
    hibp_url: str | None = None
    hibp_corpus: Path | None = None
    idle_minutes: float = 30.0
