"""The demo's portals: Lạng Sơn, the 62 other province portals of 2022–2024 (merged away on 1 July
2025), one portal for each of today's provinces but Lạng Sơn (from that day), and 20 ministries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from warehouse.admin_units import REORGANISED_ON
from warehouse.demo.provinces import LANG_SON_GSO, LANG_SON_PORTAL, MINISTRIES, PROVINCES
from warehouse.demo.today import today_provinces

RETIRED_ON = REORGANISED_ON - timedelta(days=1)  # the last day a merged-away portal reports


@dataclass(frozen=True)
class PortalInfo:
    code: str
    name: str
    sector: str
    province_code: str | None  # GSO code of its time (today's for today's portals)
    dvcqg_code: str | None = None  # the real DVCQG unit code, where the portal has one
    until: date | None = None  # its last day of data (merged away), None: it runs on


def old_portal(gso_code: str) -> str:
    """A province portal of 2022–2024 (other than Lạng Sơn's): T + the GSO code (synthetic)."""
    return f"T{gso_code}"


def portal_list() -> list[PortalInfo]:
    """Lạng Sơn first, then the provinces of 2022–2024 (T + GSO code, until 30 June 2025), then
    today's (DVCQG code or P + GSO code, from 1 July 2025), then ministries (B01 …)."""
    portals = [
        PortalInfo(LANG_SON_PORTAL, "Cổng dịch vụ công tỉnh Lạng Sơn", "locality", LANG_SON_GSO,
                   dvcqg_code=LANG_SON_PORTAL)
    ]  # fmt: skip
    for p in PROVINCES:
        if p.gso_code != LANG_SON_GSO:
            name = f"Cổng dịch vụ công {p.styled}"
            portals.append(
                PortalInfo(old_portal(p.gso_code), name, "locality", p.gso_code, until=RETIRED_ON)
            )
    for t in today_provinces():
        if t.gso_code != LANG_SON_GSO:
            name = f"Cổng dịch vụ công {t.styled}"
            portals.append(PortalInfo(t.portal, name, "locality", t.gso_code, t.dvcqg_code))
    for m in MINISTRIES:
        portals.append(PortalInfo(m.code, f"Cổng dịch vụ công {m.name}", "ministry", None))
    return portals
