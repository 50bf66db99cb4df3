"""Vietnam's administrative units before and after 1 July 2025, from vietnamadminunits' bundled
tables (MIT): the 63 provinces until 2025-06-30, the 34 from 2025-07-01, and the crosswalks.

Only the package's data files are read (its SQLite database and converter JSON); its parser and
geocoder are never called, since splitting a ward by address asks a web service. The package's
keys are names without diacritics ("tinhlangson", "tinhlangson_huyenvanquan_xatanviet"); they
are turned into statistics-office codes here, so the warehouse keeps codes only.
"""

from __future__ import annotations

import json
import sqlite3
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl

REORGANISED_ON = date(2025, 7, 1)  # Resolution 202/2025/QH15: 63 provinces became 34
SIXTY_THREE_SINCE = date(2008, 8, 1)  # Hà Tây joined Hà Nội: the 63 provinces from then on
DVCQG_SEED = Path(__file__).parent / "seeds" / "dvcqg_provinces.toml"


@dataclass(frozen=True)
class AdminUnits:
    """The three tables of core (see sql/schema/05_provinces.sql), as Polars frames."""

    provinces: pl.DataFrame  # core.dim_province
    province_crosswalk: pl.DataFrame  # core.province_crosswalk
    ward_crosswalk: pl.DataFrame  # core.ward_crosswalk


def _data_dir() -> Path:
    """The package's data folder, found without importing it (its import loads its parsers)."""
    import importlib.util

    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vietnamadminunits package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@cache
def load_admin_units() -> AdminUnits:
    """Read once per process: a new warehouse gets the tables when its schema is created."""
    data = _data_dir()
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    with sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True) as db:
        old = db.execute(
            "SELECT DISTINCT provinceKey, provinceCode, province FROM admin_units_legacy"
        ).fetchall()
        new = db.execute(
            "SELECT DISTINCT provinceKey, provinceCode, province FROM admin_units"
        ).fetchall()
        old_wards = db.execute(
            "SELECT provinceKey, districtKey, wardKey, wardCode, districtCode, provinceCode, "
            "ward, district FROM admin_units_legacy"
        ).fetchall()
        new_wards = db.execute(
            "SELECT provinceKey, wardKey, wardCode, provinceCode, ward FROM admin_units"
        ).fetchall()
    old_code = {key: code for key, code, _ in old}
    new_code = {key: code for key, code, _ in new}
    crosswalk = [
        (old_code[old_key], new_code[new_key])
        for new_key, old_keys in converter["DICT_PROVINCE"].items()
        for old_key in old_keys
    ]
    return AdminUnits(
        provinces=_provinces(old, new, crosswalk),
        province_crosswalk=pl.DataFrame(
            crosswalk,
            schema={"old_province_code": pl.String, "province_code": pl.String},
            orient="row",
        ).sort("old_province_code"),
        ward_crosswalk=_wards(converter, old_wards, new_wards),
    )


def _provinces(old: list[tuple], new: list[tuple], crosswalk: list[tuple]) -> pl.DataFrame:
    """One row per province version: an unchanged province (same code, merged with no one) has
    one open row; the others close on 2025-07-01 (exclusive) and today's open on it."""
    merged_into: dict[str, list[str]] = {}
    for old_code, new_code in crosswalk:
        merged_into.setdefault(new_code, []).append(old_code)
    unchanged = {code for code, parts in merged_into.items() if parts == [code]}
    dvcqg = tomllib.loads(DVCQG_SEED.read_text(encoding="utf-8"))["dvcqg_code"]
    rows = [
        (code, name, SIXTY_THREE_SINCE, None if code in unchanged else REORGANISED_ON)
        for _, code, name in old
    ]
    rows += [(code, name, REORGANISED_ON, None) for _, code, name in new if code not in unchanged]
    return (
        pl.DataFrame(
            rows,
            schema={
                "province_code": pl.String,
                "province_name": pl.String,
                "valid_from": pl.Date,
                "valid_to": pl.Date,
            },
            orient="row",
        )
        .with_columns(
            pl.when(pl.col("valid_to").is_null())
            .then(pl.col("province_code").replace_strict(dvcqg, default=None))
            .alias("dvcqg_code")
        )
        .sort("province_code", "valid_from")
    )


def _wards(converter: dict, old_wards: list[tuple], new_wards: list[tuple]) -> pl.DataFrame:
    """One row per (old ward, new ward) pair. An old ward split between several new ones has a
    row for each, one of them its default target. The five island districts that had no wards
    (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) appear under their district code."""
    old = {}
    for province, district, ward, ward_code, district_code, province_code, name, dname in old_wards:
        key = f"{province}_{district}_{ward or ''}"
        old[key] = (ward_code or district_code, province_code, name or dname, ward_code is None)
    new = {(p, w): (code, province_code, name) for p, w, code, province_code, name in new_wards}
    rows = []
    for province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_key, old_keys in wards.items():
            for old_key in old_keys:
                rows.append((*old[old_key], *new[(province, new_key)], False, True))
    for province, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in olds.items():
            for target in targets:
                rows.append(
                    (
                        *old[old_key],
                        *new[(province, target["newWardKey"])],
                        True,
                        bool(target["isDefaultNewWard"]),
                    )
                )
    return pl.DataFrame(
        rows,
        schema={
            "old_ward_code": pl.String,
            "old_province_code": pl.String,
            "old_ward_name": pl.String,
            "old_is_district": pl.Boolean,
            "ward_code": pl.String,
            "province_code": pl.String,
            "ward_name": pl.String,
            "is_split": pl.Boolean,
            "is_default_target": pl.Boolean,
        },
        orient="row",
    ).sort("old_ward_code", "ward_code")
