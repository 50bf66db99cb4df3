"""`cchc explain`: an alert, its figures, and the children that moved it, one level at a time.

The first level is what the checks stored (ops.alert_causes); each `--drill CODE` takes one of
those children and splits its own change on the same spans one level further down (a province
into its agencies, an agency into its fields), so an analyst can follow a fall to where it
happened. The split is sql/causes/contributions.sql's, the one the alerts use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl

from warehouse.causes import CHILD_SCOPE, contributions
from warehouse.sqlfiles import run_sql_file

# where a child's code goes when it becomes the unit whose change is split
_KEY_OF_SCOPE = {"province": "province_code", "portal": "portal_code", "agency": "agency_nk"}


class ExplainError(ValueError):
    """An alert or a child that cannot be explained, in words for the user."""


@dataclass
class Explanation:
    alert: dict
    path: list[dict] = field(default_factory=list)  # the children drilled into, in order
    children: pl.DataFrame = field(default_factory=pl.DataFrame)

    def as_json(self) -> dict:
        return {
            "alert": {k: _plain(v) for k, v in self.alert.items()},
            "path": [{k: _plain(v) for k, v in step.items()} for step in self.path],
            "children": [
                {k: _plain(v) for k, v in row.items()}
                for row in self.children.iter_rows(named=True)
            ],
        }


def _plain(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def explain(con: duckdb.DuckDBPyConnection, alert_id: int, drill: list[str]) -> Explanation:
    rows = run_sql_file(con, "causes/alert.sql", {"alert_id": alert_id}).pl()
    if rows.is_empty():
        raise ExplainError(f"no alert {alert_id}: `cchc checks` lists the open ones")
    alert = rows.row(0, named=True)
    if not alert["check_id"].startswith("regression"):
        raise ExplainError(
            f"alert {alert_id} is a {alert['check_id']} alert: only a fall (regression_yoy) "
            "is split into causes"
        )
    children = run_sql_file(con, "causes/alert_causes.sql", {"alert_id": alert_id}).pl()
    unit = {k: alert[k] for k in ("sector", "scope", "portal_code", "province_code", "agency_nk")}
    path = []
    for code in drill:
        match = children.filter(pl.col("child_code") == code)
        if match.is_empty():
            known = ", ".join(children["child_code"].head(10).to_list()) or "none"
            raise ExplainError(f"--drill {code}: not a child here (children: {known})")
        step = match.row(0, named=True)
        scope = step["child_scope"]
        if scope not in CHILD_SCOPE:
            raise ExplainError(f"--drill {code}: a {scope} is as far as the data goes")
        path.append(step)
        unit = {"sector": unit["sector"], "scope": scope, _KEY_OF_SCOPE[scope]: code}
        source = pl.DataFrame(
            [
                {
                    "parent_id": 0,
                    **unit,
                    **{
                        k: alert[k]
                        for k in (
                            "metric", "basis", "period_grain", "period_start",
                            "period_covered_to", "baseline_period_start",
                        )
                    },
                }
            ]
        )  # fmt: skip
        children = contributions(con, source).drop("parent_id", "pooled_r0", "pooled_r1")
    return Explanation(alert=alert, path=path, children=children)
