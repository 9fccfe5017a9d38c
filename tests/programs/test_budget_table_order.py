"""What a 지원예산 표 import tells besides the budgets: the placements whose 예산표 순서 / 지원예산 표 포함
it changes (a preview warning), the rows it records of every table (the batch page and the undo
confirmation count them all), and each budget row's amount in 백만원.

The 2026 plan here is SYNTHETIC (tests/programs/test_plan_years.py, test_budget_table_undo.py).
"""

import re

import pytest
from django.urls import reverse

from programs.models import ProgramPlacement
from tests.programs.test_budget_table_undo import draw_up_draft
from tests.programs.test_plan_years import NEW_NAME, budget_import, synthetic_2026_table, xlsx

pytestmark = pytest.mark.django_db


def readonly_fields(page: str) -> dict[str, str]:
    """The read-only fields of an admin change page: {label: shown value}."""
    found = re.findall(r"<label>([^<]*):</label>\s*<div class=\"readonly\">([^<]*)</div>", page)
    return {label: value.strip() for label, value in found}


def swapped(rows: list[list], first: str, second: str) -> list[list]:
    """The table with two programs of one area trading places (and their figures with them)."""
    index = {row[1]: position for position, row in enumerate(rows)}
    a, b = index[first], index[second]
    rows = [list(row) for row in rows]
    area_a, area_b = rows[a][0], rows[b][0]
    rows[a], rows[b] = rows[b], rows[a]
    rows[a][0], rows[b][0] = area_a, area_b
    return rows


def test_the_preview_warns_of_placements_whose_budget_table_order_changes(admin_user):
    draw_up_draft(admin_user)
    rows, figures, _ = synthetic_2026_table()
    assert budget_import(xlsx(rows), user=admin_user).written
    first, second = rows[0][1], rows[1][1]
    orders = dict(ProgramPlacement.objects.filter(plan_year=2026).values_list("program__name", "budget_order"))
    assert (orders[first], orders[second]) == (1, 2)

    preview = budget_import(xlsx(swapped(rows, first, second)), user=admin_user, dry_run=True)
    assert preview.is_valid and preview.counts == {"new": 0, "updated": 0, "unchanged": 17, "invalid": 0}
    assert preview.warnings == [
        f"2026년 연도별 사업 편성 2개의 예산표 순서·지원예산 표 포함이 바뀝니다: "
        f"「{second}」(예산표 순서 2 → 1), 「{first}」(예산표 순서 1 → 2)."
    ]
    # The same file again: nothing to say.
    assert budget_import(xlsx(rows), user=admin_user, dry_run=True).warnings == []


def test_the_first_import_names_a_program_it_adds_to_the_table(admin_user):
    draw_up_draft(admin_user)
    rows, figures, _ = synthetic_2026_table()
    warnings = budget_import(xlsx(rows), user=admin_user, dry_run=True).warnings
    assert len(warnings) == 1
    assert warnings[0].startswith("2026년 연도별 사업 편성 ")
    assert f"「{NEW_NAME}」(예산표 순서 99 → 15)" in warnings[0]


def test_budget_rows_are_named_with_their_amount_in_million_won(admin_user):
    draw_up_draft(admin_user)
    rows, figures, _ = synthetic_2026_table()
    preview = budget_import(xlsx(rows), user=admin_user, dry_run=True)
    labels = {change.label for change in preview.new}
    assert f"{NEW_NAME} 2026년 2,000백만원" in labels
    assert f"수출바우처 2026년 {figures['수출바우처'][1]:,}백만원" in labels


def test_batch_page_and_undo_confirmation_count_every_recorded_row(admin_client, admin_user):
    draw_up_draft(admin_user)
    rows, figures, _ = synthetic_2026_table()
    batch = budget_import(xlsx(rows), user=admin_user).batch
    recorded_new = batch.rows.filter(action="new").count()
    recorded_updated = batch.rows.filter(action="updated").count()
    assert (batch.new_count, batch.updated_count) == (17, 0)  # the file's budgets
    assert recorded_new == 17 and recorded_updated > 0  # + the placements it reordered

    page = admin_client.get(reverse("admin:programs_importbatch_change", args=[batch.pk])).content.decode()
    fields = readonly_fields(page)
    assert (fields["신규"], fields["변경"]) == ("17", "0")  # the file's rows, each label once
    assert page.count("<label>신규:</label>") == page.count("<label>변경:</label>") == 1
    assert fields["기록한 행(되돌리기 대상)"] == f"신규 {recorded_new:,}건 · 변경 {recorded_updated:,}건"

    confirm = admin_client.get(reverse("admin:programs_importbatch_undo", args=[batch.pk])).content.decode()
    assert f"이 가져오기로 새로 만든 행 {recorded_new:,}건을 지웁니다." in confirm
    assert f"이 가져오기로 바뀐 행 {recorded_updated:,}건을 가져오기 전 값으로 되돌립니다." in confirm
    done = admin_client.post(reverse("admin:programs_importbatch_undo", args=[batch.pk]), follow=True)
    assert f"지운 행 {recorded_new:,}건, 되돌린 행 {recorded_updated:,}건" in done.content.decode()
