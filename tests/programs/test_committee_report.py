"""The committee workbook, opened with openpyxl as a committee member's Excel would open it."""

import io

import openpyxl
import pytest
from django.urls import reverse

from programs.choices import MilestoneStatus
from programs.models import BudgetExecution, Milestone, Program, ReportSnapshot
from tests.programs import plan_document, plan_sections
from tests.programs.workbook import build, table, tables

pytestmark = pytest.mark.django_db

SHEETS = ["요약", "지원예산", "추진일정", "신청·선정 현황", "뿌리기업 현황", "뿌리산업 현황", "지원기관", "검증"]


def budget(workbook_) -> list[dict]:
    return table(workbook_["지원예산"], "지원예산 (단위: 백만원)").rows


def test_sheets_follow_the_plan_order(tmp_path):
    assert build(tmp_path).sheetnames == SHEETS


def test_budget_sheet_equals_the_plan_table(tmp_path):
    expected, expected_total = plan_document.budget_table()
    rows = budget(build(tmp_path))
    programs = [row for row in rows if row["사업명"] not in ("소계", None)]
    assert [row["사업명"] for row in programs] == [row.name for row in expected]
    for row, plan_row in zip(programs, expected, strict=True):
        assert row["'24년(A)"] == (plan_row.previous if plan_row.previous is not None else "-")
        assert (row["'25년(B)"], row["증감(B-A)"]) == (plan_row.current, plan_row.change)
        printed = plan_row.rate
        if printed == "신규":
            assert row["%"] == "신규"
        else:
            assert row["%"] == pytest.approx(float(printed.replace("△", "-")))
    total = rows[-1]
    assert total["구분"] == "총계"
    assert [total["'24년(A)"], total["'25년(B)"], total["증감(B-A)"]] == [640_099, 684_557, 44_458]
    assert total["%"] == pytest.approx(6.9)
    subtotals = [row for row in rows if row["사업명"] == "소계"]
    assert [(row["'24년(A)"], row["'25년(B)"]) for row in subtotals] == [
        (311_438, 331_841),
        (320_741, 344_116),
        (7_920, 8_600),
    ]


def test_negative_change_is_a_number_shown_with_a_triangle(tmp_path):
    sheet = table(build(tmp_path)["지원예산"], "지원예산 (단위: 백만원)")
    index = [row["사업명"] for row in sheet.rows].index("지능형 뿌리공정 시스템 구축")
    change, rate = sheet.cells[index]["증감(B-A)"], sheet.cells[index]["%"]
    assert change.value == -1_740 and change.data_type == "n"
    assert '"△"' in change.number_format
    assert rate.value == pytest.approx(-36.7) and '"△"' in rate.number_format


def test_every_figure_is_a_number_cell(tmp_path):
    sheet = table(build(tmp_path)["지원예산"], "지원예산 (단위: 백만원)")
    for cells in sheet.cells:
        for header in ("'24년(A)", "'25년(B)", "증감(B-A)", "%", "집행액", "집행률(%)"):
            cell = cells[header]
            assert cell.value in ("-", "신규") or cell.data_type == "n", (header, cell.value)


def test_inferred_ministries_are_marked_on_the_budget_sheet(tmp_path):
    rows = {row["사업명"]: row for row in budget(build(tmp_path))}
    assert rows["첨단제조로봇실증"]["소관부처"] == "산업부 (추정)"
    assert rows["지능형 뿌리공정 시스템 구축"]["소관부처"] == "산업부"
    assert rows["수출바우처"]["소관부처"] == "중기부"


def test_program_terms_are_listed_with_their_numbers(tmp_path):
    terms = table(build(tmp_path)["지원예산"], "사업별 지원 조건")
    youth = [row for row in terms.rows if row["사업명"] == "청년일자리도약장려금"]
    assert [(row["값"], row["단위"]) for row in youth] == [(7_200_000, "원"), (4_800_000, "원")]
    fund = [row for row in terms.rows if row["사업명"] == "중소기업 정책자금 우대"]
    assert [row["값"] for row in fund] == [3, -0.3]
    negative = next(cells for cells in terms.cells if cells["값"].value == -0.3)["값"]
    assert negative.number_format.startswith("#,##0.0;") and '"△"' in negative.number_format


def test_summary_opens_with_the_budget_chart_and_area_totals(tmp_path):
    sheet = build(tmp_path)["요약"]
    rows = table(sheet, "추진분야별 지원예산").rows
    assert [row["'25년(B)"] for row in rows] == [331_841, 344_116, 8_600, 684_557]
    assert [row["'24년(A)"] for row in rows] == [311_438, 320_741, 7_920, 640_099]
    (chart,) = sheet._charts
    assert [series.tx.v if series.tx.v else series.tx.strRef.f for series in chart.series] == ["'24년(A)", "'25년(B)"]


def test_every_sheet_opens_with_a_native_chart_with_visible_axes_and_korean_title(tmp_path):
    for sheet in build(tmp_path).worksheets:
        assert sheet._charts, sheet.title
        for chart in sheet._charts:
            assert chart.anchor._from.row < 5, (sheet.title, "chart not at the top")
            assert chart.x_axis.delete is False and chart.y_axis.delete is False, sheet.title
            title = "".join(run.t for paragraph in chart.title.tx.rich.p for run in paragraph.r)
            assert "단위" in title or "%" in title, (sheet.title, title)


def test_execution_rate_chart_has_one_bar_per_program_and_no_subtotals(tmp_path):
    sheet = build(tmp_path)["지원예산"]
    (chart,) = sheet._charts
    (series,) = chart.series
    rows = table(sheet, "지원예산 (단위: 백만원)")
    program_rows = [
        n for n, row in zip(rows.row_numbers, rows.rows, strict=True) if row["사업명"] not in ("소계", None)
    ]
    referenced = [
        int(part.split("$")[-1]) for ref in series.val.numRef.f.strip("()").split(",") for part in ref.split(":")
    ]
    covered = {
        row for start, end in zip(referenced[::2], referenced[1::2], strict=True) for row in range(start, end + 1)
    }
    assert covered == set(program_rows) and len(program_rows) == 17


def test_execution_entered_appears_with_its_rate(tmp_path):
    program = Program.objects.get(code="smart-process")  # '25 budget 3,000 백만원
    BudgetExecution.objects.create(program=program, year=2025, month=5, amount=1_234_000_000)
    rows = budget(build(tmp_path))
    smart = next(row for row in rows if row["사업명"] == "지능형 뿌리공정 시스템 구축")
    assert smart["집행액"] == 1_234
    assert smart["집행률(%)"] == pytest.approx(41.1)
    assert rows[-1]["집행액"] == 1_234


def test_ministry_option_keeps_only_that_ministrys_programs(tmp_path):
    report = build(tmp_path, "--ministry", "kipo")
    names = [row["사업명"] for row in budget(report) if row["사업명"] not in ("소계", None)]
    assert names == ["IP-R&D 특허전략 지원"]
    schedule = table(report["추진일정"], "추진일정 (V장")
    assert {row["사업명"] for row in schedule.rows} - {None} == {"IP-R&D 특허전략 지원"}


def test_unknown_ministry_is_refused(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="알 수 없는 소관부처 코드"):
        build(tmp_path, "--ministry", "nope")


def test_sheets_carry_year_unit_time_and_print_setup(tmp_path):
    report = build(tmp_path)
    for sheet in report.worksheets:
        assert "기준연도: 2025년" in sheet["A2"].value and "생성 일시" in sheet["A2"].value
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == int(
            sheet.PAPERSIZE_A4
        )
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows is None  # no one header repeated above another table's rows
        assert "&A" in sheet.oddFooter.center.text
    assert "단위: 백만원" in report["지원예산"]["A2"].value


def test_each_printed_page_starts_with_a_caption_and_its_header(tmp_path):
    """Manual breaks fall between tables, or inside a long one whose header is repeated."""
    from tests.programs.workbook import is_header

    for sheet in build(tmp_path).worksheets:
        for brk in sheet.row_breaks.brk:
            row = brk.id + 1
            while row <= sheet.max_row and sheet.cell(row=row, column=1).value is None:
                row += 1
            assert sheet.cell(row=row, column=1).font.b, (sheet.title, row)  # the caption
            assert is_header(sheet, row + 1), (sheet.title, row)


def test_applications_breakdown_has_its_own_header_not_the_program_tables(tmp_path):
    sheet = build(tmp_path)["신청·선정 현황"]
    found = tables(sheet)
    assert found["사업별 신청·선정 현황 (단위: 건)"].headers[:3] == ["구분", "사업명", "소관부처"]
    breakdown = next(value for key, value in found.items() if key.startswith("업종별"))
    assert breakdown.headers == ["항목", "신청 기업(개사)", "비중(%)", "선정 기업(개사)", "선정률(%)"]


def test_schedule_sheet_follows_the_document_with_year_round_items_once(tmp_path):
    schedule = table(build(tmp_path)["추진일정"], "추진일정 (V장")
    printed = plan_sections.schedule_rows()
    assert [row["추진내용"] for row in schedule.rows] == [f"▶ {item}" for _, _, item in printed]
    assert schedule.rows[0]["사업명"] == "취업매칭버스"
    youth = schedule.row(추진내용="▶ 청년 채용 장려금 등 지원")
    assert (youth["1Q"], youth["2Q"], youth["3Q"], youth["4Q"], youth["시기"]) == ("연중", None, None, None, "연중")
    voucher = schedule.row(추진내용="▶ 공고(1월) 및 선정(2월)")
    assert (voucher["1Q"], voucher["2Q"], voucher["시기"]) == ("○", None, "1월·2월")


def test_schedule_status_counts_year_round_items_once(tmp_path):
    Milestone.objects.filter(program__code="export-voucher", label="공고").update(status=MilestoneStatus.DONE)
    summary = table(build(tmp_path)["추진일정"], "추진분야별 일정 상태")
    total = summary.row(추진분야="합계")
    assert total["합계"] == Milestone.objects.filter(year=2025).count() == 36
    assert total["완료"] == 1


def test_section_four_amounts_in_eok_that_round_alike_are_not_listed(tmp_path):
    report = build(tmp_path)
    disagreements = table(report["검증"], "계획 문서 내 불일치")
    assert not [row for row in disagreements.rows if row["항목"].endswith("'25년 예산")]
    rules = table(report["검증"], "적용한 규칙")
    eok = rules.row(규칙="IV장 억원 표기")
    assert (eok["비교(건)"], eok["일치(건)"], eok["불일치(건)"]) == (12, 12, 0)
    assert "반올림" in eok["규칙 내용"]


def test_validation_lists_exactly_the_real_disagreements_with_their_rules(tmp_path):
    rows = table(build(tmp_path)["검증"], "계획 문서 내 불일치").rows
    found = {row["항목"]: (row["기준값"], row["비교값"]) for row in rows}
    assert found == {
        "제조업 내 비중 — 사업체 수": (11.9, 10.9),
        "제조업 내 비중 — 종사자 수": (17.8, 17.4),
        "기반 공정산업 종사자 수": (490_845, 490_843),
        "내국인 종사자 소계(A)": (662_750, 662_749),
        "내국인 부족인원 소계(A)": (18_453, 18_454),
        "직무별 비중 — 기능직": (54.0, 46.1),
        "직무별 비중 — 노무직": (6.3, 3.9),
        "직무별 비중 — 기타직": (18.5, 18.4),
        "강원/제주 비중": (0.8, 0.7),
        "전 체 사업체": (64_061, 64_060),
        "매출 100억원 이상 기업 비중('23)": (8.6, 8.7),
        "성장 메뉴판 돋움 비중": (63.6, 62.7),
        "성장 메뉴판 도약 비중": (28.8, 28.6),
        "성장 메뉴판 혁신 비중": (7.6, 8.7),
    }
    for row in rows:
        assert row["적용 규칙"] and row["계산 근거"], row["항목"]
    강원 = next(row for row in rows if row["항목"] == "강원/제주 비중")
    assert 강원["계산 근거"] == "475 ÷ 64,061 × 100 = 0.741"


def test_validation_numbers_use_the_plans_formats(tmp_path):
    sheet = table(build(tmp_path)["검증"], "계획 문서 내 불일치")
    cells = {cells["항목"].value: cells for cells in sheet.cells}
    count = cells["전 체 사업체"]
    assert count["기준값"].value == 64_061 and count["기준값"].number_format.startswith("#,##0;")
    assert count["차이"].value == -1 and '"△"' in count["차이"].number_format
    rate = cells["강원/제주 비중"]
    assert rate["비교값"].number_format.startswith("#,##0.0;")


def test_a_disagreement_disappears_when_the_figure_is_corrected_and_appears_when_broken(tmp_path):
    from companies.models import Region

    Region.objects.filter(name="강원/제주").update(plan_share="0.7")
    Region.objects.filter(name="수도권").update(plan_share="57.9")
    rows = table(build(tmp_path)["검증"], "계획 문서 내 불일치").rows
    subjects = {row["항목"] for row in rows}
    assert "강원/제주 비중" not in subjects and "수도권 비중" in subjects


def test_overdue_milestones_show_their_month_as_text(tmp_path):
    rows = table(build(tmp_path)["검증"], "실데이터 점검").rows
    bus = next(row for row in rows if row["항목"] == "취업매칭버스 — 취업매칭버스")
    assert (bus["기준값"], bus["비교값"]) == ("11월", "예정")


def test_over_budget_execution_is_flagged(tmp_path):
    program = Program.objects.get(code="ip-rnd")  # 737 백만원
    BudgetExecution.objects.create(program=program, year=2025, month=7, amount=800_000_000)
    rows = table(build(tmp_path)["검증"], "실데이터 점검").rows
    flagged = next(row for row in rows if row["항목"] == "IP-R&D 특허전략 지원 집행 누계")
    assert (flagged["기준값"], flagged["비교값"], flagged["차이"]) == (737, 800, 63)


class TestAdminDownload:
    def test_button_downloads_the_workbook_and_keeps_a_snapshot(self, admin_client, admin_user):
        response = admin_client.post(reverse("admin:programs_reportsnapshot_generate"), {"year": 2025})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        workbook_ = openpyxl.load_workbook(io.BytesIO(response.content))
        assert "지원예산" in workbook_.sheetnames
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
        assert ReportSnapshot.objects.get().ministry == kipo
        assert "특허청" in response["Content-Disposition"] or "filename*" in response["Content-Disposition"]

    def test_get_is_not_allowed(self, admin_client):
        assert admin_client.get(reverse("admin:programs_reportsnapshot_generate")).status_code == 405


def test_formula_like_text_stays_text(tmp_path):
    Program.objects.filter(code="polytech").update(name='=HYPERLINK("http://x")')
    sheet = table(build(tmp_path)["지원예산"], "지원예산 (단위: 백만원)")
    cell = next(cells["사업명"] for cells in sheet.cells if str(cells["사업명"].value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix
