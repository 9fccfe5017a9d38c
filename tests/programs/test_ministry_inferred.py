"""Where the plan does not state a program's ministry: kept in the database, marked (추정) where shown.

The plan states the ministry of 16 of its 31 programs only by naming the lead ministry; 지능형 뿌리공정
is stated in the 성장 메뉴판 (지능형공정(산업부)), so 15 are inferred.
"""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from companies.models import Application
from programs.filtersets import ProgramFilterSet
from programs.models import BudgetExecution, Program, ProgramPlacement
from tests.companies.helpers import make_application, make_company

pytestmark = pytest.mark.django_db

INFERRED = 15


def test_admin_list_marks_inferred_ministries_and_filters_them(admin_client):
    url = reverse("admin:programs_program_changelist")
    inferred = admin_client.get(url, {"ministry_stated": "no"})
    assert inferred.status_code == 200
    names = {program.name for program in inferred.context["cl"].result_list}
    inferred_2025 = ProgramPlacement.objects.filter(plan_year=2025, ministry_stated=False)
    assert names == set(inferred_2025.values_list("program__name", flat=True))
    assert len(names) == INFERRED and "첨단제조로봇실증" in names
    body = inferred.content.decode()
    assert body.count("산업부 (추정)") >= 10
    stated = admin_client.get(url, {"ministry_stated": "yes"})
    assert "(추정)" not in "".join(str(p.ministry_label) for p in stated.context["cl"].result_list)


def test_plan_program_filter_and_its_download(admin_client):
    assert ProgramFilterSet({"ministry_stated": "false"}).qs.count() == INFERRED
    assert ProgramFilterSet({"ministry_stated": "true"}).qs.count() == Program.objects.count() - INFERRED
    response = admin_client.get(reverse("plan:programs"), {"ministry_stated": "false", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    ministries = [row[header.index("소관부처")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(ministries) == INFERRED and all(value.endswith("(추정)") for value in ministries)


def test_plan_pages_mark_the_inferred_ministry(admin_client):
    page = admin_client.get(reverse("plan:program", args=["robot-demo"])).content.decode()
    assert "산업통상자원부 (추정)" in page
    page = admin_client.get(reverse("plan:program", args=["smart-process"])).content.decode()
    assert "산업통상자원부 (추정)" not in page and "산업통상자원부" in page


def test_exports_of_executions_and_applications_mark_it(tmp_path):
    BudgetExecution.objects.create(program=Program.objects.get(code="robot-demo"), year=2025, month=3, amount=1)
    make_application(make_company(name="추정시험"), Program.objects.get(code="partners-day"))
    assert Application.objects.count() == 1
    for kind, column in (("executions", "소관부처"), ("applications", "소관부처")):
        path = tmp_path / f"{kind}.xlsx"
        call_command("export_excel", kind, str(path), stdout=io.StringIO())
        sheet = openpyxl.load_workbook(path).active
        header = [cell.value for cell in sheet[1]]
        values = [row[header.index(column)] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert values == ["산업통상자원부 (추정)"], kind
