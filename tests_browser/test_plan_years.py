"""Drawing up next year's plan in Chromium: copy 2025 to 2026, import the 지원예산 표, confirm.

The 2026 plan is SYNTHETIC (each program's 2025 budget + 100 백만원). The test removes it at the
end, so the other browser tests keep seeing 2025 as the current year.
"""

import openpyxl
from test_jobs import messages, submit

from programs.models import PlanYear, PlanYearStatus, PolicyArea, ProgramBudget, ProgramPlacement, Task
from programs.selectors import budget_table


def synthetic_table(path) -> int:
    """The 2026 지원예산 표 in the plan's layout (구분, 사업명, 전년, 당해, 증감, %); returns its 당해 total."""
    areas, _ = budget_table(year=2025)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["구분", "사업명", "전년", "당해", "증감", "%"])
    total = 0
    for row in areas:
        for index, program in enumerate(row.programs):
            previous = program.budget_current // 1_000_000
            sheet.append(
                [row.area.budget_label if index == 0 else None, program.name, previous, previous + 100, 100, None]
            )
            total += previous + 100
    workbook.save(path)
    return total


def remove_2026() -> None:
    ProgramBudget.objects.filter(year=2026).delete()
    ProgramPlacement.objects.filter(plan_year=2026).delete()
    Task.objects.filter(area__plan_year=2026).delete()
    PolicyArea.objects.filter(plan_year=2026).delete()
    PlanYear.objects.filter(year=2026).delete()


def test_copy_2025_to_2026_import_the_budget_table_confirm(new_page, base_url, tmp_path):
    page = new_page(width=1366).page
    try:
        page.goto(f"{base_url}/admin/programs/planyear/")
        page.locator("#result_list tbody input.action-select").first.check()
        page.select_option("select[name=action]", "copy_to_next_year")
        submit(page, "button[name=index]")
        assert "2025년 계획을 2026년으로 복사" in page.content()
        submit(page, "input[type=submit].default")
        assert any("2026년 실행계획(작성 중)으로 복사했습니다" in text for text in messages(page)), messages(page)
        assert PlanYear.objects.get(year=2026).status == PlanYearStatus.DRAFT

        upload = tmp_path / "2026_지원예산.xlsx"
        total = synthetic_table(upload)
        page.goto(f"{base_url}/admin/programs/programbudget/")
        submit(page, "text=가져오기(엑셀)")
        page.set_input_files("input[type=file]", str(upload))
        submit(page, "input[value=미리보기]")
        assert not ProgramBudget.objects.filter(year=2026).exists()
        submit(page, "input[value='가져오기 확정']")
        assert any("가져왔습니다" in text for text in messages(page)), messages(page)
        assert ProgramBudget.objects.filter(year=2026).count() == 17

        page.goto(f"{base_url}/admin/programs/planyear/")
        page.locator("#result_list tbody input.action-select").first.check()  # newest first: 2026
        page.select_option("select[name=action]", "confirm")
        submit(page, "button[name=index]")
        submit(page, "input[type=submit].default")
        assert PlanYear.objects.get(year=2026).status == PlanYearStatus.CONFIRMED

        page.goto(f"{base_url}/plan/2026/")
        grand_total = page.locator("tr", has_text="총계").last.locator("td").all_inner_texts()
        assert f"{total:,}" in grand_total, grand_total
        assert any("2026년 실행계획" in text for text in page.locator("h1, h2").all_inner_texts())
    finally:
        remove_2026()
