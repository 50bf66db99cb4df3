"""mart.kpi: the indicators as the contract defines them, pooled, by the right dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from conftest import ingest, query
from kpi_support import checks_config, load_report, refresh_and_check, report_row

JAN_2023 = (date(2023, 1, 1), date(2023, 1, 31))


def kpi(warehouse: Path, where: str) -> list[tuple]:
    return query(
        warehouse,
        "SELECT numerator, denominator, round(value, 4) FROM mart.kpi WHERE " + where,
    )


def test_roll_ups_pool_numerators_and_denominators(warehouse: Path, tmp_path: Path) -> None:
    load_report(
        warehouse,
        tmp_path,
        "jan",
        report_row("Sở A", *JAN_2023, resolved=100, in_time=99),
        report_row("Sở B", *JAN_2023, resolved=10, in_time=1),
    )
    refresh_and_check(warehouse, checks_config(), datetime(2023, 2, 1))
    portal = kpi(
        warehouse,
        "scope = 'portal' AND metric = 'on_time_rate' AND period_grain = 'month'",
    )
    assert portal == [(100, 110, round(100 * 100 / 110, 4))]  # not (99% + 10%) / 2
    nation = kpi(
        warehouse, "scope = 'nation' AND metric = 'on_time_rate' AND period_grain = 'month'"
    )
    assert nation == portal


def test_reports_tile_months_into_quarters_and_years(warehouse: Path, tmp_path: Path) -> None:
    months = [
        report_row(
            "Sở A",
            date(2023, m, 1),
            date(2023, m, 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31),
            100,
            90 + m % 3,
        )
        for m in range(1, 13)
    ]
    quarter_report = report_row("Sở A", date(2023, 1, 1), date(2023, 3, 31), 300, 299)
    load_report(warehouse, tmp_path, "months", *months)
    load_report(warehouse, tmp_path, "q1", quarter_report)
    refresh_and_check(warehouse, checks_config(), datetime(2024, 1, 10))
    quarters = kpi(
        warehouse,
        "scope = 'agency' AND metric = 'on_time_rate' AND period_grain = 'quarter' "
        "ORDER BY period_start",
    )
    month_in_time = [90 + m % 3 for m in range(1, 13)]
    assert quarters[0][:2] == (299, 300)  # Q1's own report wins over its months
    assert quarters[1][:2] == (sum(month_in_time[3:6]), 300)  # Q2 from months
    year = kpi(warehouse, "scope = 'agency' AND metric = 'on_time_rate' AND period_grain = 'year'")
    assert year[0][:2] == (299 + sum(month_in_time[3:]), 1200)  # no report counted twice


def test_a_cut_off_quarter_counts_as_the_quarter_of_its_end(
    warehouse: Path, tmp_path: Path
) -> None:
    load_report(
        warehouse,
        tmp_path,
        "cutoff",
        report_row("Sở A", date(2022, 12, 15), date(2023, 3, 14), 200, 190),
    )
    refresh_and_check(warehouse, checks_config(), datetime(2023, 4, 1))
    rows = query(
        warehouse,
        "SELECT period_start::VARCHAR, numerator FROM mart.kpi WHERE scope = 'agency' "
        "AND metric = 'on_time_rate' AND period_grain = 'quarter'",
    )
    assert rows == [("2023-01-01", 190)]


def test_dossier_indicators_take_the_date_each_metric_names(
    warehouse: Path, tmp_path: Path
) -> None:
    header = (
        "Mã hồ sơ;Mã TTHC;Cơ quan giải quyết;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;"
        "Trạng thái;Hình thức nộp;Số hóa hồ sơ;Thanh toán trực tuyến;Mức độ hài lòng\n"
    )
    rows = [
        # received in January, resolved early in February: on time counts in February
        "D1;1.1;Sở A;20/01/2023;10/02/2023;05/02/2023;Đã trả kết quả;Trực tuyến;Có;Có;Hài lòng",
        # received and resolved late in January
        "D2;1.1;Sở A;02/01/2023;05/01/2023;09/01/2023;Đã trả kết quả;Trực tiếp;Không;Không;",
        # still pending at the end of January, overdue since 25/01
        "D3;1.1;Sở A;03/01/2023;25/01/2023;;Đang xử lý;Trực tiếp;Có;;",
        # refused: received, but neither on time nor late
        "D4;1.1;Sở A;04/01/2023;20/01/2023;06/01/2023;Trả lại;Trực tuyến;Không;;",
        # received on the month's last day, still pending: in that day's stock, not yet due
        "D5;1.1;Sở A;31/01/2023;15/02/2023;;Đang xử lý;Trực tiếp;Không;;",
    ]
    path = tmp_path / "dossiers.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    assert ingest(warehouse, path)[0].rows_loaded == 5
    refresh_and_check(warehouse, checks_config(), datetime(2023, 3, 1))

    def month(metric: str, start: str) -> tuple:
        (row,) = query(
            warehouse,
            "SELECT numerator, denominator FROM mart.kpi WHERE scope = 'agency' AND basis = "
            "'dossiers' AND period_grain = 'month' AND metric = ? AND period_start = ?",
            [metric, start],
        )
        return row

    assert month("online_rate", "2023-01-01") == (2, 5)  # every dossier received
    assert month("digitized_rate", "2023-01-01") == (2, 5)
    assert month("online_payment_rate", "2023-01-01") == (1, 2)  # among those with a fee
    assert month("on_time_rate", "2023-01-01") == (0, 1)  # D2 late
    assert month("on_time_rate", "2023-02-01") == (1, 1)  # D1 by its completion date
    assert month("satisfaction_rate", "2023-02-01") == (1, 1)
    # at 31/01: D1 (due 10/02), D3 (due 25/01) and D5 (received that day) unresolved; D3 overdue
    assert month("overdue_pending_rate", "2023-01-01") == (1, 3)
    # 766: resolved in January on time (0) + pending within deadline (D1, D5) / (1 + 3)
    assert month("on_time_rate_766", "2023-01-01") == (2, 4)


@pytest.mark.parametrize("grain", ["month", "quarter", "year"])
def test_every_grain_is_built_for_every_scope(grain: str, warehouse: Path, tmp_path: Path) -> None:
    load_report(warehouse, tmp_path, "jan", report_row("Sở A", *JAN_2023, 100, 95))
    refresh_and_check(warehouse, checks_config(), datetime(2024, 1, 10))
    scopes = query(
        warehouse,
        "SELECT DISTINCT scope FROM mart.kpi WHERE period_grain = ? ORDER BY 1",
        [grain],
    )
    assert scopes == [("agency",), ("nation",), ("portal",), ("province",)]
