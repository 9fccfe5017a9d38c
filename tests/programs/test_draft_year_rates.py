"""A draft year before its budgets exist: a program has 전년 but no 당해, and its 증감률 is blank
(not △100.0) wherever programs are listed; the confirmed 2025 plan's rates are unchanged."""

import pytest
from django.urls import reverse

from programs import services
from programs.formats import change_rate
from programs.models import PlanYear, Program
from tests import html_tables

pytestmark = pytest.mark.django_db


def test_change_rate_is_none_without_a_current_budget():
    assert change_rate(7_714_000_000, None) is None
    assert str(change_rate(7_714_000_000, 0)) == "-100.0"
    assert str(change_rate(7_714_000_000, 7_814_000_000)) == "1.3"


def rows_by_header(page) -> list[dict]:
    table = next(table for table in html_tables.tables(page) if "증감률(%)" in table.texts()[0])
    header, *rows = table.texts()
    return [dict(zip(header, row, strict=True)) for row in rows if len(row) == len(header)]  # not the 합계 row


def test_plan_program_list_of_a_draft_year_leaves_the_rate_blank(admin_client, admin_user):
    before = rows_by_header(admin_client.get(reverse("plan:programs", args=[2025])).content)
    assert any(row["증감률(%)"].startswith("△") for row in before)
    services.plan_year_copy(source=PlanYear.objects.get(year=2025), year=2026, user=admin_user)
    rows = rows_by_header(admin_client.get(reverse("plan:programs", args=[2026])).content)
    polytech = next(row for row in rows if row["사업명"] == Program.objects.get(code="polytech").name)
    assert (polytech["'25년 예산(백만원)"], polytech["'26년 예산(백만원)"]) == ("42,718", "-")
    assert {(row["'26년 예산(백만원)"], row["증감(백만원)"], row["증감률(%)"]) for row in rows} == {("-", "-", "-")}
    # The confirmed 2025 plan's list, rates and all, is what it was.
    assert rows_by_header(admin_client.get(reverse("plan:programs", args=[2025])).content) == before
