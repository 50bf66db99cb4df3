"""The demo's national scoreboard (Decision 766): the National Public Service Portal's answers in
the real shapes of docs/portal-exports.md §1d, served by the demo portal under /DVCQG/.

- `service-results` for the year of the exports (timeType year 2026, ADMINISTRATIVE_UNIT): one
  evaluation row per today's 34 provinces, departmentCode the province's DVCQG code where
  warehouse/seeds/dvcqg_provinces.toml knows it (H37 Lạng Sơn, H15 Đắk Lắk, H60 Tuyên Quang …)
  and otherwise the demo's synthetic portal code, P + today's GSO code (P01 Hà Nội): those codes
  and every departmentId (a UUID from draws.stable_hash) are synthetic, no H code is made up.
  The other provinces' six group scores are drawn (draws.stable_unit), 70–98 % of each group's
  points; no figure of any real province is.
- the six group answers for Lạng Sơn (H37) and its units of today (its 18 departments and 33
  commune-level committees), in list shape (transparency CKMB, dossier-digitized MDSH,
  handling-satisfaction MDHL, with metrics) and tree shape (dvc-progress-tree TDGQ,
  provide-online-tree CLGQ, formality-online-payment-tree TTTT, with counts), both key
  spellings (score/totalScore, level/departmentLevel, maxScore/totalMaxScore, alternating by
  unit) and nulls where the portal has no data (a metric "Chưa có dữ liệu", the fee counts).
  The counts behind on-time, digitised, e-result, payment and satisfaction ratios are Lạng Sơn's
  own dossiers' (scoreboard_counts.py), so its national TDGQ ratio is its on_time_rate_766;
  the transparency, data-reuse and petition counts are drawn. Lạng Sơn's row of
  service-results carries the group answers' scores.

Every published score is min(1, ratio / full marks) × max score of its own numerator and
denominator (0/0 counting as 100 %), to two decimals, so scoreboard_inconsistent stays quiet.
Pure functions of the constants: the same bytes every run.
"""

from __future__ import annotations

import tomllib
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from warehouse.demo.draws import stable_hash, stable_unit
from warehouse.demo.files import write_json
from warehouse.demo.lang_son_agencies import LsAgency
from warehouse.demo.manifest import DemoFile, DemoPortal
from warehouse.demo.model import EXPORTED_ON
from warehouse.demo.national_api import API, NATIONAL_NAME, NATIONAL_PORTAL, answer_key
from warehouse.demo.provinces import LANG_SON_PORTAL
from warehouse.demo.scoreboard_counts import YEAR, unit_counts
from warehouse.demo.today import today_provinces
from warehouse.sources.request_body import fill_body

GROUPS = {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDSH": 22, "MDHL": 18}
# group → its list answers' metrics as (code, name, points, full marks at), from the data file
METRICS_FILE = Path(__file__).with_name("scoreboard_metrics.toml")
LIST_METRICS = {
    group: tuple((m["code"], m["name"], m["points"], m["full_at"]) for m in metrics)
    for group, metrics in tomllib.loads(METRICS_FILE.read_text(encoding="utf-8")).items()
}
NO_DATA = "CITIZEN_DATA_CONNECTED_FORMALITY"  # published with nulls: "Chưa có dữ liệu"
ENDPOINTS = {  # group → endpoint, in the order the sources ask them
    "CKMB": "transparency",
    "TDGQ": "dvc-progress-tree",
    "CLGQ": "provide-online-tree",
    "TTTT": "formality-online-payment-tree",
    "MDSH": "dossier-digitized",
    "MDHL": "handling-satisfaction",
}
SERVICE_RESULTS = {"timeType": "year", "year": "{year}", "departmentType": "ADMINISTRATIVE_UNIT"}


def unit_id(code: str) -> str:
    """A unit's departmentId: a UUID of two stable hashes of its code (synthetic)."""
    return str(uuid.UUID(int=stable_hash("766", code) << 64 | stable_hash("766-id", code)))


def score(numerator: float, denominator: float, points: float, full: float = 1.0) -> float:
    """The contract's formula: min(1, ratio / full marks) × points, 0/0 counting as 100 %."""
    ratio = 1.0 if denominator == 0 else numerator / denominator
    return round(min(1.0, ratio / full) * points, 2)


def percent(numerator: float, denominator: float) -> float | None:
    return round(100 * numerator / denominator, 2) if denominator else None


def write_scoreboard(folder: Path, agencies: list[LsAgency], dossiers: pl.DataFrame) -> DemoPortal:
    """Write every answer under folder/api/v1/reporting/evaluation/<endpoint>/<key>.json."""
    units = _units(agencies, unit_counts(dossiers))
    root = _root(units)
    files, scores = [], {}
    for group, endpoint in ENDPOINTS.items():
        body = _group_body(group)
        document = _group_answer(group, root, units)
        scores[group] = document["data"]["parent" if "parent" in document["data"] else "overview"]
        files.append(_write(folder, endpoint, body, document))
    own = {g: r.get("totalScore") for g, r in scores.items()}
    files.insert(0, _write(folder, "service-results", SERVICE_RESULTS, _service_results(own)))
    return DemoPortal(NATIONAL_PORTAL, NATIONAL_NAME, "national", None, tuple(files))


def _write(folder: Path, endpoint: str, body: Mapping[str, Any], document: dict) -> DemoFile:
    key = answer_key(fill_body(body, EXPORTED_ON))
    assert key is not None
    answer = f"{API}/{endpoint}/{key}.json"
    (folder / answer).parent.mkdir(parents=True, exist_ok=True)
    write_json(folder / answer, document, indent=1)
    return DemoFile(f"{API}/{endpoint}", "scoreboard", "json-post", dict(body), answer)


def _group_body(group: str) -> dict[str, Any]:
    who = {"rootDepartmentId": unit_id(LANG_SON_PORTAL), "currentPage": 1, "pageSize": 200}
    if group == "MDHL":  # the satisfaction endpoint takes days, not a timeType
        return {"fromDate": "{year}-01-01", "toDate": "{year}-12-31"} | who
    return {"timeType": "year", "year": "{year}"} | who


def _units(agencies: list[LsAgency], counts: pl.DataFrame) -> list[dict[str, Any]]:
    """Lạng Sơn's units of today with their counts: departments, then commune-level ones."""
    by_code = {row["agency_code"]: row for row in counts.iter_rows(named=True)}
    units = []
    for agency in agencies:
        if agency.code not in by_code:
            continue
        department = agency.kind == "department"
        units.append(
            by_code[agency.code]
            | {
                "code": agency.code,
                "name": agency.successor or agency.name,
                "type": "PROVINCIAL_DEPARTMENT" if department else "ADMINISTRATIVE_UNIT",
                "level": "PROVINCE" if department else "COMMUNE",
                "services": agency.services,
            }
        )
    return units


def _root(units: list[dict[str, Any]]) -> dict[str, Any]:
    """The province as a whole: its units' counts added."""
    added = {k: sum(u[k] for u in units) for k, v in units[0].items() if isinstance(v, int)}
    return added | {"code": LANG_SON_PORTAL, "name": "UBND tỉnh Lạng Sơn"}


def _metric_counts(unit: Mapping[str, Any], code: str) -> tuple[int, int] | None:
    """A metric's numerator and denominator: the dossiers' where they count it, else drawn."""
    own = {
        "ORIGINAL_RESULT_AVAILABLE": ("e_result", "resolved"),
        "SO_HOA_GIAY_TO_GIAI_QUYET": ("digitized", "received"),
        "DOSSIER_RECEIVING_SATISFACTION": ("satisfied", "rated"),
    }
    if code == NO_DATA:
        return None
    if code == "SYNCED_WITH_DVCQG_PERSONAL_STORAGE":
        return 0, 0  # nothing to share yet: 0/0, full points
    if code in own:
        numerator, denominator = own[code]
        return unit[numerator], unit[denominator]
    if code.startswith(("PUBLISH", "PUBLIC")):
        denominator = unit["services"]
    elif code.startswith("PETITION"):
        denominator = unit["received"] // 400
    else:  # synced, reused, connected and certified dossiers: shares of the year's receipts
        denominator = unit["received"] if code == "DOSSIER_SYNC" else unit["received"] // 5
    missed = 0.02 + 0.25 * stable_unit("766-miss", unit["code"], code)
    return denominator - int(denominator * missed), denominator


def _metrics(group: str, unit: Mapping[str, Any]) -> list[dict[str, Any]]:
    metrics = []
    for code, name, points, full in LIST_METRICS[group]:
        counts = _metric_counts(unit, code)
        if counts is None:
            metrics.append({"code": code, "name": name, "numerator": None, "denominator": None,
                            "ratio": None, "score": None, "maxScore": points,
                            "dataQualityMessage": "Chưa có dữ liệu"})  # fmt: skip
            continue
        n, d = counts
        metrics.append({"code": code, "name": name, "numerator": n, "denominator": d,
                        "ratio": percent(n, d) if d else 0, "score": score(n, d, points, full),
                        "maxScore": points})  # fmt: skip
    return metrics


def _tree_counts(group: str, unit: Mapping[str, Any]) -> tuple[dict[str, Any], float | None]:
    """A tree answer's counts of one unit and its group score (None when it counted none)."""
    points = GROUPS[group]
    if group == "TDGQ":
        n = unit["resolved_in_time"] + unit["open_in_time"]
        d = unit["resolved"] + unit["open"]
        days = round(unit["days"] / unit["resolved"], 2) if unit["resolved"] else None
        counts = {"totalReceived": d, "totalOnTime": n, "totalOverdue": d - n,
                  "totalCompleted": unit["resolved"], "avgProcessingDays": days}  # fmt: skip
    elif group == "CLGQ":
        n, d = unit["received_online"], unit["received"]
        counts = {"onlineServiceTotal": unit["services"], "onlineDossierCount": n,
                  "channelOnlineSum": n, "channelTotalSum": d}  # fmt: skip
    else:  # TTTT: dossiers with a fee paid online; the fee-formality counts are not published
        n, d = unit["paid_online"], unit["with_fee"]
        counts = {"totalDossierFinancialObligation": d, "totalDossierOnlinePaymentSuccess": n,
                  "totalFeeDossierFormalityDistinct": None,
                  "totalDossierOnlineFormalityPaymentSuccess": None,
                  "totalFeeDossierFormality": None, "totalFeeFormality": None}  # fmt: skip
    return counts | {"ratio": percent(n, d)}, score(n, d, points) if d else None


def _who(unit: Mapping[str, Any]) -> dict[str, Any]:
    return {"departmentId": unit_id(unit["code"]), "departmentName": unit["name"],
            "departmentCode": unit["code"]}  # fmt: skip


def _group_answer(
    group: str, root: Mapping[str, Any], units: list[Mapping[str, Any]]
) -> dict[str, Any]:
    """One group's answer for Lạng Sơn and its units, list or tree shaped."""
    points = GROUPS[group]

    def child(i: int, unit: Mapping[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        value = fields.pop("_score")
        # list units: departmentLevel, totalScore, totalMaxScore; tree units: both spellings
        if group in LIST_METRICS or i % 2 == 0:
            level, scored = "departmentLevel", ("totalScore", "totalMaxScore")
        else:
            level, scored = "level", ("score", "maxScore")
        who = _who(unit) | {"departmentType": unit["type"], level: unit["level"]}
        return who | fields | {scored[0]: value, scored[1]: points}

    if group in LIST_METRICS:

        def listed(unit: Mapping[str, Any]) -> dict[str, Any]:
            metrics = _metrics(group, unit)
            total = round(sum(m["score"] for m in metrics if m["score"] is not None), 2)
            return {"_score": total, "ratio": percent(total, points), "metrics": metrics}

        overview = listed(root)
        overview = _who(root) | {"totalScore": overview.pop("_score"), **overview}
        children = [child(i, u, listed(u)) for i, u in enumerate(units)]
        pagination = {"currentPage": 1, "pageSize": 200, "totalPages": 1,
                      "totalElements": len(children)}  # fmt: skip
        data = {"overview": overview, "evaluation": children, "pagination": pagination}
        return {"code": "OK", "message": "Thành công", "data": data}

    def counted(unit: Mapping[str, Any]) -> dict[str, Any]:
        counts, value = _tree_counts(group, unit)
        return counts | {"_score": value, "scoreDelta": None}

    parent = counted(root)
    parent = _who(root) | parent | {"totalScore": parent.pop("_score"), "totalMaxScore": points}
    del parent["scoreDelta"]
    children = [child(i, u, counted(u)) for i, u in enumerate(units)]
    data = {"parent": parent, "children": children, "monthlyChart": []}
    return {"code": "OK", "message": "Thành công", "data": data}


def _service_results(own: Mapping[str, float | None]) -> dict[str, Any]:
    """Every province of today with its total and six group scores; Lạng Sơn's are `own`."""
    rows = []
    for province in today_provinces():
        code = province.portal  # DVCQG code where known, else the synthetic P code
        if code == LANG_SON_PORTAL:
            groups = {g: own[g] for g in GROUPS}
        else:
            groups = {
                g: round((0.70 + 0.28 * stable_unit("766", code, g)) * points, 2)
                for g, points in GROUPS.items()
            }
        total = round(sum(v for v in groups.values() if v is not None), 2)
        delta = round(0.6 * stable_unit("766-delta", code) - 0.3, 2)
        order = ("CKMB", "TDGQ", "CLGQ", "MDSH", "MDHL", "TTTT")  # as the portal lists them
        rows.append({"departmentId": unit_id(code), "departmentName": province.name,
                     "departmentCode": code, "totalScore": total, "scoreDelta": delta,
                     "groupScores": {g: groups[g] for g in order}})  # fmt: skip
    rows.sort(key=lambda r: (-r["totalScore"], r["departmentCode"]))
    mean = {g: round(sum(r["groupScores"][g] for r in rows) / len(rows), 2) for g in GROUPS}
    radar = [
        ("CKMB", "Công khai, minh bạch", mean["CKMB"], 18),
        ("TDGQ", "Tiến độ giải quyết", mean["TDGQ"], 20),
        ("ONLINE_SERVICE", "Dịch vụ công trực tuyến", round(mean["CLGQ"] + mean["TTTT"], 2), 22),
        ("MDHL", "Mức độ hài lòng", mean["MDHL"], 18),
        ("MDSH", "Mức độ số hóa", mean["MDSH"], 22),
    ]
    total = round(sum(r["totalScore"] for r in rows) / len(rows), 2)
    data = {
        "overview": {
            "departmentName": "Cả nước",
            "totalScore": total,
            "totalMaxScore": 100,
            "ratio": total,
        },
        "growthPercent": round(sum(r["scoreDelta"] for r in rows) / len(rows), 2),
        "radar": [
            {"code": c, "name": n, "score": s, "maxScore": m, "ratio": percent(s, m)}
            for c, n, s, m in radar
        ],
        "evaluation": rows,
    }
    return {"code": "OK", "message": "Thành công", "data": data}


__all__ = ["YEAR", "write_scoreboard"]
