"""Validation rules of the core app that every app's models share, with Korean messages."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models

from programs.excel import illegal_characters


def validate_spreadsheet_text(value) -> None:
    """Refuse text a spreadsheet cannot hold (a vertical tab in a company name once broke every
    export of the companies list): control characters other than tab, line feed and carriage
    return. Imports refuse the same characters (programs.importing.cells), exports drop any
    already stored (programs.excel)."""
    if isinstance(value, str) and (found := illegal_characters(value)):
        raise ValidationError(
            f"엑셀에 저장할 수 없는 제어 문자({', '.join(found)})가 들어 있습니다. 지우고 다시 입력해 주세요.",
            code="illegal_characters",
        )


def require_spreadsheet_text(model_classes: Iterable[type[models.Model]]) -> None:
    """Give every CharField and TextField of `model_classes` `validate_spreadsheet_text`.

    Each app calls this in its AppConfig.ready() with its own models, so that a text field added
    later is covered without anyone remembering it (tests/hardening/test_control_characters.py
    checks every field). The validator is appended to `field.validators`, the list Django itself
    extends in CharField.__init__ (max length, NUL), not to the declared validators: model forms
    (the admin) and full_clean() run it, and no migration changes."""
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.generated:
                if validate_spreadsheet_text not in field.validators:
                    field.validators.append(validate_spreadsheet_text)
