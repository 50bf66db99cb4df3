"""Prefect's settings for this project, applied before Prefect is first imported.

Prefect reads its settings when imported, so the CLI calls `configure_prefect` first: its home
lives in the data folder (runs, logs and its SQLite database stay with the warehouse), nothing
calls out, and the no-server mode gets time to start on a slow machine.
"""

from __future__ import annotations

import os
from pathlib import Path


def configure_prefect(data_dir: Path) -> None:
    home = (data_dir / "prefect").resolve()
    home.mkdir(parents=True, exist_ok=True)  # Prefect makes the folder, not its parents
    defaults = {
        "PREFECT_HOME": str(home),
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_CLI_PROMPT": "false",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
