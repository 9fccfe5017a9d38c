"""The import page sits under its app and its list in the breadcrumbs, as every admin page does."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "app", "listing"),
    [
        ("admin:companies_company_import", "뿌리기업·신청", "뿌리기업"),
        ("admin:programs_budgetexecution_import", "실행계획·사업", "예산 집행"),
    ],
)
def test_the_import_page_leads_back_to_its_app_and_list(admin_client, url, app, listing):
    page = admin_client.get(reverse(url)).content.decode()
    breadcrumbs = page[page.index('<div class="breadcrumbs">') :].split("</div>")[0]
    app_label, model = url.split(":")[1].rsplit("_import", 1)[0].split("_", 1)
    assert f'href="{reverse("admin:app_list", args=[app_label])}">{app}</a>' in breadcrumbs
    assert f'href="{reverse(f"admin:{app_label}_{model}_changelist")}">{listing}</a>' in breadcrumbs
    assert breadcrumbs.rstrip().endswith("가져오기")
