"""The country since 1 July 2025: provinces and crosswalks from vietnamadminunits' bundled tables,
pinned by their counts and by the traps of the reorganisation (docs/warehouse.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from warehouse.db import open_writer

from conftest import query


def test_the_63_and_the_34_provinces_and_the_crosswalks(warehouse: Path) -> None:
    with open_writer(warehouse):
        pass  # the schema, with the administrative units, is made on first open
    until = query(
        warehouse,
        "SELECT count(*) FROM core.dim_province WHERE valid_from < DATE '2025-07-01' "
        "AND (valid_to IS NULL OR valid_to > DATE '2025-06-30')",
    )
    today = query(warehouse, "SELECT count(*) FROM core.dim_province WHERE valid_to IS NULL")
    assert until == [(63,)] and today == [(34,)]
    # an unchanged province has one open row: Lạng Sơn since 2008, with its DVCQG code
    assert query(
        warehouse,
        "SELECT province_name, valid_from, valid_to, dvcqg_code FROM core.dim_province "
        "WHERE province_code = '20'",
    ) == [("Tỉnh Lạng Sơn", date(2008, 8, 1), None, "H37")]

    crosswalk = dict(
        query(warehouse, "SELECT old_province_code, province_code FROM core.province_crosswalk")
    )
    assert len(crosswalk) == 63 and len(set(crosswalk.values())) == 34
    # the traps: a merged province keeps one old code, not always the one whose name it keeps
    assert crosswalk["87"] == "82" and crosswalk["82"] == "82"  # new Đồng Tháp is 82
    assert crosswalk["72"] == "80" and crosswalk["80"] == "80"  # new Tây Ninh is old Long An's 80
    assert crosswalk["02"] == "08"  # Hà Giang joined Tuyên Quang
    assert query(
        warehouse,
        "SELECT province_name FROM core.dim_province WHERE province_code = '80' "
        "ORDER BY valid_from",
    ) == [("Tỉnh Long An",), ("Tỉnh Tây Ninh",)]

    wards = query(
        warehouse,
        "SELECT count(*), count(DISTINCT old_ward_code) FILTER (WHERE is_split), "
        "count(DISTINCT old_ward_code) FROM core.ward_crosswalk",
    )
    assert wards == [(10_602, 471, 10_040)]
    # every split old ward has exactly one default target; every other ward one target
    assert query(
        warehouse,
        "SELECT count(*) FROM (SELECT old_ward_code FROM core.ward_crosswalk "
        "GROUP BY ALL HAVING count(*) FILTER (WHERE is_default_target) <> 1)",
    ) == [(0,)]
    # a ward's new province is the crosswalk's new province of its old one
    assert query(
        warehouse,
        "SELECT count(*) FROM core.ward_crosswalk AS w JOIN core.province_crosswalk AS p "
        "USING (old_province_code) WHERE p.province_code <> w.province_code",
    ) == [(0,)]
