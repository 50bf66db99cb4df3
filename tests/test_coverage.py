"""Judge only what the data covers: coverage, year-to-date comparisons, no value from missing
data, one clock for every command, and a report that shows exactly the alerts the checks keep.

Each case is a small dossier list written here, month by month, so the figures the assertions
name are the ones the rows make.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

from conftest import EXPORTS, cchc, ingest, query
from kpi_support import checks_config, refresh_and_check

HEADER = "Mã hồ sơ;Mã TTHC;Cơ quan giải quyết;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả\n"


def month_rows(year: int, month: int, resolved: int, on_time: int) -> list[str]:
    """`resolved` dossiers of Sở A received on the 3rd, due the 13th: `on_time` resolved on
    the 8th, the rest late on the 20th."""
    rows = []
    for i in range(resolved):
        done = 8 if i < on_time else 20
        rows.append(
            f"D{year}{month:02d}-{i};1.1;Sở A;03/{month:02d}/{year};13/{month:02d}/{year};"
            f"{done:02d}/{month:02d}/{year}"
        )
    return rows


def write_dossiers(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def regressions(warehouse: Path) -> list[tuple]:
    return query(
        warehouse,
        "SELECT scope, period_grain, period_start::VARCHAR, period_covered_to::VARCHAR, "
        "current_value, baseline_value, delta_pp, message FROM ops.alerts "
        "WHERE status = 'open' AND check_id = 'regression_yoy' AND scope = 'portal' "
        "AND metric = 'on_time_rate' "
        "ORDER BY period_grain, period_start",
    )


def fell_year_to_date(tmp_path: Path) -> Path:
    """2023: 95% on time from January to June, 100% from July; 2024 exported on 30/06 at 93%."""
    rows = [r for m in range(1, 7) for r in month_rows(2023, m, 100, 95)]
    rows += [r for m in range(7, 13) for r in month_rows(2023, m, 100, 100)]
    rows += [r for m in range(1, 7) for r in month_rows(2024, m, 100, 93)]
    return write_dossiers(tmp_path / "fell.csv", rows)


def test_coverage_follows_the_data_and_the_stated_export_date(
    warehouse: Path, tmp_path: Path
) -> None:
    path = write_dossiers(tmp_path / "d.csv", month_rows(2024, 2, 10, 10))
    ingest(warehouse, path)
    refresh_and_check(warehouse, checks_config(), datetime(2024, 12, 31))
    # from the first to the last event (received 03/02, resolved 08/02), never the load time
    assert query(warehouse, "SELECT basis, covered_from, covered_to FROM mart.coverage") == [
        ("dossiers", date(2024, 2, 3), date(2024, 2, 8))
    ]
    ingest(warehouse, write_dossiers(tmp_path / "e.csv", month_rows(2024, 2, 11, 11)),
           exported_on=date(2024, 2, 29))  # fmt: skip
    refresh_and_check(warehouse, checks_config(), datetime(2024, 12, 31))
    assert query(warehouse, "SELECT covered_to FROM mart.coverage") == [(date(2024, 2, 29),)]
    month = query(
        warehouse,
        "SELECT covered_from, covered_to FROM mart.kpi WHERE scope = 'portal' "
        "AND period_grain = 'month' AND metric = 'on_time_rate'",
    )
    # from the 3rd (the 1st and 2nd were working days without data) to the stated 29th
    assert month == [(date(2024, 2, 3), date(2024, 2, 29))]
    year = query(
        warehouse,
        "SELECT covered_to FROM mart.kpi WHERE scope = 'portal' AND period_grain = 'year' "
        "AND metric = 'on_time_rate'",
    )
    assert year == [(date(2024, 2, 29),)]  # 2024 only in part: covered_to < period_end


def test_a_portal_whose_exports_stop_in_march_raises_nothing(
    warehouse: Path, tmp_path: Path
) -> None:
    rows = [r for m in range(1, 4) for r in month_rows(2023, m, 100, 95)]
    rows += [r for m in range(4, 13) for r in month_rows(2023, m, 100, 100)]  # 2023: 98.75%
    rows += [r for m in range(1, 4) for r in month_rows(2024, m, 100, 95)]  # then nothing
    ingest(warehouse, write_dossiers(tmp_path / "lagging.csv", rows))
    run = refresh_and_check(warehouse, checks_config(), datetime(2024, 12, 31))
    # 2024's three months against 2023's twelve would be a fall of 3.75 points: never judged
    assert regressions(warehouse) == []
    assert query(warehouse, "SELECT count(*) FROM ops.alerts WHERE check_id = 'received_drop'") == [
        (0,)
    ]
    assert run.open_alerts == query(warehouse, "SELECT count(*) FROM ops.alerts")[0][0]
    # the months after the exports stop are not measured at all
    assert query(
        warehouse, "SELECT max(period_end) FROM mart.kpi WHERE period_grain = 'month'"
    ) == [(date(2024, 3, 31),)]


def test_a_portal_that_fell_year_to_date_raises_one_year_to_date_alert(
    warehouse: Path, tmp_path: Path
) -> None:
    ingest(warehouse, fell_year_to_date(tmp_path), exported_on=date(2024, 6, 30))
    refresh_and_check(warehouse, checks_config(), datetime(2024, 7, 15))
    to_date = [r for r in regressions(warehouse) if r[3] is not None]
    assert len(to_date) == 1
    scope, grain, start, covered_to, current, baseline, delta, message = to_date[0]
    # 93% against the same half of 2023 (95%), not against 2023's whole year (97.5%)
    assert (scope, grain, start, covered_to) == ("portal", "year", "2024-01-01", "2024-06-30")
    assert (current, baseline, delta) == (93.0, 95.0, -2.0)
    assert "năm 2024 (đến ngày 30/06) so với cùng kỳ năm 2023" in message
    assert "year 2024 to 30 Jun vs the same span of 2023" in message
    assert "93,00%" in message and "giảm 2,00 điểm %" in message
    # the whole quarters and months are judged as they are, each against itself a year earlier
    whole = {(r[1], r[2]) for r in regressions(warehouse) if r[3] is None}
    assert ("quarter", "2024-04-01") in whole and ("month", "2024-06-01") in whole
    assert not any(grain == "year" for grain, _ in whole)


def test_a_metric_whose_inputs_the_period_lacks_has_no_value(
    warehouse: Path, tmp_path: Path
) -> None:
    """The catalogue stays valid in 2024, but no dossier was received then: the share of
    services in use has no value in 2024 (it is not 0%), while the full-process share has."""
    ingest(warehouse, EXPORTS / "catalogue_with_valid_from.csv")
    online = [
        f"O{i};1.004227;Sở Tư pháp tỉnh Lạng Sơn;0{1 + i % 9}/03/2023;20/03/2023;;Trực tuyến"
        for i in range(20)
    ]
    path = tmp_path / "online.csv"
    path.write_text(
        "Mã hồ sơ;Mã TTHC;Cơ quan giải quyết;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;"
        "Hình thức nộp\n" + "\n".join(online) + "\n",
        encoding="utf-8",
    )
    ingest(warehouse, path)
    refresh_and_check(warehouse, checks_config(), datetime(2024, 12, 31))

    def years(metric: str) -> list[tuple]:
        return query(
            warehouse,
            "SELECT year(period_start), value > 0 FROM mart.kpi WHERE scope = 'portal' "
            "AND period_grain = 'year' AND metric = ? ORDER BY 1",
            [metric],
        )

    assert years("services_used_rate") == [(2023, True)]
    assert (2024, True) in years("full_process_share")
    assert query(
        warehouse, "SELECT count(*) FROM mart.kpi WHERE value = 0 AND denominator = 0"
    ) == [(0,)]


def config_with_as_of(tmp_path: Path, as_of: str | None) -> Path:
    demo = (Path(__file__).parents[1] / "warehouse" / "demo" / "cchc.toml").read_text("utf-8")
    demo = re.sub(r'(?m)^as_of = "[^"]*"', f'as_of = "{as_of}"' if as_of else "", demo)
    path = tmp_path / "cchc.toml"
    path.write_text(demo, encoding="utf-8")
    return path


def first_seen(warehouse: Path) -> set[str]:
    return {
        day
        for (day,) in query(
            warehouse, "SELECT DISTINCT first_seen_at::DATE::VARCHAR FROM ops.alerts"
        )
    }


def test_every_command_that_judges_takes_as_of_with_the_configuration_as_default(
    warehouse: Path, tmp_path: Path
) -> None:
    config = config_with_as_of(tmp_path, "2024-07-15")
    export = str(fell_year_to_date(tmp_path))
    common = ("--warehouse", str(warehouse), "--config", str(config))
    code, output = cchc(
        "ingest", export, "--portal", "H37", "--exported-on", "2024-06-30", "--as-of",
        "2024-05-20", *common,
    )  # fmt: skip
    assert code == 0, output
    assert first_seen(warehouse) == {"2024-05-20"}  # ingest judged as of --as-of
    # by 20/05 the year to 30/06 has not passed: it is not judged yet
    assert all(r[3] is None for r in regressions(warehouse))

    code, output = cchc("checks", "--json", *common)  # [run] as_of of the configuration
    assert code == 0, output
    assert {a["period_covered_to"] for a in json.loads(output)} >= {"2024-06-30"}
    assert "2024-07-15" in first_seen(warehouse)

    code, output = cchc("checks", "--as-of", "2024-03-10", "--json", *common)
    periods = {
        (a["period_grain"], a["period_start"])
        for a in json.loads(output)
        if a["check_id"] == "regression_yoy"
        and a["metric"] == "on_time_rate"
        and a["scope"] == "portal"
    }
    assert periods == {("month", "2024-01-01"), ("month", "2024-02-01")}  # ended by 10/03

    out = tmp_path / "report.html"
    code, output = cchc("report", "--out", str(out), "--as-of", "2023-12-31", *common)
    assert code == 0, output
    page = out.read_text(encoding="utf-8")
    assert "Số liệu tính đến ngày 31/12/2023" in page
    assert '<th class="num">2024' not in page  # no period after --as-of

    code, output = cchc("checks", "--as-of", "31/12/2024", *common)
    assert code == 1 and "--as-of" in output


def test_the_report_shows_exactly_the_alerts_the_checks_keep(
    warehouse: Path, tmp_path: Path
) -> None:
    config = config_with_as_of(tmp_path, "2024-07-15")
    common = ("--warehouse", str(warehouse), "--config", str(config))
    export = str(fell_year_to_date(tmp_path))
    cchc("ingest", export, "--portal", "H37", "--exported-on", "2024-06-30", *common)
    out = tmp_path / "report.html"
    assert cchc("report", "--out", str(out), *common)[0] == 0
    page = out.read_text(encoding="utf-8")
    falls = page[page.index('id="sut-giam"') : page.index('id="xep-hang"')]
    alerts = page[page.index('id="canh-bao"') : page.index('id="tung-cong"')]
    (regression_count,) = query(
        warehouse,
        "SELECT count(*) FROM ops.alerts WHERE status = 'open' AND check_id = 'regression_yoy'",
    )[0]
    counts = dict(
        query(
            warehouse,
            "SELECT severity, count(*) FROM ops.alerts WHERE status = 'open' GROUP BY ALL",
        )
    )
    assert regression_count > 0
    assert falls.count('<tr class="level-') == regression_count
    assert alerts.count('<tr class="level-') == sum(counts.values())
    header = page[: page.index("</header>")]
    found = re.findall(r'<b>(\d+)</b><span class="vn">([^<]+)</span>', header)
    figures = {label: number for number, label in found}
    assert int(figures["Cảnh báo nghiêm trọng"]) == counts.get("fail", 0)
    assert int(figures["Cảnh báo"]) == counts.get("warn", 0)
    assert "đến ngày 30/06" in falls  # the year-to-date fall says how far it counts
