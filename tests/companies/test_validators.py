import pytest
from django.core.exceptions import ValidationError

from programs.identifiers import (
    brn_error,
    normalize_brn,
    normalize_corporate_number,
    normalize_digits,
)


@pytest.mark.parametrize("value", ["220-81-62517", "124-81-00998", "2208162517", "220 81 62517"])
def test_known_valid_business_numbers_pass(value):
    assert brn_error(normalize_digits(value)) is None


@pytest.mark.parametrize("value", ["220-81-62518", "124-81-00990", "1234567890"])
def test_wrong_check_digit_is_refused(value):
    with pytest.raises(ValidationError, match="검증번호"):
        normalize_brn(value)


@pytest.mark.parametrize("value", ["220-81-6251", "22081625170", "22O8162517", ""])
def test_wrong_length_or_letters_are_refused(value):
    with pytest.raises(ValidationError, match="10자리"):
        normalize_brn(value)


def test_full_width_digits_and_dashes_are_normalised():
    assert normalize_brn("２２０－８１－６２５１７") == "2208162517"
    assert normalize_brn(" 220‐81‐62517 ") == "2208162517"


def test_brn_check_digit_uses_the_carry_of_the_ninth_digit():
    # 9th digit 9: 9*5 = 45 adds 4 (its tens) on top of the weighted sum.
    assert brn_error("1048153114") is None  # 9th digit 1
    # 1*1+1*3+3*7+8*1+1*3+9*7+8*1+6*3+9*5 = 170, + 45//10 = 174 → check digit 6.
    assert brn_error("1138198696") is None
    assert brn_error("1138198690") is not None


def test_corporate_number_check_digit():
    assert normalize_corporate_number("134511-0004412") == "1345110004412"
    assert normalize_corporate_number("") == ""
    with pytest.raises(ValidationError, match="검증번호"):
        normalize_corporate_number("134511-0004413")
    with pytest.raises(ValidationError, match="13자리"):
        normalize_corporate_number("134511-000441")
