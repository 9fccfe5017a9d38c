"""Helpers for the tests of concurrent writers: company files, imports, change-list form data."""

import io
import re

from openpyxl import Workbook

from programs.importing.kinds import get_kind
from programs.importing.pipeline import import_file

COMPANY_COLUMNS = ["사업자등록번호", "업체명", "시·도", "업종", "종사자 수"]


def company_file(rows: list[list]) -> bytes:
    """An Excel file of companies: [brn, name, 시·도, 업종, 종사자 수] per row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COMPANY_COLUMNS)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def import_companies(data: bytes, *, user=None, file_name: str = "기업.xlsx", **kwargs):
    return import_file(kind=get_kind("companies"), data=data, file_name=file_name, user=user, **kwargs)


def changelist_form_data(response) -> dict:
    """The list_editable formset of a change list as a browser would post it (with `_save`)."""
    formset = response.context["cl"].formset
    data = {"_save": "저장"}
    for bound_field in formset.management_form:
        data[bound_field.html_name] = bound_field.value()
    for form in formset.forms:
        for bound_field in form:
            value = bound_field.value()
            if value is not None:
                data[bound_field.html_name] = getattr(value, "pk", value)
    return data


def shown_versions(response) -> dict[int, str]:
    """The versions a change list's action checkboxes carry: {pk: "pk:version"}."""
    found = re.findall(r'name="_selected_version" value="(\d+):(\d+)"', response.content.decode())
    return {int(pk): f"{pk}:{version}" for pk, version in found}
