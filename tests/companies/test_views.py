"""Staff list pages of companies and applications: filters, row counts, .xlsx download, query counts."""

import io

import openpyxl
import pytest
from django.db.models import Count, F, Q
from django.urls import reverse

from companies.choices import SELECTED_STATUSES, ApplicationStatus, GrowthStage, SalesBracket
from companies.models import Application, Company, Industry, IndustryGroup, Province, Region
from companies.views import ApplicationListView, CompanyListView
from programs.models import ProgramPlacement

from .helpers import dashed, make_application, make_company, some_programs

pytestmark = pytest.mark.django_db

COMPANIES = reverse("plan_companies:companies")
APPLICATIONS = reverse("plan_companies:applications")
EOK = 100_000_000


@pytest.fixture
def population():
    """Six companies and their applications, spread over the filters' values."""
    first, second, third = some_programs(3)
    province = Province.objects.get
    industry = Industry.objects.get
    companies = {
        "가온주조": make_company(name="가온주조", sales_amount=3 * EOK, is_myeongga=True),
        "나래금형": make_company(
            name="나래금형", industry=industry(name="금형"), province=province(short_name="경남"), sales_amount=20 * EOK
        ),
        "다솜용접": make_company(
            name="다솜용접",
            industry=industry(name="용접"),
            province=province(short_name="부산"),
            sales_amount=40 * EOK,
            is_myeongga=True,
            has_rnd_capacity=True,
        ),
        "라온로봇": make_company(
            name="라온로봇",
            industry=industry(name="로봇"),
            province=province(short_name="대구"),
            sales_amount=150 * EOK,
            has_rnd_capacity=True,
            is_tech_specialist=True,
        ),
        "마루센서": make_company(
            name="마루센서", industry=industry(name="센서"), sales_amount=None, is_good_workplace=True
        ),
        "바다열처리": make_company(
            name="바다열처리",
            industry=industry(name="열처리"),
            province=province(short_name="경남"),
            sales_amount=8 * EOK,
        ),
    }
    selected, rejected = ApplicationStatus.SELECTED, ApplicationStatus.REJECTED
    for name, program, year, status, amount in [
        # 가온주조: selected for two programs in 2025 (중복지원).
        ("가온주조", first, 2025, selected, 50_000_000),
        ("가온주조", second, 2025, ApplicationStatus.AGREED, 30_000_000),
        # 나래금형: the first program in 2024 and selected in 2025 for another one — never all at once.
        ("나래금형", first, 2024, selected, 10_000_000),
        ("나래금형", second, 2025, selected, 20_000_000),
        ("나래금형", first, 2025, rejected, None),
        ("다솜용접", first, 2025, selected, 70_000_000),
        ("라온로봇", third, 2025, ApplicationStatus.RECEIVED, 90_000_000),
        ("라온로봇", first, 2024, selected, 5_000_000),
        ("바다열처리", second, 2024, selected, None),
        ("바다열처리", third, 2025, ApplicationStatus.COMPLETED, 40_000_000),
    ]:
        make_application(companies[name], program, year=year, status=status, requested_amount=amount)
    return companies, (first, second, third)


def listed(response) -> list[str]:
    return [obj.name if isinstance(obj, Company) else obj.pk for _, _, obj in response.context["rows"]]


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("url", [COMPANIES, APPLICATIONS])
def test_pages_need_a_staff_login(client, django_user_model, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    client.force_login(django_user_model.objects.create_user("일반사용자", password="x"))
    assert client.get(url).status_code == 403
    assert client.get(url, {"format": "xlsx"}).status_code == 403


@pytest.mark.parametrize("url", [COMPANIES, APPLICATIONS])
def test_pages_render_in_korean_with_links_to_the_admin(admin_client, population, url):
    body = admin_client.get(url).content.decode()
    assert '<html lang="ko' in body
    assert "필터 적용" in body and "엑셀 내려받기" in body
    company = population[0]["다솜용접"]
    if url == COMPANIES:
        assert reverse("admin:companies_company_change", args=[company.pk]) in body
    else:
        application = company.applications.get()
        assert reverse("admin:companies_application_change", args=[application.pk]) in body
    assert reverse("plan_companies:companies") in body and reverse("plan_centers:institutions") in body


def company_params(name: str, programs) -> tuple[dict, Q]:
    """A filter combination (as the form sends it) and what it means as a direct query."""
    first, second, _ = programs
    gyeongnam = Region.objects.get(name="경남권")
    base_group = IndustryGroup.objects.get(name__startswith="기반")
    cases = {
        "industry_group_and_region": (
            {"industry_group": base_group.pk, "region": gyeongnam.pk},
            Q(industry__group=base_group, province__region=gyeongnam),
        ),
        "industry_and_province": (
            {"industry": Industry.objects.get(name="금형").pk, "province": Province.objects.get(short_name="경남").pk},
            Q(industry__name="금형", province__short_name="경남"),
        ),
        "sales_bracket": (
            {"sales_bracket": SalesBracket.FROM_10_TO_50},
            Q(sales_amount__gte=10 * EOK, sales_amount__lt=50 * EOK),
        ),
        "growth_stage_and_rnd": (
            {"growth_stage": GrowthStage.DOYAK, "has_rnd_capacity": "true"},
            Q(sales_amount__gte=10 * EOK, sales_amount__lt=100 * EOK, has_rnd_capacity=True),
        ),
        "recognitions": (
            {"is_myeongga": "true", "is_good_workplace": "false"},
            Q(is_myeongga=True, is_good_workplace=False),
        ),
        "specialist": ({"is_tech_specialist": "true"}, Q(is_tech_specialist=True)),
        "program_status_year_in_one_application": (
            {"app_program": first.pk, "app_status": ApplicationStatus.SELECTED, "app_year": 2025},
            Q(pk__in=Application.objects.filter(program=first, status="selected", year=2025).values("company_id")),
        ),
        "program_and_year": (
            {"app_program": first.pk, "app_year": 2024},
            Q(pk__in=Application.objects.filter(program=first, year=2024).values("company_id")),
        ),
        "status_only": (
            {"app_status": ApplicationStatus.COMPLETED},
            Q(pk__in=Application.objects.filter(status="completed").values("company_id")),
        ),
        "search_by_dashed_brn": ({"q": None}, None),
        "search_by_name": ({"q": " 로봇 "}, Q(name__icontains="로봇")),
        "duplicate_selection": ({"duplicate": "true"}, Q(name="가온주조")),
        "no_duplicate_selection_in_gyeongnam": (
            {"duplicate": "false", "region": gyeongnam.pk},
            Q(province__region=gyeongnam),
        ),
    }
    return cases[name]


@pytest.mark.parametrize(
    "case",
    [
        "industry_group_and_region",
        "industry_and_province",
        "sales_bracket",
        "growth_stage_and_rnd",
        "recognitions",
        "specialist",
        "program_status_year_in_one_application",
        "program_and_year",
        "status_only",
        "search_by_dashed_brn",
        "search_by_name",
        "duplicate_selection",
        "no_duplicate_selection_in_gyeongnam",
    ],
)
def test_company_filters_return_exactly_the_matching_rows(admin_client, population, case):
    companies, programs = population
    params, meaning = company_params(case, programs)
    if case == "search_by_dashed_brn":
        params, meaning = {"q": dashed(companies["라온로봇"].brn)[2:]}, Q(name="라온로봇")
    response = admin_client.get(COMPANIES, params)
    assert response.status_code == 200
    expected = list(Company.objects.filter(meaning).order_by("name").values_list("name", flat=True))
    assert expected, "each case should match at least one company"
    assert listed(response) == expected
    assert response.context["row_count"] == len(expected)
    assert f"{len(expected)}건" in response.content.decode()


def test_application_criteria_must_meet_in_one_application(admin_client, population):
    """나래금형 applied to the first program (2024) and was selected in 2025, but not both at once."""
    companies, (first, _, _) = population
    params = {"app_program": first.pk, "app_status": ApplicationStatus.SELECTED, "app_year": 2025}
    assert "나래금형" not in listed(admin_client.get(COMPANIES, params))
    assert listed(admin_client.get(COMPANIES, params)) == ["가온주조", "다솜용접"]


def test_company_export_holds_exactly_the_filtered_rows_with_numbers_as_numbers(admin_client, population):
    params = {"has_rnd_capacity": "true"}
    page = admin_client.get(COMPANIES, params)
    rows = xlsx_rows(admin_client.get(COMPANIES, {**params, "format": "xlsx"}))
    header, data = rows[0], rows[1:]
    assert [row[header.index("업체명")] for row in data] == listed(page) == ["다솜용접", "라온로봇"]
    robot = data[1]
    assert robot[header.index("매출액(원)")] == 150 * EOK
    assert robot[header.index("신청 수")] == 2
    assert robot[header.index("성장단계")] == "혁신"
    assert robot[header.index("사업자등록번호")] == dashed(population[0]["라온로봇"].brn)


def test_company_export_without_filters_holds_every_company(admin_client, population):
    rows = xlsx_rows(admin_client.get(COMPANIES, {"format": "xlsx"}))
    assert len(rows) - 1 == Company.objects.count() == 6


def task_in_2025(program):
    return ProgramPlacement.objects.get(plan_year=2025, program=program).task


def application_cases(programs) -> dict[str, tuple[dict, Q]]:
    first, second, third = programs
    return {
        "program_and_year": ({"program": first.pk, "year": 2025}, Q(program=first, year=2025)),
        "area_and_status": (
            {"area": task_in_2025(first).area_id, "status": ApplicationStatus.SELECTED},
            Q(program__placements__task__area=task_in_2025(first).area_id, status="selected")
            & Q(program__placements__plan_year=F("year")),
        ),
        "task": (
            {"task": task_in_2025(third).pk},
            Q(program__placements__task=task_in_2025(third), program__placements__plan_year=F("year")),
        ),
        "ministry_and_year": (
            {"ministry": second.ministry_id, "year": 2024},
            Q(program__ministry=second.ministry_id, year=2024),
        ),
        "duplicate": ({"duplicate": "true"}, Q(company__name="가온주조", year=2025)),
        "not_duplicate_selected": (
            {"duplicate": "false", "status": ApplicationStatus.SELECTED},
            Q(status="selected") & ~Q(company__name="가온주조"),
        ),
        "search": ({"q": "열처리"}, Q(company__name__icontains="열처리")),
    }


@pytest.mark.parametrize(
    "case",
    [
        "program_and_year",
        "area_and_status",
        "task",
        "ministry_and_year",
        "duplicate",
        "not_duplicate_selected",
        "search",
    ],
)
def test_application_filters_return_exactly_the_matching_rows(admin_client, population, case):
    params, meaning = application_cases(population[1])[case]
    response = admin_client.get(APPLICATIONS, params)
    assert response.status_code == 200
    expected = set(Application.objects.filter(meaning).values_list("pk", flat=True))
    assert expected
    assert set(listed(response)) == expected
    assert response.context["row_count"] == len(expected)


def test_duplicate_filter_means_selected_for_two_programs_in_one_year(admin_client, population):
    """The same rule as companies.selectors: selected (선정·협약·완료) for more than one program that year."""
    pairs = (
        Application.objects.filter(status__in=SELECTED_STATUSES)
        .values("company", "year")
        .annotate(programs=Count("program"))
        .filter(programs__gt=1)
    )
    expected = {
        pk
        for pair in pairs
        for pk in Application.objects.filter(
            company=pair["company"], year=pair["year"], status__in=SELECTED_STATUSES
        ).values_list("pk", flat=True)
    }
    assert set(listed(admin_client.get(APPLICATIONS, {"duplicate": "true"}))) == expected


def test_application_export_holds_exactly_the_filtered_rows(admin_client, population):
    first = population[1][0]
    params = {"program": first.pk}
    page = admin_client.get(APPLICATIONS, params)
    rows = xlsx_rows(admin_client.get(APPLICATIONS, {**params, "format": "xlsx"}))
    header, data = rows[0], rows[1:]
    expected = Application.objects.filter(program=first).order_by("-pk")
    assert len(data) == len(listed(page)) == expected.count() == 5
    assert [row[header.index("업체명")] for row in data] == [a.company.name for a in expected]
    by_company_year = {(row[header.index("업체명")], row[header.index("연도")]): row for row in data}
    gaon = by_company_year[("가온주조", 2025)]
    assert gaon[header.index("신청액(백만원)")] == 50
    assert gaon[header.index("중복지원")] == "중복"
    assert gaon[header.index("사업")] == first.name
    assert by_company_year[("나래금형", 2025)][header.index("신청액(백만원)")] is None


def test_filters_stay_in_the_url_of_pagination_and_download(admin_client, population, monkeypatch):
    monkeypatch.setattr(CompanyListView, "paginate_by", 2)
    gyeongnam = Region.objects.get(name="경남권")
    body = admin_client.get(COMPANIES, {"region": gyeongnam.pk}).content.decode()
    assert f"region={gyeongnam.pk}&amp;page=2" in body
    assert f"region={gyeongnam.pk}&amp;format=xlsx" in body


def test_an_invalid_filter_value_shows_no_rows_and_the_error(admin_client, population):
    response = admin_client.get(COMPANIES, {"sales_bracket": "99"})
    assert response.status_code == 200 and response.context["row_count"] == 0
    assert "errorlist" in response.content.decode()


@pytest.mark.parametrize(
    ("view", "url", "params"),
    [
        (CompanyListView, COMPANIES, {}),
        (CompanyListView, COMPANIES, {"app_status": "selected", "app_year": "2025", "duplicate": "false"}),
        (ApplicationListView, APPLICATIONS, {}),
        (ApplicationListView, APPLICATIONS, {"duplicate": "false", "q": "주조"}),
    ],
)
def test_query_count_does_not_depend_on_page_size(
    admin_client, population, django_assert_num_queries, monkeypatch, view, url, params
):
    monkeypatch.setattr(view, "paginate_by", 2)
    with django_assert_num_queries(20, exact=False) as small:
        admin_client.get(url, params)
    monkeypatch.setattr(view, "paginate_by", 100)
    with django_assert_num_queries(len(small.captured_queries)):
        admin_client.get(url, params)


@pytest.mark.parametrize("url", [COMPANIES, APPLICATIONS])
def test_export_query_count_does_not_depend_on_row_count(admin_client, population, django_assert_num_queries, url):
    with django_assert_num_queries(20, exact=False) as few:
        admin_client.get(url, {"q": "다솜", "format": "xlsx"})
    with django_assert_num_queries(len(few.captured_queries)):
        admin_client.get(url, {"format": "xlsx"})
