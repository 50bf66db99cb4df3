"""Where the warehouse lives and which portals it knows (cchc.toml).

The built-in demo configuration needs no network. Configuration errors name the key and the
fix, because the person reading them is usually editing the file at 2 a.m.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEMO_CONFIG = Path(__file__).with_name("demo") / "cchc.toml"
DEFAULT_WAREHOUSE = Path("data") / "warehouse.duckdb"
SECTORS = ("locality", "ministry")


class ConfigError(ValueError):
    """A configuration value is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class Portal:
    code: str
    name: str
    sector: str
    province_code: str | None = None  # GSO code, e.g. "20" for Lạng Sơn
    dvcqg_code: str | None = None  # National Public Service Portal unit code, e.g. "H37"


@dataclass(frozen=True)
class Config:
    path: Path
    portals: dict[str, Portal] = field(default_factory=dict)

    def portal(self, code: str) -> Portal:
        if code not in self.portals:
            known = ", ".join(sorted(self.portals)) or "none"
            raise ConfigError(
                f"portal {code!r} is not in {self.path} (known: {known}); add a "
                f'[[portals]] entry with code = "{code}", name, sector and province_code'
            )
        return self.portals[code]


def resolve_warehouse(path: Path | None) -> Path:
    """--warehouse, else $CCHC_WAREHOUSE, else data/warehouse.duckdb."""
    return Path(path or os.environ.get("CCHC_WAREHOUSE") or DEFAULT_WAREHOUSE)


def load_config(path: Path | None = None) -> Config:
    """--config, else $CCHC_CONFIG, else the built-in demo configuration."""
    path = Path(path or os.environ.get("CCHC_CONFIG") or DEMO_CONFIG)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    portals = {}
    for index, entry in enumerate(raw.get("portals", [])):
        where = f"{path}: portals[{index}]"
        for key in ("code", "name", "sector"):
            if not entry.get(key):
                raise ConfigError(f"{where}: missing `{key}`")
        if entry["sector"] not in SECTORS:
            raise ConfigError(f"{where}.sector = {entry['sector']!r}: use one of {SECTORS}")
        portal = Portal(
            code=entry["code"],
            name=entry["name"],
            sector=entry["sector"],
            province_code=entry.get("province_code"),
            dvcqg_code=entry.get("dvcqg_code", entry["code"]),
        )
        if portal.code in portals:
            raise ConfigError(f"{where}: portal code {portal.code!r} appears twice")
        portals[portal.code] = portal
    return Config(path=path, portals=portals)
