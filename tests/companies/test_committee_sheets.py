"""The committee workbook's company sheets and the plan's own inconsistencies on the 검증 sheet."""

import io
import re
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest

from companies.models import Industry, Province
from programs.models import Ministry, Program
from programs.reports.committee import committee_report_bytes
from tests.companies import plan_document
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
    assert casting[2] == 2  # both applicants are 주조 firms
    capital = next(row for row in sheet if row[0] == "권역" and row[1] == "수도권")
    assert capital[2] == 1
    total = next(row for row in sheet if row[0] == "합계")
    assert (total[2], total[4]) == (2, plan_document.industry_table().total.firms)


def test_population_sheet_plan_columns_equal_the_plans_tables(applicants):
    """Every 계획('23) figure of the sheet, against the document's table row or column for it."""
    sheet = rows(workbook()["뿌리기업 현황"])
    industries = [(row[1], row[4]) for row in sheet if row[0] == "업종"]
    expected = []
    for group, members in plan_document.industry_table().groups:
        expected.append((group.name, group.firms))
        expected.extend((f"  {industry.name}", industry.firms) for industry in members)
    assert industries == expected
    regions = [(row[1], row[4], Decimal(str(row[5]))) for row in sheet if row[0] == "권역"]
    assert regions == [(column.name, column.firms, column.share) for column in plan_document.region_table()]
    _, size_rows = plan_document.size_table()
    brackets = [(row[1], row[4], Decimal(str(row[5]))) for row in sheet if row[0] == "매출 규모"]
    assert brackets == [(row.label, row.firms, row.firm_share) for row in size_rows]
    stages = [(row[1], Decimal(str(row[5]))) for row in sheet if row[0] == "성장단계"]
    assert stages == [(stage_name(column), column.share) for column in plan_document.growth_stage_table()]


def stage_name(column) -> str:
    """'돌음뿌리기업' → '돋움': the plan's slip corrected (DOMAIN.md), as the app names the stage."""
    return column.name.replace("돌음", "돋움").removesuffix("뿌리기업")


COMPANY_SUBJECTS = ("규모별 현황", "14대 업종별 현황", "권역별 분포", "직무별 종사자 수", "성장 메뉴판")
FIGURES = (
    ("사업체 수", "firms"),
    ("종사자 수", "workers"),
    ("매출액(조원)", "sales_trillion"),
    ("수출액(조원)", "exports_trillion"),
)


def lower_bound_eok(label: str) -> int:
    """The lower end of a sales range as the plan prints it: '5-10억 미만' → 5, '~10억원' → 0, '100억원 이상' → 100."""
    if label.startswith("~") or ("-" not in label and "~" not in label and "이상" not in label):
        return 0
    return int(re.match(r"[\d,]+", label).group().replace(",", ""))


def differences_in_the_document() -> dict[str, tuple]:
    """Where the document's company tables disagree with themselves: subject → (printed, recomputed)."""
    found = {}
    industries = plan_document.industry_table()
    size_total, size_rows = plan_document.size_table()
    total_firms = industries.total.firms
    if sum(row.firms for row in size_rows) != size_total.firms:
        found["규모별 현황 사업체 수 합계"] = (size_total.firms, sum(row.firms for row in size_rows))
    for group, members in industries.groups:
        for label, field in FIGURES:
            summed = sum(getattr(member, field) for member in members)
            if summed != getattr(group, field):
                found[f"14대 업종별 현황 {group.name} {label}"] = (getattr(group, field), summed)
    for label, field in FIGURES:
        summed = sum(getattr(group, field) for group, _ in industries.groups)
        if summed != getattr(industries.total, field):
            found[f"14대 업종별 현황 뿌리산업 {label}"] = (getattr(industries.total, field), summed)
    regions = plan_document.region_table()
    if sum(column.firms for column in regions) != total_firms:
        found["권역별 분포 사업체 수 합계"] = (total_firms, sum(column.firms for column in regions))
    if sum(column.share for column in regions) != 100:
        found["권역별 분포 비중 합계"] = (Decimal(100), sum(column.share for column in regions))
    workforce = plan_document.workforce_table()
    for label, row in (("종사자", workforce["종사자(명)"]), ("부족인원", workforce["부족인원(명)"])):
        if sum(row.by_job.values()) != row.domestic_subtotal:
            found[f"직무별 종사자 수 — 내국인 {label} 소계"] = (row.domestic_subtotal, sum(row.by_job.values()))
        if row.domestic_subtotal + row.foreign != row.total:
            found[f"직무별 종사자 수 — {label} 계"] = (row.total, row.domestic_subtotal + row.foreign)
    stages = plan_document.growth_stage_table()
    bounds = [lower_bound_eok(stage.sales_label) for stage in stages]
    for stage, lower, upper in zip(stages, bounds, [*bounds[1:], None], strict=True):
        firms = sum(
            row.firms
            for row in size_rows
            if lower_bound_eok(row.label) >= lower and (upper is None or lower_bound_eok(row.label) < upper)
        )
        share = (Decimal(firms) * 100 / total_firms).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if share != stage.share:
            found[f"성장 메뉴판 {stage_name(stage)} 비중"] = (stage.share, share)
    return found


def test_validation_sheet_lists_exactly_the_company_tables_own_differences():
    sheet = rows(workbook()["검증"])
    listed = {
        row[1]: (Decimal(str(row[3])), Decimal(str(row[5])))
        for row in sheet
        if row[0] == "계획 문서 내 불일치" and row[1].startswith(COMPANY_SUBJECTS)
    }
    assert listed == differences_in_the_document()
    # The ones the README names: 64,060 against 64,061, the 직무별 소계, the 돋움 share.
    assert {"규모별 현황 사업체 수 합계", "직무별 종사자 수 — 내국인 종사자 소계", "성장 메뉴판 돋움 비중"} <= set(
        listed
    )


def test_validation_sheet_rows_show_the_difference():
    sheet = rows(workbook()["검증"])
    size = next(row for row in sheet if row[1] == "규모별 현황 사업체 수 합계")
    printed, summed = differences_in_the_document()["규모별 현황 사업체 수 합계"]
    assert (size[3], size[5], size[6]) == (printed, summed, summed - printed)


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
