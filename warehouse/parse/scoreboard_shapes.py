"""The three shapes of a national scoreboard answer, read into units and their scores.

`service-results` lists every province with its total and six group scores; a group answer
lists one unit (`overview` or `parent`) and its children, either with metrics (list shape) or
with the counts behind its score (tree shape). Their keys differ (`score`/`totalScore`,
`level`/`departmentLevel`, `maxScore`/`totalMaxScore`): both are read, and both present with
different values is an error, not a choice. `null` stays null, a key that is absent says
nothing, and a value that is no JSON number is never guessed into one: it rejects its unit.
An answer is a few hundred units, so this walks them in Python; the frames are built after.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from warehouse.parse.text import clean_text

VOCABULARY_FILE = Path(__file__).with_name("scoreboard.toml")
UNIT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
SCORE_KEYS = ("score", "totalScore")
MAX_KEYS = ("maxScore", "totalMaxScore")
LEVEL_KEYS = ("level", "departmentLevel")
STATED_KEYS = (*SCORE_KEYS, *MAX_KEYS, "ratio", "numerator", "denominator")
LARGEST = 1e15  # no count or score the portal publishes comes near; beyond it is a broken value


@dataclass(frozen=True)
class Vocabulary:
    groups: dict[str, float]  # group code (and TOTAL) → its most points
    list_metrics: dict[str, str]  # metric code → group
    tree_fields: dict[str, str]  # a count only one group's tree answer carries → group
    tree_counts: tuple[dict[str, str], ...]  # group, metric ("" = group row), numerator, ...


@cache
def vocabulary() -> Vocabulary:
    raw = tomllib.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    return Vocabulary(
        {code: float(points) for code, points in raw["groups"].items()},
        dict(raw["list_metrics"]),
        dict(raw["tree_fields"]),
        tuple(raw["tree_counts"]),
    )


@dataclass
class Unit:
    """One unit of the answer: who it is, its scores (facts) and what was wrong with it."""

    row: int  # its place in the answer (source_row): the root first, then its units in order
    where: str  # its JSON path, for messages: data.evaluation[3]
    # who it is, as its department fields say (_identity)
    unit_id: str | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    unit_type: str | None = None
    unit_level: str | None = None
    # where it stands in a group answer (read_units): the root, or a child under the root's code
    is_root: bool = False  # the overview or parent of a group answer
    parent_unit_code: str | None = None
    facts: list[dict[str, Any]] = field(default_factory=list)
    problems: list[tuple[str, str | None, str, str]] = field(default_factory=list)

    def problem(self, column: str, value: object, reason: str, what: str) -> None:
        shown = None if value is None else str(value)[:200]
        self.problems.append((column, shown, reason, what))


def read_units(shape: str, data: Mapping[str, Any], group: str | None) -> Iterator[Unit]:
    """Every unit the answer lists, in order, each with its facts or its problems."""
    if shape == "service-results":
        items = _items(data.get("evaluation"))
        for index, item in enumerate(items):
            yield _province(item, index + 1, f"data.evaluation[{index}]")
        return
    root_key, children_key = (
        ("overview", "evaluation") if shape == "list" else ("parent", "children")
    )
    root = data.get(root_key)
    row = 0
    root_unit = None
    if root is not None:
        row += 1
        root_unit = _member(shape, group, root, row, f"data.{root_key}", root=True)
    children = [
        _member(shape, group, item, row + 1 + i, f"data.{children_key}[{i}]")
        for i, item in enumerate(_items(data.get(children_key)))
    ]
    if root_unit is not None:
        if root_unit.unit_code is None:  # "H44.01", "H44.100" belong to H44 (the unit's code)
            root_unit.unit_code = _common_prefix([c.unit_code for c in children])
        named = "departmentCode" in {problem[0] for problem in root_unit.problems}
        if root_unit.unit_code is None and not named:
            root_unit.problem("departmentCode", None, "missing_required", "no unit code")
        yield root_unit
    for child in children:
        child.parent_unit_code = root_unit.unit_code if root_unit else None
        yield child


def _items(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _identity(unit: Unit, record: Mapping[str, Any], *, required: bool = True) -> None:
    """departmentId, Name, Type, Code and level: a child without a code cannot be a unit (the
    root's may be told by its children's codes, see read_units)."""
    unit.unit_id = _text(unit, record, "departmentId")
    unit.unit_name = _text(unit, record, "departmentName")
    unit.unit_type = _text(unit, record, "departmentType")
    unit.unit_level = _first_text(unit, record, LEVEL_KEYS)
    code = _text(unit, record, "departmentCode")
    if code is not None and not UNIT_CODE.fullmatch(code):
        unit.problem("departmentCode", code, "bad_code", "not a unit code (letters, digits, dots)")
        return
    unit.unit_code = code
    if code is None and required and "departmentCode" not in {p[0] for p in unit.problems}:
        unit.problem("departmentCode", None, "missing_required", "no unit code")


def _province(item: object, row: int, where: str) -> Unit:
    """One province of `service-results`: its total and six group scores."""
    unit = Unit(row, where)
    if not isinstance(item, Mapping):
        unit.problem("departmentCode", _short(item), "bad_shape", "not a JSON object")
        return unit
    _identity(unit, item)
    _fact(unit, item, "TOTAL", None, "")
    scores = item.get("groupScores")
    if scores is None:
        return unit
    if not isinstance(scores, Mapping):
        unit.problem("groupScores", _short(scores), "bad_shape", "not a JSON object")
        return unit
    for code in vocabulary().groups:
        if code != "TOTAL" and code in scores:
            number = _number(unit, scores, (code,), f"groupScores.{code}")
            _add(unit, code, None, score=number, column=f"groupScores.{code}")
    return unit


def unknown_groups(data: Mapping[str, Any]) -> list[str]:
    """Group codes a `service-results` answer scores that the vocabulary does not know."""
    found: dict[str, None] = {}
    for item in _items(data.get("evaluation")):
        scores = item.get("groupScores") if isinstance(item, Mapping) else None
        if isinstance(scores, Mapping):
            found.update(dict.fromkeys(k for k in scores if k not in vocabulary().groups))
    return list(found)


def _member(
    shape: str, group: str | None, record: object, row: int, where: str, *, root: bool = False
) -> Unit:
    """The root or a child of a group answer: its group score, then its metrics or counts."""
    unit = Unit(row, where, is_root=root)
    if not isinstance(record, Mapping):
        unit.problem("departmentCode", _short(record), "bad_shape", "not a JSON object")
        return unit
    _identity(unit, record, required=not root)
    assert group is not None
    _fact(unit, record, group, None, "")
    if shape == "list":
        _metrics(unit, group, record.get("metrics"))
    else:
        for counts in vocabulary().tree_counts:
            if counts["group"] == group:
                _counts(unit, record, counts)
    return unit


def _fact(unit: Unit, record: Mapping[str, Any], group: str, metric: str | None, at: str) -> None:
    """The score, its maximum and ratio as `record` states them (either spelling of a key); a
    record that names none of them states nothing, so no row (a null it names is a null)."""
    if not any(key in record for key in STATED_KEYS):
        return
    _add(
        unit,
        group,
        metric,
        score=_number(unit, record, SCORE_KEYS, at + "score"),
        max_score=_number(unit, record, MAX_KEYS, at + "maxScore"),
        ratio=_number(unit, record, ("ratio",), at + "ratio"),
        numerator=_number(unit, record, ("numerator",), at + "numerator"),
        denominator=_number(unit, record, ("denominator",), at + "denominator"),
        column=at + "score",
    )


def _metrics(unit: Unit, group: str, metrics: object) -> None:
    if metrics is None:
        return
    if not isinstance(metrics, list):
        unit.problem("metrics", _short(metrics), "bad_shape", "not a JSON array")
        return
    for i, metric in enumerate(metrics):
        at = f"metrics[{i}]."
        if not isinstance(metric, Mapping):
            unit.problem(at.rstrip("."), _short(metric), "bad_shape", "not a JSON object")
            continue
        code = _text(unit, metric, "code", at + "code")
        if code is None:
            unit.problem(at + "code", None, "missing_required", "a metric without its code")
            continue
        _fact(unit, metric, group, code, at)


def _counts(unit: Unit, record: Mapping[str, Any], counts: Mapping[str, str]) -> None:
    """A tree answer's numerator and denominator: on the group row, or a metric of their own."""
    numerator = _number(unit, record, (counts["numerator"],), counts["numerator"])
    denominator = _number(unit, record, (counts["denominator"],), counts["denominator"])
    if not counts["metric"]:
        own = [f for f in unit.facts if f["metric_code"] is None]
        if not own and (numerator is not None or denominator is not None):
            _add(unit, counts["group"], None, column="score")
            own = unit.facts[-1:]
        for fact in own:
            fact.update(numerator=numerator, denominator=denominator)
        for key, value in ((counts["numerator"], numerator), (counts["denominator"], denominator)):
            if value is not None and value < 0:
                unit.problem(key, value, "out_of_range", f"{key} below 0")
    elif numerator is not None or denominator is not None:
        column = counts["numerator"]
        _add(unit, counts["group"], counts["metric"], numerator=numerator,
             denominator=denominator, column=column)  # fmt: skip


def _add(
    unit: Unit, group: str, metric: str | None, *, column: str, **values: float | None
) -> None:
    fact = {"group_code": group, "metric_code": metric, "numerator": None, "denominator": None,
            "ratio": None, "score": None, "max_score": None} | values  # fmt: skip
    unit.facts.append(fact)
    _in_range(unit, fact, column)


def _in_range(unit: Unit, fact: dict[str, Any], column: str) -> None:
    """No negative count or score, no ratio beyond 100%, no score beyond its maximum."""
    for key in ("numerator", "denominator", "ratio", "score", "max_score"):
        value = fact[key]
        if value is not None and value < 0:
            unit.problem(column.replace("score", key), value, "out_of_range", f"{key} below 0")
    ratio, score = fact["ratio"], fact["score"]
    if ratio is not None and ratio > 100:
        unit.problem(column.replace("score", "ratio"), ratio, "out_of_range", "ratio above 100%")
    most = fact["max_score"]
    if most is None and fact["metric_code"] is None:
        most = vocabulary().groups.get(fact["group_code"])
    if score is not None and most is not None and score > most + 1e-9:
        unit.problem(column, score, "out_of_range", f"score above its maximum {most:g}")


def _number(
    unit: Unit, record: Mapping[str, Any], keys: tuple[str, ...], column: str
) -> float | None:
    """A JSON number of `record` under any of `keys`; None for null or absent."""
    found = [(key, record[key]) for key in keys if key in record and record[key] is not None]
    numbers = []
    for key, value in found:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            unit.problem(column, _short(value), "bad_number", f"{key} is not a JSON number")
            return None
        if abs(value) > LARGEST:
            unit.problem(column, _short(value), "out_of_range", f"{key} beyond {LARGEST:.0e}")
            return None
        numbers.append(float(value))
    if len(set(numbers)) > 1:
        both = " and ".join(f"{k} = {v}" for k, v in found)
        unit.problem(column, both, "key_conflict", f"{both} disagree")
        return None
    return numbers[0] if numbers else None


def _text(unit: Unit, record: Mapping[str, Any], key: str, column: str | None = None) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        unit.problem(column or key, _short(value), "bad_shape", "not a text")
        return None
    text = clean_text(value)
    if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        unit.problem(column or key, text.encode("utf-8", "replace").decode(), "bad_encoding",
                     "a NUL or a character that is not text")  # fmt: skip
        return None
    return text or None


def _first_text(unit: Unit, record: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    texts = {k: _text(unit, record, k) for k in keys if record.get(k) is not None}
    values = {v for v in texts.values() if v is not None}
    if len(values) > 1:
        both = " and ".join(f"{k} = {v}" for k, v in texts.items())
        unit.problem(keys[0], both, "key_conflict", f"{both} disagree")
        return None
    return values.pop() if values else None


def _common_prefix(codes: list[str | None]) -> str | None:
    """H44 for H44.01 and H44.100: the code all the children's codes extend, if one."""
    heads = {code.rsplit(".", 1)[0] for code in codes if code and "." in code}
    return heads.pop() if len(heads) == 1 and all(c and "." in c for c in codes) else None


def _short(value: object) -> str:
    return repr(value)[:200]
