"""Budget execution from Excel: one row per program and month, all or nothing, replace not add."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from programs import access
from programs.importing.kinds import get_kind
from programs.importing.pipeline import import_file
from programs.models import BudgetExecution, ImportBatch, Ministry, Program, StaffAssignment

pytestmark = pytest.mark.django_db

HEADERS = ["사업", "연월", "집행액(원)", "메모"]


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def run(data, user=None, dry_run=False):
    return import_file(kind=get_kind("executions"), data=data, file_name="집행.xlsx", user=user, dry_run=dry_run)


def test_rows_by_code_or_name_in_won_or_million():
    data = xlsx(
        [["polytech", "2025-03", 1_500_000_000, "1분기"], ["수출바우처", "2025년 4월", None, ""]],
        headers=["사업", "연월", "집행액(원)", "메모"],
    )
    data2 = xlsx([["IP-R&D 전략 지원", "2025.5", "12.5"]], headers=["사업", "연월", "집행액(백만원)"])
    assert not run(data).written  # 수출바우처 has no amount
    result = run(xlsx([["polytech", "2025-03", 1_500_000_000, "1분기"]]))
    assert result.written and result.counts["new"] == 1
    assert run(data2).written
    assert BudgetExecution.objects.get(program__code="ip-rnd", month=5).amount == 12_500_000
    polytech = BudgetExecution.objects.get(program__code="polytech")
    assert (polytech.year, polytech.month, polytech.amount, polytech.memo) == (2025, 3, 1_500_000_000, "1분기")


def test_same_month_twice_replaces_never_doubles():
    run(xlsx([["polytech", "2025-03", 1_000]]))
    second = run(xlsx([["polytech", "2025-03", 1_000]]))
    assert second.counts == {"new": 0, "updated": 0, "unchanged": 1, "invalid": 0}
    third = run(xlsx([["polytech", "2025-03", 2_000]]))
    assert third.counts["updated"] == 1
    assert BudgetExecution.objects.get(program__code="polytech").amount == 2_000
    assert BudgetExecution.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["없는사업", "2025-03", 1], "사업", "알 수 없는 사업"),
        (["polytech", "2024-12", 1], "연월", "실행계획 연도(2025년)"),
        (["polytech", "2025-13", 1], "연월", "월은 1~12"),
        (["polytech", "2025-03", -5], "집행액(원)", "0원 이상"),
        (["polytech", "2025-03", 1.5], "집행액(원)", "원 단위 정수"),
    ],
)
def test_bad_row_writes_nothing_and_names_row_and_column(row, column, message):
    data = xlsx([["polytech", "2025-01", 100], row])
    result = run(data)
    assert not result.written
    error = result.errors[0]
    assert (error.row_number, error.column) == (3, column)
    assert message in error.message
    assert not BudgetExecution.objects.exists()


def test_over_budget_is_imported_but_flagged():
    # 지능형 뿌리공정 시스템 구축: '25 budget 3,000 백만원
    BudgetExecution.objects.create(
        program=Program.objects.get(code="smart-process"), year=2025, month=1, amount=2_000_000_000
    )
    preview = run(xlsx([["smart-process", "2025-02", 1_500_000_000]]), dry_run=True)
    assert preview.warnings == [
        "「지능형 뿌리공정 시스템 구축」 2025년 집행 누계 3,500백만원이 예산 3,000백만원을 넘습니다."
    ]
    result = run(xlsx([["smart-process", "2025-02", 1_500_000_000]]))
    assert result.written and BudgetExecution.objects.filter(program__code="smart-process").count() == 2


def test_command_prints_errors_and_exits_non_zero(tmp_path):
    path = tmp_path / "집행.xlsx"
    path.write_bytes(xlsx([["polytech", "2025-01", 1], ["polytech", "2024-01", 1]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_excel", "executions", str(path), stdout=io.StringIO(), stderr=err)
    assert "3행 [연월]" in err.getvalue()
    assert not BudgetExecution.objects.exists()
    path.write_bytes(xlsx([["smart-process", "2025-01", 4_000_000_000]]))
    out = io.StringIO()
    call_command("import_excel", "executions", str(path), stdout=out)
    assert "확인 필요" in out.getvalue() and BudgetExecution.objects.count() == 1


def test_import_is_audited_with_user_and_file(admin_user):
    result = run(xlsx([["polytech", "2025-03", 1_000]]), user=admin_user)
    execution = BudgetExecution.objects.get()
    record = execution.history.get()
    assert (record.history_type, record.amount, record.history_user) == ("+", 1_000, admin_user)
    assert record.history_change_reason == f"가져오기 #{result.batch.pk} (집행.xlsx)"
    assert execution.entered_by == admin_user
    run(xlsx([["polytech", "2025-03", 2_000]]), user=admin_user)
    assert list(execution.history.order_by("history_date").values_list("history_type", "amount")) == [
        ("+", 1_000),
        ("~", 2_000),
    ]


def test_ministry_officer_cannot_import_another_ministrys_rows(django_user_model):
    officer = django_user_model.objects.create_user("중기부", password="pw", is_staff=True)
    officer.groups.add(Group.objects.get(name=access.MINISTRY_OFFICER))
    StaffAssignment.objects.create(user=officer, ministry=Ministry.objects.get(code="mss"))
    data = xlsx([["export-voucher", "2025-01", 1], ["polytech", "2025-01", 1], ["emergency-fund", "2025-02", 1]])
    result = run(data, user=officer)
    assert not result.written
    assert [(error.row_number, error.column) for error in result.errors] == [(3, "사업")]
    assert "담당 부처" in result.errors[0].message
    assert not BudgetExecution.objects.exists()
    assert run(xlsx([["export-voucher", "2025-01", 1]]), user=officer).written


def test_admin_import_previews_then_writes(admin_client):
    url = reverse("admin:programs_budgetexecution_import")
    data = xlsx([["polytech", "2025-03", 1_000], ["smart-process", "2025-03", 9_000_000_000]])
    preview = admin_client.post(url, {"file": SimpleUploadedFile("집행.xlsx", data)})
    body = preview.content.decode()
    assert preview.status_code == 200 and "기능인력양성(폴리텍) 2025-03" in body and "넘습니다" in body
    assert not BudgetExecution.objects.exists()
    admin_client.post(url, {"token": preview.context["token"]}, follow=True)
    assert BudgetExecution.objects.count() == 2
    assert ImportBatch.objects.get().kind == "executions"


def test_template_download_has_korean_headers_and_notes(admin_client):
    from openpyxl import load_workbook

    response = admin_client.get(reverse("admin:programs_budgetexecution_import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["예산 집행", "작성 안내"]
    assert list(workbook["예산 집행"].iter_rows(values_only=True)) == [
        ("사업", "연월", "집행액(원)", "집행액(백만원)", "메모")
    ]
    guide = {row[0]: row[1:] for row in workbook["작성 안내"].iter_rows(min_row=2, values_only=True)}
    assert (guide["사업"][0], guide["연월"][0]) == ("필수", "필수")
    assert guide["소관부처"][0] == "내보내기 전용"
    assert "2025" in guide["연월"][1] and "더하지 않음" in guide["집행액(원)"][1]
    # Filled in as the notes say, it imports.
    workbook["예산 집행"].append(["polytech", "2025-04", None, "12.5", "양식"])
    stream = io.BytesIO()
    workbook.save(stream)
    assert run(stream.getvalue()).written
    execution = BudgetExecution.objects.get()
    assert (execution.program.code, execution.month, execution.amount, execution.memo) == (
        "polytech",
        4,
        12_500_000,
        "양식",
    )
