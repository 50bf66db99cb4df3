"""The alerts the digest tests word and send: the 2023 story and an agency's monthly online share.

test_alert_text.py builds `Alert`s from them, test_notify.py `ops.alerts` rows, so the wording
pinned in one is the wording sent in the other. `alerts_of` reads back what the checks kept.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from conftest import query


def alerts_of(warehouse: Path, columns: str, where: str = "TRUE", order: str = "ALL") -> list:
    """`columns` of the ops.alerts rows that `where` keeps, sorted by `order` (every column
    unless told): what a check test asserts once its checks have run."""
    return query(warehouse, f"SELECT {columns} FROM ops.alerts WHERE {where} ORDER BY {order}")


# The nation's on-time rate of localities fell 1.61 points in 2023 (report basis).
NATION_FALL: dict[str, Any] = {
    "check_id": "regression_yoy",
    "sector": "locality",
    "scope": "nation",
    "metric": "on_time_rate",
    "basis": "report",
    "period_grain": "year",
    "period_start": date(2023, 1, 1),
    "baseline_period_start": date(2022, 1, 1),
    "current_value": 90.75,
    "baseline_value": 92.36,
    "delta_pp": -1.61,
}
# What `cchc sql` shows behind NATION_FALL: the series it was judged on.
NATION_SQL = (
    "SELECT period_start, value, numerator, denominator FROM mart.kpi "
    "WHERE metric = 'on_time_rate' AND sector = 'locality' AND scope = 'nation' "
    "AND period_grain = 'year' AND basis = 'report' ORDER BY period_start"
)
# Over NATION_FALL: one agency's online share, January 2023 against January 2022, 40.10 → 40.50.
AGENCY_ONLINE_MONTH: dict[str, Any] = {
    "scope": "agency",
    "metric": "online_rate",
    "basis": "dossiers",
    "period_grain": "month",
    "current_value": 40.5,
    "baseline_value": 40.1,
}
