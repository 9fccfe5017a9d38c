"""The committee workbook's 지원기관 sheet: the plan's centers and the services they delivered."""

import io

import openpyxl
import pytest

from programs.reports.committee import committee_report_bytes
from tests.centers.helpers import make_company, make_request, regional_center

pytestmark = pytest.mark.django_db


def sheet_rows(**kwargs):
    workbook = openpyxl.load_workbook(io.BytesIO(committee_report_bytes(year=2025, **kwargs)))
    assert "지원기관" in workbook.sheetnames
    return [[cell for cell in row] for row in workbook["지원기관"].iter_rows(min_row=4)]


def values(row):
    return [cell.value for cell in row]


def test_regional_centers_total_185_items_of_equipment():
    rows = sheet_rows()
    total = next(row for row in rows if row[0].value == "지역뿌리기술지원센터 합계")
    assert total[5].value == 185 and total[5].data_type == "n"
    siheung = next(values(row) for row in rows if row[1].value == "지역뿌리기술지원센터(시흥)")
    assert siheung[2:8] == [
        "시흥",
        "수도권",
        "주조, 금형, 소성가공, 용접, 표면처리, 열처리",
        35,
        "시화반월공단",
        "운영중",
    ]


def test_services_delivered_are_counted_by_type():
    center, company = regional_center("김제"), make_company()
    make_request(center, company, "시험분석")
    make_request(center, company, "기술지도")
    make_request(center, make_company("둘째정밀"), "시험분석")
    rows = sheet_rows()
    header = next(values(row) for row in rows if row[0].value == "종류" and row[1].value == "센터명")
    gimje = next(values(row) for row in rows if row[1].value == "지역뿌리기술지원센터(김제)")
    counts = dict(zip(header[8:], gimje[8:], strict=True))
    assert counts == {
        "시험분석(건)": 2,
        "기술지도(건)": 1,
        "시제품제작(건)": 0,
        "기술자문(건)": 0,
        "2025년 지원 합계(건)": 3,
    }


def test_query_count_does_not_grow_with_requests(django_assert_num_queries):
    center = regional_center("부산")
    make_request(center, make_company("첫째기업"), "시험분석")
    with django_assert_num_queries(60, exact=False) as few:
        sheet_rows()
    for index in range(30):
        make_request(center, make_company(f"기업{index}"), "기술자문")
    with django_assert_num_queries(len(few.captured_queries)):
        sheet_rows()
