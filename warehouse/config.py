"""Where the warehouse lives and which portals it knows (cchc.toml).

The built-in demo configuration needs no network. Configuration errors name the key and the
fix, because the person reading them is usually editing the file at 2 a.m.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

DEMO_CONFIG = Path(__file__).with_name("demo") / "cchc.toml"
SECTORS = ("locality", "ministry")
# A portal may also be the national one (the Decision 766 scoreboard): its sources are answers
# about provinces and ministries, not exports of a sector of its own.
PORTAL_SECTORS = (*SECTORS, "national")
METHODS = ("GET", "POST")


class ConfigError(ValueError):
    """A configuration value is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class Limits:
    """[limits]: how big an export may be before it is refused (`too_large`) unread.

    The defaults pass every real export; they exist so that a hostile or broken file (a zip
    bomb, a sheet spanning a million empty rows) is refused in bounded time and memory.
    """

    max_uncompressed_mb: int = 500  # an XLSX's parts, inflated, all together
    max_compression_ratio: float = 100.0  # inflated : stored, over the XLSX's parts
    max_cells: int = 10_000_000  # rows × columns a sheet spans, or cells of an HTML/JSON table


@dataclass(frozen=True)
class Portal:
    code: str
    name: str
    sector: str
    province_code: str | None = None  # GSO code, e.g. "20" for Lạng Sơn
    dvcqg_code: str | None = None  # National Public Service Portal unit code, e.g. "H37"
    limits: Limits = field(default_factory=Limits)  # the file's [limits], for ingest to apply
    until: date | None = None  # the last day it delivers data for (merged away on 2025-07-01)
    # the file's [vocabulary]: words added to the built-in vocabulary, for ingest to apply
    # (entries as warehouse/parse/vocabulary.py's Extension: (table, text, canonical))
    vocabulary: tuple[tuple[str, str, object], ...] = ()


@dataclass(frozen=True)
class Source:
    """Where one portal export comes from: an HTTP(S) URL, a file:// URL or a folder/path."""

    portal: str
    name: str
    url: str
    kind: str | None = None  # dossiers | report | catalogue: a label; the content decides
    format: str | None = None  # csv | xlsx | xls | html | json: what the portal says it sends
    sheet: str | None = None
    agency: str | None = None  # the agency of per-field report tables
    page_param: str | None = None  # paged JSON: the query parameter that carries the page
    token_env: str | None = None  # environment variable holding the secret token
    token_query_param: str | None = None  # send the token as this query parameter, not a header
    ca_bundle: str | None = None  # for portals whose certificate chain is incomplete
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_bytes: int = 2 * 1024**3
    retries: int = 4
    method: str = "GET"  # POST: the national portal's API, asked with a JSON `body`
    # The JSON body of a POST, as written in cchc.toml: {year}, {quarter}, {month} and {as_of}
    # are filled from the run's as-of day when the request is sent (sources/request_body.py).
    body: dict | None = field(default=None, hash=False)
    session_url: str | None = None  # a page fetched first, whose cookies the requests carry


@dataclass(frozen=True)
class Target:
    metric: str
    sector: str
    floor: float
    severity: str = "warn"


@dataclass(frozen=True)
class CheckSettings:
    """Thresholds of sql/checks; the defaults are the contract's."""

    min_denominator: int = 100
    stale_portal_days: int = 3
    received_drop_ratio: float = 0.5
    basis_gap_pp: float = 1.0
    max_reject_share: float = 0.01
    file_check_days: int = 7
    warn_pp: float = 1.0
    fail_pp: float = 3.0
    lower_is_better: tuple[str, ...] = ("overdue_pending_rate",)
    targets: tuple[Target, ...] = ()
    # the national scoreboard (Decision 766): a score that fell since the unit's previous
    # snapshot by this many points warns / fails; a published score further than
    # scoreboard_tolerance points from what its own numerator and denominator give is flagged
    scoreboard_drop_warn: float = 0.5
    scoreboard_drop_fail: float = 2.0
    scoreboard_tolerance: float = 0.01


@dataclass(frozen=True)
class Config:
    path: Path
    portals: dict[str, Portal] = field(default_factory=dict)
    checks: CheckSettings = field(default_factory=CheckSettings)
    notify_urls: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    as_of: datetime | None = None  # judge the checks as of this moment instead of now
    schedule_cron: str = "0 2 * * *"
    schedule_timezone: str = "Asia/Ho_Chi_Minh"

    def portal(self, code: str) -> Portal:
        if code not in self.portals:
            known = ", ".join(sorted(self.portals)) or "none"
            raise ConfigError(
                f"portal {code!r} is not in {self.path} (known: {known}); add a "
                f'[[portals]] entry with code = "{code}", name, sector and province_code'
            )
        return self.portals[code]

    @property
    def portal_names(self) -> dict[str, str]:
        """Each configured portal's name by its code: how alerts and summaries name a portal."""
        return {code: portal.name for code, portal in self.portals.items()}


def load_config(path: Path | None = None) -> Config:
    """--config, else $CCHC_CONFIG, else the built-in demo configuration."""
    import tomllib  # here: `cchc sql` reads no configuration

    path = Path(path or os.environ.get("CCHC_CONFIG") or DEMO_CONFIG)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    limits = _limits(raw.get("limits", {}), path)
    vocabulary = _vocabulary(raw.get("vocabulary"), path)
    portals = {}
    for index, entry in enumerate(raw.get("portals", [])):
        where = f"{path}: portals[{index}]"
        for key in ("code", "name", "sector"):
            if not entry.get(key):
                raise ConfigError(f"{where}: missing `{key}`")
        if entry["sector"] not in PORTAL_SECTORS:
            raise ConfigError(f"{where}.sector = {entry['sector']!r}: use one of {PORTAL_SECTORS}")
        portal = Portal(
            code=entry["code"],
            name=entry["name"],
            sector=entry["sector"],
            province_code=entry.get("province_code"),
            dvcqg_code=entry.get("dvcqg_code"),  # where known: never guessed from the code
            limits=limits,
            until=_until(entry.get("until"), where),
            vocabulary=vocabulary,
        )
        if portal.code in portals:
            raise ConfigError(f"{where}: portal code {portal.code!r} appears twice")
        portals[portal.code] = portal
    return Config(
        path=path,
        portals=portals,
        checks=_check_settings(raw.get("checks", {}), path),
        notify_urls=tuple(_expand_env(url, path) for url in raw.get("notify", {}).get("urls", [])),
        sources=tuple(_sources(raw.get("sources", []), portals, path)),
        as_of=_as_of(raw.get("run", {}), path),
        **_schedule(raw.get("schedule", {}), path),
    )


def _until(value: object, where: str) -> date | None:
    """`until = "2025-06-30"` (a TOML date or a date in quotes): the portal's last day."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value  # type: ignore[return-value]
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f'{where}.until = {value!r}: use a date such as "2025-06-30"') from None


def _as_of(raw: dict, path: Path) -> datetime | None:
    value = raw.get("as_of")
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(
            f'{path}: [run] as_of = {value!r}: use a date such as "2025-01-15"'
        ) from None
    return moment.replace(hour=23, minute=59) if len(str(value)) == 10 else moment


def _schedule(raw: dict, path: Path) -> dict[str, str]:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    cron = raw.get("cron", "0 2 * * *")
    timezone = raw.get("timezone", "Asia/Ho_Chi_Minh")
    if not isinstance(cron, str) or len(cron.split()) != 5:
        raise ConfigError(f'{path}: [schedule] cron = {cron!r}: use five fields, e.g. "0 2 * * *"')
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{path}: [schedule] timezone = {timezone!r}: use an IANA name such as "
            '"Asia/Ho_Chi_Minh"'
        ) from None
    return {"schedule_cron": cron, "schedule_timezone": timezone}


_SOURCE_KEYS = {f for f in Source.__dataclass_fields__}
_KINDS = (None, "dossiers", "report", "catalogue", "scoreboard")
_FORMATS = (None, "csv", "xlsx", "xls", "html", "json")


def _sources(entries: list[dict], portals: dict[str, Portal], path: Path) -> list[Source]:
    sources = []
    for index, entry in enumerate(entries):
        where = f"{path}: sources[{index}]"
        unknown = set(entry) - _SOURCE_KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown key {', '.join(sorted(unknown))}")
        for key in ("portal", "url"):
            if not entry.get(key):
                raise ConfigError(f"{where}: missing `{key}`")
        if entry["portal"] not in portals:
            raise ConfigError(
                f"{where}.portal = {entry['portal']!r}: not a [[portals]] code "
                f"({', '.join(sorted(portals)) or 'none configured'})"
            )
        if entry.get("kind") not in _KINDS:
            raise ConfigError(
                f"{where}.kind = {entry['kind']!r}: use dossiers, report, catalogue or scoreboard"
            )
        if "token" in str(entry.get("url", "")).lower() and not entry.get("token_env"):
            pass  # a token-looking query in a URL is the user's choice; it is redacted in logs
        if entry.get("format") not in _FORMATS:
            formats = "csv, xlsx, xls, html or json"
            raise ConfigError(f"{where}.format = {entry['format']!r}: use {formats}")
        entry = {"name": f"{entry['portal']}-{index + 1}"} | entry | _request(entry, where)
        sources.append(Source(**entry))
    return sources


def _request(entry: dict, where: str) -> dict:
    """`method`, `body` and `session_url`, checked: a body is a TOML table sent by POST, and
    POST answers are not paged (one request, one answer)."""
    method = str(entry.get("method", "GET")).upper()
    if method not in METHODS:
        raise ConfigError(f"{where}.method = {entry['method']!r}: use GET or POST")
    body = entry.get("body")
    if body is not None and not isinstance(body, dict):
        raise ConfigError(f"{where}.body: write it as a TOML table, e.g. body = {{ year = 2026 }}")
    if body is not None and method != "POST":
        raise ConfigError(f'{where}: a body is sent by POST; add method = "POST"')
    if method == "POST" and entry.get("page_param"):
        raise ConfigError(f"{where}: page_param pages GET exports; a POST source is one request")
    session = entry.get("session_url")
    # `${NAME}` is expanded when the source is fetched (with_expanded_urls), like its url
    if session is not None and not str(session).lower().startswith(("http://", "https://", "${")):
        raise ConfigError(f"{where}.session_url = {session!r}: use an http(s) URL")
    return {"method": method}


def _check_settings(raw: dict, path: Path) -> CheckSettings:
    defaults = CheckSettings()
    regression = raw.get("regression", {})
    values: dict = {}
    for key, source in [
        ("min_denominator", raw),
        ("stale_portal_days", raw),
        ("received_drop_ratio", raw),
        ("basis_gap_pp", raw),
        ("max_reject_share", raw),
        ("file_check_days", raw),
        ("scoreboard_drop_warn", raw),
        ("scoreboard_drop_fail", raw),
        ("scoreboard_tolerance", raw),
        ("warn_pp", regression),
        ("fail_pp", regression),
    ]:
        value = source.get(key, getattr(defaults, key))
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            section = "checks.regression" if source is regression else "checks"
            raise ConfigError(f"{path}: [{section}] {key} = {value!r}: use a number ≥ 0")
        values[key] = value
    if values["fail_pp"] < values["warn_pp"]:
        raise ConfigError(f"{path}: [checks.regression] fail_pp must be ≥ warn_pp")
    if values["scoreboard_drop_fail"] < values["scoreboard_drop_warn"]:
        raise ConfigError(f"{path}: [checks] scoreboard_drop_fail must be ≥ scoreboard_drop_warn")
    targets = []
    for index, entry in enumerate(raw.get("targets", [])):
        where = f"{path}: checks.targets[{index}]"
        missing = [k for k in ("metric", "sector", "floor") if k not in entry]
        if missing:
            raise ConfigError(f"{where}: missing {', '.join(missing)}")
        if entry["sector"] not in SECTORS or entry.get("severity", "warn") not in ("warn", "fail"):
            raise ConfigError(f"{where}: sector is locality or ministry, severity warn or fail")
        targets.append(
            Target(
                entry["metric"],
                entry["sector"],
                float(entry["floor"]),
                entry.get("severity", "warn"),
            )
        )
    lower = tuple(regression.get("lower_is_better", defaults.lower_is_better))
    return CheckSettings(**values, lower_is_better=lower, targets=tuple(targets))


def _vocabulary(raw: object, path: Path) -> tuple[tuple[str, str, object], ...]:
    """[vocabulary]: words added to the built-in vocabulary, checked now so that a word that
    already means something else stops the configuration, not a load at 2 a.m. The parser
    (and with it Polars) is imported only when the file has such a table."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [vocabulary] must be a table")
    from warehouse.parse.vocabulary_extension import VocabularyError, read_extension

    try:
        return read_extension(raw)
    except VocabularyError as error:
        raise ConfigError(f"{path}: {error}") from None


def _limits(raw: dict, path: Path) -> Limits:
    defaults = Limits()
    unknown = set(raw) - set(Limits.__dataclass_fields__)
    if unknown:
        known = ", ".join(Limits.__dataclass_fields__)
        raise ConfigError(f"{path}: [limits] unknown key {', '.join(sorted(unknown))} ({known})")
    values = {}
    for key in Limits.__dataclass_fields__:
        value = raw.get(key, getattr(defaults, key))
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{path}: [limits] {key} = {value!r}: use a number ≥ 1")
        values[key] = float(value) if key == "max_compression_ratio" else int(value)
    return Limits(**values)


def source_url(source: Source, path: Path | str = "cchc.toml") -> str:
    """The source's URL with `${NAME}` expanded, when it is fetched (not when the file is read:
    the demo configuration names ${CCHC_DEMO_URL}, which only exists while the demo runs)."""
    return _expand_env(source.url, Path(path))


def with_expanded_urls(source: Source, path: Path | str = "cchc.toml") -> Source:
    """The source with `${NAME}` expanded in its URL and its session_url, as it is fetched."""
    session = _expand_env(source.session_url, Path(path)) if source.session_url else None
    return replace(source, url=source_url(source, path), session_url=session)


def _expand_env(text: str, path: Path) -> str:
    """`${NAME}` → the environment variable NAME (so secrets stay out of cchc.toml)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(f"{path}: ${{{name}}} is used but the environment variable is unset")
        return os.environ[name]

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", value, text)
