"""Portals that end with the 2025 reorganisation (`until`) and district agencies after it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from warehouse.config import ConfigError, load_config

from conftest import ingest, query
from kpi_support import checks_config, refresh_and_check


def stale_portals(warehouse: Path) -> set[str]:
    rows = query(
        warehouse,
        "SELECT portal_code FROM ops.alerts WHERE status = 'open' AND check_id = 'stale_portal'",
    )
    return {code for (code,) in rows}


def test_a_portal_merged_away_is_never_stale_after_its_until_day(
    warehouse: Path, tmp_path: Path
) -> None:
    config = checks_config()
    retired = replace(config.portals["T02"], until=date(2025, 6, 30))  # Hà Giang
    config = replace(config, portals=config.portals | {"T02": retired})
    path = tmp_path / "d.csv"
    path.write_text(
        "Mã hồ sơ;Mã TTHC;Cơ quan giải quyết;Ngày tiếp nhận\nA;1.1;Sở A;02/06/2025\n",
        encoding="utf-8",
    )
    ingest(warehouse, path)
    refresh_and_check(warehouse, config, datetime(2025, 6, 20))
    assert "T02" in stale_portals(warehouse)  # before its last day it is expected to deliver
    refresh_and_check(warehouse, config, datetime(2025, 8, 1))
    assert "T02" not in stale_portals(warehouse)  # after it, nothing is owed: resolved
    assert "H14" in stale_portals(warehouse)  # a portal that runs on (Cao Bằng) is still watched


def test_until_is_read_and_checked(tmp_path: Path) -> None:
    base = (Path(__file__).parents[1] / "warehouse" / "demo" / "cchc.toml").read_text("utf-8")
    path = tmp_path / "cchc.toml"
    path.write_text(base, encoding="utf-8")  # the demo's portals of 2022–2024 end that day
    assert load_config(path).portals["T02"].until == date(2025, 6, 30)
    assert load_config(path).portals["H14"].until is None
    path.write_text(base.replace('"2025-06-30"', '"30/06/2025"', 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"until = '30/06/2025'.*2025-06-30"):
        load_config(path)


def test_rows_of_a_district_agency_after_the_reorganisation_load_and_are_flagged(
    warehouse: Path, tmp_path: Path
) -> None:
    path = tmp_path / "huyen.csv"
    path.write_text(
        "Mã hồ sơ;Mã TTHC;Cơ quan giải quyết;Cấp thực hiện;Ngày tiếp nhận;Ngày hẹn trả\n"
        "H1;1.1;UBND huyện Văn Quan;Cấp huyện;25/06/2025;30/06/2025\n"
        "H2;1.1;UBND huyện Văn Quan;Cấp huyện;02/07/2025;10/07/2025\n"
        "H3;1.1;UBND huyện Văn Quan;Cấp huyện;03/07/2025;10/07/2025\n"
        "X1;1.1;UBND xã Tân Việt;Cấp xã;03/07/2025;10/07/2025\n",
        encoding="utf-8",
    )
    (result,) = ingest(warehouse, path)
    assert result.rows_loaded == 4  # loaded all the same
    refresh_and_check(warehouse, checks_config(), datetime(2025, 7, 10))
    flagged = query(
        warehouse,
        "SELECT agency_code, current_value, message FROM ops.alerts "
        "WHERE check_id = 'district_after_reorganisation'",
    )
    assert len(flagged) == 1
    _, rows_after, message = flagged[0]
    assert rows_after == 2.0  # H2 and H3; H1 is from before, the commune is no district
    assert "UBND huyện Văn Quan" in message and "02/07/2025" in message
