"""`cchc init`: the commented cchc.toml a newcomer starts from (warehouse/templates/cchc.toml).

`--portal CODE` writes one portal and one folder source per code instead of the template's
example. A code the built-in demo configuration knows (today's provinces and ministries, by
their DVCQG codes) comes with its name, sector and province; another one is written with its
code and a name to edit, so the file loads as written and says what is left to fill in.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from warehouse.config import Portal, load_config

TEMPLATE = Path(__file__).with_name("templates") / "cchc.toml"
# The template's example portal and its source: the block `--portal` replaces.
EXAMPLE_START = '[[portals]]\ncode = "H37"'
EXAMPLE_END = "# The national scoreboard"


def render_configuration(codes: Sequence[str] = ()) -> str:
    """The template, its example portal replaced by `codes` when any are given."""
    template = TEMPLATE.read_text(encoding="utf-8")
    if not codes:
        return template
    start, end = template.index(EXAMPLE_START), template.index(EXAMPLE_END)
    known = load_config().portals
    blocks = [_portal_block(code, known.get(code)) for code in dict.fromkeys(codes)]
    return template[:start] + "\n".join(blocks) + "\n" + template[end:]


def _portal_block(code: str, known: Portal | None) -> str:
    def text(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["[[portals]]", f"code = {text(code)}"]
    if known is None:
        lines += [
            f"name = {text('Cổng dịch vụ công ' + code)}  # edit: shown in alerts and the report",
            'sector = "locality"                           # locality (a province) or ministry',
            '# province_code = "20"                        # GSO code of its province (locality)',
        ]
    else:
        lines += [f"name = {text(known.name)}", f"sector = {text(known.sector)}"]
        if known.province_code:
            lines.append(f"province_code = {text(known.province_code)}")
        if known.dvcqg_code:
            lines.append(f"dvcqg_code = {text(known.dvcqg_code)}")
    lines += [
        "",
        "[[sources]]",
        f"portal = {text(code)}",
        f"name = {text(code + '-exports')}",
        f"url = {text('exports/' + code + '/')}  # a folder, an http(s) or file:// URL",
        "",
    ]
    return "\n".join(lines)
