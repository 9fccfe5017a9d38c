"""The committee workbook's company sheets, read back table by table as a committee member reads them."""

import pytest

from companies.models import Industry, Province
from programs.models import Ministry, Program
from programs.reports.committee import committee_report_bytes
from tests.companies.helpers import make_application, make_company
from tests.programs import plan_sections
from tests.programs.workbook import table, workbook

pytestmark = pytest.mark.django_db

EOK = 100_000_000


@pytest.fixture
def applicants():
    casting = Industry.objects.get(name="주조")
    busan, seoul = Province.objects.get(name="부산광역시"), Province.objects.get(name="서울특별시")
    small = make_company(
        name="작은주조", industry=casting, province=busan, sales_amount=3 * EOK, employees=10, foreign_workers=2
    )
    large = make_company(
        name="큰주조",
        industry=casting,
        province=seoul,
        sales_amount=150 * EOK,
        export_amount=40 * EOK,
        employees=90,
        foreign_workers=8,
    )
    polytech, voucher = Program.objects.get(code="polytech"), Program.objects.get(code="export-voucher")
    make_application(small, polytech, status="selected")
    make_application(small, voucher, status="received")
    make_application(large, voucher, status="rejected")
    return small, large


def test_applications_by_program_and_status(applicants):
    programs = table(workbook()["신청·선정 현황"], "사업별 신청·선정 현황")
    voucher = programs.row(사업명="수출바우처")
    statuses = ["접수", "검토", "선정", "탈락", "협약", "완료", "취소", "합계"]
    assert [voucher[status] for status in statuses] == [1, 0, 0, 1, 0, 0, 0, 2]
    assert voucher["소관부처"] == "중기부"
    assert programs.row(구분="합계")["합계"] == 3
    # one area label per area, as in the budget table
    assert programs.column("구분").count("뿌리기업의 성장지원 강화") == 1


def test_applicants_and_selections_by_company_attributes(applicants):
    sheet = workbook()["신청·선정 현황"]
    casting = table(sheet, "업종별 신청·선정 기업").row(항목="기반 공정산업 · 주조")
    assert (casting["신청 기업(개사)"], casting["비중(%)"], casting["선정 기업(개사)"]) == (2, 100.0, 1)
    assert casting["선정률(%)"] == 50.0
    gyeongnam = table(sheet, "권역별 신청·선정 기업").row(항목="경남권")
    assert (gyeongnam["신청 기업(개사)"], gyeongnam["선정 기업(개사)"]) == (1, 1)
    innovation = table(sheet, "성장단계별 신청·선정 기업").row(항목="혁신")
    assert (innovation["신청 기업(개사)"], innovation["선정 기업(개사)"]) == (1, 0)
    assert table(sheet, "매출 규모별 신청·선정 기업").row(항목="100-300억 미만")["신청 기업(개사)"] == 1


def test_industry_table_shows_workers_sales_and_exports_beside_the_registered(applicants):
    industries = table(workbook()["뿌리기업 현황"], "14대 업종별 현황")
    printed = {row.label: row for row in plan_sections.industry_table()}
    # same rows, same order as the plan's table
    assert [row["구분"].strip() for row in industries.rows] == list(printed)
    total = industries.row(구분="뿌리산업")
    assert (total["사업체 계획(개사)"], total["종사자 계획(명)"]) == (64_061, 740_396)
    assert (total["매출액 계획(조원)"], total["수출액 계획(조원)"]) == (255.3, 33.8)
    assert industries.cells[0]["매출액 계획(조원)"].number_format.startswith("#,##0.0")
    casting = industries.row(구분="  주조")
    assert (casting["사업체 계획(개사)"], casting["사업체 등록(개사)"]) == (printed["주조"].firms, 2)
    assert (casting["종사자 계획(명)"], casting["종사자 등록(명)"]) == (printed["주조"].workers, 100)
    assert (casting["매출액 계획(조원)"], casting["매출액 등록(억원)"]) == (20.2, 153)
    assert casting["수출액 등록(억원)"] == 40


def test_region_size_and_stage_tables_beside_the_registered(applicants):
    sheet = workbook()["뿌리기업 현황"]
    capital = table(sheet, "권역별 뿌리기업 분포").row(구분="수도권")
    assert (capital["사업체 계획(개)"], capital["사업체 비중(%)"], capital["사업체 등록(개사)"]) == (37_168, 58.0, 1)
    sizes = table(sheet, "뿌리산업 규모별 현황")
    printed = {row.label: row for row in plan_sections.size_table()}
    assert [row["구분"] for row in sizes.rows] == list(printed)
    small = sizes.row(구분="5억 미만")
    assert (small["사업체 계획(개사)"], small["사업체 비중(%)"], small["사업체 등록(개사)"]) == (31_186, 48.7, 1)
    assert (small["종사자 계획(만명)"], small["매출액 계획(조원)"], small["수출액 비중(%)"]) == (9.5, 7.5, 0.3)
    assert small["사업체 등록 비중(%)"] == 50.0
    stage = table(sheet, "성장단계별 기업").row(구분="돋움")
    assert (stage["계획(성장 메뉴판) 비중(%)"], stage["등록 등록(개사)"]) == (63.6, 1)


def test_industry_status_sheet_has_the_plans_section_two_tables(applicants):
    sheet = workbook()["뿌리산업 현황"]
    standing = table(sheet, "뿌리산업의 위상")
    assert standing.row(구분="제조업")["사업체 수(개사)"] == 586_532
    assert standing.row(구분="제조업 내 비중(%)")["종사자 수(명)"] == 17.8  # as printed (17.4 computed)
    assert standing.row(구분="등록 뿌리기업(이 시스템)")["사업체 수(개사)"] == 2
    workforce = table(sheet, "직무별 종사자 수")
    assert workforce.row(**{"구 분": "종사자(명)"})["기능직"] == 341_515
    assert workforce.row(**{"구 분": "직무별 비중(%, 각주)"})["기능직"] == 54.0
    assert workforce.row(**{"구 분": "등록 뿌리기업 종사자(명)"})["외국인(B)"] == 10
    trends = table(sheet, "본문·각주의 비중과 추이")
    ageing = trends.row(지표="50대 이상 중장년층 비중")
    assert (ageing["'21년"], ageing["'22년"], ageing["'23년"]) == (33.8, 36.5, 37.3)
    foreign = trends.row(지표="외국인 종사자 비중")
    assert (foreign["'23년"], foreign["등록 기업(%)"]) == (10.5, 10.0)
    large = trends.row(지표="매출 100억원 이상 기업 비중")
    assert (large["'23년"], large["등록 기업(%)"]) == (8.6, 50.0)


def test_figures_a_company_did_not_give_are_left_out_of_the_shares_that_need_them(applicants):
    """A company without 매출액 or 외국인 수 is registered (firms, workers) but counted only where the
    figure is known: 매출 규모 shares among companies with sales, the foreign share among those that
    gave their foreign workers (all of them come from one GROUP BY of the companies)."""
    make_company(name="미입력주조", sales_amount=None, employees=50, foreign_workers=None)
    population, status = workbook()["뿌리기업 현황"], workbook()["뿌리산업 현황"]
    sizes = table(population, "뿌리산업 규모별 현황")
    assert (sizes.row(구분="전 체")["사업체 등록(개사)"], sizes.row(구분="전 체")["종사자 등록(명)"]) == (3, 150)
    assert sizes.row(구분="매출액 미입력")["사업체 등록(개사)"] == 1
    assert sizes.row(구분="5억 미만")["사업체 등록 비중(%)"] == 50.0  # 1 of the 2 with sales
    assert table(population, "14대 업종별 현황").row(구분="  주조")["종사자 등록(명)"] == 150
    trends = table(status, "본문·각주의 비중과 추이")
    assert trends.row(지표="외국인 종사자 비중")["등록 기업(%)"] == 10.0  # 10 of 100, not of 150
    assert trends.row(지표="매출 100억원 이상 기업 비중")["등록 기업(%)"] == 50.0
    assert table(status, "뿌리산업의 위상").row(구분="등록 뿌리기업(이 시스템)")["종사자 수(명)"] == 150
    workforce = table(status, "직무별 종사자 수").row(**{"구 분": "등록 뿌리기업 종사자(명)"})
    assert (workforce["계(A+B)"], workforce["외국인(B)"]) == (150, 10)


def test_ministry_scope_keeps_its_programs_only(applicants):
    mss = Ministry.objects.get(code="mss")
    programs = table(workbook(ministry=mss)["신청·선정 현황"], "사업별 신청·선정 현황")
    assert "수출바우처" in programs.column("사업명")
    assert "기능인력양성(폴리텍)" not in programs.column("사업명")
    assert programs.row(구분="합계")["합계"] == 2


def test_query_count_does_not_depend_on_the_number_of_companies(applicants, django_assert_num_queries):
    with django_assert_num_queries(200, exact=False) as few:
        committee_report_bytes(year=2025)
    voucher = Program.objects.get(code="export-voucher")
    for index in range(40):
        make_application(make_company(name=f"추가기업{index}", sales_amount=index * EOK), voucher, status="selected")
    with django_assert_num_queries(len(few.captured_queries)):
        committee_report_bytes(year=2025)
