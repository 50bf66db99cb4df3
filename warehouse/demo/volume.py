"""Synthetic dossier lists (danh sách hồ sơ) at any volume, for load tests and benchmarks.

Real exports cannot be shared, and small hand-written fixtures say nothing about speed or memory,
so this writes files in the contract's CSV form (spec/portal-exports.md §1a, §2, §3) with
plausible distributions. Every row is valid under the contract, so rows read = rows loaded and a
benchmark measures loading, not rejecting.

Speed and memory: a row's values are pure functions of (seed, row number), computed with polars
expressions on integer columns (splitmix64, draws.py). Rows are made and appended in chunks of
whole receipt days, so memory is bounded by the chunk and the per-day sequence numbers of the
dossier codes never straddle two chunks. The output does not depend on the chunk size. The file
is written by the dossier-list writer the demo uses (dossier_csv.py), under the vocabulary's
header texts.

    uv run python -m warehouse.demo.volume OUT.csv --rows 2000000
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl

from warehouse.demo.dossier_csv import DossierCsv
from warehouse.demo.draws import GOLDEN, MASK64, finalize, uniform
from warehouse.demo.volume_catalogue import (
    AGENCY_SLOTS,
    PROCEDURE_SLOTS,
    SERVICE_LEVELS,
    Catalogue,
    build_catalogue,
)
from warehouse.demo.workdays import HOLIDAYS, business

YEAR = 2023
CUTOFF = datetime(YEAR, 12, 31, 23, 59, 59)  # export time: later events have not happened yet
# The release written: the first synonym of every header, `,`, UTF-8 with BOM, LF line ends.
RELEASE = DossierCsv(newline="\n")
DATETIME_FORMAT = RELEASE.timestamp
CHANNELS = ["Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính công ích"]
STATUSES = [
    "Đã trả kết quả",  # 0
    "Đã có kết quả",  # 1
    "Trả lại",  # 2
    "Công dân rút hồ sơ",  # 3
    "Chờ bổ sung",  # 4
    "Tạm dừng",  # 5
    "Đang xử lý",  # 6
]
# Upper bounds (per 10,000) of each status drawn before the export cutoff is applied; the cutoff
# then turns late-December dossiers still in progress into "Đang xử lý" / "Đã có kết quả".
STATUS_BOUNDS = [9_340, 9_540, 9_690, 9_770, 9_860, 9_900, 10_000]
YES_NO = [True, False, None]  # Có, Không, empty (paid_online: no fee)
SATISFACTION = ["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", None]
DEFAULT_CHUNK_ROWS = 250_000


def _draw(seed: int, stream: int, modulus: int) -> pl.Expr:
    """A uniform integer in [0, modulus) per row; each stream is an independent draw."""
    stream_seed = finalize((seed * 0x100000001B3 + stream * GOLDEN) & MASK64)
    return uniform(pl.col("i"), stream_seed, modulus)


def _pick(values: list, index: pl.Expr, dtype: pl.DataType = pl.String) -> pl.Expr:
    """values[index] for every row, vectorised (a gather from a small literal Series)."""
    return pl.lit(pl.Series(values, dtype=dtype)).gather(index)


def _bucket(draw: pl.Expr, bounds: list[int]) -> pl.Expr:
    """Index of the first bound above `draw`: a categorical draw from cumulative weights."""
    return (
        pl.lit(pl.Series(bounds, dtype=pl.Int64)).search_sorted(draw, side="right").cast(pl.Int64)
    )


# ---------------------------------------------------------------------------------------------
# Rows: integer columns from the hash, then catalogue values gathered by index.


def _day_starts(n_rows: int) -> list[int]:
    """First row of each day of the year (plus n_rows): weekdays busy, weekends and holidays quiet.

    Rows are laid out in receipt-day order, as portals export them.
    """
    holidays = set(HOLIDAYS)
    weights = []
    day = date(YEAR, 1, 1)
    while day.year == YEAR:
        weight = 100 if day.weekday() < 5 else (30 if day.weekday() == 5 else 6)
        weights.append(6 if day in holidays else weight)
        day += timedelta(days=1)
    total, running, starts = sum(weights), 0, []
    for weight in weights:
        starts.append(n_rows * running // total)
        running += weight
    return [*starts, n_rows]


def _chunks(day_starts: list[int], chunk_rows: int) -> list[tuple[int, int]]:
    """(first row, end row) of runs of whole days holding about chunk_rows rows each."""
    bounds, first = [], 0
    for start in day_starts[1:]:
        if start - first >= chunk_rows:
            bounds.append((first, start))
            first = start
    if first < day_starts[-1]:
        bounds.append((first, day_starts[-1]))
    return bounds


def _seconds(expr: pl.Expr) -> pl.Expr:
    return pl.duration(seconds=expr, time_unit="us")


def _office_seconds(draw: pl.Expr) -> pl.Expr:
    """Second of the day for a draw in [0, 27000): counters open 07:30–11:30 and 13:30–17:00."""
    return pl.when(draw < 14_400).then(27_000 + draw).otherwise(34_200 + draw)


def _working_day(day: pl.Expr, n_days: pl.Expr) -> pl.Expr:
    """Midnight of the n-th working day (ngày làm việc) from `day`, skipping weekends, holidays."""
    return business(day, n_days).cast(pl.Datetime("us"))


def _chunk(first: int, end: int, day_starts: pl.Series, cat: Catalogue, seed: int) -> pl.DataFrame:
    """The dossiers of rows [first, end), sorted by receipt time, in canonical columns."""

    def draw(stream: int, modulus: int) -> pl.Expr:
        return _draw(seed, stream, modulus)

    col = pl.col
    frame = pl.DataFrame({"i": pl.int_range(first, end, dtype=pl.UInt64, eager=True)})
    day = pl.lit(day_starts).search_sorted(col("i").cast(pl.Int64), side="right")
    frame = frame.with_columns(
        day=day.cast(pl.Int64) - 1,
        agency=_pick(cat.agency_slots, draw(1, AGENCY_SLOTS), pl.Int64),
    )
    procedure = col("agency") * PROCEDURE_SLOTS + draw(2, PROCEDURE_SLOTS)
    frame = frame.with_columns(procedure=_pick(cat.procedure_slots, procedure, pl.Int64))
    frame = frame.with_columns(
        service_level=_pick(cat.service_level, col("procedure"), pl.Int64),
        days_allowed=_pick(cat.days_allowed, col("procedure"), pl.Int64),
        has_fee=_pick(cat.has_fee, col("procedure"), pl.Boolean),
    )
    # Channel (Hình thức nộp): online share per mille by Mức độ DVC, 3% by post.
    online_share = _pick([700, 400, 0], col("service_level"), pl.Int64)
    channel = pl.when(draw(3, 1000) < online_share).then(0)
    frame = frame.with_columns(channel=channel.when(draw(3, 1000) < 970).then(1).otherwise(2))

    # Receipt: online at any hour (mostly 07–22h), at the counter in office hours.
    online = pl.when(draw(4, 10) < 7).then(25_200 + draw(5, 54_000)).otherwise(draw(5, 86_400))
    time_of_day = pl.when(col("channel") == 0).then(online)
    time_of_day = time_of_day.otherwise(_office_seconds(draw(6, 27_000)))
    received = pl.lit(datetime(YEAR, 1, 1)) + pl.duration(days=col("day"))
    frame = frame.with_columns(received_at=received + _seconds(time_of_day))
    # Due (Ngày hẹn trả): 17:00 of the allowed working days, counted from the next day after 16h.
    late_in_day = (col("received_at").dt.hour() >= 16).cast(pl.Int64)
    frame = frame.with_columns(base=col("received_at").dt.date() + pl.duration(days=late_in_day))
    frame = frame.with_columns(
        due_at=_working_day(col("base"), col("days_allowed")) + pl.duration(hours=17),
        status=_bucket(draw(7, 10_000), STATUS_BOUNDS),
    )

    # Result (Ngày có kết quả): a working day within the allowed time, about 2% late, refusals
    # early; then a time that day, not before receipt and not after 17:00.
    fraction = draw(8, 1001)
    days_taken = (
        pl.when(col("status") == 2)
        .then(col("days_allowed") * fraction // 4000)
        .when(draw(9, 1000) < 20)
        .then(col("days_allowed") + 1 + draw(10, 10))
        .otherwise(col("days_allowed") * fraction // 1000)
    )
    result_day = _working_day(col("base"), days_taken)
    start = pl.max_horizontal(col("received_at"), result_day + pl.duration(minutes=450))
    window = (result_day + pl.duration(hours=17) - start).dt.total_seconds()
    completed = start + _seconds(window * draw(11, 1000) // 1000)
    frame = frame.with_columns(completed_at=pl.when(col("status") <= 2).then(completed))
    # Nothing happens after the export: what would finish later is still being processed.
    finished = col("completed_at") <= CUTOFF
    frame = frame.with_columns(
        status=pl.when(col("completed_at") > CUTOFF).then(6).otherwise(col("status")),
        completed_at=pl.when(finished).then(col("completed_at")),
    )
    # Hand-over (Ngày trả kết quả): often within two hours, else 1–3 working days later.
    later = _working_day(col("completed_at").dt.date(), 1 + draw(13, 3))
    later = later + _seconds(_office_seconds(draw(14, 27_000)))
    soon = col("completed_at") + _seconds(draw(15, 7_200))
    handed_over = col("status") == 0
    returned = pl.when(col("status") == 2).then(col("completed_at"))
    returned = returned.when(handed_over & (draw(12, 10) < 6)).then(soon)
    frame = frame.with_columns(returned_at=returned.when(handed_over).then(later))
    frame = frame.with_columns(
        status=pl.when((col("status") == 0) & (col("returned_at") > CUTOFF))
        .then(1)
        .otherwise(col("status")),
        returned_at=pl.when(col("returned_at") <= CUTOFF).then(col("returned_at")),
    )

    # Yes/no columns (Có / Không / empty = no fee) and the rating (Mức độ hài lòng).
    paid = pl.when(~col("has_fee")).then(2)
    paid = paid.when((col("channel") == 0) & (draw(16, 100) < 75)).then(0).otherwise(1)
    rating = _bucket(draw(19, 100), [55, 90, 98, 100])
    rated = (col("status") <= 2) & (draw(20, 100) < 45)
    frame = frame.with_columns(
        digitized=_bucket(draw(17, 100), [72, 97, 100]),
        e_result=_bucket(draw(18, 100), [55, 97, 100]),
        paid_online=paid,
        satisfaction=pl.when(rated).then(rating).otherwise(4),
    )

    # Dossier code: receiving unit, receipt date, that unit's sequence of the day.
    frame = frame.sort("received_at", "i")
    sequence = pl.int_range(1, pl.len() + 1).over("agency", "day")
    agency_code = _pick(cat.agency_code, col("agency"))
    yymmdd = _pick(
        [(date(YEAR, 1, 1) + timedelta(d)).strftime("%y%m%d") for d in range(366)], col("day")
    )
    code = [agency_code, pl.lit("-"), yymmdd, pl.lit("-"), sequence.cast(pl.String).str.zfill(6)]
    return frame.select(
        pl.concat_str(code).alias("dossier_code"),
        _pick(cat.procedure_code, col("procedure")).alias("procedure_code"),
        _pick(cat.procedure_name, col("procedure")).alias("procedure_name"),
        _pick(cat.field_name, col("procedure")).alias("field_name"),
        agency_code.alias("agency_code"),
        _pick(cat.agency_name, col("agency")).alias("agency_name"),
        _pick(cat.agency_level, col("agency")).alias("level"),
        _pick(CHANNELS, col("channel")).alias("channel"),
        _pick(SERVICE_LEVELS, col("service_level")).alias("service_level"),
        "received_at",
        "due_at",
        "completed_at",
        "returned_at",
        _pick(STATUSES, col("status")).alias("status"),
        _pick(YES_NO, col("digitized"), pl.Boolean).alias("digitized"),
        _pick(YES_NO, col("e_result"), pl.Boolean).alias("e_result"),
        _pick(YES_NO, col("paid_online"), pl.Boolean).alias("paid_online"),
        _pick(SATISFACTION, col("satisfaction")).alias("satisfaction"),
    )


def write_dossier_csv(
    path: Path,
    n_rows: int,
    *,
    seed: int = 2023,
    portal_prefix: str = "H37",
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> Path:
    """Write n_rows dossiers received over 2023 to `path` (UTF-8 with BOM, `,`, Vietnamese headers).

    Same arguments → same bytes (chunk_rows changes only memory use, not the output).
    """
    if n_rows < 0:
        raise ValueError("n_rows must be >= 0")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cat = build_catalogue(portal_prefix)
    starts = _day_starts(n_rows)
    day_starts = pl.Series(starts, dtype=pl.Int64)

    def chunks() -> Iterator[pl.DataFrame]:
        for first, end in _chunks(starts, max(1, chunk_rows)):
            yield _chunk(first, end, day_starts, cat, seed)

    return RELEASE.write(path, chunks())


def main(argv: list[str] | None = None) -> int:
    """Command line: write a dossier CSV and say how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="CSV file to write")
    parser.add_argument("--rows", type=int, default=100_000, help="number of dossiers")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--portal-prefix", default="H37", help="unit code prefix, e.g. H37")
    parser.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    write_dossier_csv(
        args.out,
        args.rows,
        seed=args.seed,
        portal_prefix=args.portal_prefix,
        chunk_rows=args.chunk_rows,
    )
    seconds = time.perf_counter() - started
    size_mb = args.out.stat().st_size / 1e6
    print(f"{args.rows:,} rows, {size_mb:,.1f} MB → {args.out} in {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
