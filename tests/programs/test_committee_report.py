"""The committee workbook, opened with openpyxl as a committee member's Excel would open it."""

import io
import re
from decimal import Decimal
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from programs.models import BudgetExecution, PolicyArea, Program, ReportSnapshot
from tests import html_tables
from tests.programs import plan_document

pytestmark = pytest.mark.django_db

HEADER_ROW = 4  # title, subtitle, blank, header


def build(tmp_path, *args) -> openpyxl.Workbook:
    path = tmp_path / "report.xlsx"
    call_command("committee_report", "--year", "2025", "--output", str(path), *args, stdout=io.StringIO())
    return openpyxl.load_workbook(path)


def data_rows(sheet):
    return [row for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[0].value is not None or row[1].value]


def budget_rows(workbook):
    """(구분, 사업명, A, B, 증감, %, 집행액, 집행률) of the 지원예산 sheet, as cells."""
    return [row[:8] for row in data_rows(workbook["지원예산"]) if isinstance(row[3].value, int | float)]


def test_sheets_follow_the_plan_order(tmp_path):
    names = build(tmp_path).sheetnames
    assert names[:3] == ["요약", "지원예산", "추진일정"]
    assert names[-1] == "검증"


def test_budget_sheet_equals_the_plan_table(tmp_path):
    expected, expected_total = plan_document.budget_table()
    rows = budget_rows(build(tmp_path))
    programs = [row for row in rows if row[1].value not in ("소계", None)]
    assert [row[1].value for row in programs] == [row.name for row in expected]
    for cells, plan_row in zip(programs, expected, strict=True):
        previous, current, change, rate = (cell.value for cell in cells[2:6])
        assert previous == (plan_row.previous if plan_row.previous is not None else "-")
        assert (current, change) == (plan_row.current, plan_row.change)
        printed = plan_row.rate
        if printed == "신규":
            assert rate == "신규"
        else:
            assert rate == pytest.approx(float(printed.replace("△", "-")))
    total = next(row for row in rows if row[0].value == "총계")
    assert [cell.value for cell in total[2:5]] == [
        expected_total.previous,
        expected_total.current,
        expected_total.change,
    ]
    assert total[5].value == pytest.approx(float(expected_total.rate))
    subtotals = [row for row in rows if row[1].value == "소계"]
    assert [(row[2].value, row[3].value) for row in subtotals] == [
        (area.previous, area.current) for area in plan_document.area_subtotals()
    ]


def test_negative_change_is_a_number_shown_with_a_triangle(tmp_path):
    rows = budget_rows(build(tmp_path))
    smart = next(row for row in rows if row[1].value == "지능형 뿌리공정 시스템 구축")
    change, rate = smart[4], smart[5]
    assert change.value == -1_740 and change.data_type == "n"
    assert '"△"' in change.number_format
    assert rate.value == pytest.approx(-36.7) and '"△"' in rate.number_format


def test_every_figure_is_a_number_cell(tmp_path):
    for row in budget_rows(build(tmp_path)):
        for cell in row[2:8]:
            assert cell.value in ("-", "신규", None) or cell.data_type == "n", (row[1].value, cell.value)


def test_summary_has_a_native_chart_and_area_totals(tmp_path):
    sheet = build(tmp_path)["요약"]
    assert len(sheet._charts) == 1
    rows = [row for row in data_rows(sheet) if isinstance(row[1].value, int | float)]
    _, total = plan_document.budget_table()
    expected = [area.current for area in plan_document.area_subtotals()] + [total.current]
    assert [row[2].value for row in rows] == expected


def test_execution_entered_appears_with_its_rate(tmp_path):
    program = Program.objects.get(code="smart-process")  # '25 budget 3,000 백만원
    BudgetExecution.objects.create(program=program, year=2025, month=5, amount=1_234_000_000)
    rows = budget_rows(build(tmp_path))
    smart = next(row for row in rows if row[1].value == "지능형 뿌리공정 시스템 구축")
    assert smart[6].value == 1_234
    assert smart[7].value == pytest.approx(41.1)
    total = next(row for row in rows if row[0].value == "총계")
    assert total[6].value == 1_234


def test_ministry_option_keeps_only_that_ministrys_programs(tmp_path):
    workbook = build(tmp_path, "--ministry", "kipo")
    names = [row[1].value for row in budget_rows(workbook) if row[1].value not in ("소계", None)]
    assert names == ["IP-R&D 특허전략 지원"]
    schedule = {row[1].value for row in data_rows(workbook["추진일정"]) if row[1].value}
    assert schedule == {"IP-R&D 특허전략 지원"}


def test_unknown_ministry_is_refused(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="알 수 없는 소관부처 코드"):
        build(tmp_path, "--ministry", "nope")


def test_sheets_carry_year_unit_time_and_print_setup(tmp_path):
    for sheet in build(tmp_path).worksheets:
        assert "기준연도: 2025년" in sheet["A2"].value and "생성 일시" in sheet["A2"].value
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert "단위: 백만원" in build(tmp_path)["지원예산"]["A2"].value


def test_validation_sheet_lists_rounded_amounts_of_section_four(tmp_path):
    rows = [[cell.value for cell in row] for row in data_rows(build(tmp_path)["검증"])]
    lifecycle = next(row for row in rows if row[1].startswith("제조공정의 전주기 효율향상"))
    assert (Decimal(str(lifecycle[3])), Decimal(str(lifecycle[5]))) == (Decimal("52.3"), Decimal("52.25"))


def test_over_budget_execution_is_flagged(tmp_path):
    program = Program.objects.get(code="ip-rnd")  # 737 백만원
    BudgetExecution.objects.create(program=program, year=2025, month=7, amount=800_000_000)
    rows = [[cell.value for cell in row] for row in data_rows(build(tmp_path)["검증"])]
    assert any(row[1] == "IP-R&D 특허전략 지원 집행 초과" and row[5] == 800 for row in rows)


class TestAdminDownload:
    def test_button_downloads_the_workbook_and_keeps_a_snapshot(self, admin_client, admin_user):
        response = admin_client.post(reverse("admin:programs_reportsnapshot_generate"), {"year": 2025})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        assert "지원예산" in workbook.sheetnames
        snapshot = ReportSnapshot.objects.get()
        assert (snapshot.year, snapshot.created_by, snapshot.ministry) == (2025, admin_user, None)
        assert bytes(snapshot.content) == response.content

    def test_snapshot_downloads_again_unchanged(self, admin_client):
        first = admin_client.post(reverse("admin:programs_reportsnapshot_generate"), {"year": 2025}).content
        BudgetExecution.objects.create(program=Program.objects.get(code="polytech"), year=2025, month=1, amount=1)
        snapshot = ReportSnapshot.objects.get()
        again = admin_client.get(reverse("admin:programs_reportsnapshot_download", args=[snapshot.pk]))
        assert again.content == first
        listing = admin_client.get(reverse("admin:programs_reportsnapshot_changelist"))
        assert listing.status_code == 200 and snapshot.file_name in listing.content.decode()

    def test_ministry_scope_from_the_button(self, admin_client):
        kipo = Program.objects.get(code="ip-rnd").ministry
        response = admin_client.post(
            reverse("admin:programs_reportsnapshot_generate"), {"year": 2025, "ministry": kipo.pk}
        )
        snapshot = ReportSnapshot.objects.get()
        assert snapshot.ministry == kipo
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment; filename*=utf-8''")
        file_name = unquote(disposition.split("''", 1)[1])
        assert file_name == snapshot.file_name
        assert re.fullmatch(r"뿌리산업발전위원회_2025_특허청_\d{8}_\d{4}\.xlsx", file_name), file_name
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        names = [row[1].value for row in budget_rows(workbook) if row[1].value not in ("소계", None)]
        assert names == ["IP-R&D 특허전략 지원"]

    def test_get_is_not_allowed(self, admin_client):
        assert admin_client.get(reverse("admin:programs_reportsnapshot_generate")).status_code == 405


def test_dashboard_shows_budget_by_area_and_links(admin_client):
    program = Program.objects.get(code="smart-process")  # an area-2 program
    BudgetExecution.objects.create(program=program, year=2025, month=3, amount=1_500_000_000)
    body = admin_client.get(reverse("admin:index")).content
    budget = html_tables.table_under(body, "추진분야별 예산·집행")
    assert budget.texts()[0][:4] == ["추진분야", "예산", "집행액", "집행률(%)"]
    areas = plan_document.area_subtotals()
    area_rows = budget.rows[1:-1]
    assert [row[0].text for row in area_rows] == [f"{area.number}. {area.label}" for area in areas]
    changelist = reverse("admin:programs_program_changelist")
    for row, area in zip(area_rows, areas, strict=True):
        executed = 1_500 if area.number == 2 else 0
        rate = f"{executed * 100 / area.current:.1f}"  # 0.0 where nothing is executed yet
        assert [cell.text for cell in row[1:4]] == [f"{area.current:,}", f"{executed:,}", rate], area.label
        pk = PolicyArea.objects.get(number=area.number).pk
        assert row[0].links == [f"{changelist}?task__area__id__exact={pk}"]
    _, total = plan_document.budget_table()
    assert [cell.text for cell in budget.row_starting("총계")[:4]] == ["총계", f"{total.current:,}", "1,500", "0.2"]
    for heading in ("일정이 가장 늦은 사업", "30일 안에 예정된 일정", "최근 사업 신청"):
        html_tables.table_under(body, heading)  # each section is there, once
    assert "2025년 실행계획 현황" in body.decode() and "엑셀 내려받기" in body.decode()


def test_formula_like_text_stays_text(tmp_path):
    Program.objects.filter(code="polytech").update(name='=HYPERLINK("http://x")')
    rows = budget_rows(build(tmp_path))
    cell = next(row[1] for row in rows if str(row[1].value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix
