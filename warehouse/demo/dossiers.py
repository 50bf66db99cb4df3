"""The dossiers Lạng Sơn's agencies received: slots, procedures, receipt and settlement, all pure
functions of the slot (see simulate_dossiers); dossier_flags.py adds the flags."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from warehouse.demo.dossier_flags import dossier_flags
from warehouse.demo.lang_son_agencies import named_on
from warehouse.demo.lang_son_volumes import agency_shares, lang_son_counts
from warehouse.demo.model import bad_count, share_floor
from warehouse.demo.slot_draws import (
    S_CLOCK,
    S_DAY,
    S_LATE,
    S_LATE_DAYS,
    S_ON_TIME,
    S_ONLINE,
    S_PICK,
    S_POSTAL,
    S_STATUS,
    S_TAKEN,
    S_TIME,
    draw,
    rank,
)
from warehouse.demo.workdays import (
    HOLIDAYS,
    business,
    completion_cap,
    counter_day,
    month_days,
    month_index,
)

if TYPE_CHECKING:
    from warehouse.demo.lang_son_agencies import LsAgency
    from warehouse.demo.lang_son_catalogue import LsCatalogue

REFUSED_PER_10K, WITHDRAWN_PER_10K = 120, 40


def simulate_dossiers(
    years: tuple[int, ...], agencies: list[LsAgency], catalogue: LsCatalogue, online_scale: float
) -> pl.DataFrame:
    """The dossiers Lạng Sơn's agencies received in `years` (a `year` column says which), each
    year's settled by 10 January after.

    A dossier is a slot (agency, month, k); everything but its dates is a function of the slot,
    not of the year, so every year from 2023 receives the same mix. The rates the checks compare
    are stratified rather than drawn, so a small agency's month cannot swing by a point from
    chance: see _settle (late) and dossier_flags (the other flags), which take every year's
    dossiers together, so that a month holding the end of one year's dossiers and the start of
    the next's is stratified as one.
    """
    received = pl.concat([_received(year, agencies, catalogue, online_scale) for year in years])
    return _dossier_codes(dossier_flags(_settle(received)), agencies)


def _received(
    year: int, agencies: list[LsAgency], catalogue: LsCatalogue, online_scale: float
) -> pl.DataFrame:
    """One year's slots: channel, procedure, receipt and due date."""
    counts = lang_son_counts(agencies, year).join(
        agency_shares(agencies, year, online_scale), on="agency"
    )
    slots = _slots(counts).with_columns(
        year=pl.lit(year, pl.Int32),
        key=pl.col("agency") * 100_000_000 + pl.col("month") * 1_000_000 + pl.col("k"),
    )
    slots = slots.with_columns(
        online=rank(S_ONLINE, "agency", "month") < share_floor(pl.col("sigma"), pl.col("n"))
    )
    slots = _pick_procedures(slots, catalogue.services, catalogue.counter)
    slots = slots.join(catalogue.procedures, on="procedure", how="left")
    return _receive(slots, year)


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
        u=draw(S_PICK, 1_000_000).cast(pl.Float64) / 1_000_000,
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
    """Every day of the year and, beside each, the day the counter takes what arrives on it
    (counter_day), flattened, with each month's offset and length."""
    every, counter, rows = [], [], []
    for month in range(1, 13):
        days = month_days(year, month, working=False)
        rows.append((month, len(every), len(days)))
        every += days
        counter += [counter_day(day) for day in days]
    offsets = pl.DataFrame(rows, schema=["month", "all_first", "all_n"], orient="row")
    return pl.Series(every, dtype=pl.Date), pl.Series(counter, dtype=pl.Date), offsets


def _receive(slots: pl.DataFrame, year: int) -> pl.DataFrame:
    """Receipt, channel, processing start (next working day after 16 h) and due date (Ngày hẹn
    trả, 17:00). A slot's day of the month is drawn from the slot alone, the same in every year:
    online it is received that day, at any hour (mostly 7–22 h); at the counter, in office hours
    of the last working day up to it (counter_day). So the slots received in the first days of
    a month are the same slots every year, which keeps a month counted to some day (the exports'
    last month) like with like."""
    every, counter, offsets = _calendar_frame(year)
    slots = slots.join(offsets, on="month")
    position = pl.col("all_first") + draw(S_DAY, 1_000_000) * pl.col("all_n") // 1_000_000
    day = (
        pl.when("online")
        .then(pl.lit(every).gather(position))
        .otherwise(pl.lit(counter).gather(position))
    )
    clock = draw(S_TIME, 54_000)
    office = (
        pl.when(clock % 27_000 < 14_400)
        .then(27_000 + clock % 27_000)
        .otherwise(34_200 + clock % 27_000)
    )
    seconds = (
        pl.when(pl.col("online") & (draw(S_CLOCK, 10) < 8))
        .then(25_200 + clock)
        .when("online")
        .then(draw(S_CLOCK + 100, 86_400))
        .otherwise(office)
    )
    slots = slots.with_columns(day=day).with_columns(
        received_at=pl.col("day").cast(pl.Datetime("us")) + pl.duration(seconds=seconds),
        channel=pl.when("online")
        .then(pl.lit("Trực tuyến"))
        .when(draw(S_POSTAL, 100) < 4)
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
    ).drop("all_first", "all_n")


def _settle(slots: pl.DataFrame) -> pl.DataFrame:
    """Status and completion: early or on the due date; then, of each agency's completions in a
    month, exactly the late share (see bad_count) are moved one or two working days past their
    due date, within the same month, so a late dossier never sits overdue in a month-end stock."""
    status = draw(S_STATUS, 10_000)
    on_time = (draw(S_ON_TIME, 100) < 25) | (pl.col("days_eff") == 0)
    taken = (
        pl.when(on_time)
        .then(pl.col("days_eff"))
        .otherwise(draw(S_TAKEN, 1_000_000) * pl.col("days_eff") // 1_000_000)
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
        late_day=business(pl.col("due"), 1 + draw(S_LATE_DAYS, 2)),
    )
    candidate = (
        resolved
        & (pl.col("done") == pl.col("due"))
        & (month_index(pl.col("late_day")) == pl.col("done_month"))
    )
    n_resolved = resolved.cast(pl.Int64).sum().over(cell)
    quota = bad_count(pl.col("late"), n_resolved, 2000 + pl.col("done_month") // 12)
    slots = slots.with_columns(candidate=candidate, quota=quota).with_columns(
        late_rank=pl.when("candidate").then(rank(S_LATE, *cell, "candidate"))
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
    return start + pl.duration(seconds=span * draw(stream, 1000) // 1000)


def _dossier_codes(slots: pl.DataFrame, agencies: list[LsAgency]) -> pl.DataFrame:
    """The receiving unit as named on the day of receipt (lang_son_agencies.named_on), and Mã hồ
    sơ: its code, the receipt date (yymmdd), the unit's sequence number that day."""
    slots = named_on(slots, pl.col("day"), agencies).sort("received_at", "key")
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
