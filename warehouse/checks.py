"""Run the checks of sql/checks and keep ops.alerts: one alert per breach, opened once.

Each check is a plain SQL file returning the rows that breach it; this module only hands them
their thresholds (cchc.toml [checks]) and applies the alert lifecycle (sql/alerts).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

import duckdb
import polars as pl

from warehouse.alert_text import Alert, describe_breach
from warehouse.cause_text import describe_causes
from warehouse.causes import Cause, causes_by_parent, contributions
from warehouse.config import CheckSettings, Config
from warehouse.scoreboard_text import WORDING_COLUMNS, describe_scoreboard_breach
from warehouse.sqlfiles import run_sql_file, sql_files

# What the checks read of the configuration (sql/alerts/check_targets.sql, check_portals.sql).
TARGET_SCHEMA = {
    "metric": pl.String,
    "sector": pl.String,
    "floor": pl.Float64,
    "severity": pl.String,
}
PORTAL_SCHEMA = {"portal_code": pl.String, "sector": pl.String, "until": pl.Date}
# The numbers of [checks], as sql/alerts/check_context.sql declares them (a threshold added to
# CheckSettings reaches the checks by its name); the lists go in tables of their own.
THRESHOLDS = tuple(
    f.name for f in fields(CheckSettings) if f.name not in ("lower_is_better", "targets")
)


@dataclass(frozen=True)
class CheckRun:
    """What one run of the checks did to ops.alerts. The alerts it opened and resolved are
    named here (their ids), so whoever words them lists exactly the alerts counted; `opened`
    and `resolved` count those ids (fields, so the run's summary, built with asdict, has them)."""

    breaches: int
    escalated: int
    open_alerts: int
    seconds: float = 0.0
    opened_ids: tuple[int, ...] = ()
    resolved_ids: tuple[int, ...] = ()
    opened: int = field(init=False)
    resolved: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "opened", len(self.opened_ids))
        object.__setattr__(self, "resolved", len(self.resolved_ids))


def run_checks(con: duckdb.DuckDBPyConnection, config: Config, *, now: datetime) -> CheckRun:
    """Evaluate every check as of `now` and update ops.alerts in one transaction."""
    settings = config.checks
    con.begin()
    try:
        before = _alert_states(con)
        run_sql_file(
            con,
            "alerts/check_context.sql",
            {
                "context": {
                    "as_of": now,
                    **{name: getattr(settings, name) for name in THRESHOLDS},
                },
                "lower_is_better": list(settings.lower_is_better),
            },
        )
        targets = pl.DataFrame(
            [(t.metric, t.sector, t.floor, t.severity) for t in settings.targets],
            schema=TARGET_SCHEMA,
            orient="row",
        )
        portals = pl.DataFrame(
            [(p.code, p.sector, p.until) for p in config.portals.values()],
            schema=PORTAL_SCHEMA,
            orient="row",
        )
        run_sql_file(con, "alerts/check_targets.sql", incoming=targets.to_arrow())
        run_sql_file(con, "alerts/check_portals.sql", incoming=portals.to_arrow())
        breaches = 0
        names = config.portal_names
        for name in sql_files("checks"):
            found = run_sql_file(con, name).pl()
            causes = _causes(con, found) if name.endswith("regression_yoy.sql") else {}
            rows = _worded(found, names, causes)
            breaches += rows.height
            run_sql_file(con, "alerts/collect_breaches.sql", incoming=rows.to_arrow())
        run_sql_file(con, "alerts/apply_breaches.sql", {"now": now})
        _record_causes(con)
        after = _alert_states(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    opened = tuple(sorted(a for a in after if a not in before))
    escalated = sum(
        1 for a, s in after.items() if before.get(a) == ("open", "warn") and s == ("open", "fail")
    )
    was_open = {a for a, s in before.items() if s[0] == "open"}
    resolved = tuple(sorted(a for a, s in after.items() if s[0] == "resolved" and a in was_open))
    open_alerts = sum(1 for s in after.values() if s[0] == "open")
    return CheckRun(breaches, escalated, open_alerts, opened_ids=opened, resolved_ids=resolved)


def _causes(con: duckdb.DuckDBPyConnection, found: pl.DataFrame) -> dict[int, list[Cause]]:
    """The children behind each fall found, by its row number in `found`."""
    if found.is_empty():
        return {}
    return causes_by_parent(contributions(con, found.with_row_index("parent_id")))


def _record_causes(con: duckdb.DuckDBPyConnection) -> None:
    """ops.alert_causes of every open regression alert, recomputed from tonight's marts."""
    alerts = run_sql_file(con, "alerts/regression_alerts.sql").pl()
    found = contributions(con, alerts.rename({"alert_id": "parent_id"}))
    run_sql_file(con, "alerts/record_causes.sql", incoming=found.to_arrow())


def _worded(
    rows: pl.DataFrame, portal_names: dict[str, str], causes: dict[int, list[Cause]]
) -> pl.DataFrame:
    """Each breach of an indicator check worded from its figures (alert_text), the one wording
    that messages, digests, the console and the report share, and a fall's causes after it
    (cause_text); a national scoreboard check's from its snapshot (scoreboard_text); file and
    portal checks come worded from their SQL."""
    extra = ("agency_name", "province_name", *WORDING_COLUMNS)
    names_only = [c for c in extra if c in rows.columns]
    if rows.is_empty():
        return rows.drop(names_only)
    fields = set(Alert.__dataclass_fields__)
    vi, en = [], []
    for index, row in enumerate(rows.iter_rows(named=True)):
        if row["message_vi"] is None and row["check_id"].startswith("scoreboard_"):
            row["message_vi"], row["message_en"] = describe_scoreboard_breach(row)
        elif row["message_vi"] is None:
            values = {k: v for k, v in row.items() if k in fields}
            alert = Alert(
                alert_id=0,
                state=row["severity"],
                message="",
                portal_name=portal_names.get(row["portal_code"] or ""),
                **values,
            )
            row["message_vi"], row["message_en"] = describe_breach(alert)
            why = describe_causes(causes.get(index, []), row["delta_pp"] or 0.0)
            if why is not None:
                row["message_vi"] += " " + why[0]
                row["message_en"] += " " + why[1]
        vi.append(row["message_vi"])
        en.append(row["message_en"])
    return rows.drop(names_only).with_columns(
        pl.Series("message_vi", vi, dtype=pl.String), pl.Series("message_en", en, dtype=pl.String)
    )


def _alert_states(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[str, str]]:
    rows = run_sql_file(con, "alerts/alert_states.sql").fetchall()
    return {alert_id: (status, severity) for alert_id, status, severity in rows}


def open_alerts(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return run_sql_file(con, "alerts/open_alerts.sql").pl()
