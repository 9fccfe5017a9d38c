import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies.choices import ApplicationStatus
from companies.models import Application, Company
from programs.models import ImportBatch
from tests.companies.helpers import (
    COMPANY_HEADERS,
    dashed,
    make_application,
    make_company,
    some_programs,
    valid_brn,
    write_xlsx,
)

pytestmark = pytest.mark.django_db
COMPANIES = reverse("admin:companies_company_changelist")
APPLICATIONS = reverse("admin:companies_application_changelist")


def listed_names(response) -> set[str]:
    return set(re.findall(r'class="field-name"><a [^>]*>([^<]+)</a>', response.content.decode()))


def test_search_by_dashed_brn_and_by_name(admin_client):
    target = make_company(name="검색대상")
    make_company(name="다른기업")
    assert listed_names(admin_client.get(COMPANIES, {"q": dashed(target.brn)})) == {"검색대상"}
    assert listed_names(admin_client.get(COMPANIES, {"q": "검색"})) == {"검색대상"}


def test_filters_by_region_stage_and_same_application(admin_client):
    first, second = some_programs(2)
    busan = make_company(name="부산기업", province_id=make_company().province_id)
    busan.province = type(busan.province).objects.get(short_name="부산")
    busan.save()
    big = make_company(name="큰기업", sales_amount=20_000_000_000)
    make_application(busan, first, status="received")
    make_application(busan, second, status="reviewing")
    region = busan.province.region_id
    assert listed_names(admin_client.get(COMPANIES, {"province__region__id__exact": region})) == {"부산기업"}
    assert "큰기업" in listed_names(admin_client.get(COMPANIES, {"growth_stage__exact": "hyeoksin"}))
    # program and status must match the same application
    assert listed_names(admin_client.get(COMPANIES, {"app_program": first.pk, "app_status": "reviewing"})) == set()
    assert listed_names(admin_client.get(COMPANIES, {"app_program": second.pk, "app_status": "reviewing"})) == {
        "부산기업"
    }
    assert big.growth_stage == "hyeoksin"


def test_duplicate_selection_shown_and_filtered(admin_client):
    first, second = some_programs(2)
    double = make_company(name="중복기업")
    single = make_company(name="단일기업")
    make_application(double, first, status="selected")
    make_application(double, second, status="agreed")
    make_application(single, first, status="selected")
    assert listed_names(admin_client.get(COMPANIES, {"duplicate": "yes"})) == {"중복기업"}
    page = admin_client.get(reverse("admin:companies_company_change", args=[double.pk])).content.decode()
    assert "2025년 중복지원" in page and first.name in page
    apps = admin_client.get(APPLICATIONS, {"duplicate": "yes"}).content.decode()
    assert apps.count('<span class="flag-yes">중복</span>') == 2
    # An ordinary row is blank in that column, not a red ✖ that reads as an error.
    every = admin_client.get(APPLICATIONS).content.decode()
    assert every.count('<span class="flag-yes">중복</span>') == 2 and "icon-no.svg" not in every


def test_company_page_lists_growth_menu_programs(admin_client):
    company = make_company(sales_amount=3_000_000_000)
    page = admin_client.get(reverse("admin:companies_company_change", args=[company.pk])).content.decode()
    assert "도약뿌리기업" in page and "공정자동화" in page and "수출바우처" in page


def test_admin_form_normalises_brn_and_refuses_bad_check_digit(admin_client):
    company = make_company()
    url = reverse("admin:companies_company_add")
    data = {
        "brn": "",
        "name": "새기업",
        "province": company.province_id,
        "industry": company.industry_id,
        "applications-TOTAL_FORMS": 0,
        "applications-INITIAL_FORMS": 0,
    }
    brn = valid_brn()
    bad = brn[:9] + str((int(brn[9]) + 1) % 10)
    response = admin_client.post(url, {**data, "brn": dashed(bad)})
    assert response.status_code == 200 and "검증번호" in response.content.decode()
    response = admin_client.post(url, {**data, "brn": "".join(chr(ord(c) + 0xFEE0) for c in brn)})
    assert response.status_code == 302 and Company.objects.filter(brn=brn, name="새기업").exists()


@pytest.mark.parametrize(
    "url", [COMPANIES, APPLICATIONS, f"{COMPANIES}?duplicate=yes", f"{APPLICATIONS}?duplicate=yes"]
)
def test_changelist_queries_do_not_grow_with_rows(admin_client, url, django_assert_max_num_queries):
    programs = some_programs(2)

    def add_companies(count):
        # Each selected for both programs: rows for the 중복지원 filter too.
        for _ in range(count):
            company = make_company()
            make_application(company, programs[0], status="selected")
            make_application(company, programs[1], status="agreed")

    add_companies(2)
    with django_assert_max_num_queries(20) as few:
        assert admin_client.get(url).status_code == 200
    add_companies(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(url)
    # Every company is selected for two programs, so the 중복지원 filter keeps every row too.
    expected = Company.objects.count() if url.startswith(COMPANIES) else Application.objects.count()
    assert response.context["cl"].result_count == expected == (32 if url.startswith(COMPANIES) else 64)


def test_bulk_action_respects_transitions(admin_client):
    first, second = some_programs(2)
    company = make_company()
    reviewing = make_application(company, first, status="reviewing")
    received = make_application(company, second, status="received")
    admin_client.post(APPLICATIONS, {"action": "set_status_selected", "_selected_action": [reviewing.pk, received.pk]})
    assert dict(Application.objects.values_list("pk", "status")) == {
        reviewing.pk: "selected",
        received.pk: "received",
    }


def test_admin_import_preview_then_confirm(admin_client, tmp_path):
    brn = valid_brn()
    path = write_xlsx(
        tmp_path / "up.xlsx", COMPANY_HEADERS, [[brn, "업로드기업", "경기", "주조", 1, 1, 0, None, "N", ""]]
    )
    url = reverse("admin:companies_company_import")
    with open(path, "rb") as handle:
        preview = admin_client.post(url, {"file": handle})
    page = preview.content.decode()
    assert "미리보기" in page and not Company.objects.filter(brn=brn).exists()
    token = re.search(r'name="token" value="(\w+)"', page).group(1)
    admin_client.post(url, {"token": token})
    assert Company.objects.filter(brn=brn).exists()
    assert ImportBatch.objects.get().user.username == "관리자"


def test_admin_import_preview_shows_errors_and_no_confirm(admin_client, tmp_path):
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        COMPANY_HEADERS,
        [["1234567890", "x", "경기", "주조"], [valid_brn(), "y", "화성", "주조"]],
    )
    with open(path, "rb") as handle:
        page = admin_client.post(reverse("admin:companies_company_import"), {"file": handle}).content.decode()
    assert "검증번호" in page and "가능한 시·도" in page and 'name="token"' not in page


def test_export_follows_changelist_filters(admin_client, tmp_path):
    keep = make_company(name="보낼기업", sales_amount=20_000_000_000)
    make_company(name="안보낼기업", sales_amount=1)
    response = admin_client.get(reverse("admin:companies_company_export"), {"growth_stage__exact": "hyeoksin"})
    path = tmp_path / "x.xlsx"
    path.write_bytes(response.content)
    from tests.companies.helpers import read_xlsx

    rows = read_xlsx(path)
    assert [row[2] for row in rows[1:]] == ["보낼기업"] and rows[1][0] == keep.brn_display
    csv_response = admin_client.get(reverse("admin:companies_company_export"), {"_format": "csv", "q": "안보낼"})
    assert "안보낼기업" in csv_response.content.decode("utf-8-sig")


def test_template_download_is_the_import_form_with_its_notes(admin_client):
    response = admin_client.get(reverse("admin:companies_application_import_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["사업 신청", "작성 안내"]
    rows = list(workbook["사업 신청"].iter_rows(values_only=True))
    headers = ["사업자등록번호", "사업", "연도", "상태", "신청액(원)", "지원액(원)", "신청일", "결정일", "메모"]
    assert rows == [tuple(headers)]  # the columns one can import, and no data
    guide = list(workbook["작성 안내"].iter_rows(values_only=True))
    assert guide[0] == ("열", "구분", "설명")
    notes = {row[0]: row[1:] for row in guide[1:]}
    assert set(headers) <= set(notes)
    assert {name for name, (kind, _) in notes.items() if kind == "필수"} == {"사업자등록번호", "사업", "연도"}
    assert {name for name, (kind, _) in notes.items() if kind == "내보내기 전용"} == {
        "업체명",
        "추진분야",
        "추진과제",
        "소관부처",
    }
    status_note = notes["상태"][1]
    assert all(label in status_note for label in ApplicationStatus.labels) and "비우면 접수" in status_note
    assert "사업 코드" in notes["사업"][1]


def test_filled_in_template_imports(admin_client):
    """The downloaded template, filled in as staff would, goes through preview and confirmation."""
    company = make_company(name="양식기업")
    template = admin_client.get(reverse("admin:companies_application_import_template")).content
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    workbook["사업 신청"].append(
        [dashed(company.brn), "수출바우처", 2025, "", 12_000_000, None, datetime.date(2025, 3, 2), None, "양식으로"]
    )
    stream = io.BytesIO()
    workbook.save(stream)
    url = reverse("admin:companies_application_import")
    preview = admin_client.post(url, {"file": SimpleUploadedFile("신청.xlsx", stream.getvalue())})
    assert not preview.context.get("errors") and preview.context["token"]
    admin_client.post(url, {"token": preview.context["token"]})
    application = Application.objects.get(company=company)
    assert (application.program.code, application.year, application.status) == ("export-voucher", 2025, "received")
    assert (application.requested_amount, application.applied_on, application.memo) == (
        12_000_000,
        datetime.date(2025, 3, 2),
        "양식으로",
    )


def test_duplicate_column_marks_only_selections_of_the_same_year(admin_client, django_assert_max_num_queries):
    first, second, third = some_programs(3)
    double = make_company(name="중복기업")
    make_application(double, first, status="selected")
    make_application(double, second, status="completed")
    make_application(double, third, status="rejected")  # not a selection
    other_year = make_company(name="연도달리")
    make_application(other_year, first, status="selected", year=2024)
    make_application(other_year, second, status="selected")
    page = admin_client.get(APPLICATIONS).content.decode()
    assert page.count('<span class="flag-yes">중복</span>') == 2 and "icon-no.svg" not in page


def test_mark_duplicate_selections_uses_one_query_for_a_page(django_assert_num_queries):
    from companies.selectors import application_list_queryset, application_rows_queryset, mark_duplicate_selections

    programs = some_programs(3)
    for index in range(6):
        company = make_company()
        for program in programs[: 1 + index % 3]:
            make_application(company, program, status="agreed" if index % 2 else "reviewing")
    page = list(application_rows_queryset().order_by("pk"))
    with django_assert_num_queries(1):
        mark_duplicate_selections(page)
    expected = dict(application_list_queryset().values_list("pk", "is_duplicate_selection"))
    assert {a.pk: a.is_duplicate_selection for a in page} == expected and any(expected.values())


def test_bracket_and_stage_filters_are_labelled_and_filter(admin_client):
    from tests.companies.helpers import make_company

    make_company(name="작은기업", sales_amount=4 * 100_000_000)
    make_company(name="큰기업", sales_amount=120 * 100_000_000)
    url = reverse("admin:companies_company_changelist")
    body = admin_client.get(url).content.decode()
    assert "5억 미만" in body and "100-300억 미만" in body and "돋움" in body and "hyeoksin<" not in body
    response = admin_client.get(url, {"growth_stage": "hyeoksin"})
    assert [company.name for company in response.context["cl"].result_list] == ["큰기업"]
    response = admin_client.get(url, {"sales_bracket": "1"})
    assert [company.name for company in response.context["cl"].result_list] == ["작은기업"]


def test_area_and_task_filters_follow_the_programs_placement_in_the_applications_year(admin_client, admin_user):
    """SYNTHETIC 2026: a copy of 2025 in which one program moves to another area."""
    from programs import services
    from programs.models import PlanYear, PolicyArea, ProgramPlacement, Task

    services.plan_year_copy(source=PlanYear.objects.get(year=2025), year=2026, user=admin_user)
    area_2025 = PolicyArea.objects.get(plan_year=2025, number=1)
    placed = list(ProgramPlacement.objects.filter(plan_year=2025, task__area=area_2025).select_related("program"))
    others = ProgramPlacement.objects.filter(plan_year=2025).exclude(task__area=area_2025).select_related("task__area")
    inside, outside, moved = placed[0].program, others[0].program, placed[1].program
    company = make_company(name="분야기업")
    expected = {
        make_application(company, inside, year=2025).pk,
        make_application(company, moved, year=2025).pk,
    }
    make_application(company, outside, year=2025)
    make_application(company, inside, year=2024)  # no 2024 plan year: under no area
    placement_2026 = ProgramPlacement.objects.get(plan_year=2026, program=moved)
    placement_2026.task = Task.objects.filter(area__plan_year=2026, area__number=others[0].task.area.number).first()
    placement_2026.save()
    moved_2026 = make_application(company, moved, year=2026)

    response = admin_client.get(APPLICATIONS, {"area": area_2025.pk})
    assert {application.pk for application in response.context["cl"].result_list} == expected
    body = response.content.decode()
    assert "추진분야" in body and "추진과제" in body and str(area_2025) in body

    area_2026 = placement_2026.task.area
    response = admin_client.get(APPLICATIONS, {"year": 2026, "area": area_2026.pk})
    assert [application.pk for application in response.context["cl"].result_list] == [moved_2026.pk]
    assert str(area_2026) in response.content.decode()
    task_programs = set(ProgramPlacement.objects.filter(task_id=placed[0].task_id).values_list("program", flat=True))
    response = admin_client.get(APPLICATIONS, {"task": placed[0].task_id})
    listed = {application.program_id for application in response.context["cl"].result_list}
    assert inside.pk in listed and listed <= task_programs
