"""The committee workbook's company sheets and the plan's own inconsistencies on the 검증 sheet."""

import io

import openpyxl
import pytest

from companies.models import Industry, Province
from programs.models import Ministry, Program
from programs.reports.committee import committee_report_bytes
from tests.companies.helpers import make_application, make_company

pytestmark = pytest.mark.django_db

EOK = 100_000_000


def workbook(**kwargs):
    return openpyxl.load_workbook(io.BytesIO(committee_report_bytes(year=2025, **kwargs)))


def rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]


@pytest.fixture
def applicants():
    casting = Industry.objects.get(name="주조")
    busan, seoul = Province.objects.get(name="부산광역시"), Province.objects.get(name="서울특별시")
    small = make_company(name="작은주조", industry=casting, province=busan, sales_amount=3 * EOK)
    large = make_company(name="큰주조", industry=casting, province=seoul, sales_amount=150 * EOK)
    polytech, voucher = Program.objects.get(code="polytech"), Program.objects.get(code="export-voucher")
    make_application(small, polytech, status="selected")
    make_application(small, voucher, status="received")
    make_application(large, voucher, status="rejected")
    return small, large


def test_applications_by_program_and_status(applicants):
    sheet = rows(workbook()["신청·선정 현황"])
    voucher = next(row for row in sheet if row[1] == "수출바우처")
    # 접수, 검토, 선정, 탈락, 협약, 완료, 취소, 합계
    assert voucher[3:11] == [1, 0, 0, 1, 0, 0, 0, 2]
    total = next(row for row in sheet if row[0] == "합계")
    assert total[10] == 3


def test_applicants_and_selections_by_company_attributes(applicants):
    sheet = rows(workbook()["신청·선정 현황"])
    casting = next(row for row in sheet if row[0] == "업종" and row[1] == "기반 공정산업 · 주조")
    assert (casting[2], casting[3], casting[4]) == (2, 100.0, 1)
    gyeongnam = next(row for row in sheet if row[0] == "권역" and row[1] == "경남권")
    assert (gyeongnam[2], gyeongnam[4]) == (1, 1)
    assert next(row for row in sheet if row[0] == "성장단계" and row[1] == "혁신")[2:5:2] == [1, 0]
    assert next(row for row in sheet if row[0] == "매출 규모" and row[1] == "100-300억 미만")[2] == 1


def test_population_beside_the_plan_figures(applicants):
    sheet = rows(workbook()["뿌리기업 현황"])
    casting = next(row for row in sheet if row[1] == "  주조")
    assert (casting[2], casting[4]) == (2, 2_062)
    base = next(row for row in sheet if row[1] == "기반 공정산업")
    assert base[4] == 38_832
    capital = next(row for row in sheet if row[0] == "권역" and row[1] == "수도권")
    assert (capital[2], capital[4], capital[5]) == (1, 37_168, 58.0)
    total = next(row for row in sheet if row[0] == "합계")
    assert (total[2], total[4]) == (2, 64_061)


def test_validation_sheet_lists_the_plans_own_differences():
    sheet = rows(workbook()["검증"])
    size = next(row for row in sheet if row[1] == "규모별 현황 사업체 수 합계")
    assert (size[3], size[5], size[6]) == (64_061, 64_060, -1)
    workforce = next(row for row in sheet if row[1] == "직무별 종사자 수 — 내국인 종사자 소계")
    assert (workforce[3], workforce[5]) == (662_750, 662_749)
    stage = next(row for row in sheet if row[1] == "성장 메뉴판 돋움 비중")
    assert (stage[3], stage[5]) == (63.6, 62.7)


def test_ministry_scope_keeps_its_programs_only(applicants):
    mss = Ministry.objects.get(code="mss")
    sheet = rows(workbook(ministry=mss)["신청·선정 현황"])
    programs = {row[1] for row in sheet if row[2] in ("중기부",)}
    assert "수출바우처" in programs and "기능인력양성(폴리텍)" not in {row[1] for row in sheet}
    total = next(row for row in sheet if row[0] == "합계")
    assert total[10] == 2


def test_query_count_does_not_depend_on_the_number_of_companies(applicants, django_assert_num_queries):
    with django_assert_num_queries(200, exact=False) as few:
        committee_report_bytes(year=2025)
    voucher = Program.objects.get(code="export-voucher")
    for index in range(40):
        make_application(make_company(name=f"추가기업{index}", sales_amount=index * EOK), voucher, status="selected")
    with django_assert_num_queries(len(few.captured_queries)):
        committee_report_bytes(year=2025)
