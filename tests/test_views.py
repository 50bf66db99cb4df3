"""The views for the questions people ask, each asked as the README asks it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from conftest import ingest, query
from kpi_support import checks_config, load_report, refresh_and_check, report_row


def month(y: int, m: int) -> tuple[date, date]:
    end = date(y + m // 12, m % 12 + 1, 1)
    return date(y, m, 1), date.fromordinal(end.toordinal() - 1)


def build(warehouse: Path, tmp_path: Path) -> None:
    """Lạng Sơn (H37) by month over 2022–2023, on time 95 % then 90 %; H99 (Lai Châu) 99 %;
    three Lạng Sơn dossiers still open at the end of its data, two of them past due."""
    rows = [report_row("Sở Tư pháp", *month(2022, m), 100, 95) for m in range(1, 13)]
    rows += [report_row("Sở Tư pháp", *month(2023, m), 100, 90) for m in range(1, 13)]
    load_report(warehouse, tmp_path, "ls", *rows)
    other = [report_row("Sở Xây dựng", *month(2023, m), 100, 99) for m in range(1, 13)]
    load_report(warehouse, tmp_path, "lc", *other, portal="H99")
    path = tmp_path / "open.csv"
    path.write_text(
        "Mã hồ sơ;Mã TTHC;Cơ quan giải quyết;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;"
        "Trạng thái\n"
        "A;1.1;Văn phòng UBND;02/10/2023;10/10/2023;;Đang xử lý\n"
        "B;1.1;Văn phòng UBND;02/11/2023;10/11/2023;;Đang xử lý\n"
        "C;1.1;Văn phòng UBND;20/12/2023;10/01/2024;;Đang xử lý\n"
        "D;1.1;Văn phòng UBND;01/12/2023;05/12/2023;28/12/2023;Đã trả kết quả\n",
        encoding="utf-8",
    )
    (result,) = ingest(warehouse, path)
    assert result.rows_loaded == 4, result
    refresh_and_check(warehouse, checks_config(), datetime(2024, 1, 15))


def test_the_views_answer_the_questions_people_ask(warehouse: Path, tmp_path: Path) -> None:
    build(warehouse, tmp_path)
    # Lạng Sơn's on-time rate per quarter of 2023: four rows, not the long mart.kpi's dozens
    quarters = query(
        warehouse,
        "SELECT period_start::VARCHAR, portal_name, round(on_time_rate, 2) FROM mart.indicators "
        "WHERE scope = 'portal' AND portal_code = 'H37' AND basis = 'report' "
        "AND period_grain = 'quarter' AND year(period_start) = 2023 ORDER BY 1",
    )
    assert quarters == [
        (f"2023-{m:02d}-01", "Cổng dịch vụ công tỉnh Lạng Sơn", 90.0) for m in (1, 4, 7, 10)
    ]
    # provinces ranked for 2023 on the report basis
    ranked = query(
        warehouse,
        "SELECT province_name, rank, ranked FROM mart.province_ranking "
        "WHERE metric = 'on_time_rate' AND basis = 'report' AND period_grain = 'year' "
        "AND period_start = '2023-01-01' ORDER BY rank",
    )
    assert ranked == [("Tỉnh Lai Châu", 1, 2), ("Tỉnh Lạng Sơn", 2, 2)]
    # overdue dossiers by agency, as of the last day Lạng Sơn's dossiers cover (28/12/2023)
    overdue = query(
        warehouse,
        "SELECT agency_name, as_of::VARCHAR, unresolved, overdue, oldest_due::DATE::VARCHAR "
        "FROM mart.overdue_now",
    )
    assert overdue == [("Văn phòng UBND", "2023-12-28", 3, 2, "2023-10-10")]
    # open alerts in words: the portal's fall of 5 points, with its name
    alerts = query(
        warehouse,
        "SELECT portal_name, message_vi FROM mart.open_alerts WHERE scope = 'portal' "
        "AND metric = 'on_time_rate' AND period_grain = 'year'",
    )
    assert len(alerts) == 1 and alerts[0][0] == "Cổng dịch vụ công tỉnh Lạng Sơn"
    assert "95,00% → 90,00%, giảm 5,00 điểm %" in alerts[0][1]
