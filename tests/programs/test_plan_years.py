"""Plan years as data: 2025 loaded as confirmed, drawing up the next year (copy, edit, import the
지원예산 표, confirm) through the admin, and every page and report switching between the years.

The 2026 plan here is SYNTHETIC (made up by the tests, not a real plan): every name it adds is
marked (합성), its budgets are invented.
"""

import io
import re
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from programs import access, selectors, services
from programs.formats import won_to_million
from programs.importing.kinds import get_kind
from programs.importing.pipeline import import_file
from programs.models import (
    BudgetExecution,
    Milestone,
    Ministry,
    PlanYear,
    PlanYearStatus,
    PolicyArea,
    Program,
    ProgramBudget,
    ProgramPlacement,
    ReportSnapshot,
    Task,
)
from programs.reports.committee import committee_report_bytes
from programs.years import current_year
from tests import html_tables
from tests.companies.helpers import make_application, make_company
from tests.programs import plan_document, plan_sections
from tests.programs.admin_forms import change_form_data
from tests.programs.workbook import table

pytestmark = pytest.mark.django_db

SYNTHETIC_TASK_NAME = "(합성) 디지털 플랫폼 고도화"  # 3-2 renamed in 2026
MOVED, ENDED = "export-voucher", "smart-process"  # 1-2 → 1-1 in 2026; ends in 2025
NEW_CODE, NEW_NAME = "synthetic-ai-diagnosis", "(합성) 뿌리 AI 공정진단"
NEW_BUDGET = 2_000  # 백만원
RAISE = 100  # every continuing program gets '25 + 100 백만원 in the synthetic 2026 table


def rate_text(previous: int | None, current: int) -> str:
    """증감률 as the plan prints it, computed here independently of programs.formats."""
    if not previous:
        return "신규"
    value = (Decimal(current - previous) * 100 / previous).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"△{-value}" if value < 0 else f"{value}"


def amount_text(value: int | None) -> str:
    if value is None:
        return "-"
    return f"△{-value:,}" if value < 0 else f"{value:,}"


def xlsx(rows, headers=("구분", "사업명", "전년", "당해", "증감", "%")) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(list(headers))
    for row in rows:
        workbook.active.append(list(row))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def budget_import(data: bytes, user=None, dry_run=False):
    return import_file(kind=get_kind("budget_table"), data=data, file_name="지원예산.xlsx", user=user, dry_run=dry_run)


def post_action(client, action: str, year: int, **extra):
    url = reverse("admin:programs_planyear_changelist")
    return client.post(url, {"action": action, "_selected_action": [str(year)], **extra})


# --- 2025 as loaded ---------------------------------------------------------------------------------


def test_2025_is_loaded_as_the_confirmed_plan_year():
    plan_year = PlanYear.objects.get()
    assert (plan_year.year, plan_year.status) == (2025, PlanYearStatus.CONFIRMED)
    assert plan_year.source_document == "fixtures/plan/2025-ppuri-execution-plan.txt"
    assert PolicyArea.objects.filter(plan_year=2025).count() == 3
    assert ProgramPlacement.objects.filter(plan_year=2025, has_budget_line=True).count() == 17
    assert current_year() == 2025


# --- copy ---------------------------------------------------------------------------------------


def test_copy_makes_a_draft_with_the_same_structure_and_no_budgets(admin_user):
    copied = services.plan_year_copy(source=PlanYear.objects.get(year=2025), year=2026, user=admin_user)
    assert copied.status == PlanYearStatus.DRAFT
    tasks = lambda year: list(Task.objects.filter(area__plan_year=year).values_list("area__number", "number", "name"))  # noqa: E731
    assert tasks(2026) == tasks(2025)
    placed = lambda year: set(  # noqa: E731
        ProgramPlacement.objects.filter(plan_year=year).values_list(
            "program__code", "task__area__number", "task__number", "budget_order"
        )
    )
    assert placed(2026) == placed(2025)
    assert not ProgramBudget.objects.filter(year=2026).exists()
    assert current_year() == 2025  # a draft is not the current year


def test_copy_to_a_year_that_exists_is_refused(admin_user):
    with pytest.raises(ValidationError, match="2025년 실행계획이 이미 있습니다"):
        services.plan_year_copy(source=PlanYear.objects.get(year=2025), year=2025, user=admin_user)


def test_copy_leaves_out_a_program_that_ended(admin_user):
    ProgramPlacement.objects.filter(plan_year=2025, program__code=ENDED).update(ended=True)
    services.plan_year_copy(source=PlanYear.objects.get(year=2025), year=2026, user=admin_user)
    assert not ProgramPlacement.objects.filter(plan_year=2026, program__code=ENDED).exists()
    assert ProgramPlacement.objects.filter(plan_year=2025, program__code=ENDED).exists()


# --- confirm --------------------------------------------------------------------------------------


def test_confirm_refuses_a_year_without_its_budgets(admin_user):
    draft = services.plan_year_copy(source=PlanYear.objects.get(year=2025), year=2026, user=admin_user)
    with pytest.raises(ValidationError, match="2026년 예산이 없는 지원예산 표 사업이 있어 확정할 수 없습니다"):
        services.plan_year_confirm(plan_year=draft, user=admin_user)
    assert PlanYear.objects.get(year=2026).status == PlanYearStatus.DRAFT


def test_a_confirmed_years_budget_needs_a_system_admin_and_a_reason(role_user, admin_client):
    budget = ProgramBudget.objects.get(program__code="polytech", year=2025)
    url = reverse("admin:programs_programbudget_change", args=[budget.pk])
    # A ministry officer of 고용노동부 (the program's ministry) sees it read-only.
    officer = role_user(access.MINISTRY_OFFICER, ministry="moel")
    client = Client()
    client.force_login(officer)
    response = client.post(url, {"program": budget.program_id, "year": 2025, "amount": 1, "version": budget.version})
    assert response.status_code == 403
    # The 시스템 관리자 without a reason: refused, in Korean.
    data = change_form_data(admin_client.get(url))
    data["amount"] = budget.amount + 1_000_000
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "확정된 2025년 실행계획을 바꾸려면 변경 사유를 적어 주세요." in response.content.decode()
    assert ProgramBudget.objects.get(pk=budget.pk).amount == budget.amount
    # With the reason: saved, and the reason is in the history.
    data["change_reason"] = "국회 증액 반영"
    assert admin_client.post(url, data).status_code == 302
    assert budget.history.latest("history_date").history_change_reason == "국회 증액 반영"


def test_a_drafts_budget_needs_no_reason(admin_client, admin_user):
    services.plan_year_copy(source=PlanYear.objects.get(year=2025), year=2026, user=admin_user)
    program = Program.objects.get(code="polytech")
    budget = ProgramBudget.objects.create(program=program, year=2026, amount=1_000_000)
    url = reverse("admin:programs_programbudget_change", args=[budget.pk])
    data = change_form_data(admin_client.get(url))
    data["amount"] = 2_000_000
    assert admin_client.post(url, data).status_code == 302
    assert ProgramBudget.objects.get(pk=budget.pk).amount == 2_000_000


def test_execution_is_entered_only_for_a_plan_year_the_program_is_placed_in():
    program = Program.objects.get(code="polytech")
    execution = BudgetExecution(program=program, year=2026, month=1, amount=1)
    with pytest.raises(ValidationError, match=r"집행은 실행계획 연도\(2025년\)에만 입력할 수 있습니다."):
        execution.full_clean()


# --- the 지원예산 표 import ---------------------------------------------------------------------


@pytest.fixture
def draft_2026(admin_user):
    return services.plan_year_copy(source=PlanYear.objects.get(year=2025), year=2026, user=admin_user)


def plan_rows_2025() -> list[list]:
    """2025's 지원예산 table as printed (구분 only on an area's first row)."""
    rows, previous_area = [], None
    for area, name, _, current, _, _ in plan_document.budget_table_cells()[0]:
        rows.append([area if area != previous_area else None, name, current])
        previous_area = area
    return rows


def test_budget_table_rows_that_disagree_are_refused_and_nothing_is_written(draft_2026):
    rows = [
        ["뿌리기업의 성장지원 강화", "기능인력양성(폴리텍)", "42,718", "43,000", "282", "0.7"],
        [None, "수출바우처", "36,050", "36,000", "50", "△0.1"],  # 증감 should be △50
        [None, "긴급경영안정자금", "250,000", "250,000", "0", "1.0"],  # % should be 0.0
        [None, "차세대 뿌리산업 전문인력 양성", "-", "1,000", "1,000", "0.0"],  # 전년 is stored (1,000): fine,
        [None, "소계", "-", "999", None, None],  # but the 소계 is not the sum
    ]
    result = budget_import(xlsx(rows))
    assert not result.written
    problems = [(error.row_number, error.column) for error in result.errors]
    assert problems == [(3, "증감"), (4, "%"), (5, "%"), (6, "당해")]
    assert "당해 − 전년 = △50이어야 합니다." in result.errors[0].message
    assert "전년 예산이 없는 사업은 '신규'로 적습니다." in result.errors[2].message
    assert "위 행들의 합" in result.errors[3].message
    assert not ProgramBudget.objects.filter(year=2026).exists()


def test_a_budget_row_refused_for_its_change_still_counts_in_the_subtotal_and_total(draft_2026):
    rows = [
        ["뿌리산업 생태계 강화", "뿌리산업 BIZ 플랫폼 구축지원", "2,000", "2,500", "501", "25.0"],  # 증감 500
        [None, "뿌리산업 특화단지 지원", "6,600", "6,000", "△600", "△9.1"],
        [None, "소계", "8,600", "8,500", "△100", "△1.2"],
        ["총계", None, "8,600", "8,500", "△100", "△1.2"],
    ]
    result = budget_import(xlsx(rows))
    assert [str(error) for error in result.errors] == ["2행 [증감] 값 '501': 당해 − 전년 = 500이어야 합니다."]
    rows[0][2] = "2,000.0000001"  # not whole won: its 구분 and the 총계 cannot be summed, nor refused
    rows[0][4] = "500"
    result = budget_import(xlsx(rows))
    assert [(error.row_number, error.column) for error in result.errors] == [(2, "전년")]
    assert not ProgramBudget.objects.filter(year=2026).exists()


def test_budget_table_refuses_a_confirmed_year():
    result = budget_import(
        xlsx([["뿌리기업의 성장지원 강화", "기능인력양성(폴리텍)", "42,285", "42,718", "433", "1.0"]])
    )
    assert [(error.column, error.message) for error in result.errors] == [
        ("연도", "작성 중인 실행계획 연도가 없습니다. 먼저 다음 연도 계획을 만드세요(복사).")
    ]


def test_budget_table_writes_the_years_budgets_and_order(draft_2026):
    rows = [
        ["뿌리산업 생태계 강화", "뿌리산업 BIZ 플랫폼 구축지원", "2,000", "2,500", "500", "25.0"],
        [None, "뿌리산업 특화단지 지원", "6,600", "6,000", "△600", "△9.1"],
        [None, "소계", "8,600", "8,500", "△100", "△1.2"],
        ["총계", None, "8,600", "8,500", "△100", "△1.2"],
    ]
    result = budget_import(xlsx(rows))
    assert result.written, result.errors
    assert dict(ProgramBudget.objects.filter(year=2026).values_list("program__code", "amount")) == {
        "biz-platform": 2_500_000_000,
        "specialized-complex": 6_000_000_000,
    }
    placements = ProgramPlacement.objects.filter(plan_year=2026).exclude(budget_order=None).order_by("budget_order")
    assert list(placements.values_list("program__code", flat=True)[:2]) == ["biz-platform", "specialized-complex"]
    assert placements.count() == ProgramPlacement.objects.filter(plan_year=2025).exclude(budget_order=None).count()


# --- the synthetic 2026 plan, drawn up through the admin as staff would --------------------------


def synthetic_2026_table() -> tuple[list[list], dict[str, tuple[int | None, int]], tuple[int, int]]:
    """The SYNTHETIC 2026 지원예산 표: 2025's rows without the ended program, each +100, the new
    program at the end of area 2; with 소계 and 총계 rows. Returns (rows, {name: (전년, 당해)}, total)."""
    previous = {name: current for _, name, current in plan_rows_2025()}
    areas: dict[str, list[str]] = {}
    for area, name, _, _, _, _ in plan_document.budget_table_cells()[0]:
        if name != "지능형 뿌리공정 시스템 구축":
            areas.setdefault(area, []).append(name)
    areas["뿌리산업 혁신역량 제고"].append(NEW_NAME)
    rows, figures, total = [], {}, [0, 0]
    for area, names in areas.items():
        subtotal = [0, 0]
        for index, name in enumerate(names):
            before = int(previous[name].replace(",", "")) if name in previous else None
            now = before + RAISE if before is not None else NEW_BUDGET
            figures[name] = (before, now)
            change = now - (before or 0)
            rows.append(
                [
                    area if index == 0 else None,
                    name,
                    amount_text(before),
                    f"{now:,}",
                    amount_text(change),
                    rate_text(before, now),
                ]
            )
            subtotal = [subtotal[0] + (before or 0), subtotal[1] + now]
        rows.append(
            [
                None,
                "소계",
                f"{subtotal[0]:,}",
                f"{subtotal[1]:,}",
                amount_text(subtotal[1] - subtotal[0]),
                rate_text(subtotal[0], subtotal[1]),
            ]
        )
        total = [total[0] + subtotal[0], total[1] + subtotal[1]]
    rows.append(
        [
            "총계",
            None,
            f"{total[0]:,}",
            f"{total[1]:,}",
            amount_text(total[1] - total[0]),
            rate_text(total[0], total[1]),
        ]
    )
    return rows, figures, (total[0], total[1])


def draw_up_2026(client) -> None:
    """Staff's path: end a program in 2025 (with a reason), copy 2025 → 2026, rename a task, move a
    program, add a new one, import the 지원예산 표 with its preview, confirm."""
    ended = ProgramPlacement.objects.get(plan_year=2025, program__code=ENDED)
    url = reverse("admin:programs_programplacement_change", args=[ended.pk])
    data = change_form_data(client.get(url))
    data.update(ended="on", change_reason="(합성) 2025년 종료")
    assert client.post(url, data).status_code == 302

    preview = post_action(client, "copy_to_next_year", 2025)
    assert "2025년 계획을 2026년으로 복사" in preview.content.decode()
    assert not PlanYear.objects.filter(year=2026).exists()  # the confirmation page writes nothing
    response = post_action(client, "copy_to_next_year", 2025, confirmed="yes")
    assert response.status_code == 302 and PlanYear.objects.get(year=2026).status == PlanYearStatus.DRAFT

    task = Task.objects.get(area__plan_year=2026, area__number=3, number=2)
    url = reverse("admin:programs_task_change", args=[task.pk])
    data = change_form_data(client.get(url))
    data["name"] = SYNTHETIC_TASK_NAME
    assert client.post(url, data).status_code == 302  # a draft: no reason needed

    moved = ProgramPlacement.objects.get(plan_year=2026, program__code=MOVED)
    url = reverse("admin:programs_programplacement_change", args=[moved.pk])
    data = change_form_data(client.get(url))
    data["task"] = Task.objects.get(area__plan_year=2026, area__number=1, number=1).pk
    assert client.post(url, data).status_code == 302

    add = reverse("admin:programs_program_add")
    data = change_form_data(client.get(add))
    data.update(
        code=NEW_CODE,
        name=NEW_NAME,
        ministry=Ministry.objects.get(code="motie").pk,
        start_year=2026,
        **{
            "placements-TOTAL_FORMS": "1",
            "placements-0-plan_year": "2026",
            "placements-0-task": Task.objects.get(area__plan_year=2026, area__number=2, number=2).pk,
            "placements-0-has_budget_line": "on",
            "placements-0-budget_order": "99",
            "placements-0-ministry_stated": "on",
        },
    )
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response

    rows, _, _ = synthetic_2026_table()
    url = reverse("admin:programs_programbudget_import")
    preview = client.post(url, {"file": SimpleUploadedFile("2026_지원예산.xlsx", xlsx(rows))})
    assert preview.status_code == 200 and preview.context["result"].is_valid, preview.context["result"].errors
    assert not ProgramBudget.objects.filter(year=2026).exists()
    client.post(url, {"token": preview.context["token"]}, follow=True)
    assert ProgramBudget.objects.filter(year=2026).count() == 17

    assert post_action(client, "confirm", 2026, confirmed="yes").status_code == 302
    assert PlanYear.objects.get(year=2026).status == PlanYearStatus.CONFIRMED


@pytest.fixture
def synthetic_2026(admin_client):
    draw_up_2026(admin_client)
    return admin_client


def admin_list(client, **params) -> tuple[dict[str, dict], list[str]]:
    """The admin program list by program name ({header: cell}), and its footer of totals."""
    response = client.get(reverse("admin:programs_program_changelist"), params)
    listed = html_tables.table_under(response.content, "변경할 사업 선택")
    header = [text.lstrip("0123456789 ") for text in listed.texts()[0]]
    rows = [dict(zip(header, row, strict=True)) for row in listed.texts()[1:-1]]
    return {row["사업명"]: row for row in rows}, listed.texts()[-1]


def test_synthetic_2026_admin_program_list(synthetic_2026):
    client = synthetic_2026
    _, figures, total = synthetic_2026_table()
    shown, footer = admin_list(client, year="2026", has_budget_line__exact="1")
    assert set(shown) == set(figures)
    assert "지능형 뿌리공정 시스템 구축" not in shown  # ended in 2025
    for name, (before, now) in figures.items():
        row = shown[name]
        assert [row["'25년 예산(백만원)"], row["'26년 예산(백만원)"], row["증감(백만원)"], row["증감률(%)"]] == [
            amount_text(before),
            f"{now:,}",
            amount_text(now - (before or 0)),
            rate_text(before, now),
        ], name
    assert shown[NEW_NAME]["증감률(%)"] == "신규"
    assert shown["수출바우처"]["추진과제"] == "1-1"  # moved
    assert footer[1:3] == [f"{total[0]:,}", f"{total[1]:,}"]
    # 2025 unchanged: the plan's own figures.
    shown, footer = admin_list(client, year="2025")
    plan_rows, plan_total = plan_document.budget_table_cells()
    for _, name, previous, current, change, rate in plan_rows:
        row = shown[name]
        assert [row["'24년 예산(백만원)"], row["'25년 예산(백만원)"], row["증감(백만원)"], row["증감률(%)"]] == [
            previous,
            current,
            change,
            rate,
        ], name
    assert shown["수출바우처"]["추진과제"] == "1-2"
    assert footer[1:5] == plan_total


def test_synthetic_2026_plan_pages(synthetic_2026):
    client = synthetic_2026
    _, figures, total = synthetic_2026_table()
    overview = html_tables.table_under(client.get("/plan/2026/").content, "2026년 실행계획 — 추진분야별 예산·집행")
    assert overview.texts()[-1][:3] == ["총계", f"{total[0]:,}", f"{total[1]:,}"]
    assert overview.rows[1][0].links == [reverse("plan:area", args=[2026, 1])]
    task_page = client.get(reverse("plan:task", args=[2026, 3, 2])).content.decode()
    assert SYNTHETIC_TASK_NAME in task_page
    assert "산업 고도화를 위한 플랫폼 구축" in client.get(reverse("plan:task", args=[2025, 3, 2])).content.decode()
    task_one = html_tables.table_under(client.get(reverse("plan:task", args=[2026, 1, 1])).content, "1-1")
    assert "수출바우처" in [row[0] for row in task_one.texts()]
    # The overview without a year is now 2026 (the newest confirmed); 2025's stays as printed.
    assert "2026년 실행계획" in client.get(reverse("plan:overview")).content.decode()
    old = html_tables.table_under(client.get("/plan/2025/").content, "2025년 실행계획 — 추진분야별 예산·집행")
    assert old.texts()[-1][:3] == ["총계", "640,099", "684,557"]
    # A program's page lists every year it ran.
    voucher = client.get(reverse("plan:program", args=["export-voucher"]))
    years = html_tables.table_under(voucher.content, "연도별 예산·집행").texts()[1:]
    assert [(row[0], row[1].split()[0], row[4]) for row in years] == [
        ("2025년", "1-2", "36,050"),
        ("2026년", "1-1", f"{figures['수출바우처'][1]:,}"),
    ]
    ended = client.get(reverse("plan:program", args=[2026, ENDED])).content.decode()
    assert "2026년 실행계획에는 이 사업이 없습니다." in ended
    years = html_tables.table_under(client.get(reverse("plan:program", args=[ENDED])).content, "연도별 예산·집행")
    assert [row[0] for row in years.texts()[1:]] == ["2025년"] and "2025년 종료" in years.texts()[1][-1]


def test_synthetic_2026_export_and_committee_workbook(synthetic_2026):
    client = synthetic_2026
    _, figures, total = synthetic_2026_table()
    response = client.get(reverse("plan:programs", args=[2026]), {"has_budget_line": "true", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[3:5] == ("'25년 예산(백만원)", "'26년 예산(백만원)")
    exported = {row[1]: row for row in rows}
    assert set(exported) == set(figures)
    for name, (before, now) in figures.items():
        assert (exported[name][3], exported[name][4]) == (before, now), name

    workbook = openpyxl.load_workbook(io.BytesIO(committee_report_bytes(year=2026)))
    budget = table(workbook["지원예산"], "지원예산 (단위: 백만원)").rows
    programs = {row["사업명"]: row for row in budget if row["사업명"] not in ("소계", None)}
    assert set(programs) == set(figures)
    for name, (before, now) in figures.items():
        assert (programs[name]["'25년(A)"], programs[name]["'26년(B)"]) == (before if before else "-", now), name
    assert programs[NEW_NAME]["%"] == "신규"
    grand = budget[-1]
    assert grand["구분"] == "총계" and (grand["'25년(A)"], grand["'26년(B)"]) == total
    sheet_text = [str(cell) for row in workbook["지원예산"].iter_rows(values_only=True) for cell in row if cell]
    assert any("'25년 예산이 없는 사업은 신규" in text for text in sheet_text)
    assert not any("'24년 예산이 없는" in text for text in sheet_text)
    # 2025's workbook is the plan's, unchanged.
    old = table(
        openpyxl.load_workbook(io.BytesIO(committee_report_bytes(year=2025)))["지원예산"], "지원예산 (단위: 백만원)"
    )
    assert [old.rows[-1]["'24년(A)"], old.rows[-1]["'25년(B)"]] == [640_099, 684_557]
    assert "지능형 뿌리공정 시스템 구축" in old.column("사업명")


def program_row(rows: list[dict], name: str) -> dict:
    return next(row for row in rows if row["사업명"] == name)


def test_synthetic_2026_states_a_ministry_that_2025_inferred(synthetic_2026, tmp_path):
    """A program's (추정) belongs to the year: 2026 states the ministry 2025 left out; 2025 stays."""
    client = synthetic_2026
    robot, name = "robot-demo", "첨단제조로봇실증"
    company = make_company(name="(합성) 연도별 소관부처")
    for year in (2025, 2026):
        make_application(company, Program.objects.get(code=robot), year=year)
    placement = ProgramPlacement.objects.get(plan_year=2026, program__code=robot)
    assert not placement.ministry_stated  # copied from 2025
    url = reverse("admin:programs_programplacement_change", args=[placement.pk])
    data = change_form_data(client.get(url))
    data["ministry_stated"] = "on"
    response = client.post(url, data)  # 2026 is confirmed: a reason is needed
    assert "확정된 2026년 실행계획을 바꾸려면 변경 사유를 적어 주세요." in response.content.decode()
    assert not ProgramPlacement.objects.get(pk=placement.pk).ministry_stated
    data["change_reason"] = "(합성) 2026년 계획이 소관부처를 적음"
    assert client.post(url, data).status_code == 302
    assert ProgramPlacement.objects.get(pk=placement.pk).ministry_stated
    assert not ProgramPlacement.objects.get(plan_year=2025, program__code=robot).ministry_stated

    # The admin list and its 소관부처 명시 filter, per year.
    assert admin_list(client, year="2026")[0][name]["소관부처"] == "산업부"
    assert admin_list(client, year="2025")[0][name]["소관부처"] == "산업부 (추정)"
    url = reverse("admin:programs_program_changelist")
    inferred = {
        year: {p.name for p in client.get(url, {"year": year, "ministry_stated": "no"}).context["cl"].result_list}
        for year in ("2025", "2026")
    }
    assert len(inferred["2025"]) == 15 and name in inferred["2025"]
    assert inferred["2026"] == inferred["2025"] - {name}
    # The /plan/ program list and its download.
    for year, label in ((2026, "산업통상자원부"), (2025, "산업통상자원부 (추정)")):
        response = client.get(reverse("plan:programs", args=[year]), {"format": "xlsx"})
        header, *rows = openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        assert next(row for row in rows if row[1] == name)[header.index("소관부처")] == label, year
    # The committee workbook.
    for year, label in ((2026, "산업부"), (2025, "산업부 (추정)")):
        workbook = openpyxl.load_workbook(io.BytesIO(committee_report_bytes(year=year)))
        budget = table(workbook["지원예산"], "지원예산 (단위: 백만원)").rows
        assert program_row(budget, name)["소관부처"] == label, year
    # The program's page: the year's label, and each year's in the table across years.
    page = client.get(reverse("plan:program", args=[2026, robot])).content.decode()
    assert "(산업통상자원부, " in page and "산업통상자원부 (추정)" in page  # the latter in 2025's row
    assert "(산업통상자원부 (추정), " in client.get(reverse("plan:program", args=[2025, robot])).content.decode()
    years = html_tables.table_under(client.get(reverse("plan:program", args=[robot])).content, "연도별 예산·집행")
    assert [(row[0], row[2]) for row in years.texts()[1:]] == [
        ("2025년", "산업통상자원부 (추정)"),
        ("2026년", "산업통상자원부"),
    ]
    # Each application row takes its own year's placement.
    path = tmp_path / "applications.xlsx"
    call_command("export_excel", "applications", str(path), stdout=io.StringIO())
    header, *rows = openpyxl.load_workbook(path).active.iter_rows(values_only=True)
    shown = {row[header.index("연도")]: row[header.index("소관부처")] for row in rows}
    assert shown == {2025: "산업통상자원부 (추정)", 2026: "산업통상자원부"}


def test_copy_carries_the_schedule_order_and_the_stated_ministry(draft_2026):
    def placed(year):
        placements = ProgramPlacement.objects.filter(plan_year=year)
        return set(placements.values_list("program__code", "schedule_order", "ministry_stated"))

    assert placed(2026) == placed(2025)
    assert ProgramPlacement.objects.filter(plan_year=2026, ministry_stated=False).count() == 15
    assert ProgramPlacement.objects.filter(plan_year=2026, schedule_order__isnull=False).count() == len(
        plan_document_schedule_programs()
    )


def plan_document_schedule_programs() -> list[str]:
    return list(dict.fromkeys(program for _, program, _ in plan_sections.schedule_rows()))


def test_the_schedule_order_is_the_years(draft_2026, admin_client):
    """2026's 추진일정 표 puts 취업매칭버스 last; 2025's keeps it first, as the document prints it."""
    bus, polytech = "job-matching-bus", "polytech"
    moved = ProgramPlacement.objects.get(plan_year=2026, program__code=bus)
    assert moved.schedule_order == 1
    taken = ProgramPlacement.objects.get(plan_year=2026, program__code=polytech).schedule_order
    moved.schedule_order = taken
    with pytest.raises(ValidationError, match="추진일정 표 순서"):  # unique within the year
        moved.full_clean()
    last = len(plan_document_schedule_programs()) + 1
    url = reverse("admin:programs_programplacement_change", args=[moved.pk])
    data = change_form_data(admin_client.get(url))
    data["schedule_order"] = str(last)
    assert admin_client.post(url, data).status_code == 302  # a draft: no reason needed
    assert ProgramPlacement.objects.get(plan_year=2026, program__code=bus).schedule_order == last
    assert ProgramPlacement.objects.get(plan_year=2025, program__code=bus).schedule_order == 1
    for code in (bus, polytech):
        Milestone.objects.create(
            program=Program.objects.get(code=code),
            year=2026,
            order=1,
            plan_text="(합성) 2026년 일정",
            label="공고",
            start_month=3,
            end_month=3,
        )

    def scheduled(year: int) -> list[str]:
        workbook = openpyxl.load_workbook(io.BytesIO(committee_report_bytes(year=year)))
        names = table(workbook["추진일정"], "추진일정 (V장").column("사업명")
        return [name for name in names if name in ("취업매칭버스", "기능인력양성(폴리텍)")]

    assert scheduled(2026) == ["기능인력양성(폴리텍)", "취업매칭버스"]
    assert scheduled(2025) == ["취업매칭버스", "기능인력양성(폴리텍)"]
    listed = admin_client.get(reverse("admin:programs_milestone_changelist"), {"year__exact": "2026"})
    assert [m.program.code for m in listed.context["cl"].result_list] == [polytech, bus]
    first_2025 = admin_client.get(reverse("admin:programs_milestone_changelist"), {"year__exact": "2025"})
    assert first_2025.context["cl"].result_list[0].program.code == bus


def test_synthetic_2026_year_selectors(synthetic_2026):
    client = synthetic_2026
    dashboard = client.get(reverse("admin:index")).content.decode()
    assert '<option value="2026" selected>' in dashboard and '<option value="2025">' in dashboard
    assert "2026년 실행계획 현황" in dashboard
    assert "2025년 실행계획 현황" in client.get(reverse("admin:index"), {"year": "2025"}).content.decode()
    page = client.get(reverse("plan:overview")).content.decode()
    assert 'name="year"' in page and "2025년 실행계획(확정)" in page
    totals = selectors.budget_table(year=2026)[1]
    assert (won_to_million(totals.previous), won_to_million(totals.current)) == synthetic_2026_table()[2]


def test_ministry_officer_cannot_copy_or_confirm(client, role_user):
    client.force_login(role_user(access.MINISTRY_OFFICER, ministry="moel"))
    post_action(client, "copy_to_next_year", 2025, confirmed="yes")
    assert not PlanYear.objects.filter(year=2026).exists()
    assert Group.objects.filter(name=access.SYSTEM_ADMIN).exists()


def test_a_confirmed_years_budget_in_the_program_form_needs_the_reason(admin_client):
    program = Program.objects.get(code="polytech")
    url = reverse("admin:programs_program_change", args=[program.pk])
    data = change_form_data(admin_client.get(url))
    row = next(
        key[: -len("-year")]
        for key, value in data.items()
        if key.startswith("budgets-") and key.endswith("-year") and str(value) == "2025"
    )
    data[f"{row}-amount"] = "43000000000"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "확정된 2025년 실행계획을 바꾸려면 변경 사유를 적어 주세요." in response.content.decode()
    assert ProgramBudget.objects.get(program=program, year=2025).amount == 42_718_000_000
    data["change_reason"] = "(시험) 예산 조정"
    assert admin_client.post(url, data).status_code == 302
    budget = ProgramBudget.objects.get(program=program, year=2025)
    assert budget.amount == 43_000_000_000
    assert budget.history.latest("history_date").history_change_reason == "(시험) 예산 조정"


def test_placement_task_must_belong_to_its_year(admin_user):
    services.plan_year_copy(source=PlanYear.objects.get(year=2025), year=2026, user=admin_user)
    placement = ProgramPlacement.objects.get(plan_year=2026, program__code="polytech")
    placement.task = Task.objects.get(area__plan_year=2025, area__number=1, number=1)
    with pytest.raises(ValidationError, match=r"추진과제는 2026년 계획의 과제여야 합니다\(2025년 과제\)"):
        placement.full_clean()


def test_committee_report_form_has_its_own_dropdown_of_the_plan_years(admin_client, draft_2026):
    page = admin_client.get(reverse("admin:programs_program_changelist")).content.decode()
    dropdown = re.search(r'<select name="year"[^>]*id="report-year"[^>]*>(.*?)</select>', page, re.S)
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]+)</option>', dropdown.group(1))
    assert options == [
        ("2026", "", "2026년 실행계획(작성 중)"),
        ("2025", " selected", "2025년 실행계획(확정)"),
    ]
    url = reverse("admin:programs_reportsnapshot_generate")
    assert admin_client.post(url, {"year": "2026"}).status_code == 200
    assert list(ReportSnapshot.objects.values_list("year", flat=True)) == [2026]
    response = admin_client.post(url, {"year": "2030"}, follow=True)
    assert "보고서 조건이 올바르지 않습니다" in response.content.decode()
    assert ReportSnapshot.objects.count() == 1


def test_links_keep_the_year_and_an_unknown_year_in_the_address_is_not_found(admin_client, draft_2026):
    assert admin_client.get("/plan/2027/").status_code == 404
    assert admin_client.get("/plan/2024/programs/").status_code == 404
    assert admin_client.get("/plan/2026/").status_code == 200
    dashboard = admin_client.get("/admin/?year=2026").content.decode()
    assert 'href="/plan/2026/">2026년 실행계획 둘러보기' in dashboard
    programs = admin_client.get("/admin/programs/program/?year=2026").content.decode()
    assert "/admin/programs/program/summary/?year=2026" in programs
    summary = admin_client.get("/admin/programs/program/summary/?year=2026")
    assert "2026년 지원예산 총괄표" in summary.content.decode()


def test_a_placements_task_choices_say_their_year(admin_client, draft_2026):
    placement = ProgramPlacement.objects.get(plan_year=2026, program__code="polytech")
    page = admin_client.get(reverse("admin:programs_programplacement_change", args=[placement.pk]))
    choices = [label for _, label in page.context["adminform"].form.fields["task"].choices if label != "---------"]
    assert choices[0].startswith("2026년 1-1 ") and choices[-1].startswith("2025년 3-")
    assert len(choices) == 2 * ProgramPlacement.objects.filter(plan_year=2025).values("task").distinct().count()
