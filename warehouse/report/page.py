"""The page as the template reads it: every label in both languages, every figure as text."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass(frozen=True)
class Text:
    """A label in both languages: the page prints Vietnamese first, English below it."""

    vn: str
    en: str


@dataclass(frozen=True)
class Chart:
    svg: Markup
    caption: Text | None = None


@dataclass(frozen=True)
class Cell:
    """One table cell; `tone` colours it (fall, rise, muted) and `note` is its second line."""

    text: str
    note: str = ""
    tone: str = ""


@dataclass(frozen=True)
class TrendCard:
    metric: Text
    latest: list[Cell]
    charts: list[Chart]
    regressed: bool
    key: list[tuple[str, Text]]  # (line style, basis) of the lines drawn, explained in HTML
    several: bool  # more than one basis: the figures above the charts name theirs


@dataclass(frozen=True)
class RankGroup:
    basis: Text
    rows: list[list[Cell]]


@dataclass(frozen=True)
class RankTable:
    metric: Text
    year: str
    chart: Chart | None
    groups: list[RankGroup]
    several: bool


@dataclass(frozen=True)
class Regression:
    level: str  # fail | warn | minor
    level_label: Text
    metric: Text
    basis: Text
    unit: Text
    period: Text
    before_after: str
    change: Cell
    base: str
    why: Text | None = None  # its causes in words (cause_text), when it has children
    chart: Chart | None = None  # its children's effects (the worst falls only)


@dataclass(frozen=True)
class AlertRow:
    severity: str
    severity_label: Text
    check: Text
    metric: Text | None
    basis: Text | None
    message: Text
    unit: Text
    period: Text | None
    before_after: str
    change: Cell
    since: str


@dataclass(frozen=True)
class PortalSection:
    anchor: str
    title: Text
    facts: list[Text]
    years: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class ScoreboardTable:
    """The national scoreboard's provinces at its latest snapshot, ranked by total score."""

    snapshot: str  # the day it was taken, dd/mm/yyyy
    period: Text  # the period it scores
    groups: list[tuple[str, str, Text]]  # (code, its points, its name) of the six groups
    rows: list[list[Cell]]  # rank, province, total, six groups, movement


@dataclass
class Page:
    generated: str
    as_of: str
    warehouse: str
    summary: list[tuple[str, Text, str]]  # (figure, label, tone)
    trends: list[TrendCard] = field(default_factory=list)
    regressions: list[Regression] = field(default_factory=list)  # the open regression alerts
    ranking: list[RankTable] = field(default_factory=list)
    ranking_year: str = ""
    alerts: list[AlertRow] = field(default_factory=list)
    portals: list[PortalSection] = field(default_factory=list)
    scoreboard: ScoreboardTable | None = None  # None: no scoreboard snapshot loaded
    has_indicators: bool = False
    min_denominator: str = ""
    warn_pp: str = ""
    fail_pp: str = ""
