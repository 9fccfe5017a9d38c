"""The plan's number conventions: 백만원, thousands separators, △ for negatives, half-up rounding."""

from decimal import Decimal

import pytest

from programs.formats import (
    change_rate,
    execution_rate,
    format_million,
    format_rate,
    million_to_won,
    won_to_million,
)


def test_won_and_million_convert_exactly():
    assert million_to_won(684_557) == 684_557_000_000
    assert won_to_million(1_500_000) == Decimal("1.5")


@pytest.mark.parametrize(
    ("won", "text"),
    [(-1_740_000_000, "△1,740"), (640_099_000_000, "640,099"), (0, "0"), (None, "-")],
)
def test_format_million(won, text):
    assert format_million(won) == text


@pytest.mark.parametrize(
    ("previous", "current", "printed"),
    [
        (4_740, 3_000, "△36.7"),
        (3_800, 5_225, "37.5"),
        (6_920, 6_600, "△4.6"),
        (1_000, 2_000, "100.0"),
        (None, 7_714, "신규"),
        (640_099, 684_557, "6.9"),
    ],
)
def test_change_rate_rounds_as_the_plan_prints(previous, current, printed):
    assert format_rate(change_rate(previous, current)) == printed


def test_rate_rounds_half_up():
    assert change_rate(2000, 2001) == Decimal("0.1")  # 0.05 → 0.1, not banker's 0.0


def test_execution_rate_is_none_without_budget():
    assert execution_rate(100, 0) is None
    assert execution_rate(1_500, 3_000) == Decimal("50.0")


def test_particles_follow_the_last_syllable():
    from programs.formats import with_particle

    assert with_particle("「선정」", "으로", "로") == "「선정」으로"
    assert with_particle("「완료」", "으로", "로") == "「완료」로"
    assert with_particle("서울", "으로", "로") == "서울로"  # ㄹ takes 로
    assert with_particle("사업", "을", "를") == "사업을" and with_particle("자료", "을", "를") == "자료를"
    assert with_particle("KOTRA", "을", "를") == "KOTRA을(를)"  # not Hangul: both forms
