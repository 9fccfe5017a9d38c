"""Odd requests a careless or hostile client can send to the admin: answered in Korean, never a 500."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from programs.models import Ministry, Program, ProgramBudget

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name,query",
    [
        ("admin:programs_programbudget_export", "?year=abc"),
        ("admin:programs_budgetexecution_export", "?plan_year__id__exact=abc"),
        ("admin:companies_company_export", "?no_such_field=1"),
    ],
)
def test_an_export_with_conditions_the_list_cannot_apply_goes_back_to_the_list(admin_client, url_name, query):
    response = admin_client.get(reverse(url_name) + query)
    assert response.status_code == 302
    assert response["Location"] == reverse(url_name.replace("_export", "_changelist"))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "목록 조건이 올바르지 않아 내보내지 않았습니다. 조건을 다시 골라 주세요."
    ]


@pytest.mark.parametrize("action", ["export_selected", "delete_selected"])
def test_a_forged_selection_in_a_bulk_action_does_nothing(admin_client, action):
    url = reverse("admin:programs_programbudget_changelist")
    before = ProgramBudget.objects.count()
    response = admin_client.post(url, {"action": action, "_selected_action": ["abc"], "index": "0"})
    assert response.status_code == 302
    assert "선택한 항목이 올바르지 않아" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert ProgramBudget.objects.count() == before
    response = admin_client.post(
        reverse("admin:programs_ministry_changelist"), {"action": "delete_selected", "_selected_action": ["1x"]}
    )
    assert response.status_code == 302 and Ministry.objects.count() == 8


def test_an_absurdly_long_amount_is_shown_back_with_its_error(admin_client):
    budget = ProgramBudget.objects.filter(program__code="polytech", year=2025).get()
    page = admin_client.get(reverse("admin:programs_programbudget_change", args=[budget.pk]))
    data = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(program=budget.program_id, year=2025, amount="9" * 400, amount_unit="million", version=budget.version)
    response = admin_client.post(reverse("admin:programs_programbudget_change", args=[budget.pk]), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount"]
    budget.refresh_from_db()
    assert budget.amount == Program.objects.get(code="polytech").budgets.get(year=2025).amount


def test_a_negative_budget_is_refused_in_words_not_by_the_constraint_name(admin_client):
    budget = ProgramBudget.objects.filter(program__code="polytech", year=2025).get()
    data = {"program": budget.program_id, "year": 2025, "amount": "-1", "amount_unit": "won", "version": budget.version}
    response = admin_client.post(reverse("admin:programs_programbudget_change", args=[budget.pk]), data)
    assert response.status_code == 200
    text = " ".join(str(error) for errors in response.context["adminform"].form.errors.values() for error in errors)
    assert "예산액은 0원 이상이어야 합니다." in text and "budget_amount_non_negative" not in text
