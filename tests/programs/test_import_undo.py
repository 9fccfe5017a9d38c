"""A wrong import can be undone as a whole from its batch page, unless its rows changed since."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from programs import access
from programs.models import BudgetExecution, ImportBatch
from tests.programs.test_execution_import import run, xlsx

pytestmark = pytest.mark.django_db


def undo(client, batch):
    return client.post(reverse("admin:programs_importbatch_undo", args=[batch.pk]), follow=True)


def amounts():
    return dict(BudgetExecution.objects.values_list("month", "amount"))


def test_undo_restores_changed_rows_and_removes_created_ones(admin_client, admin_user):
    first = run(xlsx([["polytech", "2025-01", 100], ["polytech", "2025-02", 200]]), user=admin_user).batch
    second = run(xlsx([["polytech", "2025-02", 250], ["polytech", "2025-03", 300]]), user=admin_user).batch
    assert amounts() == {1: 100, 2: 250, 3: 300}
    confirm = admin_client.get(reverse("admin:programs_importbatch_undo", args=[second.pk]))
    assert confirm.status_code == 200 and "예, 되돌립니다" in confirm.content.decode()
    response = undo(admin_client, second)
    assert "지운 행 1건, 되돌린 행 1건" in response.content.decode()
    assert amounts() == {1: 100, 2: 200}
    second.refresh_from_db()
    assert second.undone_at is not None
    restored = BudgetExecution.objects.get(month=2).history.order_by("-history_date").first()
    assert (restored.amount, restored.history_change_reason) == (200, f"가져오기 #{second.pk} 되돌리기")
    # The first import's 2월 row was changed after it (by the second import): undoing it is refused,
    # naming the row's last change (the undo that brought it back to 200), not the undone change.
    refused = undo(admin_client, first).content.decode()
    assert "가져온 뒤 바뀐 행이 있어 되돌릴 수 없습니다: 3행" in refused
    assert "3행 — 그 뒤 2번 바뀜, 마지막: " in refused and "250 → 200" in refused
    assert amounts() == {1: 100, 2: 200}


def test_undo_of_an_import_that_only_created_rows_removes_them(admin_client, admin_user):
    batch = run(xlsx([["polytech", "2025-01", 100], ["polytech", "2025-02", 200]]), user=admin_user).batch
    assert "지운 행 2건, 되돌린 행 0건" in undo(admin_client, batch).content.decode()
    assert amounts() == {}


def test_undo_is_refused_when_a_row_changed_after_the_import(admin_client, admin_user):
    batch = run(xlsx([["polytech", "2025-01", 100], ["polytech", "2025-02", 200]]), user=admin_user).batch
    execution = BudgetExecution.objects.get(month=2)
    execution.amount = 999
    execution.save()  # as the admin change form would: a history record after the import
    response = undo(admin_client, batch)
    assert "가져온 뒤 바뀐 행이 있어 되돌릴 수 없습니다: 3행" in response.content.decode()
    assert amounts() == {1: 100, 2: 999}
    batch.refresh_from_db()
    assert batch.undone_at is None


def test_undo_twice_is_refused(admin_client, admin_user):
    batch = run(xlsx([["polytech", "2025-01", 100]]), user=admin_user).batch
    undo(admin_client, batch)
    assert "이미 되돌린 가져오기입니다" in undo(admin_client, batch).content.decode()


def test_committee_member_cannot_undo(client, django_user_model, admin_user):
    member = django_user_model.objects.create_user("위원2", password="pw", is_staff=True)
    member.groups.add(Group.objects.get(name=access.COMMITTEE_MEMBER))
    batch = run(xlsx([["polytech", "2025-01", 100]]), user=admin_user).batch
    client.force_login(member)
    response = undo(client, batch)
    assert "권한이 없습니다" in response.content.decode()
    assert amounts() == {1: 100}
    assert ImportBatch.objects.get().undone_at is None
