"""Staff pages that walk the plan, and the filtered program list with its Excel download."""

import io

import openpyxl
import pytest
from django.urls import reverse

from programs.filtersets import ProgramFilterSet
from programs.models import Ministry, PolicyArea, Program, ProgramPlacement
from tests import html_tables
from tests.programs import plan_document

pytestmark = pytest.mark.django_db

PROGRAMS = reverse("plan:programs")


def listed(response):
    return [obj.name for _, _, obj in response.context["rows"]]


def test_pages_need_a_staff_login(client, django_user_model):
    response = client.get(reverse("plan:overview"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    client.force_login(django_user_model.objects.create_user("일반사용자", password="x"))
    assert client.get(reverse("plan:overview")).status_code == 403
    assert client.get(PROGRAMS, {"format": "xlsx"}).status_code == 403


def test_walk_from_overview_to_a_program(admin_client):
    plan_rows, plan_total = plan_document.budget_table_cells()
    areas = plan_document.area_subtotals()
    overview = html_tables.table_under(
        admin_client.get(reverse("plan:overview")).content, "2025년 실행계획 — 추진분야별 예산·집행"
    )
    for row, area in zip(overview.rows[1:-1], areas, strict=True):
        assert row[0].text.startswith(f"{area.number}. ")
        assert row[0].links == [reverse("plan:area", args=[2025, area.number])]
        assert [cell.text for cell in row[1:3]] == [f"{area.previous:,}", f"{area.current:,}"]
    assert overview.texts()[-1][:5] == ["총계", *plan_total]

    area_page = admin_client.get(reverse("plan:area", args=[2])).content
    area_two = [row for row in plan_rows if row[0] == areas[1].label]
    # One table for the whole area (추진과제 as row groups, so every figure lines up under its column).
    shown = {
        row[0].text: [cell.text for cell in row[2:6]]
        for table in html_tables.tables(area_page)
        for row in table.rows[1:]
        if len(row) >= 6
    }
    for _, name, *figures in area_two:
        assert shown[name] == figures, name
    (total,) = [row for table in html_tables.tables(area_page) for row in table.rows if row[0].text == "추진분야 합계"]
    assert [cell.text for cell in total[1:3]] == [f"{areas[1].previous:,}", f"{areas[1].current:,}"]

    task = html_tables.table_under(
        admin_client.get(reverse("plan:task", args=[2, 2])).content, "2-2 생산성·에너지·안전의 문제해결형 공정혁신"
    )
    smart = next(row for row in plan_rows if row[1] == "지능형 뿌리공정 시스템 구축")
    assert [cell.text for cell in task.row_starting("지능형 뿌리공정 시스템 구축")[3:7]] == smart[2:]

    response = admin_client.get(reverse("plan:program", args=["smart-process"]))
    assert response.status_code == 200
    budget = html_tables.table_under(response.content, "예산")
    assert budget.texts()[:3] == [
        ["'24년 예산", smart[2]],
        ["'25년 예산", smart[3]],
        ["증감", f"{smart[4]} ({smart[5]}%)"],
    ]
    achievements = html_tables.table_under(response.content, "실적")
    printed = plan_document.figure_after(plan_document.section_two_line("공정 최적화를 위한"), "지능형 공정전환 지원")
    assert achievements.texts()[1:] == [["2024", "지능형 공정전환 지원", f"{printed.value}{printed.unit}"]]
    schedule = html_tables.table_under(response.content, "추진일정")
    assert [row[1:4] for row in schedule.texts()[1:]] == [
        ["공고(2월) 및 선정(4월)", "공고", "2월"],
        ["공고(2월) 및 선정(4월)", "선정", "4월"],
        ["지능형공정시스템 구축지원(4~12월)", "지능형공정시스템 구축지원", "4~12월"],
    ]
    assert {f"▶ {row[1]}" for row in schedule.texts()[1:]} <= {f"▶ {item}" for item in plan_document.schedule_items()}
    change = reverse("admin:programs_program_change", args=[Program.objects.get(code="smart-process").pk])
    assert change in response.content.decode()


def test_unknown_area_task_program_are_404(admin_client):
    assert admin_client.get(reverse("plan:area", args=[9])).status_code == 404
    assert admin_client.get(reverse("plan:task", args=[1, 9])).status_code == 404
    assert admin_client.get(reverse("plan:program", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"ministry": "mss"},
        {"ministry": "motie", "is_new": "true"},
        {"area": "area2", "has_budget_line": "true"},
        {"task": "task1-1", "budget_year": "2024"},
        {"q": "뿌리", "is_new": "false"},
    ],
)
def test_filters_return_exactly_the_matching_rows(admin_client, params):
    params = resolve(params)
    response = admin_client.get(PROGRAMS, params)
    assert response.status_code == 200
    expected = set(ProgramFilterSet(params, queryset=Program.objects.in_year(2025)).qs.values_list("name", flat=True))
    assert set(listed(response)) == expected
    assert response.context["row_count"] == len(expected) > 0
    # The same rows as a direct query of what the filters mean:
    direct = Program.objects.filter(placements__plan_year=2025)
    if "ministry" in params:
        direct = direct.filter(ministry_id=params["ministry"])
    if params.get("is_new") == "true":
        direct = direct.filter(budgets__year=2025).exclude(budgets__year=2024)
    if "area" in params:
        direct = direct.filter(placements__task__area_id=params["area"])
    if params.get("has_budget_line") == "true":
        direct = direct.filter(placements__has_budget_line=True)
    if "budget_year" in params:
        direct = direct.filter(budgets__year=int(params["budget_year"]))
    if "task" in params:
        direct = direct.filter(placements__task_id=params["task"])
    if "q" in params:
        direct = direct.filter(name__icontains="뿌리") | direct.filter(aliases__icontains="뿌리")
        direct = direct.exclude(pk__in=Program.objects.filter(budgets__year=2025).exclude(budgets__year=2024))
    assert expected == set(direct.values_list("name", flat=True))


def resolve(params: dict) -> dict:
    """Turn readable references (ministry code, area2, task1-1) into the form's values."""
    resolved = dict(params)
    if "ministry" in params:
        resolved["ministry"] = str(Ministry.objects.get(code=params["ministry"]).pk)
    if "area" in params:
        resolved["area"] = str(PolicyArea.objects.get(plan_year=2025, number=2).pk)
    if "task" in params:
        resolved["task"] = str(ProgramPlacement.objects.get(plan_year=2025, program__code="polytech").task_id)
    return resolved


def test_export_holds_exactly_the_filtered_rows(admin_client):
    params = resolve({"ministry": "mss"})
    page = admin_client.get(PROGRAMS, params)
    response = admin_client.get(PROGRAMS, {**params, "format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == listed(page)
    emergency = next(row for row in rows if row[1] == "긴급경영안정자금")
    assert emergency[3:5] == (235_000, 250_000)


def test_query_count_does_not_depend_on_page_size(admin_client, django_assert_num_queries, monkeypatch):
    from programs.views import ProgramListView

    monkeypatch.setattr(ProgramListView, "paginate_by", 2)
    with django_assert_num_queries(20, exact=False) as small:
        admin_client.get(PROGRAMS)
    monkeypatch.setattr(ProgramListView, "paginate_by", 100)
    with django_assert_num_queries(len(small.captured_queries)):
        admin_client.get(PROGRAMS)


def test_filter_in_url_is_kept_in_pagination_links(admin_client, monkeypatch):
    from programs.views import ProgramListView

    monkeypatch.setattr(ProgramListView, "paginate_by", 2)
    params = resolve({"ministry": "mss"})
    body = admin_client.get(PROGRAMS, params).content.decode()
    assert f"ministry={params['ministry']}&amp;page=2" in body


def test_staff_without_a_role_may_not_view_the_pages(client, django_user_model, role_user):
    from centers.models import ServiceRequest
    from companies.models import Company
    from programs import access

    client.force_login(django_user_model.objects.create_user("역할없음", password="x", is_staff=True))
    for url in (
        reverse("plan:overview"),
        PROGRAMS,
        reverse("plan_companies:companies"),
        reverse("plan_centers:service_requests"),
    ):
        assert client.get(url).status_code == 403
    from tests.centers.helpers import make_company, make_request, regional_center

    make_request(regional_center("김제"), make_company("위원열람"))
    client.force_login(role_user(access.COMMITTEE_MEMBER))
    overview = client.get(reverse("plan:overview"))
    assert [row.area.number for row in overview.context["areas"]] == [1, 2, 3]
    for url, model in (
        (PROGRAMS, Program),
        (reverse("plan_companies:companies"), Company),
        (reverse("plan_centers:service_requests"), ServiceRequest),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["row_count"] == model.objects.count() > 0, url
