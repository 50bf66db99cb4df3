"""Report tables (Biểu 06 and vendor variants) → one row per agency (or field) and period.

Report tables are small, so the whole body is handled as one frame. Rows that are not data
(column numbers, the unit line, section rows, blank or signature lines, the totals row) are
recognised here and neither loaded nor counted as read; a section row sets the level of the
rows below it, and the totals row is compared with the sum of the rows that loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from warehouse.parse.file_warnings import FileWarning
from warehouse.parse.headers import HeaderMatch, RefusedFile
from warehouse.parse.periods import find_banner_period
from warehouse.parse.rejects import (
    RowRule,
    date_range_rule,
    missing_rule,
    split_rejects,
    unreadable_rule,
)
from warehouse.parse.text import fold_key
from warehouse.parse.values import parse_count_expr, parse_datetime_expr
from warehouse.parse.vocabulary import Vocabulary, load_vocabulary

IDENTITIES = {  # total → its parts (Circular 01/2020/TT-VPCP, Biểu 06)
    "received_total": ("carried_over", "received_online", "received_offline"),
    "resolved_total": ("resolved_early", "resolved_on_time", "resolved_late"),
    "pending_total": ("pending_in_time", "pending_overdue"),
}
_COLUMN_NUMBERS = r"^\(?\s*\d+\s*\)?(\s*[=+\-]\s*\(?\s*\d+\s*\)?)*$"
_TOTAL_LABELS = {"tong cong", "tong so", "cong", "tong", "total"}
_BANNER_AGENCY = re.compile(
    r"^(?:don vi|co quan|don vi bao cao|co quan bao cao|ten don vi)\s+(.+)$"
)
_SECTION_NUMBERING = re.compile(r"^(?:[ivx]+|[a-z]|\d+)\s+")
_ROW_LABEL = "row_label__"


@dataclass
class ParsedReport:
    rows: pl.DataFrame
    rejects: pl.DataFrame
    warnings: list[FileWarning] = field(default_factory=list)


def banner_agency(lines: list[str]) -> str | None:
    """`Đơn vị: Sở Tư pháp tỉnh Lạng Sơn` above a per-field table names its agency."""
    for line in lines:
        if ":" not in line or fold_key(line).startswith("don vi tinh"):
            continue
        label, _, value = line.partition(":")
        if _BANNER_AGENCY.match(fold_key(label) + " x") and value.strip():
            return value.strip()
    return None


def parse_report_table(
    body: pl.DataFrame,
    header: HeaderMatch,
    banner: list[str],
    *,
    excel_serials: bool,
    default_agency: str | None = None,
    vocabulary: Vocabulary | None = None,
) -> ParsedReport:
    """Typed report rows, rejects and file warnings from the cleaned text body of a table;
    `vocabulary` is the built-in one unless a configuration extends it."""
    vocabulary = vocabulary or load_vocabulary()
    counts = vocabulary.report.counts
    present = [c for c in counts if header.physical(c)]
    has_agency = bool(header.physical("agency_name"))
    has_field = bool(header.physical("field_name"))
    label_column = "agency_name" if has_agency else "field_name"
    if not (has_agency or has_field):
        raise RefusedFile(
            "required_column_missing", "a report table needs an agency or field column"
        )
    agency = None if has_agency else banner_agency(banner) or default_agency
    if not has_agency and agency is None:
        raise RefusedFile(
            "required_column_missing",
            "a per-field report table must name its agency in a banner line "
            "(Đơn vị: ...) or in the source configuration",
        )
    banner_period = find_banner_period(banner)
    has_row_period = bool(header.physical("period_from")) and bool(header.physical("period_to"))
    if banner_period is None and not has_row_period:
        raise RefusedFile(
            "required_column_missing",
            "no reporting period: neither a banner line such as 'Kỳ báo cáo: Quý I/2023' nor "
            "period_from / period_to columns",
        )

    def text(canonical: str) -> pl.Expr:
        sources = header.physical(canonical)
        return pl.col(f"c{sources[0]}") if sources else pl.lit(None, dtype=pl.String)

    frame = body.select(
        pl.col("source_row"),
        text(label_column).alias(_ROW_LABEL),
        *[text(c).alias(c) for c in ("agency_name", "agency_code", "field_name")],
        *[text(c).alias(c) for c in ("period_from", "period_to")],
        *[
            pl.concat_list(pl.col(f"c{i}") for i in header.physical(c)).alias(f"{c}__parts")
            for c in present
        ],
        pl.concat_list(pl.col(c) for c in body.columns if c != "source_row").alias("cells__"),
    )
    frame = _classify_rows(frame, present, vocabulary.report.sections)
    totals = frame.filter(pl.col("row_kind__") == "total")
    data = frame.filter(pl.col("row_kind__") == "data")
    data = data.with_columns(
        *[
            pl.col(f"{c}__parts").list.eval(parse_count_expr(pl.element())).alias(f"{c}__each")
            for c in present
        ],
    ).with_columns(
        *[
            pl.when(pl.col(f"{c}__parts").list.drop_nulls().list.len() == 0)
            .then(pl.lit(0, dtype=pl.Int64))  # a blank count cell in a published table is zero
            .when(
                pl.col(f"{c}__each").list.drop_nulls().list.len()
                < pl.col(f"{c}__parts").list.drop_nulls().list.len()
            )
            .then(None)
            .otherwise(pl.col(f"{c}__each").list.sum())
            .alias(f"{c}__v")
            for c in present
        ],
        pl.col(_ROW_LABEL).alias("label__raw"),
        *[
            parse_datetime_expr(pl.col(c), excel_serials=excel_serials).dt.date().alias(f"{c}__v")
            for c in ("period_from", "period_to")
        ],
    )
    rules: list[RowRule] = [missing_rule(label_column, _ROW_LABEL)]
    rules += [
        RowRule(
            c,
            "bad_number",
            pl.col(f"{c}__v").is_null(),
            pl.col(f"{c}__parts").list.join(" + ", ignore_nulls=True),
            f"{c}: expected a whole number of dossiers such as 1.234",
        )
        for c in present
    ]
    if has_row_period:
        for c in ("period_from", "period_to"):
            if banner_period is None:
                rules.append(missing_rule(c))
            rules.append(unreadable_rule(c, c, f"{c}__v", "bad_date", "a date such as 01/01/2023"))
    period_from, period_to = banner_period or (None, None)
    for c, stated in (("period_from", period_from), ("period_to", period_to)):
        # a row's own period, else the banner's: either way its dates must be in range
        given = pl.coalesce(pl.col(f"{c}__v"), pl.lit(stated, dtype=pl.Date))
        shown = pl.coalesce(pl.col(c), pl.lit(stated.strftime("%d/%m/%Y") if stated else None))
        rules.append(date_range_rule(c, shown, given))
    for total, parts in IDENTITIES.items():
        if total in present and all(p in present for p in parts):
            rules.append(_identity_rule(total, parts))
    valid, rejects = split_rejects(data, rules)
    rows = valid.select(
        (pl.col("agency_name") if has_agency else pl.lit(agency)).alias("agency_name"),
        pl.col("agency_code"),
        pl.col("field_name"),
        pl.col("level__"),
        pl.coalesce(pl.col("period_from__v"), pl.lit(period_from, dtype=pl.Date)).alias(
            "period_from"
        ),
        pl.coalesce(pl.col("period_to__v"), pl.lit(period_to, dtype=pl.Date)).alias("period_to"),
        *[
            (pl.col(f"{c}__v") if c in present else pl.lit(None, dtype=pl.Int64)).alias(c)
            for c in counts
        ],
        pl.col("source_row"),
    ).rename({"level__": "level"})
    warnings = _check_totals(totals, rows, present)
    return ParsedReport(rows=rows, rejects=rejects, warnings=warnings)


def _identity_rule(total: str, parts: tuple[str, ...]) -> RowRule:
    named = [total, *parts]
    return RowRule(
        total,
        "identity_failed",
        # judged only when every count was read: an unreadable one is its own reject
        pl.all_horizontal(pl.col(f"{c}__v").is_not_null() for c in named)
        & (pl.col(f"{total}__v") != pl.sum_horizontal(pl.col(f"{p}__v") for p in parts)),
        pl.concat_str(  # the counts as written, so the rejected row can be read back whole
            [
                pl.format(f"{c}={{}}", pl.col(f"{c}__parts").list.join(" + ", ignore_nulls=True))
                for c in named
            ],
            separator=", ",
        ),
        f"{total} ≠ {' + '.join(parts)}",
    )


def _classify_rows(
    frame: pl.DataFrame, present: list[str], sections: dict[str, str]
) -> pl.DataFrame:
    """Mark each row data | total | skip and carry section levels down to the agencies."""
    label_keys = [fold_key(v) if v else "" for v in frame[_ROW_LABEL].to_list()]
    cells = frame["cells__"].to_list()
    count_cells = frame.select(
        pl.concat_list(pl.col(f"{c}__parts") for c in present).list.drop_nulls().list.len()
        if present
        else pl.lit(0)
    ).to_series()
    kinds, levels = [], []
    level: str | None = None
    for key, row_cells, n_counts in zip(label_keys, cells, count_cells, strict=True):
        filled = [c for c in row_cells if c]
        first_keys = {fold_key(c) for c in filled[:2]}
        if (
            not filled
            or any(fold_key(c).startswith("don vi tinh") for c in filled)
            or all(re.match(_COLUMN_NUMBERS, c) for c in filled)
        ):
            kinds.append("skip")
        elif key in _TOTAL_LABELS or first_keys & _TOTAL_LABELS:
            kinds.append("total")
        elif n_counts == 0:
            section = _section_level(key, sections)
            if section:
                level = section
            kinds.append("skip")
        else:
            kinds.append("data")
        levels.append(level)
    return frame.with_columns(
        pl.Series("row_kind__", kinds, dtype=pl.String),
        pl.Series("level__", levels, dtype=pl.String),
    )


def _section_level(key: str, sections: dict[str, str]) -> str | None:
    key = _SECTION_NUMBERING.sub("", key)
    for prefix, level in sections.items():
        if key.startswith(prefix):
            return level
    return None


def _check_totals(
    totals: pl.DataFrame, rows: pl.DataFrame, present: list[str]
) -> list[FileWarning]:
    if totals.height == 0 or rows.height == 0:
        return []
    warnings = []
    total_row = totals.row(0, named=True)
    for column in present:
        stated = pl.DataFrame({"v": total_row[f"{column}__parts"]}).select(
            parse_count_expr(pl.col("v"))
        )["v"]
        if stated.null_count() == len(stated):
            continue
        stated_sum, loaded_sum = int(stated.sum()), int(rows[column].sum())
        if stated_sum != loaded_sum:
            message = (
                f"totals row {total_row['source_row']}: {column} states {stated_sum} but the "
                f"loaded rows add up to {loaded_sum}"
            )
            warnings.append(FileWarning("totals_mismatch", message))
    return warnings
