"""Every admin list (with the 소관부처 명시 filter and sorting) and the plan pages answer for a plan year
that has no placement yet (a new draft, or one confirmed empty): none is a 500."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from programs.models import PlanYear

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["draft", "confirmed"])
def test_every_list_and_plan_page_answers_for_a_year_without_placements(admin_client, status):
    PlanYear.objects.create(
        year=2026, title="(합성) 2026", status=status, confirmed_at=timezone.now() if status != "draft" else None
    )
    bad = []
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for query in (
            "?year=2026",
            "?year=2026&ministry_stated=no",
            "?year=2026&ministry_stated=yes",
            "?year=2026&o=1",
            "?year=2026&o=-3",
        ):
            try:
                response = admin_client.get(url + query)
            except Exception as exc:
                bad.append((url + query, repr(exc)[:200]))
                continue
            if response.status_code >= 500:
                bad.append((url + query, response.status_code))
    for name in ("plan:overview", "plan:programs"):
        for kwargs in ({"year": 2026},):
            try:
                r = admin_client.get(reverse(name, kwargs=kwargs))
                if r.status_code >= 500:
                    bad.append((name, r.status_code))
            except Exception as exc:
                bad.append((name, repr(exc)[:200]))
    for path in [
        "/plan/2026/programs/polytech/",
        "/plan/2026/areas/1/",
        "/plan/2026/tasks/1-1/",
        "/companies/applications/?year=2026",
        "/plan/2026/programs/?format=xlsx",
        "/plan/2026/programs/?download=xlsx",
    ]:
        try:
            r = admin_client.get(path)
            if r.status_code >= 500:
                bad.append((path, r.status_code))
        except Exception as exc:
            bad.append((path, repr(exc)[:200]))
    assert not bad
