"""The other portals of 2022–2024 (62 provinces, 20 ministries): their agencies and monthly
report rows for 2022–2024, as a function of a few calibrated knobs (calibration.py); merger.py
carries them on through 2025 and 2026."""

from __future__ import annotations

import polars as pl

from warehouse.demo.draws import stable_hash, stable_unit
from warehouse.demo.model import (
    GROWTH_SLOW_PROVINCES,
    OVERDUE_DECEMBER,
    QUARTER_PROFILE,
    SCALE_2023,
    SLOW_RATES,
    SLOW_SHARE,
    STEADY_RATES,
    YEARS,
    Knobs,
    bad_count,
    share_floor,
    split,
    unit_name,
    with_totals,
    year_weights,
)
from warehouse.demo.portals import old_portal
from warehouse.demo.provinces import LANG_SON_GSO, MINISTRIES, PROVINCES
from warehouse.demo.today import today_of

# (code suffix, name, level, share of the province's volume, rate offset, pending stock as a
# share of a month's resolved, online factor); districts and communes are named from provinces.py
PROVINCE_UNITS = (
    ("18", "Sở Tư pháp {styled}", "Tỉnh", 0.100, +0.02, 0.25, 1.1),
    ("21", "Sở Tài nguyên và Môi trường {styled}", "Tỉnh", 0.220, -0.08, 0.80, 0.6),
    ("23", "Sở Kế hoạch và Đầu tư {styled}", "Tỉnh", 0.080, +0.02, 0.20, 1.4),
    ("25", "Sở Giao thông vận tải {styled}", "Tỉnh", 0.170, +0.02, 0.15, 1.3),
    ("40", "{capital}", "Huyện", 0.250, -0.02, 0.40, 0.9),
    ("41", "{rural}", "Huyện", 0.162, -0.01, 0.40, 0.8),
    ("40.01", "{capital_ward}", "Xã", 0.010, +0.02, 0.05, 1.0),
    ("41.01", "{rural_commune}", "Xã", 0.008, +0.02, 0.05, 0.9),
)
SLOW_TOLERANCE_M = 0.6  # how near SLOW_SHARE (millions of people) the draw of slow ones stops
DOSSIERS_PER_PERSON = 0.30  # a year, for the units above (synthetic)
# ministry code → (dossiers resolved in 2022, on-time rate before calibration)
MINISTRY_DESIGN = {
    "B01": (60_000, 0.55), "B02": (900_000, 0.35), "B03": (250_000, 0.85),
    "B04": (40_000, 0.60), "B05": (300_000, 0.40), "B06": (300_000, 0.70),
    "B07": (1_200_000, 0.45), "B08": (600_000, 0.65), "B09": (200_000, 0.50),
    "B10": (500_000, 0.40), "B11": (50_000, 0.45), "B12": (80_000, 0.30),
    "B13": (120_000, 0.75), "B14": (150_000, 0.55), "B15": (40_000, 0.80),
    "B16": (200_000, 0.35), "B17": (150_000, 0.70), "B18": (300_000, 0.30),
    "B19": (100_000, 0.85), "B20": (10_000, 0.90),
}  # fmt: skip
FAST_MINISTRY = 0.60  # ministries at or above this rate grew in 2023 (the mix that lifts them)


def slow_provinces() -> set[str]:
    """The provinces (GSO codes of 2022–2024) given slow rates and a year-end surge: today's
    provinces drawn whole by a fixed hash (not any real ranking) until they hold SLOW_SHARE of
    the population outside Lạng Sơn. Whole, so that every province of today pools provinces of
    one kind and no mix of kinds moves its own rates when 2023's volume grows."""
    population = {p.gso_code: p.population_m for p in PROVINCES if p.gso_code != LANG_SON_GSO}
    today: dict[str, list[str]] = {}
    for code in population:
        today.setdefault(today_of()[code].gso_code, []).append(code)
    total = sum(population.values())
    chosen: set[str] = set()
    held = 0.0
    for key in sorted(today, key=lambda key: stable_hash("slow", key)):
        size = sum(population[code] for code in today[key])
        if held + size > SLOW_SHARE * total + SLOW_TOLERANCE_M:
            continue
        chosen.update(today[key])
        held += size
        if held >= SLOW_SHARE * total - SLOW_TOLERANCE_M:
            break
    return chosen


def reporting_agencies() -> pl.DataFrame:
    """One row per reporting agency outside Lạng Sơn, with its fixed parameters."""
    slow = slow_provinces()
    rows = []
    for p in PROVINCES:
        if p.gso_code == LANG_SON_GSO:
            continue
        is_slow = p.gso_code in slow
        u = stable_unit("rate", p.gso_code)
        low, high = SLOW_RATES if is_slow else STEADY_RATES
        province_rate = low + (high - low) * u
        mean_offset = sum(unit[3] * unit[4] for unit in PROVINCE_UNITS)
        names = {
            "styled": p.styled,
            "capital": unit_name(p.capital),
            "rural": unit_name(p.rural),
            "capital_ward": unit_name(p.capital_ward),
            "rural_commune": unit_name(p.rural_commune),
        }
        online = 0.5 + stable_unit("online", p.gso_code)
        online_2023 = 0.37 * (0.6 + 0.8 * stable_unit("online23", p.gso_code))
        for suffix, template, level, share, offset, kappa, online_factor in PROVINCE_UNITS:
            code = f"{old_portal(p.gso_code)}.{suffix}"
            rows.append(
                _agency_row(
                    portal=old_portal(p.gso_code), sector="locality", code=code,
                    name=template.format(**names), level=level,
                    profile="year_end" if is_slow else "steady", slow=is_slow,
                    volume=p.population_m * 1e6 * DOSSIERS_PER_PERSON * share,
                    rate=province_rate + offset - mean_offset, kappa=kappa,
                    online_2022=0.10 * online * online_factor,
                    online_2023=online_2023 * online_factor,
                )
            )  # fmt: skip
    for m in MINISTRIES:
        volume, rate = MINISTRY_DESIGN[m.code]
        shares = split(1000, [1 + stable_unit("unit", m.code, u) for u in m.units])
        online = 0.15 + 0.3 * stable_unit("online", m.code)
        for k, (unit, share) in enumerate(zip(m.units, shares, strict=True)):
            offset = 0.06 * (stable_unit("offset", m.code, unit) - 0.5)
            rows.append(
                _agency_row(
                    portal=m.code, sector="ministry", code=f"{m.code}.{k + 1:02d}", name=unit,
                    level="Bộ", profile="ministry", slow=rate >= FAST_MINISTRY,
                    volume=volume * share / 1000, rate=rate + offset, kappa=0.5,
                    online_2022=online, online_2023=online * 1.2 + 0.04,
                )
            )  # fmt: skip
    return pl.DataFrame(rows).with_row_index("agency").with_columns(pl.col("agency").cast(pl.Int64))


def _agency_row(**values: object) -> dict[str, object]:
    """Fill in the parameters that follow from the others and a stable hash of the code."""
    code = str(values["code"])
    rate = min(0.998, max(0.05, float(values["rate"])))  # type: ignore[arg-type]
    return values | {
        "rate": rate,
        "early": 0.55 + 0.3 * stable_unit("early", code),
        "overdue": 0.03 + 0.25 * (1 - rate),
        "received_ratio": 0.97 + 0.06 * stable_unit("received", code),
    }


def _month_frame() -> pl.DataFrame:
    """The 36 report months with each profile's share of its year."""
    rows = []
    profiles = {name: year_weights(name, (1, 1, 1, 1)) for name in QUARTER_PROFILE}
    for year in YEARS:
        for m in range(12):
            for name, weights in profiles.items():
                rows.append((year, m + 1, m // 3 + 1, name, weights[m]))
    return pl.DataFrame(rows, schema=["year", "month", "quarter", "profile", "share"], orient="row")


def report_plan(agencies: pl.DataFrame, knobs: Knobs) -> pl.DataFrame:
    """Report rows (all eleven counts) of every agency outside Lạng Sơn for 2022–2024.

    Every agency keeps its rates in every month (late and overdue counts rounded as
    bad_count says). 2023 volumes are 2022's times the quarter factors and the slow
    provinces' growth (ministries: the faster ministries' growth); 2024 repeats 2023.
    """
    col = pl.col
    scale = pl.lit(pl.Series([*SCALE_2023[:3], knobs.q4_scale])).gather(col("quarter") - 1)
    locality = col("sector") == "locality"
    growth = (
        pl.when(locality)
        .then(scale * pl.when("slow").then(GROWTH_SLOW_PROVINCES).otherwise(1.0))
        .otherwise(pl.when("slow").then(knobs.ministry_growth).otherwise(1.0))
    )
    shift = pl.when(locality).then(pl.when("slow").then(knobs.slow_shift).otherwise(0.0))
    rate = (col("rate") + shift.otherwise(knobs.ministry_shift)).clip(0.05, 0.998)
    online_2022 = col("online_2022") * pl.when(locality).then(knobs.online_2022).otherwise(1.0)
    online_2023 = col("online_2023") * pl.when(locality).then(knobs.online_2023).otherwise(1.0)
    online_2022 = online_2022.clip(0.005, 0.9)
    online_2023 = pl.max_horizontal(online_2023.clip(0.02, 0.95), online_2022 + 0.03)
    december = col("month") == 12
    overdue_share = (
        pl.when(december & (col("year") == 2022))
        .then(OVERDUE_DECEMBER[2022])
        .when(december)
        .then(OVERDUE_DECEMBER[2023])
        .otherwise(col("overdue"))
    )
    plan = agencies.join(_month_frame(), on="profile").with_columns(
        resolved_total=(
            col("volume") * col("share") * pl.when(col("year") == 2022).then(1.0).otherwise(growth)
        )
        .round()
        .cast(pl.Int64),
        rate_now=rate,
        sigma=pl.when(col("year") == 2022).then(online_2022).otherwise(online_2023),
    )
    plan = plan.with_columns(
        resolved_late=bad_count(1 - col("rate_now"), col("resolved_total"), col("year")),
        new=(col("resolved_total") * col("received_ratio")).round().cast(pl.Int64),
        pending_total=(col("resolved_total") * col("kappa")).round().cast(pl.Int64),
    )
    plan = plan.with_columns(
        resolved_early=share_floor(col("early"), col("resolved_total") - col("resolved_late")),
        received_online=share_floor(col("sigma"), col("new")),
        pending_overdue=bad_count(overdue_share, col("pending_total"), col("year")),
    ).with_columns(
        resolved_on_time=col("resolved_total") - col("resolved_late") - col("resolved_early"),
        received_offline=col("new") - col("received_online"),
        pending_in_time=col("pending_total") - col("pending_overdue"),
        agency_code=col("code"),
        agency_name=col("name"),
    )
    return with_totals(plan)
