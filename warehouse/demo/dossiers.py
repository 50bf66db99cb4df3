"""The dossiers Lạng Sơn's agencies received in a year: slots, procedures, receipt, settlement
and flags, all pure functions of the slot (see simulate_dossiers)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import polars as pl

from warehouse.demo.draws import splitmix64, stable_hash, u64
from warehouse.demo.lang_son_volumes import agency_shares, lang_son_counts
from warehouse.demo.model import bad_count, share_floor, steps
from warehouse.demo.workdays import HOLIDAYS, business, completion_cap, month_days, month_index

if TYPE_CHECKING:
    from warehouse.demo.lang_son import LsAgency


def _mix(key: pl.Expr, stream: int) -> pl.Expr:
    """splitmix64 of (row key, stream): independent draws per stream."""
    return splitmix64(key, stable_hash("stream", stream))


def _draw(stream: int, modulus: int) -> pl.Expr:
    """A uniform integer in [0, modulus) per dossier slot."""
    return (_mix(pl.col("key"), stream) % u64(modulus)).cast(pl.Int64)


def _rank(stream: int, *over: str) -> pl.Expr:
    """A random order (0, 1, …) of the slots inside each group: stratified counts take a prefix."""
    return _mix(pl.col("key"), stream).rank("ordinal").over(over).cast(pl.Int64) - 1


S_ONLINE, S_POSTAL, S_PICK, S_DAY, S_TIME, S_STATUS, S_ON_TIME, S_TAKEN = range(1, 9)
S_CLOCK, S_LATE, S_LATE_DAYS, S_E_RESULT, S_RATING, S_RATING_TEXT = range(9, 15)
S_DIGITIZED, S_PAID, S_RETURNED, S_WITHDRAWN_TEXT = range(15, 19)
REFUSED_PER_10K, WITHDRAWN_PER_10K = 120, 40
E_RESULT = {"department": 0.86, "district": 0.78, "commune": 0.82}
DIGITIZED = {"department": 0.9, "district": 0.82, "commune": 0.78}
RATED, SATISFIED, PAID_ONLINE = 0.45, 0.96, 0.85


def simulate_dossiers(
    year: int,
    agencies: list[LsAgency],
    procedures: pl.DataFrame,
    services: pl.DataFrame,
    offline: pl.DataFrame,
    online_scale: float,
) -> pl.DataFrame:
    """The dossiers Lạng Sơn's agencies received in `year`, settled by 10 January after.

    A dossier is a slot (agency, month, k); everything but its dates is a function of the slot,
    not of the year, so 2024 receives the same mix as 2023. The rates the checks compare are
    stratified rather than drawn, so a small agency's month cannot swing by a point from chance:
    see _settle (late) and _flags (the other flags).
    """
    counts = lang_son_counts(agencies, year).join(
        agency_shares(agencies, year, online_scale), on="agency"
    )
    slots = _slots(counts).with_columns(
        key=pl.col("agency") * 100_000_000 + pl.col("month") * 1_000_000 + pl.col("k")
    )
    slots = slots.with_columns(
        online=_rank(S_ONLINE, "agency", "month") < share_floor(pl.col("sigma"), pl.col("n"))
    )
    slots = _pick_procedures(slots, services, offline)
    slots = slots.join(procedures, on="procedure", how="left")
    slots = _receive(slots, year)
    slots = _settle(slots)
    slots = _flags(slots, year)
    return _dossier_codes(slots, agencies)


def _slots(counts: pl.DataFrame) -> pl.DataFrame:
    """One row per dossier slot k = 0 … n-1 of each (agency, month) row of `counts`, in order."""
    ends = counts["n"].cum_sum()
    index = pl.DataFrame({"i": pl.int_range(0, ends[-1], eager=True, dtype=pl.Int64)})
    cell = pl.lit(ends).search_sorted(pl.col("i"), side="right").cast(pl.Int64)
    rows = counts.with_columns(first=ends - pl.col("n")).with_row_index("cell")
    slots = index.with_columns(cell=cell).join(
        rows.with_columns(pl.col("cell").cast(pl.Int64)), on="cell"
    )
    return slots.with_columns(k=pl.col("i") - pl.col("first")).drop("i", "cell", "first")


def _pick_procedures(
    slots: pl.DataFrame, services: pl.DataFrame, offline: pl.DataFrame
) -> pl.DataFrame:
    """Online dossiers go to used catalogue services, each at least once a year; counter
    dossiers to any procedure of the agency; busier services more often (Zipf weights)."""
    used = services.filter("used").with_row_index("row")
    used_first = used.group_by("agency").agg(
        pl.col("row").min().alias("used_first"), pl.len().alias("used_n")
    )
    online_pick = _weighted_choice(used, "agency")
    counter_pick = _weighted_choice(offline.with_row_index("row"), "agency")
    slots = slots.join(used_first, on="agency", how="left").with_columns(
        j=(pl.col("online").cast(pl.Int64).cum_sum().over("agency") - 1),
        n_online=pl.col("online").cast(pl.Int64).sum().over("agency"),
        u=_draw(S_PICK, 1_000_000).cast(pl.Float64) / 1_000_000,
    )
    i = (pl.col("j") * pl.col("used_n") + pl.col("n_online") - 1) // pl.col("n_online")
    cover = (
        pl.col("online")
        & (i < pl.col("used_n"))
        & ((i * pl.col("n_online")) // pl.col("used_n") == pl.col("j"))
    )
    x = pl.col("agency").cast(pl.Float64) + pl.col("u")
    slots = slots.with_columns(
        row=pl.when(cover)
        .then(pl.col("used_first") + i)
        .otherwise(pl.lit(online_pick).search_sorted(x, side="right").cast(pl.Int64)),
        counter_row=pl.lit(counter_pick).search_sorted(x, side="right").cast(pl.Int64),
    )
    used_rows = used.select("row", "procedure", "service_level")
    counter_rows = offline.with_row_index("counter_row").select(
        pl.col("counter_row").cast(pl.Int64),
        pl.col("procedure").alias("counter_procedure"),
        pl.col("service_level").alias("counter_level"),
    )
    slots = slots.join(used_rows.with_columns(pl.col("row").cast(pl.Int64)), on="row", how="left")
    slots = slots.join(counter_rows, on="counter_row", how="left")
    return slots.with_columns(
        procedure=pl.when("online").then("procedure").otherwise("counter_procedure"),
        service_level=pl.when("online").then("service_level").otherwise("counter_level"),
    ).drop("row", "counter_row", "counter_procedure", "counter_level", "used_first", "u", "j")


def _weighted_choice(choices: pl.DataFrame, group: str) -> pl.Series:
    """Cumulative bounds such that agency a + u (u uniform in [0, 1)) falls in a row of a's
    choices with probability proportional to its weight (one search_sorted for every slot)."""
    running = pl.col("weight").cum_sum().over(group)
    # the upper end of row r's interval; the group's last is exactly group + 1, so
    # search_sorted(x, side="right") (the number of bounds ≤ x) is r
    return choices.select(
        (pl.col(group).cast(pl.Float64) + running / running.max().over(group)).alias("bound")
    )["bound"]


def _calendar_frame(year: int) -> tuple[pl.Series, pl.Series, pl.DataFrame]:
    """All days and working days of the year, flattened, with each month's offsets."""
    every, working, rows = [], [], []
    for month in range(1, 13):
        a, w = month_days(year, month, working=False), month_days(year, month, working=True)
        rows.append((month, len(every), len(a), len(working), len(w)))
        every += a
        working += w
    offsets = pl.DataFrame(
        rows, schema=["month", "all_first", "all_n", "work_first", "work_n"], orient="row"
    )
    return pl.Series(every, dtype=pl.Date), pl.Series(working, dtype=pl.Date), offsets


def _receive(slots: pl.DataFrame, year: int) -> pl.DataFrame:
    """Receipt (online any day and hour, mostly 7–22 h; at the counter in office hours), channel,
    processing start (next working day after 16 h) and due date (Ngày hẹn trả, 17:00)."""
    every, working, offsets = _calendar_frame(year)
    slots = slots.join(offsets, on="month")
    u = _draw(S_DAY, 1_000_000)
    day = (
        pl.when("online")
        .then(pl.lit(every).gather(pl.col("all_first") + u * pl.col("all_n") // 1_000_000))
        .otherwise(pl.lit(working).gather(pl.col("work_first") + u * pl.col("work_n") // 1_000_000))
    )
    clock = _draw(S_TIME, 54_000)
    office = (
        pl.when(clock % 27_000 < 14_400)
        .then(27_000 + clock % 27_000)
        .otherwise(34_200 + clock % 27_000)
    )
    seconds = (
        pl.when(pl.col("online") & (_draw(S_CLOCK, 10) < 8))
        .then(25_200 + clock)
        .when("online")
        .then(_draw(S_CLOCK + 100, 86_400))
        .otherwise(office)
    )
    slots = slots.with_columns(day=day).with_columns(
        received_at=pl.col("day").cast(pl.Datetime("us")) + pl.duration(seconds=seconds),
        channel=pl.when("online")
        .then(pl.lit("Trực tuyến"))
        .when(_draw(S_POSTAL, 100) < 4)
        .then(pl.lit("Dịch vụ bưu chính công ích"))
        .otherwise(pl.lit("Trực tiếp")),
    )
    late_in_day = (pl.col("received_at").dt.hour() >= 16).cast(pl.Int32)
    base = business(pl.col("day") + pl.duration(days=late_in_day), 0)
    cap = pl.lit(completion_cap(year), dtype=pl.Date)
    slots = slots.with_columns(base=base).with_columns(
        due=pl.min_horizontal(business(pl.col("base"), pl.col("days")), cap)
    )
    return slots.with_columns(
        days_eff=pl.business_day_count(pl.col("base"), pl.col("due"), holidays=HOLIDAYS),
        due_at=pl.col("due").cast(pl.Datetime("us")) + pl.duration(hours=17),
    ).drop("all_first", "all_n", "work_first", "work_n")


def _settle(slots: pl.DataFrame) -> pl.DataFrame:
    """Status and completion: early or on the due date; then, of each agency's completions in a
    month, exactly the late share (see bad_count) are moved one or two working days past their
    due date, within the same month, so a late dossier never sits overdue in a month-end stock."""
    status = _draw(S_STATUS, 10_000)
    on_time = (_draw(S_ON_TIME, 100) < 25) | (pl.col("days_eff") == 0)
    taken = (
        pl.when(on_time)
        .then(pl.col("days_eff"))
        .otherwise(_draw(S_TAKEN, 1_000_000) * pl.col("days_eff") // 1_000_000)
    )
    slots = slots.with_columns(
        state=pl.when(status < REFUSED_PER_10K)
        .then(pl.lit("refused"))
        .when(status < REFUSED_PER_10K + WITHDRAWN_PER_10K)
        .then(pl.lit("withdrawn"))
        .otherwise(pl.lit("resolved")),
        done=business(pl.col("base"), taken),
    )
    slots = slots.with_columns(completed_at=_time_in_day(pl.col("done"), S_CLOCK + 200))
    resolved = pl.col("state") == "resolved"
    cell = ["agency", "done_month"]
    slots = slots.with_columns(
        done_month=month_index(pl.col("done")),
        late_day=business(pl.col("due"), 1 + _draw(S_LATE_DAYS, 2)),
    )
    candidate = (
        resolved
        & (pl.col("done") == pl.col("due"))
        & (month_index(pl.col("late_day")) == pl.col("done_month"))
    )
    n_resolved = resolved.cast(pl.Int64).sum().over(cell)
    quota = bad_count(pl.col("late"), n_resolved, 2000 + pl.col("done_month") // 12)
    slots = slots.with_columns(candidate=candidate, quota=quota).with_columns(
        late_rank=pl.when("candidate").then(_rank(S_LATE, *cell, "candidate"))
    )
    short = (
        slots.filter(pl.col("candidate"))
        .group_by(cell)
        .agg(pl.len().alias("c"), pl.col("quota").first())
        .filter(pl.col("c") < pl.col("quota"))
    )
    if short.height:
        raise RuntimeError(f"too few on-time dossiers to mark late: {short.head()}")
    is_late = pl.col("candidate") & (pl.col("late_rank") < pl.col("quota"))
    slots = slots.with_columns(
        done=pl.when(is_late).then("late_day").otherwise("done"),
        completed_at=pl.when(is_late)
        .then(_time_in_day(pl.col("late_day"), S_CLOCK + 300))
        .otherwise("completed_at"),
    )
    return slots.with_columns(
        completed_at=pl.when(pl.col("state") == "withdrawn").then(None).otherwise("completed_at"),
        done=pl.when(pl.col("state") == "withdrawn").then(None).otherwise("done"),
    ).drop("candidate", "quota", "late_rank", "late_day", "done_month")


def _time_in_day(day: pl.Expr, stream: int) -> pl.Expr:
    """A moment of `day` between the later of receipt and 07:30, and 17:00."""
    start = pl.max_horizontal(
        pl.col("received_at"), day.cast(pl.Datetime("us")) + pl.duration(minutes=450)
    )
    end = day.cast(pl.Datetime("us")) + pl.duration(hours=17)
    span = (end - start).dt.total_seconds().clip(lower_bound=0)
    return start + pl.duration(seconds=span * _draw(stream, 1000) // 1000)


def _flags(slots: pl.DataFrame, year: int) -> pl.DataFrame:
    """Digitised, electronic result, payment, rating, hand-over and status texts.

    Flags counted by receipt (digitised, paid online) take exactly floor(share × n) of each
    agency-month, and the slots repeat from year to year, so those counts repeat too. Flags
    counted by completion date follow each agency's completions in date order and mark the
    i-th when floor(share × i) steps up, so every month, quarter and year holds its share to
    within one dossier; 2024 shares are three points higher, which absorbs that one dossier.
    """
    resolved = pl.col("state") == "resolved"
    receipt = ["agency", "month"]
    better = 0.03 if year >= 2024 else 0.0
    e_share = pl.col("kind").replace_strict(E_RESULT, return_dtype=pl.Float64) + better
    digitized_share = pl.col("kind").replace_strict(DIGITIZED, return_dtype=pl.Float64)
    slots = slots.with_columns(
        digitized=_rank(S_DIGITIZED, *receipt) < share_floor(digitized_share, pl.col("n")),
        order=_mix(pl.col("key"), S_E_RESULT),
    )
    slots = slots.sort("agency", "done", "order", nulls_last=True)
    nth = resolved.cast(pl.Int64).cum_sum().over("agency")
    slots = slots.with_columns(
        e_result=resolved & steps(e_share, nth),
        rated=resolved & steps(pl.lit(RATED), nth),
    )
    nth_rated = pl.col("rated").cast(pl.Int64).cum_sum().over("agency")
    slots = slots.with_columns(
        satisfied=pl.col("rated") & steps(pl.lit(SATISFIED + better), nth_rated)
    )
    online_fee = pl.col("online") & pl.col("fee")
    paid_quota = share_floor(PAID_ONLINE, online_fee.cast(pl.Int64).sum().over(receipt))
    paid_rank = pl.when(online_fee).then(_rank(S_PAID, *receipt, "online", "fee"))
    happy = _draw(S_RATING_TEXT, 100) < 62
    slots = slots.with_columns(
        paid_online=pl.when(~pl.col("fee"))
        .then(pl.lit(""))
        .when(online_fee & (paid_rank < paid_quota))
        .then(pl.lit("Có"))
        .otherwise(pl.lit("Không")),
        satisfaction=pl.when("satisfied")
        .then(pl.when(happy).then(pl.lit("Rất hài lòng")).otherwise(pl.lit("Hài lòng")))
        .when("rated")
        .then(
            pl.when(_draw(S_RATING_TEXT, 3) == 0)
            .then(pl.lit("Không hài lòng"))
            .otherwise(pl.lit("Bình thường"))
        )
        .otherwise(pl.lit("")),
    )
    # hand-over (Ngày trả kết quả): often the same day, else the next working day
    cutoff = datetime(year + 1, 1, 15)
    next_day = business(pl.col("done"), 1).cast(pl.Datetime("us")) + pl.duration(
        seconds=27_000 + _draw(S_RETURNED, 14_400)
    )
    soon = pl.col("completed_at") + pl.duration(seconds=600 + _draw(S_RETURNED + 100, 5_400))
    returned = (
        pl.when(pl.col("state") == "refused")
        .then("completed_at")
        .when(resolved & (_draw(S_RETURNED + 200, 100) < 55))
        .then(soon)
        .when(resolved & (_draw(S_RETURNED + 200, 100) < 97))
        .then(next_day)
    )
    slots = slots.with_columns(returned_at=returned).with_columns(
        returned_at=pl.when(pl.col("returned_at") < cutoff).then("returned_at")
    )
    status = (
        pl.when(pl.col("state") == "refused")
        .then(pl.lit("Trả lại"))
        .when(pl.col("state") == "withdrawn")
        .then(
            pl.when(_draw(S_WITHDRAWN_TEXT, 2) == 0)
            .then(pl.lit("Rút hồ sơ"))
            .otherwise(pl.lit("Công dân rút hồ sơ"))
        )
        .when(pl.col("returned_at").is_null())
        .then(pl.lit("Đã có kết quả"))
        .otherwise(pl.lit("Đã trả kết quả"))
    )
    return slots.with_columns(status=status)


def agency_info(agencies: list[LsAgency]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "agency": [a.index for a in agencies],
            "agency_code": [a.code for a in agencies],
            "agency_name": [a.name for a in agencies],
            "level": [a.level for a in agencies],
        }
    )


def _dossier_codes(slots: pl.DataFrame, agencies: list[LsAgency]) -> pl.DataFrame:
    """Mã hồ sơ: receiving unit, receipt date (yymmdd), the unit's sequence number that day."""
    info = agency_info(agencies)
    slots = slots.join(info, on="agency").sort("received_at", "key")
    sequence = pl.int_range(1, pl.len() + 1).over("agency", "day")
    return slots.with_columns(
        dossier_code=pl.concat_str(
            "agency_code",
            pl.lit("-"),
            pl.col("day").dt.strftime("%y%m%d"),
            pl.lit("-"),
            sequence.cast(pl.String).str.zfill(4),
        ),
    )
