"""Small report and dossier exports written on the fly for indicator and check tests."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from warehouse.checks import CheckRun, run_checks
from warehouse.config import CheckSettings, Config, Portal, Target, load_config
from warehouse.db import open_writer
from warehouse.marts import refresh_marts

from conftest import ingest

DOSSIER_HEADER = "Mã hồ sơ;Mã TTHC;Cơ quan giải quyết;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả\n"


def load_january_dossiers(warehouse: Path, tmp_path: Path) -> None:
    """Sở A's 200 dossiers of January 2023 into portal H37 (Lạng Sơn), 190 of them on time:
    95.0%, what a report or the national portal's ratio is held against (basis_disagreement).
    The export covers the whole month (its last event is 25/01): said with its date."""
    lines = [
        f"D{i};1.1;Sở A;02/01/2023;20/01/2023;{'10' if i < 190 else '25'}/01/2023"
        for i in range(200)
    ]
    path = tmp_path / "dossiers.csv"
    path.write_text(DOSSIER_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    ingest(warehouse, path, exported_on=date(2023, 1, 31))


REPORT_HEADER = (
    "agency_name,period_from,period_to,resolved_total,resolved_early,resolved_on_time,"
    "resolved_late,pending_total,pending_in_time,pending_overdue\n"
)


def report_row(
    agency: str,
    start: date,
    end: date,
    resolved: int,
    in_time: int,
    pending: tuple[int, int] = (0, 0),
) -> str:
    """One report row: `in_time` of `resolved` on time (none early), pending (in time, overdue)."""
    in_deadline, overdue = pending
    return (
        f"{agency},{start:%d/%m/%Y},{end:%d/%m/%Y},{resolved},0,{in_time},{resolved - in_time},"
        f"{in_deadline + overdue},{in_deadline},{overdue}\n"
    )


def load_report(warehouse: Path, tmp_path: Path, name: str, *rows: str, portal: str = "H37"):
    path = tmp_path / f"{name}.csv"
    path.write_text(REPORT_HEADER + "".join(rows), encoding="utf-8")
    (result,) = ingest(warehouse, path, portal=checks_config().portal(portal))
    assert result.status == "loaded" and result.rows_rejected == 0, result
    return result


def load_years(
    warehouse: Path,
    tmp_path: Path,
    name: str,
    agency: str,
    resolved: int,
    on_time: dict[int, int],
    portal: str = "H37",
):
    """One agency's whole-year report rows: `resolved` dossiers a year, `on_time[year]` on time."""
    rows = [
        report_row(agency, date(year, 1, 1), date(year, 12, 31), resolved, in_time)
        for year, in_time in on_time.items()
    ]
    return load_report(warehouse, tmp_path, name, *rows, portal=portal)


def checks_config(**checks: object) -> Config:
    """The demo portals plus a ministry, with check settings overridden as given."""
    base = load_config()
    portals = dict(base.portals)
    portals["G01"] = Portal(code="G01", name="Bộ mẫu", sector="ministry", dvcqg_code="G01")
    portals["H99"] = Portal(code="H99", name="Tỉnh mẫu", sector="locality", province_code="12")
    targets = tuple(Target(**t) for t in checks.pop("targets", ()))  # type: ignore[arg-type]
    settings = CheckSettings(**{**CheckSettings().__dict__, **checks, "targets": targets})
    return Config(path=base.path, portals=portals, checks=settings)


def refresh_and_check(warehouse: Path, config: Config, now: datetime) -> CheckRun:
    with open_writer(warehouse) as con:
        refresh_marts(con, config.portals.values())
        return run_checks(con, config, now=now)
