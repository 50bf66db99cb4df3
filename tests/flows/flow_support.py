"""What the flow tests share: a cchc.toml with Lạng Sơn's portal and the sources a test names,
and `cchc` started as a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"
LANG_SON = """[[portals]]
code = "H37"
name = "Cổng dịch vụ công tỉnh Lạng Sơn"
sector = "locality"
province_code = "20"
"""
# One source: the committed Biểu 06 report of Lạng Sơn (9 report rows), read from its file.
BIEU06_SOURCE = f"""
[[sources]]
portal = "H37"
url = "{EXPORTS / "report_bieu06_quarter.xlsx"}"
"""


def write_config(folder: Path, body: str) -> Path:
    """folder/cchc.toml: Lạng Sơn's portal, then `body` (its [[sources]] and other tables)."""
    path = folder / "cchc.toml"
    path.write_text(LANG_SON + body, encoding="utf-8")
    return path


def cchc_process(*args: str) -> subprocess.Popen:
    """`cchc ARGS` in a child process, its output discarded; without $PREFECT_API_URL, so it
    starts the Prefect server it needs itself."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    command = [sys.executable, "-m", "warehouse.cli", *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
