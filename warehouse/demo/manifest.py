"""What the demo generator wrote, for the demo server, the configuration and the tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from warehouse.demo.national_api import LANDING


@dataclass(frozen=True)
class DemoFile:
    """One export as a portal serves it: /<portal code>/<name>."""

    name: str
    kind: str  # dossiers | report | catalogue | scoreboard
    # csv | json | json-pages (served in pages, see server.py) | html-xls | xlsx | json-post
    # (a national portal answer: asked by POST with `body`, the file at `answer` answers it)
    format: str
    body: dict | None = field(default=None, hash=False)  # the POST body, as cchc.toml writes it
    answer: str | None = None  # where the answer to `body` lies under the portal's folder


@dataclass(frozen=True)
class DemoPortal:
    code: str
    name: str
    sector: str
    province_code: str | None  # GSO code of its time (today's for today's portals); None: ministry
    files: tuple[DemoFile, ...]
    dvcqg_code: str | None = None  # the real DVCQG unit code (H37, H60 …); None for synthetic codes
    until: date | None = None  # the last day it delivers data for (merged away in 2025)


@dataclass(frozen=True)
class DemoManifest:
    portals: tuple[DemoPortal, ...]
    calibration: dict[str, float] = field(default_factory=dict)

    def portal(self, code: str) -> DemoPortal:
        return next(p for p in self.portals if p.code == code)

    def config_toml(self, *, skip_portals: Iterable[str] = ()) -> str:
        """The `[[portals]]` and `[[sources]]` entries of the demo, as warehouse/demo/cchc.toml
        holds them (a test compares the two)."""
        return config_toml(self, set(skip_portals))


def config_toml(manifest: DemoManifest, skip: set[str]) -> str:
    """`[[portals]]` (except those in `skip`, already configured) and `[[sources]]` entries."""
    lines = [
        "# The demo portals and their exports, written by warehouse/demo/generate.py",
        "# (generate_demo; regenerate with DemoManifest.config_toml()). Served by",
        "# `cchc portal-demo` under ${CCHC_DEMO_URL}/<portal>/<file>. Portal codes with a",
        "# dvcqg_code are real DVCQG codes; the others are synthetic: T + GSO code for the",
        "# provinces of 2022–2024, P + GSO code for today's, B01… for ministries. DVCQG is the",
        "# national portal's scoreboard API (synthetic answers, asked by POST after its landing",
        "# page, whose session cookie the API wants).",
        "",
    ]
    for portal in manifest.portals:
        if portal.code in skip:
            continue
        lines += ["[[portals]]", f'code = "{portal.code}"', f'name = "{portal.name}"']
        lines.append(f'sector = "{portal.sector}"')
        if portal.province_code:
            lines.append(f'province_code = "{portal.province_code}"')
        if portal.dvcqg_code:
            lines.append(f'dvcqg_code = "{portal.dvcqg_code}"')
        if portal.until:
            lines.append(f'until = "{portal.until.isoformat()}"')
        lines.append("")
    for portal in manifest.portals:
        for file in portal.files:
            stem = file.name.rsplit(".", 1)[0].replace("/", "-")
            if file.body is not None:  # an API endpoint: DVCQG-service-results
                stem = file.name.rsplit("/", 1)[-1]
            lines += [
                "[[sources]]",
                f'portal = "{portal.code}"',
                f'name = "{portal.code}-{stem}"',
                f'kind = "{file.kind}"',
                f'url = "${{CCHC_DEMO_URL}}/{portal.code}/{file.name}"',
            ]
            if file.format == "json-pages":
                lines.append('page_param = "page"')
            if file.body is not None:
                lines += ['method = "POST"', f"body = {_inline_table(file.body)}"]
                lines.append(f'session_url = "${{CCHC_DEMO_URL}}{LANDING}"')
            lines.append("")
    return "\n".join(lines)


def _inline_table(body: dict) -> str:
    """A flat JSON body as a TOML inline table (texts and whole numbers)."""
    return (
        "{ "
        + ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in body.items())
        + " }"
    )
