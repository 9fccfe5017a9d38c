"""Money fields: stored in whole won, typed in 원 or 백만원 with thousands separators.

One convention for every amount in the admin:
- `MoneyField` (the model field) is a BigIntegerField of won. Its `input_unit` says in which unit
  staff type it by default: "million" (백만원) where the plan thinks in 백만원 (budgets, execution),
  "won" elsewhere (applications, company sales). Its migrations say plain BigIntegerField: the
  database column does not change, only the form.
- `MoneyFormField` with `MoneyInput` (a text box and a 원/백만원 choice) is the form field of every
  MoneyField, so every admin form, inline and list_editable column gets it without listing it.
  "1,500" with 백만원 and "1,500,000,000" with 원 are the same amount; a unit typed after the
  number ("1,500백만원", "15억원", "1,500,000,000원") wins over the choice. static/programs/money.js
  shows the amount in the other unit as you type; the page renders it too (no script needed).
Negative amounts ("△1,740" or "-1,740") are parsed as negative and left to the model's own rule
(e.g. 집행액은 0원 이상이어야 합니다), so the message is the one every entry path gives.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst

from programs.formats import EOK, MILLION, NEGATIVE_MARK, format_number

UNITS = {"won": ("원", 1), "million": ("백만원", MILLION)}
UNIT_CHOICES = [(code, label) for code, (label, _) in UNITS.items()]
# Units staff may type after the number; they override the unit chosen beside the box.
TYPED_UNITS = [("백만원", MILLION), ("억원", EOK), ("억", EOK), ("만원", 10_000), ("원", 1)]
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_amount(text: str, unit: str = "won") -> int | None:
    """Won from what was typed: '1,500' (백만원) → 1_500_000_000; '' → None. ValueError in Korean."""
    text = unicodedata.normalize("NFKC", str(text or "")).replace(",", "").replace(" ", "").strip()
    if not text:
        return None
    multiplier = UNITS.get(unit, UNITS["won"])[1]
    for suffix, typed_multiplier in TYPED_UNITS:
        if text.endswith(suffix):
            text, multiplier = text[: -len(suffix)], typed_multiplier
            break
    if text.startswith(NEGATIVE_MARK):
        text = "-" + text[1:]
    if not NUMBER.match(text):
        raise ValueError("금액은 숫자로 입력하세요(예: 1,500 또는 1,500,000,000).")
    try:
        amount = Decimal(text) * multiplier
    except InvalidOperation:
        raise ValueError("금액은 숫자로 입력하세요(예: 1,500 또는 1,500,000,000).") from None
    if amount != amount.to_integral_value():
        raise ValueError("금액은 원 단위까지만 입력할 수 있습니다.")
    return int(amount)


def format_in_unit(amount_won: int | None, unit: str) -> str:
    """The amount as typed in `unit`, with separators: 1_500_000_000 in 백만원 → '1,500'."""
    if amount_won is None:
        return ""
    label, multiplier = UNITS[unit]
    value = Decimal(amount_won) / multiplier
    places = 0 if value == value.to_integral_value() else len(str(multiplier)) - 1
    text = format_number(value, places).rstrip("0").rstrip(".") if places else format_number(value)
    return text if amount_won >= 0 else text.replace(NEGATIVE_MARK, "-")


def other_unit_text(amount_won: int | None, unit: str) -> str:
    """What the amount is in the other unit, shown beside the box: '= 1,500,000,000원'."""
    if amount_won is None:
        return ""
    other = "won" if unit == "million" else "million"
    return f"= {format_in_unit(amount_won, other)}{UNITS[other][0]}"


class MoneyInput(forms.MultiWidget):
    """A text box for the number and a 원/백만원 choice; the other unit shown beside them."""

    template_name = "programs/widgets/money_input.html"

    def __init__(self, unit: str = "won", attrs=None):
        self.unit = unit
        text_attrs = {"inputmode": "decimal", "autocomplete": "off", "class": "money-amount", **(attrs or {})}
        widgets = {
            "": forms.TextInput(attrs=text_attrs),
            "unit": forms.Select(choices=UNIT_CHOICES, attrs={"class": "money-unit", "aria-label": "단위"}),
        }
        super().__init__(widgets)

    def decompress(self, value):
        if value in (None, ""):
            return ["", self.unit]
        amount = int(value)
        unit = self.unit if amount % UNITS[self.unit][1] == 0 else "won"
        return [format_in_unit(amount, unit), unit]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        text, unit = (list(value) + ["", self.unit])[:2] if isinstance(value, list | tuple) else self.decompress(value)
        try:
            amount = parse_amount(text, unit)
        except ValueError:
            amount = None
        context["widget"]["other_unit"] = other_unit_text(amount, unit)
        return context


class MoneyFormField(forms.Field):
    """Whole won from a MoneyInput (or from a plain value such as 1500000000)."""

    default_error_messages = {"invalid": "금액은 숫자로 입력하세요(예: 1,500 또는 1,500,000,000)."}

    def __init__(self, *, unit: str = "won", **kwargs):
        self.unit = unit
        kwargs.setdefault("widget", MoneyInput(unit=unit))
        super().__init__(**kwargs)

    def to_python(self, value):
        # A post without the unit choice (a script, a test) means won, the stored unit.
        text, unit = (list(value) + ["", ""])[:2] if isinstance(value, list | tuple) else (value, "won")
        if isinstance(text, int):
            return text
        try:
            return parse_amount(text, unit or "won")
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (None if initial in (None, "") else int(initial))
        except ValidationError:
            return True


class MoneyField(models.BigIntegerField):
    """A won amount (BigIntegerField) whose form field is MoneyFormField, typed in `input_unit`."""

    def __init__(self, *args, input_unit: str = "won", **kwargs):
        if input_unit not in UNITS:
            raise ValueError(f"input_unit must be one of {list(UNITS)}")
        self.input_unit = input_unit
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        # The column is a plain BigIntegerField: migrations neither know nor care about the form.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.BigIntegerField", args, kwargs

    def formfield(self, **kwargs):
        # The admin hands every integer field its number box (AdminBigIntegerFieldWidget): not for money.
        widget = kwargs.get("widget")
        if widget is not None and (isinstance(widget, forms.NumberInput) or (
            isinstance(widget, type) and issubclass(widget, forms.NumberInput)
        )):
            kwargs.pop("widget")
        kwargs.pop("min_value", None)
        kwargs.pop("max_value", None)
        # The box shows the unit: "집행액(원)" would contradict a box set to 백만원.
        label = re.sub(r"\s*\(원\)$", "", capfirst(self.verbose_name))
        # Range rules stay the model's validators (run by the form's model validation), one message.
        defaults = {"form_class": MoneyFormField, "unit": self.input_unit, "label": label}
        return models.Field.formfield(self, **{**defaults, **kwargs})
