"""Undo of a 지원예산 표 import restores everything the import did: the year's budgets it wrote, the
전년 budgets it added, and the budget table order and 지원예산 표 포함 flags it set on that year's
placements — or, if any of that changed since, refuses in words and changes nothing.

The 2026 plan here is SYNTHETIC (tests/programs/test_plan_years.py): 2025's copy, a new program
(합성) placed at the end of area 2, every continuing program's budget + 100 백만원.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from programs import services
from programs.models import ImportBatch, Ministry, PlanYear, Program, ProgramBudget, ProgramPlacement, Task
from tests.programs.admin_forms import change_form_data
from tests.programs.test_plan_years import ENDED, NEW_CODE, NEW_NAME, budget_import, synthetic_2026_table, xlsx

pytestmark = pytest.mark.django_db

PREVIOUS_ADDED = "specialized-complex"  # its 2025 budget is removed first: the import adds it back as 전년


def draw_up_draft(user, *, end_one: bool = False) -> Program:
    """2025 copied to a 2026 draft, and a new program placed in it (budget table order 99)."""
    if end_one:
        ProgramPlacement.objects.filter(plan_year=2025, program__code=ENDED).update(ended=True)
    services.plan_year_copy(source=PlanYear.objects.get(year=2025), year=2026, user=user)
    new = Program.objects.create(code=NEW_CODE, name=NEW_NAME, ministry=Ministry.objects.get(code="motie"))
    task = Task.objects.get(area__plan_year=2026, area__number=2, number=2)
    ProgramPlacement.objects.create(plan_year_id=2026, program=new, task=task, has_budget_line=True, budget_order=99)
    return new


def state() -> dict:
    """Everything a 지원예산 표 import may touch, as stored (versions aside)."""
    return {
        "placements": sorted(
            ProgramPlacement.objects.values_list(
                "pk", "plan_year_id", "program_id", "task_id", "has_budget_line", "budget_order", "ended"
            )
        ),
        "budgets": sorted(ProgramBudget.objects.values_list("pk", "program_id", "year", "amount")),
        "counts": (ProgramPlacement.objects.count(), ProgramBudget.objects.count(), Program.objects.count()),
    }


def undo(client, batch):
    return client.post(reverse("admin:programs_importbatch_undo", args=[batch.pk]), follow=True).content.decode()


@pytest.fixture
def imported(admin_client, admin_user):
    """(state before the import, its batch): the synthetic 2026 table imported over the draft."""
    draw_up_draft(admin_user)
    ProgramBudget.objects.filter(program__code=PREVIOUS_ADDED, year=2025).delete()
    before = state()
    rows, figures, _ = synthetic_2026_table()
    result = budget_import(xlsx(rows), user=admin_user)
    assert result.written, result.errors
    return before, result.batch


def test_undo_restores_budgets_of_both_years_and_the_placements(admin_client, imported):
    before, batch = imported
    rows, figures, _ = synthetic_2026_table()
    listed = [row[1] for row in rows if row[1] not in ("소계", None)]
    # What the import did besides the 2026 budgets:
    assert ProgramBudget.objects.filter(year=2026).count() == len(figures) == 17
    added = ProgramBudget.objects.get(program__code=PREVIOUS_ADDED, year=2025)
    assert added.amount == figures["뿌리산업 특화단지 지원"][0] * 1_000_000
    new = ProgramPlacement.objects.get(plan_year=2026, program__code=NEW_CODE)
    ended = ProgramPlacement.objects.get(plan_year=2026, program__code=ENDED)  # not in the table: after it
    assert (new.budget_order, ended.budget_order) == (listed.index(NEW_NAME) + 1, len(listed) + 1) == (15, 18)
    after = state()
    assert after != before
    # The batch records the placements it reordered (row numbers of the file; "-" for the others).
    placement_type = ContentType.objects.get_for_model(ProgramPlacement)
    recorded = batch.rows.filter(content_type=placement_type)
    assert recorded.filter(object_id=new.pk, before={"budget_order": 99, "has_budget_line": True}).exists()
    assert recorded.get(object_id=ended.pk).row_number == 0
    page = admin_client.get(reverse("admin:programs_importbatch_change", args=[batch.pk])).content.decode()
    assert f"2026년 {NEW_NAME}" in page and "예산표 순서: 99" in page
    assert f"{PREVIOUS_ADDED}" not in page and "뿌리산업 특화단지 지원 2025년" in page

    response = undo(admin_client, batch)
    assert "가져오기를 되돌렸습니다: 지운 행 18건" in response, response
    assert state() == before
    assert not ProgramBudget.objects.filter(year=2026).exists()
    assert not ProgramBudget.objects.filter(program__code=PREVIOUS_ADDED, year=2025).exists()
    new.refresh_from_db()
    last = new.history.order_by("-history_date", "-history_id").first()
    assert (last.budget_order, last.history_change_reason) == (99, f"가져오기 #{batch.pk} 되돌리기")


def test_undo_is_refused_when_a_placement_it_reordered_was_edited_since(admin_client, imported):
    before, batch = imported
    after = state()
    new = ProgramPlacement.objects.get(plan_year=2026, program__code=NEW_CODE)  # the import moved it: 99 → 15
    url = reverse("admin:programs_programplacement_change", args=[new.pk])
    data = change_form_data(admin_client.get(url))
    data["ended"] = "on"
    assert admin_client.post(url, data).status_code == 302
    edited = state()

    response = undo(admin_client, batch)
    assert (
        "되돌리지 못했습니다: 이 가져오기가 함께 바꾼 연도별 사업 편성 중 그 뒤 바뀐 것이 있어 되돌릴 수 없습니다: "
        f"「2026년 {NEW_NAME}」 (" in response
    )
    assert "올해 종료" in response  # what changed, from the audit trail
    assert state() == edited != after
    assert ImportBatch.objects.get(pk=batch.pk).undone_at is None


def test_undo_is_refused_when_another_placement_took_an_order_it_would_restore(admin_client, imported):
    _, batch = imported
    linked = ProgramPlacement.objects.filter(plan_year=2026, budget_order=None).select_related("program").first()
    linked.budget_order = 99  # the new program's order before the import
    linked.save()
    edited = state()
    response = undo(admin_client, batch)
    assert (
        "되돌릴 예산표 순서를 가져온 뒤 다른 연도별 사업 편성이 쓰고 있어 되돌릴 수 없습니다: "
        f"「2026년 {linked.program.name}」(예산표 순서 99)." in response
    )
    assert state() == edited
    assert ImportBatch.objects.get(pk=batch.pk).undone_at is None


def test_undo_is_refused_once_the_year_is_confirmed(admin_client, admin_user):
    draw_up_draft(admin_user, end_one=True)
    rows, _, _ = synthetic_2026_table()
    batch = budget_import(xlsx(rows), user=admin_user).batch
    services.plan_year_confirm(plan_year=PlanYear.objects.get(year=2026), user=admin_user)
    confirmed = state()
    response = undo(admin_client, batch)
    assert "2026년 실행계획이 가져온 뒤 확정되어 되돌릴 수 없습니다." in response
    assert state() == confirmed
