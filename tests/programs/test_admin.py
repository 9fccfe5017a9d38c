"""The program admin as staff use it: list with plan totals, filters, search, change form, execution."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from programs.models import (
    Achievement,
    BudgetExecution,
    FocusTechnology,
    Milestone,
    Ministry,
    PolicyArea,
    Program,
    ProgramPlacement,
    ReportSnapshot,
    Task,
)
from tests import html_tables
from tests.programs import plan_document
from tests.programs.admin_forms import add_inline_row, change_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:programs_program_changelist")
EXECUTIONS = "executions"  # inline prefix: related_name of BudgetExecution.program


def change_url(program):
    return reverse("admin:programs_program_change", args=[program.pk])


def listed_names(response):
    return [program.name for program in response.context["cl"].result_list]


def test_changelist_shows_plan_totals_in_plan_order(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    plan_rows, plan_total = plan_document.budget_table_cells()
    areas = {area.label: area.number for area in plan_document.area_subtotals()}
    listed = html_tables.table_under(response.content, "변경할 사업 선택")
    assert listed.texts()[0][1:3] == ["1 추진과제", "2 사업명"]
    # Each program of the plan's table, in its order, with its figures as the plan prints them
    # (the last row is the list's own footer of totals).
    shown = {row[2].text: [cell.text for cell in row] for row in listed.rows[1:-1]}
    budget_lines = [name for name in shown if name in {row[1] for row in plan_rows}]
    assert budget_lines == [row[1] for row in plan_rows]
    for area, name, previous, current, change, rate in plan_rows:
        cells = shown[name]
        assert cells[1].startswith(f"{areas[area]}-"), name  # the task's code names its area
        assert cells[4:8] == [previous, current, change, rate], name
    assert listed.texts()[-1] == ["현재 목록 합계(백만원)", *plan_total, "0", "0.0"]
    names = listed_names(response)
    assert names[:5] == [row[1] for row in plan_rows[:5]]
    assert names.index("뿌리산업 BIZ 플랫폼 구축지원") == len(names) - 1


def test_query_count_does_not_grow_with_page_size(admin_client, monkeypatch, django_assert_num_queries):
    from programs.admin import ProgramAdmin

    monkeypatch.setattr(ProgramAdmin, "list_per_page", 3)
    with django_assert_num_queries(12, exact=False) as small_page:
        assert len(admin_client.get(CHANGELIST).context["cl"].result_list) == 3
    monkeypatch.setattr(ProgramAdmin, "list_per_page", 100)
    with django_assert_num_queries(len(small_page.captured_queries)):
        assert len(admin_client.get(CHANGELIST).context["cl"].result_list) == 31


def test_area_filter_totals_follow_the_filter(admin_client):
    area = ProgramPlacement.objects.get(plan_year=2025, program__code="polytech").task.area
    response = admin_client.get(CHANGELIST, {"task__area__id__exact": area.pk, "has_budget_line__exact": "1"})
    assert response.status_code == 200
    assert len(listed_names(response)) == 5
    area_one = plan_document.area_subtotals()[0]
    totals = response.context["budget_totals"]
    assert (totals.previous, totals.current) == (area_one.previous * 1_000_000, area_one.current * 1_000_000)
    footer = response.content.decode().split("<tfoot>")[1].split("</tfoot>")[0]
    assert "현재 목록 합계(백만원)" in footer
    assert f"{area_one.previous:,}" in footer and f"{area_one.current:,}" in footer


def test_new_program_filter(admin_client):
    response = admin_client.get(CHANGELIST, {"new": "yes"})
    assert sorted(listed_names(response)) == [
        "차세대 공통핵심 뿌리기술 개발사업",
        "친환경 표면처리 소재 및 실증 기반구축",
    ]


def test_ministry_and_task_filters(admin_client):
    ministry = Program.objects.get(code="ip-rnd").ministry
    response = admin_client.get(CHANGELIST, {"ministry__id__exact": ministry.pk})
    assert listed_names(response) == ["IP-R&D 특허전략 지원"]
    task = ProgramPlacement.objects.get(plan_year=2025, program__code="biz-platform").task
    response = admin_client.get(CHANGELIST, {"task__id__exact": task.pk})
    assert listed_names(response) == ["뿌리산업 BIZ 플랫폼 구축지원"]


def test_search_by_name_and_alias(admin_client):
    assert listed_names(admin_client.get(CHANGELIST, {"q": "로봇"})) == ["첨단제조로봇실증"]
    assert listed_names(admin_client.get(CHANGELIST, {"q": "IP-R&D 전략 지원"})) == ["IP-R&D 특허전략 지원"]


def test_summary_page_shows_subtotals_and_total(admin_client):
    response = admin_client.get(reverse("admin:programs_program_summary"))
    assert response.status_code == 200
    assert "단위: 백만원" in response.content.decode()
    table = html_tables.table_under(response.content, "2025년 지원예산 총괄표")
    plan_rows, plan_total = plan_document.budget_table_cells()
    subtotals = plan_document.area_subtotals()
    # The V장 table row by row: each program, then the area's 소계, then 총계.
    expected, shown = [], []
    for area in subtotals:
        expected += [[name, *figures, "0", "0.0"] for label, name, *figures in plan_rows if label == area.label]
        change = area.current - area.previous
        rate = f"{change * 100 / area.previous:.1f}"
        expected.append(["소계", f"{area.previous:,}", f"{area.current:,}", f"{change:,}", rate, "0", "0.0"])
    expected.append(["총계", *plan_total, "0", "0.0"])
    for row, css in zip(table.rows[1:], table.classes[1:], strict=True):
        # Leave out the area's rowspan cell (a header cell of a plain row); the footer's 총계 stays.
        cells = [cell.text for cell in row if not (cell.header and css == "" and cell.text != "총계")]
        shown.append(cells)
    assert shown == expected
    area_cells = [row[0].text for row in table.rows[1:] if row[0].header and row[0].text not in ("총계",)]
    assert area_cells == [area.label for area in subtotals]


HANGUL = re.compile("[가-힣]")


@pytest.mark.parametrize(
    ("url_name", "title", "model"),
    [
        ("admin:index", "관리 홈", None),
        ("admin:programs_ministry_changelist", "변경할 소관부처 선택", Ministry),
        ("admin:programs_policyarea_changelist", "변경할 추진분야 선택", PolicyArea),
        ("admin:programs_task_changelist", "변경할 추진과제 선택", Task),
        ("admin:programs_milestone_changelist", "변경할 추진일정 선택", Milestone),
        ("admin:programs_budgetexecution_changelist", "변경할 예산 집행 선택", BudgetExecution),
        ("admin:programs_achievement_changelist", "변경할 실적 선택", Achievement),
        ("admin:programs_focustechnology_changelist", "변경할 핵심 공정기술 선택", FocusTechnology),
        ("admin:programs_program_add", "사업 추가", None),
    ],
)
def test_admin_pages_answer_in_korean(admin_client, url_name, title, model):
    BudgetExecution.objects.create(program=Program.objects.get(code="polytech"), year=2025, month=1, amount=1)
    response = admin_client.get(reverse(url_name))
    body = response.content.decode()
    assert '<html lang="ko"' in body
    assert re.search(r"<title>(.*?)</title>", body).group(1) == f"{title} | 뿌리산업 진흥 실행계획"
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", body) == [title]
    if model is not None:  # a list: every row, and its columns headed in Korean
        changelist = response.context["cl"]
        assert changelist.result_count == model.objects.count() > 0
        headers = [str(header["text"]) for header in response.context["result_headers"]]
        headers = [text for text in headers if not text.startswith("<input")]  # the select-all box
        assert headers and all(HANGUL.search(text) for text in headers), headers
    if url_name.endswith("_add"):
        labels = [str(field.label) for field in response.context["adminform"].form.fields.values()]
        assert labels and all(HANGUL.search(label) for label in labels), labels


def test_overdue_milestone_filter(admin_client, monkeypatch):
    """일정 경과: past its last month (on 2025-06-15: May or earlier) and not 완료."""
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2025, 6, 15))
    voucher = Milestone.objects.filter(program__code="export-voucher").order_by("order")  # 1월, 2월, 4~11월
    announced, selected, service = voucher
    Milestone.objects.filter(pk=selected.pk).update(status="done")
    response = admin_client.get(reverse("admin:programs_milestone_changelist"), {"overdue": "yes"})
    listed = {milestone.pk for milestone in response.context["cl"].queryset}
    expected = {
        milestone.pk
        for milestone in Milestone.objects.all()
        if milestone.year == 2025
        and milestone.end_month is not None
        and milestone.end_month <= 5
        and milestone.status != "done"
    }
    assert listed == expected and len(expected) > 1
    assert announced.pk in listed  # 1월 공고, still 예정
    assert selected.pk not in listed  # 2월 선정, 완료
    assert service.pk not in listed  # runs to 11월
    assert not listed & set(Milestone.objects.filter(end_month__isnull=True).values_list("pk", flat=True))
    everything = admin_client.get(reverse("admin:programs_milestone_changelist"))
    assert everything.context["cl"].result_count == Milestone.objects.count() > len(listed)


class TestExecutionEntry:
    @pytest.fixture
    def program(self):
        return Program.objects.get(code="smart-process")  # '25 budget 3,000 백만원

    def post_execution(self, admin_client, program, **values):
        page = admin_client.get(change_url(program))
        data = add_inline_row(change_form_data(page), EXECUTIONS, values)
        return admin_client.post(change_url(program), data, follow=True)

    def test_change_form_shows_running_total_and_rate(self, admin_client, program, admin_user):
        BudgetExecution.objects.create(program=program, year=2025, month=3, amount=750_000_000)
        response = admin_client.get(change_url(program))
        assert response.status_code == 200
        body = response.content.decode()
        assert "집행 누계 750백만원" in body and "집행률 25.0%" in body

    def test_valid_entry_is_saved_with_who_entered_it(self, admin_client, program, admin_user):
        response = self.post_execution(admin_client, program, year=2025, month=4, amount=1_200_000_000, memo="1차")
        assert response.status_code == 200
        execution = BudgetExecution.objects.get(program=program)
        assert (execution.month, execution.amount, execution.entered_by) == (4, 1_200_000_000, admin_user)
        listed = admin_client.get(CHANGELIST, {"q": "지능형 뿌리공정"}).content.decode()
        assert "1,200" in listed and "40.0" in listed

    def test_negative_amount_is_refused_in_korean(self, admin_client, program):
        response = self.post_execution(admin_client, program, year=2025, month=4, amount=-1)
        assert "집행액은 0원 이상이어야 합니다." in response.content.decode()
        assert not BudgetExecution.objects.filter(program=program).exists()

    def test_entry_outside_the_plan_year_is_refused(self, admin_client, program):
        response = self.post_execution(admin_client, program, year=2024, month=12, amount=1_000)
        assert "집행은 실행계획 연도(2025년)에만 입력할 수 있습니다." in response.content.decode()
        assert not BudgetExecution.objects.filter(program=program).exists()

    def test_same_month_twice_is_refused(self, admin_client, program):
        BudgetExecution.objects.create(program=program, year=2025, month=5, amount=1)
        response = self.post_execution(admin_client, program, year=2025, month=5, amount=2)
        assert response.context["errors"]
        assert BudgetExecution.objects.filter(program=program).count() == 1

    def test_over_budget_is_saved_with_a_warning(self, admin_client, program):
        response = self.post_execution(admin_client, program, year=2025, month=6, amount=3_000_000_001)
        assert BudgetExecution.objects.filter(program=program, amount=3_000_000_001).exists()
        warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
        assert any("초과" in text for text in warnings)
        page = admin_client.get(change_url(program)).content.decode()
        assert "예산을 초과했습니다" in page


class TestAuditTrail:
    def test_admin_edits_are_recorded_with_user_and_values(self, admin_client, admin_user):
        program = Program.objects.get(code="robot-demo")
        page = admin_client.get(change_url(program))
        data = add_inline_row(change_form_data(page), EXECUTIONS, {"year": 2025, "month": 2, "amount": 500})
        admin_client.post(change_url(program), data)
        execution = BudgetExecution.objects.get(program=program)
        page = admin_client.get(change_url(program))
        data = change_form_data(page)
        data[f"{EXECUTIONS}-0-amount"] = 700
        admin_client.post(change_url(program), data)
        records = list(execution.history.order_by("history_date"))
        assert [(r.history_type, r.amount, r.history_user) for r in records] == [
            ("+", 500, admin_user),
            ("~", 700, admin_user),
        ]
        history = admin_client.get(reverse("admin:programs_budgetexecution_history", args=[execution.pk]))
        body = history.content.decode()
        assert history.status_code == 200 and "변경 이력" in body and "변경자" in body

    def test_budget_history_page_is_korean(self, admin_client):
        budget = Program.objects.get(code="polytech").budgets.get(year=2025)
        url = reverse("admin:programs_programbudget_change", args=[budget.pk])
        data = change_form_data(admin_client.get(url))
        data["amount"] = budget.amount + 1_000_000
        data["change_reason"] = "추경 반영"  # 2025 is confirmed: a change needs its reason
        assert admin_client.post(url, data).status_code == 302
        response = admin_client.get(reverse("admin:programs_programbudget_history", args=[budget.pk]))
        assert response.status_code == 200
        table = html_tables.table_under(response.content, "변경 이력: 기능인력양성(폴리텍) 2025년")
        header, *rows = table.texts()
        assert header == ["항목", "일시", "내용", "변경자", "변경 사유", "변경 내용"]
        assert len(rows) == budget.history.count() == 2  # load_plan's row, then the change
        newest = dict(zip(header, rows[0], strict=True))
        assert (newest["내용"], newest["변경자"], newest["변경 사유"]) == ("변경", "관리자", "추경 반영")
        assert "Change history" not in response.content.decode()


def test_years_are_shown_without_thousands_separator(admin_client):
    response = admin_client.get(reverse("admin:programs_programbudget_changelist"))
    body = response.content.decode()
    assert ">2025<" in body and "2,025" not in body
    assert "42,718" in body  # amounts keep their separators


def test_read_only_years_are_plain_too(admin_client):
    from companies.models import Application
    from tests.companies.helpers import make_company

    admin_client.post(reverse("admin:programs_reportsnapshot_generate"), {"year": 2025})
    snapshot = ReportSnapshot.objects.get()
    body = admin_client.get(reverse("admin:programs_reportsnapshot_change", args=[snapshot.pk])).content.decode()
    assert "기준연도" in body and "2,025" not in body
    company = make_company(name="연도확인")
    Application.objects.create(company=company, program=Program.objects.get(code="polytech"), year=2024)
    body = admin_client.get(reverse("admin:companies_company_change", args=[company.pk])).content.decode()
    assert "2,024" not in body and ">2024<" in body


def test_view_only_list_title_reads_naturally(admin_client):
    body = admin_client.get(reverse("admin:programs_importbatch_changelist")).content.decode()
    assert "<h1>가져오기 이력 보기</h1>" in body and "보기위한 1" not in body
