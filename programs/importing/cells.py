"""Parsing one spreadsheet cell into a Python value, with a Korean reason when it cannot be.

Cells come from python-calamine (str, float, int, bool, date, datetime) or from csv (str). Each
parser takes the raw cell and returns the value, or raises `CellError`.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from programs.excel import CSV_TEXT_MARK, FORMULA_PREFIXES, illegal_characters
from programs.identifiers import normalize_brn, normalize_corporate_number

EXCEL_EPOCH = datetime.date(1899, 12, 30)
TRUE_WORDS = {"y", "yes", "true", "1", "o", "예", "네", "보유", "해당", "○", "●", "v"}
FALSE_WORDS = {"", "n", "no", "false", "0", "x", "아니오", "아니요", "미보유", "해당없음", "-", "×"}
_BOOLEAN_CELLS = {"Y": True, "N": False, "y": True, "n": False, "": False, None: False}
_DATE_TEXT = re.compile(r"^(\d{4})[-./년\s]*(\d{1,2})[-./월\s]*(\d{1,2})일?$")


# Digits a whole number may have before it is refused without being built: more than any
# integer column holds (BigIntegerField: 19 digits), far less than 1e400 or 1e999999999 would take.
MAX_INTEGER_DIGITS = 20


class CellError(Exception):
    """The cell's value is not acceptable; `str(error)` is the Korean reason."""


def refuse_illegal_characters(text: str) -> None:
    if found := illegal_characters(text):
        raise CellError(f"엑셀에 저장할 수 없는 제어 문자({', '.join(found)})가 들어 있습니다.")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_text(value, *, max_length: int | None = None) -> str:
    # Most cells are str already (the fast path of a 64,061-row import: ~830,000 cells).
    if type(value) is str:
        text = value.strip()
        if not text:
            return ""
    elif value is None:
        return ""
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
    # Undo the apostrophe our CSV export puts before formula-like text.
    if text.startswith(CSV_TEXT_MARK) and text[1:2] and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    if max_length is not None and len(text) > max_length:
        raise CellError(f"{max_length}자를 넘습니다({len(text)}자).")
    refuse_illegal_characters(text)
    return text


def text(max_length: int):
    """A parser of text cells of at most `max_length` characters (the model field's)."""
    return partial(parse_text, max_length=max_length)


def unknown_name(kind: str, accepted: list[str]) -> str:
    """The Korean refusal of a name that matches nothing, listing (up to 20 of) the accepted names."""
    shown = accepted if len(accepted) <= 20 else [*accepted[:20], "..."]
    return f"알 수 없는 {kind}입니다. 가능한 {kind}: {', '.join(shown)}"


def parse_brn(value) -> str:
    """사업자등록번호 in any common writing, checked (check digit included); ten digits."""
    try:
        return normalize_brn(parse_text(value))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc


def parse_corporate_number(value) -> str:
    try:
        return normalize_corporate_number(parse_text(value))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc


_IGNORED_IN_NAMES = re.compile(r"[\s/·‧・.,\-()（）]")


def name_key(value) -> str:
    """Key under which a name is looked up: '사출 · 프레스' and '사출/프레스' share '사출프레스'."""
    return _IGNORED_IN_NAMES.sub("", unicodedata.normalize("NFKC", str(value or ""))).lower()


class NameLookup(dict):
    """Objects by the normalised key of each of their names; `accepted` lists the canonical names."""

    key = staticmethod(name_key)

    FOUND_KEPT = 10_000  # values remembered as written (a file repeats its 시·도 and 업종)

    def __init__(self, objects, names_of):
        super().__init__()
        self.accepted: list[str] = []
        self.found: dict = {}  # value as written → object or None, so each is normalised once
        for obj in objects:
            names = [name for name in names_of(obj) if name]
            self.accepted.append(names[0])
            for name in names:
                self.setdefault(name_key(name), obj)

    def find(self, value):
        try:
            return self.found[value]
        except (KeyError, TypeError):  # TypeError: an unhashable value is looked up every time
            obj = self.get(name_key(value))
            if len(self.found) < self.FOUND_KEPT and isinstance(value, str):
                self.found[value] = obj
            return obj


def finite_decimal(text: str) -> Decimal:
    """A number written as text, refused when it is not finite (Infinity, NaN, sNaN) or has more
    digits before the point than any integer column holds (1E+30, 1e400)."""
    try:
        decimal = Decimal(text)
    except InvalidOperation as exc:
        raise CellError("숫자가 아닙니다.") from exc
    if not decimal.is_finite():
        raise CellError("숫자가 아닙니다(무한대·NaN은 받지 않습니다).")
    if decimal and decimal.adjusted() >= MAX_INTEGER_DIGITS:
        raise CellError(f"숫자가 너무 큽니다({MAX_INTEGER_DIGITS}자리 이상).")
    return decimal


def parse_integer(value, *, minimum: int | None = 0) -> int | None:
    """Whole numbers: 1,500,000 / '1,500,000원' / '１５００' / 1500000.0; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("숫자가 아닙니다.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():  # also inf and nan
            raise CellError("정수(원 단위)로 입력해 주세요.")
        number = int(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").replace(" ", "")
        text = text.removesuffix("원").removesuffix("명")
        if text.startswith("△"):
            text = "-" + text[1:]
        decimal = finite_decimal(text)
        if decimal != decimal.to_integral_value():
            raise CellError("정수(원 단위)로 입력해 주세요.")
        number = int(decimal)
    if minimum is not None and number < minimum:
        raise CellError(f"{minimum} 이상이어야 합니다.")
    return number


def parse_date(value) -> datetime.date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():  # an Excel serial date
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise CellError("날짜가 아닙니다(예: 2024-03-15).")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DATE_TEXT.match(text)
    if not match:
        raise CellError("날짜가 아닙니다(예: 2024-03-15).")
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise CellError("없는 날짜입니다.") from exc


def parse_boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if value in _BOOLEAN_CELLS:  # the template's own Y/N and blanks, without normalising
        return _BOOLEAN_CELLS[value]
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError("Y 또는 N으로 입력해 주세요.")
    word = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError("Y 또는 N으로 입력해 주세요.")


def parse_email(value) -> str:
    text = parse_text(value, max_length=254)
    if text:
        try:
            validate_email(text)
        except ValidationError as exc:
            raise CellError("이메일 주소 형식이 아닙니다.") from exc
    return text


def parse_year(value) -> int | None:
    year = parse_integer(value, minimum=None)
    if year is not None and not 2000 <= year <= 2100:
        raise CellError("연도는 2000~2100 사이의 네 자리 숫자여야 합니다.")
    return year
