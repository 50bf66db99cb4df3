"""The flags of Lạng Sơn's settled dossiers: digitised, electronic result, online payment, rating,
hand-over and status text (dossiers.py settles them first)."""

from __future__ import annotations

import polars as pl

from warehouse.demo.model import share_floor
from warehouse.demo.slot_draws import (
    S_DIGITIZED,
    S_E_RESULT,
    S_PAID,
    S_RATING_TEXT,
    S_RETURNED,
    S_WITHDRAWN_TEXT,
    draw,
    mix,
    rank,
)
from warehouse.demo.workdays import business

E_RESULT = {"department": 0.86, "district": 0.78, "commune": 0.82}
DIGITIZED = {"department": 0.9, "district": 0.82, "commune": 0.78}
RATED, SATISFIED, PAID_ONLINE = 0.45, 0.96, 0.85
BETTER_FROM, BETTER = 2024, 0.03  # e-results and satisfaction a little better from 2024 on


def spread(share: pl.Expr, over: str) -> pl.Expr:
    """True where the running sum of `share` (in frame order, within `over`) passes a whole
    number: any stretch of rows then holds the sum of its shares to within one."""
    running = share.cum_sum().over(over)
    return (running + 1e-9).floor() > (running - share + 1e-9).floor()


def dossier_flags(slots: pl.DataFrame) -> pl.DataFrame:
    """Digitised, electronic result, payment, rating, hand-over and status texts, for the
    dossiers of every year at once.

    Flags counted by receipt (digitised, paid online) take exactly floor(share × n) of each
    agency-month, and the slots repeat from year to year, so those counts repeat too. Flags
    counted by completion date (electronic result, rating, satisfaction) follow each agency's
    completions in date order across the years and mark a dossier when the running sum of the
    shares passes a whole number, so every month, quarter, year or stretch of days holds its
    share to within one dossier; from 2024 the shares are three points higher, which absorbs
    that one dossier.
    """
    resolved = pl.col("state") == "resolved"
    receipt = ["agency", "year", "month"]
    better = pl.when(pl.col("year") >= BETTER_FROM).then(BETTER).otherwise(0.0)
    e_share = pl.col("kind").replace_strict(E_RESULT, return_dtype=pl.Float64) + better
    digitized_share = pl.col("kind").replace_strict(DIGITIZED, return_dtype=pl.Float64)
    slots = slots.with_columns(
        digitized=rank(S_DIGITIZED, *receipt) < share_floor(digitized_share, pl.col("n")),
        order=mix(pl.col("key"), S_E_RESULT),
    )
    slots = slots.sort("agency", "done", "order", "year", nulls_last=True)
    slots = slots.with_columns(
        e_result=resolved & spread(pl.when(resolved).then(e_share).otherwise(0.0), "agency"),
        rated=resolved & spread(pl.when(resolved).then(RATED).otherwise(0.0), "agency"),
    )
    satisfied = pl.when("rated").then(SATISFIED + better).otherwise(0.0)
    slots = slots.with_columns(satisfied=pl.col("rated") & spread(satisfied, "agency"))
    online_fee = pl.col("online") & pl.col("fee")
    paid_quota = share_floor(PAID_ONLINE, online_fee.cast(pl.Int64).sum().over(receipt))
    paid_rank = pl.when(online_fee).then(rank(S_PAID, *receipt, "online", "fee"))
    happy = draw(S_RATING_TEXT, 100) < 62
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
            pl.when(draw(S_RATING_TEXT, 3) == 0)
            .then(pl.lit("Không hài lòng"))
            .otherwise(pl.lit("Bình thường"))
        )
        .otherwise(pl.lit("")),
    )
    return _hand_over(slots)


def _hand_over(slots: pl.DataFrame) -> pl.DataFrame:
    """Hand-over (Ngày trả kết quả): often the same day, else the next working day; and the
    status text that goes with it."""
    resolved = pl.col("state") == "resolved"
    next_day = business(pl.col("done"), 1).cast(pl.Datetime("us")) + pl.duration(
        seconds=27_000 + draw(S_RETURNED, 14_400)
    )
    soon = pl.col("completed_at") + pl.duration(seconds=600 + draw(S_RETURNED + 100, 5_400))
    returned = (
        pl.when(pl.col("state") == "refused")
        .then("completed_at")
        .when(resolved & (draw(S_RETURNED + 200, 100) < 55))
        .then(soon)
        .when(resolved & (draw(S_RETURNED + 200, 100) < 97))
        .then(next_day)
    )
    slots = slots.with_columns(returned_at=returned)
    status = (
        pl.when(pl.col("state") == "refused")
        .then(pl.lit("Trả lại"))
        .when(pl.col("state") == "withdrawn")
        .then(
            pl.when(draw(S_WITHDRAWN_TEXT, 2) == 0)
            .then(pl.lit("Rút hồ sơ"))
            .otherwise(pl.lit("Công dân rút hồ sơ"))
        )
        .when(pl.col("returned_at").is_null())
        .then(pl.lit("Đã có kết quả"))
        .otherwise(pl.lit("Đã trả kết quả"))
    )
    return slots.with_columns(status=status)
