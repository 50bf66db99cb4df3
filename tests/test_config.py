"""cchc.toml is validated on start, and each message names the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.config import ConfigError, load_config
from warehouse.demo.lang_son_files import CATALOGUE_FILES, DOSSIER_FILES, REPORT_FILES
from warehouse.demo.national_api import NATIONAL_PORTAL
from warehouse.demo.portals import portal_list
from warehouse.demo.scoreboard import ENDPOINTS

PORTAL = '[[portals]]\ncode = "H37"\nname = "Lạng Sơn"\nsector = "locality"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[portals]]\ncode = "H37"\nname = "x"\nsector = "city"\n', "portals[0].sector = 'city'"),
        ('[[portals]]\nname = "x"\nsector = "locality"\n', "portals[0]: missing `code`"),
        (PORTAL + '[[sources]]\nportal = "H99"\nurl = "/x"\n', "sources[0].portal = 'H99'"),
        (PORTAL + '[[sources]]\nportal = "H37"\nurl = "/x"\nformat = "pdf"\n', "use csv, xlsx"),
        (PORTAL + '[[sources]]\nportal = "H37"\nurl = "/x"\ntimeout = 3\n', "unknown key timeout"),
        (PORTAL + '[schedule]\ncron = "daily"\n', "[schedule] cron = 'daily': use five fields"),
        (PORTAL + '[schedule]\ntimezone = "Hanoi"\n', "use an IANA name"),
        (PORTAL + "[checks.regression]\nwarn_pp = 3\nfail_pp = 1\n", "fail_pp must be ≥ warn_pp"),
        (PORTAL + '[checks]\nmin_denominator = "lots"\n', "min_denominator = 'lots'"),
        (PORTAL + '[notify]\nurls = ["tgram://${CCHC_TEST_UNSET}/1"]\n', "${CCHC_TEST_UNSET}"),
        (PORTAL + '[run]\nas_of = "last night"\n', "[run] as_of = 'last night'"),
        (  # an extension never changes what a built-in word means
            PORTAL + '[vocabulary.values.status]\n"Đang xử lý" = "resolved"\n',
            '[vocabulary.values.status] "Đang xử lý" = "resolved": "Đang xử lý" already means '
            '"pending"',
        ),
        (
            PORTAL + '[vocabulary.dossiers.columns]\nagency_code = ["Đơn vị"]\n',
            '[vocabulary.dossiers.columns] agency_code "Đơn vị": "Đơn vị" already means',
        ),
        (PORTAL + '[vocabulary.values.status]\n"Quá hạn" = "late"\n', "must be one of"),
    ],
)
def test_a_bad_value_is_named_with_its_fix(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "cchc.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_the_built_in_demo_configuration_is_valid() -> None:
    config = load_config()
    assert list(config.portals) == [*(p.code for p in portal_list()), NATIONAL_PORTAL]
    lang_son = len(REPORT_FILES) + len(DOSSIER_FILES) + len(CATALOGUE_FILES)
    national = 1 + len(ENDPOINTS)  # service-results, then one answer per group
    # one report from every other portal of a province or ministry
    assert len(config.sources) == len(config.portals) - 2 + lang_son + national
    assert (config.schedule_cron, config.schedule_timezone) == ("0 2 * * *", "Asia/Ho_Chi_Minh")


def test_vocabulary_words_of_the_configuration_reach_every_portal(tmp_path: Path) -> None:
    path = tmp_path / "cchc.toml"
    path.write_text(
        PORTAL.replace("H37", "H14")
        + PORTAL
        + '[vocabulary.values.status]\n"Quá hạn" = "pending"\n'
        + '[vocabulary.values.channel]\n"Nộp trực tuyến" = "online"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    expected = (
        ("values.status", "Quá hạn", "pending"),
        ("values.channel", "Nộp trực tuyến", "online"),
    )
    assert [p.vocabulary for p in config.portals.values()] == [expected, expected]
    assert load_config().portal("H37").vocabulary == ()  # the demo adds none
