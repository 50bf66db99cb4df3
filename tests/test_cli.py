"""The `cchc` command as a person uses it: exit codes, summaries, read-only SQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from warehouse.cli import app

from conftest import EXPORTS, cchc, cchc_ingest, query

# a report table whose totals row does not add up: loading it opens alerts
SPLIT_BCCI = str(EXPORTS / "report_html_split_bcci.xls")


def csv_lines(warehouse: Path, sql: str) -> list[str]:
    """What `cchc sql SQL --format csv` prints, line by line."""
    return cchc("sql", sql, "--format", "csv", "--warehouse", str(warehouse))[1].splitlines()


def test_ingest_of_clean_files_exits_0_with_a_summary(warehouse: Path) -> None:
    code, output = cchc_ingest(
        warehouse,
        str(EXPORTS / "report_bieu06_quarter.xlsx"),
        str(EXPORTS / "dossiers_utf16_tab.csv"),
    )
    assert code == 0, output
    assert "report_bieu06_quarter.xlsx" in output and "dossiers_utf16_tab.csv" in output
    assert "2 files: 2 loaded, 0 duplicate, 0 refused, 0 failed; 14 rows loaded" in output


def test_ingest_exits_3_when_files_are_refused_or_rows_rejected(warehouse: Path) -> None:
    code, output = cchc_ingest(warehouse, str(EXPORTS))
    assert code == 3, output
    assert "refused" in output and "refused_price_list.csv" in output
    assert "rejected (see ops.rejects)" in output


def test_ingest_shows_rejected_rows_with_their_reason_in_both_languages(warehouse: Path) -> None:
    code, output = cchc_ingest(warehouse, str(EXPORTS / "dossiers_rejects.csv"), "--no-checks")
    assert code == 3, output
    # file, row, column, value, then the reason's words from labels.toml [reject]
    assert "rejected rows of dossiers_rejects.csv (the first 5 of 9;" in output
    assert (
        'row 5, channel "Fax": giá trị không có trong danh mục / a value outside its vocabulary'
        in output
    )
    assert (
        "row 3, dossier_code empty: thiếu giá trị bắt buộc / a required value is missing" in output
    )
    assert "channel: expected one of Trực tuyến" in output  # the specifics, from ops.rejects
    assert 'row 7, received_at "31/02/2023 08:00": ngày không đọc được' in output
    assert "row 8," not in output  # past the first five of the file
    assert "1 file: 1 loaded, 0 duplicate, 0 refused, 0 failed; 3 rows loaded, 9 rejected" in output


def test_ingest_says_why_a_whole_file_was_refused_on_its_own_line(warehouse: Path) -> None:
    code, output = cchc_ingest(warehouse, str(EXPORTS / "refused_price_list.csv"), "--no-checks")
    assert code == 3, output
    line = next(line for line in output.splitlines() if line.startswith("refused "))
    assert line.startswith(
        "refused refused_price_list.csv: không nhận ra loại tệp (danh sách hồ sơ, báo cáo, danh "
        "mục) / not a dossier list, report table or service catalogue: no header row"
    )
    assert "Mã hàng, Tên sản phẩm" in output  # the closest row, whole
    assert "1 file: 0 loaded, 0 duplicate, 1 refused, 0 failed; 0 rows loaded, 0 rejected" in output


def test_counts_agree_with_their_nouns() -> None:
    from warehouse.numbers import counted

    assert [counted(0, "row"), counted(1, "row"), counted(1234, "row")] == [
        "0 rows",
        "1 row",
        "1,234 rows",
    ]
    assert counted(1, "child", "children") == "1 child"
    assert counted(2, "breach", "breaches") == "2 breaches"


def test_ingest_names_an_unknown_portal_and_exits_1(warehouse: Path) -> None:
    code, output = cchc_ingest(warehouse, str(EXPORTS / "dossiers_utf16_tab.csv"), portal="H99")
    assert code == 1
    assert "portal 'H99' is not in" in output and "[[portals]]" in output


def test_ingest_of_a_missing_path_exits_1(warehouse: Path, tmp_path: Path) -> None:
    code, output = cchc_ingest(warehouse, str(tmp_path / "nope.csv"))
    assert code == 1 and "no such file or folder" in output


def test_sql_prints_a_table(loaded: Path) -> None:
    code, output = cchc(
        "sql",
        "SELECT status, count(*) AS n FROM core.fact_dossier GROUP BY ALL ORDER BY 1",
        "--warehouse",
        str(loaded),
    )
    assert code == 0, output
    counts = query(loaded, "SELECT status::VARCHAR, count(*) FROM core.fact_dossier GROUP BY 1")
    for status, n in counts:  # each status on its row with its count
        assert re.search(rf"│ {status} +│ {n} +│", output), (status, n, output)
    assert output.splitlines()[-1] == f"{len(counts)} rows"


def test_sql_writes_csv_and_json(loaded: Path, tmp_path: Path) -> None:
    query = "SELECT dossier_code, channel FROM core.fact_dossier ORDER BY 1 LIMIT 2"
    code, output = cchc("sql", query, "--format", "csv", "--warehouse", str(loaded))
    assert code == 0
    assert output.splitlines()[0] == "dossier_code,channel"
    assert output.splitlines()[1] == "H37.18-230105-0001,online"
    out = tmp_path / "answer.json"
    code, _ = cchc("sql", query, "--format", "json", "--out", str(out), "--warehouse", str(loaded))
    assert code == 0
    assert json.loads(out.read_text())[0] == {
        "dossier_code": "H37.18-230105-0001",
        "channel": "online",
    }


def test_sql_errors_exit_1_with_duckdbs_message(loaded: Path) -> None:
    code, output = cchc("sql", "SELECT nope FROM core.fact_dossier", "--warehouse", str(loaded))
    assert code == 1 and "nope" in output and "Binder Error" in output


def test_sql_is_read_only(loaded: Path) -> None:
    code, output = cchc("sql", "DELETE FROM core.fact_dossier", "--warehouse", str(loaded))
    assert code == 1 and "read-only" in output
    assert csv_lines(loaded, "SELECT count(*) AS n FROM core.fact_dossier") == ["n", "8"]


def registered_commands() -> list[str]:
    """The commands as the app registers them, so a new command is checked without a list."""
    import typer.main

    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_every_command_explains_itself_with_an_example() -> None:
    commands = registered_commands()
    assert {"ingest", "checks", "run", "report", "sql"} <= set(commands)
    for command in commands:
        code, output = cchc(command, "--help")
        assert code == 0, (command, output)
        assert "Example: cchc " + command in output, (command, output)
        if command == "init":  # writes a configuration; reads neither
            continue
        # the defaults in brackets are printed, not swallowed as rich markup
        assert "$CCHC_WAREHOUSE" in output and "$CCHC_CONFIG" in output, (command, output)


def test_help_names_what_each_option_takes_and_no_flag_claims_a_value() -> None:
    """A flag takes no value: typer's `<bool>` beside it is gone; every other option shows
    what it takes, and the options without a plain default say what happens unset."""
    for command in ["", *registered_commands()]:
        code, output = cchc(*([command] if command else []), "--help")
        assert code == 0, (command, output)
        assert "<bool>" not in output, (command, output)
        assert "--help " in output
    _, ingest_help = cchc("ingest", "--help")
    for option, takes in [
        ("--portal", "<code>"),
        ("--sheet", "<name>"),
        ("--exported-on", "<date>"),
        ("--as-of", "<date>"),
        ("--warehouse", "<file>"),
        ("--request", "<json>"),
    ]:
        line = next(line for line in ingest_help.splitlines() if f"│ {option} " in line
                    or f"*  {option} " in line or f"   {option} " in line)  # fmt: skip
        assert takes in line, (option, line)
    assert "[default: the first with data]" in ingest_help
    _, sql_help = cchc("sql", "--help")
    assert "<table|csv|json>" in sql_help and "[default: table]" in sql_help
    assert "[default: the terminal]" in sql_help
    _, checks_help = cchc("checks", "--help")
    assert "<warn|fail>" in checks_help and "[default: exit 0]" in checks_help


def write_config(tmp_path: Path, notify_url: str | None = None) -> Path:
    demo = (Path(__file__).parents[1] / "warehouse" / "demo" / "cchc.toml").read_text("utf-8")
    if notify_url:
        demo = demo.replace("urls = []", f'urls = ["{notify_url}"]')
    path = tmp_path / "cchc.toml"
    path.write_text(demo, encoding="utf-8")
    return path


def test_ingest_runs_the_checks_unless_told_not_to(warehouse: Path) -> None:
    code, output = cchc_ingest(warehouse, SPLIT_BCCI)
    assert code == 3 and "checks:" in output and "opened" in output
    code, output = cchc("checks", "--json", "--warehouse", str(warehouse))
    alerts = json.loads(output)
    assert {a["check_id"] for a in alerts} >= {"totals_mismatch", "reject_share"}


def test_checks_fail_on_sets_the_exit_status(warehouse: Path) -> None:
    cchc_ingest(warehouse, SPLIT_BCCI, "--no-checks")
    kpi_rows = csv_lines(warehouse, "SELECT count(*) AS n FROM mart.kpi")
    assert int(kpi_rows[1]) > 0  # indicators follow every load, checks or not
    assert query(warehouse, "SELECT count(*) FROM ops.alerts") == [(0,)]
    assert cchc("checks", "--warehouse", str(warehouse))[0] == 0
    assert cchc("checks", "--fail-on", "warn", "--warehouse", str(warehouse))[0] == 2
    assert cchc("checks", "--fail-on", "fail", "--warehouse", str(warehouse))[0] == 0  # only warns


def test_checks_notify_posts_one_digest_to_the_configured_target(
    warehouse: Path, tmp_path: Path, httpserver
) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    config = write_config(tmp_path, f"json://127.0.0.1:{httpserver.port}/hook?cto=2&rto=2")
    cchc_ingest(warehouse, SPLIT_BCCI, "--no-checks", "--config", str(config))
    code, output = cchc(
        "checks", "--notify", "--warehouse", str(warehouse), "--config", str(config)
    )
    assert code == 0, output
    assert len(httpserver.log) == 1
    body = httpserver.log[0][0].get_json()
    assert "Tệp" in body["message"] and "SELECT" in body["message"]
    cchc("checks", "--notify", "--warehouse", str(warehouse), "--config", str(config))
    assert len(httpserver.log) == 1  # nothing new: nothing sent


def test_export_writes_every_core_and_mart_table_as_parquet(loaded: Path, tmp_path: Path) -> None:
    import polars as pl

    code, output = cchc(
        "export", "--format", "parquet", "--out", str(tmp_path / "pq"), "--warehouse", str(loaded)
    )
    assert code == 0, output
    names = sorted(p.name for p in (tmp_path / "pq").iterdir())
    assert "core.fact_dossier.parquet" in names and "mart.kpi.parquet" in names
    facts = pl.read_parquet(tmp_path / "pq" / "core.fact_dossier.parquet")
    assert facts.height == 8 and "dossier_code" in facts.columns


def test_the_run_progress_is_drawn_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """`cchc run` hands the flow the callback run_progress yields; off a terminal, none."""
    import io

    from rich.console import Console

    from warehouse import console as printing

    screen = Console(file=io.StringIO(), force_terminal=True, width=100)
    monkeypatch.setattr(printing, "console", screen)
    with printing.run_progress(2) as progress:
        assert progress is not None
        for step, state in [("a", "start"), ("a", "done"), ("b", "start"), ("b", "failed")]:
            progress(step, state)
        for stage in printing.RUN_STAGES:
            progress(stage, "start")
            progress(stage, "done")
    assert "extract 2 sources (1 failed)" in screen.file.getvalue()  # type: ignore[attr-defined]
    monkeypatch.setattr(printing, "console", Console(file=io.StringIO(), force_terminal=False))
    with printing.run_progress(2) as progress:
        assert progress is None
