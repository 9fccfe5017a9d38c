"""Staff pages that walk the plan, and the filtered program list with its Excel download."""

import io

import openpyxl
import pytest
from django.urls import reverse

from programs.filtersets import ProgramFilterSet
from programs.models import Ministry, Program

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
    overview = admin_client.get(reverse("plan:overview")).content.decode()
    assert "640,099" in overview and "684,557" in overview and reverse("plan:area", args=[2]) in overview
    area = admin_client.get(reverse("plan:area", args=[2])).content.decode()
    assert "2-2 생산성·에너지·안전의 문제해결형 공정혁신" in area and "344,116" in area
    task = admin_client.get(reverse("plan:task", args=[2, 2])).content.decode()
    assert "지능형 뿌리공정 시스템 구축" in task and "△1,740" in task
    program = admin_client.get(reverse("plan:program", args=["smart-process"]))
    body = program.content.decode()
    assert program.status_code == 200
    assert "지능형공정시스템 구축지원" in body and "16개" in body
    assert reverse("admin:programs_program_change", args=[Program.objects.get(code="smart-process").pk]) in body


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
        {"task": "task1-1", "year": "2024"},
        {"q": "뿌리", "is_new": "false"},
    ],
)
def test_filters_return_exactly_the_matching_rows(admin_client, params):
    params = resolve(params)
    response = admin_client.get(PROGRAMS, params)
    assert response.status_code == 200
    expected = set(ProgramFilterSet(params, queryset=Program.objects.all()).qs.values_list("name", flat=True))
    assert set(listed(response)) == expected
    assert response.context["row_count"] == len(expected) > 0
    # The same rows as a direct query of what the filters mean:
    direct = Program.objects.all()
    if "ministry" in params:
        direct = direct.filter(ministry_id=params["ministry"])
    if params.get("is_new") == "true":
        direct = direct.filter(budgets__year=2025).exclude(budgets__year=2024)
    if "area" in params:
        direct = direct.filter(task__area_id=params["area"])
    if params.get("has_budget_line") == "true":
        direct = direct.filter(has_budget_line=True)
    if "year" in params:
        direct = direct.filter(budgets__year=int(params["year"]))
    if "task" in params:
        direct = direct.filter(task_id=params["task"])
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
        resolved["area"] = str(Program.objects.filter(task__area__number=2).first().task.area_id)
    if "task" in params:
        resolved["task"] = str(Program.objects.get(code="polytech").task_id)
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
    from programs import access

    client.force_login(django_user_model.objects.create_user("역할없음", password="x", is_staff=True))
    for url in (
        reverse("plan:overview"),
        PROGRAMS,
        reverse("plan_companies:companies"),
        reverse("plan_centers:service_requests"),
    ):
        assert client.get(url).status_code == 403
    client.force_login(role_user(access.COMMITTEE_MEMBER))
    for url in (
        reverse("plan:overview"),
        PROGRAMS,
        reverse("plan_companies:companies"),
        reverse("plan_centers:service_requests"),
    ):
        assert client.get(url).status_code == 200
