"""The plan's reference data in the admin: shown with the document's figures, not editable there."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    ("companies", "industrystanding", ["586,532", "11.9", "17.8"]),
    ("companies", "workforcefigure", ["341,515", "54.0", "외국인(B)"]),
    ("companies", "statedshare", ["50대 이상 중장년층 비중", "67.9%", "89.1%"]),
    ("companies", "populationtotal", ["64,061", "740,396"]),
    ("centers", "committeedirection", ["광역지자체 단위", "권역 단위"]),
    ("programs", "measure", ["신증설 입지지원", "차세대 경영인 네트워크", "수요산업 커미티"]),
    ("programs", "programterm", ["720만원", "480만원", "△0.3%p", "10억원 내외"]),
]


@pytest.mark.parametrize("app, model, figures", PAGES)
def test_reference_lists_show_the_plans_figures_and_refuse_additions(admin_client, app, model, figures):
    listing = admin_client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert listing.status_code == 200
    body = listing.content.decode()
    for figure in figures:
        assert figure in body, figure
    assert admin_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 403


def test_area_and_task_labels_say_which_table_they_come_from(admin_client):
    page = admin_client.get(reverse("admin:programs_policyarea_change", args=[3])).content.decode()
    assert "추진분야명(III장 표)" in page and "추진분야명(IV장 제목·V장 표)" in page
    assert "생태계 강화 기반 조성" in page and "뿌리산업 생태계 강화" in page


def test_program_filter_shows_the_same_area_names_as_the_list(admin_client):
    body = admin_client.get(reverse("admin:programs_program_changelist")).content.decode()
    assert "3. 뿌리산업 생태계 강화" in body
    assert "생태계 강화 기반 조성" not in body


def test_new_designation_target_shows_its_baseline_in_the_same_terms(admin_client):
    body = admin_client.get(reverse("admin:centers_plantarget_changelist")).content.decode()
    assert (
        "2024년 3개교 (&#x27;23년 9개교 → &#x27;24년 12개교)" in body
        or "2024년 3개교 ('23년 9개교 → '24년 12개교)" in body
    )
