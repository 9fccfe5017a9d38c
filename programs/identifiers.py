"""Identifier rules of Korean companies: 사업자등록번호 and 법인등록번호 with their check digits.

python-stdnum's `kr.brn` checks the format only; the check-digit rules below are the ones the
National Tax Service and the court registry use, and are tested in tests/companies/test_validators.py.
Input may carry dashes, spaces or full-width digits ("１２３－４５－６７８９０"): `normalize_digits`
turns it into plain ASCII digits before any check.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
CORPORATE_NUMBER_WEIGHTS = (1, 2) * 6
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_.]")


def normalize_digits(value) -> str:
    """'１２３－４５ ６７８９０' → '1234567890' (separators removed, full-width digits folded)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return _SEPARATORS.sub("", text)


def brn_check_digit(first_nine: str) -> int:
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, BRN_WEIGHTS, strict=True))
    total += int(first_nine[8]) * 5 // 10
    return (10 - total % 10) % 10


def corporate_number_check_digit(first_twelve: str) -> int:
    total = sum(int(digit) * weight for digit, weight in zip(first_twelve, CORPORATE_NUMBER_WEIGHTS, strict=True))
    return (10 - total % 10) % 10


def brn_error(digits: str) -> str | None:
    """Korean reason why `digits` (already normalised) is not a valid 사업자등록번호, or None."""
    if not re.fullmatch(r"[0-9]{10}", digits):
        return "사업자등록번호는 숫자 10자리여야 합니다(예: 123-45-67890)."
    if brn_check_digit(digits[:9]) != int(digits[9]):
        return "사업자등록번호의 검증번호(마지막 자리)가 맞지 않습니다."
    return None


def corporate_number_error(digits: str) -> str | None:
    if not re.fullmatch(r"[0-9]{13}", digits):
        return "법인등록번호는 숫자 13자리여야 합니다(예: 110111-1234567)."
    if corporate_number_check_digit(digits[:12]) != int(digits[12]):
        return "법인등록번호의 검증번호(마지막 자리)가 맞지 않습니다."
    return None


def normalize_brn(value) -> str:
    """Normalised, checked 사업자등록번호; raises ValidationError with a Korean message."""
    digits = normalize_digits(value)
    error = brn_error(digits)
    if error:
        raise ValidationError(error, code="invalid_brn")
    return digits


def normalize_corporate_number(value) -> str:
    digits = normalize_digits(value)
    if not digits:
        return ""
    error = corporate_number_error(digits)
    if error:
        raise ValidationError(error, code="invalid_corporate_number")
    return digits


def validate_brn(value) -> None:
    """Model-field validator: the stored value must already be 10 digits with a valid check digit."""
    error = brn_error(str(value))
    if error:
        raise ValidationError(error, code="invalid_brn")


def validate_corporate_number(value) -> None:
    if value:
        error = corporate_number_error(str(value))
        if error:
            raise ValidationError(error, code="invalid_corporate_number")


def format_brn(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if len(digits) == 10 else digits


def format_corporate_number(digits: str) -> str:
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 13 else digits


def brn_search_digits(term: str) -> str | None:
    """Digits of a search term that looks like a (partial) 사업자등록번호, typed in any format."""
    digits = normalize_digits(term)
    return digits if len(digits) >= 3 and digits.isdigit() else None
