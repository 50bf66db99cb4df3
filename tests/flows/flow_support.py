"""What the flow tests share: a cchc.toml with Lạng Sơn's portal and the sources a test names."""

from __future__ import annotations

from pathlib import Path

LANG_SON = """[[portals]]
code = "H37"
name = "Cổng dịch vụ công tỉnh Lạng Sơn"
sector = "locality"
province_code = "20"
"""


def write_config(folder: Path, body: str) -> Path:
    """folder/cchc.toml: Lạng Sơn's portal, then `body` (its [[sources]] and other tables)."""
    path = folder / "cchc.toml"
    path.write_text(LANG_SON + body, encoding="utf-8")
    return path
