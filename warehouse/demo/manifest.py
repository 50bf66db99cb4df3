"""What the demo generator wrote, for the demo server, the configuration and the tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from warehouse.demo.provinces import LANG_SON_PORTAL


@dataclass(frozen=True)
class DemoFile:
    """One export as a portal serves it: /<portal code>/<name>."""

    name: str
    kind: str  # dossiers | report | catalogue
    format: str  # csv | json | json-pages (served in pages, see server.py) | html-xls | xlsx


@dataclass(frozen=True)
class DemoPortal:
    code: str
    name: str
    sector: str
    province_code: str | None  # GSO code; None for ministries
    files: tuple[DemoFile, ...]

    @property
    def dvcqg_code(self) -> str:
        """H37 is Lạng Sơn's real DVCQG code; the other codes are synthetic (T + GSO, B01…)."""
        return self.code


@dataclass(frozen=True)
class DemoManifest:
    portals: tuple[DemoPortal, ...]
    calibration: dict[str, float] = field(default_factory=dict)

    def portal(self, code: str) -> DemoPortal:
        return next(p for p in self.portals if p.code == code)

    def config_toml(self, *, skip_portals: Iterable[str] = (LANG_SON_PORTAL,)) -> str:
        """The `[[portals]]` and `[[sources]]` entries of the demo (see demo-portals.toml)."""
        return config_toml(self, set(skip_portals))


def config_toml(manifest: DemoManifest, skip: set[str]) -> str:
    """`[[portals]]` (except those in `skip`, already configured) and `[[sources]]` entries."""
    lines = [
        "# The demo portals and their exports, written by warehouse/demo/generate.py",
        "# (generate_demo; regenerate with DemoManifest.config_toml()). Served by",
        "# `cchc portal-demo` under ${CCHC_DEMO_URL}/<portal>/<file>. Portal codes other than",
        "# H37 (Lạng Sơn's real DVCQG code) are synthetic: T + GSO code, B01… for ministries.",
        "",
    ]
    for portal in manifest.portals:
        if portal.code in skip:
            continue
        lines += ["[[portals]]", f'code = "{portal.code}"', f'name = "{portal.name}"']
        lines.append(f'sector = "{portal.sector}"')
        if portal.province_code:
            lines.append(f'province_code = "{portal.province_code}"')
        lines.append("")
    for portal in manifest.portals:
        for file in portal.files:
            stem = file.name.rsplit(".", 1)[0].replace("/", "-")
            lines += [
                "[[sources]]",
                f'portal = "{portal.code}"',
                f'name = "{portal.code}-{stem}"',
                f'kind = "{file.kind}"',
                f'url = "${{CCHC_DEMO_URL}}/{portal.code}/{file.name}"',
            ]
            if file.format == "json-pages":
                lines.append('page_param = "page"')
            lines.append("")
    return "\n".join(lines)
